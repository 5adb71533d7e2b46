import { beforeAll, describe, expect, it } from 'vitest';
import { i18next, initI18n } from '../i18n/index.ts';
import { consoleResources } from '../i18n/console/index.ts';
import type { T } from './forms.ts';
import { base64Of, cellText, editableText, fieldLabel, pathLabel, problemText, setTitle, toEdited, versionText } from './referenceView.ts';

let t: T;
beforeAll(async () => {
  await initI18n('zh-CN', consoleResources);
  t = i18next.t.bind(i18next) as T;
});

describe('the 参考数据 page’s cells', () => {
  it('shows an approval limit in 万元 to the 分 and a unit price in 元; other numbers as stored', () => {
    expect(cellText(300_000_000, 'limits.county.credit_manager', t)).toBe('300.00 万元');
    // A change below the 万元's two decimals is not rounded away.
    expect(cellText(1_000_000_001, 'limits.county.branch_head', t)).toBe('1,000.000001 万元');
    expect(cellText(9_749, 'priceFen', t)).toBe('97.49 元');
    expect(cellText(8_000, 'capBp', t)).toBe('8000');
    expect(cellText('0.714', 'value', t)).toBe('0.714');
  });

  it('joins a list with 、 both shown and for editing, and reads a boolean in words', () => {
    expect(cellText(['C25', 'C26'], 'codes', t)).toBe('C25、C26');
    expect(editableText(['C25', 'C26'])).toBe('C25、C26');
    expect(editableText(null)).toBe('');
    expect(cellText(true, 'flag', t)).toBe('是');
    expect(toEdited([{ path: 'groups', columns: ['key', 'codes'], rows: [{ key: 'steel', codes: ['C31', 'C32'] }] }])).toEqual([{ path: 'groups', columns: ['key', 'codes'], rows: [{ key: 'steel', codes: 'C31、C32' }] }]);
  });

  it('names fields, paths and sets in words, or by key where the resources have none', () => {
    expect(pathLabel('limits.county.credit_manager', t)).toBe('审批限额 · 县支行 · 客户经理');
    expect(fieldLabel('constructor', t)).toBe('constructor');
    expect(setTitle('approval-authority', t)).toBe('审批权限（动态授权）');
    expect(setTitle('some-list', t)).toBe('some-list');
    expect([versionText(0, t), versionText(3, t)]).toEqual(['默认值', 'v3']);
  });

  it('says where a problem is: the sheet, row, column and field', () => {
    const problem = { sheet: '参考价格', row: 3, column: 'B', field: '参考价格（分）', message: '无效输入' };
    expect(problemText(problem, true, t)).toBe('工作表「参考价格」第 3 行 B 列（参考价格（分））：无效输入');
    expect(problemText({ ...problem, column: null }, false, t)).toBe('表「参考价格」第 3 行（参考价格（分））：无效输入');
    expect(problemText({ sheet: '随便', row: null, column: null, field: null, message: '不认识这个工作表' }, true, t)).toBe('工作表「随便」：不认识这个工作表');
  });

  it('encodes an upload as base64 in slices, also past one slice', () => {
    const bytes = Uint8Array.from({ length: 0x8000 * 2 + 5 }, (_, index) => (index * 7) % 256);
    expect(base64Of(bytes)).toBe(Buffer.from(bytes).toString('base64'));
  });
});
