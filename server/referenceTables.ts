/**
 * A reference set's data as tables, the shape head office edits it in (.xlsx, referenceWorkbook.ts)
 * and reads its diff in (the console): every top-level list becomes a table of its own, one row an
 * entry (reference prices, conversion factors, catalogue entries, holidays), and everything else —
 * version, source, limits per level, caps per type — one 参数 table of dotted paths and values.
 * Any JSON set maps this way, so a new reference set needs no code here; reading back uses the
 * version in force as the template of each field's type (a decimal kept as text, a limit as a
 * number, industry codes as a list), and the set's own schema judges the result.
 */

export type Scalar = string | number | boolean | null;
export type Cell = Scalar | readonly Scalar[];
export type Row = Record<string, Cell>;

export interface ReferenceTable {
  /** The top-level key of the list, or null for the 参数 table (a dotted path per row). */
  path: string | null;
  columns: string[];
  rows: Row[];
}

/** The 参数 table's columns: the field's dotted path and its value. */
export const PARAMETER_COLUMNS = ['path', 'value'];
/** A list of plain values (holidays) is a table of one column. */
export const VALUE_COLUMN = 'value';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isScalar = (value: unknown): value is Scalar => value === null || ['string', 'number', 'boolean'].includes(typeof value);
const isScalarList = (value: unknown): value is Scalar[] => Array.isArray(value) && value.every(isScalar);

/** An empty object or list, or anything deeper than a table holds, is kept as JSON text. */
function asCell(value: unknown): Cell {
  if (isScalar(value) || isScalarList(value)) return value;
  return JSON.stringify(value);
}

function flatten(value: unknown, prefix: string, into: Row[]): void {
  if (isObject(value) && Object.keys(value).length > 0) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix === '' ? key : `${prefix}.${key}`, into);
    return;
  }
  into.push({ path: prefix, value: asCell(value) });
}

export function toTables(data: unknown): ReferenceTable[] {
  const tables: ReferenceTable[] = [];
  const parameters: Row[] = [];
  const list = (path: string, items: unknown[]) => {
    if (items.length > 0 && items.every(isObject)) {
      const columns = [...new Set(items.flatMap((item) => Object.keys(item)))];
      tables.push({ path, columns, rows: items.map((item) => Object.fromEntries(columns.map((column) => [column, asCell(item[column] ?? null)]))) });
    } else if (items.length > 0 && items.every(isScalar)) {
      tables.push({ path, columns: [VALUE_COLUMN], rows: items.map((item) => ({ [VALUE_COLUMN]: item })) });
    } else {
      parameters.push({ path, value: JSON.stringify(items) });
    }
  };
  if (Array.isArray(data)) list('', data);
  else if (isObject(data)) {
    for (const [key, value] of Object.entries(data)) {
      if (Array.isArray(value)) list(key, value);
      else flatten(value, key, parameters);
    }
  } else parameters.push({ path: '', value: asCell(data) });
  return [{ path: null, columns: PARAMETER_COLUMNS, rows: parameters }, ...tables];
}

// ——— reading back ——————————————————————————————————————————————————————————————————————

type Kind = 'string' | 'number' | 'boolean' | 'list' | 'json' | 'unknown';

function kindOf(values: readonly unknown[]): Kind {
  for (const value of values) {
    if (Array.isArray(value)) return 'list';
    if (typeof value === 'string') return 'string';
    if (typeof value === 'number') return 'number';
    if (typeof value === 'boolean') return 'boolean';
  }
  return 'unknown';
}

const LIST_SEPARATOR = /[,，、;；\s]+/;
const trueWords = new Set(['true', '是', '1', 'TRUE', 'yes']);
const falseWords = new Set(['false', '否', '0', 'FALSE', 'no']);

/** A cell as read from a sheet (text or number; empty is null) in the type the template says. */
export function coerce(raw: Scalar, kind: Kind, template: readonly unknown[] = []): unknown {
  if (raw === null || raw === '') return null;
  switch (kind) {
    case 'string':
      return typeof raw === 'string' ? raw : String(raw);
    case 'number': {
      if (typeof raw === 'number') return raw;
      const number = Number(String(raw).replace(/[,，\s]/g, ''));
      return Number.isFinite(number) ? number : raw;
    }
    case 'boolean':
      return trueWords.has(String(raw)) ? true : falseWords.has(String(raw)) ? false : raw;
    case 'list': {
      // An empty list is written as [] (asCell).
      if (String(raw).trim() === '[]') return [];
      const numbers = kindOf(template.flat()) === 'number';
      return String(raw)
        .split(LIST_SEPARATOR)
        .filter((part) => part !== '')
        .map((part) => (numbers && Number.isFinite(Number(part)) ? Number(part) : part));
    }
    case 'json':
    case 'unknown':
      if (typeof raw === 'string' && /^[[{]/.test(raw)) {
        try {
          return JSON.parse(raw);
        } catch {
          return raw;
        }
      }
      return raw;
  }
}

/** A table as read from a sheet: its path, column keys and the raw cells of each row. */
export interface ReadTable {
  path: string | null;
  rows: Record<string, Scalar>[];
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (!isObject(node[part])) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts.at(-1) as string] = value;
}

function getPath(data: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, part) => (isObject(node) ? node[part] : undefined), data);
}

/**
 * The set's data from its tables, each cell in the type of the same field in `template` (the
 * version in force): a path or column the template lacks keeps the sheet's own type.
 */
export function fromTables(tables: readonly ReadTable[], template: unknown): unknown {
  const templateTables = new Map(toTables(template).map((table) => [table.path, table]));
  const rootList = tables.find((table) => table.path === '');
  if (rootList !== undefined) return listFrom(rootList, templateTables.get(''));
  const data: Record<string, unknown> = {};
  for (const table of tables) {
    if (table.path === null) {
      for (const row of table.rows) {
        const path = String(row.path ?? '').trim();
        if (path === '') continue;
        const known = getPath(template, path);
        const value = coerce(row.value ?? null, isObject(known) ? 'json' : kindOf([known]), Array.isArray(known) ? known : []);
        setPath(data, path, value);
      }
    } else data[table.path] = listFrom(table, templateTables.get(table.path));
  }
  return data;
}

function listFrom(table: ReadTable, template: ReferenceTable | undefined): unknown[] {
  const columns = [...new Set(table.rows.flatMap((row) => Object.keys(row)))];
  if (template !== undefined && template.columns.length === 1 && template.columns[0] === VALUE_COLUMN) {
    const kind = kindOf(template.rows.map((row) => row[VALUE_COLUMN]));
    return table.rows.map((row) => coerce(row[VALUE_COLUMN] ?? null, kind));
  }
  if (template === undefined && columns.length === 1 && columns[0] === VALUE_COLUMN) return table.rows.map((row) => coerce(row[VALUE_COLUMN] ?? null, 'unknown'));
  const kinds = new Map(columns.map((column) => [column, kindOf(template?.rows.map((row) => row[column]) ?? [])]));
  const templates = new Map(columns.map((column) => [column, template?.rows.map((row) => row[column]) ?? []]));
  return table.rows.map((row) => Object.fromEntries(columns.map((column) => [column, coerce(row[column] ?? null, kinds.get(column) as Kind, templates.get(column))])));
}

// ——— diff ————————————————————————————————————————————————————————————————————————————————

export interface RowChange {
  key: string;
  before: Row;
  after: Row;
  /** The columns whose value differs. */
  changed: string[];
}

export interface TableDiff {
  path: string | null;
  columns: string[];
  /** The column rows are matched by, or null: matched by position. */
  keyColumn: string | null;
  added: Row[];
  removed: Row[];
  changed: RowChange[];
  unchanged: number;
}

// The identifying field of a list's entries, if the set has one; else rows match by position.
const KEY_CANDIDATES = ['path', 'key', 'code', 'uscc', 'type', 'indicator', 'name', VALUE_COLUMN];

const same = (a: Cell | undefined, b: Cell | undefined) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function keyColumnOf(columns: readonly string[], before: readonly Row[], after: readonly Row[]): string | null {
  const unique = (rows: readonly Row[], column: string) => {
    const values = rows.map((row) => row[column]);
    return values.every((value) => value !== null && value !== undefined) && new Set(values.map((value) => JSON.stringify(value))).size === values.length;
  };
  return KEY_CANDIDATES.find((column) => columns.includes(column) && unique(before, column) && unique(after, column)) ?? null;
}

export function diffTables(before: readonly ReferenceTable[], after: readonly ReferenceTable[]): TableDiff[] {
  const paths = [...new Set([...before.map((table) => table.path), ...after.map((table) => table.path)])];
  return paths.map((path) => {
    const old = before.find((table) => table.path === path);
    const next = after.find((table) => table.path === path);
    const columns = [...new Set([...(old?.columns ?? []), ...(next?.columns ?? [])])];
    const oldRows = old?.rows ?? [];
    const newRows = next?.rows ?? [];
    const keyColumn = keyColumnOf(columns, oldRows, newRows);
    const keyOf = (row: Row, index: number) => (keyColumn === null ? `#${index + 1}` : JSON.stringify(row[keyColumn]));
    const oldByKey = new Map(oldRows.map((row, index) => [keyOf(row, index), row]));
    const newKeys = new Set(newRows.map(keyOf));
    const diff: TableDiff = { path, columns, keyColumn, added: [], removed: [], changed: [], unchanged: 0 };
    newRows.forEach((row, index) => {
      const key = keyOf(row, index);
      const was = oldByKey.get(key);
      if (was === undefined) diff.added.push(row);
      else {
        const changed = columns.filter((column) => !same(was[column], row[column]));
        if (changed.length === 0) diff.unchanged += 1;
        else diff.changed.push({ key, before: was, after: row, changed });
      }
    });
    oldRows.forEach((row, index) => {
      if (!newKeys.has(keyOf(row, index))) diff.removed.push(row);
    });
    return diff;
  });
}

export const hasChanges = (diffs: readonly TableDiff[]) => diffs.some((diff) => diff.added.length + diff.removed.length + diff.changed.length > 0);
