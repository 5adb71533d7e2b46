// `npm start`: install what is missing, build what is stale, then launch the desktop app; when the
// Electron runtime is not installed (no download possible), start browser mode and print its URL.
// Uses only Node built-ins: it runs before `npm install` on a fresh clone.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const say = (line) => console.log(`[start] ${line}`);
/** The same install as .ci/run: from the lockfile, only errors printed. */
const npmInstallArgs = ['install', '--no-audit', '--no-fund', '--loglevel=error'];

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env }, shell: process.platform === 'win32' });
  if (result.status !== 0) {
    console.error(`[start] failed: ${command} ${args.join(' ')}`);
    process.exit(result.status ?? 1);
  }
}

/**
 * The one npm install a fresh clone needs, quiet: npm's own notes (dependencies' engine ranges for
 * packaging tools, install-script advisories) read like failures to someone starting the app, so
 * only npm's errors are shown, with our own progress lines in Chinese and English. It keeps
 * package-lock.json as committed (tests/start/freshClone.test.ts checks the lockfile needs no rewrite).
 */
async function ensureDependencies() {
  const installed = join(root, 'node_modules/.package-lock.json');
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(join(root, 'package-lock.json')).mtimeMs) return;
  say('首次安装依赖，需要几分钟 / installing dependencies, this takes a few minutes…');
  const started = Date.now();
  const minutes = () => Math.round((Date.now() - started) / 60_000);
  const heartbeat = setInterval(() => say(`仍在安装依赖（${minutes()} 分钟）/ still installing (${minutes()} min)…`), 60_000);
  // Electron's postinstall downloads its runtime; where that is impossible the whole install would fail.
  // `npm install` keeps package-lock.json's versions; see .ci/run for why not `npm ci`.
  const status = await new Promise((resolve) => {
    const child = spawn(npm, npmInstallArgs, {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
      shell: process.platform === 'win32',
    });
    child.on('exit', (code) => resolve(code ?? 1));
    child.on('error', () => resolve(1));
  });
  clearInterval(heartbeat);
  if (status !== 0) {
    console.error('[start] 依赖安装失败（见上方 npm 的错误）/ installing dependencies failed (see npm\'s error above)');
    process.exit(status);
  }
  say(`依赖已安装 / dependencies installed (${Math.max(1, Math.round((Date.now() - started) / 1000))} s)`);
}

function electronBinary() {
  try {
    const pathFile = join(root, 'node_modules/electron/path.txt');
    if (!existsSync(pathFile)) return null;
    const binary = join(root, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

/** Tries the Electron runtime download at most once a day, so an offline machine starts at once. */
function tryElectronDownload() {
  const marker = join(root, 'node_modules/.greenledger-electron-download-tried');
  if (existsSync(marker) && Date.now() - statSync(marker).mtimeMs < 24 * 3600 * 1000) return;
  writeFileSync(marker, new Date().toISOString());
  say('尝试下载 Electron 运行时 / trying to download the Electron runtime…');
  const env = { ...process.env };
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  spawnSync(process.execPath, ['install.js'], { cwd: join(root, 'node_modules/electron'), stdio: 'ignore', env, timeout: 180_000 });
}

await ensureDependencies();
const forceBrowser = process.env.GREENLEDGER_MODE === 'browser';
if (!forceBrowser && electronBinary() === null && process.env.CI !== 'true') tryElectronDownload();
run(process.execPath, [join(root, 'scripts/build.mjs'), '--if-stale']);

const binary = forceBrowser ? null : electronBinary();
const child =
  binary !== null
    ? spawn(binary, [join(root, 'dist/electron/main.cjs')], { cwd: root, stdio: 'inherit' })
    : (() => {
        say(
          forceBrowser
            ? '浏览器模式（GREENLEDGER_MODE=browser）/ browser mode as requested'
            : '未安装 Electron 运行时（无法下载），改用浏览器模式 / Electron runtime not installed (download unavailable): starting browser mode',
        );
        return spawn(process.execPath, [join(root, 'dist/host/web.cjs')], { cwd: root, stdio: 'inherit' });
      })();

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
