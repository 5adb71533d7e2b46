import { createHash } from 'node:crypto';
import { importFieldLabels, importFields, type ImportField, type ImportMapping } from '../../../shared/api/enterprises.ts';
import type { Db } from '../../../db/open.ts';
import type { SourceRow } from './table.ts';

/**
 * Which column is which: headers differ by source (企业名称 / 单位名称 / 企业全称 …). Known synonyms
 * give a suggestion; a mapping the user confirmed is remembered for the same set of headers.
 */

export { importFieldLabels };

/** The label first; the rest as found in departments' lists and bank templates. */
const synonyms: Record<ImportField, string[]> = {
  name: ['企业名称', '单位名称', '企业全称', '公司名称', '企业（单位）名称', '单位全称', '名称', '企业名单', '申报单位'],
  uscc: ['统一社会信用代码', '信用代码', '社会信用代码', '统一信用代码', '统一代码', 'USCC'],
  legalRepresentative: ['法定代表人', '法人代表', '法人', '法定代表人姓名', '企业法人', '负责人'],
  address: ['地址', '注册地址', '企业地址', '住所', '详细地址', '通讯地址', '生产地址', '经营地址', '单位地址'],
  divisionCode: ['行政区划代码', '区县代码', '区划代码', '所属区县代码', '县区代码', '地区代码', '行政区划', '所属行政区划', '所在地区划代码', '注册地行政区划代码'],
  // 所属行业 and the like often read 「C3012 水泥制造」: the code is taken from the front.
  industryCode: ['行业代码', '国民经济行业代码', '所属行业代码', '行业分类代码', '国民经济行业分类代码', '所属行业', '行业', '行业类别', '行业分类', '国民经济行业', '国民经济行业分类', '所属国民经济行业'],
  scale: ['企业规模', '规模', '企业规模类型', '规模类型', '企业划型'],
  ownership: ['控股情况', '企业控股情况', '控股类型', '企业控股类型', '控股方式', '所有制', '所有制性质', '经济类型', '企业性质', '登记注册类型'],
  employees: ['从业人数', '职工人数', '员工人数', '从业人员', '从业人员数', '从业人员期末人数', '用工人数'],
  contactName: ['联系人', '联系人姓名', '企业联系人'],
  contactPhone: ['联系电话', '电话', '手机', '联系方式', '手机号码', '联系人电话', '联系人手机', '电话号码', '手机号', '联系人手机号', '联系手机'],
  greenFactoryLevel: ['绿色工厂级别', '绿色工厂等级', '绿色工厂', '级别', '认定级别'],
  greenFactoryYear: ['绿色工厂年份', '批次年份', '认定年份', '绿色工厂批次年份', '年份', '入选年份'],
  miitRecommendedOn: ['推荐日期', '推荐时间', '互荐日期'],
  // Not plain 批次: in a green-factory list that is the list's own batch (第八批), not a recommendation.
  miitBatch: ['推荐批次', '互荐批次', '推荐批次名称'],
  greenList: ['绿色名单', '是否绿色名单', '绿色企业名单'],
  negativeList: ['负面清单', '是否负面清单', '负面名单', '是否负面名单'],
};

/** The column the import appends to rejected rows; ignored when the fixed file is imported again. */
export const ERROR_COLUMN = '错误原因';

/** Folds what differs between sources but means nothing: width, spaces, marks and notes in brackets. */
export function normalizeHeader(header: string): string {
  return header
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[([【〔][^)\]】〕]*[)\]】〕]/g, '')
    .replace(/[*：:、.]/g, '')
    .toLowerCase();
}

const normalizedSynonyms = Object.fromEntries(
  importFields.map((field) => [field, synonyms[field].map(normalizeHeader).filter((s) => s !== '')]),
) as Record<ImportField, string[]>;

/** Exact synonyms first (for every field), then a header that contains a long synonym (「统一社会信用代码（18位）」). */
export function suggestMapping(headers: readonly string[]): ImportMapping {
  const mapping: ImportMapping = {};
  const used = new Set<string>();
  const normalized = headers.map(normalizeHeader);
  for (const field of importFields) {
    for (const synonym of normalizedSynonyms[field]) {
      const at = normalized.findIndex((header, i) => header === synonym && !used.has(headers[i]!));
      if (at >= 0) {
        mapping[field] = headers[at]!;
        used.add(headers[at]!);
        break;
      }
    }
  }
  for (const field of importFields) {
    if (mapping[field] !== undefined) continue;
    const at = normalized.findIndex(
      (header, i) => !used.has(headers[i]!) && headers[i] !== ERROR_COLUMN && normalizedSynonyms[field].some((s) => s.length >= 4 && header.includes(s)),
    );
    if (at >= 0) {
      mapping[field] = headers[at]!;
      used.add(headers[at]!);
    }
  }
  return mapping;
}

/** How many fields a row of would-be headers names: the header row is the one naming most. */
function headerScore(cells: readonly string[]): number {
  return Object.keys(suggestMapping(cells.filter((cell) => cell !== ''))).length;
}

export interface HeaderedTable {
  headerRow: number;
  headers: string[];
  rows: SourceRow[];
}

/**
 * Finds the header row among the first ten rows (lists often start with a title row such as
 * 「2024 年度省级绿色工厂名单」), names blank or repeated headers, and keeps the non-empty rows below.
 */
export function withHeaders(rows: readonly SourceRow[]): HeaderedTable {
  if (rows.length === 0) return { headerRow: 1, headers: [], rows: [] };
  const candidates = rows.slice(0, 10);
  let best = 0;
  let bestScore = headerScore(candidates[0]!.cells);
  candidates.forEach((candidate, i) => {
    const score = headerScore(candidate.cells);
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  });
  const headerCells = [...candidates[best]!.cells];
  while (headerCells.length > 0 && headerCells[headerCells.length - 1] === '') headerCells.pop();
  const seen = new Map<string, number>();
  const headers = headerCells.map((cell, i) => {
    const base = cell === '' ? `第${i + 1}列` : cell;
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base}（${count}）`;
  });
  const data = rows
    .slice(best + 1)
    .map((r) => ({ row: r.row, cells: headers.map((_h, i) => r.cells[i] ?? '') }))
    .filter((r) => r.cells.some((cell) => cell !== ''));
  return { headerRow: candidates[best]!.row, headers, rows: data };
}

/** The same headers in any order give the same signature; the appended error column is left out. */
export function headerSignature(headers: readonly string[]): string {
  const set = [...new Set(headers.filter((h) => h !== ERROR_COLUMN).map(normalizeHeader))].sort();
  return createHash('sha256').update(JSON.stringify(set)).digest('hex');
}

export function rememberedMapping(db: Db, headers: readonly string[]): ImportMapping | undefined {
  const text = db.prepare('SELECT mapping FROM import_mappings WHERE signature = ?').pluck().get(headerSignature(headers)) as string | undefined;
  if (text === undefined) return undefined;
  const stored = JSON.parse(text) as Record<string, string>;
  const mapping: ImportMapping = {};
  for (const field of importFields) {
    const header = stored[field];
    if (header !== undefined && headers.includes(header)) mapping[field] = header;
  }
  return mapping;
}

export function rememberMapping(db: Db, headers: readonly string[], mapping: ImportMapping, now: Date): void {
  db.prepare(
    `INSERT INTO import_mappings (signature, mapping, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (signature) DO UPDATE SET mapping = excluded.mapping, updated_at = excluded.updated_at`,
  ).run(headerSignature(headers), JSON.stringify(mapping), now.toISOString());
}
