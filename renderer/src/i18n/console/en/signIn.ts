import type { signIn as zhCN } from '../zh-CN/signIn.ts';

export const signIn: typeof zhCN = {
  signIn: {
    title: 'Head-office console sign-in',
    hint: 'Sign in with the account a head-office administrator opened for you.',
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
    required: 'Enter the {{field}}',
    missing: 'Enter your username and password',
    wrong: 'Wrong username or password',
    wrongRemaining: 'Wrong username or password; {{n}} more wrong tries lock the account for 15 minutes',
    locked: 'Too many wrong passwords: the account is locked until {{until}} (Beijing time); try again later',
    disabled: 'This account is disabled; ask a head-office administrator',
    origin: 'Sign in from the console’s own page',
    busy: 'Too many sign-in attempts; try again shortly',
  },
};
