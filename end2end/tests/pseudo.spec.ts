// The pseudo-locale finds hard-coded interface text: every page of every role, rendered with
// `lang=qps` (each interface string wrapped in ⟦…⟧ and 30 % longer), may show only wrapped text
// and user data — names, stems, numbers, codes, read from the server's database. Each page is
// also photographed, to see that the longer strings still fit (test-results/pseudo/).
import { execFileSync } from 'node:child_process';
import { expect, test, type Page } from '@playwright/test';
import { hydrated, signIn, watchForErrors } from './helpers';

/** Every text value stored in the e2e database, minus the columns that hold codes the
 *  interface must translate (states, kinds, types): what a page may show unwrapped. */
function userData(): string[] {
  const db = process.env.E2E_DB;
  if (!db) throw new Error('E2E_DB (the e2e server database file) is not set; see .ci/test');
  const script = `
import json, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
skip = {"status", "question_type", "exam_kind", "staffing", "sex", "action", "kind", "role",
        "resolution", "choice", "password_hash", "payload"}
out = set()
for (t,) in c.execute("select name from sqlite_master where type='table'"):
    cols = [r[1] for r in c.execute(f'pragma table_info("{t}")') if r[1] not in skip]
    for col in cols:
        for (v,) in c.execute(f'select distinct "{col}" from "{t}" where typeof("{col}")=\\'text\\''):
            out.add(v)
            if v.startswith(("[", "{")):
                try:
                    stack = [json.loads(v)]
                    while stack:
                        x = stack.pop()
                        if isinstance(x, str): out.add(x)
                        elif isinstance(x, list): stack.extend(x)
                        elif isinstance(x, dict): stack.extend(x.values())
                except ValueError:
                    pass
print(json.dumps(sorted(out)))
`;
  const values: string[] = JSON.parse(execFileSync('python3', ['-c', script, db], { maxBuffer: 1 << 28 }).toString());
  return values
    .map((v) => v.trim())
    .filter((v) => v.length >= 2 && !v.includes('⟦'))
    .sort((a, b) => b.length - a.length);
}

/** The visible text of the page, element by element (an element's own text nodes joined), and
 *  the accessible names and hints it sets in attributes. */
async function visibleTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      // `translate="no"` marks what is never translated (a language's own name).
      if (el.closest('script, style, noscript, template, [translate="no"]')) continue;
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      const own = Array.from(el.childNodes)
        .filter((n) => n.nodeType === Node.TEXT_NODE)
        .map((n) => n.textContent ?? '')
        .join('')
        .trim();
      if (own) out.push(own);
      for (const attr of ['placeholder', 'title', 'aria-label', 'alt']) {
        const v = el.getAttribute(attr)?.trim();
        if (v) out.push(v);
      }
      if (el instanceof HTMLInputElement && ['submit', 'button'].includes(el.type) && el.value) {
        out.push(el.value);
      }
    }
    out.push(document.title);
    return out;
  });
}

/** What is left of a text once the wrapped strings and the user data are taken out, if it
 *  still holds words: a CJK character or two Latin letters in a row. */
function unwrapped(text: string, data: string[]): string | null {
  // A long value shown cut short ("…") is user data when a stored value starts with it.
  const cut = text.endsWith('…') ? text.slice(0, -1).trim() : '';
  if (cut.length >= 8 && data.some((v) => v.startsWith(cut))) return null;
  let rest = text;
  // Wrapped strings may hold user data and even other wrapped strings: take innermost first.
  for (let i = 0; i < 5 && rest.includes('⟦'); i++) rest = rest.replace(/⟦[^⟦⟧]*⟧/g, ' ');
  for (const value of data) if (rest.includes(value)) rest = rest.split(value).join(' ');
  return /[\p{Script=Han}]|[A-Za-z]{2,}/u.test(rest) ? rest.trim() : null;
}

async function check(page: Page, who: string, path: string, data: string[], problems: string[]) {
  const response = await page.goto(path);
  expect(response?.status(), path).toBeLessThan(500);
  await hydrated(page);
  await expect(page.locator('html')).toHaveAttribute('lang', 'qps');
  for (const text of await visibleTexts(page)) {
    const rest = unwrapped(text, data);
    if (rest !== null) problems.push(`${path}: "${text}" (unwrapped: "${rest}")`);
  }
  const name = path.replace(/[^a-z0-9]+/gi, '_').replace(/^_|_$/g, '') || 'home';
  await page.screenshot({ path: `test-results/pseudo/${who}-${name}.png`, fullPage: true });
}

/** The first link on `listPath` whose address matches `pattern` (a detail page), if any. */
async function firstDetail(page: Page, listPath: string, pattern: RegExp): Promise<string[]> {
  await page.goto(listPath);
  await hydrated(page);
  const hrefs = await page
    .locator('a[href]')
    .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  const found = hrefs.find((h) => pattern.test(h));
  return found ? [found] : [];
}

/** Chooses the pseudo-locale the only way it can be chosen: by setting the cookie by hand. */
async function usePseudoLocale(page: Page) {
  await page.context().addCookies([{ name: 'lang', value: 'qps', domain: '127.0.0.1', path: '/' }]);
}

const rolePages: [string, string[], [string, RegExp][]][] = [
  [
    'office',
    ['/', '/admin/agencies', '/admin/accounts', '/admin/audit', '/plans', '/meetings', '/batches', '/bank', '/bank/new', '/bank/import', '/proctor', '/results/statistics', '/account', '/no-such-page'],
    [
      ['/plans', /^\/plans\/\d+$/],
      ['/meetings', /^\/meetings\/\d+$/],
      ['/batches', /^\/batches\/\d+$/],
      ['/bank', /^\/bank\/\d+$/],
      ['/proctor', /^\/proctor\/\d+\/\d+$/],
    ],
  ],
  ['author', ['/', '/bank', '/bank/new', '/bank/import'], [['/bank', /^\/bank\/\d+$/]]],
  ['committee1', ['/', '/meetings', '/plans'], [['/meetings', /^\/meetings\/\d+$/]]],
  ['officer.scjg', ['/', '/plans'], [['/plans', /^\/plans\/\d+$/]]],
  ['proctor', ['/', '/proctor'], []],
  ['candidate', ['/', '/exam', '/result'], []],
];

test('signed out: the sign-in pages show only translated text in the pseudo-locale', async ({ page }) => {
  const errors = watchForErrors(page);
  const data = userData();
  await usePseudoLocale(page);
  const problems: string[] = [];
  for (const path of ['/login', '/exam/login', '/verify']) await check(page, 'signed-out', path, data, problems);
  expect(problems).toEqual([]);
  expect(errors).toEqual([]);
});

for (const [username, pages, details] of rolePages) {
  test(`${username}: every page shows only translated text in the pseudo-locale`, async ({ page }) => {
    test.setTimeout(180_000);
    const errors = watchForErrors(page);
    const data = userData();
    await signIn(page, username);
    await usePseudoLocale(page);
    const all = [...pages];
    for (const [list, pattern] of details) all.push(...(await firstDetail(page, list, pattern)));
    // The batch's own pages hang off its detail page.
    const batch = all.find((p) => /^\/batches\/\d+$/.test(p));
    if (batch) all.push(`${batch}/tickets`, `${batch}/roster`, `${batch}/papers`, `${batch}/appeal`, `${batch}/results`);
    // The room record hangs off the room console.
    const roomConsole = all.find((p) => /^\/proctor\/\d+\/\d+$/.test(p));
    if (roomConsole) all.push(`${roomConsole}/record`);
    const problems: string[] = [];
    for (const path of all) await check(page, username, path, data, problems);
    expect(problems).toEqual([]);
    // Refused requests (the 404 page) are expected; nothing else may fail.
    expect(errors).toEqual([]);
  });
}
