import { describe, expect, it } from 'vitest';
import {
  checkLoanNumber,
  checkStatusChange,
  formatRate,
  isNonPerforming,
  loanClassifications,
  loanLifecycle,
  loanRuleIssues,
  loanSchema,
  loanStatuses,
  normalizeLoanNumber,
  type LoanFacts,
  type LoanStatus,
} from './loan.ts';
import { guaranteeModes, isEnvironmentalRightsPledge } from './guarantee.ts';

describe('loan number (借据号)', () => {
  it.each([
    ['36022201202400012345', '36022201202400012345'],
    ['  JK2024-000123 ', 'JK2024-000123'],
    ['jk2024_7', 'JK2024_7'],
    ['３６０２２２０１', '36022201'], // full-width digits from a Chinese IME
    ['0001', '0001'], // leading zeros are part of the number
    ['A1B2', 'A1B2'],
    ['1'.repeat(40), '1'.repeat(40)],
  ])('%j is %j and valid', (typed, normalized) => {
    expect(normalizeLoanNumber(typed)).toBe(normalized);
    expect(checkLoanNumber(normalizeLoanNumber(typed))).toEqual({ ok: true });
  });

  it.each([
    ['123', { reason: 'length', length: 3 }],
    ['1'.repeat(41), { reason: 'length', length: 41 }],
    ['JK 2024 01', { reason: 'charset', position: 3, character: ' ' }],
    ['借据2024001', { reason: 'charset', position: 1, character: '借' }],
    ['JK2024/001', { reason: 'charset', position: 7, character: '/' }],
    ['ABCD-EF', { reason: 'digit' }],
    // A CSV opened in Excel and saved again: the 20-digit number is now a float.
    ['3.6022E+19', { reason: 'scientific' }],
    ['3.60222012024E+19', { reason: 'scientific' }],
    ['4E19', { reason: 'scientific' }],
  ])('%j is refused: %j', (typed, failure) => {
    expect(checkLoanNumber(normalizeLoanNumber(typed))).toEqual({ ok: false, ...failure });
  });
});

describe('five-level classification and status', () => {
  it('orders the classes best to worst; substandard, doubtful and loss are non-performing (不良)', () => {
    expect(loanClassifications).toEqual(['normal', 'special_mention', 'substandard', 'doubtful', 'loss']);
    expect(loanClassifications.filter(isNonPerforming)).toEqual(['substandard', 'doubtful', 'loss']);
  });

  const allowed: [LoanStatus, LoanStatus][] = [
    ['outstanding', 'outstanding'],
    ['outstanding', 'settled'],
    ['outstanding', 'written_off'],
    ['settled', 'settled'],
    ['written_off', 'written_off'],
  ];
  it('allows exactly: staying put, outstanding → settled, outstanding → written off', () => {
    for (const from of loanStatuses) {
      for (const to of loanStatuses) {
        const ok = allowed.some(([f, t]) => f === from && t === to);
        expect(checkStatusChange(from, to), `${from} → ${to}`).toEqual(ok ? { ok: true } : { ok: false, reason: 'terminal', from, to });
      }
    }
  });
});

describe('the status rule head office runs on synced loans', () => {
  const change = (from: LoanStatus | undefined, to: LoanStatus) =>
    loanLifecycle({ op: from === undefined ? 'insert' : 'update', before: from === undefined ? undefined : { status: from }, after: { status: to }, fields: ['status'], userId: 'u', source: 'device' });
  it('refuses exactly the transitions the host refuses', () => {
    for (const from of loanStatuses) {
      for (const to of loanStatuses) {
        expect(change(from, to).length === 0, `${from} → ${to}`).toBe(checkStatusChange(from, to).ok);
      }
    }
    expect(change('settled', 'outstanding')).toEqual([{ field: 'status', rule: 'LOAN_STATUS_TERMINAL', message: 'a settled loan keeps its status (outstanding refused)' }]);
    // A new row may start in any status (a loan imported after it was settled).
    expect(change(undefined, 'settled')).toEqual([]);
  });
});

describe('rules between the fields of a loan', () => {
  const loan: LoanFacts = {
    amount: 500_000_00,
    balance: 300_000_00,
    balanceAsOf: '2025-06-30',
    disbursedOn: '2024-07-01',
    maturesOn: '2027-06-30',
    classification: 'normal',
    status: 'outstanding',
  };
  const reasons = (facts: Partial<LoanFacts>) => loanRuleIssues({ ...loan, ...facts }).map((issue) => issue.reason);

  it.each<[string, Partial<LoanFacts>, string[]]>([
    ['a loan in the middle of its term', {}, []],
    ['balance equal to the amount (nothing repaid yet)', { balance: 500_000_00 }, []],
    ['balance one 分 over the amount', { balance: 500_000_01 }, ['balanceOverAmount']],
    ['maturity one day after disbursement', { maturesOn: '2024-07-02' }, []],
    ['maturity on the disbursement day', { maturesOn: '2024-07-01' }, ['maturityBeforeDisbursement']],
    ['maturity before disbursement', { maturesOn: '2024-06-30' }, ['maturityBeforeDisbursement']],
    ['balance as of the disbursement day', { balanceAsOf: '2024-07-01' }, []],
    ['balance as of a day before disbursement', { balanceAsOf: '2024-06-30' }, ['balanceBeforeDisbursement']],
    ['balance as of a day after maturity (an overdue loan)', { balanceAsOf: '2027-09-30' }, []],
    ['settled with a zero balance', { status: 'settled', balance: 0 }, []],
    ['settled with one 分 left', { status: 'settled', balance: 1 }, ['settledWithBalance']],
    ['outstanding with a zero balance (repaid, not yet closed in the core system)', { balance: 0 }, []],
    ['written off as loss', { status: 'written_off', classification: 'loss' }, []],
    ['written off as doubtful', { status: 'written_off', classification: 'doubtful' }, []],
    ['written off as substandard', { status: 'written_off', classification: 'substandard' }, ['writeOffClassification']],
    ['written off as normal', { status: 'written_off', classification: 'normal' }, ['writeOffClassification']],
  ])('%s', (_name, facts, expected) => {
    expect(reasons(facts)).toEqual(expected);
  });

  /** A valid form input. */
  const input = {
    loanNumber: 'JK0001',
    enterpriseId: 'e1',
    amount: 100,
    balance: 100,
    balanceAsOf: '2025-01-01',
    disbursedOn: '2025-01-01',
    maturesOn: '2026-01-01',
    rateBp: 435,
    classification: 'normal',
    guaranteeMode: 'credit',
    status: 'outstanding',
  } as const;

  it('the form schema reports each rule on its field, with the Chinese message', () => {
    const parsed = loanSchema.safeParse({ ...input, loanNumber: ' jk2024-0001 ', balance: 101, maturesOn: '2025-01-01', guaranteeMode: 'environmental_rights_pledge' });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['balance', '贷款余额不能大于贷款金额'],
      ['maturesOn', '到期日应晚于发放日'],
    ]);
    const ok = loanSchema.parse({ ...input, loanNumber: ' jk2024-0001 ' });
    expect(ok).toMatchObject({ loanNumber: 'JK2024-0001', applicationId: null, purpose: null, guaranteeMode: 'credit' });
  });

  it.each([
    [0, true],
    [2400, true],
    [2401, false],
    [-1, false],
    [435.5, false], // rates are whole basis points: 4.355% is not a rate a contract states
  ])('rate %d bp accepted: %s', (bp, ok) => {
    expect(loanSchema.safeParse({ ...input, rateBp: bp }).success).toBe(ok);
  });

  it('formats basis points as a percentage', () => {
    expect([formatRate(435), formatRate(0), formatRate(1200), formatRate(5)]).toEqual(['4.35%', '0.00%', '12.00%', '0.05%']);
  });
});

describe('guarantee modes', () => {
  it('holds the environmental-rights pledge apart from an ordinary pledge', () => {
    expect(guaranteeModes).toEqual(['credit', 'guarantee', 'mortgage', 'pledge', 'environmental_rights_pledge']);
    expect(guaranteeModes.filter(isEnvironmentalRightsPledge)).toEqual(['environmental_rights_pledge']);
  });
});
