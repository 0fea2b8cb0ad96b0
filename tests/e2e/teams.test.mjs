// Teams end to end through the real server (SQLite, or PostgreSQL with
// COACHD_BACKEND=postgres): a principal's new grade-level team and its
// members, who may create and see teams where, members from outside the
// district, the role-diverse district leadership team, bad input and CSRF
// (nothing written), signed-out visitors, and the audit entries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { serverForFile, demoClient, run, backend } from './lib.mjs';

const srv = serverForFile();
const { request, as, orgId } = demoClient(srv);
// A signed-in cookie, its CSRF token and person id, one per demo account.

// Every team, as the administrator of the demo district sees them.
async function allTeams() {
  const { cookie } = await as('lead');
  const r = await request('GET', '/api/teams', { cookie });
  assert.equal(r.status, 200, r.text);
  return r.json.teams;
}

// SQL straight into the server's database, for what no route may do.
function sql(statement) {
  if (backend === 'postgres') execFileSync('psql', [srv.db, '-qAt', '-c', statement]);
  else execFileSync('sqlite3', [srv.db, statement]);
}

let g4; // the team the principal makes

test('signed out: pages send to sign-in, the API answers 401', async () => {
  const page = await request('GET', '/teams');
  assert.equal(page.status, 303);
  assert.match(page.location, /^\/signin\?next=%2Fteams$/);
  const one = await request('GET', '/teams/1');
  assert.equal(one.status, 303);
  const api = await request('GET', '/api/teams');
  assert.equal(api.status, 401);
  assert.equal(api.json.error.code, 'signin_required');
  const post = await request('POST', '/api/teams', { json: { name: 'x', kind: 'plc', org_id: 1 } });
  assert.equal(post.status, 401);
  assert.equal((await allTeams()).filter((t) => t.name === 'x').length, 0);
});

test('a principal creates a Grade 4 team at their school with the form', async () => {
  const p = await as('principal');
  const meadowbrook = await orgId('Meadowbrook Elementary School');
  const form = await request('GET', '/teams/new', { cookie: p.cookie });
  assert.equal(form.status, 200);
  assert.match(form.text, /<label for="name">Name<\/label>/);
  assert.match(form.text, /Meadowbrook Elementary School/);
  assert.doesNotMatch(form.text, /Cedar Ridge/, 'only the schools she may create teams at');
  const r = await request('POST', '/teams', {
    cookie: p.cookie,
    form: { csrf: p.csrf, name: 'Grade 4 Problem Solvers', kind: 'grade_level', org_id: meadowbrook, grade: 'G4' },
  });
  assert.equal(r.status, 303, r.text.slice(0, 500));
  const m = r.location.match(/^\/teams\/(\d+)\?ok=created$/);
  assert.ok(m, r.location);
  g4 = Number(m[1]);
  const page = await request('GET', r.location, { cookie: p.cookie });
  assert.equal(page.status, 200);
  assert.match(page.text, /<h1>Grade 4 Problem Solvers<\/h1>/);
  assert.match(page.text, /Created\./);
  assert.match(page.text, /<dt>Grade<\/dt><dd>G4<\/dd>/);
  assert.match(page.text, /<dt>School<\/dt><dd><a href="\/orgs\/\d+">Meadowbrook Elementary School<\/a>/);
  const api = await request('GET', `/api/teams/${g4}`, { cookie: p.cookie });
  assert.equal(api.json.grade, '4');
  assert.equal(api.json.org_id, meadowbrook);
  assert.equal(api.json.kind, 'grade_level');
  assert.deepEqual(api.json.members, []);
});

test('the principal adds both demo teachers; a member reads their team', async () => {
  const p = await as('principal');
  const t1 = await as('teacher');
  const t2 = await as('teacher2');
  const page = await request('GET', `/teams/${g4}`, { cookie: p.cookie });
  assert.match(page.text, new RegExp(`<option value="${t1.id}">Tom Becker</option>`));
  const add1 = await request('POST', `/teams/${g4}/members`, {
    cookie: p.cookie, form: { csrf: p.csrf, person_id: t1.id, team_role: 'facilitator' },
  });
  assert.equal(add1.status, 303);
  assert.equal(add1.location, `/teams/${g4}?ok=member-added`);
  const add2 = await request('POST', `/api/teams/${g4}/members`, {
    cookie: p.cookie, csrf: p.csrf, json: { person_id: t2.id },
  });
  assert.equal(add2.status, 201, add2.text);
  assert.equal(add2.json.member_count, 2);
  const grace = add2.json.members.find((m) => m.person_id === t2.id);
  assert.equal(grace.team_role, 'member');
  assert.deepEqual(grace.roles, ['teacher']);

  const read = await request('GET', `/api/teams/${g4}`, { cookie: t1.cookie });
  assert.equal(read.status, 200, read.text);
  assert.deepEqual(read.json.members.map((m) => m.name).sort(), ['Grace Liu', 'Tom Becker']);
  assert.equal(read.json.members.find((m) => m.person_id === t1.id).team_role, 'facilitator');
  const html = await request('GET', `/teams/${g4}`, { cookie: t2.cookie });
  assert.equal(html.status, 200);
  assert.match(html.text, /Tom Becker<\/td><td>Facilitator<\/td><td>Teacher, Meadowbrook Elementary School/);
  assert.doesNotMatch(html.text, /Add a member/, 'a member reads the team but does not manage it');

  const again = await request('POST', `/api/teams/${g4}/members`, {
    cookie: p.cookie, csrf: p.csrf, json: { person_id: t2.id, team_role: 'lead' },
  });
  assert.equal(again.status, 400);
  assert.equal(again.json.error.field, 'person_id');
  assert.match(again.json.error.message, /already a member/);
});

test('the principal cannot create a team at Cedar Ridge: 403, nothing written', async () => {
  const p = await as('principal');
  const cedar = await orgId('Cedar Ridge Elementary School');
  const before = (await allTeams()).length;
  const api = await request('POST', '/api/teams', {
    cookie: p.cookie, csrf: p.csrf, json: { name: 'Cedar G2', kind: 'grade_level', org_id: cedar, grade: 2 },
  });
  assert.equal(api.status, 403, api.text);
  assert.equal(api.json.error.code, 'forbidden');
  const page = await request('POST', '/teams', {
    cookie: p.cookie, form: { csrf: p.csrf, name: 'Cedar G2', kind: 'grade_level', org_id: cedar, grade: '2' },
  });
  assert.equal(page.status, 403);
  const after = await allTeams();
  assert.equal(after.length, before);
  assert.ok(!after.some((t) => t.name === 'Cedar G2'));
});

test("a teacher cannot create teams but sees Meadowbrook's teams", async () => {
  const t = await as('teacher');
  const meadowbrook = await orgId('Meadowbrook Elementary School');
  assert.equal((await request('GET', '/teams/new', { cookie: t.cookie })).status, 403);
  const api = await request('POST', '/api/teams', {
    cookie: t.cookie, csrf: t.csrf, json: { name: 'My team', kind: 'plc', org_id: meadowbrook },
  });
  assert.equal(api.status, 403);
  const list = await request('GET', '/api/teams', { cookie: t.cookie });
  assert.equal(list.status, 200);
  const names = list.json.teams.map((x) => x.name);
  for (const n of ['GK', 'G1', 'G3', 'G5', 'Grade 4 Problem Solvers']) assert.ok(names.includes(n), n);
  assert.ok(!names.includes('G6-8'), 'not the middle school');
  assert.ok(!names.includes('District Math Leadership Team'), 'not the district team');
  assert.ok(!names.includes('My team'));
  const page = await request('GET', '/teams', { cookie: t.cookie });
  assert.equal(page.status, 200);
  assert.match(page.text, /<a href="\/teams\/\d+">G3<\/a>/);
  assert.doesNotMatch(page.text, /href="\/teams\/new"/);
  const middle = (await allTeams()).find((x) => x.name === 'G6-8');
  assert.equal((await request('GET', `/api/teams/${middle.id}`, { cookie: t.cookie })).status, 403);
});

test('filters: by school, by kind, by name; a bad filter is a 400 naming it', async () => {
  const { cookie } = await as('lead');
  const middle = await orgId('Prairie Glen Middle School');
  const bySchool = await request('GET', `/api/teams?school=${middle}`, { cookie });
  assert.deepEqual(bySchool.json.teams.map((x) => x.name).sort(), ['G6-8', 'G6-8 Leadership']);
  const byKind = await request('GET', '/api/teams?kind=leadership', { cookie });
  assert.deepEqual(byKind.json.teams.map((x) => x.name).sort(),
    ['District Math Leadership Team', 'G6-8 Leadership']);
  const byName = await request('GET', '/api/teams?q=problem', { cookie });
  assert.deepEqual(byName.json.teams.map((x) => x.name), ['Grade 4 Problem Solvers']);
  const page = await request('GET', '/teams?q=%25', { cookie });
  assert.match(page.text, /No team matches\./, '% is matched literally');
  const badKind = await request('GET', '/api/teams?kind=committee', { cookie });
  assert.equal(badKind.status, 400);
  assert.equal(badKind.json.error.field, 'kind');
  const badSchool = await request('GET', '/api/teams?school=abc', { cookie });
  assert.equal(badSchool.status, 400);
  assert.equal(badSchool.json.error.field, 'school');
});

test("the district leadership team shows members' roles and how many distinct roles", async () => {
  const { cookie } = await as('lead');
  const team = (await allTeams()).find((x) => x.name === 'District Math Leadership Team');
  const page = await request('GET', `/teams/${team.id}`, { cookie });
  assert.equal(page.status, 200);
  assert.match(page.text, /<strong>3 distinct roles<\/strong>: District leader, Principal, Coach\. It is role-diverse\./);
  assert.match(page.text, /Dana Whitfield<\/td><td>Member<\/td><td>District leader, Prairie Glen School District 41/);
  assert.match(page.text, /Priya Raman<\/td><td>Member<\/td><td>Principal, Meadowbrook Elementary School/);
  assert.match(page.text, /Kim Sorensen<\/td><td>Member<\/td><td>Coach, Prairie Glen School District 41/);
  const api = await request('GET', `/api/teams/${team.id}`, { cookie });
  assert.equal(api.json.distinct_roles, 3);
  assert.equal(api.json.role_diverse, true);
  const grade = await request('GET', `/teams/${g4}`, { cookie });
  assert.doesNotMatch(grade.text, /distinct role/, 'only leadership teams are counted');
});

test('bad input: each wrong field named, nothing written', async () => {
  const p = await as('principal');
  const meadowbrook = await orgId('Meadowbrook Elementary School');
  const before = (await allTeams()).length;
  const page = await request('POST', '/teams', {
    cookie: p.cookie, form: { csrf: p.csrf, name: '', kind: 'grade_level', org_id: meadowbrook, grade: '3-5' },
  });
  assert.equal(page.status, 400);
  assert.match(page.text, /<span class="field-error" id="name-error">Enter a name\.<\/span>/);
  assert.match(page.text, /id="grade-error">A grade-level team has one grade/);
  assert.match(page.text, /aria-invalid="true"/);
  const dup = await request('POST', '/api/teams', {
    cookie: p.cookie, csrf: p.csrf, json: { name: 'g4', kind: 'grade_level', org_id: meadowbrook, grade: 4 },
  });
  assert.equal(dup.status, 400, 'G4 exists at Meadowbrook, in another letter case');
  assert.equal(dup.json.error.field, 'name');
  const kind = await request('POST', '/api/teams', {
    cookie: p.cookie, csrf: p.csrf, json: { name: 'Plc', kind: 'committee', org_id: meadowbrook },
  });
  assert.equal(kind.status, 400);
  assert.equal(kind.json.error.field, 'kind');
  const type = await request('POST', '/api/teams', {
    cookie: p.cookie, csrf: p.csrf, json: { name: ['x'], kind: 'plc', org_id: meadowbrook },
  });
  assert.equal(type.status, 400);
  assert.equal(type.json.error.field, 'name');
  const noOrg = await request('POST', '/api/teams', {
    cookie: p.cookie, csrf: p.csrf, json: { name: 'Nowhere PLC', kind: 'plc', org_id: 999999 },
  });
  assert.equal(noOrg.status, 400);
  assert.equal(noOrg.json.error.field, 'org_id');
  const notJson = await fetch(`${srv.url}/api/teams`, {
    method: 'POST', headers: { cookie: p.cookie, 'x-csrf-token': p.csrf, 'content-type': 'application/json' },
    body: '{"name":',
  });
  assert.equal(notJson.status, 400);
  const role = await request('POST', `/api/teams/${g4}/members`, {
    cookie: p.cookie, csrf: p.csrf, json: { person_id: (await as('teacher')).id, team_role: 'chair' },
  });
  assert.equal(role.status, 400);
  assert.equal(role.json.error.field, 'team_role');
  const rename = await request('PATCH', `/api/teams/${g4}`, {
    cookie: p.cookie, csrf: p.csrf, json: { name: 'G3' },
  });
  assert.equal(rename.status, 400);
  assert.equal(rename.json.error.field, 'name');
  assert.equal((await allTeams()).length, before);
  assert.equal((await request('GET', `/api/teams/${g4}`, { cookie: p.cookie })).json.name, 'Grade 4 Problem Solvers');
});

test('CSRF missing or wrong: 403 and nothing changed', async () => {
  const p = await as('principal');
  const meadowbrook = await orgId('Meadowbrook Elementary School');
  const before = (await allTeams()).length;
  const page = await request('POST', '/teams', {
    cookie: p.cookie, form: { name: 'No token PLC', kind: 'plc', org_id: meadowbrook },
  });
  assert.equal(page.status, 403);
  const api = await request('POST', '/api/teams', {
    cookie: p.cookie, json: { name: 'No token PLC', kind: 'plc', org_id: meadowbrook },
  });
  assert.equal(api.status, 403);
  assert.equal(api.json.error.code, 'csrf');
  const wrong = await request('POST', `/teams/${g4}/deactivate`, { cookie: p.cookie, form: { csrf: 'x'.repeat(43) } });
  assert.equal(wrong.status, 403);
  const t1 = await as('teacher');
  const remove = await request('DELETE', `/api/teams/${g4}/members/${t1.id}`, { cookie: p.cookie });
  assert.equal(remove.status, 403);
  assert.equal((await allTeams()).length, before);
  const team = await request('GET', `/api/teams/${g4}`, { cookie: p.cookie });
  assert.equal(team.json.active, true);
  assert.equal(team.json.member_count, 2);
});

test('adding a person from another district is a 400 naming person_id', async () => {
  // A second district with a teacher of its own; the district leader is
  // made leader there too, so she may see that teacher.
  sql("INSERT INTO org (kind, name, created_at) VALUES ('district', 'Riverbend Unified', 0)");
  let r = run(['user', 'add', 'river@example.org', '--name', 'Rita River', '--role', 'teacher',
    '--org', 'Riverbend Unified', '--db', srv.db]);
  assert.equal(r.code, 0, r.stderr);
  r = run(['user', 'add', 'lead@example.org', '--role', 'district_leader', '--org', 'Riverbend Unified', '--db', srv.db]);
  assert.equal(r.code, 0, r.stderr);
  const lead = await as('lead');
  const people = await request('GET', '/api/people?q=Rita', { cookie: lead.cookie });
  const rita = people.json?.people?.find((x) => x.name === 'Rita River');
  const ritaId = rita ? rita.id : Number(execFileSync(backend === 'postgres' ? 'psql' : 'sqlite3',
    backend === 'postgres' ? [srv.db, '-qAt', '-c', "SELECT id FROM person WHERE email = 'river@example.org'"]
      : [srv.db, "SELECT id FROM person WHERE email = 'river@example.org'"], { encoding: 'utf8' }).trim());
  assert.ok(ritaId > 0);

  const team = (await allTeams()).find((x) => x.name === 'District Math Leadership Team');
  const page = await request('GET', `/teams/${team.id}`, { cookie: lead.cookie });
  assert.doesNotMatch(page.text, /Rita River/, 'the select offers only people of the district');
  const byLead = await request('POST', `/api/teams/${team.id}/members`, {
    cookie: lead.cookie, csrf: lead.csrf, json: { person_id: ritaId },
  });
  assert.equal(byLead.status, 400, byLead.text);
  assert.equal(byLead.json.error.field, 'person_id');
  assert.match(byLead.json.error.message, /Rita River holds no role in Prairie Glen School District 41/);
  const form = await request('POST', `/teams/${team.id}/members`, {
    cookie: lead.cookie, form: { csrf: lead.csrf, person_id: ritaId, team_role: 'member' },
  });
  assert.equal(form.status, 400);
  assert.match(form.text, /id="person_id-error">Rita River holds no role/);

  // The principal may not see her at all: the answer does not say she exists.
  const p = await as('principal');
  const byPrincipal = await request('POST', `/api/teams/${g4}/members`, {
    cookie: p.cookie, csrf: p.csrf, json: { person_id: ritaId },
  });
  assert.equal(byPrincipal.status, 400);
  assert.equal(byPrincipal.json.error.field, 'person_id');
  assert.equal(byPrincipal.json.error.message, 'There is no such person.');
  const partnerCoach = await as('coach');
  const coach = await request('POST', `/api/teams/${g4}/members`, {
    cookie: p.cookie, csrf: p.csrf, json: { person_id: partnerCoach.id },
  });
  assert.equal(coach.status, 400);
  assert.equal(coach.json.error.field, 'person_id');
  assert.equal((await request('GET', `/api/teams/${team.id}`, { cookie: lead.cookie })).json.member_count, 3);
  assert.equal((await request('GET', `/api/teams/${g4}`, { cookie: p.cookie })).json.member_count, 2);
});

test('edit, remove a member, deactivate; each change is audited', async () => {
  const p = await as('principal');
  const t1 = await as('teacher');
  const edit = await request('GET', `/teams/${g4}/edit`, { cookie: p.cookie });
  assert.equal(edit.status, 200);
  assert.match(edit.text, /value="Grade 4 Problem Solvers"/);
  const saved = await request('POST', `/teams/${g4}`, {
    cookie: p.cookie, form: { csrf: p.csrf, name: 'Grade 4 Math Team', kind: 'grade_level', grade: '4' },
  });
  assert.equal(saved.status, 303);
  assert.equal(saved.location, `/teams/${g4}?ok=saved`);
  const patched = await request('PATCH', `/api/teams/${g4}`, { cookie: p.cookie, csrf: p.csrf, json: { kind: 'plc', grade: null } });
  assert.equal(patched.status, 200, patched.text);
  assert.equal(patched.json.kind, 'plc');
  assert.equal(patched.json.grade, null);
  assert.equal(patched.json.name, 'Grade 4 Math Team');
  const removed = await request('POST', `/teams/${g4}/members/${t1.id}/remove`, { cookie: p.cookie, form: { csrf: p.csrf } });
  assert.equal(removed.status, 303);
  assert.equal(removed.location, `/teams/${g4}?ok=member-removed`);
  const gone = await request('GET', `/api/teams/${g4}`, { cookie: t1.cookie });
  assert.equal(gone.status, 200, 'still a teacher at the school');
  assert.deepEqual(gone.json.members.map((m) => m.name), ['Grace Liu']);
  const twice = await request('DELETE', `/api/teams/${g4}/members/${t1.id}`, { cookie: p.cookie, csrf: p.csrf });
  assert.equal(twice.status, 404);
  const back = await request('POST', `/api/teams/${g4}/members`, { cookie: p.cookie, csrf: p.csrf, json: { person_id: String(t1.id), team_role: 'lead' } });
  assert.equal(back.status, 201, 'a member who left can come back');
  assert.equal(back.json.members.find((m) => m.person_id === t1.id).team_role, 'lead');
  const del = await request('DELETE', `/api/teams/${g4}/members/${t1.id}`, { cookie: p.cookie, csrf: p.csrf });
  assert.equal(del.status, 200);

  const off = await request('POST', `/teams/${g4}/deactivate`, { cookie: p.cookie, form: { csrf: p.csrf } });
  assert.equal(off.status, 303);
  assert.equal(off.location, '/teams?ok=deactivated');
  assert.ok(!(await allTeams()).some((x) => x.id === g4), 'a deactivated team leaves the list');
  const page = await request('GET', `/teams/${g4}`, { cookie: p.cookie });
  assert.equal(page.status, 200);
  assert.match(page.text, /This team is deactivated\./);
  const late = await request('PATCH', `/api/teams/${g4}`, { cookie: p.cookie, csrf: p.csrf, json: { name: 'Revived' } });
  assert.equal(late.status, 409);

  const lead = await as('lead');
  const audit = await request('GET', '/api/audit?action=team.', { cookie: lead.cookie });
  assert.equal(audit.status, 200, audit.text);
  const mine = audit.json.entries.filter((e) => e.kind === 'team' && e.object_id === g4).map((e) => e.action);
  for (const a of ['team.create', 'team.update', 'team.member.add', 'team.member.remove', 'team.deactivate'])
    assert.ok(mine.includes(a), `${a} in ${mine}`);
  assert.equal(mine.filter((a) => a === 'team.create').length, 1, 'refused attempts wrote nothing');
});
