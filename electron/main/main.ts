import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  protocol,
  session,
  utilityProcess,
  type IpcMainInvokeEvent,
  type UtilityProcess,
} from 'electron';
import { readFile } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { ipcChannel, maxInputBytes, methodNames } from '../../shared/api/methods.ts';
import { fail, type ErrorCode, type Result } from '../../shared/api/result.ts';
import { parseAttachmentPath } from '../../shared/api/attachmentPath.ts';
import type { InitMessage, WorkerInbound, WorkerOutbound } from '../host/workerProtocol.ts';
import { loadOrCreateDatabaseKey } from './keystore.ts';
import { printToPdf } from './printToPdf.ts';

/**
 * Desktop composition root: one window showing the renderer from app://greenledger, the database and
 * handlers in a utility process (off the UI thread), and one IPC channel per host API method between
 * them. Bundled to dist/electron/main.cjs beside preload.cjs and host-worker.cjs (scripts/build.mjs).
 */

const APP_SCHEME = 'app';
const APP_HOST = 'greenledger';
const APP_URL_PREFIX = `${APP_SCHEME}://${APP_HOST}/`;
const WINDOW_TITLE = '绿色信贷台账 GreenLedger';
const PRELOAD_PATH = join(__dirname, 'preload.cjs');
const WORKER_PATH = join(__dirname, 'host-worker.cjs');
const RENDERER_ROOT = resolve(__dirname, '..', 'renderer');

// The policy of renderer/index.html's meta tag, plus frame-ancestors, which only a header can carry.
// antd injects its CSS-in-JS as <style> elements, hence 'unsafe-inline' for styles only.
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "font-src 'self' data:; connect-src 'self'; frame-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
// An attachment is shown in the app's own frame: it runs nothing (as in browser mode, electron/host/web/server.ts).
const ATTACHMENT_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'";

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

const log = (line: string): void => console.error(line);

// Must happen before 'ready': a standard, secure scheme gets an origin, so 'self' in the CSP and
// fetch() work as they would on https.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

let mainWindow: BrowserWindow | null = null;

/** Shows a blocking error (Chinese, then English) and ends the app; used when it cannot work at all. */
function fatal(chinese: string, english: string, detail?: string): void {
  log(`[main] fatal: ${english}${detail === undefined ? '' : ` — ${detail}`}`);
  dialog.showErrorBox(WINDOW_TITLE, `${chinese}\n\n${english}${detail === undefined ? '' : `\n\n${detail}`}`);
  app.exit(1);
}

function initFailureText(code: ErrorCode, dataDir: string): [string, string] {
  switch (code) {
    case 'DB_KEY_INVALID':
      return [
        `无法打开本地数据库：密钥不正确，或数据文件不是 GreenLedger 数据库。\n数据目录：${dataDir}`,
        `Cannot open the local database: the key is wrong or the file is not a GreenLedger database.\nData folder: ${dataDir}`,
      ];
    case 'DB_FROM_FUTURE':
      return [
        '本地数据库由更新版本的 GreenLedger 创建，请升级本程序后再打开。',
        'The local database was written by a newer GreenLedger. Please update the app.',
      ];
    default:
      return [`无法打开本地数据库。\n数据目录：${dataDir}`, `Cannot open the local database.\nData folder: ${dataDir}`];
  }
}

// ---------------------------------------------------------------------------------------------
// The host worker: a utility process owning the database. Calls are relayed with a correlation id;
// if it dies, waiting calls answer HOST_UNAVAILABLE and it is restarted once.

class HostWorker {
  private child: UtilityProcess | null = null;
  private readonly pending = new Map<number, (result: Result<unknown>) => void>();
  private nextId = 1;
  private restarts = 0;
  private stopping = false;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    private readonly init: InitMessage,
    private readonly onInitFailed: (code: ErrorCode, message: string) => void,
    private readonly onGone: () => void,
  ) {}

  get running(): boolean {
    return this.child !== null;
  }

  start(): void {
    const child = utilityProcess.fork(WORKER_PATH, [], { serviceName: 'GreenLedger Host', stdio: 'inherit' });
    this.child = child;
    this.exited = new Promise((done) => child.once('exit', () => done()));
    child.on('message', (message: WorkerOutbound) => this.onMessage(message));
    child.on('exit', (code) => this.onExit(child, code));
    this.post(this.init);
  }

  call(method: string, input: unknown, sessionId: string): Promise<Result<unknown>> {
    if (this.child === null) return Promise.resolve(fail('HOST_UNAVAILABLE', 'The data service is not running'));
    const id = this.nextId++;
    return new Promise((answer) => {
      this.pending.set(id, answer);
      if (!this.post({ type: 'call', id, method, input, sessionId })) {
        this.pending.delete(id);
        answer(fail('HOST_UNAVAILABLE', 'The data service is not running'));
      }
    });
  }

  /** Asks the worker to close the database and exit; kills it if it has not after a grace period. */
  async stop(graceMs = 3000): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (child === null) return;
    this.post({ type: 'shutdown' });
    const timer = setTimeout(() => child.kill(), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  private post(message: WorkerInbound): boolean {
    try {
      this.child?.postMessage(message);
      return this.child !== null;
    } catch (error) {
      log(`[main] cannot reach the host worker: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  }

  private onMessage(message: WorkerOutbound): void {
    if (typeof message !== 'object' || message === null) return;
    switch (message.type) {
      case 'ready':
        log('[main] host worker ready');
        return;
      case 'init-failed':
        this.stopping = true; // the store cannot open; restarting would fail the same way
        this.onInitFailed(message.error.code, message.error.message);
        return;
      case 'result': {
        const answer = this.pending.get(message.id);
        this.pending.delete(message.id);
        answer?.(message.result);
        return;
      }
      case 'render-pdf':
        this.renderPdf(message.id, message.html);
        return;
    }
  }

  /** Prints a page for the worker (letters/mainPdf.ts) and answers with the same id, PDF or error. */
  private renderPdf(id: number, html: string): void {
    // A restarted worker numbers its prints from 1 again: an answer meant for the old one is dropped.
    const asker = this.child;
    const answer = (message: WorkerInbound) => {
      if (this.child === asker) this.post(message);
    };
    printToPdf(html).then(
      (pdf) => answer({ type: 'pdf-rendered', id, pdfBase64: pdf.toString('base64') }),
      (error: unknown) => {
        const text = error instanceof Error ? error.message : String(error);
        log(`[main] printing a page failed: ${text}`);
        answer({ type: 'pdf-rendered', id, error: text.slice(0, 2000) });
      },
    );
  }

  private onExit(child: UtilityProcess, code: number): void {
    if (child !== this.child) return;
    this.child = null;
    for (const answer of this.pending.values()) answer(fail('HOST_UNAVAILABLE', 'The data service stopped; please retry'));
    this.pending.clear();
    if (this.stopping) return;
    if (this.restarts < 1) {
      this.restarts += 1;
      log(`[main] host worker exited (code ${code}); restarting it once`);
      this.start();
      return;
    }
    log(`[main] host worker exited again (code ${code}); not restarting`);
    this.onGone();
  }
}

// ---------------------------------------------------------------------------------------------
// app:// — the built renderer, read from dist/renderer only.

function respond(status: number, body: string): Response {
  return new Response(body, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Security-Policy': CONTENT_SECURITY_POLICY },
  });
}

/**
 * app://greenledger/files/<ticket>/<file name>: an attachment by the ticket attachments.link gave,
 * at an address that ends in its name, so the PDF viewer's title is the file's name.
 */
async function serveAttachment(worker: HostWorker, path: { ticket: string; fileName: string }): Promise<Response> {
  const result = await worker.call('attachments.open', { ticket: path.ticket }, 'app-protocol');
  if (!result.ok) return respond(404, 'Not found');
  const content = result.value as { fileName: string; mime: string; contentBase64: string };
  if (content.fileName !== path.fileName) return respond(404, 'Not found');
  return new Response(new Uint8Array(Buffer.from(content.contentBase64, 'base64')), {
    status: 200,
    headers: {
      'Content-Type': content.mime,
      'Content-Disposition': `inline; filename*=UTF-8''${encodeURIComponent(content.fileName)}`,
      'Content-Security-Policy': ATTACHMENT_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    },
  });
}

async function serveApp(worker: HostWorker, request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.host !== APP_HOST) return respond(404, 'Not found');
  if (request.method !== 'GET' && request.method !== 'HEAD') return respond(405, 'Method not allowed');
  const attachment = parseAttachmentPath(url.pathname);
  if (attachment !== null) return serveAttachment(worker, attachment);
  return serveRenderer(url, request);
}

async function serveRenderer(url: URL, request: Request): Promise<Response> {
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return respond(400, 'Bad request');
  }
  if (pathname.includes('\0')) return respond(400, 'Bad request');
  if (pathname === '/') pathname = '/index.html';
  // Path-traversal guard: the resolved file must stay under the renderer root (also for '..' hidden
  // in %2e%2e or, on Windows, behind backslashes). Unknown paths are 404: the renderer uses HashRouter.
  const file = resolve(RENDERER_ROOT, `.${pathname}`);
  if (!file.startsWith(RENDERER_ROOT + sep)) return respond(404, 'Not found');
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    return respond(404, 'Not found');
  }
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
    status: 200,
    headers: {
      'Content-Type': MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-cache',
    },
  });
}

// ---------------------------------------------------------------------------------------------
// IPC: one channel per method; only our own page may call, and inputs are bounded.

/** The calling frame's URL, or null when the frame is gone (navigated away or disposed mid-call). */
function senderUrl(event: IpcMainInvokeEvent): string | null {
  try {
    return event.senderFrame?.url ?? null;
  } catch {
    return null;
  }
}

function registerIpc(worker: HostWorker): void {
  for (const method of methodNames) {
    ipcMain.handle(ipcChannel(method), async (event, input: unknown): Promise<Result<unknown>> => {
      // Only a frame showing app://greenledger/ may call the host, never a page navigated elsewhere.
      const url = senderUrl(event);
      if (url === null || !url.startsWith(APP_URL_PREFIX)) {
        log(`[ipc] refused ${method} from ${url === null ? 'a frame that is gone' : url.slice(0, 200)}`);
        return fail('FORBIDDEN', 'Calls are accepted from the GreenLedger window only');
      }
      // Relay JSON, as the HTTP host receives: both transports then see the same values and limits.
      let json: string;
      try {
        json = JSON.stringify(input ?? {});
      } catch {
        return fail('VALIDATION', `Input for ${method} is not JSON`);
      }
      const limit = maxInputBytes(method);
      if (Buffer.byteLength(json, 'utf8') > limit) {
        return fail('PAYLOAD_TOO_LARGE', `Input over ${limit} bytes`, { limit });
      }
      return worker.call(method, JSON.parse(json) as unknown, `wc:${event.sender.id}`);
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Window and web-contents hardening.

function hardenWebContents(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event) => {
      if (!event.url.startsWith(APP_URL_PREFIX)) {
        log(`[main] blocked navigation to ${event.url.slice(0, 200)}`);
        event.preventDefault();
      }
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    title: WINDOW_TITLE,
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 680,
    show: false,
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: PRELOAD_PATH,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  win.loadURL(`${APP_URL_PREFIX}index.html`).catch((error: unknown) => {
    log(`[main] cannot load the renderer: ${error instanceof Error ? error.message : String(error)}`);
  });
  return win;
}

async function start(): Promise<void> {
  hardenWebContents();

  const dataDir = process.env.GREENLEDGER_DATA_DIR || app.getPath('userData');
  let keyHex: string;
  try {
    keyHex = loadOrCreateDatabaseKey(dataDir, log);
  } catch (error) {
    fatal('无法读取数据库密钥。', 'Cannot load the database key.', error instanceof Error ? error.message : String(error));
    return;
  }

  const worker = new HostWorker(
    { type: 'init', dataDir, keyHex, appVersion: app.getVersion() },
    (code, message) => {
      const [chinese, english] = initFailureText(code, dataDir);
      fatal(chinese, english, `${code}: ${message}`);
    },
    () => fatal('数据服务意外停止，程序将退出。', 'The data service stopped unexpectedly; the app will close.'),
  );
  registerIpc(worker);
  protocol.handle(APP_SCHEME, (request) => serveApp(worker, request));
  worker.start();

  // Close the database cleanly before the process ends.
  app.on('will-quit', (event) => {
    if (!worker.running) return;
    event.preventDefault();
    void worker.stop().finally(() => app.quit());
  });
  app.on('window-all-closed', () => app.quit());

  mainWindow = createWindow();
}

if (!app.requestSingleInstanceLock()) {
  // Another GreenLedger owns the data folder; it focuses its window (below) and this one leaves.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow === null) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  });
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      fatal('程序无法启动。', 'GreenLedger cannot start.', error instanceof Error ? (error.stack ?? error.message) : String(error));
    });
}
