import { useEffect } from 'react';
import { Result, Spin } from 'antd';
import { HashRouter } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { HostConnection } from './host.ts';
import { useAppStore } from './stores/app.ts';
import { AppShell } from './shell/AppShell.tsx';
import { SetupPage } from './auth/SetupPage.tsx';
import { LoginPage } from './auth/LoginPage.tsx';
import { describeError } from './i18n/index.ts';
import { UiKit } from './theme/UiKit.tsx';

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
<UiKit locale={locale}>{body}</UiKit>
  );
}
