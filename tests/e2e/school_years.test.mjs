// School years and terms end to end through the real server (SQLite, or
// PostgreSQL with COACHD_BACKEND=postgres): the district leader's new year
// and its terms, overlapping years and terms, terms outside their year,
// dates that are not days, who may see and change years, CSRF, signed-out
// visitors, and the audit entries. The demo already has 2025–2026
// (2025-08-18 to 2026-06-05, terms Fall and Spring).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverForFile, demoClient } from './lib.mjs';

const srv = serverForFile();
const { request, as } = demoClient(srv);
// A signed-in cookie, its CSRF token and person id, one per demo account.

async function years() {
  const { cookie } = await as('lead');
  const r = await request('GET', '/api/school-years', { cookie });
  assert.equal(r.status, 200, r.text);
  return r.json.school_years;
}

async function year(id) {
  const { cookie } = await as('lead');
  const r = await request('GET', `/api/school-years/${id}`, { cookie });
  assert.equal(r.status, 200, r.text);
  return r.json;
}

let district; // the demo district's id
let next;     // 2026–2027, made by the district leader

test('signed out: pages send to sign-in, the API answers 401', async () => {
  const page = await request('GET', '/school-years');
  assert.equal(page.status, 303);
  assert.match(page.location, /^\/signin\?next=%2Fschool-years$/);
  const api = await request('GET', '/api/school-years');
  assert.equal(api.status, 401);
  const post = await request('POST', '/api/school-years',
    { json: { name: 'x', district_id: 1, starts_on: '2030-08-01', ends_on: '2031-06-01' } });
  assert.equal(post.status, 401);
});

test("the demo's year is listed for everyone in the district", async () => {
  const list = await years();
  assert.equal(list.length, 1);
  assert.equal(list[0].name, '2025–2026');
  assert.equal(list[0].term_count, 2);
  district = list[0].district_id;
  for (const who of ['principal', 'teacher']) {
    const { cookie } = await as(who);
    const r = await request('GET', '/api/school-years', { cookie });
    assert.deepEqual(r.json.school_years.map((y) => y.name), ['2025–2026'], who);
    const page = await request('GET', '/school-years', { cookie });
    assert.match(page.text, /<a href="\/school-years\/\d+">2025–2026<\/a>/);
    assert.doesNotMatch(page.text, /New school year/, `${who} may not create years`);
  }
  // The partner coach works in the district through the partner's
  // agreement with it: the district's school years are theirs to see, not
  // to change.
  const partner = await as('coach');
  const seen = await request('GET', '/api/school-years', { cookie: partner.cookie });
  assert.deepEqual(seen.json.school_years.map((y) => y.name), ['2025–2026']);
  assert.equal((await request('GET', `/api/school-years/${list[0].id}`, { cookie: partner.cookie })).status, 200);
  const change = await request('PATCH', `/api/school-years/${list[0].id}`, {
    cookie: partner.cookie, csrf: partner.csrf, json: { name: 'Renamed' },
  });
  assert.equal(change.status, 403);
});

test('the district leader creates 2026–2027 with two terms', async () => {
  const lead = await as('lead');
  const form = await request('GET', '/school-years/new', { cookie: lead.cookie });
  assert.equal(form.status, 200);
  assert.match(form.text, /<input type="date" id="starts_on" name="starts_on"/);
  const r = await request('POST', '/school-years', {
    cookie: lead.cookie,
    form: { csrf: lead.csrf, name: '2026–2027', district_id: district, starts_on: '2026-08-17', ends_on: '2027-06-04' },
  });
  assert.equal(r.status, 303, r.text.slice(0, 800));
  const m = r.location.match(/^\/school-years\/(\d+)\?ok=created$/);
  assert.ok(m, r.location);
  next = Number(m[1]);
  const fall = await request('POST', `/school-years/${next}/terms`, {
    cookie: lead.cookie, form: { csrf: lead.csrf, name: 'Fall', starts_on: '2026-08-17', ends_on: '2027-01-15' },
  });
  assert.equal(fall.status, 303);
  assert.equal(fall.location, `/school-years/${next}?ok=term-added`);
  const spring = await request('POST', `/api/school-years/${next}/terms`, {
    cookie: lead.cookie, csrf: lead.csrf, json: { name: 'Spring', starts_on: '2027-01-19', ends_on: '2027-06-04' },
  });
  assert.equal(spring.status, 201, spring.text);
  assert.deepEqual(spring.json.terms.map((t) => [t.name, t.starts_on, t.ends_on]),
    [['Fall', '2026-08-17', '2027-01-15'], ['Spring', '2027-01-19', '2027-06-04']]);
  const page = await request('GET', `/school-years/${next}`, { cookie: lead.cookie });
  assert.equal(page.status, 200);
  assert.match(page.text, /<h1>2026–2027<\/h1>/);
  assert.match(page.text, /<tr><td>Fall<\/td><td>2026-08-17<\/td><td>2027-01-15<\/td>/);
  assert.match(page.text, /<tr><td>Spring<\/td><td>2027-01-19<\/td><td>2027-06-04<\/td>/);
  assert.deepEqual((await years()).map((y) => y.name), ['2026–2027', '2025–2026'], 'newest first');
  const t = await as('teacher');
  const read = await request('GET', `/school-years/${next}`, { cookie: t.cookie });
  assert.equal(read.status, 200);
  assert.doesNotMatch(read.text, /Add a term/, 'a teacher reads the year but does not change it');
});

test('an overlapping year is a 400 naming starts_on, nothing written', async () => {
  const lead = await as('lead');
  const api = await request('POST', '/api/school-years', {
    cookie: lead.cookie, csrf: lead.csrf,
    json: { name: 'Overlap', district_id: district, starts_on: '2026-05-01', ends_on: '2027-05-01' },
  });
  assert.equal(api.status, 400, api.text);
  assert.equal(api.json.error.field, 'starts_on');
  assert.match(api.json.error.message, /overlaps 2025–2026/);
  const page = await request('POST', '/school-years', {
    cookie: lead.cookie,
    form: { csrf: lead.csrf, name: 'Overlap', district_id: district, starts_on: '2027-06-04', ends_on: '2028-06-01' },
  });
  assert.equal(page.status, 400);
  assert.match(page.text, /<span class="field-error" id="starts_on-error">This year overlaps 2026–2027/);
  assert.match(page.text, /value="Overlap"/, 'the form keeps what was typed');
  assert.equal((await years()).length, 2);
});

test('a year that ends before it starts, or on a day that is not one: 400 naming the field', async () => {
  const lead = await as('lead');
  const backwards = await request('POST', '/api/school-years', {
    cookie: lead.cookie, csrf: lead.csrf,
    json: { name: '2028–2029', district_id: district, starts_on: '2029-06-01', ends_on: '2028-08-14' },
  });
  assert.equal(backwards.status, 400);
  assert.equal(backwards.json.error.field, 'ends_on');
  const leap = await request('POST', '/api/school-years', {
    cookie: lead.cookie, csrf: lead.csrf,
    json: { name: '2028–2029', district_id: district, starts_on: '2028-08-14', ends_on: '2029-02-29' },
  });
  assert.equal(leap.status, 400);
  assert.equal(leap.json.error.field, 'ends_on');
  assert.match(leap.json.error.message, /February 2029 has 28 days/);
  const shape = await request('POST', '/api/school-years', {
    cookie: lead.cookie, csrf: lead.csrf,
    json: { name: '', district_id: district, starts_on: '14/08/2028', ends_on: '2029-06-01' },
  });
  assert.equal(shape.status, 400);
  assert.ok(shape.json.error.fields.name);
  assert.ok(shape.json.error.fields.starts_on);
  const noDistrict = await request('POST', '/api/school-years', {
    cookie: lead.cookie, csrf: lead.csrf,
    json: { name: '2028–2029', district_id: 'x', starts_on: '2028-08-14', ends_on: '2029-06-01' },
  });
  assert.equal(noDistrict.status, 400);
  assert.equal(noDistrict.json.error.field, 'district_id');
  const orgs = await request('GET', '/api/orgs?q=Meadowbrook', { cookie: lead.cookie });
  const meadowbrook = orgs.json.orgs.find((o) => o.kind === 'school').id;
  const school = await request('POST', '/api/school-years', {
    cookie: lead.cookie, csrf: lead.csrf,
    json: { name: '2028–2029', district_id: meadowbrook, starts_on: '2028-08-14', ends_on: '2029-06-01' },
  });
  assert.equal(school.status, 400, 'a school is not a district');
  assert.equal(school.json.error.field, 'district_id');
  // 2028 is a leap year: its 29 February is a day.
  const ok = await request('POST', '/api/school-years', {
    cookie: lead.cookie, csrf: lead.csrf,
    json: { name: 'Leap', district_id: district, starts_on: '2028-02-29', ends_on: '2028-06-30' },
  });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json.starts_on, '2028-02-29');
  const off = await request('POST', `/api/school-years/${ok.json.id}/deactivate`, { cookie: lead.cookie, csrf: lead.csrf });
  assert.equal(off.status, 200);
  assert.equal(off.json.active, false);
  assert.deepEqual((await years()).map((y) => y.name), ['2026–2027', '2025–2026']);
});

test('a term outside the year, overlapping another, or backwards: 400, nothing written', async () => {
  const lead = await as('lead');
  const outside = await request('POST', `/api/school-years/${next}/terms`, {
    cookie: lead.cookie, csrf: lead.csrf, json: { name: 'Summer', starts_on: '2027-06-14', ends_on: '2027-07-30' },
  });
  assert.equal(outside.status, 400, outside.text);
  assert.equal(outside.json.error.field, 'starts_on');
  assert.ok(outside.json.error.fields.ends_on);
  const spill = await request('POST', `/school-years/${next}/terms`, {
    cookie: lead.cookie, form: { csrf: lead.csrf, name: 'Late spring', starts_on: '2027-05-01', ends_on: '2027-06-11' },
  });
  assert.equal(spill.status, 400);
  assert.match(spill.text, /id="ends_on-error">The term must end by the last day of the school year, 2027-06-04\./);
  const overlap = await request('POST', `/api/school-years/${next}/terms`, {
    cookie: lead.cookie, csrf: lead.csrf, json: { name: 'Winter', starts_on: '2027-01-04', ends_on: '2027-02-26' },
  });
  assert.equal(overlap.status, 400);
  assert.equal(overlap.json.error.field, 'starts_on');
  assert.match(overlap.json.error.message, /overlaps Fall/);
  const backwards = await request('POST', `/api/school-years/${next}/terms`, {
    cookie: lead.cookie, csrf: lead.csrf, json: { name: 'Q', starts_on: '2027-03-01', ends_on: '2027-02-01' },
  });
  assert.equal(backwards.status, 400);
  assert.equal(backwards.json.error.field, 'ends_on');
  assert.equal((await year(next)).terms.length, 2);
});

test('who may change years: not a principal, not a teacher; CSRF is required', async () => {
  const lead = await as('lead');
  for (const who of ['principal', 'teacher']) {
    const s = await as(who);
    assert.equal((await request('GET', '/school-years/new', { cookie: s.cookie })).status, 403, who);
    const create = await request('POST', '/api/school-years', {
      cookie: s.cookie, csrf: s.csrf,
      json: { name: '2030–2031', district_id: district, starts_on: '2030-08-19', ends_on: '2031-06-06' },
    });
    assert.equal(create.status, 403, who);
    const term = await request('POST', `/api/school-years/${next}/terms`, {
      cookie: s.cookie, csrf: s.csrf, json: { name: 'Summer', starts_on: '2027-06-01', ends_on: '2027-06-04' },
    });
    assert.equal(term.status, 403, who);
  }
  const noCsrf = await request('POST', '/school-years', {
    cookie: lead.cookie, form: { name: '2030–2031', district_id: district, starts_on: '2030-08-19', ends_on: '2031-06-06' },
  });
  assert.equal(noCsrf.status, 403);
  const apiNoCsrf = await request('POST', '/api/school-years', {
    cookie: lead.cookie, json: { name: '2030–2031', district_id: district, starts_on: '2030-08-19', ends_on: '2031-06-06' },
  });
  assert.equal(apiNoCsrf.status, 403);
  assert.equal(apiNoCsrf.json.error.code, 'csrf');
  const fall = (await year(next)).terms[0];
  const removeNoCsrf = await request('POST', `/school-years/${next}/terms/${fall.id}/remove`, { cookie: lead.cookie, form: {} });
  assert.equal(removeNoCsrf.status, 403);
  assert.equal((await years()).length, 2);
  assert.equal((await year(next)).terms.length, 2);
});

test('editing a year keeps its terms inside; terms are removed; each change is audited', async () => {
  const lead = await as('lead');
  const edit = await request('GET', `/school-years/${next}/edit`, { cookie: lead.cookie });
  assert.equal(edit.status, 200);
  assert.match(edit.text, /value="2026-08-17"/);
  const shrink = await request('POST', `/school-years/${next}`, {
    cookie: lead.cookie, form: { csrf: lead.csrf, name: '2026–2027', starts_on: '2026-09-01', ends_on: '2027-06-04' },
  });
  assert.equal(shrink.status, 400);
  assert.match(shrink.text, /id="starts_on-error">The term Fall starts on 2026-08-17, before this date/);
  const overlap = await request('PATCH', `/api/school-years/${next}`, {
    cookie: lead.cookie, csrf: lead.csrf, json: { starts_on: '2026-06-01' },
  });
  assert.equal(overlap.status, 400);
  assert.equal(overlap.json.error.field, 'starts_on');
  const renamed = await request('PATCH', `/api/school-years/${next}`, {
    cookie: lead.cookie, csrf: lead.csrf, json: { name: 'SY 2026–27', ends_on: '2027-06-11' },
  });
  assert.equal(renamed.status, 200, renamed.text);
  assert.equal(renamed.json.name, 'SY 2026–27');
  assert.equal(renamed.json.starts_on, '2026-08-17');
  assert.equal(renamed.json.ends_on, '2027-06-11');
  const [fall, spring] = renamed.json.terms;
  const gone = await request('POST', `/school-years/${next}/terms/${fall.id}/remove`, { cookie: lead.cookie, form: { csrf: lead.csrf } });
  assert.equal(gone.status, 303);
  assert.equal(gone.location, `/school-years/${next}?ok=term-removed`);
  const del = await request('DELETE', `/api/school-years/${next}/terms/${spring.id}`, { cookie: lead.cookie, csrf: lead.csrf });
  assert.equal(del.status, 200);
  assert.deepEqual(del.json.terms, []);
  const again = await request('DELETE', `/api/school-years/${next}/terms/${spring.id}`, { cookie: lead.cookie, csrf: lead.csrf });
  assert.equal(again.status, 404);
  const demoYear = (await years()).find((y) => y.name === '2025–2026');
  const foreign = await request('DELETE', `/api/school-years/${next}/terms/${(await year(demoYear.id)).terms[0].id}`,
    { cookie: lead.cookie, csrf: lead.csrf });
  assert.equal(foreign.status, 404, "another year's term is not this year's");
  assert.equal((await year(demoYear.id)).terms.length, 2);

  const off = await request('POST', `/school-years/${next}/deactivate`, { cookie: lead.cookie, form: { csrf: lead.csrf } });
  assert.equal(off.status, 303);
  assert.equal(off.location, '/school-years?ok=deactivated');
  assert.deepEqual((await years()).map((y) => y.name), ['2025–2026']);
  const late = await request('POST', `/api/school-years/${next}/terms`, {
    cookie: lead.cookie, csrf: lead.csrf, json: { name: 'Fall', starts_on: '2026-08-17', ends_on: '2027-01-15' },
  });
  assert.equal(late.status, 409);
  // A deactivated year no longer holds its dates.
  const replace = await request('POST', '/api/school-years', {
    cookie: lead.cookie, csrf: lead.csrf,
    json: { name: '2026–2027', district_id: district, starts_on: '2026-08-24', ends_on: '2027-06-11' },
  });
  assert.equal(replace.status, 201, replace.text);

  const audit = await request('GET', '/api/audit?action=school_year.', { cookie: lead.cookie });
  assert.equal(audit.status, 200, audit.text);
  const mine = audit.json.entries.filter((e) => e.object_id === next).map((e) => e.action);
  assert.equal(mine.filter((a) => a === 'school_year.create').length, 1);
  assert.ok(mine.includes('school_year.deactivate'));
  // One update for the rename, two terms added and two removed.
  assert.equal(mine.filter((a) => a === 'school_year.update').length, 5, mine.join(','));
});
