import { useEffect, useState, type ReactNode } from 'react';
import { Avatar, Button, Layout, Menu, Result, Segmented, Space, Typography } from 'antd';
import { AuditOutlined, BankOutlined, BarChartOutlined, ClusterOutlined, DatabaseOutlined, FileDoneOutlined, FileSearchOutlined, ProfileOutlined, TeamOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import type { ConsoleUser } from '../../../shared/api/console.ts';
import { headOfficeMay } from '../../../shared/domain/headOfficeRoles.ts';
import { consoleCall } from './api.ts';
import { useConsole } from './session.ts';
import { BranchesPage } from './BranchesPage.tsx';
import { UsersPage } from './UsersPage.tsx';
import { AuditPage } from './AuditPage.tsx';
import { StatisticsPage } from './StatisticsPage.tsx';
import { ReferenceListPage, ReferenceSetPage } from './ReferencePage.tsx';
import { EnterprisesPage, RegisterPage } from './RegisterPage.tsx';
import { ApprovalPage, ApprovalsQueuePage } from './ApprovalsPage.tsx';
import { RecordPage } from './RecordPage.tsx';

/** The console's pages (every one is the app's; a register's page and a record's are routed below). */
type AppPage = 'branches' | 'audit' | 'users' | 'statistics' | 'reference' | 'enterprises' | 'approvals';
const appPaths: Record<AppPage, string> = { branches: '/', audit: '/audit', users: '/users', statistics: '/statistics', reference: '/reference', enterprises: '/enterprises', approvals: '/approvals' };
/** A register's menu key and its page in the app (RegisterPage.tsx). */
const registerKey = (table: string) => `register:${table}`;
const registerPath = (table: string) => `/registers/${encodeURIComponent(table)}`;

export function ConsoleShell({ user }: { user: ConsoleUser }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const locale = useConsole((s) => s.locale);
  const setLocale = useConsole((s) => s.setLocale);
  const signOut = useConsole((s) => s.signOut);
  const [registers, setRegisters] = useState<{ table: string; title: string }[]>([]);
  const mayManageUsers = headOfficeMay(user.role, 'users.manage');

  useEffect(() => {
    void consoleCall('registers.list', {}).then((found) => {
      if (found.ok) setRegisters(found.value.registers);
    });
  }, []);

  // A page's own sub-pages (a reference set's) keep its menu item selected.
  const current = (Object.entries(appPaths).find(([, path]) => path === location.pathname || (path !== '/' && location.pathname.startsWith(`${path}/`)))?.[0] ?? '') as AppPage | '';
  const currentRegister = registers.find((register) => registerPath(register.table) === location.pathname);
  const items: { key: string; icon: ReactNode; label: ReactNode; children?: { key: string; label: ReactNode }[] }[] = [
    { key: 'branches', icon: <ClusterOutlined />, label: t('nav.branches') },
    { key: 'enterprises', icon: <BankOutlined />, label: t('nav.enterprises') },
    {
      key: 'registers',
      icon: <DatabaseOutlined />,
      label: t('nav.registers'),
      children: registers.map((register) => ({ key: registerKey(register.table), label: t(`registers.title.${register.table}`, { defaultValue: register.title }) })),
    },
    { key: 'statistics', icon: <BarChartOutlined />, label: t('nav.statistics') },
    { key: 'approvals', icon: <FileDoneOutlined />, label: t('nav.approvals') },
    { key: 'reference', icon: <ProfileOutlined />, label: t('nav.reference') },
    { key: 'audit', icon: <FileSearchOutlined />, label: t('nav.audit') },
    ...(mayManageUsers ? [{ key: 'users', icon: <TeamOutlined />, label: t('nav.users') }] : []),
  ];

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={232} theme="light" style={{ borderRight: '1px solid #f0f0f0' }}>
        <div style={{ padding: '18px 20px 12px' }}>
          <Typography.Title level={4} style={{ margin: 0, color: '#1f7a4d' }}>
            {t('app.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('app.subtitle')}</Typography.Text>
        </div>
        <Menu
          mode="inline"
          selectedKeys={currentRegister !== undefined ? [registerKey(currentRegister.table)] : current === '' ? [] : [current]}
          defaultOpenKeys={location.pathname.startsWith('/registers/') ? ['registers'] : []}
          onClick={({ key }) => {
            if (Object.hasOwn(appPaths, key)) void navigate(appPaths[key as AppPage]);
            if (key.startsWith('register:')) void navigate(registerPath(key.slice('register:'.length)));
          }}
          items={items}
          style={{ borderInlineEnd: 'none' }}
          data-testid="console-nav"
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: '#fff', borderBottom: '1px solid #f0f0f0', display: 'flex', alignItems: 'center', justifyContent: 'space-between', paddingInline: 24 }}>
          <Typography.Text strong>{currentRegister !== undefined ? t('nav.registers') : current === '' ? '' : t(`nav.${current}`)}</Typography.Text>
          <Space size="middle">
            <Segmented
              size="small"
              aria-label={t('shell.language')}
              value={locale}
              onChange={(value) => setLocale(value as typeof locale)}
              options={[
                { value: 'zh-CN', label: '中文' },
                { value: 'en', label: 'English' },
              ]}
              data-testid="locale-switch"
            />
            <Space data-testid="console-user">
              <Avatar size="small" icon={<UserOutlined />} style={{ background: '#1f7a4d' }} />
              <span>{user.displayName}</span>
              <Typography.Text type="secondary">{t(`roles.${user.role}`)}</Typography.Text>
            </Space>
            <Button size="small" data-testid="sign-out" onClick={() => void signOut().then(() => navigate('/login', { replace: true }))}>
              {t('shell.signOut')}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          <Routes>
            <Route path="/" element={<BranchesPage />} />
            <Route path="/audit" element={<AuditPage />} />
            <Route path="/statistics" element={<StatisticsPage />} />
            <Route path="/reference" element={<ReferenceListPage />} />
            <Route path="/reference/:name" element={<ReferenceSetPage />} />
            <Route path="/enterprises" element={<EnterprisesPage />} />
            <Route path="/registers/:table" element={<RegisterPage />} />
            <Route path="/approvals" element={<ApprovalsQueuePage />} />
            <Route path="/approvals/:branchId/:rowId" element={<ApprovalPage />} />
            <Route path="/records/:table/:branchId/:rowId" element={<RecordPage />} />
            {mayManageUsers && <Route path="/users" element={<UsersPage />} />}
            <Route
              path="*"
              element={
                <Result
                  status="404"
                  icon={<AuditOutlined />}
                  title={t('shell.notFound')}
                  extra={
                    <Button type="primary" onClick={() => void navigate('/')}>
                      {t('shell.home')}
                    </Button>
                  }
                />
              }
            />
          </Routes>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
