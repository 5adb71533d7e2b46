import { describe, expect, it } from 'vitest';
import { defaultFocusIndustryGroupings, focusGroupOf, focusIndustryGroupingsSchema, type FocusIndustryGroupings } from './focusIndustries.ts';

describe('focusGroupOf with the 2018 default grouping', () => {
  it.each([
    ['C3851', 'lightIndustry'], // 家用制冷电器具: C385 before C38
    ['C3852', 'lightIndustry'], // 家用空调 (格力, 美的)
    ['C385', 'lightIndustry'],
    ['C3811', 'machinery'], // 发电机: only C38 matches
    ['C3841', 'machinery'], // 锂离子电池 (宁德时代)
    ['C38', 'machinery'],
    ['C3012', 'buildingMaterials'], // 石灰和石膏
    ['C3011', 'buildingMaterials'], // 水泥
    ['C2811', 'textiles'], // 化纤浆粕
    ['C1811', 'textiles'], // 运动机织服装
    ['C1310', 'food'], // a 2011-edition code: still food by its division
    ['C1512', 'food'], // 白酒
    ['C2231', 'lightIndustry'], // 纸和纸板容器
    ['C2922', 'lightIndustry'], // 塑料板、管、型材
    ['C4011', 'machinery'],
    ['C3311', 'machinery'],
  ])('%s → %s', (code, key) => {
    expect(focusGroupOf(code, defaultFocusIndustryGroupings)?.key).toBe(key);
  });

  it.each([
    ['A0111'], // 稻谷种植: not industry
    ['C26'], // 化学原料: not a focus industry
    ['C3612'], // 汽车: not listed
    ['C39'],
    ['C'], // the whole section is broader than any group
    ['C3858'], // not a GB/T 4754 code
    ['c3851'],
    [''],
  ])('%j → none', (code) => {
    expect(focusGroupOf(code, defaultFocusIndustryGroupings)).toBeUndefined();
  });

  it('resolves by specificity, not by the order groups are listed in', () => {
    const reversed: FocusIndustryGroupings = { ...defaultFocusIndustryGroupings, groups: [...defaultFocusIndustryGroupings.groups].reverse() };
    expect(focusGroupOf('C3851', reversed)?.key).toBe('lightIndustry');
    expect(focusGroupOf('C3811', reversed)?.key).toBe('machinery');
  });

  it('follows a replacement published by head office', () => {
    const replacement = focusIndustryGroupingsSchema.parse({
      version: 2,
      source: '总行 2026 年口径',
      groups: [
        { key: 'machinery', zh: '机械', en: 'Machinery', codes: ['C34', 'C35', 'C36'] },
        { key: 'electronics', zh: '电子信息', en: 'Electronics', codes: ['C39'] },
      ],
    });
    expect(focusGroupOf('C3612', replacement)?.key).toBe('machinery');
    expect(focusGroupOf('C3911', replacement)?.key).toBe('electronics');
    expect(focusGroupOf('C3851', replacement)).toBeUndefined();
  });
});

describe('focusIndustryGroupingsSchema', () => {
  it('accepts the shipped default', () => {
    expect(focusIndustryGroupingsSchema.parse(defaultFocusIndustryGroupings)).toEqual(defaultFocusIndustryGroupings);
  });

  const group = (key: string, codes: string[]) => ({ key, zh: key, en: key, codes });
  const bad: [string, unknown, (string | number)[]][] = [
    ['an invalid industry code', { version: 1, source: 's', groups: [group('food', ['C13', 'C3858'])] }, ['groups', 0, 'codes', 1]],
    ['a code in two groups', { version: 1, source: 's', groups: [group('a', ['C13']), group('b', ['C14', 'C13'])] }, ['groups', 1, 'codes', 1]],
    ['a duplicate key', { version: 1, source: 's', groups: [group('a', ['C13']), group('a', ['C14'])] }, ['groups', 1, 'key']],
    ['an empty group', { version: 1, source: 's', groups: [group('a', [])] }, ['groups', 0, 'codes']],
    ['no groups', { version: 1, source: 's', groups: [] }, ['groups']],
    ['version 0', { version: 0, source: 's', groups: [group('a', ['C13'])] }, ['version']],
    ['a key that is not an identifier', { version: 1, source: 's', groups: [group('建材', ['C30'])] }, ['groups', 0, 'key']],
  ];
  it.each(bad)('rejects %s', (_label, input, path) => {
    const result = focusIndustryGroupingsSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path)).toContainEqual(path);
  });
});
