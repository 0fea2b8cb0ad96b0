// Calibration in a real browser: on a phone (390 × 844) the demo's teacher
// (Tom Becker) opens the fall session's round two, finds the results blind,
// rates every indicator with the big scale buttons, saves a draft, submits
// and sees the group's results; on a desktop the facilitator (Carmen Ortiz)
// views the results page with its heatmap and the session page. Every page:
// axe clean, nothing wider than the phone; screenshots in build/screenshots/.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  demoServer, openBrowser, viewports, submit, signInAs, checkPage,
} from './browser.mjs';

const srv = demoServer();

let sessionUrl;

describe('a rater rates blind on a phone', () => {
  let b;
  before(async () => {
    b = await openBrowser({ viewport: viewports.phone, mobile: true });
    await signInAs(b.page, srv.url, 'teacher@example.org');
  });
  after(async () => { await b?.close(); });

  test('the list and the session, blind', async () => {
    const { page } = b;
    await page.goto(`${srv.url}/calibrations`);
    await checkPage(page, 'calibration-list-phone');
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Fall calibration: Grade 4 fractions lesson' }).click()]);
    sessionUrl = page.url().replace(/\?.*$/, '');
    assert.match(await page.locator('main').textContent(), /You rate blind/);
    assert.equal(await page.getByRole('link', { name: 'Results' }).count(), 0, 'no results link before submitting');
    await checkPage(page, 'calibration-session-phone');
    const blind = await page.goto(`${sessionUrl}/results`);
    assert.equal(blind.status(), 403);
    assert.match(await page.locator('main').textContent(), /Submit your ratings to see the group/);
  });

  test('rates, saves a draft, submits, sees the results', async () => {
    const { page } = b;
    await page.goto(`${sessionUrl}/rate`);
    await checkPage(page, 'calibration-rate-phone');
    // The form starts from round one's own ratings; Tom changes them.
    const picks = { TRU1: 3, TRU2: 2, TRU3: 2, TRU4: 2, TRU5: 1 };
    for (const [code, v] of Object.entries(picks)) {
      const label = page.locator(`label[for="v-${code}-${v}"]`);
      const box = await label.boundingBox();
      assert.ok(box.height >= 44 && box.width >= 44, `${code} ${v} is a big target (${box.width}×${box.height})`);
      await label.click();
    }
    await page.getByLabel('Evidence for TRU3').fill('Two ways shown on the board, both explained.');
    await submit(page, 'Save draft');
    assert.match(await page.locator('.flash').textContent(), /Draft saved/);
    assert.ok(await page.locator('#v-TRU3-2').isChecked(), 'the draft is kept');
    await submit(page, 'Submit my ratings');
    assert.match(new URL(page.url()).pathname, /\/results$/);
    assert.match(await page.locator('h1').textContent(), /Results of round 2/);
    assert.match(await page.locator('main').textContent(), /6 of 6 raters submitted/);
    await checkPage(page, 'calibration-results-phone');
  });
});

describe('the facilitator views the results', () => {
  let b;
  before(async () => {
    b = await openBrowser({ viewport: viewports.desktop });
    await signInAs(b.page, srv.url, 'coach@example.org');
  });
  after(async () => { await b?.close(); });

  test('results with the heatmap, the statistics and the change; the session page', async () => {
    const { page } = b;
    await page.goto(`${sessionUrl}/results`);
    const heat = page.locator('figure svg[role="img"]').nth(1);
    assert.ok(await heat.isVisible(), 'the heatmap is visible');
    assert.match(await page.locator('main').textContent(), /Each rater against the anchor/);
    assert.match(await page.locator('main').textContent(), /Krippendorff's alpha, ordinal/);
    assert.match(await page.locator('main').textContent(), /From round 1 to round 2/);
    assert.ok(await page.locator('td:has-text("passes"), span.badge:has-text("passes")').count() > 0);
    await checkPage(page, 'calibration-results-desktop', { sideways: false });
    await page.goto(sessionUrl);
    assert.ok(await page.getByRole('button', { name: 'Open round 3' }).isVisible());
    await checkPage(page, 'calibration-session-desktop', { sideways: false });
    await page.goto(`${srv.url}/calibrations/new`);
    await checkPage(page, 'calibration-new-desktop', { sideways: false });
  });
});
