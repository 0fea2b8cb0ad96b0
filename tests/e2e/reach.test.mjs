// Reach is given, never taken, tried as an outsider would: the demo district
// and partner, beside a second district (Riverbend) with its own leader,
// administrator and teacher, and a second partner (Summit) with its staff and
// a coach, every account made by the installation's operator from the
// command line and used through API tokens (`coachd token create`) and
// signed-in pages. A partner proposes; only the district accepts; nobody
// grants themselves a role; co-coaches are people who may coach at the
// cycle's school.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverForFile, demoClient, run, formSession, sqlRows } from './lib.mjs';

const PASSWORD = 'reach-test-pass-9';
const world = {};
const srv = serverForFile({ ready: setUp });
const demo = demoClient(srv);

function cli(args, input) {
  const r = run([...args, '--db', srv.db], input === undefined ? {} : { input });
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

// One account: made from the command line, with a password (for pages) and
// an API token (for the API).
async function account(key, email, name, role, org) {
  cli(['user', 'add', email, '--name', name, '--role', role, '--org', String(org), '--password-stdin'], `${PASSWORD}\n`);
  const token = cli(['token', 'create', email]).match(/cd_[A-Za-z0-9_-]+/)[0];
  world[key] = { email, token, page: await formSession(srv.url, email, PASSWORD) };
  world[key].id = (await api(key, 'GET', '/api/me')).json.person.id;
}

async function setUp() {
  const admin = await demo.as('admin');
  const org = async (kind, name, parent_id) => {
    const r = await demo.request('POST', '/api/orgs', { cookie: admin.cookie, csrf: admin.csrf,
      json: parent_id ? { kind, name, parent_id } : { kind, name } });
    assert.equal(r.status, 201, r.text);
    return r.json.id;
  };
  world.riverbend = await org('district', 'Riverbend Unified');
  world.summit = await org('partner', 'Summit Math Partners');
  world.lakeshore = await demo.orgId('Lakeshore Mathematics Collaborative');
  world.prairie = await demo.orgId('Prairie Glen School District 41');
  world.meadowbrook = await demo.orgId('Meadowbrook Elementary School');
  // Riverbend's school is added by its own administrator, once there is one.
  await account('rbAdmin', 'admin@riverbend.example.org', 'Rita Banks', 'admin', world.riverbend);
  const school = await api('rbAdmin', 'POST', '/api/orgs', { kind: 'school', name: 'Riverbend Elementary', parent_id: world.riverbend });
  assert.equal(school.status, 201, school.text);
  world.rbSchool = school.json.id;
  await account('rbLead', 'lead@riverbend.example.org', 'Ruth Okoye', 'district_leader', world.riverbend);
  await account('rbTeacher', 'teacher@riverbend.example.org', 'Theo Vance', 'teacher', world.rbSchool);
  await account('summitStaff', 'staff@summit.example.org', 'Sam Ellery', 'partner_staff', world.summit);
  await account('summitCoach', 'coach@summit.example.org', 'Suki Moreau', 'coach', world.summit);
  cli(['user', 'add', 'coach@summit.example.org', '--role', 'partner_staff', '--org', String(world.summit)]);
}

// The API as one of the world's accounts (token) or a demo account (cookie).
async function api(who, method, path, json) {
  if (world[who]?.token) {
    const headers = { authorization: `Bearer ${world[who].token}` };
    if (json !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(srv.url + path, { method, headers, body: json === undefined ? undefined : JSON.stringify(json) });
    const text = await res.text();
    let data = null;
    try { data = JSON.parse(text); } catch { /* a page */ }
    return { status: res.status, text, json: data };
  }
  return demo.api(who, method, path, json);
}

// A signed-in page or form post as one of the world's accounts.
async function page(who, path) {
  const res = await fetch(srv.url + path, { headers: { cookie: world[who].page.cookie }, redirect: 'manual' });
  return { status: res.status, text: await res.text(), location: res.headers.get('location') };
}
async function post(who, path, fields) {
  const s = world[who].page;
  const res = await fetch(srv.url + path, {
    method: 'POST', redirect: 'manual',
    headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf: s.csrf, ...fields }).toString(),
  });
  return { status: res.status, text: await res.text(), location: res.headers.get('location') };
}

const riverbendPeople = async (who) => {
  const r = await api(who, 'GET', `/api/people?org=${world.rbSchool}`);
  return r.status === 200 ? r.json.people.map((p) => p.name) : [];
};
const agreement = (extra = {}) => ({
  partner_id: world.summit, district_id: world.riverbend, title: 'Summit coaching for Riverbend',
  starts_on: '2025-08-01', ends_on: '2026-06-30', ...extra,
});

test('a partner cannot open a district by itself: it proposes, the district accepts', async () => {
  assert.deepEqual(await riverbendPeople('summitCoach'), [], 'no reach before any agreement');
  // Made "active" by the partner: refused, and nothing written.
  const before = sqlRows(srv, 'SELECT COUNT(*) FROM engagement')[0][0];
  for (const state of ['active', 'accepted']) {
    const r = await api('summitStaff', 'POST', '/api/engagements', agreement({ state }));
    assert.equal(r.status, 400, r.text);
    assert.equal(r.json.error.field, 'state');
  }
  assert.equal(sqlRows(srv, 'SELECT COUNT(*) FROM engagement')[0][0], before);
  // A proposal gives nothing yet.
  const made = await api('summitStaff', 'POST', '/api/engagements', agreement({ state: 'proposed' }));
  assert.equal(made.status, 201, made.text);
  const id = made.json.id;
  world.summitEngagement = id;
  assert.equal(made.json.state, 'proposed');
  assert.deepEqual(made.json.moves, ['draft'], 'the partner may only withdraw it');
  assert.deepEqual(await riverbendPeople('summitCoach'), []);
  assert.deepEqual(await riverbendPeople('summitStaff'), []);
  const walk = await api('summitCoach', 'POST', '/api/walks', { school_id: world.rbSchool, on_date: '2026-01-12',
    rubric_id: 1, purpose: 'look around' });
  assert.ok(walk.status === 403 || walk.status === 400, walk.text);
  // The partner cannot accept it, by API or page; nor can another district.
  for (const who of ['summitStaff', 'summitCoach', 'lead']) {
    const r = await api(who, 'POST', `/api/engagements/${id}/state`, { state: 'accepted' });
    assert.ok(r.status === 403 || r.status === 404, `${who}: ${r.text}`);
  }
  const byPage = await post('summitStaff', `/engagements/${id}/state`, { state: 'accepted' });
  assert.equal(byPage.status, 403, byPage.text);
  assert.equal(sqlRows(srv, `SELECT state FROM engagement WHERE id = ${id}`)[0][0], 'proposed');
  // The district's leader sees it waiting, and accepts it on the page.
  const list = await page('rbLead', '/engagements');
  assert.match(list.text, /Waiting for your district's answer/);
  assert.match(list.text, new RegExp(`href="/engagements/${id}">Summit coaching for Riverbend`));
  const shown = await page('rbLead', `/engagements/${id}`);
  assert.match(shown.text, /Accept for the district/);
  assert.match(shown.text, /Decline…/);
  const accepted = await post('rbLead', `/engagements/${id}/state`, { state: 'accepted' });
  assert.equal(accepted.status, 303, accepted.text);
  assert.equal(accepted.location, `/engagements/${id}?ok=engagement-accepted`);
  assert.deepEqual(await riverbendPeople('summitCoach'), ['Theo Vance'], 'reach now, given by the district');
  const entries = (await api('rbLead', 'GET', '/api/audit?action=engagement.accepted')).json.entries;
  assert.ok(entries.some((e) => e.object_id === id && e.actor_name === 'Ruth Okoye'), JSON.stringify(entries));
});

test('the parties of a proposed or accepted agreement never change', async () => {
  const id = world.summitEngagement;
  for (const move of [{ district_id: world.prairie }, { partner_id: world.lakeshore }]) {
    const r = await api('summitStaff', 'PATCH', `/api/engagements/${id}`, move);
    assert.ok(r.status === 409 || r.status === 403, r.text);
  }
  const edit = await post('summitStaff', `/engagements/${id}`, { partner_id: String(world.summit),
    district_id: String(world.prairie), title: 'Moved', starts_on: '2025-08-01', ends_on: '2026-06-30' });
  assert.ok(edit.status === 409 || edit.status === 403, edit.text);
  const row = sqlRows(srv, `SELECT district_id, partner_id, title FROM engagement WHERE id = ${id}`)[0];
  assert.deepEqual(row, [String(world.riverbend), String(world.summit), 'Summit coaching for Riverbend']);
  // A draft's parties still change: nothing was given yet.
  const draft = await api('summitStaff', 'POST', '/api/engagements', agreement({ title: 'A draft' }));
  assert.equal(draft.status, 201, draft.text);
  assert.equal(draft.json.state, 'draft');
  const moved = await api('summitStaff', 'PATCH', `/api/engagements/${draft.json.id}`, { district_id: world.prairie });
  assert.equal(moved.status, 200, moved.text);
  assert.equal(moved.json.district_id, world.prairie);
});

test('a declined or ended agreement gives no reach; an administrator deciding is audited as such', async () => {
  const made = await api('summitStaff', 'POST', '/api/engagements', agreement({ title: 'Second year', state: 'proposed' }));
  assert.equal(made.status, 201, made.text);
  const declined = await api('rbLead', 'POST', `/api/engagements/${made.json.id}/state`, { state: 'declined', note: 'Not this year.' });
  assert.equal(declined.status, 200, declined.text);
  assert.equal(declined.json.decision_note, 'Not this year.');
  assert.equal(declined.json.decided_by.name, 'Ruth Okoye');
  const again = await api('rbLead', 'POST', `/api/engagements/${made.json.id}/state`, { state: 'accepted' });
  assert.equal(again.status, 409, again.text); // only a proposal is accepted
  // The administrator of Riverbend may act for it, and the log says so.
  const revised = await api('summitStaff', 'POST', `/api/engagements/${made.json.id}/state`, { state: 'draft' });
  assert.equal(revised.status, 200, revised.text);
  assert.equal((await api('summitStaff', 'POST', `/api/engagements/${made.json.id}/state`, { state: 'proposed' })).status, 200);
  const byAdmin = await api('rbAdmin', 'POST', `/api/engagements/${made.json.id}/state`, { state: 'accepted' });
  assert.equal(byAdmin.status, 200, byAdmin.text);
  const entries = (await api('rbLead', 'GET', '/api/audit?action=engagement.accepted')).json.entries;
  const e = entries.find((x) => x.object_id === made.json.id);
  assert.match(e.detail, /administrator acting for the district/);
  // Ending both agreements ends the reach.
  for (const id of [world.summitEngagement, made.json.id]) {
    const ended = await api('summitStaff', 'POST', `/api/engagements/${id}/state`, { state: 'ended' });
    assert.equal(ended.status, 200, ended.text);
  }
  assert.deepEqual(await riverbendPeople('summitCoach'), []);
  const back = await api('summitStaff', 'POST', `/api/engagements/${made.json.id}/state`, { state: 'active' });
  assert.equal(back.status, 409, back.text);
});

test('nobody grants themselves a role; a district leader role is the leaders\' to give', async () => {
  const admin = await demo.as('admin');
  const principal = (await demo.api('lead', 'GET', '/api/people?q=Priya')).json.people[0];
  const self = await demo.api('admin', 'POST', `/api/people/${admin.id}/roles`, { role: 'district_leader', org_id: world.prairie });
  assert.equal(self.status, 403, self.text);
  const selfCoach = await demo.api('admin', 'POST', `/api/people/${admin.id}/roles`, { role: 'coach', org_id: world.meadowbrook });
  assert.equal(selfCoach.status, 403, selfCoach.text);
  // Prairie Glen has a leader: its administrator cannot make another one.
  const byAdmin = await demo.api('admin', 'POST', `/api/people/${principal.id}/roles`, { role: 'district_leader', org_id: world.prairie });
  assert.equal(byAdmin.status, 403, byAdmin.text);
  assert.match(byAdmin.json.error.message, /district's leaders/);
  const none = sqlRows(srv, `SELECT COUNT(*) FROM person_role WHERE person_id = ${principal.id} AND role = 'district_leader'`);
  assert.equal(none[0][0], '0');
  // The district's leader can, on the page too.
  const byLead = await demo.post('lead', `/people/${principal.id}/roles`, { role: 'district_leader', org_id: String(world.prairie) });
  assert.equal(byLead.status, 303, byLead.text);
  const leadSelf = await demo.api('lead', 'POST', `/api/people/${(await demo.as('lead')).id}/roles`, { role: 'district_leader', org_id: world.prairie });
  assert.equal(leadSelf.status, 403, leadSelf.text);
  // A district that never had a leader gets its first from its administrator.
  const fresh = await demo.request('POST', '/api/orgs', { cookie: admin.cookie, csrf: admin.csrf, json: { kind: 'district', name: 'Hollis Valley' } });
  await account('hvAdmin', 'admin@hollis.example.org', 'Hal Vint', 'admin', fresh.json.id);
  const person = await api('hvAdmin', 'POST', '/api/people', { name: 'Hope Lind', email: 'hope@hollis.example.org', role: 'district_leader', org_id: fresh.json.id });
  assert.equal(person.status, 201, person.text);
  const second = await api('hvAdmin', 'POST', '/api/people', { name: 'Hugo Lake', email: 'hugo@hollis.example.org', role: 'district_leader', org_id: fresh.json.id });
  assert.equal(second.status, 403, second.text);
  const adminAsLeader = await api('hvAdmin', 'POST', `/api/people/${world.hvAdmin.id}/roles`, { role: 'district_leader', org_id: fresh.json.id });
  assert.equal(adminAsLeader.status, 403, adminAsLeader.text);
});

test('a co-coach is someone who may coach at the cycle\'s school; anyone else is 422 naming the field', async () => {
  const teacher = await demo.as('teacher');
  const kim = (await demo.api('lead', 'GET', '/api/people?q=Kim%20Sorensen')).json.people[0];
  const body = (coaches) => ({ kind: 'individual', title: 'With a co-coach', school_id: world.meadowbrook,
    teachers: [teacher.id], coaches });
  const before = sqlRows(srv, 'SELECT COUNT(*) FROM coaching_cycle')[0][0];
  // Summit's coach works nowhere near Prairie Glen; Riverbend's teacher is no coach.
  for (const outsider of [world.summitCoach.id, world.rbTeacher.id]) {
    const r = await demo.api('coach', 'POST', '/api/cycles', body([outsider]));
    assert.equal(r.status, 422, r.text);
    assert.equal(r.json.error.field, 'coaches');
  }
  const page = await demo.post('coach', '/cycles', [['kind', 'individual'], ['title', 'With a co-coach'],
    ['school_id', String(world.meadowbrook)], ['teachers', String(teacher.id)], ['coaches', String(world.summitCoach.id)]]);
  assert.equal(page.status, 422, page.text.slice(0, 300));
  assert.match(page.text, /may not coach at this school/);
  assert.equal(sqlRows(srv, 'SELECT COUNT(*) FROM coaching_cycle')[0][0], before, 'nothing written');
  // The district's own coach may.
  const ok = await demo.api('coach', 'POST', '/api/cycles', body([kim.id]));
  assert.equal(ok.status, 201, ok.text);
  assert.ok(ok.json.members.some((m) => m.id === kim.id && m.role === 'coach'));
});

test('an engagement\'s calendar feed is shown once, and stops for a maker who loses access', async () => {
  const id = world.summitEngagement;
  const made = await api('rbLead', 'POST', `/api/engagements/${id}/calendar-feed`, {});
  assert.equal(made.status, 201, made.text);
  const url = made.json.url;
  assert.equal((await fetch(url)).status, 200);
  // Only a fingerprint is kept: nothing in the database or the API shows it again.
  const secret = url.match(/cf_[A-Za-z0-9_-]+/)[0];
  const rows = sqlRows(srv, 'SELECT * FROM calendar_feed');
  assert.ok(!JSON.stringify(rows).includes(secret), 'the secret is not stored');
  const shown = await api('rbLead', 'GET', `/api/engagements/${id}`);
  assert.ok(!shown.text.includes(secret));
  assert.equal(shown.json.calendar_feeds.active, 1);
  // Ruth stops being a district leader (she teaches now): her feed stops.
  cli(['user', 'add', world.rbLead.email, '--role', 'teacher', '--org', String(world.rbSchool)]);
  const person = (await api('rbAdmin', 'GET', `/api/people/${world.rbLead.id}`)).json;
  const leader = person.roles.find((r) => r.role === 'district_leader');
  const removed = await api('rbAdmin', 'DELETE', `/api/people/${world.rbLead.id}/roles/${leader.id}`);
  assert.equal(removed.status, 200, removed.text);
  const after = await fetch(url);
  assert.equal(after.status, 404, 'the feed goes with its maker\'s access');
});
