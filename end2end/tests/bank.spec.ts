// The question author imports the sample bank through the page, finds a question and revises it.
// The e2e server starts with the demo accounts but an empty bank (EXAM_DEMO_BANK=false).
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { hydrated, signIn, watchForErrors } from './helpers';

const SAMPLE = path.resolve(__dirname, '../../question-bank/sample/sample-bank.csv');

test('the author imports the sample bank, finds a question by filter and revises it', async ({ page }) => {
  const errors = watchForErrors(page);
  await signIn(page, 'author');
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '题库', exact: true }).click();
  await page.waitForURL('**/bank');
  await hydrated(page);
  await page.getByRole('link', { name: '批量导入' }).click();
  await page.waitForURL('**/bank/import');
  await hydrated(page);

  await page.getByLabel('题库文件').setInputFiles(SAMPLE);
  await page.getByRole('button', { name: '上传并预览' }).click();
  const preview = page.getByTestId('import-preview');
  await expect(preview).toBeVisible();
  const total = Number(await page.getByTestId('preview-total').textContent());
  expect(total).toBeGreaterThanOrEqual(300);
  await expect(preview).toContainText('单选题');
  await page.getByRole('button', { name: '确认导入' }).click();
  await expect(page.getByTestId('imported')).toContainText(`已导入 ${total} 道试题`);

  await page.getByRole('link', { name: '返回题库' }).click();
  await page.waitForURL('**/bank');
  await hydrated(page);
  await page.getByLabel('法律名称').fill('国家赔偿法');
  await page.getByLabel('题干关键词').fill('赔偿义务机关');
  const first = page.locator('table.data tbody tr').first().getByRole('link');
  await expect(first).toContainText('赔偿义务机关');
  await first.click();
  await page.waitForURL(/\/bank\/\d+$/);
  await hydrated(page);
  await expect(page.getByTestId('history').locator('tbody tr')).toHaveCount(1);

  const explanation = page.getByLabel('解析');
  await explanation.fill('修订:依据国家赔偿法相关条文作出的解析。');
  // Live validation: clearing the legal basis is refused before anything is sent.
  const basis = page.getByLabel('法律依据');
  const oldBasis = await basis.inputValue();
  await basis.fill('');
  await expect(page.locator('.field-error').first()).toBeVisible();
  await basis.fill(oldBasis);
  await page.getByRole('button', { name: '保存为新版本' }).click();
  await expect(page.getByTestId('saved-revision')).toContainText('当前为第 2 版');
  await expect(page.getByTestId('history').locator('tbody tr')).toHaveCount(2);
  expect(errors).toEqual([]);
});
