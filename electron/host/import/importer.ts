import { statSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { ImportRowRejection } from '../../../shared/api/imports.ts';
import { isWellFormed, toWellFormed } from '../../../shared/api/text.ts';
import type { Db } from '../../../db/open.ts';
import { RecordError } from '../../../db/records.ts';
import { putBlob } from '../enterprises/attachmentStore.ts';
import { HostFailure, type HostContext } from '../context.ts';
import type { Parsed } from './cells.ts';
import { ERROR_COLUMN, rememberMapping, rememberedMapping, suggestMapping, withHeaders, type HeaderedTable, type Mapping, type Synonyms } from './mapping.ts';
import { MAX_IMPORT_ROWS, readSourceTable, type SourceRow } from './table.ts';
import { copyWalInBackground } from './walCopy.ts';

/**
 * The one importer of .xlsx/.csv lists, for every register (enterprises, loans, and those after
 * them). It reads the file (UTF-8 or GBK), finds the header row, suggests and remembers a column
 * mapping, parses each mapped cell with the register's field rules, hands each row to the register
 * to check and save (matched on its key, so an import updates instead of duplicating), and gives
 * the refused rows back with reasons and as an .xlsx to fix and import again. A register says what
 * its fields are and what a row means; nothing else here is register-specific.
 */

export interface ImportSpec<F extends string> {
  /** Names the register's remembered mappings (import_mappings). */
  register: string;
  fields: readonly F[];
  /** The Chinese name of each field: file headers and the start of each reason. */
  labels: Readonly<Record<F, string>>;
  synonyms: Synonyms<F>;
  /** Fields whose digits are an identifier, not a quantity: kept as text in the rejected file (leading zeros, 18 digits, phones). */
  textFields: readonly F[];
  /** One cell → the field's value, or a reason; `header` is the column's own header (「贷款金额（万元）」 says the unit). */
  parseField: (field: F, text: string, header: string) => Parsed<unknown>;
  /** The field rows are matched on; an import without its column is refused with `missingMessage`. */
  key: { field: F; missingMessage: string };
  /** The downloadable template (importTemplate): its file name, the columns every row needs, and what each column takes. */
  template?: { fileName: string; required: readonly F[]; hints: Readonly<Record<F, string>> };
}

const CHUNK_ROWS = 500;

/**
 * A bulk import's chunks grow from CHUNK_ROWS by doubling to this many rows (issue 20). Each commit
 * rewrites every index page its rows touched, and new files land all over the name, USCC, county
 * and industry indexes: a 500-row chunk rewrote ~11 pages per file, so committing cost more than
 * writing (the bench's 50,000 files: ~310 µs a file committed in 500-row chunks, ~80 in 5,000-row
 * ones, ~20 in one). A list of a few hundred files is still one chunk, the first chunk of a long one
 * lands as soon as before, and the host still serves other calls between chunks (a 5,000-row chunk
 * is about half a second).
 */
const BULK_CHUNK_ROWS = 5_000;

/**
 * While a bulk import runs, the WAL is copied into the database every 256 MiB of pages instead of
 * SQLite's 4 MiB, so a page rewritten by several chunks is copied once: the random-keyed indexes
 * (USCC, initials, the list) are rewritten nearly whole by every 5,000-row chunk, and the bench's
 * 50,000 files write ~48,600 WAL frames for a ~22,600-page database. At 64 MiB (16,384 pages) nearly
 * every frame was copied again; at 256 MiB the bench's list is copied once, at the end (issue 20).
 * Durability is the WAL's (synchronous = FULL); the setting is the connection's and restored once
 * the import's WAL has been copied and truncated, on another thread (walCopy.ts), so the file does
 * not stay hundreds of MiB on disk.
 */
const BULK_WAL_CHECKPOINT_PAGES = 65_536;

/**
 * Bulk imports running per connection (they interleave at chunk boundaries), the setting to restore,
 * and the WAL copy running after the last of them, if any.
 */
interface BulkState {
  running: number;
  pages: number;
  copying: Promise<void> | undefined;
}
const bulkImports = new WeakMap<Db, BulkState>();

/**
 * Resolves once the WAL copy that follows a bulk import (copyWalInBackground) has ended, whichever
 * way, and the connection's checkpoint setting is back: at once when none is running.
 */
export function bulkImportSettled(db: Db): Promise<void> {
  return bulkImports.get(db)?.copying ?? Promise.resolve();
}

function startBulkImport(db: Db, keyHex: string | null, log: (line: string) => void): () => void {
  let state = bulkImports.get(db);
  if (state === undefined) bulkImports.set(db, (state = { running: 0, pages: db.pragma('wal_autocheckpoint', { simple: true }) as number, copying: undefined }));
  // While a copy runs the setting is still the import's (see below), so it is only raised once.
  if (state.running === 0 && state.copying === undefined) db.pragma(`wal_autocheckpoint = ${Math.max(state.pages, BULK_WAL_CHECKPOINT_PAGES)}`);
  state.running += 1;
  const restore = () => {
    if (state.running > 0) return;
    bulkImports.delete(db);
    if (db.open) db.pragma(`wal_autocheckpoint = ${state.pages}`);
  };
  // The copy the next commit would make anyway, and the file back to nothing (the host's one
  // connection holds no other reader; a busy checkpoint only leaves the WAL for later).
  const truncate = () => {
    if (db.open && !db.inTransaction && state.running === 0) db.pragma('wal_checkpoint(TRUNCATE)');
  };
  return () => {
    state.running -= 1;
    if (state.running > 0 || state.copying !== undefined) return;
    if (!db.open || db.memory || db.name === '' || walBytes(db.name) < WAL_COPY_THREAD_BYTES) {
      truncate();
      restore();
      return;
    }
    // The copy into the database on another thread with its own connection: the import's rows are
    // already safe in the WAL (synchronous = FULL), and this thread goes on serving calls. Meanwhile
    // the setting stays raised, so a commit here does not start the same copy on this thread; when
    // the copy ends, the file is shortened here (nothing left to copy) and the setting restored.
    // Should the thread fail, the copy is made here, as before.
    state.copying = copyWalInBackground(db.name, keyHex)
      .then(
        ({ frames, copied }) => {
          if (copied < frames) log(`bulk import: ${frames - copied} of ${frames} WAL frames were left for the next checkpoint (a reader held them)`);
        },
        (error: unknown) => log(`bulk import: the WAL copy thread failed (${error instanceof Error ? error.message : String(error)}); copying on the host's thread`),
      )
      .finally(() => {
        state.copying = undefined;
        // An import that started meanwhile ends with a copy of its own.
        truncate();
        restore();
      });
  };
}

/**
 * Below this the WAL is copied on the host's thread as the import ends (a worker takes ~20 ms to
 * start; a 1,000-row list's WAL is ~4 MiB and copies in ~30 ms); the bench's 50,000 files leave ~190 MiB.
 */
const WAL_COPY_THREAD_BYTES = 16 * 1024 * 1024;

const walBytes = (file: string): number => {
  try {
    return statSync(`${file}-wal`).size;
  } catch {
    return 0;
  }
};

const SAMPLE_ROWS = 10;

export const labelled = <F extends string>(spec: ImportSpec<F>, field: F, text: string) => `${spec.labels[field]}：${text}`;

export interface ImportTable extends HeaderedTable {
  sheetName: string | null;
  encoding: 'utf-8' | 'gbk' | null;
}

async function readTable<F extends string>(spec: ImportSpec<F>, fileName: string, contentBase64: string): Promise<ImportTable> {
  const source = await readSourceTable(fileName, Buffer.from(contentBase64, 'base64'));
  const table = withHeaders(spec.synonyms, source.rows);
  if (table.headers.length === 0) throw new HostFailure('VALIDATION', '文件中没有表头和数据');
  if (table.rows.length > MAX_IMPORT_ROWS) {
    throw new HostFailure('VALIDATION', `一次最多导入 ${MAX_IMPORT_ROWS} 行，该文件有 ${table.rows.length} 行；请分批导入`);
  }
  // Headers are labels the mapping is keyed on (and sent back by the renderer): keep them storable.
  // Cells are data, checked per row in parseCells.
  return { ...table, headers: table.headers.map(toWellFormed), sheetName: source.sheetName, encoding: source.encoding };
}

export interface ImportPreviewOf<F extends string> {
  sheetName: string | null;
  headerRow: number;
  headers: string[];
  sampleRows: string[][];
  totalRows: number;
  suggestedMapping: Mapping<F>;
  remembered: boolean;
  encoding: 'utf-8' | 'gbk' | null;
}

export async function previewImport<F extends string>(db: Db, spec: ImportSpec<F>, fileName: string, contentBase64: string): Promise<ImportPreviewOf<F>> {
  const table = await readTable(spec, fileName, contentBase64);
  const remembered = rememberedMapping(db, spec.register, spec.fields, table.headers);
  return {
    sheetName: table.sheetName,
    headerRow: table.headerRow,
    headers: table.headers,
    sampleRows: table.rows.slice(0, SAMPLE_ROWS).map((r) => r.cells),
    totalRows: table.rows.length,
    suggestedMapping: remembered ?? suggestMapping(spec.synonyms, table.headers),
    remembered: remembered !== undefined,
    encoding: table.encoding,
  };
}

/** The mapped, non-blank cells of a row as field values, and the reasons of those that are not values. */
export interface ParsedCells<F extends string> {
  values: Partial<Record<F, unknown>>;
  reasons: string[];
}

export function parseCells<F extends string>(spec: ImportSpec<F>, source: SourceRow, mapping: Mapping<F>, columns: ReadonlyMap<string, number>): ParsedCells<F> {
  const values: Partial<Record<F, unknown>> = {};
  const reasons: string[] = [];
  for (const field of spec.fields) {
    const header = mapping[field];
    if (header === undefined) continue;
    const raw = source.cells[columns.get(header)!] ?? '';
    if (raw.trim() === '') continue;
    if (!isWellFormed(raw)) {
      // An .xlsx can spell a lone UTF-16 surrogate (_xD800_); stored, it would turn into U+FFFD.
      reasons.push(labelled(spec, field, '含有无效字符（不成对的 Unicode 代理项），请在表格中重新输入该单元格'));
      continue;
    }
    const parsed = spec.parseField(field, raw, header);
    if (parsed.ok) values[field] = parsed.value;
    else reasons.push(labelled(spec, field, parsed.problem));
  }
  return { values, reasons };
}

/** What became of one row: written (new, or matched and changed or not), or refused with reasons. */
export type RowOutcome = 'imported' | 'updated' | 'unchanged' | { reasons: string[] };

export interface ImportRunInput<F extends string> {
  fileName: string;
  contentBase64: string;
  mapping: Mapping<F>;
}

export interface ImportRunResult {
  imported: number;
  updated: number;
  unchanged: number;
  rejected: ImportRowRejection[];
  rejectedFileName: string | null;
  rejectedFileBase64: string | null;
}

/**
 * The rejected rows as the user sent them: numbers (从业人数, 贷款金额, 序号 …) as numbers, so the
 * fixed sheet sums and sorts, and identifiers and everything else as text.
 */
const PLAIN_NUMBER = /^-?(?:0|[1-9]\d{0,14})(?:\.\d{1,6})?$/;

async function rejectedWorkbook<F extends string>(spec: ImportSpec<F>, headers: readonly string[], mapping: Mapping<F>, rows: readonly { source: SourceRow; reasons: string[] }[]): Promise<string> {
  const codeColumns = new Set(spec.textFields.map((field) => mapping[field]).filter((header) => header !== undefined));
  const asText = headers.map((header) => codeColumns.has(header));
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'GreenLedger';
  const sheet = workbook.addWorksheet('未导入');
  const header = sheet.addRow([...headers, ERROR_COLUMN]);
  header.font = { bold: true };
  header.getCell(headers.length + 1).font = { bold: true, color: { argb: 'FFC62828' } };
  for (const { source, reasons } of rows) {
    const cells = headers.map((_, i) => {
      const text = source.cells[i] ?? '';
      return !asText[i] && PLAIN_NUMBER.test(text) ? Number(text) : text;
    });
    const row = sheet.addRow([...cells, reasons.join('；')]);
    // Text cells are marked as text, so Excel does not turn a code or a date into a number on editing.
    cells.forEach((cell, i) => {
      if (typeof cell === 'string') row.getCell(i + 1).numFmt = '@';
    });
    row.getCell(headers.length + 1).font = { color: { argb: 'FFC62828' } };
  }
  headers.forEach((h, i) => {
    sheet.getColumn(i + 1).width = Math.min(40, Math.max(10, [...h].length * 2 + 2));
  });
  sheet.getColumn(headers.length + 1).width = 60;
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await workbook.xlsx.writeBuffer()).toString('base64');
}

/**
 * A register's import template: a first sheet headed with the labels (identifier columns formatted
 * as text, so Excel keeps leading zeros and 18-character codes; the required headers in red), and a
 * second sheet saying what each column takes. The importer reads the first sheet, so the template
 * filled in imports as it is, and its headers are recognised without any mapping.
 */
export async function importTemplate<F extends string>(spec: ImportSpec<F>): Promise<{ fileName: string; contentBase64: string }> {
  const { template } = spec;
  if (template === undefined) throw new HostFailure('NOT_FOUND', `No import template for ${spec.register}`);
  const required = new Set<F>(template.required);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'GreenLedger';
  const sheet = workbook.addWorksheet('导入');
  const header = sheet.addRow(spec.fields.map((field) => spec.labels[field]));
  spec.fields.forEach((field, i) => {
    const column = sheet.getColumn(i + 1);
    column.width = Math.min(40, Math.max(12, [...spec.labels[field]].length * 2 + 4));
    if (spec.textFields.includes(field)) column.numFmt = '@';
    header.getCell(i + 1).font = { bold: true, ...(required.has(field) ? { color: { argb: 'FFC62828' } } : {}) };
  });
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  const notes = workbook.addWorksheet('填写说明');
  notes.addRow(['列名', '是否必填', '说明']).font = { bold: true };
  for (const field of spec.fields) notes.addRow([spec.labels[field], required.has(field) ? '必填' : '', template.hints[field]]);
  notes.getColumn(1).width = 20;
  notes.getColumn(2).width = 10;
  notes.getColumn(3).width = 100;
  return { fileName: template.fileName, contentBase64: Buffer.from(await workbook.xlsx.writeBuffer()).toString('base64') };
}

/** Refuses a mapping that names a column the file lacks, or lacks the key's column. */
function checkMapping<F extends string>(spec: ImportSpec<F>, mapping: Mapping<F>, columns: ReadonlyMap<string, number>): void {
  const missing = (Object.entries(mapping) as [F, string][]).filter(([, header]) => !columns.has(header));
  if (missing.length > 0) {
    throw new HostFailure('VALIDATION', `文件中没有这些列：${missing.map(([, h]) => h).join('、')}`, {
      issues: missing.map(([field]) => ({ path: ['mapping', field], code: 'UNKNOWN_COLUMN', message: 'UNKNOWN_COLUMN' })),
    });
  }
  if (mapping[spec.key.field] === undefined) {
    throw new HostFailure('VALIDATION', spec.key.missingMessage, { issues: [{ path: ['mapping', spec.key.field], code: 'REQUIRED', message: 'REQUIRED' }] });
  }
}

/**
 * Reads the file, checks the mapping, then hands every row (its cells parsed) to `handleRow`,
 * which checks and writes it. Each row runs in a savepoint: a row that fails while saving is undone
 * alone and reported, the chunk goes on. `prepare` runs once the file is read and the mapping
 * checked, before any row (a register's own checks of the run, such as its defaults).
 */
/** Where each bulk-written row's detail is kept: the import file, stored once as a blob (attachment store) by its SHA-256. */
export interface ImportSourceFile {
  fileName: string;
  sha256: string;
  size: number;
  /** The file's row numbers written by this batch. */
  rows: number[];
}

/**
 * The bulk write path of an import (issue 20), for rows that create records: `check` applies the
 * same rules as the one-row path without writing, and says a row is to be written in bulk
 * (`{ value }`), refused (`{ reasons }`), or written alone (`{ single }`, e.g. an update of a record
 * on file, audited field by field); `write` writes a chunk's checked values in one transaction —
 * one audit summary per chunk naming the import file (db/records.ts insertRecords), an outbox entry
 * per record. A chunk whose bulk write fails is written again row by row, so only the failing row
 * is refused and the good ones land.
 */
export type BulkChecked<T> = { value: T } | { reasons: string[] } | { single: () => RowOutcome };

export interface BulkImport<F extends string, T> {
  check: (source: SourceRow, cells: ParsedCells<F>) => BulkChecked<T>;
  write: (values: T[], source: ImportSourceFile) => void;
  /**
   * Optionally, the same checks begun ahead of the writes on another thread (issue 20: the row
   * checks were ~45 µs of a row's ~150, and the machine has two cores): given every chunk, it
   * returns one promise per chunk, in order, of a function that finishes a row's check on this
   * thread when its chunk is written (what needs the store) and gives what `check` would have —
   * or of undefined, when the other thread could not check that chunk: it is checked here.
   * Undefined when not worth it (a short list) or not available.
   */
  ahead?: (columns: ReadonlyMap<string, number>, chunks: readonly (readonly SourceRow[])[]) => BulkAhead<T> | undefined;
}

export interface BulkAhead<T> {
  checked: Promise<((index: number) => BulkChecked<T>) | undefined>[];
  /** Stops the other thread; called once the import ends, whatever its end. */
  close: () => void;
}

export const failure = (error: unknown): { reasons: string[] } => {
  if (!(error instanceof HostFailure) && !(error instanceof RecordError)) throw error;
  return { reasons: [`保存失败：${error.message}`] };
};

/** A bulk import's chunk sizes: CHUNK_ROWS doubling up to BULK_CHUNK_ROWS (one-row imports: CHUNK_ROWS each). */
function chunksOf<R>(rows: readonly R[], bulk: boolean): R[][] {
  const chunks: R[][] = [];
  for (let start = 0, size = CHUNK_ROWS; start < rows.length; start += size, size = bulk ? Math.min(size * 2, BULK_CHUNK_ROWS) : CHUNK_ROWS) chunks.push(rows.slice(start, start + size));
  return chunks;
}

export async function runImport<F extends string, T = never>(
  ctx: HostContext,
  spec: ImportSpec<F>,
  input: ImportRunInput<F>,
  handleRow: (source: SourceRow, cells: ParsedCells<F>) => RowOutcome,
  prepare?: () => void,
  bulk?: BulkImport<F, T>,
): Promise<ImportRunResult> {
  const { db } = ctx.store;
  const table = await readTable(spec, input.fileName, input.contentBase64);
  const columns = new Map(table.headers.map((h, i) => [h, i]));
  checkMapping(spec, input.mapping, columns);
  prepare?.();
  const counts = { imported: 0, updated: 0, unchanged: 0 };
  const rejected: { source: SourceRow; reasons: string[] }[] = [];

  // The bulk path keeps the file itself as the rows' detail, once, encrypted like any attachment.
  const content = bulk === undefined ? undefined : Buffer.from(input.contentBase64, 'base64');
  const file = content === undefined ? undefined : { fileName: input.fileName, size: content.length, sha256: putBlob(ctx.dataDir, ctx.attachmentKey, content).sha256 };
  const chunks = chunksOf(table.rows, bulk !== undefined);
  const ahead = bulk?.ahead?.(columns, chunks);
  const endBulk = bulk === undefined ? undefined : startBulkImport(db, ctx.store.keyHex, ctx.log);
  try {
    for (const [index, chunk] of chunks.entries()) {
      // Between chunks the host serves other calls (the list, a colleague's search, sync), so a
      // 50k-row import does not freeze the app for its whole length; each chunk commits on its own,
      // and importing the file again after a cut updates what arrived instead of duplicating it.
      if (index > 0) await new Promise((resolve) => setImmediate(resolve));
      // The chunk's checks done ahead, while the chunks before it were written.
      const checkedAhead = ahead === undefined ? undefined : await ahead.checked[index]!;
      const tally = (source: SourceRow, outcome: RowOutcome) => {
        if (typeof outcome === 'object') rejected.push({ source, reasons: outcome.reasons });
        else {
          counts[outcome === 'unchanged' ? 'updated' : outcome] += 1;
          if (outcome === 'unchanged') counts.unchanged += 1;
        }
      };
      const alone = (write: () => RowOutcome): RowOutcome => {
        try {
          return db.transaction(write)();
        } catch (error) {
          return failure(error);
        }
      };
      db.transaction(() => {
        const batch: { source: SourceRow; value: T }[] = [];
        for (const [i, source] of chunk.entries()) {
          if (bulk === undefined) {
            const cells = parseCells(spec, source, input.mapping, columns);
            tally(source, alone(() => handleRow(source, cells)));
            continue;
          }
          const cells = checkedAhead === undefined ? parseCells(spec, source, input.mapping, columns) : undefined;
          let checked: BulkChecked<T>;
          try {
            checked = cells === undefined ? checkedAhead!(i) : bulk.check(source, cells);
          } catch (error) {
            checked = failure(error);
          }
          if ('value' in checked) batch.push({ source, value: checked.value });
          else if ('reasons' in checked) tally(source, checked);
          else tally(source, alone(checked.single));
        }
        if (bulk === undefined || batch.length === 0) return;
        const write = (rows: typeof batch) => bulk.write(rows.map((r) => r.value), { ...file!, rows: rows.map((r) => r.source.row) });
        const whole = alone(() => (write(batch), 'imported'));
        if (whole === 'imported') counts.imported += batch.length;
        else for (const row of batch) tally(row.source, alone(() => (write([row]), 'imported')));
      })();
    }
  } finally {
    ahead?.close();
    endBulk?.();
  }
  rememberMapping(db, spec.register, table.headers, input.mapping, ctx.now());

  const stamp = new Date(ctx.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  const baseName = input.fileName.replace(/\.[^.]*$/, '').slice(0, 80);
  return {
    ...counts,
    rejected: rejected.map(({ source, reasons }) => ({ row: source.row, reasons })),
    rejectedFileName: rejected.length === 0 ? null : `${baseName}-未导入-${stamp}.xlsx`,
    rejectedFileBase64: rejected.length === 0 ? null : await rejectedWorkbook(spec, table.headers, input.mapping, rejected),
  };
}
