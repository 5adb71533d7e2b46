import type { GreenTagDetail, GreenwashingLine, GreenwashingReasonView } from '../../../shared/api/green.ts';
import type { User } from '../../../shared/api/index.ts';
import { catalogueInForce, checkCatalogueVersion, lookupCode, type Catalogue, type CatalogueVersion } from '../../../shared/codes/greenCatalogues.ts';
import { shanghaiDate } from '../../../shared/domain/calendar.ts';
import { bankShare, bankShareMessage } from '../../../shared/domain/environmentalBenefit.ts';
import type { EnvironmentalRatingLevel } from '../../../shared/domain/environmentalRating.ts';
import { checkConfirmation, confirmationMessage, greenStanding, greenTagLifecycle, type GreenTagFacts, type GreenTagOwnerType } from '../../../shared/domain/greenTag.ts';
import { greenwashingMessage, greenwashingReasons, type GreenwashingFacts, type GreenwashingReason } from '../../../shared/domain/greenwashing.ts';
import {
  benefitValues,
  benefitsOf,
  catalogueOf,
  countedEvidence,
  evidenceCount,
  getGreenTag,
  greenwashingBounds,
  liveEvidenceIds,
  tagOf,
  taggedRecords,
  type GreenTagRow,
} from '../../../db/green.ts';
import { personName } from '../../../db/identity.ts';
import { openEnvironmentalCases } from '../../../db/rectification.ts';
import type { Db } from '../../../db/open.ts';
import { getRecord, insertRecord, updateRecord, type Row } from '../../../db/records.ts';
import { HostFailure, signedInUser, type Handler } from '../context.ts';
import { actorOf } from './identity.ts';

/**
 * Green-loan tagging (绿色信贷标识): the tag of an application or a loan, its four-eyes confirmation,
 * and the greenwashing list. The rules are shared/domain/greenTag.ts and greenwashing.ts; the
 * lifecycle rule this host runs before writing is the one head office runs on every synced change.
 */

const issue = (path: string[], code: string, message: string) => ({ issues: [{ path, code, message }] });

const ownerTables: Record<GreenTagOwnerType, string> = { loan: 'loans', credit_application: 'credit_applications' };

/** The day the owner was approved, which decides the catalogue it is tagged under. */
function approvedOn(owner: Row, ownerType: GreenTagOwnerType, today: string): string {
  if (ownerType === 'loan') return String(owner.disbursed_on);
  return typeof owner.decided_at === 'string' ? shanghaiDate(new Date(owner.decided_at)) : today;
}

function ownerOf(db: Db, ownerType: GreenTagOwnerType, ownerId: string): Row {
  const owner = getRecord(db, ownerTables[ownerType], ownerId);
  if (owner === undefined || owner.deleted_at !== null) throw new HostFailure('NOT_FOUND', `${ownerType} ${ownerId} not found`);
  return owner;
}

const reasonView = (reason: GreenwashingReason): GreenwashingReasonView => ({ ...reason, message: greenwashingMessage(reason) });

/**
 * The one place a tag row becomes the rules' facts: what its standing and confirmation read
 * (greenTag.ts) and, with its borrower added, what the greenwashing check reads (greenwashing.ts).
 * `evidence` is the count the caller means: what the tag counts (countedEvidence), or what is
 * attached now when confirming.
 */
function tagFacts(row: GreenTagRow, evidence: number): GreenTagFacts & Omit<GreenwashingFacts, 'enterprise'> {
  return {
    catalogueVersion: row.catalogue_version,
    code: row.catalogue_code,
    evidenceCount: evidence,
    status: row.status,
    preparedBy: row.prepared_by,
    confirmedBy: row.confirmed_by,
    benefits: benefitsOf(row),
    totalInvestmentFen: row.project_total_investment_fen,
  };
}

type Borrower = GreenwashingFacts['enterprise'];

/** The borrower as the rules see it; open environmental cases read once per enterprise in a list. */
function borrowerReader(db: Db): (enterpriseId: string, rating: EnvironmentalRatingLevel | null, negativeList: boolean) => Borrower {
  const openCases = new Map<string, string[]>();
  return (enterpriseId, environmentalRating, negativeList) => {
    let cases = openCases.get(enterpriseId);
    if (cases === undefined) openCases.set(enterpriseId, (cases = openEnvironmentalCases(db, enterpriseId).map((open) => open.caseNumber)));
    return { environmentalRating, negativeList, openEnvironmentalCases: cases };
  };
}

function tagDetail(db: Db, row: GreenTagRow): GreenTagDetail {
  const catalogue = catalogueOf(db, row.catalogue_version);
  const attached = evidenceCount(db, row.id);
  const evidence = countedEvidence(row, attached);
  const owner = ownerOf(db, row.owner_type, row.owner_id);
  const enterprise = getRecord(db, 'enterprises', String(owner.enterprise_id));
  const facts = tagFacts(row, evidence);
  const borrower = borrowerReader(db)(String(owner.enterprise_id), (enterprise?.environmental_rating as EnvironmentalRatingLevel | null | undefined) ?? null, enterprise?.negative_list === 1);
  const { benefits } = facts;
  const lookup = row.catalogue_code === null ? undefined : lookupCode(catalogue, row.catalogue_code);
  let share: GreenTagDetail['bankShare'] = null;
  if (row.owner_type === 'loan') {
    const balance = Number(owner.balance_fen);
    const result = row.project_total_investment_fen === null ? null : bankShare(benefits, balance, row.project_total_investment_fen, String(owner.balance_as_of));
    share = result === null ? { ok: false, message: '未填写项目总投资，无法计算本行份额' } : result.ok ? { ok: true, asOf: result.asOf, balance, share: result.share } : { ok: false, message: bankShareMessage(result) };
  }
  return {
    id: row.id,
    version: row.version,
    ownerType: row.owner_type,
    ownerId: row.owner_id,
    catalogueVersion: row.catalogue_version,
    code: row.catalogue_code,
    codeName: lookup?.ok === true ? lookup.entry.name : null,
    totalInvestment: row.project_total_investment_fen,
    benefits,
    notes: row.notes,
    status: row.status,
    preparedBy: row.prepared_by,
    preparedByName: personName(db, row.prepared_by),
    confirmedBy: row.confirmed_by,
    confirmedByName: row.confirmed_by === null ? null : personName(db, row.confirmed_by),
    confirmedAt: row.confirmed_at,
    evidenceCount: attached,
    standing: greenStanding(facts, catalogue),
    greenwashing: greenwashingReasons({ ...facts, enterprise: borrower }, catalogue, greenwashingBounds(db)).map(reasonView),
    bankShare: share,
    updatedAt: row.updated_at,
  };
}

/** The same rule head office runs on the synced change, run here first so a refusal is said at once. */
function checkLifecycle(before: GreenTagRow | undefined, after: Row, user: User): void {
  // The signed-in user is active by definition; their role is judged by the rule the hub runs too.
  const actor = { role: user.role, active: true };
  const issues = greenTagLifecycle({ op: before === undefined ? 'insert' : 'update', before: before as unknown as Row | undefined, after, fields: Object.keys(after), userId: user.id, source: 'device', actor });
  if (issues.length > 0) throw new HostFailure('VALIDATION', issues.map((found) => found.message).join('; '), { issues: issues.map((found) => ({ path: [found.field], code: found.rule, message: found.message })) });
}

export const greenCatalogue: Handler<'green.catalogue'> = (ctx, _call, input) => {
  const catalogue = catalogueOf(ctx.store.db, input.version);
  return { ...catalogue, entries: [...catalogue.entries], sources: [...catalogue.sources], inForceToday: catalogueInForce(shanghaiDate(ctx.now())) === input.version };
};

export const greenTag: Handler<'green.tag'> = (ctx, _call, input) => {
  const { db } = ctx.store;
  ownerOf(db, input.ownerType, input.ownerId);
  const row = tagOf(db, input.ownerType, input.ownerId);
  return row === undefined ? null : tagDetail(db, row);
};

export const greenSaveTag: Handler<'green.saveTag'> = (ctx, call, input) => {
  const { db } = ctx.store;
  const user = signedInUser(call);
  const actor = actorOf(user, db);
  const id = db.transaction(() => {
    const owner = ownerOf(db, input.ownerType, input.ownerId);
    const { tag } = input;
    const versionCheck = checkCatalogueVersion(tag.catalogueVersion, approvedOn(owner, input.ownerType, shanghaiDate(ctx.now())));
    if (!versionCheck.ok) {
      throw new HostFailure('VALIDATION', `批准时《${catalogueOf(db, versionCheck.inForce).title}》已施行，应按该目录标识`, issue(['tag', 'catalogueVersion'], 'CATALOGUE_SUPERSEDED', 'CATALOGUE_SUPERSEDED'));
    }
    if (tag.code !== null && !lookupCode(catalogueOf(db, tag.catalogueVersion), tag.code).ok) {
      throw new HostFailure('VALIDATION', `目录代码 ${tag.code} 不在所选目录中`, issue(['tag', 'code'], 'CODE_UNKNOWN', 'CODE_UNKNOWN'));
    }
    const current = tagOf(db, input.ownerType, input.ownerId);
    if (current !== undefined && input.version !== current.version) {
      throw new HostFailure('CONFLICT', `green_tags ${current.id} is at version ${current.version}, the edit was based on ${input.version ?? 'none'}`);
    }
    const values: Row = {
      owner_type: input.ownerType,
      owner_id: input.ownerId,
      catalogue_version: tag.catalogueVersion,
      catalogue_code: tag.code,
      project_total_investment_fen: tag.totalInvestment,
      ...benefitValues(tag.benefits),
      notes: tag.notes,
      prepared_by: user.id,
    };
    if (current === undefined) {
      checkLifecycle(undefined, { ...values, status: 'draft', confirmed_by: null }, user);
      // Every column the hub's row schema needs is written, defaults included (the change carries what is written).
      return insertRecord(db, 'green_tags', { ...values, status: 'draft', evidence_attachment_ids: '[]' }, actor, ctx.now()).id as string;
    }
    const content = Object.entries(values).some(([column, value]) => column !== 'notes' && column !== 'prepared_by' && current[column as keyof GreenTagRow] !== value);
    // Only notes changed: the tag says the same, its preparer and confirmation stand.
    const patch: Row = content ? { ...values, status: 'draft', confirmed_by: null, confirmed_at: null, evidence_attachment_ids: '[]' } : { notes: tag.notes };
    checkLifecycle(current, { ...current, ...patch }, user);
    return updateRecord(db, 'green_tags', current.id, patch, actor, ctx.now(), { expectedVersion: current.version, ...(content && current.status === 'confirmed' ? { action: 'withdraw_confirmation' } : {}) }).id as string;
  })();
  return tagDetail(db, getGreenTag(db, id)!);
};

export const greenConfirm: Handler<'green.confirm'> = (ctx, call, input) => {
  const { db } = ctx.store;
  const user = signedInUser(call);
  db.transaction(() => {
    const current = getGreenTag(db, input.id);
    if (current === undefined) throw new HostFailure('NOT_FOUND', `green_tags ${input.id} not found`);
    if (current.version !== input.version) throw new HostFailure('CONFLICT', `green_tags ${input.id} is at version ${current.version}, the confirmation was based on ${input.version}`);
    const evidence = liveEvidenceIds(db, current.id);
    const check = checkConfirmation(tagFacts(current, evidence.length), user.id, catalogueOf(db, current.catalogue_version));
    if (!check.ok) {
      const code = check.reason === 'fourEyes' ? 'FOUR_EYES_TAG' : check.reason === 'gaps' ? 'TAG_INCOMPLETE' : 'TAG_CONFIRMED';
      throw new HostFailure('VALIDATION', confirmationMessage(check), { issues: [{ path: ['tag'], code, message: code, ...(check.reason === 'gaps' ? { params: { gaps: check.gaps } } : {}) }] });
    }
    const patch: Row = { status: 'confirmed', confirmed_by: user.id, confirmed_at: ctx.now().toISOString(), evidence_attachment_ids: JSON.stringify(evidence) };
    checkLifecycle(current, { ...current, ...patch }, user);
    updateRecord(db, 'green_tags', current.id, patch, actorOf(user, db), ctx.now(), { expectedVersion: current.version, action: 'confirm' });
  })();
  return tagDetail(db, getGreenTag(db, input.id)!);
};

/** Each catalogue read once per call (a list runs the rules over every tag). */
function catalogueReader(db: Db): (version: CatalogueVersion) => Catalogue {
  const catalogues = new Map<CatalogueVersion, Catalogue>();
  return (version) => catalogues.get(version) ?? catalogues.set(version, catalogueOf(db, version)).get(version)!;
}

export const greenGreenwashing: Handler<'green.greenwashing'> = (ctx) => {
  const { db } = ctx.store;
  const bounds = greenwashingBounds(db);
  const catalogue = catalogueReader(db);
  const borrower = borrowerReader(db);
  const lines: GreenwashingLine[] = [];
  for (const row of taggedRecords(db)) {
    const facts = { ...tagFacts(row, countedEvidence(row, row.evidence_count)), enterprise: borrower(row.enterprise_id, row.environmental_rating, row.negative_list === 1) };
    const reasons = greenwashingReasons(facts, catalogue(row.catalogue_version), bounds);
    if (reasons.length === 0) continue;
    lines.push({ tagId: row.id, ownerType: row.owner_type, ownerId: row.owner_id, label: row.label, enterpriseId: row.enterprise_id, enterpriseName: row.enterprise_name, status: row.status, reasons: reasons.map(reasonView) });
  }
  return lines;
};

export const greenSummary: Handler<'green.summary'> = (ctx) => {
  const { db } = ctx.store;
  let greenLoans = 0;
  let greenBalance = 0;
  let incompleteLoans = 0;
  const catalogue = catalogueReader(db);
  for (const row of taggedRecords(db)) {
    if (row.owner_type !== 'loan') continue;
    const standing = greenStanding(tagFacts(row, countedEvidence(row, row.evidence_count)), catalogue(row.catalogue_version));
    if (standing.green) {
      greenLoans += 1;
      greenBalance += row.balance_fen ?? 0;
    } else incompleteLoans += 1;
  }
  return { greenLoans, greenBalance, incompleteLoans };
};
