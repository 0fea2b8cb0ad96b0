// Learning walks end to end (SQLite, or PostgreSQL with
// COACHD_BACKEND=postgres): a walk with visits from two phones at once (two
// walkers posting many visits concurrently: all stored and counted in the
// dashboards' kept counts), who reaches a walk (a teacher not on it and the
// principal of another school hear 404), bad input (400 naming the problem,
// nothing written), the district's teacher-identification setting (off:
// teacher_id refused; on: accepted and shown), a stale edit (409 naming who
// saved), look-for tallies through the page form's − and + without
// JavaScript, and the debrief's numbers against the visits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverForFile, demoClient, sqlRows } from './lib.mjs';

const srv = serverForFile({ ready: setUp });
const { as, request, api, post, orgId } = demoClient(srv);
// The database itself, to read the dashboards' kept counts and to add a
// district rubric with look-fors (the rubric builder is not part of this).
const sql = (query) => sqlRows(srv, query);

const ctx = {};

async function setUp() {
  ctx.school = await orgId('Meadowbrook Elementary School');
  ctx.cedar = await orgId('Cedar Ridge Elementary School');
  ctx.district = await orgId('Prairie Glen School District 41');
  const demo = (await api('lead', 'GET', '/api/walks')).json.walks;
  assert.ok(demo.length >= 9, 'the demo has walks');
  ctx.tru = demo.find((w) => w.rubric.name.startsWith('Teaching for Robust')).rubric.id;
  const coach = await as('coach');
  const teacher = await as('teacher');
  const w = await api('lead', 'POST', '/api/walks', { school_id: ctx.school, walked_on: '2026-12-03', rubric_id: ctx.tru,
    walkers: [coach.id, teacher.id], focus: ['TRU2', 'TRU4'], purpose: 'Student talk in grades K-5' });
  assert.equal(w.status, 201, w.text);
  ctx.walk = w.json;
  ctx.month = 202612;
}

const grades = ['K', '1', '2', '3', '4', '5'];
const visitBody = (i) => ({ grade: grades[i % 6], start_time: `${String(8 + Math.floor(i / 4)).padStart(2, '0')}:${String((i % 4) * 15).padStart(2, '0')}`,
  minutes: 10, ratings: [{ code: 'TRU2', value: 1 + (i % 3) }, { code: 'TRU4', value: 1 + ((i + 1) % 3), evidence: `talk ${i}` }],
  evidence: `Visit evidence ${i}` });

test('the walk pins the rubric version and names its walkers and focus', async () => {
  const w = ctx.walk;
  assert.equal(w.rubric.id, ctx.tru);
  assert.ok(w.rubric_version_id > 0);
  assert.deepEqual(w.focus, ['TRU2', 'TRU4']);
  assert.equal(w.walkers.length, 2);
  assert.equal(w.teacher_identification, false);
  const page = await request('GET', `/walks/${w.id}`, { cookie: (await as('coach')).cookie });
  assert.equal(page.status, 200);
  assert.match(page.text, /Teachers are not named on visits in Prairie Glen School District 41 \(district setting\)/);
  assert.match(page.text, /href="\/walks\/\d+\/visits\/new"/);
});

test('two walkers on two phones add visits at once: all stored and counted', async () => {
  const n = 12;
  const sends = [];
  for (let i = 0; i < n; i++) sends.push(api(i % 2 ? 'teacher' : 'coach', 'POST', `/api/walks/${ctx.walk.id}/visits`, visitBody(i)));
  const results = await Promise.all(sends);
  for (const r of results) assert.equal(r.status, 201, r.text);
  assert.equal(new Set(results.map((r) => r.json.id)).size, n);
  const w = (await api('lead', 'GET', `/api/walks/${ctx.walk.id}`)).json;
  assert.equal(w.visits.length, n);
  assert.deepEqual(w.visits.map((v) => v.number), [...Array(n).keys()].map((i) => i + 1));
  const byObserver = w.visits.reduce((m, v) => ({ ...m, [v.observer.name]: (m[v.observer.name] || 0) + 1 }), {});
  assert.deepEqual(byObserver, { 'Carmen Ortiz': n / 2, 'Tom Becker': n / 2 });
  // The kept counts: every visit's two ratings, by band.
  const rows = sql(`SELECT code, grade_band, visits, total FROM walk_tally WHERE month = ${ctx.month} AND school_id = ${ctx.school} ORDER BY code, grade_band`);
  const want = {};
  for (let i = 0; i < n; i++) {
    const b = visitBody(i);
    const band = ['K', '1', '2'].includes(b.grade) ? 'K-2' : '3-5';
    for (const r of b.ratings) {
      const k = `${r.code} ${band}`;
      want[k] ??= { visits: 0, total: 0 };
      want[k].visits++;
      want[k].total += r.value;
    }
  }
  assert.deepEqual(Object.fromEntries(rows.map(([c, b, v, t]) => [`${c} ${b}`, { visits: Number(v), total: Number(t) }])), want);
  ctx.visits = w.visits;
});

test('the debrief counts what the visits say', async () => {
  const d = await api('principal', 'GET', `/api/walks/${ctx.walk.id}/debrief`);
  assert.equal(d.status, 200, d.text);
  assert.equal(d.json.visits, ctx.visits.length);
  assert.deepEqual(d.json.indicators.map((i) => i.code), ['TRU2', 'TRU4']);
  for (const ind of d.json.indicators) {
    const values = ctx.visits.flatMap((v) => v.ratings.filter((r) => r.code === ind.code).map((r) => r.value));
    assert.equal(ind.rated, values.length);
    for (const c of ind.counts) assert.equal(c.count, values.filter((v) => v === c.level).length, `${ind.code} level ${c.level}`);
    assert.ok(Math.abs(ind.mean - values.reduce((a, b) => a + b, 0) / values.length) < 1e-9);
  }
  const page = await request('GET', `/walks/${ctx.walk.id}/debrief`, { cookie: (await as('principal')).cookie });
  assert.equal(page.status, 200);
  assert.match(page.text, /<svg[^>]*role="img"/);
  assert.match(page.text, /Ratings by indicator across 12 visits/);
  assert.ok(page.text.includes('Visit evidence 3'));
  assert.ok(!page.text.includes('Tom Becker') || !/Teacher<\/dt>/.test(page.text), 'no teacher named');
  // The walkers' notes: a walker writes them; a principal of the school may too.
  const saved = await post('teacher', `/walks/${ctx.walk.id}/debrief`, { debrief: 'Talk moves are spreading.' });
  assert.equal(saved.status, 303);
  assert.equal((await api('lead', 'GET', `/api/walks/${ctx.walk.id}`)).json.debrief, 'Talk moves are spreading.');
});

test('who reaches a walk: not a teacher off it, not another school\'s principal', async () => {
  // Samuel Okafor has no sign-in; make Grace Liu (not a walker) and a principal of Cedar Ridge.
  const failures = [];
  for (const path of [`/walks/${ctx.walk.id}`, `/api/walks/${ctx.walk.id}`, `/walks/${ctx.walk.id}/debrief`,
    `/api/walks/${ctx.walk.id}/debrief`, `/walks/${ctx.walk.id}/visits/${ctx.visits[0].id}`]) {
    const r = await request('GET', path, { cookie: (await as('teacher2')).cookie });
    if (r.status !== 404) failures.push(`teacher2 ${path}: ${r.status}`);
  }
  const add = await api('teacher2', 'POST', `/api/walks/${ctx.walk.id}/visits`, visitBody(0));
  assert.equal(add.status, 404);
  const list = (await api('teacher2', 'GET', '/api/walks')).json.walks;
  assert.ok(!list.some((w) => w.id === ctx.walk.id), 'not listed for teacher2');
  // A principal of another school: move Priya's role for a moment? Instead: a walk at Cedar Ridge is not hers.
  const cedar = await api('lead', 'POST', '/api/walks', { school_id: ctx.cedar, walked_on: '2026-12-04', rubric_id: ctx.tru,
    walkers: [(await as('lead')).id] });
  assert.equal(cedar.status, 201, cedar.text);
  for (const path of [`/walks/${cedar.json.id}`, `/api/walks/${cedar.json.id}`, `/api/walks/${cedar.json.id}/debrief`]) {
    const r = await request('GET', path, { cookie: (await as('principal')).cookie });
    if (r.status !== 404) failures.push(`principal ${path}: ${r.status}`);
  }
  assert.ok(!(await api('principal', 'GET', '/api/walks')).json.walks.some((w) => w.id === cedar.json.id));
  assert.deepEqual(failures, [], failures.join('\n'));
  // The principal reads her school's walk but, not a walker, adds no visit.
  assert.equal((await api('principal', 'GET', `/api/walks/${ctx.walk.id}`)).status, 200);
  assert.equal((await api('principal', 'POST', `/api/walks/${ctx.walk.id}/visits`, visitBody(1))).status, 403);
  // A walker changes only their own visit.
  const coachs = ctx.visits.find((v) => v.observer.name === 'Carmen Ortiz');
  const r = await api('teacher', 'PUT', `/api/walks/${ctx.walk.id}/visits/${coachs.id}`, { ...visitBody(0), version: coachs.version });
  assert.equal(r.status, 403);
});

test('bad input is refused with a 400 naming the problem, and nothing is written', async () => {
  const before = (await api('lead', 'GET', `/api/walks/${ctx.walk.id}`)).json.visits.length;
  const tally = sql(`SELECT COALESCE(SUM(visits), 0) FROM walk_tally WHERE month = ${ctx.month}`)[0][0];
  const cases = [
    [{ ...visitBody(0), ratings: [{ code: 'TRU2', value: 4 }] }, 'rating-TRU2', /TRU2.*scale 1 to 3/],
    [{ ...visitBody(0), ratings: [{ code: 'MP3', value: 2 }] }, 'rating-MP3', /MP3 is not an indicator/],
    [{ ...visitBody(0), start_time: '9h40' }, 'start_time', /HH:MM/],
    [{ ...visitBody(0), grade: '13' }, 'grade', /K or 1 to 12/],
    [{ ...visitBody(0), minutes: 'ten' }, 'minutes', /whole number/],
    [{ ...visitBody(0), look_fors: [{ id: 999999, count: 1 }] }, 'look_for-999999', /not one of/],
    [{ ...visitBody(0), colour: 'red' }, 'colour', /./],
  ];
  for (const [body, field, message] of cases) {
    const r = await api('coach', 'POST', `/api/walks/${ctx.walk.id}/visits`, body);
    assert.equal(r.status, 400, `${field}: ${r.text}`);
    assert.equal(r.json.error.field, field, r.text);
    assert.match(r.json.error.message, message);
  }
  // The page form shows the problem beside the field and keeps the input.
  const page = await post('coach', `/walks/${ctx.walk.id}/visits`, { grade: '3', start_time: '25:00', 'rating-TRU2': '2', evidence: 'kept words' });
  assert.equal(page.status, 400);
  assert.match(page.text, /The time is written HH:MM/);
  assert.ok(page.text.includes('kept words'));
  assert.match(page.text, /name="rating-TRU2" value="2" checked/);
  const walk = await api('lead', 'POST', '/api/walks', { school_id: ctx.school, walked_on: '2026-02-30', rubric_id: ctx.tru, walkers: [(await as('coach')).id] });
  assert.equal(walk.status, 400);
  assert.equal(walk.json.error.field, 'walked_on');
  const outsider = await api('lead', 'POST', '/api/walks', { school_id: ctx.school, walked_on: '2026-12-05', rubric_id: ctx.tru, walkers: [999999] });
  assert.equal(outsider.status, 400);
  assert.equal(outsider.json.error.field, 'walkers');
  const focus = await api('lead', 'POST', '/api/walks', { school_id: ctx.school, walked_on: '2026-12-05', rubric_id: ctx.tru, walkers: [(await as('coach')).id], focus: ['MP3'] });
  assert.equal(focus.status, 400);
  assert.equal(focus.json.error.field, 'focus');
  assert.equal((await api('lead', 'GET', `/api/walks/${ctx.walk.id}`)).json.visits.length, before);
  assert.equal(sql(`SELECT COALESCE(SUM(visits), 0) FROM walk_tally WHERE month = ${ctx.month}`)[0][0], tally);
});

test('a stale edit of a visit is 409 naming who saved; a fresh one moves the counts', async () => {
  const mine = ctx.visits.find((v) => v.observer.name === 'Carmen Ortiz');
  const first = await api('coach', 'PUT', `/api/walks/${ctx.walk.id}/visits/${mine.id}`, { ...visitBody(0), grade: '5', version: mine.version });
  assert.equal(first.status, 200, first.text);
  assert.equal(first.json.version, mine.version + 1);
  const stale = await api('coach', 'PUT', `/api/walks/${ctx.walk.id}/visits/${mine.id}`, { ...visitBody(0), grade: '1', version: mine.version });
  assert.equal(stale.status, 409, stale.text);
  assert.equal(stale.json.error.code, 'conflict');
  assert.match(stale.json.error.message, /Carmen Ortiz saved this visit/);
  const now = (await api('coach', 'GET', `/api/walks/${ctx.walk.id}`)).json.visits.find((v) => v.id === mine.id);
  assert.equal(now.grade, '5');
  const total = sql(`SELECT COALESCE(SUM(visits), 0) FROM walk_tally WHERE month = ${ctx.month} AND code = 'TRU2'`)[0][0];
  assert.equal(Number(total), ctx.visits.length);
  // Removed: gone from the walk and from the counts.
  const gone = await api('coach', 'DELETE', `/api/walks/${ctx.walk.id}/visits/${mine.id}`);
  assert.equal(gone.status, 200);
  assert.equal(Number(sql(`SELECT COALESCE(SUM(visits), 0) FROM walk_tally WHERE month = ${ctx.month} AND code = 'TRU2'`)[0][0]), ctx.visits.length - 1);
});

test('teacher identification: off refuses a teacher; on accepts and shows it', async () => {
  const tom = (await as('teacher')).id;
  const off = await api('coach', 'POST', `/api/walks/${ctx.walk.id}/visits`, { ...visitBody(2), teacher_id: tom });
  assert.equal(off.status, 400);
  assert.equal(off.json.error.field, 'teacher_id');
  assert.equal(off.json.error.message, 'this district does not name teachers on walk visits');
  const form = await request('GET', `/walks/${ctx.walk.id}/visits/new`, { cookie: (await as('coach')).cookie });
  assert.ok(!form.text.includes('name="teacher_id"'), 'no teacher field');
  // Only the district's leaders change the setting: not its administrators,
  // who manage accounts.
  assert.equal((await api('admin', 'PUT', `/api/districts/${ctx.district}/walk-settings`, { teacher_identification: true })).status, 403);
  assert.equal((await api('principal', 'PUT', `/api/districts/${ctx.district}/walk-settings`, { teacher_identification: true })).status, 403);
  assert.equal((await api('coach', 'PUT', `/api/districts/${ctx.district}/walk-settings`, { teacher_identification: true })).status, 403);
  for (const min_cell of [0, 2, 51]) {
    const bad = await api('lead', 'PUT', `/api/districts/${ctx.district}/walk-settings`, { min_cell });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.field, 'min_cell');
  }
  const on = await api('lead', 'PUT', `/api/districts/${ctx.district}/walk-settings`, { teacher_identification: true, min_cell: 6 });
  assert.equal(on.status, 200, on.text);
  assert.deepEqual(on.json, { district_id: ctx.district, teacher_identification: true, min_cell: 6 });
  const named = await api('coach', 'POST', `/api/walks/${ctx.walk.id}/visits`, { ...visitBody(2), teacher_id: tom });
  assert.equal(named.status, 201, named.text);
  const w = (await api('lead', 'GET', `/api/walks/${ctx.walk.id}`)).json;
  assert.equal(w.teacher_identification, true);
  assert.equal(w.visits.find((v) => v.id === named.json.id).teacher.name, 'Tom Becker');
  const page = await request('GET', `/walks/${ctx.walk.id}/visits/new`, { cookie: (await as('coach')).cookie });
  assert.match(page.text, /Teachers may be named on visits in Prairie Glen School District 41 \(district setting\)/);
  assert.ok(page.text.includes('name="teacher_id"'));
  const settings = await request('GET', `/districts/${ctx.district}/walk-settings`, { cookie: (await as('lead')).cookie });
  assert.equal(settings.status, 200);
  assert.match(settings.text, /name="teacher_identification" value="1" checked/);
  // And off again through the page.
  const back = await post('lead', `/districts/${ctx.district}/walk-settings`, { min_cell: '5' });
  assert.equal(back.status, 303);
  assert.equal((await api('lead', 'GET', `/api/walks/${ctx.walk.id}`)).json.teacher_identification, false);
  const shown = (await api('lead', 'GET', `/api/walks/${ctx.walk.id}`)).json.visits.find((v) => v.id === named.json.id);
  assert.equal(shown.teacher, undefined, 'no teacher shown once the setting is off');
});

test('look-fors count with − and + on the page form, without JavaScript', async () => {
  // A district rubric with two look-fors, made in the database.
  const now = Math.floor(Date.now() / 1000);
  const rid = sql(`INSERT INTO rubric (org_id, name, created_at, updated_at) VALUES (${ctx.district}, 'Talk walk ${process.pid}', ${now}, ${now}) RETURNING id`)[0][0];
  const vid = sql(`INSERT INTO rubric_version (rubric_id, version, scale_min, scale_max, created_at) VALUES (${rid}, 1, 1, 4, ${now}) RETURNING id`)[0][0];
  sql(`UPDATE rubric SET current_version_id = ${vid} WHERE id = ${rid}`);
  sql(`INSERT INTO rubric_indicator (version_id, position, code, name) VALUES (${vid}, 1, 'T1', 'Student talk')`);
  const lf = sql(`INSERT INTO rubric_look_for (version_id, position, text) VALUES (${vid}, 1, 'Students ask each other') RETURNING id`)[0][0];
  const w = await api('coach', 'POST', '/api/walks', { school_id: ctx.school, walked_on: '2026-12-10', rubric_id: Number(rid), walkers: [(await as('coach')).id] });
  assert.equal(w.status, 201, w.text);
  const path = `/walks/${w.json.id}/visits`;
  let fields = { grade: '2', start_time: '10:05', 'rating-T1': '3', [`look_for-${lf}`]: '0', evidence: 'asked why' };
  for (const step of ['1', '1', '1', '-1']) {
    const r = await post('coach', path, { ...fields, bump: `${lf}:${step}` });
    assert.equal(r.status, 200, 'shown again, nothing saved');
    fields[`look_for-${lf}`] = r.text.match(new RegExp(`name="look_for-${lf}" value="(\\d+)"`))[1];
    assert.match(r.text, /asked why/);
  }
  assert.equal(fields[`look_for-${lf}`], '2');
  assert.equal((await api('coach', 'GET', `/api/walks/${w.json.id}`)).json.visits.length, 0);
  const saved = await post('coach', path, { ...fields, action: 'save' });
  assert.equal(saved.status, 303, saved.text);
  assert.match(saved.location, new RegExp(`/walks/${w.json.id}\\?saved=\\d+`));
  const walkPage = await request('GET', saved.location, { cookie: (await as('coach')).cookie });
  assert.match(walkPage.text, /Visit 1 saved/);
  assert.match(walkPage.text, /Next classroom/);
  const got = (await api('coach', 'GET', `/api/walks/${w.json.id}`)).json.visits[0];
  assert.deepEqual(got.look_fors, [{ id: Number(lf), count: 2 }]);
  const d = (await api('coach', 'GET', `/api/walks/${w.json.id}/debrief`)).json;
  assert.deepEqual(d.look_fors.map((x) => x.total), [2]);
  // Closed: no more visits.
  assert.equal((await post('coach', `/walks/${w.json.id}/close`)).status, 303);
  assert.equal((await api('coach', 'POST', `/api/walks/${w.json.id}/visits`, { grade: '2', start_time: '10:30' })).status, 409);
  // Nor a new day, which would move its visits to another month.
  assert.equal((await post('coach', `/walks/${w.json.id}`, { walked_on: '2025-01-15' })).status, 409);
});
