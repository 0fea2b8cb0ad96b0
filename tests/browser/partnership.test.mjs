// A partnership from nothing in a real browser at a phone's size: a district
// leader creates an engagement, adds coaching days, builds a two-day grid
// with the grid page's form, swaps two teams, delivers a block and sees the
// delivery summary move; axe clean, no CSP breach, screenshots saved.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { signIn } from '../e2e/lib.mjs';
import {
  demoServer, openBrowser, viewports, describeProblems, submit, checkPage, addSessionCookie,
} from './browser.mjs';

let cookie;
const srv = demoServer({
  ready: async (server) => {
    ({ cookie } = await signIn(server.url, 'lead@example.org'));
    assert.ok(cookie, 'the demo district leader signs in');
  },
});

// The grid's table as text: each row's header, then each block's team.
function gridRows(page) {
  const table = page.locator('table', { has: page.locator('caption', { hasText: 'cycle 1' }) });
  return table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) =>
    [...tr.children].map((c) => (c.querySelector('a') || c).textContent.trim())));
}

// The Coaching day row of the delivery summary: committed, scheduled,
// delivered, cancelled, remaining (units, without the money under them).
function coachingDays(page) {
  const row = page.locator('tr', { has: page.locator('th', { hasText: /^Coaching day/ }) }).first();
  return row.locator('td').evaluateAll((tds) => tds.map((td) => td.firstChild.textContent.trim()));
}

describe('a partnership at phone size', () => {
  let b;
  before(async () => {
    b = await openBrowser({ viewport: viewports.phone, mobile: true });
    await addSessionCookie(b.context, srv.url, cookie);
  });
  after(async () => { await b?.close(); });

  test('engagement, line, grid, swap, delivery', async () => {
    const { page } = b;

    // The engagement, through its form.
    let res = await page.goto(`${srv.url}/engagements/new`, { waitUntil: 'load' });
    assert.equal(res.status(), 200);
    await page.getByLabel('Partner', { exact: true }).selectOption({ label: 'Lakeshore Mathematics Collaborative' });
    await page.getByLabel('District', { exact: true }).selectOption({ label: 'Prairie Glen School District 41' });
    await page.getByLabel('Title', { exact: true }).fill('Spring coaching partnership');
    await page.getByLabel('Starts on', { exact: true }).fill('2026-01-05');
    await page.getByLabel('Ends on', { exact: true }).fill('2026-06-05');
    await checkPage(page, 'partnership-engagement-new');
    await submit(page, /^(Create|Save)/);
    const engagementUrl = new URL(page.url());
    const id = engagementUrl.pathname.match(/^\/engagements\/(\d+)$/)?.[1];
    assert.ok(id, `created engagement's address: ${page.url()}`);
    assert.equal((await page.locator('h1').textContent()).trim(), 'Spring coaching partnership');
    // A draft gives the partner no reach; the district's leader accepts it.
    assert.match(await page.locator('main').textContent(), /A draft: the district has not been asked yet/);
    await submit(page, 'Accept for the district');
    assert.match(page.url(), /\?ok=engagement-accepted$/);
    assert.match(await page.locator('main').textContent(), /The district accepted it/);

    // Four coaching days at 1,800.
    await page.getByLabel('Kind of service').selectOption({ label: 'Coaching day' });
    await page.getByLabel('Quantity', { exact: true }).fill('4');
    await page.getByLabel('Unit price (USD)').fill('1,800');
    await submit(page, 'Add service');
    assert.deepEqual(await coachingDays(page), ['4', '0', '0', '0', '4']);
    assert.match(await page.locator('main').textContent(), /\$7,200\.00/);
    await checkPage(page, 'partnership-engagement');

    // The grid page: no grid yet, the builder set up for two days.
    res = await page.goto(`${srv.url}/engagements/${id}/grid`, { waitUntil: 'load' });
    assert.equal(res.status(), 200);
    assert.match(await page.locator('main').textContent(), /No collaborative coaching days are scheduled/);
    assert.equal(await page.locator('fieldset.grid-day').count(), 4, 'four day rows by default');
    await page.getByLabel('Number of days').fill('2');
    await submit(page, 'Set up days');
    assert.equal(await page.locator('fieldset.grid-day').count(), 2, 'two day rows after setting up two days');
    await checkPage(page, 'partnership-grid-builder');

    await page.getByLabel('Service line to draw on').selectOption({ label: 'Coaching day (4 of 4 left)' });
    const meadowbrook = (team) => ({ label: `${team} (Meadowbrook Elementary School)` });
    await page.locator('#date-1').fill('2026-01-12');
    await page.locator('#am-team-1').selectOption(meadowbrook('GK'));
    await page.locator('#pm-team-1').selectOption(meadowbrook('G1'));
    await page.locator('#date-2').fill('2026-01-13');
    await page.locator('#am-team-2').selectOption(meadowbrook('G2'));
    await page.locator('#pm-team-2').selectOption(meadowbrook('G3'));
    await submit(page, 'Build the grid');
    assert.match(page.url(), new RegExp(`/engagements/${id}/grid\\?ok=created`));
    assert.deepEqual(await gridRows(page), [['AM', 'GK', 'G2'], ['PM', 'G1', 'G3']]);
    const heads = await page.locator('table thead th').allInnerTexts();
    assert.deepEqual(heads.map((h) => h.replace(/\s+/g, ' ').trim()),
      ['Time', 'Day 1 2026-01-12', 'Day 2 2026-01-13']);
    // The line now offers what is left: 4 blocks of half a day scheduled.
    assert.equal(await page.getByLabel('Service line to draw on').locator('option').first().textContent(),
      'Coaching day (2 of 4 left)');
    await checkPage(page, 'partnership-grid');

    // One action swaps the teams of Day 1 AM and Day 2 AM.
    const swap = page.getByLabel('Swap Day 1 AM (GK) with…');
    await swap.selectOption({ label: 'Day 2 AM (G2)' });
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'load' }),
      page.locator('form.swap', { has: swap }).getByRole('button', { name: 'Swap' }).click(),
    ]);
    assert.match(page.url(), /\?ok=saved/);
    assert.deepEqual(await gridRows(page), [['AM', 'G2', 'GK'], ['PM', 'G1', 'G3']]);
    await checkPage(page, 'partnership-grid-swapped');

    // Deliver Day 1 AM (now G2) from its session page.
    const table = page.locator('table', { has: page.locator('caption', { hasText: 'cycle 1' }) });
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
      table.getByRole('link', { name: 'G2' }).click()]);
    assert.match(await page.locator('h1').textContent(), /Collaborative coaching cycle/);
    assert.match(await page.locator('.facts').textContent(), /2026-01-12 AM/);
    await submit(page, 'Mark delivered');
    assert.equal((await page.locator('dd.status-delivered').textContent()).trim(), 'delivered');
    await checkPage(page, 'partnership-session-delivered');

    // The engagement's summary: delivered 0.5, scheduled 1.5, remaining 2.
    res = await page.goto(`${srv.url}/engagements/${id}`, { waitUntil: 'load' });
    assert.equal(res.status(), 200);
    assert.deepEqual(await coachingDays(page), ['4', '1.5', '0.5', '0', '2']);
    await checkPage(page, 'partnership-engagement-delivered');

    assert.equal(describeProblems(b.problems), '');
  });
});
