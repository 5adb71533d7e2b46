import type { z } from 'zod';
import dayjs from 'dayjs';
import type { FormInstance } from 'antd';
import type { TFunction } from 'i18next';
import { issueText } from '../forms.ts';
import { isUsccIssueParams, usccFailureText } from './usccHint.ts';
import { divisionFailureReasons, type DivisionFailureReason } from '../../../shared/domain/division.ts';

const isDivisionIssueParams = (params: unknown): params is { reason: DivisionFailureReason } & Record<string, unknown> =>
  divisionFailureReasons.includes((params as { reason?: DivisionFailureReason } | undefined)?.reason as DivisionFailureReason);

/**
 * validateForm (renderer/src/forms.ts) for the enterprise forms, which need three things more:
 * an empty field says 「必填」 rather than zod's "expected number, received undefined"; the USCC
 * issue is worded from its `params` in the UI language (the schema's message is Chinese); and
 * pattern rules (phone, quantity, division code) name what is expected instead of a regex.
 */

const isBlank = (input: unknown) => input === undefined || input === null || (typeof input === 'string' && input.trim() === '');

/** Last named segment of a path: the field the rule belongs to. */
function fieldOf(path: readonly PropertyKey[]): string {
  for (let i = path.length - 1; i >= 0; i -= 1) if (typeof path[i] === 'string') return path[i] as string;
  return '';
}

/** Fields whose rule is a pattern or a refinement, with the key that explains it. */
const ruleText: Record<string, string> = {
  phone: 'enterprises.validation.phone',
  industryCode: 'enterprises.validation.industryCode',
  year: 'enterprises.validation.year',
};
const quantityFields = new Set(['energyTce', 'waterM3', 'codT', 'nh3nT', 'so2T', 'noxT', 'co2T']);

export function enterpriseIssueText(issue: z.core.$ZodIssue, t: TFunction): string {
  if (isBlank(issue.input)) return t('validation.required');
  const params = (issue as { params?: unknown }).params;
  if (isUsccIssueParams(params)) return usccFailureText(params, t);
  if (isDivisionIssueParams(params)) return t(`validation.${params.reason}`, params);
  if ((params as { reason?: unknown } | undefined)?.reason === 'dateRange') return t('enterprises.validation.dateRange');
  const field = fieldOf(issue.path);
  if (quantityFields.has(field) && issue.code !== 'invalid_type') return t('enterprises.validation.quantity');
  const key = ruleText[field];
  if (key !== undefined && (issue.code === 'invalid_format' || issue.code === 'custom' || field === 'year')) return t(key);
  if (field === 'reason' && issue.code === 'too_small') return t('enterprises.validation.overrideReason');
  if (issue.code === 'invalid_format' && issue.format === 'date') return t('enterprises.validation.date');
  return issueText({ path: issue.path.map(String), code: issue.code, message: issue.message });
}

/** Parses with the schema the host applies; marks the fields and returns null when it fails. */
export function validateEnterpriseForm<S extends z.ZodType>(form: FormInstance, schema: S, values: unknown, t: TFunction): z.output<S> | null {
  // reportInput: the blank-field rule above needs to see what was entered.
  const parsed = schema.safeParse(values, { reportInput: true });
  if (parsed.success) return parsed.data;
  const byField = new Map<string, { name: (string | number)[]; errors: string[] }>();
  for (const issue of parsed.error.issues) {
    const name = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    const id = name.join('.');
    const entry = byField.get(id) ?? { name, errors: [] };
    const text = enterpriseIssueText(issue, t);
    if (!entry.errors.includes(text)) entry.errors.push(text);
    byField.set(id, entry);
  }
  form.setFields([...byField.values()]);
  return null;
}

/** Leaf paths of antd's changedValues (nested, arrays sparse); a Dayjs is a leaf. */
export function changedPaths(changed: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(changed)) {
    const paths: (string | number)[][] = [prefix];
    changed.forEach((item, index) => paths.push(...changedPaths(item, [...prefix, index])));
    return paths;
  }
  if (typeof changed === 'object' && changed !== null && !dayjs.isDayjs(changed)) {
    return Object.entries(changed).flatMap(([key, value]) => changedPaths(value, [...prefix, key]));
  }
  return [prefix];
}

/**
 * The forms mark errors from the schema rather than from per-field rules, so antd does not clear
 * them when the field changes; this does, for the fields just edited (Form onValuesChange).
 */
export function clearErrorsOnChange(form: FormInstance) {
  return (changed: unknown) => {
    const stale = changedPaths(changed).filter((name) => name.length > 0 && form.getFieldError(name).length > 0);
    if (stale.length > 0) form.setFields(stale.map((name) => ({ name, errors: [] })));
  };
}
