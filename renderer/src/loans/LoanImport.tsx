import { useState } from 'react';
import { Alert, DatePicker, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { loanImportFields, type LoanImportField, type LoanImportResult } from '../../../shared/api/index.ts';
import { useAppStore } from '../stores/app.ts';
import { ImportWizard } from '../import/ImportWizard.tsx';

/**
 * What a new loan cannot do without, as the host's loan import requires it (the borrower comes from
 * the USCC or, failing that, the name; the status defaults from the balance; purpose is optional).
 */
const requiredFields: readonly LoanImportField[] = ['loanNumber', 'amount', 'balance', 'disbursedOn', 'maturesOn', 'rate', 'classification', 'guaranteeMode'];

/**
 * 导入 of a core-system loan export on the shared import screen: matched on the loan number, and
 * as of one data date, which becomes the snapshot date of every balance in the file.
 */
export function LoanImport({ onClose }: { onClose: (changed: boolean) => void }) {
  const { t } = useTranslation();
  const call = useAppStore((s) => s.call);
  const [asOf, setAsOf] = useState<Dayjs | null>(() => dayjs());
  return (
    <ImportWizard<LoanImportField, LoanImportResult>
      title={t('loans.import.title')}
      fileHint={t('loans.import.chooseFileHint')}
      fields={loanImportFields}
      fieldLabel={(field) => t(`loans.importFields.${field}`)}
      requiredFields={requiredFields}
      keyField="loanNumber"
      keyMissingText={t('loans.import.loanNumberRequired')}
      preview={(file) => call('loans.importPreview', file)}
      run={(file, mapping) => call('loans.importRun', { ...file, mapping, asOf: asOf!.format('YYYY-MM-DD') })}
      ready={asOf !== null}
      options={() => (
        <Space size={8} wrap>
          <Typography.Text strong>{t('loans.import.asOf')}</Typography.Text>
          <DatePicker value={asOf} onChange={setAsOf} format="YYYY-MM-DD" allowClear={false} aria-label={t('loans.import.asOf')} data-testid="import-as-of" />
          <Typography.Text type="secondary">{t('loans.import.asOfHint')}</Typography.Text>
        </Space>
      )}
      resultExtra={(result) => (
        <>
          <Typography.Text data-testid="import-snapshots">{t('loans.import.snapshots', { date: result.asOf, count: result.snapshots })}</Typography.Text>
          {result.unknownEnterprises.length > 0 && (
            <Alert
              type="warning"
              showIcon
              data-testid="import-unknown-enterprises"
              title={t('loans.import.unknownTitle')}
              description={
                <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                  {result.unknownEnterprises.map((borrower) => (
                    <li key={`${borrower.uscc}-${borrower.name}`}>
                      {borrower.name} <Typography.Text className="gl-mono">{borrower.uscc}</Typography.Text>{' '}
                      <Typography.Text type="secondary">{t('loans.import.unknownRows', { rows: borrower.rows.join('、') })}</Typography.Text>
                    </li>
                  ))}
                </ul>
              }
            />
          )}
        </>
      )}
      onClose={onClose}
    />
  );
}
