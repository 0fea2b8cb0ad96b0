// Each demo account signs in through the real form in Chromium and sees
// the navigation its role allows (decided by the access policy), on a phone
// and without accessibility problems. Screenshots go to build/screenshots/.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, sanitizerReport, openBrowser, viewports, axeViolations, describeViolations,
  describeProblems, screenshot, horizontalOverflow,
} from './browser.mjs';

// In the order of the navigation; decided by the access policy.
const expected = {
  'admin@example.org': ['Organizations', 'Engagements', 'People', 'Teams', 'Classes', 'Calendar', 'Cycles', 'Calibration', 'School years', 'Cycle templates', 'Rubrics', 'Roster import', 'Audit log'],
  'lead@example.org': ['Organizations', 'Engagements', 'People', 'Teams', 'Classes', 'Calendar', 'Cycles', 'Coaching report', 'Learning walks', 'Walk dashboard', 'Calibration', 'School years', 'Cycle templates', 'Rubrics', 'Audit log'],
  'principal@example.org': ['Organizations', 'People', 'Teams', 'Classes', 'Calendar', 'Cycles', 'Coaching report', 'Learning walks', 'Walk dashboard', 'Calibration'],
  // The partner coach is partner staff too, who write cycle templates and rubrics.
  'coach@example.org': ['Organizations', 'Engagements', 'People', 'Teams', 'Calendar', 'Cycles', 'Coaching report', 'Learning walks', 'Walk dashboard', 'Calibration', 'Cycle templates', 'Rubrics'],
  'teacher@example.org': ['Organizations', 'People', 'Teams', 'Classes', 'Calendar', 'Cycles', 'Learning walks', 'Calibration'],
  'teacher2@example.org': ['Organizations', 'People', 'Teams', 'Classes', 'Calendar', 'Cycles', 'Learning walks', 'Calibration'],
};

let srv;
before(async () => { srv = await startServer(); });
after(async () => {
  const r = await srv.stop();
  assert.equal(r.code, 0, `server exit code (log: ${r.stderr.slice(-2000)})`);
  assert.ok(!sanitizerReport(r.stderr), r.stderr.slice(-4000));
  assert.doesNotMatch(r.stderr, /csp-report directive=/, 'the browser reported a CSP violation');
});

describe('signed out', () => {
  test('the sign-in page is accessible and shows no navigation', async () => {
    const b = await openBrowser({ viewport: viewports.phone, mobile: true });
    try {
      await b.page.goto(`${srv.url}/signin`);
      assert.equal(await b.page.locator('nav[aria-label="Main"] a').count(), 0);
      const v = await axeViolations(b.page);
      assert.equal(v.length, 0, describeViolations(v));
      await screenshot(b.page, 'signin-phone');
      assert.equal(describeProblems(b.problems), '');
    } finally {
      await b.close();
    }
  });
});

for (const [email, links] of Object.entries(expected)) {
  describe(`${email} signs in`, () => {
    let b;
    before(async () => {
      b = await openBrowser({ viewport: viewports.phone, mobile: true });
      const { page } = b;
      await page.goto(`${srv.url}/signin`);
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill('demo-pass-1');
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign in' }).click()]);
    });
    after(async () => { await b?.close(); });

    test('lands signed in, with the navigation of the role', async () => {
      const { page } = b;
      assert.equal(new URL(page.url()).pathname, '/');
      assert.equal(await page.locator('.account-name').count(), 1, 'the account name shows');
      const nav = await page.locator('nav[aria-label="Main"] a').allTextContents();
      assert.deepEqual(nav.map((t) => t.trim()), links);
    });

    test('every navigation link opens a page that is allowed', async () => {
      const { page } = b;
      const hrefs = await page.locator('nav[aria-label="Main"] a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      for (const href of hrefs) {
        const res = await page.goto(`${srv.url}${href}`);
        assert.equal(res.status(), 200, `${email} → ${href}`);
      }
      await page.goto(`${srv.url}/`);
    });

    test('no serious accessibility problem, nothing wider than the phone', async () => {
      const { page } = b;
      const v = await axeViolations(page);
      assert.equal(v.length, 0, describeViolations(v));
      assert.equal(await horizontalOverflow(page), 0);
      await screenshot(page, `home-${email.split('@')[0]}-phone`);
      assert.equal(describeProblems(b.problems), '');
    });
  });
}
