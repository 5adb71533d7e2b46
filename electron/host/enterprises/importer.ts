import type { ImportDefaults, ImportField, ImportMapping, ImportPreview, ImportResult } from '../../../shared/api/enterprises.ts';
import { importFieldLabels, importFields, importRequiredFields } from '../../../shared/api/enterprises.ts';
import type { User } from '../../../shared/api/index.ts';
import { enterpriseFileSchema, noEnterpriseFlags, noGreenCredentials, type EnterpriseFile } from '../../../shared/domain/enterprise.ts';
import { enterpriseFileOf, findEnterpriseByUscc, getEnterprise, insertEnterprises } from '../../../db/enterprises.ts';
import { HostFailure, type HostContext } from '../context.ts';
import { actorOf } from '../handlers/identity.ts';
import { checkUsccFree, focusGroupings, newEnterpriseColumns, saveEnterpriseFile } from '../handlers/enterprises.ts';
import type { Row } from '../../../db/records.ts';
import type { FocusIndustryGroupings } from '../../../shared/codes/focusIndustries.ts';
import { labelled as labelledIn, parseCells, previewImport as previewWith, runImport as runWith, type BulkChecked, type BulkImport, type ImportSpec, type ParsedCells, type RowOutcome } from '../import/importer.ts';
import { CHECK_THREAD_MIN_BYTES, CHECK_THREAD_MIN_ROWS, coreToSpare, startCheckThread, type CheckThread } from './checkThread.ts';
import { prepared } from '../../../db/open.ts';
import type { SourceRow } from '../import/table.ts';
import { parseField, type FieldValues } from './fields.ts';

/**
 * Import of enterprise lists (.xlsx/.csv): every row is validated with the same schema as the form;
 * valid rows are saved through saveEnterpriseFile (rules + audit), matched on USCC so an enterprise
 * already on file is updated rather than duplicated; the others come back with reasons and as an
 * .xlsx to fix and import again.
 */

/** The header synonyms: the label first; the rest as found in departments' lists and bank templates. */
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

/** The enterprise register's import: its fields, headers and key (the USCC). */
export const enterpriseImport: ImportSpec<ImportField> = {
  register: 'enterprises',
  fields: importFields,
  labels: importFieldLabels,
  synonyms,
  textFields: ['uscc', 'divisionCode', 'industryCode', 'contactPhone', 'miitBatch'],
  parseField: (field, text) => parseField(field, text),
  key: { field: 'uscc', missingMessage: '请指定「统一社会信用代码」所在的列：导入按它匹配已有档案' },
};

export const previewImport = (ctx: HostContext, fileName: string, contentBase64: string): Promise<ImportPreview> =>
  previewWith(ctx.store.db, enterpriseImport, fileName, contentBase64);

// ---------------------------------------------------------------------------------------------
// One row → one enterprise file

type Outcome = { ok: true; file: EnterpriseFile; existingId: string | null } | { ok: false; reasons: string[] };

const labelled = (field: ImportField, text: string) => labelledIn(enterpriseImport, field, text);

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

export function buildRow(source: SourceRow, parsedCells: ParsedCells<ImportField>, context: RowContext): Outcome {
  const cells = parsedCells.values as FieldValues;
  const reasons = [...parsedCells.reasons];

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

export interface ImportRunInput {
  fileName: string;
  contentBase64: string;
  mapping: ImportMapping;
  defaults: ImportDefaults;
}

/**
 * `checkThread`: whether a long list's rows are checked on a second thread (or the thread to use);
 * by default when the list is long enough and a core is free (coreToSpare). Tests compare both.
 */
export async function runImport(ctx: HostContext, user: User, input: ImportRunInput, options: { checkThread?: boolean | CheckThread } = {}): Promise<ImportResult> {
  const { db } = ctx.store;
  const actor = actorOf(user, db);
  let context: RowContext | undefined;
  // After the file and the mapping are checked, as before: a bad default is reported only for a file that can be imported.
  const prepare = () => {
    context = {
      mapping: input.mapping,
      defaults: parseDefaults(input.defaults),
      seen: new Map(),
      lookup: (uscc) => {
        const row = findEnterpriseByUscc(db, uscc);
        return row === undefined ? undefined : { id: row.id, file: enterpriseFileOf(row) };
      },
    };
  };
  const saveRow = (source: SourceRow, cells: ParsedCells<ImportField>): RowOutcome => {
    const outcome = buildRow(source, cells, context!);
    if (!outcome.ok) return { reasons: outcome.reasons };
    if (outcome.existingId === null) {
      saveEnterpriseFile(ctx, user, actor, outcome.file, null);
      return 'imported';
    }
    const before = getEnterprise(db, outcome.existingId)!.version;
    saveEnterpriseFile(ctx, user, actor, outcome.file, { id: outcome.existingId });
    return getEnterprise(db, outcome.existingId)!.version === before ? 'unchanged' : 'updated';
  };
  // New files go in bulk (one audit summary per chunk, the file kept as its detail); a file on
  // record is updated alone through saveEnterpriseFile, audited field by field as before.
  let groupings: FocusIndustryGroupings | undefined;
  const check = (source: SourceRow, cells: ParsedCells<ImportField>, rowContext: RowContext): BulkChecked<Row> => {
    const outcome = buildRow(source, cells, rowContext);
    if (!outcome.ok) return { reasons: outcome.reasons };
    if (outcome.existingId !== null) {
      const id = outcome.existingId;
      return {
        single: () => {
          const before = getEnterprise(db, id)!.version;
          saveEnterpriseFile(ctx, user, actor, outcome.file, { id });
          return getEnterprise(db, id)!.version === before ? 'unchanged' : 'updated';
        },
      };
    }
    return { value: newEnterpriseColumns(db, user, outcome.file, (groupings ??= focusGroupings(db))) };
  };
  // A long list is checked on a second thread ahead of the writes (issue 20), started now so it
  // loads while this thread reads the file.
  const thread =
    typeof options.checkThread === 'object'
      ? options.checkThread
      : (options.checkThread ?? (input.contentBase64.length >= CHECK_THREAD_MIN_BYTES && coreToSpare()))
        ? startCheckThread(ctx.log)
        : undefined;
  const usccOnFile = prepared(db, 'SELECT 1 FROM enterprises WHERE uscc = ? AND deleted_at IS NULL').pluck();
  const bulk: BulkImport<ImportField, Row> = {
    check: (source, cells) => check(source, cells, context!),
    write: (rows, file) => {
      insertEnterprises(db, rows, actor, ctx.now(), { import: file });
    },
    ahead:
      thread === undefined
        ? undefined
        : (columns, chunks) => {
            if (options.checkThread === undefined && chunks.reduce((sum, chunk) => sum + chunk.length, 0) <= CHECK_THREAD_MIN_ROWS) return undefined;
            const init = { mapping: input.mapping, columns: [...columns], defaults: input.defaults, role: user.role, groupings: (groupings ??= focusGroupings(db)) };
            // What the thread could not know, finished here as check would: a USCC on file is an
            // update, checked again on this thread (its repeat check already passed there); a new
            // file's USCC must still be free when its chunk is written.
            return thread.start(init, chunks, (row, source): BulkChecked<Row> => {
              if (row.first !== undefined) context!.seen.set(row.first, source.row);
              if (row.key === undefined) return { reasons: row.reasons! };
              if (usccOnFile.get(row.key) !== undefined) return check(source, parseCells(enterpriseImport, source, input.mapping, columns), { ...context!, seen: new Map() });
              if (row.reasons !== undefined) return { reasons: row.reasons };
              const columnsOfFile = row.columns!;
              if (columnsOfFile.uscc !== row.key) checkUsccFree(db, columnsOfFile.uscc as string);
              return { value: columnsOfFile };
            });
          },
  };
  try {
    return await runWith(ctx, enterpriseImport, input, saveRow, prepare, bulk);
  } finally {
    thread?.close();
  }
}
