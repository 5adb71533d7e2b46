import { useState } from 'react';
import { App as AntApp, Button } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Result } from '../../../shared/api/index.ts';
import { describeError } from '../i18n/index.ts';
import { saveDownload } from '../download.ts';
import { XLSX_MIME } from '../uploads.ts';

export interface ExportFile {
  fileName: string;
  contentBase64: string;
  rows: number;
}

/**
 * 「导出」 for a register's toolbar: runs the register's export method over the list's current filter
 * and sort (the host writes the .xlsx) and hands the file to the user. `doneText` words the count
 * (已导出 3 家企业 / 3 笔借据).
 */
export function ExportButton({ run, doneText, disabled, testId }: { run: () => Promise<Result<ExportFile>>; doneText: (rows: number) => string; disabled: boolean; testId: string }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [exporting, setExporting] = useState(false);
  const exportXlsx = async () => {
    setExporting(true);
    try {
      const result = await run();
      if (!result.ok) return void message.error(describeError(result.error));
      saveDownload(result.value.fileName, result.value.contentBase64, XLSX_MIME);
      void message.success(doneText(result.value.rows));
    } finally {
      setExporting(false);
    }
  };
  return (
    <Button icon={<DownloadOutlined />} loading={exporting} disabled={disabled} onClick={() => void exportXlsx()} data-testid={testId}>
      {t('register.export')}
    </Button>
  );
}
