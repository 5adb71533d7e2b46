import { describe, expect, it } from 'vitest';
import dayjs from 'dayjs';
import type { TFunction } from 'i18next';
import { creditTermsFromForm, fieldOfContractPath, toCreditFormValues, type CreditFormValues } from './formValues.ts';
import { zhCN } from '../i18n/zh-CN.ts';

// The Chinese resources themselves: the test reads the messages a user reads.
const t = ((key: string, params: Record<string, unknown> = {}) => {
  const template = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], zhCN) as string;
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(params[name]));
}) as unknown as TFunction;

const filled: CreditFormValues = {
  enterpriseId: 'ent-1',
  purposeKind: 'general',
  product: 'working_capital',
  amountText: '1,500,000.50',
  termMonths: 12,
  rateText: '3.45',
  purpose: '采购原材料',
  guaranteeMode: 'guarantee',
  greenProject: false,
};

const issuesOf = (values: CreditFormValues) => {
  const result = creditTermsFromForm(values, t);
  return result.ok ? {} : Object.fromEntries(result.issues.map((issue) => [issue.field, issue.message]));
};

describe('the application form against the contract’s terms schema', () => {
  it('turns typed 元 and % into fen and basis points', () => {
    expect(creditTermsFromForm(filled, t)).toEqual({ ok: true, terms: { ...filled, amountText: undefined, rateText: undefined, amountFen: 150_000_050, rateBp: 345, project: null } as never });
  });

  it('says 必填 for every empty required field, on that field', () => {
    expect(issuesOf({ purposeKind: 'general', greenProject: false })).toEqual({
      enterpriseId: '必填',
      product: '必填',
      amountText: '必填',
      termMonths: '必填',
      rateText: '必填',
      purpose: '必填',
      guaranteeMode: '必填',
    });
  });

  it('names what is wrong with a typed amount or rate', () => {
    expect(issuesOf({ ...filled, amountText: '150.125', rateText: '3.455' })).toEqual({ amountText: '最多两位小数（单位是元，不是万元）', rateText: '最多两位小数' });
    expect(issuesOf({ ...filled, amountText: '一百万', rateText: '3,45' })).toEqual({ amountText: '请填写金额（元），如 1,234,567.89', rateText: '请填写年利率百分数，如 3.45' });
    expect(issuesOf({ ...filled, amountText: '0' })).toEqual({ amountText: '金额须大于 0' });
    expect(issuesOf({ ...filled, rateText: '40' })).toEqual({ rateText: '年利率不超过 36%' });
    expect(issuesOf({ ...filled, termMonths: 400 })).toEqual({ termMonths: '期限为 1–360 个月的整数' });
  });

  it('asks a project loan for its project, field by field; a fixed-asset loan may leave it out', () => {
    expect(issuesOf({ ...filled, product: 'project' })).toEqual({ projectName: '必填', projectTotalInvestmentText: '必填', projectExpectedStart: '必填' });
    expect(issuesOf({ ...filled, product: 'fixed_asset' })).toEqual({});
    const project = { ...filled, product: 'project' as const, projectName: '窑炉余热发电', projectTotalInvestmentText: '8,000,000', projectExpectedStart: dayjs('2026-03-01') };
    const parsed = creditTermsFromForm(project, t);
    expect(parsed.ok && parsed.terms.project).toEqual({ name: '窑炉余热发电', totalInvestmentFen: 800_000_000, expectedStart: '2026-03-01' });
  });

  it('gives back what was saved, in the units it was typed in', () => {
    const parsed = creditTermsFromForm(filled, t);
    if (!parsed.ok) throw new Error('expected valid terms');
    expect(toCreditFormValues(parsed.terms, null)).toMatchObject({ amountText: '1,500,000.50', rateText: '3.45', termMonths: 12, projectName: '' });
  });

  it('puts a host issue on the form field it belongs to', () => {
    expect(fieldOfContractPath(['terms', 'amountFen'])).toBe('amountText');
    expect(fieldOfContractPath(['terms', 'rateBp'])).toBe('rateText');
    expect(fieldOfContractPath(['terms', 'project', 'totalInvestmentFen'])).toBe('projectTotalInvestmentText');
    expect(fieldOfContractPath(['terms', 'enterpriseId'])).toBe('enterpriseId');
    expect(fieldOfContractPath(['notes'])).toBe('notes');
  });
});
