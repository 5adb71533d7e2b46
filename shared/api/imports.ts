import { z } from 'zod';
import type { Permission } from '../domain/roles.ts';
import { MAX_UPLOAD_INPUT_BYTES } from './result.ts';

/**
 * The shapes every register's import shares (enterprises, loans, and the registers after them):
 * an uploaded file, a preview with a suggested column mapping, and a result with per-row reasons
 * and the rejected rows as an .xlsx. One host importer (electron/host/import/) fills them and one
 * import screen shows them; a register adds only its fields.
 */

/** Standard base64, as FileReader/Buffer produce it. */
export const base64Schema = z
  .string()
  .min(1)
  .max(MAX_UPLOAD_INPUT_BYTES)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/);

export const uploadedFileShape = { fileName: z.string().trim().min(1).max(255), contentBase64: base64Schema };

/** Target field → source header. */
export function importMappingSchemaOf<const F extends readonly [string, ...string[]]>(fields: F) {
  return z.partialRecord(z.enum(fields), z.string().min(1).max(200));
}

export function importPreviewSchemaOf<S extends z.ZodType>(mappingSchema: S) {
  return z.object({
    /** The sheet read (first with data); null for CSV. */
    sheetName: z.string().nullable(),
    /** Row number of the header row as the spreadsheet shows it (a title row above it is skipped). */
    headerRow: z.number().int(),
    headers: z.array(z.string()),
    /** The first 10 data rows, cells as text, aligned with headers. */
    sampleRows: z.array(z.array(z.string())),
    totalRows: z.number().int(),
    suggestedMapping: mappingSchema,
    /** True when suggestedMapping is the one remembered from an earlier import of the same headers. */
    remembered: z.boolean(),
    /** CSV only: the text encoding detected. */
    encoding: z.enum(['utf-8', 'gbk']).nullable(),
  });
}

export const importResultShape = {
  imported: z.number().int(),
  /** Rows matched to an existing record by its key (USCC, loan number), whether or not a value changed … */
  updated: z.number().int(),
  /** … and of those, the ones where nothing changed. */
  unchanged: z.number().int(),
  /** `row` is the row number as the spreadsheet shows it; reasons in Chinese, naming the field. */
  rejected: z.array(z.object({ row: z.number().int(), reasons: z.array(z.string()) })),
  rejectedFileName: z.string().nullable(),
  /** The rejected rows with their original columns plus 「错误原因」 (.xlsx); null when none. */
  rejectedFileBase64: z.string().nullable(),
};

export const importResultSchema = z.object(importResultShape);

/**
 * A register's importPreview and importRun contract entries: the upload (up to the upload limit),
 * its preview with the register's mapping, and the run with that mapping plus the register's own
 * options (defaults, a snapshot day, a status …) answering the register's result.
 */
export function importMethodsOf<const A extends Permission, M extends z.ZodType, O extends z.ZodRawShape, R extends z.ZodType>(spec: { access: A; mapping: M; runOptions: O; result: R }) {
  return {
    preview: { access: spec.access, maxInputBytes: MAX_UPLOAD_INPUT_BYTES, input: z.object(uploadedFileShape).strict(), output: importPreviewSchemaOf(spec.mapping) },
    run: { access: spec.access, maxInputBytes: MAX_UPLOAD_INPUT_BYTES, input: z.object({ ...uploadedFileShape, mapping: spec.mapping, ...spec.runOptions }).strict(), output: spec.result },
  };
}

export type ImportRowRejection = z.infer<typeof importResultSchema>['rejected'][number];
