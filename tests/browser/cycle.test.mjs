// A whole coaching cycle in a real browser at a phone's size (390 × 844):
// the coach signs in, starts a cycle with the form, fills and completes the
// plan, adds an enactment note with one tap on a tag, bumps a count,
// completes the lesson, writes and completes the reflection and closes the
// cycle; then the teacher shares the plan with the principal, who sees the
// "shared with you" banner. Every page: axe clean, nothing wider than the
// phone, no CSP breach or console error; screenshots in build/screenshots/.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  demoServer, openBrowser, viewports, describeProblems, submit, signInAs, checkPage,
} from './browser.mjs';

const srv = demoServer();

const stateNow = async (page) => (await page.locator('ol.cycle-progress li[aria-current]').textContent()).replace(/\(now\)/, '').trim();

let cycleUrl;

describe('a coach runs a whole cycle on a phone', () => {
  let b;
  let posts;
  before(async () => {
    b = await openBrowser({ viewport: viewports.phone, mobile: true });
    posts = [];
    b.page.on('request', (rq) => { if (rq.method() === 'POST') posts.push(new URL(rq.url()).pathname); });
    // Closing asks "Close this cycle?"; the coach says yes.
    b.page.on('dialog', (d) => d.accept());
    await signInAs(b.page, srv.url, 'coach@example.org');
  });
  after(async () => { await b?.close(); });

  test('starts a cycle with the form', async () => {
    const { page } = b;
    await page.goto(`${srv.url}/cycles`);
    await checkPage(page, 'cycle-list-phone');
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Start a cycle' }).click()]);
    assert.equal(new URL(page.url()).pathname, '/cycles/new');
    await checkPage(page, 'cycle-new-phone');
    await page.getByLabel('School', { exact: true }).selectOption({ label: 'Meadowbrook Elementary School (Prairie Glen School District 41)' });
    await page.getByLabel('Teachers', { exact: true }).selectOption({ label: 'Tom Becker' });
    await page.getByLabel('Title', { exact: true }).fill('Browser: equivalent fractions');
    await page.getByLabel('Grade', { exact: true }).fill('4');
    await submit(page, 'Start the cycle');
    cycleUrl = page.url().replace(/\?.*$/, '');
    assert.match(new URL(cycleUrl).pathname, /^\/cycles\/\d+$/);
    assert.equal((await page.locator('h1').textContent()).trim(), 'Browser: equivalent fractions');
    assert.match(await page.locator('.flash').textContent(), /started/i);
    assert.equal(await stateNow(page), 'Planning');
    assert.equal(await page.locator('ol.cycle-progress li.now').getAttribute('aria-current'), 'step',
      'assistive technology hears the current step');
    await checkPage(page, 'cycle-started-phone');
  });

  test('fills the plan, saves a draft, then completes it', async () => {
    const { page } = b;
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Plan', exact: true }).click()]);
    await checkPage(page, 'cycle-plan-empty-phone');
    await page.getByLabel('Focus practice', { exact: true }).fill('MP3 TP2');
    await page.getByLabel('Standards', { exact: true }).fill('4.nf.a.1');
    await page.getByLabel('Learning goal', { exact: true }).fill('Students explain why two fractions are equivalent with an area model.');
    await page.getByLabel('The task', { exact: true }).fill('Shade 2/3 of one pan and 4/6 of another: is it the same amount of brownie?');
    await page.getByLabel('Anticipated student responses and misconceptions', { exact: true }).fill('Some will say 4/6 is more because 4 > 2.');
    await page.getByLabel('How the coach takes part', { exact: true }).selectOption('co_teach');
    await page.getByLabel('Counts to keep during the lesson', { exact: true }).fill('Students who explained their reasoning\nStudents who used a drawing');
    await page.getByLabel('Lesson date', { exact: true }).fill('2026-03-12');
    await page.getByLabel('Length of the planning conversation, minutes', { exact: true }).fill('25');
    await submit(page, 'Save draft');
    assert.match(new URL(page.url()).pathname, /\/stages\/\d+$/);
    assert.equal(await page.getByLabel('Standards', { exact: true }).inputValue(), '4.NF.A.1', 'the code is normalized');
    assert.match(await page.locator('.badge').first().textContent(), /Draft/);
    await checkPage(page, 'cycle-plan-draft-phone');
    await submit(page, 'Save and mark complete');
    assert.equal(page.url().replace(/\?.*$/, ''), cycleUrl);
    const planCard = page.locator('li.stage-card', { has: page.getByRole('link', { name: 'Plan', exact: true }) });
    assert.match(await planCard.locator('.badge').textContent(), /Complete/);
  });

  test('adds an enactment note with one tap, and bumps a count', async () => {
    const { page } = b;
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: /^Enact/ }).click()]);
    await checkPage(page, 'cycle-enact-phone');
    const notes = page.locator('#notes li');
    const before = await notes.count();
    const postsBefore = posts.length;
    const tap = page.getByRole('button', { name: 'Student reasoning', exact: true });
    const box = await tap.boundingBox();
    assert.ok(box.height >= 44 && box.width >= 44, `a tag button is big enough to tap (${box.width}×${box.height})`);
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), tap.tap()]);
    assert.equal(posts.length - postsBefore, 1, 'one tap, one request');
    assert.match(posts.at(-1), /\/notes$/);
    assert.equal(await notes.count(), before + 1, 'the note is there');
    const note = notes.first();
    assert.match(await note.textContent(), /Student reasoning/);
    const when = await note.locator('time').getAttribute('datetime');
    assert.ok(Math.abs(Date.parse(when) - Date.now()) < 5 * 60 * 1000, `the note has the time it was taken (${when})`);
    assert.match((await note.locator('time').textContent()).trim(), /^\d{1,2}:\d\d/);
    await checkPage(page, 'cycle-enact-note-phone');

    const count = page.locator('.tallies li', { hasText: 'Students who explained their reasoning' }).locator('.tally-count');
    assert.equal((await count.textContent()).trim(), '0');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
      page.getByRole('button', { name: 'One more: Students who explained their reasoning' }).click()]);
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
      page.getByRole('button', { name: 'One more: Students who explained their reasoning' }).click()]);
    assert.equal((await page.locator('.tallies li', { hasText: 'Students who explained their reasoning' }).locator('.tally-count').textContent()).trim(), '2');
    await checkPage(page, 'cycle-enact-counts-phone');

    await page.getByLabel('Evidence collected', { exact: true }).fill('Most pairs shaded both pans and compared the areas.');
    await page.getByLabel('Length of the lesson, minutes', { exact: true }).fill('50');
    await submit(page, 'Save and mark complete');
    assert.equal(page.url().replace(/\?.*$/, ''), cycleUrl);
    assert.equal(await stateNow(page), 'Enacted');
  });

  test('writes and completes the reflection, then closes the cycle', async () => {
    const { page } = b;
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: /^Reflect/ }).click()]);
    await checkPage(page, 'cycle-reflect-phone');
    await page.getByLabel('What happened against what we anticipated', { exact: true }).fill('Fewer students than expected compared numerators.');
    await page.getByLabel('What worked', { exact: true }).fill('The two pans side by side.');
    await page.getByLabel('Student learning', { exact: true }).fill('Most explained equivalence with the area model.');
    await page.getByLabel('Teacher learning', { exact: true }).fill('Pressing for "how do you know" drew out the reasoning.');
    await page.getByLabel('Next steps', { exact: true }).fill('Move to the number line: where do 2/3 and 4/6 land?');
    await submit(page, 'Save and mark complete');
    assert.equal(await stateNow(page), 'Reflected');
    await checkPage(page, 'cycle-reflected-phone');
    await submit(page, 'Close the cycle');
    assert.equal(await stateNow(page), 'Closed');
    await checkPage(page, 'cycle-closed-phone');
    assert.equal(describeProblems(b.problems), '');
  });
});

describe('the teacher shares the plan; the principal sees the banner', () => {
  test('the teacher\'s sharing page', async () => {
    assert.ok(cycleUrl, 'the cycle of the coach\'s run');
    const t = await openBrowser({ viewport: viewports.phone, mobile: true });
    try {
      await signInAs(t.page, srv.url, 'teacher@example.org');
      await t.page.goto(cycleUrl);
      await Promise.all([t.page.waitForNavigation(), t.page.getByRole('link', { name: /Who else reads it|Sharing/ }).click()]);
      assert.match(new URL(t.page.url()).pathname, /\/shares$/);
      await checkPage(t.page, 'cycle-shares-phone');
      await t.page.getByLabel('Person', { exact: true }).selectOption({ label: 'Priya Raman' });
      await t.page.getByLabel('What they may read', { exact: true }).selectOption('plan');
      await submit(t.page, 'Share');
      const row = t.page.locator('tbody tr', { hasText: 'Priya Raman' });
      assert.equal(await row.count(), 1, 'the share is listed');
      assert.match(await row.textContent(), /plan/i);
      await checkPage(t.page, 'cycle-shared-phone');
      assert.equal(describeProblems(t.problems), '');
      const headers = await t.page.locator('thead th').allTextContents();
      assert.ok(!(await t.page.locator('main').textContent()).includes('<th'), 'no markup shown as text in the table');
      assert.equal(headers.length, 4, `a header cell per column (who, what, since, revoke): ${JSON.stringify(headers)}`);
      // Taking a share back is the teacher's promise: the button is in view
      // on a phone, not behind a sideways scroll of the table.
      const revoke = await row.getByRole('button', { name: /Revoke|Take back/ }).boundingBox();
      assert.ok(revoke && revoke.x >= 0 && revoke.x + revoke.width <= viewports.phone.width,
        `the Revoke button is within the phone's width (x ${revoke?.x}, width ${revoke?.width})`);
    } finally {
      await t.close();
    }
  });

  test('the principal reads the plan under the banner, read only', async () => {
    const p = await openBrowser({ viewport: viewports.phone, mobile: true });
    try {
      await signInAs(p.page, srv.url, 'principal@example.org');
      await p.page.goto(cycleUrl);
      assert.match(await p.page.locator('.shared-banner').textContent(), /Shared with you by Tom Becker/);
      assert.equal(await p.page.getByRole('link', { name: /^Enact/ }).count(), 0, 'only the plan is shared');
      await checkPage(p.page, 'cycle-shareholder-phone');
      await Promise.all([p.page.waitForNavigation(), p.page.getByRole('link', { name: 'Plan', exact: true }).click()]);
      assert.match(await p.page.locator('main').textContent(), /area model/);
      assert.equal(await p.page.locator('main textarea, main button[type=submit]').count(), 0, 'read only');
      await checkPage(p.page, 'cycle-shareholder-plan-phone');
      assert.equal(describeProblems(p.problems), '');
    } finally {
      await p.close();
    }
  });
});
