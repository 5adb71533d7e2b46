import { describe, expect, it } from 'vitest';
import { foldGreenBook, greenBookReadSql, greenBookRows } from '../greenBook.ts';
import type { Db } from '../open.ts';
import { databaseAt, upgradedFrom } from '../testing.ts';

const stamp = `'b', 1, '2025-01-01T00:00:00.000Z', 'u', '2025-01-01T00:00:00.000Z', 'u'`;
const enterprise = (db: Db, id: string, division = '360222', focus: string | null = null) =>
  db
    .prepare(
      `INSERT INTO enterprises (id, branch_id, version, created_at, created_by, updated_at, updated_by, uscc, name, name_initials, legal_representative, address, division_code, industry_code, scale, ownership, focus_group)
       VALUES (?, ${stamp}, ?, '华盛建材有限公司', 'HSJC', '张建国', '浮梁县', ?, 'C3012', 'small', 'private', ?)`,
    )
    .run(id, `91360222MA35L0KX${id.padStart(2, '0').slice(-2)}`, division, focus);
const loan = (db: Db, id: string, enterpriseId: string) =>
  db
    .prepare(
      `INSERT INTO loans (id, branch_id, version, created_at, created_by, updated_at, updated_by, loan_number, enterprise_id, amount_fen, balance_fen, balance_as_of, disbursed_on, matures_on, rate_bp, classification, guarantee_mode, status)
       VALUES (?, ${stamp}, ?, ?, 100, 100, '2026-01-31', '2026-01-31', '2027-01-31', 345, 'normal', 'credit', 'outstanding')`,
    )
    .run(id, `JK-${id}`, enterpriseId);
const snapshot = (db: Db, id: string, loanId: string, asOf: string, balance: number, classification = 'normal') =>
  db
    .prepare(`INSERT INTO loan_snapshots (id, branch_id, version, created_at, created_by, updated_at, updated_by, loan_id, as_of, balance_fen, classification) VALUES (?, ${stamp}, ?, ?, ?, ?)`)
    .run(id, loanId, asOf, balance, classification);
const tag = (db: Db, id: string, loanId: string, options: { status?: string; evidence?: string; code?: string | null; createdAt?: string } = {}) =>
  db
    .prepare(
      `INSERT INTO green_tags (id, branch_id, version, created_at, created_by, updated_at, updated_by, owner_type, owner_id, catalogue_version, catalogue_code, project_total_investment_fen, co2_reduced_t, evidence_attachment_ids, status, prepared_by, confirmed_by, confirmed_at)
       VALUES (?, 'b', 1, ?, 'u', '2025-01-01T00:00:00.000Z', 'u', 'loan', ?, '2025', ?, 5000, '12.5', ?, ?, 'officer', ?, ?)`,
    )
    .run(id, options.createdAt ?? '2025-01-01T00:00:00.000Z', loanId, options.code === undefined ? '1.1' : options.code, options.evidence ?? '["a1"]', options.status ?? 'confirmed', (options.status ?? 'confirmed') === 'confirmed' ? 'manager' : null, (options.status ?? 'confirmed') === 'confirmed' ? '2025-02-01T00:00:00.000Z' : null);

const expectBookKept = (db: Db) => expect(greenBookRows(db, 'kept')).toEqual(greenBookRows(db, 'source'));

/** The rows as of a day as the reports fold them, in pages of `limit` (loan:balance, sorted). */
async function folded(db: Db, day: string, limit: number): Promise<string[]> {
  const rows: string[] = [];
  await foldGreenBook(db, day, limit, { row: (loanRowid, _enterprise, balance) => void rows.push(`${loanRowid}:${balance}`) }, async () => {});
  return rows.sort();
}
/** The same by the book's definition: as_of <= day < until. */
const asOfDefinition = (db: Db, day: string) =>
  (db.prepare('SELECT loan_rowid, balance_fen FROM green_book WHERE as_of <= ? AND until > ?').all(day, day) as { loan_rowid: number; balance_fen: number }[]).map((row) => `${row.loan_rowid}:${row.balance_fen}`).sort();

describe('0032-green-book', () => {
  it('reads the book as of a day by key seeks on (until, as_of): walks only the rows it folds, never sorts', () => {
    const db = databaseAt('green-book');
    db.aggregate('green_book_fold', { start: 0, step: (n: number) => n + 1, varargs: true });
    const plan = (sql: string, ...params: unknown[]) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((step) => step.detail).join('\n');
    const page = { until: '2026-02-28', day: '2026-01-31', limit: 5000, asOf: '2026-01-31', loanRowid: 1, snapshotRowid: 1, toAsOf: '2026-01-31', toLoanRowid: 9, toSnapshotRowid: 9 };
    expect(plan(greenBookReadSql.nextUntil, '2026-01-31')).toMatch(/SEARCH green_book USING PRIMARY KEY \(until>\?\)/);
    const [firstKey, nextKey] = greenBookReadSql.lastKey as [string, string];
    expect(plan(firstKey, page)).toMatch(/SEARCH green_book USING PRIMARY KEY \(until=\? AND as_of<\?\)/);
    expect(plan(nextKey, page)).toMatch(/SEARCH green_book USING PRIMARY KEY \(until=\? AND \(as_of,loan_rowid,snapshot_rowid\)>\(\?,\?,\?\) AND as_of<\?\)/);
    // Each page's fold seeks its own key range: a bounded page ends at its last key, not at as_of <= D.
    expect(greenBookReadSql.fold.map((sql) => plan(sql, page))).toEqual([
      'SEARCH green_book USING PRIMARY KEY (until=? AND as_of<?)',
      'SEARCH green_book USING PRIMARY KEY (until=? AND (as_of,loan_rowid,snapshot_rowid)<(?,?,?))',
      'SEARCH green_book USING PRIMARY KEY (until=? AND (as_of,loan_rowid,snapshot_rowid)>(?,?,?) AND as_of<?)',
      'SEARCH green_book USING PRIMARY KEY (until=? AND (as_of,loan_rowid,snapshot_rowid)>(?,?,?) AND (as_of,loan_rowid,snapshot_rowid)<(?,?,?))',
    ]);
    for (const sql of [...greenBookReadSql.lastKey, ...greenBookReadSql.fold]) expect(plan(sql, page)).not.toMatch(/TEMP B-TREE|SCAN|CO-ROUTINE/);
  });

  it('backfills a laptop’s existing loans, tags and snapshots on upgrade', () => {
    const { db, cleanup } = upgradedFrom('green-book', (before) => {
      enterprise(before, 'e1', '360222', 'agri');
      loan(before, 'l1', 'e1');
      loan(before, 'l2', 'e1');
      snapshot(before, 's1', 'l1', '2025-12-31', 500);
      snapshot(before, 's2', 'l1', '2026-01-31', 400, 'special_mention');
      snapshot(before, 's3', 'l2', '2026-01-31', 900);
      tag(before, 't1', 'l1');
      tag(before, 't2', 'l2', { status: 'draft' });
    });
    try {
      const rows = greenBookRows(db, 'kept');
      // l1 only (l2's tag is a draft): its two snapshots, the first until the second takes over
      expect(rows.map((row) => [row.as_of, row.until, row.balance_fen, row.classification, row.catalogue_code, row.has_evidence, row.focus_group, row.division_code])).toEqual([
        ['2025-12-31', '2026-01-31', 500, 'normal', '1.1', 1, 'agri', '360222'],
        ['2026-01-31', '9999-12-31', 400, 'special_mention', '1.1', 1, 'agri', '360222'],
      ]);
      expectBookKept(db);
    } finally {
      cleanup();
    }
  });

  it('equals its recomputation from loans, tags, snapshots and borrowers through inserts, edits, deletes and upserts; folds as of any day in pages of any size', async () => {
    const db = databaseAt('green-book');
    let seed = 31;
    const random = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
    const days = ['2025-12-31', '2026-01-31', '2026-02-28', '2026-03-31', '2026-03-31', '2026-06-30'];
    const loans = ['l1', 'l2', 'l3', 'l4'];
    const enterprises = ['e1', 'e2', 'e3'];
    // l4's borrower e3 arrives later (a pull may bring a loan before its borrower)
    enterprise(db, 'e1');
    enterprise(db, 'e2', '430582', 'energy');
    for (const [i, id] of loans.entries()) loan(db, id, enterprises[i % 3]!);
    expectBookKept(db);
    let n = 0;
    for (let step = 0; step < 400; step += 1) {
      n += 1;
      const roll = random();
      const snaps = db.prepare('SELECT id FROM loan_snapshots').pluck().all() as string[];
      const tags = db.prepare('SELECT id FROM green_tags').pluck().all() as string[];
      if (step === 150) enterprise(db, 'e3', '360281', 'agri');
      else if (roll < 0.3 || snaps.length < 3) snapshot(db, `s${String(n).padStart(4, '0')}${pick(['a', 'z'])}`, pick(loans), pick(days), Math.floor(random() * 1_000), pick(['normal', 'substandard']));
      else if (roll < 0.4) tag(db, `t${n}`, pick(loans), { status: pick(['confirmed', 'draft']), evidence: pick(['["a1"]', '[]', 'not json', '[1]']), code: pick(['1.1', '3.2', null]), createdAt: pick(['2025-01-01T00:00:00.000Z', '2024-06-01T00:00:00.000Z']) });
      else if (roll < 0.5) db.prepare('UPDATE loan_snapshots SET balance_fen = ?, classification = ? WHERE id = ?').run(Math.floor(random() * 1_000), pick(['normal', 'loss']), pick(snaps));
      else if (roll < 0.55) db.prepare('UPDATE loan_snapshots SET as_of = ? WHERE id = ?').run(pick(days), pick(snaps));
      else if (roll < 0.6) db.prepare('UPDATE loan_snapshots SET loan_id = ? WHERE id = ?').run(pick(loans), pick(snaps));
      else if (roll < 0.65) db.prepare("UPDATE loan_snapshots SET deleted_at = CASE WHEN deleted_at IS NULL THEN '2026-01-01T00:00:00.000Z' END WHERE id = ?").run(pick(snaps));
      else if (roll < 0.68) db.prepare('DELETE FROM loan_snapshots WHERE id = ?').run(pick(snaps));
      else if (roll < 0.73 && tags.length > 0) db.prepare("UPDATE green_tags SET status = CASE status WHEN 'draft' THEN 'confirmed' ELSE 'draft' END, confirmed_by = CASE status WHEN 'draft' THEN 'manager' END WHERE id = ?").run(pick(tags));
      else if (roll < 0.76 && tags.length > 0) db.prepare("UPDATE green_tags SET deleted_at = CASE WHEN deleted_at IS NULL THEN '2026-01-01T00:00:00.000Z' END WHERE id = ?").run(pick(tags));
      else if (roll < 0.78 && tags.length > 0) db.prepare('DELETE FROM green_tags WHERE id = ?').run(pick(tags));
      else if (roll < 0.8 && tags.length > 0) db.prepare("UPDATE green_tags SET evidence_attachment_ids = ?, catalogue_code = ? WHERE id = ?").run(pick(['["a2"]', '[]']), pick(['1.1', '4.1']), pick(tags));
      else if (roll < 0.84) db.prepare('UPDATE enterprises SET focus_group = ?, division_code = ? WHERE id = ?').run(pick([null, 'agri', 'energy']), pick(['360222', '430582']), pick(enterprises));
      else if (roll < 0.87) db.prepare('UPDATE loans SET enterprise_id = ? WHERE id = ?').run(pick(enterprises), pick(loans));
      else if (roll < 0.9) db.prepare("UPDATE loans SET deleted_at = CASE WHEN deleted_at IS NULL THEN '2026-01-01T00:00:00.000Z' END WHERE id = ?").run(pick(loans));
      else {
        // a pull applies a remote row as an upsert (sync's apply): new snapshots and changed ones
        const id = pick([...snaps, `s${String(n).padStart(4, '0')}m`]);
        db.prepare(
          `INSERT INTO loan_snapshots (id, branch_id, version, created_at, created_by, updated_at, updated_by, loan_id, as_of, balance_fen, classification) VALUES (?, ${stamp}, ?, ?, ?, 'normal')
           ON CONFLICT (id) DO UPDATE SET loan_id = excluded.loan_id, as_of = excluded.as_of, balance_fen = excluded.balance_fen, version = version + 1`,
        ).run(id, pick(loans), pick(days), Math.floor(random() * 1_000));
      }
      expectBookKept(db);
      if (step % 25 === 0) {
        for (const day of ['2025-06-30', '2025-12-31', '2026-01-15', '2026-03-31', '2026-05-01', '2026-06-30', '2027-01-01']) {
          const expected = asOfDefinition(db, day);
          for (const limit of [1, 2, 5_000]) expect(await folded(db, day, limit)).toEqual(expected);
        }
      }
    }
    // the walk reached a book with rows, and loans in and out of it
    expect(greenBookRows(db, 'kept').length).toBeGreaterThan(0);
    db.exec('DELETE FROM loans');
    expect(greenBookRows(db, 'kept')).toEqual([]);
    db.close();
  });
});
