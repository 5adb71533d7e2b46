import { type Catalogue, type CatalogueVersion, lookupCode } from '../codes/greenCatalogues.ts';
import { actorIssue, type Columns, type LifecycleChange, type LifecycleIssue, type LifecycleValidator } from './lifecycle.ts';

/**
 * The green tag (绿色信贷标识) on a credit application or a loan: catalogue version + code, evidence
 * (attachments: EIA approval, energy audit, green-factory certificate …), the project's annual
 * benefits, and a credit manager's confirmation. Four-eyes: the confirming manager is not the person
 * who prepared the tag. A loan counts green only when its tag is confirmed, has a code the catalogue
 * knows and at least one piece of evidence; otherwise it is 待完善 and the reasons are said.
 */

export const greenTagOwnerTypes = ['credit_application', 'loan'] as const;
export type GreenTagOwnerType = (typeof greenTagOwnerTypes)[number];

export const greenTagStatuses = ['draft', 'confirmed'] as const;
export type GreenTagStatus = (typeof greenTagStatuses)[number];

/** The facts the rules look at, in the names the API uses. */
export interface GreenTagFacts {
  catalogueVersion: CatalogueVersion;
  code: string | null;
  evidenceCount: number;
  status: GreenTagStatus;
  preparedBy: string;
  confirmedBy: string | null;
}

/** Why a tag cannot be confirmed, or does not count green. */
export type GreenTagGap = 'noCode' | 'unknownCode' | 'noEvidence' | 'notConfirmed';

export const greenTagGapWords: Record<GreenTagGap, string> = {
  noCode: '未选择目录代码',
  unknownCode: '目录代码不在所选目录中',
  noEvidence: '未上传佐证材料',
  notConfirmed: '未经信贷经理确认',
};

/** What is missing before the tag can be confirmed (code, known code, evidence). */
export function confirmationGaps(tag: Pick<GreenTagFacts, 'code' | 'evidenceCount'>, catalogue: Catalogue): GreenTagGap[] {
  const gaps: GreenTagGap[] = [];
  if (tag.code === null || tag.code === '') gaps.push('noCode');
  else if (!lookupCode(catalogue, tag.code).ok) gaps.push('unknownCode');
  if (tag.evidenceCount < 1) gaps.push('noEvidence');
  return gaps;
}

export type GreenStanding = { green: true } | { green: false; gaps: GreenTagGap[] };

/** Whether the tagged loan counts as green in statistics; else 待完善 with every reason. */
export function greenStanding(tag: GreenTagFacts, catalogue: Catalogue): GreenStanding {
  const gaps = confirmationGaps(tag, catalogue);
  if (tag.status !== 'confirmed' || tag.confirmedBy === null) gaps.push('notConfirmed');
  return gaps.length === 0 ? { green: true } : { green: false, gaps };
}

export type ConfirmationCheck = { ok: true } | { ok: false; reason: 'gaps'; gaps: GreenTagGap[] } | { ok: false; reason: 'fourEyes' } | { ok: false; reason: 'alreadyConfirmed' };

/** Whether `confirmer` may confirm the tag now; the role (credit managers only) is greenTagLifecycle's, which the host and the hub both run. */
export function checkConfirmation(tag: GreenTagFacts, confirmer: string, catalogue: Catalogue): ConfirmationCheck {
  if (tag.status === 'confirmed') return { ok: false, reason: 'alreadyConfirmed' };
  if (confirmer === tag.preparedBy) return { ok: false, reason: 'fourEyes' };
  const gaps = confirmationGaps(tag, catalogue);
  return gaps.length === 0 ? { ok: true } : { ok: false, reason: 'gaps', gaps };
}

export function confirmationMessage(failure: Exclude<ConfirmationCheck, { ok: true }>): string {
  switch (failure.reason) {
    case 'alreadyConfirmed':
      return '该绿色标识已确认';
    case 'fourEyes':
      return '绿色标识须由录入人以外的信贷经理确认';
    case 'gaps':
      return `不能确认为绿色：${failure.gaps.map((gap) => greenTagGapWords[gap]).join('、')}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Over synced rows (table green_tags)

/** What the tag says: changing any of it after confirmation needs a new confirmation. */
export const greenTagContentColumns = [
  'owner_type',
  'owner_id',
  'catalogue_version',
  'catalogue_code',
  'evidence_attachment_ids',
  'project_total_investment_fen',
  'coal_saved_tce',
  'co2_reduced_t',
  'cod_reduced_t',
  'nh3n_reduced_t',
  'so2_reduced_t',
  'nox_reduced_t',
  'water_saved_t',
] as const;

export const greenTagConfirmationColumns = ['status', 'prepared_by', 'confirmed_by', 'confirmed_at'] as const;

const messages = {
  NEW_TAG_CONFIRMED: 'a new tag starts as a draft prepared by its author',
  PREPARER_MISMATCH: 'the person who edits a tag is recorded as its preparer',
  CONFIRMED_TAG_LOCKED: 'a confirmed tag is changed only by withdrawing its confirmation',
  CONFIRMER_MISMATCH: 'the confirming person must be the one who made the change',
  FOUR_EYES_TAG: 'the confirming credit manager must differ from the preparer',
  CONFIRMED_WITHOUT_CODE: 'a confirmed tag needs a catalogue code',
  CONFIRMED_WITHOUT_EVIDENCE: 'a confirmed tag needs evidence',
  TAG_NOT_CREDIT_MANAGER: 'only a credit manager confirms a green tag',
  ROLE_NOT_PERMITTED: 'the person’s role may not take this step',
} as const;
type Rule = keyof typeof messages;
const issue = (field: string, rule: Rule): LifecycleIssue => ({ field, rule, message: messages[rule] });

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** The evidence column holds a JSON array of attachment ids (as text in SQLite, parsed on the wire). */
export function evidenceIds(value: unknown): string[] {
  const parsed: unknown = typeof value === 'string' ? safeJson(value) : value;
  return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : [];
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return null;
  }
}

const changed = (before: Columns, after: Columns, column: string) => JSON.stringify(before[column] ?? null) !== JSON.stringify(after[column] ?? null);

/** What must hold of any confirmed row, whoever wrote it (a conflict resolution's values included). */
function rowInvariants(row: Columns): LifecycleIssue[] {
  if (row.status !== 'confirmed') return [];
  const issues: LifecycleIssue[] = [];
  const confirmedBy = text(row.confirmed_by);
  if (confirmedBy === null || confirmedBy === text(row.prepared_by)) issues.push(issue('confirmed_by', 'FOUR_EYES_TAG'));
  if (text(row.catalogue_code) === null) issues.push(issue('catalogue_code', 'CONFIRMED_WITHOUT_CODE'));
  if (evidenceIds(row.evidence_attachment_ids).length === 0) issues.push(issue('evidence_attachment_ids', 'CONFIRMED_WITHOUT_EVIDENCE'));
  return issues;
}

/**
 * The rule the hub runs on every change to green_tags (shared/sync/tables.ts) and the laptop's host
 * builds on: a draft is prepared by whoever edits it; confirming records the confirmer as the one who
 * changed the row, never the preparer, by a credit manager (roles.ts green.confirm, on the person's
 * directory entry: LifecycleChange.actor), and only with a code and evidence; a confirmed tag's content
 * is locked until its confirmation is withdrawn (status back to draft). Whether the code is in the
 * catalogue is the laptop's check (the hub does not hold every installation's catalogue depth).
 */
export const greenTagLifecycle: LifecycleValidator = (change: LifecycleChange) => {
  const { before, after, userId, source } = change;
  if (change.op === 'delete') return before?.status === 'confirmed' && source === 'device' ? [issue('status', 'CONFIRMED_TAG_LOCKED')] : [];
  const issues = rowInvariants(after);
  if (source !== 'device') return issues;
  if (before === undefined) {
    if (after.status !== 'draft' || text(after.confirmed_by) !== null) issues.push(issue('status', 'NEW_TAG_CONFIRMED'));
    if (text(after.prepared_by) !== userId) issues.push(issue('prepared_by', 'PREPARER_MISMATCH'));
    return issues;
  }
  const confirming = before.status !== 'confirmed' && after.status === 'confirmed';
  // Confirming records the evidence the manager saw; that is the confirmation, not an edit.
  const contentChanged = greenTagContentColumns.some((column) => !(confirming && column === 'evidence_attachment_ids') && changed(before, after, column));
  if (contentChanged && before.status === 'confirmed' && after.status === 'confirmed') issues.push(issue('status', 'CONFIRMED_TAG_LOCKED'));
  if (contentChanged && text(after.prepared_by) !== userId) issues.push(issue('prepared_by', 'PREPARER_MISMATCH'));
  else if (!contentChanged && changed(before, after, 'prepared_by')) issues.push(issue('prepared_by', 'PREPARER_MISMATCH'));
  if (confirming && text(after.confirmed_by) !== userId) issues.push(issue('confirmed_by', 'CONFIRMER_MISMATCH'));
  // The role of the person taking a step: confirming is a credit manager's; withdrawing a
  // confirmation (an edit of a confirmed tag) any preparer's — but never an unknown or switched-off account's.
  const withdrawing = before.status === 'confirmed' && after.status !== 'confirmed';
  const refused = confirming
    ? actorIssue(change, 'green.confirm', issue('confirmed_by', 'TAG_NOT_CREDIT_MANAGER'))
    : withdrawing
      ? actorIssue(change, 'green.write', issue('status', 'ROLE_NOT_PERMITTED'))
      : null;
  if (refused !== null) issues.push(refused);
  return issues;
};
