import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveDataDir } from '../dataDir.ts';
import { loadOrCreateKeyFile } from '../keyfile.ts';
import { startWebHost } from './server.ts';
import { createHostRuntime } from '../runtime.ts';

/**
 * Browser-mode launcher: `npm start` runs this when the Electron runtime is missing, and the
 * end-to-end tests run it with a fresh GREENLEDGER_DATA_DIR per test.
 */
const here = dirname(fileURLToPath(import.meta.url));
const projectRoot = [resolve(here, '../..'), resolve(here, '../../..')].find((dir) => existsSync(join(dir, 'package.json')));

function appVersion(): string {
  if (projectRoot === undefined) return '0.0.0';
  return (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

async function main(): Promise<void> {
  const dataDir = resolveDataDir();
  const port = process.env.GREENLEDGER_PORT === undefined ? 0 : Number(process.env.GREENLEDGER_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`GREENLEDGER_PORT must be a port number, got "${process.env.GREENLEDGER_PORT}"`);
  }
  const log = (line: string) => console.error(line);
  const runtime = createHostRuntime({ dataDir, keyHex: loadOrCreateKeyFile(dataDir), mode: 'browser', appVersion: appVersion(), log });
  const { dispatch } = runtime;
  const rendererDir = projectRoot === undefined ? undefined : join(projectRoot, 'dist', 'renderer');
  if (rendererDir === undefined || !existsSync(join(rendererDir, 'index.html'))) {
    log('[web] renderer is not built (run npm run build); serving the API only');
  }
  const host = await startWebHost({ dispatch, rendererDir, port, log });
  console.log(`GreenLedger 数据目录 / data directory: ${dataDir}`);
  console.log(`GreenLedger 浏览器模式已启动，请在浏览器中打开 / open in a browser: ${host.launchUrl}`);
  const shutdown = () => {
    void host.close().finally(() => {
      runtime.stop();
      process.exit(0);
    });
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(`GreenLedger 无法启动 / cannot start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
