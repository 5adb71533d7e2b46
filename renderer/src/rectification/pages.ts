import type { CaseListFilter, CaseSort, CaseSummary, Result } from '../../../shared/api/index.ts';
import type { useAppStore } from '../stores/app.ts';
import type { PageAnswer, PageRequest } from '../register/pages.ts';

type Call = ReturnType<typeof useAppStore.getState>['call'];

/**
 * One page of cases.list for the register list. The host counts matches only LIST_COUNT_AHEAD past
 * the page (issue 20) and says when it stopped (`totalCapped`, shown as "1,100+").
 */
export async function loadCasePage(call: Call, request: PageRequest<CaseListFilter, CaseSort>): Promise<Result<PageAnswer<CaseSummary>>> {
  const result = await call('cases.list', request);
  if (!result.ok) return result;
  return { ok: true, value: { rows: result.value.rows, total: result.value.total, totalCapped: result.value.totalCapped } };
}

/** 「精确统计」: every match counted, asked for one row only. */
export async function countCaseList(call: Call, filter: CaseListFilter): Promise<Result<number>> {
  const result = await call('cases.list', { filter, offset: 0, limit: 1, exactTotal: true });
  return result.ok ? { ok: true, value: result.value.total } : result;
}
