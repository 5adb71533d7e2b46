// Zod-free, like methods.ts: electron/main imports it for the app:// protocol.
/**
 * Where both hosts serve an attachment by its ticket (attachments.link): the last segment is the
 * file's name, so a PDF viewer's title and a tab's address say what the file is.
 */
export const ATTACHMENT_PATH_PREFIX = '/files/';
export const attachmentPath = (ticket: string, fileName: string): string => `${ATTACHMENT_PATH_PREFIX}${ticket}/${encodeURIComponent(fileName)}`;
/** The ticket and file name of such a path, or null when it is not one. */
export function parseAttachmentPath(path: string): { ticket: string; fileName: string } | null {
  const match = /^\/files\/([\w-]{1,64})\/([^/?#]+)$/.exec(path);
  if (match === null) return null;
  try {
    const fileName = decodeURIComponent(match[2]!);
    return fileName.includes('/') || fileName.includes('\\') || fileName.includes('\u0000') ? null : { ticket: match[1]!, fileName };
  } catch {
    return null;
  }
}
