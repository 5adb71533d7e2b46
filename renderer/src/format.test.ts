import { describe, expect, it } from 'vitest';
import { formatInstant } from './format.ts';
import { i18next, initI18n } from './i18n/index.ts';

describe('formatInstant', () => {
  it('writes Beijing time as YYYY-MM-DD HH:mm:ss in both languages', async () => {
    await initI18n('zh-CN');
    expect(formatInstant('2026-12-02T01:05:09Z')).toBe('2026-12-02 09:05:09');
    await i18next.changeLanguage('en');
    // Not 02/12/2026, which an English reader takes for February.
    expect(formatInstant('2026-12-02T01:05:09Z')).toBe('2026-12-02 09:05:09');
    // Past midnight in Beijing while still the previous day in UTC; midnight is 00, not 24.
    expect(formatInstant('2026-12-31T16:00:00Z')).toBe('2027-01-01 00:00:00');
  });
});
