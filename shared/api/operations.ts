import { z } from 'zod';

/** Host API methods for backups and head-office sync; merged into contract.ts. */
const isoInstant = z.string().datetime({ offset: true });

export const backupEntrySchema = z.object({
  fileName: z.string(),
  bytes: z.number().int(),
  createdAt: isoInstant,
});

export const syncStatusSchema = z.object({
  enrolled: z.boolean(),
  hubUrl: z.string().nullable(),
  branchName: z.string().nullable(),
  running: z.boolean(),
  lastAttemptAt: isoInstant.nullable(),
  lastSuccessAt: isoInstant.nullable(),
  lastError: z.object({ code: z.string(), message: z.string() }).nullable(),
  nextAttemptAt: isoInstant.nullable(),
  pendingChanges: z.number().int(),
  openConflicts: z.number().int(),
  /** The open conflicts this laptop decides (its own held edits, head office's); another laptop's are decided there. */
  conflictsToDecide: z.number().int(),
  /** Pulled rows this laptop could not store, set aside while sync goes on (sync.quarantine lists them). */
  quarantined: z.number().int(),
  /** Changes of this laptop head office refused, with its reason (sync.rejections lists them). */
  rejected: z.number().int(),
  clockSkewMs: z.number().nullable(),
  revoked: z.boolean(),
  /** A laptop's first pull under way: the rows received so far (they appear together when it ends). */
  firstPull: z.object({ received: z.number().int() }).nullable(),
  /** Reference data head office has published and this laptop applied. */
  referenceSets: z.array(z.object({ name: z.string(), version: z.number().int(), publishedAt: z.string() })),
});

/** Whose side is whose: a person's name, the laptop it was made on, and when. */
const authorSchema = z.object({
  userId: z.string().nullable(),
  /** The display name, when known here (this laptop's users, or sent with the held edit). */
  userName: z.string().nullable(),
  /** The laptop's name at head office; null for head office itself (and where head office did not say). */
  deviceName: z.string().nullable(),
  /** Made on this laptop: the panel says 本机 beside the device's name. */
  thisDevice: z.boolean(),
  at: z.string().nullable(),
});

export const syncConflictSchema = z.object({
  id: z.string(),
  table: z.string(),
  rowId: z.string(),
  recordName: z.string().nullable(),
  status: z.enum(['open', 'resolved']),
  baseVersion: z.number().int(),
  /**
   * Whose edit is held: this laptop's own ('this'), another laptop's of the branch ('device'), or a
   * head-office edit made on an older view ('head-office'). Only 'this' is shown as 本机的修改.
   */
  heldFor: z.enum(['this', 'device', 'head-office']),
  /** Whether this laptop may decide it (README, 冲突处理): its own, and head office's held edits. */
  mayResolve: z.boolean(),
  /** Guarded fields: the held edit against the values head office holds now (this laptop's last pull). */
  mine: z.record(z.string(), z.unknown()),
  minePrev: z.record(z.string(), z.unknown()),
  theirs: z.record(z.string(), z.unknown()),
  mineBy: authorSchema,
  /** Who last changed the record as head office holds it now. */
  theirsBy: authorSchema,
  /** The row version shown as "theirs": sent back with the decision (expectedVersion). */
  theirsVersion: z.number().int(),
  theirsDeleted: z.boolean(),
  createdAt: isoInstant,
});

/** A record as it stands after a decision, for the panel to show. */
export const settledRecordSchema = z.object({
  table: z.string(),
  rowId: z.string(),
  recordName: z.string().nullable(),
  deleted: z.boolean(),
  /** The conflict's fields, as they now are. */
  fields: z.record(z.string(), z.unknown()),
});

/** A pulled row this laptop could not store, and why (a later valid version of it replaces it). */
export const quarantinedRowSchema = z.object({
  table: z.string(),
  rowId: z.string(),
  version: z.number().int(),
  reason: z.string(),
  receivedAt: z.string(),
});

/**
 * A change of this laptop head office refused, and why: a workflow step skipped or a self-approval
 * (LIFECYCLE, `issues` naming the rule), a row no laptop could have written (INVALID_ROW) … The
 * hub's row stands; the next pull brings it back to this laptop.
 */
export const rejectedChangeSchema = z.object({
  opId: z.number().int(),
  table: z.string(),
  rowId: z.string(),
  reason: z.string(),
  issues: z.array(z.object({ field: z.string(), message: z.string(), rule: z.string().optional() })),
  userId: z.string().nullable(),
  rejectedAt: z.string(),
});

const empty = z.object({}).strict();

/**
 * A head-office address as people type it: a bare host:port (192.168.1.10:8787) means http://; only
 * http(s) with a host and no credentials in it. A wrong one is refused on the field (HUB_URL_FORMAT).
 */
export const hubUrlSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  // A mistyped scheme (http//…, http:/…) is refused rather than taken for a host named http.
  .transform((text) => (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) || /^https?[:/]/i.test(text) ? text : `http://${text}`))
  .refine((url) => /^https?:\/\/([a-z0-9-]+(\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(:\d{1,5})?([/?#]\S*)?$/i.test(url), 'HUB_URL_FORMAT');

/** What enrolling this laptop with head office takes (同步 page, or joining a branch at first run). */
export const enrollmentSchema = z.object({
  hubUrl: hubUrlSchema,
  code: z.string().trim().min(8).max(64),
  deviceName: z.string().trim().min(1).max(100),
});

export const operationsMethods = {
  'backup.list': { access: 'backup.manage', input: empty, output: z.array(backupEntrySchema) },
  'backup.create': { access: 'backup.manage', input: empty, output: backupEntrySchema },
  'backup.restore': {
    access: 'backup.manage',
    input: z.object({ fileName: z.string().regex(/^[\w.-]{1,128}$/) }).strict(),
    output: z.object({ restored: z.literal(true) }),
  },

  // Polled by the header's indicator and the 同步 page: background, not a person's activity.
  'sync.status': { access: 'sync.run', input: empty, output: syncStatusSchema, background: true },
  'sync.now': { access: 'sync.run', input: empty, output: syncStatusSchema },
  'sync.enroll': {
    access: 'sync.configure',
    input: enrollmentSchema.strict(),
    output: syncStatusSchema,
  },
  'sync.conflicts': { access: 'sync.run', input: empty, output: z.array(syncConflictSchema), background: true },
  'sync.quarantine': { access: 'sync.run', input: empty, output: z.array(quarantinedRowSchema), background: true },
  'sync.rejections': { access: 'sync.run', input: empty, output: z.array(rejectedChangeSchema), background: true },
  'sync.resolve': {
    access: 'sync.run',
    input: z
      .object({
        id: z.string().min(1).max(64),
        choice: z.enum(['mine', 'theirs', 'edit']),
        fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
        /** theirsVersion of the conflict as shown: a row that moved on since is refused (CONFLICT, syncCode ROW_CHANGED). */
        expectedVersion: z.number().int().min(0),
      })
      .strict(),
    output: z.object({ conflicts: z.array(syncConflictSchema), settled: settledRecordSchema }),
  },
} as const;

export type SyncStatus = z.infer<typeof syncStatusSchema>;
export type SyncConflict = z.infer<typeof syncConflictSchema>;
export type QuarantinedRow = z.infer<typeof quarantinedRowSchema>;
export type RejectedChange = z.infer<typeof rejectedChangeSchema>;
export type SettledRecord = z.infer<typeof settledRecordSchema>;
export type BackupEntry = z.infer<typeof backupEntrySchema>;
