import { createInflateRaw, inflateRawSync } from 'node:zlib';
import { SaxesParser } from 'saxes';

/**
 * The first worksheet with data of an .xlsx, read as a stream: the zip's central directory, the
 * sheet's XML inflated and parsed (saxes, the parser ExcelJS itself uses) a piece at a time, and
 * only the cell values kept. ExcelJS's Workbook.load built the whole workbook model — every cell an
 * object with its style, every part of the file parsed — which took 3–10 s for a 50,000-row list
 * and most of the import's garbage collection (issue 20).
 *
 * A cell's value is what ExcelJS's loader gives (cell-xform.js, shared-string-xform.js, styles-xform.js
 * of exceljs 4.4.0), so the text table.ts makes of it is the same: shared and inline strings (rich
 * text joined, `_xHHHH_` escapes decoded in shared strings), numbers, dates by the cell's number
 * format (built-in ids 14–22 and custom formats; 1904 workbooks), booleans, errors, a formula's cached
 * result, and a merged range's master value in each of its cells. The same rows count (a row with at
 * least one cell that is not a styled blank, merged cells included), in the same sheet (the first in
 * the workbook's order with such a row). Known difference: a hyperlink on a cell with no value made
 * ExcelJS count its row; here it does not (its text is empty either way).
 */

/** What ExcelJS gives as a cell's value (ExcelJS.CellValue's shapes that a loaded file has). */
export type XlsxValue =
  | string
  | number
  | boolean
  | Date
  | { richText: { text?: string }[] }
  | { error: string }
  | { formula: string; result: XlsxValue | undefined }
  | Record<string, never>;

export interface XlsxRow {
  /** The row number as the sheet shows it. */
  row: number;
  /** Cell values by column (index 0 = column A); undefined is an empty cell, null a styled empty one. */
  values: (XlsxValue | null | undefined)[];
}

export interface XlsxSheet {
  name: string;
  rows: XlsxRow[];
}

/** A file whose parts cannot be read as an .xlsx (not a zip, a part missing its XML, a broken row). */
export class XlsxError extends Error {}

// ---------------------------------------------------------------------------------------------
// zip

interface ZipEntry {
  method: number;
  compressedSize: number;
  offset: number;
}

/** Inflated bytes of one part are capped: a 50,000-row list is ~25 MB; a zip bomb must not take the host down. */
const MAX_PART_BYTES = 1 << 30;

function zipEntries(bytes: Buffer): Map<string, ZipEntry> {
  // The end of central directory record: the last PK\5\6 (a comment of up to 65,535 bytes may follow it).
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65_535); i -= 1) {
    if (bytes.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new XlsxError('zip: no end of central directory');
  let count = bytes.readUInt16LE(eocd + 10);
  let at = bytes.readUInt32LE(eocd + 16);
  if (count === 0xffff || at === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || bytes.readUInt32LE(locator) !== 0x07064b50) throw new XlsxError('zip: no zip64 locator');
    const end64 = Number(bytes.readBigUInt64LE(locator + 8));
    if (bytes.readUInt32LE(end64) !== 0x06064b50) throw new XlsxError('zip: no zip64 end of central directory');
    count = Number(bytes.readBigUInt64LE(end64 + 32));
    at = Number(bytes.readBigUInt64LE(end64 + 48));
  }
  const entries = new Map<string, ZipEntry>();
  for (let n = 0; n < count; n += 1) {
    if (bytes.readUInt32LE(at) !== 0x02014b50) throw new XlsxError('zip: broken central directory');
    const flags = bytes.readUInt16LE(at + 8);
    const method = bytes.readUInt16LE(at + 10);
    let compressedSize = bytes.readUInt32LE(at + 20);
    let size = bytes.readUInt32LE(at + 24);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    let offset = bytes.readUInt32LE(at + 42);
    const name = bytes.toString(flags & 0x800 ? 'utf8' : 'latin1', at + 46, at + 46 + nameLength);
    // Zip64: the sizes and offset that do not fit 32 bits are in the extra field 0x0001, in this order.
    for (let e = at + 46 + nameLength; e + 4 <= at + 46 + nameLength + extraLength; e += 4 + bytes.readUInt16LE(e + 2)) {
      if (bytes.readUInt16LE(e) !== 0x0001) continue;
      let q = e + 4;
      const next = () => Number(bytes.readBigUInt64LE((q += 8) - 8));
      if (size === 0xffffffff) size = next();
      if (compressedSize === 0xffffffff) compressedSize = next();
      if (offset === 0xffffffff) offset = next();
    }
    // ExcelJS (via JSZip) names parts without a leading slash.
    entries.set(name.startsWith('/') ? name.slice(1) : name, { method, compressedSize, offset });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function entryData(bytes: Buffer, entry: ZipEntry): Buffer {
  if (bytes.readUInt32LE(entry.offset) !== 0x04034b50) throw new XlsxError('zip: broken local header');
  const start = entry.offset + 30 + bytes.readUInt16LE(entry.offset + 26) + bytes.readUInt16LE(entry.offset + 28);
  if (start + entry.compressedSize > bytes.length) throw new XlsxError('zip: truncated');
  return bytes.subarray(start, start + entry.compressedSize);
}

function entryText(bytes: Buffer, entry: ZipEntry): string {
  const data = entryData(bytes, entry);
  if (entry.method === 0) return new TextDecoder().decode(data);
  if (entry.method !== 8) throw new XlsxError(`zip: compression method ${entry.method}`);
  return new TextDecoder().decode(inflateRawSync(data, { maxOutputLength: MAX_PART_BYTES }));
}

/** A part's text in pieces, inflated as it is read (the host serves other calls between pieces). */
async function* entryTextStream(bytes: Buffer, entry: ZipEntry): AsyncGenerator<string> {
  const data = entryData(bytes, entry);
  const decoder = new TextDecoder();
  if (entry.method === 0) {
    yield decoder.decode(data);
    return;
  }
  if (entry.method !== 8) throw new XlsxError(`zip: compression method ${entry.method}`);
  const inflater = createInflateRaw({ chunkSize: 1 << 20 });
  inflater.end(data);
  let total = 0;
  for await (const piece of inflater as AsyncIterable<Buffer>) {
    total += piece.length;
    if (total > MAX_PART_BYTES) {
      inflater.destroy();
      throw new XlsxError('zip: part too large');
    }
    yield decoder.decode(piece, { stream: true });
  }
  yield decoder.decode();
}

// ---------------------------------------------------------------------------------------------
// XML

interface XmlHandlers {
  open: (name: string, attributes: Record<string, string>) => void;
  text?: (text: string) => void;
  close?: (name: string) => void;
}

function xmlParser(handlers: XmlHandlers): SaxesParser<{ xmlns: false; position: false }> {
  // No position tracking (not reported anyway); CDATA is not listened to, as in ExcelJS.
  const parser = new SaxesParser<{ xmlns: false; position: false }>({ xmlns: false, position: false });
  parser.on('opentag', (tag) => handlers.open(tag.name, tag.attributes));
  if (handlers.text) parser.on('text', handlers.text);
  const { close } = handlers;
  if (close) parser.on('closetag', (tag) => close(tag.name));
  parser.on('error', (error) => {
    throw new XlsxError(`xml: ${error.message}`);
  });
  return parser;
}

function parseXml(text: string, handlers: XmlHandlers): void {
  xmlParser(handlers).write(text).close();
}

/** ExcelJS's TextXform: OOXML spells characters XML cannot hold as _xHHHH_ (upper-case hex). */
const unescapeOoxml = (text: string) => text.replace(/_x([0-9A-F]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/** ExcelJS's utils.xmlDecode, applied once more to a `str` cell's text (the parser decoded it already). */
const xmlDecode = (text: string) =>
  text.replace(/&([a-z]*);/g, (entity) => ({ '&lt;': '<', '&gt;': '>', '&amp;': '&', '&apos;': "'", '&quot;': '"' })[entity] ?? entity);

/** A rich text run (<r>): its <t>'s text, the run's properties (<rPr>) skipped. */
class RunReader {
  private run: { text?: string } = {};
  private text: string[] | null = null;
  private rPr = 0;
  open(name: string): void {
    if (this.rPr > 0 || name === 'rPr') this.rPr += 1;
    else if (name === 't') this.text = [];
  }
  onText(text: string): void {
    if (this.rPr === 0 && this.text !== null) this.text.push(text);
  }
  /** True when the run itself closed. */
  close(name: string): boolean {
    if (this.rPr > 0) this.rPr -= 1;
    else if (name === 't' && this.text !== null) {
      this.run.text = unescapeOoxml(this.text.join(''));
      this.text = null;
    } else if (name === 'r') return true;
    return false;
  }
  take(): { text?: string } {
    const run = this.run;
    this.run = {};
    return run;
  }
}

// ---------------------------------------------------------------------------------------------
// workbook parts

type SharedString = string | { richText: { text?: string }[] } | Record<string, never>;

function sharedStrings(text: string): SharedString[] {
  const values: SharedString[] = [];
  let item: SharedString | null = null;
  // The <si>'s child being read: its own <t>, a run, or something skipped (<rPh> phonetics, …) with its depth.
  let t: string[] | null = null;
  let run: RunReader | null = null;
  let skip = 0;
  parseXml(text, {
    open: (name) => {
      if (item === null) {
        if (name === 'si') item = {};
        else if (name !== 'sst') throw new XlsxError(`sharedStrings: unexpected <${name}>`);
      } else if (skip > 0) skip += 1;
      else if (run !== null) run.open(name);
      else if (t !== null) skip = 1;
      else if (name === 't') t = [];
      else if (name === 'r') run = new RunReader();
      // Phonetic runs (<rPh>) have a text of their own that is not the string's; other elements are ignored.
      else if (name === 'rPh') skip = 1;
    },
    text: (chunk) => {
      if (skip > 0) return;
      if (run !== null) run.onText(chunk);
      else if (t !== null) t.push(chunk);
    },
    close: (name) => {
      if (skip > 0) skip -= 1;
      else if (run !== null) {
        if (run.close(name)) {
          if (typeof item === 'string') throw new XlsxError('sharedStrings: a run after text');
          const parts = ((item as { richText?: { text?: string }[] }).richText ??= []);
          parts.push(run.take());
          run = null;
        }
      } else if (t !== null) {
        item = unescapeOoxml(t.join(''));
        t = null;
      } else if (name === 'si' && item !== null) {
        values.push(item);
        item = null;
      }
    },
  });
  return values;
}

/** ExcelJS's utils.isDateFmt: a date or time format once bracketed and quoted parts are removed. */
function isDateFormat(format: string | undefined): boolean {
  if (!format) return false;
  return /[ymdhMsb]+/.test(format.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

/** ExcelJS's built-in number formats that have a format code of their own (ids 27–36 and 50–58 are locale-specific and have none there). */
const BUILT_IN_FORMATS: Readonly<Record<number, string>> = {
  0: 'General', 1: '0', 2: '0.00', 3: '#,##0', 4: '#,##0.00', 9: '0%', 10: '0.00%', 11: '0.00E+00', 12: '# ?/?', 13: '# ??/??',
  14: 'mm-dd-yy', 15: 'd-mmm-yy', 16: 'd-mmm', 17: 'mmm-yy', 18: 'h:mm AM/PM', 19: 'h:mm:ss AM/PM', 20: 'h:mm', 21: 'h:mm:ss', 22: 'm/d/yy "h":mm',
  37: '#,##0 ;(#,##0)', 38: '#,##0 ;[Red](#,##0)', 39: '#,##0.00 ;(#,##0.00)', 40: '#,##0.00 ;[Red](#,##0.00)', 45: 'mm:ss', 46: '[h]:mm:ss', 47: 'mmss.0', 48: '##0.0E+0', 49: '@',
};

/** Per cell style index (a cell's `s`), whether it formats numbers as dates. */
function dateStyles(text: string): boolean[] {
  const formats = new Map<number, string>();
  const styles: number[] = [];
  // Only the top-level lists: <dxfs> hold number formats too, and <cellStyleXfs> hold <xf>s.
  const path: string[] = [];
  parseXml(text, {
    open: (name, attributes) => {
      const parent = path.length === 2 ? path[1] : undefined;
      if (parent === 'numFmts' && name === 'numFmt') formats.set(parseInt(attributes.numFmtId ?? '', 10), (attributes.formatCode ?? '').replace(/[\\](.)/g, '$1'));
      if (parent === 'cellXfs' && name === 'xf') styles.push(parseInt(attributes.numFmtId ?? '', 10));
      path.push(name);
    },
    close: () => void path.pop(),
  });
  return styles.map((id) => (id ? isDateFormat(formats.get(id) ?? BUILT_IN_FORMATS[id]) : false));
}

/** ExcelJS's utils.excelToDate (JS arithmetic on whatever the value is, as there). */
const excelToDate = (value: unknown, date1904: boolean) => new Date(Math.round(((value as number) - 25569 + (date1904 ? 1462 : 0)) * 24 * 3600 * 1000));

/** colCache.decodeAddress's column: the upper-case letters before the row number ($ ignored). */
function columnOf(address: string): number {
  let column = 0;
  for (let i = 0; i < address.length; i += 1) {
    const code = address.charCodeAt(i);
    if (code >= 65 && code <= 90) column = column * 26 + code - 64;
    else if (code >= 48 && code <= 57) break;
  }
  if (column === 0 || column > 16_384) throw new XlsxError(`sheet: cell address ${address}`);
  return column;
}

function rangeOf(ref: string): { top: number; left: number; bottom: number; right: number } {
  const rowOf = (address: string) => parseInt(address.replace(/^[$A-Z]+/, '').replace('$', ''), 10);
  const [from, to = from] = ref.split(':') as [string, string?];
  const [r1, c1, r2, c2] = [rowOf(from), columnOf(from), rowOf(to!), columnOf(to!)];
  if (!Number.isInteger(r1) || !Number.isInteger(r2)) throw new XlsxError(`sheet: merged range ${ref}`);
  return { top: Math.min(r1, r2), left: Math.min(c1, c2), bottom: Math.max(r1, r2), right: Math.max(c1, c2) };
}

// ---------------------------------------------------------------------------------------------
// the worksheet

interface SheetContext {
  strings: SharedString[] | undefined;
  dates: boolean[];
  date1904: boolean;
}

/** A cell of a merged range that is not its master: its value is the master's. */
class MergedCell {
  constructor(readonly master: { row: (XlsxValue | null | undefined | MergedCell)[]; column: number }) {}
}

type CellSlot = XlsxValue | null | undefined | MergedCell;

/** A cell ExcelJS leaves out: no value and no style (its "Merge" type). */
const NO_CELL = Symbol('no cell');

/**
 * A cell's value as ExcelJS's CellXform makes it from what the cell holds: its type (`t`), style
 * index (`s`), the text of its <v> or <is> (or the runs of an inline rich text), and its formula.
 */
function cellSlot(
  type: string | undefined,
  style: number | undefined,
  value: string | { richText: { text?: string }[] } | undefined,
  formula: string | undefined,
  shared: string | undefined,
  context: SheetContext,
): CellSlot | typeof NO_CELL {
  const isDate = style ? context.dates[style] === true : false;
  if (formula || shared) {
    let computed: XlsxValue | undefined;
    if (value) {
      const raw = value as string;
      computed = type === 'str' ? xmlDecode(raw) : type === 'b' ? parseInt(raw, 10) !== 0 : type === 'e' ? { error: raw } : parseFloat(raw);
    }
    if (computed !== undefined && isDate) computed = excelToDate(computed, context.date1904);
    return { formula: formula ?? '', result: computed };
  }
  if (value !== undefined) {
    const raw = value as string;
    if (type === 's') {
      const index = parseInt(raw, 10);
      if (context.strings === undefined) return index;
      const string = context.strings[index];
      if (string === undefined) throw new XlsxError(`sheet: no shared string ${raw}`);
      return string;
    }
    if (type === 'str') return xmlDecode(raw);
    if (type === 'inlineStr') return value;
    if (type === 'b') return parseInt(raw, 10) !== 0;
    if (type === 'e') return { error: raw };
    const number = parseFloat(raw);
    return isDate ? excelToDate(number, context.date1904) : number;
  }
  return style ? null : NO_CELL;
}

async function readSheet(pieces: AsyncIterable<string>, context: SheetContext): Promise<XlsxRow[]> {
  const rows = new Map<number, CellSlot[]>();
  const merges: ReturnType<typeof rangeOf>[] = [];
  let depth = 0;
  let inSheetData = false;
  let row: CellSlot[] | null = null;
  let previousColumn = 0;
  // The cell being read (ExcelJS's CellXform state).
  let cell: { address: string | undefined; type: string | undefined; style: number | undefined } | null = null;
  let node: 'f' | 'v' | 't' | undefined;
  let value: string | { richText: { text?: string }[] } | undefined;
  // ExcelJS's model.formula (the <f> text) and model.shareType (<f t>): either makes a formula.
  let formula: string | undefined;
  let shared: string | undefined;
  let run: RunReader | null = null;

  const endCell = () => {
    const result = cellSlot(cell!.type, cell!.style, value, formula, shared, context);
    if (result === NO_CELL) return;
    let column: number;
    if (cell!.address !== undefined) column = columnOf(cell!.address);
    else if (previousColumn > 0) column = previousColumn + 1;
    else throw new XlsxError('sheet: a cell without an address');
    previousColumn = column;
    row![column - 1] = result;
  };

  const parser = xmlParser({
    open: (name, attributes) => {
      depth += 1;
      if (!inSheetData) {
        if (depth === 2 && name === 'sheetData') inSheetData = true;
        else if (depth === 3 && name === 'mergeCell' && attributes.ref !== undefined) merges.push(rangeOf(attributes.ref));
        return;
      }
      if (cell !== null) {
        if (run !== null) run.open(name);
        else if (name === 'f') {
          node = 'f';
          shared = attributes.t;
        } else if (name === 'v') node = 'v';
        else if (name === 't') node = 't';
        else if (name === 'r') run = new RunReader();
        return;
      }
      if (name === 'row') {
        const number = parseInt(attributes.r ?? '', 10);
        // ExcelJS refuses a row without its number ("Invalid row number in model") and drops rows numbered below 1.
        if (Number.isNaN(number)) throw new XlsxError('sheet: a row without its number');
        row = [];
        if (number >= 1) rows.set(number, row);
        previousColumn = 0;
      } else if (name === 'c' && row !== null) {
        cell = { address: attributes.r, type: attributes.t, style: attributes.s === undefined ? undefined : parseInt(attributes.s, 10) };
        node = undefined;
        value = undefined;
        formula = undefined;
        shared = undefined;
      }
    },
    text: (text) => {
      if (cell === null) return;
      if (run !== null) run.onText(text);
      else if (node === 'f') formula = formula ? formula + text : text;
      else if ((node === 'v' || node === 't') && (typeof value !== 'object')) value = value ? value + text : text;
    },
    close: (name) => {
      depth -= 1;
      if (!inSheetData) return;
      if (cell !== null) {
        if (run !== null) {
          if (run.close(name)) {
            // ExcelJS fails on a run after plain text (it sets a property of a string).
            if (typeof value === 'string') throw new XlsxError('sheet: a run after text');
            value ??= { richText: [] };
            value.richText.push(run.take());
            run = null;
            node = undefined;
          }
        } else if (name === 'c') {
          endCell();
          cell = null;
        } else if (name === 'f' || name === 'v' || name === 'is' || name === 't') node = undefined;
      } else if (name === 'row') row = null;
      else if (name === 'sheetData') inSheetData = false;
    },
  });
  for await (const piece of pieces) parser.write(piece);
  parser.close();

  return sheetRows(rows, merges);
}

/** The rows ExcelJS counts, in order, merged ranges filled from their masters. */
function sheetRows(rows: Map<number, CellSlot[]>, merges: readonly ReturnType<typeof rangeOf>[]): XlsxRow[] {
  // Merged ranges (ExcelJS's mergeCellsWithoutStyle, in order): every cell but the top-left takes its value.
  for (let i = 0; i < merges.length; i += 1) {
    const range = merges[i]!;
    for (let j = 0; j < i; j += 1) {
      const other = merges[j]!;
      if (!(other.bottom < range.top || other.top > range.bottom || other.right < range.left || other.left > range.right)) {
        throw new XlsxError('sheet: merged ranges overlap');
      }
    }
    const rowAt = (number: number) => {
      let cells = rows.get(number);
      if (cells === undefined) rows.set(number, (cells = []));
      return cells;
    };
    const masterRow = rowAt(range.top);
    // The master exists from here on, as a blank when the file has no such cell.
    if (masterRow[range.left - 1] === undefined) masterRow[range.left - 1] = null;
    const master = { row: masterRow, column: range.left };
    for (let r = range.top; r <= range.bottom; r += 1) {
      const cells = rowAt(r);
      for (let c = range.left; c <= range.right; c += 1) if (r > range.top || c > range.left) cells[c - 1] = new MergedCell(master);
    }
  }

  const result: XlsxRow[] = [];
  for (const number of [...rows.keys()].sort((a, b) => a - b)) {
    const cells = rows.get(number)!;
    // ExcelJS's row.hasValues: some cell that is not a styled blank (a merged cell counts).
    if (!cells.some((slot) => slot !== undefined && slot !== null)) continue;
    const values: (XlsxValue | null | undefined)[] = new Array(cells.length);
    for (let c = 0; c < cells.length; c += 1) {
      const slot = cells[c];
      // A master is never itself merged into another range (overlaps are refused above).
      values[c] = slot instanceof MergedCell ? (slot.master.row[slot.master.column - 1] as XlsxValue | null | undefined) : slot;
    }
    result.push({ row: number, values });
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// the worksheet, scanned

/*
 * A list's sheet is ~650,000 cells for 50,000 rows, nearly all of one shape: <c r="B7" s="1"
 * t="s"><v>12</v></c>. Parsing each tag with saxes and the handlers above took ~0.9 s of a 50,000-row
 * import (a fifth of it). scanSheet reads that shape with a few sticky regular expressions, a cell at
 * a time, and gives up — undefined, and readSheet reads the sheet from its start — on anything else:
 * a formula, an inline string, an entity, a comment, a prefixed name, a second sheetData, a row
 * without its number. So what it gives is what readSheet gives, on every file (xlsx.test.ts holds
 * the two side by side); the parts before and after the rows (a few kB) still go through saxes, which
 * also reads the merged ranges there and refuses a file that is not well-formed.
 */

/** XML's whitespace, and an attribute list (no entity, no `<`, no whitespace to normalise inside a value). */
const WS = '[ \\t\\r\\n]';
const ATTRIBUTES = `((?:${WS}+[A-Za-z_][\\w.:-]*${WS}*=${WS}*(?:"[^"<&\\t\\r\\n\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\uFFFE\\uFFFF]*"|'[^'<&\\t\\r\\n\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\uFFFE\\uFFFF]*'))*)${WS}*`;
/** A <v>'s text that XML reads as written: no markup, entity, CR (line ends are normalised) or `]` (`]]>` is an error). */
const VALUE = '<v>([^<&\\r\\]\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\uFFFE\\uFFFF]*)</v>';
const SPACE = new RegExp(`${WS}*`, 'y');
const ROW_OPEN = new RegExp(`<row${ATTRIBUTES}(/?)>`, 'y');
const ROW_CLOSE = new RegExp(`</row${WS}*>`, 'y');
/** The shape Excel, WPS and ExcelJS write: r, then s and t when there are. */
const CELL_PLAIN = new RegExp(`<c r="([A-Z]{1,3}[0-9]+)"(?: s="([0-9]+)")?(?: t="([A-Za-z]+)")?(?:/>|>(?:${VALUE})?</c>)`, 'y');
const CELL_ANY = new RegExp(`<c${ATTRIBUTES}(?:/>|>(?:${VALUE})?</c>)`, 'y');
const ATTRIBUTE = new RegExp(`${WS}+([A-Za-z_][\\w.:-]*)${WS}*=${WS}*(?:"([^"]*)"|'([^']*)')`, 'g');

/**
 * Whether the text before a scanned run holds only elements (and the XML declaration): no comment,
 * CDATA section or processing instruction, in which the run's first tag could stand as text.
 */
const onlyElements = (head: string): boolean => !/<[!?]/.test(head.replace(/^\uFEFF?<\?xml[^>]*\?>/, ''));

/** An attribute list's values by name; undefined when a name comes twice (saxes refuses it). */
function attributesOf(list: string): Record<string, string> | undefined {
  const attributes: Record<string, string> = {};
  ATTRIBUTE.lastIndex = 0;
  for (let m = ATTRIBUTE.exec(list); m !== null; m = ATTRIBUTE.exec(list)) {
    if (Object.hasOwn(attributes, m[1]!)) return undefined;
    attributes[m[1]!] = m[2] ?? m[3]!;
  }
  return attributes;
}

/** Parts around the rows this long or longer are left to readSheet (a sheet's are a few kB). */
const MAX_AROUND_ROWS = 1 << 20;

async function scanSheet(pieces: AsyncIterable<string>, context: SheetContext): Promise<XlsxRow[] | undefined> {
  const rows = new Map<number, CellSlot[]>();
  let row: CellSlot[] | null = null;
  let previousColumn = 0;
  // What is before and after the rows (an object: scan sets the tail).
  const around: { head?: string; tail?: string } = {};
  let buffer = '';

  /** Reads text that ends just after a </row> or the </sheetData>: false when it is not the shape. */
  const scan = (text: string): boolean => {
    let at = 0;
    for (;;) {
      SPACE.lastIndex = at;
      SPACE.exec(text);
      at = SPACE.lastIndex;
      if (at >= text.length) return true;
      if (row === null) {
        if (text.startsWith('</sheetData>', at)) {
          around.tail = text.slice(at + '</sheetData>'.length);
          return true;
        }
        ROW_OPEN.lastIndex = at;
        const open = ROW_OPEN.exec(text);
        if (open === null) return false;
        at = ROW_OPEN.lastIndex;
        const number = parseInt(attributesOf(open[1]!)?.r ?? '', 10);
        if (Number.isNaN(number)) return false;
        const cells: CellSlot[] = [];
        if (number >= 1) rows.set(number, cells);
        previousColumn = 0;
        if (open[2] !== '/') row = cells;
        continue;
      }
      let address: string | undefined;
      let style: string | undefined;
      let type: string | undefined;
      let value: string | undefined;
      CELL_PLAIN.lastIndex = at;
      let cell = CELL_PLAIN.exec(text);
      if (cell !== null) {
        at = CELL_PLAIN.lastIndex;
        [, address, style, type, value] = cell;
      } else {
        CELL_ANY.lastIndex = at;
        cell = CELL_ANY.exec(text);
        if (cell === null) {
          ROW_CLOSE.lastIndex = at;
          if (ROW_CLOSE.exec(text) === null) return false;
          at = ROW_CLOSE.lastIndex;
          row = null;
          continue;
        }
        at = CELL_ANY.lastIndex;
        const attributes = attributesOf(cell[1]!);
        if (attributes === undefined) return false;
        ({ r: address, s: style, t: type } = attributes);
        value = cell[2];
      }
      // No text event for an empty <v></v>: no value, as in readSheet.
      const slot = cellSlot(type, style === undefined ? undefined : parseInt(style, 10), value === '' ? undefined : value, undefined, undefined, context);
      if (slot === NO_CELL) continue;
      let column: number;
      if (address !== undefined) column = columnOf(address);
      else if (previousColumn > 0) column = previousColumn + 1;
      else return false;
      previousColumn = column;
      row[column - 1] = slot;
    }
  };

  // What is around the rows goes through saxes: the merged ranges, and a file that is not well-formed.
  const merges: ReturnType<typeof rangeOf>[] = [];
  let depth = 0;
  const parser = xmlParser({
    open: (name, attributes) => {
      depth += 1;
      if (depth === 3 && name === 'mergeCell' && attributes.ref !== undefined) merges.push(rangeOf(attributes.ref));
    },
    close: () => void (depth -= 1),
  });
  try {
    for await (const piece of pieces) {
      if (around.tail !== undefined) {
        around.tail += piece;
        if (around.tail.length > MAX_AROUND_ROWS) return undefined;
        continue;
      }
      buffer += piece;
      if (around.head === undefined) {
        const at = buffer.indexOf('<sheetData');
        if (at < 0) {
          if (buffer.length > MAX_AROUND_ROWS) return undefined;
          continue;
        }
        if (!buffer.startsWith('<sheetData>', at)) return undefined;
        around.head = buffer.slice(0, at);
        // The <sheetData found must be the element: not in a comment, a CDATA section or an
        // instruction, and a child of the root, as readSheet reads it only there.
        if (!onlyElements(around.head)) return undefined;
        parser.write(around.head);
        if (depth !== 1) return undefined;
        buffer = buffer.slice(at + '<sheetData>'.length);
      }
      // Up to the last complete row or the end of the rows; the rest waits for the next piece.
      const rowEnd = buffer.lastIndexOf('</row>');
      const dataEnd = buffer.lastIndexOf('</sheetData>');
      const end = Math.max(rowEnd < 0 ? 0 : rowEnd + '</row>'.length, dataEnd < 0 ? 0 : dataEnd + '</sheetData>'.length);
      if (end === 0) continue;
      if (!scan(buffer.slice(0, end))) return undefined;
      buffer = buffer.slice(end);
      // scan() may just have set the tail (TypeScript cannot see it through the closure).
      const tail = around.tail as string | undefined;
      if (tail !== undefined) around.tail = tail + buffer;
    }
    if (around.tail === undefined || around.tail.includes('<sheetData')) return undefined;
    parser.write(around.tail).close();
    return sheetRows(rows, merges);
  } catch {
    // A cell or a part the scanner cannot read: readSheet reads the sheet again and says what is
    // wrong in its words, at the place it meets it.
    return undefined;
  }
}

/**
 * The shared strings read by the scanner's means, for the shape ExcelJS, Excel and WPS write a
 * list's texts in: <si><t>…</t></si>, xml:space="preserve" or not, a text with no markup, entity,
 * CR or `]`. Undefined — sharedStrings reads the part with saxes — on anything else (rich text runs,
 * phonetic runs, an entity, a comment). The part is a few MB for 50,000 rows; saxes took ~130 ms.
 */
const STRING_ITEM = new RegExp(`<si><t(?:${WS}+xml:space="preserve")?(?:/>|>([^<&\\r\\]\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\uFFFE\\uFFFF]*)</t>)</si>`, 'y');

function scanSharedStrings(text: string): SharedString[] | undefined {
  const first = text.indexOf('<si>');
  const last = text.lastIndexOf('</si>');
  if (first < 0 || last < first) return undefined;
  const head = text.slice(0, first);
  if (!onlyElements(head)) return undefined;
  const end = last + '</si>'.length;
  const values: SharedString[] = [];
  let at = first;
  while (at < end) {
    SPACE.lastIndex = at;
    SPACE.exec(text);
    at = SPACE.lastIndex;
    if (at >= end) break;
    STRING_ITEM.lastIndex = at;
    const item = STRING_ITEM.exec(text);
    if (item === null) return undefined;
    at = STRING_ITEM.lastIndex;
    const value = item[1] ?? '';
    values.push(value.includes('_x') ? unescapeOoxml(value) : value);
  }
  // What is around the items through saxes: <si> a child of the root, and a part that is well-formed.
  let depth = 0;
  let other = false;
  try {
    const parser = xmlParser({
      // sharedStrings refuses a root other than <sst> and any element beside the items.
      open: (name) => {
        depth += 1;
        if (depth > 1 || name !== 'sst') other = true;
      },
      close: () => void (depth -= 1),
    });
    parser.write(head);
    if (depth !== 1) return undefined;
    parser.write(text.slice(end)).close();
  } catch {
    return undefined;
  }
  return other ? undefined : values;
}

/**
 * How a sheet's rows and the shared strings are read: the scanners, and saxes where they give up
 * (the product's way); or only one of the two, for the tests that hold them side by side.
 */
export type SheetReader = 'scan-or-saxes' | 'scan' | 'saxes';

/**
 * The first worksheet (in the workbook's order) that has a row with a value, or null when none has.
 * Throws when the bytes are not a readable workbook (XlsxError, a parser's or zlib's error, or a
 * RangeError reading past the end of a broken zip).
 */
export async function readFirstSheet(bytes: Buffer, options: { reader?: SheetReader } = {}): Promise<XlsxSheet | null> {
  const reader = options.reader ?? 'scan-or-saxes';
  const entries = zipEntries(bytes);
  const part = (name: string) => entries.get(name);
  const text = (name: string) => {
    const entry = part(name);
    return entry === undefined ? undefined : entryText(bytes, entry);
  };

  const sheets: { name: string; id: number; rId: string | undefined }[] = [];
  let date1904 = false;
  const workbook = text('xl/workbook.xml');
  if (workbook !== undefined) {
    parseXml(workbook, {
      open: (name, attributes) => {
        if (name === 'sheet') sheets.push({ name: attributes.name ?? '', id: parseInt(attributes.sheetId ?? '', 10), rId: attributes['r:id'] });
        else if (name === 'workbookPr') date1904 = attributes.date1904 === '1';
      },
    });
  }
  const targets = new Map<string, string>();
  const rels = text('xl/_rels/workbook.xml.rels');
  if (rels !== undefined) {
    parseXml(rels, {
      open: (name, attributes) => {
        if (name === 'Relationship' && attributes.Id !== undefined && attributes.Target !== undefined) targets.set(attributes.Id, attributes.Target);
      },
    });
  }
  const strings = text('xl/sharedStrings.xml');
  const styles = text('xl/styles.xml');
  const scanned = strings === undefined || reader === 'saxes' ? undefined : scanSharedStrings(strings);
  if (strings !== undefined && scanned === undefined && reader === 'scan') throw new XlsxError('sharedStrings: not the shape the scanner reads');
  const context: SheetContext = { strings: strings === undefined ? undefined : (scanned ?? sharedStrings(strings)), dates: styles === undefined ? [] : dateStyles(styles), date1904 };

  // ExcelJS keeps a sheet whose relationship points at an xl/worksheets/sheetN.xml part, keyed by its
  // positive sheetId (a later sheet with the same id replaces an earlier one), in the workbook's order.
  const byId = new Map<number, { name: string; path: string; order: number }>();
  sheets.forEach((sheet) => {
    const target = sheet.rId === undefined ? undefined : targets.get(sheet.rId);
    if (target === undefined || !Number.isInteger(sheet.id) || sheet.id <= 0) return;
    const path = `xl/${target.replace(/^(\s|\/xl\/)+/, '')}`;
    if (!/xl\/worksheets\/sheet(\d+)[.]xml/.test(path) || part(path) === undefined) return;
    byId.set(sheet.id, { name: sheet.name, path, order: sheets.findIndex((s) => s.id === sheet.id) });
  });
  for (const { name, path } of [...byId.values()].sort((a, b) => a.order - b.order)) {
    const scanned = reader === 'saxes' ? undefined : await scanSheet(entryTextStream(bytes, part(path)!), context);
    if (scanned === undefined && reader === 'scan') throw new XlsxError('sheet: not the shape the scanner reads');
    const rows = scanned ?? (await readSheet(entryTextStream(bytes, part(path)!), context));
    if (rows.length > 0) return { name, rows };
  }
  return null;
}
