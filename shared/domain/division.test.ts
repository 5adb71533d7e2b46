import { describe, expect, it } from 'vitest';
import { PROVINCES, checkDivisionCode, isCountyLevel, provinceName } from './division.ts';

describe('checkDivisionCode', () => {
  it.each([
    ['110000', 'province', '11'], // 北京市
    ['350100', 'prefecture', '35'], // 福州市
    ['350102', 'county', '35'], // 福州市鼓楼区
    ['110101', 'county', '11'], // 北京市东城区
    ['500101', 'county', '50'], // 重庆市万州区
    ['360281', 'county', '36'], // 乐平市 (景德镇)
    ['653101', 'county', '65'], // 喀什市
    ['429004', 'county', '42'], // 仙桃市, 省直辖县级 (prefecture part 90)
    ['441900', 'prefecture', '44'], // 东莞市, no counties
    ['820000', 'province', '82'], // 澳门
  ])('%s is a valid %s-level code', (code, level, province) => {
    expect(checkDivisionCode(code)).toEqual({ ok: true, code, level, province });
  });

  it.each([
    ['', { reason: 'format' }],
    ['35010', { reason: 'format' }],
    ['3501020', { reason: 'format' }],
    ['35O102', { reason: 'format' }],
    ['３５０１０２', { reason: 'format' }],
    ['100000', { reason: 'province', province: '10' }], // national-level USCC registrations use it; not a division
    ['000000', { reason: 'province', province: '00' }],
    ['160101', { reason: 'province', province: '16' }],
    ['720000', { reason: 'province', province: '72' }],
    ['350001', { reason: 'prefecture' }],
  ])('%j is rejected', (code, failure) => {
    expect(checkDivisionCode(code)).toEqual({ ok: false, ...failure });
  });
});

describe('isCountyLevel', () => {
  it.each([
    ['350102', true],
    ['429004', true],
    ['350100', false],
    ['441900', false],
    ['350000', false],
    ['350001', false],
    ['990101', false],
    ['abc', false],
  ])('%s → %s', (code, expected) => {
    expect(isCountyLevel(code)).toBe(expected);
  });
});

describe('provinceName', () => {
  it('knows all 34 province-level divisions', () => {
    expect(Object.keys(PROVINCES)).toHaveLength(34);
  });

  it.each([
    ['350102', '福建省'],
    ['11', '北京市'],
    ['500000', '重庆市'],
    ['450000', '广西壮族自治区'],
    ['650000', '新疆维吾尔自治区'],
    ['710000', '台湾省'],
    ['810000', '香港特别行政区'],
    ['100000', undefined],
    ['3501', undefined],
    ['', undefined],
  ])('%j → %s', (code, name) => {
    expect(provinceName(code)).toBe(name);
  });
});
