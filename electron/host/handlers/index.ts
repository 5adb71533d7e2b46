import type { Handlers } from '../context.ts';
import { appInfo } from './app.ts';
import { getSettings, updateSecuritySettings, updateSettings } from './settings.ts';
import {
  changeOwnPassword,
  getSession,
  heartbeat,
  login,
  logout,
  setupInitialize,
  setupStatus,
  unlock,
  usersCreate,
  usersList,
  usersResetPassword,
  usersUpdate,
} from './identity.ts';
import { auditExport, auditList, auditVerify, recordHistory } from './audit.ts';
import {
  enterprisesAddRating,
  enterprisesCreate,
  enterprisesGet,
  enterprisesList,
  enterprisesSaveFinancials,
  enterprisesSaveIndicators,
  enterprisesUpdate,
} from './enterprises.ts';

/** The handler for every contract method; the mapped type makes a missing one a compile error. */
export const handlers: Handlers = {
  'app.info': appInfo,
  'settings.get': getSettings,
  'settings.update': updateSettings,
  'settings.updateSecurity': updateSecuritySettings,
  'setup.status': setupStatus,
  'setup.initialize': setupInitialize,
  'session.get': getSession,
  'session.login': login,
  'session.logout': logout,
  'session.unlock': unlock,
  'session.heartbeat': heartbeat,
  'users.list': usersList,
  'users.create': usersCreate,
  'users.update': usersUpdate,
  'users.resetPassword': usersResetPassword,
  'users.changeOwnPassword': changeOwnPassword,
  'audit.list': auditList,
  'audit.export': auditExport,
  'audit.verify': auditVerify,
  'records.history': recordHistory,
  'enterprises.list': enterprisesList,
  'enterprises.get': enterprisesGet,
  'enterprises.create': enterprisesCreate,
  'enterprises.update': enterprisesUpdate,
  'enterprises.addRating': enterprisesAddRating,
  'enterprises.saveFinancials': enterprisesSaveFinancials,
  'enterprises.saveIndicators': enterprisesSaveIndicators,
};
