import { describe, expect, it } from 'vitest';
import type { LifecycleActor } from './lifecycle.ts';
import {
  applyCollateralAction,
  checkRenewal,
  collateralRenewalLifecycle,
  collateralActions,
  collateralDetailsSchema,
  collateralItemLifecycle,
  collateralLifecycle,
  collateralStatuses,
  countsTowardValue,
  isValueLocked,
  type CollateralAction,
  type CollateralStatus,
} from './collateral.ts';

const allowed: [CollateralStatus, CollateralAction, CollateralStatus][] = [
  ['draft', 'submit', 'submitted'],
  ['submitted', 'approve', 'approved'],
  ['submitted', 'reject', 'rejected'],
  ['rejected', 'revise', 'draft'],
  ['approved', 'register', 'registered'],
  ['registered', 'activate', 'active'],
  ['active', 'release', 'released'],
  ['active', 'start_disposal', 'in_disposal'],
  ['in_disposal', 'complete_disposal', 'disposed'],
];

describe('collateral lifecycle: every allowed and every forbidden transition', () => {
  it('allows exactly the listed transitions (9 × 9 pairs of status and action)', () => {
    for (const from of collateralStatuses) {
      for (const action of collateralActions) {
        const listed = allowed.find(([f, a]) => f === from && a === action);
        expect(collateralLifecycle.target(from, action), `${from} —${action}→`).toBe(listed?.[2] ?? null);
      }
    }
  });

  it('reads a status change as its action, and a skip or a reversal as none', () => {
    for (const from of collateralStatuses) {
      for (const to of collateralStatuses) {
        const listed = allowed.find(([f, , t]) => f === from && t === to);
        expect(collateralLifecycle.actionBetween(from, to), `${from} → ${to}`).toBe(listed?.[1] ?? null);
      }
    }
  });

  it('released and disposed are final', () => {
    expect(collateralLifecycle.actionsFrom('released')).toEqual([]);
    expect(collateralLifecycle.actionsFrom('disposed')).toEqual([]);
    expect(collateralLifecycle.actionsFrom('active')).toEqual(['release', 'start_disposal']);
  });

  it('only registered items count toward value; only drafts and rejected items may be edited', () => {
    expect(collateralStatuses.filter(countsTowardValue)).toEqual(['registered', 'active', 'in_disposal']);
    expect(collateralStatuses.filter((status) => !isValueLocked(status))).toEqual(['draft', 'rejected']);
  });
});

describe('four-eyes: the maker neither approves nor rejects their own item', () => {
  const submitted = { status: 'submitted' as const, makerId: 'officer', checkerId: null };
  it.each([
    ['approve', 'manager', { ok: true, state: { status: 'approved', makerId: 'officer', checkerId: 'manager' } }],
    ['reject', 'manager', { ok: true, state: { status: 'rejected', makerId: 'officer', checkerId: 'manager' } }],
    ['approve', 'officer', { ok: false, rule: 'FOUR_EYES_MAKER' }],
    ['reject', 'officer', { ok: false, rule: 'FOUR_EYES_MAKER' }],
    ['register', 'manager', { ok: false, rule: 'ILLEGAL_TRANSITION' }],
  ] as const)('%s by %s', (action, actor, outcome) => {
    expect(applyCollateralAction(submitted, action, actor)).toEqual(outcome);
  });

  it('only the maker submits and revises; a revision clears the checker', () => {
    expect(applyCollateralAction({ status: 'draft', makerId: 'officer', checkerId: null }, 'submit', 'other')).toEqual({ ok: false, rule: 'NOT_MAKER' });
    expect(applyCollateralAction({ status: 'rejected', makerId: 'officer', checkerId: 'manager' }, 'revise', 'officer')).toEqual({ ok: true, state: { status: 'draft', makerId: 'officer', checkerId: null } });
    // After approval anyone of the branch with the permission registers, activates, releases.
    expect(applyCollateralAction({ status: 'approved', makerId: 'officer', checkerId: 'manager' }, 'register', 'officer')).toMatchObject({ ok: true, state: { status: 'registered' } });
  });
});

describe('the lifecycle rule head office runs on synced items', () => {
  const row = (status: CollateralStatus, checker: string | null = null) => ({ status, maker_id: 'officer', checker_id: checker });
  /** The branch's people directory as the hub holds it. */
  const directory: Record<string, LifecycleActor> = {
    officer: { role: 'loan_officer', active: true },
    colleague: { role: 'loan_officer', active: true },
    manager: { role: 'credit_manager', active: true },
    head: { role: 'branch_head', active: true },
    gone: { role: 'credit_manager', active: false },
  };
  const change = (before: ReturnType<typeof row> | undefined, after: ReturnType<typeof row>, userId: string, source: 'device' | 'head-office' | 'resolution' = 'device') =>
    collateralItemLifecycle({ op: before === undefined ? 'insert' : 'update', before, after, fields: ['status', 'checker_id'], userId, source, actor: directory[userId] });
  const rules = (issues: { rule: string }[]) => issues.map((issue) => issue.rule);

  it('accepts the maker creating a draft or a submitted item, and another user approving it', () => {
    expect(change(undefined, row('draft'), 'officer')).toEqual([]);
    expect(change(undefined, row('submitted'), 'officer')).toEqual([]);
    expect(change(row('submitted'), row('approved', 'manager'), 'manager')).toEqual([]);
    expect(change(row('approved', 'manager'), row('registered', 'manager'), 'officer')).toEqual([]);
  });

  it('refuses an approval by the maker pushed directly', () => {
    expect(change(row('submitted'), row('approved', 'officer'), 'officer')).toEqual([
      { field: 'checker_id', rule: 'FOUR_EYES_ROW', message: 'the checker must differ from the maker' },
      { field: 'checker_id', rule: 'COLLATERAL_NOT_CREDIT_MANAGER', message: 'only a credit manager approves or rejects a collateral item' },
      { field: 'checker_id', rule: 'FOUR_EYES_MAKER', message: 'the maker may not approve or reject their own collateral item' },
    ]);
  });

  it('refuses an approval by anyone but an active credit manager the directory knows (issue 15 acceptance 4)', () => {
    expect(rules(change(row('submitted'), row('approved', 'colleague'), 'colleague'))).toEqual(['COLLATERAL_NOT_CREDIT_MANAGER']);
    expect(rules(change(row('submitted'), row('rejected', 'head'), 'head'))).toEqual(['COLLATERAL_NOT_CREDIT_MANAGER']);
    expect(rules(change(row('submitted'), row('approved', 'gone'), 'gone'))).toEqual(['ACTOR_INACTIVE']);
    expect(rules(change(row('submitted'), row('approved', 'stranger'), 'stranger'))).toEqual(['UNKNOWN_ACTOR']);
    // The other steps need collateral.write: not the branch head's.
    expect(rules(change(row('approved', 'manager'), row('registered', 'manager'), 'head'))).toEqual(['ROLE_NOT_PERMITTED']);
    expect(rules(change(row('approved', 'manager'), row('registered', 'manager'), 'colleague'))).toEqual([]);
    // Head office's edits keep their treatment: its people are not in the branch directory.
    expect(rules(change(row('submitted'), row('approved', 'h-1'), 'h-1', 'head-office'))).toEqual([]);
  });

  it('refuses a skipped step, a checker who is not the approver, and an item born approved', () => {
    expect(change(row('submitted'), row('active', 'manager'), 'manager')).toEqual([{ field: 'status', rule: 'ILLEGAL_TRANSITION', message: expect.any(String) }]);
    expect(change(row('submitted'), row('approved', 'someone-else'), 'manager')).toEqual([{ field: 'checker_id', rule: 'ACTOR_MISMATCH', message: expect.any(String) }]);
    expect(change(undefined, row('approved', 'manager'), 'officer')).toEqual([{ field: 'status', rule: 'NOT_A_NEW_ITEM', message: expect.any(String) }]);
    expect(change(row('released', 'manager'), row('active', 'manager'), 'manager')).toEqual([{ field: 'status', rule: 'ILLEGAL_TRANSITION', message: expect.any(String) }]);
  });

  it('a conflict resolution needs only a four-eyes-clean row', () => {
    expect(change(row('submitted'), row('released', 'manager'), 'officer', 'resolution')).toEqual([]);
    expect(change(row('submitted'), row('approved', 'officer'), 'officer', 'resolution')).toHaveLength(1);
  });
});

describe('renewal of a registration (展期)', () => {
  const registered = (status: CollateralStatus, registrationExpiresOn: string | null = '2027-01-31') => ({ status, registrationExpiresOn });
  it.each([
    // The new last day is later than the current one: the day after is enough.
    [registered('active'), { renewedOn: '2027-01-20', expiresOn: '2028-01-31' }, null],
    [registered('registered'), { renewedOn: '2027-01-31', expiresOn: '2027-02-01' }, null],
    [registered('in_disposal'), { renewedOn: '2027-01-31', expiresOn: '2027-07-31' }, null],
    // Recorded after the registration lapsed: still a renewal of it (the lapsed days show as an alert until then).
    [registered('active'), { renewedOn: '2027-02-10', expiresOn: '2028-02-10' }, null],
    [registered('active'), { renewedOn: '2027-01-20', expiresOn: '2027-01-31' }, 'RENEWAL_NOT_LATER'],
    [registered('active'), { renewedOn: '2027-01-20', expiresOn: '2027-01-30' }, 'RENEWAL_NOT_LATER'],
    [registered('active'), { renewedOn: '2028-03-01', expiresOn: '2028-01-31' }, 'RENEWAL_ORDER'],
    ...(['draft', 'submitted', 'approved', 'rejected', 'released', 'disposed'] as const).map((status) => [registered(status), { renewedOn: '2027-01-20', expiresOn: '2028-01-31' }, 'NOT_RENEWABLE'] as const),
    [registered('active', null), { renewedOn: '2027-01-20', expiresOn: '2028-01-31' }, 'NOT_RENEWABLE'],
  ] as const)('%j renewed %j: %s', (item, renewal, rule) => {
    expect(checkRenewal(item, renewal)).toBe(rule);
  });

  const row = (status: CollateralStatus, registrationExpiresOn: string | null) => ({ status, maker_id: 'officer', checker_id: 'manager', registration_expires_on: registrationExpiresOn });
  const pushed = (before: ReturnType<typeof row>, after: ReturnType<typeof row>) =>
    collateralItemLifecycle({ op: 'update', before, after, fields: ['registration_expires_on'], userId: 'officer', source: 'device', actor: { role: 'loan_officer', active: true } }).map((issue) => issue.rule);

  it('head office lets a pushed renewal move the expiry later, never back, never away, never on a released item', () => {
    expect(pushed(row('active', '2027-01-31'), row('active', '2028-01-31'))).toEqual([]);
    expect(pushed(row('active', '2027-01-31'), row('active', '2026-12-31'))).toEqual(['RENEWAL_NOT_LATER']);
    expect(pushed(row('active', '2027-01-31'), row('active', null))).toEqual(['NOT_RENEWABLE']);
    expect(pushed(row('released', '2027-01-31'), row('released', '2028-01-31'))).toEqual(['NOT_RENEWABLE']);
    // The 登记 step sets it with the status: judged as that step.
    expect(pushed(row('approved', null), row('registered', '2027-01-31'))).toEqual([]);
  });

  it('a renewal record is written once', () => {
    const base = { before: undefined, after: {}, fields: [], userId: 'officer', source: 'device' as const };
    expect(collateralRenewalLifecycle({ ...base, op: 'insert' })).toEqual([]);
    expect(collateralRenewalLifecycle({ ...base, op: 'update', before: {} }).map((issue) => issue.rule)).toEqual(['RENEWAL_REWRITTEN']);
  });
});

describe('per-type fields', () => {
  it.each([
    [{ type: 'emission_right', pollutant: 'cod', quantity: '12.5', unit: 't/yr' }, true],
    [{ type: 'emission_right', pollutant: 'voc', quantity: '12.5', unit: 't/yr' }, false],
    [{ type: 'emission_right', pollutant: 'cod', quantity: '12.50001', unit: 't/yr' }, false], // > 4 decimals
    [{ type: 'carbon_allowance', kind: 'cea', complianceYear: 2025, quantity: '10000', unit: 'tCO2e' }, true],
    [{ type: 'water_right', quantity: '200000', unit: 'm3/yr' }, true],
    [{ type: 'water_right', quantity: '200000', unit: 't/yr' }, false],
    [{ type: 'green_ip', patents: [{ number: 'ZL201510123456.7', title: '一种污水处理装置' }] }, true],
    [{ type: 'green_ip', patents: [{ number: '201510123456.7', title: '一种污水处理装置' }] }, false],
    [{ type: 'green_ip', patents: [] }, false],
    [{ type: 'franchise', project: '浮梁县污水处理厂特许经营', grantor: '浮梁县住房和城乡建设局' }, true],
  ])('%j valid: %s', (details, valid) => {
    expect(collateralDetailsSchema.safeParse(details).success).toBe(valid);
  });
});
