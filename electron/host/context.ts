import type { MethodName, MethodOutput, ParsedInput, ErrorCode, HostError } from '../../shared/api/index.ts';
import type { Store } from './store.ts';

/** What every handler may use: the open store and facts about this launch. */
export interface HostContext {
  store: Store;
  mode: 'desktop' | 'browser';
  dataDir: string;
  appVersion: string;
  log: (line: string) => void;
}

/** Per call: which transport session it came from (a window in desktop mode, a browser cookie otherwise). */
export interface CallContext {
  sessionId: string;
}

export type Handler<M extends MethodName> = (
  ctx: HostContext,
  call: CallContext,
  input: ParsedInput<M>,
) => MethodOutput<M> | Promise<MethodOutput<M>>;

export type Handlers = { [M in MethodName]: Handler<M> };

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
