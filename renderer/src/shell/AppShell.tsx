import { useState, type ReactNode } from 'react';
import { Avatar, Dropdown, Layout, Menu, Space, Tag, Typography } from 'antd';
import {
  AccountBookOutlined,
  AuditOutlined,
  BankOutlined,
  BarChartOutlined,
  DashboardOutlined,
  FileProtectOutlined,
  FileSearchOutlined,
  FireOutlined,
  HomeOutlined,
  SafetyCertificateOutlined,
  SettingOutlined,
  SyncOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { can } from '../../../shared/domain/roles.ts';
import { useAppStore, useUser } from '../stores/app.ts';
import { sectionKeys, sectionPermission, type SectionKey } from './sections.ts';
import { Settings } from '../sections/Settings.tsx';
import { Users } from '../admin/Users.tsx';
import { Audit } from '../admin/Audit.tsx';
import { EnterpriseList } from '../enterprises/EnterpriseList.tsx';
import { SyncPage } from '../sync/SyncPage.tsx';
import { SyncIndicator } from '../sync/SyncIndicator.tsx';
import { EnterpriseDetailPage } from '../enterprises/EnterpriseDetail.tsx';
import { ApplicationList } from '../credit/ApplicationList.tsx';
import { ApplicationDetailPage } from '../credit/ApplicationDetail.tsx';
import { LoanList } from '../loans/LoanList.tsx';
import { LoanDetailPage } from '../loans/LoanDetail.tsx';
import { GreenCreditPage } from '../green/GreenCreditPage.tsx';
import { ReportsPage } from '../stats/ReportsPage.tsx';
import { FactoryProjectList } from '../green/factory/FactoryProjectList.tsx';
import { ProjectDetailPage as FactoryProjectPage } from '../green/factory/ProjectDetail.tsx';
import { CaseList } from '../rectification/CaseList.tsx';
import { CaseDetailPage } from '../rectification/CaseDetail.tsx';
import { MonitoringSchedulePage } from '../rectification/MonitoringSchedule.tsx';
import { CaseCalendarPage } from '../rectification/CaseCalendar.tsx';
import { CollateralList, CollateralReviewQueue } from '../collateral/CollateralList.tsx';
import { CollateralDetailPage } from '../collateral/CollateralDetail.tsx';
import { ChangePasswordModal } from '../auth/ChangePasswordModal.tsx';
import { LockOverlay } from '../auth/LockOverlay.tsx';
import { useIdleLock } from '../auth/useIdleLock.ts';
import { Workbench } from '../workbench/Workbench.tsx';
import { Dashboard } from '../dashboard/Dashboard.tsx';
import { GreenLoanList } from '../dashboard/GreenLoanList.tsx';

const icons: Record<SectionKey, ReactNode> = {
  workbench: <HomeOutlined />,
  dashboard: <DashboardOutlined />,
  enterprises: <BankOutlined />,
  credit: <AccountBookOutlined />,
  collateral: <SafetyCertificateOutlined />,
  loans: <FileProtectOutlined />,
  green: <FireOutlined />,
  rectification: <AuditOutlined />,
  reports: <BarChartOutlined />,
  sync: <SyncOutlined />,
  users: <TeamOutlined />,
  audit: <FileSearchOutlined />,
  settings: <SettingOutlined />,
};

/** Every section has its page: a record over SectionKey, so a new section cannot be added without one. */
const sectionPages: Record<SectionKey, () => ReactNode> = {
  workbench: () => <Workbench />,
  dashboard: () => <Dashboard />,
  enterprises: () => <EnterpriseList />,
  credit: () => <ApplicationList />,
  loans: () => <LoanList />,
  green: () => <GreenCreditPage />,
  collateral: () => <CollateralList />,
  rectification: () => <CaseList />,
  reports: () => <ReportsPage />,
  sync: () => <SyncPage />,
  users: () => <Users />,
  audit: () => <Audit />,
  settings: () => <Settings />,
};

export function AppShell() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const info = useAppStore((s) => s.info);
  const branch = useAppStore((s) => s.session?.branch);
  const call = useAppStore((s) => s.call);
  const setSession = useAppStore((s) => s.setSession);
  const user = useUser();
  const [changingPassword, setChangingPassword] = useState(false);
  useIdleLock();

  if (user === null) return null;
  // Until the initial password is changed the host refuses everything else, so only that screen is drawn.
  if (user.mustChangePassword) {
    return (
      <>
        <ChangePasswordModal open forced onClose={() => setChangingPassword(false)} />
        <LockOverlay />
      </>
    );
  }
  const visible = sectionKeys.filter((key) => {
    const permission = sectionPermission[key];
    return permission === undefined || can(user.role, permission);
  });
  const current = (location.pathname.split('/')[1] ?? '') as SectionKey;

  const logout = async () => {
    const result = await call('session.logout', {});
    if (result.ok) setSession(result.value);
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {/* Wide enough for the longest English label (Enterprise files) beside its icon. */}
      <Layout.Sider width={232} theme="light" style={{ borderRight: '1px solid #f0f0f0' }}>
        <div style={{ padding: '18px 20px 12px' }}>
          <Typography.Title level={4} style={{ margin: 0, color: '#1f7a4d' }}>
            {t('app.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{branch?.name ?? t('app.subtitle')}</Typography.Text>
        </div>
        <Menu
          mode="inline"
          selectedKeys={[current]}
          onClick={({ key }) => void navigate(`/${key}`)}
          items={visible.map((key) => ({ key, icon: icons[key], label: t(`nav.${key}`) }))}
          style={{ borderInlineEnd: 'none' }}
          data-testid="main-nav"
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: '#fff', borderBottom: '1px solid #f0f0f0', display: 'flex', alignItems: 'center', justifyContent: 'space-between', paddingInline: 24 }}>
          <Typography.Text strong>{visible.includes(current) ? t(`nav.${current}`) : ''}</Typography.Text>
          <Space size="middle">
            {can(user.role, 'sync.run') && <SyncIndicator />}
            {info !== null && <Tag color={info.mode === 'desktop' ? 'blue' : 'gold'}>{info.mode === 'desktop' ? t('app.modeDesktop') : t('app.modeBrowser')}</Tag>}
            <Dropdown
              menu={{
                items: [
                  { key: 'password', label: t('account.changePassword'), onClick: () => setChangingPassword(true) },
                  { key: 'logout', label: t('account.logout'), onClick: () => void logout() },
                ],
              }}
            >
              <Space style={{ cursor: 'pointer' }} data-testid="user-menu">
                <Avatar size="small" icon={<UserOutlined />} style={{ background: '#1f7a4d' }} />
                <span>{user.displayName}</span>
                <Typography.Text type="secondary">{t(`roles.${user.role}`)}</Typography.Text>
              </Space>
            </Dropdown>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          <Routes>
            {/* The 工作台 is the first screen after sign-in (issue 17): what this person must do today. */}
            <Route path="/" element={<Navigate to="/workbench" replace />} />
            {visible.map((key) => (
              <Route key={key} path={`/${key}`} element={sectionPages[key]()} />
            ))}
            {visible.includes('dashboard') && <Route path="/dashboard/loans" element={<GreenLoanList />} />}
            {visible.includes('enterprises') && <Route path="/enterprises/:id" element={<EnterpriseDetailPage />} />}
            {visible.includes('credit') && <Route path="/credit/:id" element={<ApplicationDetailPage />} />}
            {visible.includes('loans') && <Route path="/loans/:id" element={<LoanDetailPage />} />}
            {visible.includes('rectification') && <Route path="/monitoring" element={<MonitoringSchedulePage />} />}
            {visible.includes('rectification') && <Route path="/rectification/calendar" element={<CaseCalendarPage />} />}
            {visible.includes('rectification') && <Route path="/rectification/:id" element={<CaseDetailPage />} />}
            {visible.includes('collateral') && <Route path="/collateral/review" element={<CollateralReviewQueue />} />}
            {visible.includes('collateral') && <Route path="/collateral/:id" element={<CollateralDetailPage />} />}
            {visible.includes('green') && <Route path="/green/factory" element={<FactoryProjectList />} />}
            {visible.includes('green') && <Route path="/green/factory/:id" element={<FactoryProjectPage />} />}
            <Route path="*" element={<Navigate to="/workbench" replace />} />
          </Routes>
        </Layout.Content>
      </Layout>
      <ChangePasswordModal open={changingPassword} forced={false} onClose={() => setChangingPassword(false)} />
      <LockOverlay />
    </Layout>
  );
}

