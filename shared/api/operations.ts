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
  clockSkewMs: z.number().nullable(),
  revoked: z.boolean(),
  /** A laptop's first pull under way: the rows received so far (they appear together when it ends). */
  firstPull: z.object({ received: z.number().int() }).nullable(),
  /** Reference data head office has published and this laptop applied. */
  referenceSets: z.array(z.object({ name: z.string(), version: z.number().int(), publishedAt: z.string() })),
});

export const syncConflictSchema = z.object({
  id: z.string(),
  table: z.string(),
  rowId: z.string(),
  recordName: z.string().nullable(),
  status: z.enum(['open', 'resolved']),
  baseVersion: z.number().int(),
  /** Guarded fields: this laptop's edit against head office's values. */
  mine: z.record(z.string(), z.unknown()),
  minePrev: z.record(z.string(), z.unknown()),
  theirs: z.record(z.string(), z.unknown()),
  mineBy: z.string(),
  mineAt: z.string(),
  createdAt: isoInstant,
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
  'sync.resolve': {
    access: 'sync.run',
    input: z
      .object({
        id: z.string().min(1).max(64),
        choice: z.enum(['mine', 'theirs', 'edit']),
        fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
      })
      .strict(),
    output: z.array(syncConflictSchema),
  },
} as const;

export type SyncStatus = z.infer<typeof syncStatusSchema>;
export type SyncConflict = z.infer<typeof syncConflictSchema>;
export type BackupEntry = z.infer<typeof backupEntrySchema>;
