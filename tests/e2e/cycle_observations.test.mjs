// Full-lesson observations inside coaching cycles, end to end (SQLite, or
// PostgreSQL with COACHD_BACKEND=postgres): the cycle's members write and
// read them; everyone outside hears 404 and the refusal is audited as for
// any cycle route; a share holder of the whole cycle reads them (audited
// coaching.read.shared) and changes nothing; they never count in the
// dashboards' kept counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverForFile, demoClient, sqlRows } from './lib.mjs';

const srv = serverForFile({ ready: setUp });
const { as, request, api, post } = demoClient(srv);
const sql = (query) => sqlRows(srv, query);

const ctx = {};
const MARK = `zqlesson${process.pid}`;

async function auditEntries(action) {
  const r = await api('lead', 'GET', `/api/audit?action=${encodeURIComponent(action)}`);
  assert.equal(r.status, 200, r.text);
  return r.json.entries;
}

async function setUp() {
  const cycles = (await api('coach', 'GET', '/api/cycles')).json.cycles;
  ctx.shared = cycles.find((c) => c.title === 'Fractions on a number line').id;   // shared with the principal
  ctx.unshared = cycles.find((c) => c.title === 'Comparing fractions').id;
  const walks = (await api('lead', 'GET', '/api/walks')).json.walks;
  ctx.tru = walks.find((w) => w.rubric.name.startsWith('Teaching for Robust')).rubric.id;
  ctx.tally = sql('SELECT COALESCE(SUM(visits), 0) FROM walk_tally')[0][0];
}

test('members write and read a lesson observation; it never counts in the dashboards', async () => {
  const body = { rubric_id: ctx.tru, observed_on: '2026-03-05', start_time: '09:10', minutes: 45,
    ratings: [{ code: 'TRU2', value: 2, evidence: `struggle ${MARK}` }, { code: 'TRU4', value: 3 }], evidence: `Lesson ${MARK}` };
  const made = await api('coach', 'POST', `/api/cycles/${ctx.unshared}/observations`, body);
  assert.equal(made.status, 201, made.text);
  ctx.obs = made.json;
  assert.equal(made.json.teacher.name, 'Tom Becker');
  assert.equal(made.json.grade, '3');
  const list = await api('teacher', 'GET', `/api/cycles/${ctx.unshared}/observations`);
  assert.equal(list.status, 200);
  assert.ok(list.json.observations.some((o) => o.id === made.json.id));
  const page = await request('GET', `/cycles/${ctx.unshared}/observations/${made.json.id}`, { cookie: (await as('teacher')).cookie });
  assert.equal(page.status, 200);
  assert.ok(page.text.includes(MARK));
  // The teacher edits it; a stale second edit is 409.
  const edit = await api('teacher', 'PUT', `/api/cycles/${ctx.unshared}/observations/${made.json.id}`, { ...body, rubric_id: undefined, version: 1 });
  assert.equal(edit.status, 200, edit.text);
  assert.equal(edit.json.version, 2);
  const stale = await api('coach', 'PUT', `/api/cycles/${ctx.unshared}/observations/${made.json.id}`, { ...body, rubric_id: undefined, version: 1 });
  assert.equal(stale.status, 409);
  // Bad input names the field.
  const bad = await api('coach', 'POST', `/api/cycles/${ctx.unshared}/observations`, { ...body, ratings: [{ code: 'TRU2', value: 9 }] });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'rating-TRU2');
  const noDay = await api('coach', 'POST', `/api/cycles/${ctx.unshared}/observations`, { ...body, observed_on: null });
  assert.equal(noDay.status, 400);
  assert.equal(noDay.json.error.field, 'observed_on');
  // The page form too.
  const form = await post('coach', `/cycles/${ctx.unshared}/observations?rubric_id=${ctx.tru}`, { observed_on: '2026-03-06', start_time: '10:00', 'rating-TRU1': '2' });
  assert.equal(form.status, 303, form.text);
  assert.equal(sql('SELECT COALESCE(SUM(visits), 0) FROM walk_tally')[0][0], ctx.tally, 'not counted');
  const cyclePage = await request('GET', `/cycles/${ctx.unshared}`, { cookie: (await as('coach')).cookie });
  assert.match(cyclePage.text, /Observe with a rubric/);
  assert.ok(cyclePage.text.includes(`/cycles/${ctx.unshared}/observations/${made.json.id}"`));
});

test('outsiders hear 404, and each refusal is in the audit log', async () => {
  const before = (await auditEntries('coaching.read.denied')).filter((e) => e.object_id === ctx.unshared).length;
  const routes = [
    ['GET', `/cycles/${ctx.unshared}/observations/new`], ['GET', `/cycles/${ctx.unshared}/observations/${ctx.obs.id}`],
    ['GET', `/api/cycles/${ctx.unshared}/observations`], ['GET', `/api/cycles/${ctx.unshared}/observations/${ctx.obs.id}`],
    ['PUT', `/api/cycles/${ctx.unshared}/observations/${ctx.obs.id}`, { version: 2, observed_on: '2026-03-05' }],
    ['DELETE', `/api/cycles/${ctx.unshared}/observations/${ctx.obs.id}`],
    ['POST', `/api/cycles/${ctx.unshared}/observations`, { rubric_id: ctx.tru, observed_on: '2026-03-05' }],
  ];
  const failures = [];
  let refused = 0;
  for (const who of ['principal', 'teacher2', 'lead', 'admin']) {
    for (const [method, path, json] of routes) {
      const r = await api(who, method, path, json);
      refused++;
      if (r.status !== 404) failures.push(`${who} ${method} ${path}: ${r.status}`);
      if (r.text.includes(MARK)) failures.push(`${who} ${method} ${path} shows the lesson`);
    }
    const p = await post(who, `/cycles/${ctx.unshared}/observations/${ctx.obs.id}/remove`);
    refused++;
    if (p.status !== 404) failures.push(`${who} remove: ${p.status}`);
  }
  assert.deepEqual(failures, [], failures.join('\n'));
  const after = (await auditEntries('coaching.read.denied')).filter((e) => e.object_id === ctx.unshared).length;
  assert.equal(after - before, refused, 'one audit entry per refused request');
  const still = await api('coach', 'GET', `/api/cycles/${ctx.unshared}/observations/${ctx.obs.id}`);
  assert.equal(still.status, 200, 'nothing removed');
});

test('a share holder of the whole cycle reads its observations, audited, and changes nothing', async () => {
  const obs = (await api('principal', 'GET', `/api/cycles/${ctx.shared}/observations`));
  assert.equal(obs.status, 200, obs.text);
  assert.equal(obs.json.observations.length, 1, 'the demo observation of Tom\'s lesson');
  const one = obs.json.observations[0];
  const page = await request('GET', `/cycles/${ctx.shared}/observations/${one.id}`, { cookie: (await as('principal')).cookie });
  assert.equal(page.status, 200);
  assert.ok(!/<form method="post" action="\/cycles/.test(page.text), 'read only');
  const reads = (await auditEntries('coaching.read.shared')).filter((e) => e.object_id === ctx.shared && e.actor_name === 'Priya Raman');
  assert.ok(reads.length >= 2, 'her reads are on record');
  for (const [method, path, json] of [
    ['PUT', `/api/cycles/${ctx.shared}/observations/${one.id}`, { version: one.version, observed_on: '2026-02-10' }],
    ['DELETE', `/api/cycles/${ctx.shared}/observations/${one.id}`],
    ['POST', `/api/cycles/${ctx.shared}/observations`, { rubric_id: ctx.tru, observed_on: '2026-02-10' }]]) {
    const r = await api('principal', method, path, json);
    assert.equal(r.status, 403, `${method} ${path}`);
  }
  assert.equal((await request('GET', `/cycles/${ctx.shared}/observations/new`, { cookie: (await as('principal')).cookie })).status, 403);
  const again = (await api('coach', 'GET', `/api/cycles/${ctx.shared}/observations`)).json.observations[0];
  assert.deepEqual(again, one);
});

test("a rubric's page never tells that a cycle's lesson was observed with it", async () => {
  const orgs = (await api('lead', 'GET', `/api/orgs?q=${encodeURIComponent('Prairie Glen School District 41')}`)).json.orgs;
  const district = orgs.find((o) => o.name === 'Prairie Glen School District 41').id;
  const made = await api('lead', 'POST', '/api/rubrics', {
    name: `Quiet tool ${MARK}`, org_id: district, scale: { min: 1, max: 3 },
    levels: [], indicators: [{ code: 'Q1', name: 'Questions' }], look_fors: [] });
  assert.equal(made.status, 201, made.text);
  const obs = await api('coach', 'POST', `/api/cycles/${ctx.unshared}/observations`, {
    rubric_id: made.json.id, observed_on: '2026-03-06', ratings: [{ code: 'Q1', value: 2 }] });
  assert.equal(obs.status, 201, obs.text);
  for (const who of ['teacher2', 'principal', 'lead']) {
    const page = await request('GET', `/rubrics/${made.json.id}`, { cookie: (await as(who)).cookie });
    assert.equal(page.status, 200);
    assert.match(page.text, /Nothing yet/, who);
    assert.doesNotMatch(page.text, /1 visit|observation/i, who);
  }
});
