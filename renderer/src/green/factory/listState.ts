import { createRegisterListState } from '../../register/listState.ts';

/** The list shows one quarter (absent: the current one), ordered by enterprise as the export is. */
export interface FactoryListFilter {
  quarter?: string;
}
export interface FactorySort {
  field: 'enterprise';
  order: 'asc' | 'desc';
}

export const useFactoryListState = createRegisterListState<FactoryListFilter, FactorySort>({ field: 'enterprise', order: 'asc' });
