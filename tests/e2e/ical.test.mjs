// Calendar feeds end to end (SQLite, or PostgreSQL with COACHD_BACKEND=postgres):
// a teacher's feed (sessions through a team), an engagement's feed, both
// parsed by Python's icalendar (Debian python3-icalendar); stable UIDs,
// SEQUENCE bumped by an edit, STATUS:CANCELLED, folding at 75 octets with
// multi-byte text, escaping; no session needed; revoked and unknown → 404.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { serverForFile, demoSessions } from './lib.mjs';

let engagementId;
const ids = {};
const longAgenda = 'Étude des fractions, ratios; et proportions — 5 pratiques € ' +
  'anticiper, surveiller, sélectionner, ordonner, relier 😀 '.repeat(4);

const srv = serverForFile({ ready: setUp });
const as = demoSessions(srv);

async function setUp() {
  const lead = await as('lead');
  const list = await request('GET', '/api/engagements', { who: lead });
  const demo = list.json.engagements[0];
  const made = await request('POST', '/api/engagements', { who: lead, json: {
    partner_id: demo.partner_id, district_id: demo.district_id, title: 'Feeds test, 2025-2026',
    starts_on: '2025-07-01', ends_on: '2026-06-30', state: 'draft',
  } });
  assert.equal(made.status, 201, made.text);
  engagementId = made.json.id ?? made.json.engagement?.id;
  // The district's leader accepts it, and the work begins.
  for (const state of ['accepted', 'active']) {
    const moved = await request('POST', `/api/engagements/${engagementId}/state`, { who: lead, json: { state } });
    assert.equal(moved.status, 200, moved.text);
  }
  const teams = (await request('GET', '/api/teams', { who: lead })).json.teams;
  const g3 = teams.find((t) => t.name === 'G3').id;
  const coach = await as('coach');
  const teacher2 = await as('teacher2');
  ids.workshop = await session(lead, {
    kind: 'pd_workshop', title: 'Fractions, ratios; and more', on_date: '2025-10-14', block: 'am',
    place: 'Room 4, Building B; east', team_ids: [g3], agenda: longAgenda,
  });
  ids.private = await session(lead, {
    kind: 'coaching_day', title: 'One-to-one with Grace', on_date: '2025-10-20', block: 'pm',
    person_ids: [teacher2.id],
  });
  ids.walk = await session(lead, {
    kind: 'learning_walk', title: 'Learning walk', on_date: '2025-11-05', starts_at: '09:00', ends_at: '10:15',
    team_ids: [g3], facilitator_ids: [coach.id],
  });
}

async function request(method, path, { who, json, form, cookieOnly } = {}) {
  const headers = {};
  if (who) { headers.cookie = who.cookie; if (!cookieOnly) headers['x-csrf-token'] = who.csrf; }
  let body;
  if (json !== undefined) { headers['content-type'] = 'application/json'; body = JSON.stringify(json); }
  if (form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(form).toString();
  }
  const res = await fetch(`${srv.url}${path}`, { method, headers, body, redirect: 'manual' });
  const text = await res.text();
  let data = null;
  try { data = JSON.parse(text); } catch { /* a page */ }
  return { status: res.status, headers: res.headers, text, json: data, location: res.headers.get('location') };
}

async function session(who, body) {
  const r = await request('POST', '/api/sessions', { who, json: { engagement_id: engagementId, format: 'in_person', ...body } });
  assert.equal(r.status, 201, r.text);
  return r.json.id ?? r.json.session?.id;
}

async function uidOf(id) {
  const lead = await as('lead');
  const r = await request('GET', `/api/sessions/${id}`, { who: lead });
  assert.equal(r.status, 200, r.text);
  return (r.json.session ?? r.json).uid;
}

// Makes a feed through the form (cookie + csrf field) and returns its URL.
async function makeFeed(who, action) {
  const r = await request('POST', action, { who, cookieOnly: true, form: { csrf: who.csrf } });
  assert.equal(r.status, 200, r.text.slice(0, 500));
  const m = r.text.match(/id="feed-url"[^>]*value="([^"]+)"/);
  assert.ok(m, 'the page shows the new address');
  const url = m[1].replace(/&amp;/g, '&');
  assert.match(url, /\/ical\/cf_[A-Za-z0-9_-]{43}\.ics$/);
  return url;
}

// Fetches a feed without any session, as a calendar app would.
async function fetchFeed(url) {
  const res = await fetch(url);
  const raw = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, raw };
}

const parser = `
import sys, json, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
events = []
for ev in cal.walk('VEVENT'):
    ds, de = ev.get('DTSTART'), ev.get('DTEND')
    events.append({'uid': str(ev['UID']), 'sequence': int(ev.get('SEQUENCE', 0)),
                   'status': str(ev.get('STATUS')), 'summary': str(ev.get('SUMMARY')),
                   'location': str(ev.get('LOCATION', '')), 'description': str(ev.get('DESCRIPTION', '')),
                   'start': ds.dt.isoformat(), 'end': de.dt.isoformat(), 'tz': str(ds.params.get('TZID', ''))})
print(json.dumps({'events': events, 'zones': [str(z['TZID']) for z in cal.walk('VTIMEZONE')],
                  'name': str(cal.get('X-WR-CALNAME'))}))
`;
function parse(raw) {
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', parser], { input: raw, encoding: 'utf8' }));
}

function checkFolding(raw) {
  const text = raw.toString('utf8');
  assert.ok(text.endsWith('\r\n'));
  const lines = raw.toString('latin1').split('\r\n').slice(0, -1);
  for (const l of lines) assert.ok(Buffer.byteLength(l, 'latin1') <= 75, `line over 75 octets: ${l}`);
  assert.ok(lines.some((l) => l.startsWith(' ')), 'some long line was folded');
  // Folding never cuts a UTF-8 sequence: each physical line is valid UTF-8 alone.
  for (const l of lines) {
    const bytes = Buffer.from(l, 'latin1');
    assert.equal(Buffer.from(bytes.toString('utf8'), 'utf8').length, bytes.length, 'a line cut inside a character');
  }
  assert.ok(!/[^\r]\n/.test(text), 'only CRLF line ends');
}

let teacherUrl;
test("a teacher's feed: the sessions through their team, parsed by icalendar", async () => {
  const teacher = await as('teacher');
  teacherUrl = await makeFeed(teacher, '/account/calendar-feed');
  const a = await fetchFeed(teacherUrl);
  assert.equal(a.status, 200);
  assert.equal(a.headers.get('content-type'), 'text/calendar; charset=utf-8');
  assert.match(a.headers.get('cache-control'), /no-store/);
  checkFolding(a.raw);
  const text = a.raw.toString('utf8');
  assert.match(text, /SUMMARY:Fractions\\, ratios\\; and more\r\n/);
  assert.match(text, /LOCATION:Room 4\\, Building B\\; east\r\n/);
  const cal = parse(a.raw);
  assert.match(cal.name, /Tom Becker/);
  assert.ok(cal.zones.includes('America/Chicago'));
  const byUid = Object.fromEntries(cal.events.map((e) => [e.uid, e]));
  const workshop = byUid[await uidOf(ids.workshop)];
  assert.ok(workshop, 'the team session is in the feed');
  assert.equal(workshop.summary, 'Fractions, ratios; and more');
  assert.equal(workshop.location, 'Room 4, Building B; east');
  assert.ok(workshop.description.includes(longAgenda.trim()), workshop.description);
  assert.equal(workshop.start, '2025-10-14T08:00:00-05:00'); // AM block, Chicago daylight time
  assert.equal(workshop.end, '2025-10-14T11:30:00-05:00');
  assert.equal(workshop.tz, 'America/Chicago');
  assert.equal(workshop.status, 'CONFIRMED');
  const walk = byUid[await uidOf(ids.walk)];
  assert.equal(walk.start, '2025-11-05T09:00:00-06:00'); // standard time by November
  assert.ok(!byUid[await uidOf(ids.private)], "another teacher's one-to-one is not in it");
  // A second fetch: the same UIDs.
  const b = parse((await fetchFeed(teacherUrl)).raw);
  assert.deepEqual(b.events.map((e) => e.uid).sort(), cal.events.map((e) => e.uid).sort());
});

test('an edit bumps SEQUENCE under the same UID; a cancellation says CANCELLED', async () => {
  const lead = await as('lead');
  const before = parse((await fetchFeed(teacherUrl)).raw);
  const uid = await uidOf(ids.workshop);
  const seq0 = before.events.find((e) => e.uid === uid).sequence;
  const p = await request('PATCH', `/api/sessions/${ids.workshop}`, { who: lead, json: { title: 'Fractions, ratios; moved', on_date: '2025-10-15' } });
  assert.equal(p.status, 200, p.text);
  const c = await request('POST', `/api/sessions/${ids.walk}/cancel`, { who: lead, json: { reason: 'snow day' } });
  assert.equal(c.status, 200, c.text);
  const after_ = parse((await fetchFeed(teacherUrl)).raw);
  const moved = after_.events.find((e) => e.uid === uid);
  assert.ok(moved.sequence > seq0, `sequence ${seq0} → ${moved.sequence}`);
  assert.equal(moved.summary, 'Fractions, ratios; moved');
  assert.equal(moved.start, '2025-10-15T08:00:00-05:00');
  const walk = after_.events.find((e) => e.uid === (before.events.find((x) => x.summary === 'Learning walk').uid));
  assert.equal(walk.status, 'CANCELLED');
  assert.match(walk.description, /Cancelled: snow day/);
});

test("an engagement's feed holds all its sessions; only readers can make one", async () => {
  const lead = await as('lead');
  const url = await makeFeed(lead, `/engagements/${engagementId}/calendar-feed`);
  const cal = parse((await fetchFeed(url)).raw);
  const uids = cal.events.map((e) => e.uid).sort();
  const expected = [await uidOf(ids.workshop), await uidOf(ids.private), await uidOf(ids.walk)].sort();
  assert.deepEqual(uids, expected);
  const teacher = await as('teacher');
  const refused = await request('POST', `/engagements/${engagementId}/calendar-feed`, { who: teacher, cookieOnly: true, form: { csrf: teacher.csrf } });
  assert.equal(refused.status, 404);
  const noCsrf = await request('POST', `/engagements/${engagementId}/calendar-feed`, { who: lead, cookieOnly: true, form: {} });
  assert.equal(noCsrf.status, 403);
  // Revoking every address of the engagement (partner staff or district leader).
  const rv = await request('POST', `/engagements/${engagementId}/calendar-feed/revoke`, { who: lead, cookieOnly: true, form: { csrf: lead.csrf } });
  assert.equal(rv.status, 303);
  assert.equal((await fetchFeed(url)).status, 404);
});

test('a new address replaces the old; revoking ends it; unknown and malformed are 404', async () => {
  const teacher = await as('teacher');
  const second = await makeFeed(teacher, '/account/calendar-feed');
  assert.notEqual(second, teacherUrl);
  assert.equal((await fetchFeed(teacherUrl)).status, 404, 'the replaced address stops working');
  assert.equal((await fetchFeed(second)).status, 200);
  const account = await request('GET', '/account', { who: teacher, cookieOnly: true });
  assert.equal(account.status, 200);
  assert.match(account.text, /<h2>Calendar feed<\/h2>/);
  assert.match(account.text, /1 feed address in force/);
  assert.match(account.text, /action="\/account\/calendar-feed\/revoke"/);
  assert.ok(!account.text.includes(second.split('/ical/')[1]), 'the secret is never shown again');
  const r = await request('POST', '/account/calendar-feed/revoke', { who: teacher, cookieOnly: true, form: { csrf: teacher.csrf } });
  assert.equal(r.status, 303);
  assert.match(r.location, /^\/account\?ok=feed-revoked/);
  assert.equal((await fetchFeed(second)).status, 404);
  for (const path of ['/ical/cf_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics', '/ical/nonsense', '/ical/cf_x%27%20OR%201=1.ics']) {
    const res = await fetch(`${srv.url}${path}`);
    await res.arrayBuffer();
    assert.equal(res.status, 404, path);
  }
  const lead = await as('lead');
  const audit = await request('GET', '/api/audit?action=calendar_feed.create', { who: lead });
  assert.ok(audit.json.entries.some((e) => e.action === 'calendar_feed.create' && e.actor_id === teacher.id));
});
