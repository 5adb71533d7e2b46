/**
 * A lifecycle rule over synced rows (a workflow's transitions, four-eyes), in the shape the hub runs
 * on apply (server/merge.ts `lifecycle` step) for the tables that name one in shared/sync/tables.ts.
 * It sees snake_case columns as the desktop stores them, and judges the change, not just the row:
 * what it was based on, what it leaves, and who made it.
 */
export type Columns = Readonly<Record<string, unknown>>;

export interface LifecycleChange {
  op: 'insert' | 'update' | 'delete';
  /** The row as the change's author saw it; undefined for a new row. */
  before: Columns | undefined;
  /** The row as the change would leave it (fields held in a conflict included: a resolution may apply them). */
  after: Columns;
  /** The columns the change sets. */
  fields: readonly string[];
  /** The person the change names. */
  userId: string;
  /** A laptop's push, a head-office edit, or a person's conflict resolution. */
  source: 'device' | 'head-office' | 'resolution';
}

export interface LifecycleIssue {
  field: string;
  /** A stable code the laptop translates (FOUR_EYES_INVESTIGATOR …). */
  rule: string;
  message: string;
}

export type LifecycleValidator = (change: LifecycleChange) => LifecycleIssue[];
