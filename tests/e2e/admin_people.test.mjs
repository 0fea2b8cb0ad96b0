// Administering people and their roles through the real server: an
// administrator adds a person with a role and a password (who can then sign
// in), edits them, grants and revokes roles, deactivates them (signed out,
// refused at sign-in, still listed as deactivated) and reactivates them;
// bad input is 400 naming the field with nothing written; each demo role
// sees only the people its place allows and gets 403 on writes; signed-out
// requests are sent to sign in; CSRF is required.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverForFile, formSession, sessionClient, signIn, run } from './lib.mjs';

const who = {};
const srv = serverForFile({
  ready: async () => {
    for (const name of ['admin', 'lead', 'principal', 'coach', 'teacher']) who[name] = await session(`${name}@example.org`);
  },
});
const session = (email, password) => formSession(srv.url, email, password);
const { page, html, post, api, json } = sessionClient(srv);

// Every person s can see (all pages, deactivated too), by name.
async function everyone(s) {
  const out = [];
  for (let p = 1; ; p++) {
    const body = await json(s, `/api/people?inactive=1&page=${p}`);
    out.push(...body.people);
    if (!body.more) return out;
  }
}
const names = async (s) => (await everyone(s)).map((p) => p.name).sort();
const personNamed = async (name) => (await everyone(who.admin)).find((p) => p.name === name);
const orgNamed = async (name) => (await json(who.admin, '/api/orgs')).orgs.find((o) => o.name === name);
const auditOf = async (action) => (await json(who.admin, `/api/audit?action=${action}`)).entries;
// The state a refused request must leave alone: the people with their
// roles, and the people entries of the audit log.
const snapshot = async () => JSON.stringify([await everyone(who.admin), await auditOf('person.'), await auditOf('role.')]);

test('signed out: pages redirect to sign-in, the API answers 401', async () => {
  for (const path of ['/people', '/people/new', '/people/1', '/people/1/edit']) {
    const r = await page(null, path);
    assert.equal(r.status, 303, path);
    assert.equal(r.headers.get('location'), `/signin?next=${encodeURIComponent(path)}`, path);
  }
  for (const [method, path] of [['GET', '/api/people'], ['GET', '/api/people/1'], ['POST', '/api/people'],
    ['PATCH', '/api/people/1'], ['POST', '/api/people/1/deactivate'], ['POST', '/api/people/1/reactivate'],
    ['POST', '/api/people/1/roles'], ['DELETE', '/api/people/1/roles/1']]) {
    const r = await fetch(srv.url + path, { method, headers: method === 'GET' || method === 'DELETE' ? {} : { 'content-type': 'application/json' }, body: method === 'GET' || method === 'DELETE' ? undefined : '{}' });
    assert.equal(r.status, 401, `${method} ${path}`);
    assert.equal((await r.json()).error.code, 'signin_required');
  }
  const before = await names(who.admin);
  const form = await fetch(`${srv.url}/people`, {
    method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'name=Sneaky&email=sneaky%40example.org&role=teacher&org_id=3',
  });
  assert.equal(form.status, 303);
  assert.match(form.headers.get('location'), /^\/signin\?next=/);
  assert.deepEqual(await names(who.admin), before);
});

test('an administrator adds a person with a role and a password, who can then sign in', async () => {
  const school = await orgNamed('Meadowbrook Elementary School');
  const list = await html(who.admin, '/people');
  assert.match(list, /href="\/people\/new">Add a person</);
  const form = await html(who.admin, '/people/new');
  assert.match(form, /<label for="password">/);
  assert.match(form, new RegExp(`<option value="${school.id}">Meadowbrook Elementary School`));
  const r = await post(who.admin, '/people', {
    name: ' Nia Cole ', email: 'Nia.Cole@Example.org', role: 'teacher', org_id: String(school.id),
    password: 'counting-by-tens-42',
  });
  assert.equal(r.status, 303);
  assert.match(r.headers.get('location'), /^\/people\/\d+\?ok=created$/);
  const id = Number(r.headers.get('location').match(/\/people\/(\d+)/)[1]);
  const shown = await html(who.admin, r.headers.get('location'));
  assert.match(shown, /Created\./);
  assert.match(shown, /<h1>Nia Cole<\/h1>/);
  assert.match(shown, /Nia\.Cole@Example\.org/);
  assert.match(shown, /<td>Teacher<\/td><td><a href="\/orgs\/\d+">Meadowbrook Elementary School<\/a>/);
  assert.match(shown, /Set: can sign in/);
  const nia = await json(who.admin, `/api/people/${id}`);
  assert.equal(nia.active, true);
  assert.deepEqual(nia.roles.map((x) => [x.role, x.org_id]), [['teacher', school.id]]);

  // Any capitalization of the address signs in.
  const s = await session('nia.cole@example.org', 'counting-by-tens-42');
  const me = await json(s, `/api/people/${id}`);
  assert.equal(me.name, 'Nia Cole');
  assert.ok((await names(s)).includes('Tom Becker'), 'a teacher sees colleagues at the school');

  const created = await auditOf('person.create');
  assert.ok(created.some((e) => e.object_id === id && e.kind === 'person'), JSON.stringify(created));
  const granted = await auditOf('role.grant');
  assert.ok(granted.some((e) => e.detail && e.detail.includes(`person ${id}`)));

  // The API adds one too, without a password: they cannot sign in yet.
  const a = await api(who.admin, 'POST', '/api/people', { name: 'Omar Diaz', email: 'omar@example.org', role: 'coach', org_id: (await orgNamed('Prairie Glen School District 41')).id });
  assert.equal(a.status, 201);
  const omar = await a.json();
  assert.equal(a.headers.get('location'), `/api/people/${omar.id}`);
  assert.equal(omar.has_password, false);
  assert.equal((await signIn(srv.url, 'omar@example.org', 'anything-at-all-1')).status, 401);
});

test('an administrator edits a person; a person may fix their own name but not their email', async () => {
  const nia = await personNamed('Nia Cole');
  const form = await html(who.admin, `/people/${nia.id}/edit`);
  assert.match(form, /value="Nia Cole"/);
  assert.match(form, /id="email" name="email"/);
  const r = await post(who.admin, `/people/${nia.id}`, { name: 'Nia Cole-Baptiste', email: 'nia@example.org' });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/people/${nia.id}?ok=saved`);
  const after = await json(who.admin, `/api/people/${nia.id}`);
  assert.equal(after.name, 'Nia Cole-Baptiste');
  assert.equal(after.email, 'nia@example.org');

  const self = await session('nia@example.org', 'counting-by-tens-42');
  const own = await html(self, `/people/${nia.id}/edit`);
  assert.doesNotMatch(own, /id="email" name="email"/, 'no email field for oneself');
  const renamed = await api(self, 'PATCH', `/api/people/${nia.id}`, { name: 'Nia C. Baptiste' });
  assert.equal(renamed.status, 200);
  assert.equal((await renamed.json()).name, 'Nia C. Baptiste');
  const formName = await post(self, `/people/${nia.id}`, { name: 'Nia Baptiste' });
  assert.equal(formName.status, 303);
  const email = await api(self, 'PATCH', `/api/people/${nia.id}`, { email: 'mine@example.org' });
  assert.equal(email.status, 403);
  assert.equal((await email.json()).error.field, 'email');
  const colleague = await personNamed('Tom Becker');
  assert.equal((await api(self, 'PATCH', `/api/people/${colleague.id}`, { name: 'Tom' })).status, 403);
  assert.equal((await json(who.admin, `/api/people/${nia.id}`)).email, 'nia@example.org');
  assert.equal((await json(who.admin, `/api/people/${colleague.id}`)).name, 'Tom Becker');
});

test('roles are granted and revoked, through the page and the API', async () => {
  const nia = await personNamed('Nia Baptiste');
  const cedar = await orgNamed('Cedar Ridge Elementary School');
  const district = await orgNamed('Prairie Glen School District 41');
  const r = await post(who.admin, `/people/${nia.id}/roles`, { role: 'teacher', org_id: String(cedar.id) });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/people/${nia.id}?ok=role-added`);
  let p = await json(who.admin, `/api/people/${nia.id}`);
  assert.deepEqual(p.roles.map((x) => x.org_name).sort(), ['Cedar Ridge Elementary School', 'Meadowbrook Elementary School']);
  const cedarRole = p.roles.find((x) => x.org_id === cedar.id);
  const shown = await html(who.admin, `/people/${nia.id}?ok=role-added`);
  assert.match(shown, /Role added\./);
  assert.match(shown, new RegExp(`action="/people/${nia.id}/roles/${cedarRole.id}/remove"`));

  const a = await api(who.admin, 'POST', `/api/people/${nia.id}/roles`, { role: 'coach', org_id: district.id });
  assert.equal(a.status, 201);
  p = await a.json();
  assert.equal(p.roles.length, 3);
  const coachRole = p.roles.find((x) => x.role === 'coach');
  const again = await api(who.admin, 'POST', `/api/people/${nia.id}/roles`, { role: 'coach', org_id: district.id });
  assert.equal(again.status, 400);
  assert.equal((await again.json()).error.field, 'role', 'a role held already');

  const del = await api(who.admin, 'DELETE', `/api/people/${nia.id}/roles/${coachRole.id}`);
  assert.equal(del.status, 200);
  assert.equal((await del.json()).roles.length, 2);
  const rm = await post(who.admin, `/people/${nia.id}/roles/${cedarRole.id}/remove`);
  assert.equal(rm.status, 303);
  assert.equal(rm.headers.get('location'), `/people/${nia.id}?ok=role-removed`);
  p = await json(who.admin, `/api/people/${nia.id}`);
  assert.deepEqual(p.roles.map((x) => x.org_name), ['Meadowbrook Elementary School']);
  const revoked = await auditOf('role.revoke');
  assert.ok(revoked.some((e) => e.object_id === cedarRole.id));
  assert.ok(revoked.some((e) => e.object_id === coachRole.id));

  // A revoked role can be granted again.
  const back = await api(who.admin, 'POST', `/api/people/${nia.id}/roles`, { role: 'coach', org_id: district.id });
  assert.equal(back.status, 201);
  assert.equal((await back.json()).roles.length, 2);

  // The only role stays: without one nobody could see the person.
  const only = await personNamed('Omar Diaz');
  const last = await api(who.admin, 'DELETE', `/api/people/${only.id}/roles/${only.roles[0].id}`);
  assert.equal(last.status, 409);
  assert.equal((await last.json()).error.code, 'last_role');
  assert.equal((await json(who.admin, `/api/people/${only.id}`)).roles.length, 1);
  const gone = await api(who.admin, 'DELETE', `/api/people/${nia.id}/roles/999999`);
  assert.equal(gone.status, 404);
});

test('an administrator cannot remove their own last administrator role nor deactivate themselves', async () => {
  const admin = await personNamed('Alex Admin');
  const school = await orgNamed('Meadowbrook Elementary School');
  const adminRole = admin.roles.find((x) => x.role === 'admin');
  // Nobody grants themselves a role; the installation's operator gives the
  // administrator a second one from the command line.
  const mine = await api(who.admin, 'POST', `/api/people/${admin.id}/roles`, { role: 'coach', org_id: school.id });
  assert.equal(mine.status, 403, await mine.text());
  const extra = run(['user', 'add', 'admin@example.org', '--role', 'coach', '--org', String(school.id), '--db', srv.db]);
  assert.equal(extra.code, 0, extra.stderr);
  const shown = await html(who.admin, `/people/${admin.id}`);
  assert.doesNotMatch(shown, new RegExp(`/roles/${adminRole.id}/remove`), 'no button for it');
  assert.doesNotMatch(shown, /\/deactivate"/, 'no deactivate button on one\'s own page');
  const r = await api(who.admin, 'DELETE', `/api/people/${admin.id}/roles/${adminRole.id}`);
  assert.equal(r.status, 409);
  assert.equal((await r.json()).error.code, 'last_admin_role');
  const f = await post(who.admin, `/people/${admin.id}/roles/${adminRole.id}/remove`);
  assert.equal(f.status, 409);
  assert.match(await f.text(), /last administrator role/);
  const self = await api(who.admin, 'POST', `/api/people/${admin.id}/deactivate`);
  assert.equal(self.status, 409);
  assert.equal((await self.json()).error.code, 'self');
  const after = await json(who.admin, `/api/people/${admin.id}`);
  assert.equal(after.active, true);
  assert.ok(after.roles.some((x) => x.role === 'admin'));
  const coach = after.roles.find((x) => x.role === 'coach');
  assert.equal((await api(who.admin, 'DELETE', `/api/people/${admin.id}/roles/${coach.id}`)).status, 200);
});

test('deactivating signs a person out and keeps them out; the record stays; reactivating lets them back', async () => {
  const nia = await personNamed('Nia Baptiste');
  const hers = await session('nia@example.org', 'counting-by-tens-42');
  assert.equal((await api(hers, 'GET', '/api/people')).status, 200);
  // Her calendar feed address, made before she leaves.
  const made = await post(hers, '/account/calendar-feed');
  const feedUrl = (await made.text()).match(/id="feed-url"[^>]*value="([^"]+)"/)[1];
  assert.equal((await fetch(feedUrl)).status, 200);
  const r = await post(who.admin, `/people/${nia.id}/deactivate`);
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/people/${nia.id}?ok=deactivated`);
  assert.equal((await api(hers, 'GET', '/api/people')).status, 401, 'her session ended');
  const attempt = await signIn(srv.url, 'nia@example.org', 'counting-by-tens-42');
  assert.equal(attempt.status, 403);
  assert.equal(attempt.cookie, null);

  const shown = await html(who.admin, `/people/${nia.id}?ok=deactivated`);
  assert.match(shown, /<dt>Status<\/dt><dd>Deactivated<\/dd>/);
  assert.match(shown, /Deactivated\./);
  assert.match(shown, new RegExp(`action="/people/${nia.id}/reactivate"`));
  const active = (await json(who.admin, '/api/people?q=nia')).people;
  assert.equal(active.length, 0, 'not among the active people');
  const all = (await json(who.admin, '/api/people?q=nia&inactive=1')).people;
  assert.deepEqual(all.map((p) => [p.name, p.active]), [['Nia Baptiste', false]]);
  assert.match(await html(who.admin, '/people?q=nia&inactive=1'), /Nia Baptiste[\s\S]*Deactivated/);
  assert.ok((await auditOf('person.deactivate')).some((e) => e.object_id === nia.id));

  const back = await api(who.admin, 'POST', `/api/people/${nia.id}/reactivate`);
  assert.equal(back.status, 200);
  assert.equal((await back.json()).active, true);
  assert.equal((await signIn(srv.url, 'nia@example.org', 'counting-by-tens-42')).status, 303);
  assert.ok((await auditOf('person.reactivate')).some((e) => e.object_id === nia.id));
  // Nothing she held before comes back with her: she signs in afresh.
  assert.equal((await api(hers, 'GET', '/api/people')).status, 401, 'not her old session');
  assert.equal((await fetch(feedUrl)).status, 404, 'not her old calendar feed');
});

test('bad input is 400 naming the field, and nothing is written', async () => {
  const school = await orgNamed('Meadowbrook Elementary School');
  const district = await orgNamed('Prairie Glen School District 41');
  const tom = await personNamed('Tom Becker');
  const before = await snapshot();
  const good = { name: 'Quinn Adler', email: 'quinn@example.org', role: 'teacher', org_id: school.id };
  const cases = [
    [{ ...good, name: '' }, 'name'],
    [{ ...good, name: 'q'.repeat(10 * 1024) }, 'name'],
    [{ ...good, name: 'Quinn\u0007Adler' }, 'name'],
    [{ ...good, email: 'quinn' }, 'email'],
    [{ ...good, email: 'quinn@example' }, 'email'],
    [{ ...good, email: '' }, 'email'],
    [{ ...good, email: 'TEACHER@Example.ORG' }, 'email'],
    [{ ...good, role: 'janitor' }, 'role'],
    [{ ...good, role: '' }, 'role'],
    [{ ...good, org_id: null }, 'org_id'],
    [{ ...good, org_id: 999999 }, 'org_id'],
    [{ ...good, org_id: 'three' }, 'org_id'],
    [{ ...good, org_id: district.id }, 'org_id'],
    [{ ...good, password: 'short' }, 'password'],
    [{ ...good, password: 'aaaaaaaaaaaa' }, 'password'],
    [{ ...good, nickname: 'Q' }, 'nickname'],
  ];
  for (const [body, field] of cases) {
    const r = await api(who.admin, 'POST', '/api/people', body);
    assert.equal(r.status, 400, JSON.stringify(body).slice(0, 100));
    const e = (await r.json()).error;
    assert.equal(e.code, 'invalid');
    assert.equal(e.field, field, `${JSON.stringify(body).slice(0, 100)} -> ${JSON.stringify(e).slice(0, 200)}`);
  }
  for (const [body, field] of [[{ name: '' }, 'name'], [{ email: 'no at sign' }, 'email'],
    [{ email: 'PRINCIPAL@example.org' }, 'email'], [{ name: 'x'.repeat(201) }, 'name'], [{ id: 3 }, 'id']]) {
    const r = await api(who.admin, 'PATCH', `/api/people/${tom.id}`, body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal((await r.json()).error.field, field);
  }
  const roleBad = await api(who.admin, 'POST', `/api/people/${tom.id}/roles`, { role: 'principal', org_id: district.id });
  assert.equal(roleBad.status, 400);
  assert.equal((await roleBad.json()).error.field, 'org_id');
  const roleUnknown = await api(who.admin, 'POST', `/api/people/${tom.id}/roles`, { role: 'dean', org_id: school.id });
  assert.equal((await roleUnknown.json()).error.field, 'role');

  // The form: 400, errors beside their fields, what was typed kept, the
  // password never sent back.
  const r = await post(who.admin, '/people', {
    name: '', email: 'quinn@example.org', role: 'janitor', org_id: String(school.id), password: 'secret-but-short',
  });
  assert.equal(r.status, 400);
  const body = await r.text();
  assert.match(body, /<span class="field-error" id="name-error">Enter a name\.<\/span>/);
  assert.match(body, /<input type="text" id="name" name="name" required aria-invalid="true"/);
  assert.match(body, /id="role-error">Choose one of the roles/);
  assert.match(body, /value="quinn@example\.org"/, 'the email typed is kept');
  assert.match(body, new RegExp(`<option value="${school.id}" selected>`), 'the org chosen is kept');
  assert.doesNotMatch(body, /secret-but-short/, 'the password is never shown again');
  const dup = await post(who.admin, '/people', { ...good, org_id: String(school.id), email: 'Teacher@example.org' });
  assert.equal(dup.status, 400);
  assert.match(await dup.text(), /id="email-error">Someone already has this email address/);
  const edit = await post(who.admin, `/people/${tom.id}`, { name: '', email: 'tom' });
  assert.equal(edit.status, 400);
  const editBody = await edit.text();
  assert.match(editBody, /id="name-error">/);
  assert.match(editBody, /id="email-error">/);
  const roleForm = await post(who.admin, `/people/${tom.id}/roles`, { role: 'teacher', org_id: String(district.id) });
  assert.equal(roleForm.status, 400);
  assert.match(await roleForm.text(), /id="org_id-error">A teacher holds the role at a school\./);

  assert.equal(await snapshot(), before, 'nobody was added or changed, and nothing was logged');
});

test('the list searches, filters and refuses bad filters', async () => {
  const school = await orgNamed('Meadowbrook Elementary School');
  const district = await orgNamed('Prairie Glen School District 41');
  const byEmail = (await json(who.admin, '/api/people?q=TEACHER2@')).people.map((p) => p.name);
  assert.deepEqual(byEmail, ['Grace Liu']);
  const principals = (await json(who.admin, `/api/people?org=${district.id}&role=principal`)).people.map((p) => p.name);
  assert.deepEqual(principals.sort(), ['Paul Novak', 'Priya Raman', 'Samuel Okafor']);
  const atSchool = (await json(who.admin, `/api/people?org=${school.id}`)).people;
  assert.ok(atSchool.every((p) => p.roles.some((r) => r.org_id === school.id)));
  assert.ok(atSchool.length >= 9);
  for (const [q, field] of [['role=dean', 'role'], ['org=x', 'org'], ['page=0', 'page'], [`q=${'a'.repeat(201)}`, 'q']]) {
    const r = await api(who.admin, 'GET', `/api/people?${q}`);
    assert.equal(r.status, 400, q);
    assert.equal((await r.json()).error.field, field);
    assert.equal((await page(who.admin, `/people?${q}`)).status, 400, q);
  }
  const html1 = await html(who.admin, `/people?org=${school.id}&role=teacher`);
  assert.match(html1, new RegExp(`<option value="${school.id}" selected>`));
  assert.match(html1, /<option value="teacher" selected>/);
  assert.doesNotMatch(html1, /rel="(prev|next)"/, 'one page needs no pager');
  // A later page links back with the same filters.
  const second = await html(who.admin, '/people?page=2&q=a%20b&role=teacher&inactive=1');
  assert.match(second, /href="\/people\?page=1&amp;q=a%20b&amp;role=teacher&amp;inactive=1" rel="prev"/);
  assert.match(second, /No one matches\./);
  assert.equal((await json(who.admin, '/api/people?page=2')).people.length, 0);
});

test('each demo role sees the people its place allows', async () => {
  const admin = await names(who.admin);
  for (const n of ['Alex Admin', 'Dana Whitfield', 'Tom Becker', 'Ivan Petrov', 'Kim Sorensen', 'Paul Novak']) assert.ok(admin.includes(n), `admin sees ${n}`);
  assert.ok(!admin.includes('Carmen Ortiz'), 'the district administrator does not see partner staff');

  const lead = await names(who.lead);
  for (const n of ['Tom Becker', 'Priya Raman', 'Ivan Petrov', 'Samuel Okafor', 'Alex Admin', 'Kim Sorensen']) assert.ok(lead.includes(n), `lead sees ${n}`);
  assert.ok(!lead.includes('Carmen Ortiz') && !lead.includes('Jamal Reed'), 'lead does not see partner people');

  const principal = await names(who.principal);
  assert.ok(principal.includes('Tom Becker') && principal.includes('Grace Liu') && principal.includes('Nora Fitzgerald'));
  for (const n of ['Ivan Petrov', 'Dana Whitfield', 'Alex Admin', 'Carmen Ortiz', 'Paul Novak']) assert.ok(!principal.includes(n), `principal does not see ${n}`);

  const teacher = await names(who.teacher);
  assert.deepEqual(teacher, principal, 'a teacher sees the same colleagues: the people at the school');

  // The partner coach works in the district through its agreement: the
  // partner's people and the district's, and nobody else's.
  const coach = await names(who.coach);
  for (const n of ['Carmen Ortiz', 'Jamal Reed', 'Tom Becker', 'Ivan Petrov']) assert.ok(coach.includes(n), `coach sees ${n}`);

  // Someone out of sight is not found at all.
  const ivan = await personNamed('Ivan Petrov');
  assert.equal((await page(who.principal, `/people/${ivan.id}`)).status, 404);
  assert.equal((await api(who.teacher, 'GET', `/api/people/${ivan.id}`)).status, 404);
  assert.equal((await api(who.coach, 'GET', `/api/people/${ivan.id}`)).status, 200);
  assert.equal((await api(who.lead, 'GET', `/api/people/${ivan.id}`)).status, 200);
});

test('only administrators see the controls', async () => {
  const tom = await personNamed('Tom Becker');
  const admin = await html(who.admin, `/people/${tom.id}`);
  assert.match(admin, new RegExp(`href="/people/${tom.id}/edit"`));
  assert.match(admin, new RegExp(`action="/people/${tom.id}/deactivate"`));
  assert.match(admin, new RegExp(`action="/people/${tom.id}/roles"`));
  for (const name of ['lead', 'principal', 'teacher']) {
    const list = await html(who[name], '/people');
    assert.match(list, /Tom Becker/, name);
    assert.doesNotMatch(list, /Add a person/, name);
    const one = await html(who[name], `/people/${tom.id}`);
    assert.doesNotMatch(one, /\/deactivate"|\/remove"/, name);
    // A district leader gives the district-leader role, and only that one.
    if (name === 'lead') {
      assert.match(one, new RegExp(`action="/people/${tom.id}/roles"`), name);
      assert.match(one, /<option value="district_leader">/, name);
      assert.doesNotMatch(one, /<option value="teacher">/, name);
    } else {
      assert.doesNotMatch(one, /\/roles"/, name);
    }
    if (name !== 'teacher') assert.doesNotMatch(one, /\/edit"/, name);
    assert.equal((await page(who[name], '/people/new')).status, 403, name);
  }
  const own = await html(who.teacher, `/people/${tom.id}`);
  assert.match(own, new RegExp(`href="/people/${tom.id}/edit"`), 'Tom may edit his own name');
  assert.match(own, /<h2>Teams<\/h2>\s*<ul>\s*<li><a href="\/teams\/\d+">G3<\/a>/);
});

test('everyone but an administrator gets 403 on writes, and nothing changes', async () => {
  const school = await orgNamed('Meadowbrook Elementary School');
  const grace = await personNamed('Grace Liu');
  const before = await snapshot();
  for (const name of ['lead', 'principal', 'coach', 'teacher']) {
    const s = who[name];
    const body = { name: `By ${name}`, email: `by-${name}@example.org`, role: 'teacher', org_id: school.id };
    assert.equal((await post(s, '/people', { ...body, org_id: String(school.id) })).status, 403, `${name} POST /people`);
    const a = await api(s, 'POST', '/api/people', body);
    assert.equal(a.status, 403, `${name} POST /api/people`);
    assert.equal((await a.json()).error.code, 'forbidden');
    const hidden = 403;
    assert.equal((await post(s, `/people/${grace.id}`, { name: 'Renamed' })).status, hidden, `${name} edit`);
    assert.equal((await api(s, 'PATCH', `/api/people/${grace.id}`, { name: 'Renamed' })).status, hidden, `${name} PATCH`);
    assert.equal((await post(s, `/people/${grace.id}/deactivate`)).status, hidden, `${name} deactivate`);
    assert.equal((await api(s, 'POST', `/api/people/${grace.id}/deactivate`)).status, hidden, `${name} API deactivate`);
    assert.equal((await api(s, 'POST', `/api/people/${grace.id}/reactivate`)).status, hidden, `${name} reactivate`);
    assert.equal((await post(s, `/people/${grace.id}/roles`, { role: 'coach', org_id: String(school.id) })).status, hidden, `${name} grant`);
    assert.equal((await api(s, 'POST', `/api/people/${grace.id}/roles`, { role: 'coach', org_id: school.id })).status, hidden, `${name} API grant`);
    assert.equal((await api(s, 'DELETE', `/api/people/${grace.id}/roles/${grace.roles[0].id}`)).status, hidden, `${name} revoke`);
    assert.equal((await post(s, `/people/${grace.id}/roles/${grace.roles[0].id}/remove`)).status, hidden, `${name} remove`);
  }
  assert.equal(await snapshot(), before);
});

test('a cookie POST without its CSRF token is 403 and changes nothing', async () => {
  const school = await orgNamed('Meadowbrook Elementary School');
  const grace = await personNamed('Grace Liu');
  const before = await snapshot();
  const body = { name: 'No Token', email: 'no-token@example.org', role: 'teacher', org_id: String(school.id) };
  assert.equal((await post(who.admin, '/people', body, { csrf: false })).status, 403);
  assert.equal((await post(who.admin, `/people/${grace.id}/deactivate`, { csrf: 'forged' }, { csrf: false })).status, 403);
  assert.equal((await post(who.admin, `/people/${grace.id}/roles`, { role: 'coach', org_id: String(school.id) }, { csrf: false })).status, 403);
  const a = await api(who.admin, 'POST', '/api/people', { ...body, org_id: school.id }, { csrf: false });
  assert.equal(a.status, 403);
  assert.equal((await a.json()).error.code, 'csrf');
  assert.equal((await api(who.admin, 'POST', `/api/people/${grace.id}/deactivate`, undefined, { csrf: false })).status, 403);
  assert.equal((await api(who.admin, 'DELETE', `/api/people/${grace.id}/roles/${grace.roles[0].id}`, undefined, { csrf: false })).status, 403);
  assert.equal(await snapshot(), before);
  assert.equal((await json(who.admin, `/api/people/${grace.id}`)).active, true);
});
