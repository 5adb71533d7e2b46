import { useEffect } from 'react';
import { App as AntApp, ConfigProvider, Result, Spin } from 'antd';
import zhCNLocale from 'antd/locale/zh_CN';
import enUSLocale from 'antd/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { HashRouter } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { HostConnection } from './host.ts';
import { useAppStore } from './stores/app.ts';
import { AppShell } from './shell/AppShell.tsx';
import { SetupPage } from './auth/SetupPage.tsx';
import { LoginPage } from './auth/LoginPage.tsx';
import { describeError } from './i18n/index.ts';

const theme = {
  token: { colorPrimary: '#1f7a4d', borderRadius: 6 },
  components: { Menu: { itemSelectedBg: '#e3f1e8', itemSelectedColor: '#1f7a4d' } },
};

export function App({ connection }: { connection: HostConnection }) {
  const { t } = useTranslation();
  const locale = useAppStore((s) => s.settings?.locale ?? 'zh-CN');
  const info = useAppStore((s) => s.info);
  const startupError = useAppStore((s) => s.startupError);
  const initialized = useAppStore((s) => s.initialized);
  const signedIn = useAppStore((s) => s.session?.user != null);
  const connect = useAppStore((s) => s.connect);

  useEffect(() => {
    if (connection.kind !== 'missing-token') void connect(connection.api);
  }, [connection, connect]);

  useEffect(() => {
    dayjs.locale(locale === 'zh-CN' ? 'zh-cn' : 'en');
    document.documentElement.lang = locale;
  }, [locale]);

  let body;
  if (connection.kind === 'missing-token') {
    body = <Result status="warning" title={t('errors.missingToken')} subTitle={t('errors.missingTokenHelp')} />;
  } else if (startupError !== null) {
    body = <Result status="error" title={t('errors.title')} subTitle={describeError(startupError)} />;
  } else if (info === null) {
    body = <Spin size="large" tip={t('app.loading')} fullscreen />;
  } else if (!initialized) {
    body = <SetupPage />;
  } else if (!signedIn) {
    body = <LoginPage />;
  } else {
    body = (
      <HashRouter>
        <AppShell />
      </HashRouter>
    );
  }

  return (
    <ConfigProvider locale={locale === 'zh-CN' ? zhCNLocale : enUSLocale} theme={theme}>
      <AntApp>{body}</AntApp>
    </ConfigProvider>
  );
}
