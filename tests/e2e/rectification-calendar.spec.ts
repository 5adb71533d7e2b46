import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.ts';
import { addUser, callApi, chooseOption, colleague, completeSetup, hostValue, officer } from './pages.ts';
import { sampleCaseFacts, sampleEnterpriseFile, testUscc } from '../../shared/domain/testing.ts';
import { addDays } from '../../shared/domain/collateralValuation.ts';

/**
 * 整改日历 in Chromium against the real browser-mode host: from the case list an officer opens the
 * calendar, sees a case's deadline on its day (an overdue one marked), a follow-up's next day, narrows
 * it with the list's filters, and clicks through to the case.
 */
const screenshot = (page: Page, name: string) => page.screenshot({ path: `/tmp/rectification-calendar-${name}.png`, fullPage: true });

async function openCase(page: Page, enterpriseName: string, serial: number, overrides: Parameters<typeof sampleCaseFacts>[2]) {
  const { user } = await hostValue<{ user: { id: string } }>(page, 'session.get', {});
  const created = await callApi<{ id: string }>(page, 'enterprises.create', { file: sampleEnterpriseFile(enterpriseName, testUscc(serial)) });
  if (!created.ok) throw new Error(JSON.stringify(created.error));
  const opened = await callApi<{ id: string; caseNumber: string }>(page, 'cases.create', { facts: sampleCaseFacts(created.value.id, user.id, { foundOn: '2026-01-05', sourceDate: '2026-01-02', ...overrides }) });
  if (!opened.ok) throw new Error(JSON.stringify(opened.error));
  return opened.value;
}

test('the calendar shows a case’s deadline on its day, overdue ones marked, and leads to the case', async ({ page, host, browser }) => {
  test.setTimeout(120_000);
  await page.goto(host.launchUrl);
  await completeSetup(page);
  await addUser(page, officer);
  const officerPage = await colleague(browser, host, officer);

  const { today } = await hostValue<{ today: string }>(officerPage, 'cases.calendar', { from: '2026-01-01', to: '2026-01-01' });
  // A deadline later this month when there is a later day in it, else today (both on this month's grid).
  const month = today.slice(0, 7);
  const dueDay = addDays(today, 3).startsWith(month) ? addDays(today, 3) : today;
  const lateDay = addDays(today, -2);
  const due = await openCase(officerPage, '浮梁县瓷都化工有限公司', 1701, { deadline: dueDay });
  const late = await openCase(officerPage, '浮梁县红星建材有限公司', 1702, { deadline: lateDay, category: 'work_safety' });
  const followed = await callApi(officerPage, 'cases.addFollowUp', { caseId: due.id, followUp: { followedOn: today, kind: 'visit', note: '现场查看除尘设施安装进度', progressPercent: 40, nextFollowUpOn: addDays(today, 1) } });
  expect(followed.ok).toBe(true);

  // A busy day: four deadlines, the cell lists the first and 「另 N 项」 opens them all.
  for (const [i, name] of ['浮梁县景峰陶瓷有限公司', '浮梁县昌南纺织有限公司', '浮梁县瑶里食品有限公司'].entries()) await openCase(officerPage, name, 1710 + i, { deadline: dueDay });

  await officerPage.goto(`${host.origin}/#/rectification`);
  await officerPage.getByTestId('case-to-calendar').click();
  const calendar = officerPage.getByTestId('case-calendar');
  await expect(calendar).toBeVisible();
  await expect(calendar.getByTestId('calendar-month')).toHaveValue(month);

  const dueEntry = calendar.getByTestId(`calendar-day-${dueDay}`).locator(`[data-kind=deadline][data-case-number="${due.caseNumber}"]`);
  await expect(dueEntry).toContainText('浮梁县瓷都化工有限公司');
  await expect(dueEntry).toHaveAttribute('data-overdue', 'false');
  const lateEntry = calendar.getByTestId(`calendar-day-${lateDay}`).locator(`[data-kind=deadline][data-case-number="${late.caseNumber}"]`);
  await expect(lateEntry).toHaveAttribute('data-overdue', 'true');
  await expect(lateEntry).toContainText('逾期');
  await expect(calendar.getByTestId(`calendar-day-${addDays(today, 1)}`).locator('[data-kind=follow_up]')).toContainText('浮梁县瓷都化工有限公司');
  await calendar.getByTestId(`calendar-day-${dueDay}`).getByTestId('calendar-day-more').click();
  await expect(officerPage.getByTestId('calendar-day-all').getByTestId('calendar-entry')).toHaveCount(4);
  await screenshot(officerPage, 'month');
  await officerPage.keyboard.press('Escape');

  // The list's filters: 安全生产 leaves the other case's entries out.
  await chooseOption(officerPage, calendar.getByTestId('case-filter-category'), '', '安全生产');
  await expect(calendar.locator(`[data-case-number="${due.caseNumber}"]`)).toHaveCount(0);
  await expect(lateEntry).toBeVisible();
  await calendar.getByRole('button', { name: '清除筛选' }).click();

  // The next month and back: the page turns, the case comes back on its day.
  await calendar.getByTestId('calendar-next').click();
  await expect(calendar.getByTestId('calendar-month')).not.toHaveValue(month);
  await calendar.getByTestId('calendar-previous').click();
  await expect(calendar.getByTestId('calendar-month')).toHaveValue(month);

  await dueEntry.click();
  const detail = officerPage.getByTestId('case-detail');
  await expect(detail.getByTestId('case-detail-number')).toHaveText(due.caseNumber);
  await expect(detail.getByTestId('case-deadline-view')).toHaveText(dueDay);
  // Back: the same month, its entries again.
  await officerPage.goBack();
  await expect(dueEntry).toBeVisible();
});
