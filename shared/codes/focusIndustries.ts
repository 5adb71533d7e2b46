import { z } from 'zod';
import { isValidIndustryCode, parentIndustryCode } from './industries.ts';

/**
 * The focus industries of 工信部联节〔2018〕247号 (食品、建材、纺织、轻工、机械), as GB/T 4754-2017
 * codes. The notice names the industries only; the code mapping is the bank's reading of it, so it
 * is reference data that head office may replace. The schema below validates such a replacement.
 */

export const focusIndustryGroupSchema = z.object({
  /** Stable key for statistics and translations; never shown. */
  key: z.string().regex(/^[a-z][a-zA-Z]*$/),
  zh: z.string().trim().min(1).max(20),
  en: z.string().trim().min(1).max(60),
  /** Sections, divisions, groups or classes; a code covers everything beneath it. */
  codes: z.array(z.string().refine(isValidIndustryCode)).min(1),
});

export const focusIndustryGroupingsSchema = z
  .object({
    version: z.int().positive(),
    /** The policy text the grouping implements, shown beside statistics. */
    source: z.string().trim().min(1).max(200),
    groups: z.array(focusIndustryGroupSchema).min(1),
  })
  .superRefine((groupings, ctx) => {
    // The same code in two groups would make focusGroupOf ambiguous; nesting (C38 in one group,
    // C385 in another) is fine and resolved by specificity.
    const seenKeys = new Set<string>();
    const groupOfCode = new Map<string, string>();
    groupings.groups.forEach((group, g) => {
      if (seenKeys.has(group.key)) {
        ctx.addIssue({ code: 'custom', path: ['groups', g, 'key'], message: `duplicate group key ${group.key}`, input: group.key });
      }
      seenKeys.add(group.key);
      group.codes.forEach((code, c) => {
        const other = groupOfCode.get(code);
        if (other !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['groups', g, 'codes', c],
            message: `${code} is already in group ${other}`,
            input: code,
            params: { reason: 'duplicateCode', code, group: other },
          });
        }
        groupOfCode.set(code, group.key);
      });
    });
  });

export type FocusIndustryGroup = z.infer<typeof focusIndustryGroupSchema>;
export type FocusIndustryGroupings = z.infer<typeof focusIndustryGroupingsSchema>;

export const defaultFocusIndustryGroupings: FocusIndustryGroupings = {
  version: 1,
  source: '工信部联节〔2018〕247号《关于推进金融支持县域工业绿色发展工作的通知》',
  groups: [
    { key: 'food', zh: '食品', en: 'Food', codes: ['C13', 'C14', 'C15'] },
    { key: 'buildingMaterials', zh: '建材', en: 'Building materials', codes: ['C30'] },
    { key: 'textiles', zh: '纺织', en: 'Textiles', codes: ['C17', 'C18', 'C28'] },
    {
      key: 'lightIndustry',
      zh: '轻工',
      en: 'Light industry',
      // C385 household electrical appliances sits inside C38, which is machinery.
      codes: ['C19', 'C20', 'C21', 'C22', 'C23', 'C24', 'C29', 'C385'],
    },
    { key: 'machinery', zh: '机械', en: 'Machinery', codes: ['C33', 'C34', 'C35', 'C38', 'C40'] },
  ],
};

/**
 * The focus group an enterprise's industry falls in, or undefined. Precedence: the most specific
 * listed code wins, so C3851 (household refrigerators) is light industry through C385 even though
 * machinery lists its division C38; C3811 (generators) stays machinery.
 */
export function focusGroupOf(industryCode: string, groupings: FocusIndustryGroupings): FocusIndustryGroup | undefined {
  if (!isValidIndustryCode(industryCode)) return undefined;
  const groupByCode = new Map<string, FocusIndustryGroup>();
  for (const group of groupings.groups) for (const code of group.codes) groupByCode.set(code, group);
  for (let at: string | undefined = industryCode; at !== undefined; at = parentIndustryCode(at)) {
    const group = groupByCode.get(at);
    if (group) return group;
  }
  return undefined;
}
