import type { MethodName, MethodOutput, ParsedInput, ErrorCode, HostError } from '../../shared/api/index.ts';
import type { Store } from './store.ts';
import type { SessionHandle, SessionStore } from './auth/sessions.ts';
import type { SyncService } from './sync/service.ts';
import type { User } from '../../shared/api/index.ts';
import type { PdfRenderer } from './letters/pdf.ts';

/** What every handler may use: the open store and facts about this launch. */
export interface HostContext {
  /** Replaced by a restore, hence read through the context each time. */
  store: Store;
  mode: 'desktop' | 'browser';
  dataDir: string;
  appVersion: string;
  log: (line: string) => void;
  sessions: SessionStore;
  /** The clock, injectable so lockouts and idle locks are testable without waiting. */
  now: () => Date;
  /** Background sync with head office (electron/host/sync). */
  sync: SyncService;
  /** Encrypts attachment files at rest (store.attachmentKey, derived from the database key). */
  attachmentKey: Buffer;
  /** HTML → PDF (letters, reports): Electron's own Chromium in the desktop app, playwright-core's elsewhere (letters/pdf.ts). */
  pdf: PdfRenderer;
}

/** Per call: which transport session it came from (a window in desktop mode, a browser cookie otherwise). */
export interface CallContext extends SessionHandle {
  /** The signed-in user, resolved by dispatch for every method whose access is not 'public'. */
  user?: User;
}

export type Handler<M extends MethodName> = (
  ctx: HostContext,
  call: CallContext,
  input: ParsedInput<M>,
) => MethodOutput<M> | Promise<MethodOutput<M>>;

export type Handlers = { [M in MethodName]: Handler<M> };

/** For handlers of non-public methods: dispatch has resolved the user before calling them. */
export function signedInUser(call: CallContext): User {
  if (call.user === undefined) throw new HostFailure('UNAUTHENTICATED', 'Not signed in');
  return call.user;
}

/** Thrown by a handler to answer with a specific error code instead of INTERNAL. */
export class HostFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: HostError['details'],
  ) {
    super(message);
    this.name = 'HostFailure';
  }
}
