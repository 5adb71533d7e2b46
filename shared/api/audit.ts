import { z } from 'zod';

/** One entry of the audit trail as the API shows it (audit list, a record's 变更记录). */
const isoInstant = z.string().datetime({ offset: true });

export const auditEntrySchema = z.object({
  seq: z.number().int(),
  at: isoInstant,
  userId: z.string().nullable(),
  userName: z.string().nullable(),
  action: z.string(),
  recordType: z.string(),
  recordId: z.string().nullable(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
});
