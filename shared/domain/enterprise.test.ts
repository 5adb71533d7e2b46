import { describe, expect, it } from 'vitest';
import { localDateSchema } from './calendar.ts';
import {
  enterpriseFileSchema,
  enterpriseIdentitySchema,
  environmentalRatingEntrySchema,
  financialSnapshotSchema,
  phoneSchema,
  quantitySchema,
  resourceIndicatorsSchema,
  usccSchema,
  type EnterpriseFileInput,
} from './enterprise.ts';

const identity: EnterpriseFileInput['identity'] = {
  uscc: '91350100M000100Y43',
  name: '福州华盛建材有限公司',
  legalRepresentative: '林华盛',
  address: '福建省福州市鼓楼区五四路 1 号',
  divisionCode: '350102',
  contacts: [{ name: '陈会计', phone: '13905910000' }],
  industryCode: 'C3021',
  scale: 'small',
  ownership: 'private',
  employees: 86,
};

const file: EnterpriseFileInput = {
  identity,
  greenCredentials: {
    greenFactory: { level: 'provincial', year: 2023 },
    greenPark: null,
    greenSupplyChain: null,
    greenProducts: [{ name: '蒸压加气混凝土砌块', year: 2024 }],
    waterEfficiencyBenchmark: null,
    miitRecommendation: { recommended: true, date: '2024-06-18', batch: '2024年第二批' },
  },
  flags: {
    outdatedCapacity: { flagged: false },
    greenList: true,
    negativeList: false,
  },
};

const issuesOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; params?: unknown; message: string }[] } }) =>
  result.error?.issues ?? [];

describe('enterpriseFileSchema', () => {
  it('accepts a complete file and normalises what people type', () => {
    const parsed = enterpriseFileSchema.parse({
      ...file,
      identity: { ...identity, uscc: ' 91350100m000100y43 ', name: '  福州华盛建材有限公司 ', industryCode: 'c3021' },
    });
    expect(parsed.identity.uscc).toBe('91350100M000100Y43');
    expect(parsed.identity.name).toBe('福州华盛建材有限公司');
    expect(parsed.identity.industryCode).toBe('C3021');
    expect(parsed.identity.usccCheckOverride).toBeNull();
  });

  it('rejects unknown fields, so a typo is an error and not a silent loss', () => {
    expect(enterpriseFileSchema.safeParse({ ...file, identity: { ...identity, legalRep: '林' } }).success).toBe(false);
    expect(enterpriseFileSchema.safeParse({ ...file, extra: 1 }).success).toBe(false);
  });

  it.each([
    ['name of 1 character', { name: '华' }, ['identity', 'name']],
    ['name of 101 characters', { name: '华'.repeat(101) }, ['identity', 'name']],
    ['province-only division', { divisionCode: '350000' }, ['identity', 'divisionCode']],
    ['non-existent province', { divisionCode: '990102' }, ['identity', 'divisionCode']],
    ['industry code not in GB/T 4754', { industryCode: 'C3858' }, ['identity', 'industryCode']],
    ['industry code without section letter', { industryCode: '3021' }, ['identity', 'industryCode']],
    ['scale in Chinese', { scale: '小' }, ['identity', 'scale']],
    ['negative employees', { employees: -1 }, ['identity', 'employees']],
    ['fractional employees', { employees: 1.5 }, ['identity', 'employees']],
    ['bad contact phone', { contacts: [{ name: '陈', phone: '12345678901' }] }, ['identity', 'contacts', 0, 'phone']],
  ])('identity: %s', (_label, change, path) => {
    const result = enterpriseFileSchema.safeParse({ ...file, identity: { ...identity, ...change } });
    expect(issuesOf(result).map((issue) => issue.path)).toContainEqual(path);
  });

  it('accepts a prefecture-level division for a city without counties (东莞)', () => {
    expect(enterpriseIdentitySchema.safeParse({ ...identity, divisionCode: '441900' }).success).toBe(true);
  });

  it.each([
    ['a recommendation without its date', { miitRecommendation: { recommended: true, batch: '第一批' } }, ['greenCredentials', 'miitRecommendation', 'date']],
    ['an impossible date', { miitRecommendation: { recommended: true, date: '2024-02-30', batch: '第一批' } }, ['greenCredentials', 'miitRecommendation', 'date']],
    ['a green factory level that does not exist', { greenFactory: { level: 'county', year: 2023 } }, ['greenCredentials', 'greenFactory', 'level']],
    ['a green factory without its year', { greenFactory: { level: 'national' } }, ['greenCredentials', 'greenFactory', 'year']],
  ])('green credentials: %s', (_label, change, path) => {
    const result = enterpriseFileSchema.safeParse({ ...file, greenCredentials: { ...file.greenCredentials, ...change } });
    expect(issuesOf(result).map((issue) => issue.path)).toContainEqual(path);
  });

  it('needs an exit deadline once outdated capacity is flagged', () => {
    const flagged = (outdatedCapacity: unknown) =>
      enterpriseFileSchema.safeParse({ ...file, flags: { ...file.flags, outdatedCapacity } });
    expect(flagged({ flagged: true, exitDeadline: '2025-12-31', exitedOn: null }).success).toBe(true);
    expect(flagged({ flagged: true, exitDeadline: '2025-12-31', exitedOn: '2025-11-30' }).success).toBe(true);
    expect(issuesOf(flagged({ flagged: true, exitedOn: null })).map((i) => i.path)).toContainEqual(['flags', 'outdatedCapacity', 'exitDeadline']);
    expect(flagged({ flagged: false, exitDeadline: '2025-12-31' }).success).toBe(false);
  });
});

describe('USCC field', () => {
  it('carries the reason and the expected character for a bad check character', () => {
    const result = enterpriseIdentitySchema.safeParse({ ...identity, uscc: '91350100M000100Y44' });
    expect(issuesOf(result)).toEqual([
      expect.objectContaining({
        path: ['uscc'],
        message: '校验位应为 3',
        params: { reason: 'check', expected: '3', actual: '4' },
      }),
    ]);
  });

  it.each([
    ['91350100M00010', { reason: 'length', length: 14 }],
    ['91350100M000100I43', { reason: 'charset', character: 'I', position: 16 }],
    ['H1350100M000100Y43', { reason: 'authority', character: 'H', position: 1 }],
    ['9135A100M000100Y43', { reason: 'division', character: 'A', position: 5 }],
  ])('%s → %j', (uscc, params) => {
    const result = enterpriseIdentitySchema.safeParse({ ...identity, uscc });
    expect(issuesOf(result)).toEqual([expect.objectContaining({ path: ['uscc'], params })]);
  });

  it('is reported alongside other field errors, not after them', () => {
    const result = enterpriseIdentitySchema.safeParse({ ...identity, uscc: '91350100M000100Y44', name: '华' });
    expect(issuesOf(result).map((issue) => issue.path)).toEqual(expect.arrayContaining([['name'], ['uscc']]));
  });

  it('lets a recorded override excuse a check character that does not verify, and nothing else', () => {
    const override = { reason: '营业执照原件核对无误，登记机关赋码校验位异常' };
    expect(enterpriseIdentitySchema.safeParse({ ...identity, uscc: '91350100M000100Y44', usccCheckOverride: override }).success).toBe(true);
    const malformed = enterpriseIdentitySchema.safeParse({ ...identity, uscc: '91350100M000100I43', usccCheckOverride: override });
    expect(issuesOf(malformed)).toEqual([expect.objectContaining({ path: ['uscc'], params: expect.objectContaining({ reason: 'charset' }) })]);
    const tooShort = enterpriseIdentitySchema.safeParse({ ...identity, uscc: '91350100M000100Y44', usccCheckOverride: { reason: '对' } });
    expect(issuesOf(tooShort).map((issue) => issue.path)).toContainEqual(['usccCheckOverride', 'reason']);
  });

  it('refuses an override on a code that verifies', () => {
    const result = enterpriseIdentitySchema.safeParse({ ...identity, usccCheckOverride: { reason: '以防万一，先特批' } });
    expect(issuesOf(result)).toEqual([
      expect.objectContaining({ path: ['usccCheckOverride'], params: { reason: 'overrideNotNeeded' } }),
    ]);
  });

  it('standalone usccSchema normalises and checks', () => {
    expect(usccSchema.parse('９１３５０１００Ｍ０００１００Ｙ４３')).toBe('91350100M000100Y43');
    expect(issuesOf(usccSchema.safeParse('91350100M000100Y44'))).toEqual([
      expect.objectContaining({ path: [], params: { reason: 'check', expected: '3', actual: '4' } }),
    ]);
  });
});

describe('phoneSchema', () => {
  it.each([
    ['13905910000', '13905910000'],
    ['199 0591 0000', '19905910000'],
    ['0591-87654321', '0591-87654321'],
    ['059187654321', '059187654321'],
    ['010-62345678', '010-62345678'],
    ['021 6234 5678', '02162345678'],
    ['0798-8234567', '0798-8234567'], // 景德镇, 7-digit local number
    ['0998-2345678-801', '0998-2345678-801'], // 喀什, with an extension
    ['１３９０５９１００００', '13905910000'],
  ])('accepts %j as %j', (input, output) => {
    expect(phoneSchema.parse(input)).toBe(output);
  });

  it.each([
    ['12905910000'], // 12x is not a mobile prefix
    ['1390591000'], // 10 digits
    ['139059100001'],
    ['87654321'], // landline without area code
    ['010-1234567'], // 3-digit area codes have 8-digit numbers
    ['0591-07654321'], // local numbers do not start with 0
    ['400-800-8888'],
    ['+8613905910000'],
    [''],
  ])('rejects %j', (input) => {
    expect(phoneSchema.safeParse(input).success).toBe(false);
  });
});

describe('environmentalRatingEntrySchema', () => {
  it('accepts a rating and refuses unknown levels or undated ones', () => {
    const entry = { level: 'yellow', bureau: '景德镇市生态环境局', ratedOn: '2024-05-20' };
    expect(environmentalRatingEntrySchema.parse(entry)).toEqual(entry);
    expect(environmentalRatingEntrySchema.safeParse({ ...entry, level: 'orange' }).success).toBe(false);
    expect(environmentalRatingEntrySchema.safeParse({ ...entry, ratedOn: '2024/05/20' }).success).toBe(false);
    expect(environmentalRatingEntrySchema.safeParse({ ...entry, level: 'black' }).success).toBe(true);
  });
});

describe('financialSnapshotSchema', () => {
  const snapshot = { year: 2024, revenue: 12_345_678_900, totalAssets: 8_800_000_000, liabilities: 4_100_000_000, profit: -35_000_000 };

  it('takes integer fen; a loss is negative', () => {
    expect(financialSnapshotSchema.parse(snapshot)).toEqual(snapshot);
  });

  it.each([
    ['a float amount', { revenue: 123.45 }],
    ['an amount as a yuan string', { revenue: '123.45' }],
    ['negative total assets', { totalAssets: -1 }],
    ['an amount beyond 2^53', { liabilities: 2 ** 53 }],
    ['a two-digit year', { year: 24 }],
  ])('rejects %s', (_label, change) => {
    expect(financialSnapshotSchema.safeParse({ ...snapshot, ...change }).success).toBe(false);
  });
});

describe('resourceIndicatorsSchema', () => {
  it.each([['0'], ['12'], ['12.5'], ['1234.5678'], ['0.0001'], ['999999999999999.9999']])('quantity %j is accepted', (value) => {
    expect(quantitySchema.safeParse(value).success).toBe(true);
  });

  it.each([['1.23456'], ['-1'], ['1e3'], ['01.5'], ['.5'], ['1.'], ['1,234.5'], [''], ['NaN']])('quantity %j is rejected', (value) => {
    expect(quantitySchema.safeParse(value).success).toBe(false);
  });

  it('keeps the strings exactly, and null for an unreported figure', () => {
    const indicators = { year: 2024, energyTce: '1234.5600', waterM3: '88000', codT: '12.3', nh3nT: '0.85', so2T: null, noxT: '3.2', co2T: '3412.0875' };
    expect(resourceIndicatorsSchema.parse(indicators)).toEqual(indicators);
    expect(resourceIndicatorsSchema.safeParse({ ...indicators, co2T: 3412.0875 }).success).toBe(false);
  });
});

describe('localDateSchema', () => {
  it.each([
    ['2024-02-29', true],
    ['2025-02-29', false],
    ['2025-04-31', false],
    ['2025-1-5', false],
    ['2025-01-05T00:00:00Z', false],
    ['0202-05-01', false], // a typed year
    ['2202-05-01', false],
    ['1900-01-01', true],
  ])('%s → %s', (date, ok) => {
    expect(localDateSchema.safeParse(date).success).toBe(ok);
  });
});
