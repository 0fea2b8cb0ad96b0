// Engagements end to end through the real server (SQLite, or PostgreSQL with
// COACHD_BACKEND=postgres): the demo agreement reads back to the cent, who
// sees money, creating agreements and lines by page and API, bad input
// (nothing written), the delivery summary, the derived partner grant, audit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverForFile, demoClient } from './lib.mjs';

const srv = serverForFile();
const { as, request } = demoClient(srv);

const TITLE = 'Mathematics Instructional Coaching and Professional Development 2025–2026';

async function demoEngagement(who = 'lead') {
  const { cookie } = await as(who);
  const r = await request('GET', '/api/engagements', { cookie });
  assert.equal(r.status, 200, r.text);
  const e = r.json.engagements.find((x) => x.title === TITLE);
  assert.ok(e, 'the seed-000 engagement is listed');
  return e;
}

async function count(who) {
  const { cookie } = await as(who);
  const r = await request('GET', '/api/engagements', { cookie });
  return r.json.engagements.length;
}

async function kindId(code) {
  const { cookie } = await as('lead');
  const e = await demoEngagement();
  const r = await request('GET', `/api/engagements/${e.id}`, { cookie });
  const line = r.json.lines.find((l) => l.kind === code);
  assert.ok(line, `a ${code} line`);
  return line.kind_id;
}

test('the demo agreement reads back exactly: $16,200.00 in cents', async () => {
  const { cookie } = await as('lead');
  const e = await demoEngagement();
  assert.equal(e.total_cents, 1620000);
  assert.equal(e.state, 'active');
  assert.equal(e.decided_by.name, 'Dana Whitfield', 'the district leader accepted it');
  assert.equal(e.starts_on, '2025-06-01');
  assert.equal(e.ends_on, '2026-06-30');
  const full = await request('GET', `/api/engagements/${e.id}`, { cookie });
  assert.equal(full.status, 200, full.text);
  // The engagement's calendar address is shown once, when it is made (only
  // its hash is kept), and is a real calendar that a subscriber fetches
  // without signing in.
  assert.deepEqual(full.json.calendar_feeds, { active: 0, newest_at: null });
  assert.equal(full.json.ical_url, undefined, 'no address is kept to show again');
  const made = await request('POST', `/api/engagements/${e.id}/calendar-feed`, { cookie, csrf: (await as('lead')).csrf, json: {} });
  assert.equal(made.status, 201, made.text);
  assert.match(made.json.url, /^http:\/\/[^/]+\/ical\/cf_[A-Za-z0-9_-]{40,}\.ics$/);
  const again = await request('GET', `/api/engagements/${e.id}`, { cookie });
  assert.equal(again.json.calendar_feeds.active, 1);
  assert.doesNotMatch(again.text, /cf_[A-Za-z0-9_-]{40,}/, 'the secret is not shown again');
  const feed = await fetch(made.json.url);
  assert.equal(feed.status, 200);
  assert.match(feed.headers.get('content-type'), /text\/calendar/);
  assert.match(await feed.text(), /^BEGIN:VCALENDAR\r\n[\s\S]*BEGIN:VEVENT/);
  assert.match(full.json.focus, /Teaching Practices 2, 4, 5, 7/);
  const coaching = full.json.lines.find((l) => l.kind === 'coaching_day');
  assert.equal(coaching.quantity_milli, 8000);
  assert.equal(coaching.unit_price_cents, 180000);
  assert.equal(coaching.total_cents, 1440000);
  const half = full.json.lines.find((l) => l.kind === 'pd_half_day');
  assert.equal(half.total_cents, 180000);
  assert.equal(full.json.lines.reduce((s, l) => s + l.total_cents, 0), 1620000);
  const seats = full.json.lines.find((l) => l.kind === 'leadership_institute_seat');
  assert.equal(seats.quantity_milli, 10000);
  assert.equal(seats.total_cents, 0);
  const sum = await request('GET', `/api/engagements/${e.id}/summary`, { cookie });
  assert.equal(sum.status, 200, sum.text);
  assert.equal(sum.json.totals.committed_cents, 1620000);
  // The demo's sessions draw on the lines; the columns still add up exactly.
  const t = sum.json.totals;
  assert.equal(t.committed_cents, t.scheduled_cents + t.delivered_cents + t.remaining_cents);
  for (const l of sum.json.lines) {
    assert.equal(l.remaining_milli, l.committed_milli - l.scheduled_milli - l.delivered_milli);
    assert.equal(l.remaining_cents, l.committed_cents - l.scheduled_cents - l.delivered_cents);
  }
  const page = await request('GET', `/engagements/${e.id}`, { cookie });
  assert.equal(page.status, 200);
  assert.match(page.text, /\$16,200\.00/);
  assert.match(page.text, /<svg/);
  const list = await request('GET', '/engagements', { cookie });
  assert.match(list.text, /\$16,200\.00/);
  assert.match(list.text, /href="\/engagements"/, 'nav shows Engagements');
});

test('money shows only to those who may read it; teachers see nothing', async () => {
  const e = await demoEngagement('coach');
  // The demo coach is also partner staff: money shows.
  assert.equal(e.total_cents, 1620000);
  const t = await as('teacher');
  const list = await request('GET', '/api/engagements', { cookie: t.cookie });
  assert.equal(list.status, 200);
  assert.equal(list.json.engagements.length, 0);
  const one = await request('GET', `/api/engagements/${e.id}`, { cookie: t.cookie });
  assert.equal(one.status, 404);
  const p = await as('principal');
  const pr = await request('GET', `/api/engagements/${e.id}/summary`, { cookie: p.cookie });
  assert.equal(pr.status, 404);
});

test('a district leader creates an agreement and adds lines, by API and page', async () => {
  const lead = await as('lead');
  const demo = await demoEngagement();
  const created = await request('POST', '/api/engagements', {
    cookie: lead.cookie, csrf: lead.csrf,
    json: { partner_id: demo.partner_id, district_id: demo.district_id, title: 'Summer launch',
      starts_on: '2026-07-01', ends_on: '2026-08-15', audiences: ['teachers', 'coaches'],
      focus_codes: 'mp1 tp2', pl_type: 'launch', state: 'draft' },
  });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.json.focus_codes, 'MP1 TP2');
  assert.equal(created.json.audiences, 'teachers,coaches');
  assert.equal(created.json.total_cents, 0);
  const id = created.json.id;
  const coachingKind = await kindId('coaching_day');
  const add = await request('POST', `/api/engagements/${id}/lines`, {
    cookie: lead.cookie, csrf: lead.csrf,
    json: { kind_id: coachingKind, quantity: '0.5', unit_price: '1,800.00' },
  });
  assert.equal(add.status, 201, add.text);
  assert.equal(add.json.lines.length, 1);
  assert.equal(add.json.lines[0].quantity_milli, 500);
  assert.equal(add.json.lines[0].unit, 'day', 'the kind\'s unit fills in');
  assert.equal(add.json.total_cents, 90000);
  // The page form: "8" at "1800".
  const page = await request('POST', `/engagements/${id}/lines`, {
    cookie: lead.cookie,
    form: { csrf: lead.csrf, kind_id: String(coachingKind), quantity: '8', unit_price: '1800', unit: '' },
  });
  assert.equal(page.status, 303, page.text);
  let got = await request('GET', `/api/engagements/${id}`, { cookie: lead.cookie });
  assert.equal(got.json.total_cents, 90000 + 1440000);
  const lid = got.json.lines[0].id;
  const patch = await request('PATCH', `/api/engagements/${id}/lines/${lid}`, {
    cookie: lead.cookie, csrf: lead.csrf, json: { quantity: 1.5 },
  });
  assert.equal(patch.status, 200, patch.text);
  assert.equal(patch.json.lines[0].quantity_milli, 1500);
  const del = await request('DELETE', `/api/engagements/${id}/lines/${lid}`, { cookie: lead.cookie, csrf: lead.csrf });
  assert.equal(del.status, 200, del.text);
  assert.equal(del.json.lines.length, 1);
  const edit = await request('PATCH', `/api/engagements/${id}`, {
    cookie: lead.cookie, csrf: lead.csrf, json: { title: 'Summer launch 2026' },
  });
  assert.equal(edit.status, 200, edit.text);
  assert.equal(edit.json.title, 'Summer launch 2026');
  // The state moves through its own address, never an edit.
  const sneak = await request('PATCH', `/api/engagements/${id}`, {
    cookie: lead.cookie, csrf: lead.csrf, json: { state: 'active' },
  });
  assert.equal(sneak.status, 400, sneak.text);
  assert.equal(sneak.json.error.field, 'state');
  const accepted = await request('POST', `/api/engagements/${id}/state`, {
    cookie: lead.cookie, csrf: lead.csrf, json: { state: 'accepted' },
  });
  assert.equal(accepted.status, 200, accepted.text);
  assert.equal(accepted.json.state, 'accepted', 'the district accepts its own draft');
  // The page form creates one too.
  const form = await request('POST', '/engagements', {
    cookie: lead.cookie,
    form: { csrf: lead.csrf, partner_id: String(demo.partner_id), district_id: String(demo.district_id),
      title: 'Leadership retreat', starts_on: '2026-01-10', ends_on: '2026-01-11', state: 'draft',
      audience_district_leaders: '1' },
  });
  assert.equal(form.status, 303, form.text);
  const shown = await request('GET', form.location, { cookie: lead.cookie });
  assert.match(shown.text, /Leadership retreat/);
  // Audit entries.
  const audit = await request('GET', '/api/audit', { cookie: lead.cookie });
  const actions = audit.json.entries ? audit.json.entries.map((x) => x.action) : JSON.stringify(audit.json);
  for (const a of ['engagement.create', 'engagement.update', 'engagement.accepted', 'line.add', 'line.update', 'line.remove'])
    assert.ok(String(actions).includes(a), `audit has ${a}`);
});

test('bad input answers 400 naming the field and writes nothing', async () => {
  const lead = await as('lead');
  const demo = await demoEngagement();
  const before = await count('lead');
  const base = { partner_id: demo.partner_id, district_id: demo.district_id, title: 'X',
    starts_on: '2026-01-01', ends_on: '2026-02-01' };
  const cases = [
    [{ ...base, ends_on: '2025-12-31' }, 'ends_on'],
    [{ ...base, district_id: 999999 }, 'district_id'],
    [{ ...base, district_id: demo.partner_id }, 'district_id'],
    [{ ...base, starts_on: '2026-13-01' }, 'starts_on'],
    [{ ...base, state: 'paused' }, 'state'],
    [{ ...base, state: 'accepted' }, 'state'], // a new agreement is a draft or a proposal
    [{ ...base, status: 'draft' }, 'status'], // the state is called state
  ];
  for (const [json, field] of cases) {
    const r = await request('POST', '/api/engagements', { cookie: lead.cookie, csrf: lead.csrf, json });
    assert.equal(r.status, 400, `${field}: ${r.text}`);
    assert.equal(r.json.error.field, field);
  }
  const page = await request('POST', '/engagements', {
    cookie: lead.cookie,
    form: { csrf: lead.csrf, partner_id: String(demo.partner_id), district_id: String(demo.district_id),
      title: 'Y', starts_on: '2026-03-01', ends_on: '2026-02-01' },
  });
  assert.equal(page.status, 400);
  assert.match(page.text, /The end comes before the start/);
  assert.equal(await count('lead'), before, 'no engagement written');

  const kind = await kindId('coaching_day');
  const linesBefore = (await request('GET', `/api/engagements/${demo.id}`, { cookie: lead.cookie })).json.lines.length;
  const bad = [
    [{ kind_id: kind, quantity: '-1', unit_price: '100' }, 'quantity'],
    [{ kind_id: kind, quantity: '1', unit_price: '1.999' }, 'unit_price'],
    [{ kind_id: 99999, quantity: '1', unit_price: '1' }, 'kind_id'],
  ];
  for (const [json, field] of bad) {
    const r = await request('POST', `/api/engagements/${demo.id}/lines`, { cookie: lead.cookie, csrf: lead.csrf, json });
    assert.equal(r.status, 400, `${field}: ${r.text}`);
    assert.equal(r.json.error.field, field);
  }
  const pageLine = await request('POST', `/engagements/${demo.id}/lines`, {
    cookie: lead.cookie, form: { csrf: lead.csrf, kind_id: String(kind), quantity: '-2', unit_price: '5' },
  });
  assert.equal(pageLine.status, 400);
  assert.match(pageLine.text, /negative/);
  const after = (await request('GET', `/api/engagements/${demo.id}`, { cookie: lead.cookie })).json;
  assert.equal(after.lines.length, linesBefore, 'no line written');
  assert.equal(after.total_cents, 1620000);
  // Without the CSRF token nothing is written either.
  const nocsrf = await request('POST', '/api/engagements', { cookie: lead.cookie, json: { ...base } });
  assert.equal(nocsrf.status, 403);
  assert.equal(await count('lead'), before);
});

test('a district leader of another district is refused', async () => {
  const admin = await as('admin');
  const lead = await as('lead');
  const demo = await demoEngagement();
  const d = await request('POST', '/api/orgs', { cookie: admin.cookie, csrf: admin.csrf, json: { kind: 'district', name: 'Riverbend Unified' } });
  assert.equal(d.status, 201, d.text);
  // The Prairie Glen leader cannot make an agreement for Riverbend.
  const r = await request('POST', '/api/engagements', {
    cookie: lead.cookie, csrf: lead.csrf,
    json: { partner_id: demo.partner_id, district_id: d.json.id, title: 'Not mine', starts_on: '2026-01-01', ends_on: '2026-02-01' },
  });
  assert.equal(r.status, 403, r.text);
  // The partner's staff may propose one, and then the Prairie Glen leader cannot see it.
  const coach = await as('coach');
  const ok = await request('POST', '/api/engagements', {
    cookie: coach.cookie, csrf: coach.csrf,
    json: { partner_id: demo.partner_id, district_id: d.json.id, title: 'Riverbend coaching', starts_on: '2026-01-01', ends_on: '2026-02-01', state: 'proposed' },
  });
  assert.equal(ok.status, 201, ok.text);
  const hidden = await request('GET', `/api/engagements/${ok.json.id}`, { cookie: lead.cookie });
  assert.equal(hidden.status, 404);
  const patch = await request('PATCH', `/api/engagements/${ok.json.id}`, { cookie: lead.cookie, csrf: lead.csrf, json: { title: 'x' } });
  assert.equal(patch.status, 404);
  const page = await request('GET', `/engagements/${ok.json.id}`, { cookie: lead.cookie });
  assert.equal(page.status, 404);
});

test('a partner coach reaches the people of an engaged district (derived grant)', async () => {
  const coach = await as('coach');
  const r = await request('GET', '/api/people?q=Tom', { cookie: coach.cookie });
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.people.some((p) => p.name === 'Tom Becker'), 'the coach sees a Meadowbrook teacher');
});

test('service kinds: administrators add, others are refused', async () => {
  const admin = await as('admin');
  const list = await request('GET', '/admin/service-kinds', { cookie: admin.cookie });
  assert.equal(list.status, 200);
  assert.match(list.text, /coaching_day/);
  const add = await request('POST', '/admin/service-kinds', {
    cookie: admin.cookie, form: { csrf: admin.csrf, code: 'data_dive', label: 'Data dive', default_unit: 'session' },
  });
  assert.equal(add.status, 303, add.text);
  const again = await request('POST', '/admin/service-kinds', {
    cookie: admin.cookie, form: { csrf: admin.csrf, code: 'data_dive', label: 'Data dive', default_unit: 'session' },
  });
  assert.equal(again.status, 400);
  assert.match(again.text, /already/);
  const lead = await as('lead');
  const no = await request('POST', '/admin/service-kinds', {
    cookie: lead.cookie, form: { csrf: lead.csrf, code: 'x_kind', label: 'X', default_unit: 'x' },
  });
  assert.equal(no.status, 403);
  const listed = await request('GET', '/admin/service-kinds', { cookie: admin.cookie });
  assert.doesNotMatch(listed.text, /x_kind/);
});
