import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { rendererBuild } from './viteBuild.ts';

// Relative base: the same build is served from app://greenledger/ in Electron and http://127.0.0.1 in browser mode.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react()],
  build: rendererBuild(fileURLToPath(new URL('../dist/renderer', import.meta.url))),
});
