// Builds everything the app runs from: the renderer (Vite) and the Node/Electron bundles (esbuild).
// `--if-stale` skips the slow renderer build when dist/renderer is newer than its sources; `--console`
// builds only head office's console (dist/console), which `npm run headoffice` needs before the hub starts.
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ifStale = process.argv.includes('--if-stale');
const consoleOnly = process.argv.includes('--console');

function newestMtime(dir) {
  if (!existsSync(dir)) return 0;
  let newest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * The two Vite entries of renderer/: the laptop's window (dist/renderer) and head office's console
 * (dist/console, served by the hub at /console). Each is rebuilt when stale on its own.
 */
const viteApps = [
  { config: 'renderer/vite.config.ts', index: 'dist/renderer/index.html' },
  { config: 'renderer/vite.console.config.ts', index: 'dist/console/index.html' },
];

async function buildRenderer() {
  const sourcesChanged = Math.max(newestMtime(join(root, 'renderer')), newestMtime(join(root, 'shared')), statSync(join(root, 'package-lock.json')).mtimeMs);
  let built = false;
  for (const app of consoleOnly ? viteApps.filter((entry) => entry.index.startsWith('dist/console/')) : viteApps) {
    const index = join(root, app.index);
    if (ifStale && existsSync(index) && statSync(index).mtimeMs > sourcesChanged) continue;
    const { build } = await import('vite');
    await build({ configFile: join(root, app.config), logLevel: 'warn' });
    built = true;
  }
  return built;
}

// CommonJS bundles keep __dirname; import.meta.url (used to find db/migrations) is defined from it.
const nodeBundle = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
};

async function buildBundles() {
  const migrations = join(root, 'db/migrations');
  const copyMigrations = (outDir) => {
    // Emptied first: a migration renamed or removed in the source must not linger in the bundle,
    // where the host would refuse the gap or run it.
    rmSync(join(outDir, 'migrations'), { recursive: true, force: true });
    mkdirSync(join(outDir, 'migrations'), { recursive: true });
    for (const file of readdirSync(migrations).filter((f) => f.endsWith('.sql'))) {
      cpSync(join(migrations, file), join(outDir, 'migrations', file));
    }
  };
  // The enterprise import's check thread (issue 20) is its own file beside each host bundle, which
  // finds it there (electron/host/enterprises/checkThread.ts).
  const checkWorker = 'electron/host/enterprises/checkWorker.ts';
  await esbuild({ ...nodeBundle, entryPoints: { web: 'electron/host/web/main.ts', 'import-check-worker': checkWorker }, outdir: join(root, 'dist/host'), absWorkingDir: root });
  copyMigrations(join(root, 'dist/host'));
  const desktop = [
    ['main', 'electron/main/main.ts'],
    ['preload', 'electron/preload/preload.ts'],
    ['host-worker', 'electron/host/worker.ts'],
    ['import-check-worker', checkWorker],
  ].filter(([, entry]) => existsSync(join(root, entry)));
  for (const [name, entry] of desktop) {
    // The sandboxed preload may require only 'electron': bundle everything else into it.
    const options = name === 'preload' ? { ...nodeBundle, packages: undefined, external: ['electron'], banner: undefined, define: undefined } : { ...nodeBundle, external: ['electron'] };
    await esbuild({ ...options, entryPoints: { [name]: entry }, outdir: join(root, 'dist/electron'), absWorkingDir: root });
  }
  copyMigrations(join(root, 'dist/electron'));
}

const started = Date.now();
const rebuilt = await buildRenderer();
const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
if (consoleOnly) {
  if (rebuilt) console.log(`[build] console built in ${seconds()} s`);
} else {
  await buildBundles();
  console.log(`[build] ${rebuilt ? 'renderer and ' : ''}bundles built in ${seconds()} s`);
}
