import { describe, expect, it } from 'vitest';
import { divisionOf, industries, industryByCode, isValidIndustryCode, nearestIndustry, parentIndustryCode } from './industries.ts';

describe('GB/T 4754-2017 table', () => {
  it('ships 20 sections and 97 divisions, 31 of them manufacturing (C13–C43)', () => {
    expect(industries.filter((i) => i.level === 'section')).toHaveLength(20);
    expect(industries.filter((i) => i.level === 'division')).toHaveLength(97);
    const manufacturing = industries.filter((i) => i.level === 'division' && i.code.startsWith('C'));
    expect(manufacturing.map((i) => i.code)).toEqual(Array.from({ length: 31 }, (_, k) => `C${13 + k}`));
  });

  it('has no duplicate codes and every entry hangs under a shipped parent', () => {
    const codes = industries.map((i) => i.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const { code } of industries) {
      const parent = parentIndustryCode(code);
      if (parent !== undefined) expect(industryByCode(parent), code).toBeDefined();
    }
  });

  it.each([
    ['A', '农、林、牧、渔业', 'section'],
    ['C', '制造业', 'section'],
    ['D', '电力、热力、燃气及水生产和供应业', 'section'],
    ['T', '国际组织', 'section'],
    ['A01', '农业', 'division'],
    ['C13', '农副食品加工业', 'division'],
    ['C14', '食品制造业', 'division'],
    ['C15', '酒、饮料和精制茶制造业', 'division'],
    ['C25', '石油、煤炭及其他燃料加工业', 'division'],
    ['C30', '非金属矿物制品业', 'division'],
    ['C38', '电气机械和器材制造业', 'division'],
    ['C43', '金属制品、机械和设备修理业', 'division'],
    ['N77', '生态保护和环境治理业', 'division'],
    ['C301', '水泥、石灰和石膏制造', 'group'],
    ['C385', '家用电力器具制造', 'group'],
    ['C3851', '家用制冷电器具制造', 'class'],
    ['C3852', '家用空气调节器制造', 'class'],
  ])('%s %s (%s)', (code, name, level) => {
    expect(industryByCode(code)).toEqual({ code, name, level });
  });

  it('returns nothing for codes it does not ship', () => {
    expect(industryByCode('C3011')).toBeUndefined();
    expect(industryByCode('c13')).toBeUndefined();
  });
});

describe('isValidIndustryCode', () => {
  it.each([
    ['C', true],
    ['C13', true],
    ['A0111', true], // a class under an unshipped division: accepted on structure
    ['C3011', true], // class under a shipped group whose classes are not shipped
    ['C3811', true],
    ['C3851', true],
    ['C2811', true],
    ['C1310', true], // 2011 edition code (2017 split it into 1311–1319); structure alone cannot tell
    ['T97', true],
    ['C3858', false], // C385's classes are all shipped; 3858 is not one of them
    ['C388', false], // C38's groups are all shipped; 388 is not one of them
    ['C12', false], // division 12 is in section B
    ['B13', false],
    ['C98', false],
    ['C00', false],
    ['U', false],
    ['13', false], // the section letter is part of the code here
    ['c13', false],
    ['C1', false],
    ['C385100', false],
    ['', false],
  ])('%j → %s', (code, expected) => {
    expect(isValidIndustryCode(code)).toBe(expected);
  });
});

describe('divisionOf', () => {
  it.each([
    ['C3851', 'C38'],
    ['C385', 'C38'],
    ['C38', 'C38'],
    ['A0111', 'A01'],
    ['C', undefined],
    ['C3858', undefined],
    ['X99', undefined],
  ])('%s → %s', (code, expected) => {
    expect(divisionOf(code)).toBe(expected);
  });
});

describe('nearestIndustry', () => {
  it.each([
    ['C3851', 'C3851'],
    ['C3011', 'C301'],
    ['A0111', 'A01'],
    ['C', 'C'],
  ])('%s → %s', (code, expected) => {
    expect(nearestIndustry(code)?.code).toBe(expected);
  });

  it('is undefined for an invalid code', () => {
    expect(nearestIndustry('C3858')).toBeUndefined();
  });
});
