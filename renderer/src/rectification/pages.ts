import type { CaseListFilter, CaseSort, CaseSummary, Result } from '../../../shared/api/index.ts';
import type { useAppStore } from '../stores/app.ts';
import type { PageAnswer, PageRequest } from '../register/pages.ts';

type Call = ReturnType<typeof useAppStore.getState>['call'];

/** One page of cases.list for the register list: the host counts every match exactly. */
export async function loadCasePage(call: Call, request: PageRequest<CaseListFilter, CaseSort>): Promise<Result<PageAnswer<CaseSummary>>> {
  const result = await call('cases.list', request);
  if (!result.ok) return result;
  return { ok: true, value: { rows: result.value.rows, total: result.value.total, totalCapped: false } };
}
