import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../global.css';
import { initI18n } from '../i18n/index.ts';
import { consoleResources } from '../i18n/console/index.ts';
import { ConsoleApp } from './ConsoleApp.tsx';
import { storedLocale } from './session.ts';

void initI18n(storedLocale(), consoleResources).then(() => {
  const root = document.getElementById('root');
  if (root === null) throw new Error('console/index.html has no #root');
  createRoot(root).render(
    <StrictMode>
      <ConsoleApp />
    </StrictMode>,
  );
});
