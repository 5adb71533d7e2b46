import { z } from 'zod';
import { greenFactoryProjectKinds, greenFactoryProjectSchema, matchmakingContactSchema, matchmakingOutcomes, quarterSchema } from '../domain/greenFactory.ts';

/**
 * Host API of the green-factory financing needs register (seed 004, issue 14); merged into
 * contract.ts. A project's 变更记录 is records.history of record type 'green_factory_projects'.
 */
const id = z.string().min(1).max(64);

export const greenFactoryProjectRowSchema = z.object({
  id,
  version: z.number().int(),
  enterpriseId: z.string(),
  enterpriseName: z.string(),
  enterpriseUscc: z.string(),
  projectName: z.string(),
  kind: z.enum(greenFactoryProjectKinds),
  /** Fen. */
  amountSought: z.number().int(),
  quarter: z.string(),
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable(),
  outcome: z.enum(matchmakingOutcomes),
  outcomeReason: z.string().nullable(),
  applicationId: z.string().nullable(),
  lastContactOn: z.string().nullable(),
  contacts: z.number().int(),
});

export const matchmakingContactRowSchema = z.object({
  id,
  contactedOn: z.string(),
  note: z.string(),
  outcome: z.enum(matchmakingOutcomes),
  createdByName: z.string().nullable(),
});

export const greenFactoryProjectDetailSchema = greenFactoryProjectRowSchema.extend({
  notes: z.string().nullable(),
  /** Oldest first: the matchmaking history. */
  history: z.array(matchmakingContactRowSchema),
});

/** The quarter's projects and their totals, as the screen shows them and the export writes them. */
export const greenFactoryQuarterSchema = z.object({
  quarter: z.string(),
  rows: z.array(greenFactoryProjectRowSchema),
  totals: z.object({ projects: z.number().int(), amountSought: z.number().int(), byOutcome: z.record(z.enum(matchmakingOutcomes), z.number().int()) }),
});

export const greenFactoryMethods = {
  'greenFactory.quarter': { access: 'records.read', input: z.object({ quarter: quarterSchema }).strict(), output: greenFactoryQuarterSchema },
  'greenFactory.get': { access: 'records.read', input: z.object({ id }).strict(), output: greenFactoryProjectDetailSchema },
  'greenFactory.create': { access: 'green.write', input: z.object({ project: greenFactoryProjectSchema }).strict(), output: greenFactoryProjectDetailSchema },
  /** A dated matchmaking contact; it moves the project's outcome (and names the application it led to). */
  'greenFactory.recordContact': {
    access: 'green.write',
    input: z.object({ projectId: id, version: z.number().int(), contact: matchmakingContactSchema }).strict(),
    output: greenFactoryProjectDetailSchema,
  },
  /** The quarter's register as the .xlsx a branch sends to the industry department: headers, one row per project, a totals row. */
  'greenFactory.export': {
    access: 'records.read',
    input: z.object({ quarter: quarterSchema }).strict(),
    output: z.object({ fileName: z.string(), contentBase64: z.string(), rows: z.number().int() }),
  },
} as const;

export type GreenFactoryProjectRow = z.infer<typeof greenFactoryProjectRowSchema>;
export type GreenFactoryProjectDetail = z.infer<typeof greenFactoryProjectDetailSchema>;
export type GreenFactoryQuarter = z.infer<typeof greenFactoryQuarterSchema>;
