// @ts-check
import tseslint from 'typescript-eslint';

/**
 * The import arrows of ARCHITECTURE.md, made true by lint (after Signal's file-suffix rule and
 * VS Code's code-layering): renderer → shared; electron/host → db → shared; electron/main → electron/host;
 * server → shared. Only electron/main and electron/preload may import 'electron'.
 */
const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'http', 'https', 'net', 'url', 'zlib', 'stream', 'worker_threads'];

const forbid = (groups, message) => groups.map((group) => ({ group: [group], message }));
const electronPkg = { name: 'electron', message: "Only electron/main and electron/preload may import 'electron'." };

const layer = (files, patterns, paths = [electronPkg]) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { paths, patterns }] },
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'release/**', 'bench/results/**', 'test-results/**', 'playwright-report/**', '.tmp/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [electronPkg] }],
    },
  },
  layer(['shared/**'], [
    ...forbid(['**/db/**', '**/electron/**', '**/renderer/**', '**/server/**', '../../*', '../../../*'], 'shared/ is isomorphic and imports nothing outside shared/.'),
    ...forbid(nodeBuiltins, 'shared/ must run in the browser too: no Node built-ins.'),
    ...forbid(['react', 'react-dom', 'antd', 'better-sqlite3*', 'fastify'], 'shared/ holds contracts and pure rules only.'),
  ]),
  // shared/node/: the Node-only pieces the laptop host and the hub both run (scrypt, the audit chain's
  // sha256); Node built-ins allowed, still nothing from outside shared/, and the renderer never imports it.
  layer(['shared/node/**'], [
    ...forbid(['**/db/**', '**/electron/**', '**/renderer/**', '**/server/**', '../../*', '../../../*'], 'shared/ imports nothing outside shared/.'),
    ...forbid(['react', 'react-dom', 'antd', 'better-sqlite3*', 'fastify'], 'shared/node/ holds Node-only shared rules only.'),
  ]),
  layer(['renderer/src/**'], [
    ...forbid(['**/db/**', '**/db', '**/electron/**', '**/server/**', '**/shared/node/**'], 'The renderer talks to the host API only (shared/api), never to db/, electron/ or server/.'),
    ...forbid(nodeBuiltins, 'The renderer runs sandboxed in a browser: no Node built-ins.'),
    ...forbid(['better-sqlite3*', 'fastify*', 'pg'], 'The renderer never touches storage directly.'),
  ]),
  layer(['db/**'], forbid(['**/electron/**', '**/renderer/**', '**/server/**'], 'db/ depends on shared/ only.')),
  layer(['electron/host/**'], forbid(['**/renderer/**', '**/server/**', '**/electron/main/**', '../main/*', '../preload/*'], 'The host implements shared/api over db/; it knows no window and no hub internals.')),
  layer(['server/**'], forbid(['**/db/**', '**/electron/**', '**/renderer/**'], 'The hub depends on shared/ only (its storage is PostgreSQL).')),
  // The fuzz and kill harness drives the host, the hub and the store at their boundaries (their
  // processes, HTTP, the store's functions); the UI and the Electron shell are not among them.
  layer(['fuzz/**'], forbid(['**/renderer/**', '**/electron/main/**', '**/electron/preload/**'], 'The fuzz harness reaches the product through its boundaries: host, hub, store.')),
  {
    files: ['electron/main/**', 'electron/preload/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: forbid(['**/renderer/**', '**/server/**', '**/db/**'], 'The desktop shell reaches data only through electron/host.') }],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
