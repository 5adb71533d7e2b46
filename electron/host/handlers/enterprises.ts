import type { EnterpriseDetail } from '../../../shared/api/enterprises.ts';
import type { EnterpriseFile, FinancialSnapshot, ResourceIndicators } from '../../../shared/domain/enterprise.ts';
import type { EnvironmentalRatingLevel } from '../../../shared/domain/environmentalRating.ts';
import { defaultFocusIndustryGroupings, focusIndustryGroupingsSchema, type FocusIndustryGroupings } from '../../../shared/codes/focusIndustries.ts';
import { referenceSet, referenceSetNames } from '../../../db/reference.ts';
import { can } from '../../../shared/domain/roles.ts';
import type { User } from '../../../shared/api/index.ts';
import { refreshEnterpriseRating } from '../../../db/derived.ts';
import type { Db } from '../../../db/open.ts';
import { insertRecord, softDeleteRecord, updateRecord, type Actor, type Row } from '../../../db/records.ts';
import { personName } from '../../../db/identity.ts';
import { childRows, enterpriseColumns, enterpriseFileOf, findEnterpriseByUscc, getEnterprise, listEnterprises, enterpriseSummaryOf } from '../../../db/enterprises.ts';
import { HostFailure, signedInUser, type Handler, type HostContext } from '../context.ts';
import { actorOf } from './identity.ts';

interface ChildRow {
  id: string;
  version: number;
  created_at: string;
  created_by: string;
}
interface RatingRow extends ChildRow {
  level: EnvironmentalRatingLevel;
  bureau: string;
  rated_on: string;
}
interface FinancialRow extends ChildRow {
  year: number;
  revenue_fen: number;
  total_assets_fen: number;
  liabilities_fen: number;
  profit_fen: number;
}
interface IndicatorRow extends ChildRow {
  year: number;
  energy_tce: string | null;
  water_m3: string | null;
  cod_t: string | null;
  nh3n_t: string | null;
  so2_t: string | null;
  nox_t: string | null;
  co2_t: string | null;
}
interface AttachmentRow extends ChildRow {
  file_name: string;
  mime: string;
  size: number;
  sha256: string;
  note: string | null;
}

/** The grouping in force: head office's published replacement (reference data, applied on sync), else the 2018 default. */
export function focusGroupings(db: Db): FocusIndustryGroupings {
  return referenceSet(db, referenceSetNames.focusIndustries, focusIndustryGroupingsSchema) ?? defaultFocusIndustryGroupings;
}


export function enterpriseDetail(db: Db, id: string): EnterpriseDetail {
  const row = getEnterprise(db, id);
  if (row === undefined) throw new HostFailure('NOT_FOUND', `Enterprise ${id} not found`);
  return {
    id: row.id,
    version: row.version,
    file: enterpriseFileOf(row),
    focusGroup: row.focus_group,
    environmentalRating: row.environmental_rating,
    ratings: childRows<RatingRow>(db, 'enterprise_ratings', id).map((r) => ({ id: r.id, version: r.version, level: r.level, bureau: r.bureau, ratedOn: r.rated_on })),
    financials: childRows<FinancialRow>(db, 'enterprise_financials', id).map((r) => ({
      id: r.id,
      version: r.version,
      year: r.year,
      revenue: r.revenue_fen,
      totalAssets: r.total_assets_fen,
      liabilities: r.liabilities_fen,
      profit: r.profit_fen,
    })),
    indicators: childRows<IndicatorRow>(db, 'enterprise_indicators', id).map((r) => ({
      id: r.id,
      version: r.version,
      year: r.year,
      energyTce: r.energy_tce,
      waterM3: r.water_m3,
      codT: r.cod_t,
      nh3nT: r.nh3n_t,
      so2T: r.so2_t,
      noxT: r.nox_t,
      co2T: r.co2_t,
    })),
    sameUscc: db.prepare('SELECT id, name FROM enterprises WHERE uscc = ? AND deleted_at IS NULL AND id <> ? ORDER BY created_at').all(row.uscc, id) as { id: string; name: string }[],
    attachments: childRows<AttachmentRow>(db, 'attachments', id).map((r) => ({
      id: r.id,
      fileName: r.file_name,
      mime: r.mime,
      size: r.size,
      sha256: r.sha256,
      note: r.note,
      createdAt: r.created_at,
      createdBy: r.created_by,
    })),
    createdAt: row.created_at,
    createdBy: row.created_by,
    createdByName: personName(db, row.created_by),
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
    updatedByName: personName(db, row.updated_by),
  };
}

const usccIssue = (code: string, message: string) => ({ issues: [{ path: ['file', 'identity', 'uscc'], code, message }] });

/** The part of checkFileRules that needs no store (the import's check thread runs it, issue 20). */
export function checkUsccOverride(role: User['role'], file: EnterpriseFile, current: { overrideReason: string | null } | null): void {
  const override = file.identity.usccCheckOverride?.reason ?? null;
  if (override !== null && override !== (current?.overrideReason ?? null) && !can(role, 'enterprise.overrideUscc')) {
    throw new HostFailure('FORBIDDEN', 'Only a credit manager may accept a USCC whose check character does not verify');
  }
}

/** The part of checkFileRules that reads the store, for a new file: its USCC is not another file's. */
export function checkUsccFree(db: Db, uscc: string): void {
  const existing = findEnterpriseByUscc(db, uscc);
  if (existing !== undefined) throw new HostFailure('VALIDATION', `USCC ${uscc} already belongs to ${existing.name}`, usccIssue('USCC_TAKEN', 'USCC_TAKEN'));
}

/**
 * Rules the schema cannot see: USCC unique within the branch, and only a credit manager may keep a
 * code whose check character does not verify (DOMAIN §1); the reason is stored with the file.
 */
function checkFileRules(db: Db, user: User, file: EnterpriseFile, current: { id: string; uscc: string; overrideReason: string | null } | null): void {
  checkUsccOverride(user.role, file, current);
  // Checked when a file takes on a USCC (new, or changed): two files that sync brought in with the
  // same code (filed offline on two laptops, migration 0009) stay editable until someone merges them.
  if (current !== null && current.uscc === file.identity.uscc) return;
  const existing = findEnterpriseByUscc(db, file.identity.uscc);
  if (existing !== undefined && existing.id !== current?.id) {
    throw new HostFailure('VALIDATION', `USCC ${file.identity.uscc} already belongs to ${existing.name}`, usccIssue('USCC_TAKEN', 'USCC_TAKEN'));
  }
}

/** Shared by the form and by import: creates or updates one file, audited, in one transaction. */
export function saveEnterpriseFile(ctx: HostContext, user: User, actor: Actor, file: EnterpriseFile, target: { id: string; version?: number } | null): string {
  const { db } = ctx.store;
  const columns = enterpriseColumns(file, focusGroupings(db));
  return db.transaction(() => {
    if (target === null) {
      checkFileRules(db, user, file, null);
      return insertRecord(db, 'enterprises', columns, actor, ctx.now()).id as string;
    }
    const current = getEnterprise(db, target.id);
    if (current === undefined) throw new HostFailure('NOT_FOUND', `Enterprise ${target.id} not found`);
    checkFileRules(db, user, file, { id: target.id, uscc: current.uscc, overrideReason: current.uscc_override_reason });
    updateRecord(db, 'enterprises', target.id, columns, actor, ctx.now(), target.version === undefined ? {} : { expectedVersion: target.version });
    return target.id;
  })();
}

/**
 * A new file's columns, its rules checked as saveEnterpriseFile checks them, without writing: the
 * bulk import writes many such files at once (db/records.ts insertRecords, one audit entry per chunk).
 */
export function newEnterpriseColumns(db: Db, user: User, file: EnterpriseFile, groupings: FocusIndustryGroupings): Row {
  checkFileRules(db, user, file, null);
  return enterpriseColumns(file, groupings);
}

export const enterprisesList: Handler<'enterprises.list'> = (ctx, _call, input) => {
  const { rows, total, totalCapped } = listEnterprises(ctx.store.db, input.filter, input.sort, input.offset, input.limit, input.exactTotal);
  return { rows: rows.map(enterpriseSummaryOf), total, totalCapped };
};

export const enterprisesGet: Handler<'enterprises.get'> = (ctx, _call, input) => enterpriseDetail(ctx.store.db, input.id);

export const enterprisesCreate: Handler<'enterprises.create'> = (ctx, call, input) => {
  const user = signedInUser(call);
  const id = saveEnterpriseFile(ctx, user, actorOf(user, ctx.store.db), input.file, null);
  return enterpriseDetail(ctx.store.db, id);
};

export const enterprisesUpdate: Handler<'enterprises.update'> = (ctx, call, input) => {
  const user = signedInUser(call);
  saveEnterpriseFile(ctx, user, actorOf(user, ctx.store.db), input.file, { id: input.id, version: input.version });
  return enterpriseDetail(ctx.store.db, input.id);
};

export const enterprisesRemove: Handler<'enterprises.remove'> = (ctx, call, input) => {
  const { db } = ctx.store;
  requireEnterprise(db, input.id);
  softDeleteRecord(db, 'enterprises', input.id, actorOf(signedInUser(call), db), ctx.now(), { expectedVersion: input.version, reason: input.reason });
  return { id: input.id };
};

function requireEnterprise(db: Db, id: string): void {
  if (getEnterprise(db, id) === undefined) throw new HostFailure('NOT_FOUND', `Enterprise ${id} not found`);
}

export const enterprisesAddRating: Handler<'enterprises.addRating'> = (ctx, call, input) => {
  const { db } = ctx.store;
  const actor = actorOf(signedInUser(call), db);
  db.transaction(() => {
    requireEnterprise(db, input.enterpriseId);
    const { level, bureau, ratedOn } = input.entry;
    insertRecord(db, 'enterprise_ratings', { enterprise_id: input.enterpriseId, level, bureau, rated_on: ratedOn }, actor, ctx.now());
    // The enterprise carries its newest rating, for filters and the credit gate: derived from the
    // records here exactly as on every laptop that pulls them (db/derived.ts), never synced on its
    // own. Not an edit of the enterprise: a version bump here would never reach head office (there
    // is nothing to send), and the laptop would hold the row one version ahead of everyone else.
    refreshEnterpriseRating(db, input.enterpriseId);
  })();
  return enterpriseDetail(db, input.enterpriseId);
};

/** One row per enterprise and year: saving a year again updates it (audited as a change). */
function upsertYear(ctx: HostContext, call: Parameters<Handler<'enterprises.saveFinancials'>>[1], table: 'enterprise_financials' | 'enterprise_indicators', enterpriseId: string, year: number, values: Record<string, string | number | null>) {
  const { db } = ctx.store;
  const actor = actorOf(signedInUser(call), db);
  db.transaction(() => {
    requireEnterprise(db, enterpriseId);
    const existing = db.prepare(`SELECT id FROM ${table} WHERE enterprise_id = ? AND year = ? AND deleted_at IS NULL`).pluck().get(enterpriseId, year) as string | undefined;
    if (existing === undefined) insertRecord(db, table, { enterprise_id: enterpriseId, year, ...values }, actor, ctx.now());
    else updateRecord(db, table, existing, values, actor, ctx.now());
  })();
  return enterpriseDetail(db, enterpriseId);
}

export const enterprisesSaveFinancials: Handler<'enterprises.saveFinancials'> = (ctx, call, { enterpriseId, snapshot }: { enterpriseId: string; snapshot: FinancialSnapshot }) =>
  upsertYear(ctx, call, 'enterprise_financials', enterpriseId, snapshot.year, {
    revenue_fen: snapshot.revenue,
    total_assets_fen: snapshot.totalAssets,
    liabilities_fen: snapshot.liabilities,
    profit_fen: snapshot.profit,
  });

export const enterprisesSaveIndicators: Handler<'enterprises.saveIndicators'> = (ctx, call, { enterpriseId, indicators: i }: { enterpriseId: string; indicators: ResourceIndicators }) =>
  upsertYear(ctx, call, 'enterprise_indicators', enterpriseId, i.year, {
    energy_tce: i.energyTce,
    water_m3: i.waterM3,
    cod_t: i.codT,
    nh3n_t: i.nh3nT,
    so2_t: i.so2T,
    nox_t: i.noxT,
    co2_t: i.co2T,
  });
