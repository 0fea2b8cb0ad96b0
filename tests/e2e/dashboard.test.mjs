// The dashboard's small-cell suppression end to end against `coachd demo`
// (SQLite, or PostgreSQL with COACHD_BACKEND=postgres). Visits are made
// through the walks API with the Standards for Mathematical Practice in
// March 2024, where the demo has none: four visits in a cell are hidden
// everywhere (page, API, CSV, XLSX: no mean, not even the count), the fifth
// shows the cell with its mean; a small school's visits, or a small month's,
// are in no figure (the district's, a longer period's, the trend's), so no
// difference of two figures gives them away; the district's minimum,
// changed through its walk settings, applies at once. The principal sees her school
// and the district only, a teacher and the administrator find nothing (404),
// every download is audited with its filters, and bad filters get a 400
// naming the filter (not audited).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverForFile, demoClient, xlsxText } from './lib.mjs';

const srv = serverForFile();
const { as, api, get } = demoClient(srv);
const MONTH = '2024-03';

// Filled in by the first test: the district, the schools, the rubric.
const ctx = {};

function query(extra = '') {
  return `rubric_id=${ctx.rubric}&from=${MONTH}&to=${MONTH}&indicator=MP1${extra}`;
}

async function dashboard(who, extra = '') {
  const r = await get(who, `/api/reports/walks?${query(extra)}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

const cellOf = (j, school, code = 'MP1') => j.cells.find((c) => c.school_id === school && c.code === code);

// The CSV row of the heatmap for a school (or "District (all schools)").
function csvRow(text, school, code = 'MP1') {
  const row = text.split('\r\n').find((l) => l.startsWith(`Heatmap,${school},${code},`));
  assert.ok(row, `no heatmap row for ${school} ${code} in\n${text}`);
  return row.split(',');
}

// The page without its SVG charts (whose coordinates are numbers too).
const withoutCharts = (html) => html.replace(/<svg[\s\S]*?<\/svg>/g, '');

// The page's heatmap cells of a row, as text.
function pageRow(html, name) {
  const m = html.match(new RegExp(`<tr[^>]*><th scope="row">${name}</th>(.*?)</tr>`));
  assert.ok(m, `no row ${name} on the page`);
  return [...m[1].matchAll(/<td class="heat[^"]*">(.*?)<\/td>/g)].map((x) => x[1].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
}

async function walkAt(school, day = '2024-03-12') {
  const lead = await as('lead');
  const r = await api('lead', 'POST', '/api/walks', {
    school_id: school, walked_on: day, rubric_id: ctx.rubric, walkers: [lead.id],
    focus: ['MP1', 'MP3'], purpose: 'Dashboard suppression check',
  });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}

async function visit(walk, value, grade = '3') {
  const r = await api('lead', 'POST', `/api/walks/${walk}/visits`, {
    grade, start_time: '09:10', minutes: 10, ratings: [{ code: 'MP1', value }], look_fors: [],
    evidence: 'Students compared strategies.',
  });
  assert.equal(r.status, 201, r.text);
}

async function exportsSoFar() {
  const r = await get('lead', '/api/audit?action=walk_summary.export');
  assert.equal(r.status, 200, r.text);
  return r.json.entries.filter((e) => e.action === 'walk_summary.export');
}

async function setMinimum(n) {
  const r = await api('lead', 'PUT', `/api/districts/${ctx.district}/walk-settings`, { min_cell: n });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.min_cell, n);
}

test('the leader reaches every school; the built-in rubrics are there to choose', async () => {
  const j = (await get('lead', '/api/reports/walks')).json;
  assert.ok(j, 'the dashboard answers JSON');
  ctx.district = j.district.id;
  assert.equal(j.district.name, 'Prairie Glen School District 41');
  const byName = Object.fromEntries(j.schools.map((s) => [s.name, s.id]));
  ctx.meadowbrook = byName['Meadowbrook Elementary School'];
  ctx.cedar = byName['Cedar Ridge Elementary School'];
  assert.ok(ctx.meadowbrook && ctx.cedar, JSON.stringify(j.schools));
  ctx.rubric = j.rubrics.find((r) => r.builtin_key === 'mp')?.id;
  assert.ok(ctx.rubric, JSON.stringify(j.rubrics));
  assert.equal(j.min_cell, 5);
  const empty = await dashboard('lead');
  assert.equal(empty.period.from, MONTH);
  assert.equal(empty.period.to, MONTH);
  assert.equal(empty.rubric.id, ctx.rubric);
  assert.deepEqual(cellOf(empty, ctx.meadowbrook), { school_id: ctx.meadowbrook, code: 'MP1', visits: 0, mean: null, suppressed: false });
});

test('four visits in a cell are hidden in the page, the API, the CSV and the XLSX', async () => {
  ctx.walk = await walkAt(ctx.meadowbrook);
  for (const v of [1, 2, 3, 3]) await visit(ctx.walk, v); /* mean 2.25 */
  const j = await dashboard('lead');
  assert.deepEqual(cellOf(j, ctx.meadowbrook), { school_id: ctx.meadowbrook, code: 'MP1', visits: null, mean: null, suppressed: true });
  assert.deepEqual(cellOf(j, null), { school_id: null, code: 'MP1', visits: null, mean: null, suppressed: true });
  assert.equal(cellOf(j, ctx.meadowbrook, 'MP3').visits, 0);
  const month = j.trend.points.find((p) => p.month === MONTH);
  assert.deepEqual(month, { month: MONTH, school_year: null, visits: null, mean: null, suppressed: true });

  const page = await get('lead', `/reports/walks?${query()}`);
  assert.equal(page.status, 200);
  assert.equal(pageRow(page.text, 'Meadowbrook Elementary School')[0], '— fewer than 5 visits');
  assert.equal(pageRow(page.text, 'District \\(all schools\\)')[0], '— fewer than 5 visits');
  assert.doesNotMatch(withoutCharts(page.text), /4 visits|2\.2|2\.3/);

  const csv = await get('lead', `/reports/walks?${query()}&format=csv`);
  assert.equal(csv.status, 200);
  assert.equal(csv.headers.get('content-type'), 'text/csv; charset=utf-8');
  const line = csvRow(csv.text, 'Meadowbrook Elementary School');
  assert.deepEqual(line.slice(-2), ['fewer than 5 visits', '']);
  assert.deepEqual(csvRow(csv.text, 'District (all schools)').slice(-2), ['fewer than 5 visits', '']);
  assert.doesNotMatch(csv.text, /,4,|2\.2|2\.3/);

  const xlsx = await get('lead', `/api/reports/walks?${query()}&format=xlsx`);
  assert.equal(xlsx.status, 200);
  assert.equal(xlsx.bytes.subarray(0, 2).toString('latin1'), 'PK');
  const xml = xlsxText(srv.dir, xlsx.bytes);
  assert.ok(xml.includes('fewer than 5 visits'));
  assert.doesNotMatch(xml, /<t[^>]*>(4|2\.2|2\.3)<\/t>/); /* the text of no cell */
});

test('the fifth visit shows the cell with its mean and visits', async () => {
  await visit(ctx.walk, 4); /* 13 / 5 */
  const j = await dashboard('lead');
  const c = cellOf(j, ctx.meadowbrook);
  assert.equal(c.suppressed, false);
  assert.equal(c.visits, 5);
  assert.equal(c.mean, 2.6);
  assert.deepEqual(cellOf(j, null), { school_id: null, code: 'MP1', visits: 5, mean: 2.6, suppressed: false });
  assert.deepEqual(j.trend.points.find((p) => p.month === MONTH), { month: MONTH, school_year: null, visits: 5, mean: 2.6, suppressed: false });
  const page = await get('lead', `/reports/walks?${query()}`);
  assert.equal(pageRow(page.text, 'Meadowbrook Elementary School')[0], '2.6 5 visits');
  const csv = await get('lead', `/reports/walks?${query()}&format=csv`);
  assert.deepEqual(csvRow(csv.text, 'Meadowbrook Elementary School').slice(-2), ['5', '2.6']);
  const xml = xlsxText(srv.dir, (await get('lead', `/reports/walks?${query()}&format=xlsx`)).bytes);
  assert.ok(xml.includes('2.6'));
  // A grade band without those visits has nothing to show.
  const band = await dashboard('lead', '&band=K-2');
  assert.equal(cellOf(band, ctx.meadowbrook).visits, 0);
});

test("a small school's visits are in no figure: the district less the schools shown gives nothing away", async () => {
  ctx.cedarWalk = await walkAt(ctx.cedar);
  await visit(ctx.cedarWalk, 1, '4');
  await visit(ctx.cedarWalk, 1, '5');
  const j = await dashboard('lead');
  assert.equal(cellOf(j, ctx.meadowbrook).visits, 5);
  assert.equal(cellOf(j, ctx.cedar).suppressed, true);
  /* Meadowbrook's counted group alone: 5 - 5 = 0, never Cedar Ridge's 2 */
  assert.deepEqual(cellOf(j, null), { school_id: null, code: 'MP1', visits: 5, mean: 2.6, suppressed: false });
  const page = await get('lead', `/reports/walks?${query()}`);
  assert.equal(pageRow(page.text, 'District \\(all schools\\)')[0], '2.6 5 visits');
  const csv = await get('lead', `/reports/walks?${query()}&format=csv`);
  assert.deepEqual(csvRow(csv.text, 'District (all schools)').slice(-2), ['5', '2.6']);
  assert.deepEqual(csvRow(csv.text, 'Cedar Ridge Elementary School').slice(-2), ['fewer than 5 visits', '']);
});

test("a small month's visits are in no longer period's figure, nor in the trend", async () => {
  const april = await walkAt(ctx.meadowbrook, '2024-04-09');
  await visit(april, 1);
  const both = await get('lead', `/api/reports/walks?rubric_id=${ctx.rubric}&from=${MONTH}&to=2024-04&indicator=MP1`);
  assert.equal(both.status, 200, both.text);
  /* March and April together less March alone: nothing, not April's single visit */
  assert.deepEqual(cellOf(both.json, ctx.meadowbrook), { school_id: ctx.meadowbrook, code: 'MP1', visits: 5, mean: 2.6, suppressed: false });
  assert.deepEqual(both.json.trend.points.find((p) => p.month === '2024-04'), { month: '2024-04', school_year: null, visits: null, mean: null, suppressed: true });
  const alone = await get('lead', `/api/reports/walks?rubric_id=${ctx.rubric}&from=2024-04&to=2024-04&indicator=MP1`);
  assert.equal(cellOf(alone.json, ctx.meadowbrook).suppressed, true);
  /* All grades less grades 3-5: nothing either */
  const band = await dashboard('lead', '&band=3-5');
  assert.equal(cellOf(band, ctx.meadowbrook).visits, 5);
});

test("the district's minimum applies as soon as it changes", async () => {
  await setMinimum(3);
  try {
    let j = await dashboard('lead');
    assert.equal(j.min_cell, 3);
    assert.equal(cellOf(j, ctx.cedar).suppressed, true); /* 2 < 3 */
    assert.equal(cellOf(j, null).visits, 5);
    let page = await get('lead', `/reports/walks?${query()}`);
    assert.equal(pageRow(page.text, 'Cedar Ridge Elementary School')[0], '— fewer than 3 visits');
    await visit(ctx.cedarWalk, 2, '4');
    j = await dashboard('lead');
    assert.deepEqual(cellOf(j, ctx.cedar), { school_id: ctx.cedar, code: 'MP1', visits: 3, mean: 1.33, suppressed: false });
    const d = cellOf(j, null);
    assert.equal(d.visits, 8);
    assert.ok(Math.abs(d.mean - 17 / 8) <= 0.005, JSON.stringify(d));
    page = await get('lead', `/reports/walks?${query()}`);
    assert.equal(pageRow(page.text, 'Cedar Ridge Elementary School')[0], '1.3 3 visits');
    assert.equal(pageRow(page.text, 'District \\(all schools\\)')[0], '2.1 8 visits');
  } finally {
    await setMinimum(5);
  }
  const j = await dashboard('lead');
  assert.equal(j.min_cell, 5);
  assert.equal(cellOf(j, ctx.cedar).suppressed, true);
});

test('the principal sees her school and the district, never another school', async () => {
  const j = await dashboard('principal');
  assert.deepEqual(j.schools, [{ id: ctx.meadowbrook, name: 'Meadowbrook Elementary School' }]);
  assert.ok(j.cells.every((c) => c.school_id === ctx.meadowbrook || c.school_id === null), JSON.stringify(j.cells));
  assert.equal(cellOf(j, ctx.meadowbrook).visits, 5);
  /* Cedar Ridge's 3 visits, fewer than 5, are in no figure: the district
   * less her school is nothing */
  assert.deepEqual(cellOf(j, null), { school_id: null, code: 'MP1', visits: 5, mean: 2.6, suppressed: false });
  assert.ok(j.trend.schools.every((s) => s.school_id === ctx.meadowbrook));
  const page = await get('principal', `/reports/walks?${query()}`);
  assert.equal(page.status, 200);
  assert.doesNotMatch(page.text, /Cedar Ridge/);
  const csv = await get('principal', `/reports/walks?${query()}&format=csv`);
  assert.doesNotMatch(csv.text, /Cedar Ridge/);
  const other = await get('principal', `/api/reports/walks?${query(`&school_id=${ctx.cedar}`)}`);
  assert.equal(other.status, 404);
  assert.equal(other.json.error.field, 'school_id');
});

test('a teacher and the administrator find no dashboard; signed out is sent to sign in', async () => {
  for (const who of ['teacher', 'teacher2', 'admin']) {
    assert.equal((await get(who, '/reports/walks')).status, 404, who);
    assert.equal((await get(who, `/api/reports/walks?${query()}`)).status, 404, who);
    assert.equal((await get(who, `/reports/walks?${query()}&format=csv`)).status, 404, who);
  }
  assert.equal((await get(null, '/api/reports/walks')).status, 401);
});

test('every download is audited with its filters; bad filters are 400 and not audited', async () => {
  const before = await exportsSoFar();
  assert.equal((await get('lead', `/reports/walks?${query()}&format=csv`)).status, 200);
  assert.equal((await get('principal', `/api/reports/walks?${query('&band=3-5')}&format=xlsx`)).status, 200);
  for (const [q, field] of [['format=pdf', 'format'], ['from=2024-13', 'from'], ['to=March', 'to'],
    ['band=7-9', 'band'], ['rubric_id=abc', 'rubric_id'], ['from=2025-01&to=2024-01', 'from'],
    [`format=csv&from=2024-13`, 'from']]) {
    const r = await get('lead', `/api/reports/walks?${q}`);
    assert.equal(r.status, 400, q);
    assert.equal(r.json.error.field, field, q);
  }
  assert.equal((await get('lead', '/api/reports/walks?rubric_id=999999')).status, 404);
  assert.equal((await get('lead', '/api/reports/walks?indicator=XX9')).status, 404);
  const after = await exportsSoFar();
  const fresh = after.filter((e) => !before.some((b) => b.id === e.id));
  assert.equal(fresh.length, 2, JSON.stringify(fresh));
  const lead = await as('lead'), principal = await as('principal');
  const mine = fresh.find((e) => e.actor_id === lead.id), hers = fresh.find((e) => e.actor_id === principal.id);
  assert.ok(mine && hers, JSON.stringify(fresh));
  assert.equal(mine.kind, 'walk_summary');
  assert.equal(mine.detail, `format=csv district_id=${ctx.district}&rubric_id=${ctx.rubric}&from=${MONTH}&to=${MONTH}&indicator=MP1`);
  assert.equal(hers.detail, `format=xlsx district_id=${ctx.district}&rubric_id=${ctx.rubric}&from=${MONTH}&to=${MONTH}&band=3-5&indicator=MP1`);
  assert.equal(mine.district_id, ctx.district);
  assert.equal(hers.district_id, ctx.district);
});

test('the dashboard\'s JSON is an export: on record like its downloads', async () => {
  const before = await exportsSoFar();
  const r = await get('lead', '/api/reports/walks');
  assert.equal(r.status, 200, r.text);
  const after = await exportsSoFar();
  assert.equal(after.length, before.length + 1);
  assert.match(after[0].detail, /^format=json/);
});
