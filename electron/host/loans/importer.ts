import { loanImportFieldLabels, loanImportFields, type LoanImportField, type LoanImportMapping, type LoanImportPreview, type LoanImportResult } from '../../../shared/api/loans.ts';
import type { User } from '../../../shared/api/index.ts';
import { loanSchema, type Loan } from '../../../shared/domain/loan.ts';
import { pinyinInitials } from '../../../shared/domain/pinyin.ts';
import { can } from '../../../shared/domain/roles.ts';
import { findEnterpriseByUscc } from '../../../db/enterprises.ts';
import { findLoanByNumber, getLoan, loanOf, snapshotOn } from '../../../db/loans.ts';
import { prepared, type Db } from '../../../db/open.ts';
import type { HostContext } from '../context.ts';
import { actorOf } from '../handlers/identity.ts';
import { recordSnapshot, saveLoan } from '../handlers/loans.ts';
import { labelled as labelledIn, previewImport, runImport, type ImportSpec, type ParsedCells, type RowOutcome } from '../import/importer.ts';
import type { SourceRow } from '../import/table.ts';
import { parseLoanField, type LoanFieldValues } from './fields.ts';

/**
 * Import of a core-system loan export (.xlsx/.csv): each row is one 借据 as of the import's day.
 * Rows are matched on the loan number (a loan already on file is updated, never duplicated), the
 * borrower on the USCC (else the exact name), and every row also records the day's balance and
 * classification as a snapshot, earlier days' kept. A borrower without an enterprise file is
 * refused and named (name and USCC), so the file can be created and the rows imported again.
 */

const synonyms: Record<LoanImportField, string[]> = {
  loanNumber: ['借据号', '借据编号', '借据号码', '贷款借据号', '借款借据号', '借据', '贷款账号', '借据账号'],
  enterpriseName: ['客户名称', '借款人名称', '借款人', '借款企业', '企业名称', '客户全称', '借款单位', '户名'],
  uscc: ['统一社会信用代码', '信用代码', '社会信用代码', '统一信用代码', '客户证件号码', '证件号码'],
  amount: ['贷款金额', '借据金额', '发放金额', '放款金额', '贷款本金', '借款金额'],
  balance: ['贷款余额', '借据余额', '本金余额', '当前余额', '余额'],
  disbursedOn: ['发放日', '发放日期', '放款日期', '放款日', '贷款发放日', '借据起始日', '起始日', '起息日'],
  maturesOn: ['到期日', '到期日期', '借据到期日', '贷款到期日', '终止日'],
  rate: ['利率', '执行利率', '年利率', '贷款利率', '执行年利率'],
  classification: ['五级分类', '风险分类', '五级分类结果', '贷款五级分类', '贷款分类'],
  guaranteeMode: ['担保方式', '主要担保方式', '担保类型'],
  status: ['借据状态', '贷款状态', '结清状态', '状态'],
  purpose: ['贷款用途', '借款用途', '用途'],
};

export const loanImport: ImportSpec<LoanImportField> = {
  register: 'loans',
  fields: loanImportFields,
  labels: loanImportFieldLabels,
  synonyms,
  textFields: ['loanNumber', 'uscc'],
  parseField: parseLoanField,
  key: { field: 'loanNumber', missingMessage: '请指定「借据号」所在的列：导入按它匹配已有借据' },
};

const labelled = (field: LoanImportField, text: string) => labelledIn(loanImport, field, text);

export const previewLoanImport = (ctx: HostContext, fileName: string, contentBase64: string): Promise<LoanImportPreview> =>
  previewImport(ctx.store.db, loanImport, fileName, contentBase64);

/** The loan fields each import field fills (the rest: the borrower, and the balance's day). */
const loanFieldOf: Partial<Record<LoanImportField, keyof Loan>> = {
  loanNumber: 'loanNumber',
  amount: 'amount',
  balance: 'balance',
  disbursedOn: 'disbursedOn',
  maturesOn: 'maturesOn',
  rate: 'rateBp',
  classification: 'classification',
  guaranteeMode: 'guaranteeMode',
  status: 'status',
  purpose: 'purpose',
};
const importFieldOf = new Map(Object.entries(loanFieldOf).map(([field, key]) => [key, field as LoanImportField]));

/** A new loan needs these from its row; an existing one keeps what a blank cell leaves out. */
const requiredForNew: LoanImportField[] = ['amount', 'balance', 'disbursedOn', 'maturesOn', 'rate', 'classification', 'guaranteeMode'];

interface Borrower {
  id: string;
}

/** The borrower of a row: by USCC when the file has it, else by the exact name (when only one file has it). */
function findBorrower(db: Db, cells: LoanFieldValues): Borrower | undefined {
  if (cells.uscc !== undefined) return findEnterpriseByUscc(db, cells.uscc);
  if (cells.enterpriseName === undefined) return undefined;
  // By the name index (initials, name): no scan of the register per row.
  const found = prepared(db, 'SELECT id FROM enterprises INDEXED BY enterprises_name_live WHERE name_initials = ? AND name = ? AND deleted_at IS NULL LIMIT 2').all(
    pinyinInitials(cells.enterpriseName),
    cells.enterpriseName,
  ) as Borrower[];
  return found.length === 1 ? found[0] : undefined;
}

export interface LoanImportRunInput {
  fileName: string;
  contentBase64: string;
  mapping: LoanImportMapping;
  asOf: string;
}

export async function runLoanImport(ctx: HostContext, user: User, input: LoanImportRunInput): Promise<LoanImportResult> {
  const { db } = ctx.store;
  const actor = actorOf(user, db);
  const seen = new Map<string, number>();
  const unknown = new Map<string, { name: string; uscc: string; rows: number[] }>();
  let snapshots = 0;

  const importRow = (source: SourceRow, parsed: ParsedCells<LoanImportField>): RowOutcome => {
    const cells = parsed.values as LoanFieldValues;
    const reasons = [...parsed.reasons];
    const loanNumber = cells.loanNumber;
    if (loanNumber === undefined) return { reasons: reasons.some((r) => r.startsWith(`${loanImportFieldLabels.loanNumber}：`)) ? reasons : [labelled('loanNumber', '必填'), ...reasons] };
    const firstRow = seen.get(loanNumber);
    if (firstRow !== undefined) return { reasons: [labelled('loanNumber', `与第 ${firstRow} 行重复`), ...reasons] };
    seen.set(loanNumber, source.row);
    if (reasons.length > 0) return { reasons };

    if (cells.uscc === undefined && cells.enterpriseName === undefined) return { reasons: [`${loanImportFieldLabels.uscc}：必填（或填写客户名称）`] };
    const borrower = findBorrower(db, cells);
    if (borrower === undefined) {
      const key = `${cells.uscc ?? ''}|${cells.enterpriseName ?? ''}`;
      const entry = unknown.get(key) ?? { name: cells.enterpriseName ?? '', uscc: cells.uscc ?? '', rows: [] };
      entry.rows.push(source.row);
      unknown.set(key, entry);
      return { reasons: [`借款企业未建档：${[cells.enterpriseName, cells.uscc].filter((part) => part !== undefined).join('，')}；请先建立企业档案后再导入该行`] };
    }

    const existing = findLoanByNumber(db, loanNumber);
    if (existing !== undefined && existing.enterprise_id !== borrower.id) {
      return { reasons: [labelled('loanNumber', `${loanNumber} 已登记在另一家企业名下，借款人不会改变；请核对借据号`)] };
    }
    if (existing === undefined) {
      const missing = requiredForNew.filter((field) => cells[field] === undefined);
      if (missing.length > 0) return { reasons: missing.map((field) => labelled(field, '必填')) };
    }
    // An older export imported after a newer one: only that day's snapshot is recorded.
    if (existing !== undefined && input.asOf < existing.balance_as_of) {
      if (cells.balance === undefined) return { reasons: [labelled('balance', '必填')] };
      const before = snapshotOn(db, existing.id, input.asOf);
      recordSnapshot(ctx, actor, existing.id, { asOf: input.asOf, balance: cells.balance, classification: cells.classification ?? existing.classification });
      snapshots += 1;
      const after = snapshotOn(db, existing.id, input.asOf)!;
      return before !== undefined && before.version === after.version ? 'unchanged' : 'updated';
    }

    const base: Partial<Loan> = existing === undefined ? { applicationId: null, purpose: null } : loanOf(existing);
    const candidate = {
      ...base,
      loanNumber,
      enterpriseId: borrower.id,
      ...(cells.amount === undefined ? {} : { amount: cells.amount }),
      ...(cells.balance === undefined ? {} : { balance: cells.balance }),
      ...(cells.disbursedOn === undefined ? {} : { disbursedOn: cells.disbursedOn }),
      ...(cells.maturesOn === undefined ? {} : { maturesOn: cells.maturesOn }),
      ...(cells.rate === undefined ? {} : { rateBp: cells.rate }),
      ...(cells.classification === undefined ? {} : { classification: cells.classification }),
      ...(cells.guaranteeMode === undefined ? {} : { guaranteeMode: cells.guaranteeMode }),
      ...(cells.purpose === undefined ? {} : { purpose: cells.purpose }),
      // A file without statuses: a new loan repaid to zero is settled, any other outstanding; a loan on file keeps its status.
      status: cells.status ?? base.status ?? (cells.balance === 0 ? 'settled' : 'outstanding'),
      balanceAsOf: input.asOf,
    };
    const checked = loanSchema.safeParse(candidate);
    if (!checked.success) {
      return {
        reasons: [
          ...new Set(
            checked.error.issues.map((found) => {
              const key = String(found.path[0]) as keyof Loan;
              if (key === 'balanceAsOf') return `导入日期 ${input.asOf}：${found.message}`;
              const field = importFieldOf.get(key);
              return field === undefined ? `${key}：${found.message}` : labelled(field, found.message);
            }),
          ),
        ],
      };
    }
    const loan = checked.data;
    if (loan.status === 'written_off' && existing?.status !== 'written_off' && !can(user.role, 'loan.writeOff')) {
      return { reasons: [labelled('status', '核销须由信贷经理操作，该行未导入')] };
    }
    const versionsBefore = existing === undefined ? null : { loan: existing.version, snapshot: snapshotOn(db, existing.id, input.asOf)?.version };
    const id = saveLoan(ctx, user, actor, loan, existing === undefined ? null : { id: existing.id });
    snapshots += 1;
    if (versionsBefore === null) return 'imported';
    const unchanged = getLoan(db, id)!.version === versionsBefore.loan && snapshotOn(db, id, input.asOf)?.version === versionsBefore.snapshot;
    return unchanged ? 'unchanged' : 'updated';
  };

  const result = await runImport(ctx, loanImport, input, importRow);
  return { ...result, asOf: input.asOf, snapshots, unknownEnterprises: [...unknown.values()] };
}
