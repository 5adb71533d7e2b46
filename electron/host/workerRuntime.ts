import { fail, type ErrorCode } from '../../shared/api/result.ts';
import { StoreError } from '../../db/errors.ts';
import type { Store } from './store.ts';
import type { Dispatch } from './dispatch.ts';
import { createHostRuntime, type HostRuntime } from './runtime.ts';
import { handlers as defaultHandlers } from './handlers/index.ts';
import type { Handlers } from './context.ts';
import { workerInboundSchema, type InitMessage, type RenderPdfMessage, type WorkerOutbound } from './workerProtocol.ts';
import { mainPdfChannel, type MainPdfChannel } from './letters/mainPdf.ts';

/**
 * The host worker's message handling, free of any transport so it can be tested under plain Node:
 * worker.ts only wires it to Electron's process.parentPort.
 */
export interface WorkerState {
  store: Store | null;
  runtime: HostRuntime | null;
  dispatch: Dispatch | null;
  /** Set by a shutdown message: the store is closed and the process should exit. */
  closed: boolean;
  log: (line: string) => void;
  handlers: Handlers;
  /** Printing through main's Chromium; null (no way to post to main): the runtime's own Chromium. */
  pdf: MainPdfChannel | null;
}

/** `post` sends a message to main outside a call's reply (worker.ts: parentPort.postMessage). */
export function createWorkerState(log: (line: string) => void, handlers: Handlers = defaultHandlers, post?: (message: RenderPdfMessage) => void): WorkerState {
  return { store: null, runtime: null, dispatch: null, closed: false, log, handlers, pdf: post === undefined ? null : mainPdfChannel(post) };
}

/** Describes a rejected message without echoing its content (an init message carries the key). */
function describeMessage(message: unknown): string {
  if (typeof message !== 'object' || message === null) return typeof message;
  const type = (message as { type?: unknown }).type;
  return typeof type === 'string' ? `type=${JSON.stringify(type.slice(0, 40))}` : 'object without a type';
}

function initStore(state: WorkerState, message: InitMessage): WorkerOutbound | undefined {
  if (state.store !== null || state.closed) {
    // Main sends init once per worker; a repeat must not reopen (or close) the store under live calls.
    state.log('[worker] ignored a repeated init message');
    return undefined;
  }
  try {
    // Sign-ins live as long as this worker: if it crashes and main restarts it, users sign in again.
    const runtime = createHostRuntime({ dataDir: message.dataDir, keyHex: message.keyHex, mode: 'desktop', appVersion: message.appVersion, log: state.log, handlers: state.handlers, pdf: state.pdf?.render });
    const store = runtime.ctx.store;
    state.store = store;
    state.runtime = runtime;
    state.dispatch = runtime.dispatch;
    state.log(`[worker] store open: ${store.file}`);
    return { type: 'ready' };
  } catch (error) {
    const code: ErrorCode = error instanceof StoreError ? error.code : 'INTERNAL';
    const text = error instanceof Error ? error.message : String(error);
    state.log(`[worker] cannot open the store (${code}): ${text}`);
    return { type: 'init-failed', error: { code, message: text } };
  }
}

/**
 * Handles one message from main and returns the reply to post, if any. It never throws: a call
 * always gets a Result, and a malformed message is logged and dropped. The init branch runs
 * synchronously (no await before openStore), so calls queued right behind it already see the store.
 */
export async function handleWorkerMessage(state: WorkerState, raw: unknown): Promise<WorkerOutbound | undefined> {
  const parsed = workerInboundSchema.safeParse(raw);
  if (!parsed.success) {
    state.log(`[worker] ignored a malformed message (${describeMessage(raw)})`);
    return undefined;
  }
  const message = parsed.data;
  switch (message.type) {
    case 'init':
      return initStore(state, message);
    case 'pdf-rendered':
      state.pdf?.settle(message);
      return undefined;
    case 'shutdown':
      if (state.runtime !== null) state.runtime.stop();
      state.store = null;
      state.dispatch = null;
      state.closed = true;
      return undefined;
    case 'call': {
      const { dispatch } = state;
      if (dispatch === null) {
        return { type: 'result', id: message.id, result: fail('HOST_UNAVAILABLE', 'The data store is not open') };
      }
      try {
        const result = await dispatch(message.method, message.input, { sessionId: message.sessionId });
        return { type: 'result', id: message.id, result };
      } catch (error) {
        // dispatch is built never to throw; this keeps a caller from waiting forever if it ever does.
        state.log(`[worker] dispatch threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        return { type: 'result', id: message.id, result: fail('INTERNAL', 'Internal error; the details are in the host log') };
      }
    }
  }
}
