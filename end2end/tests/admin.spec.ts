// The office admin manages agencies and accounts and checks the audit chain.
import { expect, test } from '@playwright/test';
import { hydrated, signIn, watchForErrors } from './helpers';

test('the admin creates an agency and an officer account, who can then sign in', async ({ page, browser }) => {
  const errors = watchForErrors(page);
  await signIn(page, 'office');

  await page.getByRole('link', { name: '执法机关' }).click();
  await page.waitForURL('**/admin/agencies');
  await hydrated(page);
  await page.getByLabel('机关名称').fill('市自然资源局');
  await page.getByLabel('机关代码').fill('zrzy');
  await page.getByLabel('执法领域').fill('自然资源');
  await page.getByRole('button', { name: '新建', exact: true }).click();
  await expect(page.getByRole('cell', { name: 'ZRZY' })).toBeVisible();

  // A duplicate code is refused with a message naming the problem.
  await page.getByLabel('机关名称').fill('另一个自然资源局');
  await page.getByLabel('机关代码').fill('ZRZY');
  await page.getByRole('button', { name: '新建', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('机关代码 ZRZY 已被使用');

  await page.getByRole('link', { name: '账号管理' }).click();
  await page.waitForURL('**/admin/accounts');
  await hydrated(page);
  await page.getByLabel('用户名', { exact: true }).fill('officer.zrzy');
  await page.getByLabel('姓名', { exact: true }).fill('郑国强');
  await page.getByLabel('角色', { exact: true }).selectOption('agency_officer');
  await page.getByLabel('执法机关', { exact: true }).selectOption({ label: '市自然资源局' });
  await page.getByRole('button', { name: '新建', exact: true }).click();
  const password = (await page.getByTestId('created-password').textContent())?.trim() ?? '';
  expect(password.length).toBeGreaterThanOrEqual(10);
  await expect(page.getByRole('cell', { name: 'officer.zrzy' })).toBeVisible();

  await page.getByRole('link', { name: '审计日志' }).click();
  await page.waitForURL('**/admin/audit');
  await hydrated(page);
  await expect(page.getByRole('cell', { name: '新建账号' }).first()).toBeVisible();
  await page.getByRole('button', { name: '校验审计链' }).click();
  await expect(page.getByTestId('audit-verdict')).toContainText('审计链完整');
  expect(errors).toEqual([]);

  const other = await browser.newPage();
  await signIn(other, 'officer.zrzy', password);
  await expect(other.getByTestId('home-role')).toHaveText('执法机关经办人');
  await expect(other.getByText('您的密码由管理员设置,请先修改密码。')).toBeVisible();
  await other.close();
});

test('a candidate who opens an admin page sees the 403 page', async ({ page }) => {
  await signIn(page, 'candidate');
  await page.goto('/admin/accounts');
  await expect(page.getByRole('heading', { name: '无权访问' })).toBeVisible();
});
