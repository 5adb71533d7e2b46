import type { ReferenceProblem, ReferenceRow, ReferenceTable } from '../../../shared/api/console.ts';
import { formatWanYuan, formatYuan } from '../../../shared/domain/money.ts';
import type { T } from './forms.ts';

/**
 * How the 参考数据 page shows a set's cells (ReferencePage.tsx): field names from the i18n resources,
 * lists joined with 、 (as the workbook writes them, and as the editor reads them back), and money —
 * which the sets keep in 分 (shared/domain/money.ts) — in the console's units: an amount (an
 * approval limit) in 万元 like every amount on the console, a unit price in 元 like the laptop's
 * collateral form (97.49 元/tCO2e would be 0.01 万元). Only the page converts; the data and the
 * .xlsx keep 分, so a downloaded workbook uploads back to exactly the data it came from.
 */

/** Money by column key, or by the first part of a 参数 path. */
const moneyFields: Readonly<Record<string, 'wan' | 'yuan'>> = { limits: 'wan', priceFen: 'yuan' };

export const LIST_JOIN = '、';

const moneyOf = (keyOrPath: string) => moneyFields[keyOrPath.split('.')[0] ?? ''];
/** Whether a column or 参数 path holds money (in 分, as the editor takes it). */
export const isMoney = (keyOrPath: string): boolean => moneyOf(keyOrPath) !== undefined;

/** The fewest decimals (at least the console's two) that show an amount in 万元 exactly: no change to the fen hides in rounding. */
const exactWanDecimals = (fen: number): number => [2, 3, 4, 5].find((decimals) => fen % 10 ** (6 - decimals) === 0) ?? 6;

export type Cell = ReferenceRow[string] | undefined;

/** A cell as the editor holds it and the workbook writes it: a list's items joined, empty as ''. */
export const editableText = (cell: Cell): string | number | boolean => (cell === null || cell === undefined ? '' : Array.isArray(cell) ? cell.join(LIST_JOIN) : (cell as string | number | boolean));

/** A cell shown: `field` is its column, or for a 参数 row its path. */
export function cellText(cell: Cell, field: string, t: T): string {
  if (cell === null || cell === undefined) return '';
  if (Array.isArray(cell)) return cell.join(LIST_JOIN);
  if (typeof cell === 'boolean') return cell ? t('reference.yes') : t('reference.no');
  const money = moneyOf(field);
  if (money !== undefined && typeof cell === 'number' && Number.isSafeInteger(cell)) {
    return money === 'yuan' ? t('reference.yuan', { amount: formatYuan(cell) }) : t('reference.wan', { amount: formatWanYuan(cell, exactWanDecimals(cell)) });
  }
  return String(cell);
}

const labels = (t: T, what: 'fields' | 'sets') => t(`reference.${what}`, { returnObjects: true }) as unknown as Record<string, string>;

/** A field's name (its key where the resources have none, so a new set is readable before anyone names its fields). */
export const fieldLabel = (key: string, t: T): string => (Object.hasOwn(labels(t, 'fields'), key) ? (labels(t, 'fields')[key] as string) : key);
/** A dotted path in words: limits.county.branch_head → 审批限额 · 县支行 · 支行行长. */
export const pathLabel = (path: string, t: T): string => path.split('.').map((part) => fieldLabel(part, t)).join(' · ');
export const setTitle = (name: string, t: T): string => (Object.hasOwn(labels(t, 'sets'), name) ? (labels(t, 'sets')[name] as string) : name);
/** A table's name: 参数, or the list's field name. */
export const tableTitle = (path: string | null, t: T): string => (path === null ? t('reference.parameters') : path === '' ? t('reference.content') : fieldLabel(path, t));

export const versionText = (version: number, t: T): string => (version === 0 ? t('reference.shippedShort') : t('reference.version', { version }));

/** Where a problem is, then what: 工作表「参考价格」第 3 行 C 列（参考价格（分））：无效输入. */
export function problemText(problem: ReferenceProblem, fromSheet: boolean, t: T): string {
  const where = [
    t(fromSheet ? 'reference.problemSheet' : 'reference.problemTable', { sheet: problem.sheet }),
    problem.row === null ? '' : t('reference.problemRow', { row: problem.row }),
    problem.column === null ? '' : t('reference.problemColumn', { column: problem.column }),
    problem.field === null ? '' : t('reference.problemField', { field: problem.field }),
  ].join('');
  return `${where}：${problem.message}`;
}

/** An edited table: its path and its rows as typed (a list's items joined with 、). */
export interface EditedTable {
  path: string | null;
  columns: string[];
  rows: Record<string, string | number | boolean>[];
}

export const toEdited = (tables: readonly ReferenceTable[]): EditedTable[] =>
  tables.map((table) => ({ path: table.path, columns: table.columns, rows: table.rows.map((row) => Object.fromEntries(table.columns.map((column) => [column, editableText(row[column])]))) }));

/** The bytes of an upload as base64, in slices (a whole file through String.fromCharCode would overflow the call stack). */
export function base64Of(bytes: Uint8Array): string {
  let binary = '';
  for (let at = 0; at < bytes.length; at += 0x8000) binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  return btoa(binary);
}
