import type { CollateralListFilter, CollateralSort } from '../../../shared/api/collateral.ts';
import type { AlertSettings } from '../../../shared/domain/collateralAlerts.ts';
import { collateralStatusWords, collateralTypeWords } from '../../../shared/domain/collateral.ts';
import { formatRate } from '../../../shared/domain/loan.ts';
import { collateralTotals, listCollateral, type CollateralListRow } from '../../../db/collateral.ts';
import { personName } from '../../../db/identity.ts';
import type { Db } from '../../../db/open.ts';
import { HostFailure } from '../context.ts';
import { beijingTime, exportWorkbook, type SheetColumn } from '../../../shared/node/workbook.ts';

/**
 * The filtered collateral register as an .xlsx (抵质押登记簿): codes and numbers as text, type and
 * status in words, values in 元 as numbers, and a 合计 row of the set's totals, as the register
 * shows them.
 */
export const MAX_EXPORT_ITEMS = 100_000;

const yuan = (fen: number) => fen / 100;

function columns(db: Db): SheetColumn<CollateralListRow>[] {
  const names = new Map<string, string>();
  const nameOf = (id: string) => {
    if (!names.has(id)) names.set(id, personName(db, id) ?? '');
    return names.get(id)!;
  };
  return [
    { header: '权证编号', width: 26, value: (r) => r.certificate_number },
    { header: '出质企业', width: 34, value: (r) => r.enterprise_name },
    { header: '类型', width: 18, value: (r) => collateralTypeWords[r.type] },
    { header: '发证机关', width: 26, value: (r) => r.certificate_issuer },
    { header: '有效期起', width: 12, value: (r) => r.valid_from },
    { header: '有效期至', width: 12, value: (r) => r.valid_to },
    { header: '评估价值（元）', width: 16, value: (r) => yuan(r.appraised_value_fen) },
    { header: '评估基准日', width: 12, value: (r) => r.appraised_on },
    { header: '质押率', width: 10, value: (r) => formatRate(r.pledge_rate_bp) },
    { header: '质押价值（元）', width: 16, value: (r) => yuan(r.pledged_value_fen) },
    { header: '登记机构', width: 26, value: (r) => r.registry ?? '' },
    { header: '登记证明编号', width: 22, value: (r) => r.registration_number ?? '' },
    { header: '登记到期日', width: 12, value: (r) => r.registration_expires_on ?? '' },
    { header: '状态', width: 10, value: (r) => collateralStatusWords[r.status] },
    { header: '录入人', width: 10, value: (r) => nameOf(r.maker_id) },
    { header: '更新时间（北京时间）', width: 18, value: (r) => beijingTime(r.updated_at) },
  ];
}

export async function exportCollateral(db: Db, filter: CollateralListFilter, sort: CollateralSort, settings: AlertSettings, now: Date): Promise<{ fileName: string; contentBase64: string; rows: number }> {
  const { rows, total } = listCollateral(db, filter, sort, 0, MAX_EXPORT_ITEMS, settings, true);
  if (total > MAX_EXPORT_ITEMS) throw new HostFailure('PAYLOAD_TOO_LARGE', `符合条件的抵质押物有 ${total} 项，一次最多导出 ${MAX_EXPORT_ITEMS} 项；请缩小筛选范围`);
  const totals = collateralTotals(db, filter, settings);
  const sheet = columns(db);
  const totalsRow = sheet.map((column) => (column.header === '权证编号' ? `合计 ${totals.count} 项` : column.header === '评估价值（元）' ? yuan(totals.appraisedValue) : column.header === '质押价值（元）' ? yuan(totals.pledgedValue) : null));
  return exportWorkbook('抵质押登记簿', sheet, rows, now, totalsRow);
}
