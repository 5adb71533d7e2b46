import { useMemo, type ReactNode } from 'react';
import { Alert, Card, Col, Row, Skeleton, Space, Statistic, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { TFunction } from 'i18next';
import type { CaseListFilter, CollateralListFilter, Dashboard as DashboardData, StatLoanFilter } from '../../../shared/api/index.ts';
import { caseStatuses, type CaseMeasure } from '../../../shared/domain/rectification.ts';
import { formatWanYuan } from '../../../shared/domain/money.ts';
import { describeError } from '../i18n/index.ts';
import { useHostValue } from '../components/RecordPage.tsx';
import { registerLink } from '../register/listState.ts';
import { barChartOption, CHART_GREEN, chartPalette, EChart, type ChartOption } from '../components/EChart.tsx';

/**
 * 经营看板 (issue 17): the branch's figures from stats.dashboard, each chart with its figures beside
 * it, and every bar and figure a link to the register list behind it (the list shows exactly the
 * records the figure sums: the host hands each figure's filter with it).
 */
const GREEN = CHART_GREEN;
const palette = chartPalette;

export const greenLoansPath = (filter: StatLoanFilter) => registerLink('/dashboard/loans', filter);
const collateralPath = (filter: CollateralListFilter) => registerLink('/collateral', filter);
const casesPath = (filter: CaseListFilter) => registerLink('/rectification', filter);

/** A figure that opens its list: the number, its unit, and a test id naming it. */
function Figure({ title, value, suffix, to, testId }: { title: ReactNode; value: string | number; suffix?: string; to: string | null; testId: string }) {
  const navigate = useNavigate();
  return (
    <div onClick={to === null ? undefined : () => void navigate(to)} style={{ cursor: to === null ? 'default' : 'pointer' }} data-testid={`figure-${testId}`} data-to={to ?? ''}>
      <Statistic title={title} value={value} suffix={suffix} valueStyle={{ color: to === null ? undefined : GREEN, fontSize: 22 }} />
    </div>
  );
}

const percentText = (value: string | null, t: TFunction) => (value === null ? t('dashboard.notComputable') : `${value}%`);

export function Dashboard() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { value: data, error } = useHostValue('stats.dashboard', {});

  const charts = useMemo(() => (data === null ? null : chartOptions(data, t)), [data, t]);
  if (error !== null) return <Alert type="error" showIcon title={describeError(error)} />;
  if (data === null || charts === null) return <Skeleton active />;
  const { green, collateral, cases, alerts } = data;
  const openMeasure = (measure: CaseMeasure, seriesIndex: number) => {
    const status = seriesStatuses[seriesIndex];
    void navigate(casesPath(status === 'overdue' ? { measure, overdue: true } : { measure, status }));
  };

  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 16 }} data-testid="dashboard-page">
      <Space align="baseline">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('dashboard.title')}
        </Typography.Title>
        <Typography.Text type="secondary">{t('dashboard.asOf', { day: data.asOf })}</Typography.Text>
      </Space>

      <Card size="small" title={t('dashboard.green.title')} data-testid="dashboard-green">
        <Row gutter={24}>
          <Col span={10}>
            <EChart height={240} label={t('dashboard.green.title')} testId="chart-green" option={charts.green} onClick={({ dataIndex }) => void navigate(greenLoansPath([green.loans.yearStart, green.loans.sameDayLastYear, green.loans.today][dataIndex]!))} />
          </Col>
          <Col span={14}>
            <Row gutter={[16, 16]}>
              <Col span={8}>
                <Figure title={t('dashboard.green.balance')} value={formatWanYuan(green.today.greenBalance)} suffix={t('dashboard.wan')} to={greenLoansPath(green.loans.today)} testId="green-balance" />
              </Col>
              <Col span={8}>
                <Figure title={t('dashboard.green.loans')} value={green.today.greenLoans} to={greenLoansPath(green.loans.today)} testId="green-loans" />
              </Col>
              <Col span={8}>
                <Figure title={t('dashboard.green.customers')} value={green.today.greenCustomers} to={greenLoansPath(green.loans.today)} testId="green-customers" />
              </Col>
              <Col span={8}>
                <Figure title={t('dashboard.green.share')} value={percentText(green.sharePercent, t)} to={null} testId="green-share" />
              </Col>
              <Col span={8}>
                <Figure title={t('dashboard.green.growthYtd')} value={percentText(green.growthYtdPercent, t)} to={greenLoansPath(green.loans.yearStart)} testId="green-growth-ytd" />
              </Col>
              <Col span={8}>
                <Figure title={t('dashboard.green.growthYoy')} value={percentText(green.growthYoyPercent, t)} to={greenLoansPath(green.loans.sameDayLastYear)} testId="green-growth-yoy" />
              </Col>
              <Col span={8}>
                <Figure title={t('dashboard.green.bookBalance')} value={formatWanYuan(green.today.totalBalance)} suffix={t('dashboard.wan')} to={null} testId="book-balance" />
              </Col>
              <Col span={8}>
                <Figure title={t('dashboard.green.bookGrowthYtd')} value={percentText(green.bookGrowthYtdPercent, t)} to={null} testId="book-growth-ytd" />
              </Col>
              <Col span={8}>
                <Figure title={t('dashboard.green.shareChange')} value={green.shareChangeYtdPp === null ? t('dashboard.notComputable') : `${green.shareChangeYtdPp} pp`} to={null} testId="green-share-change" />
              </Col>
            </Row>
          </Col>
        </Row>
      </Card>

      <Row gutter={16}>
        <Col span={12}>
          <Card size="small" title={t('dashboard.collateral.byType')} data-testid="dashboard-collateral-type">
            <EChart height={240} label={t('dashboard.collateral.byType')} testId="chart-collateral-type" option={charts.collateralByType} onClick={({ dataIndex }) => void navigate(collateralPath(collateral.byType[dataIndex]!.filter))} />
            <LinesTable lines={collateral.byType.map((line) => ({ ...line, name: t(`collateral.types.${line.key}`) }))} testId="collateral-type" />
          </Card>
        </Col>
        <Col span={12}>
          <Card size="small" title={t('dashboard.collateral.byStatus')} data-testid="dashboard-collateral-status">
            <EChart height={240} label={t('dashboard.collateral.byStatus')} testId="chart-collateral-status" option={charts.collateralByStatus} onClick={({ dataIndex }) => void navigate(collateralPath(collateral.byStatus[dataIndex]!.filter))} />
            <LinesTable lines={collateral.byStatus.map((line) => ({ ...line, name: t(`collateral.statuses.${line.key}`) }))} testId="collateral-status" />
          </Card>
        </Col>
      </Row>

      <Row gutter={16}>
        <Col span={16}>
          <Card size="small" title={t('dashboard.cases.title')} data-testid="dashboard-cases">
            <EChart height={240} label={t('dashboard.cases.title')} testId="chart-cases" option={charts.cases} onClick={({ seriesIndex, dataIndex }) => openMeasure(cases.byMeasure[dataIndex]!.measure, seriesIndex)} />
            <Table
              size="small"
              pagination={false}
              rowKey="measure"
              dataSource={cases.byMeasure}
              data-testid="cases-table"
              columns={[
                { title: t('dashboard.cases.measure'), dataIndex: 'measure', render: (measure: CaseMeasure) => t(`rectification.measures.${measure}`) },
                ...seriesStatuses.map((status) => ({
                  title: status === 'overdue' ? t('dashboard.cases.overdue') : t(`rectification.statuses.${status}`),
                  key: status,
                  align: 'right' as const,
                  render: (_: unknown, line: DashboardData['cases']['byMeasure'][number]) => (
                    <Typography.Link onClick={() => openMeasure(line.measure, seriesStatuses.indexOf(status))} data-testid={`cases-${line.measure}-${status}`}>
                      {line.counts[status]}
                    </Typography.Link>
                  ),
                })),
              ]}
            />
          </Card>
        </Col>
        <Col span={8}>
          <Card size="small" title={t('dashboard.alerts.title')} data-testid="dashboard-alerts">
            <Space orientation="vertical" size="large">
              <Figure title={t('dashboard.alerts.collateralExpiring')} value={alerts.collateralExpiring} to={collateralPath(alerts.collateralExpiringFilter)} testId="alerts-collateral-expiring" />
              <Figure title={t('dashboard.alerts.overdueCases')} value={alerts.overdueCases} to={casesPath(alerts.overdueCasesFilter)} testId="alerts-overdue-cases" />
            </Space>
          </Card>
        </Col>
      </Row>
    </div>
  );
}

/** The case chart's series: each open status, closed, and overdue (open and past the deadline). */
const seriesStatuses = [...caseStatuses, 'overdue'] as const;

interface Line {
  key: string;
  name: string;
  count: number;
  pledgedValue: number;
  countedPledgedValue: number;
  filter: CollateralListFilter;
}

/** The figures beside a collateral chart: count and pledged value of each line, each opening its list. */
function LinesTable({ lines, testId }: { lines: Line[]; testId: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Table
      size="small"
      pagination={false}
      rowKey="key"
      dataSource={lines.filter((line) => line.count > 0)}
      onRow={(line) => ({ onClick: () => void navigate(collateralPath(line.filter)), style: { cursor: 'pointer' }, 'data-testid': `${testId}-${line.key}` }) as never}
      columns={[
        { title: t('dashboard.collateral.line'), dataIndex: 'name' },
        { title: t('dashboard.collateral.count'), dataIndex: 'count', align: 'right' },
        { title: t('dashboard.collateral.pledged'), dataIndex: 'pledgedValue', align: 'right', render: (fen: number) => formatWanYuan(fen) },
      ]}
    />
  );
}

function chartOptions(data: DashboardData, t: TFunction): Record<'green' | 'collateralByType' | 'collateralByStatus' | 'cases', ChartOption> {
  const bar = barChartOption;
  const wan = (fen: number) => Number(formatWanYuan(fen).replaceAll(',', ''));
  const green = data.green;
  return {
    green: bar([t('dashboard.green.yearStart'), t('dashboard.green.sameDayLastYear'), t('dashboard.green.today')], [green.yearStart, green.sameDayLastYear, green.today].map((f) => wan(f.greenBalance)), t('dashboard.wan')),
    collateralByType: bar(data.collateral.byType.map((line) => t(`collateral.types.${line.key}`)), data.collateral.byType.map((line) => wan(line.pledgedValue)), t('dashboard.wan')),
    collateralByStatus: bar(data.collateral.byStatus.map((line) => t(`collateral.statuses.${line.key}`)), data.collateral.byStatus.map((line) => wan(line.pledgedValue)), t('dashboard.wan')),
    cases: {
      color: palette,
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 24 },
      xAxis: { type: 'category', data: data.cases.byMeasure.map((line) => t(`rectification.measures.${line.measure}`)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: seriesStatuses.map((status) => ({
        type: 'bar',
        name: status === 'overdue' ? t('dashboard.cases.overdue') : t(`rectification.statuses.${status}`),
        stack: status === 'overdue' ? 'overdue' : 'status',
        data: data.cases.byMeasure.map((line) => line.counts[status]),
        barMaxWidth: 36,
      })),
    },
  };
}
