import { HubError } from './errors.ts';

/**
 * A multipart/form-data body (RFC 7578) as a page's file-upload form sends it: text fields and
 * files by field name. The console's pages run no script, so an .xlsx reaches the hub this way;
 * the body is already limited in size by the route, and is split here in memory.
 */
export interface MultipartForm {
  fields: Record<string, string>;
  files: Record<string, { filename: string; content: Buffer }>;
}

export function boundaryOf(contentType: string | undefined): string {
  const match = /boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(contentType ?? '');
  const boundary = match?.[1] ?? match?.[2];
  if (boundary === undefined) throw new HubError('VALIDATION', 'A multipart body without its boundary');
  return boundary;
}

export function parseMultipart(body: Buffer, boundary: string): MultipartForm {
  const form: MultipartForm = { fields: {}, files: {} };
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  if (at < 0) throw new HubError('VALIDATION', 'A multipart body without its boundary');
  for (;;) {
    at += delimiter.length;
    if (body.subarray(at, at + 2).toString() === '--') return form;
    const headerEnd = body.indexOf('\r\n\r\n', at);
    const next = body.indexOf(delimiter, at);
    if (headerEnd < 0 || next < 0 || headerEnd > next) throw new HubError('VALIDATION', 'A malformed multipart body');
    const headers = body.subarray(at, headerEnd).toString('utf8');
    // The part's content ends with the CRLF before the next delimiter.
    const content = body.subarray(headerEnd + 4, next - 2);
    const disposition = /content-disposition:[^\r\n]*/i.exec(headers)?.[0] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    if (name !== undefined) {
      if (filename !== undefined) form.files[name] = { filename, content: Buffer.from(content) };
      else form.fields[name] = content.toString('utf8');
    }
    at = next;
  }
}
