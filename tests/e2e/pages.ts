import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { expect, type Browser, type Download, type Locator, type Page } from '@playwright/test';
import { noEnterpriseFlags, noGreenCredentials } from '../../shared/domain/enterprise.ts';

/** Page objects for the flows many specs share (after Joplin's integration-test models). */
export const admin = { username: 'admin', displayName: '系统管理员', password: 'Admin2026ok' };

export async function completeSetup(page: Page): Promise<void> {
  const form = page.getByTestId('setup-form');
  await form.getByLabel('支行名称').fill('浮梁县支行');
  await form.getByLabel('机构代码').fill('36022201');
  await form.getByLabel('县级行政区划代码').fill('360222');
  await form.getByLabel('用户名').fill(admin.username);
  await form.getByLabel('姓名').fill(admin.displayName);
  await form.getByLabel('密码', { exact: true }).fill(admin.password);
  await form.getByLabel('确认密码').fill(admin.password);
  await form.getByRole('button', { name: '完成设置并登录' }).click();
  await expect(page.getByTestId('main-nav')).toBeVisible();
  await startFromEnterprises(page);
}

/**
 * The 工作台 is the first screen after sign-in (issue 17); the specs written before it start from
 * the enterprise register, as the app did then, so the helpers that land a fresh page go there.
 */
export async function startFromEnterprises(page: Page): Promise<void> {
  await expect(page.getByTestId('workbench-page')).toBeVisible();
  await openSection(page, '企业档案');
  await expect(page.getByTestId('enterprise-list-page')).toBeVisible();
}

export async function login(page: Page, username: string, password: string): Promise<void> {
  const form = page.getByTestId('login-form');
  await form.getByLabel('用户名').fill(username);
  await form.getByLabel('密码').fill(password);
  await form.getByRole('button', { name: /登\s*录/ }).click();
}

export async function logout(page: Page): Promise<void> {
  await page.getByTestId('user-menu').hover();
  await page.getByRole('menuitem', { name: '退出登录' }).click();
  await expect(page.getByTestId('login-form')).toBeVisible();
}

/** The administrator enrolls the laptop with head office in 同步 (the hub's address and a one-time code). */
export async function enrollLaptop(page: Page, hubUrl: string, enrollmentCode: string, deviceName: string): Promise<void> {
  await openSection(page, '同步');
  const form = page.getByTestId('sync-enroll');
  await form.getByLabel('总行同步服务地址').fill(hubUrl);
  await form.getByLabel(/登记码/).fill(enrollmentCode);
  await form.getByLabel('本机名称').fill(deviceName);
  await form.getByRole('button', { name: '登记本机' }).click();
}

export async function openSection(page: Page, label: string): Promise<void> {
  await page.getByTestId('main-nav').getByText(label, { exact: true }).click();
}

/** A host call made with this browser's launch token and session, as the renderer makes it. */
export async function callApi<T = unknown>(page: Page, method: string, input: unknown): Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string; details?: Record<string, unknown> } }> {
  return page.evaluate(
    async ({ method, input }) => {
      const token = sessionStorage.getItem('greenledger.token') ?? '';
      const res = await fetch(`/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-greenledger-token': token },
        body: JSON.stringify(input),
      });
      return res.json();
    },
    { method, input },
  );
}

export const officer = { username: 'lisi', displayName: '李四', role: 'loan_officer', initialPassword: 'Officer2026', password: 'Officer2027' } as const;
export const creditManager = { username: 'zhaoliu', displayName: '赵六', role: 'credit_manager', initialPassword: 'Manager2026', password: 'Manager2027' } as const;

/**
 * From a fresh host: first-run setup as the administrator (who may not write enterprise files), a
 * user created through the API, and that user signed in with the initial password changed.
 */
export async function signInAsNewUser(page: Page, user: NewUser): Promise<void> {
  await completeSetup(page);
  await addUserAndSignIn(page, user);
}

/** As the signed-in administrator: creates the account, signs out, and signs the user in past the forced password change. */
export async function addUserAndSignIn(page: Page, user: NewUser): Promise<void> {
  await addUser(page, user);
  await logout(page);
  await signInFirstTime(page, user);
}

/** An account an administrator creates; its initial password must be changed at first sign-in. */
export interface NewUser {
  username: string;
  displayName: string;
  role: 'loan_officer' | 'credit_manager' | 'branch_head';
  initialPassword: string;
  password: string;
}

/** The administrator (signed in on this page) creates the account through the API. */
export async function addUser(page: Page, user: NewUser): Promise<void> {
  const created = await callApi(page, 'users.create', { username: user.username, displayName: user.displayName, role: user.role, password: user.initialPassword });
  expect(created.ok, JSON.stringify(created)).toBe(true);
}

/** Signs in with the initial password and changes it, as the host requires before any work. */
export async function signInFirstTime(page: Page, user: NewUser): Promise<void> {
  await login(page, user.username, user.initialPassword);
  const change = page.getByTestId('change-password');
  await change.getByLabel('当前密码').fill(user.initialPassword);
  await change.getByLabel('新密码').fill(user.password);
  await change.getByLabel('确认密码').fill(user.password);
  await change.getByRole('button', { name: /确\s*定|OK/ }).click();
  await expect(page.getByText('密码已修改')).toBeVisible();
  await expect(page.getByTestId('user-menu')).toContainText(user.displayName);
}

export const signInAsLoanOfficer = (page: Page) => signInAsNewUser(page, officer);

/**
 * A colleague's own browser context at 1366 px, signed in (their first sign-in: the initial
 * password is changed): several people on one host, each with their own session.
 */
export async function colleague(browser: Browser, host: { launchUrl: string }, user: NewUser): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await page.goto(host.launchUrl);
  await signInFirstTime(page, user);
  await startFromEnterprises(page);
  return page;
}

/** A host call's value, for seeding a test through the API; a refusal fails the test naming its code and details. */
export async function hostValue<T>(page: Page, method: string, input: unknown): Promise<T> {
  const result = await callApi<T>(page, method, input);
  if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message} ${JSON.stringify(result.error.details)}`);
  return result.value;
}

/** A branch after first-run setup (the admin on `page`) with a loan officer and a credit manager, each signed in in their own browser. */
export async function officerAndManager(page: Page, host: { launchUrl: string }, browser: Browser): Promise<{ officerPage: Page; managerPage: Page }> {
  await page.goto(host.launchUrl);
  await completeSetup(page);
  for (const user of [officer, creditManager]) await addUser(page, user);
  return { officerPage: await colleague(browser, host, officer), managerPage: await colleague(browser, host, creditManager) };
}

/**
 * Waits until the antd dialog holding `inside` has finished opening: its zoom motion classes are
 * gone. Playwright's own stability check (the same box in two frames) does not cover antd's motion:
 * the dialog first sits at its final place, transparent and unscaled (ant-zoom-appear-prepare),
 * and only then zooms in from the mouse position. On a loaded machine that first phase lasts
 * several frames, so a click aimed at the still button lands where the shrunken dialog is not —
 * lost, the dialog stays open — and a dropdown opened then is aligned to a field still moving.
 */
export async function dialogOpened(page: Page, inside: Locator): Promise<void> {
  const dialog = page.locator('.ant-modal').filter({ has: inside });
  await expect(dialog).toBeVisible();
  await expect(dialog).not.toHaveClass(/\bant-zoom-(?:appear|enter)\b/);
}

/** Types a day into an antd DatePicker (by its test id) and confirms it. */
export async function pickDate(page: Page, testId: string, day: string): Promise<void> {
  const box = page.getByTestId(testId);
  await box.click();
  await box.fill(day);
  await box.press('Enter');
}

/** Picks an option of an antd Select by typing into its search and choosing the matching entry. */
export async function chooseOption(page: Page, select: ReturnType<Page['getByTestId']>, search: string, option: string | RegExp): Promise<void> {
  await select.click();
  if (search !== '') await page.keyboard.type(search);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: option }).first().click();
}

/** The cells of a downloaded workbook's first sheet, as text rows: what a user opens in Excel. */
export async function downloadedSheet(download: Download): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await readFile(await download.path())) as unknown as ArrayBuffer);
  const rows: string[][] = [];
  workbook.worksheets[0]!.eachRow((row) => {
    rows.push((row.values as unknown[]).slice(1).map((cell) => (cell === null || cell === undefined ? '' : typeof cell === 'object' ? JSON.stringify(cell) : String(cell))));
  });
  return rows;
}

/** A valid one-page PDF (a box on an A6 page), with a correct cross-reference table. */
export function onePagePdf(): Buffer {
  const stream = '0 0 1 rg 20 20 200 200 re f';
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 298 420] /Contents 4 0 R >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** A minimal valid enterprise file, for seeding through the API (enterprises.create). */
export function enterpriseFile(name: string, uscc: string, industryCode = 'C307') {
  return {
    identity: {
      uscc,
      usccCheckOverride: null,
      name,
      legalRepresentative: '张三',
      address: '江西省景德镇市',
      divisionCode: '360222',
      contacts: [],
      industryCode,
      scale: 'small',
      ownership: 'private',
      employees: null,
    },
    greenCredentials: { ...noGreenCredentials, greenProducts: [] },
    flags: { ...noEnterpriseFlags },
  };
}
