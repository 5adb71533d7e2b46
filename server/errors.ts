import type { z } from 'zod';
import type { SyncError, SyncErrorCode } from '../shared/sync/protocol.ts';

/** A refusal with a stable code; the HTTP layer turns it into `{ok:false,error}` and a status. */
export class HubError extends Error {
  constructor(
    readonly code: SyncErrorCode,
    message: string,
    readonly details?: SyncError['details'],
  ) {
    super(message);
    this.name = 'HubError';
  }

  toJSON(): SyncError {
    return this.details === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, details: this.details };
  }
}

const httpStatuses: Record<SyncErrorCode, number> = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  PAYLOAD_TOO_LARGE: 413,
  NOT_FOUND: 404,
  CONFLICT: 409,
  DB_FROM_FUTURE: 500,
  HOST_UNAVAILABLE: 503,
  INTERNAL: 500,
  UPGRADE_REQUIRED: 426,
  DEVICE_REVOKED: 401,
  ENROLLMENT_INVALID: 400,
  CLIENT_MISMATCH: 403,
  CLOCK_DRIFT: 422,
  UNSUPPORTED_ENCODING: 415,
  RATE_LIMITED: 429,
  CONFLICT_ALREADY_RESOLVED: 409,
  ROW_CHANGED: 409,
};

export const httpStatus = (code: SyncErrorCode): number => httpStatuses[code];

/** Parses a request part with its zod schema or refuses it with every field issue listed. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 20).map((issue) => ({ path: issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part)), code: issue.code, message: issue.message }));
  const first = issues[0];
  const where = first === undefined || first.path.length === 0 ? '' : ` at ${first.path.join('.')}`;
  throw new HubError('VALIDATION', `Invalid ${what}${where}: ${first?.message ?? 'malformed'}`, { issues });
}
