import { Layout, Menu, Tag, Typography } from 'antd';
import {
  AuditOutlined,
  BankOutlined,
  BarChartOutlined,
  FileProtectOutlined,
  SafetyCertificateOutlined,
  SettingOutlined,
  SyncOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { useAppStore } from '../stores/app.ts';
import { sectionKeys, type SectionKey } from './sections.ts';
import { Placeholder } from '../sections/Placeholder.tsx';
import { Settings } from '../sections/Settings.tsx';

const icons: Record<SectionKey, ReactNode> = {
  enterprises: <BankOutlined />,
  collateral: <SafetyCertificateOutlined />,
  loans: <FileProtectOutlined />,
  rectification: <AuditOutlined />,
  reports: <BarChartOutlined />,
  sync: <SyncOutlined />,
  settings: <SettingOutlined />,
};

export function AppShell() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const info = useAppStore((s) => s.info);
  const current = location.pathname.split('/')[1] ?? 'enterprises';

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={208} theme="light" style={{ borderRight: '1px solid #f0f0f0' }}>
        <div style={{ padding: '18px 20px 12px' }}>
          <Typography.Title level={4} style={{ margin: 0, color: '#1f7a4d' }}>
            {t('app.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('app.subtitle')}</Typography.Text>
        </div>
        <Menu
          mode="inline"
          selectedKeys={[current]}
          onClick={({ key }) => void navigate(`/${key}`)}
          items={sectionKeys.map((key) => ({ key, icon: icons[key], label: t(`nav.${key}`) }))}
          style={{ borderInlineEnd: 'none' }}
          data-testid="main-nav"
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{ background: '#fff', borderBottom: '1px solid #f0f0f0', display: 'flex', alignItems: 'center', justifyContent: 'space-between', paddingInline: 24 }}
        >
          <Typography.Text strong>{t(`nav.${current as SectionKey}`, { defaultValue: '' })}</Typography.Text>
          {info !== null && <Tag color={info.mode === 'desktop' ? 'blue' : 'gold'}>{info.mode === 'desktop' ? t('app.modeDesktop') : t('app.modeBrowser')}</Tag>}
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          <Routes>
            <Route path="/" element={<Navigate to="/enterprises" replace />} />
            {sectionKeys.map((key) => (
              <Route key={key} path={`/${key}`} element={key === 'settings' ? <Settings /> : <Placeholder section={key} />} />
            ))}
            <Route path="*" element={<Navigate to="/enterprises" replace />} />
          </Routes>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
