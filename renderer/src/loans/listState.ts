import type { LoanListFilter, LoanSort } from '../../../shared/api/index.ts';
import { createRegisterListState } from '../register/listState.ts';

/** Soonest maturity first: what a loan officer follows up. */
export const defaultLoanSort: LoanSort = { field: 'maturesOn', order: 'asc' };

/** The loan register's search, filters, sort and scroll position (kept across a detail visit). */
export const useLoanListState = createRegisterListState<LoanListFilter, LoanSort>(defaultLoanSort);
