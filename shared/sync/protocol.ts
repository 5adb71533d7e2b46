import { z } from 'zod';
import type { FieldIssue } from '../api/result.ts';
import { MAX_ATTACHMENT_BYTES } from '../api/enterprises.ts';
import { isHlc } from './hlc.ts';
import { refuseMalformedText } from '../api/text.ts';

/**
 * The desktop ↔ head-office wire protocol, version 1. Both ends parse with these schemas: the hub at
 * its HTTP boundary, the desktop sync client on every answer (a hub answering garbage must never
 * reach the local store). Every answer is the `{ok:true,value} | {ok:false,error}` result of
 * shared/api/result.ts, with the extra codes below.
 *
 * Flow: enroll once (one-time code → device token) · hello (versions, clock) · push outbox pages ·
 * pull pages from the server-sequence checkpoint · resolve conflicts. With nothing to push, the
 * first pull page comes with the hello.
 */
export const PROTOCOL_VERSION = 1;

/** The audit log's actor for what a pull applied; stored in Chinese, shown in the UI language. */
export const SYNC_ACTOR_NAME = '总行同步';

/** Limits both ends agree on. A client pages its outbox to stay well under the hub's refusals. */
export const syncLimits = {
  /** Most changes in one push page. */
  maxChangesPerPage: 2000,
  /** What a client aims for per page, gzip on the wire. */
  targetPageBytes: 1024 * 1024,
  /** The hub refuses a request body larger than this on the wire (gzip or plain). */
  maxBodyBytes: 2 * 1024 * 1024,
  /** …and a gzip body that inflates beyond this (a decompression bomb). */
  maxDecodedBytes: 16 * 1024 * 1024,
  defaultPullLimit: 2500,
  maxPullLimit: 5000,
  /** An attachment file, sent or fetched on its own (octet-stream): the app's own attachment limit. */
  maxBlobBytes: MAX_ATTACHMENT_BYTES,
  /** Most hashes asked about in one blobs/missing request. */
  maxBlobsPerQuery: 500,
} as const;

export const SYNC_PATH = '/sync/v1';

/**
 * Attachment files (blobs) travel apart from rows: a row carries the file's SHA-256, and the file
 * itself goes up once from the laptop that has it (PUT …/blobs/<sha256>, checked against the hash)
 * and comes down to the branch's other laptops (GET …/blobs/<sha256>). Per branch, like rows.
 */
export const BLOBS_PATH = `${SYNC_PATH}/blobs`;
export const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256');
export const blobsMissingRequestSchema = z.object({ sha256: z.array(sha256Schema).max(syncLimits.maxBlobsPerQuery) });
export const blobsMissingResponseSchema = z.object({ missing: z.array(sha256Schema) });
export const blobStoredResponseSchema = z.object({ sha256: sha256Schema, stored: z.boolean() });

/**
 * The codes a hub answers with: the shared/api ones that apply to sync (same spelling, same
 * meaning) plus the ones only sync produces.
 */
export const syncErrorCodes = [
  'VALIDATION',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'PAYLOAD_TOO_LARGE',
  'NOT_FOUND',
  'CONFLICT',
  'DB_FROM_FUTURE',
  'HOST_UNAVAILABLE',
  'INTERNAL',
  /** HTTP 426: the desktop's schema (or protocol) is older than the hub accepts. */
  'UPGRADE_REQUIRED',
  /** HTTP 401: head office revoked this device's token; local data stays on the laptop. */
  'DEVICE_REVOKED',
  /** The enrollment code is unknown, used or expired. */
  'ENROLLMENT_INVALID',
  /** The clientId in the body is not the one this device enrolled with. */
  'CLIENT_MISMATCH',
  /** A change is stamped further ahead of the hub's clock than allowed; nothing of the page applied. */
  'CLOCK_DRIFT',
  /** A Content-Encoding other than gzip or identity. */
  'UNSUPPORTED_ENCODING',
  /** HTTP 429 with Retry-After: too many requests or failed secrets from this address. */
  'RATE_LIMITED',
  /** HTTP 409: a resolution of a conflict someone already resolved; pull, and the conflict closes. */
  'CONFLICT_ALREADY_RESOLVED',
  /** HTTP 409: a resolution based on a row version that is no longer current; pull and decide again. */
  'ROW_CHANGED',
] as const;

export type SyncErrorCode = (typeof syncErrorCodes)[number];

export interface SyncError {
  code: SyncErrorCode;
  message: string;
  details?: { issues?: FieldIssue[]; [key: string]: unknown };
}

export type SyncResult<T> = { ok: true; value: T } | { ok: false; error: SyncError };

export const syncErrorSchema = z.object({
  code: z.enum(syncErrorCodes),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});

/** Parses a hub answer whose value has the given schema. */
export const syncResultSchema = <T extends z.ZodType>(value: T) =>
  z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), value }), z.object({ ok: z.literal(false), error: syncErrorSchema })]);

const isoInstant = z.iso.datetime({ offset: true });
const rowId = z.uuid();
/** snake_case column names, as in the desktop schema. */
export const fieldNameSchema = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'a field is a snake_case column name');
export const tableNameSchema = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'a table is a snake_case table name');
export const hlcSchema = z.string().refine(isHlc, 'not an HLC (ms:counter:node)');
/**
 * What z.json() accepts — null, booleans, finite numbers, strings, arrays and plain objects of them —
 * checked in one walk of plain type tests. z.json() is a union tried member by member at every value,
 * and a push page carries ~60 values per change: it was most of the hub's schema time per page
 * (bench sync.upload). Deeper than the hub takes a body (server/http.ts MAX_JSON_DEPTH) is refused.
 */
export function isJsonValue(value: unknown, depth = 0): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || depth >= JSON_VALUE_MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    for (const item of value) if (!isJsonValue(item, depth + 1)) return false;
    return true;
  }
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return false;
  for (const key in value) if (!isJsonValue((value as Record<string, unknown>)[key], depth + 1)) return false;
  return true;
}
const JSON_VALUE_MAX_DEPTH = 64;
const jsonValue = z.custom<z.core.util.JSONType>((value) => isJsonValue(value), 'not a JSON value');
const FIELD_NAME = /^[a-z][a-z0-9_]{0,62}$/;
/** field → value as z.record(fieldNameSchema, jsonValue) would take it, in one loop. */
function isFieldValues(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return false;
  for (const key in value) if (!FIELD_NAME.test(key) || !isJsonValue((value as Record<string, unknown>)[key], 1)) return false;
  return true;
}
const fieldValuesDetailed = z.record(fieldNameSchema, jsonValue);
/**
 * A change's fields or prev. z.record runs a key and a value schema per entry and builds a copy: ~60
 * entries a change, the largest part of the hub's schema time per push page (bench sync.upload). The
 * same check runs as one loop, and only a value it refuses goes through z.record for the issues,
 * which then name the field as before.
 */
const fieldValues = z.custom<z.infer<typeof fieldValuesDetailed>>().superRefine((value, ctx) => {
  if (isFieldValues(value)) return;
  const issues = fieldValuesDetailed.safeParse(value).error?.issues ?? [{ message: 'not an object of snake_case fields and JSON values', path: [] }];
  for (const issue of issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
});
/** Client ids are the desktop's UUIDv7 installation id. */
export const clientIdSchema = z.uuid();

export const changeSchema = z.object({
  /** Monotonic per client, from 1; with clientId the dedupe key. */
  opId: z.int().min(1).max(Number.MAX_SAFE_INTEGER),
  table: tableNameSchema,
  rowId,
  op: z.enum(['insert', 'update', 'delete']),
  /** Changed field → new value. */
  fields: fieldValues,
  /** Changed field → value before the edit (shown in a conflict; never trusted for merging). */
  prev: fieldValues,
  /** The row version the edit was made on; 0 for an insert. */
  baseVersion: z.int().min(0),
  hlc: hlcSchema,
  userId: z.string().min(1).max(64),
  /** The user's display name, shown to colleagues on other laptops when the edit is held in a conflict. */
  userName: z.string().min(1).max(100).optional(),
  at: isoInstant,
})
  // Every string of a change, however deep inside `fields`/`prev`, must be storable as given: a lone
  // surrogate would be stored as U+FFFD on one side and hashed or compared as sent on the other.
  .superRefine(refuseMalformedText);
export type Change = z.infer<typeof changeSchema>;

// ——— enrollment ————————————————————————————————————————————————————————————————

export const branchInfoSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  code: z.string(),
  divisionCode: z.string(),
});
export type BranchInfo = z.infer<typeof branchInfoSchema>;

export const enrollRequestSchema = z.object({
  /** The one-time code head office gave out; dashes and case do not matter. */
  code: z.string().min(8).max(64),
  deviceName: z.string().trim().min(1).max(100),
  clientId: clientIdSchema,
});
export type EnrollRequest = z.infer<typeof enrollRequestSchema>;

export const enrollResponseSchema = z.object({
  /** 32 random bytes, base64url. Shown once: the hub keeps only its SHA-256. */
  deviceToken: z.string(),
  deviceId: z.uuid(),
  branch: branchInfoSchema,
});
export type EnrollResponse = z.infer<typeof enrollResponseSchema>;

// ——— push ————————————————————————————————————————————————————————————————————————

export const pushRequestSchema = z.object({
  clientId: clientIdSchema,
  changes: z.array(changeSchema).max(syncLimits.maxChangesPerPage),
});
export type PushRequest = z.infer<typeof pushRequestSchema>;

export const changeStatusSchema = z.enum(['applied', 'duplicate', 'conflict', 'rejected']);
export type ChangeStatus = z.infer<typeof changeStatusSchema>;

/** Why a change was refused; a rejected change is final (replaying it answers 'duplicate'). */
export const rejectReasons = [
  'UNKNOWN_TABLE',
  'BRANCH_MISMATCH',
  'ROW_OF_ANOTHER_BRANCH',
  'ROW_ID_MISMATCH',
  'ROW_NOT_FOUND',
  'BASE_VERSION_AHEAD',
  'EMPTY_CHANGE',
  /** The row as it would stand after the change breaks its table's row schema; `issues` says where. */
  'INVALID_ROW',
  /** The change breaks its table's lifecycle rule (a skipped workflow step, a self-approval); `issues` names the rule. */
  'LIFECYCLE',
] as const;
export type RejectReason = (typeof rejectReasons)[number];

export const pushResultSchema = z.object({
  opId: z.int(),
  status: changeStatusSchema,
  /** For 'duplicate': what the first delivery answered. */
  originalStatus: z.enum(['applied', 'conflict', 'rejected']).optional(),
  /** The server sequence the row took (absent when nothing of the row changed). */
  serverSeq: z.int().optional(),
  conflictId: z.uuid().optional(),
  reason: z.string().optional(),
  /** Guarded fields held back in a conflict / low-risk fields that lost to a later HLC. */
  heldFields: z.array(z.string()).optional(),
  staleFields: z.array(z.string()).optional(),
  /** For INVALID_ROW: each field that broke the row schema (an unknown column, a bad value, a missing one). */
  issues: z.array(z.object({ field: z.string(), message: z.string(), rule: z.string().optional() })).optional(),
});
export type PushResult = z.infer<typeof pushResultSchema>;

export const pushResponseSchema = z.object({ results: z.array(pushResultSchema) });
export type PushResponse = z.infer<typeof pushResponseSchema>;

// ——— pull ————————————————————————————————————————————————————————————————————————

export const pullRequestSchema = z.object({
  /** The checkpoint: the last server sequence this client applied (0 at first). */
  since: z.int().min(0),
  limit: z.int().min(1).max(syncLimits.maxPullLimit).default(syncLimits.defaultPullLimit),
  /** Reference set name → the version the client holds. */
  referenceVersions: z.record(z.string().max(64), z.int().min(0)).default({}),
});
export type PullRequest = z.input<typeof pullRequestSchema>;

/** The current state of one row (a snapshot, not an operation), with the seq of its last change. */
export const rowSnapshotSchema = z.object({
  seq: z.int(),
  table: tableNameSchema,
  rowId,
  version: z.int(),
  deleted: z.boolean(),
  /**
   * Every field of the row, branch_id included. The values arrive through JSON.parse, so they are
   * JSON already: z.json() walked every value again, a fifth of the client's CPU in a first pull of
   * 50k rows (bench sync.initial_pull), for nothing. The store maps each to a column (db/syncState.ts).
   */
  data: z.custom<Record<string, z.core.util.JSONType>>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), 'data must be an object'),
});
export type RowSnapshot = z.infer<typeof rowSnapshotSchema>;

export const conflictSchema = z.object({
  id: z.uuid(),
  /** Server sequence of the conflict's last change (created or resolved). */
  seq: z.int(),
  table: tableNameSchema,
  rowId,
  baseVersion: z.int(),
  status: z.enum(['open', 'resolved']),
  /** The edit that could not be applied: its guarded fields, their previous values, who and when. */
  mine: z.object({
    op: z.enum(['insert', 'update', 'delete']),
    fields: z.record(z.string(), z.json()),
    prev: z.record(z.string(), z.json()),
    hlc: z.string(),
    userId: z.string(),
    at: z.string(),
    /**
     * Whose edit is held: a device's client id, or `head-office:<user>` for a head-office edit. A
     * laptop calls a conflict its own only when this is its own client id.
     */
    clientId: z.string(),
    opId: z.int(),
    /** The enrolled name of the device that made the edit; null for head office (absent from older hubs). */
    deviceName: z.string().nullable().optional(),
    /** The author's display name, sent with the change, for the branch's other laptops (absent from older laptops). */
    userName: z.string().optional(),
  }),
  /**
   * The hub's values of the same fields (the whole row for a held delete) as they stand when the
   * conflict is pulled — not when it arose — and who last changed a guarded field of the row.
   */
  theirs: z.object({
    fields: z.record(z.string(), z.json()),
    version: z.int(),
    deleted: z.boolean(),
    /** The client id (or `head-office:<user>`, `resolution:<conflict>`) of the row's last guarded change. */
    clientId: z.string().optional(),
    deviceName: z.string().nullable().optional(),
    /** Who made that change, and when (absent from older hubs, and where the change log has none). */
    userId: z.string().optional(),
    at: z.string().optional(),
  }),
  createdAt: isoInstant,
  resolution: z
    .object({
      choice: z.enum(['mine', 'theirs', 'edit']),
      fields: z.record(z.string(), z.json()),
      by: z.string(),
      at: isoInstant,
    })
    .nullable(),
});
export type Conflict = z.infer<typeof conflictSchema>;

export const referenceSetSchema = z.object({
  name: z.string(),
  version: z.int(),
  data: z.json(),
  publishedAt: isoInstant,
});
export type ReferenceSet = z.infer<typeof referenceSetSchema>;

export const pullResponseSchema = z.object({
  rows: z.array(rowSnapshotSchema),
  /** Conflicts of this branch created or resolved after `since` (a resolved one closes it locally). */
  conflicts: z.array(conflictSchema),
  /** Each reference set whose latest version is newer than the client reported. */
  reference: z.array(referenceSetSchema),
  /** The checkpoint to store with this page, in the same local transaction. */
  next: z.int(),
  hasMore: z.boolean(),
});
export type PullResponse = z.infer<typeof pullResponseSchema>;

// ——— hello ———————————————————————————————————————————————————————————————————————

/** The head of a laptop's audit chain (db/audit.ts): the last row's seq and hash. */
export const auditHeadSchema = z.object({
  seq: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
  hash: z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256'),
});
export type AuditHead = z.infer<typeof auditHeadSchema>;

/** A head head office recorded for this device (server/anchors.ts), with when. */
export const auditAnchorSchema = auditHeadSchema.extend({ at: isoInstant });
export type AuditAnchor = z.infer<typeof auditAnchorSchema>;

export const helloRequestSchema = z.object({
  protocol: z.literal(PROTOCOL_VERSION),
  appVersion: z.string().min(1).max(40),
  /** The desktop database's migration version. */
  schemaVersion: z.int().min(0),
  clientId: clientIdSchema,
  clientTime: isoInstant,
  /** The laptop's audit chain head, anchored at head office (optional: older clients send none). */
  auditHead: auditHeadSchema.optional(),
  /**
   * The chain's hash now at the seq of the last anchor the laptop stored: head office compares it
   * with the anchor it holds there, so a rewritten chain is flagged at the hub too.
   */
  auditAtAnchor: auditHeadSchema.optional(),
  /**
   * A laptop with nothing to push asks for its first pull page with the hello, and the answer
   * carries it (`pull`), saving a round trip per sync (bench sync.noop). Optional both ways: a hub
   * that predates it drops the field (unknown keys are stripped) and answers without a page, and
   * the laptop then pulls as before; a laptop that predates it never asks.
   */
  pull: pullRequestSchema.optional(),
});
export type HelloRequest = z.infer<typeof helloRequestSchema>;

export const helloResponseSchema = z.object({
  serverTime: isoInstant,
  /** Older desktop schemas get UPGRADE_REQUIRED (HTTP 426) on every sync call. */
  minSchemaVersion: z.int(),
  branch: branchInfoSchema,
  /** clientTime − serverTime (positive: the laptop's clock is ahead). */
  clockSkewMs: z.number(),
  /** The hub refuses changes stamped further ahead of its clock than this (CLOCK_DRIFT). */
  maxDriftMs: z.number(),
  /** The latest audit head head office holds for this device (null: none yet; absent: older hub). */
  auditAnchor: auditAnchorSchema.nullable().optional(),
  /** The first pull page, when the hello asked for one (absent: an older hub; pull as before). */
  pull: pullResponseSchema.optional(),
});
export type HelloResponse = z.infer<typeof helloResponseSchema>;

// ——— conflict resolution —————————————————————————————————————————————————————————

export const resolveRequestSchema = z
  .object({
    choice: z.enum(['mine', 'theirs', 'edit']),
    /** For 'edit': the values the person settled on. */
    fields: fieldValues.optional(),
    /** The app user who decided (audited). */
    userId: z.string().min(1).max(64).optional(),
    /**
     * The row version the person looked at (the conflict's theirs.version as pulled); a row that
     * moved on since answers ROW_CHANGED (pull and look again). Required: a decision with no view
     * behind it would overwrite whatever landed since (issue 10, R4).
     */
    expectedVersion: z.int().min(0),
  })
  .refine((request) => request.choice !== 'edit' || (request.fields !== undefined && Object.keys(request.fields).length > 0), {
    message: "choice 'edit' needs the edited fields",
    path: ['fields'],
  });
export type ResolveRequest = z.infer<typeof resolveRequestSchema>;

export const resolveResponseSchema = z.object({
  conflict: conflictSchema,
  row: rowSnapshotSchema,
});
export type ResolveResponse = z.infer<typeof resolveResponseSchema>;
