import {
  collateralImportFieldLabels,
  collateralImportFields,
  collateralItemInputSchema,
  type CollateralImportField,
  type CollateralImportMapping,
  type CollateralImportPreview,
  type CollateralImportResult,
  type CollateralItemInput,
  type ValuationInput,
} from '../../../shared/api/collateral.ts';
import type { User } from '../../../shared/api/index.ts';
import { collateralStatusWords, collateralTypeInfo, collateralTypeWords, type CollateralDetails, type CollateralType } from '../../../shared/domain/collateral.ts';
import { pledgedCertificates } from '../../../db/collateral.ts';
import { findEnterpriseByUscc } from '../../../db/enterprises.ts';
import { personName } from '../../../db/identity.ts';
import { insertRecords, type Row } from '../../../db/records.ts';
import { HostFailure, type HostContext } from '../context.ts';
import { appraisalColumns, itemColumns, newItemRow, type Appraisal } from '../handlers/collateral.ts';
import { actorOf } from '../handlers/identity.ts';
import { fold, quote } from '../import/cells.ts';
import { importTemplate, labelled as labelledIn, previewImport, runImport, type BulkImport, type ImportSpec, type ParsedCells } from '../import/importer.ts';
import type { SourceRow } from '../import/table.ts';
import { parseCollateralField, pollutantNames, unitNames, unitWords, type CollateralFieldValues } from './fields.ts';

/**
 * Import of an existing collateral list (抵质押物清单, .xlsx/.csv) into the register: each row is
 * one new item, filed by the importing person as a draft or submitted — never approved or further,
 * so every imported item still passes a credit manager's four-eyes approval and its registration.
 * Rows are checked by the rules of collateral.create (owner on file, pledge rate within the cap in
 * force, the value computed or, as the list states it, taken from its appraisal), and a certificate
 * already in the file or still pledged on the register is refused as a duplicate, so importing the
 * same list again adds nothing. Items are written through the importer's bulk path: the audit trail
 * keeps one entry per chunk naming the import file, which is kept as the rows' detail.
 */

const synonyms: Record<CollateralImportField, string[]> = {
  certificateNumber: ['权证编号', '证书编号', '权证号', '证书号', '权属证书编号', '权利证书编号', '排污权证号', '排污权证编号', '许可证编号', '证号'],
  uscc: ['统一社会信用代码', '信用代码', '社会信用代码', '统一信用代码', '出质人信用代码', '企业信用代码'],
  enterpriseName: ['出质企业', '出质人', '出质人名称', '企业名称', '客户名称', '权利人', '抵质押人'],
  type: ['类型', '抵质押物类型', '押品类型', '权利类型', '质押物类型', '抵质押物种类', '押品种类'],
  certificateIssuer: ['发证机关', '发证机构', '发证单位', '颁发机关', '核发机关'],
  validFrom: ['有效期起', '有效期起始日', '有效期开始', '起始日期', '有效期自'],
  validTo: ['有效期至', '有效期止', '有效期截止', '到期日期', '有效期到期日', '权利到期日'],
  pollutant: ['污染物', '污染物种类', '排污权指标', '污染物名称', '指标名称'],
  carbonKind: ['碳资产类别', '碳资产类型', '配额类型', '碳排放权类别'],
  complianceYear: ['履约年度', '配额年度', '履约年份', '年度'],
  quantity: ['数量', '权利数量', '指标数量', '质押数量', '核定排放量', '配额数量'],
  unit: ['单位', '计量单位', '数量单位'],
  contract: ['合同或项目名称', '合同名称', '项目名称', '合同', '特许经营项目'],
  counterparty: ['付款方或授予方', '付款方', '合同对方', '交易对手', '授予方', '授予机关'],
  patentNumbers: ['专利号', '专利号码', '专利编号'],
  patentTitles: ['专利名称', '专利'],
  unitPrice: ['单价（元）', '单价', '评估单价', '价格'],
  priceBasis: ['计价方式', '计价依据', '价格类型'],
  appraisedValue: ['评估价值（元）', '评估价值', '评估值', '押品价值', '评估金额'],
  appraisalMethod: ['评估方法', '估值方法', '评估方式'],
  reportNumber: ['评估报告编号', '评估报告号', '报告编号'],
  appraisedOn: ['评估基准日', '评估日期', '估值日期', '评估时间'],
  appraiser: ['评估机构', '评估人', '评估单位', '估值机构'],
  pledgeRate: ['质押率', '抵质押率', '抵押率', '质押比例'],
  notes: ['备注', '说明'],
};

const required: CollateralImportField[] = ['certificateNumber', 'uscc', 'type', 'certificateIssuer', 'validFrom', 'validTo', 'appraisedOn', 'appraiser', 'pledgeRate'];

const hints: Record<CollateralImportField, string> = {
  certificateNumber: '排污权证、配额账户、取水许可证、合同或专利证书等的编号；同一权证的不同污染物或履约年度可各占一行',
  uscc: '出质企业的统一社会信用代码（18 位）；企业须已在本支行建档',
  enterpriseName: '出质企业名称，仅用于核对',
  type: Object.values(collateralTypeWords).join('、'),
  certificateIssuer: '发证机关或合同、特许经营的授予单位',
  validFrom: '日期，如 2024-01-01',
  validTo: '日期，如 2028-12-31',
  pollutant: '排污权必填：COD、氨氮、二氧化硫、氮氧化物、铅、镉 或 砷',
  carbonKind: '碳排放权：配额（CEA）或 核证自愿减排量（CCER），不填为配额',
  complianceYear: '碳排放权必填：履约年度，如 2024',
  quantity: '排污权、碳排放权、水权、用能权必填：最多 4 位小数',
  unit: `不填为该类型的常用单位：${Object.values(unitNames).join('、')}`,
  contract: '节能节水未来收益权、合同能源管理收益权必填合同名称；特许经营权必填项目名称',
  counterparty: '节能节水未来收益权、合同能源管理收益权必填付款方；特许经营权必填授予方',
  patentNumbers: '节能环保知识产权必填：如 ZL202110123456.7，多项用「；」分隔',
  patentTitles: '节能环保知识产权必填：与专利号一一对应，多项用「；」分隔',
  unitPrice: '排污权、碳排放权、水权、用能权可填单价（元/单位），按数量和剩余期限计算评估价值；不填则须填评估价值',
  priceBasis: '有偿使用费（按年）、交易价（按有效期）或 市场价（按单位），不填为该类型的常用方式',
  appraisedValue: '清单所载评估价值（元；表头写「万元」则按万元），作为评估报告价值记录',
  appraisalMethod: '清单所载评估方法，如 市场法、收益法、成本法，随估值记录',
  reportNumber: '评估报告编号；不填记为「导入清单第 N 行」',
  appraisedOn: '评估基准日，如 2026-01-01；据此计算下次重估日期',
  appraiser: '评估机构或评估人',
  pledgeRate: '如 80% 或 0.8；不得超过现行抵质押条款的上限',
  notes: '最多 2000 字',
};

export const collateralImport: ImportSpec<CollateralImportField> = {
  register: 'collateral',
  fields: collateralImportFields,
  labels: collateralImportFieldLabels,
  synonyms,
  textFields: ['certificateNumber', 'uscc', 'patentNumbers', 'reportNumber'],
  parseField: parseCollateralField,
  key: { field: 'certificateNumber', missingMessage: '请指定「权证编号」所在的列：导入按它识别重复的抵质押物' },
  template: { fileName: '抵质押物导入模板.xlsx', required, hints },
};

const labelled = (field: CollateralImportField, text: string) => labelledIn(collateralImport, field, text);

export const previewCollateralImport = (ctx: HostContext, fileName: string, contentBase64: string): Promise<CollateralImportPreview> =>
  previewImport(ctx.store.db, collateralImport, fileName, contentBase64);

export const collateralImportTemplate = () => importTemplate(collateralImport);

/** The same certificate pledged twice: its number (spaces, case and full-width forms aside), type, and the pollutant or compliance year. */
function certificateKey(number: string, type: CollateralType, pollutant: string | null | undefined, year: number | null | undefined): string {
  return JSON.stringify([fold(number).toUpperCase(), type, pollutant ?? null, year ?? null]);
}

/** Says a field is missing, unless its cell was already refused for what it holds. */
type Missing = (field: CollateralImportField, text: string) => void;

/** What is pledged, in the type's own fields; reasons for what is missing or does not fit. */
function detailsOf(type: CollateralType, cells: CollateralFieldValues, reasons: string[], missing: Missing): CollateralDetails | null {
  const info = collateralTypeInfo[type];
  const need = <V>(field: CollateralImportField, value: V | undefined): V | undefined => {
    if (value === undefined) missing(field, `${collateralTypeWords[type]}必填`);
    return value;
  };
  const unit = () => {
    if (cells.unit === undefined) return info.units[0]!;
    const found = info.units.find((candidate) => unitWords[candidate]!.includes(cells.unit!));
    if (found === undefined) reasons.push(labelled('unit', `${collateralTypeWords[type]}的单位应为 ${info.units.map((u) => unitNames[u]).join(' 或 ')}，现为${quote(cells.unit)}`));
    return found;
  };
  switch (type) {
    case 'emission_right': {
      const [pollutant, quantity, u] = [need('pollutant', cells.pollutant), need('quantity', cells.quantity), unit()];
      return pollutant && quantity && u ? { type, pollutant, quantity, unit: u as 't/yr' | 'kg/yr' } : null;
    }
    case 'carbon_allowance': {
      const [year, quantity, u] = [need('complianceYear', cells.complianceYear), need('quantity', cells.quantity), unit()];
      return year && quantity && u ? { type, kind: cells.carbonKind ?? 'cea', complianceYear: year, quantity, unit: 'tCO2e' } : null;
    }
    case 'water_right':
    case 'energy_use_right': {
      const [quantity, u] = [need('quantity', cells.quantity), unit()];
      if (!quantity || !u) return null;
      return type === 'water_right' ? { type, quantity, unit: 'm3/yr' } : { type, quantity, unit: 'tce/yr' };
    }
    case 'energy_saving_income':
    case 'emc_income':
    case 'franchise': {
      const [contract, counterparty] = [need('contract', cells.contract), need('counterparty', cells.counterparty)];
      if (!contract || !counterparty) return null;
      return type === 'franchise' ? { type, project: contract, grantor: counterparty } : { type, contract, counterparty };
    }
    case 'green_ip': {
      const [numbers, titles] = [need('patentNumbers', cells.patentNumbers), need('patentTitles', cells.patentTitles)];
      if (!numbers || !titles) return null;
      if (numbers.length !== titles.length) {
        reasons.push(labelled('patentTitles', `应与专利号一一对应（${numbers.length} 个专利号，${titles.length} 个名称）`));
        return null;
      }
      return { type, patents: numbers.map((number, i) => ({ number, title: titles[i]! })) };
    }
  }
}

/** The row's valuation: computed from a unit price for a right, else the value the list states (its appraisal report's). */
function valuationOf(type: CollateralType, cells: CollateralFieldValues, source: SourceRow, reasons: string[], missing: Missing): ValuationInput | null {
  const info = collateralTypeInfo[type];
  const { appraisedOn, appraiser } = cells;
  if (appraisedOn === undefined || appraiser === undefined) return null;
  if (cells.unitPrice !== undefined && info.method === 'quantity_price') {
    const basis = cells.priceBasis ?? info.priceBases[0]!;
    if (!info.priceBases.includes(basis)) reasons.push(labelled('priceBasis', `${collateralTypeWords[type]}不能按此方式计价`));
    if (cells.unitPrice === 0) reasons.push(labelled('unitPrice', '须大于 0'));
    return { method: 'quantity_price', unitPriceFen: cells.unitPrice, basis, appraisedOn, appraiser };
  }
  if (cells.appraisedValue === undefined) {
    missing('appraisedValue', info.method === 'quantity_price' ? '必填（或填写单价）' : '必填');
    return null;
  }
  return { method: 'appraisal_report', valueFen: cells.appraisedValue, reportNumber: cells.reportNumber ?? `导入清单第 ${source.row} 行`, appraisedOn, appraiser };
}

/** A refusal of the item's rules (collateral.create's), on the column it is about. */
const ruleField: Record<string, CollateralImportField> = { pledgeRateBp: 'pledgeRate', validity: 'validTo', valuation: 'appraisedValue', enterpriseId: 'uscc' };

function ruleReason(error: HostFailure): string {
  const path = error.details?.issues?.[0]?.path ?? [];
  const field = ruleField[String(path[1] ?? '')];
  if (field === undefined || error.message.startsWith(collateralImportFieldLabels[field])) return error.message;
  return labelled(field, error.message);
}

export interface CollateralImportRunInput {
  fileName: string;
  contentBase64: string;
  mapping: CollateralImportMapping;
  status: 'draft' | 'submitted';
}

interface CheckedItem {
  item: Row;
  appraisal: Appraisal;
}

export async function runCollateralImport(ctx: HostContext, user: User, input: CollateralImportRunInput): Promise<CollateralImportResult> {
  const { db } = ctx.store;
  const actor = actorOf(user, db);
  const seen = new Map<string, number>();
  let onRegister: Map<string, { status: keyof typeof collateralStatusWords; makerId: string }> | undefined;

  const check = (source: SourceRow, parsed: ParsedCells<CollateralImportField>): { value: CheckedItem } | { reasons: string[] } => {
    const cells = parsed.values as CollateralFieldValues;
    const reasons = [...parsed.reasons];
    const missing: Missing = (field, text) => {
      if (!reasons.some((reason) => reason.startsWith(`${collateralImportFieldLabels[field]}：`))) reasons.push(labelled(field, text));
    };
    for (const field of required) if (cells[field] === undefined) missing(field, '必填');
    const { certificateNumber, type } = cells;
    const details = type === undefined ? null : detailsOf(type, cells, reasons, missing);

    let key: string | undefined;
    if (certificateNumber !== undefined && type !== undefined) {
      const pollutant = details?.type === 'emission_right' ? details.pollutant : null;
      const year = details?.type === 'carbon_allowance' ? details.complianceYear : null;
      key = certificateKey(certificateNumber, type, pollutant, year);
      const what = `${certificateNumber}${pollutant === null ? '' : `（${pollutantNames[pollutant]}）`}${year === null ? '' : `（${year} 年度）`}`;
      const firstRow = seen.get(key);
      const pledged = onRegister!.get(key);
      if (firstRow !== undefined) reasons.unshift(labelled('certificateNumber', `${what} 与第 ${firstRow} 行重复`));
      else if (pledged !== undefined) {
        reasons.unshift(labelled('certificateNumber', `${what} 已在抵质押登记簿中（${collateralStatusWords[pledged.status]}，录入人 ${personName(db, pledged.makerId) ?? ''}），未重复导入`));
      }
    }
    const enterprise = cells.uscc === undefined ? undefined : findEnterpriseByUscc(db, cells.uscc);
    if (cells.uscc !== undefined && enterprise === undefined) {
      reasons.push(labelled('uscc', `${[cells.enterpriseName, cells.uscc].filter((part) => part !== undefined).join('，')} 未在本支行建档；请先建立企业档案后再导入该行`));
    }
    if (cells.validFrom !== undefined && cells.validTo !== undefined && cells.validFrom > cells.validTo) reasons.push(labelled('validTo', `不能早于有效期起 ${cells.validFrom}`));
    const valuation = type === undefined ? null : valuationOf(type, cells, source, reasons, missing);
    if (reasons.length > 0) return { reasons };

    const candidate: CollateralItemInput = {
      enterpriseId: enterprise!.id,
      details: details!,
      certificateNumber: certificateNumber!,
      certificateIssuer: cells.certificateIssuer!,
      validity: { from: cells.validFrom!, to: cells.validTo! },
      valuation: valuation!,
      pledgeRateBp: cells.pledgeRate!,
      notes: cells.notes ?? null,
    };
    const item = collateralItemInputSchema.safeParse(candidate);
    if (!item.success) return { reasons: [...new Set(item.error.issues.map((found) => `${String(found.path.join('.'))}：格式不正确`))] };
    try {
      const listed = valuation!.method === 'appraisal_report' ? { method: cells.appraisalMethod ?? null } : undefined;
      const { columns, appraisal } = itemColumns(db, item.data, listed);
      // Only a row that is imported makes a later one a duplicate: a refused row may be the one fixed further down.
      seen.set(key!, source.row);
      return { value: { item: newItemRow(columns, input.status, user.id), appraisal } };
    } catch (error) {
      if (error instanceof HostFailure && error.code === 'VALIDATION') return { reasons: [ruleReason(error)] };
      throw error;
    }
  };

  const bulk: BulkImport<CollateralImportField, CheckedItem> = {
    check,
    write: (values, file) => {
      const ids = insertRecords(db, 'collateral_items', values.map((value) => value.item), actor, ctx.now(), { import: file });
      const appraisals = values.map((value, i) => appraisalColumns(ids[i]!, value.appraisal, value.item.revaluation_due_on as string));
      insertRecords(db, 'collateral_appraisals', appraisals, actor, ctx.now(), { import: file });
    },
  };
  // Read once the file and the mapping are checked: the certificates already pledged.
  const prepare = () => {
    onRegister = new Map(
      pledgedCertificates(db).map((row) => [certificateKey(row.certificate_number, row.type, row.pollutant, row.compliance_year), { status: row.status, makerId: row.maker_id }]),
    );
  };
  // Every row is a new item (a duplicate is refused by check), so rows only ever take the bulk path.
  const notInBulk = () => {
    throw new Error('collateral import rows are written in bulk only');
  };
  const result = await runImport(ctx, collateralImport, input, notInBulk, prepare, bulk);
  return { ...result, status: input.status };
}
