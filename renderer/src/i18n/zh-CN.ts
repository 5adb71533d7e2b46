import { common } from './zh-CN/common.ts';
import { settings } from './zh-CN/settings.ts';
import { auth } from './zh-CN/auth.ts';
import { admin } from './zh-CN/admin.ts';
import { enterprises } from './zh-CN/enterprises.ts';
import { enterpriseFiles } from './zh-CN/enterpriseFiles.ts';
import { credit } from './zh-CN/credit.ts';
import { sync } from './zh-CN/sync.ts';
import { register } from './zh-CN/register.ts';
import { imports } from './zh-CN/imports.ts';
import { loans } from './zh-CN/loans.ts';
import { rectification } from './zh-CN/rectification.ts';
import { caseTracking } from './zh-CN/caseTracking.ts';
import { green } from './zh-CN/green.ts';
import { collateral } from './zh-CN/collateral.ts';
import { greenFactory } from './zh-CN/greenFactory.ts';
import { workbench } from './zh-CN/workbench.ts';
import { dashboard } from './zh-CN/dashboard.ts';
import { reports } from './zh-CN/reports.ts';

/**
 * Chinese is the product's language. Strings live per feature in zh-CN/ and en/ (same file names);
 * en.ts must have exactly the same keys (checked by the type and by resources.test.ts).
 */
export const zhCN = {
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

export type Messages = typeof zhCN;
