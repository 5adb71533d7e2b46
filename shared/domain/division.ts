/**
 * GB/T 2260 administrative division codes (行政区划代码): six digits, PPCCXX, province PP,
 * prefecture CC, county XX. This checks structure only; whether a given county code exists (codes
 * are retired and reissued every year) is a question for reference data, not for a pure rule.
 */

/** The 34 province-level divisions, by the first two digits. */
export const PROVINCES: Readonly<Record<string, string>> = {
  '11': '北京市',
  '12': '天津市',
  '13': '河北省',
  '14': '山西省',
  '15': '内蒙古自治区',
  '21': '辽宁省',
  '22': '吉林省',
  '23': '黑龙江省',
  '31': '上海市',
  '32': '江苏省',
  '33': '浙江省',
  '34': '安徽省',
  '35': '福建省',
  '36': '江西省',
  '37': '山东省',
  '41': '河南省',
  '42': '湖北省',
  '43': '湖南省',
  '44': '广东省',
  '45': '广西壮族自治区',
  '46': '海南省',
  '50': '重庆市',
  '51': '四川省',
  '52': '贵州省',
  '53': '云南省',
  '54': '西藏自治区',
  '61': '陕西省',
  '62': '甘肃省',
  '63': '青海省',
  '64': '宁夏回族自治区',
  '65': '新疆维吾尔自治区',
  '71': '台湾省',
  '81': '香港特别行政区',
  '82': '澳门特别行政区',
};

export type DivisionLevel = 'province' | 'prefecture' | 'county';

export type DivisionCheck =
  | { ok: true; code: string; level: DivisionLevel; province: string }
  | { ok: false; reason: 'format' }
  | { ok: false; reason: 'province'; province: string }
  /** A county part under prefecture part 00 (PP00XX): no such code exists. */
  | { ok: false; reason: 'prefecture' };

export function checkDivisionCode(code: string): DivisionCheck {
  if (!/^\d{6}$/.test(code)) return { ok: false, reason: 'format' };
  const province = code.slice(0, 2);
  if (!Object.hasOwn(PROVINCES, province)) return { ok: false, reason: 'province', province };
  const prefecture = code.slice(2, 4);
  const county = code.slice(4, 6);
  if (prefecture === '00' && county !== '00') return { ok: false, reason: 'prefecture' };
  const level: DivisionLevel = county !== '00' ? 'county' : prefecture !== '00' ? 'prefecture' : 'province';
  return { ok: true, code, level, province };
}

/**
 * A county-level division (县, 县级市, 市辖区, 旗 …, including 省直辖县 such as 429004 仙桃市).
 * Note that a few prefecture-level cities have no counties at all (东莞 441900, 中山 442000,
 * 儋州 460400, 嘉峪关 620200): an enterprise there is filed under the prefecture code.
 */
export function isCountyLevel(code: string): boolean {
  const result = checkDivisionCode(code);
  return result.ok && result.level === 'county';
}

/** Chinese name of the province a division code (or a two-digit prefix) belongs to. */
export function provinceName(code: string): string | undefined {
  if (!/^\d{2}(?:\d{4})?$/.test(code)) return undefined;
  return PROVINCES[code.slice(0, 2)];
}
