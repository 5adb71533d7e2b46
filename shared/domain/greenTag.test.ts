import { describe, expect, it } from 'vitest';
import { shippedCatalogues } from '../codes/greenCatalogues.ts';
import { checkConfirmation, confirmationMessage, greenStanding, greenTagLifecycle, type GreenTagFacts } from './greenTag.ts';
import type { Columns, LifecycleActor, LifecycleChange } from './lifecycle.ts';

const OFFICER = 'u-officer';
const MANAGER = 'u-manager';
/** Another loan officer (not the preparer), the branch head, a switched-off manager, someone unknown. */
const COLLEAGUE = 'u-colleague';
const HEAD = 'u-head';
const GONE = 'u-gone';
const STRANGER = 'u-stranger';

/** The branch's people directory as the hub holds it (the host passes its signed-in user instead). */
const directory: Record<string, LifecycleActor> = {
  [OFFICER]: { role: 'loan_officer', active: true },
  [MANAGER]: { role: 'credit_manager', active: true },
  'u-third': { role: 'credit_manager', active: true },
  [COLLEAGUE]: { role: 'loan_officer', active: true },
  [HEAD]: { role: 'branch_head', active: true },
  [GONE]: { role: 'credit_manager', active: false },
};
const judged = (change: LifecycleChange): LifecycleChange => ({ actor: directory[change.userId], ...change });
const catalogue2025 = shippedCatalogues['2025'];
const complete: GreenTagFacts = { catalogueVersion: '2025', code: '1', evidenceCount: 1, status: 'draft', preparedBy: OFFICER, confirmedBy: null };

describe('confirming a green tag', () => {
  it.each([
    ['a complete tag, by another person', complete, MANAGER, { ok: true }],
    ['by its preparer', complete, OFFICER, { ok: false, reason: 'fourEyes' }],
    ['without a code', { ...complete, code: null }, MANAGER, { ok: false, reason: 'gaps', gaps: ['noCode'] }],
    ['without evidence', { ...complete, evidenceCount: 0 }, MANAGER, { ok: false, reason: 'gaps', gaps: ['noEvidence'] }],
    ['with a code the catalogue lacks', { ...complete, code: '1.1' }, MANAGER, { ok: false, reason: 'gaps', gaps: ['unknownCode'] }],
    ['twice', { ...complete, status: 'confirmed', confirmedBy: MANAGER }, MANAGER, { ok: false, reason: 'alreadyConfirmed' }],
  ] as const)('%s', (_, tag, confirmer, expected) => {
    expect(checkConfirmation(tag, confirmer, catalogue2025)).toEqual(expected);
  });

  it('says what is missing, in Chinese', () => {
    expect(confirmationMessage({ ok: false, reason: 'gaps', gaps: ['noCode', 'noEvidence'] })).toBe('不能确认为绿色：未选择目录代码、未上传佐证材料');
  });
});

describe('a loan counts green only when confirmed with code and evidence', () => {
  it.each([
    ['confirmed, code and evidence', { ...complete, status: 'confirmed', confirmedBy: MANAGER }, '2025', { green: true }],
    ['complete but not confirmed: 待完善', complete, '2025', { green: false, gaps: ['notConfirmed'] }],
    ['a draft without code or evidence', { ...complete, code: null, evidenceCount: 0 }, '2025', { green: false, gaps: ['noCode', 'noEvidence', 'notConfirmed'] }],
    ['a confirmed 2021-coded loan stays green', { ...complete, catalogueVersion: '2021', code: '1.1.1.1', status: 'confirmed', confirmedBy: MANAGER }, '2021', { green: true }],
  ] as const)('%s', (_, tag, version, expected) => {
    expect(greenStanding(tag, shippedCatalogues[version])).toEqual(expected);
  });
});

const draft: Columns = {
  owner_type: 'loan',
  owner_id: 'loan-1',
  catalogue_version: '2025',
  catalogue_code: '1',
  evidence_attachment_ids: '["att-1"]',
  project_total_investment_fen: 50_000_000_00,
  coal_saved_tce: '1200',
  status: 'draft',
  prepared_by: OFFICER,
  confirmed_by: null,
  confirmed_at: null,
};
const confirmed: Columns = { ...draft, status: 'confirmed', confirmed_by: MANAGER, confirmed_at: '2026-12-01T08:00:00Z' };

const insert = (after: Columns, userId: string): LifecycleChange => ({ op: 'insert', before: undefined, after, fields: Object.keys(after), userId, source: 'device' });
const update = (before: Columns, change: Columns, userId: string, source: LifecycleChange['source'] = 'device'): LifecycleChange => ({
  op: 'update',
  before,
  after: { ...before, ...change },
  fields: Object.keys(change),
  userId,
  source,
});

describe('the green-tag rule the hub runs on synced rows', () => {
  it.each([
    ['a new draft by its preparer', insert(draft, OFFICER), []],
    ['confirmation by a second person, as themselves', update(draft, { status: 'confirmed', confirmed_by: MANAGER, confirmed_at: 'x' }, MANAGER), []],
    ['confirmation recording the evidence it saw', update({ ...draft, evidence_attachment_ids: '[]' }, { status: 'confirmed', confirmed_by: MANAGER, evidence_attachment_ids: '["att-1","att-2"]' }, MANAGER), []],
    ['withdrawing a confirmation to edit the code', update(confirmed, { status: 'draft', confirmed_by: null, confirmed_at: null, catalogue_code: '2', prepared_by: MANAGER }, MANAGER), []],
    ['a note on a confirmed tag', update(confirmed, { notes: '补充说明' }, OFFICER), []],
    ['a new tag born confirmed', insert(confirmed, OFFICER), ['NEW_TAG_CONFIRMED']],
    ['a new tag naming someone else as preparer', insert({ ...draft, prepared_by: MANAGER }, OFFICER), ['PREPARER_MISMATCH']],
    ['confirmed by its preparer', update(draft, { status: 'confirmed', confirmed_by: OFFICER }, OFFICER), ['FOUR_EYES_TAG', 'TAG_NOT_CREDIT_MANAGER']],
    ['confirmed by its preparer, a credit manager', update({ ...draft, prepared_by: MANAGER }, { status: 'confirmed', confirmed_by: MANAGER }, MANAGER), ['FOUR_EYES_TAG']],
    ['confirmed naming someone else as confirmer', update(draft, { status: 'confirmed', confirmed_by: MANAGER }, 'u-third'), ['CONFIRMER_MISMATCH']],
    ['confirmed without a code', update({ ...draft, catalogue_code: null }, { status: 'confirmed', confirmed_by: MANAGER }, MANAGER), ['CONFIRMED_WITHOUT_CODE']],
    ['confirmed without evidence', update({ ...draft, evidence_attachment_ids: '[]' }, { status: 'confirmed', confirmed_by: MANAGER }, MANAGER), ['CONFIRMED_WITHOUT_EVIDENCE']],
    ['a confirmed tag edited in place', update(confirmed, { coal_saved_tce: '99999', prepared_by: OFFICER }, OFFICER), ['CONFIRMED_TAG_LOCKED']],
    ['an edit that keeps the old preparer', update(draft, { catalogue_code: '3' }, MANAGER), ['PREPARER_MISMATCH']],
    ['a confirmed tag deleted', { op: 'delete', before: confirmed, after: confirmed, fields: [], userId: OFFICER, source: 'device' } as LifecycleChange, ['CONFIRMED_TAG_LOCKED']],
    ['a resolution may not leave a tag confirmed by its preparer', update(draft, { status: 'confirmed', confirmed_by: OFFICER }, MANAGER, 'resolution'), ['FOUR_EYES_TAG']],
    // Issue 14: confirmed by a credit manager, on the person's directory role.
    ['confirmed by another loan officer, as themselves', update(draft, { status: 'confirmed', confirmed_by: COLLEAGUE, confirmed_at: 'x' }, COLLEAGUE), ['TAG_NOT_CREDIT_MANAGER']],
    ['confirmed by the branch head', update(draft, { status: 'confirmed', confirmed_by: HEAD, confirmed_at: 'x' }, HEAD), ['TAG_NOT_CREDIT_MANAGER']],
    ['confirmed by a switched-off credit manager', update(draft, { status: 'confirmed', confirmed_by: GONE, confirmed_at: 'x' }, GONE), ['ACTOR_INACTIVE']],
    ['confirmed by someone the directory lacks', update(draft, { status: 'confirmed', confirmed_by: STRANGER, confirmed_at: 'x' }, STRANGER), ['UNKNOWN_ACTOR']],
    ['a confirmation withdrawn by the branch head (green.write is not theirs)', update(confirmed, { status: 'draft', confirmed_by: null, confirmed_at: null, catalogue_code: '2', prepared_by: HEAD }, HEAD), ['ROLE_NOT_PERMITTED']],
    ['a draft edited by someone the directory lacks (no step)', update({ ...draft, prepared_by: STRANGER }, { catalogue_code: '3' }, STRANGER), []],
  ])('%s', (_, change, rules) => {
    expect(greenTagLifecycle(judged(change)).map((issue) => issue.rule).sort()).toEqual(rules);
  });

  it('judges a head-office edit as before, its person not in the branch directory', () => {
    expect(greenTagLifecycle(update(draft, { status: 'confirmed', confirmed_by: 'h-1' }, 'h-1', 'head-office'))).toEqual([]);
  });

  it('reads the evidence column as JSON text (SQLite) or as an array (the wire)', () => {
    expect(greenTagLifecycle(judged(update({ ...draft, evidence_attachment_ids: ['att-1'] }, { status: 'confirmed', confirmed_by: MANAGER }, MANAGER)))).toEqual([]);
  });
});
