import { z } from 'zod';

/** The four roles of a county branch (DOMAIN "Who uses it"). */
export const roles = ['loan_officer', 'credit_manager', 'branch_head', 'admin'] as const;
export const roleSchema = z.enum(roles);
export type Role = (typeof roles)[number];

/**
 * The permission matrix. Enforced by the host before any handler runs (electron/host/dispatch.ts);
 * the UI only uses it to hide what would be refused anyway.
 */
export const permissions = {
  'users.manage': ['admin'],
  'audit.read': ['admin'],
  'backup.manage': ['admin'],
  'records.read': ['loan_officer', 'credit_manager', 'branch_head', 'admin'],
  'enterprise.write': ['loan_officer', 'credit_manager'],
  'enterprise.overrideUscc': ['credit_manager'],
  /** Deleting a credit file (e.g. one of two filed for one enterprise on two laptops): a manager's decision, with a reason. */
  'enterprise.delete': ['credit_manager'],
  /** Loans (借据): entered by hand or imported from the core system's export. */
  'loan.write': ['loan_officer', 'credit_manager'],
  /** Writing a loan off (核销) is a credit manager's decision. */
  'loan.writeOff': ['credit_manager'],
  'approve': ['credit_manager'],
  /** Green tags (绿色信贷标识): prepared by an officer or a manager … */
  'green.write': ['loan_officer', 'credit_manager'],
  /** … and confirmed by a credit manager who did not prepare it (four-eyes, shared/domain/greenTag.ts). */
  'green.confirm': ['credit_manager'],
  /** Credit applications (授信申请): open one and carry out its investigation (the investigator). */
  'credit.write': ['loan_officer', 'credit_manager'],
  /** 审查: pass, return or reject at review. */
  'credit.review': ['credit_manager'],
  /** 审批: decide, return or escalate at approval, within the approval authority's limit. */
  'credit.approve': ['credit_manager', 'branch_head'],
  /** Let a gate verdict of needs_override through, with a recorded reason. */
  'credit.override': ['credit_manager'],
  /** Any workflow action; which one a role may take is the action's own permission (creditWorkflow.ts actionPermission). */
  'credit.act': ['loan_officer', 'credit_manager', 'branch_head'],
  /** Collateral items (抵质押物): enter, value, register, activate, release, dispose. */
  'collateral.write': ['loan_officer', 'credit_manager'],
  /** Approve or reject a submitted collateral item (never one's own: collateral.ts applyCollateralAction). */
  'collateral.approve': ['credit_manager'],
  /** Rectification cases (整改跟踪): open one, follow it up, submit it for verification. */
  'case.write': ['loan_officer', 'credit_manager'],
  /** Verify and close, return, or escalate a case: a credit manager's (and never the case's own officer's). */
  'case.verify': ['credit_manager'],
  /** The 贷后监测计划's visit frequencies: branch credit policy, set by a credit manager or the branch head. */
  'monitoring.configure': ['credit_manager', 'branch_head'],
  'reports.read': ['loan_officer', 'credit_manager', 'branch_head', 'admin'],
  'sync.run': ['loan_officer', 'credit_manager', 'branch_head', 'admin'],
  'sync.configure': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissions;

export function can(role: Role, permission: Permission): boolean {
  return (permissions[permission] as readonly Role[]).includes(role);
}

/** Password rule for every account: long enough to resist guessing on a stolen laptop. */
export const passwordSchema = z
  .string()
  .min(8, { message: 'PASSWORD_TOO_SHORT' })
  .max(128)
  .refine((value) => /[A-Za-z]/.test(value) && /\d/.test(value), { message: 'PASSWORD_TOO_WEAK' });

export const usernameSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9._-]{2,32}$/, { message: 'USERNAME_FORMAT' });
