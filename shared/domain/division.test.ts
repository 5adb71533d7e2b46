import { describe, expect, it } from 'vitest';
import reference from '../codes/divisions.json' with { type: 'json' };
import { checkDivisionCode, divisionFailureMessage, divisionPlace, provinceName } from './division.ts';
import { divisionCodeSchema } from './enterprise.ts';

describe('checkDivisionCode', () => {
  it.each([
    ['360222', { province: '江西省', prefecture: '景德镇市', county: '浮梁县' }],
    ['360281', { province: '江西省', prefecture: '景德镇市', county: '乐平市' }],
    ['350102', { province: '福建省', prefecture: '福州市', county: '鼓楼区' }],
    ['110101', { province: '北京市', prefecture: null, county: '东城区' }], // 市辖区 is not a place
    ['500101', { province: '重庆市', prefecture: null, county: '万州区' }],
    ['653101', { province: '新疆维吾尔自治区', prefecture: '喀什地区', county: '喀什市' }],
    ['429004', { province: '湖北省', prefecture: null, county: '仙桃市' }], // 省直辖县级
    ['441900', { province: '广东省', prefecture: null, county: '东莞市' }], // no counties: the prefecture code
    ['620200', { province: '甘肃省', prefecture: null, county: '嘉峪关市' }], // GB/T 2260's code, not the statistics' 620201
  ])('%s is %j', (code, names) => {
    expect(checkDivisionCode(code)).toEqual({ ok: true, code, names });
  });

  it.each([
    ['', 'divisionFormat'],
    ['36022', 'divisionFormat'],
    ['3602220', 'divisionFormat'],
    ['36O222', 'divisionFormat'],
    ['３６０２２２', 'divisionFormat'],
    ['360299', 'divisionUnknown'], // looks right, is not a county of 景德镇
    ['130171', 'divisionUnknown'], // 石家庄高新区: a statistics-only unit, not a division
    ['620201', 'divisionUnknown'],
    ['350001', 'divisionUnknown'],
    ['100000', 'divisionUnknown'], // national-level USCC registrations use it; not a division
    ['000000', 'divisionUnknown'],
    ['110100', 'divisionUnknown'], // 北京 市辖区 is no place of its own
  ])('%j is refused: %s', (code, reason) => {
    expect(checkDivisionCode(code)).toEqual({ ok: false, reason, code });
  });

  it.each([
    ['360000', '江西省'],
    ['360200', '景德镇市'],
    ['350100', '福州市'],
  ])('%s names a %s, not a county', (code, name) => {
    expect(checkDivisionCode(code)).toEqual({ ok: false, reason: 'divisionNotCounty', code, name });
  });

  it('says why a code is refused', () => {
    const message = (code: string) => {
      const result = checkDivisionCode(code);
      return result.ok ? null : divisionFailureMessage(result);
    };
    expect(message('360299')).toBe('360299 不是现行的县级行政区划代码');
    expect(message('36022')).toBe('行政区划代码应为 6 位数字（GB/T 2260，如 360222），现为「36022」');
    expect(message('360200')).toBe('360200 是景德镇市的代码，请填写县级行政区划代码');
  });
});

describe('the shipped division list', () => {
  it('names its source and date', () => {
    expect(reference.source).toContain('国家统计局');
    expect(reference.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('holds only six-digit county codes under a listed province, none of the statistics-only units', () => {
    const codes = Object.keys(reference.counties);
    expect(codes.length).toBeGreaterThan(2800);
    for (const code of codes) {
      expect(code).toMatch(/^\d{6}$/);
      expect(Object.hasOwn(reference.provinces, code.slice(0, 2)), code).toBe(true);
      const county = Number(code.slice(4));
      expect(county >= 71 && county <= 80, code).toBe(false);
    }
  });
});

describe('divisionCodeSchema', () => {
  it('refuses with the reason as params and the Chinese text as message', () => {
    const parsed = divisionCodeSchema.safeParse('360299');
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ message: '360299 不是现行的县级行政区划代码', params: { reason: 'divisionUnknown', code: '360299' } });
    expect(divisionCodeSchema.safeParse('360222').success).toBe(true);
  });
});

describe('divisionPlace and provinceName', () => {
  it.each([
    ['360222', '江西省 景德镇市 浮梁县'],
    ['110101', '北京市 东城区'],
    ['441900', '广东省 东莞市'],
    ['360299', undefined],
  ])('%s → %s', (code, place) => {
    expect(divisionPlace(code)).toBe(place);
  });

  it.each([
    ['350102', '福建省'],
    ['11', '北京市'],
    ['450000', '广西壮族自治区'],
    ['100000', undefined],
    ['3501', undefined],
    ['', undefined],
  ])('%j → %s', (code, name) => {
    expect(provinceName(code)).toBe(name);
  });
});
