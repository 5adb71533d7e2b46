import { describe, expect, it } from 'vitest';
import { shanghaiDate } from './calendar.ts';
import {
  addMonths,
  defaultMonitoringSchedule as defaults,
  monitoringFrequency,
  monitoringStatus,
  monitoringStatusRange,
  nextVisitDue,
  worstClassification,
  type MonitoringRisk,
} from './monitoringSchedule.ts';

const risk = (worstClass: MonitoringRisk['worstClass'], extra: Partial<MonitoringRisk> = {}): MonitoringRisk => ({ worstClass, hasOpenCase: false, rating: null, ...extra });

describe('贷后监测计划: frequency by class and risk', () => {
  it.each([
    ['正常', risk('normal'), 'normal', 6],
    ['关注', risk('special_mention'), 'special_mention', 3],
    ['次级', risk('substandard'), 'non_performing', 1],
    ['可疑', risk('doubtful'), 'non_performing', 1],
    ['损失', risk('loss'), 'non_performing', 1],
    ['正常 with an open case', risk('normal', { hasOpenCase: true }), 'open_case', 1],
    ['关注 rated red', risk('special_mention', { rating: 'red' }), 'red_rating', 1],
    ['正常 rated black', risk('normal', { rating: 'black' }), 'red_rating', 1],
    ['正常 rated yellow', risk('normal', { rating: 'yellow' }), 'normal', 6],
    ['次级 with an open case: the risk names the band on a tie', risk('substandard', { hasOpenCase: true }), 'open_case', 1],
  ] as const)('%s → %s every %i month(s)', (_name, input, band, months) => {
    expect(monitoringFrequency(input, defaults)).toEqual({ band, months });
  });

  it('the settings decide, not the code: the shortest interval that applies wins', () => {
    const settings = { ...defaults, normalMonths: 12, specialMentionMonths: 2, openCaseMonths: 3 };
    expect(monitoringFrequency(risk('normal'), settings)).toEqual({ band: 'normal', months: 12 });
    expect(monitoringFrequency(risk('normal', { hasOpenCase: true }), settings)).toEqual({ band: 'open_case', months: 3 });
    expect(monitoringFrequency(risk('special_mention', { hasOpenCase: true }), settings)).toEqual({ band: 'special_mention', months: 2 });
  });

  it('the worst class of a borrower’s loans counts', () => {
    expect(worstClassification(['normal', 'substandard', 'special_mention'])).toBe('substandard');
    expect(worstClassification(['normal'])).toBe('normal');
    expect(worstClassification([])).toBeNull();
  });
});

describe('贷后监测计划: the next visit and its status on boundary days', () => {
  it.each([
    ['2026-01-15', 6, '2026-07-15'],
    ['2026-08-31', 6, '2027-02-28'],
    ['2027-08-31', 6, '2028-02-29'],
    ['2026-01-31', 1, '2026-02-28'],
    ['2026-03-31', 3, '2026-06-30'],
    ['2026-12-15', 1, '2027-01-15'],
    ['2026-11-30', 3, '2027-02-28'],
  ] as const)('%s + %i month(s) = %s', (day, count, expected) => {
    expect(addMonths(day, count)).toBe(expected);
  });

  it('is due the interval after the last visit made, or after the first disbursement when never visited', () => {
    expect(nextVisitDue('2026-03-10', '2025-01-05', 3)).toBe('2026-06-10');
    expect(nextVisitDue(null, '2026-01-05', 6)).toBe('2026-07-05');
  });

  it.each([
    // [next due, today, status]: the day itself is still in time; the day after is overdue.
    ['2026-06-10', '2026-06-09', 'due'],
    ['2026-06-10', '2026-06-10', 'due'],
    ['2026-06-10', '2026-06-11', 'overdue'],
    ['2026-06-24', '2026-06-10', 'due'],
    ['2026-06-25', '2026-06-10', 'scheduled'],
    ['2027-01-01', '2026-12-31', 'due'],
  ] as const)('due %s, today %s → %s', (due, today, status) => {
    expect(monitoringStatus(due, today, 14)).toBe(status);
  });

  it('the status ranges agree with the status of every day around them', () => {
    const today = '2026-02-27';
    for (let offset = -5; offset <= 25; offset += 1) {
      const day = new Date(Date.UTC(2026, 1, 27 + offset)).toISOString().slice(0, 10);
      const status = monitoringStatus(day, today, 14);
      for (const which of ['overdue', 'due', 'scheduled', 'attention'] as const) {
        const { from, to } = monitoringStatusRange(which, today, 14);
        const inRange = (from === null || day >= from) && (to === null || day <= to);
        const expected = which === 'attention' ? status !== 'scheduled' : status === which;
        expect(inRange, `${day} ${which}`).toBe(expected);
      }
    }
  });

  it('“today” is Shanghai’s day whatever the laptop’s zone: 2026-06-10 16:30 UTC is already 06-11 there', () => {
    const today = shanghaiDate(new Date('2026-06-10T16:30:00Z'));
    expect(today).toBe('2026-06-11');
    expect(monitoringStatus('2026-06-10', today, 14)).toBe('overdue');
    expect(monitoringStatus('2026-06-10', shanghaiDate(new Date('2026-06-10T15:59:59Z')), 14)).toBe('due');
  });
});
