// Sitting the exam in the browser: a candidate signs in, starts, answers, reloads and finds the
// answers; goes offline, answers three more and sees them counted as unsent; comes back online
// and all are saved; submits and sees the receipt. A second candidate starts and closes the
// page; when time runs out the server submits for them.
//
// Uses the batch procedure.spec.ts scheduled (one worker, files in order): the officer prints
// its tickets again (new access codes) and the session is moved to have started a minute ago
// in the e2e database (the exam day cannot be waited for).
import { expect, request as playwrightRequest, test } from '@playwright/test';
import { api, DEMO_PASSWORD, hydrated, isoFromNow, sql, watchForErrors } from './helpers';

test('a candidate sits the exam: answers survive a reload and a network drop; the receipt', async ({ browser, baseURL }) => {
  const officer = await playwrightRequest.newContext({ baseURL });
  await api(officer, 'auth/login', { username: 'officer.scjg', password: DEMO_PASSWORD });
  const batches: { id: number; status: string }[] = await api(officer, 'batches/list', {});
  const batch = batches.filter((b) => b.status === 'scheduled').map((b) => b.id).sort((a, b) => b - a)[0];
  expect(batch).toBeDefined();
  const printed: { ticket_no: string; access_code: string; name: string }[] = await api(
    officer,
    'batches/tickets/print',
    { batch_id: batch },
  );
  sql('UPDATE exam_session SET starts_at = ? WHERE batch_id = ?', [isoFromNow(-60), batch]);
  // A retry takes two tickets of its own (the first try's sign-ins are still live).
  const first = 4 + 2 * test.info().retry;
  const [mine, gone] = [printed[first], printed[first + 1]];

  // The second candidate starts, then the browser is gone.
  const other = await playwrightRequest.newContext({ baseURL });
  await api(other, 'exam/login', { ticket_no: gone.ticket_no, access_code: gone.access_code });
  await api(other, 'exam/start', {});
  await api(other, 'exam/save', { answers: [{ item: 1, seq: 1, response: { choices: [0] } }], events: [] });

  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = watchForErrors(page);
  await page.goto('/exam/login');
  await hydrated(page);
  await page.getByLabel('准考证号').fill(mine.ticket_no);
  await page.getByLabel('登录码').fill(mine.access_code);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL('**/exam');
  await hydrated(page);
  await expect(page.getByTestId('waiting-room')).toContainText(mine.name);
  await expect(page.getByTestId('countdown')).toContainText('考试已开始');
  await page.getByTestId('start').click();
  await expect(page.getByTestId('question')).toHaveAttribute('data-number', '1');
  await expect(page.getByTestId('timer')).toContainText(/\d\d:\d\d/);

  // Two answers, by mouse and by keyboard.
  await page.getByTestId('option-B').click();
  await page.getByTestId('next').click();
  await expect(page.getByTestId('question')).toHaveAttribute('data-number', '2');
  await page.keyboard.press('a');
  await expect(page.getByTestId('option-A')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('f');
  await expect(page.getByTestId('nav-2')).toHaveClass(/flagged/);
  await expect(page.getByTestId('save-state')).toHaveText('已保存');

  // A reload resumes the attempt with its answers.
  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId('question')).toHaveAttribute('data-number', '1');
  await expect(page.getByTestId('option-B')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('nav-2')).toHaveClass(/flagged/);

  // Offline: three more answers wait in the browser and are counted.
  await context.setOffline(true);
  for (const n of [3, 4, 5]) {
    await page.getByTestId(`nav-${n}`).click();
    await expect(page.getByTestId('question')).toHaveAttribute('data-number', String(n));
    await page.getByTestId('option-A').click();
  }
  await expect(page.getByTestId('save-state')).toHaveText('离线 — 3 项未发送');
  await context.setOffline(false);
  await expect(page.getByTestId('save-state')).toHaveText('已保存', { timeout: 10_000 });
  const stored = sql(
    `SELECT COUNT(*) FROM answer a JOIN attempt t ON t.id = a.attempt_id JOIN ticket k ON k.id = t.ticket_id
     WHERE replace(k.ticket_no, ' ', '') = ?`,
    [mine.ticket_no.replace(/\s/g, '')],
  );
  expect(stored[0][0]).toBe(5);

  // Submission: the confirmation lists what is unanswered and flagged; then the receipt.
  await page.getByTestId('submit').click();
  await expect(page.getByTestId('confirm-submit')).toContainText('未答 75 题');
  await expect(page.getByTestId('confirm-submit')).toContainText('标记待查 1 题');
  await page.getByTestId('confirm').click();
  await expect(page.getByTestId('receipt-code')).toHaveText(/^[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}$/);
  await expect(page.getByTestId('receipt-answered')).toHaveText('5 / 80');
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('exam-journal')))).toEqual([]);

  // The second candidate's time runs out with the page closed: the server submits.
  sql('UPDATE attempt SET deadline = ? WHERE ticket_id IN (SELECT id FROM ticket WHERE replace(ticket_no, \' \', \'\') = ?)', [
    isoFromNow(-15),
    gone.ticket_no.replace(/\s/g, ''),
  ]);
  await expect
    .poll(async () => (await api(other, 'exam/sitting', {})).attempt.status, { timeout: 10_000 })
    .toBe('auto_submitted');
  expect(errors).toEqual([]);
});
