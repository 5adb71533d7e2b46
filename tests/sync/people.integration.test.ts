import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import { hostWithUsers, sampleEnterpriseFile, testHost, testUscc } from '../../electron/host/testing.ts';
import type { EnterpriseDetail, SyncStatus, User } from '../../shared/api/index.ts';
import { admin, branchWithCode, consoleCookie, startHub, type HubProcess } from './hub.ts';

type Laptop = Awaited<ReturnType<typeof hostWithUsers>>;

async function value<T>(promise: Promise<{ ok: boolean; value?: unknown; error?: unknown }>): Promise<T> {
  const result = await promise;
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value as T;
}

/** Two laptops of one branch through a real hub process: who did what is known by name on both. */
describe('people of the branch across laptops', () => {
  let hub: HubProcess;
  let laptopA: Laptop;
  let laptopB: Laptop;
  let branchId: string;
  const wang = { sessionId: 'wang' };

  const sync = async (laptop: Laptop) => {
    const status = await value<SyncStatus>(laptop.dispatch('sync.now', {}, laptop.sessions.admin));
    expect(status.lastError).toBeNull();
    return status;
  };

  beforeAll(async () => {
    hub = await startHub();
    laptopA = await hostWithUsers();
    laptopB = await hostWithUsers();
    const branch = await branchWithCode(hub, '浮梁县支行', 'FL-PEOPLE');
    branchId = branch.branchId;
    await value(laptopA.dispatch('sync.enroll', { hubUrl: hub.url, code: branch.enrollmentCode, deviceName: '笔记本 A' }, laptopA.sessions.admin));
    const { code } = await admin<{ code: string }>(hub, `/admin/branches/${branchId}/enrollment-codes`, {});
    await value(laptopB.dispatch('sync.enroll', { hubUrl: hub.url, code, deviceName: '笔记本 B' }, laptopB.sessions.admin));
    // A user made on laptop A files an enterprise there.
    await value(laptopA.dispatch('users.create', { username: 'wangxm', displayName: '王小明', role: 'loan_officer', password: 'Officer2026' }, laptopA.sessions.admin));
    await value(laptopA.dispatch('session.login', { username: 'wangxm', password: 'Officer2026' }, wang));
    // The host lets a new account do nothing else before it changes its initial password.
    await value(laptopA.dispatch('users.changeOwnPassword', { currentPassword: 'Officer2026', newPassword: 'Officer2027' }, wang));
  }, 120_000);

  afterAll(async () => {
    laptopA?.cleanup();
    laptopB?.cleanup();
    await hub?.stop();
  });

  it("names the creator, the modifier and who added an attachment with A's people on laptop B, and never sends a credential", async () => {
    const created = await value<EnterpriseDetail>(laptopA.dispatch('enterprises.create', { file: sampleEnterpriseFile('浮梁人员目录测试有限公司', testUscc(301)) }, wang));
    const pdf = Buffer.from(`%PDF-1.7\n授信材料\n%%EOF\n`);
    await value(
      laptopA.dispatch('attachments.add', { ownerType: 'enterprises', ownerId: created.id, fileName: '授信材料.pdf', mime: 'application/pdf', contentBase64: pdf.toString('base64') }, wang),
    );
    // What leaves laptop A for the people directory: names and roles only.
    const outgoing = laptopA.store.db.prepare(`SELECT fields FROM outbox WHERE table_name = 'people'`).pluck().all() as string[];
    expect(outgoing.length).toBeGreaterThan(0);
    for (const fields of outgoing) expect(Object.keys(JSON.parse(fields) as object).sort()).not.toContain('password_hash');
    expect(outgoing.join('\n')).not.toMatch(/scrypt|password|username/);
    await sync(laptopA);
    await sync(laptopB);

    const onB = await value<EnterpriseDetail>(laptopB.dispatch('enterprises.get', { id: created.id }, laptopB.sessions.officer));
    expect(onB).toMatchObject({ createdByName: '王小明', updatedByName: '王小明' });
    const attachments = await value<{ createdByName: string | null }[]>(laptopB.dispatch('attachments.list', { ownerType: 'enterprises', ownerId: created.id }, laptopB.sessions.officer));
    expect(attachments.map((a) => a.createdByName)).toEqual(['王小明']);
    // The directory is not an account: 王小明 cannot sign in on laptop B.
    const users = await value<User[]>(laptopB.dispatch('users.list', {}, laptopB.sessions.admin));
    expect(users.map((u) => u.displayName)).not.toContain('王小明');
    expect(laptopB.store.db.prepare(`SELECT count(*) FROM users WHERE display_name = '王小明'`).pluck().get()).toBe(0);
    // Head office's console names the modifier too.
    const cookie = await consoleCookie(hub);
    const answer = (await (await fetch(new URL(`/console/api/enterprises?q=${encodeURIComponent('人员目录')}`, hub.url), { headers: { cookie } })).json()) as { value: { rows: { name: string; updatedBy: string | null }[] } };
    expect(answer.value.rows.find((row) => row.name === '浮梁人员目录测试有限公司')?.updatedBy).toBe('王小明');
  });

  it("shows in 变更记录 on laptop B who changed a guarded field on laptop A, when, and from what to what; B's audit chain stays valid", async () => {
    const created = await value<EnterpriseDetail>(laptopA.dispatch('enterprises.create', { file: sampleEnterpriseFile('浮梁变更记录测试有限公司', testUscc(302)) }, wang));
    await sync(laptopA);
    await sync(laptopB);
    const file = structuredClone(created.file);
    file.identity.name = '浮梁变更记录测试（更名）有限公司';
    file.flags.negativeList = true;
    const edited = await value<EnterpriseDetail>(laptopA.dispatch('enterprises.update', { id: created.id, version: created.version, file }, wang));
    await sync(laptopA);
    await sync(laptopB);
    const history = await value<{ action: string; userName: string | null; at: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null }[]>(
      laptopB.dispatch('records.history', { recordType: 'enterprises', recordId: created.id }, laptopB.sessions.manager),
    );
    const change = history.find((entry) => entry.action === 'sync_update');
    expect(change).toMatchObject({
      userName: '王小明',
      at: edited.updatedAt,
      before: { name: '浮梁变更记录测试有限公司', negative_list: 0 },
      after: { name: '浮梁变更记录测试（更名）有限公司', negative_list: 1 },
    });
    expect(await value(laptopB.dispatch('audit.verify', {}, laptopB.sessions.admin))).toMatchObject({ ok: true, problems: [] });
  });

  it('follows a rename and a disabled account to the other laptop', async () => {
    const [user] = (await value<User[]>(laptopA.dispatch('users.list', {}, laptopA.sessions.admin))).filter((u) => u.username === 'wangxm');
    await value(laptopA.dispatch('users.update', { id: user!.id, version: user!.version, displayName: '王晓明', disabled: true }, laptopA.sessions.admin));
    await sync(laptopA);
    await sync(laptopB);
    expect(laptopB.store.db.prepare('SELECT display_name, role, active FROM people WHERE id = ?').get(user!.id)).toEqual({ display_name: '王晓明', role: 'loan_officer', active: 0 });
  });

  const joiner = { username: 'zhaoadmin', displayName: '赵管理', password: 'Admin2026ok' };

  it('joins the branch at first run with an enrollment code: the branch from head office, the local administrator, then the branch’s people by name', async () => {
    const fresh = testHost();
    try {
      const session = { sessionId: 'first-run' };
      const { code } = await admin<{ code: string }>(hub, `/admin/branches/${branchId}/enrollment-codes`, {});
      // A bare host:port, as people type it, means http://host:port.
      const state = await value<{ user: User; branch: { id: string; name: string; code: string } }>(
        fresh.dispatch('setup.join', { hubUrl: new URL(hub.url).host, code, deviceName: '新笔记本', admin: joiner }, session),
      );
      expect(state.user).toMatchObject({ username: 'zhaoadmin', role: 'admin' });
      expect(state.branch).toEqual({ id: branchId, name: '浮梁县支行', code: 'FL-PEOPLE', divisionCode: '360222' });
      await value(fresh.dispatch('sync.now', {}, session));
      const [fileOfA] = (await value<{ rows: { id: string; name: string }[] }>(fresh.dispatch('enterprises.list', { filter: { query: '人员目录' } }, session))).rows;
      const filed = await value<EnterpriseDetail>(fresh.dispatch('enterprises.get', { id: fileOfA!.id }, session));
      expect(filed.createdByName).toBe('王晓明'); // renamed on laptop A in the test before
      // …and the first laptop learns the new administrator.
      await sync(laptopA);
      expect(laptopA.store.db.prepare('SELECT display_name FROM people WHERE id = ?').pluck().get(state.user.id)).toBe('赵管理');
      expect(await value(fresh.dispatch('setup.join', { hubUrl: hub.url, code, deviceName: '新笔记本', admin: joiner }, session)).catch((e: Error) => e.message)).toMatch(/ALREADY_INITIALIZED/);
    } finally {
      fresh.cleanup();
    }
  });

  it('says what is wrong with an enrollment, on the field, and sets nothing up', async () => {
    const fresh = testHost();
    const notAHub = createServer((_request, response) => response.end('<html>欢迎</html>'));
    await new Promise<void>((resolve) => notAHub.listen(0, '127.0.0.1', resolve));
    try {
      const session = { sessionId: 'first-run' };
      const join = (hubUrl: string, code = 'ABCD-EFGH-JKLM') => fresh.dispatch('setup.join', { hubUrl, code, deviceName: '新笔记本', admin: joiner }, session);
      const refusal = async (hubUrl: string, code?: string) => {
        const result = await join(hubUrl, code);
        expect(result.ok).toBe(false);
        const error = (result as { error: { code: string; details?: { issues?: { path: string[]; code: string }[] } } }).error;
        return { code: error.code, issues: error.details?.issues?.map((issue) => `${issue.path.join('.')}:${issue.code}`) };
      };
      expect(await refusal(hub.url, 'WRONG-CODE-0000')).toEqual({ code: 'VALIDATION', issues: ['code:ENROLLMENT_INVALID'] });
      expect(await refusal('127.0.0.1:9')).toEqual({ code: 'VALIDATION', issues: ['hubUrl:HUB_UNREACHABLE'] });
      expect(await refusal(`http://127.0.0.1:${(notAHub.address() as { port: number }).port}`)).toEqual({ code: 'VALIDATION', issues: ['hubUrl:HUB_NOT_A_HUB'] });
      expect(await refusal('http//127.0.0.1:8787')).toMatchObject({ code: 'VALIDATION', issues: [expect.stringMatching(/^hubUrl:/)] });
      expect((await fresh.dispatch('setup.join', { hubUrl: 'http//127.0.0.1:8787', code: 'ABCD-EFGH-JKLM', deviceName: 'x', admin: joiner }, session)) as unknown).toMatchObject({
        error: { details: { issues: [{ path: ['hubUrl'], message: 'HUB_URL_FORMAT' }] } },
      });
      expect(await value(fresh.dispatch('setup.status', {}, session))).toEqual({ initialized: false, branch: null });
    } finally {
      notAHub.close();
      fresh.cleanup();
    }
  });
});
