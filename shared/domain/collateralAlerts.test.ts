import { describe, expect, it } from 'vitest';
import { collateralAlerts, surrenderDeadline, type CollateralAlertFacts, type LinkedLoanFacts } from './collateralAlerts.ts';

const loan = (overrides: Partial<LinkedLoanFacts> = {}): LinkedLoanFacts => ({
  loanId: 'L1',
  disbursedOn: '2026-01-01',
  maturesOn: '2027-06-30',
  outstanding: true,
  balanceFen: 5_000_000,
  securedAmountFen: null,
  ...overrides,
});

const facts = (overrides: Partial<CollateralAlertFacts> = {}): CollateralAlertFacts => ({
  type: 'emission_right',
  status: 'active',
  validTo: '2028-12-31',
  registrationExpiresOn: '2028-12-31',
  revaluationDueOn: '2027-01-01',
  pledgedFen: 9_000_000,
  complianceYear: null,
  loans: [loan()],
  enterpriseRating: 'green',
  openEnvironmentalCases: [],
  ...overrides,
});

const settings = { today: '2026-12-02', registrationWarningDays: 30, coverageLimitBp: 10_000 };
const kinds = (f: CollateralAlertFacts) => collateralAlerts(f, settings).map((alert) => alert.kind);

describe('a healthy item raises nothing', () => {
  it('no alert', () => expect(collateralAlerts(facts(), settings)).toEqual([]));
});

describe('right or registration expiring before the loan matures (maturity 2027-06-30)', () => {
  it.each([
    ['2027-06-29', true], // the day before maturity
    ['2027-06-30', false], // on maturity: valid through that day
    ['2027-07-01', false], // after
  ])('right valid to %s: alert %s', (validTo, alert) => {
    expect(collateralAlerts(facts({ validTo }), settings).filter((a) => a.kind === 'expires_before_maturity')).toEqual(
      alert ? [{ kind: 'expires_before_maturity', what: 'right', expiresOn: validTo, loanId: 'L1', maturesOn: '2027-06-30' }] : [],
    );
  });
  it.each([
    ['2027-06-29', true],
    ['2027-06-30', false],
    ['2027-07-01', false],
  ])('registration to %s: alert %s', (expiresOn, alert) => {
    expect(kinds(facts({ registrationExpiresOn: expiresOn })).includes('expires_before_maturity')).toBe(alert);
  });
  it('a settled loan does not need the collateral any more', () => {
    expect(kinds(facts({ validTo: '2027-01-01', loans: [loan({ outstanding: false, balanceFen: 0 })] }))).toEqual([]);
  });
});

describe('registration expiring within N days (today 2026-12-02, N = 30)', () => {
  it.each([
    ['2027-01-01', 30], // the 30th day: inside
    ['2026-12-02', 0],
    ['2026-12-01', -1], // lapsed yesterday
  ])('expires %s: alert with %d days left', (expiresOn, daysLeft) => {
    expect(collateralAlerts(facts({ registrationExpiresOn: expiresOn, loans: [] }), settings)).toEqual([{ kind: 'registration_expiring', expiresOn, daysLeft }]);
  });
  it('the 31st day is outside; N is a setting', () => {
    expect(kinds(facts({ registrationExpiresOn: '2027-01-02', loans: [] }))).toEqual([]);
    expect(collateralAlerts(facts({ registrationExpiresOn: '2027-01-02', loans: [] }), { ...settings, registrationWarningDays: 31 })).toHaveLength(1);
  });
});

describe('revaluation overdue (today 2026-12-02)', () => {
  it.each([
    ['2026-12-01', [{ kind: 'revaluation_overdue', dueOn: '2026-12-01', daysOverdue: 1 }]],
    ['2026-12-02', []], // due today: still in time
    ['2026-12-03', []],
  ])('due %s', (revaluationDueOn, expected) => {
    expect(collateralAlerts(facts({ revaluationDueOn, loans: [] }), settings)).toEqual(expected);
  });
});

describe('coverage = secured balance ÷ pledged value over the limit (100 %)', () => {
  it.each([
    [[loan({ balanceFen: 9_000_000 })], false], // at the limit
    [[loan({ balanceFen: 9_000_001 })], true], // one 分 over
    [[loan({ balanceFen: 20_000_000, securedAmountFen: 9_000_000 })], false], // the item secures only 90,000 元 of it
    [[loan({ balanceFen: 5_000_000 }), loan({ loanId: 'L2', balanceFen: 4_000_001 })], true], // two loans together
    [[loan({ balanceFen: 9_000_001, outstanding: false })], false],
  ])('%j over: %s', (loans, alert) => {
    expect(kinds(facts({ loans })).includes('coverage_over_limit')).toBe(alert);
  });
  it('an item worth nothing that secures a balance is over any limit', () => {
    expect(collateralAlerts(facts({ pledgedFen: 0 }), settings)).toContainEqual({ kind: 'coverage_over_limit', securedBalanceFen: 5_000_000, pledgedFen: 0, limitBp: 10_000 });
  });
});

describe('a CEA whose surrender deadline (31 Dec of the year after the compliance year) falls inside the loan term', () => {
  it('compliance year 2025 → 2026-12-31', () => expect(surrenderDeadline(2025)).toBe('2026-12-31'));
  const cea = (maturesOn: string, disbursedOn = '2026-01-01') => facts({ type: 'carbon_allowance', complianceYear: 2025, loans: [loan({ maturesOn, disbursedOn, balanceFen: 1 })], validTo: '2030-12-31', registrationExpiresOn: null });
  it.each([
    ['2026-12-30', '2026-01-01', false], // the loan matures the day before the deadline
    ['2026-12-31', '2026-01-01', true], // on the deadline
    ['2027-01-01', '2026-01-01', true], // after it
    ['2027-06-30', '2026-12-31', true], // disbursed on the deadline
    ['2027-06-30', '2027-01-01', false], // disbursed after it
  ])('loan to %s from %s: alert %s', (maturesOn, disbursedOn, alert) => {
    expect(kinds(cea(maturesOn, disbursedOn)).includes('surrender_deadline_in_term')).toBe(alert);
  });
  it('only carbon allowances have one', () => {
    expect(kinds(facts({ complianceYear: 2025, loans: [loan({ maturesOn: '2027-01-01', balanceFen: 1 })] }))).toEqual([]);
  });
});

describe('eligibility lost: red or black environmental rating', () => {
  it.each([
    ['red', true],
    ['black', true],
    ['yellow', false],
    ['blue', false],
    [null, false],
  ] as const)('%s: alert %s', (enterpriseRating, alert) => {
    expect(kinds(facts({ enterpriseRating })).includes('eligibility_lost')).toBe(alert);
  });
});

describe('which items are watched', () => {
  it.each([
    ['draft', false],
    ['submitted', false],
    ['rejected', false],
    ['approved', true],
    ['registered', true],
    ['active', true],
    ['in_disposal', false],
    ['released', false],
    ['disposed', false],
  ] as const)('%s: alerts %s', (status, watched) => {
    expect(collateralAlerts(facts({ status, enterpriseRating: 'red' }), settings).length > 0).toBe(watched);
  });
});

describe('an open environmental rectification case of the owner (eligibility doubtful)', () => {
  it('names the open cases', () => {
    expect(collateralAlerts(facts({ openEnvironmentalCases: ['ZG-2026-AB12-0001', 'ZG-2026-AB12-0003'] }), settings)).toEqual([
      { kind: 'open_environmental_case', caseNumbers: ['ZG-2026-AB12-0001', 'ZG-2026-AB12-0003'] },
    ]);
  });
  it('raises nothing once they are closed (none open)', () => expect(kinds(facts({ openEnvironmentalCases: [] }))).toEqual([]));
  it('raises nothing for an item no longer watched', () => expect(kinds(facts({ status: 'released', openEnvironmentalCases: ['ZG-2026-AB12-0001'] }))).toEqual([]));
  it('stands beside a red rating', () => expect(kinds(facts({ enterpriseRating: 'red', openEnvironmentalCases: ['ZG-2026-AB12-0001'] }))).toEqual(['eligibility_lost', 'open_environmental_case']));
});
