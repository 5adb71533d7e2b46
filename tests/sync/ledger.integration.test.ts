import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { hostWithUsers, sampleEnterpriseFile, testUscc } from '../../electron/host/testing.ts';
import type { EnterpriseDetail, SyncStatus } from '../../shared/api/index.ts';
import type { Conflict, PushResult, RowSnapshot } from '../../shared/sync/protocol.ts';
import { call, TestDevice, valueOf } from '../../server/testing/device.ts';
import { admin, branchWithCode, startHub, type HubProcess } from './hub.ts';

type Laptop = Awaited<ReturnType<typeof hostWithUsers>>;

async function value<T>(promise: Promise<{ ok: boolean; value?: unknown; error?: unknown }>): Promise<T> {
  const result = await promise;
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value as T;
}

/**
 * The hub's ledger rules over a real hub process (npm run headoffice): row validation of pushed and
 * head-office changes, who a head-office edit or a resolution is, what a pulled conflict says, how a
 * resolution on a stale view is answered, undeleting, and derived columns.
 */
describe('the hub ledger through a real hub process', () => {
  let hub: HubProcess;
  const laptops: Laptop[] = [];
  let serial = 900;

  beforeAll(async () => {
    hub = await startHub();
  }, 120_000);
  afterAll(async () => {
    for (const laptop of laptops) laptop.cleanup();
    await hub?.stop();
  });

  const branch = async (code: string) => (await branchWithCode(hub, `${code}支行`, code)).branchId;
  const device = async (branchId: string, name: string) => {
    const enrolled = await TestDevice.enroll(hub.url, hub.adminToken, branchId, name);
    valueOf(await enrolled.hello());
    return enrolled;
  };
  const laptopOf = async (branchId: string, deviceName: string): Promise<Laptop> => {
    const laptop = await hostWithUsers();
    laptops.push(laptop);
    const { code } = await admin<{ code: string }>(hub, `/admin/branches/${branchId}/enrollment-codes`, {});
    await value(laptop.dispatch('sync.enroll', { hubUrl: hub.url, code, deviceName }, laptop.sessions.admin));
    return laptop;
  };
  const sync = (laptop: Laptop) => value<SyncStatus>(laptop.dispatch('sync.now', {}, laptop.sessions.officer));
  const headOfficeEdit = (branchId: string, rowId: string, fields: Record<string, unknown>, baseVersion: number, userId = 'hq-zhang') =>
    call<{ result: PushResult; row: RowSnapshot | null }>(hub.url, `/admin/rows/${branchId}/enterprises/${rowId}`, { token: hub.adminToken, body: { fields, baseVersion, userId } });
  const resolve = (on: TestDevice, conflictId: string, body: Record<string, unknown>) =>
    call<{ conflict: Conflict; row: RowSnapshot }>(hub.url, `/sync/v1/conflicts/${conflictId}/resolve`, { token: on.token, body });
  const hubRow = async (on: TestDevice, rowId: string) => {
    await on.pull();
    return on.row('enterprises', rowId);
  };

  it('rejects each pushed row that breaks its table schema, with the field, and a new laptop’s first pull still works (M1)', async () => {
    const branchId = await branch('M1-A');
    const rogue = await device(branchId, '改装的笔记本');
    const good = uuidv7();
    const huge = 'x'.repeat(100 * 1024);
    const results = await rogue.pushOk([
      rogue.write('enterprises', uuidv7(), 'insert', { name: '只有名称有限公司' }, undefined, { asIs: true }),
      rogue.write('enterprises', uuidv7(), 'insert', { name: '银河企业', scale: 'galactic' }),
      rogue.write('enterprises', uuidv7(), 'insert', { name: { zh: '对象' } }),
      rogue.write('enterprises', uuidv7(), 'insert', { name: '大字段企业', huge_column: huge }),
      rogue.write('enterprises', good, 'insert', { name: '华盛建材有限公司' }),
      rogue.write('enterprises', good, 'update', { scale: 'galactic' }, 1),
      rogue.write('enterprises', good, 'update', { notes: huge }, 1),
      rogue.write('enterprises', good, 'update', { legal_representative: 42 }, 1),
    ]);
    const answers = results.map((result) => [result.status, result.reason, result.issues?.map((issue) => issue.field)]);
    expect(answers[0]).toEqual(['rejected', 'INVALID_ROW', expect.arrayContaining(['created_at', 'created_by', 'uscc', 'legal_representative', 'scale'])]);
    expect(answers.slice(1)).toEqual([
      ['rejected', 'INVALID_ROW', ['scale']],
      ['rejected', 'INVALID_ROW', ['name']],
      ['rejected', 'INVALID_ROW', ['huge_column']],
      ['applied', undefined, undefined],
      ['rejected', 'INVALID_ROW', ['scale']],
      ['rejected', 'INVALID_ROW', ['notes']],
      ['rejected', 'INVALID_ROW', ['legal_representative']],
    ]);
    expect(results[1]?.issues?.[0]?.message).toMatch(/large|medium|small|micro/);
    // the good row is untouched by the refused updates
    expect(await hubRow(rogue, good)).toMatchObject({ version: 1, data: { scale: 'small', name: '华盛建材有限公司' } });

    const fresh = await laptopOf(branchId, '新笔记本');
    const status = await sync(fresh);
    expect(status.lastError).toBeNull();
    const detail = await value<EnterpriseDetail>(fresh.dispatch('enterprises.get', { id: good }, fresh.sessions.officer));
    expect(detail.file.identity.name).toBe('华盛建材有限公司');
  }, 120_000);

  it('refuses a head-office edit of a row the branch does not have, and a head-office edit with a bad value (issue 11, M1)', async () => {
    const branchId = await branch('M1-B');
    const officer = await device(branchId, '笔记本');
    const unknown = await headOfficeEdit(branchId, uuidv7(), { name: '凭空出现', scale: 'small' }, 0);
    expect([unknown.status, unknown.body.ok ? '' : unknown.body.error.code]).toEqual([404, 'NOT_FOUND']);
    const [rows] = await officer.pull();
    expect(rows?.rows).toEqual([]);

    const rowId = uuidv7();
    await officer.pushOk([officer.write('enterprises', rowId, 'insert', { name: '华盛建材有限公司' })]);
    const bad = await headOfficeEdit(branchId, rowId, { scale: 'galactic' }, 1);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { result: { reason: 'INVALID_ROW', issues: [{ field: 'scale' }] } } } });
    expect(await hubRow(officer, rowId)).toMatchObject({ version: 1, data: { scale: 'small' } });
  }, 60_000);

  it('raises a conflict for a stale head-office edit made before a resolution, instead of overwriting it (R3)', async () => {
    const branchId = await branch('R3');
    const a = await device(branchId, '笔记本 A');
    const b = await device(branchId, '笔记本 B');
    const rowId = uuidv7();
    await a.pushOk([a.write('enterprises', rowId, 'insert', { name: '华盛建材有限公司', scale: 'small' })]);
    // head office looks at version 1; then A and B clash on the scale and B keeps its value
    await b.pull();
    await a.pushOk([a.write('enterprises', rowId, 'update', { scale: 'medium' }, 1)]);
    const [clash] = await b.pushOk([b.write('enterprises', rowId, 'update', { scale: 'large' }, 1)]);
    expect(clash?.status).toBe('conflict');
    const resolved = valueOf(await resolve(b, clash?.conflictId as string, { choice: 'mine', expectedVersion: 2, userId: 'officer-b' }));
    expect(resolved.row.data.scale).toBe('large');

    const stale = await headOfficeEdit(branchId, rowId, { scale: 'micro' }, 1);
    expect(valueOf(stale).result).toMatchObject({ status: 'conflict', heldFields: ['scale'] });
    expect(await hubRow(a, rowId)).toMatchObject({ data: { scale: 'large' } });
    const conflict = [...a.conflicts.values()].find((c) => c.id === valueOf(stale).result.conflictId);
    expect(conflict?.mine).toMatchObject({ clientId: 'head-office:hq-zhang', userId: 'hq-zhang', deviceName: null, fields: { scale: 'micro' } });
    // the same person editing on top of their own edit is not stale
    const current = (await hubRow(a, rowId))?.version as number;
    valueOf(await headOfficeEdit(branchId, rowId, { ownership: 'state' }, current));
    expect(valueOf(await headOfficeEdit(branchId, rowId, { ownership: 'collective' }, current)).result.status).toBe('applied');
  }, 60_000);

  it('answers a resolution on a stale view ROW_CHANGED and a second resolution CONFLICT_ALREADY_RESOLVED (R4, R5)', async () => {
    const branchId = await branch('R4');
    const a = await device(branchId, '笔记本 A');
    const b = await device(branchId, '笔记本 B');
    const c = await device(branchId, '笔记本 C');
    const rowId = uuidv7();
    await a.pushOk([a.write('enterprises', rowId, 'insert', { name: '华盛建材有限公司' })]);
    await a.pushOk([a.write('enterprises', rowId, 'update', { scale: 'large' }, 1)]);
    const [clash] = await b.pushOk([b.write('enterprises', rowId, 'update', { scale: 'micro' }, 1)]);
    const seen = (await b.pull()).flatMap((page) => page.conflicts).find((conflict) => conflict.id === clash?.conflictId) as Conflict;
    // C sets the field on a current base after B saw the conflict
    await c.pull();
    expect((await c.pushOk([c.write('enterprises', rowId, 'update', { scale: 'medium' })]))[0]?.status).toBe('applied');

    const stale = await resolve(b, seen.id, { choice: 'mine', expectedVersion: seen.theirs.version, userId: 'officer-b' });
    expect([stale.status, stale.body.ok ? '' : stale.body.error.code]).toEqual([409, 'ROW_CHANGED']);
    expect(await hubRow(c, rowId)).toMatchObject({ data: { scale: 'medium' } });

    const current = (await hubRow(b, rowId))?.version as number;
    // an edited value goes through the row schema like any change
    const invalid = await resolve(b, seen.id, { choice: 'edit', fields: { scale: 'purple' }, expectedVersion: current, userId: 'officer-b' });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { issues: [{ path: ['scale'] }] } } });
    valueOf(await resolve(b, seen.id, { choice: 'theirs', expectedVersion: current, userId: 'officer-b' }));
    const again = await resolve(a, seen.id, { choice: 'mine', expectedVersion: current + 1 });
    expect([again.status, again.body.ok ? '' : again.body.error.code]).toEqual([409, 'CONFLICT_ALREADY_RESOLVED']);
  }, 60_000);

  it('pulls a conflict with whose edit it holds (device and user) and the hub’s value as it is now (R1)', async () => {
    const branchId = await branch('R1');
    const a = await device(branchId, '城关笔记本 A');
    const b = await device(branchId, '城关笔记本 B');
    const rowId = uuidv7();
    await a.pushOk([a.write('enterprises', rowId, 'insert', { name: '华盛建材有限公司' })]);
    await a.pushOk([a.write('enterprises', rowId, 'update', { scale: 'medium' }, 1)]);
    const [clash] = await b.pushOk([b.write('enterprises', rowId, 'update', { scale: 'large' }, 1)]);
    // the row moves on before laptop C (new) pulls the conflict
    const later = valueOf(await headOfficeEdit(branchId, rowId, { scale: 'micro' }, 2));
    expect(later.result.status).toBe('applied');
    const c = await device(branchId, '城关笔记本 C');
    await c.pull();
    const conflict = c.conflicts.get(clash?.conflictId as string);
    expect(conflict?.mine).toMatchObject({ clientId: b.clientId, deviceName: '城关笔记本 B', userId: 'officer-1', fields: { scale: 'large' } });
    expect(conflict?.theirs).toMatchObject({ fields: { scale: 'micro' }, version: later.row?.version, clientId: 'head-office:hq-zhang', deviceName: null });
    // a laptop that already holds the open conflict gets it again when the row moves on
    valueOf(await headOfficeEdit(branchId, rowId, { scale: 'medium' }, later.row?.version as number));
    await c.pull();
    expect(c.conflicts.get(clash?.conflictId as string)?.theirs).toMatchObject({ fields: { scale: 'medium' }, version: (later.row?.version as number) + 1 });
  }, 60_000);

  it('keeps the search initials with the name as applied: a held rename does not move them, a pushed value is ignored, a head-office rename updates them (R6)', async () => {
    const branchId = await branch('R6');
    const a = await device(branchId, '笔记本 A');
    const b = await device(branchId, '笔记本 B');
    const rowId = uuidv7();
    await a.pushOk([a.write('enterprises', rowId, 'insert', { name: '华盛建材有限公司', name_initials: 'WRONG' })]);
    expect((await hubRow(a, rowId))?.data.name_initials).toBe('HSJCYXGS');
    await a.pushOk([a.write('enterprises', rowId, 'update', { name: '华盛建材股份有限公司' }, 1)]);
    const [held] = await b.pushOk([b.write('enterprises', rowId, 'update', { name: '绿源食品有限公司', name_initials: 'LYSPYXGS' }, 1)]);
    expect(held).toMatchObject({ status: 'conflict', heldFields: ['name'] });
    expect((await hubRow(a, rowId))?.data).toMatchObject({ name: '华盛建材股份有限公司', name_initials: 'HSJCGFYXGS' });
    const version = (await hubRow(a, rowId))?.version as number;
    valueOf(await headOfficeEdit(branchId, rowId, { name: '景德镇陶瓷有限公司' }, version));
    expect((await hubRow(a, rowId))?.data).toMatchObject({ name: '景德镇陶瓷有限公司', name_initials: 'JDZTCYXGS' });
  }, 60_000);

  it('brings a file back everywhere when its editor keeps the edit against a delete (R2)', async () => {
    const branchId = await branch('R2');
    const b = await laptopOf(branchId, '笔记本 B');
    const c = await laptopOf(branchId, '笔记本 C');
    const created = await value<EnterpriseDetail>(b.dispatch('enterprises.create', { file: sampleEnterpriseFile('华盛建材有限公司', testUscc((serial += 1))) }, b.sessions.officer));
    await sync(b);
    await sync(c);
    // B edits offline; C deletes the file and syncs
    await value(b.dispatch('enterprises.update', { id: created.id, version: created.version, file: sampleEnterpriseFile('华盛建材有限公司', created.file.identity.uscc, { scale: 'medium' }) }, b.sessions.officer));
    const onC = await value<EnterpriseDetail>(c.dispatch('enterprises.get', { id: created.id }, c.sessions.manager));
    await value(c.dispatch('enterprises.remove', { id: created.id, version: onC.version, reason: '重复录入的档案' }, c.sessions.manager));
    await sync(c);
    await sync(b);
    const conflicts = await value<{ id: string; rowId: string; theirsVersion: number }[]>(b.dispatch('sync.conflicts', {}, b.sessions.officer));
    const conflict = conflicts.find((item) => item.rowId === created.id);
    expect(conflict).toBeDefined();
    await value(b.dispatch('sync.resolve', { id: conflict?.id, choice: 'mine', expectedVersion: conflict?.theirsVersion }, b.sessions.officer));
    await sync(b);
    await sync(c);

    const probe = await TestDevice.enroll(hub.url, hub.adminToken, branchId, 'probe');
    valueOf(await probe.hello());
    await probe.pull();
    expect(probe.row('enterprises', created.id)).toMatchObject({ deleted: false, data: { deleted_at: null, scale: 'medium' } });
    for (const laptop of [b, c]) {
      const detail = await value<EnterpriseDetail>(laptop.dispatch('enterprises.get', { id: created.id }, laptop.sessions.officer));
      expect(detail.file.identity.scale).toBe('medium');
    }
  }, 120_000);
});
