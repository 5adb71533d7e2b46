import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { beijingTime, reportWorkbook } from '../shared/node/workbook.ts';
import { benefitIndicatorWords } from '../shared/domain/environmentalBenefit.ts';
import type { BenefitTotals } from '../shared/domain/greenLoanBook.ts';
import { endedPeriods, SHARE_RISE_REQUIRED_PP, statPeriodKinds, statPeriodSchema, type StatPeriod, type StatPeriodKind, type Verdict } from '../shared/domain/greenStatistics.ts';
import { escape, html, page } from './consolePage.ts';
import { pageUser } from './consoleSignIn.ts';
import { text, wanYuanText as wan, type ConsoleTextKey } from './consoleText.ts';
import { HubError } from './errors.ts';
import { appendHeadOfficeAudit } from './headOfficeAudit.ts';
import { actorOf, type HeadOfficeSessions } from './headOfficeSession.ts';
import { sendXlsx } from './http.ts';
import { statisticsDocument } from './statisticsDocument.ts';
import { headOfficeStatistics, type GreenGroupLine, type HeadOfficeStatistics, type ThreeNotLowerLine } from './statistics.ts';
import type { Storage } from './storage.ts';

/**
 * The console's 统计 page (issue 18): the bank's 三个不低于 and green share for an ended period, the
 * branches ranked by green-loan balance, the counties, and the bank's green loans by catalogue
 * category, five-level class and focus industry — statistics.ts's figures, the same the console's
 * API answers. Every head-office role reads it. Pages carry no script (the console's CSP): the
 * period is picked by a kind's link and a select of that kind's ended periods. The page's tables are
 * also a workbook (statisticsDocument.ts), each download audited.
 */

export interface ConsoleStatisticsOptions {
  storage: Storage;
  sessions: HeadOfficeSessions;
}

/** How many ended periods of a kind the select offers (two years of months, five of quarters and years). */
const CHOICES: Record<StatPeriodKind, number> = { month: 24, quarter: 20, year: 5 };

const querySchema = z.object({ kind: z.enum(statPeriodKinds).catch('quarter'), key: z.string().max(10).optional().catch(undefined) });

function periodLabel(period: StatPeriod): string {
  const year = period.key.slice(0, 4);
  if (period.kind === 'year') return text('stats.periodLabel.year', { year });
  const n = Number(period.key.slice(5)); // 2026-11 → 11, 2026Q3 → 3
  return text(`stats.periodLabel.${period.kind}`, { year, n });
}

const percent = (value: string | null) => (value === null ? '—' : text('stats.percent', { value }));
const verdict = (value: Verdict) => `<span class="${value === 'met' ? 'ok' : value === 'notMet' ? 'warn' : 'muted'}">${escape(text(`stats.verdict.${value}` as ConsoleTextKey))}</span>`;
const metCount = (line: ThreeNotLowerLine) => [line.growth, line.increment, line.customers].filter((test) => test.verdict === 'met').length;
const cells = (values: readonly string[]) => values.map((value) => `<td>${value}</td>`).join('');
const headings = (keys: readonly ConsoleTextKey[]) => `<tr>${keys.map((key) => `<th>${escape(text(key))}</th>`).join('')}</tr>`;

function testsTable(line: ThreeNotLowerLine): string {
  const { growth, increment, customers, share } = line;
  const rows = [
    [text('stats.test.growth'), text('stats.growthLine', { green: percent(growth.green.ratePercent) }), text('stats.allGrowthLine', { all: percent(growth.all.ratePercent) }), growth.verdict],
    [text('stats.test.increment'), wan(increment.current), text('stats.lastYear', { value: wan(increment.lastYear) }), increment.verdict],
    [text('stats.test.customers'), String(customers.current), text('stats.lastYear', { value: String(customers.lastYear) }), customers.verdict],
    [
      text('stats.test.share', { required: SHARE_RISE_REQUIRED_PP }),
      share.changePp === null ? '—' : text('stats.changePp', { pp: share.changePp }),
      text('stats.shareLine', { base: percent(share.basePercent), end: percent(share.endPercent) }),
      share.verdict,
    ],
  ] as const;
  return `<table data-testid="three-not-lower">${headings(['stats.test', 'stats.current', 'stats.compare', 'stats.verdict'])}${rows
    .map(([name, current, compare, result]) => `<tr><td>${escape(name)}</td><td>${escape(current)}</td><td>${escape(compare)}</td><td>${verdict(result)}</td></tr>`)
    .join('')}</table>`;
}

function branchesTable(stats: HeadOfficeStatistics): string {
  const rows = stats.branches.map((branch, i) => {
    const { figures, growth, share } = branch.threeNotLower;
    return `<tr>${cells([
      String(i + 1),
      escape(branch.name),
      escape(wan(figures.end.greenBalance)),
      escape(wan(figures.end.totalBalance)),
      escape(percent(share.endPercent)),
      escape(share.changePp === null ? '—' : text('stats.changePp', { pp: share.changePp })),
      escape(percent(growth.green.ratePercent)),
      escape(percent(growth.all.ratePercent)),
      String(figures.end.greenCustomers),
      escape(text('stats.testsMetCount', { met: metCount(branch.threeNotLower) })),
    ])}</tr>`;
  });
  return `<table data-testid="branches">${headings(['stats.rank', 'stats.branch', 'stats.greenBalance', 'stats.totalBalance', 'stats.share', 'stats.shareChange', 'stats.greenGrowth', 'stats.allGrowth', 'stats.customers', 'stats.testsMet'])}${
    rows.join('') || `<tr><td colspan="10" class="muted">${escape(text('stats.none'))}</td></tr>`
  }</table>`;
}

function countiesTable(stats: HeadOfficeStatistics): string {
  const rows = stats.counties.map(({ divisionCode, name, threeNotLower: line }) =>
    `<tr>${cells([
      escape(divisionCode === '' ? '—' : divisionCode),
      escape(divisionCode === '' ? text('stats.countyUnknown') : name),
      escape(wan(line.figures.end.greenBalance)),
      escape(wan(line.figures.end.totalBalance)),
      escape(percent(line.share.endPercent)),
      escape(line.share.changePp === null ? '—' : text('stats.changePp', { pp: line.share.changePp })),
      escape(text('stats.testsMetCount', { met: metCount(line) })),
    ])}</tr>`,
  );
  return `<table data-testid="counties">${headings(['stats.county', 'stats.place', 'stats.greenBalance', 'stats.totalBalance', 'stats.share', 'stats.shareChange', 'stats.testsMet'])}${
    rows.join('') || `<tr><td colspan="7" class="muted">${escape(text('stats.none'))}</td></tr>`
  }</table>`;
}

function groupsTable(testId: string, groups: readonly GreenGroupLine[], totals: { loans: number; customers: number; balance: number }): string {
  const rows = groups.map((group) => `<tr>${cells([escape(group.name === '' ? (group.key === '' ? text('stats.groupNone') : group.key) : group.name), String(group.loans), String(group.customers), escape(wan(group.balance))])}</tr>`);
  const total = `<tr><th>${escape(text('stats.total'))}</th><th>${totals.loans}</th><th>${totals.customers}</th><th>${escape(wan(totals.balance))}</th></tr>`;
  return `<table data-testid="${testId}">${headings(['stats.group', 'stats.loans', 'stats.customers', 'stats.greenBalance'])}${rows.join('')}${total}</table>`;
}

function benefitsTable(benefits: BenefitTotals): string {
  const rows = benefits.totals.map(({ indicator, total, loans }) => `<tr>${cells([escape(benefitIndicatorWords[indicator].zh), escape(benefitIndicatorWords[indicator].unit), escape(total), String(loans)])}</tr>`);
  const left = benefits.notComputed === 0 ? '' : `<p class="muted" role="note">${escape(text('stats.notComputed', { count: benefits.notComputed }))}</p>`;
  return `<table data-testid="benefits">${headings(['stats.indicator', 'stats.unit', 'stats.bankShare', 'stats.benefitLoans'])}${rows.join('')}</table>${left}`;
}

function picker(kind: StatPeriodKind, selected: string, exportLink = ''): string {
  const kinds = statPeriodKinds.map((k) => (k === kind ? `<strong>${escape(text(`stats.kind.${k}`))}</strong>` : `<a href="/console/statistics?kind=${k}">${escape(text(`stats.kind.${k}`))}</a>`)).join(' ');
  const options = endedPeriods(kind, new Date(), CHOICES[kind])
    .map((period) => `<option value="${escape(period.key)}"${period.key === selected ? ' selected' : ''}>${escape(periodLabel(period))}</option>`)
    .join('');
  return `<form class="search" method="get" action="/console/statistics"><span>${kinds}</span><input type="hidden" name="kind" value="${kind}"><label>${escape(text('stats.period'))} <select name="key">${options}</select></label><button type="submit">${escape(text('stats.show'))}</button>${exportLink}</form>`;
}

/** The period a query names, or the kind's latest ended one when it names none (or a malformed one). */
function askedPeriod(queryValue: unknown): StatPeriod {
  const query = querySchema.parse(queryValue);
  const asked = statPeriodSchema.safeParse({ kind: query.kind, key: query.key });
  return asked.success ? asked.data : endedPeriods(query.kind, new Date(), 1)[0]!;
}

/**
 * The period's statistics, or — for a period not yet ended (statistics.ts refuses it as VALIDATION) —
 * the period's last day, so the page and the export refuse it in the same words.
 */
async function endedStatistics(storage: Storage, period: StatPeriod): Promise<HeadOfficeStatistics | string> {
  try {
    return await headOfficeStatistics(storage, period);
  } catch (error) {
    if (!(error instanceof HubError) || error.code !== 'VALIDATION') throw error;
    return String((error.details as { end?: string } | undefined)?.end ?? '');
  }
}

const notEnded = (period: StatPeriod, end: string) => `<p class="warn" role="alert">${escape(text('stats.notEnded', { period: periodLabel(period), end }))}</p>`;

export function registerConsoleStatistics(console: FastifyInstance, options: ConsoleStatisticsOptions): void {
  const { storage, sessions } = options;

  console.get<{ Querystring: unknown }>('/console/statistics', async (request, reply) => {
    const signedIn = await pageUser(sessions, request, reply, 'registers.read');
    if (signedIn === null) return reply;
    const period = askedPeriod(request.query);
    const exportLink = `<a href="/console/statistics/export.xlsx?kind=${period.kind}&amp;key=${encodeURIComponent(period.key)}">${escape(text('stats.export'))}</a>`;
    const form = picker(period.kind, period.key, exportLink);
    const stats = await endedStatistics(storage, period);
    if (typeof stats === 'string') {
      return html(reply, 400, page(text('stats.title'), `<h2>${escape(text('stats.title'))}</h2>${picker(period.kind, period.key)}${notEnded(period, stats)}`, signedIn.user));
    }
    const { report } = stats.bank;
    const body = `<h2>${escape(text('stats.heading', { period: periodLabel(period), end: stats.period.end }))}</h2>${form}
<p class="muted">${escape(text('stats.hint'))}</p>
<div class="panel"><h3>${escape(text('stats.threeNotLower'))}</h3>${testsTable(stats.bank.threeNotLower)}</div>
<div class="panel"><h3>${escape(text('stats.branches'))}</h3>${branchesTable(stats)}</div>
<div class="panel"><h3>${escape(text('stats.counties'))}</h3>${countiesTable(stats)}</div>
<div class="panel"><h3>${escape(text('stats.byCategory'))}</h3>${groupsTable('by-category', report.byCategory, report.totals)}</div>
<div class="panel"><h3>${escape(text('stats.byClassification'))}</h3>${groupsTable('by-classification', report.byClassification, report.totals)}</div>
<div class="panel"><h3>${escape(text('stats.byFocusGroup'))}</h3>${groupsTable('by-focus-group', report.byFocusGroup, report.totals)}</div>
<div class="panel"><h3>${escape(text('stats.benefits'))}</h3><p class="muted">${escape(text('stats.benefitsHint'))}</p>${benefitsTable(report.benefits)}</div>`;
    return html(reply, 200, page(text('stats.title'), body, signedIn.user));
  });

  // The page's tables as .xlsx; a period not ended is refused as on the page, in its words.
  console.get<{ Querystring: unknown }>('/console/statistics/export.xlsx', async (request, reply) => {
    const signedIn = await pageUser(sessions, request, reply, 'registers.read');
    if (signedIn === null) return reply;
    const period = askedPeriod(request.query);
    const stats = await endedStatistics(storage, period);
    if (typeof stats === 'string') return html(reply, 400, page(text('stats.title'), notEnded(period, stats), signedIn.user));
    const label = periodLabel(period);
    const exportedAt = new Date().toISOString();
    const file = await reportWorkbook(statisticsDocument(stats, label, { by: signedIn.user.displayName, at: beijingTime(exportedAt) }), text('statsExport.file', { period: label }));
    await storage.transaction((tx) =>
      appendHeadOfficeAudit(tx, actorOf(signedIn.user), { action: 'statistics.export', recordType: 'statistics', recordId: null, after: { kind: period.kind, key: period.key, branches: stats.branches.length } }),
    );
    return sendXlsx(reply, `statistics-${period.key}.xlsx`, file.fileName, Buffer.from(file.contentBase64, 'base64'));
  });
}
