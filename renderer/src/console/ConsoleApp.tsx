import { useEffect } from 'react';
import { Spin } from 'antd';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { UiKit } from '../theme/UiKit.tsx';
import { homeOf, useConsole } from './session.ts';
import { SignInPage } from './SignInPage.tsx';
import { ConsoleShell } from './ConsoleShell.tsx';

/** The head-office console: its sign-in, or the shell with its pages, under /console (the hub's base). */
export function ConsoleApp() {
  const { t } = useTranslation();
  const locale = useConsole((s) => s.locale);
  const user = useConsole((s) => s.user);
  const load = useConsole((s) => s.load);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <UiKit locale={locale}>
      {user === undefined ? (
        <Spin size="large" tip={t('app.loading')} fullscreen />
      ) : (
        <BrowserRouter basename="/console">
          <Routes>
            <Route path="/login" element={user === null ? <SignInPage /> : <Navigate to={homeOf(user)} replace />} />
            <Route path="*" element={user === null ? <Navigate to="/login" replace /> : <ConsoleShell user={user} />} />
          </Routes>
        </BrowserRouter>
      )}
    </UiKit>
  );
}
