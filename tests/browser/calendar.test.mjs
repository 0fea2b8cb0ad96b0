// The collaborative coaching grid in a real browser at a phone's size: the
// seed's AM/PM table, marking a block delivered from its session page, and
// the engagement's delivery summary moving by half a coaching day; no CSP
// breach or console error, axe clean, screenshots in build/screenshots/.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { signIn } from '../e2e/lib.mjs';
import {
  demoServer, openBrowser, viewports, axeViolations, describeViolations, describeProblems,
  screenshot, addSessionCookie,
} from './browser.mjs';

let cookie;
let engagement;
const srv = demoServer({
  ready: async (server) => {
    ({ cookie } = await signIn(server.url, 'lead@example.org'));
    assert.ok(cookie, 'the demo district leader signs in');
    const r = await fetch(`${server.url}/api/sessions`, { headers: { cookie } });
    engagement = (await r.json()).sessions.find((s) => s.grid_id).engagement_id;
  },
});

// The Coaching day row of the delivery summary: [committed, scheduled, delivered, ...].
async function coachingDays(page) {
  await page.goto(`${srv.url}/engagements/${engagement}`, { waitUntil: 'load' });
  const row = page.locator('tr', { has: page.locator('th', { hasText: /^Coaching day/ }) }).first();
  return row.locator('td').evaluateAll((tds) => tds.map((td) => td.firstChild.textContent.trim()));
}

describe('the grid at phone size', () => {
  let b;
  let problems;
  before(async () => {
    b = await openBrowser({ viewport: viewports.phone, mobile: true });
    problems = b.problems;
    await addSessionCookie(b.context, srv.url, cookie);
  });
  after(async () => { await b?.close(); });

  test('shows the agreement\'s grid, and delivering a block moves the balance', async () => {
    const { page } = b;
    const before = await coachingDays(page);
    const res = await page.goto(`${srv.url}/engagements/${engagement}/grid`, { waitUntil: 'load' });
    assert.equal(res.status(), 200);
    const table = page.locator('table', { has: page.locator('caption', { hasText: 'cycle 1' }) });
    const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) =>
      [...tr.children].map((c) => (c.querySelector('a') || c).textContent.trim())));
    assert.deepEqual(rows, [['AM', 'GK', 'G2', 'G4', 'G6-8'], ['PM', 'G1', 'G3', 'G5', 'G6-8 Leadership']]);
    const v = await axeViolations(page);
    assert.deepEqual(v, [], describeViolations(v));
    await screenshot(page, 'calendar-grid-phone');
    await table.getByRole('link', { name: 'G4' }).click();
    await page.waitForLoadState('load');
    assert.match(await page.locator('h1').textContent(), /Collaborative coaching cycle/);
    const sv = await axeViolations(page);
    assert.deepEqual(sv, [], describeViolations(sv));
    await page.getByRole('button', { name: 'Mark delivered' }).click();
    await page.waitForLoadState('load');
    assert.equal((await page.locator('dd.status-delivered').textContent()).trim(), 'delivered');
    const after = await coachingDays(page);
    assert.equal(Number(after[2]), Number(before[2]) + 0.5, `delivered ${before[2]} → ${after[2]}`);
    assert.equal(Number(after[1]), Number(before[1]) - 0.5, `scheduled ${before[1]} → ${after[1]}`);
    await page.goto(`${srv.url}/calendar?date=2025-12-01`, { waitUntil: 'load' });
    const cv = await axeViolations(page);
    assert.deepEqual(cv, [], describeViolations(cv));
    await screenshot(page, 'calendar-month-phone');
    assert.equal(describeProblems(problems), '');
  });
});
