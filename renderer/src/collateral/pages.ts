import type { CollateralListFilter, CollateralSort, CollateralSummary, Result } from '../../../shared/api/index.ts';
import type { useAppStore } from '../stores/app.ts';
import type { PageAnswer, PageRequest } from '../register/pages.ts';

type Call = ReturnType<typeof useAppStore.getState>['call'];

/**
 * One page of collateral.list for the register list. The host counts matches only so far past the
 * page (LIST_COUNT_AHEAD) and says when it stopped (`totalCapped`, shown as "1,100+").
 */
export async function loadCollateralPage(call: Call, request: PageRequest<CollateralListFilter, CollateralSort>): Promise<Result<PageAnswer<CollateralSummary>>> {
  const result = await call('collateral.list', request);
  if (!result.ok) return result;
  return { ok: true, value: { rows: result.value.rows, total: result.value.total, totalCapped: result.value.totalCapped ?? false } };
}

/** 「精确统计」: every match counted, asked for one row only. */
export async function countCollateral(call: Call, filter: CollateralListFilter): Promise<Result<number>> {
  const result = await call('collateral.list', { filter, offset: 0, limit: 1, exactTotal: true });
  return result.ok ? { ok: true, value: result.value.total } : result;
}
