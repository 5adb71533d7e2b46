import { Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ThreeNotLowerResult, Verdict } from '../../../shared/domain/greenStatistics.ts';
import type { BenefitTotals } from '../../../shared/domain/greenLoanBook.ts';
import { formatWanYuan } from '../../../shared/domain/money.ts';
import { formatYuan } from '../format.ts';

/**
 * The green-credit report's tables, one set for both apps: the laptop's 统计报表 (ReportsPage.tsx)
 * and the head-office console's 统计 (console/StatisticsPage.tsx), whose figures come from the same
 * shared/domain functions. Words are the `reports` section (i18n zh-CN/reports.ts, which the console
 * takes whole). Amounts are in the page's unit: 万元 on the laptop's summary, 元 on the console.
 */
export interface Amounts {
  unit: 'wan' | 'yuan';
  format: (fen: number) => string;
}
export const wanAmounts: Amounts = { unit: 'wan', format: formatWanYuan };
export const yuanAmounts: Amounts = { unit: 'yuan', format: formatYuan };

export const percentOrDash = (value: string | null) => (value === null ? '—' : `${value}%`);

export function VerdictTag({ verdict }: { verdict: Verdict }) {
  const { t } = useTranslation();
  return <Tag color={verdict === 'met' ? 'green' : verdict === 'notMet' ? 'red' : 'default'}>{t(`reports.verdict.${verdict}`)}</Tag>;
}

/** 三个不低于 and the share change, each with the figures it was decided on. */
export function ThreeNotLowerTable({ tests, amounts, testId }: { tests: ThreeNotLowerResult; amounts: Amounts; testId?: string }) {
  const { t } = useTranslation();
  const unit = t(`reports.units.${amounts.unit}`);
  const money = amounts.format;
  return (
    <Table
      size="small"
      pagination={false}
      rowKey="key"
      data-testid={testId}
      dataSource={[
        { key: 'growth', verdict: tests.growth.verdict, text: t('reports.tests.growth', { green: percentOrDash(tests.growth.green.ratePercent), all: percentOrDash(tests.growth.all.ratePercent) }) },
        { key: 'increment', verdict: tests.increment.verdict, text: t('reports.tests.increment', { current: money(tests.increment.current), last: money(tests.increment.lastYear), unit }) },
        { key: 'customers', verdict: tests.customers.verdict, text: t('reports.tests.customers', { current: tests.customers.current, last: tests.customers.lastYear }) },
        {
          key: 'share',
          verdict: tests.share.verdict,
          text: t('reports.tests.share', { base: percentOrDash(tests.share.basePercent), end: percentOrDash(tests.share.endPercent), change: tests.share.changePp ?? '—', required: tests.share.requiredPp }),
        },
      ]}
      columns={[
        { title: t('reports.tests.rule'), dataIndex: 'key', render: (key: string) => t(`reports.tests.rules.${key}`) },
        { title: t('reports.tests.numbers'), dataIndex: 'text' },
        { title: t('reports.tests.verdict'), dataIndex: 'verdict', render: (verdict: Verdict) => <VerdictTag verdict={verdict} />, width: 110 },
      ]}
    />
  );
}

export interface GroupLine {
  key: string;
  name: string;
  loans: number;
  customers: number;
  balance: number;
}

/**
 * One dimension of the green report: loans, borrowers and balance per group, with the report's
 * totals (a borrower in two groups counts in each, once in the total). Five-level classes are named
 * in the reader's language; catalogue categories by their code and name.
 */
export function GreenGroupTable({ title, groups, totals, amounts, testId, dimension }: { title: string; groups: readonly GroupLine[]; totals: { loans: number; customers: number; balance: number } | null; amounts: Amounts; testId: string; dimension?: 'classification' }) {
  const { t } = useTranslation();
  const label = (g: GroupLine) => {
    if (g.key === '') return t('reports.unclassified');
    if (dimension === 'classification') return t(`reports.classifications.${g.key}`, { defaultValue: g.name === '' ? g.key : g.name });
    // A catalogue category reads with its version and code (2025 1 节能降碳产业); other keys (focus groups) are ids, their name says it.
    if (g.name === '') return g.key;
    return /^\d{4}:/.test(g.key) ? `${g.key.replace(/^(\d{4}):/, '$1 ')} ${g.name}` : g.name;
  };
  return (
    <div>
      <Typography.Title level={5}>{title}</Typography.Title>
      <Table
        size="small"
        pagination={false}
        rowKey="key"
        data-testid={testId}
        dataSource={groups as GroupLine[]}
        columns={[
          { title: t('reports.group'), render: (_: unknown, g: GroupLine) => label(g) },
          { title: t('reports.loans'), dataIndex: 'loans', align: 'right' },
          { title: t('reports.customers'), dataIndex: 'customers', align: 'right' },
          { title: t('reports.balanceIn', { unit: t(`reports.units.${amounts.unit}`) }), dataIndex: 'balance', align: 'right', render: (value: number) => amounts.format(value) },
        ]}
        summary={() =>
          totals === null ? null : (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0}>
                <strong>{t('reports.total')}</strong>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={1} align="right">
                {totals.loans}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={2} align="right">
                {totals.customers}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={3} align="right">
                <strong data-testid={`${testId}-total`}>{amounts.format(totals.balance)}</strong>
              </Table.Summary.Cell>
            </Table.Summary.Row>
          )
        }
      />
    </div>
  );
}

/** 环境效益: the bank's share of each indicator, and the green loans it could not be computed for. */
export function BenefitsTable({ benefits, testId }: { benefits: BenefitTotals; testId?: string }) {
  const { t } = useTranslation();
  return (
    <>
      <Typography.Title level={5}>{t('reports.green.benefits')}</Typography.Title>
      <Table
        size="small"
        pagination={false}
        rowKey="indicator"
        data-testid={testId}
        dataSource={benefits.totals}
        columns={[
          { title: t('reports.green.indicator'), dataIndex: 'indicator', render: (key: string) => t(`reports.indicators.${key}`) },
          { title: t('reports.green.share'), dataIndex: 'total', align: 'right' },
          { title: t('reports.loans'), dataIndex: 'loans', align: 'right' },
        ]}
      />
      {benefits.notComputed > 0 && <Typography.Text type="warning">{t('reports.green.notComputed', { count: benefits.notComputed })}</Typography.Text>}
    </>
  );
}
