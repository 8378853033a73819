// Every demo role signs in and sees its own home page, in Chinese and then in English.
import { expect, test } from '@playwright/test';
import { hydrated, signIn, switchLanguage, watchForErrors } from './helpers';

const roles: [string, string, string][] = [
  ['office', '法制机构管理员', 'Office admin'],
  ['author', '题库管理员', 'Question author'],
  ['committee1', '审核委员', 'Committee member'],
  ['officer.scjg', '执法机关经办人', 'Agency officer'],
  ['proctor', '监考员', 'Proctor'],
  ['candidate', '考生', 'Candidate'],
];

for (const [username, zh, en] of roles) {
  test(`${username} signs in and sees the ${en} home page in Chinese and in English`, async ({ page }) => {
    const errors = watchForErrors(page);
    await signIn(page, username);
    await expect(page.getByTestId('home-role')).toHaveText(zh);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('您好');
    await expect(page.getByRole('heading', { name: '待办事项' })).toBeVisible();

    await switchLanguage(page, 'English');
    await expect(page.getByTestId('home-role')).toHaveText(en);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Welcome');
    await expect(page.getByRole('heading', { name: 'What waits for you' })).toBeVisible();

    // The choice survives a reload (it is rendered on the server from the cookie).
    await page.reload();
    await hydrated(page);
    await expect(page.getByTestId('home-role')).toHaveText(en);
    await switchLanguage(page, '中文');
    await expect(page.getByTestId('home-role')).toHaveText(zh);

    const adminLinks = page.getByRole('link', { name: '账号管理' });
    await expect(adminLinks).toHaveCount(username === 'office' ? 1 : 0);

    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL((url) => url.pathname === '/login');
    expect(errors).toEqual([]);
  });
}

test('a wrong password shows a clear message and stays on the sign-in page', async ({ page }) => {
  await page.goto('/login');
  await hydrated(page);
  await page.getByLabel('用户名', { exact: true }).fill('office');
  await page.getByLabel('密码', { exact: true }).fill('not-the-password-1');
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText('用户名或密码错误。');
  await expect(page).toHaveURL(/\/login$/);
});
