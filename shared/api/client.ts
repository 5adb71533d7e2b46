import type { MethodInput, MethodName, MethodOutput } from './contract.ts';
import type { Result } from './result.ts';

/** What the renderer sees of the host, whichever transport carries it. */
export type HostApi = {
  [M in MethodName]: (input: MethodInput<M>) => Promise<Result<MethodOutput<M>>>;
};
