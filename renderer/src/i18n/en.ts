import type { Messages } from './zh-CN.ts';
import { common } from './en/common.ts';
import { settings } from './en/settings.ts';
import { auth } from './en/auth.ts';
import { admin } from './en/admin.ts';
import { enterprises } from './en/enterprises.ts';
import { enterpriseFiles } from './en/enterpriseFiles.ts';
import { credit } from './en/credit.ts';
import { sync } from './en/sync.ts';
import { register } from './en/register.ts';
import { imports } from './en/imports.ts';
import { loans } from './en/loans.ts';
import { rectification } from './en/rectification.ts';
import { caseTracking } from './en/caseTracking.ts';
import { green } from './en/green.ts';
import { collateral } from './en/collateral.ts';
import { greenFactory } from './en/greenFactory.ts';
import { workbench } from './en/workbench.ts';
import { dashboard } from './en/dashboard.ts';
import { reports } from './en/reports.ts';

export const en: Messages = {
  ...common,
  ...settings,
  ...auth,
  ...admin,
  ...enterprises,
  ...enterpriseFiles,
  ...sync,
  ...register,
  ...imports,
  ...credit,
  ...loans,
  ...rectification,
  ...caseTracking,
  ...green,
  ...collateral,
  ...greenFactory,
  ...workbench,
  ...dashboard,
  ...reports,
};
