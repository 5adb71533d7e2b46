import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleEnterpriseFile, testUscc } from '../../electron/host/testing.ts';
import { registerExportPath, type ConsoleRegisterPage, type ConsoleRegisterRow } from '../../shared/api/console.ts';
import type { CollateralDetail, CollateralItemInput, CollateralSummary, EnterpriseDetail } from '../../shared/api/index.ts';
import { shanghaiDate } from '../../shared/domain/calendar.ts';
import { addDays } from '../../shared/domain/collateralValuation.ts';
import type { CollateralAlert, CollateralAlertKind } from '../../shared/domain/collateralAlerts.ts';
import { alertText } from '../../server/consoleRegisters.ts';
import { text } from '../../server/consoleText.ts';
import { FULIANG_COUNTY, LEPING_COUNTY, twoBranchConsole, type TwoBranches } from './consoleBranches.ts';
import { value, type Laptop } from './laptops.ts';

/**
 * Head office's collateral register with its alerts (issue 18, cross-branch registers): two branches'
 * laptops (浮梁县 and 乐平市, each its own county at the hub) record 排污权 items — one whose
 * registration lapses within the warning horizon and before the loan it secures matures, one
 * without an alert, and on 乐平 one whose registration lapses soon — and sync to a real hub process.
 * The console's 抵质押登记簿 shows each item's alerts in the words the laptop's alerts give; its
 * alert filter lists exactly the items each laptop's own register lists for that alert kind; its
 * county filter keeps one county's branches; the .xlsx export carries the alerts. Counts are
 * taken within this test's own items (their certificate numbers carry the run's suffix). The
 * register is the console API's (registers.page) as the app shows it; the record's page is the hub's.
 */


describe('the console’s collateral register shows the laptops’ alerts, filters by alert and county, and exports them', () => {
  let two: TwoBranches;
  const today = shanghaiDate(new Date());
  /** A register row's cell by its column's key. */
  const cell = (page: ConsoleRegisterPage, row: ConsoleRegisterRow, key: string) => row.cells[page.columns.findIndex((column) => column.key === key)];
  const certificates = (page: ConsoleRegisterPage) => page.rows.map((row) => cell(page, row, 'certificate')!).sort();
  /** The value of a console API answer (the hub's envelope). */
  const answer = <T,>(json: string): T => {
    const parsed = JSON.parse(json) as { ok: boolean; value: T };
    expect(parsed.ok).toBe(true);
    return parsed.value;
  };

  /** An approved, registered 排污权 item of a new enterprise on the laptop; its registration ends `expiresIn` days from today. */
  async function registeredItem(laptop: Laptop, n: number, expiresIn: number): Promise<CollateralDetail> {
    const enterprise = await value<EnterpriseDetail>(laptop.dispatch('enterprises.create', { file: sampleEnterpriseFile(`抵押预警测试企业${two.suffix}-${n}有限公司`, testUscc(18_700 + n)) }, laptop.sessions.officer));
    const item: CollateralItemInput = {
      enterpriseId: enterprise.id,
      details: { type: 'emission_right', pollutant: 'cod', quantity: '12.5', unit: 't/yr' },
      certificateNumber: `排污〔${two.suffix}〕${n}号`,
      certificateIssuer: '景德镇市生态环境局',
      validity: { from: addDays(today, -400), to: addDays(today, 3000) },
      valuation: { method: 'quantity_price', unitPriceFen: 300_000, basis: 'per_unit_year', appraisedOn: addDays(today, -30), appraiser: '江西中信评估有限公司' },
      pledgeRateBp: 8_000,
    };
    const created = await value<CollateralDetail>(laptop.dispatch('collateral.create', { item, submit: true }, laptop.sessions.officer));
    const approved = await value<CollateralDetail>(laptop.dispatch('collateral.act', { id: created.id, version: created.version, action: 'approve' }, laptop.sessions.manager));
    const registration = { registry: '江西省排污权交易中心', registrationNumber: `JXPW-${two.suffix}-${n}`, registeredOn: addDays(today, -60), expiresOn: addDays(today, expiresIn) };
    return value<CollateralDetail>(laptop.dispatch('collateral.act', { id: created.id, version: approved.version, action: 'register', registration }, laptop.sessions.officer));
  }

  /** A loan of the item's owner maturing in a year, linked to the item, which is then activated. */
  async function securing(laptop: Laptop, item: CollateralDetail): Promise<CollateralDetail> {
    const loan = await value<{ id: string }>(
      laptop.dispatch(
        'loans.create',
        {
          loan: {
            loanNumber: `JK-${two.suffix}-1`,
            enterpriseId: item.enterpriseId,
            amount: 6_000_000,
            balance: 5_000_000,
            balanceAsOf: today,
            disbursedOn: addDays(today, -20),
            maturesOn: addDays(today, 365),
            rateBp: 345,
            classification: 'normal',
            guaranteeMode: 'environmental_rights_pledge',
            status: 'outstanding',
            purpose: '购置污水处理设备',
          },
        },
        laptop.sessions.officer,
      ),
    );
    const linked = await value<CollateralDetail>(laptop.dispatch('collateral.linkLoan', { itemId: item.id, loanId: loan.id, securedAmountFen: null }, laptop.sessions.officer));
    return value<CollateralDetail>(laptop.dispatch('collateral.act', { id: item.id, version: linked.version, action: 'activate' }, laptop.sessions.officer));
  }

  const laptopItems = async (laptop: Laptop, alertKind: CollateralAlertKind) =>
    (await value<{ rows: CollateralSummary[] }>(laptop.dispatch('collateral.list', { filter: { alertKind }, limit: 500 }, laptop.sessions.officer))).rows
      .map((row) => row.certificateNumber)
      .filter((number) => number.includes(`〔${two.suffix}〕`));
  /** An item's alerts as its laptop page gets them: collateralAlerts' values (the API's schema keeps their figures open). */
  const alertsOnLaptop = async (laptop: Laptop, id: string) => (await value<CollateralDetail>(laptop.dispatch('collateral.get', { id }, laptop.sessions.officer))).alerts as CollateralAlert[];

  beforeAll(async () => {
    two = await twoBranchConsole('CA');
  }, 300_000);

  afterAll(async () => {
    await two?.stop();
  });

  it('shows each item’s alerts as the laptop computes them; the alert and county filters narrow it as the laptops’ own registers do; the export holds the alerts', async () => {
    const { fuliang, leping, fuliangName, lepingName, suffix, get, download, sync } = two;
    const lapsing = await securing(fuliang, await registeredItem(fuliang, 1, 10));
    const clean = await registeredItem(fuliang, 2, 1500);
    const lepingLapsing = await registeredItem(leping, 3, 20);
    await sync(fuliang);
    await sync(leping);

    // The laptops' own alerts: what the test is about.
    const alertsOn = { lapsing: await alertsOnLaptop(fuliang, lapsing.id), clean: await alertsOnLaptop(fuliang, clean.id), lepingLapsing: await alertsOnLaptop(leping, lepingLapsing.id) };
    expect(alertsOn.lapsing.map((alert) => alert.kind).sort()).toEqual(['expires_before_maturity', 'registration_expiring']);
    expect(alertsOn.clean).toEqual([]);
    expect(alertsOn.lepingLapsing.map((alert) => alert.kind)).toEqual(['registration_expiring']);

    const register = async (query: string) => answer<ConsoleRegisterPage>(await get(`/console/api/registers/collateral_items?q=${encodeURIComponent(`〔${suffix}〕`)}${query}`));
    const all = await register('');
    expect(certificates(all)).toEqual([lapsing, clean, lepingLapsing].map((item) => item.certificateNumber).sort());
    expect(all).toMatchObject({ title: '抵质押登记簿', total: 3, totalCapped: false, alerts: true });
    expect(all.rows.map((row) => row.branchName).sort()).toEqual([fuliangName, fuliangName, lepingName].sort());
    expect(all.columns.find((column) => column.key === 'alerts')).toMatchObject({ label: '预警', tags: true });
    for (const shown of ['生效', '已登记']) expect(all.rows.flatMap((row) => row.cells)).toContain(shown);
    // Every alert of the laptops, in the console's words, on its item's row (the app shows each as a tag).
    const alertsOf = (page: ConsoleRegisterPage, certificate: string) => page.rows.find((row) => cell(page, row, 'certificate') === certificate)?.alerts;
    expect(alertsOf(all, lapsing.certificateNumber)).toEqual(alertsOn.lapsing.map((alert) => ({ kind: alert.kind, text: alertText(alert) })));
    expect(alertsOf(all, lepingLapsing.certificateNumber)).toEqual(alertsOn.lepingLapsing.map((alert) => ({ kind: alert.kind, text: alertText(alert) })));
    expect(alertsOf(all, clean.certificateNumber)).toEqual([]);

    // The item's own page at head office shows the same alerts.
    const recordPath = all.rows.find((row) => row.rowId === lapsing.id)?.href;
    expect(recordPath).toMatch(new RegExp(`^/console/records/collateral_items/[0-9a-f-]{36}/${lapsing.id}$`));
    const record = JSON.parse(await get(recordPath!.replace('/console/records/', '/console/api/records/'))) as { value: { summary: { label: string; value: string }[] } };
    const alertsCell = record.value.summary.find((item) => item.label === '预警')?.value ?? '';
    for (const alert of alertsOn.lapsing) expect(alertsCell).toContain(alertText(alert));

    // The alert filter: the items each laptop's own register lists for the kind, across both branches.
    for (const kind of ['registration_expiring', 'expires_before_maturity', 'revaluation_overdue'] as const) {
      const expected = [...(await laptopItems(fuliang, kind)), ...(await laptopItems(leping, kind))].sort();
      expect([kind, certificates(await register(`&alert=${kind}`))]).toEqual([kind, expected]);
    }
    const expiring = await register('&alert=registration_expiring');
    expect(certificates(expiring)).toEqual([lapsing.certificateNumber, lepingLapsing.certificateNumber].sort());
    expect(expiring).toMatchObject({ total: 2, totalCapped: false });
    expect(certificates(await register('&alert=expires_before_maturity'))).toEqual([lapsing.certificateNumber]);
    expect(certificates(await register('&alert=any'))).toEqual([lapsing.certificateNumber, lepingLapsing.certificateNumber].sort());

    // The county filter: a county's branches only, alone and with the alert filter.
    expect(certificates(await register(`&county=${FULIANG_COUNTY}`))).toEqual([lapsing.certificateNumber, clean.certificateNumber].sort());
    expect(certificates(await register(`&county=${LEPING_COUNTY}`))).toEqual([lepingLapsing.certificateNumber]);
    expect(certificates(await register(`&county=${FULIANG_COUNTY}&alert=registration_expiring`))).toEqual([lapsing.certificateNumber]);
    // The other registers take it too: the enterprise register and one read from sync_rows.
    const enterprises = async (county: string) => answer<{ total: number; rows: { branchName: string }[] }>(await get(`/console/api/enterprises?q=${encodeURIComponent(`抵押预警测试企业${suffix}`)}&county=${county}`));
    expect(await enterprises(LEPING_COUNTY)).toMatchObject({ total: 1, rows: [{ branchName: lepingName }] });
    expect((await enterprises(FULIANG_COUNTY)).total).toBe(2);
    const applications = answer<ConsoleRegisterPage>(await get(`/console/api/registers/credit_applications?county=${LEPING_COUNTY}`));
    expect(applications.rows.every((row) => row.branchName === lepingName)).toBe(true);
    // The counties the filter offers are the branches' own.
    const filters = answer<{ counties: { code: string }[] }>(await get('/console/api/register-filters'));
    expect(filters.counties.map((county) => county.code)).toEqual(expect.arrayContaining([FULIANG_COUNTY, LEPING_COUNTY]));

    // The export as the page filters it (the app's button: the same query string), with the alerts in their column.
    const href = `${registerExportPath('collateral_items')}?q=${encodeURIComponent(`〔${suffix}〕`)}&alert=registration_expiring`;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await download(href));
    const sheet = workbook.worksheets[0]!;
    const headings = (sheet.getRow(1).values as unknown[]).slice(1);
    const alertsAt = headings.indexOf('预警') + 1;
    const certificateAt = headings.indexOf('权证编号') + 1;
    expect(alertsAt).toBeGreaterThan(0);
    const exported = new Map<string, string>();
    for (let n = 2; n <= sheet.rowCount; n += 1) exported.set(String(sheet.getRow(n).getCell(certificateAt).value), String(sheet.getRow(n).getCell(alertsAt).value));
    expect([...exported.keys()].sort()).toEqual([lapsing.certificateNumber, lepingLapsing.certificateNumber].sort());
    expect(exported.get(lapsing.certificateNumber)).toBe(alertsOn.lapsing.map(alertText).join(text('registers.listSeparator')));
    expect(exported.get(lepingLapsing.certificateNumber)).toBe(alertsOn.lepingLapsing.map(alertText).join(text('registers.listSeparator')));
  }, 300_000);
});
