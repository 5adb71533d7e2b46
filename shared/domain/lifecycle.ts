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

/**
 * A state machine as a table: for each status, the actions that apply there and the status each
 * leads to. One table answers both questions a workflow asks — may this action be taken now
 * (the host, before writing), and which action turns this row into that one (the hub, reading a
 * pushed change) — so the two can never disagree.
 */
export type TransitionTable<S extends string, A extends string> = Readonly<Record<S, Readonly<Partial<Record<A, S>>>>>;

export interface StateMachine<S extends string, A extends string> {
  readonly statuses: readonly S[];
  readonly actions: readonly A[];
  /** The status an action leads to, or null where it does not apply. */
  target(from: S, action: A): S | null;
  /** The action that leads from one status to another, or null when none does (a skip, a reversal). */
  actionBetween(from: S, to: S): A | null;
  /** The actions that apply in a status, in the table's order. */
  actionsFrom(from: S): A[];
  isStatus(value: unknown): value is S;
}

export function stateMachine<S extends string, A extends string>(statuses: readonly S[], actions: readonly A[], table: TransitionTable<S, A>): StateMachine<S, A> {
  return {
    statuses,
    actions,
    target: (from, action) => table[from][action] ?? null,
    actionBetween: (from, to) => actions.find((action) => table[from][action] === to) ?? null,
    actionsFrom: (from) => actions.filter((action) => table[from][action] !== undefined),
    isStatus: (value): value is S => typeof value === 'string' && (statuses as readonly string[]).includes(value),
  };
}
