import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { HostError, Locale } from '../../../shared/api/index.ts';
import { zhCN } from './zh-CN.ts';
import { en } from './en.ts';

export const resources = { 'zh-CN': { translation: zhCN }, en: { translation: en } } as const;

/** One app's words in both languages (the laptop's by default; the console's are i18n/console). */
export type AppResources = Record<Locale, { translation: object }>;

export async function initI18n(locale: Locale, appResources: AppResources = resources): Promise<void> {
  await i18next.use(initReactI18next).init({
    resources: appResources,
    lng: locale,
    fallbackLng: 'zh-CN',
    interpolation: { escapeValue: false }, // React escapes already
    returnNull: false,
    showSupportNotice: false,
  });
}

/** A host error in the user's language: the code's text, plus field issues when there are any. */
export function describeError(error: HostError): string {
  // Head office's reason, in the words the 同步 page uses for it, when there are some.
  const syncCode = error.details?.syncCode;
  if (error.code === 'HUB_ERROR' && typeof syncCode === 'string' && i18next.exists(`sync.errors.${syncCode}`)) return i18next.t(`sync.errors.${syncCode}`, { minutes: Math.round(Math.abs(Number(error.details?.clockSkewMs ?? 0)) / 60_000) });
  const named = error.details?.issues?.find((issue) => i18next.exists(`errors.issues.${issue.code}`));
  if (named !== undefined) return i18next.t(`errors.issues.${named.code}`, (named as { params?: Record<string, unknown> }).params ?? {});
  const text = i18next.t(`errors.codes.${error.code}`);
  const fields = error.details?.issues?.map((issue) => issue.path.join('.')).filter(Boolean) ?? [];
  return fields.length > 0 ? `${text}（${fields.join('、')}）` : text;
}

export { i18next };
