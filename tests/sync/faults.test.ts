import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostWithUsers, sampleEnterpriseFile, testUscc } from '../../electron/host/testing.ts';
import { seededRandom } from '../../shared/domain/testing.ts';
import { enterpriseScales } from '../../shared/domain/enterprise.ts';
import { environmentalRatingLevels } from '../../shared/domain/environmentalRating.ts';
import { enroll, resolveConflict, syncOnce, SyncFailure, type SyncDeps } from '../../electron/host/sync/engine.ts';
import { outboxCount } from '../../db/outbox.ts';
import type { CreditDetail, EnterpriseDetail, SessionState, SyncStatus, User } from '../../shared/api/index.ts';
import type { Conflict, PushResult } from '../../shared/sync/protocol.ts';
import { isGuardedField, type SyncTableName } from '../../shared/sync/tables.ts';
import type { Storage } from '../../server/storage.ts';
import { admin, branchWithCode, metricsOf, startHub, type HubProcess } from './hub.ts';
import { bundleFaultClient, runClient, type ClientPlan, type ClientRun } from './clientProcess.ts';
import { desktopSyncState, hubSyncState, openHubStorage } from './content.ts';
import { noOpenCase, registerKinds, registerWork, type RegisterKind } from './registerWork.ts';

/**
 * Acceptance 3 of issue 5, widened by issue 11: two writing laptops, each syncing in a client process
 * of its own, killed at random points — by itself at a chosen protocol step or by SIGKILL after a
 * random delay — while they work: creates, low-risk edits, guarded edits that clash (so conflicts are
 * raised, and decided in client processes that are killed too), deletes of files and of attachments,
 * ratings, financials, attachments, the branch's people directory (accounts made, renamed, switched off)
 * credit applications taken through their workflow (opened and reviewed on one laptop, decided on the
 * other), loans with their month-end balances, and the registers that joined since — green tags,
 * green-factory projects and contacts, collateral items with appraisals and loan links, rectification
 * cases with follow-ups, monitoring visits and the cases their findings open (tests/sync/registerWork.ts: each carried on by the laptop that made it, its
 * four-eyes step taken on the other laptop). Every RESTART_EVERY trials the hub is SIGKILLed while a client is held mid-sync, and
 * started again. A fresh device's bulk first pull is killed between and around its pages.
 * At the end nothing may be lost and nothing applied twice: each local change logged once by the hub,
 * each row's version raised once per change, duplicate answers counted for every replayed push, and
 * the whole synced state — every table, versions and deletions included — equal on both laptops, the
 * fresh device and the hub.
 *
 * FAULT_TRIALS (default 40) and FAULT_SEED (default: random, printed) reproduce a run's plan; the
 * per-phase floors never drop below their minimums, so too few trials fail rather than pass.
 */
const TRIALS = Number(process.env.FAULT_TRIALS ?? 40);
const SEED = Number(process.env.FAULT_SEED ?? Math.floor(Math.random() * 2 ** 31));
const RESTART_EVERY = 15;
const STEPS = ['hello', 'push:send', 'push:answered', 'push:committed', 'pull:send', 'pull:answered', 'pull:committed'] as const;
/** Where the hub dies under a held client: each is followed by a request, so the sync in flight must fail. */
const HOLD_STEPS = ['hello', 'push:send', 'push:answered', 'pull:send'] as const;
const PULL_PHASE = new Set(['pull:send', 'pull:answered', 'pull:committed']);
const RESOLVE_STEPS = ['resolve:send', 'resolve:answered'] as const;
const RESOLVE_PHASE = new Set<string>(RESOLVE_STEPS);
/** Where a bulk first pull (a fresh device) is killed: between staged pages, and around placing them. */
const BULK_STEPS = ['pull:answered', 'pull:committed', 'pull:placing'] as const;
const BULK_TRIALS = Number(process.env.FAULT_BULK_TRIALS ?? 12);
const PHASES = ['before hello answered', 'push', 'pull', 'placing', 'resolution', 'after finish'] as const;
type Phase = (typeof PHASES)[number];

/** Kills required per phase: a share of the trials, never less than the minimum (FAULT_TRIALS=0 fails). */
const FLOORS: Record<Phase, number> = {
  'before hello answered': Math.max(2, Math.floor(TRIALS / 20)),
  push: Math.max(6, Math.floor(TRIALS / 7)),
  pull: Math.max(3, Math.floor(TRIALS / 12)),
  placing: Math.max(2, Math.floor(BULK_TRIALS / 5)),
  resolution: Math.max(3, Math.floor(TRIALS / 25)),
  'after finish': Math.max(1, Math.floor(TRIALS / 60)),
};
const MIN_HUB_RESTARTS = Math.max(3, Math.floor(TRIALS / RESTART_EVERY));
const MIN_CONFLICTS = 5;
/** The work the trials must have done, so the checks below are about something (FAULT_TRIALS=0 fails here too). */
const WORK_FLOORS = {
  guardedEdits: Math.max(5, Math.floor(TRIALS / 4)),
  enterpriseDeletes: Math.max(2, Math.floor(TRIALS / 12)),
  attachmentRemovals: Math.max(1, Math.floor(TRIALS / 25)),
  childWrites: Math.max(5, Math.floor(TRIALS / 4)),
  peopleWrites: Math.max(2, Math.floor(TRIALS / 15)),
  creditActs: Math.max(3, Math.floor(TRIALS / 8)),
  loanWrites: Math.max(3, Math.floor(TRIALS / 8)),
  resolutionsApplied: Math.max(1, Math.floor(TRIALS / 40)),
  registerWrites: Math.max(4, Math.floor(TRIALS / 5)),
};
/** Every DELETE_EVERY-th trial its writer deletes a file (and, half a period later, removes an attachment) whatever the dice say. */
const DELETE_EVERY = 10;

type Laptop = Awaited<ReturnType<typeof hostWithUsers>>;

async function value<T>(promise: Promise<{ ok: boolean; value?: unknown; error?: unknown }>): Promise<T> {
  const result = await promise;
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value as T;
}

/** The low-risk fields, each written by one writer only, so its final value is that writer's last. */
interface Expected {
  address: string;
  employees: number;
  contacts: string;
}

function syncDeps(host: Laptop): SyncDeps {
  return { db: host.store.db, appVersion: '0.0.0-faults', now: () => new Date(), log: () => {} };
}

/** Syncs in-process until the outbox is empty and a cycle pushes and pulls nothing. */
async function syncToCompletion(host: Laptop): Promise<number> {
  for (let round = 1; round <= 20; round += 1) {
    const report = await syncOnce(syncDeps(host));
    if (report.pushed === 0 && report.pulled === 0 && !report.deferred && outboxCount(host.store.db) === 0) return round;
  }
  throw new Error('sync did not settle in 20 cycles');
}

function ownOpenConflicts(host: Laptop): Conflict[] {
  const clientId = host.store.clientId;
  return (host.store.db.prepare("SELECT conflict FROM sync_conflicts WHERE status = 'open' ORDER BY seq").pluck().all() as string[])
    .map((text) => JSON.parse(text) as Conflict)
    .filter((conflict) => conflict.mine.clientId === clientId);
}

/**
 * The row version a person deciding now is shown: the laptop's own (it just synced, and a decision
 * it made a moment ago on the same row moved it past the version the conflict was pulled with).
 */
function shownVersion(host: Laptop, conflict: Conflict): number {
  return host.store.db.prepare('SELECT version FROM sync_versions WHERE table_name = ? AND row_id = ?').pluck().get(conflict.table, conflict.rowId) as number;
}

/**
 * Keeps head office's value, on the version this laptop shows; a row the other laptop's decision
 * moved since is pulled and decided again (ROW_CHANGED), one decided already is left (the hub
 * requires the version decided on: issue 10).
 */
async function decideTheirs(host: Laptop, conflict: Conflict): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await resolveConflict(syncDeps(host), { conflictId: conflict.id, choice: 'theirs', expectedVersion: shownVersion(host, conflict), userId: 'fault-test', userName: '故障注入' });
      return;
    } catch (failure) {
      const code = failure instanceof SyncFailure ? failure.error.code : undefined;
      if (code === 'CONFLICT_ALREADY_RESOLVED') return;
      if (code !== 'ROW_CHANGED' || attempt >= 3) throw failure;
      await syncToCompletion(host);
    }
  }
}

interface Writer {
  name: string;
  host: Laptop;
  serial: number;
  /** The low-risk field only this laptop writes. */
  field: 'address' | 'employees';
  /** The financial year only this laptop saves (two laptops saving one year make twins, another test's subject). */
  year: number;
  /** The credit manager's id in the branch's people directory (the one who does this laptop's register work). */
  managerId: string;
}

describe('sync under faults: two laptops clashing, deleting and writing child rows while clients and the hub are killed', () => {
  let hub: HubProcess;
  let writers: Writer[];
  let verifier: Laptop | undefined;
  let hubStorage: Storage | undefined;
  let branchId: string;
  let workDir: string;
  let bundle: string;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'greenledger-faults-'));
    let a: Laptop;
    let b: Laptop;
    [hub, a, b, bundle] = await Promise.all([startHub(), hostWithUsers(), hostWithUsers(), bundleFaultClient(workDir)]);
    // A code of its own: with HUB_TEST_DATABASE_URL every hub of the suite shares one PostgreSQL.
    const branch = await branchWithCode(hub, '浮梁县支行', `FAULTS-${Date.now().toString(36)}`);
    branchId = branch.branchId;
    writers = [
      { name: 'A', host: a, serial: 1000, field: 'address', year: 2023, managerId: (await value<SessionState>(a.dispatch('session.get', {}, a.sessions.manager))).user!.id },
      { name: 'B', host: b, serial: 5000, field: 'employees', year: 2024, managerId: (await value<SessionState>(b.dispatch('session.get', {}, b.sessions.manager))).user!.id },
    ];
    for (const writer of writers) {
      const { code } = writer.name === 'A' ? { code: branch.enrollmentCode } : await admin<{ code: string }>(hub, `/admin/branches/${branchId}/enrollment-codes`, {});
      // Enrolled through the real host path (sync.enroll, which also runs a first sync).
      const status = await value<SyncStatus>(writer.host.dispatch('sync.enroll', { hubUrl: hub.url, code, deviceName: `故障注入笔记本${writer.name}` }, writer.host.sessions.admin));
      expect(status).toMatchObject({ enrolled: true, lastError: null });
      // Only the client processes (and, at the end, the test) sync, never a timer of the test process.
      writer.host.ctx.sync.stop();
    }
  }, 240_000);

  afterAll(async () => {
    await hubStorage?.close();
    for (const writer of writers ?? []) writer.host.cleanup();
    verifier?.cleanup();
    await hub?.stop();
    if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
  });

  it(`loses no change and applies none twice over ${TRIALS} trials with kill floors per phase and every hub restart mid-sync`, async () => {
    const random = seededRandom(SEED);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const expected = new Map<string, Expected>();
    /** Rows a laptop deleted (`table/id`); the delete must hold everywhere unless it met a conflict. */
    const deleted = new Set<string>();
    const kills = new Map<Phase, number>(PHASES.map((phase) => [phase, 0]));
    const tallies = new Map<string, number>();
    const outcomes = {
      hubRestarts: 0,
      restartsMidSync: 0,
      resolutions: 0,
      resolutionsApplied: 0,
      resolvedElsewhere: 0,
      rowMovedOn: 0,
      pullKillsWithData: 0,
      childWrites: 0,
      guardedEdits: 0,
      enterpriseDeletes: 0,
      attachmentRemovals: 0,
      peopleWrites: 0,
      creditActs: 0,
      loanWrites: 0,
      registerWrites: 0,
    };
    /** Register work by kind, taken in turn so that every kind is written whatever the dice say. */
    const registerWrites = new Map<RegisterKind, number>(registerKinds.map((kind) => [kind, 0]));
    let registerTurn = 0;
    /** Each laptop's loans and the month of their newest balance (only the laptop that entered a loan writes it). */
    const loansOf = new Map<Writer, { id: string; month: number }[]>();
    /** Which laptop opened each credit application: it investigates and reviews; the other laptop's manager decides. */
    const openedOn = new Map<string, Writer>();
    const failures: string[] = [];
    let headOfficeEdits = 0;
    /** Pushes killed after the hub answered, since the hub last started: each is replayed, and must be answered 'duplicate'. */
    let replaysSinceRestart = 0;
    let typicalSyncMs = 0;
    const started = performance.now();

    const liveIds = (host: Laptop) => host.store.db.prepare('SELECT id FROM enterprises WHERE deleted_at IS NULL ORDER BY id').pluck().all() as string[];

    const officerWork = async (writer: Writer, force: { deleteFile?: boolean; removeAttachment?: boolean } = {}) => {
      const { host } = writer;
      const session = host.sessions.officer;
      const creates = 1 + Math.floor(random() * 2);
      for (let i = 0; i < creates; i += 1) {
        writer.serial += 1;
        const name = `浮梁故障注入${writer.name}${writer.serial}有限公司`;
        const created = await value<EnterpriseDetail>(host.dispatch('enterprises.create', { file: sampleEnterpriseFile(name, testUscc(writer.serial)) }, session));
        const identity = created.file.identity;
        expected.set(created.id, { address: identity.address, employees: identity.employees ?? 0, contacts: JSON.stringify(identity.contacts) });
      }
      const ids = liveIds(host);
      // The first rows by id are the ones both laptops know longest: guarded edits there clash.
      const hot = ids.slice(0, 3);
      for (let i = Math.floor(random() * 3); i > 0; i -= 1) {
        const id = pick(ids);
        const detail = await value<EnterpriseDetail>(host.dispatch('enterprises.get', { id }, session));
        const identity = { ...detail.file.identity };
        const want = expected.get(id) as Expected;
        if (writer.field === 'address') want.address = identity.address = `浮梁县工业园区 ${writer.serial}-${i} 号`;
        else want.employees = identity.employees = 10 + Math.floor(random() * 5000);
        await value(host.dispatch('enterprises.update', { id, version: detail.version, file: { ...detail.file, identity } }, session));
      }
      if (hot.length > 0 && random() < 0.7) {
        const id = pick(hot);
        const detail = await value<EnterpriseDetail>(host.dispatch('enterprises.get', { id }, session));
        const scale = pick(enterpriseScales.filter((s) => s !== detail.file.identity.scale));
        await value(host.dispatch('enterprises.update', { id, version: detail.version, file: { ...detail.file, identity: { ...detail.file.identity, scale } } }, session));
        outcomes.guardedEdits += 1;
      }
      if (ids.length > 0 && random() < 0.3) {
        const enterpriseId = pick(ids);
        const entry = { level: pick(environmentalRatingLevels), bureau: '景德镇市生态环境局', ratedOn: `2025-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-15` };
        await value(host.dispatch('enterprises.addRating', { enterpriseId, entry }, session));
        outcomes.childWrites += 1;
      }
      if (ids.length > 0 && random() < 0.25) {
        const revenue = Math.floor(random() * 1e9);
        await value(host.dispatch('enterprises.saveFinancials', { enterpriseId: pick(ids), snapshot: { year: writer.year, revenue, totalAssets: revenue * 2, liabilities: revenue, profit: Math.floor(revenue / 10) } }, session));
        outcomes.childWrites += 1;
      }
      if (ids.length > 0 && random() < 0.1) {
        const pdf = Buffer.from(`%PDF-1.7\n环评批复 ${writer.name}${writer.serial}\n%%EOF\n`);
        await value(host.dispatch('attachments.add', { ownerType: 'enterprises', ownerId: pick(ids), fileName: '环评批复.pdf', mime: 'application/pdf', contentBase64: pdf.toString('base64') }, session));
        outcomes.childWrites += 1;
      }
      // An attachment added by mistake is removed (a soft delete of a child row; never clashes, as nobody edits attachments).
      // Not a letter's PDF as sent: the host keeps it with the letter (LETTER_PDF_FIXED).
      const attached = host.store.db.prepare("SELECT id FROM attachments WHERE deleted_at IS NULL AND owner_type <> 'rectification_letters' ORDER BY id").pluck().all() as string[];
      if (attached.length > 0 && (force.removeAttachment === true || random() < 0.05)) {
        const id = pick(attached);
        await value(host.dispatch('attachments.remove', { id }, session));
        deleted.add(`attachments/${id}`);
        outcomes.attachmentRemovals += 1;
      }
      // A file entered on the other laptop too: the credit manager deletes this one (never a hot row, so most deletes meet no conflict).
      const cold = ids.slice(4);
      if (cold.length > 0 && (force.deleteFile === true || random() < 0.06)) {
        const id = pick(cold);
        const version = host.store.db.prepare('SELECT version FROM enterprises WHERE id = ?').pluck().get(id) as number;
        await value(host.dispatch('enterprises.remove', { id, version, reason: '两台笔记本重复建档' }, host.sessions.manager));
        deleted.add(`enterprises/${id}`);
        outcomes.enterpriseDeletes += 1;
      }
      // The branch administrator keeps the people directory: a new officer, a rename, an account switched off.
      if (random() < 0.12) {
        const admin = host.sessions.admin;
        const users = await value<User[]>(host.dispatch('users.list', {}, admin));
        const made = users.filter((user) => user.username.startsWith('fault') && !user.disabled);
        const roll = random();
        if (made.length === 0 || roll < 0.4) {
          writer.serial += 1;
          await value(host.dispatch('users.create', { username: `fault${writer.name.toLowerCase()}${writer.serial}`, displayName: `故障注入客户经理${writer.serial}`, role: 'loan_officer', password: 'Faults2026ok' }, admin));
        } else {
          const user = pick(made);
          const patch = roll < 0.75 ? { displayName: `${user.displayName.slice(0, 37)}（改）` } : { disabled: true };
          await value(host.dispatch('users.update', { id: user.id, version: user.version, ...patch }, admin));
        }
        outcomes.peopleWrites += 1;
      }
      if (random() < 0.3) await creditWork(writer, ids.slice(0, 3));
      if (random() < 0.3) await loanWork(writer, ids.slice(0, 3));
      if (random() < 0.4) await registerStep(writer);
    };

    /** One step on a register that joined since (tests/sync/registerWork.ts), by this laptop's credit manager. */
    const registerStep = async (writer: Writer, kind = registerKinds[registerTurn++ % registerKinds.length] as RegisterKind) => {
      writer.serial += 1;
      const outcome = await registerWork({ host: writer.host, session: writer.host.sessions.manager, userId: writer.managerId }, random, writer.serial, kind);
      if (outcome === undefined) return;
      if ('failure' in outcome) throw new Error(`laptop ${writer.name}: ${outcome.failure}`);
      registerWrites.set(kind, (registerWrites.get(kind) ?? 0) + 1);
      outcomes.registerWrites += 1;
    };

    /** A loan entered on one of the oldest files, or the next month-end balance of one (never dated before the newest). */
    const loanWork = async (writer: Writer, oldest: string[]) => {
      const { host } = writer;
      const loans = loansOf.get(writer) ?? [];
      loansOf.set(writer, loans);
      const monthEnd = (month: number) => new Date(Date.UTC(2025, month + 1, 0)).toISOString().slice(0, 10);
      if (loans.length > 0 && random() < 0.6) {
        const loan = pick(loans);
        loan.month += 1;
        await value(host.dispatch('loans.recordSnapshot', { loanId: loan.id, snapshot: { asOf: monthEnd(loan.month), balance: Math.max(0, 500_000_00 - loan.month * 10_000_00), classification: 'normal' } }, host.sessions.officer));
      } else if (oldest.length > 0) {
        writer.serial += 1;
        const loan = {
          loanNumber: `JK${writer.name}-${writer.serial}`,
          enterpriseId: pick(oldest),
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
        const created = await value<{ id: string }>(host.dispatch('loans.create', { loan }, host.sessions.officer));
        loans.push({ id: created.id, month: 2 });
      } else return;
      outcomes.loanWrites += 1;
    };

    /**
     * One step of a credit application's workflow. Only on the oldest files (never deleted: deletes take
     * ids.slice(4)), each application moved by one laptop at a time — its own up to 审批, the other
     * laptop's manager decides — so no workflow step is refused at the hub for a clash the test made.
     */
    const creditWork = async (writer: Writer, oldest: string[]) => {
      const { host } = writer;
      const db = host.store.db;
      const act = async (id: string, session: { sessionId: string }, action: string, opinion: string) => {
        const current = await value<CreditDetail>(host.dispatch('credit.get', { id }, session));
        await value(host.dispatch('credit.act', { id, version: current.version, action, opinion }, session));
        outcomes.creditActs += 1;
      };
      // Not on a file with an open rectification case (the register work opens some): the gate would ask for an override.
      const open = db
        .prepare(`SELECT id, status FROM credit_applications WHERE deleted_at IS NULL AND status IN ('investigation', 'review', 'approval') AND ${noOpenCase('enterprise_id')} ORDER BY id`)
        .all() as { id: string; status: string }[];
      const mine = open.find((app) => openedOn.get(app.id) === writer && app.status !== 'approval');
      const theirs = open.find((app) => openedOn.has(app.id) && openedOn.get(app.id) !== writer && app.status === 'approval');
      if (theirs !== undefined && random() < 0.6) return act(theirs.id, host.sessions.manager, random() < 0.7 ? 'approve' : 'reject', '同意授信（故障注入）');
      if (mine !== undefined) return mine.status === 'investigation' ? act(mine.id, host.sessions.officer, 'submit', '经实地调查，建议授信') : act(mine.id, host.sessions.manager, 'pass', '审查同意');
      const free = new Set(db.prepare(`SELECT id FROM enterprises WHERE ${noOpenCase('id')}`).pluck().all() as string[]);
      const candidates = oldest.filter((id) => free.has(id));
      if (candidates.length === 0) return;
      const enterpriseId = pick(candidates);
      // A rating newer than any the trials add (2025), so the gate lets the application through.
      await value(host.dispatch('enterprises.addRating', { enterpriseId, entry: { level: 'green', bureau: '景德镇市生态环境局', ratedOn: '2026-06-30' } }, host.sessions.officer));
      const terms = { enterpriseId, product: 'working_capital', amountFen: 150_000_000, termMonths: 12, rateBp: 420, purpose: '购买原材料', purposeKind: 'general', guaranteeMode: 'guarantee', greenProject: false, project: null };
      const created = await value<CreditDetail>(host.dispatch('credit.create', { terms }, host.sessions.officer));
      openedOn.set(created.id, writer);
      outcomes.creditActs += 1;
    };

    const headOfficeWork = async () => {
      // Only rows whose insert the hub has acknowledged (it left its laptop's outbox after the hub's answer).
      const pending = new Set(writers.flatMap((w) => w.host.store.db.prepare("SELECT row_id FROM outbox WHERE op = 'insert'").pluck().all() as string[]));
      const known = [...expected.keys()].filter((id) => !pending.has(id));
      if (known.length === 0) return;
      for (let i = 1 + Math.floor(random() * 3); i > 0; i -= 1) {
        const id = pick(known);
        const contacts = JSON.stringify([{ name: `总行联系人${headOfficeEdits}`, phone: `1380000${String(headOfficeEdits % 10_000).padStart(4, '0')}` }]);
        // A low-risk field: it merges by HLC whatever version head office looked at.
        const edited = await admin<{ result: { status: string } }>(hub, `/admin/rows/${branchId}/enterprises/${id}`, { fields: { contacts }, baseVersion: 0, userId: 'head-office-faults' });
        expect(edited.result.status).toBe('applied');
        (expected.get(id) as Expected).contacts = contacts;
        headOfficeEdits += 1;
      }
    };

    const clientOf = (writer: Writer): ClientPlan => ({ dataDir: writer.host.ctx.dataDir, keyHex: writer.host.store.keyHex });
    const phaseOf = (run: ClientRun): Phase => {
      if (run.outcome === 'done') return 'after finish';
      if (run.lastStep === 'ready' || run.lastStep === 'started') return 'before hello answered';
      if (RESOLVE_PHASE.has(run.lastStep)) return 'resolution';
      return PULL_PHASE.has(run.lastStep) ? 'pull' : 'push';
    };
    const tally = (key: string) => tallies.set(key, (tallies.get(key) ?? 0) + 1);
    const killedBy = (run: ClientRun, how: string) => {
      const phase = phaseOf(run);
      kills.set(phase, (kills.get(phase) ?? 0) + 1);
      tally(`${how} · ${run.outcome === 'done' ? 'after finish' : run.lastStep === 'ready' ? 'before hello answered' : run.lastStep}`);
      if (run.outcome === 'killed' && run.lastStep === 'push:answered') replaysSinceRestart += 1;
      if (run.outcome === 'killed' && PULL_PHASE.has(run.lastStep) && run.pullPages.some((rows) => rows > 0)) outcomes.pullKillsWithData += 1;
    };
    /** A client run killed by itself at a step, or from outside after a random delay (or not at all, if it finished first). */
    // Keyed by the step list itself: pass the module's constants, never a fresh array (it would start at its first step every time).
    const turns = new Map<readonly string[], number>();
    const killedRun = async (plan: ClientPlan, steps: readonly string[], spanMs: number): Promise<ClientRun> => {
      if (random() < 0.6) {
        // The steps in turn, so every one is hit however few the trials.
        const turn = turns.get(steps) ?? 0;
        turns.set(steps, turn + 1);
        const step = steps[turn % steps.length] as string;
        const run = await runClient(bundle, { ...plan, killStep: step });
        if (run.outcome !== 'failed') killedBy(run, 'self');
        return run;
      }
      const delay = random() * spanMs;
      let timer: NodeJS.Timeout | undefined;
      const run = await runClient(bundle, {
        ...plan,
        onLine: (line, kill) => {
          if (line === 'ready') timer = setTimeout(kill, delay);
        },
      });
      clearTimeout(timer);
      if (run.outcome !== 'failed') killedBy(run, 'delay');
      return run;
    };

    // Calibration, not counted as trials: how long an uninterrupted sync in a fresh client takes.
    const calibration: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      for (const writer of writers) await officerWork(writer);
      await headOfficeWork();
      for (const writer of writers) {
        const run = await runClient(bundle, clientOf(writer));
        expect(run.outcome, run.failure).toBe('done');
        calibration.push(run.ms);
      }
    }
    typicalSyncMs = calibration.sort((x, y) => x - y)[Math.floor(calibration.length / 2)] as number;

    for (let trial = 0; trial < TRIALS; trial += 1) {
      const writer = pick(writers);
      await officerWork(writer, { deleteFile: trial % DELETE_EVERY === 3, removeAttachment: trial % DELETE_EVERY === 8 });
      if (random() < 0.5) await officerWork(writers.find((w) => w !== writer) as Writer);
      if (random() < 0.5) await headOfficeWork();
      const plan = clientOf(writer);
      const deciding = writers.filter((w) => ownOpenConflicts(w.host).length > 0);

      let run: ClientRun;
      if (trial % RESTART_EVERY === Math.floor(RESTART_EVERY / 2)) {
        // The client stops at a step that a request follows; the hub is SIGKILLed, the client goes on
        // (its next request meets a dead hub), and the hub starts again on the same data.
        const at = pick(HOLD_STEPS);
        const restart: { done?: Promise<void> } = {};
        run = await runClient(bundle, {
          ...plan,
          holdStep: at,
          onLine: (line, _kill, release) => {
            if (line === `step ${at}` && restart.done === undefined) restart.done = hub.restart(release);
          },
        });
        await (restart.done ?? hub.restart());
        outcomes.hubRestarts += 1;
        replaysSinceRestart = 0;
        const midSync = restart.done !== undefined && run.outcome === 'failed' && /^HUB_UNREACHABLE /.test(run.failure ?? '');
        if (midSync) outcomes.restartsMidSync += 1;
        else failures.push(`trial ${trial}: the hub restart at ${at} did not interrupt the sync (${run.outcome} ${run.failure ?? ''})`);
        tally(`hub restart · ${at}`);
        continue;
      }
      if (deciding.length > 0 && random() < 0.25) {
        // A person decides a conflict of their own laptop's, in a client that is killed too.
        const resolver = pick(deciding);
        const conflict = ownOpenConflicts(resolver.host)[0] as Conflict;
        // On the version the panel shows: head office's as this laptop last pulled it (sync.resolve sends it).
        const shown = resolver.host.store.db.prepare('SELECT version FROM sync_versions WHERE table_name = ? AND row_id = ?').pluck().get(conflict.table, conflict.rowId) as number | undefined;
        run = await killedRun({ ...clientOf(resolver), resolve: `${conflict.id} ${pick(['mine', 'theirs'])} ${shown ?? conflict.theirs.version}` }, RESOLVE_STEPS, typicalSyncMs * 0.6);
        outcomes.resolutions += 1;
        // Applied at the hub: finished, or killed with the hub's answer in hand (the next pull closes it here).
        if (run.outcome === 'done' || (run.outcome === 'killed' && run.lastStep === 'resolve:answered')) outcomes.resolutionsApplied += 1;
        // Decided before, by a client killed with the hub's answer in hand: the hub says so, the next pull closes it here.
        else if (run.outcome === 'failed' && /^CONFLICT_ALREADY_RESOLVED /.test(run.failure ?? '')) outcomes.resolvedElsewhere += 1;
        // The row moved on since this laptop's last pull (a colleague's or head office's edit): nothing applied, decided again after a pull.
        else if (run.outcome === 'failed' && /^ROW_CHANGED /.test(run.failure ?? '')) outcomes.rowMovedOn += 1;
        else if (run.outcome === 'failed') failures.push(`trial ${trial}: resolution: ${run.failure ?? ''}`);
        continue;
      }
      if (trial % 6 === 1) {
        // Killed the moment it starts: its hello is on the way or in the hub's hands.
        run = await runClient(bundle, { ...plan, onLine: (line, kill) => line === 'ready' && kill() });
        if (run.outcome !== 'failed') killedBy(run, 'at start');
      } else run = await killedRun(plan, STEPS, typicalSyncMs * 1.6);
      if (run.outcome === 'done') typicalSyncMs = typicalSyncMs * 0.8 + run.ms * 0.2;
      if (run.outcome === 'failed') failures.push(`trial ${trial}: ${run.failure ?? ''}`);
    }
    // One more push killed after the hub answered, so the duplicate counter has a replay to count
    // whatever the random plan left since the last restart.
    {
      const writer = writers[0] as Writer;
      await officerWork(writer);
      const run = await runClient(bundle, { ...clientOf(writer), killStep: 'push:answered' });
      expect(run.outcome).toBe('killed');
      killedBy(run, 'self');
    }
    // Top-ups: a seed's random plan can leave a phase under its floor (seen once in CI: 2 kills in
    // resolution against a floor of 3). The floors stay as they are; these runs reach them on
    // purpose, each at a step of the phase short of kills, and count like every other kill.
    const [first, second] = writers as [Writer, Writer];
    /** A guarded edit on both laptops of a row both know, the second laptop syncing last: its own conflict. */
    const clash = async (): Promise<Conflict | undefined> => {
      for (const writer of [first, second, first]) await syncToCompletion(writer.host);
      const id = liveIds(second.host)[0];
      if (id === undefined) return undefined;
      for (const writer of [first, second]) {
        const session = writer.host.sessions.officer;
        const detail = await value<EnterpriseDetail>(writer.host.dispatch('enterprises.get', { id }, session));
        const scale = pick(enterpriseScales.filter((s) => s !== detail.file.identity.scale));
        await value(writer.host.dispatch('enterprises.update', { id, version: detail.version, file: { ...detail.file, identity: { ...detail.file.identity, scale } } }, session));
        outcomes.guardedEdits += 1;
      }
      await syncToCompletion(first.host);
      await syncToCompletion(second.host);
      return ownOpenConflicts(second.host)[0];
    };
    const topUps: Partial<Record<Phase, () => Promise<ClientRun | undefined>>> = {
      'before hello answered': () => runClient(bundle, { ...clientOf(first), onLine: (line, kill) => line === 'ready' && kill() }),
      push: async () => {
        await officerWork(first);
        return runClient(bundle, { ...clientOf(first), killStep: 'push:answered' });
      },
      pull: async () => {
        await officerWork(second);
        await syncToCompletion(second.host);
        return runClient(bundle, { ...clientOf(first), killStep: 'pull:answered' });
      },
      resolution: async () => {
        const conflict = await clash();
        if (conflict === undefined) return undefined;
        const step = RESOLVE_STEPS[(kills.get('resolution') ?? 0) % RESOLVE_STEPS.length] as string;
        const run = await runClient(bundle, { ...clientOf(second), resolve: `${conflict.id} theirs ${shownVersion(second.host, conflict)}`, killStep: step });
        outcomes.resolutions += 1;
        if (run.outcome === 'killed' && run.lastStep === 'resolve:answered') outcomes.resolutionsApplied += 1;
        return run;
      },
      'after finish': () => runClient(bundle, { ...clientOf(first), onLine: (line, kill) => line.startsWith('done ') && kill() }),
    };
    for (const [phase, topUp] of Object.entries(topUps) as [Phase, () => Promise<ClientRun | undefined>][]) {
      for (let attempt = 0; (kills.get(phase) ?? 0) < FLOORS[phase] && attempt < FLOORS[phase] * 2; attempt += 1) {
        const run = await topUp();
        if (run === undefined) break;
        if (run.outcome === 'failed') failures.push(`top-up ${phase}: ${run.failure ?? ''}`);
        else killedBy(run, 'top-up');
      }
    }
    // Likewise a decision that reached the hub: a seed whose every decision was killed before the
    // hub answered (seen with FAULT_SEED=424242 once the register work joined) gets one, killed with
    // the hub's answer in hand.
    for (let attempt = 0; outcomes.resolutionsApplied < WORK_FLOORS.resolutionsApplied && attempt < WORK_FLOORS.resolutionsApplied * 2; attempt += 1) {
      const conflict = await clash();
      if (conflict === undefined) break;
      const run = await runClient(bundle, { ...clientOf(second), resolve: `${conflict.id} theirs ${shownVersion(second.host, conflict)}`, killStep: 'resolve:answered' });
      outcomes.resolutions += 1;
      if (run.outcome === 'failed') failures.push(`top-up resolution applied: ${run.failure ?? ''}`);
      else killedBy(run, 'top-up');
      if (run.outcome === 'killed' && run.lastStep === 'resolve:answered') outcomes.resolutionsApplied += 1;
    }
    // And a register a seed's plan never wrote (seen with FAULT_SEED=184381130: no 督促整改函, every open
    // case another laptop's person's): more steps of it on either laptop, a case opened first where a
    // letter waits on one.
    for (let attempt = 0; attempt < 12 && registerKinds.some((kind) => (registerWrites.get(kind) ?? 0) === 0); attempt += 1) {
      const writer = writers[Math.floor(attempt / 2) % writers.length]!;
      for (const kind of registerKinds.filter((k) => (registerWrites.get(k) ?? 0) === 0)) await registerStep(writer, kind === 'letters' && attempt % 2 === 0 ? 'cases' : kind);
    }
    const trialsSeconds = (performance.now() - started) / 1000;

    // ——— converge: sync both laptops, decide every conflict left, sync again ———————————————————
    const rounds: number[] = [];
    for (let pass = 0; pass < 3; pass += 1) {
      for (const writer of writers) rounds.push(await syncToCompletion(writer.host));
      for (const writer of writers) {
        for (const conflict of ownOpenConflicts(writer.host)) await decideTheirs(writer.host, conflict);
      }
    }
    for (const writer of writers) rounds.push(await syncToCompletion(writer.host));

    // A fresh device's bulk first pull, killed between small pages and inside the placing step.
    verifier = await hostWithUsers();
    verifier.ctx.sync.stop();
    const { code } = await admin<{ code: string }>(hub, `/admin/branches/${branchId}/enrollment-codes`, {});
    await enroll(syncDeps(verifier), { hubUrl: hub.url, code, deviceName: '核对设备' });
    const bulkClient = { dataDir: verifier.ctx.dataDir, keyHex: verifier.store.keyHex, pullLimit: Math.max(10, Math.ceil(expected.size / 12)) };
    const bulkKills: string[] = [];
    let bulkCompleted = false;
    for (let attempt = 0; attempt < BULK_TRIALS && !bulkCompleted; attempt += 1) {
      // The steps in turn, not at random: with more rows than pages for the attempts, a random pick
      // could miss the placing step altogether (seen once the loans joined the data).
      const run = await runClient(bundle, { ...bulkClient, killStep: BULK_STEPS[attempt % BULK_STEPS.length] as string });
      bulkCompleted = run.outcome === 'done';
      if (!bulkCompleted) {
        expect(run.outcome, run.failure).toBe('killed');
        bulkKills.push(run.lastStep);
        if (run.lastStep === 'pull:placing') kills.set('placing', (kills.get('placing') ?? 0) + 1);
      }
    }
    const afterPlacing = await runClient(bundle, { ...bulkClient, killStep: 'pull:placed' });
    if (afterPlacing.outcome === 'killed') bulkKills.push('pull:placed');
    else expect(afterPlacing.outcome, afterPlacing.failure).toBe('done');
    rounds.push(await syncToCompletion(verifier));
    // What the fresh device sent on enrolling (its people) reaches the laptops too.
    for (const writer of writers) rounds.push(await syncToCompletion(writer.host));

    const metrics = await metricsOf(hub);
    const duplicatesSinceRestart = Number(/greenledger_hub_changes_total\{status="duplicate"\} (\d+)/.exec(metrics)?.[1] ?? NaN);

    // ——— the laptops ——————————————————————————————————————————————————————————————————————————
    const hosts = [...writers.map((w) => w.host), verifier];
    for (const host of hosts) {
      const db = host.store.db;
      expect(outboxCount(db)).toBe(0);
      expect(db.prepare("SELECT count(*) FROM sync_conflicts WHERE status = 'open'").pluck().get()).toBe(0);
      const rows = db.prepare('SELECT id, address, employees, contacts, uscc, deleted_at FROM enterprises').all() as ({ id: string; uscc: string; deleted_at: string | null } & Expected)[];
      // Zero lost, zero doubled: every enterprise either laptop created, once, with its last low-risk values.
      expect(rows.length).toBe(expected.size);
      expect(new Set(rows.map((r) => r.uscc)).size).toBe(rows.length);
      const byId = new Map(rows.map((row) => [row.id, row]));
      for (const [id, want] of expected) expect({ id, ...byId.get(id) }).toMatchObject({ id, ...want });
    }

    // ——— the hub's own records ——————————————————————————————————————————————————————————————————
    hubStorage = await openHubStorage(hub);
    const log = await hubStorage.query<{ client_id: string; op_id: string; actor: string; table_name: SyncTableName; row_id: string; op: string; fields: Record<string, unknown>; status: string; result: PushResult }>(
      'SELECT client_id, op_id::text AS op_id, actor, table_name, row_id::text AS row_id, op, fields, status, result FROM sync_changes WHERE branch_id = $1 ORDER BY seq',
      [branchId],
    );
    // One logged change per local op id, 1…N, none twice, none missing, none refused.
    for (const writer of writers) {
      const localOps = (writer.host.store.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").pluck().get() as number | undefined) ?? 0;
      const ops = log.filter((entry) => entry.client_id === writer.host.store.clientId);
      expect(ops.length, `laptop ${writer.name}: changes logged`).toBe(localOps);
      expect(new Set(ops.map((entry) => entry.op_id)).size).toBe(localOps);
      expect(Math.max(...ops.map((entry) => Number(entry.op_id)))).toBe(localOps);
      expect(ops.filter((entry) => entry.status === 'rejected').map((entry) => entry.result)).toEqual([]);
    }
    expect(log.filter((entry) => entry.actor === 'head-office').length).toBe(headOfficeEdits);
    const [conflictCounts] = await hubStorage.query<{ raised: number; open: number }>(
      "SELECT count(*)::int AS raised, (count(*) FILTER (WHERE status = 'open'))::int AS open FROM sync_conflicts WHERE branch_id = $1",
      [branchId],
    );
    expect(conflictCounts?.open).toBe(0);
    expect(conflictCounts?.raised).toBeGreaterThanOrEqual(MIN_CONFLICTS);

    // Applied once: on a row that never met a conflict, every applied change raised the version by
    // exactly one (one that wrote nothing — all its low-risk fields older than the row's — by none).
    const hubRows = await hubStorage.query<{ table_name: string; row_id: string; version: number; deleted: boolean }>(
      'SELECT table_name, row_id::text AS row_id, version, deleted FROM sync_rows WHERE branch_id = $1',
      [branchId],
    );
    const conflicted = new Set(log.filter((entry) => entry.status === 'conflict' || entry.actor === 'resolution').map((entry) => `${entry.table_name}/${entry.row_id}`));
    const writesPerRow = new Map<string, number>();
    for (const entry of log) {
      if (entry.status !== 'applied') continue;
      const stale = new Set(entry.result.staleFields ?? []);
      const wrote = entry.op === 'delete' || Object.keys(entry.fields).some((field) => isGuardedField(entry.table_name, field) || !stale.has(field));
      const key = `${entry.table_name}/${entry.row_id}`;
      if (wrote) writesPerRow.set(key, (writesPerRow.get(key) ?? 0) + 1);
    }
    const versionMismatches = hubRows
      .filter((row) => !conflicted.has(`${row.table_name}/${row.row_id}`))
      .filter((row) => row.version !== (writesPerRow.get(`${row.table_name}/${row.row_id}`) ?? 0))
      .map((row) => `${row.table_name}/${row.row_id}: version ${row.version}, ${writesPerRow.get(`${row.table_name}/${row.row_id}`) ?? 0} applied changes`);
    expect(versionMismatches).toEqual([]);
    // A delete that met no conflict holds at the hub (its deleted flag, not only the field).
    const hubDeleted = new Map(hubRows.map((row) => [`${row.table_name}/${row.row_id}`, row.deleted]));
    expect([...deleted].filter((key) => !conflicted.has(key) && hubDeleted.get(key) !== true)).toEqual([]);
    expect(hubRows.filter((row) => row.table_name === 'enterprises').length).toBe(expected.size);

    // The whole synced state, versions and deletions included, equal everywhere.
    const hubState = await hubSyncState(hubStorage, branchId, writers[0]?.host.store.db as Laptop['store']['db']);
    const states = hosts.map((host) => desktopSyncState(host.store.db));
    for (const state of states) expect(state).toEqual(hubState);

    // ——— report ——————————————————————————————————————————————————————————————————————————————
    const lines = [
      `fault injection: ${TRIALS} trials in ${trialsSeconds.toFixed(1)} s (seed ${SEED}); two laptops, ${outcomes.guardedEdits} guarded edits on shared rows, ` +
        `${outcomes.enterpriseDeletes} file deletes, ${outcomes.attachmentRemovals} attachment removals, ${outcomes.childWrites} rating/financial/attachment writes, ` +
        `${outcomes.peopleWrites} people-directory writes, ${outcomes.creditActs} credit applications opened or moved on, ${outcomes.loanWrites} loans or balances, ` +
        `register writes ${[...registerWrites].map(([kind, n]) => `${kind} ${n}`).join(', ')}, ${headOfficeEdits} head-office edits; ${log.length} changes logged`,
      `  kills by phase: ${PHASES.map((phase) => `${phase} ${kills.get(phase)} (floor ${FLOORS[phase]})`).join(', ')}; ${outcomes.pullKillsWithData} pull kills with rows in the page`,
      `  hub restarts: ${outcomes.hubRestarts}, ${outcomes.restartsMidSync} of them interrupting a sync in flight; conflicts raised ${conflictCounts?.raised}, ` +
        `${outcomes.resolutions} resolutions in killed clients (${outcomes.resolutionsApplied} applied, ${outcomes.resolvedElsewhere} found already decided, ${outcomes.rowMovedOn} on a row that had moved on)`,
      `  where: ${[...tallies].map(([key, n]) => `${key} ×${n}`).join(', ')}`,
      `  bulk first pull: ${bulkKills.length} kills (${bulkKills.join(', ') || 'none'}); converged in ${rounds.join('/')} cycles; ` +
        `duplicates answered since the last restart ${duplicatesSinceRestart} for ${replaysSinceRestart} replayed pushes`,
      `  synced state (laptop A = B = fresh device = hub): ${Object.entries(hubState).map(([table, d]) => `${table} ${d.rows}`).join(', ')}`,
    ];
    console.log(lines.join('\n'));

    // Only a hub killed under the client may make a sync fail, and then only as "unreachable".
    expect(failures).toEqual([]);
    expect(outcomes.hubRestarts).toBeGreaterThanOrEqual(MIN_HUB_RESTARTS);
    expect(outcomes.restartsMidSync).toBe(outcomes.hubRestarts);
    for (const phase of PHASES) expect(kills.get(phase), `kills ${phase}`).toBeGreaterThanOrEqual(FLOORS[phase]);
    for (const [work, floor] of Object.entries(WORK_FLOORS)) expect(outcomes[work as keyof typeof WORK_FLOORS], work).toBeGreaterThanOrEqual(floor);
    for (const [kind, n] of registerWrites) expect(n, `register writes: ${kind}`).toBeGreaterThanOrEqual(1);
    expect(outcomes.pullKillsWithData).toBeGreaterThanOrEqual(Math.max(1, Math.floor(TRIALS / 40)));
    // Every replayed push was answered as a duplicate, not applied again.
    expect(replaysSinceRestart).toBeGreaterThanOrEqual(1);
    expect(duplicatesSinceRestart).toBeGreaterThanOrEqual(replaysSinceRestart);
  // About a minute on a quiet machine; the cap leaves room for a shared one (up to 8 engineers on 2 cores ran it 5× slower).
  }, 900_000);
});
