import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { rendererBuild } from './viteBuild.ts';

// The head-office console (issue 18): a second entry of the same renderer sources, served by the hub
// under /console/ (server/consoleApp.ts), so its asset URLs are absolute from that base.
export default defineConfig({
  root: fileURLToPath(new URL('./console', import.meta.url)),
  base: '/console/',
  publicDir: fileURLToPath(new URL('./public', import.meta.url)),
  plugins: [react()],
  build: rendererBuild(fileURLToPath(new URL('../dist/console', import.meta.url))),
});
