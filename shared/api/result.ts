/**
 * The one result shape every transport carries (IPC and HTTP alike). Errors cross process
 * boundaries as data with a stable code the renderer translates; nothing is thrown across.
 */
export const errorCodes = [
  'VALIDATION',
  'UNKNOWN_METHOD',
  'UNAUTHENTICATED',
  'INVALID_CREDENTIALS',
  'ACCOUNT_LOCKED',
  'ACCOUNT_DISABLED',
  'SESSION_LOCKED',
  'SETUP_REQUIRED',
  'ALREADY_INITIALIZED',
  'FORBIDDEN',
  'PASSWORD_CHANGE_REQUIRED',
  'PAYLOAD_TOO_LARGE',
  'NOT_FOUND',
  'CONFLICT',
  'DB_KEY_INVALID',
  'DB_FROM_FUTURE',
  'HOST_UNAVAILABLE',
  /** Head office refused or failed a sync call; details.syncCode says why (never the local service). */
  'HUB_ERROR',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

/** One problem with one field of an input, as produced by the boundary's zod parse. */
export interface FieldIssue {
  path: (string | number)[];
  code: string;
  message: string;
  /** What a domain rule found (e.g. the division check's reason and code), for the UI to word. */
  params?: Record<string, unknown>;
}

export interface HostError {
  code: ErrorCode;
  /** Developer-facing English text; the UI shows the translated code instead. */
  message: string;
  details?: { issues?: FieldIssue[]; [key: string]: unknown };
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: HostError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

export const fail = (code: ErrorCode, message: string, details?: HostError['details']): Result<never> => ({
  ok: false,
  error: details === undefined ? { code, message } : { code, message, details },
});

/** Largest serialized input a transport accepts, in bytes, unless a method sets its own `maxInputBytes`. */
export const MAX_INPUT_BYTES = 1024 * 1024;

/**
 * The `maxInputBytes` of methods that carry a file (imports, attachments) as base64 in their JSON:
 * 32 MiB of JSON holds a file of about 24 MiB.
 */
export const MAX_UPLOAD_INPUT_BYTES = 32 * 1024 * 1024;
