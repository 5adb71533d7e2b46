import { prepared, type Db } from './open.ts';

/**
 * Repository of the statistics (migration 0027): the whole book's balance as of a day from the kept
 * per-day jumps. The green loans are read from the green book (greenBook.ts, migration 0032).
 */

/** 各项贷款余额 as of a day: every loan's newest snapshot on or before it, summed (0027's kept jumps). */
export function bookBalanceAsOf(db: Db, day: string): number {
  return prepared(db, 'SELECT coalesce(sum(jump_fen), 0) FROM loan_balance_jumps WHERE as_of <= ?').pluck().get(day) as number;
}

/** The same, summed from the snapshots themselves: the check the tests hold the kept jumps to. */
export function bookBalanceFromSnapshots(db: Db, day: string): number {
  return prepared(
    db,
    `SELECT coalesce(sum(balance_fen), 0) FROM (
       SELECT (SELECT s.balance_fen FROM loan_snapshots s WHERE s.loan_id = k.loan_id AND s.as_of <= ? AND s.deleted_at IS NULL ORDER BY s.as_of DESC, s.id DESC LIMIT 1) AS balance_fen
         FROM (SELECT DISTINCT loan_id FROM loan_snapshots WHERE deleted_at IS NULL) k)`,
  )
    .pluck()
    .get(day) as number;
}

/** Loans with a confirmed tag, for a report's progress (an upper bound of the candidates). */
export function confirmedLoanTagCount(db: Db): number {
  return prepared(db, "SELECT count(*) FROM green_tags INDEXED BY green_tags_status WHERE status = 'confirmed' AND owner_type = 'loan' AND deleted_at IS NULL").pluck().get() as number;
}

/** Days on which snapshots were recorded, newest first (the report's 「统计时点」 picker). */
export function snapshotDays(db: Db, limit: number): string[] {
  return prepared(db, 'SELECT as_of FROM loan_balance_jumps ORDER BY as_of DESC LIMIT ?').pluck().all(limit) as string[];
}
