import { describe, expect, it } from 'vitest';
import { approvalAuthoritySchema, approvalLimit, checkApprovalAuthority, checkHeadOfficeAuthority, defaultApprovalAuthority, type ApprovalAuthority } from './approvalAuthority.ts';

const WAN = 1_000_000; // fen in 1 万元
const table: ApprovalAuthority = {
  ...defaultApprovalAuthority,
  branchLevelByCode: { 'JDZ-01': 'prefecture' },
  limits: {
    county: { credit_manager: 300 * WAN, branch_head: 1_000 * WAN },
    prefecture: { credit_manager: 3_000 * WAN, branch_head: 10_000 * WAN },
    province: { credit_manager: 30_000 * WAN, branch_head: 100_000 * WAN },
  },
  greenUpliftBp: 2_000,
};
const check = (role: string, amountFen: number, greenProject = false, branchCode = 'FL-01') => checkApprovalAuthority(table, { role, amountFen, greenProject, branchCode });

describe('approval authority', () => {
  it.each<[string, string, number, boolean, string, { ok: boolean; limitFen: number; escalateTo?: string }]>([
    ['credit manager at the limit', 'credit_manager', 300 * WAN, false, 'FL-01', { ok: true, limitFen: 300 * WAN }],
    ['credit manager one 分 over: to the branch head', 'credit_manager', 300 * WAN + 1, false, 'FL-01', { ok: false, limitFen: 300 * WAN, escalateTo: 'branch_head' }],
    ['credit manager, green project, at the uplifted limit (360 万)', 'credit_manager', 360 * WAN, true, 'FL-01', { ok: true, limitFen: 360 * WAN }],
    ['credit manager, green project, one 分 over the uplifted limit', 'credit_manager', 360 * WAN + 1, true, 'FL-01', { ok: false, limitFen: 360 * WAN, escalateTo: 'branch_head' }],
    ['credit manager, not green, between the two limits', 'credit_manager', 330 * WAN, false, 'FL-01', { ok: false, limitFen: 300 * WAN, escalateTo: 'branch_head' }],
    ['branch head at the limit', 'branch_head', 1_000 * WAN, false, 'FL-01', { ok: true, limitFen: 1_000 * WAN }],
    ['branch head one 分 over: above the branch, to head office', 'branch_head', 1_000 * WAN + 1, false, 'FL-01', { ok: false, limitFen: 1_000 * WAN, escalateTo: 'head_office' }],
    ['branch head, green, at 1200 万', 'branch_head', 1_200 * WAN, true, 'FL-01', { ok: true, limitFen: 1_200 * WAN }],
    ['credit manager, amount above the branch head too: straight to head office', 'credit_manager', 1_000 * WAN + 1, false, 'FL-01', { ok: false, limitFen: 300 * WAN, escalateTo: 'head_office' }],
    ['a prefecture branch (listed by code) has its own limits', 'credit_manager', 3_000 * WAN, false, 'JDZ-01', { ok: true, limitFen: 3_000 * WAN }],
    ['a loan officer has no authority', 'loan_officer', 1, false, 'FL-01', { ok: false, limitFen: 0, escalateTo: 'credit_manager' }],
  ])('%s', (_name, role, amount, green, branch, expected) => {
    expect(check(role, amount, green, branch)).toMatchObject(expected);
  });

  it('rounds an uplifted limit down to the fen, and computes it exactly for a large limit', () => {
    const odd: ApprovalAuthority = { ...table, limits: { ...table.limits, county: { credit_manager: 333, branch_head: 1_000 } }, greenUpliftBp: 1_500 };
    expect(approvalLimit(odd, 'county', 'credit_manager', true)).toBe(382); // 333 × 1.15 = 382.95
    const big: ApprovalAuthority = { ...table, limits: { ...table.limits, province: { credit_manager: 900_000_000_000_000, branch_head: 900_000_000_000_000 } }, greenUpliftBp: 3_333 };
    expect(approvalLimit(big, 'province', 'credit_manager', true)).toBe(1_199_970_000_000_000);
  });

  it('the default parses as reference data, and a table with a branch head below a credit manager is refused', () => {
    expect(approvalAuthoritySchema.parse(defaultApprovalAuthority)).toEqual(defaultApprovalAuthority);
    const inverted = { ...defaultApprovalAuthority, limits: { ...defaultApprovalAuthority.limits, county: { credit_manager: 2, branch_head: 1 } } };
    expect(approvalAuthoritySchema.safeParse(inverted).success).toBe(false);
  });

  it.each<[string, number | null, number, boolean]>([
    ['at the limit', 1_500 * WAN, 1_500 * WAN, true],
    ['one 分 over', 1_500 * WAN, 1_500 * WAN + 1, false],
    ['well within', 5_000 * WAN, 1_200 * WAN, true],
    ['no limit set: nothing is covered', null, 1, false],
  ])('a head-office approver’s own limit: %s', (_name, limit, amount, covers) => {
    expect(checkHeadOfficeAuthority(limit, amount)).toEqual({ ok: covers, limitFen: limit ?? 0 });
  });
});
