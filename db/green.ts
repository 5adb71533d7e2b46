import { catalogueReferenceSetName, catalogueWith, publishedCatalogueSchema, type Catalogue, type CatalogueVersion } from '../shared/codes/greenCatalogues.ts';
import { benefitColumns as sharedBenefitColumns, conversionFactorSetSchema, defaultConversionFactors, type ConversionFactorSet, type ProjectBenefits } from '../shared/domain/environmentalBenefit.ts';
import type { EnvironmentalRatingLevel } from '../shared/domain/environmentalRating.ts';
import { evidenceIds, type GreenTagOwnerType, type GreenTagStatus } from '../shared/domain/greenTag.ts';
import { defaultGreenwashingBounds, greenwashingBoundsSchema, type GreenwashingBounds } from '../shared/domain/greenwashing.ts';
import { prepared, type Db } from './open.ts';
import type { Row } from './records.ts';
import { referenceSet, referenceSetNames } from './reference.ts';

/** Repository of green tags (0017): tag ↔ columns, the tags with their borrowers, and the reference sets they use. */
export interface GreenTagRow {
  id: string;
  version: number;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  owner_type: GreenTagOwnerType;
  owner_id: string;
  catalogue_version: CatalogueVersion;
  catalogue_code: string | null;
  project_total_investment_fen: number | null;
  coal_saved_tce: string | null;
  co2_reduced_t: string | null;
  cod_reduced_t: string | null;
  nh3n_reduced_t: string | null;
  so2_reduced_t: string | null;
  nox_reduced_t: string | null;
  water_saved_t: string | null;
  evidence_attachment_ids: string;
  status: GreenTagStatus;
  prepared_by: string;
  confirmed_by: string | null;
  confirmed_at: string | null;
  notes: string | null;
}

/** Benefit indicator ↔ column (shared/domain's, held to this table's columns). */
export const benefitColumns = sharedBenefitColumns satisfies Record<keyof ProjectBenefits, keyof GreenTagRow>;

export function benefitsOf(row: GreenTagRow): ProjectBenefits {
  return Object.fromEntries(Object.entries(benefitColumns).map(([indicator, column]) => [indicator, row[column]])) as ProjectBenefits;
}

export function benefitValues(benefits: ProjectBenefits): Row {
  return Object.fromEntries(Object.entries(benefitColumns).map(([indicator, column]) => [column, benefits[indicator as keyof ProjectBenefits]]));
}

export function getGreenTag(db: Db, id: string): GreenTagRow | undefined {
  return prepared(db, 'SELECT * FROM green_tags WHERE id = ? AND deleted_at IS NULL').get(id) as GreenTagRow | undefined;
}

/** The owner's live tag (the oldest, should sync have brought in two made offline). */
export function tagOf(db: Db, ownerType: GreenTagOwnerType, ownerId: string): GreenTagRow | undefined {
  return prepared(db, 'SELECT * FROM green_tags WHERE owner_type = ? AND owner_id = ? AND deleted_at IS NULL ORDER BY created_at, id LIMIT 1').get(ownerType, ownerId) as
    | GreenTagRow
    | undefined;
}

/** Evidence files attached to the tag now. */
export function evidenceCount(db: Db, tagId: string): number {
  return prepared(db, "SELECT count(*) FROM attachments WHERE owner_type = 'green_tags' AND owner_id = ? AND deleted_at IS NULL").pluck().get(tagId) as number;
}

export function liveEvidenceIds(db: Db, tagId: string): string[] {
  return prepared(db, "SELECT id FROM attachments WHERE owner_type = 'green_tags' AND owner_id = ? AND deleted_at IS NULL ORDER BY created_at, id").pluck().all(tagId) as string[];
}

/** A tag with what the greenwashing rules and the summary read of its owner and borrower. */
export interface TaggedRecordRow extends GreenTagRow {
  label: string;
  enterprise_id: string;
  enterprise_name: string;
  environmental_rating: EnvironmentalRatingLevel | null;
  negative_list: number;
  /** Loans: balance in fen; applications: null. */
  balance_fen: number | null;
  evidence_count: number;
}

/**
 * Every live tag with its owner and borrower. A branch holds tags by the thousand, not by the
 * hundred thousand, so the rules run over them in the host rather than in SQL (one query, no N+1).
 */
export function taggedRecords(db: Db): TaggedRecordRow[] {
  return prepared(
    db,
    `SELECT t.*,
       coalesce(l.loan_number, coalesce(a.project_name, a.purpose, '')) AS label,
       coalesce(l.enterprise_id, a.enterprise_id, '') AS enterprise_id,
       coalesce(e.name, '') AS enterprise_name,
       e.environmental_rating AS environmental_rating,
       coalesce(e.negative_list, 0) AS negative_list,
       l.balance_fen AS balance_fen,
       (SELECT count(*) FROM attachments x WHERE x.owner_type = 'green_tags' AND x.owner_id = t.id AND x.deleted_at IS NULL) AS evidence_count
     FROM green_tags t
     LEFT JOIN loans l ON t.owner_type = 'loan' AND l.id = t.owner_id AND l.deleted_at IS NULL
     LEFT JOIN credit_applications a ON t.owner_type = 'credit_application' AND a.id = t.owner_id AND a.deleted_at IS NULL
     LEFT JOIN enterprises e ON e.id = coalesce(l.enterprise_id, a.enterprise_id)
     WHERE t.deleted_at IS NULL AND (l.id IS NOT NULL OR a.id IS NOT NULL)
     ORDER BY t.updated_at DESC, t.id`,
  ).all() as TaggedRecordRow[];
}

/** The evidence a confirmed tag counts: what the manager confirmed; a draft's: what is attached now. */
export function countedEvidence(row: GreenTagRow, attachedNow: number): number {
  return row.status === 'confirmed' ? evidenceIds(row.evidence_attachment_ids).length : attachedNow;
}

// ---------------------------------------------------------------------------------------------
// Reference sets (published by head office, shipped defaults otherwise)

export function catalogueOf(db: Db, version: CatalogueVersion): Catalogue {
  return catalogueWith(version, referenceSet(db, catalogueReferenceSetName(version), publishedCatalogueSchema));
}

export function conversionFactors(db: Db): ConversionFactorSet {
  return referenceSet(db, referenceSetNames.benefitFactors, conversionFactorSetSchema) ?? defaultConversionFactors;
}

export function greenwashingBounds(db: Db): GreenwashingBounds {
  return referenceSet(db, referenceSetNames.greenwashingBounds, greenwashingBoundsSchema) ?? defaultGreenwashingBounds;
}
