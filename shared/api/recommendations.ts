import { z } from 'zod';
import { localDateSchema } from '../domain/calendar.ts';
import { importMappingSchemaOf, importMethodsOf, importResultShape } from './imports.ts';

/**
 * 项目互荐: the industry department's list of recommended enterprises (seed 000 四(四)), imported
 * through the one importer. Each row is matched to an enterprise file by USCC and sets its
 * 项目互荐 flag with the list's batch and date, which is what credit reads as 优先; names the
 * branch has no file for are listed. Merged into contract.ts.
 */

export const recommendationImportFields = ['uscc', 'enterpriseName', 'projectName'] as const;
export type RecommendationImportField = (typeof recommendationImportFields)[number];

/** Column headers of the list, also the field names in rejection reasons. */
export const recommendationImportFieldLabels: Record<RecommendationImportField, string> = {
  uscc: '统一社会信用代码',
  enterpriseName: '企业名称',
  projectName: '推荐项目',
};

export const recommendationImportMappingSchema = importMappingSchemaOf(recommendationImportFields);
export const recommendationImportResultSchema = z.object({
  ...importResultShape,
  batch: z.string(),
  recommendedOn: z.string(),
  /** Rows whose USCC matches no enterprise file of the branch: the names to file first. */
  unmatched: z.array(z.object({ row: z.number().int(), name: z.string(), uscc: z.string() })),
});

const recommendationImport = importMethodsOf({
  access: 'enterprise.write',
  mapping: recommendationImportMappingSchema,
  runOptions: { batch: z.string().trim().min(1).max(50), recommendedOn: localDateSchema },
  result: recommendationImportResultSchema,
});
export const recommendationImportPreviewSchema = recommendationImport.preview.output;

export const recommendationMethods = {
  'recommendations.importPreview': recommendationImport.preview,
  /** Flags every matched enterprise 项目互荐 with this list's batch and date (an update of its file, audited and synced). */
  'recommendations.importRun': recommendationImport.run,
} as const;

export type RecommendationImportMapping = z.infer<typeof recommendationImportMappingSchema>;
export type RecommendationImportPreview = z.infer<typeof recommendationImportPreviewSchema>;
export type RecommendationImportResult = z.infer<typeof recommendationImportResultSchema>;
