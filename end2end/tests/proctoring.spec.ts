// Proctoring in the browser, with the candidates in browser contexts of their own: a candidate
// sits the exam while the proctor watches the room console; the candidate leaves the page and
// the signal reaches the console within 5 s; the proctor gives that candidate 10 more minutes
// with a reason and the candidate's timer shows them; a second candidate's sign-in on another
// browser is refused, the proctor unlocks it, the new sign-in works and the old tab is told;
// the room record is completed, submitted and printed.
//
// Uses the batch procedure.spec.ts scheduled (one worker, files in order); tickets are printed
// again (new access codes) and the session is moved to have started a minute ago.
import { expect, request as playwrightRequest, test, type Page } from '@playwright/test';
import { api, DEMO_PASSWORD, hydrated, signIn, sql, watchForErrors } from './helpers';

type Printed = { ticket_no: string; access_code: string; name: string };

/** The stored ticket: its number as stored, session and room. */
function stored(t: Printed): { no: string; session: number; room: number } {
  const [row] = sql("SELECT ticket_no, session_id, room_id FROM ticket WHERE replace(ticket_no, ' ', '') = ?", [
    t.ticket_no.replace(/\s/g, ''),
  ]);
  return { no: row[0] as string, session: row[1] as number, room: row[2] as number };
}

async function candidateSignIn(page: Page, t: Printed) {
  await page.goto('/exam/login');
  await hydrated(page);
  await page.getByLabel('准考证号').fill(t.ticket_no);
  await page.getByLabel('登录码').fill(t.access_code);
  await page.getByRole('button', { name: '登录' }).click();
}

async function startExam(page: Page, t: Printed) {
  await candidateSignIn(page, t);
  await page.waitForURL('**/exam');
  await hydrated(page);
  await page.getByTestId('start').click();
  await expect(page.getByTestId('question')).toHaveAttribute('data-number', '1');
}

/** Minutes left on the candidate's timer ("1:39:58" or "59:58"). */
async function minutesLeft(page: Page): Promise<number> {
  const text = (await page.getByTestId('timer').locator('strong').textContent()) ?? '';
  const parts = text.trim().split(':').map(Number);
  return parts.length === 3 ? parts[0] * 60 + parts[1] : parts[0];
}

test('the proctor watches the room: a signal, an extension, an unlock, the room record', async ({ browser, baseURL }) => {
  test.setTimeout(150_000);
  const officer = await playwrightRequest.newContext({ baseURL });
  await api(officer, 'auth/login', { username: 'officer.scjg', password: DEMO_PASSWORD });
  const batches: { id: number; status: string }[] = await api(officer, 'batches/list', {});
  const batch = batches.filter((b) => b.status === 'scheduled').map((b) => b.id).sort((a, b) => b - a)[0];
  expect(batch).toBeDefined();
  const printed: Printed[] = await api(officer, 'batches/tickets/print', { batch_id: batch });
  expect(printed.length).toBe(30);
  sql('UPDATE exam_session SET starts_at = ? WHERE batch_id = ?', [
    new Date(Date.now() - 60_000).toISOString().replace('Z', '+00:00'),
    batch,
  ]);
  // Tickets of their own (procedure.spec.ts signed in on the first two, sitting.spec.ts uses
  // 4–9), and fresh ones on a retry.
  const retry = test.info().retry;
  const first = printed[29 - retry];
  const one = stored(first);
  const mates = printed.filter((t, i) => i >= 12 && i <= 24 && stored(t).room === one.room);
  const second = mates[mates.length - 1 - retry];
  const two = stored(second);

  // The office assigns the demo proctor to the room.
  const office = await playwrightRequest.newContext({ baseURL });
  await api(office, 'auth/login', { username: 'office', password: DEMO_PASSWORD });
  const [[proctorId]] = sql("SELECT id FROM account WHERE username = 'proctor'");
  await api(office, 'proctor/assign', { session_id: one.session, room_id: one.room, account_ids: [proctorId] });

  // The first candidate starts.
  const cand = await (await browser.newContext()).newPage();
  const candErrors = watchForErrors(cand);
  await startExam(cand, first);

  // The proctor opens the room console from the list of rooms.
  const proctor = await (await browser.newContext()).newPage();
  const proctorErrors = watchForErrors(proctor);
  await signIn(proctor, 'proctor');
  await proctor.getByRole('link', { name: '监考', exact: true }).click();
  await proctor.waitForURL('**/proctor');
  await hydrated(proctor);
  await proctor
    .getByTestId('proctor-room')
    .filter({ has: proctor.locator(`a[href="/proctor/${one.session}/${one.room}"]`) })
    .getByRole('link', { name: '进入监控' })
    .click();
  await proctor.waitForURL(`**/proctor/${one.session}/${one.room}`);
  await hydrated(proctor);
  const row = proctor.locator(`[data-testid="seat"][data-ticket="${one.no}"]`);
  await expect(row).toHaveAttribute('data-state', 'in_progress');
  await expect(row).toContainText('作答中');
  await expect(row.getByTestId('signals')).toHaveText('0');

  // The candidate leaves the page: the console shows the signal within 5 s.
  await cand.evaluate(() => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await expect(row.getByTestId('signals')).toHaveText(/^[1-9]/, { timeout: 5_000 });
  await cand.evaluate(() => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await row.getByTestId('details').click();
  const panel = proctor.getByTestId('candidate-panel');
  await expect(panel.getByTestId('timeline')).toContainText('离开考试页面');
  await expect(panel.getByTestId('timeline')).toContainText('开始作答');
  await expect(panel.getByTestId('timeline')).toContainText('登录(地址 · 浏览器)');

  // Ten more minutes, with a reason: the console and the candidate's timer show them.
  const before = await minutesLeft(cand);
  const extend = panel.getByTestId('extend');
  await extend.getByLabel('分钟').fill('10');
  await extend.getByLabel('原因').fill('考生电脑死机重启,耽误约 10 分钟');
  await extend.getByRole('button', { name: '延长时间' }).click();
  await expect(row.getByTestId('time-left')).toContainText('+10′');
  await expect(panel.getByTestId('timeline')).toContainText('考生电脑死机重启');
  await cand.getByTestId('option-A').click();
  await expect(cand.getByTestId('save-state')).toHaveText('已保存');
  await expect.poll(() => minutesLeft(cand)).toBeGreaterThanOrEqual(before + 9);

  // The second candidate starts on one browser; another browser is refused until the proctor
  // unlocks; then it signs in, and the first tab is told its sign-in ended.
  const oldTab = await (await browser.newContext()).newPage();
  const oldErrors = watchForErrors(oldTab);
  await startExam(oldTab, second);
  const newTab = await (await browser.newContext()).newPage();
  await candidateSignIn(newTab, second);
  await expect(newTab.getByRole('alert')).toContainText('已在其他设备登录');
  const row2 = proctor.locator(`[data-testid="seat"][data-ticket="${two.no}"]`);
  await row2.getByTestId('details').click();
  await expect(panel).toContainText(two.no);
  const unlock = panel.getByTestId('unlock');
  await unlock.getByLabel('原因').fill('考生更换电脑');
  await unlock.getByRole('button', { name: '解除锁定' }).click();
  await expect(unlock.getByRole('status')).toContainText('已解除');
  await newTab.getByRole('button', { name: '登录' }).click();
  await newTab.waitForURL('**/exam');
  await hydrated(newTab);
  await oldTab.getByTestId('option-B').click();
  await expect(oldTab.getByTestId('stopped')).toContainText('您的登录已结束');

  // Both hand in; the proctor completes, submits and prints the room record. Anything still
  // running in the room (an earlier try's candidates) is collected first.
  await cand.getByTestId('submit').click();
  await cand.getByTestId('confirm').click();
  await expect(cand.getByTestId('receipt-code')).toBeVisible();
  // The new browser resumes the attempt the old one started.
  await expect(newTab.getByTestId('question')).toHaveAttribute('data-number', '1');
  await newTab.getByTestId('submit').click();
  await newTab.getByTestId('confirm').click();
  await expect(newTab.getByTestId('receipt-code')).toBeVisible();
  const running = sql("SELECT k.ticket_no FROM attempt a JOIN ticket k ON k.id = a.ticket_id WHERE a.room_id = ? AND a.session_id = ? AND a.status = 'in_progress'", [one.room, one.session]);
  for (const [no] of running) {
    await api(office, 'proctor/force-submit', { ticket_no: no, reason: '收卷' });
  }
  await proctor.getByRole('link', { name: '考场记录' }).first().click();
  await proctor.waitForURL(`**/proctor/${one.session}/${one.room}/record`);
  await hydrated(proctor);
  const record = proctor.getByTestId('room-record');
  await record.getByLabel('考场情况记录').fill('10:05 第 1 考场一名考生电脑死机,重启后补时 10 分钟。');
  await record.getByLabel('监考员签名(每行一人)').fill('孙磊\n钱明');
  await record.getByLabel('我确认考场记录无误,提交后不能修改。').check();
  await record.getByTestId('submit-record').click();
  await expect(record.getByTestId('record-submitted')).toContainText('考场记录已于');
  await expect(record.getByTestId('record-signatures')).toContainText('钱明');
  await expect(record).toContainText('+10′');

  // Printed on A4: the record without the page's buttons.
  await proctor.emulateMedia({ media: 'print' });
  await expect(proctor.getByRole('button', { name: '打印' })).toBeHidden();
  await expect(record.getByRole('heading', { name: '考场记录' })).toBeVisible();
  const pdf = await proctor.pdf({ format: 'A4' });
  expect(pdf.length).toBeGreaterThan(10_000);

  expect(candErrors).toEqual([]);
  expect(proctorErrors).toEqual([]);
  // The old tab's 401 is the expected refusal the page shows.
  expect(oldErrors).toEqual([]);
});
