import { z } from 'zod';

/**
 * 动态授权 (seed 000 二): each approving role of a branch may approve up to a limit that depends on
 * the branch's level, with an uplift for green projects (对绿色…予以政策倾斜). The table is reference
 * data: head office publishes it (name `approval-authority`, through the reference-data mechanism)
 * and every laptop and the hub read the same version. The shipped default is a placeholder for a
 * branch that has not received one, not any bank's authorisation — README says so.
 */

/** 县支行, 二级分行 (prefecture), 一级分行 (province). */
export const branchLevels = ['county', 'prefecture', 'province'] as const;
export type BranchLevel = (typeof branchLevels)[number];

/** Roles that approve, lowest authority first: the order escalation follows. */
export const approvingRoles = ['credit_manager', 'branch_head'] as const;
export type ApprovingRole = (typeof approvingRoles)[number];

// 1e15 fen (10 万亿元): with an uplift of at most +100% the computed limit stays a safe integer.
const limitFen = z.int().min(0).max(1_000_000_000_000_000);

export const approvalAuthoritySchema = z
  .strictObject({
    version: z.int().positive(),
    /** The document the table implements, shown beside a refusal. */
    source: z.string().trim().min(1).max(200),
    /** The level of each branch by branch code; a branch not listed is `defaultBranchLevel`. */
    branchLevelByCode: z.record(z.string().regex(/^[A-Za-z0-9-]{1,20}$/), z.enum(branchLevels)).default({}),
    defaultBranchLevel: z.enum(branchLevels),
    /** Per branch level, the limit of each approving role, fen. */
    limits: z.strictObject(Object.fromEntries(branchLevels.map((level) => [level, z.strictObject({ credit_manager: limitFen, branch_head: limitFen })])) as Record<BranchLevel, z.ZodObject<Record<ApprovingRole, typeof limitFen>>>),
    /** Green projects: the limit is raised by this many basis points (2000 = +20%). */
    greenUpliftBp: z.int().min(0).max(10_000),
  })
  .superRefine((table, ctx) => {
    for (const level of branchLevels) {
      const { credit_manager, branch_head } = table.limits[level];
      if (branch_head < credit_manager) ctx.addIssue({ code: 'custom', path: ['limits', level], input: table.limits[level], message: 'a branch head’s limit cannot be below a credit manager’s' });
    }
  });

export type ApprovalAuthority = z.infer<typeof approvalAuthoritySchema>;

const WAN_YUAN = 1_000_000; // fen

/**
 * The default: a county branch's credit manager 300 万元, branch head 1000 万元; ten times that at a
 * prefecture, a hundred at a province; green projects +20%. Round figures of the order county
 * branches are given, so the escalation path is exercised with everyday amounts.
 */
export const defaultApprovalAuthority: ApprovalAuthority = {
  version: 1,
  source: 'GreenLedger 默认值（非任何银行授权文件，待总行发布）',
  branchLevelByCode: {},
  defaultBranchLevel: 'county',
  limits: {
    county: { credit_manager: 300 * WAN_YUAN, branch_head: 1_000 * WAN_YUAN },
    prefecture: { credit_manager: 3_000 * WAN_YUAN, branch_head: 10_000 * WAN_YUAN },
    province: { credit_manager: 30_000 * WAN_YUAN, branch_head: 100_000 * WAN_YUAN },
  },
  greenUpliftBp: 2_000,
};

export function branchLevelOf(table: ApprovalAuthority, branchCode: string): BranchLevel {
  return table.branchLevelByCode[branchCode] ?? table.defaultBranchLevel;
}

/** A role's limit for one application, with the green uplift (rounded down to the fen). */
export function approvalLimit(table: ApprovalAuthority, level: BranchLevel, role: ApprovingRole, greenProject: boolean): number {
  const base = table.limits[level][role];
  if (!greenProject) return base;
  // In bigint: base × bp may pass 2^53 for a large limit.
  return Number(BigInt(base) + (BigInt(base) * BigInt(table.greenUpliftBp)) / 10_000n);
}

export function isApprovingRole(role: string): role is ApprovingRole {
  return (approvingRoles as readonly string[]).includes(role);
}

export interface AuthorityRequest {
  amountFen: number;
  greenProject: boolean;
  branchCode: string;
  role: string;
}

export type AuthorityCheck =
  | { ok: true; limitFen: number; role: ApprovingRole }
  /**
   * Over the limit (or a role without authority, limitFen 0): refused, naming the limit, and where
   * the application goes instead — the lowest role of the branch whose limit covers it, or head
   * office (上报上级行) when none does.
   */
  | { ok: false; limitFen: number; role: string; escalateTo: ApprovingRole | 'head_office' };

export function checkApprovalAuthority(table: ApprovalAuthority, request: AuthorityRequest): AuthorityCheck {
  const level = branchLevelOf(table, request.branchCode);
  const limitFen = isApprovingRole(request.role) ? approvalLimit(table, level, request.role, request.greenProject) : 0;
  if (isApprovingRole(request.role) && request.amountFen <= limitFen) return { ok: true, limitFen, role: request.role };
  const rank = isApprovingRole(request.role) ? approvingRoles.indexOf(request.role) : -1;
  const above = approvingRoles.slice(rank + 1).find((role) => request.amountFen <= approvalLimit(table, level, role, request.greenProject));
  return { ok: false, limitFen, role: request.role, escalateTo: above ?? 'head_office' };
}

/**
 * A 总行审批人's own authority over an application escalated to head office (上报上级行): the limit
 * set on their account (null: none, so nothing is covered) against the amount. Approving and
 * rejecting alike need it — the decision is theirs only within it; above it, an approver with a
 * higher limit decides.
 */
export function checkHeadOfficeAuthority(limitFen: number | null, amountFen: number): { ok: boolean; limitFen: number } {
  const limit = limitFen ?? 0;
  return { ok: amountFen > 0 && amountFen <= limit, limitFen: limit };
}
