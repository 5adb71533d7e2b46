import { uuidv7 } from 'uuidv7';
import { seededRandom } from './harness.ts';

/** One row of the baseline table: (id TEXT PRIMARY KEY, branch_id TEXT, name TEXT, n INTEGER). */
export interface BenchRow {
  id: string;
  branchId: string;
  name: string;
  /** An amount in 分 (fen), as the product stores money. */
  n: number;
}

const REGIONS = [
  '临安', '德清', '安吉', '长兴', '桐乡', '海宁', '嘉善', '诸暨', '嵊州', '新昌', '义乌', '东阳',
  '永康', '武义', '浦江', '兰溪', '龙游', '江山', '常山', '开化', '遂昌', '松阳', '云和', '庆元',
  '景宁', '缙云', '青田', '文成', '泰顺', '平阳', '苍南', '永嘉', '乐清', '瑞安', '天台', '仙居',
];
const WORDS = [
  '华盛', '绿源', '恒通', '鑫达', '瑞丰', '宏远', '金桥', '天成', '永泰', '博远', '青山', '碧水',
  '光明', '新禾', '润田', '益农', '森茂', '嘉禾', '盛世', '正泰', '阳光', '清源', '山海', '同舟',
];
const INDUSTRIES = [
  '建材', '新能源', '农业科技', '环保科技', '光伏电力', '生态农业', '竹木制品', '纺织印染', '物流',
  '污水处理', '茶业', '食品', '再生资源', '节能设备', '水产养殖', '林业开发', '储能科技', '家具',
];
const SUFFIXES = ['有限公司', '有限公司', '有限公司', '股份有限公司', '专业合作社', '家庭农场'];

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)]!;
}

/** A plausible county-branch borrower name: 安吉绿源竹木制品有限公司. */
export function companyName(random: () => number): string {
  return `${pick(REGIONS, random)}${pick(WORDS, random)}${pick(INDUSTRIES, random)}${pick(SUFFIXES, random)}`;
}

const cache = new Map<number, BenchRow[]>();

/**
 * `count` rows with UUIDv7 ids (time-ordered, as the product makes them), 24 branches, Chinese names and
 * fen amounts up to 5 亿元. Generated once per process and size, so a scenario and its baseline insert
 * exactly the same rows. Ids are fresh each run (UUIDv7 carries the clock); names/amounts are seeded.
 */
export function benchRows(count: number): BenchRow[] {
  const cached = cache.get(count);
  if (cached) return cached;
  const random = seededRandom(7);
  const branches = Array.from({ length: 24 }, () => uuidv7());
  const rows: BenchRow[] = new Array<BenchRow>(count);
  for (let i = 0; i < count; i++) {
    rows[i] = {
      id: uuidv7(),
      branchId: pick(branches, random),
      name: companyName(random),
      n: Math.floor(random() * 50_000_000_000),
    };
  }
  cache.set(count, rows);
  return rows;
}
