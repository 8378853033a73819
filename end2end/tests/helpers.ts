import { execFileSync } from 'node:child_process';
import { expect, type APIRequestContext, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'Demo2026exam';

/** Fails the test on any uncaught page error or console error (CSP, hydration, panics). */
export function watchForErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // A refused request (409, 422…) that the page shows as a message is expected, not an error.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
      errors.push(`console: ${m.text()}`);
    }
  });
  return errors;
}

/** Waits until the wasm has hydrated the page (a click before that would be lost). */
export async function hydrated(page: Page) {
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  // Resources a component fetches after hydration (rare) must have arrived too.
  await page.waitForLoadState('networkidle');
}

/** Signs in on the Chinese sign-in page and waits for the home page. */
export async function signIn(page: Page, username: string, password = DEMO_PASSWORD) {
  await page.goto('/login');
  await hydrated(page);
  await page.getByLabel('用户名', { exact: true }).fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/');
  await hydrated(page);
}

/** Switches the interface language with the header button (the page reloads in it). */
export async function switchLanguage(page: Page, button: 'English' | '中文') {
  await Promise.all([
    page.waitForEvent('load'),
    page.getByRole('button', { name: button, exact: true }).click(),
  ]);
  await hydrated(page);
}

/** Runs SQL on the e2e server's SQLite database (the server keeps running; WAL allows it). */
export function sql(statement: string, params: (string | number | null)[] = []): unknown[][] {
  const db = process.env.E2E_DB;
  if (!db) throw new Error('E2E_DB (the e2e server database file) is not set; see .ci/test');
  const script = `
import json, sqlite3, sys
c = sqlite3.connect(sys.argv[1], timeout=30)
rows = c.execute(sys.argv[2], json.loads(sys.argv[3])).fetchall()
c.commit()
print(json.dumps(rows))
`;
  return JSON.parse(execFileSync('python3', ['-c', script, db, statement, JSON.stringify(params)]).toString());
}

/** An ISO time `secs` seconds from now, as the server stores times. */
export function isoFromNow(secs: number): string {
  return new Date(Date.now() + secs * 1000).toISOString().replace('Z', '+00:00');
}

/** Calls a server function that must answer 200, and returns its JSON. */
export async function api(ctx: APIRequestContext, endpoint: string, body: unknown) {
  const res = await ctx.post(`/api/${endpoint}`, { data: body });
  expect(res.status(), `${endpoint}: ${await res.text()}`).toBe(200);
  return res.json();
}
