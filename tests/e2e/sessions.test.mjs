// Sessions and the calendar end to end through the real server (SQLite, or
// PostgreSQL with COACHD_BACKEND=postgres): the demo agreement's sessions and
// grid, scheduling, delivery, cancellation that gives the draw back,
// attendance, a grid created and a team moved, recurring series, calendar
// views, who sees what, and bad input that writes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverForFile, demoClient, rawRequest, statusOf } from './lib.mjs';

const srv = serverForFile();
const { as, request } = demoClient(srv);

async function sessions(name, query = '') {
  const r = await request('GET', `/api/sessions${query}`, { cookie: (await as(name)).cookie });
  assert.equal(r.status, 200, r.text);
  return r.json.sessions;
}

async function demoEngagement() {
  const list = await sessions('lead');
  return list.find((s) => s.engagement_id).engagement_id;
}

async function teamId(name) {
  const r = await request('GET', '/api/teams', { cookie: (await as('admin')).cookie });
  return r.json.teams.find((t) => t.name === name).id;
}

test('the demo has the agreement\'s sessions: PD, two grids of eight blocks, April reflection', async () => {
  const list = await sessions('lead');
  assert.equal(list.length, 18);
  const pd = list.find((s) => s.kind === 'pd_workshop');
  assert.equal(pd.status, 'delivered');
  assert.equal(pd.on_date.slice(0, 7), '2025-10');
  const grid = list.filter((s) => s.grid_id);
  assert.equal(grid.length, 16);
  assert.equal(grid.filter((s) => s.status === 'delivered').length, 4);
  assert.ok(grid.every((s) => s.draw === '0.5'));
  const april = list.find((s) => s.on_date.startsWith('2026-04'));
  assert.equal(april.status, 'planned');
  const one = await request('GET', `/api/sessions/${pd.id}`, { cookie: (await as('lead')).cookie });
  assert.deepEqual(one.json.facilitators.map((f) => f.name).sort(), ['Carmen Ortiz', 'Jamal Reed']);
  assert.ok(one.json.attendance.length > 5);
  assert.ok(one.json.attendance.some((a) => a.present === false));
  assert.ok(one.json.attendance.filter((a) => a.present === true).length >= 5);
});

test('the grid page renders like the seed table', async () => {
  const eid = await demoEngagement();
  const r = await request('GET', `/engagements/${eid}/grid`, { cookie: (await as('lead')).cookie });
  assert.equal(r.status, 200);
  assert.match(r.text, /<caption>Collaborative coaching cycle 1<\/caption>/);
  const am = r.text.match(/<tr><th scope="row">AM<\/th>(.*?)<\/tr>/)[1];
  const pm = r.text.match(/<tr><th scope="row">PM<\/th>(.*?)<\/tr>/)[1];
  assert.deepEqual([...am.matchAll(/">([^<]+)<\/a>/g)].map((m) => m[1]), ['GK', 'G2', 'G4', 'G6-8']);
  assert.deepEqual([...pm.matchAll(/">([^<]+)<\/a>/g)].map((m) => m[1]), ['G1', 'G3', 'G5', 'G6-8 Leadership']);
  assert.match(r.text, /Day 4<br><span class="muted">2025-12-04/);
});

test('who sees what: a teacher sees own sessions through the team, not others', async () => {
  const mine = await sessions('teacher');
  // G3 member: the K-8 PD and the two G3 blocks.
  assert.equal(mine.length, 3, JSON.stringify(mine.map((s) => s.title)));
  const all = await sessions('lead');
  const other = all.find((s) => !mine.some((m) => m.id === s.id));
  const r = await request('GET', `/api/sessions/${other.id}`, { cookie: (await as('teacher')).cookie });
  assert.equal(r.status, 404);
  const cal = await request('GET', '/calendar?view=list', { cookie: (await as('teacher')).cookie });
  assert.equal(cal.status, 200);
  assert.match(cal.text, /My calendar/);
  const coach = await sessions('coach', '?mine=1');
  assert.ok(coach.length >= 17, 'the partner coach facilitates the PD, the grids and April');
  const principal = await sessions('principal');
  // Meadowbrook's twelve grid blocks, and April (through the leadership team).
  assert.equal(principal.filter((s) => s.school_name === 'Meadowbrook Elementary School').length, 12);
  assert.ok(principal.some((s) => s.on_date.startsWith('2026-04')));
  assert.ok(!principal.some((s) => s.school_name === 'Prairie Glen Middle School'));
});

test('schedule, change, deliver; cancel needs a reason and gives the draw back', async () => {
  const lead = await as('lead');
  const eid = await demoEngagement();
  const list = await sessions('lead');
  const coachingLine = list.find((s) => s.grid_id).service_line_id;
  const before = list.length;
  // The eight coaching days are all scheduled: another half day overdraws.
  const over = await request('POST', '/api/sessions', { ...lead, json: {
    kind: 'coaching_day', title: 'Extra coaching', on_date: '2026-03-03', block: 'am',
    engagement_id: eid, service_line_id: coachingLine, draw: 0.5 } });
  assert.equal(over.status, 409, over.text);
  assert.equal(over.json.error.field, 'draw');
  assert.match(over.json.error.message, /0\.5 .*more than the 8/);
  assert.equal((await sessions('lead')).length, before, 'nothing written');
  // Cancel a planned block: the half day comes back, so it now fits.
  const planned = list.find((s) => s.grid_id && s.status === 'planned' && s.on_date === '2026-02-05');
  const noReason = await request('POST', `/api/sessions/${planned.id}/cancel`, { ...lead, json: {} });
  assert.equal(noReason.status, 400);
  assert.equal(noReason.json.error.field, 'reason');
  const cancelled = await request('POST', `/api/sessions/${planned.id}/cancel`, { ...lead, json: { reason: 'Snow day' } });
  assert.equal(cancelled.status, 200, cancelled.text);
  assert.equal(cancelled.json.status, 'cancelled');
  assert.equal(cancelled.json.cancel_reason, 'Snow day');
  assert.ok(cancelled.json.sequence > planned.sequence);
  const fits = await request('POST', '/api/sessions', { ...lead, json: {
    kind: 'coaching_day', title: 'Make-up coaching', on_date: '2026-03-03', block: 'am',
    engagement_id: eid, service_line_id: coachingLine, draw: '0.5', facilitator_ids: [(await as('coach')).id],
    team_ids: [await teamId('G6-8 Leadership')] } });
  assert.equal(fits.status, 201, fits.text);
  assert.equal(fits.json.starts_at, '08:00');
  assert.equal(fits.json.time_zone, 'America/Chicago');
  // Full again: over_commit lets it through, and says so.
  const forced = await request('POST', '/api/sessions', { ...lead, json: {
    kind: 'coaching_day', title: 'Bonus', on_date: '2026-03-04', block: 'pm',
    engagement_id: eid, service_line_id: coachingLine, draw: '0.5', over_commit: true } });
  assert.equal(forced.status, 201, forced.text);
  assert.equal(forced.json.over_commit, true);
  // Change it, then deliver it; the sequence goes up each time.
  const patched = await request('PATCH', `/api/sessions/${fits.json.id}`, { ...lead, json: { title: 'Make-up day', block: 'full' } });
  assert.equal(patched.status, 200, patched.text);
  assert.equal(patched.json.ends_at, '15:30');
  assert.equal(patched.json.teams.length, 1, 'participants kept');
  assert.ok(patched.json.sequence > fits.json.sequence);
  const delivered = await request('POST', `/api/sessions/${fits.json.id}/deliver`, { ...lead, json: {} });
  assert.equal(delivered.json.status, 'delivered');
  const again = await request('POST', `/api/sessions/${fits.json.id}/cancel`, { ...lead, json: { reason: 'x' } });
  assert.equal(again.status, 409);
  const deliverCancelled = await request('POST', `/api/sessions/${planned.id}/deliver`, { ...lead, json: {} });
  assert.equal(deliverCancelled.status, 409);
});

test('attendance: facilitators record it; others may not', async () => {
  const coach = await as('coach');
  const list = await sessions('coach', '?mine=1');
  const block = list.find((s) => s.grid_id && s.status === 'planned' && s.school_id);
  const one = await request('GET', `/api/sessions/${block.id}`, coach);
  assert.ok(one.json.attendance.length >= 1);
  const first = one.json.attendance[0].person_id;
  const put = await request('PUT', `/api/sessions/${block.id}/attendance`, { ...coach, json: { present: [first] } });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.json.attendance.find((a) => a.person_id === first).present, true);
  assert.ok(put.json.attendance.filter((a) => a.person_id !== first).every((a) => a.present === false));
  const stranger = await request('PUT', `/api/sessions/${block.id}/attendance`, { ...coach, json: { present: [999999] } });
  assert.equal(stranger.status, 400);
  assert.equal(stranger.json.error.field, 'present');
  // A teacher taking part may read the session but not record attendance.
  const teacher = await as('teacher');
  const tlist = await sessions('teacher');
  const theirs = tlist.find((s) => s.grid_id);
  const denied = await request('PUT', `/api/sessions/${theirs.id}/attendance`, { ...teacher, json: { present: [] } });
  assert.equal(denied.status, 403);
  // The phone page: a big toggle per person.
  const page = await request('GET', `/sessions/${block.id}/attendance`, coach);
  assert.equal(page.status, 200);
  assert.match(page.text, /class="toggle"><input type="checkbox" name="present"/);
  const form = await request('POST', `/sessions/${block.id}/attendance`, { cookie: coach.cookie,
    form: { csrf: coach.csrf, present: String(first) } });
  assert.equal(form.status, 303);
});

test('a grid made at once, and a team moved between blocks in one action', async () => {
  const lead = await as('lead');
  const eid = await demoEngagement();
  const g3 = await teamId('G3'), g4 = await teamId('G4');
  const r = await request('POST', `/api/engagements/${eid}/grid`, { ...lead, json: {
    dates: ['2026-05-04', '2026-05-05'], teams: [[g3, g4], [null, g3]], title: 'Spring cycle', over_commit: true,
    facilitator_ids: [(await as('coach')).id] } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.sessions.length, 3);
  const [a, b] = r.json.sessions;
  assert.equal(a.block, 'am');
  const move = await request('POST', `/engagements/${eid}/grid/move`, { cookie: lead.cookie,
    form: { csrf: lead.csrf, from: String(a.id), to: String(b.id) } });
  assert.equal(move.status, 303, move.text);
  const after1 = await request('GET', `/api/sessions/${a.id}`, lead);
  const after2 = await request('GET', `/api/sessions/${b.id}`, lead);
  assert.equal(after1.json.teams[0].id, g4);
  assert.equal(after2.json.teams[0].id, g3);
  const bad = await request('POST', `/api/engagements/${eid}/grid`, { ...lead, json: {
    dates: ['2026-05-06'], teams: [[999999, null]] } });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'team_ids');
});

test('a monthly PLC series, same weekday of the month, capped at 100', async () => {
  const lead = await as('lead');
  const eid = await demoEngagement();
  const r = await request('POST', '/api/sessions', { ...lead, json: {
    kind: 'plc', title: 'District PLC', on_date: '2025-09-09', starts_at: '15:30', ends_at: '17:00',
    engagement_id: eid, repeat: 'month', repeat_until: '2026-01-31' } });
  assert.equal(r.status, 201, r.text);
  const series = (await sessions('lead')).filter((s) => s.series_id === r.json.series_id);
  assert.deepEqual(series.map((s) => s.on_date), ['2025-09-09', '2025-10-14', '2025-11-11', '2025-12-09', '2026-01-13']);
  const before = (await sessions('lead')).length;
  const tooMany = await request('POST', '/api/sessions', { ...lead, json: {
    kind: 'plc', title: 'Weekly', on_date: '2025-09-01', block: 'pm', engagement_id: eid,
    repeat: 'week', repeat_until: '2030-01-01' } });
  assert.equal(tooMany.status, 400);
  assert.equal(tooMany.json.error.field, 'repeat_until');
  assert.equal((await sessions('lead')).length, before);
});

test('bad input: a clear 4xx naming the field, and nothing written', async () => {
  const lead = await as('lead');
  const eid = await demoEngagement();
  const before = (await sessions('lead')).length;
  const base = { kind: 'pd_workshop', title: 'X', on_date: '2026-03-10', engagement_id: eid };
  const endFirst = await request('POST', '/api/sessions', { ...lead, json: { ...base, starts_at: '14:00', ends_at: '13:00' } });
  assert.equal(endFirst.status, 400);
  assert.equal(endFirst.json.error.field, 'ends_at');
  const team = await request('POST', '/api/sessions', { ...lead, json: { ...base, block: 'am', team_ids: [987654] } });
  assert.equal(team.status, 400);
  assert.equal(team.json.error.field, 'team_ids');
  // 10 MB: refused from its Content-Length, before the body is read.
  const big = Buffer.from(JSON.stringify({ ...base, block: 'am', agenda: 'x'.repeat(10 * 1024 * 1024) }));
  const head = `POST /api/sessions HTTP/1.1\r\nHost: x\r\nCookie: ${lead.cookie}\r\nX-CSRF-Token: ${lead.csrf}\r\n`
    + `Content-Type: application/json\r\nContent-Length: ${big.length}\r\nConnection: close\r\n\r\n`;
  const huge = statusOf(await rawRequest(srv.port, [head, big.subarray(0, 65536)]));
  assert.ok(huge === 413 || huge === 400, String(huge));
  const long = await request('POST', '/api/sessions', { ...lead, json: { ...base, block: 'am', agenda: 'x'.repeat(20001) } });
  assert.equal(long.status, 400);
  assert.equal(long.json.error.field, 'agenda');
  const page = await request('POST', '/sessions', { cookie: lead.cookie, form: { csrf: lead.csrf, kind: 'pd_workshop',
    title: 'Y', on_date: '2026-03-10', starts_at: '10:00', ends_at: '09:00', engagement_id: String(eid) } });
  assert.equal(page.status, 400);
  assert.match(page.text, /The end \(09:00\) must be after the start \(10:00\)/);
  const noCsrf = await request('POST', '/api/sessions', { cookie: lead.cookie, json: { ...base, block: 'am' } });
  assert.equal(noCsrf.status, 403);
  assert.equal((await sessions('lead')).length, before);
});

test('a session drawing on another district\'s engagement is refused', async () => {
  const admin = await as('admin');
  const d = await request('POST', '/api/orgs', { ...admin, json: { kind: 'district', name: 'Other District 7' } });
  assert.equal(d.status, 201, d.text);
  const coach = await as('coach');
  const partner = (await request('GET', '/api/orgs?q=Lakeshore', coach)).json.orgs[0].id;
  const e = await request('POST', '/api/engagements', { ...coach, json: { partner_id: partner, district_id: d.json.id,
    title: 'Other engagement', starts_on: '2025-07-01', ends_on: '2026-06-30' } });
  assert.equal(e.status, 201, e.text);
  const lead = await as('lead');
  const before = (await sessions('coach')).length;
  const r = await request('POST', '/api/sessions', { ...lead, json: { kind: 'pd_workshop', title: 'Not ours',
    on_date: '2026-03-10', block: 'am', engagement_id: e.json.id } });
  assert.ok(r.status === 403 || r.status === 400, r.text);
  assert.equal(r.json.error.field, 'engagement_id');
  // And a school of the demo district cannot be put on the other engagement.
  const school = (await request('GET', '/api/orgs?q=Meadowbrook', lead)).json.orgs[0].id;
  const mixed = await request('POST', '/api/sessions', { ...coach, json: { kind: 'pd_workshop', title: 'Mixed',
    on_date: '2026-03-10', block: 'am', engagement_id: e.json.id, school_id: school } });
  assert.equal(mixed.status, 400);
  assert.ok(mixed.json.error.fields.school_id, mixed.text);
  assert.equal((await sessions('coach')).length, before);
});

test('calendar views: month table with caption, week, list; filters', async () => {
  const lead = await as('lead');
  const month = await request('GET', '/calendar?date=2025-12-01', lead);
  assert.equal(month.status, 200);
  assert.match(month.text, /<caption>December 2025<\/caption>/);
  assert.match(month.text, /Collaborative coaching cycle/);
  const week = await request('GET', '/calendar?view=week&date=2025-12-03', lead);
  assert.equal(week.status, 200);
  assert.match(week.text, /Week of 2025-12-01/);
  assert.equal((week.text.match(/class="session /g) || []).length, 8);
  const g1 = await teamId('G1');
  const list = await request('GET', `/calendar?view=list&team=${g1}&mine=0`, lead);
  assert.equal((list.text.match(/class="session /g) || []).length, 3, 'the PD and two G1 blocks');
  const bad = await request('GET', '/calendar?view=year', lead);
  assert.equal(bad.status, 400);
  const api = await sessions('lead', `?from=2025-12-01&to=2025-12-02&team=${g1}`);
  assert.equal(api.length, 1);
  const nav = await request('GET', '/calendar', await as('teacher'));
  assert.match(nav.text, /href="\/calendar"/);
});

// ---- pickers and materials ----

import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

function selectHtml(page, name) {
  const m = page.match(new RegExp(`<select id="${name}"[^>]*>([\\s\\S]*?)</select>`));
  assert.ok(m, `a select named ${name}`);
  return m[0];
}

function optionValue(html, label) {
  const m = html.match(new RegExp(`<option value="(\\d+)"[^>]*>${label}`));
  assert.ok(m, `an option ${label}`);
  return m[1];
}

test('the session form offers pickers: engagements, lines with what is left, people, teams', async () => {
  const lead = await as('lead');
  const page = await request('GET', '/sessions/new', lead);
  assert.equal(page.status, 200);
  const eid = await demoEngagement();
  const eng = selectHtml(page.text, 'engagement_id');
  const title = (await request('GET', `/api/engagements/${eid}`, lead)).json.title;
  assert.match(eng, new RegExp(`<option value="${eid}">${title} · `));
  const lines = selectHtml(page.text, 'service_line_id');
  assert.match(lines, /<optgroup label="/);
  assert.match(lines, /Coaching day — ([\d.]+ of 8 left|[\d.]+ over the 8 agreed)</);
  assert.match(lines, /Leadership institute seat — 10 of 10 left</);
  assert.match(page.text, /<label for="service_line_id">Service line<\/label>/);
  const fac = selectHtml(page.text, 'facilitator_ids');
  assert.match(fac, /multiple/);
  assert.match(fac, />Kim Sorensen</, 'the district\'s coach');
  assert.doesNotMatch(fac, />Tom Becker</, 'teachers do not facilitate');
  // The partner's coaches show to those who may read them (the partner coach).
  const byCoach = selectHtml((await request('GET', '/sessions/new', await as('coach'))).text, 'facilitator_ids');
  assert.match(byCoach, />Carmen Ortiz</);
  assert.match(byCoach, />Jamal Reed</);
  assert.doesNotMatch(byCoach, />Grace Liu</);
  assert.match(page.text, /<fieldset[^>]*id="team_ids"><legend>Participating teams<\/legend>/);
  const g1 = await teamId('G1');
  assert.match(page.text, new RegExp(`name="team_ids" value="${g1}"`));
  assert.match(selectHtml(page.text, 'person_ids'), />Tom Becker</);
  assert.doesNotMatch(page.text, /Facilitators \(ids\)/);
});

test('a session scheduled through the pickers, and a line of another engagement refused', async () => {
  const coach = await as('coach');
  const page = await request('GET', '/sessions/new', coach);
  const eid = await demoEngagement();
  const lineId = optionValue(selectHtml(page.text, 'service_line_id'), 'Coaching day');
  const carmen = optionValue(selectHtml(page.text, 'facilitator_ids'), 'Carmen Ortiz');
  const grace = optionValue(selectHtml(page.text, 'person_ids'), 'Grace Liu');
  const g1 = await teamId('G1');
  const fields = [['csrf', coach.csrf], ['kind', 'coaching_lab'], ['title', 'Picked lab'],
    ['on_date', '2026-03-17'], ['block', 'am'], ['format', 'in_person'], ['time_zone', 'America/Chicago'],
    ['engagement_id', String(eid)], ['service_line_id', lineId], ['draw', '0.5'],
    ['facilitator_ids', carmen], ['team_ids', String(g1)], ['person_ids', grace], ['over_commit', '1']];
  const kinds = (await request('GET', '/sessions/new', coach)).text.match(/<select id="kind"[\s\S]*?<option value="([a-z_]+)"/)[1];
  fields[1][1] = kinds;
  const r = await request('POST', '/sessions', { cookie: coach.cookie, form: fields });
  assert.equal(r.status, 303, r.text.slice(0, 2000));
  const id = r.location.match(/\/sessions\/(\d+)\?ok=created/)[1];
  const s = (await request('GET', `/api/sessions/${id}`, coach)).json;
  assert.equal(s.service_line_id, Number(lineId));
  assert.deepEqual(s.facilitators.map((f) => f.name), ['Carmen Ortiz']);
  assert.deepEqual(s.teams.map((t) => t.id), [g1]);
  assert.deepEqual(s.people.map((p) => p.name), ['Grace Liu']);
  // The edit form shows the same choices chosen.
  const edit = await request('GET', `/sessions/${id}/edit`, coach);
  assert.match(selectHtml(edit.text, 'facilitator_ids'), new RegExp(`<option value="${carmen}" selected>Carmen Ortiz`));
  assert.match(edit.text, new RegExp(`name="team_ids" value="${g1}" checked`));

  // Another engagement of the same partner, with its own line.
  const admin = await as('admin');
  const d = await request('POST', '/api/orgs', { ...admin, json: { kind: 'district', name: 'Other District 8' } });
  assert.equal(d.status, 201, d.text);
  const partner = (await request('GET', '/api/orgs?q=Lakeshore', coach)).json.orgs[0].id;
  const e = await request('POST', '/api/engagements', { ...coach, json: { partner_id: partner,
    district_id: d.json.id, title: 'Eighth engagement', starts_on: '2025-07-01', ends_on: '2026-06-30' } });
  assert.equal(e.status, 201, e.text);
  const kindId = (await request('GET', `/api/engagements/${eid}`, coach)).json.lines.find((l) => l.kind === 'coaching_day').kind_id;
  const add = await request('POST', `/api/engagements/${e.json.id}/lines`, { ...coach,
    json: { kind_id: kindId, quantity: '3', unit_price: '100' } });
  assert.equal(add.status, 201, add.text);
  const otherLine = add.json.lines[0].id;
  const after = await request('GET', '/sessions/new', coach);
  assert.match(selectHtml(after.text, 'service_line_id'), /<optgroup label="Eighth engagement">/);
  const before = (await sessions('coach')).length;
  const bad = fields.map(([k, v]) => [k, k === 'service_line_id' ? String(otherLine) : v]);
  const page400 = await request('POST', '/sessions', { cookie: coach.cookie, form: bad });
  assert.equal(page400.status, 400);
  assert.match(page400.text, /id="service_line_id-error">That service line belongs to another engagement/);
  assert.match(selectHtml(page400.text, 'facilitator_ids'), /selected>Carmen Ortiz/, 'choices kept');
  const api = await request('POST', '/api/sessions', { ...coach, json: { kind: kinds, title: 'x',
    on_date: '2026-03-17', block: 'am', engagement_id: eid, service_line_id: otherLine, draw: '0.5' } });
  assert.equal(api.status, 400);
  assert.equal(api.json.error.field, 'service_line_id');
  assert.equal((await sessions('coach')).length, before);
});

function materialsDir() { return join(srv.dir, 'files', 'materials'); }
function filesOnDisk() { return existsSync(materialsDir()) ? readdirSync(materialsDir()) : []; }
function tmpFiles() {
  const d = join(srv.dir, 'files', 'tmp');
  return existsSync(d) ? readdirSync(d) : [];
}

function upload(fields, name, bytes, type) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  fd.append('file', new Blob([bytes], { type }), name);
  return fd;
}

test('materials: a link, a PDF served with ranges, wrong content 415, 21 MB 413, readers only, removal', async () => {
  const coach = await as('coach');
  const g1 = await teamId('G1');
  const eid = await demoEngagement();
  const made = await request('POST', '/api/sessions', { ...coach, json: { kind: 'pd_workshop',
    title: 'Materials session', on_date: '2026-04-21', block: 'pm', engagement_id: eid, team_ids: [g1] } });
  assert.equal(made.status, 201, made.text);
  const sid = made.json.id;
  const start = filesOnDisk().length;

  const link = await request('POST', `/api/sessions/${sid}/materials`, { ...coach,
    json: { title: 'Slide deck', url: 'https://example.org/deck' } });
  assert.equal(link.status, 201, link.text);
  assert.equal(link.json.kind, 'link');
  const badLink = await request('POST', `/api/sessions/${sid}/materials`, { ...coach,
    json: { title: 'Bad', url: 'javascript:alert(1)' } });
  assert.equal(badLink.status, 400);
  assert.equal(badLink.json.error.field, 'url');

  // A PDF through the page's upload form.
  const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(4000, 0x41), Buffer.from('\n%%EOF\n')]);
  const res = await fetch(`${srv.url}/sessions/${sid}/materials`, { method: 'POST', redirect: 'manual',
    headers: { cookie: coach.cookie }, body: upload({ csrf: coach.csrf, title: 'Agenda "final"/v2' }, 'agenda.pdf', pdf, 'application/pdf') });
  await res.text();
  assert.equal(res.status, 303);
  assert.equal(filesOnDisk().length, start + 1);
  const list = (await request('GET', `/api/sessions/${sid}/materials`, coach)).json.materials;
  assert.equal(list.length, 2);
  const file = list.find((m) => m.kind === 'file');
  assert.equal(file.content_type, 'application/pdf');
  assert.equal(file.size_bytes, pdf.length);
  const page = await request('GET', `/sessions/${sid}`, coach);
  assert.match(page.text, /<h2 id="materials">Materials<\/h2>/);
  assert.match(page.text, new RegExp(`<a href="${file.href}">Agenda &quot;final&quot;/v2</a>`));
  assert.match(page.text, /<a href="https:\/\/example.org\/deck">Slide deck<\/a>/);
  const ranged = await fetch(`${srv.url}${file.href}`, { headers: { cookie: coach.cookie, range: 'bytes=0-7' } });
  assert.equal(ranged.status, 206);
  assert.equal(await ranged.text(), '%PDF-1.4');
  assert.match(ranged.headers.get('content-disposition'), /^attachment; filename="Agenda__final__v2\.pdf"$/);
  const whole = await fetch(`${srv.url}${file.href}`, { headers: { cookie: coach.cookie } });
  assert.equal(whole.status, 200);
  assert.deepEqual(Buffer.from(await whole.arrayBuffer()), pdf);

  // Content that is not what it claims, or not an allowed type at all: 415.
  for (const [name, bytes, type] of [['fake.pdf', Buffer.from('just some text'), 'application/pdf'],
    ['prog.exe', Buffer.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0]), 'application/octet-stream']]) {
    const r = await fetch(`${srv.url}/api/sessions/${sid}/materials`, { method: 'POST',
      headers: { cookie: coach.cookie, 'x-csrf-token': coach.csrf }, body: upload({ title: name }, name, bytes, type) });
    const j = await r.json();
    assert.equal(r.status, 415, JSON.stringify(j));
    assert.equal(j.error.field, 'file');
  }
  // Over 20 MB: 413, through the page form too.
  const big = Buffer.alloc(21 * 1024 * 1024, 0x20);
  big.write('%PDF-1.4\n');
  const r413 = await fetch(`${srv.url}/sessions/${sid}/materials`, { method: 'POST', redirect: 'manual',
    headers: { cookie: coach.cookie }, body: upload({ csrf: coach.csrf, title: 'Big' }, 'big.pdf', big, 'application/pdf') });
  const t413 = await r413.text();
  assert.equal(r413.status, 413);
  assert.match(t413, /id="file-error">A material file may be at most 20 MB/);
  assert.equal(filesOnDisk().length, start + 1, 'nothing kept of refused uploads');
  // The server removes temp files once the exchange ends; give it a moment.
  for (let i = 0; i < 50 && tmpFiles().length; i++) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(tmpFiles(), [], 'no temp files left');
  assert.equal((await request('GET', `/api/sessions/${sid}/materials`, coach)).json.materials.length, 2);

  // A teacher not taking part cannot tell the material exists.
  const teacher = await as('teacher');
  const hidden = await fetch(`${srv.url}${file.href}`, { headers: { cookie: teacher.cookie } });
  await hidden.text();
  assert.equal(hidden.status, 404);
  assert.equal((await request('GET', `/api/sessions/${sid}/materials`, teacher)).status, 404);
  // A teacher of G1 takes part and may read, but not remove.
  const g1Teacher = (await request('GET', `/api/teams/${g1}`, coach)).json;
  assert.ok(g1Teacher, 'the G1 team');
  const lead = await as('lead');
  const noRemove = await request('DELETE', `/api/sessions/${sid}/materials/${file.id}`, { cookie: teacher.cookie, csrf: teacher.csrf });
  assert.equal(noRemove.status, 404);
  const leadRead = await fetch(`${srv.url}${file.href}`, { headers: { cookie: lead.cookie } });
  await leadRead.arrayBuffer();
  assert.equal(leadRead.status, 200);

  // Removal deletes the file from disk.
  const name = filesOnDisk().filter((f) => !f.startsWith('.')).length;
  const removed = await request('POST', `/sessions/${sid}/materials/${file.id}/remove`, { cookie: coach.cookie, form: { csrf: coach.csrf } });
  assert.equal(removed.status, 303);
  assert.equal(filesOnDisk().length, name - 1);
  assert.equal((await fetch(`${srv.url}${file.href}`, { headers: { cookie: coach.cookie } })).status, 404);
  const delLink = await request('DELETE', `/api/sessions/${sid}/materials/${link.json.id}`, coach);
  assert.equal(delLink.status, 200);
  assert.equal((await request('GET', `/api/sessions/${sid}/materials`, coach)).json.materials.length, 0);
});
