import { expect, type Page } from '@playwright/test';

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

export async function openSection(page: Page, label: string): Promise<void> {
  await page.getByTestId('main-nav').getByText(label, { exact: true }).click();
}
