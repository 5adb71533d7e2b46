import { existsSync } from 'node:fs';
import type { AttachmentListItem } from '../../../shared/api/enterprises.ts';
import { MAX_ATTACHMENT_BYTES } from '../../../shared/api/enterprises.ts';
import { getAttachment, listAttachments, type AttachmentListRow } from '../../../db/attachments.ts';
import { getRecord, insertRecord, softDeleteRecord } from '../../../db/records.ts';
import { HostFailure, signedInUser, type Handler, type HostContext } from '../context.ts';
import { can } from '../../../shared/domain/roles.ts';
import { attachmentPath } from '../../../shared/api/attachmentPath.ts';
import { AttachmentBlobError, blobPath, getBlob, putBlob, sniffMime } from '../enterprises/attachmentStore.ts';
import { exportEnterprises } from '../enterprises/exporter.ts';
import { previewImport, runImport } from '../enterprises/importer.ts';
import { actorOf, sessionState } from './identity.ts';

/** Files in and out of the enterprise register: import, export and attachments. */

export const enterprisesImportPreview: Handler<'enterprises.importPreview'> = (ctx, _call, input) => previewImport(ctx, input.fileName, input.contentBase64);

export const enterprisesImportRun: Handler<'enterprises.importRun'> = (ctx, call, input) => runImport(ctx, signedInUser(call), input);

export const enterprisesExport: Handler<'enterprises.export'> = (ctx, _call, input) => exportEnterprises(ctx.store.db, input.filter, input.sort, ctx.now());

/** An attachment as lists show it (any owner: an enterprise file, a credit application). */
export function toAttachmentListItem(row: AttachmentListRow): AttachmentListItem {
  return {
    id: row.id,
    fileName: row.file_name,
    mime: row.mime,
    size: row.size,
    sha256: row.sha256,
    note: row.note,
    createdAt: row.created_at,
    createdBy: row.created_by,
    createdByName: row.created_by_name,
  };
}

export const attachmentsList: Handler<'attachments.list'> = (ctx, _call, input) => listAttachments(ctx.store.db, input.ownerType, input.ownerId).map(toAttachmentListItem);

const contentIssue = (code: string, message: string) => ({ issues: [{ path: ['contentBase64'], code, message }] });

/** The name without any folder part or control characters (it is shown and used as a download name). */
function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return base === '' ? 'attachment' : base.slice(0, 200);
}

export const attachmentsAdd: Handler<'attachments.add'> = (ctx, call, input) => {
  const { db } = ctx.store;
  const actor = actorOf(signedInUser(call), db);
  // A letter's PDF is what the host printed when it was recorded as sent (cases.recordLetter), nothing else.
  if (input.ownerType === 'rectification_letters') throw new HostFailure('FORBIDDEN', 'A letter keeps only the PDF it was sent as', { rule: 'LETTER_PDF_FIXED' });
  const owner = getRecord(db, input.ownerType, input.ownerId);
  if (owner === undefined || owner.deleted_at !== null) throw new HostFailure('NOT_FOUND', `${input.ownerType} ${input.ownerId} not found`);
  const bytes = Buffer.from(input.contentBase64, 'base64');
  if (bytes.length === 0) throw new HostFailure('VALIDATION', 'The file is empty', contentIssue('EMPTY_FILE', 'EMPTY_FILE'));
  if (bytes.length > MAX_ATTACHMENT_BYTES) {
    throw new HostFailure('PAYLOAD_TOO_LARGE', `Attachments are at most ${MAX_ATTACHMENT_BYTES} bytes`, { limit: MAX_ATTACHMENT_BYTES });
  }
  // What the bytes are decides, not the name or the declared type: a renamed .exe is not a PDF.
  const sniffed = sniffMime(bytes);
  if (sniffed !== input.mime) {
    throw new HostFailure('VALIDATION', `The content is ${sniffed ?? 'not a PDF, PNG or JPEG'}, not ${input.mime}`, contentIssue('FILE_TYPE', 'FILE_TYPE'));
  }
  const { sha256 } = putBlob(ctx.dataDir, ctx.attachmentKey, bytes);
  const row = insertRecord(
    db,
    'attachments',
    { owner_type: input.ownerType, owner_id: input.ownerId, file_name: cleanFileName(input.fileName), mime: sniffed, size: bytes.length, sha256, note: input.note ?? null },
    actor,
    ctx.now(),
  );
  return toAttachmentListItem({ ...(row as unknown as AttachmentListRow), created_by_name: actor.userName });
};

function attachmentContent(ctx: HostContext, attachmentId: string) {
  const row = getAttachment(ctx.store.db, attachmentId);
  if (row === undefined) throw new HostFailure('NOT_FOUND', `Attachment ${attachmentId} not found`);
  try {
    const content = getBlob(ctx.dataDir, ctx.attachmentKey, row.sha256);
    return { fileName: row.file_name, mime: row.mime as 'application/pdf' | 'image/png' | 'image/jpeg', contentBase64: content.toString('base64') };
  } catch (error) {
    if (!(error instanceof AttachmentBlobError)) throw error;
    ctx.log(`[attachments] ${error.message}`);
    throw new HostFailure(error.reason === 'missing' ? 'NOT_FOUND' : 'INTERNAL', error.message, { reason: error.reason === 'missing' ? 'ATTACHMENT_MISSING' : 'ATTACHMENT_CORRUPT' });
  }
}

export const attachmentsGet: Handler<'attachments.get'> = (ctx, _call, input) => attachmentContent(ctx, input.id);

/** The path the hosts serve the file at, named for it: `/files/<ticket>/<file name>`. */
export const attachmentsLink: Handler<'attachments.link'> = (ctx, call, input) => {
  const row = getAttachment(ctx.store.db, input.id);
  if (row === undefined) throw new HostFailure('NOT_FOUND', `Attachment ${input.id} not found`);
  // Said here, in words, rather than as a blank frame: a file synced from another laptop may not be fetched yet.
  if (!existsSync(blobPath(ctx.dataDir, row.sha256))) throw new HostFailure('NOT_FOUND', `The file of attachment ${row.id} is not on this computer`, { reason: 'ATTACHMENT_MISSING' });
  const ticket = ctx.sessions.issueLink(call.sessionId, row.id, ctx.now());
  return { path: attachmentPath(ticket, row.file_name) };
};

/**
 * The file behind a ticket, for the session that asked for it: the same reading rights as
 * attachments.get at the moment of opening (still signed in, not locked, allowed to read records).
 */
export const attachmentsOpen: Handler<'attachments.open'> = (ctx, _call, input) => {
  const link = ctx.sessions.resolveLink(input.ticket, ctx.now());
  const state = link === undefined ? undefined : sessionState(ctx, { sessionId: link.sessionId });
  if (link === undefined || state?.user == null || state.locked || state.user.mustChangePassword || !can(state.user.role, 'records.read')) {
    throw new HostFailure('NOT_FOUND', 'This attachment link is unknown or has expired');
  }
  return attachmentContent(ctx, link.attachmentId);
};

export const attachmentsRemove: Handler<'attachments.remove'> = (ctx, call, input) => {
  const { db } = ctx.store;
  const row = getAttachment(db, input.id);
  if (row === undefined) throw new HostFailure('NOT_FOUND', `Attachment ${input.id} not found`);
  if (row.owner_type === 'rectification_letters') throw new HostFailure('FORBIDDEN', 'The PDF of a letter sent stays with it', { rule: 'LETTER_PDF_FIXED' });
  softDeleteRecord(db, 'attachments', input.id, actorOf(signedInUser(call), db), ctx.now());
  return { id: input.id };
};
