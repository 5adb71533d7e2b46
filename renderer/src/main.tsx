import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './global.css';
import { App } from './App.tsx';
import { connectHost } from './host.ts';
import { initI18n } from './i18n/index.ts';

// Chinese first: the real locale arrives with the stored settings a moment later.
void initI18n('zh-CN').then(() => {
  const root = document.getElementById('root');
  if (root === null) throw new Error('index.html has no #root');
  createRoot(root).render(
    <StrictMode>
      <App connection={connectHost()} />
    </StrictMode>,
  );
});
