import { i18next } from './i18n/index.ts';

/**
 * Instants are stored in UTC; a county branch reads them in Beijing time whatever the laptop's
 * time-zone setting, in the display habit of the UI language.
 */
export function formatInstant(iso: string): string {
  return new Intl.DateTimeFormat(i18next.language === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).format(new Date(iso));
}
