// The leaders' aggregate coaching report end to end against `coachd demo`
// (SQLite, or PostgreSQL with COACHD_BACKEND=postgres): the district leader,
// the principal and the partner coach see counts that match the demo's six
// cycles at their places (the principal only Meadowbrook's); the page, the
// JSON, the CSV and the XLSX (unzipped) hold no text from any cycle's
// answers, notes, tallies or titles; teachers and the administrator get
// 404; each download is audited with its filters; bad parameters get a 400
// naming the parameter and are not audited.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { serverForFile, demoClient, backend, xlsxText } from './lib.mjs';

const srv = serverForFile();
const { as, get } = demoClient(srv);
// The demo's school year, so the figures do not depend on today's date.
const PERIOD = 'from=2025-08-01&to=2026-06-30';

async function report(who, query = PERIOD) {
  const r = await get(who, `/api/reports/coaching?${query}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

async function exports(who) {
  const r = await get(who, '/api/audit?action=coaching_summary.export');
  assert.equal(r.status, 200, r.text);
  return r.json.entries.filter((e) => e.action === 'coaching_summary.export');
}

const bySchool = (j) => Object.fromEntries(j.by_school.map((s) => [s.school, s.cycles]));
const byFocus = (j) => Object.fromEntries(j.by_focus.map((f) => [f.code, f.cycles]));
const byMonth = (j) => Object.fromEntries(j.by_month.filter((m) => m.cycles).map((m) => [m.month, m.cycles]));

// Text from the demo cycles' content (src/demo/demo.c): answers, notes,
// tally labels and titles. None of it may reach a report.
const demoContent = [
  'Fractions on a number line', 'Comparing fractions', 'Partitioning shapes into equal parts',
  'Grade 3 team: unit fractions in a fair-share task', 'Arrays and area', 'Ratio tables and double number lines',
  'Where does 3/4 go?', 'count tick marks instead of the spaces', 'Folding the strip into fourths',
  'partner explanations surfaced the counting-marks idea', 'keep partner explanations as the routine',
  'Tom launches the task and leads the closing discussion', 'Students who explained their reasoning',
  'Students who placed 3/4 correctly', 'folded the strip in half twice', 'it\'s the spaces, not the lines',
  'still thinks 1/4 is more than 1/3', 'Share paper brownies fairly', 'Four friends share three granola bars',
  'Students who shared every bar into fourths', 'skip-counted rows', 'Which store sells the better deal',
];

// On SQLite, every longer answer, note, tally label and title in the
// database besides (a phrase, not a code or a number).
function databaseContent() {
  if (backend !== 'sqlite') return [];
  try {
    const out = execFileSync('sqlite3', [srv.db,
      'SELECT value FROM cycle_answer UNION SELECT body FROM cycle_note UNION SELECT label FROM cycle_tally ' +
      'UNION SELECT title FROM coaching_cycle'], { encoding: 'utf8' });
    return out.split('\n').filter((v) => v.length >= 15 && v.includes(' '));
  } catch {
    return [];
  }
}

function assertNoContent(text, what) {
  const phrases = [...demoContent, ...databaseContent()];
  assert.ok(phrases.length >= demoContent.length);
  for (const p of phrases) {
    for (const form of [p, p.replace(/'/g, '&#39;'), p.replace(/"/g, '&quot;')]) {
      assert.ok(!text.includes(form), `${what} contains cycle content: ${p}`);
    }
  }
}

test('the district leader sees the whole district, counted as the demo has it', async () => {
  const j = await report('lead');
  assert.equal(j.from, '2025-08-01');
  assert.equal(j.to, '2026-06-30');
  assert.deepEqual(j.totals, {
    cycles: 6, teachers: 5, plans_completed: 5, enactments_completed: 6, reflections_completed: 3,
    minutes: 600, hours: '10.0',
  });
  assert.deepEqual(bySchool(j), {
    'Cedar Ridge Elementary School': 1, 'Meadowbrook Elementary School': 4, 'Prairie Glen Middle School': 1,
  });
  const meadowbrook = j.by_school.find((s) => s.school === 'Meadowbrook Elementary School');
  assert.deepEqual([meadowbrook.teachers, meadowbrook.plans_completed, meadowbrook.enactments_completed,
    meadowbrook.reflections_completed, meadowbrook.minutes, meadowbrook.hours], [3, 3, 5, 2, 460, '7.7']);
  assert.deepEqual(j.by_grade.map((g) => [g.grade, g.cycles, g.teachers]), [['3', 5, 4], ['6-8', 1, 1]]);
  assert.deepEqual(byMonth(j), { '2026-01': 1, '2026-02': 2, '2026-03': 2, '2026-04': 1 });
  assert.equal(j.by_month.length, 11, 'every month of the period, empty ones too');
  assert.deepEqual(byFocus(j), { MP3: 2, TP4: 2, MP1: 1, TP2: 1, TP5: 1, MP7: 1, TRU2: 1, MP4: 1 });
  assert.match(j.by_focus[0].label, /^MP3 /);
  assert.deepEqual(j.participation.map((p) => [p.name, p.school, p.cycles]), [
    ['Ben Adeyemi', 'Meadowbrook Elementary School', 1],
    ['Erin Walsh', 'Prairie Glen Middle School', 1],
    ['Grace Liu', 'Meadowbrook Elementary School', 1],
    ['Ivan Petrov', 'Cedar Ridge Elementary School', 1],
    ['Tom Becker', 'Meadowbrook Elementary School', 4],
  ]);
  assertNoContent(JSON.stringify(j), 'the API');

  const page = await get('lead', `/reports/coaching?${PERIOD}`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type'), /text\/html/);
  for (const s of ['<h1>Coaching report</h1>', 'Cycles per month by school', 'Focus indicators', '<svg',
    'Cedar Ridge Elementary School', 'Tom Becker', '<dt>Cycles</dt><dd>6</dd>', '<dt>Hours</dt><dd>10.0</dd>',
    'format=csv', 'format=xlsx']) {
    assert.ok(page.text.includes(s), `the page shows ${s}`);
  }
  assert.ok(!/<script(?![^>]*\bsrc=)[^>]*>/.test(page.text), 'no inline script');
  assert.ok(!/\sstyle="/.test(page.text), 'no inline style');
  assertNoContent(page.text, 'the page');
});

test('the principal sees Meadowbrook only; another school is not there for her', async () => {
  const j = await report('principal');
  assert.deepEqual(j.totals, {
    cycles: 4, teachers: 3, plans_completed: 3, enactments_completed: 5, reflections_completed: 2,
    minutes: 460, hours: '7.7',
  });
  assert.deepEqual(bySchool(j), { 'Meadowbrook Elementary School': 4 });
  assert.deepEqual(byFocus(j), { MP3: 2, TP4: 2, MP1: 1, TP2: 1 });
  assert.deepEqual(j.participation.map((p) => p.name), ['Ben Adeyemi', 'Grace Liu', 'Tom Becker']);
  const page = await get('principal', `/reports/coaching?${PERIOD}`);
  assert.equal(page.status, 200);
  for (const other of ['Cedar Ridge', 'Prairie Glen Middle', 'Ivan Petrov', 'Erin Walsh']) {
    assert.ok(!page.text.includes(other), `the principal's page names no ${other}`);
  }
  assertNoContent(page.text, "the principal's page");

  const lead = await report('lead');
  const cedar = lead.by_school.find((s) => s.school.startsWith('Cedar Ridge')).school_id;
  const meadow = lead.by_school.find((s) => s.school.startsWith('Meadowbrook')).school_id;
  const refused = await get('principal', `/api/reports/coaching?${PERIOD}&school=${cedar}`);
  assert.equal(refused.status, 404);
  assert.equal(refused.json.error.field, 'school');
  const one = await report('lead', `${PERIOD}&school=${meadow}`);
  assert.equal(one.school_id, meadow);
  assert.deepEqual(bySchool(one), { 'Meadowbrook Elementary School': 4 });
  assert.equal(one.totals.cycles, 4);
});

test('the partner coach sees the district they work in', async () => {
  const j = await report('coach');
  assert.equal(j.totals.cycles, 6);
  assert.equal(j.by_school.length, 3);
});

test('teachers and the administrator have no report: 404, page and API', async () => {
  for (const who of ['teacher', 'teacher2', 'admin']) {
    for (const path of [`/reports/coaching?${PERIOD}`, `/api/reports/coaching?${PERIOD}`,
      `/reports/coaching?${PERIOD}&format=csv`]) {
      const r = await get(who, path);
      assert.equal(r.status, 404, `${who} ${path}`);
      assert.ok(!r.text.includes('Meadowbrook'), `${who} ${path} names no school`);
    }
  }
  const signedOut = await get(null, '/api/reports/coaching');
  assert.equal(signedOut.status, 401);
});

test('downloads: CSV and XLSX hold the counts, no content, and each is audited with its filters', async () => {
  const before = await exports('lead');
  const csv = await get('lead', `/reports/coaching?${PERIOD}&format=csv`);
  assert.equal(csv.status, 200);
  assert.equal(csv.headers.get('content-type'), 'text/csv; charset=utf-8');
  assert.match(csv.headers.get('content-disposition'), /attachment; filename="coaching-report-2025-08-01-2026-06-30\.csv"/);
  const lines = csv.text.split('\r\n');
  assert.equal(lines[0], 'Figure,Item,School,Cycles,Teachers,Completed plans,Completed enactments,Completed reflections,Hours');
  assert.equal(lines[1], 'Total,,,6,5,5,6,3,10.0');
  assert.ok(lines.includes('School,,Meadowbrook Elementary School,4,3,3,5,2,7.7'));
  assert.ok(lines.includes('Participation,Tom Becker,Meadowbrook Elementary School,4,,,,,'));
  assertNoContent(csv.text, 'the CSV');

  const xlsx = await get('principal', `/api/reports/coaching?${PERIOD}&format=xlsx`);
  assert.equal(xlsx.status, 200);
  assert.equal(xlsx.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.equal(xlsx.bytes.subarray(0, 2).toString('latin1'), 'PK');
  const xml = xlsxText(srv.dir, xlsx.bytes);
  assert.ok(xml.includes('Meadowbrook Elementary School') && xml.includes('Tom Becker'));
  assert.ok(!xml.includes('Cedar Ridge'), "the principal's file has her school only");
  assertNoContent(xml, 'the XLSX');

  const after = await exports('lead');
  const fresh = after.filter((e) => !before.some((b) => b.id === e.id));
  const lead = await as('lead'), principal = await as('principal');
  const mine = fresh.find((e) => e.actor_id === lead.id);
  const hers = fresh.find((e) => e.actor_id === principal.id);
  assert.ok(mine && hers, JSON.stringify(fresh));
  assert.equal(mine.detail, 'format=csv from=2025-08-01&to=2026-06-30');
  assert.equal(hers.detail, 'format=xlsx from=2025-08-01&to=2026-06-30');
  assert.equal(mine.kind, 'coaching_summary');
  assert.equal(hers.district_id, mine.district_id, "the principal's download is in the district's log");
  assertNoContent(JSON.stringify(fresh), 'the audit log');
});

test('bad parameters: 400 naming the parameter, nothing audited', async () => {
  const before = await exports('lead');
  const cases = [['from=2026-13-01', 'from'], ['from=yesterday', 'from'], ['to=2026-02-30', 'to'],
    ['school=abc', 'school'], ['school=0', 'school'], ['format=pdf', 'format'],
    ['from=2026-06-01&to=2026-01-01', 'from'], ['format=csv&from=2025-02-29', 'from']];
  for (const [query, field] of cases) {
    const api = await get('lead', `/api/reports/coaching?${query}`);
    assert.equal(api.status, 400, query);
    assert.equal(api.json.error.field, field, query);
    const page = await get('lead', `/reports/coaching?${query}`);
    assert.equal(page.status, 400, query);
    assert.ok(page.text.includes(`<code>${field}</code>`), `the page names ${field} for ${query}`);
  }
  const after = await exports('lead');
  assert.equal(after.length, before.length, 'no download was audited');
});

test('without dates: the twelve months up to today; an empty year; a long period keeps the months with cycles', async () => {
  const j = await report('lead', '');
  const today = new Date().toISOString().slice(0, 10);
  const d = new Date(`${today.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - 11);
  assert.equal(j.to, today);
  assert.equal(j.from, d.toISOString().slice(0, 10));
  assert.equal(j.by_month.length, 12);
  assert.equal(j.by_month[11].month, today.slice(0, 7));

  const none = await report('lead', 'from=2020-01-01&to=2020-12-31');
  assert.deepEqual([none.totals.cycles, none.totals.teachers, none.totals.hours], [0, 0, '0.0']);
  assert.equal(none.by_month.length, 12);
  assert.deepEqual([none.by_grade, none.by_focus, none.participation], [[], [], []]);
  assert.equal(none.by_school.length, 3, 'every school, with nothing counted');
  const empty = await get('lead', '/reports/coaching?from=2020-01-01&to=2020-12-31');
  assert.equal(empty.status, 200);
  assert.ok(empty.text.includes('No coaching cycles in this period.'));

  const all = await report('lead', 'from=2000-01-01&to=2099-12-31');
  assert.equal(all.totals.cycles, 6);
  assert.deepEqual(all.by_month.map((m) => m.month), ['2026-01', '2026-02', '2026-03', '2026-04']);
});

test('a change made through coachd shows in the next report at once', async () => {
  const before = await report('lead');
  const coach = await as('coach');
  const api = (method, path, json) => fetch(srv.url + path, {
    method,
    headers: { cookie: coach.cookie, 'x-csrf-token': coach.csrf, 'content-type': 'application/json' },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  const list = await (await api('GET', '/api/cycles')).json();
  const cycle = list.cycles.find((c) => c.title === 'Comparing fractions');
  assert.ok(cycle, 'the demo has the draft cycle');
  const plan = await (await api('GET', `/api/cycles/${cycle.id}/plan`)).json();
  const saved = await api('PUT', `/api/cycles/${cycle.id}/plan`, {
    version: plan.version, complete: true, answers: { minutes: '30' },
  });
  assert.equal(saved.status, 200, await saved.text());
  const after = await report('lead');
  assert.equal(after.totals.plans_completed, before.totals.plans_completed + 1);
  assert.equal(after.totals.minutes, before.totals.minutes + 5);
  assert.equal(after.by_school.find((s) => s.school.startsWith('Meadowbrook')).hours, '7.8');
});

test('the report\'s JSON is an export: on record like its downloads', async () => {
  const before = await exports('lead');
  const r = await get('lead', `/api/reports/coaching?${PERIOD}`);
  assert.equal(r.status, 200, r.text);
  const after = await exports('lead');
  assert.equal(after.length, before.length + 1);
  assert.match(after[0].detail, /^format=json/);
  // A refusal hands nothing out and records nothing.
  assert.equal((await get('teacher', `/api/reports/coaching?${PERIOD}`)).status, 404);
  assert.equal((await exports('lead')).length, after.length);
});
