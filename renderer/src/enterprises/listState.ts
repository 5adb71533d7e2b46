import type { EnterpriseListFilter, EnterpriseSort } from '../../../shared/api/index.ts';
import { createRegisterListState } from '../register/listState.ts';

export const defaultSort: EnterpriseSort = { field: 'updatedAt', order: 'desc' };

/** The enterprise list's search, filters, sort and scroll position (kept across a detail visit). */
export const useEnterpriseListState = createRegisterListState<EnterpriseListFilter, EnterpriseSort>(defaultSort);
