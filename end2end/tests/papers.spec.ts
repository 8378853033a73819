// The office sets a batch's blueprint (组卷方案): bad input is named before anything is sent and
// by the server, a quota is added, the coverage report follows, and a sample paper shows the
// key. Runs after bank.spec.ts, which imports the sample bank (one worker, files in order).
import { expect, test } from '@playwright/test';
import { hydrated, signIn, watchForErrors } from './helpers';

test('the office edits a batch blueprint, reads the coverage report and previews a keyed sample', async ({ page }) => {
  const errors = watchForErrors(page);
  await signIn(page, 'office');
  await page.goto('/batches');
  await hydrated(page);
  await page.getByLabel('批次名称').fill('2026 年第 9 批综合法律知识考试(组卷方案)');
  await page.getByRole('button', { name: '创建批次' }).click();
  await page.waitForURL(/\/batches\/\d+$/);
  await hydrated(page);
  await page.getByRole('link', { name: '试卷与组卷方案' }).click();
  await page.waitForURL(/\/batches\/\d+\/papers$/);
  await hydrated(page);

  await expect(page.getByTestId('blueprint-name')).toHaveText('综合法律知识(默认方案)');
  await expect(page.getByTestId('blueprint-summary')).toContainText('共 80 题,总分 100 分,及格 60 分');
  await expect(page.getByTestId('coverage-verdict')).toContainText('题库足以按本方案组卷');

  await page.getByText('修改组卷方案').click();
  // Checked in the page before anything is sent: the section and the line are named.
  await page.locator('#bp-single-quotas').fill('章节:总则 3');
  await page.getByRole('button', { name: '保存方案' }).click();
  await expect(page.getByRole('alert')).toContainText('单选题:配额第 1 行');
  // Checked by the server: every problem at once.
  await page.locator('#bp-single-quotas').fill('');
  await page.getByLabel('及格分').fill('150');
  await page.getByRole('button', { name: '保存方案' }).click();
  await expect(page.getByRole('alert')).toContainText('及格分');

  await page.getByLabel('方案名称').fill('处罚法重点方案');
  await page.getByLabel('及格分').fill('60');
  await page.locator('#bp-single-quotas').fill('法律:行政处罚法 6');
  await page.getByRole('button', { name: '保存方案' }).click();
  await expect(page.getByTestId('blueprint-name')).toHaveText('处罚法重点方案');
  await expect(page.getByText('自定义方案')).toBeVisible();
  await expect(page.getByTestId('coverage')).toContainText('《行政处罚法》');
  await expect(page.getByTestId('coverage-verdict')).toContainText('题库足以按本方案组卷');

  await page.getByRole('button', { name: '生成样卷' }).click();
  const sample = page.getByTestId('keyed-paper');
  await expect(sample.getByTestId('keyed-item')).toHaveCount(80);
  await expect(sample.getByTestId('answer').first()).toHaveText(/^[A-H]$/);
  expect(errors).toEqual([]);
});
