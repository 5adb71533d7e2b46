import { previewRecommendationImport, runRecommendationImport } from '../recommendations/importer.ts';
import { signedInUser, type Handler } from '../context.ts';

/** 项目互荐 list import (electron/host/recommendations/importer.ts). */
export const recommendationsImportPreview: Handler<'recommendations.importPreview'> = (ctx, _call, input) => previewRecommendationImport(ctx, input.fileName, input.contentBase64);

export const recommendationsImportRun: Handler<'recommendations.importRun'> = (ctx, call, input) => runRecommendationImport(ctx, signedInUser(call), input);
