import { Card, Layout, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** The centred card used by first-run setup and sign-in. */
export function AuthLayout({ title, children, width = 420 }: { title: ReactNode; children: ReactNode; width?: number }) {
  const { t } = useTranslation();
  return (
    <Layout style={{ minHeight: '100vh', alignItems: 'center', justifyContent: 'center', background: '#f3f6f4' }}>
      <div style={{ textAlign: 'center', marginBottom: 20 }}>
        <Typography.Title level={2} style={{ color: '#1f7a4d', marginBottom: 0 }}>
          {t('app.title')}
        </Typography.Title>
        <Typography.Text type="secondary">{t('app.subtitle')}</Typography.Text>
      </div>
      <Card title={title} style={{ width }}>
        {children}
      </Card>
    </Layout>
  );
}
