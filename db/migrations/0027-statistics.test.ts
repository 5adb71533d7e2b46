import { describe, expect, it } from 'vitest';
import { bookFigures, type StatLoan } from '../../shared/domain/greenStatistics.ts';
import type { Db } from '../open.ts';
import { bookBalanceAsOf, bookBalanceFromSnapshots } from '../stats.ts';
import { databaseAt, statementPlans, upgradedFrom } from '../testing.ts';

const stamp = `'b', 1, '2025-01-01T00:00:00.000Z', 'u', '2025-01-01T00:00:00.000Z', 'u'`;
const DAYS = ['2025-12-31', '2026-01-31', '2026-02-28', '2026-03-31', '2026-03-31', '2026-06-30', '2026-09-30', '2026-10-01'];
const PROBES = ['2025-12-30', '2025-12-31', '2026-02-01', '2026-03-31', '2026-06-29', '2026-09-30', '2026-10-01', '2030-01-01'];

interface Snap {
  id: string;
  loan: string;
  asOf: string;
  balance: number;
  live: boolean;
}

/** Every loan's newest live snapshot as of each probe, by the pure function the statistics rest on. */
function expectedTotals(snaps: Map<string, Snap>): number[] {
  const loans = new Map<string, StatLoan>();
  for (const snap of snaps.values()) {
    if (!snap.live) continue;
    const loan = loans.get(snap.loan) ?? { loanId: snap.loan, enterpriseId: 'e', green: false, snapshots: [] };
    (loan.snapshots as { id: string; asOf: string; balance: number }[]).push({ id: snap.id, asOf: snap.asOf, balance: snap.balance });
    loans.set(snap.loan, loan);
  }
  return PROBES.map((day) => bookFigures(loans.values(), day).totalBalance);
}

function insert(db: Db, snap: Snap): void {
  db.prepare(`INSERT INTO loan_snapshots (id, branch_id, version, created_at, created_by, updated_at, updated_by, deleted_at, loan_id, as_of, balance_fen, classification) VALUES (?, ${stamp}, ?, ?, ?, ?, 'normal')`).run(
    snap.id,
    snap.live ? null : '2026-01-01T00:00:00.000Z',
    snap.loan,
    snap.asOf,
    snap.balance,
  );
}

describe('0027-statistics: the whole book as of a day from kept jumps', () => {
  it('agrees with each loan’s newest snapshot on or before the day through inserts, edits, moves, soft and hard deletes and upserts', () => {
    const db = databaseAt('statistics');
    let seed = 17;
    const random = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
    const snaps = new Map<string, Snap>();
    for (let step = 0; step < 600; step += 1) {
      const existing = [...snaps.values()];
      const roll = random();
      if (existing.length < 5 || roll < 0.4) {
        const snap = { id: `s${String(step).padStart(4, '0')}${pick(['a', 'z'])}`, loan: pick(['l1', 'l2', 'l3', 'l4', 'l5']), asOf: pick(DAYS), balance: Math.floor(random() * 1_000_000), live: random() > 0.1 };
        insert(db, snap);
        snaps.set(snap.id, snap);
      } else {
        const snap = pick(existing);
        if (roll < 0.55) {
          snap.balance = Math.floor(random() * 1_000_000);
          db.prepare('UPDATE loan_snapshots SET balance_fen = ? WHERE id = ?').run(snap.balance, snap.id);
        } else if (roll < 0.65) {
          snap.asOf = pick(DAYS);
          db.prepare('UPDATE loan_snapshots SET as_of = ? WHERE id = ?').run(snap.asOf, snap.id);
        } else if (roll < 0.72) {
          snap.loan = pick(['l1', 'l2', 'l3', 'l4', 'l5']);
          db.prepare('UPDATE loan_snapshots SET loan_id = ? WHERE id = ?').run(snap.loan, snap.id);
        } else if (roll < 0.82) {
          snap.live = !snap.live;
          db.prepare('UPDATE loan_snapshots SET deleted_at = ? WHERE id = ?').run(snap.live ? null : '2026-05-01T00:00:00.000Z', snap.id);
        } else if (roll < 0.9) {
          snaps.delete(snap.id);
          db.prepare('DELETE FROM loan_snapshots WHERE id = ?').run(snap.id);
        } else {
          // a pull's upsert of a row it already holds (db/bulkPull.ts)
          snap.balance = Math.floor(random() * 1_000_000);
          snap.asOf = pick(DAYS);
          db.prepare(
            `INSERT INTO loan_snapshots (id, branch_id, version, created_at, created_by, updated_at, updated_by, deleted_at, loan_id, as_of, balance_fen, classification) VALUES (?, ${stamp}, ?, ?, ?, ?, 'normal')
             ON CONFLICT (id) DO UPDATE SET deleted_at = excluded.deleted_at, loan_id = excluded.loan_id, as_of = excluded.as_of, balance_fen = excluded.balance_fen`,
          ).run(snap.id, snap.live ? null : '2026-01-01T00:00:00.000Z', snap.loan, snap.asOf, snap.balance);
        }
      }
      if (step % 20 === 19 || step < 30) {
        const expected = expectedTotals(snaps);
        expect(PROBES.map((day) => bookBalanceAsOf(db, day)), `step ${step}`).toEqual(expected);
        expect(PROBES.map((day) => bookBalanceFromSnapshots(db, day)), `step ${step}`).toEqual(expected);
      }
    }
    db.close();
  });

  it('reads the book from the kept table and a green loan’s snapshot from the covering index', () => {
    const db = databaseAt('statistics');
    const plans = statementPlans(db, () => bookBalanceAsOf(db, '2026-06-30'));
    const lookup = db
      .prepare(`EXPLAIN QUERY PLAN SELECT balance_fen, classification FROM loan_snapshots WHERE loan_id = 'l1' AND as_of <= '2026-06-30' AND deleted_at IS NULL ORDER BY as_of DESC, id DESC LIMIT 1`)
      .all() as { detail: string }[];
    const text = [...plans.map((p) => p.plan), ...lookup.map((row) => row.detail)].join('\n');
    expect(text).toContain('loan_balance_jumps');
    expect(text).toMatch(/SEARCH loan_snapshots USING COVERING INDEX loan_snapshots_loan \(loan_id=\? AND as_of<\?\)/);
    expect(text).not.toContain('TEMP B-TREE');
    db.close();
  });

  it('upgrades a laptop holding snapshots: the kept jumps start from them', () => {
    const snaps: Snap[] = [
      { id: 'a1', loan: 'l1', asOf: '2025-12-31', balance: 100, live: true },
      { id: 'a2', loan: 'l1', asOf: '2026-03-31', balance: 70, live: true },
      { id: 'a3', loan: 'l1', asOf: '2026-03-31', balance: 90, live: true },
      { id: 'b1', loan: 'l2', asOf: '2026-01-31', balance: 500, live: true },
      { id: 'b2', loan: 'l2', asOf: '2026-06-30', balance: 0, live: true },
      { id: 'c1', loan: 'l3', asOf: '2026-02-28', balance: 40, live: false },
    ];
    const { db, cleanup } = upgradedFrom('statistics', (before) => snaps.forEach((snap) => insert(before, snap)));
    try {
      // 2026-03-31: l1 90 (a3 > a2), l2 500; 2026-06-30: l1 90, l2 0
      expect(PROBES.map((day) => bookBalanceAsOf(db, day))).toEqual(expectedTotals(new Map(snaps.map((snap) => [snap.id, snap]))));
      expect(bookBalanceAsOf(db, '2026-03-31')).toBe(590);
      expect(bookBalanceAsOf(db, '2026-06-30')).toBe(90);
      insert(db, { id: 'a4', loan: 'l1', asOf: '2026-09-30', balance: 10, live: true });
      expect(bookBalanceAsOf(db, '2026-09-30')).toBe(10);
    } finally {
      cleanup();
    }
  });
});
