import { z } from 'zod';
import { divisionCodeSchema } from '../domain/enterprise.ts';
import { auditAnchorSchema, branchInfoSchema, pushResultSchema, rowSnapshotSchema } from './protocol.ts';

/**
 * The hub's head-office administration API (Authorization: Bearer <admin token>), shared so a
 * head-office console can be typed from the same schemas as the hub parses with.
 */

export const createBranchRequestSchema = z.object({
  name: z.string().trim().min(2).max(60),
  code: z.string().trim().regex(/^[A-Za-z0-9-]{1,20}$/, 'a branch code is 1-20 letters, digits or dashes'),
  /** A current GB/T 2260 county-level code, checked against the same list as the laptops use. */
  divisionCode: divisionCodeSchema,
});
export type CreateBranchRequest = z.infer<typeof createBranchRequestSchema>;

export const enrollmentCodeResponseSchema = z.object({
  /** Shown once; the hub stores only its SHA-256. */
  code: z.string(),
  branchId: z.uuid(),
  expiresAt: z.iso.datetime({ offset: true }),
});
export type EnrollmentCodeResponse = z.infer<typeof enrollmentCodeResponseSchema>;

export const deviceSummarySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  clientId: z.string(),
  enrolledAt: z.string(),
  lastSeenAt: z.string().nullable(),
  lastSyncAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  appVersion: z.string().nullable(),
  schemaVersion: z.int().nullable(),
  /** The latest audit chain head the device reported at hello (server/anchors.ts). */
  auditAnchor: auditAnchorSchema.nullable(),
  /** Heads that contradict an earlier one of the device (same seq, another hash): a rewritten chain. */
  auditContradictions: z.array(auditAnchorSchema.extend({ earlierHash: z.string() })),
});

export const branchSummarySchema = branchInfoSchema.extend({
  createdAt: z.string(),
  lastSyncAt: z.string().nullable(),
  pendingConflicts: z.int(),
  rows: z.int(),
  devices: z.array(deviceSummarySchema),
});
export type BranchSummary = z.infer<typeof branchSummarySchema>;

export const referenceNameSchema = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'a reference set name is lower-case letters, digits, _ . -');

export const publishReferenceRequestSchema = z.object({ data: z.json() });

/** A green catalogue's entries as an .xlsx (server/catalogueWorkbook.ts), with the document they come from. */
export const catalogueWorkbookRequestSchema = z.strictObject({
  source: z.string().trim().min(1).max(300),
  contentBase64: z.string().min(1).regex(/^[A-Za-z0-9+/]*={0,2}$/),
});

export const publishReferenceResponseSchema = z.object({
  name: z.string(),
  version: z.int(),
  publishedAt: z.string(),
});

export const adminRowEditRequestSchema = z.object({
  fields: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,62}$/), z.json()),
  /** The version head office looked at; a guarded field changed since then becomes a conflict. */
  baseVersion: z.int().min(0),
  /** The head-office person, for the audit trail. */
  userId: z.string().min(1).max(64).default('head-office'),
});

export const adminRowEditResponseSchema = z.object({
  result: pushResultSchema,
  row: rowSnapshotSchema.nullable(),
});
export type AdminRowEditResponse = z.infer<typeof adminRowEditResponseSchema>;
