import ExcelJS from 'exceljs';
import { z } from 'zod';
import { codeDepth, publishedCatalogueSchema, type PublishedCatalogue } from '../shared/codes/greenCatalogues.ts';
import { HubError } from './errors.ts';

/**
 * Head office's green-catalogue workbook (.xlsx, one header row, then one row per entry: code, name,
 * level, parent) read into the reference set `green-catalogue-<version>`. The 2025 catalogue's 38
 * level-2 and 271 level-3 entries reach laptops this way (the app ships level 1 only). A row the
 * schema refuses is named by its row number in the sheet, so the sheet can be fixed and sent again.
 */

const headerNames: Record<'code' | 'name' | 'level' | 'parent', readonly string[]> = {
  code: ['代码', '编码', '目录代码', '项目代码', 'code'],
  name: ['名称', '项目名称', '目录名称', 'name'],
  level: ['层级', '级别', '级次', 'level'],
  parent: ['上级代码', '上级', '父级代码', '上级编码', 'parent'],
};

const levelWords: Record<string, number> = { 一级: 1, 二级: 2, 三级: 3, 四级: 4 };

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object' && 'richText' in value) return value.richText.map((part) => part.text).join('').trim();
  if (typeof value === 'object' && 'result' in value) return String(value.result ?? '').trim();
  return String(value).trim();
}

/** The catalogue's own rules (shared/codes/greenCatalogues.ts, `params.rule`) in the console's words. */
function ruleInChinese(issue: z.core.$ZodIssue): string | undefined {
  const params = issue.code === 'custom' ? (issue.params as { rule?: string; code?: string; level?: number; parent?: string | null } | undefined) : undefined;
  switch (params?.rule) {
    case 'duplicate':
      return `代码 ${params.code} 重复`;
    case 'level':
      return `层级 ${params.level} 与代码 ${params.code} 不符（应为第 ${codeDepth(String(params.code))} 级）`;
    case 'parent':
      return params.parent === null ? `代码 ${params.code} 是第一级，不应有上级代码` : `代码 ${params.code} 的上级代码应为 ${params.parent}`;
    case 'missingParent':
      return `上级代码 ${params.parent} 不在目录中`;
    default:
      return undefined;
  }
}

/** `zh`: the schema's messages in Chinese, for the console (the admin API answers automation in English). */
export async function readCatalogueWorkbook(content: Buffer, source: string, options: { zh?: boolean } = {}): Promise<PublishedCatalogue> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(content as unknown as ArrayBuffer);
  } catch {
    throw new HubError('VALIDATION', 'The file is not an .xlsx workbook');
  }
  const sheet = workbook.worksheets[0];
  if (sheet === undefined) throw new HubError('VALIDATION', 'The workbook has no sheet');
  const header = (sheet.getRow(1).values as ExcelJS.CellValue[]).map(cellText);
  const column = Object.fromEntries(
    Object.entries(headerNames).map(([field, names]) => [field, header.findIndex((text) => names.includes(text))]),
  ) as Record<keyof typeof headerNames, number>;
  const missing = Object.entries(column).filter(([, index]) => index < 0).map(([field]) => field);
  if (missing.length > 0) throw new HubError('VALIDATION', `The sheet lacks the columns ${missing.join(', ')} (代码, 名称, 层级, 上级代码)`, { missing });
  const entries: unknown[] = [];
  const rowNumbers: number[] = [];
  sheet.eachRow((row, number) => {
    if (number === 1) return;
    const values = row.values as ExcelJS.CellValue[];
    // Codes and levels typed with a Chinese IME (１．１) fold to ASCII; names stay as written (（测试）).
    const text = (field: keyof typeof headerNames) => (field === 'name' ? cellText(values[column[field]]) : cellText(values[column[field]]).normalize('NFKC'));
    if (text('code') === '' && text('name') === '') return;
    const level = text('level');
    const parent = text('parent');
    entries.push({ code: text('code'), name: text('name') === '' ? null : text('name'), level: levelWords[level] ?? Number(level), parent: parent === '' ? null : parent });
    rowNumbers.push(number);
  });
  const parsed = publishedCatalogueSchema.safeParse({ source, entries }, options.zh === true ? { error: z.locales.zhCN().localeError } : undefined);
  if (!parsed.success) {
    const rows = parsed.error.issues.map((issue) => {
      const index = issue.path[0] === 'entries' && typeof issue.path[1] === 'number' ? issue.path[1] : null;
      return { row: index === null ? null : rowNumbers[index]!, field: String(issue.path[2] ?? issue.path[0] ?? ''), message: options.zh === true ? (ruleInChinese(issue) ?? issue.message) : issue.message };
    });
    throw new HubError('VALIDATION', `The catalogue sheet has ${rows.length} problem(s), first: row ${rows[0]!.row ?? '-'} ${rows[0]!.field}: ${rows[0]!.message}`, { rows, sheet: sheet.name, columns: column });
  }
  return parsed.data;
}
