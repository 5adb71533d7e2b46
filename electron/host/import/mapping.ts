import { createHash } from 'node:crypto';
import type { Db } from '../../../db/open.ts';
import type { SourceRow } from './table.ts';

/**
 * Which column is which: headers differ by source (企业名称 / 单位名称 / 企业全称; 借据号 / 借据编号 …).
 * A register's known synonyms give a suggestion; a mapping the user confirmed is remembered for the
 * same set of headers.
 */

/** Per field, the label first, then the other headers found in departments' lists and bank exports. */
export type Synonyms<F extends string> = Readonly<Record<F, readonly string[]>>;

export type Mapping<F extends string> = Partial<Record<F, string>>;

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

const normalizedCache = new WeakMap<object, Record<string, string[]>>();

function normalizedSynonyms<F extends string>(synonyms: Synonyms<F>): Record<F, string[]> {
  let normalized = normalizedCache.get(synonyms);
  if (normalized === undefined) {
    normalized = Object.fromEntries(Object.entries(synonyms).map(([field, words]) => [field, (words as string[]).map(normalizeHeader).filter((s) => s !== '')]));
    normalizedCache.set(synonyms, normalized);
  }
  return normalized as Record<F, string[]>;
}

/**
 * Exact synonyms first (for every field, in the synonyms' order), then a header that contains a
 * long synonym (「统一社会信用代码（18位）」).
 */
export function suggestMapping<F extends string>(synonyms: Synonyms<F>, headers: readonly string[]): Mapping<F> {
  const fields = Object.keys(synonyms) as F[];
  const words = normalizedSynonyms(synonyms);
  const mapping: Mapping<F> = {};
  const used = new Set<string>();
  const normalized = headers.map(normalizeHeader);
  for (const field of fields) {
    for (const synonym of words[field]) {
      const at = normalized.findIndex((header, i) => header === synonym && !used.has(headers[i]!));
      if (at >= 0) {
        mapping[field] = headers[at]!;
        used.add(headers[at]!);
        break;
      }
    }
  }
  for (const field of fields) {
    if (mapping[field] !== undefined) continue;
    const at = normalized.findIndex(
      (header, i) => !used.has(headers[i]!) && headers[i] !== ERROR_COLUMN && words[field].some((s) => s.length >= 4 && header.includes(s)),
    );
    if (at >= 0) {
      mapping[field] = headers[at]!;
      used.add(headers[at]!);
    }
  }
  return mapping;
}

export interface HeaderedTable {
  headerRow: number;
  headers: string[];
  rows: SourceRow[];
}

/**
 * Finds the header row among the first ten rows (lists often start with a title row such as
 * 「2024 年度省级绿色工厂名单」): the row naming most of the register's fields. Names blank or
 * repeated headers, and keeps the non-empty rows below.
 */
export function withHeaders<F extends string>(synonyms: Synonyms<F>, rows: readonly SourceRow[]): HeaderedTable {
  if (rows.length === 0) return { headerRow: 1, headers: [], rows: [] };
  const score = (cells: readonly string[]) => Object.keys(suggestMapping(synonyms, cells.filter((cell) => cell !== ''))).length;
  const candidates = rows.slice(0, 10);
  let best = 0;
  let bestScore = score(candidates[0]!.cells);
  candidates.forEach((candidate, i) => {
    const candidateScore = score(candidate.cells);
    if (candidateScore > bestScore) {
      best = i;
      bestScore = candidateScore;
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

/**
 * The same headers in any order give the same signature; the appended error column is left out.
 * Each register remembers its own mappings. The enterprise register's signature is the header set
 * alone, as it was before other registers imported, so the mappings laptops remember stay found.
 */
export function headerSignature(register: string, headers: readonly string[]): string {
  const set = [...new Set(headers.filter((h) => h !== ERROR_COLUMN).map(normalizeHeader))].sort();
  return createHash('sha256')
    .update(JSON.stringify(register === 'enterprises' ? set : [register, ...set]))
    .digest('hex');
}

export function rememberedMapping<F extends string>(db: Db, register: string, fields: readonly F[], headers: readonly string[]): Mapping<F> | undefined {
  const text = db.prepare('SELECT mapping FROM import_mappings WHERE signature = ?').pluck().get(headerSignature(register, headers)) as string | undefined;
  if (text === undefined) return undefined;
  const stored = JSON.parse(text) as Record<string, string>;
  const mapping: Mapping<F> = {};
  for (const field of fields) {
    const header = stored[field];
    if (header !== undefined && headers.includes(header)) mapping[field] = header;
  }
  return mapping;
}

export function rememberMapping(db: Db, register: string, headers: readonly string[], mapping: Mapping<string>, now: Date): void {
  db.prepare(
    `INSERT INTO import_mappings (signature, mapping, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (signature) DO UPDATE SET mapping = excluded.mapping, updated_at = excluded.updated_at`,
  ).run(headerSignature(register, headers), JSON.stringify(mapping), now.toISOString());
}
