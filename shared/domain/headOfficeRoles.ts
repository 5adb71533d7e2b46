import { z } from 'zod';

/**
 * Head office's people and what each may do on the hub (issue 18). 总行管理员 runs the hub's
 * people, branches, devices and enrolment; 总行审批人 decides escalated applications within their
 * own authority and publishes reference data; 总行查看 reads. The hub checks every state change
 * against this table; the console shows only what the signed-in role may do.
 */
export const headOfficeRoles = ['ho_admin', 'ho_approver', 'ho_viewer'] as const;
export type HeadOfficeRole = (typeof headOfficeRoles)[number];
export const headOfficeRoleSchema = z.enum(headOfficeRoles);

export const headOfficeRoleLabels: Record<HeadOfficeRole, { zh: string; en: string }> = {
  ho_admin: { zh: '总行管理员', en: 'Head-office administrator' },
  ho_approver: { zh: '总行审批人', en: 'Head-office approver' },
  ho_viewer: { zh: '总行查看', en: 'Head-office viewer' },
};

export type HeadOfficePermission = 'users.manage' | 'branches.manage' | 'devices.manage' | 'enrolment.issue' | 'reference.publish' | 'applications.decide' | 'registers.read' | 'audit.read' | 'records.edit';

const permissions: Record<HeadOfficeRole, readonly HeadOfficePermission[]> = {
  ho_admin: ['users.manage', 'branches.manage', 'devices.manage', 'enrolment.issue', 'registers.read', 'audit.read'],
  ho_approver: ['reference.publish', 'applications.decide', 'records.edit', 'registers.read', 'audit.read'],
  ho_viewer: ['registers.read', 'audit.read'],
};

export function headOfficeMay(role: HeadOfficeRole, permission: HeadOfficePermission): boolean {
  return permissions[role].includes(permission);
}
