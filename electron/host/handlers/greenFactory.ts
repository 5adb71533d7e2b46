import type { GreenFactoryProjectDetail, GreenFactoryProjectRow, GreenFactoryQuarter } from '../../../shared/api/greenFactory.ts';
import { canMoveOutcome, greenFactoryProjectKindWords, matchmakingOutcomes, matchmakingOutcomeWords, type GreenFactoryProjectKind, type MatchmakingOutcome } from '../../../shared/domain/greenFactory.ts';
import { getEnterprise } from '../../../db/enterprises.ts';
import { personName } from '../../../db/identity.ts';
import type { Db } from '../../../db/open.ts';
import { insertRecord, updateRecord } from '../../../db/records.ts';
import { HostFailure, signedInUser, type Handler } from '../context.ts';
import { exportWorkbook, type SheetColumn } from '../../../shared/node/workbook.ts';
import { actorOf } from './identity.ts';

/**
 * Green-factory financing needs (seed 004): projects green factories put forward each quarter, and
 * the matchmaking history with each until 已授信 / 已放款 / 未达成. The quarter's screen and its .xlsx
 * come from one query (quarterOf), so the export has the screen's rows and totals.
 */

interface ProjectDbRow {
  id: string;
  version: number;
  enterprise_id: string;
  enterprise_name: string;
  enterprise_uscc: string;
  project_name: string;
  kind: GreenFactoryProjectKind;
  amount_sought_fen: number;
  quarter: string;
  contact_name: string | null;
  contact_phone: string | null;
  outcome: MatchmakingOutcome;
  outcome_reason: string | null;
  application_id: string | null;
  notes: string | null;
  last_contact_on: string | null;
  contacts: number;
}

const PROJECTS = `SELECT p.*, coalesce(e.name, '') AS enterprise_name, coalesce(e.uscc, '') AS enterprise_uscc,
    (SELECT max(c.contacted_on) FROM green_factory_contacts c WHERE c.project_id = p.id AND c.deleted_at IS NULL) AS last_contact_on,
    (SELECT count(*) FROM green_factory_contacts c WHERE c.project_id = p.id AND c.deleted_at IS NULL) AS contacts
  FROM green_factory_projects p LEFT JOIN enterprises e ON e.id = p.enterprise_id
  WHERE p.deleted_at IS NULL`;

const rowOf = (row: ProjectDbRow): GreenFactoryProjectRow => ({
  id: row.id,
  version: row.version,
  enterpriseId: row.enterprise_id,
  enterpriseName: row.enterprise_name,
  enterpriseUscc: row.enterprise_uscc,
  projectName: row.project_name,
  kind: row.kind,
  amountSought: row.amount_sought_fen,
  quarter: row.quarter,
  contactName: row.contact_name,
  contactPhone: row.contact_phone,
  outcome: row.outcome,
  outcomeReason: row.outcome_reason,
  applicationId: row.application_id,
  lastContactOn: row.last_contact_on,
  contacts: row.contacts,
});

function projectDetail(db: Db, id: string): GreenFactoryProjectDetail {
  const row = db.prepare(`${PROJECTS} AND p.id = ?`).get(id) as ProjectDbRow | undefined;
  if (row === undefined) throw new HostFailure('NOT_FOUND', `green_factory_projects ${id} not found`);
  const history = (
    db.prepare('SELECT id, contacted_on, note, outcome, created_by FROM green_factory_contacts WHERE project_id = ? AND deleted_at IS NULL ORDER BY contacted_on, created_at').all(id) as {
      id: string;
      contacted_on: string;
      note: string;
      outcome: MatchmakingOutcome;
      created_by: string;
    }[]
  ).map((contact) => ({ id: contact.id, contactedOn: contact.contacted_on, note: contact.note, outcome: contact.outcome, createdByName: personName(db, contact.created_by) }));
  return { ...rowOf(row), notes: row.notes, history };
}

export function quarterOf(db: Db, quarter: string): GreenFactoryQuarter {
  const rows = (db.prepare(`${PROJECTS} AND p.quarter = ? ORDER BY e.name, p.project_name, p.id`).all(quarter) as ProjectDbRow[]).map(rowOf);
  const byOutcome = Object.fromEntries(matchmakingOutcomes.map((outcome) => [outcome, rows.filter((row) => row.outcome === outcome).length])) as Record<MatchmakingOutcome, number>;
  return { quarter, rows, totals: { projects: rows.length, amountSought: rows.reduce((sum, row) => sum + row.amountSought, 0), byOutcome } };
}

export const greenFactoryQuarter: Handler<'greenFactory.quarter'> = (ctx, _call, input) => quarterOf(ctx.store.db, input.quarter);

export const greenFactoryGet: Handler<'greenFactory.get'> = (ctx, _call, input) => projectDetail(ctx.store.db, input.id);

export const greenFactoryCreate: Handler<'greenFactory.create'> = (ctx, call, input) => {
  const { db } = ctx.store;
  const { project } = input;
  if (getEnterprise(db, project.enterpriseId) === undefined) {
    throw new HostFailure('VALIDATION', '企业不在本支行的企业档案中', { issues: [{ path: ['project', 'enterpriseId'], code: 'ENTERPRISE_UNKNOWN', message: 'ENTERPRISE_UNKNOWN' }] });
  }
  const row = insertRecord(
    db,
    'green_factory_projects',
    {
      enterprise_id: project.enterpriseId,
      project_name: project.projectName,
      kind: project.kind,
      amount_sought_fen: project.amountSought,
      quarter: project.quarter,
      contact_name: project.contactName,
      contact_phone: project.contactPhone,
      outcome: 'need',
      outcome_reason: null,
      application_id: null,
      notes: project.notes,
    },
    actorOf(signedInUser(call), db),
    ctx.now(),
  );
  return projectDetail(db, row.id as string);
};

export const greenFactoryRecordContact: Handler<'greenFactory.recordContact'> = (ctx, call, input) => {
  const { db } = ctx.store;
  const actor = actorOf(signedInUser(call), db);
  const { contact } = input;
  db.transaction(() => {
    const project = projectDetail(db, input.projectId);
    if (project.version !== input.version) throw new HostFailure('CONFLICT', `green_factory_projects ${project.id} is at version ${project.version}, the contact was based on ${input.version}`);
    if (!canMoveOutcome(project.outcome, contact.outcome)) {
      throw new HostFailure('VALIDATION', `对接结果不能从「${matchmakingOutcomeWords[project.outcome]}」改为「${matchmakingOutcomeWords[contact.outcome]}」`, {
        issues: [{ path: ['contact', 'outcome'], code: 'OUTCOME_TRANSITION', message: 'OUTCOME_TRANSITION' }],
      });
    }
    if (contact.applicationId !== null) {
      const application = db.prepare('SELECT enterprise_id FROM credit_applications WHERE id = ? AND deleted_at IS NULL').pluck().get(contact.applicationId) as string | undefined;
      if (application !== project.enterpriseId) {
        throw new HostFailure('VALIDATION', '关联的授信申请不存在或属于另一家企业', { issues: [{ path: ['contact', 'applicationId'], code: 'APPLICATION_UNKNOWN', message: 'APPLICATION_UNKNOWN' }] });
      }
    }
    insertRecord(db, 'green_factory_contacts', { project_id: project.id, contacted_on: contact.contactedOn, note: contact.note, outcome: contact.outcome }, actor, ctx.now());
    updateRecord(
      db,
      'green_factory_projects',
      project.id,
      { outcome: contact.outcome, outcome_reason: contact.outcome === 'not_reached' ? contact.reason : null, ...(contact.applicationId === null ? {} : { application_id: contact.applicationId }) },
      actor,
      ctx.now(),
      { expectedVersion: project.version },
    );
  })();
  return projectDetail(db, input.projectId);
};

const yuan = (fen: number) => fen / 100;

/** The layout a branch sends to the industry department each quarter. */
const columns: SheetColumn<GreenFactoryProjectRow>[] = [
  { header: '季度', width: 10, value: (r) => r.quarter },
  { header: '企业名称', width: 34, value: (r) => r.enterpriseName },
  { header: '统一社会信用代码', width: 22, value: (r) => r.enterpriseUscc },
  { header: '项目名称', width: 34, value: (r) => r.projectName },
  { header: '项目类型', width: 14, value: (r) => greenFactoryProjectKindWords[r.kind] },
  { header: '融资需求（万元）', width: 16, value: (r) => yuan(r.amountSought) / 10_000 },
  { header: '联系人', width: 10, value: (r) => r.contactName ?? '' },
  { header: '联系电话', width: 16, value: (r) => r.contactPhone ?? '' },
  { header: '对接情况', width: 10, value: (r) => matchmakingOutcomeWords[r.outcome] },
  { header: '未达成原因', width: 24, value: (r) => r.outcomeReason ?? '' },
  { header: '最近对接日期', width: 14, value: (r) => r.lastContactOn ?? '' },
  { header: '对接次数', width: 10, value: (r) => r.contacts },
];

export const greenFactoryExport: Handler<'greenFactory.export'> = async (ctx, _call, input) => {
  const quarter = quarterOf(ctx.store.db, input.quarter);
  const { totals } = quarter;
  const totalsRow = ['合计', `${totals.projects} 个项目`, '', '', '', yuan(totals.amountSought) / 10_000, '', '', matchmakingOutcomes.filter((o) => totals.byOutcome[o] > 0).map((o) => `${matchmakingOutcomeWords[o]} ${totals.byOutcome[o]}`).join('，'), '', '', quarter.rows.reduce((sum, row) => sum + row.contacts, 0)];
  return exportWorkbook(`绿色工厂融资需求-${input.quarter}`, columns, quarter.rows, ctx.now(), totalsRow);
};
