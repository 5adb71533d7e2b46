import type { users as zhCN } from '../zh-CN/users.ts';

export const users: typeof zhCN = {
  users: {
    heading: 'Head-office users ({{n}})',
    username: 'Username',
    displayName: 'Name',
    role: 'Role',
    limit: 'Approval limit',
    status: 'Status',
    createdAt: 'Opened',
    active: 'Active',
    disabled: 'Disabled',
    create: 'Open account',
    password: 'Initial password',
    limitWan: 'Approval limit (10k yuan)',
    limitHint: 'Head-office approvers only: the largest single application they may approve',
    wan: '{{amount}} × 10k yuan',
    created: 'Opened {{role}} “{{name}}” ({{username}})',
    error: {
      USERNAME_FORMAT: 'A username is 2–32 letters, digits or . _ -',
      PASSWORD_TOO_SHORT: 'A password has at least 8 characters',
      PASSWORD_TOO_WEAK: 'A password holds both letters and digits',
      displayName: 'Enter a name (at most 40 characters)',
      role: 'Choose a role',
      taken: 'The username “{{username}}” is taken',
      limitRequired: 'A head-office approver needs an approval limit (10k yuan)',
      limitFormat: 'The approval limit is an amount in 10k yuan, e.g. 1000 or 1000.5',
    },
  },
};
