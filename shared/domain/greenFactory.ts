import { z } from 'zod';
import { localDateSchema } from './calendar.ts';
import { nonNegativeFenSchema } from './money.ts';

/**
 * Green-factory financing needs (seed 004): projects green factories put forward, collected each
 * quarter, and the bank's matchmaking with them (对接情况) until credit is granted, the loan is
 * disbursed, or it is not reached (with a reason).
 */

export const greenFactoryProjectKinds = ['rnd_industrialisation', 'technical_upgrade', 'zero_carbon_factory'] as const;
export type GreenFactoryProjectKind = (typeof greenFactoryProjectKinds)[number];

export const greenFactoryProjectKindWords: Record<GreenFactoryProjectKind, string> = {
  rnd_industrialisation: '研发及产业化',
  technical_upgrade: '技术改造',
  zero_carbon_factory: '零碳工厂',
};

export const matchmakingOutcomes = ['need', 'matching', 'credit_granted', 'disbursed', 'not_reached'] as const;
export type MatchmakingOutcome = (typeof matchmakingOutcomes)[number];

export const matchmakingOutcomeWords: Record<MatchmakingOutcome, string> = {
  need: '待对接',
  matching: '对接中',
  credit_granted: '已授信',
  disbursed: '已放款',
  not_reached: '未达成',
};

/** Outcomes of a project still being matched (not yet granted, disbursed or given up): what a register's 对接中 filter shows. */
export const openMatchmakingOutcomes: readonly MatchmakingOutcome[] = ['need', 'matching'];

/** A quarter as collected and reported: 2026Q4. */
export const quarterSchema = z.string().regex(/^(19|20|21)\d{2}Q[1-4]$/);

/** The quarter a local day falls in. */
export function quarterOf(date: string): string {
  return `${date.slice(0, 4)}Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
}

/**
 * Where a project may go next. Matchmaking may be re-opened from 未达成 (the factory comes back with
 * a revised project); 已授信 leads to 已放款, or to 未达成 when the credit is not drawn; 已放款 ends it.
 */
const outcomeTransitions: Record<MatchmakingOutcome, readonly MatchmakingOutcome[]> = {
  need: ['matching', 'credit_granted', 'not_reached'],
  matching: ['credit_granted', 'not_reached'],
  credit_granted: ['disbursed', 'not_reached'],
  disbursed: [],
  not_reached: ['matching'],
};

export function canMoveOutcome(from: MatchmakingOutcome, to: MatchmakingOutcome): boolean {
  return from === to || outcomeTransitions[from].includes(to);
}

export const greenFactoryProjectSchema = z.strictObject({
  enterpriseId: z.string().min(1).max(64),
  projectName: z.string().trim().min(2).max(200),
  kind: z.enum(greenFactoryProjectKinds),
  /** 融资需求, in fen. */
  amountSought: nonNegativeFenSchema.min(1),
  quarter: quarterSchema,
  contactName: z.string().trim().min(1).max(50).nullable(),
  contactPhone: z.string().trim().regex(/^[0-9+\-() ]{5,30}$/).nullable(),
  notes: z.string().trim().max(1000).nullable().default(null),
});
export type GreenFactoryProject = z.infer<typeof greenFactoryProjectSchema>;

/** One matchmaking contact: when, what was said, and the outcome it left the project in. */
export const matchmakingContactSchema = z
  .strictObject({
    contactedOn: localDateSchema,
    note: z.string().trim().min(2).max(1000),
    outcome: z.enum(matchmakingOutcomes),
    /** Required for 未达成. */
    reason: z.string().trim().min(2).max(500).nullable().default(null),
    /** The credit application that resulted (已授信 / 已放款). */
    applicationId: z.string().min(1).max(64).nullable().default(null),
  })
  .superRefine((contact, ctx) => {
    if (contact.outcome === 'not_reached' && contact.reason === null) ctx.addIssue({ code: 'custom', path: ['reason'], message: '未达成须说明原因', params: { reason: 'reasonRequired' } });
  });
export type MatchmakingContact = z.infer<typeof matchmakingContactSchema>;
