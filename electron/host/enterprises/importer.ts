import { noEnterpriseFlags, noGreenCredentials } from '../../../shared/domain/enterprise.ts';
import ExcelJS from 'exceljs';
import type { ImportDefaults, ImportField, ImportMapping, ImportPreview, ImportResult } from '../../../shared/api/enterprises.ts';
import { importFields, importRequiredFields } from '../../../shared/api/enterprises.ts';
import { isWellFormed, toWellFormed, type User } from '../../../shared/api/index.ts';
import { enterpriseFileSchema, type EnterpriseFile } from '../../../shared/domain/enterprise.ts';
import { enterpriseFileOf, findEnterpriseByUscc, getEnterprise } from '../../../db/enterprises.ts';
import { RecordError } from '../../../db/records.ts';
import { HostFailure, type HostContext } from '../context.ts';
import { actorOf } from '../handlers/identity.ts';
import { saveEnterpriseFile } from '../handlers/enterprises.ts';
import { parseField, type FieldValues } from './fields.ts';
import { ERROR_COLUMN, importFieldLabels, rememberMapping, rememberedMapping, suggestMapping, withHeaders, type HeaderedTable } from './mapping.ts';
import { MAX_IMPORT_ROWS, readSourceTable, type SourceRow } from './table.ts';

/**
 * Import of enterprise lists (.xlsx/.csv): every row is validated with the same schema as the form;
 * valid rows are saved through saveEnterpriseFile (rules + audit), matched on USCC so an enterprise
 * already on file is updated rather than duplicated; the others come back with reasons and as an
 * .xlsx to fix and import again.
 */

const CHUNK_ROWS = 500;
const SAMPLE_ROWS = 10;

async function readTable(fileName: string, contentBase64: string): Promise<HeaderedTable & { sheetName: string | null; encoding: 'utf-8' | 'gbk' | null }> {
  const source = await readSourceTable(fileName, Buffer.from(contentBase64, 'base64'));
  const table = withHeaders(source.rows);
  if (table.headers.length === 0) throw new HostFailure('VALIDATION', '文件中没有表头和数据');
  if (table.rows.length > MAX_IMPORT_ROWS) {
    throw new HostFailure('VALIDATION', `一次最多导入 ${MAX_IMPORT_ROWS} 行，该文件有 ${table.rows.length} 行；请分批导入`);
  }
  // Headers are labels the mapping is keyed on (and sent back by the renderer): keep them storable.
  // Cells are data, checked per row in buildRow.
  return { ...table, headers: table.headers.map(toWellFormed), sheetName: source.sheetName, encoding: source.encoding };
}

export async function previewImport(ctx: HostContext, fileName: string, contentBase64: string): Promise<ImportPreview> {
  const table = await readTable(fileName, contentBase64);
  const remembered = rememberedMapping(ctx.store.db, table.headers);
  return {
    sheetName: table.sheetName,
    headerRow: table.headerRow,
    headers: table.headers,
    sampleRows: table.rows.slice(0, SAMPLE_ROWS).map((r) => r.cells),
    totalRows: table.rows.length,
    suggestedMapping: remembered ?? suggestMapping(table.headers),
    remembered: remembered !== undefined,
    encoding: table.encoding,
  };
}

// ---------------------------------------------------------------------------------------------
// One row → one enterprise file

type Outcome = { ok: true; file: EnterpriseFile; existingId: string | null } | { ok: false; reasons: string[] };

const labelled = (field: ImportField, text: string) => `${importFieldLabels[field]}：${text}`;

/** The field a schema issue is about, by its path in the enterprise file. */
function fieldOfPath(path: readonly PropertyKey[]): ImportField | null {
  const [section, key, , sub] = path.map(String);
  if (section === 'identity') {
    if (key === 'contacts') return sub === 'name' ? 'contactName' : 'contactPhone';
    return (importFields as readonly string[]).includes(key ?? '') ? (key as ImportField) : key === 'usccCheckOverride' ? 'uscc' : null;
  }
  if (key === 'greenFactory') return path[2] === 'level' ? 'greenFactoryLevel' : 'greenFactoryYear';
  if (key === 'miitRecommendation') return path[2] === 'batch' ? 'miitBatch' : 'miitRecommendedOn';
  return null;
}

interface SchemaIssue {
  path: PropertyKey[];
  code: string;
  message: string;
  minimum?: unknown;
  maximum?: unknown;
  input?: unknown;
}

function describeIssue(issue: SchemaIssue): string {
  const field = fieldOfPath(issue.path);
  const shown = typeof issue.input === 'string' ? `「${issue.input}」` : '';
  if (field === null) return `${issue.path.join('.')}：${issue.message}`;
  // The USCC and division rules already speak Chinese and say what is wrong (「校验位应为 3」,
  // 「360299 不是现行的县级行政区划代码」).
  if (field === 'uscc' || field === 'divisionCode') return labelled(field, issue.message);
  if (issue.code === 'too_small') return labelled(field, `至少 ${String(issue.minimum)} 个字`);
  if (issue.code === 'too_big') return labelled(field, `最多 ${String(issue.maximum)} 个字`);
  switch (field) {
    case 'industryCode':
      return labelled(field, `${shown}不是有效的国民经济行业代码（GB/T 4754-2017）`);
    case 'contactPhone':
      return labelled(field, `${shown}不是有效的手机或固定电话号码`);
    default:
      return labelled(field, `${shown}无效`);
  }
}

const emptyFile = (): EnterpriseFile => ({
  identity: {
    uscc: '',
    usccCheckOverride: null,
    name: '',
    legalRepresentative: '',
    address: '',
    divisionCode: '',
    contacts: [],
    industryCode: '',
    scale: 'small',
    ownership: 'private',
    employees: null,
  },
  greenCredentials: { ...noGreenCredentials, greenProducts: [] },
  flags: { ...noEnterpriseFlags },
});

export interface RowContext {
  mapping: ImportMapping;
  /** Header → column index. */
  columns: Map<string, number>;
  defaults: FieldValues;
  /** Normalised USCC → the row that first had it. */
  seen: Map<string, number>;
  lookup: (uscc: string) => { id: string; file: EnterpriseFile } | undefined;
}

/** Parses the defaults once, like cells; a bad default is the caller's error, not a row's. */
export function parseDefaults(defaults: ImportDefaults): FieldValues {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [field, text] of Object.entries(defaults) as [ImportField, string | undefined][]) {
    if (text === undefined || text.trim() === '') continue;
    const parsed = parseField(field, text);
    if (parsed.ok) values[field] = parsed.value;
    else problems.push(`默认值 ${labelled(field, parsed.problem)}`);
  }
  if (problems.length > 0) {
    throw new HostFailure('VALIDATION', problems.join('；'), { issues: problems.map((message) => ({ path: ['defaults'], code: 'IMPORT_DEFAULT', message })) });
  }
  return values as FieldValues;
}

export function buildRow(source: SourceRow, context: RowContext): Outcome {
  const reasons: string[] = [];
  const cells: FieldValues = {};
  for (const field of importFields) {
    const header = context.mapping[field];
    if (header === undefined) continue;
    const raw = source.cells[context.columns.get(header)!] ?? '';
    if (raw.trim() === '') continue;
    if (!isWellFormed(raw)) {
      // An .xlsx can spell a lone UTF-16 surrogate (_xD800_); stored, it would turn into U+FFFD.
      reasons.push(labelled(field, '含有无效字符（不成对的 Unicode 代理项），请在表格中重新输入该单元格'));
      continue;
    }
    const parsed = parseField(field, raw);
    if (parsed.ok) (cells as Record<string, unknown>)[field] = parsed.value;
    else reasons.push(labelled(field, parsed.problem));
  }

  const uscc = cells.uscc;
  if (uscc === undefined) return { ok: false, reasons: [labelled('uscc', '必填'), ...reasons] };
  const firstRow = context.seen.get(uscc);
  if (firstRow !== undefined) return { ok: false, reasons: [labelled('uscc', `与第 ${firstRow} 行重复`), ...reasons] };
  context.seen.set(uscc, source.row);
  if (reasons.length > 0) return { ok: false, reasons };

  const existing = context.lookup(uscc);
  const file = existing?.file ?? emptyFile();
  const { identity, greenCredentials: green, flags } = file;
  // A default fills a blank: a missing cell of a new file, or a field the existing file lacks.
  const value = <F extends keyof FieldValues>(field: F, blank: boolean): FieldValues[F] => cells[field] ?? (blank ? context.defaults[field] : undefined);
  const isNew = existing === undefined;

  for (const field of ['name', 'legalRepresentative', 'address', 'divisionCode', 'industryCode', 'scale', 'ownership'] as const) {
    const v = value(field, isNew);
    if (v !== undefined) (identity as Record<string, unknown>)[field] = v;
  }
  identity.uscc = uscc;
  if (isNew) {
    for (const field of importRequiredFields) {
      if (cells[field] === undefined && (field === 'uscc' || field === 'name' || context.defaults[field] === undefined)) {
        reasons.push(labelled(field, context.mapping[field] === undefined ? '必填（文件中没有这一列，也没有默认值）' : '必填'));
      }
    }
  }
  if (cells.employees !== undefined) identity.employees = cells.employees;

  // A contact is a person: a new phone for the same name replaces that person's number (a list
  // sent again with updated numbers must not add a second 李会计), and a known number keeps its owner.
  if (cells.contactPhone !== undefined) {
    const phone = cells.contactPhone;
    const name = cells.contactName ?? identity.contacts.find((c) => c.phone === phone)?.name ?? identity.legalRepresentative;
    identity.contacts = [{ name, phone }, ...identity.contacts.filter((c) => c.name !== name && c.phone !== phone)].slice(0, 10);
  }

  const level = value('greenFactoryLevel', green.greenFactory === null);
  const factoryYear = value('greenFactoryYear', green.greenFactory === null);
  if (level !== undefined || factoryYear !== undefined) {
    const merged = { level: level ?? green.greenFactory?.level, year: factoryYear ?? green.greenFactory?.year };
    if (merged.level === undefined) reasons.push(labelled('greenFactoryLevel', '填写了绿色工厂年份时必填'));
    else if (merged.year === undefined) reasons.push(labelled('greenFactoryYear', '填写了绿色工厂级别时必填'));
    else green.greenFactory = { level: merged.level, year: merged.year };
  }

  const miit = green.miitRecommendation;
  const notRecommended = !miit.recommended;
  const miitDate = value('miitRecommendedOn', notRecommended);
  const miitBatch = value('miitBatch', notRecommended);
  if (miitDate !== undefined || miitBatch !== undefined) {
    const date = miitDate ?? (miit.recommended ? miit.date : undefined);
    const batch = miitBatch ?? (miit.recommended ? miit.batch : undefined);
    if (date === undefined) reasons.push(labelled('miitRecommendedOn', '填写了推荐批次时必填'));
    else if (batch === undefined) reasons.push(labelled('miitBatch', '填写了推荐日期时必填'));
    else green.miitRecommendation = { recommended: true, date, batch };
  }

  if (cells.greenList !== undefined) flags.greenList = cells.greenList;
  if (cells.negativeList !== undefined) flags.negativeList = cells.negativeList;
  if (reasons.length > 0) return { ok: false, reasons };

  const parsed = enterpriseFileSchema.safeParse(file);
  if (!parsed.success) {
    return { ok: false, reasons: [...new Set(parsed.error.issues.map((issue) => describeIssue(issue as unknown as SchemaIssue)))] };
  }
  return { ok: true, file: parsed.data, existingId: existing?.id ?? null };
}

// ---------------------------------------------------------------------------------------------
// The run

/** Fields whose digits are an identifier, not a quantity: kept as text (leading zeros, 18 digits, phones). */
const codeFields: readonly ImportField[] = ['uscc', 'divisionCode', 'industryCode', 'contactPhone', 'miitBatch'];
/** A plain decimal that a spreadsheet number holds exactly (≤ 15 digits, no leading zero). */
const PLAIN_NUMBER = /^-?(?:0|[1-9]\d{0,14})(?:\.\d{1,6})?$/;

/**
 * The rejected rows as the user sent them: numbers (从业人数, 年份, 序号 …) as numbers, so the fixed
 * sheet sums and sorts, and identifiers and everything else as text.
 */
async function rejectedWorkbook(headers: readonly string[], mapping: ImportMapping, rows: { source: SourceRow; reasons: string[] }[]): Promise<string> {
  const codeColumns = new Set(codeFields.map((field) => mapping[field]).filter((header) => header !== undefined));
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

export interface ImportRunInput {
  fileName: string;
  contentBase64: string;
  mapping: ImportMapping;
  defaults: ImportDefaults;
}

export async function runImport(ctx: HostContext, user: User, input: ImportRunInput): Promise<ImportResult> {
  const { db } = ctx.store;
  const table = await readTable(input.fileName, input.contentBase64);
  const columns = new Map(table.headers.map((h, i) => [h, i]));
  const missing = Object.entries(input.mapping).filter(([, header]) => !columns.has(header));
  if (missing.length > 0) {
    throw new HostFailure('VALIDATION', `文件中没有这些列：${missing.map(([, h]) => h).join('、')}`, {
      issues: missing.map(([field]) => ({ path: ['mapping', field], code: 'UNKNOWN_COLUMN', message: 'UNKNOWN_COLUMN' })),
    });
  }
  if (input.mapping.uscc === undefined) {
    throw new HostFailure('VALIDATION', '请指定「统一社会信用代码」所在的列：导入按它匹配已有档案', {
      issues: [{ path: ['mapping', 'uscc'], code: 'REQUIRED', message: 'REQUIRED' }],
    });
  }
  const context: RowContext = {
    mapping: input.mapping,
    columns,
    defaults: parseDefaults(input.defaults),
    seen: new Map(),
    lookup: (uscc) => {
      const row = findEnterpriseByUscc(db, uscc);
      return row === undefined ? undefined : { id: row.id, file: enterpriseFileOf(row) };
    },
  };
  const actor = actorOf(user, db);
  const result = { imported: 0, updated: 0, unchanged: 0 };
  const rejected: { source: SourceRow; reasons: string[] }[] = [];

  for (let start = 0; start < table.rows.length; start += CHUNK_ROWS) {
    // Between chunks the host serves other calls (the list, a colleague's search, sync), so a
    // 50k-row import does not freeze the app for its whole length; each chunk commits on its own,
    // and importing the file again after a cut updates what arrived instead of duplicating it.
    if (start > 0) await new Promise((resolve) => setImmediate(resolve));
    const chunk = table.rows.slice(start, start + CHUNK_ROWS);
    db.transaction(() => {
      for (const source of chunk) {
        const outcome = buildRow(source, context);
        if (!outcome.ok) {
          rejected.push({ source, reasons: outcome.reasons });
          continue;
        }
        try {
          if (outcome.existingId === null) {
            saveEnterpriseFile(ctx, user, actor, outcome.file, null);
            result.imported += 1;
          } else {
            const before = getEnterprise(db, outcome.existingId)!.version;
            saveEnterpriseFile(ctx, user, actor, outcome.file, { id: outcome.existingId });
            result.updated += 1;
            if (getEnterprise(db, outcome.existingId)!.version === before) result.unchanged += 1;
          }
        } catch (error) {
          // saveEnterpriseFile's own transaction is a savepoint here: the row is undone, the chunk goes on.
          if (!(error instanceof HostFailure) && !(error instanceof RecordError)) throw error;
          rejected.push({ source, reasons: [`保存失败：${error.message}`] });
        }
      }
    })();
  }
  rememberMapping(db, table.headers, input.mapping, ctx.now());

  const stamp = new Date(ctx.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  const baseName = input.fileName.replace(/\.[^.]*$/, '').slice(0, 80);
  return {
    ...result,
    rejected: rejected.map(({ source, reasons }) => ({ row: source.row, reasons })),
    rejectedFileName: rejected.length === 0 ? null : `${baseName}-未导入-${stamp}.xlsx`,
    rejectedFileBase64: rejected.length === 0 ? null : await rejectedWorkbook(table.headers, input.mapping, rejected),
  };
}
