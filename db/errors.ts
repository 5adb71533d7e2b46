import type { ErrorCode } from '../shared/api/result.ts';

/** A store failure with a stable code, so hosts can answer it as a structured error. */
export class StoreError extends Error {
  constructor(
    readonly code: Extract<ErrorCode, 'DB_KEY_INVALID' | 'DB_FROM_FUTURE' | 'INTERNAL'>,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}
