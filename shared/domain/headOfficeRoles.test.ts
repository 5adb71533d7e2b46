import { describe, expect, it } from 'vitest';
import { headOfficeMay, headOfficeRoles, type HeadOfficePermission } from './headOfficeRoles.ts';

describe('head-office roles', () => {
  // The table the hub enforces, spelled out: a change to it must change this test.
  const table: [HeadOfficePermission, admin: boolean, approver: boolean, viewer: boolean][] = [
    ['users.manage', true, false, false],
    ['branches.manage', true, false, false],
    ['devices.manage', true, false, false],
    ['enrolment.issue', true, false, false],
    ['reference.publish', false, true, false],
    ['applications.decide', false, true, false],
    ['records.edit', false, true, false],
    ['registers.read', true, true, true],
    ['audit.read', true, true, true],
  ];
  it.each(table)('%s: 总行管理员 %s, 总行审批人 %s, 总行查看 %s', (permission, admin, approver, viewer) => {
    expect(headOfficeRoles.map((role) => headOfficeMay(role, permission))).toEqual([admin, approver, viewer]);
  });
});
