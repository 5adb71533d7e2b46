import type { EnterpriseDetail } from '../../../shared/api/index.ts';
import type { EnvironmentalRatingEntry, FinancialSnapshot, ResourceIndicators } from '../../../shared/domain/enterprise.ts';

/**
 * The per-year rows of an enterprise detail, typed. shared/api/enterprises.ts builds them with a
 * generic `yearRow` whose inferred type is Record<string, unknown>; until that is typed through,
 * these views restore the schema's own types (the host validates its output against it).
 */
interface RowMeta {
  id: string;
  version: number;
}
export type RatingRow = EnvironmentalRatingEntry & RowMeta;
export type FinancialRow = FinancialSnapshot & RowMeta;
export type IndicatorRow = ResourceIndicators & RowMeta;

export const ratingsOf = (detail: EnterpriseDetail) => detail.ratings as unknown as RatingRow[];
export const financialsOf = (detail: EnterpriseDetail) => detail.financials as unknown as FinancialRow[];
export const indicatorsOf = (detail: EnterpriseDetail) => detail.indicators as unknown as IndicatorRow[];
