import { describe, expect, it } from 'vitest';
import { consoleEn, consoleZhCN } from './index.ts';

const keys = (value: unknown, prefix = ''): string[] =>
  typeof value === 'object' && value !== null ? Object.entries(value).flatMap(([key, inner]) => keys(inner, `${prefix}${key}.`)) : [prefix.slice(0, -1)];

const features = {
  'zh-CN': import.meta.glob<Record<string, object>>('./zh-CN/*.ts', { eager: true }),
  en: import.meta.glob<Record<string, object>>('./en/*.ts', { eager: true }),
};

describe('console i18n resources', () => {
  // The audit's action and record-type maps are typed as records (any action name), so the type
  // alone would let a language miss one.
  it('have the same keys in Chinese and English', () => {
    expect(keys(consoleEn).sort()).toEqual(keys(consoleZhCN).sort());
  });

  it('assemble every feature file, each section from one file', () => {
    for (const [locale, assembled] of [['zh-CN', consoleZhCN], ['en', consoleEn]] as const) {
      const sections = Object.values(features[locale]).flatMap((module) => Object.values(module).flatMap((part) => Object.keys(part)));
      expect(sections.length, locale).toBe(new Set(sections).size);
      expect(sections.sort(), locale).toEqual(Object.keys(assembled).sort());
    }
  });
});
