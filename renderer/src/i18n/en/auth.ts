import type { auth as zhCN } from '../zh-CN/auth.ts';

export const auth: typeof zhCN = {
  roles: {
    loan_officer: 'Loan officer',
    credit_manager: 'Credit manager',
    branch_head: 'Branch head',
    admin: 'Administrator',
  },
  setup: {
    title: 'First-run setup',
    intro: 'This computer has no ledger yet. Register its branch and create the first administrator.',
    branch: 'Branch',
    branchName: 'Branch name',
    branchCode: 'Branch code',
    divisionCode: 'County division code',
    divisionCodeHelp: 'GB/T 2260 six digits, e.g. 360222 (Fuliang County)',
    admin: 'Administrator account',
    username: 'Username',
    displayName: 'Name',
    password: 'Password',
    passwordConfirm: 'Confirm password',
    passwordHelp: 'At least 8 characters, with letters and digits',
    submit: 'Finish setup and sign in',
  },
  login: {
    title: 'Sign in',
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
    remaining: 'Wrong password; {{count}} attempts left.',
    lockedUntil: 'Too many wrong passwords; the account is locked until {{time}}.',
  },
  lock: {
    title: 'Locked',
    body: '{{name}}, you have been inactive for {{minutes}} minutes, so the screen was locked to protect customer data. Unsaved work is kept; enter your password to continue.',
    unlock: 'Unlock',
    switchUser: 'Sign out',
  },
  account: {
    changePassword: 'Change password',
    mustChange: 'Please change your password before you continue',
    currentPassword: 'Current password',
    newPassword: 'New password',
    logout: 'Sign out',
    passwordChanged: 'Password changed',
    mismatch: 'The passwords do not match',
  },
};
