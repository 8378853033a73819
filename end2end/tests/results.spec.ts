// Results in the browser, after a small exam of its own: three candidates of 市市场监督管理局
// (an approved plan put straight into the e2e database) sit a batch the office forms and
// schedules through its services; the session is moved into the past. The office scores the
// batch, opens the item analysis, voids a question and publishes; a candidate sees the result
// and the notice; the agency officer downloads the .xlsx (opened and its rows checked); the
// public verification page confirms the notice's code.
import { execFileSync } from 'node:child_process';
import { expect, request as playwrightRequest, test } from '@playwright/test';
import { api, DEMO_PASSWORD, hydrated, isoFromNow, signIn, sql, watchForErrors } from './helpers';

/** A valid 18-digit resident ID (GB 11643 MOD 11-2 check digit). */
function residentId(birth: string, seq: number): string {
  const body = `110108${birth}${String(seq).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((acc, d, i) => acc + Number(d) * weights[i], 0);
  return body + '10X98765432'[sum % 11];
}

/** The rows of the first sheet of an .xlsx file, cell texts joined by "|". */
function xlsxRows(path: string): string[] {
  const script = `
import json, re, sys, zipfile
from xml.etree import ElementTree as ET
ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
z = zipfile.ZipFile(sys.argv[1])
shared = []
if "xl/sharedStrings.xml" in z.namelist():
    for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns):
        shared.append("".join(t.text or "" for t in si.iter("{%s}t" % ns["m"])))
rows = []
for row in ET.fromstring(z.read("xl/worksheets/sheet1.xml")).iter("{%s}row" % ns["m"]):
    cells = []
    for c in row.findall("m:c", ns):
        v = c.find("m:v", ns)
        t = c.find("m:is/m:t", ns)
        if c.get("t") == "s" and v is not None:
            cells.append(shared[int(v.text)])
        elif t is not None:
            cells.append(t.text or "")
        else:
            cells.append(v.text if v is not None else "")
    rows.append("|".join(cells))
print(json.dumps(rows))
`;
  return JSON.parse(execFileSync('python3', ['-c', script, path]).toString());
}

type Printed = { ticket_no: string; access_code: string; name: string };
type Section = { question_type: string; items: { number: number }[] };

test('the office reviews a small exam, voids a question and publishes; candidate, agency and public see it', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const admin = await playwrightRequest.newContext({ baseURL });
  await api(admin, 'auth/login', { username: 'office', password: DEMO_PASSWORD });

  // An approved plan of three people, straight into the database (the committee's part is
  // procedure.spec.ts's journey).
  const [[agency]] = sql("SELECT agency_id FROM account WHERE username = 'officer.scjg'") as number[][];
  const [[office]] = sql("SELECT id FROM account WHERE username = 'office'") as number[][];
  const now = isoFromNow(0);
  const [[plan]] = sql(
    `INSERT INTO plan (agency_id, exam_kind, field, period_from, period_to, status, version, note,
       created_by, created_at, updated_at)
     VALUES (?, 'general', NULL, '2026-12-01', '2026-12-31', 'approved', 1, '', ?, ?, ?) RETURNING id`,
    [agency, office, now, now],
  ) as number[][];
  const retry = test.info().retry;
  const names = ['秦海洋', '许文静', '何志强'];
  names.forEach((name, i) => {
    const seq = 300 + 10 * retry + i;
    sql(
      `INSERT INTO plan_candidate (plan_id, name, resident_id, sex, post, field, mobile, created_at)
       VALUES (?, ?, ?, ?, '科员', '市场监管', '13800138000', ?)`,
      [plan, name, residentId('19790505', seq), seq % 2 === 1 ? '男' : '女', now],
    );
  });

  // The office forms and schedules the batch; every paper is assembled; tickets are printed.
  const batch: number = await api(admin, 'batches/create', {
    name: `成绩演练批次 ${Date.now()}`,
    exam_kind: 'general',
    field: '',
  });
  await api(admin, 'batches/include-plan', { batch_id: batch, plan_id: plan });
  await api(admin, 'batches/sessions/add', {
    batch_id: batch,
    starts_at: '2099-12-20T09:00',
    duration_minutes: 90,
    late_entry_minutes: 15,
  });
  await api(admin, 'batches/rooms/add', { batch_id: batch, venue: '市行政学院', name: '第 9 考场', address: '人民路 1 号', capacity: 10 });
  await api(admin, 'batches/schedule', { batch_id: batch });
  for (;;) {
    const p = await api(admin, 'papers/assemble', { batch_id: batch });
    if (p.assembled === p.total) break;
  }
  const printed: Printed[] = await api(admin, 'batches/tickets/print', { batch_id: batch });
  expect(printed.length).toBe(3);
  sql('UPDATE exam_session SET starts_at = ? WHERE batch_id = ?', [isoFromNow(-60), batch]);

  // The three sit, each in a browser context of their own, answering every question with the
  // first option (or 正确).
  const sitters = [];
  for (const t of printed) {
    const context = await browser.newContext();
    await api(context.request, 'exam/login', { ticket_no: t.ticket_no, access_code: t.access_code });
    await api(context.request, 'exam/start', {});
    const paper: { sections: Section[] } = await api(context.request, 'exam/paper', {});
    const answers = paper.sections.flatMap((s) =>
      s.items.map((item, i) => ({
        item: item.number,
        seq: item.number,
        response: s.question_type === 'true_false' ? { true_false: i % 2 === 0 } : { choices: [i % 4] },
      })),
    );
    await api(context.request, 'exam/save', { answers, events: [] });
    await api(context.request, 'exam/submit', {});
    sitters.push({ context, ticket: t });
  }
  // The exam day is over.
  sql('UPDATE exam_session SET starts_at = ? WHERE batch_id = ?', [isoFromNow(-3 * 3600), batch]);

  // The office scores, reviews the item analysis, voids a question and publishes.
  const page = await browser.newPage();
  const errors = watchForErrors(page);
  await signIn(page, 'office');
  await page.goto(`/batches/${batch}/results`);
  await hydrated(page);
  await page.getByTestId('score').click();
  await expect(page.getByTestId('scoring-line')).toContainText('第 1 次评分');
  await expect(page.getByTestId('sat')).toHaveText('3');
  await expect(page.getByTestId('histogram').locator('svg')).toBeVisible();
  const rows = page.getByTestId('item-row');
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBeGreaterThanOrEqual(80);
  const first = rows.first();
  await first.getByTestId('decide').click();
  await first.getByTestId('decision-kind').selectOption('void_award');
  await first.getByTestId('decision-reason').fill('题干表述有歧义,作废并给分');
  await first.getByRole('button', { name: '确定' }).click();
  await expect(page.getByTestId('affected')).toContainText('本次处理涉及');
  await expect(page.getByTestId('item-decision').first()).toContainText('作废并给分');
  await expect(page.getByTestId('scoring-line')).toContainText('第 2 次评分');
  page.once('dialog', (d) => d.accept());
  await page.getByTestId('publish').click();
  await expect(page.getByTestId('published')).toContainText('审计链校验值');

  // A candidate sees the published result and the notice with its code.
  const mine = sitters[0];
  const candidatePage = await mine.context.newPage();
  const candidateErrors = watchForErrors(candidatePage);
  await candidatePage.goto('/result');
  await hydrated(candidatePage);
  await expect(candidatePage.getByTestId('notice')).toContainText(mine.ticket.name);
  await expect(candidatePage.getByTestId('my-outcome')).toHaveText(/合格|不合格/);
  await expect(candidatePage.getByTestId('notice-status')).toHaveText('有效');
  const code = (await candidatePage.getByTestId('notice-code').textContent()) ?? '';
  expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

  // The agency officer downloads the results as .xlsx: the file holds the three candidates.
  const officer = await browser.newPage();
  const officerErrors = watchForErrors(officer);
  await signIn(officer, 'officer.scjg');
  await officer.goto(`/batches/${batch}/results/list`);
  await hydrated(officer);
  await expect(officer.getByTestId('result-line')).toHaveCount(3);
  const [download] = await Promise.all([
    officer.waitForEvent('download'),
    officer.getByTestId('download-xlsx').click(),
  ]);
  const file = test.info().outputPath('results.xlsx');
  await download.saveAs(file);
  const lines = xlsxRows(file);
  const header = lines.findIndex((l) => l.startsWith('准考证号|姓名'));
  expect(header, lines.join('\n')).toBeGreaterThanOrEqual(0);
  const body = lines.slice(header + 1);
  expect(body).toHaveLength(3);
  for (const t of printed) {
    expect(body.some((l) => l.startsWith(`${t.ticket_no}|${t.name}|市市场监督管理局`)), `${t.ticket_no} in ${body}`).toBe(true);
  }

  // Anyone confirms the notice's code on the public page, typed without dashes.
  const publicContext = await browser.newContext();
  const visitor = await publicContext.newPage();
  const visitorErrors = watchForErrors(visitor);
  await visitor.goto('/verify');
  await hydrated(visitor);
  await visitor.getByTestId('verify-code').fill(code.replace(/-/g, '').toLowerCase());
  await visitor.getByRole('button', { name: '核验', exact: true }).click();
  await expect(visitor.getByTestId('verified-status')).toHaveText('有效');
  await expect(visitor.getByTestId('verified-name')).toHaveText(new RegExp(`^${mine.ticket.name[0]}\\*+$`));
  await expect(visitor.getByTestId('verified')).not.toContainText(mine.ticket.ticket_no);

  expect([...errors, ...candidateErrors, ...officerErrors, ...visitorErrors]).toEqual([]);
});
