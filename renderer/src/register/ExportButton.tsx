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
 * (已导出 3 家企业 / 3 笔借据). With `href` instead (the head-office console, whose hub writes the
 * file as a GET the session cookie opens), the button is a plain download link the browser saves.
 */
export function ExportButton(
  props: ({ run: () => Promise<Result<ExportFile>>; doneText: (rows: number) => string; href?: undefined } | { href: string; run?: undefined; doneText?: undefined }) & { disabled: boolean; testId: string; label?: string },
) {
  const { disabled, testId } = props;
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [exporting, setExporting] = useState(false);
  const label = props.label ?? t('register.export');
  if (props.href !== undefined) {
    return (
      <Button icon={<DownloadOutlined />} disabled={disabled} href={disabled ? undefined : props.href} download data-testid={testId}>
        {label}
      </Button>
    );
  }
  const { run, doneText } = props;
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
      {label}
    </Button>
  );
}
