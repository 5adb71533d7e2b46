import { Result, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PlaceholderSection } from '../shell/sections.ts';

/** A section whose issue has not been built: says so plainly and shows no invented data. */
export function Placeholder({ section }: { section: PlaceholderSection }) {
  const { t } = useTranslation();
  return (
    <Result
      status="info"
      title={`${t(`nav.${section}`)} · ${t('placeholder.title')}`}
      subTitle={t('placeholder.body', { what: t(`sections.${section}`) })}
      extra={<Typography.Text type="secondary">{t('placeholder.note')}</Typography.Text>}
      data-testid={`placeholder-${section}`}
    />
  );
}
