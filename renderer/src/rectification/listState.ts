import type { CaseListFilter, CaseSort } from '../../../shared/api/index.ts';
import { createRegisterListState } from '../register/listState.ts';

/** Soonest deadline first: what an officer chases. */
export const defaultCaseSort: CaseSort = { field: 'deadline', order: 'asc' };

/** The case list's filters, sort and scroll position (kept across a case's page). */
export const useCaseListState = createRegisterListState<CaseListFilter, CaseSort>(defaultCaseSort);
