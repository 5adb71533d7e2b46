import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttachmentListItem, EnterpriseDetail } from '../../../shared/api/enterprises.ts';
import type { Result } from '../../../shared/api/result.ts';
import { hostWithUsers, sampleEnterpriseFile, testUscc } from '../testing.ts';
import { blobPath, encryptBlob, sha256Hex } from './attachmentStore.ts';

const value = <T>(result: Result<unknown>): T => {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
};

const SECRET = 'LICENCE-91360222-SECRET-TEXT';
const pdf = Buffer.from(`%PDF-1.4\n1 0 obj << /Title (${SECRET}) >> endobj\n${'stream data '.repeat(200)}\n%%EOF\n`);
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR fake png body')]);

describe('attachments', () => {
  let host: Awaited<ReturnType<typeof hostWithUsers>>;
  let enterprise: EnterpriseDetail;
  let other: EnterpriseDetail;
  let added: AttachmentListItem;
  beforeAll(async () => {
    host = await hostWithUsers();
    enterprise = value(await host.dispatch('enterprises.create', { file: sampleEnterpriseFile('华盛建材有限公司', testUscc(1)) }, host.sessions.officer));
    other = value(await host.dispatch('enterprises.create', { file: sampleEnterpriseFile('浮梁县绿源茶业有限公司', testUscc(2)) }, host.sessions.officer));
  });
  afterAll(() => host.cleanup());

  const add = (ownerId: string, fileName: string, mime: string, bytes: Buffer, session = host.sessions.officer) =>
    host.dispatch('attachments.add', { ownerType: 'enterprises', ownerId, fileName, mime, contentBase64: bytes.toString('base64'), note: '营业执照' }, session);

  it('stores a PDF content-addressed and encrypted: its bytes are not in the file on disk', async () => {
    added = value(await add(enterprise.id, 'C:\\扫描件\\营业执照.pdf', 'application/pdf', pdf));
    expect(added).toMatchObject({ fileName: '营业执照.pdf', mime: 'application/pdf', size: pdf.length, sha256: sha256Hex(pdf), note: '营业执照', createdByName: 'officer' });
    const onDisk = readFileSync(blobPath(host.ctx.dataDir, added.sha256));
    expect(blobPath(host.ctx.dataDir, added.sha256)).toBe(join(host.ctx.dataDir, 'attachments', added.sha256.slice(0, 2), added.sha256));
    expect(onDisk.includes(Buffer.from(SECRET))).toBe(false);
    expect(onDisk.includes(Buffer.from('%PDF'))).toBe(false);
    expect(onDisk.includes(Buffer.from('stream data'))).toBe(false);
    expect(onDisk.length).toBe(pdf.length + 4 + 12 + 16);
  });

  it('gives the content back, lists it with who added it, and audits the row', async () => {
    const got = value<{ fileName: string; mime: string; contentBase64: string }>(await host.dispatch('attachments.get', { id: added.id }, host.sessions.manager));
    expect(got).toMatchObject({ fileName: '营业执照.pdf', mime: 'application/pdf' });
    expect(Buffer.from(got.contentBase64, 'base64').equals(pdf)).toBe(true);
    const list = value<AttachmentListItem[]>(await host.dispatch('attachments.list', { ownerType: 'enterprises', ownerId: enterprise.id }, host.sessions.admin));
    expect(list).toEqual([added]);
    const detail = value<EnterpriseDetail>(await host.dispatch('enterprises.get', { id: enterprise.id }, host.sessions.officer));
    expect(detail.attachments).toHaveLength(1);
    const history = value<{ action: string; userName: string }[]>(await host.dispatch('records.history', { recordType: 'attachments', recordId: added.id }, host.sessions.officer));
    expect(history).toMatchObject([{ action: 'insert', userName: 'officer' }]);
  });

  it('links the file at a path named for it, opened for the session that asked while it is signed in, for ten minutes (issue 12)', async () => {
    const { path } = value<{ path: string }>(await host.dispatch('attachments.link', { id: added.id }, host.sessions.manager));
    expect(path).toMatch(new RegExp(`^/files/[\\w-]{20,}/${encodeURIComponent('营业执照.pdf')}$`));
    const ticket = path.split('/')[2]!;
    // The viewer's GET has no launch token or session of its own: the ticket stands for the manager's session.
    const opened = value<{ fileName: string; contentBase64: string }>(await host.dispatch('attachments.open', { ticket }, { sessionId: 'a-viewer' }));
    expect(opened.fileName).toBe('营业执照.pdf');
    expect(Buffer.from(opened.contentBase64, 'base64').equals(pdf)).toBe(true);
    expect(await host.dispatch('attachments.open', { ticket: 'not-a-ticket-anyone-was-given' }, { sessionId: 'a-viewer' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    // Ten minutes on, the ticket is gone.
    expect(host.ctx.sessions.resolveLink(ticket, new Date(Date.now() + 10 * 60_000 + 1))).toBeUndefined();
    expect(await host.dispatch('attachments.open', { ticket }, { sessionId: 'a-viewer' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    // Signed out, a fresh link is worthless too.
    const fresh = value<{ path: string }>(await host.dispatch('attachments.link', { id: added.id }, host.sessions.manager)).path.split('/')[2]!;
    host.ctx.sessions.signOut(host.sessions.manager.sessionId);
    expect(await host.dispatch('attachments.open', { ticket: fresh }, { sessionId: 'a-viewer' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(value(await host.dispatch('session.login', { username: 'manager', password: 'Changed2026' }, host.sessions.manager))).toMatchObject({ user: { username: 'manager' } });
  });

  it('stores the same content once, however often it is attached', async () => {
    const again = value<AttachmentListItem>(await add(other.id, '执照副本.pdf', 'application/pdf', pdf, host.sessions.manager));
    expect(again.sha256).toBe(added.sha256);
    expect(again.id).not.toBe(added.id);
    expect(again.createdByName).toBe('manager');
    value(await add(enterprise.id, 'photo.png', 'image/png', png));
    const blobs = readdirSync(join(host.ctx.dataDir, 'attachments'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(blobs.map((e) => e.name).sort()).toEqual([sha256Hex(pdf), sha256Hex(png)].sort());
  });

  it('refuses file names with bidi overrides or other format characters, and control characters in the note (L5)', async () => {
    for (const fileName of ['\u202egpj.exe', 'invoice\u202d.pdf', '\u2066scan\u2069.pdf', 'a\u200b.pdf', '\ufeffa.pdf', 'a\u0000.pdf']) {
      const result = await add(enterprise.id, fileName, 'application/pdf', pdf);
      expect([fileName, result]).toMatchObject([fileName, { ok: false, error: { code: 'VALIDATION', details: { issues: [{ path: ['fileName'] }] } } }]);
    }
    const withNote = (note: string) =>
      host.dispatch('attachments.add', { ownerType: 'enterprises', ownerId: enterprise.id, fileName: 'a.pdf', mime: 'application/pdf', contentBase64: pdf.toString('base64'), note }, host.sessions.officer);
    expect(await withNote('营业执照\u0000副本')).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { issues: [{ path: ['note'], message: 'NO_CONTROL_CHARACTERS' }] } } });
    expect(await withNote('营业执照\n副本')).toMatchObject({ ok: true });
  });

  it('checks the content, not the name or the declared type', async () => {
    expect(await add(enterprise.id, 'scan.pdf', 'application/pdf', png)).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { issues: [{ code: 'FILE_TYPE' }] } } });
    expect(await add(enterprise.id, 'photo.jpg', 'image/jpeg', Buffer.from('MZ\x90\x00 not an image'))).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await add(enterprise.id, 'a.docx', 'application/msword', pdf)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await add('no-such-enterprise', 'a.pdf', 'application/pdf', pdf)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await add(enterprise.id, 'a.pdf', 'application/pdf', pdf, host.sessions.admin)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('verifies the content on read: a damaged blob, or another file under this name, is refused', async () => {
    const path = blobPath(host.ctx.dataDir, added.sha256);
    const original = readFileSync(path);
    const flipped = Buffer.from(original);
    flipped[40] = flipped[40]! ^ 0xff;
    writeFileSync(path, flipped);
    expect(await host.dispatch('attachments.get', { id: added.id }, host.sessions.officer)).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL', details: { reason: 'ATTACHMENT_CORRUPT' } },
    });
    // Correctly encrypted under this name, but not the content the hash names.
    writeFileSync(path, encryptBlob(host.ctx.attachmentKey, added.sha256, Buffer.from('%PDF-1.4 a different file')));
    expect(await host.dispatch('attachments.get', { id: added.id }, host.sessions.officer)).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL', details: { reason: 'ATTACHMENT_CORRUPT' } },
    });
    writeFileSync(path, original);
    expect((await host.dispatch('attachments.get', { id: added.id }, host.sessions.officer)).ok).toBe(true);
  });

  it('removes an attachment from its file for those who may write, audited, and keeps the other record of the same content', async () => {
    const [copy] = value<AttachmentListItem[]>(await host.dispatch('attachments.list', { ownerType: 'enterprises', ownerId: other.id }, host.sessions.officer));
    expect(copy?.sha256).toBe(added.sha256);
    expect(await host.dispatch('attachments.remove', { id: added.id }, host.sessions.admin)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(value(await host.dispatch('attachments.remove', { id: added.id }, host.sessions.officer))).toEqual({ id: added.id });
    const left = value<AttachmentListItem[]>(await host.dispatch('attachments.list', { ownerType: 'enterprises', ownerId: enterprise.id }, host.sessions.officer));
    expect(left.map((attachment) => attachment.id)).not.toContain(added.id);
    expect(await host.dispatch('attachments.get', { id: added.id }, host.sessions.officer)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await host.dispatch('attachments.remove', { id: added.id }, host.sessions.officer)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const history = value<{ action: string }[]>(await host.dispatch('records.history', { recordType: 'attachments', recordId: added.id }, host.sessions.officer));
    expect(history.map((entry) => entry.action)).toEqual(['delete', 'insert']);
    // The content is still there for the other enterprise's record.
    const got = value<{ contentBase64: string }>(await host.dispatch('attachments.get', { id: (copy as AttachmentListItem).id }, host.sessions.officer));
    expect(Buffer.from(got.contentBase64, 'base64').equals(pdf)).toBe(true);
    expect(host.store.db.prepare("SELECT count(*) FROM outbox WHERE table_name = 'attachments' AND row_id = ? AND op = 'delete'").pluck().get(added.id)).toBe(1);
  });
});
