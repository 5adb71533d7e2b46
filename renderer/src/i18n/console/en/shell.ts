import { sync } from '../../en/sync.ts';
import type { shell as zhCN } from '../zh-CN/shell.ts';

export const shell: typeof zhCN = {
  app: {
    title: 'GreenLedger',
    subtitle: 'Head-office console',
    loading: 'Loading…',
  },
  nav: {
    branches: 'Branches and devices',
    enterprises: 'Enterprise files',
    registers: 'Registers',
    statistics: 'Statistics',
    approvals: 'Approval queue',
    reference: 'Reference data',
    audit: 'Audit log',
    users: 'Head-office users',
  },
  shell: {
    signOut: 'Sign out',
    language: 'Language',
    notFound: 'No such page',
    home: 'Back to branches and devices',
  },
  roles: {
    ho_admin: 'Head-office administrator',
    ho_approver: 'Head-office approver',
    ho_viewer: 'Head-office viewer',
  },
  tables: sync.sync.quarantine.tables,
  errors: {
    forbidden: 'Your role ({{role}}) may not do this',
    csrf: 'The page has expired or was not sent from the console; reload it and try again',
    signedOut: 'Your sign-in has expired; please sign in again',
    nul: 'The input holds a NUL character (U+0000), which head office cannot store. Remove it and try again.',
    network: 'Cannot reach the head-office hub; check the network and try again',
    unexpected: 'The hub’s answer was not understood ({{code}})',
    retry: 'Retry',
  },
};
