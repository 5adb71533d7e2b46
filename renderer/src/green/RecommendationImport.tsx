import { useState } from 'react';
import { Alert, DatePicker, Input, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { recommendationImportFields, type RecommendationImportField, type RecommendationImportResult } from '../../../shared/api/index.ts';
import { ImportWizard } from '../import/ImportWizard.tsx';
import { useAppStore } from '../stores/app.ts';

/**
 * 导入项目互荐名单 on the shared import screen: matched on the USCC, every matched file is flagged
 * recommended with this list's batch and date (what credit reads as 优先); names without a file are listed.
 */
export function RecommendationImport({ onClose }: { onClose: (changed: boolean) => void }) {
  const { t } = useTranslation();
  const call = useAppStore((s) => s.call);
  const [batch, setBatch] = useState('');
  const [recommendedOn, setRecommendedOn] = useState<Dayjs | null>(() => dayjs());
  const label = (key: string) => t(`green.recommendations.${key}`);
  return (
    <ImportWizard<RecommendationImportField, RecommendationImportResult>
      title={label('title')}
      fileHint={label('fileHint')}
      fields={recommendationImportFields}
      fieldLabel={(field) => t(`green.recommendations.fields.${field}`)}
      requiredFields={['uscc']}
      keyField="uscc"
      keyMissingText={label('usccRequired')}
      preview={(file) => call('recommendations.importPreview', file)}
      run={(file, mapping) => call('recommendations.importRun', { ...file, mapping, batch: batch.trim(), recommendedOn: recommendedOn!.format('YYYY-MM-DD') })}
      ready={batch.trim() !== '' && recommendedOn !== null}
      options={() => (
        <Space size={8} wrap>
          <Typography.Text strong>{label('batch')}</Typography.Text>
          <Input value={batch} onChange={(event) => setBatch(event.target.value)} maxLength={50} style={{ width: 200 }} aria-label={label('batch')} data-testid="recommendation-batch" />
          <Typography.Text strong>{label('date')}</Typography.Text>
          <DatePicker value={recommendedOn} onChange={setRecommendedOn} format="YYYY-MM-DD" allowClear={false} aria-label={label('date')} data-testid="recommendation-date" />
        </Space>
      )}
      resultExtra={(result) =>
        result.unmatched.length > 0 && (
          <Alert
            type="warning"
            showIcon
            data-testid="recommendation-unmatched"
            title={label('unmatchedTitle')}
            description={
              <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                {result.unmatched.map((entry) => (
                  <li key={`${entry.row}-${entry.uscc}`}>
                    {entry.name} <Typography.Text className="gl-mono">{entry.uscc}</Typography.Text>{' '}
                    <Typography.Text type="secondary">{t('green.recommendations.row', { row: entry.row })}</Typography.Text>
                  </li>
                ))}
              </ul>
            }
          />
        )
      }
      onClose={onClose}
    />
  );
}
