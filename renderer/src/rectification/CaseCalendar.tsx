import { useMemo } from 'react';
import { Alert, Button, Calendar, Checkbox, ConfigProvider, DatePicker, Popover, Select, Space, Spin, Typography } from 'antd';
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { create } from 'zustand';
import { calendarEntryKinds, type CalendarEntry, type CalendarEntryKind, type CaseListFilter, type HostError } from '../../../shared/api/index.ts';
import { shanghaiDate } from '../../../shared/domain/calendar.ts';
import { caseStatuses } from '../../../shared/domain/rectification.ts';
import { describeError, i18next } from '../i18n/index.ts';
import { useAppStore } from '../stores/app.ts';
import { recordCard, useHostValue } from '../components/RecordPage.tsx';
import { compactFilter } from '../register/filters.ts';
import { CaseFilterFields } from './CaseFilterFields.tsx';

const MONTH = 'YYYY-MM';
const DAY = 'YYYY-MM-DD';
/** Entries a day's cell lists before 「另 N 项」 opens the rest. */
const CELL_ENTRIES = 3;
const KIND_COLOURS: Record<CalendarEntryKind, string> = { deadline: '#d4380d', follow_up: '#1677ff', plan_target: '#d48806', monitoring_due: '#1f7a4d', monitoring_visit: '#1f7a4d' };

interface CalendarState {
  /** `YYYY-MM` of the month shown. */
  month: string;
  filter: CaseListFilter;
  kinds: CalendarEntryKind[];
  set: (patch: Partial<Omit<CalendarState, 'set'>>) => void;
}

const initialCalendar = () => ({ month: shanghaiDate(new Date()).slice(0, 7), filter: {}, kinds: [...calendarEntryKinds] });

/** The month, filters and kinds shown, kept across a visit to a case (back comes to the same month). */
const useCalendarState = create<CalendarState>((set) => ({ ...initialCalendar(), set: (patch) => set(patch) }));
// Another user signing in on this laptop starts from this month and no filter.
useAppStore.subscribe((state, previous) => {
  if (state.session?.user?.id !== previous.session?.user?.id) useCalendarState.getState().set(initialCalendar());
});

/**
 * The days a month's grid shows: from a week before its first day to six weeks after, whichever
 * weekday the grid starts on (well within the host's 93 days).
 */
function gridRange(month: string): { from: string; to: string } {
  const first = dayjs(`${month}-01`);
  return { from: first.subtract(7, 'day').format(DAY), to: first.add(42, 'day').format(DAY) };
}

/** Where an entry leads: its case, or for monitoring the borrower's 整改 tab (its visits and schedule). */
const entryLink = (entry: CalendarEntry): string => (entry.caseId === null ? `/enterprises/${entry.enterpriseId}?tab=rectification` : `/rectification/${entry.caseId}`);

/** A refusal in words: the calendar's own range reasons, else the host's error text. */
function calendarErrorText(error: HostError): string {
  const reason = error.details?.issues?.map((issue) => issue.params?.reason).find((value) => typeof value === 'string' && i18next.exists(`rectification.calendar.errors.${value}`));
  return reason === undefined ? describeError(error) : i18next.t(`rectification.calendar.errors.${String(reason)}`);
}

function EntryLine({ entry }: { entry: CalendarEntry }) {
  const { t } = useTranslation();
  const kind = t(`rectification.calendar.kinds.${entry.kind}`);
  const title = [kind, entry.caseNumber, entry.enterpriseName, entry.overdue ? t('rectification.overdue') : null].filter(Boolean).join(' · ');
  return (
    <Link
      to={entryLink(entry)}
      title={title}
      className="gl-calendar-entry"
      style={{ borderInlineStartColor: KIND_COLOURS[entry.kind], color: entry.overdue ? '#cf1322' : undefined }}
      data-testid="calendar-entry"
      data-kind={entry.kind}
      data-overdue={entry.overdue}
      data-case-number={entry.caseNumber ?? undefined}
    >
      {entry.overdue && <span className="gl-calendar-overdue">{t('rectification.calendar.overdueMark')}</span>}
      <span className="gl-calendar-name">{entry.enterpriseName || entry.caseNumber}</span>
    </Link>
  );
}

/** A day's entries in its cell: the first few, and the rest behind 「另 N 项」. */
function DayEntries({ date, entries }: { date: string; entries: CalendarEntry[] }) {
  const { t } = useTranslation();
  if (entries.length === 0) return null;
  const rest = entries.length - CELL_ENTRIES;
  return (
    <div className="gl-calendar-day" data-testid={`calendar-day-${date}`} onClick={(event) => event.stopPropagation()}>
      {entries.slice(0, rest > 0 ? CELL_ENTRIES - 1 : CELL_ENTRIES).map((entry) => (
        <EntryLine key={`${entry.kind}-${entry.recordId}-${entry.date}`} entry={entry} />
      ))}
      {rest > 0 && (
        <Popover
          trigger="click"
          title={t('rectification.calendar.dayTitle', { date, count: entries.length })}
          content={
            <div className="gl-calendar-day" style={{ width: 320, maxHeight: 360, overflowY: 'auto' }} data-testid="calendar-day-all">
              {entries.map((entry) => (
                <EntryLine key={`${entry.kind}-${entry.recordId}-${entry.date}`} entry={entry} />
              ))}
            </div>
          }
        >
          <Typography.Link style={{ fontSize: 12 }} data-testid="calendar-day-more">
            {t('rectification.calendar.more', { count: rest + 1 })}
          </Typography.Link>
        </Popover>
      )}
    </div>
  );
}

/** 状态 and 责任客户经理: the case list takes them from its counts and address; here they are picked. */
function CalendarOnlyFilters({ filter, onChange }: { filter: CaseListFilter; onChange: (patch: Partial<CaseListFilter>) => void }) {
  const { t } = useTranslation();
  const { value: officers } = useHostValue('collateral.officers', {});
  return (
    <>
      <Select
        allowClear
        placeholder={t('rectification.calendar.status')}
        value={filter.status}
        onChange={(status?: CaseListFilter['status']) => onChange({ status })}
        options={caseStatuses.map((value) => ({ value, label: t(`rectification.statuses.${value}`) }))}
        style={{ width: 140 }}
        aria-label={t('rectification.calendar.status')}
        data-testid="calendar-filter-status"
      />
      <Select
        allowClear
        showSearch={{ optionFilterProp: 'label' }}
        placeholder={t('rectification.filters.officer')}
        value={filter.officerId}
        onChange={(officerId?: string) => onChange({ officerId })}
        options={(officers ?? []).map((officer) => ({ value: officer.id, label: officer.name }))}
        style={{ width: 150 }}
        aria-label={t('rectification.filters.officer')}
        data-testid="calendar-filter-officer"
      />
    </>
  );
}

/**
 * 整改日历: a month of case deadlines, follow-up days, 压缩退出 plan days and monitoring visits due, for
 * the case list's filters; each entry links to its case or the borrower's 整改 tab, overdue ones in red.
 */
export function CaseCalendarPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { month, filter, kinds, set } = useCalendarState();
  const range = gridRange(month);
  const { value, error } = useHostValue('cases.calendar', kinds.length === 0 ? null : { ...range, filter, kinds });
  // No kind ticked asks nothing and shows nothing (the last answer would otherwise stay).
  const entries = useMemo(() => (kinds.length === 0 ? [] : (value?.entries ?? [])), [kinds.length, value]);
  const byDay = useMemo(() => {
    const days = new Map<string, CalendarEntry[]>();
    for (const entry of entries) days.set(entry.date, [...(days.get(entry.date) ?? []), entry]);
    return days;
  }, [entries]);
  const loading = value === null && error === null && kinds.length > 0;
  const shown = dayjs(`${month}-01`);
  const monthEntries = entries.filter((entry) => entry.date.startsWith(month));
  const goTo = (next: Dayjs) => set({ month: next.format(MONTH) });
  const updateFilter = (patch: Partial<CaseListFilter>) => set({ filter: compactFilter({ ...filter, ...patch }) });

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="case-calendar">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'baseline', gap: 16, flexWrap: 'wrap' }}>
        <Space align="baseline" size="middle">
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('rectification.calendar.title')}
          </Typography.Title>
          <Typography.Text type="secondary" data-testid="calendar-count">
            {t('rectification.calendar.count', { count: monthEntries.length, overdue: monthEntries.filter((entry) => entry.overdue).length })}
          </Typography.Text>
        </Space>
        <Space>
          <Button onClick={() => void navigate('/rectification')} data-testid="calendar-to-cases">
            {t('rectification.schedule.toCases')}
          </Button>
          <Button onClick={() => void navigate('/monitoring')}>{t('rectification.schedule.title')}</Button>
        </Space>
      </div>

      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center' }}>
        <Button icon={<LeftOutlined />} onClick={() => goTo(shown.subtract(1, 'month'))} aria-label={t('rectification.calendar.previous')} data-testid="calendar-previous" />
        <DatePicker
          picker="month"
          allowClear={false}
          value={shown}
          format={MONTH}
          onChange={(next: Dayjs | null) => next !== null && goTo(next)}
          aria-label={t('rectification.calendar.month')}
          data-testid="calendar-month"
        />
        <Button icon={<RightOutlined />} onClick={() => goTo(shown.add(1, 'month'))} aria-label={t('rectification.calendar.next')} data-testid="calendar-next" />
        <Button onClick={() => set({ month: shanghaiDate(new Date()).slice(0, 7) })} data-testid="calendar-this-month">
          {t('rectification.calendar.thisMonth')}
        </Button>
        <Checkbox.Group
          value={kinds}
          onChange={(next) => set({ kinds: calendarEntryKinds.filter((kind) => next.includes(kind)) })}
          style={{ marginInlineStart: 8 }}
          data-testid="calendar-kinds"
          options={calendarEntryKinds.map((kind) => ({
            value: kind,
            label: (
              <span>
                <span className="gl-calendar-swatch" style={{ background: KIND_COLOURS[kind] }} />
                {t(`rectification.calendar.kinds.${kind}`)}
              </span>
            ),
          }))}
        />
      </div>

      <CaseFilterFields filter={filter} onChange={(next) => set({ filter: next })}>
        <CalendarOnlyFilters filter={filter} onChange={updateFilter} />
      </CaseFilterFields>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('rectification.calendar.filterNote')}
      </Typography.Text>

      {error !== null && <Alert type="error" showIcon title={calendarErrorText(error)} data-testid="calendar-error" />}
      {value?.truncated === true && <Alert type="warning" showIcon title={t('rectification.calendar.truncated', { count: value.entries.length })} data-testid="calendar-truncated" />}

      <div style={{ ...recordCard, padding: '4px 12px' }}>
        <Spin spinning={loading}>
          {/* The grid's value is only the month shown: no day looks selected (today keeps its own mark). */}
          <ConfigProvider theme={{ components: { Calendar: { itemActiveBg: 'transparent' } } }}>
            <Calendar
              className="gl-case-calendar"
              value={shown}
              headerRender={() => null}
              onSelect={(date, { source }) => {
                // A day of the next or previous month in the grid turns the page to it.
                if (source === 'date' && date.format(MONTH) !== month) goTo(date);
              }}
              cellRender={(date, info) => (info.type === 'date' ? <DayEntries date={date.format(DAY)} entries={byDay.get(date.format(DAY)) ?? []} /> : info.originNode)}
            />
          </ConfigProvider>
        </Spin>
      </div>
    </Space>
  );
}
