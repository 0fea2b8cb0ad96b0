// The walk dashboard in a real browser against `coachd demo`, at a phone's
// size (390 × 844) and a desktop's: the district leader sees every school
// of the district with the District row, the principal her school and the
// District row only; the heatmap and the trend render from the demo's
// walks (or, on a demo without walks, the empty state does); the filters
// apply; every page is axe clean, does not scroll sideways, breaks no CSP
// rule and logs no error; screenshots in build/screenshots/dashboard-*.png.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  demoServer, openBrowser, viewports, signInAs, checkPage,
} from './browser.mjs';

const srv = demoServer();

// The same dashboard as JSON, through the page's own session.
async function dashboardJson(page, query = '') {
  const r = await page.request.get(`${srv.url}/api/reports/walks${query}`);
  assert.equal(r.status(), 200);
  return r.json();
}

const heatmap = (page) => page.locator('table:has(caption:text-matches("by school"))');
const rowNames = (page) => heatmap(page).locator('tbody th[scope=row]').allTextContents();

for (const [who, email] of [['lead', 'lead@example.org'], ['principal', 'principal@example.org']]) {
  for (const size of ['phone', 'desktop']) {
    describe(`the walk dashboard for the ${who} on a ${size}`, () => {
      let b;
      before(async () => {
        b = await openBrowser({ viewport: viewports[size], mobile: size === 'phone' });
        await signInAs(b.page, srv.url, email);
      });
      after(async () => { await b?.close(); });

      test('heatmap and trend (or the empty state) render, readable and accessible', async () => {
        const page = b.page;
        await page.goto(`${srv.url}/reports/walks`);
        assert.equal(await page.locator('h1').textContent(), 'Walk dashboard');
        const j = await dashboardJson(page);
        const any = j.cells.some((c) => c.school_id === null && (c.visits ?? 1) > 0);
        if (any) {
          const rows = await rowNames(page);
          assert.equal(rows.at(-1), 'District (all schools)');
          const schools = rows.slice(0, -1);
          assert.deepEqual(schools, j.schools.map((s) => s.name));
          if (who === 'principal') assert.deepEqual(schools, ['Meadowbrook Elementary School']);
          else assert.ok(schools.length >= 3, `the leader sees every school: ${schools}`);
          // Every cell says its visits: a number, "fewer than N", or none.
          const cells = await heatmap(page).locator('td.heat .heat-n').allTextContents();
          assert.equal(cells.length, rows.length * j.indicators.length);
          for (const t of cells) assert.match(t, /^(\d+ visits?|fewer than \d+ visits|hidden|no visits)$/);
          // The trend: an SVG line chart with its title, and the month table.
          const chart = page.locator('figure svg[role=img]').first();
          await chart.waitFor();
          assert.match(await chart.locator('title').first().textContent(), /by month/);
          await page.getByText('Visits and school years by month').click();
          assert.ok(await page.locator('details.dash-months table tbody tr').count() >= 1);
        } else {
          await page.getByText('No learning-walk visits yet').waitFor();
          assert.equal(await page.locator('td.heat').count(), 0);
        }
        await checkPage(b.page, `dashboard-${who}-${size}`, { problems: b.problems });
      });

      test('the filters apply: a grade band and another rubric', async () => {
        const page = b.page;
        await page.goto(`${srv.url}/reports/walks`);
        await page.getByLabel('Grade band').selectOption('3-5');
        await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
          page.getByRole('button', { name: 'Show', exact: true }).click()]);
        assert.equal(new URL(page.url()).searchParams.get('band'), '3-5');
        assert.match(await page.locator('main > p').first().textContent(), /grades 3-5/);
        const rubric = page.getByLabel('Rubric');
        const options = await rubric.locator('option').allTextContents();
        assert.ok(options.includes('Standards for Mathematical Practice'), options.join(', '));
        const other = await rubric.locator('option:not([selected])').first().getAttribute('value');
        await rubric.selectOption(other);
        await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
          page.getByRole('button', { name: 'Show', exact: true }).click()]);
        assert.equal(new URL(page.url()).searchParams.get('rubric_id'), other);
        await checkPage(b.page, `dashboard-${who}-${size}-filtered`, { problems: b.problems });
      });
    });
  }
}

describe('a teacher', () => {
  test('finds no dashboard', async () => {
    const b = await openBrowser({ viewport: viewports.phone, mobile: true });
    try {
      await signInAs(b.page, srv.url, 'teacher@example.org');
      const r = await b.page.goto(`${srv.url}/reports/walks`);
      assert.equal(r.status(), 404);
    } finally {
      await b.close();
    }
  });
});
