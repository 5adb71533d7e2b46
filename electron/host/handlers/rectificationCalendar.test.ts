import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CalendarEntry, CaseSummary } from '../../../shared/api/index.ts';
import { addDays } from '../../../shared/domain/collateralValuation.ts';
import { shanghaiDate } from '../../../shared/domain/calendar.ts';
import { caseCategories, caseMeasures, caseStatuses } from '../../../shared/domain/rectification.ts';
import { seededRandom } from '../../../shared/domain/testing.ts';
import { insertRecord } from '../../../db/records.ts';
import { hostWithUsers, sampleEnterpriseFile, testUscc } from '../testing.ts';

/**
 * 整改日历 (cases.calendar) through the host's dispatch over a real encrypted database: on generated
 * cases its deadline entries are exactly the case list's rows of the same filter whose deadline falls
 * in the range; a follow-up's day is its case's latest; monitoring follows the borrower filters only;
 * a reversed or too long range is refused with its reason; the laptop's time zone moves no day.
 */
type Session = { sessionId: string };
type Calendar = { entries: CalendarEntry[]; truncated: boolean; today: string };

async function setUp() {
  const host = await hostWithUsers();
  let serial = 1600;
  const value = async <T,>(method: Parameters<typeof host.dispatch>[0], input: unknown, session: Session = host.sessions.officer): Promise<T> => {
    const result = await host.dispatch(method, input as never, session);
    if (!result.ok) throw new Error(`${method}: ${result.error.code} ${JSON.stringify(result.error.details)}`);
    return result.value as T;
  };
  const ids = {} as Record<'officer' | 'manager', string>;
  for (const who of ['officer', 'manager'] as const) ids[who] = (await value<{ user: { id: string } }>('session.get', {}, host.sessions[who])).user.id;
  const enterprise = async (name: string, divisionCode = '360222') => (await value<{ id: string }>('enterprises.create', { file: sampleEnterpriseFile(name, testUscc((serial += 1)), { divisionCode }) })).id;
  const actor = { userId: ids.officer, userName: 'officer', branchId: 'b' };
  const insertCase = (columns: Record<string, unknown>) =>
    insertRecord(
      host.ctx.store.db,
      'rectification_cases',
      { source: 'inspection', found_on: '2026-01-01', description: '检查发现问题', required_actions: '限期整改', officer_id: ids.officer, verifier_id: null, exposure_plan: '[]', ...columns },
      actor,
      host.ctx.now(),
    ).id as string;
  return { host, value, ids, enterprise, insertCase, actor };
}

describe('cases.calendar on the host', () => {
  let env: Awaited<ReturnType<typeof setUp>>;
  beforeAll(async () => {
    env = await setUp();
  });
  afterAll(() => env?.host.cleanup());
  const calendar = (input: Record<string, unknown>, session?: Session) => env.value<Calendar>('cases.calendar', input, session);

  it('its deadlines are the case list’s rows of the same filter whose deadline falls in the range (generated cases)', async () => {
    const { host, value, ids, enterprise, insertCase } = env;
    const random = seededRandom(1616);
    const pick = <T,>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
    const enterprises = [await enterprise('浮梁县甲乙陶瓷有限公司'), await enterprise('浮梁县丙丁建材有限公司'), await enterprise('昌江区戊己化工有限公司', '360202')];
    const today = shanghaiDate(host.ctx.now());
    for (let i = 0; i < 400; i += 1) {
      const status = pick(caseStatuses);
      insertCase({
        case_number: `ZG-2026-CAL0-${String(i).padStart(4, '0')}`,
        enterprise_id: pick(enterprises),
        category: pick(caseCategories),
        deadline: addDays(today, Math.floor(random() * 240) - 120),
        measure: pick(caseMeasures),
        officer_id: pick([ids.officer, ids.manager]),
        status,
        verifier_id: status === 'closed' ? ids.manager : null,
      });
    }
    const listAll = async (filter: Record<string, unknown>) => {
      const rows: CaseSummary[] = [];
      for (let offset = 0; ; offset += 100) {
        const page = await value<{ rows: CaseSummary[] }>('cases.list', { filter, offset, limit: 100 });
        rows.push(...page.rows);
        if (page.rows.length < 100) return rows;
      }
    };
    const ranges = [
      { from: addDays(today, -40), to: addDays(today, 10) },
      { from: addDays(today, 1), to: addDays(today, 93) },
      { from: today, to: today },
    ];
    const filters = [{}, { category: 'environmental' }, { measure: 'reduce_exit', officerId: ids.officer }, { enterpriseId: enterprises[0] }, { divisionCode: '360222', category: 'work_safety' }, { overdue: true }, { overdue: false, status: 'in_progress' }];
    let compared = 0;
    for (const filter of filters) {
      const listed = await listAll(filter);
      for (const range of ranges) {
        const answer = await calendar({ ...range, filter, kinds: ['deadline'] });
        const expected = listed.filter((row) => row.deadline >= range.from && row.deadline <= range.to);
        const key = (entry: { id: string; date: string; overdue: boolean }) => `${entry.date} ${entry.id} ${entry.overdue}`;
        expect(answer.entries.map((entry) => key({ id: entry.recordId, date: entry.date, overdue: entry.overdue })).sort(), JSON.stringify({ filter, range })).toEqual(
          expected.map((row) => key({ id: row.id, date: row.deadline, overdue: row.overdue })).sort(),
        );
        expect(answer.entries.every((entry) => entry.kind === 'deadline' && entry.caseId === entry.recordId)).toBe(true);
        expect(answer.truncated).toBe(false);
        compared += expected.length;
      }
    }
    // The comparison saw cases, not only empty days.
    expect(compared).toBeGreaterThan(300);
  });

  it('a case’s follow-up day is its latest follow-up’s; a closed case has none; a missed one is overdue', async () => {
    const { value, enterprise, insertCase, host } = env;
    const enterpriseId = await enterprise('浮梁县瓷都化工有限公司');
    const today = shanghaiDate(host.ctx.now());
    const caseId = insertCase({ case_number: 'ZG-2026-CAL1-0001', enterprise_id: enterpriseId, category: 'environmental', deadline: addDays(today, 60), measure: 'urge', status: 'open' });
    const followUp = (followedOn: string, next: string | null) =>
      value('cases.addFollowUp', { caseId, followUp: { followedOn, kind: 'visit', note: '现场查看整改进度', progressPercent: 30, nextFollowUpOn: next } });
    await followUp(addDays(today, -20), addDays(today, -10));
    const range = { from: addDays(today, -30), to: addDays(today, 30), filter: { enterpriseId }, kinds: ['follow_up'] };
    expect((await calendar(range)).entries).toEqual([expect.objectContaining({ kind: 'follow_up', date: addDays(today, -10), caseId, caseNumber: 'ZG-2026-CAL1-0001', overdue: true })]);
    await followUp(addDays(today, -5), addDays(today, 7));
    expect((await calendar(range)).entries).toEqual([expect.objectContaining({ kind: 'follow_up', date: addDays(today, 7), caseId, overdue: false })]);
    // The case's other filters choose its follow-ups as they choose its deadline.
    expect((await calendar({ ...range, filter: { enterpriseId, category: 'work_safety' } })).entries).toEqual([]);
    host.ctx.store.db.prepare(`UPDATE rectification_cases SET status = 'closed' WHERE id = ?`).run(caseId);
    expect((await calendar(range)).entries).toEqual([]);
  });

  it('shows a 压缩退出 plan’s target days and the monitoring visits due, which only the borrower filters choose', async () => {
    const { value, enterprise, insertCase, host, actor, ids } = env;
    const enterpriseId = await enterprise('浮梁县宏达焦化有限公司');
    const today = shanghaiDate(host.ctx.now());
    const plan = [{ date: addDays(today, 10), targetFen: 500_000_00 }, { date: addDays(today, 200), targetFen: 0 }];
    const caseId = insertCase({ case_number: 'ZG-2026-CAL2-0001', enterprise_id: enterpriseId, category: 'environmental', deadline: addDays(today, 300), measure: 'reduce_exit', status: 'in_progress', exposure_plan: JSON.stringify(plan) });
    insertRecord(
      host.ctx.store.db,
      'loans',
      { loan_number: 'JK-CAL-0001', enterprise_id: enterpriseId, amount_fen: 100, balance_fen: 100, balance_as_of: addDays(today, -20), disbursed_on: addDays(today, -20), matures_on: addDays(today, 300), rate_bp: 345, classification: 'normal', guarantee_mode: 'credit', status: 'outstanding' },
      actor,
      host.ctx.now(),
    );
    const visit = await value<{ id: string }>('monitoring.record', {
      visit: { enterpriseId, dueOn: addDays(today, -3), visitedOn: null, production: null, finance: null, energyEnvironment: null, greenInnovation: null, findingCategory: null, finding: null },
    });
    const range = { from: addDays(today, -31), to: addDays(today, 61), filter: { enterpriseId } };
    const { entries } = await calendar(range);
    const schedule = await value<{ schedule: { nextDueOn: string } }>('monitoring.list', { enterpriseId });
    expect(entries.map(({ kind, date, recordId, overdue }) => ({ kind, date, recordId, overdue }))).toEqual(
      [
        { kind: 'monitoring_visit', date: addDays(today, -3), recordId: visit.id, overdue: true },
        { kind: 'plan_target', date: addDays(today, 10), recordId: caseId, overdue: false },
        { kind: 'monitoring_due', date: schedule.schedule.nextDueOn, recordId: enterpriseId, overdue: schedule.schedule.nextDueOn < today },
      ].sort((a, b) => a.date.localeCompare(b.date)),
    );
    // A case's own facts (its officer) leave monitoring out; the overdue box keeps the overdue visit only.
    expect((await calendar({ ...range, filter: { enterpriseId, officerId: ids.officer } })).entries.map((entry) => entry.kind)).toEqual(['plan_target']);
    expect((await calendar({ ...range, filter: { enterpriseId, overdue: true } })).entries.map((entry) => entry.kind)).toEqual(['monitoring_visit']);
    expect((await calendar({ ...range, kinds: ['plan_target'] })).entries).toHaveLength(1);
    // Read like the list: the administrator reads, as for cases.list.
    expect((await calendar(range, host.sessions.admin)).entries).toHaveLength(entries.length);
  });

  it('refuses a reversed range and one longer than 93 days, saying which', async () => {
    const reason = async (input: Record<string, unknown>) => {
      const result = await env.host.dispatch('cases.calendar', input as never, env.host.sessions.officer);
      expect(result.ok).toBe(false);
      return result.ok ? null : { code: result.error.code, issues: result.error.details?.issues?.map((issue) => ({ path: issue.path, reason: issue.params?.reason })) };
    };
    expect(await reason({ from: '2026-12-31', to: '2026-12-01' })).toEqual({ code: 'VALIDATION', issues: [{ path: ['to'], reason: 'calendarRangeReversed' }] });
    expect(await reason({ from: '2026-01-01', to: '2026-04-04' })).toEqual({ code: 'VALIDATION', issues: [{ path: ['to'], reason: 'calendarRangeTooLong' }] });
    expect(await reason({ from: '2026-02-30', to: '2026-03-01' })).toMatchObject({ code: 'VALIDATION' });
    // 93 days, both ends included, are a quarter: accepted.
    expect((await calendar({ from: '2026-01-01', to: '2026-04-03' })).truncated).toBe(false);
  });
});

describe('cases.calendar on a laptop set to another time zone', () => {
  let env: Awaited<ReturnType<typeof setUp>>;
  beforeAll(async () => {
    env = await setUp();
  });
  afterAll(() => env?.host.cleanup());
  afterEach(() => vi.unstubAllEnvs());

  // 23:30 and 00:05 in Shanghai either side of 2026-07-01; Los Angeles is still on 06-30, Kiritimati already on 07-01.
  // The host's clock is set there and the officer signs in afresh (a jump of the clock locks a session).
  let signIns = 0;
  const at = async (instant: string): Promise<Session> => {
    env.host.advance(Date.parse(instant) - env.host.ctx.now().getTime());
    const session = { sessionId: `tz-${(signIns += 1)}` };
    await env.value('session.login', { username: 'officer', password: 'Changed2026' }, session);
    return session;
  };

  it.each(['America/Los_Angeles', 'Pacific/Kiritimati'])('%s: the days and today are Shanghai’s', async (tz) => {
    const { enterprise, insertCase, value } = env;
    vi.stubEnv('TZ', tz);
    const enterpriseId = await enterprise(`浮梁县时区${tz.length}陶瓷有限公司`);
    insertCase({ case_number: `ZG-2026-TZ${tz.length}-0001`, enterprise_id: enterpriseId, category: 'environmental', deadline: '2026-06-30', measure: 'urge', status: 'open' });
    const input = { from: '2026-06-01', to: '2026-07-31', filter: { enterpriseId } };
    const evening = await value<Calendar>('cases.calendar', input, await at('2026-06-30T15:30:00Z'));
    expect(evening.today).toBe('2026-06-30');
    expect(evening.entries.map(({ date, overdue }) => ({ date, overdue }))).toEqual([{ date: '2026-06-30', overdue: false }]);
    const night = await value<Calendar>('cases.calendar', input, await at('2026-06-30T16:05:00Z'));
    expect(night.today).toBe('2026-07-01');
    expect(night.entries.map(({ date, overdue }) => ({ date, overdue }))).toEqual([{ date: '2026-06-30', overdue: true }]);
    // The zone is really the laptop's: its own date of the first instant differs from Shanghai's in Kiritimati.
    expect(new Date('2026-06-30T15:30:00Z').getDate()).toBe(tz === 'Pacific/Kiritimati' ? 1 : 30);
  });
});
