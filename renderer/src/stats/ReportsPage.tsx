import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Button, Progress, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CollateralReport, GreenReport, HostError, RectificationReport, ReportKind, ThreeNotLowerView } from '../../../shared/api/index.ts';
import { endedPeriods, type StatPeriod, type StatPeriodKind } from '../../../shared/domain/greenStatistics.ts';
import { caseStatuses } from '../../../shared/domain/rectification.ts';
import { formatWanYuan } from '../../../shared/domain/money.ts';
import { describeError } from '../i18n/index.ts';
import { saveDownload } from '../download.ts';
import { useAppStore } from '../stores/app.ts';
import { BenefitsTable, GreenGroupTable, percentOrDash, ThreeNotLowerTable, wanAmounts } from './GreenReportParts.tsx';
import { PeriodPicker } from './PeriodPicker.tsx';

const card = { background: '#fff', border: '1px solid #f0f0f0', borderRadius: 8, padding: '16px 20px' } as const;

/** How many ended periods of each kind the picker offers. */
const pickerLength: Record<StatPeriodKind, number> = { year: 5, quarter: 8, month: 13 };

let jobCounter = 0;

/**
 * 统计报表 (issue 17): 三个不低于 for a chosen period against the same period last year, the green-credit
 * statistics as of the period's last day, the collateral and rectification summaries, each exportable
 * to .xlsx and PDF. Long calls show the host's progress (stats.progress) while they run.
 */
export function ReportsPage() {
  const { t } = useTranslation();
  const call = useAppStore((s) => s.call);
  const [period, setPeriod] = useState<StatPeriod>(() => endedPeriods('quarter', new Date(), 1)[0]!);
  const [tests, setTests] = useState<ThreeNotLowerView | null>(null);
  const [green, setGreen] = useState<GreenReport | null>(null);
  const [collateral, setCollateral] = useState<CollateralReport | null>(null);
  const [cases, setCases] = useState<RectificationReport | null>(null);
  const [error, setError] = useState<HostError | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [exporting, setExporting] = useState<string | null>(null);
  const polling = useRef<number | null>(null);

  /** Runs a long call under a job id and polls its progress until it answers. */
  const withProgress = useCallback(
    async <T,>(run: (jobId: string) => Promise<T>): Promise<T> => {
      const jobId = `report-${Date.now()}-${(jobCounter += 1)}`;
      polling.current = window.setInterval(() => {
        void call('stats.progress', { jobId }).then((result) => {
          if (result.ok && result.value !== null && result.value.total > 0) setProgress(result.value);
        });
      }, 300);
      try {
        return await run(jobId);
      } finally {
        if (polling.current !== null) window.clearInterval(polling.current);
        setProgress(null);
      }
    },
    [call],
  );

  useEffect(() => {
    let current = true;
    setError(null);
    void withProgress(async (jobId) => {
      const [three, report, summary, rectification] = await Promise.all([
        call('stats.threeNotLower', { period, jobId: `${jobId}-a` }),
        call('stats.greenReport', { day: { period }, jobId }),
        call('stats.collateralSummary', {}),
        call('stats.rectificationSummary', {}),
      ]);
      if (!current) return;
      for (const result of [three, report, summary, rectification]) if (!result.ok) setError(result.error);
      setTests(three.ok ? three.value : null);
      setGreen(report.ok ? report.value : null);
      setCollateral(summary.ok ? summary.value : null);
      setCases(rectification.ok ? rectification.value : null);
    });
    return () => {
      current = false;
    };
  }, [call, period, withProgress]);

  const exportReport = (report: ReportKind, format: 'xlsx' | 'pdf') => {
    setExporting(`${report}-${format}`);
    void withProgress(async (jobId) => {
      const result = await call('stats.export', { report, format, day: { period }, jobId });
      setExporting(null);
      if (!result.ok) return setError(result.error);
      saveDownload(result.value.fileName, result.value.contentBase64, format === 'pdf' ? 'application/pdf' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    });
  };

  const exportButtons = (report: ReportKind) => (
    <Space>
      {(['xlsx', 'pdf'] as const).map((format) => (
        <Button key={format} size="small" loading={exporting === `${report}-${format}`} onClick={() => exportReport(report, format)} data-testid={`export-${report}-${format}`}>
          {t(`reports.export.${format}`)}
        </Button>
      ))}
    </Space>
  );

  const wan = (fen: number) => formatWanYuan(fen);
  const percent = percentOrDash;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="reports-page">
      <div style={{ ...card, display: 'flex', gap: 12, alignItems: 'center', flexWrap: 'wrap' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('reports.title')}
        </Typography.Title>
        <PeriodPicker period={period} onChange={setPeriod} choices={pickerLength} kindLabel={(value) => t(`reports.kind.${value}`)} periodLabel={(p) => p.key} widths={{ kind: 100, period: 130 }} />
        {green !== null && <Typography.Text type="secondary">{t('reports.asOf', { day: green.asOf })}</Typography.Text>}
        {progress !== null && <Progress percent={Math.round((progress.done / progress.total) * 100)} size="small" style={{ width: 200 }} data-testid="report-progress" />}
      </div>
      {error !== null && <Alert type="error" showIcon title={describeError(error)} />}

      {tests !== null && (
        <div style={card} data-testid="three-not-lower">
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            {t('reports.tests.title', { period: tests.period.period.key, last: tests.lastYear.period.key })}
          </Typography.Title>
          <ThreeNotLowerTable tests={tests} amounts={wanAmounts} />
        </div>
      )}

      {green !== null && (
        <div style={card} data-testid="green-report">
          <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
            <Typography.Title level={5} style={{ margin: 0 }}>
              {t('reports.green.title')}
            </Typography.Title>
            {exportButtons('green')}
          </div>
          <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
            {t('reports.green.book', { total: wan(green.book.totalBalance), share: percent(green.book.sharePercent), unit: t('reports.units.wan') })}
          </Typography.Paragraph>
          <GreenGroupTable title={t('reports.green.byCategory')} groups={green.byCategory} totals={green.totals} amounts={wanAmounts} testId="by-category" />
          <GreenGroupTable title={t('reports.green.byFocusGroup')} groups={green.byFocusGroup} totals={green.totals} amounts={wanAmounts} testId="by-focus" />
          <GreenGroupTable title={t('reports.green.byCounty')} groups={green.byCounty} totals={green.totals} amounts={wanAmounts} testId="by-county" />
          <GreenGroupTable title={t('reports.green.byClassification')} groups={green.byClassification} totals={green.totals} amounts={wanAmounts} testId="by-class" dimension="classification" />
          <BenefitsTable benefits={green.benefits} />
        </div>
      )}

      {collateral !== null && (
        <div style={card} data-testid="collateral-report">
          <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
            <Typography.Title level={5} style={{ margin: 0 }}>
              {t('reports.collateral.title', { day: collateral.asOf })}
            </Typography.Title>
            {exportButtons('collateral')}
          </div>
          <Table
            size="small"
            pagination={false}
            rowKey="key"
            dataSource={collateral.byType}
            columns={[
              { title: t('reports.collateral.type'), dataIndex: 'key', render: (key: string) => t(`collateral.types.${key}`, { defaultValue: key }) },
              { title: t('reports.collateral.count'), dataIndex: 'count', align: 'right' },
              { title: t('reports.collateral.appraised'), dataIndex: 'appraisedValue', align: 'right', render: wan },
              { title: t('reports.collateral.pledged'), dataIndex: 'pledgedValue', align: 'right', render: wan },
            ]}
          />
        </div>
      )}

      {cases !== null && (
        <div style={card} data-testid="rectification-report">
          <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
            <Typography.Title level={5} style={{ margin: 0 }}>
              {t('reports.cases.title', { day: cases.asOf })}
            </Typography.Title>
            {exportButtons('rectification')}
          </div>
          <Table
            size="small"
            pagination={false}
            rowKey="measure"
            dataSource={cases.byMeasure}
            columns={[
              { title: t('reports.cases.measure'), dataIndex: 'measure', render: (key: string) => t(`rectification.measures.${key}`, { defaultValue: key }) },
              ...caseStatuses.map((status) => ({ title: t(`rectification.statuses.${status}`, { defaultValue: status }), align: 'right' as const, render: (_: unknown, line: RectificationReport['byMeasure'][number]) => line.counts[status] })),
              { title: t('reports.cases.overdue'), align: 'right' as const, render: (_: unknown, line: RectificationReport['byMeasure'][number]) => line.counts.overdue },
              { title: t('reports.total'), align: 'right' as const, render: (_: unknown, line: RectificationReport['byMeasure'][number]) => line.counts.total },
            ]}
          />
        </div>
      )}
    </Space>
  );
}
