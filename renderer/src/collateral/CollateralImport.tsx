import { useState } from 'react';
import { Alert, Radio, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { collateralImportFields, collateralImportStatuses, type CollateralImportField, type CollateralImportResult } from '../../../shared/api/index.ts';
import { useAppStore } from '../stores/app.ts';
import { ImportWizard } from '../import/ImportWizard.tsx';

/** What every row needs whatever its type, as the host's collateral import requires it (each type adds its own fields). */
const requiredFields: readonly CollateralImportField[] = ['certificateNumber', 'uscc', 'type', 'certificateIssuer', 'validFrom', 'validTo', 'appraisedOn', 'appraiser', 'pledgeRate'];

type ImportStatus = (typeof collateralImportStatuses)[number];

/**
 * 导入 of an existing collateral list on the shared import screen: each row a new item, filed as a
 * draft or submitted (the person importing chooses), never further — a credit manager approves each.
 */
export function CollateralImport({ onClose }: { onClose: (changed: boolean) => void }) {
  const { t } = useTranslation();
  const call = useAppStore((s) => s.call);
  const [status, setStatus] = useState<ImportStatus>('draft');
  const statusWord = (value: ImportStatus) => t(`collateral.statuses.${value}`);
  return (
    <ImportWizard<CollateralImportField, CollateralImportResult>
      title={t('collateral.import.title')}
      fileHint={t('collateral.import.chooseFileHint')}
      fields={collateralImportFields}
      fieldLabel={(field) => t(`collateral.importFields.${field}`)}
      requiredFields={requiredFields}
      keyField="certificateNumber"
      keyMissingText={t('collateral.import.certificateRequired')}
      template={() => call('collateral.importTemplate', {})}
      preview={(file) => call('collateral.importPreview', file)}
      run={(file, mapping) => call('collateral.importRun', { ...file, mapping, status })}
      options={() => (
        <Space orientation="vertical" size={4}>
          <Space size={8} wrap>
            <Typography.Text strong>{t('collateral.import.status')}</Typography.Text>
            <Radio.Group value={status} onChange={(event) => setStatus(event.target.value as ImportStatus)} data-testid="collateral-import-status">
              {collateralImportStatuses.map((value) => (
                <Radio key={value} value={value}>
                  {t(`collateral.import.statuses.${value}`)}
                </Radio>
              ))}
            </Radio.Group>
          </Space>
          <Typography.Text type="secondary">{t('collateral.import.statusHint')}</Typography.Text>
        </Space>
      )}
      resultExtra={(result) => (result.imported > 0 ? <Alert type="info" showIcon title={t('collateral.import.result', { status: statusWord(result.status) })} data-testid="collateral-import-note" /> : null)}
      onClose={onClose}
    />
  );
}
