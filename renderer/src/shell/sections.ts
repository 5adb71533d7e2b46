import type { Permission } from '../../../shared/domain/roles.ts';

/** The product's sections, in navigation order; the route is the key. */
export const sectionKeys = ['workbench', 'dashboard', 'enterprises', 'credit', 'loans', 'green', 'collateral', 'rectification', 'reports', 'sync', 'users', 'audit', 'settings'] as const;
export type SectionKey = (typeof sectionKeys)[number];

/** Sections shown only to roles that hold the permission (the host refuses the calls regardless). */
export const sectionPermission: Partial<Record<SectionKey, Permission>> = {
  users: 'users.manage',
  audit: 'audit.read',
  dashboard: 'reports.read',
};
