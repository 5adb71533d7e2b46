import { describe, expect, it } from 'vitest';
import { canMoveOutcome, matchmakingContactSchema, quarterOf, quarterSchema, type MatchmakingOutcome } from './greenFactory.ts';

describe('green-factory financing needs', () => {
  it.each([
    ['2026-01-01', '2026Q1'],
    ['2026-03-31', '2026Q1'],
    ['2026-04-01', '2026Q2'],
    ['2026-12-31', '2026Q4'],
  ])('%s falls in %s', (date, quarter) => {
    expect(quarterOf(date)).toBe(quarter);
    expect(quarterSchema.safeParse(quarter).success).toBe(true);
  });

  it.each(['2026Q5', '2026Q0', '2026-Q4', '26Q4'])('refuses the quarter %s', (quarter) => {
    expect(quarterSchema.safeParse(quarter).success).toBe(false);
  });

  it.each([
    ['need', 'matching', true],
    ['need', 'credit_granted', true],
    ['matching', 'credit_granted', true],
    ['credit_granted', 'disbursed', true],
    ['credit_granted', 'not_reached', true],
    ['not_reached', 'matching', true],
    ['disbursed', 'matching', false],
    ['need', 'disbursed', false],
    ['credit_granted', 'need', false],
  ] as const)('%s → %s allowed: %s', (from: MatchmakingOutcome, to: MatchmakingOutcome, allowed) => {
    expect(canMoveOutcome(from, to)).toBe(allowed);
  });

  it('a contact that ends in 未达成 says why', () => {
    const contact = { contactedOn: '2026-11-20', note: '企业暂缓技改计划', outcome: 'not_reached' };
    expect(matchmakingContactSchema.safeParse(contact).error?.issues[0]).toMatchObject({ path: ['reason'], message: '未达成须说明原因' });
    expect(matchmakingContactSchema.safeParse({ ...contact, reason: '企业资金已自筹' }).success).toBe(true);
  });
});
