import type { AppResources } from '../index.ts';
import { shell } from './zh-CN/shell.ts';
import { signIn } from './zh-CN/signIn.ts';
import { branches } from './zh-CN/branches.ts';
import { users } from './zh-CN/users.ts';
import { audit } from './zh-CN/audit.ts';
import { statistics } from './zh-CN/statistics.ts';
import { reference } from './zh-CN/reference.ts';
import { registers } from './zh-CN/registers.ts';
import { records } from './zh-CN/records.ts';
import { approvals } from './zh-CN/approvals.ts';
import { shell as shellEn } from './en/shell.ts';
import { signIn as signInEn } from './en/signIn.ts';
import { branches as branchesEn } from './en/branches.ts';
import { users as usersEn } from './en/users.ts';
import { audit as auditEn } from './en/audit.ts';
import { statistics as statisticsEn } from './en/statistics.ts';
import { reference as referenceEn } from './en/reference.ts';
import { registers as registersEn } from './en/registers.ts';
import { records as recordsEn } from './en/records.ts';
import { approvals as approvalsEn } from './en/approvals.ts';

/**
 * The head-office console's words (renderer/src/console), per page in zh-CN/ and en/ like the
 * laptop's; Chinese is the default, English has the same keys (the types and resources.test.ts).
 * A page's words move here from server/consoleText.ts as the page is ported from the hub's HTML.
 */
export const consoleZhCN = { ...shell, ...signIn, ...branches, ...users, ...audit, ...statistics, ...reference, ...registers, ...records, ...approvals };
export const consoleEn: typeof consoleZhCN = { ...shellEn, ...signInEn, ...branchesEn, ...usersEn, ...auditEn, ...statisticsEn, ...referenceEn, ...registersEn, ...recordsEn, ...approvalsEn };

export const consoleResources: AppResources = { 'zh-CN': { translation: consoleZhCN }, en: { translation: consoleEn } };
