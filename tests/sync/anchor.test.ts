import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostWithUsers, sampleEnterpriseFile, testUscc } from '../../electron/host/testing.ts';
import { readSyncState } from '../../db/syncState.ts';
import { rewriteAuditRow } from '../../db/testing.ts';
import { KEY_FILE } from '../../electron/host/keyfile.ts';
import type { BranchSummary } from '../../shared/sync/admin.ts';
import { admin, branchWithCode, consoleCookie, startHub, type HubProcess } from './hub.ts';

/**
 * Issue 9, L1: the laptop's audit chain anchored at head office. A real hub process, a real laptop
 * host on its encrypted database file, and the rewrite an attacker holding the key would make.
 */
describe('audit chain anchored at head office (real hub process)', () => {
  let hub: HubProcess;
  let laptop: Awaited<ReturnType<typeof hostWithUsers>>;

  beforeAll(async () => {
    hub = await startHub();
    laptop = await hostWithUsers();
    const { enrollmentCode } = await branchWithCode(hub, '浮梁县支行', 'FL-AN');
    expect(await laptop.dispatch('sync.enroll', { hubUrl: hub.url, code: enrollmentCode, deviceName: '锚定测试笔记本' }, laptop.sessions.admin)).toMatchObject({ ok: true, value: { lastError: null } });
  }, 120_000);
  afterAll(async () => {
    laptop?.cleanup();
    await hub?.stop();
  });

  const db = () => laptop.store.db;
  const head = () => db().prepare('SELECT seq, hash FROM audit_head').get() as { seq: number; hash: string };
  const devices = async () => (await admin<{ branches: BranchSummary[] }>(hub, '/admin/branches')).branches.find((branch) => branch.code === 'FL-AN')?.devices ?? [];
  const verify = async () => {
    const answer = await laptop.dispatch('audit.verify', {}, laptop.sessions.admin);
    if (!answer.ok) throw new Error(answer.error.message);
    return answer.value as { ok: boolean; problems: { seq: number; kind: string; message: string }[]; anchor: { seq: number; hash: string } | null };
  };

  it('sends the audit head with each sync; head office keeps it and the laptop stores the acknowledged anchor', async () => {
    const created = await laptop.dispatch('enterprises.create', { file: sampleEnterpriseFile('浮梁锚定测试有限公司', testUscc(701)) }, laptop.sessions.officer);
    expect(created.ok).toBe(true);
    const before = head();
    expect(await laptop.dispatch('sync.now', {}, laptop.sessions.officer)).toMatchObject({ ok: true, value: { lastError: null } });
    const state = readSyncState(db());
    expect({ seq: state.audit_anchor_seq, hash: state.audit_anchor_hash }).toEqual(before);
    const [device] = await devices();
    expect(device?.auditAnchor).toMatchObject(before);
    expect(device?.auditContradictions).toEqual([]);
    expect(await verify()).toMatchObject({ ok: true, anchor: before });
  });

  it('names the anchored seq when a row before it is rewritten with every later hash recomputed — in the host, the CLI and at head office', async () => {
    const anchored = readSyncState(db()).audit_anchor_seq as number;
    // More rows after the anchor, then the attack on row 2 (before it).
    await laptop.dispatch('enterprises.create', { file: sampleEnterpriseFile('浮梁锚定之后有限公司', testUscc(702)) }, laptop.sessions.officer);
    rewriteAuditRow(db(), 2, { username: 'someone-else' });

    const verified = await verify();
    expect(verified.ok).toBe(false);
    expect(verified.problems).toEqual([{ seq: anchored, kind: 'anchor', message: expect.stringContaining(`audit rows up to ${anchored} were rewritten`) }]);

    // The CLI, as IT staff run it on the data directory (the test host keeps its key beside it).
    writeFileSync(join(laptop.ctx.dataDir, KEY_FILE), `${laptop.store.keyHex}\n`, { mode: 0o600 });
    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'electron/host/cli/main.ts', 'verify'], {
      cwd: join(import.meta.dirname, '..', '..'),
      env: { ...process.env, GREENLEDGER_DATA_DIR: laptop.ctx.dataDir },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(cli.status).toBe(2);
    expect(cli.stdout).toContain(`audit row seq ${anchored} [anchor]`);

    // The next sync tells head office: the chain's hash at the anchored seq contradicts its anchor.
    expect(await laptop.dispatch('sync.now', {}, laptop.sessions.officer)).toMatchObject({ ok: true });
    const [device] = await devices();
    expect(device?.auditContradictions).toEqual([expect.objectContaining({ seq: anchored, earlierHash: expect.stringMatching(/^[0-9a-f]{64}$/) })]);
    // …and the laptop does not adopt the rewritten head as its anchor: verify keeps saying so.
    expect(readSyncState(db()).audit_anchor_seq).toBe(anchored);
    expect((await verify()).problems).toContainEqual(expect.objectContaining({ seq: anchored, kind: 'anchor' }));

    // The console's 支行与设备 (its API, which the page draws from) gives the device's anchor and the contradiction.
    const cookie = await consoleCookie(hub);
    const answer = (await (await fetch(new URL('/console/api/branches', hub.url), { headers: { cookie } })).json()) as { value: { branches: BranchSummary[] } };
    const shown = answer.value.branches.find((branch) => branch.code === 'FL-AN')?.devices[0];
    expect(shown?.auditAnchor?.seq).toBeGreaterThan(0);
    expect(shown?.auditContradictions).toEqual([expect.objectContaining({ seq: anchored, earlierHash: expect.stringMatching(/^[0-9a-f]{64}$/) })]);
  });
});
