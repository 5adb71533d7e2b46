import type { LoanClassification } from '../shared/domain/loan.ts';
import type { GreenTagRow } from './green.ts';
import { prepared, type Db } from './open.ts';

/**
 * Repository of the statistics (migration 0027): the whole book's balance as of a day from the kept
 * per-day jumps, and the green-loan candidates with their snapshot as of up to three days, one
 * index seek per loan and day. Which candidates count green is greenTag.ts's greenStanding, run by
 * the caller (the catalogue is not in SQL).
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

/** A loan with a confirmed tag (the oldest live tag of the loan: the one green.tag shows). */
export interface GreenCandidateRow
  extends Pick<
    GreenTagRow,
    | 'catalogue_version'
    | 'catalogue_code'
    | 'evidence_attachment_ids'
    | 'status'
    | 'prepared_by'
    | 'confirmed_by'
    | 'project_total_investment_fen'
    | 'coal_saved_tce'
    | 'co2_reduced_t'
    | 'cod_reduced_t'
    | 'nh3n_reduced_t'
    | 'so2_reduced_t'
    | 'nox_reduced_t'
    | 'water_saved_t'
  > {
  loan_id: string;
  loan_number: string;
  enterprise_id: string;
  enterprise_name: string;
  focus_group: string | null;
  division_code: string;
  /** Balance and class as of each asked day (b0/c0 … b3/c3); null: no snapshot by then, or no such day. */
  b0: number | null;
  c0: LoanClassification | null;
  b1: number | null;
  c1: LoanClassification | null;
  b2: number | null;
  c2: LoanClassification | null;
  b3: number | null;
  c3: LoanClassification | null;
  tag_rowid: number;
}

/** How many days one read of the candidates looks up. */
export const MAX_CANDIDATE_DAYS = 4;

const snapshotOf = (slot: number) =>
  `(SELECT s.balance_fen FROM loan_snapshots s WHERE s.loan_id = l.id AND s.as_of <= @d${slot} AND s.deleted_at IS NULL ORDER BY s.as_of DESC, s.id DESC LIMIT 1) AS b${slot},
   (SELECT s.classification FROM loan_snapshots s WHERE s.loan_id = l.id AND s.as_of <= @d${slot} AND s.deleted_at IS NULL ORDER BY s.as_of DESC, s.id DESC LIMIT 1) AS c${slot}`;

const CANDIDATES = (slots: number) => `SELECT t.rowid AS tag_rowid, l.id AS loan_id, l.loan_number, l.enterprise_id, coalesce(e.name, '') AS enterprise_name, e.focus_group, coalesce(e.division_code, '') AS division_code,
     t.catalogue_version, t.catalogue_code, t.evidence_attachment_ids, t.status, t.prepared_by, t.confirmed_by, t.project_total_investment_fen,
     t.coal_saved_tce, t.co2_reduced_t, t.cod_reduced_t, t.nh3n_reduced_t, t.so2_reduced_t, t.nox_reduced_t, t.water_saved_t,
     ${[0, 1, 2, 3].map((slot) => (slot < slots ? snapshotOf(slot) : `NULL AS b${slot}, NULL AS c${slot}`)).join(',\n     ')}
   FROM green_tags t INDEXED BY green_tags_status
   JOIN loans l ON l.id = t.owner_id AND l.deleted_at IS NULL
   LEFT JOIN enterprises e ON e.id = l.enterprise_id
   WHERE t.status = 'confirmed' AND t.owner_type = 'loan' AND t.deleted_at IS NULL AND t.confirmed_by IS NOT NULL AND t.catalogue_code IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM green_tags o WHERE o.owner_type = 'loan' AND o.owner_id = t.owner_id AND o.deleted_at IS NULL AND (o.created_at, o.id) < (t.created_at, t.id))
     AND t.rowid > @after
   ORDER BY t.rowid LIMIT @limit`;

/**
 * One page of the loans with a confirmed tag, in tag order after `after` (a tag rowid), each with its
 * snapshot as of up to four days (one index seek per loan and day: loan_snapshots_loan, 0027). Paged
 * so a long report yields to other calls between pages.
 */
export function greenCandidates(db: Db, days: readonly string[], after: number, limit: number): GreenCandidateRow[] {
  if (days.length < 1 || days.length > MAX_CANDIDATE_DAYS) throw new RangeError(`one to ${MAX_CANDIDATE_DAYS} days`);
  const params: Record<string, string | number> = { after, limit };
  days.forEach((day, slot) => (params[`d${slot}`] = day));
  return prepared(db, CANDIDATES(days.length)).all(params) as GreenCandidateRow[];
}

/** Loans with a confirmed tag, for a report's progress (an upper bound of the candidates). */
export function confirmedLoanTagCount(db: Db): number {
  return prepared(db, "SELECT count(*) FROM green_tags INDEXED BY green_tags_status WHERE status = 'confirmed' AND owner_type = 'loan' AND deleted_at IS NULL").pluck().get() as number;
}

/** Days on which snapshots were recorded, newest first (the report's 「统计时点」 picker). */
export function snapshotDays(db: Db, limit: number): string[] {
  return prepared(db, 'SELECT as_of FROM loan_balance_jumps ORDER BY as_of DESC LIMIT ?').pluck().all(limit) as string[];
}
