import { referenceFenFields, referenceFieldWords, referenceSetTitleWords } from '../shared/sync/referenceWords.ts';

/**
 * Names of reference sets and their fields for the .xlsx head office edits (a sheet's first row and
 * the 参数 sheet's 说明 column), from the one list of the bank's words in shared/sync/referenceWords.ts.
 */
export const referenceSetTitles = referenceSetTitleWords;

/** A field's name in the workbook; an amount kept in 分 says so, since its cells hold 分. */
export const fieldLabel = (key: string): string => {
  const word = (Object.hasOwn(referenceFieldWords, key) ? referenceFieldWords[key] : undefined) ?? key;
  return referenceFenFields.has(key) ? `${word}（分）` : word;
};

/** A dotted path in words: limits.county.branch_head → 审批限额（分） · 县支行 · 支行行长. */
export const pathLabel = (path: string): string => path.split('.').map(fieldLabel).join(' · ');

export const PARAMETER_SHEET = '参数';

/** The sheet a table is written to: its Chinese name, or the key where none is known. */
export const sheetLabel = (path: string | null): string => (path === null ? PARAMETER_SHEET : path === '' ? '条目' : fieldLabel(path).replace(/[[\]:*?/\\]/g, '').slice(0, 31));
