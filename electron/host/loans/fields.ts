import type { LoanImportField } from '../../../shared/api/loans.ts';
import { guaranteeModeWords, type GuaranteeMode } from '../../../shared/domain/guarantee.ts';
import {
  checkLoanNumber,
  loanClassificationWords,
  loanNumberMessage,
  loanStatusWords,
  normalizeLoanNumber,
  type LoanClassification,
  type LoanStatus,
} from '../../../shared/domain/loan.ts';
import { normalizeUscc } from '../../../shared/domain/uscc.ts';
import { fold, localDate, money, ok, oneOf, problem, quote, text, type Parsed } from '../import/cells.ts';

/**
 * One cell of a core-system export → the value of one loan field, as the core system meant it:
 * amounts in 元 (or 万元 when the header says so), rates in percent, the regulator's words for
 * classes (「次级类」, 「关注二级」), the bank's for guarantee modes and statuses.
 */

export interface LoanFieldValues {
  loanNumber?: string;
  enterpriseName?: string;
  uscc?: string;
  amount?: number;
  balance?: number;
  disbursedOn?: string;
  maturesOn?: string;
  /** Basis points. */
  rate?: number;
  classification?: LoanClassification;
  guaranteeMode?: GuaranteeMode;
  status?: LoanStatus;
  purpose?: string;
}

function loanNumber(value: string): Parsed<string> {
  const number = normalizeLoanNumber(value);
  const check = checkLoanNumber(number);
  return check.ok ? ok(number) : problem(loanNumberMessage(check));
}

/**
 * An annual rate in percent → basis points: 4.35, 4.35%, 4.350000 → 435. Below 1 without a % sign
 * the cell may be a fraction (0.0435 = 4.35%) or a percentage (0.5%), so it is refused rather
 * than guessed; a rate finer than 0.01% is not one a contract states.
 */
function rate(value: string): Parsed<number> {
  const folded = fold(value);
  const match = /^(\d{1,3})(?:\.(\d+))?(%?)$/.exec(folded);
  if (match === null) return problem(`应为年利率百分数（如 4.35 或 4.35%），现为${quote(value)}`);
  const [, whole, fraction = '', percent] = match;
  if (percent === '' && Number(whole) < 1) return problem(`${quote(value)}无法判断是百分数还是小数，请写成百分数（如 4.35 或 4.35%）`);
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > 2) return problem(`利率精确到 0.01%，现为${quote(value)}`);
  return ok(Number(whole) * 100 + Number(significant.padEnd(2, '0')));
}

const classificationEnglish: Record<string, LoanClassification> = {
  normal: 'normal',
  pass: 'normal',
  'special mention': 'special_mention',
  special_mention: 'special_mention',
  substandard: 'substandard',
  doubtful: 'doubtful',
  loss: 'loss',
};

/** 正常, 正常类, 关注二级 (a twelve-level class names its five-level one first), or the English terms. */
function classification(value: string): Parsed<LoanClassification> {
  const folded = fold(value);
  const found = (Object.entries(loanClassificationWords) as [LoanClassification, string][]).find(([, word]) => folded.startsWith(word));
  if (found !== undefined) return ok(found[0]);
  const english = classificationEnglish[value.trim().toLowerCase()];
  return english === undefined ? problem(`无法识别${quote(value)}，应为 ${oneOf(loanClassificationWords)}`) : ok(english);
}

/**
 * 信用 / 保证 / 抵押 / 质押, and the environmental rights pledged (排污权质押, 碳排放权质押 …). A
 * combined mode (「抵押+保证」) is its first-named one, as core systems list the main mode first.
 */
const guaranteeKeywords: [RegExp, GuaranteeMode][] = [
  [/排污权|碳排放|碳配额|CCER|用能权|水权|环境权益|节能收益|未来收益权|合同能源/i, 'environmental_rights_pledge'],
  [/质押/, 'pledge'],
  [/抵押/, 'mortgage'],
  [/保证|担保/, 'guarantee'],
  [/信用/, 'credit'],
];

function guaranteeMode(value: string): Parsed<GuaranteeMode> {
  const folded = fold(value);
  let first: { at: number; mode: GuaranteeMode } | null = null;
  for (const [pattern, mode] of guaranteeKeywords) {
    const at = folded.search(pattern);
    if (at >= 0 && (first === null || at < first.at)) first = { at, mode };
  }
  if (first !== null) return ok(first.mode);
  const code = (Object.keys(guaranteeModeWords) as GuaranteeMode[]).find((mode) => mode === value.trim().toLowerCase());
  return code === undefined ? problem(`无法识别${quote(value)}，应为 ${oneOf(guaranteeModeWords)}`) : ok(code);
}

const statusWords: [RegExp, LoanStatus][] = [
  [/核销/, 'written_off'],
  [/^(已)?(结清|还清|销户|注销)$|^settled$/i, 'settled'],
  [/^(未结清|未还清|正常|在贷|存续|逾期|展期|outstanding)$/i, 'outstanding'],
];

function status(value: string): Parsed<LoanStatus> {
  const folded = fold(value);
  const found = statusWords.find(([pattern]) => pattern.test(folded));
  return found === undefined ? problem(`无法识别${quote(value)}，应为 ${oneOf(loanStatusWords)}`) : ok(found[1]);
}

const parsers: { [F in LoanImportField]-?: (value: string, header: string) => Parsed<unknown> } = {
  loanNumber,
  enterpriseName: text,
  uscc: (value) => ok(normalizeUscc(value)),
  amount: money,
  balance: money,
  disbursedOn: localDate,
  maturesOn: localDate,
  rate,
  classification,
  guaranteeMode,
  status,
  purpose: text,
};

export function parseLoanField(field: LoanImportField, value: string, header: string): Parsed<unknown> {
  return parsers[field](value, header);
}
