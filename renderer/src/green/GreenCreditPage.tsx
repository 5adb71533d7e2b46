import { useEffect, useState } from 'react';
import { Alert, Button, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { GreenSummary, GreenwashingLine, HostError } from '../../../shared/api/index.ts';
import { describeError } from '../i18n/index.ts';
import { formatYuan } from '../format.ts';
import { can } from '../../../shared/domain/roles.ts';
import { useAppStore, useUser } from '../stores/app.ts';
import { RecommendationImport } from './RecommendationImport.tsx';
import { useReasonText } from './reasonText.ts';

const card = { background: '#fff', border: '1px solid #f0f0f0', borderRadius: 8, padding: '16px 20px' } as const;

/**
 * 绿色信贷: how many loans count green, and the greenwashing check (洗绿/漂绿) — every tag that fails
 * a rule, each line saying why and linking to its loan or application.
 */
export function GreenCreditPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const call = useAppStore((s) => s.call);
  const [lines, setLines] = useState<GreenwashingLine[] | null>(null);
  const [summary, setSummary] = useState<GreenSummary | null>(null);
  const [error, setError] = useState<HostError | null>(null);
  const reasonText = useReasonText();
  const user = useUser();
  const canImport = user !== null && can(user.role, 'enterprise.write');
  const [importing, setImporting] = useState(false);

  useEffect(() => {
    let current = true;
    void Promise.all([call('green.greenwashing', {}), call('green.summary', {})]).then(([washing, totals]) => {
      if (!current) return;
      if (washing.ok) setLines(washing.value);
      else setError(washing.error);
      if (totals.ok) setSummary(totals.value);
    });
    return () => {
      current = false;
    };
  }, [call]);

  const open = (line: GreenwashingLine) => void navigate(line.ownerType === 'loan' ? `/loans/${line.ownerId}?tab=green` : `/credit/${line.ownerId}?tab=green`);

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="green-credit-page">
      {summary !== null && (
        <div style={card}>
          <Typography.Text data-testid="green-summary">
            {t('green.washing.summary', { green: summary.greenLoans, balance: formatYuan(summary.greenBalance), incomplete: summary.incompleteLoans })}
          </Typography.Text>
        </div>
      )}
      <div style={{ ...card, display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 16 }}>
        <div>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('greenFactory.entry')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('greenFactory.entryHelp')}</Typography.Text>
        </div>
        <Space>
          {canImport && (
            <Button onClick={() => setImporting(true)} data-testid="recommendation-import">
              {t('green.recommendations.button')}
            </Button>
          )}
          <Button onClick={() => void navigate('/green/factory')} data-testid="green-factory-entry">
            {t('greenFactory.open')}
          </Button>
        </Space>
        {importing && <RecommendationImport onClose={() => setImporting(false)} />}
      </div>
      <div style={card}>
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {t('green.washing.title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('green.washing.help')}</Typography.Paragraph>
        {error !== null && <Alert type="error" showIcon title={describeError(error)} />}
        <Table
          size="small"
          rowKey="tagId"
          loading={lines === null && error === null}
          dataSource={lines ?? []}
          pagination={false}
          locale={{ emptyText: t('green.washing.empty') }}
          data-testid="greenwashing-list"
          columns={[
            {
              title: t('green.washing.record'),
              key: 'record',
              width: 240,
              render: (_: unknown, line: GreenwashingLine) => (
                <Space size={4}>
                  <Tag>{t(line.ownerType === 'loan' ? 'green.washing.loan' : 'green.washing.application')}</Tag>
                  <Typography.Link onClick={() => open(line)} className="gl-mono" data-testid="greenwashing-link">
                    {line.label}
                  </Typography.Link>
                </Space>
              ),
            },
            { title: t('green.washing.enterprise'), dataIndex: 'enterpriseName', width: 240 },
            { title: t('green.washing.status'), dataIndex: 'status', width: 100, render: (status: GreenwashingLine['status']) => t(`green.statuses.${status}`) },
            {
              title: t('green.washing.reasons'),
              key: 'reasons',
              render: (_: unknown, line: GreenwashingLine) => <span data-testid="greenwashing-reasons">{line.reasons.map(reasonText).join(t('green.washing.reasonSeparator'))}</span>,
            },
          ]}
        />
      </div>
    </Space>
  );
}
