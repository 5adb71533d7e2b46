import type { CollateralListFilter, CollateralSort } from '../../../shared/api/index.ts';
import { createRegisterListState } from '../register/listState.ts';

/** Last changed first: what was entered or decided lately is what one comes back for. */
export const defaultCollateralSort: CollateralSort = { field: 'updatedAt', order: 'desc' };

/** The register's filters, sort and scroll position (kept across an item's page). */
export const useCollateralListState = createRegisterListState<CollateralListFilter, CollateralSort>(defaultCollateralSort);

/** The review queue keeps its own place: it is the submitted items only, oldest change first. */
export const useCollateralReviewState = createRegisterListState<CollateralListFilter, CollateralSort>({ field: 'updatedAt', order: 'asc' });
