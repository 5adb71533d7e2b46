import { caseCategoryWords, caseMeasureWords, caseSourceWords, caseStatusWords } from '../../../../shared/domain/rectification.ts';

/** Rectification tracking (整改跟踪): cases, follow-ups, the 整改 tab, the gate's case reasons. */
export const rectification = {
  rectification: {
    // Seed 000's own words (shared/domain/rectification.ts), also the letter's.
    categories: caseCategoryWords,
    measures: caseMeasureWords,
    sources: caseSourceWords,
    statuses: caseStatusWords,
  },
};
