/**
 * The torture test (issue 10): one real hub process, three real laptop hosts of one branch (real
 * encrypted stores, every write and every sync through the host's own calls — the ones the forms and
 * the 同步 page make), each behind a proxy that makes "offline" real, and head office editing rows
 * on views that went stale. A seeded plan of creates, guarded and low-risk edits, deletes, conflict
 * resolutions and syncs in random order; then everything online until nothing moves, every conflict
 * resolved, and five checks over the laptops' stores and the hub's own records:
 *   1 converged   every row equal on every laptop and the hub, version included
 *   2 ownLabels   a laptop lists as its own ("本机的修改") only conflicts its own edits raised
 *   3 guarded     no guarded value overwritten, without a conflict, by a write that never saw it
 *   4 lowRisk     every low-risk field holds the value of its latest write by HLC; derived columns
 *                 follow the applied name
 *   5 rows        no row lost or doubled, every laptop change logged by the hub exactly once, and
 *                 every laptop's audit chain verifies
 * The plan is a function of the seed alone; a violation names the seed and what broke.
 */
import { sampleEnterpriseFile, testHost, testUscc, type TestHost } from '../../electron/host/testing.ts';
import { seededRandom } from '../../shared/domain/testing.ts';
import { pinyinInitials } from '../../shared/domain/pinyin.ts';
import { enterpriseScales, ownershipTypes } from '../../shared/domain/enterprise.ts';
import { environmentalRatingLevels } from '../../shared/domain/environmentalRating.ts';
import { isGuardedField, syncTables, type SyncTable } from '../../shared/sync/tables.ts';
import { verifyAuditChain } from '../../db/audit.ts';
import { outboxCount } from '../../db/outbox.ts';
import { readSyncState, toColumn } from '../../db/syncState.ts';
import type { CreditDetail, EnterpriseDetail, SessionState, SyncConflict, SyncStatus } from '../../shared/api/index.ts';
import type { Conflict, PushResult } from '../../shared/sync/protocol.ts';
import { admin, branchWithCode, startHub, type HubProcess } from './hub.ts';
import { desktopSyncState, hubSyncStateOn, openHubStorage, syncTableColumns, type SyncState } from './content.ts';
import type { Storage } from '../../server/storage.ts';
import { TestDevice, valueOf } from '../../server/testing/device.ts';
import { startCutProxy, type CutProxy } from './proxy.ts';
import { noOpenCase, registerKinds, registerWork, type RegisterKind } from './registerWork.ts';

export const CHECKS = ['converged', 'ownLabels', 'guarded', 'lowRisk', 'rows'] as const;
export type CheckName = (typeof CHECKS)[number];

export interface TortureReport {
  seed: number;
  operations: number;
  /** Sync cycles run (sync.now), and how many of them could not reach the hub (laptop offline). */
  syncs: number;
  offlineSyncs: number;
  /** Online syncs that failed on a connection the hub had just closed (retried by the next cycle). */
  transientFailures: number;
  conflicts: { raised: number; resolved: number };
  /** Resolutions refused by the hub (already resolved, or decided on a view that went stale). */
  refusedResolutions: number;
  /** Resolutions tried while the laptop was offline (HUB_UNREACHABLE, expected). */
  offlineResolutions: number;
  /** Writes of the other registers the plan made (their rows are compared by check 1 and 5). */
  ledgerWrites: { ratings: number; loans: number; loanBalances: number; creditActs: number } & Record<RegisterKind, number>;
  /** The register writes by step (greenTags.confirm, collateral.approve, cases.verify …): the four-eyes steps show here. */
  registerSteps: Record<string, number>;
  /** Pairs of writes of one row that the checks compared (so a run that compared nothing shows it). */
  compared: { guardedOverwrites: number; lowRiskFields: number; rows: number };
  violations: Record<CheckName, string[]>;
  /** Calls that failed for a reason the plan did not provoke (listed, and failing the run). */
  errors: string[];
  ms: number;
}

type Host = TestHost & { sessions: { admin: { sessionId: string }; manager: { sessionId: string } } };

/** A laptop host with its first-run setup done, its admin and a credit manager signed in (three password hashes, not five). */
async function laptopHost(): Promise<Host> {
  const host = testHost();
  const sessions = { admin: { sessionId: 'admin' }, manager: { sessionId: 'manager' } };
  await host.dispatch(
    'setup.initialize',
    { branch: { name: '浮梁县支行', code: '36022201', divisionCode: '360222' }, admin: { username: 'admin', displayName: '管理员', password: 'Admin2026ok' } },
    sessions.admin,
  );
  await host.dispatch('users.create', { username: 'manager', displayName: '信贷经理', role: 'credit_manager', password: 'Password2026' }, sessions.admin);
  await host.dispatch('session.login', { username: 'manager', password: 'Password2026' }, sessions.manager);
  // The host lets an account made by the administrator do nothing else before its password change.
  await host.dispatch('users.changeOwnPassword', { currentPassword: 'Password2026', newPassword: 'Changed2026' }, sessions.manager);
  return { ...host, sessions };
}

interface Laptop {
  index: number;
  name: string;
  host: Host;
  proxy: CutProxy;
  clientId: string;
  /** The credit manager's id in the branch's people directory (who prepared, made or follows up what). */
  managerId: string;
}

/** What the harness knows about one write it made, to find it in the hub's log afterwards. */
interface Write {
  origin: string;
  /** The hub seq up to which the writer had seen the branch's rows when it wrote. */
  seen: number;
  /** Low-risk fields the writer meant to set. */
  intended: Record<string, unknown>;
}

interface LogEntry {
  client_id: string;
  op_id: number;
  actor: 'device' | 'head-office' | 'resolution';
  table_name: string;
  row_id: string;
  op: 'insert' | 'update' | 'delete';
  fields: Record<string, unknown>;
  base_version: number;
  hlc: string;
  status: string;
  seq: number | null;
  result: PushResult;
}

type Row = Record<string, string | number | null>;

const ONLY_ENTERPRISES = process.env.TORTURE_ONLY_ENTERPRISES === '1';
const NAMES = ['华盛建材', '景德陶瓷', '浮梁茶业', '昌江化工', '瑶里水电', '鹅湖纸业'];
const PEOPLE = ['张建国', '李红梅', '王志强', '赵丽华'];
/** Columns computed from other fields on each side (shared/sync/tables.ts names them where it can). */
const DERIVED = new Set(['name_initials', ...((syncTables.enterprises as SyncTable & { derivedFields?: readonly string[] }).derivedFields ?? [])]);

type Answer<T> = { ok: true; value: T } | { ok: false; code: string; message: string; syncCode?: string };

async function call<T>(host: Host, method: string, input: unknown, session: { sessionId: string }): Promise<Answer<T>> {
  const result = (await host.dispatch(method as never, input as never, session)) as { ok: boolean; value?: T; error?: { code: string; message: string; details?: { syncCode?: unknown } } };
  if (result.ok) return { ok: true, value: result.value as T };
  const syncCode = result.error?.details?.syncCode;
  return { ok: false, code: result.error?.code ?? '?', message: result.error?.message ?? '', ...(typeof syncCode === 'string' ? { syncCode } : {}) };
}

function canonical(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  return `{${Object.keys(value as object)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
    .join(',')}}`;
}
const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);

/** What the checks need of a laptop once its seed is over (its store is gone by the time the hub is read). */
interface LaptopState {
  name: string;
  clientId: string;
  rows: Row[];
  versions: Map<string, number>;
  lastOp: number;
  audit: ReturnType<typeof verifyAuditChain>;
  /** Every sync table's rows (content digests, tests/sync/content.ts) and the columns they have here. */
  synced: SyncState;
  columns: Record<string, string[]>;
}

/** What the checks need of a seed's run, kept until the hub's records can be read. */
interface SeedRun {
  report: TortureReport;
  branchId: string;
  laptops: LaptopState[];
  created: Set<string>;
  deviceWrites: Map<string, Write>;
  headOfficeWrites: Map<number, Write>;
  resolutions: { rowId: string; write: Write }[];
  violation: Violation;
}

/**
 * Runs the seeds one after another against one hub process (its start costs more than a seed), each
 * in a branch of its own with three fresh laptops; the hub's records are read, and every check made,
 * once all seeds have run and the hub has stopped.
 */
export async function runTorture(options: { seeds: number[]; operations: number; log?: (line: string) => void }): Promise<TortureReport[]> {
  const hub: HubProcess = await startHub();
  const runs: SeedRun[] = [];
  try {
    for (const seed of options.seeds) {
      const run = await runSeed(hub, seed, options.operations);
      runs.push(run);
      options.log?.(`seed ${seed}: ${run.report.operations} operations ran in ${(run.report.ms / 1000).toFixed(1)} s`);
    }
    const storage = await openHubStorage(hub);
    try {
      for (const run of runs) await checkSeed(storage, run);
    } finally {
      await storage.close();
    }
  } finally {
    await hub.stop();
  }
  for (const run of runs) options.log?.(summaryLine(run.report));
  return runs.map((run) => run.report);
}

async function runSeed(hub: HubProcess, seed: number, operationCount: number): Promise<SeedRun> {
  const started = performance.now();
  const random = seededRandom(seed);
  const chance = (p: number) => random() < p;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const report: TortureReport = {
    seed,
    operations: 0,
    syncs: 0,
    offlineSyncs: 0,
    transientFailures: 0,
    conflicts: { raised: 0, resolved: 0 },
    refusedResolutions: 0,
    offlineResolutions: 0,
    ledgerWrites: { ratings: 0, loans: 0, loanBalances: 0, creditActs: 0, ...(Object.fromEntries(registerKinds.map((kind) => [kind, 0])) as Record<RegisterKind, number>) },
    registerSteps: {},
    compared: { guardedOverwrites: 0, lowRiskFields: 0, rows: 0 },
    violations: { converged: [], ownLabels: [], guarded: [], lowRisk: [], rows: [] },
    errors: [],
    ms: 0,
  };
  const violation = (check: CheckName, text: string) => {
    if (report.violations[check].length < 50) report.violations[check].push(`seed ${seed}: ${text}`);
  };
  const error = (text: string) => {
    if (report.errors.length < 50) report.errors.push(`seed ${seed} op ${report.operations}: ${text}`);
  };

  const laptops: Laptop[] = [];
  try {
    const branch = await branchWithCode(hub, '浮梁县支行', `TORTURE-${seed}-${Date.now().toString(36)}`);
    for (let index = 0; index < 3; index += 1) {
      const host = await laptopHost();
      const proxy = await startCutProxy(hub.url);
      const name = `笔记本${'ABC'[index]}`;
      const { code } = await admin<{ code: string }>(hub, `/admin/branches/${branch.branchId}/enrollment-codes`, {});
      const enrolled = await call<SyncStatus>(host, 'sync.enroll', { hubUrl: proxy.url, code, deviceName: name }, host.sessions.admin);
      if (!enrolled.ok) throw new Error(`enrolling ${name}: ${enrolled.code} ${enrolled.message}`);
      // Only the plan syncs: no timer of the host in between.
      host.ctx.sync.stop();
      const me = await call<SessionState>(host, 'session.get', {}, host.sessions.manager);
      if (!me.ok || me.value.user === null) throw new Error(`${name}: no credit manager signed in`);
      laptops.push({ index, name, host, proxy, clientId: host.store.clientId, managerId: me.value.user.id });
    }

    // Head office's view: what its console showed when it last looked (a pull of the branch by a
    // device of its own, straight to the hub), and the seq that view was current at.
    const headOffice = { device: await TestDevice.enroll(hub.url, hub.adminToken, branch.branchId, '总行视图'), view: new Map<string, { version: number; data: Record<string, unknown> }>(), seen: 0 };
    valueOf(await headOffice.device.hello());
    const refreshHeadOffice = async () => {
      await headOffice.device.pull(500);
      for (const [key, row] of headOffice.device.rows) if (key.startsWith('enterprises/')) headOffice.view.set(key.slice('enterprises/'.length), { version: row.version, data: row.data });
      headOffice.seen = headOffice.device.checkpoint;
    };

    const created = new Set<string>();
    const deviceWrites = new Map<string, Write>(); // `${clientId}/${opId}`
    const headOfficeWrites = new Map<number, Write>(); // by the seq the hub answered
    const resolutions: { rowId: string; write: Write }[] = [];
    /**
     * Per laptop and row: the seq of the last resolution it made there. A resolution brings its row
     * back to the laptop as it left it (the hub's answer, applied at once) while the laptop's
     * checkpoint stays behind until its next pull: what the laptop writes on that row next, or
     * decides on it next, was made on a view that had seen the resolution.
     */
    const resolvedSeen = new Map<string, number>();
    const seenOf = (laptop: Laptop, rowId: string | undefined) => Math.max(checkpointOf(laptop), rowId === undefined ? 0 : (resolvedSeen.get(`${laptop.name}/${rowId}`) ?? 0));
    let serial = seed * 10_000;

    const lastOpId = (laptop: Laptop) => (laptop.host.store.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").pluck().get() as number | undefined) ?? 0;
    const checkpointOf = (laptop: Laptop) => readSyncState(laptop.host.store.db).checkpoint;
    /** Records the device write the last host call made (if it wrote one). */
    const recordWrite = (laptop: Laptop, before: number, intended: Record<string, unknown>, rowId?: string) => {
      const opId = lastOpId(laptop);
      if (opId === before) return;
      deviceWrites.set(`${laptop.clientId}/${opId}`, { origin: laptop.name, seen: seenOf(laptop, rowId), intended });
    };
    const liveIds = (laptop: Laptop) => laptop.host.store.db.prepare('SELECT id FROM enterprises WHERE deleted_at IS NULL ORDER BY id').pluck().all() as string[];

    const sync = async (laptop: Laptop) => {
      report.syncs += 1;
      const status = await call<SyncStatus>(laptop.host, 'sync.now', {}, laptop.host.sessions.manager);
      if (!status.ok) return error(`${laptop.name} sync.now: ${status.code} ${status.message}`);
      const lastError = status.value.lastError;
      if (lastError === null) return;
      if (!laptop.proxy.online && lastError.code === 'HUB_UNREACHABLE') report.offlineSyncs += 1;
      // A pooled keep-alive connection the hub closed as it was reused: the next cycle retries it.
      else if (lastError.code === 'HUB_UNREACHABLE' && /other side closed|ECONNRESET/.test(lastError.message)) report.transientFailures += 1;
      else error(`${laptop.name} sync failed online: ${lastError.code} ${lastError.message}`);
    };

    /** Check 2, each time a laptop lists its conflicts: the ones it calls its own are its own. */
    const listConflicts = async (laptop: Laptop): Promise<SyncConflict[]> => {
      const listed = await call<SyncConflict[]>(laptop.host, 'sync.conflicts', {}, laptop.host.sessions.manager);
      if (!listed.ok) {
        error(`${laptop.name} sync.conflicts: ${listed.code} ${listed.message}`);
        return [];
      }
      for (const conflict of listed.value) {
        const stored = laptop.host.store.db.prepare('SELECT conflict FROM sync_conflicts WHERE id = ?').pluck().get(conflict.id) as string | undefined;
        const mine = stored === undefined ? undefined : (JSON.parse(stored) as Conflict).mine;
        if (shownAsOwn(conflict) && mine?.clientId !== laptop.clientId) {
          violation('ownLabels', `${laptop.name} lists conflict ${conflict.id} on ${conflict.rowId} as its own edit (${JSON.stringify(conflict.mine)}), made by ${mine?.clientId === 'hub' ? 'head office' : (laptops.find((l) => l.clientId === mine?.clientId)?.name ?? mine?.clientId)}`);
        }
      }
      return listed.value;
    };

    /** A person on this laptop decides one conflict the 同步 page offers, the way the page does it. */
    const resolve = async (laptop: Laptop, conflict: SyncConflict, choice: 'mine' | 'theirs' | 'edit') => {
      // 「修改后保留」 edits the values of a held edit; a held delete is kept or dropped, never edited.
      if (choice === 'edit' && 'deleted_at' in conflict.mine) choice = 'mine';
      const fields = choice === 'edit' ? Object.fromEntries(Object.entries(conflict.mine).map(([field, value]) => [field, editedValue(field, value, random)])) : undefined;
      const seen = seenOf(laptop, conflict.rowId);
      // The decision is based on what the page showed: the version of "theirs" (where the page has one).
      const shown = (conflict as SyncConflict & { theirsVersion?: number }).theirsVersion;
      const input = { id: conflict.id, choice, ...(fields === undefined ? {} : { fields }), ...(shown === undefined ? {} : { expectedVersion: shown }) };
      const answer = await call<unknown>(laptop.host, 'sync.resolve', input, laptop.host.sessions.manager);
      if (!answer.ok) {
        if (answer.code === 'CONFLICT' || answer.code === 'NOT_FOUND') report.refusedResolutions += 1;
        // Offline, the 同步 page's decision cannot reach head office: expected, the person tries again later.
        else if (answer.code === 'HUB_ERROR' && answer.syncCode === 'HUB_UNREACHABLE' && !laptop.proxy.online) report.offlineResolutions += 1;
        // A pooled keep-alive connection the hub closed as it was reused, as for a sync: nothing reached
        // the hub, the conflict stays open and is decided again in a later round.
        else if (answer.code === 'HUB_ERROR' && answer.syncCode === 'HUB_UNREACHABLE' && /other side closed|ECONNRESET/.test(answer.message)) report.transientFailures += 1;
        else error(`${laptop.name} sync.resolve ${choice}: ${answer.code} ${answer.syncCode ?? ''} ${answer.message}`);
        return;
      }
      resolutions.push({ rowId: conflict.rowId, write: { origin: laptop.name, seen, intended: {} } });
      const stored = laptop.host.store.db.prepare('SELECT conflict FROM sync_conflicts WHERE id = ?').pluck().get(conflict.id) as string | undefined;
      if (stored !== undefined) resolvedSeen.set(`${laptop.name}/${conflict.rowId}`, (JSON.parse(stored) as Conflict).seq);
    };

    const operations: Record<string, { weight: number; run: (on?: Laptop) => Promise<void> }> = {
      create: {
        weight: 5,
        run: async (on?: Laptop) => {
          const laptop = on ?? pick(laptops);
          serial += 1;
          const name = `${pick(NAMES)}${serial}有限公司`;
          const before = lastOpId(laptop);
          const answer = await call<EnterpriseDetail>(laptop.host, 'enterprises.create', { file: sampleEnterpriseFile(name, testUscc(serial)) }, laptop.host.sessions.manager);
          if (!answer.ok) return error(`${laptop.name} create: ${answer.code} ${answer.message}`);
          created.add(answer.value.id);
          recordWrite(laptop, before, {});
        },
      },
      guardedEdit: {
        weight: 22,
        run: async () => {
          const laptop = pick(laptops);
          const id = pickRow(laptop);
          if (id === undefined) return;
          const detail = await call<EnterpriseDetail>(laptop.host, 'enterprises.get', { id }, laptop.host.sessions.manager);
          if (!detail.ok) return error(`${laptop.name} get: ${detail.code}`);
          const identity = { ...detail.value.file.identity };
          const what = pick(['scale', 'ownership', 'legalRepresentative', 'name'] as const);
          if (what === 'scale') identity.scale = pick(enterpriseScales);
          else if (what === 'ownership') identity.ownership = pick(ownershipTypes);
          else if (what === 'legalRepresentative') identity.legalRepresentative = pick(PEOPLE);
          else identity.name = `${pick(NAMES)}${serial + Math.floor(random() * 5)}有限公司`;
          const before = lastOpId(laptop);
          const answer = await call(laptop.host, 'enterprises.update', { id, version: detail.value.version, file: { ...detail.value.file, identity } }, laptop.host.sessions.manager);
          if (!answer.ok) return error(`${laptop.name} guarded edit: ${answer.code} ${answer.message}`);
          recordWrite(laptop, before, {}, id);
        },
      },
      lowRiskEdit: {
        weight: 16,
        run: async () => {
          const laptop = pick(laptops);
          const id = pickRow(laptop);
          if (id === undefined) return;
          const detail = await call<EnterpriseDetail>(laptop.host, 'enterprises.get', { id }, laptop.host.sessions.manager);
          if (!detail.ok) return error(`${laptop.name} get: ${detail.code}`);
          const held = detail.value.file.identity;
          const identity = { ...held };
          const chosen: Record<string, unknown> = {};
          if (chance(0.6)) chosen.address = identity.address = `浮梁县工业园区 ${Math.floor(random() * 400)} 号`;
          if (chance(0.5) || Object.keys(chosen).length === 0) chosen.employees = identity.employees = 10 + Math.floor(random() * 3000);
          // A value the laptop already holds is no write of the field (the laptop sends only what
          // changed): it stands for the write that set it. Seed 9 drew 「396 号」 for A's address
          // twice; the second edit carried only the employees, and check 4 had called the address lost.
          const intended = Object.fromEntries(Object.entries(chosen).filter(([field, value]) => !same(held[field as keyof typeof held], value)));
          const before = lastOpId(laptop);
          const answer = await call(laptop.host, 'enterprises.update', { id, version: detail.value.version, file: { ...detail.value.file, identity } }, laptop.host.sessions.manager);
          if (!answer.ok) return error(`${laptop.name} low-risk edit: ${answer.code} ${answer.message}`);
          recordWrite(laptop, before, intended, id);
        },
      },
      headOfficeEdit: {
        weight: 10,
        run: async () => {
          const ids = [...headOffice.view.keys()].filter((id) => headOffice.view.get(id)?.data.deleted_at == null).sort();
          if (ids.length === 0) return;
          const id = chance(0.7) ? pick(ids.slice(0, 5)) : pick(ids);
          const seenRow = headOffice.view.get(id) as { version: number };
          const fields: Record<string, unknown> = {};
          if (chance(0.6)) fields.scale = pick(enterpriseScales);
          if (chance(0.4)) fields.legal_representative = pick(PEOPLE);
          if (chance(0.5) || Object.keys(fields).length === 0) fields.contacts = JSON.stringify([{ name: `总行${report.operations}`, phone: '13800000000' }]);
          const edited = await admin<{ result: PushResult }>(hub, `/admin/rows/${branch.branchId}/enterprises/${id}`, { fields, baseVersion: seenRow.version, userId: 'head-office-torture' }).catch(
            (failure: unknown) => ({ failure: String(failure) }),
          );
          if ('failure' in edited) return error(`head-office edit: ${edited.failure}`);
          if (edited.result.serverSeq !== undefined) headOfficeWrites.set(edited.result.serverSeq, { origin: 'head office', seen: headOffice.seen, intended: 'contacts' in fields ? { contacts: fields.contacts } : {} });
        },
      },
      headOfficeLooks: { weight: 4, run: refreshHeadOffice },
      rating: {
        weight: ONLY_ENTERPRISES ? 0 : 4,
        run: async () => {
          const laptop = pick(laptops);
          const id = pickRow(laptop);
          if (id === undefined) return;
          const entry = { level: pick(environmentalRatingLevels), bureau: '景德镇市生态环境局', ratedOn: `${pick(['2024', '2025', '2026'])}-${pick(['03', '06', '09'])}-30` };
          const answer = await call(laptop.host, 'enterprises.addRating', { enterpriseId: id, entry }, laptop.host.sessions.manager);
          if (!answer.ok) return error(`${laptop.name} add rating: ${answer.code} ${answer.message}`);
          report.ledgerWrites.ratings += 1;
        },
      },
      loan: { weight: ONLY_ENTERPRISES ? 0 : 5, run: () => loanWork(pick(laptops)) },
      credit: { weight: ONLY_ENTERPRISES ? 0 : 4, run: () => creditWork(pick(laptops)) },
      // Green tags, green-factory projects, collateral items, rectification cases (tests/sync/registerWork.ts).
      registers: {
        weight: ONLY_ENTERPRISES ? 0 : 24,
        run: async () => {
          const laptop = pick(laptops);
          serial += 1;
          const outcome = await registerWork({ host: laptop.host, session: laptop.host.sessions.manager, userId: laptop.managerId }, random, serial);
          if (outcome === undefined) return;
          if ('failure' in outcome) return error(`${laptop.name} ${outcome.kind}: ${outcome.failure}`);
          report.ledgerWrites[outcome.kind] += 1;
          const step = `${outcome.kind}.${outcome.step}`;
          report.registerSteps[step] = (report.registerSteps[step] ?? 0) + 1;
        },
      },
      remove: {
        weight: 3,
        run: async () => {
          const laptop = pick(laptops);
          const id = pickRow(laptop);
          if (id === undefined) return;
          const version = laptop.host.store.db.prepare('SELECT version FROM enterprises WHERE id = ?').pluck().get(id) as number;
          const before = lastOpId(laptop);
          const answer = await call(laptop.host, 'enterprises.remove', { id, version, reason: '两台笔记本重复建档' }, laptop.host.sessions.manager);
          if (!answer.ok) return error(`${laptop.name} remove: ${answer.code} ${answer.message}`);
          recordWrite(laptop, before, {}, id);
        },
      },
      resolve: {
        weight: 10,
        run: async () => {
          const laptop = pick(laptops);
          const open = await listConflicts(laptop);
          const offered = open.filter((conflict) => mayResolve(conflict));
          if (offered.length === 0) return;
          await resolve(laptop, pick(offered), pick(['mine', 'theirs', 'edit'] as const));
        },
      },
      sync: { weight: 22, run: () => sync(pick(laptops)) },
      network: {
        weight: 10,
        run: async () => {
          const laptop = pick(laptops);
          laptop.proxy.setOnline(!laptop.proxy.online);
        },
      },
    };
    /**
     * A loan entered on a live file, or the next month-end balance of a loan any laptop holds: two
     * laptops entering one loan's balances offline meet on its guarded balance (a conflict).
     */
    const loanMonths = new Map<string, number>();
    const loanWork = async (laptop: Laptop) => {
      const db = laptop.host.store.db;
      const monthEnd = (month: number) => new Date(Date.UTC(2025, month + 1, 0)).toISOString().slice(0, 10);
      const loans = db.prepare("SELECT id FROM loans WHERE deleted_at IS NULL AND status = 'outstanding' ORDER BY id").pluck().all() as string[];
      if (loans.length > 0 && chance(0.6)) {
        const loanId = pick(loans);
        // Never dated before the newest balance (the host's rule), whichever laptop entered it.
        const month = Math.max(loanMonths.get(loanId) ?? 2, ...(db.prepare('SELECT as_of FROM loan_snapshots WHERE loan_id = ?').pluck().all(loanId) as string[]).map((day) => (Number(day.slice(0, 4)) - 2025) * 12 + Number(day.slice(5, 7)) - 1)) + 1;
        loanMonths.set(loanId, month);
        const snapshot = { asOf: monthEnd(month), balance: Math.max(0, 500_000_00 - month * 10_000_00), classification: pick(['normal', 'normal', 'special_mention'] as const) };
        const answer = await call(laptop.host, 'loans.recordSnapshot', { loanId, snapshot }, laptop.host.sessions.manager);
        if (!answer.ok) return error(`${laptop.name} loan balance: ${answer.code} ${answer.message}`);
        report.ledgerWrites.loanBalances += 1;
        return;
      }
      const enterpriseId = pickRow(laptop);
      if (enterpriseId === undefined) return;
      serial += 1;
      const loan = {
        loanNumber: `JK${laptop.index}-${serial}`,
        enterpriseId,
        amount: 500_000_00,
        balance: 500_000_00,
        balanceAsOf: monthEnd(2),
        disbursedOn: '2025-03-01',
        maturesOn: '2027-02-28',
        rateBp: 345,
        classification: 'normal',
        guaranteeMode: 'environmental_rights_pledge',
        status: 'outstanding',
        purpose: '购买节能设备',
      };
      const answer = await call(laptop.host, 'loans.create', { loan }, laptop.host.sessions.manager);
      if (!answer.ok) return error(`${laptop.name} loan: ${answer.code} ${answer.message}`);
      report.ledgerWrites.loans += 1;
    };

    /**
     * A credit application opened on a live file by this laptop's manager (its investigator), its
     * terms edited, then submitted — each application worked on by the laptop that opened it only
     * (the host lets only the investigator edit it), so its rows meet the others' offline and
     * online syncs and head office's view, never a workflow clash the plan made on purpose.
     */
    const creditWork = async (laptop: Laptop) => {
      const db = laptop.host.store.db;
      const session = laptop.host.sessions.manager;
      const me = await call<SessionState>(laptop.host, 'session.get', {}, session);
      if (!me.ok || me.value.user === null) return error(`${laptop.name} session.get: ${me.ok ? 'signed out' : me.code}`);
      // Not one whose enterprise a laptop deleted meanwhile: the host refuses to work on it (NOT_FOUND);
      // nor one with an open rectification case: the gate asks for another manager's override.
      const mine = db
        .prepare(`SELECT id FROM credit_applications WHERE deleted_at IS NULL AND status = 'investigation' AND investigator_id = ? AND enterprise_id IN (SELECT id FROM enterprises WHERE deleted_at IS NULL) AND ${noOpenCase('enterprise_id')} ORDER BY id`)
        .all(me.value.user.id) as { id: string }[];
      if (mine.length > 0 && chance(0.6)) {
        const application = pick(mine);
        const detail = await call<CreditDetail>(laptop.host, 'credit.get', { id: application.id }, session);
        if (!detail.ok) return error(`${laptop.name} credit.get: ${detail.code}`);
        const answer = chance(0.5)
          ? await call(laptop.host, 'credit.update', { id: application.id, version: detail.value.version, terms: { ...detail.value.terms, amountFen: 100_000_000 + Math.floor(random() * 100) * 1_000_000 }, notes: `调整${report.operations}` }, session)
          : await call(laptop.host, 'credit.act', { id: application.id, version: detail.value.version, action: 'submit', opinion: '经实地调查，建议授信' }, session);
        if (!answer.ok) return error(`${laptop.name} credit work: ${answer.code} ${answer.message}`);
        report.ledgerWrites.creditActs += 1;
        return;
      }
      const enterpriseId = pickRow(laptop);
      if (enterpriseId === undefined || db.prepare(`SELECT 1 FROM enterprises WHERE id = ? AND ${noOpenCase('id')}`).get(enterpriseId) === undefined) return;
      // A rating newer than any the plan adds, so the credit gate lets the application through.
      const rated = await call(laptop.host, 'enterprises.addRating', { enterpriseId, entry: { level: 'green', bureau: '景德镇市生态环境局', ratedOn: '2026-11-30' } }, session);
      if (!rated.ok) return error(`${laptop.name} add rating: ${rated.code} ${rated.message}`);
      const terms = { enterpriseId, product: 'working_capital', amountFen: 150_000_000, termMonths: 12, rateBp: 420, purpose: '购买原材料', purposeKind: 'general', guaranteeMode: 'guarantee', greenProject: false, project: null };
      const answer = await call(laptop.host, 'credit.create', { terms }, session);
      if (!answer.ok) return error(`${laptop.name} credit.create: ${answer.code} ${answer.message}`);
      report.ledgerWrites.creditActs += 1;
    };

    /** Mostly one of a few hot rows, so that laptops and head office meet on them. */
    function pickRow(laptop: Laptop): string | undefined {
      const ids = liveIds(laptop);
      if (ids.length === 0) return undefined;
      return chance(0.7) ? pick(ids.slice(0, 5)) : pick(ids);
    }
    const plan = Object.values(operations);
    const totalWeight = plan.reduce((sum, op) => sum + op.weight, 0);

    // Each laptop files two enterprises and everyone syncs: the rows all of them know, and meet on.
    for (const laptop of laptops) for (let i = 0; i < 2; i += 1) await operations.create?.run(laptop);
    for (const laptop of [...laptops, ...laptops]) await sync(laptop);
    await refreshHeadOffice();

    for (report.operations = 0; report.operations < operationCount; report.operations += 1) {
      let draw = random() * totalWeight;
      const op = plan.find((candidate) => (draw -= candidate.weight) < 0) ?? (plan[0] as (typeof plan)[number]);
      await op.run();
    }

    // ——— quiescence: everyone online, sync in random order until nothing moves, decide every conflict ———
    for (const laptop of laptops) laptop.proxy.setOnline(true);
    let settled = false;
    for (let round = 0; round < 25 && !settled; round += 1) {
      const order = [...laptops].sort(() => random() - 0.5);
      let open = 0;
      for (const laptop of order) {
        await sync(laptop);
        const listed = await listConflicts(laptop);
        open += listed.length;
        for (const conflict of listed.filter((c) => mayResolve(c))) await resolve(laptop, conflict, pick(['mine', 'theirs', 'edit'] as const));
      }
      for (const laptop of order) await sync(laptop);
      const pending = laptops.reduce((sum, laptop) => sum + outboxCount(laptop.host.store.db), 0);
      const checkpoints = new Set(laptops.map(checkpointOf));
      settled = open === 0 && pending === 0 && checkpoints.size === 1;
    }
    if (!settled) violation('converged', 'the laptops did not settle in 25 rounds (open conflicts, pending changes or differing checkpoints remain)');
    for (const laptop of laptops) await listConflicts(laptop);

    const states: LaptopState[] = laptops.map((laptop) => {
      const db = laptop.host.store.db;
      return {
        name: laptop.name,
        clientId: laptop.clientId,
        rows: db.prepare('SELECT * FROM enterprises').all() as Row[],
        versions: new Map((db.prepare("SELECT row_id, version FROM sync_versions WHERE table_name = 'enterprises'").all() as { row_id: string; version: number }[]).map((r) => [r.row_id, r.version])),
        lastOp: lastOpId(laptop),
        audit: verifyAuditChain(db),
        synced: desktopSyncState(db),
        columns: syncTableColumns(db),
      };
    });
    report.ms = performance.now() - started;
    return { report, branchId: branch.branchId, laptops: states, created, deviceWrites, headOfficeWrites, resolutions, violation };
  } finally {
    for (const laptop of laptops) {
      await laptop.proxy.close();
      laptop.host.cleanup();
    }
  }
}

async function checkSeed(storage: Storage, run: SeedRun): Promise<void> {
  const { report, branchId, violation } = run;
  const hubRows = await storage.query<HubRow & { table_name: string }>(
    'SELECT row_id::text AS row_id, table_name, version, deleted, data, field_hlc FROM sync_rows WHERE branch_id = $1',
    [branchId],
  );
  const log = (
    await storage.query<LogEntry>(
      `SELECT client_id, op_id, actor, table_name, row_id::text AS row_id, op, fields, base_version, hlc, status, seq, result
       FROM sync_changes WHERE branch_id = $1 ORDER BY seq NULLS LAST, received_at`,
      [branchId],
    )
  ).map((entry) => ({ ...entry, op_id: Number(entry.op_id), seq: entry.seq === null ? null : Number(entry.seq) }));
  const [counts] = await storage.query<{ raised: number; resolved: number }>(
    "SELECT count(*)::int AS raised, (count(*) FILTER (WHERE status = 'resolved'))::int AS resolved FROM sync_conflicts WHERE branch_id = $1",
    [branchId],
  );
  report.conflicts = { raised: counts?.raised ?? 0, resolved: counts?.resolved ?? 0 };
  // Every step the plan takes is one its host allowed (four-eyes by another laptop's person): a change
  // the hub refuses is a call that failed, named with the rule it broke.
  for (const entry of log.filter((e) => e.status === 'rejected')) {
    const who = run.laptops.find((laptop) => laptop.clientId === entry.client_id)?.name ?? entry.client_id;
    const { issues } = entry.result as PushResult & { issues?: { field?: string; rule?: string }[] };
    report.errors.push(`seed ${report.seed}: the hub refused ${who}'s ${entry.op} of ${entry.table_name} ${entry.row_id} (op ${entry.op_id}, base ${entry.base_version}): ${entry.result.reason ?? '?'} ${JSON.stringify(issues ?? [])} fields ${Object.keys(entry.fields).join(',')}`);
  }
  if (report.conflicts.raised !== report.conflicts.resolved) violation('converged', `${report.conflicts.raised - report.conflicts.resolved} conflicts still open at the hub`);
  const enterprises = new Map(hubRows.filter((row) => row.table_name === 'enterprises').map((row) => [row.row_id, row]));
  checkConverged(run.laptops, enterprises, violation, report);
  // Every other register (ratings, loans and their balances, credit applications and their steps,
  // the people directory) and every row version, table by table, as the hub holds them.
  const hubState = await hubSyncStateOn(storage, branchId, run.laptops[0]?.columns ?? {});
  for (const laptop of run.laptops) {
    for (const [table, digest] of Object.entries(hubState)) {
      const held = laptop.synced[table];
      if (held?.hash !== digest.hash) violation('converged', `${laptop.name}: its ${table} differ from the hub's (${held?.rows ?? 0} rows here, ${digest.rows} at the hub)`);
    }
  }
  checkRows(run.laptops, enterprises, run.created, log, run.deviceWrites, violation);
  const writes = attributeWrites(log, run.laptops, run.deviceWrites, run.headOfficeWrites, run.resolutions, violation);
  checkGuarded(writes, violation, report);
  checkLowRisk(run.laptops, enterprises, writes, violation, report);
  if (process.env.TORTURE_DUMP) {
    const rowsNamed = new Set(CHECKS.flatMap((check) => report.violations[check]).flatMap((text) => text.match(/[0-9a-f]{8}-[0-9a-f-]{27}/g) ?? []));
    for (const rowId of rowsNamed) {
      console.log(`— log of row ${rowId}`);
      for (const entry of log.filter((e) => e.row_id === rowId)) console.log(JSON.stringify({ seq: entry.seq, client: run.laptops.find((l) => l.clientId === entry.client_id)?.name ?? entry.client_id, op_id: entry.op_id, actor: entry.actor, op: entry.op, base: entry.base_version, hlc: entry.hlc, status: entry.status, fields: entry.fields, result: entry.result }));
      console.log(JSON.stringify(enterprises.get(rowId)));
    }
  }
}

/**
 * Who may decide a conflict on this laptop: the 同步 page offers the laptop's own conflicts and
 * head office's held edits; another laptop's held edit is that laptop's to decide.
 */
function mayResolve(conflict: SyncConflict): boolean {
  const listed = conflict as SyncConflict & { mayResolve?: boolean };
  return listed.mayResolve ?? shownAsOwn(conflict);
}

/**
 * Whether the page shows the held edit as this laptop's own (「本机的修改」): a conflict that does not
 * say whose it is (heldFor) is shown as the laptop's own.
 */
function shownAsOwn(conflict: SyncConflict): boolean {
  const heldFor = (conflict as SyncConflict & { heldFor?: string }).heldFor;
  return heldFor === undefined || heldFor === 'this';
}

/** A person's own value for a held field (the ones the plan edits); any other field keeps the held value. */
function editedValue(field: string, held: unknown, random: () => number): string | number | boolean | null {
  if (field === 'scale') return enterpriseScales[Math.floor(random() * enterpriseScales.length)] as string;
  if (field === 'ownership') return ownershipTypes[Math.floor(random() * ownershipTypes.length)] as string;
  if (field === 'name') return `${NAMES[Math.floor(random() * NAMES.length)]}协商${Math.floor(random() * 100)}有限公司`;
  if (field === 'legal_representative') return PEOPLE[Math.floor(random() * PEOPLE.length)] as string;
  return held as string | number | boolean | null;
}

type Violation = (check: CheckName, text: string) => void;
type HubRow = { row_id: string; version: number; deleted: boolean; data: Record<string, unknown>; field_hlc: Record<string, string> };

/** Check 1: every laptop holds every row exactly as the hub does — each column, the version, the deletion. */
function checkConverged(laptops: LaptopState[], hubRows: Map<string, HubRow>, violation: Violation, report: TortureReport): void {
  for (const [id, row] of hubRows) {
    if (row.deleted !== (row.data.deleted_at != null)) violation('converged', `hub row ${id}: deleted=${row.deleted} but data.deleted_at=${JSON.stringify(row.data.deleted_at)}`);
  }
  for (const laptop of laptops) {
    const { versions } = laptop;
    for (const row of laptop.rows) {
      const id = String(row.id);
      const hubRow = hubRows.get(id);
      if (hubRow === undefined) continue; // check 5 names it
      report.compared.rows += 1;
      const differing: string[] = [];
      for (const [column, value] of Object.entries(row)) {
        if (column === 'id') continue;
        const want = column === 'version' ? hubRow.version : toColumn(hubRow.data[column] ?? null);
        if (value !== want) differing.push(`${column}: laptop ${JSON.stringify(value)} hub ${JSON.stringify(want)}`);
      }
      if (versions.get(id) !== hubRow.version) differing.push(`sync_versions: laptop ${versions.get(id)} hub ${hubRow.version}`);
      if (differing.length > 0) violation('converged', `${laptop.name} row ${id} differs from the hub: ${differing.slice(0, 4).join('; ')}`);
    }
  }
}

/** Check 5: no row lost or doubled anywhere, every laptop change in the hub's log exactly once, audit chains whole. */
function checkRows(laptops: LaptopState[], hubRows: Map<string, HubRow>, created: Set<string>, log: LogEntry[], deviceWrites: Map<string, Write>, violation: Violation): void {
  for (const id of created) if (!hubRows.has(id)) violation('rows', `created row ${id} is missing at the hub`);
  for (const id of hubRows.keys()) if (!created.has(id)) violation('rows', `hub holds an enterprise ${id} nobody created`);
  for (const laptop of laptops) {
    const ids = laptop.rows.map((row) => String(row.id));
    const held = new Set(ids);
    if (held.size !== ids.length) violation('rows', `${laptop.name} holds an enterprise twice`);
    for (const id of created) if (!held.has(id)) violation('rows', `${laptop.name} lacks created row ${id}`);
    for (const id of held) if (!created.has(id)) violation('rows', `${laptop.name} holds an enterprise ${id} nobody created`);
    const usccs = laptop.rows.filter((row) => row.deleted_at === null).map((row) => row.uscc);
    if (new Set(usccs).size !== usccs.length) violation('rows', `${laptop.name} has two live files with one USCC`);
    const ops = log.filter((entry) => entry.client_id === laptop.clientId).map((entry) => entry.op_id);
    const { lastOp, audit } = laptop;
    const distinct = new Set(ops);
    if (distinct.size !== ops.length) violation('rows', `${laptop.name}: the hub logged ${ops.length - distinct.size} of its changes twice`);
    for (let op = 1; op <= lastOp; op += 1) if (!distinct.has(op)) violation('rows', `${laptop.name}: change ${op} never reached the hub's log`);
    for (const key of deviceWrites.keys()) {
      const [clientId, op] = key.split('/');
      if (clientId === laptop.clientId && !distinct.has(Number(op))) violation('rows', `${laptop.name}: recorded write ${op} is not in the hub's log`);
    }
    if (!audit.ok) violation('rows', `${laptop.name}: audit chain does not verify: ${JSON.stringify(audit.problems.slice(0, 3))}`);
  }
}

interface AttributedWrite {
  rowId: string;
  seq: number;
  origin: string;
  seen: number;
  /** Guarded fields the hub applied from this write (held ones left out). */
  guarded: Record<string, unknown>;
  lowRisk: Record<string, unknown>;
  hlc: string;
  intended: Record<string, unknown>;
  describe: string;
}

/** Pairs the hub's log with what the harness knows of each write: its origin and what it had seen. */
function attributeWrites(
  log: LogEntry[],
  laptops: LaptopState[],
  deviceWrites: Map<string, Write>,
  headOfficeWrites: Map<number, Write>,
  resolutions: { rowId: string; write: Write }[],
  violation: Violation,
): AttributedWrite[] {
  const writes: AttributedWrite[] = [];
  const resolutionQueue = new Map<string, Write[]>();
  for (const resolution of resolutions) resolutionQueue.set(resolution.rowId, [...(resolutionQueue.get(resolution.rowId) ?? []), resolution.write]);
  const names = new Map(laptops.map((laptop) => [laptop.clientId, laptop.name]));
  for (const entry of log) {
    if (entry.status === 'rejected' || entry.seq === null) continue;
    // Checks 3 and 4 compare the enterprises' writes; the other registers' rows are compared whole
    // (check 1), and a decision on one of them is still one the harness made (check 5).
    if (entry.table_name !== 'enterprises') {
      if (entry.actor === 'resolution' && resolutionQueue.get(entry.row_id)?.shift() === undefined) violation('rows', `the hub logged a resolution (seq ${entry.seq}, ${entry.table_name} ${entry.row_id}) that nobody made`);
      continue;
    }
    let write: Write | undefined;
    if (entry.actor === 'device') {
      write = deviceWrites.get(`${entry.client_id}/${entry.op_id}`);
      // A write of the plan's own that the harness did not record (e.g. a rating's side effect) still
      // counts, as one that saw nothing beyond its base.
      write ??= { origin: names.get(entry.client_id) ?? entry.client_id, seen: 0, intended: {} };
    } else if (entry.actor === 'head-office') {
      write = headOfficeWrites.get(entry.seq);
    } else {
      write = resolutionQueue.get(entry.row_id)?.shift();
    }
    if (write === undefined) {
      violation('rows', `the hub logged a ${entry.actor} write (seq ${entry.seq}, row ${entry.row_id}) that nobody made`);
      continue;
    }
    const held = new Set(entry.result.heldFields ?? []);
    const heldAll = entry.status === 'conflict' && (entry.op === 'delete' || entry.result.heldFields === undefined);
    const guarded: Record<string, unknown> = {};
    const lowRisk: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(entry.fields)) {
      if (field === 'id' || field === 'branch_id' || field === 'version') continue;
      if (entry.op === 'delete' || isGuardedField('enterprises', field)) {
        if (!heldAll && !held.has(field)) guarded[field] = value;
      } else if (!(entry.result.staleFields ?? []).includes(field)) lowRisk[field] = value;
    }
    writes.push({ rowId: entry.row_id, seq: entry.seq, origin: write.origin, seen: write.seen, guarded, lowRisk, hlc: entry.hlc, intended: write.intended, describe: `${write.origin} ${entry.actor} ${entry.op} seq ${entry.seq} base ${entry.base_version}` });
  }
  for (const [rowId, left] of resolutionQueue) if (left.length > 0) violation('rows', `${left.length} resolution(s) of row ${rowId} are not in the hub's log`);
  return writes;
}

/**
 * Check 3: a guarded value is only ever replaced by a write that saw it, or its replacement is held
 * in a conflict. For each applied guarded field, the previous write of that field must have been
 * seen by this writer (or be its own), or carry the same value.
 */
function checkGuarded(writes: AttributedWrite[], violation: Violation, report: TortureReport): void {
  const last = new Map<string, AttributedWrite>(); // `${row}/${field}`
  for (const write of writes) {
    for (const [field, value] of Object.entries(write.guarded)) {
      const key = `${write.rowId}/${field}`;
      const previous = last.get(key);
      // A write of the value the field already held leaves the value's author as it was.
      if (previous !== undefined && same(previous.guarded[field], value)) continue;
      if (previous !== undefined && previous.origin !== write.origin) {
        report.compared.guardedOverwrites += 1;
        if (previous.seq > write.seen) {
          violation('guarded', `row ${write.rowId}.${field}: ${JSON.stringify(previous.guarded[field])} (${previous.describe}) overwritten with ${JSON.stringify(value)} by ${write.describe}, which had seen only up to seq ${write.seen}, without a conflict`);
        }
      }
      last.set(key, write);
    }
  }
}

/** Check 4: each low-risk field holds its latest write by HLC, on the hub and every laptop; derived columns follow the name. */
function checkLowRisk(laptops: LaptopState[], hubRows: Map<string, HubRow>, writes: AttributedWrite[], violation: Violation, report: TortureReport): void {
  const winners = new Map<string, AttributedWrite>();
  for (const write of writes) {
    for (const field of Object.keys(write.lowRisk)) {
      if (DERIVED.has(field) || field === 'updated_at' || field === 'updated_by') continue;
      const key = `${write.rowId}/${field}`;
      const best = winners.get(key);
      if (best === undefined || write.hlc > best.hlc) winners.set(key, write);
    }
  }
  for (const [key, winner] of winners) {
    const [rowId, field] = key.split('/') as [string, string];
    const row = hubRows.get(rowId);
    if (row === undefined) continue;
    report.compared.lowRiskFields += 1;
    if (!same(row.data[field], winner.lowRisk[field])) violation('lowRisk', `hub row ${rowId}.${field} = ${JSON.stringify(row.data[field])}, but its latest write by HLC (${winner.describe}) set ${JSON.stringify(winner.lowRisk[field])}`);
  }
  // Every low-risk value a writer meant to set is a write the merge had to consider (none dropped).
  for (const write of writes) {
    for (const [field, value] of Object.entries(write.intended)) {
      if (!same(write.lowRisk[field], value)) {
        const winner = winners.get(`${write.rowId}/${field}`);
        if (winner === undefined || winner.hlc <= write.hlc) violation('lowRisk', `row ${write.rowId}.${field}: ${write.describe} meant ${JSON.stringify(value)} and no later write replaced it, but the hub did not take it`);
      }
    }
  }
  for (const [id, row] of hubRows) {
    if (typeof row.data.name === 'string' && row.data.name_initials !== pinyinInitials(row.data.name)) {
      violation('lowRisk', `hub row ${id}: name_initials ${JSON.stringify(row.data.name_initials)} do not follow the name ${row.data.name} (${pinyinInitials(row.data.name)})`);
    }
  }
  for (const laptop of laptops) {
    for (const row of laptop.rows) {
      if (row.name_initials !== pinyinInitials(String(row.name))) violation('lowRisk', `${laptop.name} row ${row.id}: name_initials ${row.name_initials} do not follow the name ${row.name}`);
    }
  }
}

export function summaryLine(report: TortureReport): string {
  const counts = CHECKS.map((check) => `${check} ${report.violations[check].length}`).join(', ');
  return (
    `seed ${report.seed}: ${report.operations} operations, ${report.syncs} syncs (${report.offlineSyncs} offline, ${report.transientFailures} on a closed connection), ` +
    `conflicts raised ${report.conflicts.raised} resolved ${report.conflicts.resolved} (${report.refusedResolutions} resolutions refused, ${report.offlineResolutions} tried offline), ` +
    `compared ${report.compared.rows} rows / ${report.compared.guardedOverwrites} guarded overwrites / ${report.compared.lowRiskFields} low-risk fields; ` +
    `other registers: ${report.ledgerWrites.ratings} ratings, ${report.ledgerWrites.loans} loans, ${report.ledgerWrites.loanBalances} balances, ${report.ledgerWrites.creditActs} credit writes, ` +
    `${report.ledgerWrites.greenTags} green-tag, ${report.ledgerWrites.greenFactory} green-factory, ${report.ledgerWrites.collateral} collateral, ${report.ledgerWrites.cases} rectification, ${report.ledgerWrites.letters} letter, ${report.ledgerWrites.monitoring} monitoring-visit writes; ` +
    `violations: ${counts}; errors ${report.errors.length}; ${(report.ms / 1000).toFixed(1)} s`
  );
}
