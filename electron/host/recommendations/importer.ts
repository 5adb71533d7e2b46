import {
  recommendationImportFieldLabels,
  recommendationImportFields,
  type RecommendationImportField,
  type RecommendationImportMapping,
  type RecommendationImportPreview,
  type RecommendationImportResult,
} from '../../../shared/api/recommendations.ts';
import type { User } from '../../../shared/api/index.ts';
import { normalizeUscc } from '../../../shared/domain/uscc.ts';
import { enterpriseFileOf, findEnterpriseByUscc, getEnterprise } from '../../../db/enterprises.ts';
import type { HostContext } from '../context.ts';
import { saveEnterpriseFile } from '../handlers/enterprises.ts';
import { actorOf } from '../handlers/identity.ts';
import { text, ok } from '../import/cells.ts';
import { labelled as labelledIn, previewImport, runImport, type ImportSpec, type ParsedCells, type RowOutcome } from '../import/importer.ts';
import type { SourceRow } from '../import/table.ts';

/**
 * Import of the industry department's recommended-enterprise list (项目互荐, seed 000 四(四)):
 * each row is matched to an enterprise file by USCC and flags it recommended with the list's batch
 * and date, through the enterprise file's own save (audited, synced, its rules checked). Credit
 * reads that flag as 优先 (db/credit.ts PRIORITY_SQL, shared/domain/creditApplication.ts
 * isPriorityEnterprise). A row whose USCC matches no file is refused and listed by name, to be
 * filed first and the list imported again (matching again only updates).
 */

const synonyms: Record<RecommendationImportField, string[]> = {
  uscc: ['统一社会信用代码', '信用代码', '社会信用代码', '统一信用代码', '企业信用代码'],
  enterpriseName: ['企业名称', '单位名称', '推荐企业', '企业', '申报单位', '项目单位'],
  projectName: ['推荐项目', '项目名称', '项目', '推荐项目名称'],
};

export const recommendationImport: ImportSpec<RecommendationImportField> = {
  register: 'recommendations',
  fields: recommendationImportFields,
  labels: recommendationImportFieldLabels,
  synonyms,
  textFields: ['uscc'],
  parseField: (field, value) => (field === 'uscc' ? ok(normalizeUscc(value)) : text(value)),
  key: { field: 'uscc', missingMessage: '请指定「统一社会信用代码」所在的列：推荐名单按它匹配企业档案' },
};

const labelled = (field: RecommendationImportField, reason: string) => labelledIn(recommendationImport, field, reason);

export const previewRecommendationImport = (ctx: HostContext, fileName: string, contentBase64: string): Promise<RecommendationImportPreview> =>
  previewImport(ctx.store.db, recommendationImport, fileName, contentBase64);

export interface RecommendationImportRunInput {
  fileName: string;
  contentBase64: string;
  mapping: RecommendationImportMapping;
  batch: string;
  recommendedOn: string;
}

export async function runRecommendationImport(ctx: HostContext, user: User, input: RecommendationImportRunInput): Promise<RecommendationImportResult> {
  const { db } = ctx.store;
  const actor = actorOf(user, db);
  const seen = new Map<string, number>();
  const unmatched: RecommendationImportResult['unmatched'] = [];
  const recommendation = { recommended: true as const, date: input.recommendedOn, batch: input.batch };

  const importRow = (source: SourceRow, parsed: ParsedCells<RecommendationImportField>): RowOutcome => {
    const cells = parsed.values as Partial<Record<RecommendationImportField, string>>;
    if (parsed.reasons.length > 0) return { reasons: parsed.reasons };
    const { uscc } = cells;
    if (uscc === undefined) return { reasons: [labelled('uscc', '必填')] };
    const firstRow = seen.get(uscc);
    if (firstRow !== undefined) return { reasons: [labelled('uscc', `与第 ${firstRow} 行重复`)] };
    seen.set(uscc, source.row);
    const found = findEnterpriseByUscc(db, uscc);
    if (found === undefined) {
      unmatched.push({ row: source.row, name: cells.enterpriseName ?? '', uscc });
      return { reasons: [`未匹配到企业档案：${[cells.enterpriseName, uscc].filter((part) => part !== undefined).join('，')}；请先建立企业档案后再导入该行`] };
    }
    const file = enterpriseFileOf(found);
    const current = file.greenCredentials.miitRecommendation;
    if (current.recommended && current.batch === recommendation.batch && current.date === recommendation.date) return 'unchanged';
    saveEnterpriseFile(ctx, user, actor, { ...file, greenCredentials: { ...file.greenCredentials, miitRecommendation: recommendation } }, { id: found.id, version: found.version });
    return getEnterprise(db, found.id)!.version === found.version ? 'unchanged' : 'updated';
  };

  const result = await runImport(ctx, recommendationImport, input, importRow);
  return { ...result, batch: input.batch, recommendedOn: input.recommendedOn, unmatched };
}
