// One text rule for every single-line field, by page and API alike: a name,
// a title, a purpose, a place or a unit with a control character, a line
// separator or a bidirectional override in it is 400 naming the field, and
// nothing is written; the same text without it is taken.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverForFile, demoClient, sqlRows } from './lib.mjs';

const srv = serverForFile();
const { as, api, post, orgId } = demoClient(srv);

// Each breaks one line in its own way.
const BAD = ['Bell\u0007title', 'Two\nlines', 'Escape \u001b[31mred', 'C1 \u0085next', 'Line\u2028sep', 'evil\u202Egnp.exe'];
const count = (table) => Number(sqlRows(srv, `SELECT COUNT(*) FROM ${table}`)[0][0]);

async function ids() {
  const lead = await as('lead');
  const engagements = (await api('lead', 'GET', '/api/engagements')).json.engagements;
  const rubrics = (await api('lead', 'GET', '/api/rubrics')).json.rubrics;
  return {
    lead,
    school: await orgId('Meadowbrook Elementary School'),
    district: await orgId('Prairie Glen School District 41'),
    engagement: engagements.find((e) => e.state === 'active'),
    tru: rubrics.find((r) => r.name.startsWith('Teaching for Robust')).id,
    teacher: (await as('teacher')).id,
  };
}

test('the API refuses a broken line in every single-line field, naming it, and writes nothing', async () => {
  const x = await ids();
  // [who, method, path, body builder, field, table]
  const cases = [
    ['lead', 'POST', '/api/sessions', (t) => ({ kind: 'pd_workshop', title: t, on_date: '2026-03-10', block: 'am', engagement_id: x.engagement.id }), 'title', 'pl_session'],
    ['lead', 'POST', '/api/sessions', (t) => ({ kind: 'pd_workshop', title: 'Fine', place: t, on_date: '2026-03-10', block: 'am', engagement_id: x.engagement.id }), 'place', 'pl_session'],
    ['lead', 'POST', '/api/engagements', (t) => ({ partner_id: x.engagement.partner_id, district_id: x.district, title: t, starts_on: '2026-07-01', ends_on: '2026-08-01' }), 'title', 'engagement'],
    ['lead', 'POST', `/api/engagements/${x.engagement.id}/lines`, (t) => ({ kind_id: 1, quantity: 1, unit_price: 1, unit: t }), 'unit', 'service_line'],
    ['lead', 'POST', '/api/walks', (t) => ({ school_id: x.school, walked_on: '2026-12-03', rubric_id: x.tru, walkers: [x.lead.id], purpose: t }), 'purpose', 'walk'],
    ['coach', 'POST', '/api/cycles', (t) => ({ kind: 'individual', title: t, school_id: x.school, teachers: [x.teacher] }), 'title', 'coaching_cycle'],
    ['lead', 'POST', '/api/teams', (t) => ({ name: t, kind: 'plc', org_id: x.school }), 'name', 'team'],
    ['admin', 'POST', '/api/people', (t) => ({ name: t, email: 'line@example.org', role: 'teacher', org_id: x.school }), 'name', 'person'],
    ['lead', 'POST', '/api/school-years', (t) => ({ district_id: x.district, name: t, starts_on: '2030-08-01', ends_on: '2031-06-30' }), 'name', 'school_year'],
    ['lead', 'POST', '/api/calibrations', (t) => ({ title: t, held_on: '2026-11-20', district_id: x.district, rubric_id: x.tru }), 'title', 'calibration'],
  ];
  const failures = [];
  for (const [who, method, path, body, field, table] of cases) {
    const before = count(table);
    for (const bad of BAD) {
      const r = await api(who, method, path, body(bad));
      if (r.status !== 400 || r.json?.error?.field !== field)
        failures.push(`${path} ${field} ${JSON.stringify(bad)}: ${r.status} ${r.text.slice(0, 160)}`);
    }
    if (count(table) !== before) failures.push(`${path}: something was written`);
  }
  assert.deepEqual(failures, [], failures.join('\n'));
});

test('pages refuse it beside the field; the same text without it is taken', async () => {
  const x = await ids();
  const before = count('pl_session');
  const bad = await post('lead', '/sessions', { kind: 'pd_workshop', title: 'Launch\u2028day', on_date: '2026-03-11', block: 'am',
    engagement_id: String(x.engagement.id) });
  assert.equal(bad.status, 400, bad.text.slice(0, 300));
  assert.match(bad.text, /The title has a control character in it; it is one line of text\./);
  assert.equal(count('pl_session'), before);
  const walk = await post('lead', '/walks', { school_id: String(x.school), walked_on: '2026-12-05', rubric_id: String(x.tru),
    walkers: String(x.lead.id), purpose: 'Talk\u0007moves' });
  assert.equal(walk.status, 400, walk.text.slice(0, 300));
  assert.match(walk.text, /The purpose has a control character/);
  const good = await api('lead', 'POST', '/api/sessions', { kind: 'pd_workshop', title: 'Año escolar — “launch” day', on_date: '2026-03-11',
    block: 'am', engagement_id: x.engagement.id });
  assert.equal(good.status, 201, good.text);
});
