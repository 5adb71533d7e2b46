import { usccCheckCharacter, USCC_CHARSET } from '../../shared/domain/uscc.ts';
import { isValidIndustryCode } from '../../shared/codes/industries.ts';
import type { EnterpriseFile } from '../../shared/domain/enterprise.ts';
import type { EnvironmentalRatingLevel } from '../../shared/domain/environmentalRating.ts';
import { defaultFocusIndustryGroupings } from '../../shared/codes/focusIndustries.ts';
import { uuidv7 } from 'uuidv7';
import { enterpriseColumns } from '../../db/enterprises.ts';
import type { Db } from '../../db/open.ts';

/**
 * A county-bank register for the benchmark: enterprises with realistic names (county + word +
 * industry word + 有限公司), real GB/T 2260 county codes, manufacturing industries across C13–C43,
 * scales, green credentials, ratings and flags in plausible proportions. Seeded: the same register
 * every run.
 */

/** [GB/T 2260 code, county name] — real county-level divisions in provinces with green-finance pilots. */
export const COUNTIES: readonly (readonly [string, string])[] = [
  ['360102', '东湖区'], ['360121', '南昌县'], ['360123', '安义县'], ['360124', '进贤县'], ['360202', '昌江区'],
  ['360203', '珠山区'], ['360222', '浮梁县'], ['360281', '乐平市'], ['360321', '莲花县'], ['360322', '上栗县'],
  ['360323', '芦溪县'], ['360423', '武宁县'], ['360424', '修水县'], ['360425', '永修县'], ['360428', '都昌县'],
  ['360429', '湖口县'], ['360430', '彭泽县'], ['360481', '瑞昌市'], ['360502', '渝水区'], ['360521', '分宜县'],
  ['360681', '贵溪市'], ['360702', '章贡区'], ['360722', '信丰县'], ['360723', '大余县'], ['360781', '瑞金市'],
  ['360821', '吉安县'], ['360902', '袁州区'], ['360921', '奉新县'], ['360981', '丰城市'], ['361021', '南城县'],
  ['361123', '玉山县'], ['361181', '德兴市'], ['330521', '德清县'], ['330522', '长兴县'], ['330523', '安吉县'],
  ['330483', '桐乡市'], ['330481', '海宁市'], ['330421', '嘉善县'], ['330681', '诸暨市'], ['330683', '嵊州市'],
  ['330624', '新昌县'], ['330782', '义乌市'], ['330783', '东阳市'], ['330784', '永康市'], ['330723', '武义县'],
  ['330726', '浦江县'], ['330781', '兰溪市'], ['330825', '龙游县'], ['330881', '江山市'], ['330822', '常山县'],
  ['330824', '开化县'], ['331123', '遂昌县'], ['331124', '松阳县'], ['331125', '云和县'], ['331126', '庆元县'],
  ['331122', '缙云县'], ['331121', '青田县'], ['330328', '文成县'], ['330329', '泰顺县'], ['330326', '平阳县'],
  ['330327', '苍南县'], ['330324', '永嘉县'], ['330382', '乐清市'], ['330381', '瑞安市'], ['331023', '天台县'],
  ['331024', '仙居县'], ['430121', '长沙县'], ['430181', '浏阳市'], ['430223', '攸县'], ['430321', '湘潭县'],
  ['430421', '衡阳县'], ['430621', '岳阳县'], ['430721', '安乡县'], ['430921', '南县'], ['420115', '江夏区'],
  ['420116', '黄陂区'], ['420222', '阳新县'], ['420281', '大冶市'], ['420525', '远安县'], ['420582', '当阳市'],
  ['420683', '枣阳市'], ['429004', '仙桃市'], ['429005', '潜江市'], ['429006', '天门市'], ['640121', '永宁县'],
  ['640122', '贺兰县'], ['640181', '灵武市'], ['640221', '平罗县'], ['640323', '盐池县'],
];

/** [GB/T 4754-2017 class, the word a company name would use], across manufacturing C13–C43. */
export const INDUSTRIES: readonly (readonly [string, string])[] = [
  ['C1331', '粮油'], ['C1351', '肉类食品'], ['C1371', '蔬菜加工'], ['C1411', '食品'], ['C1441', '乳业'],
  ['C1512', '酒业'], ['C1530', '茶业'], ['C1711', '纺织'], ['C1713', '印染'], ['C1811', '服饰'],
  ['C1910', '皮革'], ['C1951', '鞋业'], ['C2011', '木业'], ['C2110', '家具'], ['C2221', '纸业'],
  ['C2311', '印务'], ['C2411', '文具'], ['C2511', '石化'], ['C2614', '化工'], ['C2710', '制药'],
  ['C2811', '化纤'], ['C2911', '轮胎'], ['C2927', '塑业'], ['C3011', '水泥'], ['C3021', '建材'],
  ['C3041', '玻璃'], ['C3071', '陶瓷'], ['C3110', '钢铁'], ['C3216', '铝业'], ['C3311', '钢结构'],
  ['C3412', '动力机械'], ['C3511', '矿山机械'], ['C3611', '汽车'], ['C3731', '船舶'], ['C3811', '电机'],
  ['C3851', '电器'], ['C3971', '电子科技'], ['C4011', '仪表'], ['C4119', '工艺品'], ['C4210', '再生资源'],
  ['C4320', '设备修理'],
];

export const WORDS = [
  '华盛', '绿源', '恒通', '鑫达', '瑞丰', '宏远', '金桥', '天成', '永泰', '博远', '青山', '碧水',
  '光明', '新禾', '润田', '益农', '森茂', '嘉禾', '盛世', '正泰', '阳光', '清源', '山海', '同舟',
  '昌河', '赣丰', '鄱湖', '庐山', '井冈', '洪都', '汇川', '万达', '长青', '众诚', '立信', '德润',
  '富民', '兴隆', '广源', '合力', '东方', '南山', '北辰', '天宇', '中科', '银河', '金田', '绿洲',
] as const;

const SUFFIXES = ['有限公司', '有限公司', '有限公司', '有限责任公司', '股份有限公司'];

for (const [code] of INDUSTRIES) if (!isValidIndustryCode(code)) throw new Error(`bench industry ${code} is not a valid GB/T 4754 code`);

export const countyShortName = (name: string): string => (name.length > 2 ? name.replace(/(县|市|区)$/, '') : name);

export interface BenchEnterprise {
  file: EnterpriseFile;
  rating: EnvironmentalRatingLevel | null;
}

/** A valid USCC: 9 + 1 (企业) + the county code + a serial as the organisation code + the check character. */
export function benchUscc(county: string, serial: number): string {
  let org = '';
  for (let n = serial, i = 0; i < 9; i += 1, n = Math.floor(n / 31)) org = USCC_CHARSET[n % 31] + org;
  const first17 = `91${county}${org}`;
  return first17 + usccCheckCharacter(first17);
}

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)]!;
}

/** Weighted pick: [value, weight] pairs. */
function weighted<T>(choices: readonly (readonly [T, number])[], random: () => number): T {
  const total = choices.reduce((sum, [, w]) => sum + w, 0);
  let r = random() * total;
  for (const [value, w] of choices) if ((r -= w) < 0) return value;
  return choices[choices.length - 1]![0];
}

export function benchEnterprise(i: number, random: () => number): BenchEnterprise {
  const [county, countyName] = pick(COUNTIES, random);
  const [industryCode, industryWord] = pick(INDUSTRIES, random);
  const name = `${countyShortName(countyName)}${pick(WORDS, random)}${industryWord}${pick(SUFFIXES, random)}`;
  const greenFactory = weighted([[null, 90], [{ level: 'provincial' as const, year: 2019 + Math.floor(random() * 6) }, 7], [{ level: 'national' as const, year: 2017 + Math.floor(random() * 8) }, 3]], random);
  const recommended = random() < 0.05;
  const outdated = random() < 0.02;
  return {
    file: {
      identity: {
        uscc: benchUscc(county, i),
        usccCheckOverride: null,
        name,
        legalRepresentative: `${pick(['张', '王', '李', '赵', '刘', '陈', '杨', '黄', '周', '吴'], random)}${pick(['建国', '国华', '志强', '秀英', '伟', '芳', '军', '敏', '磊', '静'], random)}`,
        address: `${countyName}${pick(['工业园区', '经济开发区', '高新区', '城南工业园'], random)}${1 + Math.floor(random() * 200)}号`,
        divisionCode: county,
        contacts: [{ name: '财务负责人', phone: `139${String(Math.floor(random() * 1e8)).padStart(8, '0')}` }],
        industryCode,
        scale: weighted([['micro', 40], ['small', 40], ['medium', 15], ['large', 5]] as const, random),
        ownership: weighted([['private', 80], ['state', 8], ['collective', 5], ['hongKongMacaoTaiwan', 3], ['foreign', 3], ['other', 1]] as const, random),
        employees: 5 + Math.floor(random() * 2000),
      },
      greenCredentials: {
        greenFactory,
        greenPark: null,
        greenSupplyChain: null,
        greenProducts: [],
        waterEfficiencyBenchmark: null,
        miitRecommendation: recommended ? { recommended: true, date: '2024-06-30', batch: '2024年第二批' } : { recommended: false },
      },
      flags: {
        outdatedCapacity: outdated ? { flagged: true, exitDeadline: '2026-12-31', exitedOn: null } : { flagged: false },
        greenList: random() < 0.08,
        negativeList: random() < 0.03,
      },
    },
    rating: weighted([[null, 40], ['green', 15], ['blue', 25], ['yellow', 12], ['red', 6], ['black', 2]] as const, random),
  };
}

export const BENCH_BRANCH = 'bench-branch';

/**
 * Files `from`…`to - 1` of the bench register written as the product stores them (derived columns
 * and the newest rating included) with plain INSERTs, one transaction: for scenarios that measure
 * reading a register too large to write through the audited path on a shared 2-core machine.
 * `updatedAt(i)` spreads the files over time, as a register filled over years is.
 */
export function insertBenchEnterprises(db: Db, from: number, to: number, random: () => number, updatedAt: (i: number) => string): { ids: string[]; names: string[]; usccs: string[] } {
  const columns = Object.keys(enterpriseColumns(benchEnterprise(0, () => 0.5).file, defaultFocusIndustryGroupings));
  const insert = db.prepare(
    `INSERT INTO enterprises (id, branch_id, version, created_at, created_by, updated_at, updated_by, environmental_rating, ${columns.join(', ')})
     VALUES (@id, '${BENCH_BRANCH}', 1, @at, 'bench', @at, 'bench', @rating, ${columns.map((c) => `@${c}`).join(', ')})`,
  );
  const ids: string[] = [];
  const names: string[] = [];
  const usccs: string[] = [];
  db.transaction(() => {
    for (let i = from; i < to; i += 1) {
      const { file, rating } = benchEnterprise(i, random);
      const id = uuidv7();
      insert.run({ id, at: updatedAt(i), rating, ...enterpriseColumns(file, defaultFocusIndustryGroupings) });
      ids.push(id);
      names.push(file.identity.name);
      usccs.push(file.identity.uscc);
    }
  })();
  return { ids, names, usccs };
}
