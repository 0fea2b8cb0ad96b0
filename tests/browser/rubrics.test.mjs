// The rubric builder in a real browser, on a phone (390 × 844) and on a
// desktop: the district leader opens the rubrics, builds a rubric with the
// form (a bad line first, shown beside its box with the typing kept), sees
// it whole, edits it, opens an older version of the demo rubric, and copies
// TRU for the district. Every page: axe clean, nothing wider than the
// phone, no CSP breach or console error; screenshots in build/screenshots/.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  demoServer, openBrowser, viewports, describeProblems, submit, signInAs, checkPage,
} from './browser.mjs';

const srv = demoServer();

for (const [size, viewport] of [['phone', viewports.phone], ['desktop', viewports.desktop]]) {
  describe(`a district leader builds a rubric on a ${size}`, () => {
    let b;
    const name = `Fractions walk (${size})`;
    before(async () => {
      b = await openBrowser({ viewport, mobile: size === 'phone' });
      b.page.on('dialog', (d) => d.accept());
      await signInAs(b.page, srv.url, 'lead@example.org');
    });
    after(async () => {
      // The one 400 is the form sent back with its bad line, on purpose.
      const p = b.problems;
      p.console = p.console.filter((t) => !/status of 400/.test(t));
      assert.equal(describeProblems(p), '', 'no console errors or CSP violations');
      await b?.close();
    });

    test('the list shows the built-ins first, then the district rubric', async () => {
      const { page } = b;
      await page.goto(`${srv.url}/rubrics`);
      await checkPage(page, `rubric-list-${size}`);
      const headings = await page.locator('main h2').allTextContents();
      assert.deepEqual(headings.slice(0, 2), ['Built-in frameworks', "Your district's and partners' rubrics"]);
      const first = await page.locator('main h3').first().textContent();
      assert.match(first, /Effective mathematics teaching practices|Standards|Teaching for Robust/);
      assert.ok(await page.getByRole('link', { name: 'Prairie Glen math walk' }).count() >= 1);
    });

    test('builds a rubric with the form, a bad line first', async () => {
      const { page } = b;
      await page.goto(`${srv.url}/rubrics`);
      await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'New rubric' }).click()]);
      await checkPage(page, `rubric-new-${size}`);
      await page.getByLabel('Name', { exact: true }).fill(name);
      await page.getByLabel('Whose rubric', { exact: true }).selectOption({ label: 'Prairie Glen School District 41' });
      await page.getByLabel('Indicators', { exact: true }).fill('TRU2 | Cognitive demand\nPG1\n');
      await submit(page, 'Create the rubric');
      assert.equal(new URL(page.url()).pathname, '/rubrics');
      const error = await page.locator('#indicators-error').textContent();
      assert.match(error, /Line 2 of the indicators/);
      assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), name, 'the typing is kept');
      await checkPage(page, `rubric-new-error-${size}`);

      await page.getByLabel('Indicators', { exact: true }).fill(
        'TRU2 | Cognitive demand | Room to make sense of important ideas\n'
        + 'PG1 | Student discourse | Students talk about the mathematics with each other\n'
        + 'PG3 | Fraction models | Area, length and set models side by side\n');
      await page.getByLabel('What each level looks like, by indicator', { exact: true }).fill(
        'TRU2 | 4 | Students wrestle with the idea before being shown a way\nPG3 | 1 | One model, the teacher\'s\n');
      await page.getByLabel('Look-fors', { exact: true }).fill(
        'PG1 | Students explain their reasoning to a peer\nPG3 | Multiple representations displayed\nTeacher asks "why" or "how"\n');
      await submit(page, 'Create the rubric');
      assert.match(new URL(page.url()).pathname, /^\/rubrics\/\d+$/);
      assert.equal((await page.locator('h1').textContent()).trim(), name);
      assert.match(await page.locator('.flash p').textContent(), /Rubric created/);
      assert.match(await page.locator('main').textContent(), /Students wrestle with the idea before being shown a way/);
      await checkPage(page, `rubric-show-${size}`);
    });

    test('edits it: nothing uses it yet, so the version stays', async () => {
      const { page } = b;
      await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Edit the rubric' }).click()]);
      assert.match(await page.locator('.rubric-warning').textContent(), /Nothing uses version 1 yet/);
      await checkPage(page, `rubric-edit-${size}`);
      await page.getByLabel('Level labels', { exact: true }).fill('1 | Not yet\n2 | Emerging\n3 | Developing\n4 | Strong | Most students, most of the time\n');
      await submit(page, 'Save the rubric');
      assert.equal((await page.locator('.flash p').textContent()).trim(), 'Saved.');
      assert.match(await page.locator('main').textContent(), /Version 1 \(current\)/);
    });

    test('opens version 1 of the demo rubric', async () => {
      const { page } = b;
      await page.goto(`${srv.url}/rubrics`);
      await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Prairie Glen math walk' }).click()]);
      await checkPage(page, `rubric-demo-${size}`);
      await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Version 1', exact: true }).click()]);
      assert.match(new URL(page.url()).pathname, /\/versions\/1$/);
      assert.match(await page.locator('.rubric-warning').first().textContent(), /This is version 1/);
      await checkPage(page, `rubric-demo-v1-${size}`);
    });

    test('copies TRU for the district', async () => {
      const { page } = b;
      await page.goto(`${srv.url}/rubrics`);
      await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Teaching for Robust Understanding (TRU)', exact: true }).click()]);
      assert.equal(await page.getByRole('link', { name: 'Edit the rubric' }).count(), 0, 'a built-in has no edit');
      await checkPage(page, `rubric-tru-${size}`);
      await submit(page, 'Make a copy for Prairie Glen School District 41');
      assert.match(await page.locator('.flash p').textContent(), /This copy is yours/);
      assert.match(await page.locator('h1').textContent(), /TRU\) \(Prairie Glen School District 41\)/);
    });
  });
}

describe('a teacher reads rubrics on a phone', () => {
  let b;
  before(async () => {
    b = await openBrowser({ viewport: viewports.phone, mobile: true });
    await signInAs(b.page, srv.url, 'teacher@example.org');
  });
  after(async () => {
    assert.equal(describeProblems(b.problems), '', 'no console errors or CSP violations');
    await b?.close();
  });

  test('sees the demo rubric and no write buttons', async () => {
    const { page } = b;
    await page.goto(`${srv.url}/rubrics`);
    assert.equal(await page.getByRole('link', { name: 'New rubric' }).count(), 0);
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Prairie Glen math walk' }).click()]);
    assert.equal(await page.locator('main button').count(), 0, 'no buttons at all');
    assert.equal(await page.getByRole('link', { name: 'Edit the rubric' }).count(), 0);
    await checkPage(page, 'rubric-teacher-phone');
  });
});
