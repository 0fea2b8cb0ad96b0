// A team's coaching cycle holds every teacher's classroom. A teacher shares
// the parts the team wrote together (plan, reflection) and their own lesson;
// a colleague's lesson (its answers, notes, files and lesson observations)
// needs that colleague's share. A share holder's refused read is on record
// as a refusal, never as a read; a member's first read after the coach put
// them in the cycle is on record once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverForFile, demoClient } from './lib.mjs';

const tag = `${process.pid}${Date.now() % 100000}`;
const M = { plan: `zqtplan${tag}`, tom: `zqttom${tag}`, grace: `zqtgrace${tag}`,
  tomNote: `zqttomnote${tag}`, graceNote: `zqtgracenote${tag}` };
const made = {};
const srv = serverForFile({ ready: setUp });
const { as, request, api, post, orgId } = demoClient(srv);

async function auditEntries(action) {
  const r = await api('lead', 'GET', `/api/audit?action=${encodeURIComponent(action)}`);
  assert.equal(r.status, 200, r.text);
  return r.json.entries.filter((e) => e.object_id === made.id);
}

function upload(who, path, stageId, name, text) {
  return as(who).then(async (s) => {
    const fd = new FormData();
    fd.append('stage_id', String(stageId));
    fd.append('title', name);
    fd.append('file', new Blob([text], { type: 'text/plain' }), `${name}.txt`);
    const res = await fetch(srv.url + path, { method: 'POST', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, body: fd });
    const body = await res.json();
    assert.equal(res.status, 201, JSON.stringify(body));
    return body.id;
  });
}

async function setUp() {
  const school = await orgId('Meadowbrook Elementary School');
  const teams = (await api('lead', 'GET', '/api/teams')).json.teams;
  const g3 = teams.find((t) => t.name === 'G3').id;
  made.tom = (await as('teacher')).id;
  made.grace = (await as('teacher2')).id;
  // Before the cycle exists: the first-read entries are counted after it.
  const c = await api('coach', 'POST', '/api/cycles', { kind: 'collaborative', title: 'Team shares', school_id: school, team_id: g3, grade: '3' });
  assert.equal(c.status, 201, c.text);
  made.id = c.json.id;
  const enact = c.json.stages.filter((s) => s.stage === 'enact');
  made.tomStage = enact.find((s) => s.teacher.id === made.tom).id;
  made.graceStage = enact.find((s) => s.teacher.id === made.grace).id;
  made.plan = c.json.stages.find((s) => s.stage === 'plan').id;
  const plan = await api('coach', 'PUT', `/api/cycles/${made.id}/plan`, { version: 0, answers: { focus: 'TP4', goal: `Fair shares ${M.plan}` } });
  assert.equal(plan.status, 200, plan.text);
  for (const [stage, words] of [[made.tomStage, M.tom], [made.graceStage, M.grace]]) {
    const r = await api('coach', 'PUT', `/api/cycles/${made.id}/enact`, { stage_id: stage, version: 0, answers: { summary: words } });
    assert.equal(r.status, 200, r.text);
  }
  for (const [stage, words] of [[made.tomStage, M.tomNote], [made.graceStage, M.graceNote]]) {
    const r = await api('coach', 'POST', `/api/cycles/${made.id}/notes`, { stage_id: stage, tag: 'strategy', body: words });
    assert.equal(r.status, 201, r.text);
  }
  made.tomFile = await upload('coach', `/api/cycles/${made.id}/files`, made.tomStage, 'Tom evidence', 'tom');
  made.graceFile = await upload('coach', `/api/cycles/${made.id}/files`, made.graceStage, 'Grace evidence', 'grace');
  // A lesson observation of the team's names no classroom: no one teacher shares it.
  const rubric = (await api('coach', 'GET', '/api/rubrics')).json.rubrics.find((r) => r.name.startsWith('Teaching for Robust'));
  const o = await api('coach', 'POST', `/api/cycles/${made.id}/observations`, { rubric_id: rubric.id, observed_on: '2026-02-03',
    ratings: [], look_fors: [], evidence: 'seen in the team\'s lesson' });
  assert.equal(o.status, 201, o.text);
  made.teamObs = o.json.id;
}

const leaks = (text, words) => words.filter((w) => text.includes(w));

test('a member\'s first read after the coach added them is on record, once', async () => {
  const before = await auditEntries('coaching.read.first');
  assert.equal(before.filter((e) => e.actor_name === 'Tom Becker').length, 0);
  assert.equal((await api('teacher', 'GET', `/api/cycles/${made.id}`)).status, 200);
  assert.equal((await api('teacher', 'GET', `/api/cycles/${made.id}/plan`)).status, 200);
  const after = (await auditEntries('coaching.read.first')).filter((e) => e.actor_name === 'Tom Becker');
  assert.equal(after.length, 1, 'once');
  assert.match(after[0].detail, /added by Carmen Ortiz/);
  // The coach who started it read what they started: nothing on record.
  assert.equal((await auditEntries('coaching.read.first')).filter((e) => e.actor_name === 'Carmen Ortiz').length, 0);
});

test('a teacher shares their own lesson, never a colleague\'s', async () => {
  const principal = await as('principal');
  const share = await api('teacher', 'POST', `/api/cycles/${made.id}/shares`, { person_id: principal.id, stage: 'enact' });
  assert.equal(share.status, 201, share.text);
  const enact = await api('principal', 'GET', `/api/cycles/${made.id}/enact`);
  assert.equal(enact.status, 200, enact.text);
  assert.deepEqual(enact.json.enactments.map((e) => e.teacher.id), [made.tom], 'Tom\'s lesson only');
  assert.deepEqual(leaks(enact.text, [M.grace, M.graceNote]), []);
  const notes = await api('principal', 'GET', `/api/cycles/${made.id}/notes`);
  assert.equal(notes.status, 200);
  assert.ok(notes.text.includes(M.tomNote));
  assert.deepEqual(leaks(notes.text, [M.graceNote]), []);
  const files = (await api('principal', 'GET', `/api/cycles/${made.id}/files`)).json.files.map((f) => f.id);
  assert.deepEqual(files, [made.tomFile]);
  const obs = (await api('principal', 'GET', `/api/cycles/${made.id}/observations`)).json.observations.map((o) => o.id);
  assert.deepEqual(obs, [], 'the team lesson\'s observation is the members\' alone');
  // Grace's classroom, by every address: 404 as if it were not there.
  const principalPage = (path) => request('GET', path, { cookie: principal.cookie });
  for (const path of [`/cycles/${made.id}/stages/${made.graceStage}`, `/cycles/${made.id}/files/${made.graceFile}`,
    `/api/cycles/${made.id}/files/${made.graceFile}`, `/cycles/${made.id}/observations/${made.teamObs}`,
    `/api/cycles/${made.id}/observations/${made.teamObs}`]) {
    const r = await principalPage(path);
    assert.equal(r.status, 404, path);
    assert.deepEqual(leaks(r.text, [M.grace, M.graceNote]), [], path);
  }
  assert.equal((await principalPage(`/cycles/${made.id}/stages/${made.tomStage}`)).status, 200);
  const page = await principalPage(`/cycles/${made.id}`);
  assert.deepEqual(leaks(page.text, [M.grace, M.graceNote]), []);
  assert.ok(!page.text.includes(`/stages/${made.graceStage}"`), 'no link to Grace\'s lesson');
  const exported = await principalPage(`/cycles/${made.id}/export`);
  assert.equal(exported.status, 200);
  assert.ok(exported.text.includes(M.tom));
  assert.deepEqual(leaks(exported.text, [M.grace, M.graceNote]), []);
  assert.deepEqual((await api('principal', 'GET', `/api/cycles?q=${M.grace}`)).json.cycles, [], 'search finds nothing of Grace\'s');
  assert.equal((await api('principal', 'GET', `/api/cycles?q=${M.tom}`)).json.cycles.length, 1);
  // Grace shares hers too: now both lessons.
  const hers = await api('teacher2', 'POST', `/api/cycles/${made.id}/shares`, { person_id: principal.id, stage: 'enact' });
  assert.equal(hers.status, 201, hers.text);
  const both = await api('principal', 'GET', `/api/cycles/${made.id}/enact`);
  assert.deepEqual(both.json.enactments.map((e) => e.teacher.id).sort(), [made.tom, made.grace].sort());
  assert.equal((await principalPage(`/cycles/${made.id}/stages/${made.graceStage}`)).status, 200);
  // Take both back.
  const shares = (await api('teacher', 'GET', `/api/cycles/${made.id}/shares`)).json.shares;
  for (const s of shares.filter((x) => x.person.id === principal.id)) {
    const who = s.shared_by.id === made.tom ? 'teacher' : 'teacher2';
    assert.equal((await api(who, 'DELETE', `/api/cycles/${made.id}/shares/${s.id}`)).status, 200);
  }
});

test('a share of the plan alone: a refused lesson read is on record as a refusal, not a read', async () => {
  const principal = await as('principal');
  const share = await api('teacher', 'POST', `/api/cycles/${made.id}/shares`, { person_id: principal.id, stage: 'plan' });
  assert.equal(share.status, 201, share.text);
  const readsBefore = (await auditEntries('coaching.read.shared')).length;
  const deniedBefore = (await auditEntries('coaching.read.denied')).length;
  const r = await request('GET', `/cycles/${made.id}/stages/${made.tomStage}`, { cookie: principal.cookie });
  assert.equal(r.status, 404);
  const a = await api('principal', 'GET', `/api/cycles/${made.id}/enact`);
  assert.equal(a.status, 404);
  const reads = await auditEntries('coaching.read.shared');
  const denied = await auditEntries('coaching.read.denied');
  assert.equal(reads.length, readsBefore, 'no read on record for what was refused');
  assert.equal(denied.length, deniedBefore + 2, 'both refusals on record');
  assert.ok(denied.some((e) => e.detail === `stage ${made.tomStage}` && e.actor_name === 'Priya Raman'), JSON.stringify(denied));
  assert.ok(denied.some((e) => e.detail === 'stage enact'), JSON.stringify(denied));
  // The plan itself is a read, on record.
  assert.equal((await api('principal', 'GET', `/api/cycles/${made.id}/plan`)).status, 200);
  assert.equal((await auditEntries('coaching.read.shared')).length, readsBefore + 1);
});
