/**
 * The tables that sync, and which of their fields are guarded. A guarded field (amounts, statuses,
 * approvals, valuations, ownership, identifiers, deletes) is applied by the hub only when the edit
 * was based on the row's current state; a concurrent edit becomes a conflict a person resolves.
 * Every field not listed is low-risk (contacts, addresses, notes …) and merges per field, the
 * later HLC winning. A table that is not registered here is refused by the hub.
 *
 * Adding a table (loans, collateral, rectification) is one entry here plus its desktop migration;
 * the hub stores every table's rows generically and needs no code of its own.
 */
export interface SyncTable {
  /** Fields that need base_version to be current; a row delete is always guarded. */
  guardedFields: readonly string[];
}

export const syncTables = {
  enterprises: {
    guardedFields: [
      // identity: the USCC and name identify the borrower across the bank; an override of a USCC
      // whose check character does not verify is a credit manager's recorded decision.
      'uscc',
      'uscc_override_reason',
      'name',
      'legal_representative',
      'division_code',
      'industry_code',
      // ownership and classification that statistics and credit limits are computed from
      'scale',
      'ownership_type',
      'owner_user_id',
      'internal_credit_rating',
      // the policy flags of seeds 000/003: a head-office decision must never be silently undone
      'environmental_rating',
      'environmental_rating_date',
      'environmental_rating_bureau',
      'outdated_capacity',
      'outdated_capacity_exit_deadline',
      'negative_list',
      'green_list',
      'green_factory_level',
      'green_factory_year',
      'miit_recommended',
      // workflow: statuses and maker-checker approvals
      'status',
      'approval_status',
      'approved_by',
      'approved_at',
      // a soft delete arriving as a field update is as guarded as the delete operation
      'deleted_at',
    ],
    // Low-risk by omission: contact_name, contact_phone, address, notes, employees, website, email …
  },
} as const satisfies Record<string, SyncTable>;

export type SyncTableName = keyof typeof syncTables;

export const syncTableNames = Object.keys(syncTables) as SyncTableName[];

export function isSyncTable(name: string): name is SyncTableName {
  return Object.prototype.hasOwnProperty.call(syncTables, name);
}

export function isGuardedField(table: SyncTableName, field: string): boolean {
  return (syncTables[table].guardedFields as readonly string[]).includes(field);
}
