import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDetail, MonitoringScheduleCounts, MonitoringScheduleRow, MonitoringVisit } from '../../../shared/api/index.ts';
import type { LoanInput } from '../../../shared/domain/loan.ts';
import { shanghaiDate } from '../../../shared/domain/calendar.ts';
import { addDays } from '../../../shared/domain/collateralValuation.ts';
import { addMonths, defaultMonitoringSchedule, monitoringStatuses } from '../../../shared/domain/monitoringSchedule.ts';
import { sampleCaseFacts, seededRandom } from '../../../shared/domain/testing.ts';
import { hostWithUsers, sampleEnterpriseFile, testUscc } from '../testing.ts';

/**
 * 贷后监测计划 through the host's dispatch over a real encrypted database: borrowers get their next
 * visit from their worst loan class, an open case or a red rating, and their last visit; the list of
 * due and overdue borrowers agrees with its counts for the same filter; a credit manager changes the
 * frequencies (audited) and every borrower's next visit follows; an officer may not.
 */
type Session = { sessionId: string };
type Page = { rows: MonitoringScheduleRow[]; total: number; totalCapped: boolean };

describe('贷后监测计划 on the host', () => {
  let host: Awaited<ReturnType<typeof hostWithUsers>>;
  let serial = 700;
  let loanSerial = 0;
  let officerId = '';
  const value = async <T,>(method: Parameters<typeof host.dispatch>[0], input: unknown, session: Session = host.sessions.officer): Promise<T> => {
    const result = await host.dispatch(method, input as never, session);
    if (!result.ok) throw new Error(`${method}: ${result.error.code} ${JSON.stringify(result.error.details)}`);
    return result.value as T;
  };
  const today = () => shanghaiDate(host.ctx.now());
  const borrower = async (name: string, loans: Partial<LoanInput>[], divisionCode = '360222') => {
    const created = await value<{ id: string }>('enterprises.create', { file: sampleEnterpriseFile(name, testUscc((serial += 1)), { divisionCode }) });
    for (const loan of loans) {
      await value('loans.create', {
        loan: {
          loanNumber: `JK2026-${String((loanSerial += 1)).padStart(5, '0')}`,
          enterpriseId: created.id,
          amount: 500_000_00,
          balance: 400_000_00,
          balanceAsOf: today(),
          disbursedOn: addDays(today(), -30),
          maturesOn: '2099-02-28',
          rateBp: 345,
          classification: 'normal',
          guaranteeMode: 'guarantee',
          status: 'outstanding',
          purpose: '流动资金',
          ...loan,
        },
      });
    }
    return created.id;
  };
  const visit = (enterpriseId: string, visitedOn: string) =>
    value<MonitoringVisit>('monitoring.record', {
      visit: { enterpriseId, dueOn: visitedOn, visitedOn, production: '生产正常', finance: null, energyEnvironment: null, greenInnovation: null, findingCategory: null, finding: null },
    });
  const scheduleOf = async (enterpriseId: string) => (await value<{ schedule: MonitoringScheduleRow | null }>('monitoring.list', { enterpriseId })).schedule;

  beforeAll(async () => {
    host = await hostWithUsers();
    officerId = (await value<{ user: { id: string } }>('session.get', {})).user.id;
  });
  afterAll(() => host?.cleanup());

  it('the next visit follows the worst class, an open case, a red rating and the last visit made', async () => {
    // 正常, never visited: six months after the first disbursement.
    const normal = await borrower('浮梁县正常陶瓷有限公司', [{ disbursedOn: '2026-01-31' }, { disbursedOn: '2026-03-15' }]);
    expect(await scheduleOf(normal)).toMatchObject({ band: 'normal', intervalMonths: 6, worstClass: 'normal', lastVisitedOn: null, firstDisbursedOn: '2026-01-31', nextDueOn: '2026-07-31' });
    // A visit made moves the next one to six months after it.
    await visit(normal, addDays(today(), -10));
    expect(await scheduleOf(normal)).toMatchObject({ lastVisitedOn: addDays(today(), -10), nextDueOn: addMonths(addDays(today(), -10), 6), status: 'scheduled' });

    // 关注 beside a 正常 loan: quarterly; 次级: monthly.
    const watched = await borrower('浮梁县关注建材有限公司', [{ classification: 'normal' }, { classification: 'special_mention' }]);
    expect(await scheduleOf(watched)).toMatchObject({ band: 'special_mention', intervalMonths: 3 });
    const bad = await borrower('浮梁县次级化工有限公司', [{ classification: 'substandard' }]);
    expect(await scheduleOf(bad)).toMatchObject({ band: 'non_performing', intervalMonths: 1 });

    // An open rectification case makes a 正常 borrower monthly until the case is closed.
    const withCase = await borrower('浮梁县整改矿业有限公司', [{ disbursedOn: addDays(today(), -200) }]);
    await visit(withCase, addDays(today(), -40));
    expect(await scheduleOf(withCase)).toMatchObject({ band: 'normal', status: 'scheduled' });
    await value<CaseDetail>('cases.create', { facts: sampleCaseFacts(withCase, officerId) });
    expect(await scheduleOf(withCase)).toMatchObject({ band: 'open_case', intervalMonths: 1, hasOpenCase: true, nextDueOn: addMonths(addDays(today(), -40), 1), status: 'overdue' });

    // A red 环境信用 rating: monthly too.
    const red = await borrower('浮梁县红牌冶炼有限公司', []);
    await value('enterprises.addRating', { enterpriseId: red, entry: { level: 'red', bureau: '浮梁县生态环境局', ratedOn: '2026-03-01' } });
    expect(await scheduleOf(red)).toBeNull();
    await value('loans.create', {
      loan: { loanNumber: 'JK2026-RED01', enterpriseId: red, amount: 100_000_00, balance: 100_000_00, balanceAsOf: today(), disbursedOn: addDays(today(), -20), maturesOn: '2099-01-01', rateBp: 400, classification: 'normal', guaranteeMode: 'credit', status: 'outstanding', purpose: '流动资金' },
    });
    expect(await scheduleOf(red)).toMatchObject({ band: 'red_rating', rating: 'red', intervalMonths: 1, nextDueOn: addMonths(addDays(today(), -20), 1) });
  });

  it('the due/overdue list agrees with its counts for the same filter; boundary days', async () => {
    // The due day itself is still 即将到期; the day before today is 已逾期.
    const onDay = await borrower('浮梁县今日到期有限公司', [{ classification: 'substandard' }]);
    // Visited a month ago (when a day a month back maps onto today: not so on 03-30, say): due today.
    const monthBack = addMonthsBack(today());
    await visit(onDay, monthBack ?? today());
    const random = seededRandom(1616);
    for (let i = 0; i < 40; i += 1) {
      const classes = (['normal', 'special_mention', 'substandard'] as const).filter(() => random() < 0.6);
      const id = await borrower(`浮梁县生成${String(i).padStart(2, '0')}有限公司`, (classes.length === 0 ? ['normal' as const] : classes).map((classification) => ({ classification, disbursedOn: addDays(today(), -Math.floor(random() * 400)) })), random() < 0.5 ? '360222' : '430582');
      if (random() < 0.5) await visit(id, addDays(today(), -Math.floor(random() * 200)));
    }
    const listAll = async (filter: Record<string, unknown>) => {
      const rows: MonitoringScheduleRow[] = [];
      for (let offset = 0; ; offset += 20) {
        const page = await value<Page>('monitoring.schedule', { filter, offset, limit: 20 });
        rows.push(...page.rows);
        if (page.rows.length < 20) return { rows, total: page.total };
      }
    };
    for (const filter of [{}, { divisionCode: '430582' }, { band: 'non_performing' }, { divisionCode: '360222', band: 'normal' }]) {
      const counts = await value<MonitoringScheduleCounts>('monitoring.scheduleCounts', { filter });
      const all = await listAll(filter);
      expect(counts.total, JSON.stringify(filter)).toBe(all.total);
      expect(all.rows.map((row) => row.nextDueOn)).toEqual([...all.rows.map((row) => row.nextDueOn)].sort());
      for (const status of monitoringStatuses) {
        const listed = await listAll({ ...filter, status });
        expect(counts[status], `${JSON.stringify(filter)} ${status}`).toBe(listed.total);
        expect(listed.rows.every((row) => row.status === status)).toBe(true);
        expect(counts[status]).toBe(all.rows.filter((row) => row.status === status).length);
      }
      const attention = await listAll({ ...filter, status: 'attention' });
      expect(attention.total).toBe(counts.overdue + counts.due);
    }
    const overdue = await listAll({ status: 'overdue' });
    expect(overdue.rows.every((row) => row.nextDueOn < today())).toBe(true);
    const due = await listAll({ status: 'due' });
    expect(due.rows.every((row) => row.nextDueOn >= today() && row.nextDueOn <= addDays(today(), 14))).toBe(true);
    if (monthBack !== null) expect(due.rows.find((row) => row.enterpriseId === onDay)).toMatchObject({ nextDueOn: today(), status: 'due' });
  });

  it('a credit manager changes the frequencies, audited, and every next visit follows; an officer may not', async () => {
    expect(await value('monitoring.settings', {})).toEqual({ settings: defaultMonitoringSchedule, isDefault: true });
    const id = await borrower('浮梁县设置测试有限公司', [{ disbursedOn: '2026-02-10' }]);
    expect(await scheduleOf(id)).toMatchObject({ intervalMonths: 6, nextDueOn: '2026-08-10' });
    const settings = { ...defaultMonitoringSchedule, normalMonths: 12 };
    const refused = await host.dispatch('monitoring.updateSettings', { settings }, host.sessions.officer);
    expect(refused.ok ? null : refused.error.code).toBe('FORBIDDEN');
    const invalid = await host.dispatch('monitoring.updateSettings', { settings: { ...settings, normalMonths: 0 } }, host.sessions.manager);
    expect(invalid.ok ? null : invalid.error.code).toBe('VALIDATION');
    expect(await value('monitoring.updateSettings', { settings }, host.sessions.manager)).toEqual({ settings, isDefault: false });
    expect(await scheduleOf(id)).toMatchObject({ intervalMonths: 12, nextDueOn: '2027-02-10' });
    const audit = host.ctx.store.db.prepare(`SELECT user_name, after FROM audit_log WHERE record_type = 'settings' AND record_id = 'monitoringSchedule'`).all() as { user_name: string; after: string }[];
    expect(audit).toEqual([{ user_name: 'manager', after: JSON.stringify(settings) }]);
  });
});

/** A day whose month-later is `day` itself, if there is one (for a visit due exactly today). */
function addMonthsBack(day: string): string | null {
  for (let back = 28; back <= 31; back += 1) {
    const candidate = addDays(day, -back);
    if (addMonths(candidate, 1) === day) return candidate;
  }
  return null;
}
