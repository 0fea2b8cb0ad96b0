// A walker fills a visit on a phone (390 × 844) in a real browser: the
// coach signs in, opens the demo's open learning walk, taps "First/Next
// classroom", taps a grade and a level for each focus indicator, types a
// line of evidence, saves, and sees "Visit N saved" with a big "Next
// classroom", then the visit on the walk and in the debrief. Look-fors
// count with − and + (instantly, with walk.js) on a walk that has them.
// The walk, the visit form and the debrief: axe clean, nothing wider than
// the phone, no CSP breach or console error; screenshots in
// build/screenshots/walk-*.png.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  demoServer, openBrowser, viewports, describeProblems, screenshot, submit, signInAs, checkPage,
} from './browser.mjs';
import { signIn, request } from '../e2e/lib.mjs';

const srv = demoServer();

describe('a walker fills a visit on a phone', () => {
  let b;
  before(async () => {
    b = await openBrowser({ viewport: viewports.phone, mobile: true });
    await signInAs(b.page, srv.url, 'coach@example.org');
  });
  after(async () => { await b?.close(); });

  test('opens the demo walk, rates a classroom, saves, and sees it on the walk and the debrief', async () => {
    const { page } = b;
    await page.goto(`${srv.url}/walks`);
    await checkPage(page, 'walk-list-phone');
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: '2026-11-12' }).click()]);
    await checkPage(page, 'walk-walk-phone');
    assert.match(await page.locator('.setting-note').first().textContent(),
      /Teachers are not named on visits in Prairie Glen School District 41 \(district setting\)/);
    const before = await page.locator('table tbody tr').count();
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Next classroom' }).click()]);
    assert.match(new URL(page.url()).pathname, /^\/walks\/\d+\/visits\/new$/);
    await checkPage(page, 'walk-visit-form-phone');
    // The time is the phone's own clock (walk.js), HH:MM.
    assert.match(await page.getByLabel('Time', { exact: true }).inputValue(), /^\d\d:\d\d$/);
    await page.getByRole('group', { name: 'Grade' }).getByRole('radio', { name: '4', exact: true }).tap();
    const tru2 = page.getByRole('group', { name: /TRU2/ });
    const tru4 = page.getByRole('group', { name: /TRU4/ });
    await tru2.getByRole('radio').nth(2).tap();
    await tru4.getByRole('radio').nth(1).tap();
    assert.equal(await tru2.locator('input:checked').getAttribute('value'), '3');
    assert.equal(await tru4.locator('input:checked').getAttribute('value'), '2');
    // Every chip is a thumb-sized target.
    for (const box of await Promise.all((await page.locator('label.chip').all()).slice(0, 6).map((l) => l.boundingBox())))
      assert.ok(box.height >= 44 && box.width >= 44, `a chip of ${box.width}×${box.height}`);
    await page.getByLabel('Evidence', { exact: true }).fill('Partners argued about 3/4 on a number line; browser visit.');
    await screenshot(page, 'walk-visit-filled-phone');
    await submit(page, 'Save visit');
    assert.match(page.url(), /\/walks\/\d+\?saved=\d+$/);
    assert.match(await page.locator('.visit-saved').textContent(), new RegExp(`Visit ${before + 1} saved`));
    assert.ok(await page.getByRole('link', { name: 'Next classroom' }).isVisible());
    assert.equal(await page.locator('table tbody tr').count(), before + 1);
    assert.match(await page.locator('table tbody tr').last().textContent(), /4.*TRU2 3, TRU4 2/s);
    await checkPage(page, 'walk-walk-saved-phone');
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Debrief' }).click()]);
    assert.ok((await page.content()).includes('Partners argued about 3/4 on a number line; browser visit.'));
    assert.equal(await page.locator('svg[role="img"]').count(), 2, 'a chart per focus indicator');
    await checkPage(page, 'walk-debrief-phone');
    assert.equal(describeProblems(b.problems), '');
  });

  test('counts look-fors with − and + on a walk that has them', async () => {
    const { page } = b;
    // A district rubric with a look-for, made in the database, and a walk with it.
    const sql = (q) => execFileSync('sqlite3', [srv.db, q], { encoding: 'utf8' }).trim();
    const now = Math.floor(Date.now() / 1000);
    const district = sql("SELECT id FROM org WHERE kind = 'district'");
    const rid = sql(`INSERT INTO rubric (org_id, name, created_at, updated_at) VALUES (${district}, 'Talk walk', ${now}, ${now}) RETURNING id`);
    const vid = sql(`INSERT INTO rubric_version (rubric_id, version, scale_min, scale_max, created_at) VALUES (${rid}, 1, 1, 4, ${now}) RETURNING id`);
    sql(`UPDATE rubric SET current_version_id = ${vid} WHERE id = ${rid}`);
    sql(`INSERT INTO rubric_indicator (version_id, position, code, name) VALUES (${vid}, 1, 'T1', 'Student talk')`);
    sql(`INSERT INTO rubric_look_for (version_id, position, text) VALUES (${vid}, 1, 'Students ask each other')`);
    const s = await signIn(srv.url, 'coach@example.org');
    const me = (await request(srv.url, 'GET', '/api/me', { cookie: s.cookie })).json;
    const school = sql("SELECT id FROM org WHERE name = 'Meadowbrook Elementary School'");
    const w = await request(srv.url, 'POST', '/api/walks', { cookie: s.cookie, csrf: me.csrf,
      json: { school_id: Number(school), walked_on: '2026-12-01', rubric_id: Number(rid), walkers: [me.person.id] } });
    assert.equal(w.status, 201, w.text);
    await page.goto(`${srv.url}/walks/${w.json.id}/visits/new`);
    await page.getByRole('group', { name: 'Grade' }).getByRole('radio', { name: 'K', exact: true }).tap();
    const plus = page.getByRole('button', { name: 'One more: Students ask each other' });
    const minus = page.getByRole('button', { name: 'One fewer: Students ask each other' });
    const count = page.getByLabel('Students ask each other', { exact: true });
    for (let i = 0; i < 3; i++) await plus.tap();
    await minus.tap();
    assert.equal(await count.inputValue(), '2', 'counted in place, no round trip');
    const box = await plus.boundingBox();
    assert.ok(box.width >= 44 && box.height >= 44);
    await checkPage(page, 'walk-visit-look-fors-phone');
    await submit(page, 'Save visit');
    assert.match(await page.locator('.visit-saved').textContent(), /Visit 1 saved/);
    const got = (await request(srv.url, 'GET', `/api/walks/${w.json.id}`, { cookie: s.cookie })).json.visits[0];
    assert.equal(got.look_fors[0].count, 2);
    assert.equal(got.grade, 'K');
    assert.equal(describeProblems(b.problems), '');
  });
});
