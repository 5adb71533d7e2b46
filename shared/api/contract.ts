import { z } from 'zod';

/**
 * The host API: one zod input/output pair per method. Handlers, the preload bridge and the
 * HTTP client are all typed from this table, and every transport parses inputs with it.
 */
export const localeSchema = z.enum(['zh-CN', 'en']);

export const appInfoSchema = z.object({
  appVersion: z.string(),
  schemaVersion: z.number().int(),
  mode: z.enum(['desktop', 'browser']),
  dataDir: z.string(),
  databaseFile: z.string(),
  encrypted: z.boolean(),
  cipher: z.string(),
});

export const settingsSchema = z.object({
  locale: localeSchema,
});

export const contract = {
  'app.info': {
    input: z.object({}).strict(),
    output: appInfoSchema,
  },
  'settings.get': {
    input: z.object({}).strict(),
    output: settingsSchema,
  },
  'settings.update': {
    input: settingsSchema.partial().strict(),
    output: settingsSchema,
  },
} as const;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type ParsedInput<M extends MethodName> = z.output<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;
export type AppInfo = z.infer<typeof appInfoSchema>;
export type Settings = z.infer<typeof settingsSchema>;
export type Locale = z.infer<typeof localeSchema>;
