import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { seededRandom } from '../shared/domain/testing.ts';
import { snapshotAsOf } from '../shared/domain/greenStatistics.ts';
import type { Change, PushResult } from '../shared/sync/protocol.ts';
import type { Fields } from './merge.ts';
import { createHub, type Hub } from './hub.ts';
import { NO_END, readModels } from './readModels.ts';
import type { Storage } from './storage.ts';
import { call, TestDevice, valueOf } from './testing/device.ts';
import { testStorages } from './testing/storages.ts';
import { applyMigration, loadHubMigrations } from './migrate.ts';
import { headOfficeStatistics } from './statistics.ts';
import { registerPage, registerSpecs, syncRowsRegisterPage } from './consoleRegisters.ts';
import { statisticsFromSyncedRows } from './testing/bookStatistics.ts';

const ADMIN = 'read-models-admin-token-0123456789';

type Row = Record<string, unknown>;

/**
 * The read models (server/readModels.ts) as sync_rows says they should be: each stored row of a
 * read model's table through its row function, the rows stamped with sync_rows' updated_at, and each
 * snapshot's `until` found the slow way — the first day after its own as_of on which snapshotAsOf
 * no longer picks it among the loan's live snapshots.
 */
async function expectedReadModels(storage: Storage): Promise<Map<string, Row[]>> {
  const stored = await storage.query<{ branch_id: string; table_name: string; row_id: string; deleted: boolean; data: Fields; updated_at: string }>(
    'SELECT branch_id::text AS branch_id, table_name, row_id::text AS row_id, deleted, data, updated_at::text AS updated_at FROM sync_rows WHERE table_name = ANY($1::text[])',
    [readModels.map((model) => model.table)],
  );
  const expected = new Map<string, Row[]>(readModels.map((model) => [model.into, []]));
  for (const row of stored) {
    const model = readModels.find((candidate) => candidate.table === row.table_name)!;
    expected.get(model.into)!.push({ branch_id: row.branch_id, ...model.row(row.row_id, row.deleted, row.data), ...(model.stamped ? { updated_at: row.updated_at } : {}) });
  }
  const snapshots = expected.get('rm_loan_snapshots')!;
  for (const snapshot of snapshots) {
    if (snapshot.deleted === true) continue;
    const series = snapshots
      .filter((other) => other.deleted === false && other.branch_id === snapshot.branch_id && other.loan_id === snapshot.loan_id)
      .map((other) => ({ id: String(other.snapshot_id), asOf: String(other.as_of), balance: 0 }));
    const laterDays = [...new Set(series.map((other) => other.asOf).filter((day) => day >= String(snapshot.as_of)))].sort();
    // The interval ends on the first day (its own included) on which a snapshot other than this one is the loan's.
    const end = laterDays.find((day) => snapshotAsOf(series, day)?.id !== snapshot.snapshot_id);
    snapshot.until = end ?? NO_END;
  }
  return expected;
}

async function storedReadModels(storage: Storage): Promise<Map<string, Row[]>> {
  const stored = new Map<string, Row[]>();
  for (const model of readModels) {
    const columns = ['branch_id::text AS branch_id', ...model.columns.map(([name, type]) => (type === 'uuid' ? `${name}::text AS ${name}` : type === 'bigint' ? `${name}::float8 AS ${name}` : name))];
    if (model.stamped) columns.push('updated_at::text AS updated_at');
    stored.set(model.into, await storage.query<Row>(`SELECT ${columns.join(', ')} FROM ${model.into}`));
  }
  return stored;
}

const sortedRows = (rows: Row[]) => [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

describe.each(testStorages())('read models on $name', (testStorage) => {
  let storage: Storage;
  let cleanup: () => Promise<void>;
  let hub: Hub;
  let url: string;

  beforeAll(async () => {
    ({ storage, cleanup } = await testStorage.open());
    hub = await createHub({ storage, adminToken: ADMIN });
    url = await hub.listen();
  }, 120_000);
  afterAll(async () => {
    await hub?.close();
    await cleanup?.();
  });

  const admin = <T = unknown>(path: string, body?: unknown) => call<T>(url, path, { token: ADMIN, method: 'POST', body });

  it('equal their recomputation from sync_rows after a random run of inserts, edits, deletes, conflicts and head-office edits', async () => {
    const random = seededRandom(18_05);
    const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    const branches: string[] = [];
    for (const code of ['RM-A', 'RM-B']) branches.push(valueOf(await admin<{ id: string }>('/admin/branches', { name: `${code}支行`, code: `${code}-${Math.random().toString(36).slice(2, 6)}`, divisionCode: '360222' })).id);
    const devices: TestDevice[] = [];
    for (const branchId of [branches[0]!, branches[0]!, branches[1]!]) {
      const device = await TestDevice.enroll(url, ADMIN, branchId);
      valueOf(await device.hello());
      devices.push(device);
    }
    /** Row ids per branch and table, as written (some never reach the hub: refused). */
    const ids = new Map<string, string[]>();
    const idsOf = (branchId: string, table: string) => ids.get(`${branchId}/${table}`) ?? [];
    const remember = (branchId: string, table: string, id: string) => ids.set(`${branchId}/${table}`, [...idsOf(branchId, table), id]);
    // month ends, and a last as_of within a month (the kept figures' last key: statistics.ts refreshBranchFigures)
    const days = ['2025-06-30', '2025-09-30', '2025-12-31', '2026-03-31', '2026-06-30', '2026-07-05', '2026-07-15'];
    const counts: Record<string, number> = {};

    const fieldsFor = (device: TestDevice, table: string): Row => {
      // mostly a loan of the branch, now and then one it does not hold (a series without its loan)
      const loan = () => (random() < 0.9 && idsOf(device.branchId, 'loans').length > 0 ? pick(idsOf(device.branchId, 'loans')) : uuidv7());
      const enterprise = () => pick([...idsOf(device.branchId, 'enterprises'), uuidv7()]);
      switch (table) {
        case 'enterprises':
          return { name: `读模型企业${Math.floor(random() * 1000)}有限公司`, focus_group: pick(['steel', 'chemical', null]), division_code: pick(['360222', '360281', '360203']) };
        case 'loans':
          return {
            enterprise_id: enterprise(),
            status: pick(['outstanding', 'settled']),
            loan_number: `RM-${Math.floor(random() * 100_000)}`,
            disbursed_on: pick(['2025-01-15', '2026-02-01']),
            matures_on: pick(['2027-06-30', '2029-12-31']),
            balance_fen: pick([0, 3_000_000_00, 9_000_000_00]),
          };
        case 'collateral_loans':
          return { item_id: pick([...idsOf(device.branchId, 'collateral_items'), uuidv7()]), loan_id: loan(), secured_amount_fen: pick([null, 1_000_000_00]) };
        case 'rectification_cases':
          return { enterprise_id: enterprise(), case_number: `ZG-2026-RMTS-${1000 + Math.floor(random() * 1000)}`, category: pick(['environmental', 'safety']), deadline: pick(days) };
        case 'loan_snapshots':
          return { loan_id: loan(), as_of: pick(days), balance_fen: pick([0, 100_000_00, 2_500_000_00]), classification: pick(['normal', 'special_mention']) };
        case 'green_tags':
          return {
            owner_id: loan(),
            catalogue_code: pick(['1', '1', '3', '1.1']),
            evidence_attachment_ids: pick(['[]', JSON.stringify([uuidv7()]), JSON.stringify([uuidv7()])]),
            created_at: `2026-0${1 + Math.floor(random() * 5)}-01T00:00:00.000Z`,
            // a project's investment (sometimes below a balance, or none: no share) and benefit figures
            project_total_investment_fen: pick([5_000_000_00, 5_000_000_00, 150_000_00, null]),
            coal_saved_tce: pick(['1200.5', '0.0003', null]),
            co2_reduced_t: pick(['77', null]),
          };
        default:
          return {
            enterprise_id: enterprise(),
            certificate_number: `浮环〔2026〕${Math.floor(random() * 1000)}号`,
            valid_to: pick(['2027-12-31', '2029-06-30']),
            registration_expires_on: pick([null, '2026-12-20', '2028-01-31']),
            revaluation_due_on: pick(['2026-01-01', '2027-06-30']),
            // pledged = appraised × rate, as the row schema checks
            ...pick([
              { appraised_value_fen: 10_000_000_00, pledge_rate_bp: 5_000, pledged_value_fen: 5_000_000_00 },
              { appraised_value_fen: 25_000_000_00, pledge_rate_bp: 8_000, pledged_value_fen: 20_000_000_00 },
            ]),
            ...pick([
              { type: 'emission_right', details: JSON.stringify({ type: 'emission_right', pollutant: 'cod', quantity: '12.5', unit: 't/yr' }) },
              { type: 'carbon_allowance', details: JSON.stringify({ type: 'carbon_allowance', kind: 'cea', complianceYear: 2026, quantity: '1000', unit: 'tCO2e' }) },
            ]),
          };
      }
    };
    const tables = readModels.map((model) => model.table);
    // The kept figures (refreshBranchFigures, in each apply) against the books counted from sync_rows, during the run as well as after it.
    const periods = [{ kind: 'quarter', key: '2026Q2' }, { kind: 'month', key: '2025-12' }, { kind: 'year', key: '2025' }, { kind: 'month', key: '2026-05' }, { kind: 'month', key: '2026-07' }] as const;
    const expectKeptFiguresTrue = async (when: string) => {
      for (const period of periods) expect(await headOfficeStatistics(storage, period), `${when} ${period.key}`).toEqual(await statisticsFromSyncedRows(storage, period));
    };

    for (let round = 0; round < 100; round += 1) {
      const device = pick(devices);
      const page: Change[] = [];
      for (let n = 1 + Math.floor(random() * 6); n > 0; n -= 1) {
        const table = pick(tables);
        const known = idsOf(device.branchId, table);
        const roll = random();
        if (known.length === 0 || roll < 0.45) {
          const id = uuidv7();
          remember(device.branchId, table, id);
          page.push(device.write(table, id, 'insert', fieldsFor(device, table)));
        } else if (roll < 0.85) {
          const id = pick(known);
          const fields = Object.fromEntries(Object.entries(fieldsFor(device, table)).filter(() => random() < 0.6));
          // A stale edit now and then: the other laptop's base version, so guarded fields are held as a conflict.
          const base = random() < 0.2 ? 1 : undefined;
          page.push(device.write(table, id, 'update', fields, base));
        } else {
          page.push(device.write(table, pick(known), 'delete', {}));
        }
      }
      for (const result of (await device.pushOk(page)) as PushResult[]) counts[result.status] = (counts[result.status] ?? 0) + 1;
      if (round % 25 === 24) await expectKeptFiguresTrue(`round ${round}`);
      if (random() < 0.3) for (const other of devices) await other.pull();
      if (random() < 0.15) {
        // A head-office edit of a branch's file, on the version a laptop of the branch last pulled (stale at times: a conflict).
        const branchId = pick(branches);
        const enterprise = pick(idsOf(branchId, 'enterprises'));
        const seen = devices.find((other) => other.branchId === branchId)!.row('enterprises', enterprise ?? '');
        if (enterprise !== undefined && seen !== undefined) {
          const answer = await admin<{ result: PushResult }>(`/admin/rows/${branchId}/enterprises/${enterprise}`, { fields: { name: `总行修改${round}有限公司`, focus_group: 'nonferrous' }, baseVersion: seen.version, userId: 'credit-manager-hq' });
          if (answer.body.ok) counts[`head-office ${answer.body.value.result.status}`] = (counts[`head-office ${answer.body.value.result.status}`] ?? 0) + 1;
        }
      }
    }
    await expectKeptFiguresTrue('after the run');
    // A branch whose last day moves back within a month: the snapshot of 07-10, written below the last
    // kept key (07-20) and so never a key itself, becomes the last when 07-20 goes (refreshBranchFigures).
    const lone = await TestDevice.enroll(url, ADMIN, valueOf(await admin<{ id: string }>('/admin/branches', { name: 'RM-C支行', code: `RM-C-${Math.random().toString(36).slice(2, 6)}`, divisionCode: '360222' })).id);
    valueOf(await lone.hello());
    const [loneLoan, lastDay] = [uuidv7(), uuidv7()];
    await lone.pushOk([lone.write('loans', loneLoan, 'insert', {}), lone.write('loan_snapshots', uuidv7(), 'insert', { loan_id: loneLoan, as_of: '2026-06-30', balance_fen: 100_000_00 })]);
    await lone.pushOk([lone.write('loan_snapshots', lastDay, 'insert', { loan_id: loneLoan, as_of: '2026-07-20', balance_fen: 300_000_00 })]);
    await lone.pushOk([lone.write('loan_snapshots', uuidv7(), 'insert', { loan_id: loneLoan, as_of: '2026-07-10', balance_fen: 200_000_00 })]);
    await lone.pull();
    await lone.pushOk([lone.write('loan_snapshots', lastDay, 'delete', {})]);
    const july = await headOfficeStatistics(storage, { kind: 'month', key: '2026-07' }, { branchIds: [lone.branchId] });
    expect(july.bank.threeNotLower.figures.end.totalBalance).toBe(200_000_00);
    await expectKeptFiguresTrue('a last day moved back');
    // Figures kept under other catalogues (published since) are derived anew before a report reads them.
    await storage.query(`UPDATE rm_branch_figures SET catalogue = 'an earlier catalogue', branch = '[1, 1, 1, 1]', counties = '[]', groups = '[]', benefits = NULL`);
    await expectKeptFiguresTrue('kept under another catalogue');
    // A snapshot moved to another loan: the series it leaves takes its interval back.
    const [device] = devices as [TestDevice];
    const [loanX, loanY, first, second] = [uuidv7(), uuidv7(), uuidv7(), uuidv7()];
    await device.pushOk([
      device.write('loans', loanX, 'insert', {}),
      device.write('loans', loanY, 'insert', {}),
      device.write('loan_snapshots', first, 'insert', { loan_id: loanX, as_of: '2025-06-30' }),
      device.write('loan_snapshots', second, 'insert', { loan_id: loanX, as_of: '2025-12-31' }),
    ]);
    await device.pull();
    expect((await device.pushOk([device.write('loan_snapshots', second, 'update', { loan_id: loanY })]))[0]?.status).toBe('applied');
    // A green loan repaid by the quarter's end: a balance of 0 is not a green loan that day.
    const [repaid, repaidTag] = [uuidv7(), uuidv7()];
    await device.pushOk([
      device.write('loans', repaid, 'insert', {}),
      device.write('loan_snapshots', uuidv7(), 'insert', { loan_id: repaid, as_of: '2026-03-31', balance_fen: 300_000_00 }),
      device.write('loan_snapshots', uuidv7(), 'insert', { loan_id: repaid, as_of: '2026-06-30', balance_fen: 0 }),
      device.write('green_tags', repaidTag, 'insert', { owner_id: repaid, catalogue_code: '1', created_at: '2025-01-01T00:00:00.000Z', evidence_attachment_ids: JSON.stringify([uuidv7()]) }),
    ]);
    valueOf(await admin(`/admin/rows/${device.branchId}/green_tags/${repaidTag}`, { fields: { status: 'confirmed', confirmed_by: 'h-1' }, baseVersion: 1, userId: 'h-1' }));
    // Green loans with a project's benefits: a share of 1200.5 × 300 ÷ 1200 = 300.125 tce, and one whose
    // balance is above its project's investment (no share: not computed).
    const [shared, sharedTag, over, overTag] = [uuidv7(), uuidv7(), uuidv7(), uuidv7()];
    const project = (investment: number) => ({ catalogue_code: '1', created_at: '2025-01-01T00:00:00.000Z', evidence_attachment_ids: JSON.stringify([uuidv7()]), project_total_investment_fen: investment, coal_saved_tce: '1200.5' });
    await device.pushOk([
      device.write('loans', shared, 'insert', {}),
      device.write('loan_snapshots', uuidv7(), 'insert', { loan_id: shared, as_of: '2026-06-30', balance_fen: 300_000_000 }),
      device.write('green_tags', sharedTag, 'insert', { owner_id: shared, ...project(1_200_000_000) }),
      device.write('loans', over, 'insert', {}),
      device.write('loan_snapshots', uuidv7(), 'insert', { loan_id: over, as_of: '2026-06-30', balance_fen: 300_000_000 }),
      device.write('green_tags', overTag, 'insert', { owner_id: over, ...project(100_000_000) }),
    ]);
    for (const tag of [sharedTag, overTag]) valueOf(await admin(`/admin/rows/${device.branchId}/green_tags/${tag}`, { fields: { status: 'confirmed', confirmed_by: 'h-1' }, baseVersion: 1, userId: 'h-1' }));

    // The run did what it says: changes of each kind applied, some held as conflicts, some refused.
    expect(counts.applied ?? 0).toBeGreaterThan(60);
    expect(counts.conflict ?? 0).toBeGreaterThan(0);

    const expected = await expectedReadModels(storage);
    const stored = await storedReadModels(storage);
    for (const model of readModels) {
      expect(expected.get(model.into)!.length, model.into).toBeGreaterThan(3);
      expect(sortedRows(stored.get(model.into)!), model.into).toEqual(sortedRows(expected.get(model.into)!));
    }
    expect(expected.get('rm_loan_snapshots')!.some((row) => row.until !== NO_END)).toBe(true);
    expect(expected.get('rm_loan_snapshots')!.some((row) => row.deleted === true)).toBe(true);

    // Head office's statistics read the read models: equal to the same statistics counted from sync_rows.
    for (const branchId of branches) {
      const laptop = devices.find((other) => other.branchId === branchId)!;
      await laptop.pull();
      for (const id of idsOf(branchId, 'green_tags')) {
        const tag = laptop.row('green_tags', id);
        if (tag === undefined || tag.deleted || random() < 0.25) continue;
        const answer = await admin(`/admin/rows/${branchId}/green_tags/${id}`, { fields: { status: 'confirmed', confirmed_by: 'h-1', confirmed_at: '2026-07-01T00:00:00.000Z' }, baseVersion: tag.version, userId: 'h-1' });
        if (answer.body.ok) counts.confirmed = (counts.confirmed ?? 0) + 1;
      }
    }
    for (const period of periods) {
      const fromReadModels = await headOfficeStatistics(storage, period);
      expect(fromReadModels, period.key).toEqual(await statisticsFromSyncedRows(storage, period));
      if (period.key === '2026Q2') {
        expect(fromReadModels.bank.report.totals.loans).toBeGreaterThan(0);
        expect(fromReadModels.bank.report.book.totalBalance).toBeGreaterThan(fromReadModels.bank.report.totals.balance);
        const coal = fromReadModels.bank.report.benefits.totals[0]!;
        expect(Number(coal.total)).toBeGreaterThanOrEqual(300.125);
        expect(fromReadModels.bank.report.benefits.notComputed).toBeGreaterThan(0);
      }
    }

    // The loan and collateral registers' pages come from their read models: the rows and count sync_rows gives.
    for (const table of ['loans', 'collateral_items']) {
      const spec = registerSpecs[table]!;
      for (const filter of [{ query: '', branchId: '', state: '' }, { query: '', branchId: branches[1]!, state: '' }, { query: '读模型', branchId: '', state: '' }, { query: 'RM-1', branchId: branches[0]!, state: '' }]) {
        const { rows: withAlerts, ...page } = await registerPage(storage, table, spec, filter, 1_000, 0);
        // sync_rows' reference page computes no alerts: the rows without them
        const indexed = { ...page, rows: withAlerts.map(({ alerts: _alerts, ...row }) => row) };
        const reference = await syncRowsRegisterPage(storage, table, spec, filter, 1_000, 0, indexed.today);
        expect(indexed.total, `${table} ${JSON.stringify(filter)}`).toBe(reference.total);
        // rows written by one push share their updated_at: ties may come in either order
        const key = (row: { branchId: string; rowId: string; data: Row }) => `${String(row.data.updated_at)} ${row.branchId}/${row.rowId}`;
        expect(indexed.rows.map(key).sort()).toEqual(reference.rows.map(key).sort());
        expect(indexed.rows).toEqual(expect.arrayContaining(reference.rows));
        if (filter.query === '' && filter.branchId === '') expect(indexed.total).toBeGreaterThan(3);
      }
      const first = await registerPage(storage, table, spec, { query: '', branchId: '', state: '' }, 3, 0);
      const next = await registerPage(storage, table, spec, { query: '', branchId: '', state: '' }, 3, 3);
      expect(first.rows.length + next.rows.length).toBe(6);
      expect(new Set([...first.rows, ...next.rows].map((row) => row.rowId)).size).toBe(6);
    }

    // The head-office confirmations went through the same upkeep; the backfills of migrations 0009 and 0012 build the same rows from sync_rows.
    expect(counts.confirmed ?? 0).toBeGreaterThan(3);
    const settled = await expectedReadModels(storage);
    const kept = await storedReadModels(storage);
    for (const model of readModels) expect(sortedRows(kept.get(model.into)!), model.into).toEqual(sortedRows(settled.get(model.into)!));
    for (const model of readModels) await storage.query(`DELETE FROM ${model.into}`);
    await storage.exec(`${[...readModels.map((model) => model.into), 'rm_branch_figures'].map((table) => `DROP TABLE ${table};`).join('\n')}\nDROP INDEX branches_division;`);
    // The read-model migrations again, as migrateHub runs them (SQL, then code step), in one transaction.
    await storage.transaction(async (tx) => {
      for (const migration of loadHubMigrations().filter((each) => [9, 10, 12].includes(each.version))) await applyMigration(tx, migration);
    });
    const backfilled = await storedReadModels(storage);
    for (const model of readModels) expect(sortedRows(backfilled.get(model.into)!), `${model.into} backfilled`).toEqual(sortedRows(settled.get(model.into)!));
    // and migration 0010 keeps the figures those books give
    expect(Number((await storage.query<{ n: number }>('SELECT count(*)::int AS n FROM rm_branch_figures'))[0]!.n)).toBeGreaterThan(10);
    await expectKeptFiguresTrue('backfilled');
  }, 180_000);
});
