import { z } from 'zod';
import { localDateSchema } from './calendar.ts';
import type { GreenCredentials } from './enterprise.ts';
import { guaranteeModes } from './guarantee.ts';

/**
 * A credit application (授信申请) at the form/API boundary: what the officer proposes to lend. Money
 * in fen, the rate in basis points (435 = 4.35%), the term in months. The workflow state and who
 * acted are not here: they are the workflow's (creditWorkflow.ts), written only by its actions.
 */

/** 流动资金贷款, 固定资产贷款, 项目贷款, 银行承兑汇票, 贸易融资. */
export const creditProducts = ['working_capital', 'fixed_asset', 'project', 'bank_acceptance', 'trade_finance'] as const;
export type CreditProduct = (typeof creditProducts)[number];


/**
 * What the money is for, as far as the credit gate cares: an enterprise rated red or black may still
 * be financed to control its pollution or to rectify (seed 000: 督促整改), with a manager's override.
 */
export const purposeKinds = ['general', 'pollution_control', 'rectification'] as const;
export type PurposeKind = (typeof purposeKinds)[number];

/** Largest amount one application may carry: 1000 亿元, far above any county facility, well inside 2^53 fen. */
export const MAX_APPLICATION_FEN = 10_000_000_000_000;

export const projectSchema = z.strictObject({
  name: z.string().trim().min(2).max(100),
  /** 项目总投资, fen. */
  totalInvestmentFen: z.int().positive().max(MAX_APPLICATION_FEN * 10),
  expectedStart: localDateSchema,
});

export const creditTermsSchema = z
  .strictObject({
    enterpriseId: z.string().min(1).max(64),
    product: z.enum(creditProducts),
    amountFen: z.int().positive().max(MAX_APPLICATION_FEN),
    termMonths: z.int().min(1).max(360),
    /** Annual rate in basis points; 0 allowed (an acceptance bill carries a fee, not a rate). */
    rateBp: z.int().min(0).max(3600),
    purpose: z.string().trim().min(2).max(500),
    purposeKind: z.enum(purposeKinds),
    guaranteeMode: z.enum(guaranteeModes),
    /** Finances a project of the green catalogue: earns the green uplift of approval authority. */
    greenProject: z.boolean(),
    /** Required for a 项目贷款; optional for others (a fixed-asset loan may name its project). */
    project: projectSchema.nullable(),
  })
  .superRefine((terms, ctx) => {
    if (terms.product === 'project' && terms.project === null) {
      ctx.addIssue({ code: 'custom', path: ['project'], input: null, message: '项目贷款须填写项目信息', params: { reason: 'projectRequired' } });
    }
  });

export type CreditTerms = z.infer<typeof creditTermsSchema>;

/**
 * 优先 (seed 000 四(四)): projects the industry department recommends (项目互荐) get priority
 * investigation, credit planning and approval; a green factory (国家级 or 省级) is held to the same,
 * as the 2025 notice (seed 004) asks banks to support green-factory building.
 */
export function isPriorityEnterprise(credentials: Pick<GreenCredentials, 'miitRecommendation' | 'greenFactory'>): boolean {
  return credentials.miitRecommendation.recommended || credentials.greenFactory !== null;
}
