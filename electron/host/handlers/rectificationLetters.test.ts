import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDetail } from '../../../shared/api/index.ts';
import { sampleCaseFacts } from '../../../shared/domain/testing.ts';
import { hostWithUsers, sampleEnterpriseFile, testUscc } from '../testing.ts';

/**
 * The 督促整改函 recorded on the case as sent, through the host's dispatch over a real encrypted
 * database and the system's Chromium: a preview records nothing; recording prints the letter again,
 * numbers it, keeps the PDF (pdftotext reads the letter's number back from the stored file), audits
 * it and queues it for head office; a case changed since the preview is refused.
 */
type Session = { sessionId: string };

describe('督促整改函 recorded as sent', () => {
  let host: Awaited<ReturnType<typeof hostWithUsers>>;
  const dir = mkdtempSync(join(tmpdir(), 'greenledger-letters-'));
  const value = async <T,>(method: Parameters<typeof host.dispatch>[0], input: unknown, session: Session): Promise<T> => {
    const result = await host.dispatch(method, input as never, session);
    if (!result.ok) throw new Error(`${method}: ${result.error.code} ${JSON.stringify(result.error.details)}`);
    return result.value as T;
  };
  const refusal = async (method: Parameters<typeof host.dispatch>[0], input: unknown, session: Session) => {
    const result = await host.dispatch(method, input as never, session);
    expect(result.ok).toBe(false);
    return result.ok ? null : result.error;
  };
  const text = (base64: string, name: string) => {
    const file = join(dir, name);
    writeFileSync(file, Buffer.from(base64, 'base64'));
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  };

  beforeAll(async () => {
    host = await hostWithUsers();
  });
  afterAll(() => {
    host?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('previews, then records the letter sent: numbered, dated, by whom, its PDF kept, audited and synced', async () => {
    const officer = await value<{ user: { id: string } }>('session.get', {}, host.sessions.officer);
    const enterprise = await value<{ id: string }>('enterprises.create', { file: sampleEnterpriseFile('浮梁县瓷都化工有限公司', testUscc(611)) }, host.sessions.officer);
    const facts = sampleCaseFacts(enterprise.id, officer.user.id);
    let item = await value<CaseDetail>('cases.create', { facts }, host.sessions.officer);
    expect(item).toMatchObject({ letters: [], letterSentOn: null, nextLetterNumber: `${item.caseNumber}-01` });
    const db = host.ctx.store.db;
    const outboxBefore = db.prepare('SELECT count(*) FROM outbox').pluck().get() as number;

    // Step 1: the preview is the letter as it would go, and records nothing.
    const preview = await value<{ letterNumber: string; issuedOn: string; fileName: string; contentBase64: string }>('cases.letterPreview', { caseId: item.id }, host.sessions.officer);
    expect(preview.letterNumber).toBe(`${item.caseNumber}-01`);
    expect(preview.fileName).toBe(`督促整改函-${item.caseNumber}-01.pdf`);
    const previewText = text(preview.contentBase64, 'preview.pdf');
    for (const expected of ['督促整改函', '浮梁县瓷都化工有限公司', `${item.caseNumber}-01`, '2099年8月31日前', '督促整改']) expect(previewText).toContain(expected);
    expect(db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(outboxBefore);
    expect(db.prepare('SELECT count(*) FROM rectification_letters').pluck().get()).toBe(0);

    // Step 2 on a case changed since the preview: refused, the letter would not say what was previewed.
    const changed = await value<CaseDetail>('cases.update', { id: item.id, version: item.version, facts: { ...facts, deadline: '2099-09-30' } }, host.sessions.officer);
    expect(await refusal('cases.recordLetter', { caseId: item.id, version: item.version }, host.sessions.officer)).toMatchObject({ code: 'CONFLICT', details: { rule: 'STALE' } });
    item = changed;

    item = await value<CaseDetail>('cases.recordLetter', { caseId: item.id, version: item.version }, host.sessions.officer);
    expect(item.letterSentOn).toBe(preview.issuedOn);
    expect(item.letters).toMatchObject([{ sequence: 1, letterNumber: `${item.caseNumber}-01`, sentOn: preview.issuedOn, sentBy: officer.user.id, sentByName: 'officer' }]);
    expect(item.nextLetterNumber).toBe(`${item.caseNumber}-02`);
    const letter = item.letters[0]!;
    expect(letter.attachment).toMatchObject({ fileName: `督促整改函-${item.caseNumber}-01.pdf`, mime: 'application/pdf' });
    // A letter's PDF is not evidence of the rectification.
    expect(item.evidenceCount).toBe(0);

    // The exact letter sent opens again: the stored file, with the deadline as it stood when sent.
    const stored = await value<{ contentBase64: string; mime: string }>('attachments.get', { id: letter.attachment!.id }, host.sessions.manager);
    const sentText = text(stored.contentBase64, 'sent.pdf');
    for (const expected of [`${item.caseNumber}-01`, '2099年9月30日前', '浮梁县瓷都化工有限公司']) expect(sentText).toContain(expected);
    expect(decodeURIComponent((await value<{ path: string }>('attachments.link', { id: letter.attachment!.id }, host.sessions.officer)).path)).toMatch(/督促整改函-ZG-.+-01\.pdf$/);

    // Audited, and queued for head office: the letter, its file's row and the case's sent day.
    const audited = db.prepare(`SELECT record_type, action FROM audit_log WHERE record_id IN (?, ?, ?) ORDER BY seq`).all(letter.id, letter.attachment!.id, item.id) as { record_type: string; action: string }[];
    expect(audited).toEqual(expect.arrayContaining([{ record_type: 'rectification_letters', action: 'insert' }, { record_type: 'attachments', action: 'insert' }, { record_type: 'rectification_cases', action: 'case_letter_sent' }]));
    const queued = db.prepare('SELECT table_name FROM outbox WHERE op_id > (SELECT max(op_id) - 3 FROM outbox) ORDER BY op_id').pluck().all();
    expect(queued).toEqual(['attachments', 'rectification_letters', 'rectification_cases']);

    // The letter keeps the PDF it was sent as: no other file is added to it, and it is not removed.
    const pdf = Buffer.from('%PDF-1.4\n%fake\n').toString('base64');
    expect(await refusal('attachments.add', { ownerType: 'rectification_letters', ownerId: letter.id, fileName: 'x.pdf', mime: 'application/pdf', contentBase64: pdf }, host.sessions.officer)).toMatchObject({ code: 'FORBIDDEN', details: { rule: 'LETTER_PDF_FIXED' } });
    expect(await refusal('attachments.remove', { id: letter.attachment!.id }, host.sessions.officer)).toMatchObject({ code: 'FORBIDDEN', details: { rule: 'LETTER_PDF_FIXED' } });

    // A second letter is numbered 02; the administrator (no case.write) records none.
    expect(await refusal('cases.recordLetter', { caseId: item.id, version: item.version }, host.sessions.admin)).toMatchObject({ code: 'FORBIDDEN' });
    item = await value<CaseDetail>('cases.recordLetter', { caseId: item.id, version: item.version }, host.sessions.manager);
    expect(item.letters.map((l) => [l.letterNumber, l.sentByName])).toEqual([
      [`${item.caseNumber}-01`, 'officer'],
      [`${item.caseNumber}-02`, 'manager'],
    ]);
  }, 240_000);
});
