import { uuidv7 } from 'uuidv7';
import type { CaseLetter } from '../../../shared/api/rectification.ts';
import { shanghaiDate } from '../../../shared/domain/calendar.ts';
import { getAttachment, type AttachmentListRow } from '../../../db/attachments.ts';
import { getBranch } from '../../../db/identity.ts';
import type { Db } from '../../../db/open.ts';
import { insertRecord, updateRecord } from '../../../db/records.ts';
import { getCase, letterNumberOf, lettersOf, nextLetterSequence, type CaseListRow } from '../../../db/rectification.ts';
import { putBlob } from '../enterprises/attachmentStore.ts';
import { rectificationLetterHtml } from '../letters/rectificationLetter.ts';
import { HostFailure, signedInUser, type Handler } from '../context.ts';
import { toAttachmentListItem } from './enterpriseFiles.ts';
import { actorOf } from './identity.ts';
import { caseDetail } from './rectification.ts';

/**
 * The 督促整改函 in two steps: a loan officer looks at the letter (cases.letterPreview: printed,
 * nothing recorded), then records it as sent (cases.recordLetter: printed again from the same case
 * version, numbered, its PDF kept). The letter is printed by the host from the case, never taken
 * from the renderer, so what is recorded is what the case said.
 */

function openCase(db: Db, caseId: string): CaseListRow {
  const row = getCase(db, caseId);
  if (row === undefined) throw new HostFailure('NOT_FOUND', `Rectification case ${caseId} not found`);
  // A verified, closed case needs no reminder: the letter would urge a rectification already accepted.
  if (row.status === 'closed') throw new HostFailure('CONFLICT', 'The case is closed', { rule: 'CASE_LETTER_CLOSED' });
  return row;
}

interface PrintedLetter {
  sequence: number;
  letterNumber: string;
  issuedOn: string;
  fileName: string;
  pdf: Buffer;
}

async function printLetter(ctx: Parameters<Handler<'cases.letterPreview'>>[0], row: CaseListRow, now: Date): Promise<PrintedLetter> {
  const { db } = ctx.store;
  const sequence = nextLetterSequence(db, row.id);
  const letterNumber = letterNumberOf(row.case_number, sequence);
  const issuedOn = shanghaiDate(now);
  const html = rectificationLetterHtml({
    enterpriseName: row.enterprise_name,
    caseNumber: row.case_number,
    letterNumber,
    category: row.category,
    source: row.source,
    sourceReference: row.source_reference,
    sourceAuthority: row.source_authority,
    sourceDate: row.source_date,
    description: row.description,
    requiredActions: row.required_actions,
    deadline: row.deadline,
    measure: row.measure,
    branchName: getBranch(db)?.name ?? '',
    issuedOn,
  });
  let pdf: Buffer;
  try {
    pdf = await ctx.pdf(html);
  } catch (error) {
    ctx.log(`[letters] printing ${letterNumber} failed: ${error instanceof Error ? error.message : String(error)}`);
    throw new HostFailure('INTERNAL', 'The letter could not be printed to PDF', { reason: 'PDF_RENDER_FAILED' });
  }
  return { sequence, letterNumber, issuedOn, fileName: `督促整改函-${letterNumber}.pdf`, pdf };
}

export function caseLetters(db: Db, caseId: string): CaseLetter[] {
  return lettersOf(db, caseId).map((letter) => {
    const attachment = getAttachment(db, letter.attachment_id);
    return {
      id: letter.id,
      sequence: letter.sequence,
      letterNumber: letter.letter_number,
      sentOn: letter.sent_on,
      sentBy: letter.sent_by,
      sentByName: letter.sent_by_name,
      attachment: attachment === undefined ? null : toAttachmentListItem({ ...attachment, created_by_name: letter.sent_by_name }),
    };
  });
}

export const casesLetterPreview: Handler<'cases.letterPreview'> = async (ctx, _call, input) => {
  const row = openCase(ctx.store.db, input.caseId);
  const letter = await printLetter(ctx, row, ctx.now());
  return { letterNumber: letter.letterNumber, issuedOn: letter.issuedOn, fileName: letter.fileName, contentBase64: letter.pdf.toString('base64') };
};

export const casesRecordLetter: Handler<'cases.recordLetter'> = async (ctx, call, input) => {
  const user = signedInUser(call);
  const now = ctx.now();
  const stale = (version: number) => new HostFailure('CONFLICT', `The case is at version ${version}, the letter was previewed at ${input.version}`, { rule: 'STALE' });
  const before = openCase(ctx.store.db, input.caseId);
  if (before.version !== input.version) throw stale(before.version);
  const letter = await printLetter(ctx, before, now);
  // Printing took a while: the case and its letters are read again, so the letter recorded is the one printed.
  const { db } = ctx.store;
  db.transaction(() => {
    const row = openCase(db, input.caseId);
    if (row.version !== input.version) throw stale(row.version);
    if (nextLetterSequence(db, row.id) !== letter.sequence) throw new HostFailure('CONFLICT', 'Another letter was recorded on the case meanwhile', { rule: 'STALE' });
    const actor = actorOf(user, db);
    const letterId = uuidv7();
    const { sha256 } = putBlob(ctx.dataDir, ctx.attachmentKey, letter.pdf);
    const attachment = insertRecord(
      db,
      'attachments',
      { owner_type: 'rectification_letters', owner_id: letterId, file_name: letter.fileName, mime: 'application/pdf', size: letter.pdf.length, sha256, note: letter.letterNumber },
      actor,
      now,
    ) as unknown as AttachmentListRow;
    insertRecord(
      db,
      'rectification_letters',
      { case_id: row.id, sequence: letter.sequence, letter_number: letter.letterNumber, sent_on: letter.issuedOn, sent_by: user.id, attachment_id: attachment.id },
      actor,
      now,
      letterId,
    );
    updateRecord(db, 'rectification_cases', row.id, { letter_sent_on: letter.issuedOn }, actor, now, { expectedVersion: input.version, action: 'case_letter_sent' });
  })();
  return caseDetail(db, input.caseId, user, now);
};
