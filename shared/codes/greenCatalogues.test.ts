import { describe, expect, it } from 'vitest';
import {
  catalogueInForce,
  catalogueWith,
  checkCatalogueVersion,
  compareCodes,
  lookupCode,
  publishedCatalogueSchema,
  shippedCatalogues,
} from './greenCatalogues.ts';

describe('the shipped catalogues', () => {
  it('holds the 9 level-1 categories of the 2025 catalogue, in the published order, and nothing deeper', () => {
    const entries = shippedCatalogues['2025'].entries;
    expect(entries.map((entry) => `${entry.code} ${entry.name}`)).toEqual([
      '1 节能降碳产业',
      '2 环境保护产业',
      '3 资源循环利用产业',
      '4 能源绿色低碳转型',
      '5 生态保护修复和利用',
      '6 基础设施绿色升级',
      '7 绿色服务',
      '8 绿色贸易',
      '9 绿色消费',
    ]);
    expect(entries.every((entry) => entry.level === 1)).toBe(true);
  });

  it('holds the 2021 catalogue as read: 6 level-1, level 2 without names, levels 3 and 4', () => {
    const entries = shippedCatalogues['2021'].entries;
    expect(entries.filter((entry) => entry.level === 1)).toHaveLength(6);
    expect(entries.filter((entry) => entry.level === 2).every((entry) => entry.name === null)).toBe(true);
    expect(entries.find((entry) => entry.code === '1.1.1')?.name).toBe('高效节能装备制造');
  });
});

describe('a tag names catalogue version + code', () => {
  it.each([
    ['2025', '1', true, '节能降碳产业'],
    ['2025', '9', true, '绿色消费'],
    ['2025', '10', false, null],
    ['2025', '1.1', false, null], // level 2 is not shipped: only head office's publication brings it
    ['2021', '1.1.1.1', true, '节能锅炉制造'],
    ['2021', '1.1', true, null], // a level-2 code of 2021 whose name the source lacks
    ['2021', '4.2.1.4', true, null], // a known gap of the source: valid, name unknown
    ['2021', '9', false, null],
    ['2021', '1..1', false, null],
  ] as const)('%s %s → known %s (%s)', (version, code, known, name) => {
    const lookup = lookupCode(shippedCatalogues[version], code);
    expect(lookup.ok).toBe(known);
    if (lookup.ok) expect(lookup.entry.name).toBe(name);
  });

  it('the catalogue in force follows the effective days', () => {
    expect(catalogueInForce('2021-06-30')).toBeNull();
    expect(catalogueInForce('2021-07-01')).toBe('2021');
    expect(catalogueInForce('2025-09-30')).toBe('2021');
    expect(catalogueInForce('2025-10-01')).toBe('2025');
  });

  it.each([
    ['a loan approved under 2021 keeps its 2021 tag', '2021', '2024-03-15', { ok: true }],
    ['a loan approved under 2021 may be re-tagged under 2025', '2025', '2024-03-15', { ok: true }],
    ['a loan approved the day 2025 took effect is not tagged under 2021', '2021', '2025-10-01', { ok: false, reason: 'supersededAtApproval', inForce: '2025' }],
    ['a loan approved under 2025 is tagged under 2025', '2025', '2026-01-05', { ok: true }],
    ['a loan older than both catalogues is tagged under the oldest held', '2021', '2019-05-01', { ok: true }],
  ] as const)('%s', (_, version, approvedOn, expected) => {
    expect(checkCatalogueVersion(version, approvedOn)).toEqual(expected);
  });

  it('a 2021-coded loan stays valid once head office publishes 2025 levels 2 and 3', () => {
    const published = publishedCatalogueSchema.parse({
      source: '总行 2026-11 导入',
      entries: [
        { code: '1.1', name: '节能降碳装备制造', level: 2, parent: '1' },
        { code: '1.1.1', name: '高效节能锅炉制造', level: 3, parent: '1.1' },
      ],
    });
    const with2025 = catalogueWith('2025', published);
    expect(lookupCode(with2025, '1.1.1')).toMatchObject({ ok: true, entry: { name: '高效节能锅炉制造' } });
    expect(with2025.entries.filter((entry) => entry.level === 1)).toHaveLength(9);
    expect(with2025.sources).toContain('总行 2026-11 导入');
    expect(lookupCode(shippedCatalogues['2021'], '1.1.1.1').ok).toBe(true);
  });
});

describe('a published catalogue is checked entry by entry', () => {
  it.each([
    ['level does not match the code', { code: '1.1', name: 'x', level: 3, parent: '1' }, 'level'],
    ['wrong parent', { code: '1.1.1', name: 'x', level: 3, parent: '2.1' }, 'parent'],
    ['parent not in the set', { code: '1.2.1', name: 'x', level: 3, parent: '1.2' }, 'parent'],
    ['bad code', { code: '1.a', name: 'x', level: 2, parent: '1' }, 'code'],
  ])('%s', (_, entry, field) => {
    const result = publishedCatalogueSchema.safeParse({ source: '总行', entries: [{ code: '1.1', name: '节能', level: 2, parent: '1' }, entry] });
    expect(result.success).toBe(false);
    expect(result.error?.issues.some((issue) => issue.path.includes(field))).toBe(true);
  });

  it('refuses a duplicate code', () => {
    const entry = { code: '1.1', name: '节能', level: 2, parent: '1' };
    expect(publishedCatalogueSchema.safeParse({ source: '总行', entries: [entry, entry] }).success).toBe(false);
  });

  it('orders codes number by number', () => {
    expect(['1.10', '1.2', '1', '2', '1.2.1'].sort(compareCodes)).toEqual(['1', '1.2', '1.2.1', '1.10', '2']);
  });
});
