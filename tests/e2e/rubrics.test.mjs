// Frameworks and rubrics end to end through the real server (SQLite, or
// PostgreSQL with COACHD_BACKEND=postgres): the built-ins and the demo
// district's own rubric in two versions; a district leader builds a rubric
// through the API and through the builder's pages; bad input answers 400
// naming the problem and writes nothing; principals and teachers read but
// may not write; another district's leader finds nothing; an edit of an
// unused rubric keeps its version, and once a walk uses it an edit writes
// the next version and leaves the old one as it was; a copy of TRU; retiring and bringing
// back; built-ins never change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { serverForFile, demoClient, run, signIn, backend } from './lib.mjs';

const srv = serverForFile();
const { as, request, api, page, post, orgId } = demoClient(srv);

const plainText = (html) => html.replace(/<[^>]+>/g, ' ').replace(/&#39;|&#x27;/g, "'").replace(/\s+/g, ' ');

async function rubricNamed(who, name) {
  const r = await api(who, 'GET', '/api/rubrics');
  assert.equal(r.status, 200, r.text);
  return r.json.rubrics.find((x) => x.name === name);
}

const DISTRICT = 'Prairie Glen School District 41';

async function walkTool(name, extra = {}) {
  return {
    name,
    org_id: await orgId(DISTRICT),
    description: 'What our walkers look for.',
    scale: { min: 1, max: 4 },
    levels: [{ level: 1, label: 'Not yet', descriptor: 'Little seen.' }, { level: 4, label: 'Strong' }],
    indicators: [
      { code: 'TRU2', name: 'Cognitive demand', levels: [{ level: 4, descriptor: 'Students wrestle with the idea.' }] },
      { code: 'TRU3', name: 'Equitable access' },
      { code: 'PG1', name: 'Student discourse', description: 'Students talk mathematics.' },
    ],
    look_fors: [{ indicator_code: 'PG1', text: 'Students explain their reasoning to a peer' }, { indicator_code: null, text: 'Multiple representations displayed' }],
    ...extra,
  };
}

async function rubricCount() {
  const r = await api('lead', 'GET', '/api/rubrics');
  return r.json.rubrics.length;
}

test('a new install has the three frameworks; the demo district has its own walk rubric in two versions', async () => {
  const r = await api('teacher', 'GET', '/api/rubrics');
  assert.equal(r.status, 200, r.text);
  const keys = r.json.rubrics.filter((x) => x.builtin_key).map((x) => x.builtin_key).sort();
  assert.deepEqual(keys, ['mp', 'tp', 'tru']);
  assert.equal(r.json.rubrics[0].org_id, null, 'built-ins come first');
  const tru = r.json.rubrics.find((x) => x.builtin_key === 'tru');
  const full = await api('teacher', 'GET', `/api/rubrics/${tru.id}`);
  assert.equal(full.status, 200);
  assert.deepEqual(full.json.scale, { min: 1, max: 3 });
  assert.deepEqual(full.json.indicators.map((i) => i.code), ['TRU1', 'TRU2', 'TRU3', 'TRU4', 'TRU5']);
  assert.deepEqual(full.json.levels.map((l) => l.label), ['Not yet', 'Emerging', 'Strong']);

  const walk = r.json.rubrics.find((x) => x.name === 'Prairie Glen math walk');
  assert.ok(walk, 'the demo rubric is listed');
  assert.equal(walk.version, 2);
  const v2 = await api('teacher', 'GET', `/api/rubrics/${walk.id}`);
  assert.equal(v2.json.version, 2);
  assert.deepEqual(v2.json.scale, { min: 1, max: 4 });
  for (const code of ['TRU2', 'TRU3', 'TRU4', 'PG1']) assert.ok(v2.json.indicators.some((i) => i.code === code), code);
  assert.ok(v2.json.look_fors.length >= 4 && v2.json.look_fors.length <= 6);
  const v1 = await api('teacher', 'GET', `/api/rubrics/${walk.id}/versions/1`);
  assert.equal(v1.status, 200, v1.text);
  assert.equal(v1.json.version, 1);
  assert.equal(v1.json.current, false);
  assert.ok(v1.json.indicators.length < v2.json.indicators.length, 'version 1 is as it was');
  assert.equal((await api('teacher', 'GET', `/api/rubrics/${walk.id}/versions/3`)).status, 404);

  const shown = await page('teacher', `/rubrics/${walk.id}`);
  assert.equal(shown.status, 200);
  const text = plainText(shown.text);
  assert.match(text, /Version 2 \(current\)/);
  assert.match(text, /Students explain their reasoning to a peer/);
  assert.match(shown.text, new RegExp(`href="/rubrics/${walk.id}/versions/1"`));
  const old = await page('teacher', `/rubrics/${walk.id}/versions/1`);
  assert.equal(old.status, 200);
  assert.match(plainText(old.text), /This is version 1, kept as it was/);
});

test('a district leader builds a rubric through the API', async () => {
  const body = await walkTool('Discourse walk');
  const r = await api('lead', 'POST', '/api/rubrics', body);
  assert.equal(r.status, 201, r.text);
  const j = r.json;
  assert.equal(j.name, 'Discourse walk');
  assert.equal(j.org_id, body.org_id);
  assert.equal(j.builtin_key, null);
  assert.equal(j.version, 1);
  assert.ok(j.version_id > 0);
  assert.deepEqual(j.scale, { min: 1, max: 4 });
  assert.deepEqual(j.levels.map((l) => [l.level, l.label]), [[1, 'Not yet'], [2, null], [3, null], [4, 'Strong']]);
  assert.deepEqual(j.indicators.map((i) => i.code), ['TRU2', 'TRU3', 'PG1']);
  assert.deepEqual(j.indicators[0].levels, [{ level: 4, descriptor: 'Students wrestle with the idea.' }]);
  assert.equal(j.indicators[2].description, 'Students talk mathematics.');
  assert.equal(j.look_fors[0].indicator_code, 'PG1');
  assert.equal(j.look_fors[1].indicator_code, null);
  assert.ok(j.indicators.every((i) => i.id > 0) && j.look_fors.every((l) => l.id > 0));
  const listed = await rubricNamed('lead', 'Discourse walk');
  assert.equal(listed.version, 1);
  assert.equal(listed.indicators, 3);

  // The whole page shows it: scale, indicators with what each level looks like, look-fors.
  const shown = await page('lead', `/rubrics/${j.id}`);
  assert.equal(shown.status, 200);
  const text = plainText(shown.text);
  assert.match(text, /Students wrestle with the idea\./);
  assert.match(text, /Students explain their reasoning to a peer ?\( ?PG1 Student discourse ?\)/);
  assert.match(text, /Multiple representations displayed ?\( ?the whole lesson ?\)/);
  assert.match(shown.text, new RegExp(`href="/rubrics/${j.id}/edit"`));
});

test('bad input answers 400 naming the problem, and writes nothing', async () => {
  const before = await rubricCount();
  const base = await walkTool('Bad one');
  const cases = [
    [{ indicators: [...base.indicators, { code: 'TRU2', name: 'Again' }] }, 'indicators', /Indicator 4: the code “TRU2” appears twice/],
    [{ indicators: [{ code: 'TRU 2', name: 'Spaced' }] }, 'indicators', /“TRU 2” is not a code/],
    [{ indicators: [] }, 'indicators', /at least one indicator/],
    [{ scale: { min: 1, max: 12 } }, 'scale', /2 to 10 points; 1 to 12 has 12/],
    [{ scale: { min: 4, max: 4 } }, 'scale', /must be above its bottom/],
    [{ scale: { min: 1 } }, 'scale', /scale must be/],
    [{ levels: [{ level: 7, label: 'High' }] }, 'levels', /level 7 is not on the scale 1 to 4/],
    [{ levels: [{ level: 2, label: 'x'.repeat(61) }] }, 'levels', /longer than 60 characters/],
    [{ name: '' }, 'name', /Give the rubric a name/],
    [{ look_fors: [{ indicator_code: 'PG9', text: 'Where?' }] }, 'look_fors', /Look-for 1: there is no indicator “PG9”/],
    [{ indicators: [{ code: 'A', name: 'a', levels: [{ level: 9, descriptor: 'far' }] }] }, 'descriptors', /Indicator 1 \(A\): level 9 is not on the scale/],
    [{ org_id: null }, 'org_id', /org_id/],
    [{ colour: 'blue' }, 'colour', /not one this address takes/],
  ];
  for (const [change, field, message] of cases) {
    const r = await api('lead', 'POST', '/api/rubrics', { ...base, ...change });
    assert.equal(r.status, 400, `${JSON.stringify(change)}: ${r.text}`);
    assert.equal(r.json.error.code, 'invalid');
    assert.ok(field in r.json.error.fields, `${field} named: ${r.text}`);
    assert.match(r.json.error.message + JSON.stringify(r.json.error.fields), message);
  }
  const notJson = await request('POST', '/api/rubrics', { cookie: (await as('lead')).cookie, csrf: (await as('lead')).csrf });
  assert.equal(notJson.status, 400);
  assert.equal(await rubricCount(), before, 'nothing was written');

  // The builder's page keeps what was typed and names the line.
  const f = await post('lead', '/rubrics', {
    name: 'Typed walk', org_id: String(base.org_id), scale_min: '1', scale_max: '4', levels: '1 | Low\n',
    indicators: 'TRU2 | Cognitive demand\nPG1\n', descriptors: '', look_fors: 'Students explain',
  });
  assert.equal(f.status, 400);
  assert.match(f.text, /Line 2 of the indicators: write CODE \| Name \| Description\./);
  assert.match(f.text, /<textarea[^>]*name="indicators"[^>]*>TRU2 \| Cognitive demand\nPG1\n<\/textarea>/);
  assert.match(f.text, /value="Typed walk"/);
  const scale = await post('lead', '/rubrics', {
    name: 'Typed walk', org_id: String(base.org_id), scale_min: 'one', scale_max: '4', indicators: 'A | a',
  });
  assert.equal(scale.status, 400);
  assert.match(scale.text, /Write the lowest level as a whole number/);
  assert.equal(await rubricCount(), before, 'nothing was written');
});

test('principals and teachers read rubrics but may not write them', async () => {
  const mine = await rubricNamed('lead', 'Discourse walk');
  const body = await walkTool('Discourse walk');
  for (const who of ['principal', 'teacher']) {
    assert.equal((await api(who, 'GET', `/api/rubrics/${mine.id}`)).status, 200, who);
    const shown = await page(who, `/rubrics/${mine.id}`);
    assert.equal(shown.status, 200, who);
    assert.doesNotMatch(shown.text, /\/edit"|\/retire"|Make a copy/, `${who} sees no write buttons`);
    assert.equal((await page(who, '/rubrics')).status, 200);
    const put = await api(who, 'PUT', `/api/rubrics/${mine.id}`, body);
    assert.equal(put.status, 403, `${who}: ${put.text}`);
    assert.equal((await api(who, 'POST', '/api/rubrics', { ...body, name: 'Mine' })).status, 403, who);
    assert.equal((await api(who, 'POST', `/api/rubrics/${mine.id}/retire`)).status, 403, who);
    assert.equal((await api(who, 'POST', `/api/rubrics/${mine.id}/copy`, { org_id: body.org_id })).status, 403, who);
    assert.equal((await page(who, `/rubrics/${mine.id}/edit`)).status, 403, who);
    assert.equal((await page(who, '/rubrics/new')).status, 403, who);
    assert.equal((await post(who, `/rubrics/${mine.id}`, { name: 'x' })).status, 403, who);
  }
  assert.equal((await api('lead', 'GET', `/api/rubrics/${mine.id}`)).json.name, 'Discourse walk');
  // Without the CSRF token, even its writer is refused.
  const lead = await as('lead');
  const noToken = await request('PUT', `/api/rubrics/${mine.id}`, { cookie: lead.cookie, json: body });
  assert.equal(noToken.status, 403);
});

test("another district's leader finds nothing of this district's rubrics", async () => {
  const admin = await as('admin');
  const d = await request('POST', '/api/orgs', { cookie: admin.cookie, csrf: admin.csrf, json: { kind: 'district', name: 'Riverbend Unified' } });
  assert.equal(d.status, 201, d.text);
  const add = run(['user', 'add', '--db', srv.db, 'ruth@riverbend.example.org', '--name', 'Ruth Okoye', '--role', 'district_leader',
    '--org', 'Riverbend Unified', '--password-stdin'], { input: 'riverbend-rubrics-42\n' });
  assert.equal(add.code, 0, add.stderr);
  const s = await signIn(srv.url, 'ruth@riverbend.example.org', 'riverbend-rubrics-42');
  assert.equal(s.status, 303);
  const me = await request('GET', '/api/me', { cookie: s.cookie });
  const ruth = { cookie: s.cookie, csrf: me.json.csrf };
  const mine = await rubricNamed('lead', 'Discourse walk');
  assert.equal((await request('GET', `/api/rubrics/${mine.id}`, { cookie: ruth.cookie })).status, 404);
  assert.equal((await request('GET', `/rubrics/${mine.id}`, { cookie: ruth.cookie })).status, 404);
  assert.equal((await request('GET', `/api/rubrics/${mine.id}/versions/1`, { cookie: ruth.cookie })).status, 404);
  const put = await request('PUT', `/api/rubrics/${mine.id}`, { ...ruth, json: await walkTool('Taken') });
  assert.equal(put.status, 404);
  assert.equal((await request('POST', `/api/rubrics/${mine.id}/copy`, { ...ruth, json: { org_id: d.json.id } })).status, 404);
  const list = await request('GET', '/api/rubrics', { cookie: ruth.cookie });
  assert.equal(list.status, 200);
  assert.deepEqual(list.json.rubrics.map((x) => x.builtin_key).sort(), ['mp', 'tp', 'tru'], 'only the built-ins');
  // She may not write rubrics for Prairie Glen, but may for her own district.
  const theirs = await request('POST', '/api/rubrics', { ...ruth, json: await walkTool('Not hers') });
  assert.equal(theirs.status, 403, theirs.text);
  const own = await request('POST', '/api/rubrics', { ...ruth, json: { ...(await walkTool('Riverbend walk')), org_id: d.json.id } });
  assert.equal(own.status, 201, own.text);
  assert.equal((await api('lead', 'GET', `/api/rubrics/${own.json.id}`)).status, 404, 'and Prairie Glen cannot see it');
});

test('an edit of a rubric nothing uses keeps its version; codes it drops are named', async () => {
  const mine = await rubricNamed('lead', 'Discourse walk');
  const body = await walkTool('Discourse walk, reworded');
  body.indicators = body.indicators.filter((i) => i.code !== 'TRU3');
  body.indicators[1].name = 'Students talk mathematics';
  const r = await api('lead', 'PUT', `/api/rubrics/${mine.id}`, body);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.version, 1);
  assert.equal(r.json.version_id, mine.version_id);
  assert.equal(r.json.new_version, false);
  assert.equal(r.json.changed, true);
  assert.deepEqual(r.json.removed_codes, ['TRU3']);
  const now = await api('lead', 'GET', `/api/rubrics/${mine.id}`);
  assert.equal(now.json.name, 'Discourse walk, reworded');
  assert.deepEqual(now.json.indicators.map((i) => i.code), ['TRU2', 'PG1']);
  assert.equal((await api('lead', 'GET', `/api/rubrics/${mine.id}/versions/2`)).status, 404, 'no second version');

  // What GET answers, less its ids, saves back unchanged.
  const round = now.json;
  const back = await api('lead', 'PUT', `/api/rubrics/${mine.id}`, {
    name: round.name, description: round.description, scale: round.scale, levels: round.levels,
    indicators: round.indicators.map(({ id, ...rest }) => rest), look_fors: round.look_fors.map(({ id, ...rest }) => rest),
  });
  assert.equal(back.status, 200, back.text);
  assert.equal(back.json.changed, false);
  // The same content again changes nothing.
  const same = await api('lead', 'PUT', `/api/rubrics/${mine.id}`, body);
  assert.equal(same.json.changed, false);
  // The rubric stays with its district; a bad save writes nothing.
  const moved = await api('lead', 'PUT', `/api/rubrics/${mine.id}`, { ...body, org_id: await orgId('Meadowbrook Elementary School') });
  assert.equal(moved.status, 400);
  const bad = await api('lead', 'PUT', `/api/rubrics/${mine.id}`, { ...body, indicators: [{ code: 'X', name: '' }] });
  assert.equal(bad.status, 400);
  assert.match(bad.json.error.message, /Indicator 1 \(X\): give it a name/);
  assert.deepEqual((await api('lead', 'GET', `/api/rubrics/${mine.id}`)).json.indicators.map((i) => i.code), ['TRU2', 'PG1']);

  // Through the builder: the form says what saving does, then says it was saved.
  const form = await page('lead', `/rubrics/${mine.id}/edit`);
  assert.equal(form.status, 200);
  assert.match(plainText(form.text), /Nothing uses version 1 yet: saving changes it in place\./);
  const fields = {
    name: 'Discourse walk', description: '', scale_min: '1', scale_max: '4', levels: '1 | Not yet\n4 | Strong\n',
    indicators: 'TRU2 | Cognitive demand\nPG1 | Student discourse | Students talk mathematics.\n',
    descriptors: 'TRU2 | 4 | Students wrestle with the idea.\n', look_fors: 'PG1 | Students explain their reasoning to a peer\n',
  };
  const saved = await post('lead', `/rubrics/${mine.id}`, fields);
  assert.equal(saved.status, 303, saved.text);
  assert.equal(saved.location, `/rubrics/${mine.id}?ok=rubric-saved`);
  const after = await page('lead', saved.location);
  assert.match(after.text, /<p>Saved\.<\/p>/);
  assert.match(plainText(after.text), /Version 1 \(current\)/);
  const unchanged = await post('lead', `/rubrics/${mine.id}`, fields);
  assert.equal(unchanged.location, `/rubrics/${mine.id}?ok=rubric-unchanged`);
});

// A walk that uses a version, written straight into the database: walks
// have pages of their own; here only their use of the version matters.
function sql(statement) {
  if (backend === 'postgres') return execFileSync('psql', [srv.db, '-qAt', '-c', statement], { encoding: 'utf8' }).trim();
  return execFileSync('sqlite3', [srv.db, statement], { encoding: 'utf8' }).trim();
}

test('once a walk uses a version, an edit writes the next one and the walk keeps its own', async () => {
  const made = await api('lead', 'POST', '/api/rubrics', await walkTool('Walked rubric'));
  assert.equal(made.status, 201, made.text);
  const v1 = made.json;
  const school = await orgId('Meadowbrook Elementary School');
  const lead = (await as('lead')).id;
  sql(`INSERT INTO walk (district_id, school_id, rubric_version_id, walked_on, created_by, created_at, updated_at) `
    + `VALUES (${v1.org_id}, ${school}, ${v1.version_id}, '2026-10-07', ${lead}, 1, 1)`);

  const form = await page('lead', `/rubrics/${v1.id}/edit`);
  assert.match(plainText(form.text), /Version 1 is used by 1 walk: saving writes version 2, and they keep version 1\./);
  const saved = await post('lead', `/rubrics/${v1.id}`, {
    name: 'Walked rubric', description: 'What our walkers look for.', scale_min: '1', scale_max: '4',
    levels: '1 | Not yet | Little seen.\n4 | Strong\n',
    indicators: 'TRU2 | Cognitive demand\nPG1 | Student discourse | Students talk mathematics.\n',
    descriptors: 'TRU2 | 4 | Students wrestle with the central idea.\n', look_fors: 'PG1 | Students explain their reasoning to a peer\n',
  });
  assert.equal(saved.status, 303, saved.text);
  assert.equal(saved.location, `/rubrics/${v1.id}?ok=rubric-versioned`);
  const shown = await page('lead', saved.location);
  const text = plainText(shown.text);
  assert.match(text, /Saved as version 2: version 1 is used by 1 walk and stays as it was\./);
  assert.match(text, /Not in version 2: TRU3 \(from version 1\)/);
  assert.match(text, /Version 1 1 walk|Version 1 .* 1 walk/);

  const now = (await api('lead', 'GET', `/api/rubrics/${v1.id}`)).json;
  assert.equal(now.version, 2);
  assert.notEqual(now.version_id, v1.version_id);
  assert.equal(now.indicators[0].levels[0].descriptor, 'Students wrestle with the central idea.');
  const old = (await api('lead', 'GET', `/api/rubrics/${v1.id}/versions/1`)).json;
  assert.equal(old.version_id, v1.version_id);
  assert.deepEqual(old.indicators, v1.indicators, 'version 1 is exactly as it was, ids too');
  assert.deepEqual(old.look_fors, v1.look_fors);
  assert.equal(Number(sql(`SELECT rubric_version_id FROM walk WHERE rubric_version_id = ${v1.version_id}`)), v1.version_id);

  // Version 2 is not used yet: the API's save changes it in place.
  const put = await api('lead', 'PUT', `/api/rubrics/${v1.id}`, await walkTool('Walked rubric'));
  assert.equal(put.status, 200, put.text);
  assert.equal(put.json.new_version, false);
  assert.equal(put.json.version, 2);
  assert.equal(put.json.version_id, now.version_id);
  assert.deepEqual(put.json.removed_codes, []);
});

test('a district copies TRU to write its own descriptors', async () => {
  const tru = (await api('lead', 'GET', '/api/rubrics')).json.rubrics.find((x) => x.builtin_key === 'tru');
  const district = await orgId(DISTRICT);
  const r = await api('lead', 'POST', `/api/rubrics/${tru.id}/copy`, { org_id: district });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.name, `Teaching for Robust Understanding (TRU) (${DISTRICT})`);
  assert.equal(r.json.org_id, district);
  assert.equal(r.json.builtin_key, null);
  assert.equal(r.json.version, 1);
  assert.deepEqual(r.json.indicators.map((i) => i.code), ['TRU1', 'TRU2', 'TRU3', 'TRU4', 'TRU5']);
  assert.deepEqual(r.json.scale, { min: 1, max: 3 });
  // Its own descriptors go into the copy; the built-in stays as it was.
  const body = {
    name: 'TRU, our words', scale: r.json.scale,
    levels: r.json.levels.map(({ level, label, descriptor }) => ({ level, label, descriptor })),
    indicators: r.json.indicators.map(({ code, name, description }) => ({ code, name, description, levels: code === 'TRU2' ? [{ level: 3, descriptor: 'Our own words.' }] : [] })),
    look_fors: [],
  };
  const put = await api('lead', 'PUT', `/api/rubrics/${r.json.id}`, body);
  assert.equal(put.status, 200, put.text);
  assert.equal((await api('lead', 'GET', `/api/rubrics/${r.json.id}`)).json.indicators[1].levels[0].descriptor, 'Our own words.');
  assert.deepEqual((await api('lead', 'GET', `/api/rubrics/${tru.id}`)).json.indicators[1].levels, []);
  const named = await api('lead', 'POST', `/api/rubrics/${tru.id}/copy`, { org_id: district, name: 'TRU walk' });
  assert.equal(named.json.name, 'TRU walk');
  assert.equal((await api('lead', 'POST', `/api/rubrics/${tru.id}/copy`, {})).status, 400);

  // The page offers the copy as a button, and lands on the copy.
  const shown = await page('lead', `/rubrics/${tru.id}`);
  assert.match(shown.text, new RegExp(`Make a copy for ${DISTRICT}`));
  assert.doesNotMatch(shown.text, /\/edit"/, 'a built-in has no edit button');
  const copied = await post('lead', `/rubrics/${tru.id}/copy`, { org_id: String(district) });
  assert.equal(copied.status, 303);
  assert.match(copied.location, /^\/rubrics\/\d+\?ok=rubric-copied$/);
  assert.match((await page('lead', copied.location)).text, /This copy is yours: edit it to write your own descriptors\./);
});

test('built-in frameworks never change', async () => {
  const tru = (await api('lead', 'GET', '/api/rubrics')).json.rubrics.find((x) => x.builtin_key === 'tru');
  const full = (await api('lead', 'GET', `/api/rubrics/${tru.id}`)).json;
  for (const who of ['lead', 'admin']) {
    const put = await api(who, 'PUT', `/api/rubrics/${tru.id}`, { name: 'Mine now', scale: full.scale, indicators: [{ code: 'X', name: 'x' }] });
    assert.equal(put.status, 403, put.text);
    assert.match(put.json.error.message, /make a copy/);
    assert.equal((await api(who, 'POST', `/api/rubrics/${tru.id}/retire`)).status, 403);
    assert.equal((await page(who, `/rubrics/${tru.id}/edit`)).status, 403);
    assert.equal((await post(who, `/rubrics/${tru.id}`, { name: 'x' })).status, 403);
  }
  assert.deepEqual((await api('lead', 'GET', `/api/rubrics/${tru.id}`)).json, full);
});

test('a retired rubric is listed only for those who may bring it back', async () => {
  const mine = await rubricNamed('lead', 'Discourse walk');
  const r = await api('lead', 'POST', `/api/rubrics/${mine.id}/retire`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.active, false);
  assert.equal((await api('lead', 'POST', `/api/rubrics/${mine.id}/retire`)).status, 409);
  assert.equal(await rubricNamed('teacher', 'Discourse walk'), undefined, 'teachers are not offered it');
  assert.equal((await api('teacher', 'GET', `/api/rubrics/${mine.id}`)).status, 200, 'its versions keep working');
  const listed = await rubricNamed('lead', 'Discourse walk');
  assert.equal(listed.active, false);
  const list = await page('lead', '/rubrics');
  assert.match(plainText(list.text), /Discourse walk .*Retired/);
  const shown = await page('lead', `/rubrics/${mine.id}`);
  assert.match(shown.text, /Bring the rubric back/);
  const back = await post('lead', `/rubrics/${mine.id}/restore`);
  assert.equal(back.status, 303);
  assert.equal(back.location, `/rubrics/${mine.id}?ok=rubric-restored`);
  assert.equal((await rubricNamed('teacher', 'Discourse walk')).active, true);
  assert.equal((await api('lead', 'POST', `/api/rubrics/${mine.id}/restore`)).status, 409);
  const page2 = await post('lead', `/rubrics/${mine.id}/retire`);
  assert.equal(page2.location, `/rubrics/${mine.id}?ok=rubric-retired`);
  assert.equal((await api('lead', 'POST', `/api/rubrics/${mine.id}/restore`)).status, 200);
});

test('the builder makes a rubric from its pages', async () => {
  const form = await page('lead', '/rubrics/new');
  assert.equal(form.status, 200);
  for (const name of ['name', 'org_id', 'scale_min', 'scale_max', 'levels', 'indicators', 'descriptors', 'look_fors'])
    assert.match(form.text, new RegExp(`<label for="${name}">`), name);
  const r = await post('lead', '/rubrics', {
    name: 'Number talk walk', org_id: String(await orgId(DISTRICT)), description: 'For number talks.', scale_min: '0', scale_max: '2',
    levels: '0 | Absent\n1 | Some\n2 | Throughout | Most students, most of the time\n',
    indicators: 'NT1 | Mental strategies | Students compute in their heads.\nNT2 | Strategies shared\n',
    descriptors: 'NT1 | 2 | Several strategies compared.\n', look_fors: 'NT2 | A strategy is named after a student\nWait time\n',
  });
  assert.equal(r.status, 303, r.text);
  assert.match(r.location, /^\/rubrics\/\d+\?ok=rubric-created$/);
  const id = Number(r.location.match(/\/rubrics\/(\d+)/)[1]);
  const j = (await api('lead', 'GET', `/api/rubrics/${id}`)).json;
  assert.deepEqual(j.scale, { min: 0, max: 2 });
  assert.deepEqual(j.levels.map((l) => l.label), ['Absent', 'Some', 'Throughout']);
  assert.equal(j.indicators[0].levels[0].descriptor, 'Several strategies compared.');
  assert.deepEqual(j.look_fors.map((l) => l.indicator_code), ['NT2', null]);
  const edit = await page('lead', `/rubrics/${id}/edit`);
  assert.match(edit.text, /<textarea[^>]*name="descriptors"[^>]*>NT1 \| 2 \| Several strategies compared\.\n<\/textarea>/);
});
