import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleEnterpriseFile, testUscc } from '../../electron/host/testing.ts';
import { xlsxBase64 } from '../../electron/host/import/testFiles.ts';
import type { CatalogueView, GreenTagDetail, LoanDetail, SyncStatus } from '../../shared/api/index.ts';
import { noBenefits } from '../../shared/domain/environmentalBenefit.ts';
import { admin, startHub, type HubProcess } from './hub.ts';
import { enrolledLaptops, value, type Laptop } from './laptops.ts';

/**
 * Green tagging across head office and two laptops of one branch, over a real hub process: the 2025
 * catalogue's level-2/3 codes, imported by head office from an .xlsx and published as a reference set,
 * reach the laptop's code picker with its next sync (issue 14 acceptance 3); a tag prepared on one
 * laptop and confirmed by a manager on the other counts green on both.
 */
const pdf = Buffer.from(`%PDF-1.4\n1 0 obj << /Title (节能审查意见) >> endobj\n${'stream '.repeat(40)}\n%%EOF\n`).toString('base64');

describe('green tags across head office and two laptops', () => {
  let hub: HubProcess;
  let a: Laptop;
  let b: Laptop;
  const sync = async (laptop: Laptop) => {
    const status = await value<SyncStatus>(laptop.dispatch('sync.now', {}, laptop.sessions.officer));
    expect(status.lastError).toBeNull();
  };
  const catalogue = (laptop: Laptop) => value<CatalogueView>(laptop.dispatch('green.catalogue', { version: '2025' }, laptop.sessions.officer));

  beforeAll(async () => {
    hub = await startHub();
    ({ A: a, B: b } = await enrolledLaptops(hub, '浮梁县支行', `FL-GREEN-${Date.now() % 100_000}`, ['A', 'B']));
  }, 120_000);

  afterAll(async () => {
    a?.cleanup();
    b?.cleanup();
    await hub?.stop();
  });

  it('a head-office catalogue workbook with level-2/3 codes appears in the code picker after sync', async () => {
    expect((await catalogue(a)).entries.map((entry) => entry.code)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
    // Test codes under real level-1 categories; the names are marked as test data, not the catalogue's.
    const sheet = await xlsxBase64([
      ['代码', '名称', '层级', '上级代码'],
      ['1.1', '（测试）节能降碳装备', '二级', '1'],
      ['1.1.1', '（测试）高效节能锅炉', 3, '1.1'],
      ['2.1', '（测试）污染防治', 2, '2'],
    ]);
    const refused = await fetch(new URL('/admin/catalogues/2025/workbook', hub.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${hub.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ source: '总行测试', contentBase64: await xlsxBase64([['代码', '名称', '层级', '上级代码'], ['1.2.1', '缺上级', 3, '1.2']]) }),
    }).then((response) => response.json());
    expect(refused).toMatchObject({ ok: false, error: { details: { rows: [{ row: 2, field: 'parent' }] } } });
    const published = await admin<{ version: number; entries: number }>(hub, '/admin/catalogues/2025/workbook', { source: '总行 2026-12 导入（测试数据）', contentBase64: sheet });
    expect(published).toMatchObject({ entries: 3 });
    await sync(a);
    const picker = await catalogue(a);
    expect(picker.entries.filter((entry) => entry.level > 1).map((entry) => [entry.code, entry.name, entry.parent])).toEqual([
      ['1.1', '（测试）节能降碳装备', '1'],
      ['1.1.1', '（测试）高效节能锅炉', '1.1'],
      ['2.1', '（测试）污染防治', '2'],
    ]);
    expect(picker.entries.filter((entry) => entry.level === 1)).toHaveLength(9);
    expect(picker.sources).toContain('总行 2026-12 导入（测试数据）');
  });

  it('a tag prepared on A with a level-3 code and confirmed on B counts green on both', async () => {
    const enterprise = await value<{ id: string }>(a.dispatch('enterprises.create', { file: sampleEnterpriseFile('浮梁华盛建材有限公司', testUscc(14_101)) }, a.sessions.officer));
    const loan = await value<LoanDetail>(
      a.dispatch(
        'loans.create',
        {
          loan: {
            loanNumber: 'JK2026-14101',
            enterpriseId: enterprise.id,
            amount: 1_000_000_00,
            balance: 1_000_000_00,
            balanceAsOf: '2026-11-30',
            disbursedOn: '2026-02-01',
            maturesOn: '2029-01-31',
            rateBp: 345,
            classification: 'normal',
            guaranteeMode: 'credit',
            status: 'outstanding',
            purpose: '锅炉节能改造',
          },
        },
        a.sessions.officer,
      ),
    );
    const tag = await value<GreenTagDetail>(
      a.dispatch(
        'green.saveTag',
        { ownerType: 'loan', ownerId: loan.id, version: null, tag: { catalogueVersion: '2025', code: '1.1.1', totalInvestment: 4_000_000_00, benefits: { ...noBenefits, coalSavedTce: '800' } } },
        a.sessions.officer,
      ),
    );
    expect(tag.codeName).toBe('（测试）高效节能锅炉');
    await value(a.dispatch('attachments.add', { ownerType: 'green_tags', ownerId: tag.id, fileName: '节能审查意见.pdf', mime: 'application/pdf', contentBase64: pdf }, a.sessions.officer));
    await sync(a);
    await sync(b);
    expect(await value(a.dispatch('sync.rejections', {}, a.sessions.admin))).toEqual([]);
    const onB = await value<GreenTagDetail>(b.dispatch('green.tag', { ownerType: 'loan', ownerId: loan.id }, b.sessions.manager));
    expect(onB).toMatchObject({ code: '1.1.1', evidenceCount: 1, status: 'draft' });
    // B's own officer account is another person than A's: the manager on B is not the preparer.
    const confirmed = await value<GreenTagDetail>(b.dispatch('green.confirm', { id: onB.id, version: onB.version }, b.sessions.manager));
    expect(confirmed.standing).toEqual({ green: true });
    await sync(b);
    await sync(a);
    expect(await value<GreenTagDetail>(a.dispatch('green.tag', { ownerType: 'loan', ownerId: loan.id }, a.sessions.officer))).toMatchObject({ status: 'confirmed', standing: { green: true } });
    expect(await value(a.dispatch('green.summary', {}, a.sessions.officer))).toMatchObject({ greenLoans: 1, greenBalance: 1_000_000_00 });
  });
});
