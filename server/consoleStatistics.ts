import type { FastifyInstance, FastifyRequest } from 'fastify';
import { consoleEndpoints, STATISTICS_EXPORT_PATH } from '../shared/api/console.ts';
import type { StatPeriod } from '../shared/domain/greenStatistics.ts';
import { beijingTime, reportWorkbook } from '../shared/node/workbook.ts';
import { text } from './consoleText.ts';
import { parseWith } from './errors.ts';
import { appendHeadOfficeAudit } from './headOfficeAudit.ts';
import { actorOf, type HeadOfficeSessions } from './headOfficeSession.ts';
import { sendResult, sendXlsx } from './http.ts';
import { statisticsDocument } from './statisticsDocument.ts';
import { headOfficeStatistics } from './statistics.ts';
import type { Storage } from './storage.ts';

/**
 * The console's 统计 page's JSON (issue 18; the page is renderer/src/console/StatisticsPage.tsx):
 * the cross-branch statistics of an ended period (statistics.ts), for the bank or the branches
 * asked, and the same figures as the workbook head office files (statisticsDocument.ts), each
 * download audited. Every head-office role reads them. A period not yet ended is refused by
 * statistics.ts as VALIDATION (reason PERIOD_NOT_ENDED, with its last day) for both.
 */

export interface ConsoleStatisticsOptions {
  storage: Storage;
  sessions: HeadOfficeSessions;
}

const endpoint = consoleEndpoints['statistics.get'];

/** The workbook's name for a period, in the words its notes use (2026年第3季度). */
function periodLabel(period: StatPeriod): string {
  const year = period.key.slice(0, 4);
  if (period.kind === 'year') return text('stats.periodLabel.year', { year });
  const n = Number(period.key.slice(5)); // 2026-11 → 11, 2026Q3 → 3
  return text(`stats.periodLabel.${period.kind}`, { year, n });
}

/** Registered inside the console API's scope (headOfficeApp.ts registerHeadOffice), so its hooks (no-store) apply. */
export function registerConsoleStatistics(api: FastifyInstance, options: ConsoleStatisticsOptions): void {
  const { storage, sessions } = options;
  // GETs: the session alone (no CSRF token), as every head-office role reads statistics.
  const signedIn = (request: FastifyRequest) => sessions.authorize(request, 'registers.read', undefined);
  const asked = (query: unknown) => {
    const { branch, ...period } = parseWith(endpoint.input, query, 'statistics period');
    return { period, branchIds: branch === undefined ? undefined : [branch].flat() };
  };

  api.get<{ Querystring: unknown }>(endpoint.path, async (request, reply) => {
    await signedIn(request);
    const { period, branchIds } = asked(request.query);
    return sendResult(reply, { ok: true, value: await headOfficeStatistics(storage, period, { branchIds }) });
  });

  // The page's figures (for the branches it is filtered to) as .xlsx; the download is audited with its scope.
  api.get<{ Querystring: unknown }>(STATISTICS_EXPORT_PATH, async (request, reply) => {
    const found = await signedIn(request);
    const { period, branchIds } = asked(request.query);
    const stats = await headOfficeStatistics(storage, period, { branchIds });
    const label = periodLabel(period);
    const file = await reportWorkbook(statisticsDocument(stats, label, { by: found.user.displayName, at: beijingTime(new Date().toISOString()) }), text('statsExport.file', { period: label }));
    await storage.transaction((tx) =>
      appendHeadOfficeAudit(tx, actorOf(found.user), {
        action: 'statistics.export',
        recordType: 'statistics',
        recordId: null,
        after: { kind: period.kind, key: period.key, branches: stats.branches.length, ...(branchIds === undefined ? {} : { branchIds }) },
      }),
    );
    return sendXlsx(reply, `statistics-${period.key}.xlsx`, file.fileName, Buffer.from(file.contentBase64, 'base64'));
  });
}
