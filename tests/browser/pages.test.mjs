// Every page a signed-in person reaches from the navigation, and one record
// of each list, at a phone's size: it loads, fits the screen, shows no CSP
// violation or console error, and axe finds no serious or critical problem.
// Screenshots go to build/screenshots/page-<who>-<page>.png.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, sanitizerReport, openBrowser, viewports, axeViolations, describeViolations,
  describeProblems, screenshot, horizontalOverflow,
} from './browser.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => {
  const r = await srv.stop();
  assert.equal(r.code, 0, `server exit code (log: ${r.stderr.slice(-2000)})`);
  assert.ok(!sanitizerReport(r.stderr), r.stderr.slice(-4000));
});

async function signInAs(page, email) {
  await page.goto(`${srv.url}/signin`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('demo-pass-1');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign in' }).click()]);
}

// The pages to visit: each nav link, the first record linked from each list,
// and the pages that are not in the navigation.
async function pagesFor(page) {
  const nav = await page.locator('nav[aria-label="Main"] a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  const extra = ['/account'];
  const details = [];
  for (const href of nav) {
    await page.goto(`${srv.url}${href}`);
    const first = await page.locator(`main table a[href^="${href}/"]`).first().getAttribute('href').catch(() => null);
    if (first) details.push(first);
    const create = await page.locator(`main a[href="${href}/new"]`).count();
    if (create) extra.push(`${href}/new`);
  }
  return [...nav, ...details, ...extra];
}

for (const who of ['admin', 'lead', 'coach', 'teacher']) {
  describe(`pages as ${who}@ on a phone`, () => {
    let b;
    let paths = [];
    before(async () => {
      b = await openBrowser({ viewport: viewports.phone, mobile: true });
      await signInAs(b.page, `${who}@example.org`);
      paths = await pagesFor(b.page);
    });
    after(async () => { await b?.close(); });

    test('there are pages to check', () => {
      assert.ok(paths.length >= (who === 'admin' ? 12 : 6), paths.join(' '));
    });

    test('each page loads, fits, and is accessible', async () => {
      const { page } = b;
      const failures = [];
      for (const path of paths) {
        const res = await page.goto(`${srv.url}${path}`);
        if (res.status() !== 200) { failures.push(`${path}: status ${res.status()}`); continue; }
        const overflow = await horizontalOverflow(page);
        if (overflow > 0) failures.push(`${path}: scrolls ${overflow}px sideways`);
        const v = await axeViolations(page);
        if (v.length) failures.push(`${path}: ${describeViolations(v)}`);
        if ((await page.locator('h1').count()) !== 1) failures.push(`${path}: not exactly one h1`);
        const name = path.replace(/^\//, '').replace(/[^a-z0-9]+/gi, '-') || 'home';
        await screenshot(page, `page-${who}-${name}`);
      }
      assert.deepEqual(failures, []);
      assert.equal(describeProblems(b.problems), '');
    });
  });
}
