// Long lists page forward and back: the question bank (20 questions a page) and the audit log
// (50 entries a page). Runs after bank.spec.ts, which imports the sample bank; alone against a
// fresh server (EXAM_DEMO_BANK=false) it imports the sample itself, as that spec does. Sign-ins
// fill the audit log past its first page when it is shorter.
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { DEMO_PASSWORD, hydrated, signIn, watchForErrors } from './helpers';

const SAMPLE = path.resolve(__dirname, '../../question-bank/sample/sample-bank.csv');

/** The pager of the list on the page. */
const pager = (page: Page) => page.getByRole('navigation', { name: '分页' });

/** Page x of y, and the row count, as the pager states them. */
async function position(page: Page): Promise<{ page: number; pages: number; total: number }> {
  const text = (await pager(page).textContent()) ?? '';
  const m = /第 (\d+) 页.共 (\d+) 页.(\d+) 条/.exec(text);
  expect(m, `page indicator in "${text}"`).not.toBeNull();
  const [, at, pages, total] = (m ?? []).map(Number);
  return { page: at, pages, total };
}

/** The number in the first column of every row shown (question id, audit sequence number). */
async function numbers(page: Page): Promise<number[]> {
  const cells = await page.locator('table.data tbody tr td:first-child').allTextContents();
  return cells.map((c) => parseInt(c, 10));
}

/** Clicks a pager button and waits until the rows are no longer those of `before`. */
async function turn(page: Page, button: '上一页' | '下一页', before: number[]) {
  await pager(page).getByRole('button', { name: button }).click();
  await expect(page.locator('table.data tbody tr td:first-child').first()).not.toHaveText(
    new RegExp(`^${before[0]}\\b`),
  );
}

async function importSampleBank(page: Page) {
  await page.getByRole('link', { name: '批量导入' }).click();
  await page.waitForURL('**/bank/import');
  await hydrated(page);
  await page.getByLabel('题库文件').setInputFiles(SAMPLE);
  await page.getByRole('button', { name: '上传并预览' }).click();
  await expect(page.getByTestId('import-preview')).toBeVisible();
  await page.getByRole('button', { name: '确认导入' }).click();
  await expect(page.getByTestId('imported')).toBeVisible();
  await page.getByRole('link', { name: '返回题库' }).click();
  await page.waitForURL('**/bank');
  await hydrated(page);
}

test('the author pages forward and back through the question bank', async ({ page }) => {
  const errors = watchForErrors(page);
  await signIn(page, 'author');
  await page.goto('/bank');
  await hydrated(page);
  if ((await pager(page).count()) === 0 || (await position(page)).pages < 3) {
    await importSampleBank(page);
  }

  const start = await position(page);
  expect(start.page).toBe(1);
  expect(start.pages).toBe(Math.ceil(start.total / 20));
  expect(start.pages).toBeGreaterThanOrEqual(3);
  await expect(pager(page).getByRole('button', { name: '上一页' })).toBeDisabled();
  await expect(pager(page).getByRole('button', { name: '下一页' })).toBeEnabled();
  const first = await numbers(page);
  expect(first).toHaveLength(20);

  await turn(page, '下一页', first);
  expect((await position(page)).page).toBe(2);
  const second = await numbers(page);
  expect(second).toHaveLength(20);
  // Newest first: page 2 goes on below page 1, with none of its questions.
  expect(Math.max(...second)).toBeLessThan(Math.min(...first));
  await expect(pager(page).getByRole('button', { name: '上一页' })).toBeEnabled();

  await turn(page, '下一页', second);
  expect((await position(page)).page).toBe(3);
  const third = await numbers(page);
  expect(Math.max(...third)).toBeLessThan(Math.min(...second));

  await turn(page, '上一页', third);
  expect((await position(page)).page).toBe(2);
  expect(await numbers(page)).toEqual(second);
  await turn(page, '上一页', second);
  expect((await position(page)).page).toBe(1);
  expect(await numbers(page)).toEqual(first);
  await expect(pager(page).getByRole('button', { name: '上一页' })).toBeDisabled();
  expect(errors).toEqual([]);
});

test('the admin pages forward and back through the audit log', async ({ page, request }) => {
  const errors = watchForErrors(page);
  await signIn(page, 'office');
  await page.goto('/admin/audit');
  await hydrated(page);
  // Each sign-in is an audit entry: enough of them give the log a second page.
  const missing = 51 - (await position(page)).total;
  for (let i = 0; i < missing; i++) {
    const res = await request.post('/api/auth/login', {
      data: { username: 'committee2', password: DEMO_PASSWORD },
    });
    expect(res.ok()).toBeTruthy();
  }
  if (missing > 0) {
    await page.reload();
    await hydrated(page);
  }

  const start = await position(page);
  expect(start).toMatchObject({ page: 1, pages: Math.ceil(start.total / 50) });
  expect(start.pages).toBeGreaterThanOrEqual(2);
  await expect(pager(page).getByRole('button', { name: '上一页' })).toBeDisabled();
  const first = await numbers(page);
  expect(first).toHaveLength(50);
  // Newest first, a run of the chain without gaps; page 2 carries on where page 1 stops.
  expect(first[0] - first[49]).toBe(49);

  await turn(page, '下一页', first);
  expect((await position(page)).page).toBe(2);
  const second = await numbers(page);
  expect(second[0]).toBe(first[49] - 1);

  await turn(page, '上一页', second);
  expect((await position(page)).page).toBe(1);
  expect(await numbers(page)).toEqual(first);
  await expect(pager(page).getByRole('button', { name: '上一页' })).toBeDisabled();
  expect(errors).toEqual([]);
});
