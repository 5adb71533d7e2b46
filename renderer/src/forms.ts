import { z } from 'zod';
import type { FormInstance } from 'antd';
import type { FieldIssue, HostError, Locale } from '../../shared/api/index.ts';
import { describeError, i18next } from './i18n/index.ts';

/** zod's own messages follow the UI language (zod ships zh-CN). */
export function configureZodLocale(locale: Locale): void {
  z.config(locale === 'zh-CN' ? z.locales.zhCN() : z.locales.en());
}

/**
 * Our rules carry a code as their message, or a reason in `params` (shared/domain) worded here in the
 * UI language; zod's built-in ones are already localized.
 */
export function issueText(issue: FieldIssue): string {
  const reason = issue.params?.reason;
  if (typeof reason === 'string' && i18next.exists(`validation.${reason}`)) return i18next.t(`validation.${reason}`, issue.params);
  const key = `validation.${issue.message}`;
  return i18next.exists(key) ? i18next.t(key) : issue.message;
}

function setIssues(form: FormInstance, issues: FieldIssue[]): void {
  const byField = new Map<string, { name: (string | number)[]; errors: string[] }>();
  for (const issue of issues) {
    const id = issue.path.join('.');
    const entry = byField.get(id) ?? { name: issue.path, errors: [] };
    entry.errors.push(issueText(issue));
    byField.set(id, entry);
  }
  form.setFields([...byField.values()]);
}

/**
 * Validates form values with the same zod schema the host applies, so the user sees the problem at
 * once and in their language; returns the parsed values or null after marking the fields.
 */
export function validateForm<S extends z.ZodType>(form: FormInstance, schema: S, values: unknown): z.output<S> | null {
  const parsed = schema.safeParse(values);
  if (parsed.success) return parsed.data;
  setIssues(
    form,
    parsed.error.issues.map((issue) => ({
      path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
      code: issue.code,
      message: issue.message,
      ...('params' in issue && issue.params !== undefined && { params: issue.params }),
    })),
  );
  return null;
}

/** Shows a host error on the form's fields when it names them, else returns the text to show. */
export function hostErrorOnForm(form: FormInstance, error: HostError): string | null {
  const issues = error.details?.issues;
  if (issues !== undefined && issues.length > 0) {
    setIssues(form, issues);
    return null;
  }
  return describeError(error);
}
