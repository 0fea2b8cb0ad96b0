// The organizations page in a real browser, at a phone's and a desktop's
// size: it reads right, its chart shows, its filter works, nothing breaks
// the Content Security Policy or logs an error, and axe finds no serious or
// critical accessibility problem. Screenshots go to build/screenshots/.
// The page needs a signed-in person: the browser carries the demo
// administrator's session cookie.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { signIn } from '../e2e/lib.mjs';
import {
  demoServer, openBrowser, viewports, axeViolations, describeViolations, describeProblems,
  screenshot, horizontalOverflow, addSessionCookie,
} from './browser.mjs';

const schools = ['Meadowbrook Elementary School', 'Cedar Ridge Elementary School', 'Prairie Glen Middle School'];
const notSchools = ['Lakeshore Mathematics Collaborative', 'Prairie Glen School District 41'];

let cookie; // "coachd_session=..." of the demo administrator
const srv = demoServer({
  ready: async (server) => {
    ({ cookie } = await signIn(server.url, 'admin@example.org'));
    assert.ok(cookie, 'the demo administrator signs in');
  },
});

// The names in the table's body, and the kind column, in order.
async function tableRows(page) {
  return page.locator('main > .table-wrap > table > tbody > tr').evaluateAll((trs) => trs.map((tr) => ({
    name: tr.cells[0]?.querySelector('a')?.textContent.trim(),
    partOf: tr.cells[0]?.querySelector('.muted')?.textContent.trim() ?? null,
    kind: tr.cells[1]?.textContent.trim(),
  })));
}

for (const [name, viewport] of Object.entries(viewports)) {
  describe(`/orgs at ${name} size (${viewport.width}×${viewport.height})`, () => {
    let b;
    before(async () => {
      b = await openBrowser({ viewport, mobile: name === 'phone' });
      await addSessionCookie(b.context, srv.url, cookie);
      const res = await b.page.goto(`${srv.url}/orgs`, { waitUntil: 'load' });
      assert.equal(res.status(), 200);
    });
    after(async () => { await b?.close(); });

    test('has the heading and a row for each demo school', async () => {
      const { page } = b;
      assert.equal(await page.title(), 'Organizations · coachd');
      const h1 = page.getByRole('heading', { level: 1 });
      assert.equal(await h1.count(), 1);
      assert.equal((await h1.textContent()).trim(), 'Organizations');
      assert.ok(await h1.isVisible());
      const rows = await tableRows(page);
      for (const s of schools) {
        const row = rows.find((r) => r.name === s);
        assert.ok(row, `a row for ${s} (rows: ${rows.map((r) => r.name).join(', ')})`);
        assert.equal(row.kind, 'School', s);
        const link = page.getByRole('link', { name: s, exact: true });
        assert.equal(await link.count(), 1, `one link to ${s}`);
        assert.match(await link.getAttribute('href'), /^\/orgs\/\d+$/);
      }
    });

    test('shows the people-per-school chart', async () => {
      const { page } = b;
      const chart = page.locator('figure.chart svg[role="img"]').first();
      await chart.scrollIntoViewIfNeeded();
      assert.ok(await chart.isVisible(), 'the chart SVG is visible');
      const box = await chart.boundingBox();
      assert.ok(box && box.width >= 100 && box.height >= 50, `chart size ${JSON.stringify(box)}`);
      const label = await chart.evaluate((svg) => (svg.getAttribute('aria-labelledby') || '')
        .split(/\s+/).map((id) => document.getElementById(id)?.textContent || '').join(' '));
      assert.match(label, /People per school/);
      // One bar label per school (possibly shortened with an ellipsis).
      const text = await chart.evaluate((svg) => svg.textContent);
      for (const s of schools) assert.ok(text.includes(s.slice(0, 12)), `chart names ${s}`);
    });

    test('the chart\'s text fits inside the chart', async () => {
      const outside = await b.page.locator('figure.chart svg[role="img"]').first().evaluate((svg) => {
        const [, , w, h] = svg.getAttribute('viewBox').split(/[\s,]+/).map(Number);
        return [...svg.querySelectorAll('text')].map((t) => ({ t, bb: t.getBBox() }))
          .filter(({ bb }) => bb.x < -0.5 || bb.y < -0.5 || bb.x + bb.width > w + 0.5 || bb.y + bb.height > h + 0.5)
          .map(({ t, bb }) => `"${[...t.childNodes].filter((n) => n.nodeType === 3).map((n) => n.data).join('')}" ` +
            `x ${bb.x.toFixed(1)}..${(bb.x + bb.width).toFixed(1)} of 0..${w}`);
      });
      assert.deepEqual(outside, [], 'text drawn outside the viewBox is clipped');
    });

    test('every link and form on the page leads somewhere', async () => {
      const targets = await b.page.evaluate(() => [
        ...[...document.querySelectorAll('a[href]')].map((a) => ({ method: 'GET', url: a.href, what: `link "${a.textContent.trim()}"` })),
        ...[...document.querySelectorAll('form')].map((f) => ({ method: (f.getAttribute('method') || 'get').toUpperCase(), url: f.action, what: `form ${f.className}` })),
      ]);
      const bad = [];
      for (const t of targets) {
        const u = new URL(t.url);
        if (u.origin !== srv.url || u.hash && u.pathname === new URL(b.page.url()).pathname) continue;
        // With the session, so a link is followed to its page, not to sign-in.
        const r = await fetch(u.origin + u.pathname + u.search, { method: t.method, redirect: 'manual', headers: { cookie } });
        await r.arrayBuffer();
        // A POST without its CSRF token may be refused, but its route exists.
        const broken = t.method === 'GET' ? r.status >= 400 : r.status === 404 || r.status === 405;
        if (broken) bad.push(`${t.what} -> ${t.method} ${u.pathname} answers ${r.status}`);
      }
      assert.deepEqual(bad, []);
    });

    test('fits the viewport without sideways scrolling', async () => {
      const over = await horizontalOverflow(b.page);
      assert.ok(over <= 0, `the page scrolls ${over}px sideways at ${viewport.width}px`);
    });

    test('has no serious or critical accessibility violations (axe)', async () => {
      const vs = await axeViolations(b.page);
      assert.equal(vs.length, 0, describeViolations(vs));
    });

    test('screenshot', async () => {
      await b.page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(b.page, `orgs-${name}`);
    });

    test('the filter form lists only schools when kind is School', async () => {
      const { page } = b;
      await page.getByLabel('Kind').selectOption({ label: 'School' });
      await Promise.all([
        page.waitForURL(/\/orgs\?.*kind=school/),
        page.getByRole('button', { name: 'Show' }).click(),
      ]);
      await page.waitForLoadState('load');
      const rows = await tableRows(page);
      assert.deepEqual(rows.map((r) => r.name).sort(), [...schools].sort());
      assert.ok(rows.every((r) => r.kind === 'School'), JSON.stringify(rows));
      // The district appears under each school's name, never as a row.
      assert.ok(!rows.some((r) => notSchools.includes(r.name)), JSON.stringify(rows));
      assert.ok(rows.every((r) => r.partOf === 'Prairie Glen School District 41'), JSON.stringify(rows));
      assert.equal(await page.getByLabel('Kind').inputValue(), 'school', 'the form keeps the chosen kind');
    });

    test('no console errors and no CSP violations', () => {
      assert.equal(describeProblems(b.problems), '');
    });
  });
}
