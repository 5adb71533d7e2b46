import { beforeAll, describe, expect, it } from 'vitest';
import { i18next, initI18n } from '../i18n/index.ts';
import { consoleResources } from '../i18n/console/index.ts';
import { accountInput, accountRefusal, auditDetail, limitFen, signInRefusal, type T } from './forms.ts';

// The console's own words (zh-CN, as the console opens), through the same i18next the app uses.
let t: T;
const describeOther = (error: { code: string }) => `other:${error.code}`;
beforeAll(async () => {
  await initI18n('zh-CN', consoleResources);
  t = i18next.t.bind(i18next) as T;
});

const approver = { username: 'ho-approver.1', displayName: '孙审批', role: 'ho_approver' as const, password: 'Approver2026', approvalLimitWan: '2000' };

describe('the account form', () => {
  it('reads an approval limit in 万元 as fen, to the 分 of a 万元 figure with two decimals', () => {
    expect(limitFen('2000')).toEqual({ ok: true, fen: 2_000_000_000 });
    expect(limitFen('1000.5')).toEqual({ ok: true, fen: 1_000_500_000 });
    expect(limitFen('１,000')).toEqual({ ok: true, fen: 1_000_000_000 });
    for (const typed of ['0', '-5', '1.234', 'abc', '9'.repeat(12)]) expect([typed, limitFen(typed).ok]).toEqual([typed, false]);
  });

  it('gives the contract’s input for a valid approver, and a viewer without a limit', () => {
    expect(accountInput(approver, t)).toEqual({ ok: true, value: { username: 'ho-approver.1', displayName: '孙审批', role: 'ho_approver', password: 'Approver2026', approvalLimitFen: 2_000_000_000 } });
    // A limit typed for a role that has none is not sent.
    expect(accountInput({ ...approver, role: 'ho_viewer' }, t)).toMatchObject({ ok: true, value: { role: 'ho_viewer', approvalLimitFen: null } });
  });

  it('words every wrong field at once, in Chinese', () => {
    const wrong = accountInput({ username: 'x', displayName: ' ', role: 'ho_approver', password: 'short', approvalLimitWan: '' }, t);
    expect(wrong).toEqual({
      ok: false,
      errors: {
        username: '用户名须为 2–32 位字母、数字或 . _ -',
        displayName: '请填写姓名（至多 40 字）',
        password: '密码至少 8 位',
        approvalLimitWan: '总行审批人须填写审批权限（万元）',
      },
    });
    expect(accountInput({ ...approver, password: 'lettersonly' }, t)).toEqual({ ok: false, errors: { password: '密码须同时包含字母和数字' } });
    expect(accountInput({ ...approver, approvalLimitWan: '1.234' }, t)).toEqual({ ok: false, errors: { approvalLimitWan: '审批权限须为金额（万元），如 1000 或 1000.5' } });
    expect(accountInput({ ...approver, role: undefined }, t)).toEqual({ ok: false, errors: { role: '请选择角色' } });
  });

  it('puts the hub’s refusals on their field: a taken username, a field the hub’s own check refused; others on the form', () => {
    expect(accountRefusal({ code: 'CONFLICT', message: 'taken', details: { field: 'username' } }, 'ho-approver.1', t, describeOther)).toEqual({ field: 'username', message: '用户名「ho-approver.1」已被使用' });
    const invalid = { code: 'VALIDATION' as const, message: 'bad', details: { issues: [{ path: ['password'], code: 'custom', message: 'PASSWORD_TOO_WEAK' }] } };
    expect(accountRefusal(invalid, 'x', t, describeOther)).toEqual({ field: 'password', message: '密码须同时包含字母和数字' });
    expect(accountRefusal({ code: 'FORBIDDEN', message: 'no' }, 'x', t, describeOther)).toEqual({ message: 'other:FORBIDDEN' });
  });
});

describe('a sign-in refusal', () => {
  it('says how many tries are left, until when an account is locked (北京时间), and why else', () => {
    expect(signInRefusal({ code: 'UNAUTHENTICATED', message: '', details: { remainingAttempts: 4 } }, t, describeOther)).toBe('用户名或密码不正确，再错 4 次账户将被锁定 15 分钟');
    expect(signInRefusal({ code: 'UNAUTHENTICATED', message: '' }, t, describeOther)).toBe('用户名或密码不正确');
    expect(signInRefusal({ code: 'RATE_LIMITED', message: '', details: { reason: 'ACCOUNT_LOCKED', lockedUntil: '2026-12-07T04:15:00.000Z' } }, t, describeOther)).toBe(
      '密码错误次数过多，账户已锁定至 2026-12-07 12:15:00（北京时间），请稍后再试',
    );
    expect(signInRefusal({ code: 'FORBIDDEN', message: '', details: { reason: 'ACCOUNT_DISABLED' } }, t, describeOther)).toBe('该账户已停用，请联系总行管理员');
    expect(signInRefusal({ code: 'FORBIDDEN', message: '', details: { reason: 'ORIGIN' } }, t, describeOther)).toBe('请从控制台页面登录');
    expect(signInRefusal({ code: 'RATE_LIMITED', message: '' }, t, describeOther)).toBe('登录尝试过于频繁，请稍后再试');
    expect(signInRefusal({ code: 'NETWORK', message: 'down' }, t, describeOther)).toBe('other:NETWORK');
  });
});

describe('an audit entry’s detail', () => {
  it('names each field, shows a changed one as old → new and amounts in 元, and cuts a long one to a line', () => {
    expect(auditDetail('{"status":"escalated","version":3}', '{"status":"approved","version":3,"amountFen":123456789,"opinion":"同意"}', t)).toBe(
      '状态：escalated → approved；金额：1,234,567.89 元；意见：同意',
    );
    expect(auditDetail(null, '{"attempt":1}', t)).toBe('第几次失败：1');
    expect(auditDetail(null, '{"role":"ho_approver","approvalLimitFen":null,"disabled":false}', t)).toBe('角色：总行审批人；审批权限：—；停用：否');
    expect(auditDetail('{"level":"A"}', null, t)).toBe('评价等级：A → —');
    expect(auditDetail(null, null, t)).toBe('');
    expect(auditDetail(null, '"not an object"', t)).toBe('not an object');
    const long = auditDetail(null, JSON.stringify({ query: 'x'.repeat(500) }), t);
    expect(long).toHaveLength(241);
    expect(long.endsWith('…')).toBe(true);
  });
});
