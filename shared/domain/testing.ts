import { noEnterpriseFlags, noGreenCredentials, type EnterpriseFile } from './enterprise.ts';
import { usccCheckCharacter } from './uscc.ts';
import type { CaseFacts } from '../api/rectification.ts';

/** Test data (unit, integration and end-to-end tests; never the app). */

/** A valid USCC for test data: a fixed prefix, a serial in the organisation code, the right check character. */
export function testUscc(serial: number): string {
  const charset = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  let body = '';
  for (let n = serial, i = 0; i < 8; i += 1, n = Math.floor(n / 31)) body = charset[n % 31] + body;
  const first17 = `91360222${body}X`.slice(0, 17);
  return first17 + usccCheckCharacter(first17);
}

export function sampleEnterpriseFile(name: string, uscc: string, overrides: Partial<EnterpriseFile['identity']> = {}): EnterpriseFile {
  return {
    identity: {
      uscc,
      usccCheckOverride: null,
      name,
      legalRepresentative: '张建国',
      address: '江西省景德镇市浮梁县工业园区 1 号',
      divisionCode: '360222',
      contacts: [{ name: '李会计', phone: '13907981234' }],
      industryCode: 'C3012',
      scale: 'small',
      ownership: 'private',
      employees: 120,
      ...overrides,
    },
    greenCredentials: { ...noGreenCredentials, greenProducts: [] },
    flags: { ...noEnterpriseFlags },
  };
}

/** mulberry32: tiny, fast, seedable — for test plans and bench data that a seed reproduces. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A rectification case's facts as tests open one: an environmental case from a penalty decision, far from its deadline. */
export function sampleCaseFacts(enterpriseId: string, officerId: string, overrides: Partial<CaseFacts> = {}): CaseFacts {
  return {
    enterpriseId,
    category: 'environmental',
    source: 'penalty_decision',
    sourceReference: '浮环罚〔2026〕16号',
    sourceAuthority: '浮梁县生态环境局',
    sourceDate: '2026-05-20',
    foundOn: '2026-05-25',
    description: '窑炉烟气颗粒物超标排放',
    requiredActions: '更换布袋除尘设施，经第三方监测达标',
    deadline: '2099-08-31',
    measure: 'urge',
    exposurePlan: [],
    officerId,
    monitoringVisitId: null,
    ...overrides,
  };
}
