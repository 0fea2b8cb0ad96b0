// Reports end to end (SQLite, or PostgreSQL with COACHD_BACKEND=postgres):
// the scope and sequence and the services overview generated from sessions
// made through the real API, as a page, JSON, CSV (parsed back), XLSX (read
// by openpyxl) and PDF (read by pdftotext); who may see them; the cost band;
// the audit entry of each download; bad format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serverForFile, demoSessions } from './lib.mjs';

let engagementId;
const sessionIds = {};
const srv = serverForFile({ ready: setUp });
const as = demoSessions(srv);

async function setUp() {
  const lead = await as('lead');
  // An engagement of our own beside the demo's, so the rows are exactly ours.
  const list = await request('GET', '/api/engagements', { who: lead });
  assert.equal(list.status, 200);
  const demo = list.json.engagements[0];
  const made = await request('POST', '/api/engagements', { who: lead, json: {
    partner_id: demo.partner_id, district_id: demo.district_id, title: 'Reports test, 2025-2026',
    starts_on: '2025-07-01', ends_on: '2026-06-30', curriculum: 'Illustrative Mathematics',
    pl_type: 'ongoing', audiences: ['teachers', 'coaches'], state: 'draft',
  } });
  assert.equal(made.status, 201, made.text);
  engagementId = made.json.id ?? made.json.engagement?.id;
  // The district's leader accepts it, and the work begins.
  for (const state of ['accepted', 'active']) {
    const moved = await request('POST', `/api/engagements/${engagementId}/state`, { who: lead, json: { state } });
    assert.equal(moved.status, 200, moved.text);
  }
  // 40 coaching days at $1,500: $60,000, the second cost band.
  const line = await request('POST', `/api/engagements/${engagementId}/lines`, { who: lead, json: {
    kind_id: 1, quantity: 40, unit: 'day', unit_price: 1500,
  } });
  assert.equal(line.status, 201, line.text);
  await makeSessions(lead);
}

async function request(method, path, { who, json, form, raw } = {}) {
  const headers = {};
  if (who) { headers.cookie = who.cookie; headers['x-csrf-token'] = who.csrf; }
  let body;
  if (json !== undefined) { headers['content-type'] = 'application/json'; body = JSON.stringify(json); }
  if (form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(form).toString();
  }
  const res = await fetch(`${srv.url}${path}`, { method, headers, body, redirect: 'manual' });
  const bytes = Buffer.from(await res.arrayBuffer());
  const text = bytes.toString('utf8');
  let data = null;
  if (!raw) { try { data = JSON.parse(text); } catch { /* a page */ } }
  return { status: res.status, headers: res.headers, bytes, text, json: data };
}

async function teamId(who, name) {
  const r = await request('GET', '/api/teams', { who });
  const t = r.json.teams.find((x) => x.name === name);
  assert.ok(t, `team ${name}`);
  return t.id;
}

async function session(who, body) {
  const r = await request('POST', '/api/sessions', { who, json: { engagement_id: engagementId, format: 'in_person', ...body } });
  assert.equal(r.status, 201, r.text);
  return r.json.id ?? r.json.session?.id;
}

// A year's usual shapes: a launch workshop, four collaborative coaching days in
// late November/December, a monthly PLC series, and a cancelled session.
async function makeSessions(lead) {
  const gk = await teamId(lead, 'GK');
  const g1 = await teamId(lead, 'G1');
  const g3 = await teamId(lead, 'G3');
  const leaders = await teamId(lead, 'District Math Leadership Team');
  sessionIds.launch = await session(lead, {
    kind: 'pd_workshop', title: 'Introduction to HQIM, part 1', on_date: '2025-10-14', block: 'am',
    team_ids: [gk, g1], agenda: 'Introduce teachers to the math vision; establish the "why".',
  });
  for (const d of ['2025-11-20', '2025-11-21', '2025-12-02', '2025-12-03']) {
    const id = await session(lead, { kind: 'collaborative_coaching', title: `Coaching day ${d}`, on_date: d, block: 'am', team_ids: [g3] });
    sessionIds.coaching ??= id;
  }
  // The first coaching day took attendance: only Tom Becker was there.
  const teacher = await as('teacher');
  const att = await request('PUT', `/api/sessions/${sessionIds.coaching}/attendance`, { who: lead, json: { present: [teacher.id] } });
  assert.equal(att.status, 200, att.text);
  sessionIds.plc = await session(lead, {
    kind: 'plc', title: 'District PLC', on_date: '2025-09-10', starts_at: '15:30', ends_at: '16:30',
    format: 'virtual', team_ids: [leaders], repeat: 'month', repeat_until: '2026-01-31',
  });
  sessionIds.walk = await session(lead, { kind: 'learning_walk', title: 'Cancelled walk', on_date: '2026-03-03', block: 'pm' });
  const c = await request('POST', `/api/sessions/${sessionIds.walk}/cancel`, { who: lead, json: { reason: 'snow day' } });
  assert.equal(c.status, 200, c.text);
  // The launch is delivered with no attendance taken: its teams' rosters count.
  const d = await request('POST', `/api/sessions/${sessionIds.launch}/deliver`, { who: lead, json: {} });
  assert.equal(d.status, 200, d.text);
}

const expectedRows = [
  ['Monthly, Sep 2025 - Jan 2026', 'District Math Leadership Team', 'District PLC (5 sessions) - Virtual'],
  ['Oct 14, 2025', 'G1, GK', 'Introduction to HQIM, part 1 - In-person'],
  ['late Nov/Dec 2025', 'G3', 'Collaborative coaching cycles (4 days) - In-person'],
];

function checkScopeRows(rows) {
  assert.equal(rows.length, expectedRows.length, JSON.stringify(rows));
  for (let i = 0; i < expectedRows.length; i++) {
    assert.deepEqual(rows[i].slice(0, 3), expectedRows[i]);
  }
  assert.match(rows[1][3], /Introduce teachers to the math vision/);
  assert.ok(!rows.flat().some((c) => /Cancelled walk/.test(c)), 'cancelled sessions are left out');
}

// RFC 4180 reader: quoted fields, doubled quotes, CRLF.
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', i = 0, quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i++; continue; }
      field += c; i++; continue;
    }
    if (c === '"') { quoted = true; i++; continue; }
    if (c === ',') { row.push(field); field = ''; i++; continue; }
    if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i += 2; continue; }
    assert.notEqual(c, '\n', 'bare LF outside quotes');
    field += c; i++;
  }
  assert.equal(field, '', 'the file ends with CRLF');
  return rows;
}

test('the scope and sequence is generated from the sessions (JSON and page)', async () => {
  const lead = await as('lead');
  const r = await request('GET', `/api/engagements/${engagementId}/scope-and-sequence`, { who: lead });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.headers, ['Timing', 'Participants', 'Name of PL and format', 'Description']);
  checkScopeRows(r.json.rows);
  const page = await request('GET', `/engagements/${engagementId}/scope-and-sequence`, { who: lead });
  assert.equal(page.status, 200);
  assert.match(page.text, /<h1>Scope and sequence: /);
  assert.match(page.text, /Collaborative coaching cycles \(4 days\)/);
  assert.match(page.text, /class="actions">Download: /); // hidden when printed
  assert.match(page.text, /\?format=pdf/);
});

test('CSV download parses back to the same rows, and is audited', async () => {
  const lead = await as('lead');
  const r = await request('GET', `/engagements/${engagementId}/scope-and-sequence?format=csv`, { who: lead, raw: true });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'text/csv; charset=utf-8');
  assert.equal(r.headers.get('content-disposition'), `attachment; filename="scope-and-sequence-${engagementId}.csv"`);
  const rows = parseCsv(r.text);
  assert.deepEqual(rows[0], ['Timing', 'Participants', 'Name of PL and format', 'Description']);
  checkScopeRows(rows.slice(1));
  assert.match(r.text, /"Introduce teachers to the math vision; establish the ""why""\."/);
  const audit = await request('GET', '/api/audit?action=export.scope_sequence', { who: lead });
  const mine = audit.json.entries.filter((e) => e.action === 'export.scope_sequence' && e.detail === 'csv');
  assert.equal(mine.length, 1);
  assert.equal(mine[0].object_id, engagementId);
  assert.equal(mine[0].actor_id, lead.id);
});

test('XLSX download opens in openpyxl with the same cells', async () => {
  const lead = await as('lead');
  const r = await request('GET', `/engagements/${engagementId}/scope-and-sequence?format=xlsx`, { who: lead, raw: true });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.match(r.headers.get('content-disposition'), /filename="scope-and-sequence-\d+\.xlsx"/);
  const file = join(srv.dir, 'ss.xlsx');
  writeFileSync(file, r.bytes);
  const out = execFileSync('/usr/bin/python3', ['-c', `
import json, sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
print(json.dumps([[c if c is not None else "" for c in row] for row in ws.iter_rows(values_only=True)]))
`, file], { encoding: 'utf8' });
  const cells = JSON.parse(out);
  assert.match(cells[0][0], /^Scope and sequence: /);
  assert.match(cells[1][0], /with Prairie Glen School District 41/);
  assert.deepEqual(cells[3], ['Timing', 'Participants', 'Name of PL and format', 'Description']);
  checkScopeRows(cells.slice(4, 4 + expectedRows.length));
});

test('PDF download reads back through pdftotext with title, rows and page numbers', async () => {
  const lead = await as('lead');
  const r = await request('GET', `/engagements/${engagementId}/scope-and-sequence?format=pdf`, { who: lead, raw: true });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/pdf');
  assert.match(r.headers.get('content-disposition'), /filename="scope-and-sequence-\d+\.pdf"/);
  assert.equal(r.bytes.subarray(0, 5).toString('latin1'), '%PDF-');
  const file = join(srv.dir, 'ss.pdf');
  writeFileSync(file, r.bytes);
  const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  assert.match(text, /Scope and sequence:/);
  assert.match(text, /Collaborative coaching cycles/);
  assert.match(text, /late Nov\/Dec 2025/);
  assert.match(text, /Introduce teachers to the math vision/);
  assert.match(text, /Page 1 of 1/);
});

test('services overview: educators from rosters, district context, cost band; all formats', async () => {
  const lead = await as('lead');
  const r = await request('GET', `/api/engagements/${engagementId}/services-overview`, { who: lead });
  assert.equal(r.status, 200, r.text);
  const value = Object.fromEntries(r.json.rows);
  // One person present per attendance; the launch was delivered to GK and
  // G1 without attendance: their members count from the roster.
  const roster = await request('GET', '/api/teams', { who: lead });
  const members = roster.json.teams.filter((t) => t.name === 'GK' || t.name === 'G1')
    .reduce((n, t) => n + t.member_count, 0);
  assert.ok(members > 0);
  assert.match(value['Number of educators served'], new RegExp(`^${members + 1} \\(1 - 50\\): 1 present per attendance, ${members} from the rosters`));
  assert.equal(value['Total cost range'], '$50,000 - $100,000');
  assert.equal(value['Curriculum or content area'], 'Illustrative Mathematics');
  assert.equal(value['Audience'], 'Teachers, Coaches');
  assert.match(value['District type'], /^Suburban/);
  assert.match(value['Sessions'], /^1 delivered, \d+ planned, 1 cancelled$/);
  for (const [format, type] of [['csv', 'text/csv; charset=utf-8'], ['xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'], ['pdf', 'application/pdf']]) {
    const d = await request('GET', `/engagements/${engagementId}/services-overview?format=${format}`, { who: lead, raw: true });
    assert.equal(d.status, 200);
    assert.equal(d.headers.get('content-type'), type);
    assert.equal(d.headers.get('content-disposition'), `attachment; filename="services-overview-${engagementId}.${format}"`);
    if (format === 'csv') {
      const rows = parseCsv(d.text);
      assert.deepEqual(rows.find((x) => x[0] === 'Total cost range'), ['Total cost range', '$50,000 - $100,000']);
    }
    if (format === 'pdf') {
      const file = join(srv.dir, 'so.pdf');
      writeFileSync(file, d.bytes);
      const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
      assert.match(text, /Total cost range/);
      assert.match(text, /\$50,000 - \$100,000/);
    }
  }
  const audit = await request('GET', '/api/audit?action=export.services_overview', { who: lead });
  const details = audit.json.entries.filter((e) => e.action === 'export.services_overview').map((e) => e.detail).sort();
  // The API's JSON is the report's data too: on record like the files.
  assert.deepEqual(details, ['csv', 'json', 'pdf', 'xlsx']);
});

test('partner staff export too; coach, principal and teacher may not; signed out goes to sign-in', async () => {
  const partner = await as('coach'); // partner coach and partner staff
  const ok = await request('GET', `/engagements/${engagementId}/services-overview?format=csv`, { who: partner, raw: true });
  assert.equal(ok.status, 200);
  for (const account of ['principal', 'teacher']) {
    const who = await as(account);
    for (const path of [`/engagements/${engagementId}/scope-and-sequence?format=csv`,
      `/api/engagements/${engagementId}/services-overview`, `/engagements/${engagementId}/scope-and-sequence`]) {
      const r = await request('GET', path, { who, raw: true });
      assert.equal(r.status, 404, `${account} ${path}`);
      assert.doesNotMatch(r.text, /Collaborative coaching cycles|\$50,000 - \$100,000/);
    }
  }
  const out = await request('GET', `/engagements/${engagementId}/scope-and-sequence?format=csv`, { raw: true });
  assert.ok([302, 303, 401].includes(out.status), `signed out: ${out.status}`);
  // A refused download writes no audit entry.
  const lead = await as('lead');
  const audit = await request('GET', '/api/audit?action=export.scope_sequence', { who: lead });
  assert.ok(audit.json.entries.every((e) => e.actor_id === lead.id));
});

test('bad format and unknown engagement: clear 4xx, nothing audited', async () => {
  const lead = await as('lead');
  const before = await request('GET', '/api/audit?action=export.scope_sequence', { who: lead });
  const bad = await request('GET', `/api/engagements/${engagementId}/scope-and-sequence?format=docx`, { who: lead });
  assert.equal(bad.status, 200); // the API ignores format: it is always JSON
  const page = await request('GET', `/engagements/${engagementId}/scope-and-sequence?format=docx`, { who: lead, raw: true });
  assert.equal(page.status, 400);
  assert.match(page.text, /format must be csv, xlsx, pdf or html/);
  const none = await request('GET', '/engagements/999999/scope-and-sequence?format=csv', { who: lead, raw: true });
  assert.equal(none.status, 404);
  const api404 = await request('GET', '/api/engagements/999999/services-overview', { who: lead });
  assert.equal(api404.status, 404);
  assert.equal(api404.json.error.code, 'not_found');
  const after_ = await request('GET', '/api/audit?action=export.scope_sequence', { who: lead });
  // Only the JSON that was handed out is on record; nothing refused is.
  assert.equal(after_.json.entries.length, before.json.entries.length + 1);
  assert.equal(after_.json.entries[0].detail, 'json');
});
