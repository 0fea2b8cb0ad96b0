// Administering organizations through the real server: every page and API
// route needs sign-in; an administrator creates a school and a district with
// its context, edits, and deactivates (not while a district has schools);
// bad input is 400 naming the field with nothing written; other roles read
// the directory but get no controls and 403 on writes; CSRF is required.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverForFile, formSession, sessionClient } from './lib.mjs';

const who = {};
const srv = serverForFile({
  ready: async () => {
    for (const name of ['admin', 'lead', 'principal', 'coach', 'teacher']) who[name] = await session(`${name}@example.org`);
  },
});
const session = (email, password) => formSession(srv.url, email, password);
const { page, html, post, api, json } = sessionClient(srv);
// Everything the administrator can see of the organizations, to show that
// a refused request wrote nothing.
const snapshot = async () => JSON.stringify((await json(who.admin, '/api/orgs')).orgs);
const orgNamed = async (name) => (await json(who.admin, '/api/orgs')).orgs.find((o) => o.name === name);
const idFrom = (res) => Number(res.headers.get('location').match(/\/orgs\/(\d+)/)[1]);

test('signed out: pages redirect to sign-in, the API answers 401', async () => {
  for (const path of ['/orgs', '/orgs/new', '/orgs/1', '/orgs/1/edit']) {
    const r = await page(null, path);
    assert.equal(r.status, 303, path);
    assert.equal(r.headers.get('location'), `/signin?next=${encodeURIComponent(path)}`, path);
  }
  for (const [method, path] of [['GET', '/api/orgs'], ['GET', '/api/orgs/1'], ['POST', '/api/orgs'],
    ['PATCH', '/api/orgs/1'], ['POST', '/api/orgs/1/deactivate']]) {
    const r = await fetch(srv.url + path, { method, headers: { 'content-type': 'application/json' }, body: method === 'GET' ? undefined : '{}' });
    assert.equal(r.status, 401, `${method} ${path}`);
    assert.equal((await r.json()).error.code, 'signin_required');
  }
  const form = await fetch(`${srv.url}/orgs`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'kind=partner&name=Sneaky',
  });
  assert.equal(form.status, 303);
  assert.match(form.headers.get('location'), /^\/signin\?next=/);
  assert.ok(!(await orgNamed('Sneaky')), 'nothing was created');
});

test('the demo district reads with its context labels, from the stored codes', async () => {
  const district = await orgNamed('Prairie Glen School District 41');
  assert.equal(district.size_band, '2500-10000');
  assert.equal(district.size_band_label, '2,500–10,000 students');
  assert.equal(district.district_type, 'suburban');
  assert.equal(district.flag_ell, true);
  assert.equal(district.flag_econ, false);
  const one = await json(who.admin, `/api/orgs/${district.id}`);
  assert.equal(one.schools.length, 3);
  const body = await html(who.admin, `/orgs/${district.id}`);
  assert.match(body, /<dt>District type<\/dt><dd>Suburban<\/dd>/);
  assert.match(body, /2,500–10,000 students/);
  assert.match(body, /More than 20 % English learners/);
  assert.doesNotMatch(body, /economically disadvantaged/);
  assert.match(body, /<h2>Schools<\/h2>/);
  assert.match(body, /<dt>People<\/dt><dd><a href="\/people\?org=\d+">\d+<\/a>/);
});

test('an administrator creates a school in the district through the form', async () => {
  const district = await orgNamed('Prairie Glen School District 41');
  const list = await html(who.admin, '/orgs');
  assert.match(list, /href="\/orgs\/new">New organization</);
  const form = await html(who.admin, `/orgs/new?kind=school&parent_id=${district.id}`);
  assert.match(form, /<option value="school" selected>/);
  assert.match(form, new RegExp(`<option value="${district.id}" selected>`));
  const r = await post(who.admin, '/orgs', { kind: 'school', name: '  Willow Creek Elementary  ', parent_id: String(district.id) });
  assert.equal(r.status, 303);
  assert.match(r.headers.get('location'), /^\/orgs\/\d+\?ok=created$/);
  const id = idFrom(r);
  const shown = await html(who.admin, r.headers.get('location'));
  assert.match(shown, /<h1>Willow Creek Elementary<\/h1>/, 'the name is trimmed');
  assert.match(shown, /Created\./);
  assert.match(shown, new RegExp(`<dt>Part of</dt><dd><a href="/orgs/${district.id}">Prairie Glen School District 41</a>`));
  const school = await json(who.admin, `/api/orgs/${id}`);
  assert.equal(school.kind, 'school');
  assert.equal(school.parent_id, district.id);
  assert.equal(school.active, true);
  assert.equal((await json(who.admin, `/api/orgs/${district.id}`)).schools.length, 4);
  const audit = await json(who.admin, '/api/audit?action=org.create');
  assert.ok(audit.entries.some((e) => e.object_id === id && e.kind === 'org' && e.district_id === district.id),
    JSON.stringify(audit.entries));
});

test('an administrator creates a district with the context partners report', async () => {
  const r = await api(who.admin, 'POST', '/api/orgs', {
    kind: 'district', name: 'Riverbend Unified', district_type: 'urban', size_band: 'over-100000',
    flag_ell: true, flag_swd: false, flag_econ: true, flag_soc: true,
  });
  const body = await r.json();
  assert.equal(r.status, 201, JSON.stringify(body));
  assert.equal(r.headers.get('location'), `/api/orgs/${body.id}`);
  assert.equal(body.kind, 'district');
  assert.equal(body.parent_id, null);
  assert.equal(body.district_type_label, 'Urban');
  assert.equal(body.size_band_label, 'More than 100,000 students');
  assert.deepEqual([body.flag_ell, body.flag_swd, body.flag_econ, body.flag_soc], [true, false, true, true]);
  const shown = await html(who.admin, `/orgs/${body.id}`);
  assert.match(shown, /<dd>Urban<\/dd>/);
  assert.match(shown, /More than 100,000 students/);
  assert.match(shown, /More than 80 % students of color/);
  assert.doesNotMatch(shown, /students with disabilities/);
  assert.match(await html(who.admin, '/orgs?kind=district'), /Riverbend Unified/);

  // The form takes the same: a second district, with a size band and one flag.
  const f = await post(who.admin, '/orgs', { kind: 'district', name: 'Lakeview Rural Schools', district_type: 'rural', size_band: 'under-2500', flag_swd: '1' });
  assert.equal(f.status, 303);
  const lakeview = await json(who.admin, `/api/orgs/${idFrom(f)}`);
  assert.equal(lakeview.size_band, 'under-2500');
  assert.deepEqual([lakeview.flag_ell, lakeview.flag_swd], [false, true]);
});

test('an administrator edits a district: the form saves the context, unchecked flags clear', async () => {
  const district = await orgNamed('Prairie Glen School District 41');
  const form = await html(who.admin, `/orgs/${district.id}/edit`);
  assert.match(form, /<option value="suburban" selected>/);
  assert.match(form, /id="flag_ell" name="flag_ell" value="1" checked/);
  const r = await post(who.admin, `/orgs/${district.id}`, {
    name: 'Prairie Glen School District 41', district_type: 'traditional', size_band: '10001-50000', flag_swd: '1',
  });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/orgs/${district.id}?ok=saved`);
  const after = await json(who.admin, `/api/orgs/${district.id}`);
  assert.equal(after.district_type, 'traditional');
  assert.equal(after.size_band, '10001-50000');
  assert.deepEqual([after.flag_ell, after.flag_swd, after.flag_econ, after.flag_soc], [false, true, false, false]);
  assert.equal(after.schools.length >= 3, true, 'its schools stay');
  assert.match(await html(who.admin, `/orgs/${district.id}?ok=saved`), /Saved\./);
});

test('PATCH changes only what it names', async () => {
  const school = await orgNamed('Willow Creek Elementary');
  const r = await api(who.admin, 'PATCH', `/api/orgs/${school.id}`, { name: 'Willow Creek Elementary School' });
  assert.equal(r.status, 200);
  const body = await r.json();
  assert.equal(body.name, 'Willow Creek Elementary School');
  assert.equal(body.parent_id, school.parent_id, 'the district stays');
  const same = await api(who.admin, 'PATCH', `/api/orgs/${school.id}`, { kind: 'school' });
  assert.equal(same.status, 200, 'naming the same kind is fine');
  const audit = await json(who.admin, '/api/audit?action=org.update');
  assert.ok(audit.entries.some((e) => e.object_id === school.id));
});

test('a district with active schools is not deactivated, and the answer says why', async () => {
  const district = await orgNamed('Prairie Glen School District 41');
  const pageView = await html(who.admin, `/orgs/${district.id}`);
  assert.doesNotMatch(pageView, /action="\/orgs\/\d+\/deactivate"/, 'no button while it has schools');
  assert.match(pageView, /first deactivate its \d+ active schools/);
  const r = await post(who.admin, `/orgs/${district.id}/deactivate`);
  assert.equal(r.status, 409);
  assert.match(await r.text(), /still has \d+ active schools/);
  const a = await api(who.admin, 'POST', `/api/orgs/${district.id}/deactivate`);
  assert.equal(a.status, 409);
  const e = (await a.json()).error;
  assert.equal(e.code, 'has_schools');
  assert.equal((await json(who.admin, `/api/orgs/${district.id}`)).active, true);
});

test('an administrator deactivates a school: it leaves the lists, its page says so', async () => {
  const school = await orgNamed('Willow Creek Elementary School');
  assert.match(await html(who.admin, `/orgs/${school.id}`), new RegExp(`action="/orgs/${school.id}/deactivate"`));
  const r = await post(who.admin, `/orgs/${school.id}/deactivate`);
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/orgs/${school.id}?ok=deactivated`);
  const shown = await html(who.admin, r.headers.get('location'));
  assert.match(shown, /<dt>Status<\/dt><dd>Deactivated<\/dd>/);
  assert.match(shown, /Deactivated\./);
  assert.doesNotMatch(shown, /\/deactivate"/, 'no second button');
  assert.equal((await json(who.admin, `/api/orgs/${school.id}`)).active, false);
  assert.ok(!(await orgNamed('Willow Creek Elementary School')), 'gone from the list');
  const again = await api(who.admin, 'POST', `/api/orgs/${school.id}/deactivate`);
  assert.equal(again.status, 200, 'a second deactivation changes nothing and is not an error');
  const audit = await json(who.admin, '/api/audit?action=org.deactivate');
  assert.equal(audit.entries.filter((e) => e.object_id === school.id).length, 1);
});

test('bad input is 400 naming the field, and nothing is written', async () => {
  const district = await orgNamed('Prairie Glen School District 41');
  const school = await orgNamed('Meadowbrook Elementary School');
  const beforeList = await snapshot();
  const long = 'x'.repeat(10 * 1024);
  const cases = [
    [{ kind: 'school', name: '', parent_id: district.id }, 'name'],
    [{ kind: 'school', name: long, parent_id: district.id }, 'name'],
    [{ kind: 'school', name: 'Orphan School' }, 'parent_id'],
    [{ kind: 'school', name: 'Under A School', parent_id: school.id }, 'parent_id'],
    [{ kind: 'school', name: 'Nowhere School', parent_id: 999999 }, 'parent_id'],
    [{ kind: 'district', name: 'Child District', parent_id: district.id }, 'parent_id'],
    [{ kind: 'district', name: 'County District', district_type: 'county' }, 'district_type'],
    [{ kind: 'district', name: 'Sized District', size_band: '2500' }, 'size_band'],
    [{ kind: 'school', name: 'Flagged School', parent_id: district.id, flag_ell: true }, 'flag_ell'],
    [{ kind: 'partner', name: 'Typed Partner', district_type: 'urban' }, 'district_type'],
    [{ kind: 'county', name: 'A County' }, 'kind'],
    [{ kind: 'partner', name: 'Typo Partner', nmae: 'x' }, 'nmae'],
    [{ kind: 'partner', name: 42 }, 'name'],
    [{ kind: 'district', name: 'Flag District', flag_soc: 'yes' }, 'flag_soc'],
  ];
  for (const [body, field] of cases) {
    const r = await api(who.admin, 'POST', '/api/orgs', body);
    assert.equal(r.status, 400, `${JSON.stringify(body).slice(0, 80)}`);
    const e = (await r.json()).error;
    assert.equal(e.code, 'invalid');
    assert.equal(e.field, field, JSON.stringify(e).slice(0, 300));
    assert.ok(e.message.length > 0);
  }
  const badJson = await api(who.admin, 'POST', '/api/orgs', '{"kind": "partner", ');
  assert.equal(badJson.status, 400);
  assert.equal((await badJson.json()).error.code, 'bad_json');
  const kindChange = await api(who.admin, 'PATCH', `/api/orgs/${school.id}`, { kind: 'district' });
  assert.equal(kindChange.status, 400);
  assert.equal((await kindChange.json()).error.field, 'kind');
  const noName = await api(who.admin, 'PATCH', `/api/orgs/${school.id}`, { name: '  ' });
  assert.equal((await noName.json()).error.field, 'name');

  // The form: 400, the error beside its field, what was typed kept.
  const r = await post(who.admin, '/orgs', { kind: 'school', name: 'Brookside Elementary' });
  assert.equal(r.status, 400);
  const body = await r.text();
  assert.match(body, /<span class="field-error" id="parent_id-error">A school needs the district it belongs to\.<\/span>/);
  assert.match(body, /<select id="parent_id" name="parent_id" aria-invalid="true"/);
  assert.match(body, /value="Brookside Elementary"/);
  assert.match(body, /<option value="school" selected>/);
  assert.match(body, /role="alert"/);
  const tooLong = await post(who.admin, '/orgs', { kind: 'partner', name: long });
  assert.equal(tooLong.status, 400);
  assert.match(await tooLong.text(), /id="name-error">The name is longer than 200 characters\./);
  const edit = await post(who.admin, `/orgs/${district.id}`, { name: '', size_band: 'huge' });
  assert.equal(edit.status, 400);
  const editBody = await edit.text();
  assert.match(editBody, /id="name-error">Enter a name\./);
  assert.match(editBody, /id="size_band-error">Choose one of the size bands\./);

  assert.equal(await snapshot(), beforeList, 'no organization was created or changed');
  const audit = await json(who.admin, '/api/audit?action=org.');
  assert.ok(!audit.entries.some((e) => /Orphan|Brookside|County|Typo/.test(e.detail || '')));
});

test('everyone signed in reads the directory; only administrators see controls', async () => {
  const district = await orgNamed('Prairie Glen School District 41');
  for (const name of ['lead', 'principal', 'coach', 'teacher']) {
    const list = await html(who[name], '/orgs');
    assert.match(list, /Meadowbrook Elementary School/, name);
    assert.match(list, /Lakeshore Mathematics Collaborative/, name);
    assert.doesNotMatch(list, /New organization/, name);
    const one = await html(who[name], `/orgs/${district.id}`);
    assert.doesNotMatch(one, /\/edit"|Add a school|\/deactivate"/, name);
    assert.equal((await page(who[name], '/orgs/new')).status, 403, name);
    assert.equal((await page(who[name], `/orgs/${district.id}/edit`)).status, 403, name);
    const api1 = await json(who[name], `/api/orgs/${district.id}`);
    assert.equal(api1.name, district.name, name);
  }
  const admin = await html(who.admin, `/orgs/${district.id}`);
  assert.match(admin, new RegExp(`href="/orgs/${district.id}/edit"`));
  assert.match(admin, /Add a school/);
});

test('other roles get 403 on every write, and nothing changes', async () => {
  const district = await orgNamed('Prairie Glen School District 41');
  const school = await orgNamed('Cedar Ridge Elementary School');
  const beforeList = await snapshot();
  for (const name of ['lead', 'principal', 'coach', 'teacher']) {
    const s = who[name];
    const form = await post(s, '/orgs', { kind: 'school', name: `By ${name}`, parent_id: String(district.id) });
    assert.equal(form.status, 403, `${name} POST /orgs`);
    const created = await api(s, 'POST', '/api/orgs', { kind: 'school', name: `By ${name}`, parent_id: district.id });
    assert.equal(created.status, 403, `${name} POST /api/orgs`);
    assert.equal((await created.json()).error.code, 'forbidden');
    assert.equal((await post(s, `/orgs/${school.id}`, { name: 'Renamed' })).status, 403, `${name} edit`);
    assert.equal((await api(s, 'PATCH', `/api/orgs/${school.id}`, { name: 'Renamed' })).status, 403, `${name} PATCH`);
    assert.equal((await post(s, `/orgs/${school.id}/deactivate`)).status, 403, `${name} deactivate`);
    assert.equal((await api(s, 'POST', `/api/orgs/${school.id}/deactivate`)).status, 403, `${name} API deactivate`);
  }
  assert.equal(await snapshot(), beforeList);
});

test('a cookie POST without its CSRF token is 403 and changes nothing', async () => {
  const school = await orgNamed('Cedar Ridge Elementary School');
  const beforeList = await snapshot();
  const form = await post(who.admin, '/orgs', { kind: 'partner', name: 'No Token Partner' }, { csrf: false });
  assert.equal(form.status, 403);
  const forged = await post(who.admin, `/orgs/${school.id}/deactivate`, { csrf: 'not-the-token' }, { csrf: false });
  assert.equal(forged.status, 403);
  const a = await api(who.admin, 'POST', '/api/orgs', { kind: 'partner', name: 'No Token Partner' }, { csrf: false });
  assert.equal(a.status, 403);
  assert.equal((await a.json()).error.code, 'csrf');
  const p = await api(who.admin, 'PATCH', `/api/orgs/${school.id}`, { name: 'No Token' }, { csrf: false });
  assert.equal(p.status, 403);
  assert.equal(await snapshot(), beforeList);
});
