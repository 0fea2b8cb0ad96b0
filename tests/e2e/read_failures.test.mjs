// A page whose store read fails answers the one 500 page: never a page with
// a section silently left out, nor one with an apology where the section
// would be. Each case takes away a table that only one part of a page reads
// (after checking the page answers 200 with that part), so the read fails
// the way a broken connection would, on SQLite and PostgreSQL alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverForFile, demoClient, sqlRows } from './lib.mjs';

const srv = serverForFile();
const { as, api, page, orgId } = demoClient(srv);

function assertOne500(r, what) {
  assert.equal(r.status, 500, `${what}: ${r.text.slice(0, 300)}`);
  assert.match(r.text, /<h1>Something went wrong<\/h1>/, what);
  assert.match(r.text, /nothing was changed/, what);
  assert.doesNotMatch(r.text, /could not be loaded/, `${what}: no apology in a page`);
}

test('the engagement page: its calendar feed unreadable is a 500, not a page without the feed', async () => {
  const list = await api('lead', 'GET', '/api/engagements');
  const id = list.json.engagements[0].id;
  const before = await page('lead', `/engagements/${id}`);
  assert.equal(before.status, 200);
  assert.match(before.text, /id="calendar-feed"/);
  sqlRows(srv, 'DROP TABLE calendar_feed');
  assertOne500(await page('lead', `/engagements/${id}`), 'engagement page');
});

test('a cycle: its notes unreadable are a 500 for the enactment page, its history for the cycle page', async () => {
  const school = await orgId('Meadowbrook Elementary School');
  const started = await api('coach', 'POST', '/api/cycles', {
    kind: 'individual', title: 'Reads before it writes', school_id: school, teachers: [(await as('teacher')).id], grade: '4',
  });
  assert.equal(started.status, 201, started.text);
  const { id } = started.json;
  const cycle = await api('coach', 'GET', `/api/cycles/${id}`);
  const enact = cycle.json.stages.find((s) => s.stage === 'enact');
  const before = await page('coach', `/cycles/${id}`);
  assert.equal(before.status, 200);
  assert.match(before.text, /id="history"/);
  const stage = await page('coach', `/cycles/${id}/stages/${enact.id}`);
  assert.equal(stage.status, 200);
  assert.match(stage.text, /id="notes"/);

  // Notes first: the cycle page reads no notes, the enactment no history.
  sqlRows(srv, 'DROP TABLE cycle_note');
  assertOne500(await page('coach', `/cycles/${id}/stages/${enact.id}`), 'enactment page');
  assert.equal((await page('coach', `/cycles/${id}`)).status, 200, 'the cycle page reads no notes');
  sqlRows(srv, 'DROP TABLE cycle_event');
  assertOne500(await page('coach', `/cycles/${id}`), 'cycle page');
});
