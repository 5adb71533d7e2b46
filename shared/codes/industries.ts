/**
 * GB/T 4754-2017 国民经济行业分类 (with its 2019 amendment), as shipped with the app.
 *
 * Codes are written the way bank systems print them: section letter + digits, so C (门类 section),
 * C38 (大类 division), C385 (中类 group), C3851 (小类 class).
 *
 * Shipped: all 20 sections, all 97 divisions, every group of the divisions in the 2018 notice's
 * focus industries, and the classes of C385 (named by the notice's light-industry grouping). The
 * full table of 1,380 classes can come later as published reference data; until then a class code
 * under a shipped group is accepted on structure (see isValidIndustryCode).
 */

export type IndustryLevel = 'section' | 'division' | 'group' | 'class';

export interface Industry {
  code: string;
  name: string;
  level: IndustryLevel;
}

/** Sections with the division range each covers (the standard's own 本门类包括 xx～yy 大类). */
const sections: [letter: string, name: string, firstDivision: number, lastDivision: number][] = [
  ['A', '农、林、牧、渔业', 1, 5],
  ['B', '采矿业', 6, 12],
  ['C', '制造业', 13, 43],
  ['D', '电力、热力、燃气及水生产和供应业', 44, 46],
  ['E', '建筑业', 47, 50],
  ['F', '批发和零售业', 51, 52],
  ['G', '交通运输、仓储和邮政业', 53, 60],
  ['H', '住宿和餐饮业', 61, 62],
  ['I', '信息传输、软件和信息技术服务业', 63, 65],
  ['J', '金融业', 66, 69],
  ['K', '房地产业', 70, 70],
  ['L', '租赁和商务服务业', 71, 72],
  ['M', '科学研究和技术服务业', 73, 75],
  ['N', '水利、环境和公共设施管理业', 76, 79],
  ['O', '居民服务、修理和其他服务业', 80, 82],
  ['P', '教育', 83, 83],
  ['Q', '卫生和社会工作', 84, 85],
  ['R', '文化、体育和娱乐业', 86, 90],
  ['S', '公共管理、社会保障和社会组织', 91, 96],
  ['T', '国际组织', 97, 97],
];

/** Divisions by two-digit number; the section letter is derived from the ranges above. */
const divisions: Record<string, string> = {
  '01': '农业',
  '02': '林业',
  '03': '畜牧业',
  '04': '渔业',
  '05': '农、林、牧、渔专业及辅助性活动',
  '06': '煤炭开采和洗选业',
  '07': '石油和天然气开采业',
  '08': '黑色金属矿采选业',
  '09': '有色金属矿采选业',
  '10': '非金属矿采选业',
  '11': '开采专业及辅助性活动',
  '12': '其他采矿业',
  '13': '农副食品加工业',
  '14': '食品制造业',
  '15': '酒、饮料和精制茶制造业',
  '16': '烟草制品业',
  '17': '纺织业',
  '18': '纺织服装、服饰业',
  '19': '皮革、毛皮、羽毛及其制品和制鞋业',
  '20': '木材加工和木、竹、藤、棕、草制品业',
  '21': '家具制造业',
  '22': '造纸和纸制品业',
  '23': '印刷和记录媒介复制业',
  '24': '文教、工美、体育和娱乐用品制造业',
  '25': '石油、煤炭及其他燃料加工业',
  '26': '化学原料和化学制品制造业',
  '27': '医药制造业',
  '28': '化学纤维制造业',
  '29': '橡胶和塑料制品业',
  '30': '非金属矿物制品业',
  '31': '黑色金属冶炼和压延加工业',
  '32': '有色金属冶炼和压延加工业',
  '33': '金属制品业',
  '34': '通用设备制造业',
  '35': '专用设备制造业',
  '36': '汽车制造业',
  '37': '铁路、船舶、航空航天和其他运输设备制造业',
  '38': '电气机械和器材制造业',
  '39': '计算机、通信和其他电子设备制造业',
  '40': '仪器仪表制造业',
  '41': '其他制造业',
  '42': '废弃资源综合利用业',
  '43': '金属制品、机械和设备修理业',
  '44': '电力、热力生产和供应业',
  '45': '燃气生产和供应业',
  '46': '水的生产和供应业',
  '47': '房屋建筑业',
  '48': '土木工程建筑业',
  '49': '建筑安装业',
  '50': '建筑装饰、装修和其他建筑业',
  '51': '批发业',
  '52': '零售业',
  '53': '铁路运输业',
  '54': '道路运输业',
  '55': '水上运输业',
  '56': '航空运输业',
  '57': '管道运输业',
  '58': '多式联运和运输代理业',
  '59': '装卸搬运和仓储业',
  '60': '邮政业',
  '61': '住宿业',
  '62': '餐饮业',
  '63': '电信、广播电视和卫星传输服务',
  '64': '互联网和相关服务',
  '65': '软件和信息技术服务业',
  '66': '货币金融服务',
  '67': '资本市场服务',
  '68': '保险业',
  '69': '其他金融业',
  '70': '房地产业',
  '71': '租赁业',
  '72': '商务服务业',
  '73': '研究和试验发展',
  '74': '专业技术服务业',
  '75': '科技推广和应用服务业',
  '76': '水利管理业',
  '77': '生态保护和环境治理业',
  '78': '公共设施管理业',
  '79': '土地管理业',
  '80': '居民服务业',
  '81': '机动车、电子产品和日用产品修理业',
  '82': '其他服务业',
  '83': '教育',
  '84': '卫生',
  '85': '社会工作',
  '86': '新闻和出版业',
  '87': '广播、电视、电影和录音制作业',
  '88': '文化艺术业',
  '89': '体育',
  '90': '娱乐业',
  '91': '中国共产党机关',
  '92': '国家机构',
  '93': '人民政协、民主党派',
  '94': '社会保障',
  '95': '群众团体、社会团体和其他成员组织',
  '96': '基层群众自治组织及其他组织',
  '97': '国际组织',
};

/**
 * Groups (and the C385 classes), digits only. Where a division's groups are listed they are all
 * listed, and likewise the classes of a group: isValidIndustryCode relies on that.
 */
const groupsAndClasses: Record<string, string> = {
  // C13 农副食品加工业
  '131': '谷物磨制',
  '132': '饲料加工',
  '133': '植物油加工',
  '134': '制糖业',
  '135': '屠宰及肉类加工',
  '136': '水产品加工',
  '137': '蔬菜、菌类、水果和坚果加工',
  '139': '其他农副食品加工',
  // C14 食品制造业
  '141': '焙烤食品制造',
  '142': '糖果、巧克力及蜜饯制造',
  '143': '方便食品制造',
  '144': '乳制品制造',
  '145': '罐头食品制造',
  '146': '调味品、发酵制品制造',
  '149': '其他食品制造',
  // C15 酒、饮料和精制茶制造业
  '151': '酒的制造',
  '152': '饮料制造',
  '153': '精制茶加工',
  // C17 纺织业
  '171': '棉纺织及印染精加工',
  '172': '毛纺织及染整精加工',
  '173': '麻纺织及染整精加工',
  '174': '丝绢纺织及印染精加工',
  '175': '化纤织造及印染精加工',
  '176': '针织或钩针编织物及其制品制造',
  '177': '家用纺织制成品制造',
  '178': '产业用纺织制成品制造',
  // C18 纺织服装、服饰业
  '181': '机织服装制造',
  '182': '针织或钩针编织服装制造',
  '183': '服饰制造',
  // C19 皮革、毛皮、羽毛及其制品和制鞋业
  '191': '皮革鞣制加工',
  '192': '皮革制品制造',
  '193': '毛皮鞣制及制品加工',
  '194': '羽毛(绒)加工及制品制造',
  '195': '制鞋业',
  // C20 木材加工和木、竹、藤、棕、草制品业
  '201': '木材加工',
  '202': '人造板制造',
  '203': '木质制品制造',
  '204': '竹、藤、棕、草等制品制造',
  // C21 家具制造业
  '211': '木质家具制造',
  '212': '竹、藤家具制造',
  '213': '金属家具制造',
  '214': '塑料家具制造',
  '219': '其他家具制造',
  // C22 造纸和纸制品业
  '221': '纸浆制造',
  '222': '造纸',
  '223': '纸制品制造',
  // C23 印刷和记录媒介复制业
  '231': '印刷',
  '232': '装订及印刷相关服务',
  '233': '记录媒介复制',
  // C24 文教、工美、体育和娱乐用品制造业
  '241': '文教办公用品制造',
  '242': '乐器制造',
  '243': '工艺美术及礼仪用品制造',
  '244': '体育用品制造',
  '245': '玩具制造',
  '246': '游艺器材及娱乐用品制造',
  // C28 化学纤维制造业
  '281': '纤维素纤维原料及纤维制造',
  '282': '合成纤维制造',
  '283': '生物基材料制造',
  // C29 橡胶和塑料制品业
  '291': '橡胶制品业',
  '292': '塑料制品业',
  // C30 非金属矿物制品业
  '301': '水泥、石灰和石膏制造',
  '302': '石膏、水泥制品及类似制品制造',
  '303': '砖瓦、石材等建筑材料制造',
  '304': '玻璃制造',
  '305': '玻璃制品制造',
  '306': '玻璃纤维和玻璃纤维增强塑料制品制造',
  '307': '陶瓷制品制造',
  '308': '耐火材料制品制造',
  '309': '石墨及其他非金属矿物制品制造',
  // C33 金属制品业
  '331': '结构性金属制品制造',
  '332': '金属工具制造',
  '333': '集装箱及金属包装容器制造',
  '334': '金属丝绳及其制品制造',
  '335': '建筑、安全用金属制品制造',
  '336': '金属表面处理及热处理加工',
  '337': '搪瓷制品制造',
  '338': '金属制日用品制造',
  '339': '铸造及其他金属制品制造',
  // C34 通用设备制造业
  '341': '锅炉及原动设备制造',
  '342': '金属加工机械制造',
  '343': '物料搬运设备制造',
  '344': '泵、阀门、压缩机及类似机械制造',
  '345': '轴承、齿轮和传动部件制造',
  '346': '烘炉、风机、包装等设备制造',
  '347': '文化、办公用机械制造',
  '348': '通用零部件制造',
  '349': '其他通用设备制造业',
  // C35 专用设备制造业
  '351': '采矿、冶金、建筑专用设备制造',
  '352': '化工、木材、非金属加工专用设备制造',
  '353': '食品、饮料、烟草及饲料生产专用设备制造',
  '354': '印刷、制药、日化及日用品生产专用设备制造',
  '355': '纺织、服装和皮革加工专用设备制造',
  '356': '电子和电工机械专用设备制造',
  '357': '农、林、牧、渔专用机械制造',
  '358': '医疗仪器设备及器械制造',
  '359': '环保、邮政、社会公共服务及其他专用设备制造',
  // C38 电气机械和器材制造业
  '381': '电机制造',
  '382': '输配电及控制设备制造',
  '383': '电线、电缆、光缆及电工器材制造',
  '384': '电池制造',
  '385': '家用电力器具制造',
  '3851': '家用制冷电器具制造',
  '3852': '家用空气调节器制造',
  '3853': '家用通风电器具制造',
  '3854': '家用厨房电器具制造',
  '3855': '家用清洁卫生电器具制造',
  '3856': '家用美容、保健护理电器具制造',
  '3857': '家用电力器具专用配件制造',
  '3859': '其他家用电力器具制造',
  '386': '非电力家用器具制造',
  '387': '照明器具制造',
  '389': '其他电气机械及器材制造',
  // C40 仪器仪表制造业
  '401': '通用仪器仪表制造',
  '402': '专用仪器仪表制造',
  '403': '钟表与计时仪器制造',
  '404': '光学仪器制造',
  '405': '衡器制造',
  '409': '其他仪器仪表制造业',
};

const levelByDigits: Record<number, IndustryLevel> = { 0: 'section', 2: 'division', 3: 'group', 4: 'class' };

const sectionOfDivision = new Map<string, string>();
for (const [letter, , first, last] of sections) {
  for (let n = first; n <= last; n += 1) sectionOfDivision.set(String(n).padStart(2, '0'), letter);
}

const byCode = new Map<string, Industry>();
for (const [letter, name] of sections) byCode.set(letter, { code: letter, name, level: 'section' });
for (const [digits, name] of Object.entries({ ...divisions, ...groupsAndClasses })) {
  const code = sectionOfDivision.get(digits.slice(0, 2))! + digits;
  byCode.set(code, { code, name, level: levelByDigits[digits.length]! });
}

/** Every shipped entry, in code order (sections first within each letter). */
export const industries: readonly Industry[] = [...byCode.values()].sort((a, b) => (a.code < b.code ? -1 : 1));

const CODE_PATTERN = /^([A-T])(\d{2}(?:\d{1,2})?)?$/;

/** The shipped entry for exactly this code, if any. */
export function industryByCode(code: string): Industry | undefined {
  return byCode.get(code);
}

/** The code one level up (C3851 → C385 → C38 → C); undefined for a section. */
export function parentIndustryCode(code: string): string | undefined {
  if (code.length <= 1) return undefined;
  return code.length === 3 ? code.charAt(0) : code.slice(0, -1);
}

/** Codes whose children are shipped, hence complete (see groupsAndClasses). */
const withListedChildren = new Set([...byCode.keys()].map(parentIndustryCode).filter((code) => code !== undefined));

/**
 * A well-formed GB/T 4754-2017 code the app can vouch for: the section letter matches the
 * division, the division exists, and at each level where the shipped table is complete the code
 * is listed in it. Below that (e.g. a class under a group whose classes are not shipped, such as
 * C3011) structure is all we can check, so the code is accepted.
 */
export function isValidIndustryCode(code: string): boolean {
  const match = CODE_PATTERN.exec(code);
  if (!match) return false;
  const digits = match[2];
  if (digits === undefined) return true;
  if (sectionOfDivision.get(digits.slice(0, 2)) !== match[1]) return false;
  for (let length = 4; length <= code.length; length += 1) {
    const ancestor = code.slice(0, length - 1);
    if (withListedChildren.has(ancestor) && !byCode.has(code.slice(0, length))) return false;
  }
  return true;
}

/** The division (大类) a group or class belongs to: C3851 → C38. */
export function divisionOf(code: string): string | undefined {
  if (!isValidIndustryCode(code) || code.length < 3) return undefined;
  return code.slice(0, 3);
}

/** The most specific shipped entry at or above a code, for display (C3011 → C301 水泥、石灰和石膏制造). */
export function nearestIndustry(code: string): Industry | undefined {
  if (!isValidIndustryCode(code)) return undefined;
  for (let at: string | undefined = code; at !== undefined; at = parentIndustryCode(at)) {
    const entry = byCode.get(at);
    if (entry) return entry;
  }
  return undefined;
}
