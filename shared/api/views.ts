import { z } from 'zod';

/**
 * Saved views (视图) of a register list: a person saves the filters and sort of a list under a
 * name and reopens them later. Kept on this laptop per user (the settings table), not synced: a
 * view is a way of looking at the register, not a record of the branch (README).
 */

/** The register list's own name (RegisterList `name`: collateral, loans, enterprises …). */
export const viewRegisterSchema = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/);

/** A filter's values as the register lists hold them: text, numbers, flags, and lists of codes. */
const filterValueSchema = z.union([z.string().max(200), z.number().finite(), z.boolean(), z.array(z.string().max(200)).max(50)]);

export const viewStateSchema = z.strictObject({
  filter: z.record(z.string().min(1).max(60), filterValueSchema).refine((filter) => Object.keys(filter).length <= 30, { message: 'TOO_MANY_FILTERS' }),
  sort: z.strictObject({ field: z.string().min(1).max(60), order: z.enum(['asc', 'desc']) }),
});
export type ViewState = z.infer<typeof viewStateSchema>;

export const viewNameSchema = z.string().trim().min(1).max(40);

export const savedViewSchema = z.object({ name: z.string(), state: viewStateSchema, savedAt: z.string() });
export type SavedView = z.infer<typeof savedViewSchema>;

/** A person keeps at most this many views per register. */
export const MAX_SAVED_VIEWS = 30;

export const viewMethods = {
  /** This user's saved views of a register, by name. */
  'views.list': { access: 'records.read', input: z.strictObject({ register: viewRegisterSchema }), output: z.array(savedViewSchema) },
  /** Saves (or replaces, by name) a view of the register; answers the views after it. */
  'views.save': { access: 'records.read', input: z.strictObject({ register: viewRegisterSchema, name: viewNameSchema, state: viewStateSchema }), output: z.array(savedViewSchema) },
  'views.delete': { access: 'records.read', input: z.strictObject({ register: viewRegisterSchema, name: viewNameSchema }), output: z.array(savedViewSchema) },
} as const;
