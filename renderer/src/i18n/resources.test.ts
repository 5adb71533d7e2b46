import { describe, expect, it } from 'vitest';
import { zhCN } from './zh-CN.ts';
import { en } from './en.ts';
import { errorCodes } from '../../../shared/api/result.ts';
import { syncTableNames } from '../../../shared/sync/tables.ts';

const keys = (value: unknown, prefix = ''): string[] =>
  typeof value === 'object' && value !== null
    ? Object.entries(value).flatMap(([key, inner]) => keys(inner, `${prefix}${key}.`))
    : [prefix.slice(0, -1)];

// Globbed rather than listed, so a feature file added later is checked too.
const features = {
  'zh-CN': import.meta.glob<Record<string, object>>('./zh-CN/*.ts', { eager: true }),
  en: import.meta.glob<Record<string, object>>('./en/*.ts', { eager: true }),
};

const featureFiles = (locale: keyof typeof features): string[] =>
  Object.keys(features[locale]).map((path) => path.slice(path.lastIndexOf('/') + 1)).sort();

const topLevelKeys = (locale: keyof typeof features): string[] =>
  Object.values(features[locale]).flatMap((module) => Object.values(module).flatMap((part) => Object.keys(part)));

describe('i18n resources', () => {
  it('have the same keys in Chinese and English', () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort());
  });

  it('split into the same feature files in both languages', () => {
    expect(featureFiles('en')).toEqual(featureFiles('zh-CN'));
  });

  // The feature files are spread into one object, so a section defined in two files would silently
  // lose one of them.
  it('define each top-level section in exactly one feature file, all of them assembled', () => {
    for (const [locale, assembled] of [['zh-CN', zhCN], ['en', en]] as const) {
      const sections = topLevelKeys(locale);
      expect(sections.length, locale).toBe(new Set(sections).size);
      expect(sections.sort(), locale).toEqual(Object.keys(assembled).sort());
    }
  });

  it('translate every host error code', () => {
    expect(Object.keys(zhCN.errors.codes).sort()).toEqual([...errorCodes].sort());
  });

  // The 同步 page names the table of a set-aside or refused row; a table without a name showed as
  // its SQL name (loan_snapshots) in the Chinese UI.
  it('name every synced table in words', () => {
    expect(Object.keys(zhCN.sync.quarantine.tables).sort()).toEqual([...syncTableNames].sort());
  });
});
