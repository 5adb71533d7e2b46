import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Col, Row, Select, Space, Statistic, Table, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { STATISTICS_EXPORT_PATH, type ConsoleStatistics } from '../../../shared/api/console.ts';
import { endedPeriods, type StatPeriod, type StatPeriodKind } from '../../../shared/domain/greenStatistics.ts';
import { barChartOption, EChart } from '../components/EChart.tsx';
import { BenefitsTable, GreenGroupTable, percentOrDash, ThreeNotLowerTable, yuanAmounts } from '../stats/GreenReportParts.tsx';
import { PeriodPicker } from '../stats/PeriodPicker.tsx';
import { LoadError } from './LoadError.tsx';
import { useConsoleQuery } from './useConsoleQuery.ts';

/**
 * 统计: the bank's green-credit statistics for an ended period (server/statistics.ts over what the
 * branches synced, with the laptop's shared/domain functions): 三个不低于 and the green share for the
 * bank, a branch or a county, the branches ranked, the counties, and the green report by category,
 * five-level class and focus industry with the environmental benefits — the laptop's report tables
 * (stats/GreenReportParts.tsx), amounts in 元. A branch filter asks the hub for that branch alone
 * (its figures are its laptops' own); a county picks that county's line of the answer. The export
 * is a plain link (a GET the session cookie opens, audited by the hub) for the same scope.
 */
type Branch = ConsoleStatistics['branches'][number];
type County = ConsoleStatistics['counties'][number];
type Line = ConsoleStatistics['bank']['threeNotLower'];

/** Ended periods the picker offers: two years of months, five of quarters and of years (the hub's HTML page's choice). */
const CHOICES: Record<StatPeriodKind, number> = { month: 24, quarter: 20, year: 5 };
/** Branches the ranking chart draws (the table below ranks them all). */
const CHART_BRANCHES = 15;
/** After this long the page says why a first statistics can take a while (every branch recomputed after a catalogue change). */
const SLOW_MS = 3_000;

export function periodLabel(period: StatPeriod, t: TFunction): string {
  const year = period.key.slice(0, 4);
  return period.kind === 'year' ? t('statistics.periodLabel.year', { year }) : t(`statistics.periodLabel.${period.kind}`, { year, n: Number(period.key.slice(5)) });
}

const metCount = (line: Line) => [line.growth, line.increment, line.customers].filter((test) => test.verdict === 'met').length;
const yuan = yuanAmounts.format;
const yuanNumber = (fen: number) => fen / 100;

export function StatisticsPage() {
  const { t } = useTranslation();
  const [period, setPeriod] = useState<StatPeriod>(() => endedPeriods('quarter', new Date(), 1)[0]!);
  const [branchId, setBranchId] = useState<string | undefined>(undefined);
  const [county, setCounty] = useState<string | undefined>(undefined);
  const branches = useConsoleQuery('branches.list', {});
  const query = { kind: period.kind, key: period.key, ...(branchId === undefined ? {} : { branch: branchId }) };
  const { value: stats, error, loading, reload } = useConsoleQuery('statistics.get', query);
  const slow = useSlow(loading);

  const countyLine = county === undefined ? undefined : stats?.counties.find((line) => line.divisionCode === county);
  const branchName = branchId === undefined ? undefined : (branches.value?.branches.find((branch) => branch.id === branchId)?.name ?? stats?.branches[0]?.name ?? '');
  const countyName = (line: County) => (line.divisionCode === '' ? t('statistics.countyUnknown') : line.name === '' ? line.divisionCode : line.name);
  const scope = countyLine !== undefined ? t('statistics.scope.county', { name: countyName(countyLine) }) : branchName !== undefined ? t('statistics.scope.branch', { name: branchName }) : t('statistics.scope.bank');
  const line = countyLine?.threeNotLower ?? stats?.bank.threeNotLower;
  const exportHref = `${STATISTICS_EXPORT_PATH}?${new URLSearchParams(Object.entries(query)).toString()}`;
  const charts = useMemo(() => (stats === undefined ? null : chartOptions(stats, t)), [stats, t]);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="statistics-page">
      <Card>
        <Typography.Title level={2} style={{ fontSize: 20, marginTop: 0 }}>
          {t('statistics.title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('statistics.hint')}</Typography.Paragraph>
        <Space wrap>
          <PeriodPicker
            period={period}
            onChange={setPeriod}
            choices={CHOICES}
            kindLabel={(value) => t(`statistics.kinds.${value}`)}
            periodLabel={(p) => periodLabel(p, t)}
            ariaLabels={{ kind: t('statistics.kind'), period: t('statistics.period') }}
            widths={{ kind: 120, period: 150 }}
          />
          <Select
            aria-label={t('statistics.branch')}
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t('statistics.allBranches')}
            value={branchId}
            style={{ width: 200 }}
            data-testid="branch-filter"
            options={(branches.value?.branches ?? []).map((branch) => ({ value: branch.id, label: branch.name }))}
            onChange={(value: string | undefined) => {
              setBranchId(value);
              setCounty(undefined);
            }}
          />
          <Select
            aria-label={t('statistics.county')}
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t('statistics.allCounties')}
            value={county}
            style={{ width: 220 }}
            data-testid="county-filter"
            options={(stats?.counties ?? []).map((line) => ({ value: line.divisionCode, label: line.divisionCode === '' ? countyName(line) : `${countyName(line)} ${line.divisionCode}` }))}
            onChange={(value: string | undefined) => setCounty(value)}
          />
          <Button icon={<DownloadOutlined />} href={exportHref} disabled={stats === undefined} data-testid="statistics-export">
            {t('statistics.export')}
          </Button>
        </Space>
        {stats !== undefined && (
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }} data-testid="statistics-span">
            {t('statistics.span', { start: stats.period.start, end: stats.period.end, lastStart: stats.lastYear.start, lastEnd: stats.lastYear.end })}
          </Typography.Paragraph>
        )}
      </Card>

      {error !== undefined && <LoadError error={error} retry={reload} />}
      {slow && <Alert type="info" showIcon message={t('statistics.slow')} data-testid="statistics-slow" />}

      {stats !== undefined && line !== undefined && (
        <>
          <Card size="small" data-testid="statistics-figures">
            <Row gutter={[24, 16]}>
              {figureCells(line, stats, t).map(([key, title, value, suffix, span]) => (
                <Col key={key} span={span}>
                  <Statistic title={title} value={value} suffix={suffix} valueStyle={{ fontSize: 22 }} data-testid={`figure-${key}`} />
                </Col>
              ))}
            </Row>
          </Card>

          <Card size="small" title={t('statistics.tests', { scope })} data-testid="three-not-lower">
            <ThreeNotLowerTable tests={line} amounts={yuanAmounts} />
          </Card>

          <Card size="small" title={t('statistics.ranking')} extra={<Typography.Text type="secondary">{t('statistics.rankingHint')}</Typography.Text>}>
            {charts !== null && stats.branches.length > 1 && (
              <EChart
                height={Math.max(160, Math.min(stats.branches.length, CHART_BRANCHES) * 28 + 48)}
                label={t('statistics.rankingChart', { count: Math.min(stats.branches.length, CHART_BRANCHES) })}
                testId="chart-ranking"
                option={charts.ranking}
                onClick={({ dataIndex }) => setBranchId(stats.branches[dataIndex]?.branchId)}
              />
            )}
            <BranchesTable branches={stats.branches} onPick={(id) => setBranchId(id)} />
          </Card>

          <Card size="small" title={t('statistics.counties')}>
            <CountiesTable counties={county === undefined ? stats.counties : stats.counties.filter((line) => line.divisionCode === county)} name={countyName} />
          </Card>

          <Card size="small" title={t('statistics.report', { scope: branchName === undefined ? t('statistics.scope.bank') : t('statistics.scope.branch', { name: branchName }) })} data-testid="green-report">
            {countyLine !== undefined && <Alert type="info" showIcon message={t('statistics.countyScopeNote')} style={{ marginBottom: 12 }} />}
            <Typography.Paragraph type="secondary">
              {t('reports.green.book', { total: yuan(stats.bank.report.book.totalBalance), share: percentOrDash(stats.bank.report.book.sharePercent), unit: t('reports.units.yuan') })}
            </Typography.Paragraph>
            {charts !== null && stats.bank.report.byCategory.length > 0 && <EChart height={240} label={t('statistics.categoryChart')} testId="chart-category" option={charts.category} />}
            <GreenGroupTable title={t('reports.green.byCategory')} groups={stats.bank.report.byCategory} totals={stats.bank.report.totals} amounts={yuanAmounts} testId="by-category" />
            <GreenGroupTable title={t('reports.green.byClassification')} groups={stats.bank.report.byClassification} totals={stats.bank.report.totals} amounts={yuanAmounts} testId="by-class" dimension="classification" />
            <GreenGroupTable title={t('reports.green.byFocusGroup')} groups={stats.bank.report.byFocusGroup} totals={stats.bank.report.totals} amounts={yuanAmounts} testId="by-focus" />
            <BenefitsTable benefits={stats.bank.report.benefits} testId="benefits" />
          </Card>
        </>
      )}
    </Space>
  );
}

/** The figures across the page's top: [test id, title, value, unit, column span] — amounts get the widest columns. */
function figureCells(line: Line, stats: ConsoleStatistics, t: TFunction): [string, string, string | number, string | undefined, number][] {
  return [
    ['green-balance', t('statistics.figures.greenBalance'), yuan(line.figures.end.greenBalance), undefined, 5],
    ['total-balance', t('statistics.figures.totalBalance'), yuan(line.figures.end.totalBalance), undefined, 5],
    ['share', t('statistics.figures.share'), percentOrDash(line.share.endPercent), undefined, 3],
    ['share-change', t('statistics.figures.shareChange'), line.share.changePp ?? '—', undefined, 4],
    ['customers', t('statistics.figures.customers'), line.figures.end.greenCustomers, t('statistics.figures.households'), 4],
    ['branches', t('statistics.figures.branches'), stats.branches.length, undefined, 3],
  ];
}

/** True once `loading` has lasted SLOW_MS (false again when it ends). */
function useSlow(loading: boolean): boolean {
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    if (!loading) {
      setSlow(false);
      return;
    }
    const timer = window.setTimeout(() => setSlow(true), SLOW_MS);
    return () => window.clearTimeout(timer);
  }, [loading]);
  return slow;
}

function BranchesTable({ branches, onPick }: { branches: Branch[]; onPick: (branchId: string) => void }) {
  const { t } = useTranslation();
  const ranks = useMemo(() => new Map(branches.map((branch, i) => [branch.branchId, i + 1])), [branches]);
  return (
    <Table<Branch>
      size="small"
      rowKey="branchId"
      dataSource={branches}
      data-testid="branches"
      locale={{ emptyText: t('statistics.none') }}
      pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
      onRow={(branch) => ({ onClick: () => onPick(branch.branchId), style: { cursor: 'pointer' } })}
      columns={[
        { key: 'rank', title: t('statistics.columns.rank'), width: 64, render: (_, branch) => ranks.get(branch.branchId) },
        { key: 'name', title: t('statistics.columns.branch'), render: (_, branch) => <Typography.Link>{branch.name}</Typography.Link> },
        { key: 'green', title: t('statistics.columns.greenBalance'), align: 'right', render: (_, branch) => yuan(branch.threeNotLower.figures.end.greenBalance) },
        { key: 'total', title: t('statistics.columns.totalBalance'), align: 'right', render: (_, branch) => yuan(branch.threeNotLower.figures.end.totalBalance) },
        { key: 'share', title: t('statistics.columns.share'), align: 'right', render: (_, branch) => percentOrDash(branch.threeNotLower.share.endPercent) },
        { key: 'change', title: t('statistics.columns.shareChange'), align: 'right', render: (_, branch) => branch.threeNotLower.share.changePp ?? '—' },
        { key: 'greenGrowth', title: t('statistics.columns.greenGrowth'), align: 'right', render: (_, branch) => percentOrDash(branch.threeNotLower.growth.green.ratePercent) },
        { key: 'allGrowth', title: t('statistics.columns.allGrowth'), align: 'right', render: (_, branch) => percentOrDash(branch.threeNotLower.growth.all.ratePercent) },
        { key: 'customers', title: t('statistics.columns.customers'), align: 'right', render: (_, branch) => branch.threeNotLower.figures.end.greenCustomers },
        { key: 'met', title: t('statistics.columns.testsMet'), align: 'right', render: (_, branch) => t('statistics.testsMet', { met: metCount(branch.threeNotLower) }) },
      ]}
    />
  );
}

function CountiesTable({ counties, name }: { counties: County[]; name: (line: County) => string }) {
  const { t } = useTranslation();
  return (
    <Table<County>
      size="small"
      rowKey="divisionCode"
      dataSource={counties}
      data-testid="counties"
      locale={{ emptyText: t('statistics.none') }}
      pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
      columns={[
        { key: 'code', title: t('statistics.columns.county'), width: 110, render: (_, line) => (line.divisionCode === '' ? '—' : line.divisionCode) },
        { key: 'place', title: t('statistics.columns.place'), render: (_, line) => name(line) },
        { key: 'green', title: t('statistics.columns.greenBalance'), align: 'right', render: (_, line) => yuan(line.threeNotLower.figures.end.greenBalance) },
        { key: 'total', title: t('statistics.columns.totalBalance'), align: 'right', render: (_, line) => yuan(line.threeNotLower.figures.end.totalBalance) },
        { key: 'share', title: t('statistics.columns.share'), align: 'right', render: (_, line) => percentOrDash(line.threeNotLower.share.endPercent) },
        { key: 'change', title: t('statistics.columns.shareChange'), align: 'right', render: (_, line) => line.threeNotLower.share.changePp ?? '—' },
        { key: 'met', title: t('statistics.columns.testsMet'), align: 'right', render: (_, line) => t('statistics.testsMet', { met: metCount(line.threeNotLower) }) },
      ]}
    />
  );
}

function chartOptions(stats: ConsoleStatistics, t: TFunction) {
  const top = stats.branches.slice(0, CHART_BRANCHES);
  const categories = stats.bank.report.byCategory;
  return {
    ranking: barChartOption(
      top.map((branch) => branch.name),
      top.map((branch) => yuanNumber(branch.report.totals.balance)),
      t('statistics.yuan'),
      { horizontal: true },
    ),
    category: barChartOption(
      categories.map((group) => (group.key === '' ? t('reports.unclassified') : group.name === '' ? group.key : group.name)),
      categories.map((group) => yuanNumber(group.balance)),
      t('statistics.yuan'),
    ),
  };
}
