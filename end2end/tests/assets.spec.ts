// How the release site is served: the browser bundles under content-hashed names, cached for a
// year as immutable and sent brotli- or gzip-compressed; pages never cached; the candidate's
// pages load the small candidate bundle and the staff pages the full one.
import { expect, test } from '@playwright/test';

/** The hashed script a page preloads (`/pkg/<bundle>.<hash>.js`). */
async function bundleScript(html: string): Promise<string> {
  const m = html.match(/<link rel="modulepreload" href="(\/pkg\/[a-z]+\.[0-9a-f]{16}\.js)"/);
  expect(m, 'the page preloads a hashed bundle').not.toBeNull();
  return m![1];
}

test('hashed assets are compressed and immutable; pages are not cached', async ({ request }) => {
  const page = await request.get('/login');
  expect(page.status()).toBe(200);
  expect(page.headers()['cache-control']).toBe('no-store');
  const html = await page.text();
  const js = await bundleScript(html);
  expect(js).toMatch(/^\/pkg\/exam\./);
  const css = html.match(/<link rel="stylesheet" href="(\/pkg\/exam\.[0-9a-f]{16}\.css)"/);
  expect(css, 'the page links the hashed style sheet').not.toBeNull();
  const wasm = html.match(/<link rel="preload" href="(\/pkg\/exam\.[0-9a-f]{16}\.wasm)"/);
  expect(wasm, 'the page preloads the hashed wasm').not.toBeNull();

  for (const asset of [js, css![1], wasm![1]]) {
    for (const encoding of ['br', 'gzip']) {
      const res = await request.get(asset, { headers: { 'Accept-Encoding': encoding } });
      expect(res.status(), asset).toBe(200);
      expect(res.headers()['content-encoding'], `${asset} asked for ${encoding}`).toBe(encoding);
      expect(res.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.headers()['vary']).toContain('accept-encoding');
    }
  }
  // A name that is not in the build is not found (never a stale file under a new name).
  const stale = await request.get('/pkg/exam.0000000000000000.js');
  expect(stale.status()).toBe(404);

  // The server functions' answers are personal: never cached either.
  const whoami = await request.post('/api/auth/me', { data: {} });
  expect(whoami.headers()['cache-control']).toBe('no-store');
});

test("the candidate's pages load the candidate bundle, the staff pages the full one", async ({
  request,
}) => {
  for (const path of ['/exam/login', '/exam']) {
    const html = await (await request.get(path)).text();
    expect(await bundleScript(html), path).toMatch(/^\/pkg\/candidate\./);
    expect(html, path).toMatch(/<link rel="preload" href="\/pkg\/candidate\.[0-9a-f]{16}\.wasm"/);
  }
  for (const path of ['/login', '/', '/bank']) {
    const html = await (await request.get(path)).text();
    expect(await bundleScript(html), path).toMatch(/^\/pkg\/exam\./);
  }
});
