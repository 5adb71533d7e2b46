import { describe, expect, it } from 'vitest';
import { bpToPercentText, loanFromForm, percentToBp, type LoanFormValues } from './formValues.ts';

const valid: LoanFormValues = {
  enterpriseId: 'e1',
  loanNumber: ' jk2025-000123 ',
  amount: '5,000,000.00',
  balance: '4,800,000.5',
  balanceAsOf: '2025-06-30',
  disbursedOn: '2025-01-15',
  maturesOn: '2027-01-14',
  rateBp: '3.45',
  classification: 'normal',
  guaranteeMode: 'environmental_rights_pledge',
  status: 'outstanding',
  purpose: '购置脱硫脱硝设备',
};

const problems = (values: LoanFormValues) => {
  const result = loanFromForm(values);
  if (result.ok) throw new Error('expected problems');
  return Object.fromEntries(result.problems.map((p) => [p.field, 'key' in p ? p.key : p.text]));
};

describe('percentToBp', () => {
  it.each([
    ['4.35', { ok: true, bp: 435 }],
    ['4.35%', { ok: true, bp: 435 }],
    ['４.３５', { ok: true, bp: 435 }],
    ['0', { ok: true, bp: 0 }],
    ['24', { ok: true, bp: 2400 }],
    ['24.01', { ok: false, reason: 'range' }],
    ['4.355', { ok: false, reason: 'precision' }],
    ['4,35', { ok: false, reason: 'format' }],
    ['-1', { ok: false, reason: 'format' }],
    ['  ', { ok: false, reason: 'blank' }],
  ])('%s', (text, expected) => expect(percentToBp(text)).toEqual(expected));

  it('writes basis points back as the percentage typed', () => {
    expect(bpToPercentText(435)).toBe('4.35');
    expect(bpToPercentText(5)).toBe('0.05');
    expect(bpToPercentText(2400)).toBe('24.00');
  });
});

describe('loanFromForm', () => {
  it('turns 元 into 分 and the percentage into basis points; the loan number is normalised', () => {
    const result = loanFromForm(valid);
    expect(result).toEqual({
      ok: true,
      loan: expect.objectContaining({ loanNumber: 'JK2025-000123', amount: 500_000_000, balance: 480_000_050, rateBp: 345, applicationId: null, purpose: '购置脱硫脱硝设备' }),
    });
  });

  it('says 必填 for what is missing, and why a typed figure cannot be read', () => {
    expect(problems({ ...valid, enterpriseId: null, classification: null, amount: '500万', rateBp: '4.355', maturesOn: '' })).toEqual({
      enterpriseId: 'validation.required',
      classification: 'validation.required',
      amount: 'loans.validation.yuan.format',
      rateBp: 'loans.validation.rate.precision',
      maturesOn: 'validation.required',
    });
    expect(problems({ ...valid, amount: '1.234' })).toEqual({ amount: 'loans.validation.yuan.precision' });
    expect(problems({ ...valid, amount: '0', balance: '0' })).toEqual({ amount: 'loans.validation.amountPositive' });
  });

  it('names a loan number a spreadsheet has mangled', () => {
    expect(problems({ ...valid, loanNumber: '3.6022E+19' })).toEqual({ loanNumber: 'loans.validation.loanNumber.scientific' });
    const charset = loanFromForm({ ...valid, loanNumber: 'JK2025/01' });
    expect(charset.ok === false && charset.problems[0]).toEqual({ field: 'loanNumber', key: 'loans.validation.loanNumber.charset', params: expect.objectContaining({ position: 7, character: '/' }) });
  });

  it('applies the rules between fields that the host applies', () => {
    expect(problems({ ...valid, balance: '5,000,000.01' })).toEqual({ balance: 'loans.validation.balanceOverAmount' });
    expect(problems({ ...valid, maturesOn: '2025-01-15' })).toEqual({ maturesOn: 'loans.validation.maturityBeforeDisbursement' });
    expect(problems({ ...valid, status: 'settled' })).toEqual({ balance: 'loans.validation.settledWithBalance' });
    expect(problems({ ...valid, status: 'written_off' })).toEqual({ classification: 'loans.validation.writeOffClassification' });
  });
});
