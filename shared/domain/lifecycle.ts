/**
 * A lifecycle rule over synced rows (a workflow's transitions, four-eyes), in the shape the hub runs
 * on apply (server/merge.ts `lifecycle` step) for the tables that name one in shared/sync/tables.ts.
 * It sees snake_case columns as the desktop stores them, and judges the change, not just the row:
 * what it was based on, what it leaves, and who made it.
 */
import type { ApprovalAuthority } from './approvalAuthority.ts';
import { can, type Permission, type Role } from './roles.ts';

export type Columns = Readonly<Record<string, unknown>>;

/** The person a change names, as the branch's people directory has them (0012-people.sql). */
export interface LifecycleActor {
  role: Role;
  /** An account switched off (or removed) takes no more steps. */
  active: boolean;
}

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
  /**
   * Who `userId` is: the host passes its signed-in user; the hub the branch's people row it holds
   * (stored, or written earlier in the same push: server/ledger.ts actorsOf). Undefined when the
   * hub holds no row for the person — a role-gated step is then refused (UNKNOWN_ACTOR, README).
   */
  actor?: LifecycleActor | undefined;
  /**
   * The approval authority (动态授权) in force for the branch, where the judge knows it: the host's
   * reference set, the hub's latest published one (or the shipped default), with the branch's code.
   */
  authority?: { table: ApprovalAuthority; branchCode: string } | undefined;
}

export interface LifecycleIssue {
  field: string;
  /** A stable code the laptop translates (FOUR_EYES_INVESTIGATOR …). */
  rule: string;
  message: string;
}

export type LifecycleValidator = (change: LifecycleChange) => LifecycleIssue[];

/** Why the person a change names may not take a step that needs a permission, whatever the step. */
export type ActorRule = 'UNKNOWN_ACTOR' | 'ACTOR_INACTIVE';

export const actorRuleMessages: Record<ActorRule, string> = {
  UNKNOWN_ACTOR: 'the person who made the change is not in the branch’s people directory at head office',
  ACTOR_INACTIVE: 'the account that made the change is switched off',
};

/**
 * The role part of a step, judged on the person's directory entry: unknown, switched off, or the
 * permission matrix (roles.ts `can`, the same check the host's dispatch and handlers make) saying
 * no — then `refusal`, the table's own code (CASE_NOT_CREDIT_MANAGER …). Null when the step may go.
 * Only a laptop's change is judged so: head-office edits and resolutions keep their own treatment.
 */
export function actorIssue(change: LifecycleChange, permission: Permission, refusal: LifecycleIssue): LifecycleIssue | null {
  if (change.source !== 'device') return null;
  const problem = actorProblem(change.actor);
  if (problem !== null) return { field: refusal.field, rule: problem, message: actorRuleMessages[problem] };
  return can((change.actor as LifecycleActor).role, permission) ? null : refusal;
}

/** Unknown or switched off: no step at all, whichever role the step needs. */
export function actorProblem(actor: LifecycleActor | undefined): ActorRule | null {
  if (actor === undefined) return 'UNKNOWN_ACTOR';
  return actor.active ? null : 'ACTOR_INACTIVE';
}

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
