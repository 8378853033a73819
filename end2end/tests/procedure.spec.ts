// The whole procedure: an agency officer imports candidates (a bad file is refused as a whole
// and every bad row is named), submits the plan; the admin convenes a meeting and puts the plan
// on the agenda; three committee members vote; the plan is approved; the admin forms a batch
// with two rooms and schedules it: every candidate's paper is assembled (with progress); the
// officer opens the printable admission tickets; the office regenerates a candidate's paper in
// the appeal view; the candidate signs in on the ticket, and on a fresh browser downloads under
// 500 KB (the candidate bundle) from the sign-in page to the exam page. Needs the bank that bank.spec.ts
// imports (one worker, files in order).
import { expect, type Page, test } from '@playwright/test';
import { hydrated, signIn, watchForErrors } from './helpers';

/** A valid 18-digit resident ID (GB 11643 MOD 11-2 check digit). */
function residentId(birth: string, seq: number): string {
  const body = `110105${birth}${String(seq).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((acc, d, i) => acc + Number(d) * weights[i], 0);
  return body + '10X98765432'[sum % 11];
}

const SURNAMES = '赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜';

function candidateCsv(count: number, bad: boolean): string {
  const lines = ['姓名,身份证号,性别,职务,执法领域,编制性质,手机号'];
  for (let i = 0; i < count; i++) {
    const seq = 101 + i;
    const sex = seq % 2 === 1 ? '男' : '女';
    let id = residentId(`1985${String((i % 12) + 1).padStart(2, '0')}15`, seq);
    if (bad && i === 7) id = id.slice(0, 17) + (id.endsWith('0') ? '1' : '0');
    lines.push(`${SURNAMES[i]}明,${id},${sex},科员,市场监管,在编在岗,1380013${String(8000 + i)}`);
  }
  return lines.join('\n') + '\n';
}

async function uploadCandidates(page: Page, csv: string) {
  await page.getByLabel('考生名单文件').setInputFiles({
    name: 'candidates.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(csv, 'utf-8'),
  });
  await page.getByRole('button', { name: '导入名单' }).click();
}

test('a plan goes from declaration through the committee to a scheduled batch and printed tickets', async ({ browser }) => {
  const officer = await browser.newPage();
  const errors = watchForErrors(officer);
  await signIn(officer, 'officer.scjg');
  await officer.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '考试计划' }).click();
  await officer.waitForURL('**/plans');
  await hydrated(officer);
  await officer.getByLabel('期望考试时间 · 自').fill('2026-12-01');
  await officer.getByLabel('期望考试时间 · 至').fill('2026-12-20');
  await officer.getByRole('button', { name: '创建计划' }).click();
  await officer.waitForURL(/\/plans\/\d+$/);
  await hydrated(officer);
  const planId = officer.url().split('/').pop() ?? '';

  // A file with one bad row registers nobody, and names the row and column.
  await uploadCandidates(officer, candidateCsv(30, true));
  const rejected = officer.getByTestId('candidates-rejected');
  await expect(rejected).toBeVisible();
  await expect(rejected.locator('tbody tr')).toHaveCount(1);
  await expect(rejected.locator('tbody tr td').first()).toHaveText('9');
  await expect(rejected).toContainText('身份证号');
  await expect(officer.getByText('尚未登记考生。')).toBeVisible();

  await uploadCandidates(officer, candidateCsv(30, false));
  await expect(officer.getByTestId('candidates-stored')).toContainText('已登记 30 名考生');
  await expect(officer.getByTestId('candidates').locator('tbody tr')).toHaveCount(30);
  officer.once('dialog', (d) => d.accept());
  await officer.getByRole('button', { name: '申报', exact: true }).click();
  await expect(officer.getByRole('heading', { level: 1 })).toContainText('已申报');

  const admin = await browser.newPage();
  await signIn(admin, 'office');
  await admin.goto('/meetings');
  await hydrated(admin);
  await admin.getByLabel('会议名称').fill('2026 年第 4 次审核会议');
  await admin.getByLabel('会议日期').fill('2026-11-30');
  await admin.getByRole('button', { name: '创建会议' }).click();
  await admin.waitForURL(/\/meetings\/\d+$/);
  await hydrated(admin);
  const meetingUrl = admin.url();
  await admin.getByRole('button', { name: '列入议程' }).click();
  await expect(admin.getByTestId(`agenda-${planId}`)).toBeVisible();
  for (const name of ['陈建国', '刘芳', '赵立新']) await admin.getByLabel(name).check();
  await admin.getByRole('button', { name: '记录出席' }).click();
  await expect(admin.getByText('出席 3')).toBeVisible();

  for (const member of ['committee1', 'committee2', 'committee3']) {
    const page = await browser.newPage();
    await signIn(page, member);
    await page.goto(meetingUrl);
    await hydrated(page);
    const item = page.getByTestId(`agenda-${planId}`);
    await item.getByLabel('意见', { exact: true }).fill('人员符合报考条件');
    await item.getByRole('button', { name: '提交表决' }).click();
    await expect(item.getByRole('cell', { name: '人员符合报考条件' }).first()).toBeVisible();
    await expect(item.getByRole('button', { name: '提交表决' })).toHaveCount(0);
    await page.close();
  }

  await admin.reload();
  await hydrated(admin);
  await admin.getByLabel('纪要').fill('会议审议通过市市场监督管理局考试计划一项。');
  admin.once('dialog', (d) => d.accept());
  await admin.getByRole('button', { name: '结束会议并形成决议' }).click();
  await expect(admin.getByTestId(`agenda-${planId}`).getByTestId('resolution')).toHaveText('通过');

  await officer.reload();
  await hydrated(officer);
  await expect(officer.getByRole('heading', { level: 1 })).toContainText('已批准');

  // The office forms a batch with two rooms and schedules it.
  await admin.goto('/batches');
  await hydrated(admin);
  await admin.getByLabel('批次名称').fill('2026 年第 1 批综合法律知识考试');
  await admin.getByRole('button', { name: '创建批次' }).click();
  await admin.waitForURL(/\/batches\/\d+$/);
  await hydrated(admin);
  const batchUrl = admin.url();
  await admin.getByRole('button', { name: '编入批次' }).click();
  await expect(admin.getByRole('link', { name: `#${planId} 市市场监督管理局` })).toBeVisible();
  // The session starts in twenty minutes (Beijing time), so candidates may already sign in to
  // the waiting room (it opens half an hour before the start).
  const startsAt = new Date(Date.now() + 20 * 60_000 + 8 * 3600_000).toISOString().slice(0, 16);
  await admin.getByLabel('开考时间(北京时间)').fill(startsAt);
  await admin.getByRole('button', { name: '增加场次' }).click();
  await expect(admin.getByText(`第 1 场 · ${startsAt.replace('T', ' ')}`)).toBeVisible();
  for (const room of ['第一考场', '第二考场']) {
    await admin.getByLabel('考点', { exact: true }).fill('市行政学院');
    await admin.getByLabel('考场名称').fill(room);
    await admin.getByLabel('座位数').fill('15');
    await admin.getByRole('button', { name: '增加考场' }).click();
    await expect(admin.getByRole('cell', { name: room })).toBeVisible();
  }
  await admin.getByRole('button', { name: '编排考场和座位' }).click();
  await expect(admin.getByTestId('scheduled')).toContainText('30');
  await expect(admin.getByTestId('paper-progress')).toContainText('试卷已全部生成:30 / 30');

  // The officer prints the agency's admission tickets, one per page, each with its code.
  await officer.goto(`${batchUrl}/tickets`);
  await hydrated(officer);
  await officer.getByRole('button', { name: '生成准考证' }).click();
  const tickets = officer.getByTestId('tickets').locator('article.ticket');
  await expect(tickets).toHaveCount(30);
  await expect(tickets.first()).toContainText('准考证号');
  await expect(tickets.first().locator('.access-code')).toHaveText(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  const ticketNo = (await tickets.first().locator('.ticket-no').textContent()) ?? '';
  const accessCode = (await tickets.first().locator('.access-code').textContent()) ?? '';
  const name = (await tickets.first().locator('.ticket-name').textContent()) ?? '';

  // The appeal view regenerates that candidate's paper from the seed: identical.
  await admin.goto(`${batchUrl}/appeal`);
  await hydrated(admin);
  await admin.getByLabel('准考证号').fill(ticketNo);
  await admin.getByRole('button', { name: '重新生成并比对' }).click();
  await expect(admin.getByTestId('appeal-verdict')).toContainText('一致');
  await expect(admin.getByTestId('keyed-item')).toHaveCount(80);

  // The candidate signs in on the admission ticket and sees their own details.
  const candidate = await browser.newPage();
  const candidateErrors = watchForErrors(candidate);
  await candidate.goto('/login');
  await hydrated(candidate);
  await candidate.getByRole('link', { name: '考生请使用准考证登录' }).click();
  await candidate.waitForURL('**/exam/login');
  await hydrated(candidate);
  await candidate.getByLabel('准考证号').fill(ticketNo);
  await candidate.getByLabel('登录码').fill('AAAA-AAAA');
  await candidate.getByRole('button', { name: '登录' }).click();
  await expect(candidate.getByRole('alert')).toContainText('准考证号或登录码错误');
  await candidate.getByLabel('登录码').fill(accessCode);
  await candidate.getByRole('button', { name: '登录' }).click();
  await candidate.waitForURL('**/exam');
  await hydrated(candidate);
  await expect(candidate.getByTestId('my-ticket')).toContainText(name);
  await expect(candidate.getByTestId('exam-state')).toContainText('考试尚未开始');
  await expect(candidate.getByTestId('countdown')).toContainText('距开考还有');
  await expect(candidate.getByTestId('start')).toBeDisabled();
  expect(candidateErrors).toEqual([]);

  // A second browser on the same ticket is refused: one live sign-in per candidate.
  const other = await browser.newPage();
  await other.goto('/exam/login');
  await hydrated(other);
  await other.getByLabel('准考证号').fill(ticketNo);
  await other.getByLabel('登录码').fill(accessCode);
  await other.getByRole('button', { name: '登录' }).click();
  await expect(other.getByRole('alert')).toContainText('已在其他设备登录');

  // Another candidate on a fresh browser, from the sign-in page to the exam page: everything
  // it downloads (as sent, compressed) stays under 500 KB, and none of it is the staff bundle.
  const second = tickets.nth(1);
  const secondNo = (await second.locator('.ticket-no').textContent()) ?? '';
  const secondCode = (await second.locator('.access-code').textContent()) ?? '';
  const secondName = (await second.locator('.ticket-name').textContent()) ?? '';
  const fresh = await (await browser.newContext()).newPage();
  const freshErrors = watchForErrors(fresh);
  const downloads: Promise<{ url: string; bytes: number }>[] = [];
  fresh.on('requestfinished', (req) => {
    downloads.push(
      req.sizes().then((s) => ({ url: req.url(), bytes: s.responseBodySize + s.responseHeadersSize })),
    );
  });
  await fresh.goto('/exam/login');
  await hydrated(fresh);
  await fresh.getByLabel('准考证号').fill(secondNo);
  await fresh.getByLabel('登录码').fill(secondCode);
  await fresh.getByRole('button', { name: '登录' }).click();
  await fresh.waitForURL('**/exam');
  await hydrated(fresh);
  await expect(fresh.getByTestId('my-ticket')).toContainText(secondName);
  const fetched = await Promise.all(downloads);
  const total = fetched.reduce((sum, d) => sum + d.bytes, 0);
  console.log(`candidate journey: ${fetched.length} requests, ${total} bytes`);
  for (const d of fetched) console.log(`  ${d.bytes}\t${new URL(d.url).pathname}`);
  expect(fetched.filter((d) => /\/pkg\/exam\.[0-9a-f]+\.(js|wasm)$/.test(d.url))).toEqual([]);
  expect(fetched.some((d) => /\/pkg\/candidate\.[0-9a-f]+\.wasm$/.test(d.url))).toBe(true);
  expect(total).toBeLessThan(500 * 1024);
  expect(freshErrors).toEqual([]);
  expect(errors).toEqual([]);
});
