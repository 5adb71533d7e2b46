import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ConsoleError } from './api.ts';
import { describeConsoleError } from './errors.ts';

/** A page's data could not be had: the reason in words and a retry. */
export function LoadError({ error, retry }: { error: ConsoleError; retry: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert
      type="error"
      showIcon
      message={describeConsoleError(error)}
      action={
        <Button size="small" onClick={retry}>
          {t('errors.retry')}
        </Button>
      }
      style={{ marginBottom: 16 }}
    />
  );
}
