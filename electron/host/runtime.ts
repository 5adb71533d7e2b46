import { closeStore, openStore } from './store.ts';
import { publishMissingPeople } from '../../db/identity.ts';
import { createDispatch, type Dispatch } from './dispatch.ts';
import { handlers } from './handlers/index.ts';
import { SessionStore } from './auth/sessions.ts';
import { SyncService } from './sync/service.ts';
import { startDailyBackups } from './backups.ts';
import type { HostContext, Handlers } from './context.ts';
import { chromiumPdfRenderer, type PdfRenderer } from './letters/pdf.ts';

export interface RuntimeOptions {
  dataDir: string;
  keyHex: string;
  mode: HostContext['mode'];
  appVersion: string;
  log: (line: string) => void;
  /** Background work (sync schedule, daily backups); tests turn it off to drive it by hand. */
  background?: boolean;
  handlers?: Handlers;
  /** HTML → PDF; the desktop worker passes Electron's (printToPDF in electron/main). Default: the system's Chromium through playwright-core. */
  pdf?: PdfRenderer;
}

export interface HostRuntime {
  ctx: HostContext;
  dispatch: Dispatch;
  stop: () => void;
}

/**
 * The one composition root of the host, shared by browser mode (web/main.ts) and the desktop's
 * utility process (workerRuntime.ts): store, sessions, sync and daily backups, wired the same way.
 */
export function createHostRuntime(options: RuntimeOptions): HostRuntime {
  const store = openStore(options.dataDir, options.keyHex);
  const now = () => new Date();
  const ownPdf = options.pdf === undefined ? chromiumPdfRenderer() : null;
  // Accounts made before the people directory existed join it now, so other laptops learn them.
  publishMissingPeople(store.db, now());
  const ctx: HostContext = {
    store,
    mode: options.mode,
    dataDir: options.dataDir,
    appVersion: options.appVersion,
    log: options.log,
    sessions: new SessionStore(),
    now,
    sync: new SyncService({ db: () => ctx.store.db, appVersion: options.appVersion, now, log: options.log, blobs: { dataDir: options.dataDir, key: store.attachmentKey } }),
    attachmentKey: store.attachmentKey,
    pdf: options.pdf ?? ownPdf!,
  };
  const background = options.background ?? true;
  const backups = background ? startDailyBackups(() => ctx.store, options.dataDir, { keyHex: options.keyHex, log: options.log }) : null;
  if (background) ctx.sync.start();
  return {
    ctx,
    dispatch: createDispatch(ctx, options.handlers ?? handlers),
    stop: () => {
      ctx.sync.stop();
      backups?.stop();
      void ownPdf?.close();
      closeStore(ctx.store);
    },
  };
}
