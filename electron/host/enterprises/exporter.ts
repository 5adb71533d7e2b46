import { importFieldLabels as label, importValueWords, type EnterpriseListFilter, type EnterpriseSort } from '../../../shared/api/enterprises.ts';
import { defaultFocusIndustryGroupings } from '../../../shared/codes/focusIndustries.ts';
import { nearestIndustry } from '../../../shared/codes/industries.ts';
import { divisionPlace, provinceName } from '../../../shared/domain/division.ts';
import { environmentalRatingInfo } from '../../../shared/domain/environmentalRating.ts';
import { enterpriseFileOf, listEnterprises, type EnterpriseRow } from '../../../db/enterprises.ts';
import type { Db } from '../../../db/open.ts';
import { HostFailure } from '../context.ts';
import { beijingTime, exportWorkbook, type SheetColumn } from '../../../shared/node/workbook.ts';

/**
 * The filtered list as an .xlsx a branch can send on: Chinese headers, codes as text, and the focus
 * group, rating and flags in words. The columns an import understands carry the import's own labels,
 * so an exported file can be edited and imported back (it then updates, matched on USCC).
 */
export const MAX_EXPORT_ROWS = 100_000;

const { scale: scaleWords, ownership: ownershipWords, greenFactoryLevel: levelWords } = importValueWords;
const yesNo = (flag: boolean) => (flag ? '是' : '否');

/** A row with its file, so columns can read the contacts. */
interface Exported {
  row: EnterpriseRow;
  file: ReturnType<typeof enterpriseFileOf>;
}
type Column = { header: string; width: number; value: (row: EnterpriseRow, file: Exported['file']) => string | number | null };

const focusNames = new Map(defaultFocusIndustryGroupings.groups.map((g) => [g.key, g.zh]));

const columns: Column[] = [
  { header: label.name, width: 36, value: (r) => r.name },
  { header: label.uscc, width: 22, value: (r) => r.uscc },
  { header: label.legalRepresentative, width: 12, value: (r) => r.legal_representative },
  { header: label.address, width: 40, value: (r) => r.address },
  { header: label.divisionCode, width: 12, value: (r) => r.division_code },
  { header: '所在地', width: 24, value: (r) => divisionPlace(r.division_code) ?? provinceName(r.division_code) ?? '' },
  { header: label.industryCode, width: 10, value: (r) => r.industry_code },
  { header: '行业名称', width: 24, value: (r) => nearestIndustry(r.industry_code)?.name ?? '' },
  { header: '重点行业', width: 10, value: (r) => (r.focus_group === null ? '' : (focusNames.get(r.focus_group) ?? r.focus_group)) },
  { header: label.scale, width: 10, value: (r) => scaleWords[r.scale] },
  { header: label.ownership, width: 14, value: (r) => ownershipWords[r.ownership] },
  { header: label.employees, width: 10, value: (r) => r.employees },
  { header: label.contactName, width: 10, value: (_r, f) => f.identity.contacts[0]?.name ?? '' },
  { header: label.contactPhone, width: 16, value: (_r, f) => f.identity.contacts[0]?.phone ?? '' },
  { header: label.greenFactoryLevel, width: 12, value: (r) => (r.green_factory_level === null ? '' : levelWords[r.green_factory_level]) },
  { header: label.greenFactoryYear, width: 12, value: (r) => r.green_factory_year },
  { header: '工信部门推荐', width: 12, value: (r) => yesNo(r.miit_recommended === 1) },
  { header: label.miitRecommendedOn, width: 12, value: (r) => r.miit_recommended_on ?? '' },
  { header: label.miitBatch, width: 14, value: (r) => r.miit_batch ?? '' },
  {
    header: '环境信用评价',
    width: 20,
    value: (r) => {
      if (r.environmental_rating === null) return '';
      const info = environmentalRatingInfo(r.environmental_rating);
      return `${info.zh}（${info.plate}）`;
    },
  },
  { header: '落后产能', width: 10, value: (r) => yesNo(r.outdated_capacity === 1) },
  { header: '落后产能退出期限', width: 16, value: (r) => r.outdated_capacity_exit_deadline ?? '' },
  { header: label.greenList, width: 10, value: (r) => yesNo(r.green_list === 1) },
  { header: label.negativeList, width: 10, value: (r) => yesNo(r.negative_list === 1) },
  { header: '更新时间（北京时间）', width: 18, value: (r) => beijingTime(r.updated_at) },
];

export async function exportEnterprises(db: Db, filter: EnterpriseListFilter, sort: EnterpriseSort, now: Date): Promise<{ fileName: string; contentBase64: string; rows: number }> {
  const { rows, total } = listEnterprises(db, filter, sort, 0, MAX_EXPORT_ROWS, true);
  if (total > MAX_EXPORT_ROWS) throw new HostFailure('PAYLOAD_TOO_LARGE', `${total} enterprises match; narrow the filter to at most ${MAX_EXPORT_ROWS}`);
  const sheetColumns: SheetColumn<Exported>[] = columns.map((c) => ({ header: c.header, width: c.width, value: ({ row, file }) => c.value(row, file) }));
  return exportWorkbook('企业档案', sheetColumns, rows.map((row) => ({ row, file: enterpriseFileOf(row) })), now);
}
