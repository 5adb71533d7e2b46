import { beforeAll, describe, expect, it } from 'vitest';
import dayjs from 'dayjs';
import { contract } from '../../../shared/api/index.ts';
import { usccCheckCharacter } from '../../../shared/domain/uscc.ts';
import { i18next, initI18n } from '../i18n/index.ts';
import { configureZodLocale } from '../forms.ts';
import { emptyFormValues, fromFormValues, toFormValues, type EnterpriseFormValues } from './formValues.ts';
import { changedPaths, enterpriseIssueText } from './validation.ts';

const first17 = '91360222MA35L0X1Q';
const uscc = first17 + usccCheckCharacter(first17);
const wrongCheck = first17 + (usccCheckCharacter(first17) === '0' ? '1' : '0');

function filled(): EnterpriseFormValues {
  const values = emptyFormValues('360222');
  Object.assign(values.file.identity, {
    uscc,
    name: '华盛建材有限公司',
    legalRepresentative: '王建国',
    address: '江西省景德镇市浮梁县工业园区 8 号',
    industryCode: 'C3012',
    scale: 'small',
    ownership: 'private',
    employees: 120,
    contacts: [{ name: '李会计', phone: '138 0798 1234' }],
  });
  return values;
}

const input = (values: EnterpriseFormValues) => ({ file: fromFormValues(values) });
const schema = contract['enterprises.create'].input;

describe('enterprise form values ↔ the file schema', () => {
  beforeAll(async () => {
    await initI18n('zh-CN');
    configureZodLocale('zh-CN');
  });

  it('a filled form parses into a file, and an edited file survives the round trip', () => {
    const values = filled();
    values.file.greenCredentials.greenFactory = { level: 'national', year: 2023 };
    values.file.greenCredentials.miitRecommendation = { recommended: true, date: dayjs('2024-05-20'), batch: '2024 年第一批' };
    values.file.flags.outdatedCapacity = { flagged: true, exitDeadline: dayjs('2025-12-31'), exitedOn: null };
    const parsed = schema.parse(input(values));
    expect(parsed.file.identity.contacts).toEqual([{ name: '李会计', phone: '13807981234' }]);
    expect(parsed.file.greenCredentials.miitRecommendation).toEqual({ recommended: true, date: '2024-05-20', batch: '2024 年第一批' });
    expect(parsed.file.flags.outdatedCapacity).toEqual({ flagged: true, exitDeadline: '2025-12-31', exitedOn: null });
    expect(schema.parse(input(toFormValues(parsed.file)))).toEqual(parsed);
  });

  it('an empty form reports each required field at its own path, as 「必填」', () => {
    const result = schema.safeParse(input(emptyFormValues()), { reportInput: true });
    expect(result.success).toBe(false);
    const byPath = new Map(result.error!.issues.map((issue) => [issue.path.join('.'), enterpriseIssueText(issue, i18next.t)]));
    for (const field of ['uscc', 'name', 'legalRepresentative', 'address', 'divisionCode', 'industryCode', 'scale', 'ownership']) {
      expect(byPath.get(`file.identity.${field}`), field).toBe('必填');
    }
  });

  it('a bad check character is refused with the expected character, in the UI language', async () => {
    const values = filled();
    values.file.identity.uscc = wrongCheck;
    const issue = schema.safeParse(input(values), { reportInput: true }).error!.issues.find((i) => i.path.join('.') === 'file.identity.uscc')!;
    expect(enterpriseIssueText(issue, i18next.t)).toBe(`校验位应为 ${usccCheckCharacter(first17)}`);
    await i18next.changeLanguage('en');
    expect(enterpriseIssueText(issue, i18next.t)).toBe(`The check character should be ${usccCheckCharacter(first17)}`);
    await i18next.changeLanguage('zh-CN');
  });

  it('sends the 特批 reason only while the code fails on its check character alone', () => {
    const values = filled();
    values.usccOverride = true;
    values.file.identity.usccCheckOverride = { reason: '已核对营业执照原件' };
    expect(fromFormValues(values).identity.usccCheckOverride).toBeNull();
    values.file.identity.uscc = wrongCheck;
    expect(fromFormValues(values).identity.usccCheckOverride).toEqual({ reason: '已核对营业执照原件' });
    expect(schema.safeParse(input(values)).success).toBe(true);
  });

  it('names what a pattern field expects instead of showing its regex', () => {
    const values = filled();
    values.file.identity.contacts = [{ name: '李会计', phone: '12345' }];
    values.file.identity.divisionCode = '360000';
    const issues = schema.safeParse(input(values), { reportInput: true }).error!.issues;
    const text = (path: string) => enterpriseIssueText(issues.find((i) => i.path.join('.') === path)!, i18next.t);
    expect(text('file.identity.contacts.0.phone')).toBe('请填写手机号或带区号的固定电话');
    expect(text('file.identity.divisionCode')).toBe('360000 是江西省的代码，请填写县级行政区划代码');
    values.file.identity.divisionCode = '360299';
    const unknown = schema.safeParse(input(values), { reportInput: true }).error!.issues.find((i) => i.path.join('.') === 'file.identity.divisionCode')!;
    expect(enterpriseIssueText(unknown, i18next.t)).toBe('360299 不是现行的县级行政区划代码');
  });

  it('a recognition without its year asks for the year', () => {
    const values = filled();
    values.file.greenCredentials.greenPark = { level: 'provincial', name: '浮梁县工业园区' };
    const issues = schema.safeParse(input(values), { reportInput: true }).error!.issues;
    expect(issues.map((i) => i.path.join('.'))).toEqual(['file.greenCredentials.greenPark.year']);
    expect(enterpriseIssueText(issues[0]!, i18next.t)).toBe('必填');
  });
});

describe('changedPaths (which fields an edit touched)', () => {
  it('walks nested objects and sparse Form.List arrays down to leaves; a date is a leaf', () => {
    const date = dayjs('2024-01-01');
    const changed = { file: { identity: { uscc: 'X', contacts: [, { phone: '1' }] }, flags: { outdatedCapacity: { exitDeadline: date } } } };
    expect(changedPaths(changed)).toEqual([
      ['file', 'identity', 'uscc'],
      ['file', 'identity', 'contacts'],
      ['file', 'identity', 'contacts', 1, 'phone'],
      ['file', 'flags', 'outdatedCapacity', 'exitDeadline'],
    ]);
  });
});
