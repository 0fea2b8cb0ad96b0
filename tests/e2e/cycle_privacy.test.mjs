// The trust contract for coaching cycles, end to end (SQLite, or PostgreSQL
// with COACHD_BACKEND=postgres): every cycle route tried by every demo
// account, from the route table itself, against the demo's unshared cycle
// and one made here with marker words in its plan, notes and files; those
// outside the cycle hear 404 (as for a cycle that does not exist), never
// see a marker (pages, API, file downloads, export, search, the leaders'
// report and its downloads), and each refusal is in the audit log without
// content. Then a teacher shares the plan alone with the principal and
// takes it back; a coach cannot share for the teacher; uploads over the cap
// leave nothing on disk, and content that is not its claimed type is 415.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serverForFile, startServer, sanitizerReport, demoClient, demoSessions, root, rawRequest, statusOf } from './lib.mjs';

const accounts = ['admin', 'lead', 'principal', 'coach', 'teacher', 'teacher2'];
const tag = `${process.pid}${Date.now() % 100000}`;
// Words found nowhere else: one per stage, and one in the made cycle's title.
const M = { plan: `zqplan${tag}`, enact: `zqenact${tag}`, reflect: `zqreflect${tag}`, title: `zqtitle${tag}` };

const made = {};   // the cycle made here: ids of it, its stages, note, files
const demo = {};   // the demo's unshared cycle ("Comparing fractions")
const srv = serverForFile({ ready: setUp });
const { as, request, api, post, orgId } = demoClient(srv);

function filePart(fields, name, bytes, type) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  fd.append('file', new Blob([bytes], { type }), name);
  return fd;
}

// A multipart upload as a signed-in account; the page form carries csrf.
async function upload(base, who, path, fields, name, bytes, type) {
  const s = await as(who);
  const headers = { cookie: s.cookie };
  if (path.startsWith('/api/')) headers['x-csrf-token'] = s.csrf;
  else fields = { csrf: s.csrf, ...fields };
  const res = await fetch(`${base}${path}`, { method: 'POST', redirect: 'manual', headers, body: filePart(fields, name, bytes, type) });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* a page */ }
  return { status: res.status, location: res.headers.get('location'), text, json };
}

async function setUp() {
  const coach = await as('coach');
  const teacher = await as('teacher');
  const school = await orgId('Meadowbrook Elementary School');
  const c = await api('coach', 'POST', '/api/cycles', { kind: 'individual', title: `Private ${M.title}`,
    school_id: school, teachers: [teacher.id], grade: '3' });
  assert.equal(c.status, 201, c.text);
  made.id = c.json.id;
  made.teacher = teacher.id;
  for (const s of c.json.stages) made[s.stage] = s.id;
  const plan = await api('coach', 'PUT', `/api/cycles/${made.id}/plan`, { version: 0, complete: true, answers: {
    focus: 'MP3', goal: `Reason about fraction size ${M.plan}`, standards: '3.NF.A.3', tallies: 'Students who explained' } });
  assert.equal(plan.status, 200, plan.text);
  const tru = (await api('lead', 'GET', '/api/walks')).json.walks.find((w) => w.rubric.name.startsWith('Teaching for Robust')).rubric.id;
  const obs = await api('coach', 'POST', `/api/cycles/${made.id}/observations`, { rubric_id: tru, observed_on: '2026-03-05',
    ratings: [{ code: 'TRU2', value: 2 }], evidence: `Lesson ${M.enact}` });
  assert.equal(obs.status, 201, obs.text);
  made.observation = obs.json.id;
  const note = await api('teacher', 'POST', `/api/cycles/${made.id}/notes`, { tag: 'misconception', body: `Said 1/8 > 1/6 ${M.enact}` });
  assert.equal(note.status, 201, note.text);
  made.note = note.json.id;
  const enactFile = await upload(srv.url, 'coach', `/api/cycles/${made.id}/files`, { stage_id: String(made.enact), title: `Photo ${M.enact}` },
    'work.txt', `Student work ${M.enact}\n`, 'text/plain');
  assert.equal(enactFile.status, 201, enactFile.text);
  made.file = enactFile.json.id;
  const planFile = await upload(srv.url, 'teacher', `/api/cycles/${made.id}/files`, { stage_id: String(made.plan), title: `Lesson plan ${M.plan}` },
    'plan.txt', `The lesson plan ${M.plan}\n`, 'text/plain');
  assert.equal(planFile.status, 201, planFile.text);
  made.planFile = planFile.json.id;
  const enact = await api('coach', 'PUT', `/api/cycles/${made.id}/enact`, { version: 0, complete: true,
    answers: { summary: `What we saw ${M.enact}`, minutes: 45 } });
  assert.equal(enact.status, 200, enact.text);
  const refl = await api('teacher', 'PUT', `/api/cycles/${made.id}/reflect`, { version: 0,
    answers: { worked: `What worked ${M.reflect}`, next_steps: `Next ${M.reflect}` } });
  assert.equal(refl.status, 200, refl.text);

  const list = (await api('coach', 'GET', '/api/cycles')).json.cycles;
  const d = list.find((x) => x.title === 'Comparing fractions');
  assert.ok(d, 'the demo\'s unshared cycle');
  const full = (await api('coach', 'GET', `/api/cycles/${d.id}`)).json;
  assert.deepEqual(full.shares, [], 'the demo cycle is not shared');
  demo.id = d.id;
  demo.teacher = full.members.find((m) => m.role === 'teacher').id;
  for (const s of full.stages) demo[s.stage] ??= s.id;
  // Its content, as the words that must not reach anyone else: long runs of
  // plain words from its answers (escaping cannot hide them).
  demo.words = full.stages.flatMap((s) => Object.values(s.answers))
    .flatMap((v) => v.match(/[A-Za-z][A-Za-z ]{24,}/g) || []).map((w) => w.trim());
  assert.ok(demo.words.length >= 2, 'the demo cycle has content to protect');
  const files = (await api('coach', 'GET', `/api/cycles/${d.id}/files`)).json.files;
  demo.file = files[0]?.id ?? 999999;
  const notes = (await api('coach', 'GET', `/api/cycles/${d.id}/notes`)).json.notes;
  demo.note = notes[0]?.id ?? 999999;
  // A share of the demo cycle to revoke, made and revoked now, so the route has a real id.
  const sh = await api('teacher', 'POST', `/api/cycles/${made.id}/shares`, { person_id: (await as('teacher2')).id, stage: 'reflect' });
  assert.equal(sh.status, 201, sh.text);
  made.share = sh.json.id;
  assert.equal((await api('teacher', 'DELETE', `/api/cycles/${made.id}/shares/${made.share}`)).status, 200);
}

// Every cycle route with the cycle c's ids filled in. kind: read (content of
// one cycle), write (a change to it), list (search and history), report,
// start (creating a cycle), template.
function routesFor(c, marker) {
  const id = c.id;
  const fid = c.file ?? 999999;
  const nid = c.note ?? 999999;
  const shid = c.share ?? 999999;
  const oid = c.observation ?? 999999;
  const pix = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4f60000000049454e44ae426082', 'hex');
  return [
    ['GET', '/cycles/{id}', `/cycles/${id}`, 'read'],
    ['GET', '/cycles/{id}/stages/{sid}', `/cycles/${id}/stages/${c.plan}`, 'read'],
    ['GET', '/cycles/{id}/stages/{sid}', `/cycles/${id}/stages/${c.enact}`, 'read'],
    ['GET', '/cycles/{id}/stages/{sid}', `/cycles/${id}/stages/${c.reflect}`, 'read'],
    ['GET', '/cycles/{id}/files/{fid}', `/cycles/${id}/files/${fid}`, 'read'],
    ['GET', '/cycles/{id}/shares', `/cycles/${id}/shares`, 'read'],
    ['GET', '/cycles/{id}/export', `/cycles/${id}/export`, 'read'],
    ['GET', '/api/cycles/{id}', `/api/cycles/${id}`, 'read'],
    ['GET', '/api/cycles/{id}/{stage}', `/api/cycles/${id}/plan`, 'read'],
    ['GET', '/api/cycles/{id}/{stage}', `/api/cycles/${id}/enact`, 'read'],
    ['GET', '/api/cycles/{id}/{stage}', `/api/cycles/${id}/reflect`, 'read'],
    ['GET', '/api/cycles/{id}/notes', `/api/cycles/${id}/notes`, 'read'],
    ['GET', '/api/cycles/{id}/files', `/api/cycles/${id}/files`, 'read'],
    ['GET', '/api/cycles/{id}/files/{fid}', `/api/cycles/${id}/files/${fid}`, 'read'],
    ['GET', '/api/cycles/{id}/shares', `/api/cycles/${id}/shares`, 'read'],
    ['GET', '/cycles/{id}/observations/new', `/cycles/${id}/observations/new`, 'read'],
    ['GET', '/cycles/{id}/observations/{oid}', `/cycles/${id}/observations/${oid}`, 'read'],
    ['GET', '/api/cycles/{id}/observations', `/api/cycles/${id}/observations`, 'read'],
    ['GET', '/api/cycles/{id}/observations/{oid}', `/api/cycles/${id}/observations/${oid}`, 'read'],
    ['POST', '/cycles/{id}/stages/{sid}', `/cycles/${id}/stages/${c.plan}`, 'write', { form: { version: '0', action: 'save', goal: 'overwritten' } }],
    ['POST', '/cycles/{id}/stages/{sid}/notes', `/cycles/${id}/stages/${c.enact}/notes`, 'write', { form: { tag: 'question' } }],
    ['POST', '/cycles/{id}/notes/{nid}/remove', `/cycles/${id}/notes/${nid}/remove`, 'write', { form: { stage_id: String(c.enact) } }],
    ['POST', '/cycles/{id}/stages/{sid}/tally', `/cycles/${id}/stages/${c.enact}/tally`, 'write', { form: { label: 'Students who explained', delta: '1' } }],
    ['POST', '/cycles/{id}/stages/{sid}/files', `/cycles/${id}/stages/${c.enact}/files`, 'write', { file: pix }],
    ['POST', '/cycles/{id}/files/{fid}/remove', `/cycles/${id}/files/${fid}/remove`, 'write', { form: {} }],
    ['POST', '/cycles/{id}/close', `/cycles/${id}/close`, 'write', { form: {} }],
    ['POST', '/cycles/{id}/reopen', `/cycles/${id}/reopen`, 'write', { form: {} }],
    ['POST', '/cycles/{id}/next', `/cycles/${id}/next`, 'write', { form: {} }],
    ['POST', '/cycles/{id}/session', `/cycles/${id}/session`, 'write', { form: { session_id: '0' } }],
    ['POST', '/cycles/{id}/shares', `/cycles/${id}/shares`, 'write', { form: { person_id: 'SELF', stage: 'cycle' } }],
    ['POST', '/cycles/{id}/shares/{shid}/revoke', `/cycles/${id}/shares/${shid}/revoke`, 'write', { form: {} }],
    ['POST', '/cycles/{id}/observations', `/cycles/${id}/observations?rubric_id=1`, 'write', { form: { observed_on: '2026-03-05', 'rating-TRU1': '2' } }],
    ['POST', '/cycles/{id}/observations/{oid}', `/cycles/${id}/observations/${oid}`, 'write', { form: { version: '1', observed_on: '2026-03-05' } }],
    ['POST', '/cycles/{id}/observations/{oid}/remove', `/cycles/${id}/observations/${oid}/remove`, 'write', { form: {} }],
    ['POST', '/api/cycles/{id}/observations', `/api/cycles/${id}/observations`, 'write', { json: { rubric_id: 1, observed_on: '2026-03-05' } }],
    ['PUT', '/api/cycles/{id}/observations/{oid}', `/api/cycles/${id}/observations/${oid}`, 'write', { json: { version: 1, observed_on: '2026-03-05' } }],
    ['DELETE', '/api/cycles/{id}/observations/{oid}', `/api/cycles/${id}/observations/${oid}`, 'write', {}],
    ['PUT', '/api/cycles/{id}/{stage}', `/api/cycles/${id}/plan`, 'write', { json: { version: 1, answers: { goal: 'overwritten' } } }],
    ['PUT', '/api/cycles/{id}/{stage}', `/api/cycles/${id}/enact`, 'write', { json: { version: 1, answers: { summary: 'overwritten' } } }],
    ['PUT', '/api/cycles/{id}/{stage}', `/api/cycles/${id}/reflect`, 'write', { json: { version: 1, answers: { worked: 'overwritten' } } }],
    ['POST', '/api/cycles/{id}/notes', `/api/cycles/${id}/notes`, 'write', { json: { tag: 'question' } }],
    ['POST', '/api/cycles/{id}/files', `/api/cycles/${id}/files`, 'write', { file: pix }],
    ['DELETE', '/api/cycles/{id}/files/{fid}', `/api/cycles/${id}/files/${fid}`, 'write', {}],
    ['POST', '/api/cycles/{id}/shares', `/api/cycles/${id}/shares`, 'write', { json: { person_id: 'SELF', stage: null } }],
    ['DELETE', '/api/cycles/{id}/shares/{shid}', `/api/cycles/${id}/shares/${shid}`, 'write', {}],
    ['POST', '/api/cycles/{id}/close', `/api/cycles/${id}/close`, 'write', { json: {} }],
    ['POST', '/api/cycles/{id}/reopen', `/api/cycles/${id}/reopen`, 'write', { json: {} }],
    ['GET', '/cycles', `/cycles?q=${encodeURIComponent(marker)}`, 'list'],
    ['GET', '/cycles', '/cycles?view=reflections', 'list'],
    ['GET', '/cycles', '/cycles?state=planning', 'list'],
    ['GET', '/api/cycles', `/api/cycles?q=${encodeURIComponent(marker)}`, 'list'],
    ['GET', '/api/cycles', '/api/cycles', 'list'],
    ['GET', '/people/{id}/cycles', `/people/${c.teacher}/cycles`, 'list'],
    ['GET', '/reports/coaching', '/reports/coaching', 'report'],
    ['GET', '/reports/coaching', '/reports/coaching?format=csv', 'report'],
    ['GET', '/reports/coaching', '/reports/coaching?format=xlsx', 'report'],
    ['GET', '/api/reports/coaching', '/api/reports/coaching', 'report'],
    ['GET', '/api/reports/coaching', '/api/reports/coaching?format=csv', 'report'],
    ['GET', '/api/reports/coaching', '/api/reports/coaching?format=xlsx', 'report'],
    ['GET', '/cycles/new', '/cycles/new', 'start'],
    ['POST', '/cycles', '/cycles', 'start', { form: { kind: 'individual', title: 'x', school_id: '0' } }],
    ['POST', '/api/cycles', '/api/cycles', 'start', { json: { kind: 'individual', title: 'x', school_id: 0 } }],
    ['GET', '/cycle-templates', '/cycle-templates', 'template'],
    ['GET', '/cycle-templates/new', '/cycle-templates/new', 'template'],
    ['POST', '/cycle-templates', '/cycle-templates', 'template', { form: { name: '' } }],
    ['GET', '/cycle-templates/{id}/edit', '/cycle-templates/999999/edit', 'template'],
    ['POST', '/cycle-templates/{id}', '/cycle-templates/999999', 'template', { form: { name: '' } }],
  ].map(([method, pattern, path, kind, body = {}]) => ({ method, pattern, path, kind, body }));
}

// Sends one route as who; the body as text (XLSX unzipped, so a marker
// inside a spreadsheet is seen too).
async function send(who, r) {
  const s = await as(who);
  const headers = { cookie: s.cookie };
  let body;
  const self = String(s.id);
  if (r.body.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    const f = Object.fromEntries(Object.entries(r.body.form).map(([k, v]) => [k, v === 'SELF' ? self : v]));
    body = new URLSearchParams({ csrf: s.csrf, ...f }).toString();
  } else if (r.body.json) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(r.body.json, (k, v) => (v === 'SELF' ? s.id : v));
  } else if (r.body.file) {
    body = filePart(r.path.startsWith('/api/') ? {} : { csrf: s.csrf }, 'dot.png', r.body.file, 'image/png');
  }
  if (r.path.startsWith('/api/') && r.method !== 'GET') headers['x-csrf-token'] = s.csrf;
  const res = await fetch(`${srv.url}${r.path}`, { method: r.method, headers, body, redirect: 'manual' });
  const bytes = Buffer.from(await res.arrayBuffer());
  let text = bytes.toString('utf8');
  if (bytes.subarray(0, 2).toString() === 'PK') text += unzipText(bytes);
  return { status: res.status, text, location: res.headers.get('location') };
}

// Every member of a ZIP (an XLSX) as text.
function unzipText(bytes) {
  return execFileSync('python3', ['-c', `
import io, sys, zipfile
z = zipfile.ZipFile(io.BytesIO(sys.stdin.buffer.read()))
for n in z.namelist():
    sys.stdout.write(z.read(n).decode('utf-8', 'replace'))
`], { input: bytes, encoding: 'utf8' });
}

// What may a non-member get from a route? null: it must not be asked (the
// caller checks otherwise).
function outsiderExpect(who, r) {
  if (r.kind === 'read' || r.kind === 'write') return [404];
  if (r.kind === 'list') return [200, 404];
  if (r.kind === 'report') return ['lead', 'principal', 'coach'].includes(who) ? [200] : [404];
  if (r.kind === 'start') return who === 'coach' ? null : [403];
  // Templates are not confidential: any answer but a failure.
  return [200, 303, 400, 403, 404];
}

function leaks(text, words) {
  return words.filter((w) => text.includes(w));
}

async function auditEntries(action) {
  const out = [];
  let before = '';
  for (let i = 0; i < 100; i++) {
    const r = await api('lead', 'GET', `/api/audit?action=${encodeURIComponent(action)}${before}`);
    assert.equal(r.status, 200, r.text);
    out.push(...r.json.entries);
    if (!r.json.next) break;
    before = `&before=${r.json.next}`;
  }
  return out;
}

// The cycle as its coach sees it, to show nothing changed.
async function snapshot(c) {
  const whole = (await api('coach', 'GET', `/api/cycles/${c.id}`)).json;
  const notes = (await api('coach', 'GET', `/api/cycles/${c.id}/notes`)).json;
  const files = (await api('coach', 'GET', `/api/cycles/${c.id}/files`)).json;
  const enact = (await api('coach', 'GET', `/api/cycles/${c.id}/enact`)).json;
  delete whole.updated_at;
  return JSON.stringify({ whole, notes, files, enact });
}

test('every cycle route in the route table is tried here', () => {
  const table = readFileSync(join(root, 'src', 'routes.c'), 'utf8');
  const inTable = [...table.matchAll(/\{"(GET|POST|PUT|PATCH|DELETE)", "([^"]+)"/g)]
    .map((m) => `${m[1]} ${m[2]}`)
    .filter((r) => /cycle|coaching/.test(r));
  assert.ok(inTable.length >= 40, `the route table has the cycle routes (${inTable.length})`);
  const tried = new Set(routesFor({ id: 1, plan: 1, enact: 2, reflect: 3, teacher: 1 }, 'x').map((r) => `${r.method} ${r.pattern}`));
  const missing = inTable.filter((r) => !tried.has(r));
  assert.deepEqual(missing, [], 'a cycle route this test does not try: add it to routesFor with its expectation');
});

for (const [label, cycleOf, wordsOf] of [
  ['the cycle made here', () => made, () => Object.values(M)],
  ['the demo\'s unshared cycle', () => demo, () => demo.words],
]) {
  test(`${label}: every route as every outsider is 404 (reads and writes), no content anywhere, each refusal audited`, async () => {
    const c = cycleOf();
    const words = wordsOf();
    const before = await snapshot(c);
    const deniedBefore = (await auditEntries('coaching.read.denied')).length;
    const failures = [];
    const perActor = {};
    for (const who of ['principal', 'teacher2', 'lead', 'admin']) {
      perActor[who] = 0;
      for (const r of routesFor(c, words[0].split(' ')[0])) {
        const want = outsiderExpect(who, r);
        if (!want) continue;
        const got = await send(who, r);
        if (r.kind === 'read' || r.kind === 'write') perActor[who]++;
        if (!want.includes(got.status)) failures.push(`${who} ${r.method} ${r.path}: expected ${want.join('|')}, got ${got.status} ${got.text.slice(0, 160)}`);
        // A search page shows the words searched for in its search box.
        const q = new URL(r.path, srv.url).searchParams.get('q');
        const shown = q ? got.text.replaceAll(`value="${q}"`, '') : got.text;
        const leaked = leaks(shown, words);
        if (leaked.length) failures.push(`${who} ${r.method} ${r.path}: ${got.status} shows ${leaked.join(', ')}`);
        if (r.kind === 'list' && got.status === 200) {
          let listed = got.text.includes(`/cycles/${c.id}"`);
          try { listed ||= JSON.parse(got.text).cycles.some((x) => x.id === c.id); } catch { /* a page */ }
          if (listed) failures.push(`${who} ${r.method} ${r.path}: lists cycle ${c.id}`);
        }
      }
    }
    assert.deepEqual(failures, [], failures.join('\n'));
    assert.equal(await snapshot(c), before, 'nothing about the cycle changed');

    // An unreadable cycle answers exactly as one that does not exist.
    for (const [path] of [['/api/cycles/{id}'], ['/api/cycles/{id}/plan'], ['/api/cycles/{id}/files']]) {
      const real = await api('principal', 'GET', path.replace('{id}', c.id));
      const none = await api('principal', 'GET', path.replace('{id}', 987654));
      assert.equal(real.status, none.status, path);
      assert.deepEqual(real.json, none.json, path);
    }
    const real = await request('GET', `/cycles/${c.id}`, { cookie: (await as('lead')).cookie });
    const none = await request('GET', '/cycles/987654', { cookie: (await as('lead')).cookie });
    assert.equal(real.status, none.status);
    assert.equal(real.text.replace(/value="[^"]+"/g, ''), none.text.replace(/value="[^"]+"/g, ''), 'the same page for both');

    // Each refusal of this cycle is in the audit log, by whom, with no content.
    const denied = await auditEntries('coaching.read.denied');
    const fresh = denied.slice(0, denied.length - deniedBefore).filter((e) => e.object_id === c.id);
    const names = { principal: 'Priya Raman', teacher2: 'Grace Liu', lead: 'Dana Whitfield', admin: 'Alex Admin' };
    for (const [who, n] of Object.entries(perActor)) {
      const theirs = fresh.filter((e) => e.actor_name === names[who]);
      // One per route that names the cycle, plus the two 404 comparisons above.
      const extra = who === 'principal' ? 3 : who === 'lead' ? 1 : 0;
      assert.equal(theirs.length, n + extra, `${who}: ${theirs.length} audit entries for ${n + extra} refused requests`);
      assert.ok(theirs.every((e) => e.kind === 'coaching'), who);
    }
    const text = JSON.stringify(fresh);
    assert.deepEqual(leaks(text, words), [], 'no content in the audit entries');
  });
}

test('members read everything of their cycle; the coach cannot share it for the teacher', async () => {
  const failures = [];
  for (const who of ['coach', 'teacher']) {
    for (const r of routesFor(made, M.plan).filter((x) => x.kind === 'read')) {
      const got = await send(who, r);
      if (got.status !== 200) failures.push(`${who} ${r.method} ${r.path}: ${got.status}`);
    }
    const found = (await api(who, 'GET', `/api/cycles?q=${M.plan}`)).json.cycles;
    if (!found.some((x) => x.id === made.id)) failures.push(`${who}: search by a plan word misses the cycle`);
  }
  assert.deepEqual(failures, [], failures.join('\n'));
  const exp = await send('coach', { method: 'GET', path: `/cycles/${made.id}/export`, body: {} });
  assert.ok(exp.text.includes(M.plan) && exp.text.includes(M.enact) && exp.text.includes(M.reflect), 'the export has every stage');
  const exported = (await auditEntries('coaching.export')).filter((e) => e.object_id === made.id);
  assert.ok(exported.some((e) => e.actor_name === 'Carmen Ortiz'), 'the export is audited');
  assert.deepEqual(leaks(JSON.stringify(exported), Object.values(M)), [], 'without content');
  const download = await send('teacher', { method: 'GET', path: `/cycles/${made.id}/files/${made.file}`, body: {} });
  assert.equal(download.text, `Student work ${M.enact}\n`);

  const principal = (await as('principal')).id;
  const count = (await api('teacher', 'GET', `/api/cycles/${made.id}/shares`)).json.shares.length;
  const byApi = await api('coach', 'POST', `/api/cycles/${made.id}/shares`, { person_id: principal, stage: null });
  assert.equal(byApi.status, 403, byApi.text);
  const byPage = await post('coach', `/cycles/${made.id}/shares`, { person_id: String(principal), stage: 'cycle' });
  assert.equal(byPage.status, 403);
  const coachView = await api('coach', 'GET', `/api/cycles/${made.id}/shares`);
  assert.equal(coachView.status, 200, 'the coach sees who reads it');
  assert.deepEqual(coachView.json.candidates, [], 'but is offered no one to share with');
  assert.equal((await api('teacher', 'GET', `/api/cycles/${made.id}/shares`)).json.shares.length, count, 'nothing shared');
  assert.equal((await api('principal', 'GET', `/api/cycles/${made.id}`)).status, 404);
});

test('the teacher shares the plan alone with the principal, then takes it back', async () => {
  const principal = await as('principal');
  const shareAuditBefore = (await auditEntries('coaching.share')).length;
  const sharesPage = await request('GET', `/cycles/${made.id}/shares`, { cookie: (await as('teacher')).cookie });
  assert.equal(sharesPage.status, 200);
  assert.ok(sharesPage.text.includes(`<option value="${principal.id}">Priya Raman</option>`), 'the principal is offered');
  const badStage = await api('teacher', 'POST', `/api/cycles/${made.id}/shares`, { person_id: principal.id, stage: 'everything' });
  assert.equal(badStage.status, 400);
  assert.equal(badStage.json.error.field, 'stage');
  const share = await post('teacher', `/cycles/${made.id}/shares`, { person_id: String(principal.id), stage: 'plan' });
  assert.equal(share.status, 303, share.text.slice(0, 500));
  const shares = (await api('teacher', 'GET', `/api/cycles/${made.id}/shares`)).json.shares;
  const mine = shares.find((s) => s.person.id === principal.id);
  assert.equal(mine.stage, 'plan');
  assert.equal(mine.shared_by.name, 'Tom Becker');
  const twice = await api('teacher', 'POST', `/api/cycles/${made.id}/shares`, { person_id: principal.id, stage: 'plan' });
  assert.equal(twice.status, 409);

  const readsBefore = (await auditEntries('coaching.read.shared')).filter((e) => e.object_id === made.id && e.actor_name === 'Priya Raman').length;
  // The plan: readable, with the banner.
  const view = await request('GET', `/cycles/${made.id}`, { cookie: principal.cookie });
  assert.equal(view.status, 200);
  assert.match(view.text, /class="shared-banner"[^>]*><p>Shared with you by Tom Becker/i);
  assert.ok(!view.text.includes(`/cycles/${made.id}/stages/${made.enact}"`), 'no link to the enactment');
  assert.ok(!view.text.includes('action="/cycles/'), 'no forms to change it');
  const planPage = await request('GET', `/cycles/${made.id}/stages/${made.plan}`, { cookie: principal.cookie });
  assert.equal(planPage.status, 200);
  assert.ok(planPage.text.includes(M.plan), 'the plan is there');
  assert.match(planPage.text, /Shared with you by Tom Becker/i);
  assert.ok(!/<textarea|<form method="post" action="\/cycles/.test(planPage.text), 'read only');
  const planApi = await api('principal', 'GET', `/api/cycles/${made.id}/plan`);
  assert.equal(planApi.status, 200);
  assert.ok(planApi.json.answers.goal.includes(M.plan));
  const whole = await api('principal', 'GET', `/api/cycles/${made.id}`);
  assert.equal(whole.status, 200);
  assert.deepEqual(whole.json.stages.map((s) => s.stage), ['plan']);
  assert.equal(whole.json.shared_with_me, true);
  assert.equal(whole.json.shared_by.name, 'Tom Becker');
  assert.equal(whole.json.shares, undefined, 'who else reads it is for members');
  // Not the enactment or the reflection, their notes or their files.
  const hidden = [
    ['GET', `/api/cycles/${made.id}/enact`], ['GET', `/api/cycles/${made.id}/reflect`],
    ['GET', `/api/cycles/${made.id}/notes`], ['GET', `/api/cycles/${made.id}/files/${made.file}`],
    ['GET', `/cycles/${made.id}/files/${made.file}`], ['GET', `/cycles/${made.id}/stages/${made.enact}`],
    ['GET', `/cycles/${made.id}/stages/${made.reflect}`], ['GET', `/cycles/${made.id}/shares`],
    ['GET', `/api/cycles/${made.id}/shares`]];
  const failures = [];
  for (const [method, path] of hidden) {
    const r = await send('principal', { method, path, body: {} });
    if (r.status !== 404) failures.push(`${path}: ${r.status}`);
    const l = leaks(r.text, [M.enact, M.reflect]);
    if (l.length) failures.push(`${path} shows ${l}`);
  }
  assert.deepEqual(failures, [], failures.join('\n'));
  const files = (await api('principal', 'GET', `/api/cycles/${made.id}/files`)).json.files;
  assert.deepEqual(files.map((f) => f.id), [made.planFile], 'only the plan\'s file');
  const planFile = await send('principal', { method: 'GET', path: `/api/cycles/${made.id}/files/${made.planFile}`, body: {} });
  assert.equal(planFile.status, 200);
  const exp = await send('principal', { method: 'GET', path: `/cycles/${made.id}/export`, body: {} });
  assert.equal(exp.status, 200);
  assert.ok(exp.text.includes(M.plan));
  assert.deepEqual(leaks(exp.text, [M.enact, M.reflect]), [], 'the export holds only the shared stage');
  for (const q of [M.enact, M.reflect]) {
    const found = (await api('principal', 'GET', `/api/cycles?q=${q}`)).json.cycles;
    assert.deepEqual(found, [], `search by ${q} finds nothing outside the shared stage`);
  }
  assert.equal((await api('principal', 'GET', `/api/cycles?q=${M.plan}`)).json.cycles.length, 1);

  // Read only: every change refused, nothing changed.
  const before = await snapshot(made);
  for (const r of routesFor(made, M.plan).filter((x) => x.kind === 'write')) {
    const got = await send('principal', r);
    if (![403, 404].includes(got.status)) failures.push(`principal ${r.method} ${r.path}: ${got.status}`);
  }
  assert.deepEqual(failures, [], failures.join('\n'));
  assert.equal(await snapshot(made), before);

  // Each read by the share holder is on record, without content.
  const reads = (await auditEntries('coaching.read.shared')).filter((e) => e.object_id === made.id && e.actor_name === 'Priya Raman');
  assert.ok(reads.length > readsBefore, 'reads by a share holder are audited');
  assert.deepEqual(leaks(JSON.stringify(reads), Object.values(M)), []);
  const shareEntries = await auditEntries('coaching.share');
  assert.equal(shareEntries.length, shareAuditBefore + 1);
  assert.equal(shareEntries[0].actor_name, 'Tom Becker');
  assert.equal(shareEntries[0].object_id, made.id);
  assert.deepEqual(leaks(JSON.stringify(shareEntries[0]), Object.values(M)), []);

  // The teacher takes it back: 404 again, and the unshare is on record.
  const revoke = await post('teacher', `/cycles/${made.id}/shares/${mine.id}/revoke`);
  assert.equal(revoke.status, 303);
  assert.equal((await api('principal', 'GET', `/api/cycles/${made.id}`)).status, 404);
  assert.equal((await api('principal', 'GET', `/api/cycles/${made.id}/plan`)).status, 404);
  assert.equal((await request('GET', `/cycles/${made.id}/stages/${made.plan}`, { cookie: principal.cookie })).status, 404);
  assert.ok(!(await api('principal', 'GET', '/api/cycles')).json.cycles.some((x) => x.id === made.id));
  const unshare = (await auditEntries('coaching.unshare')).filter((e) => e.object_id === made.id);
  assert.ok(unshare.some((e) => e.actor_name === 'Tom Becker'), 'the unshare is audited');
  assert.equal((await post('teacher', `/cycles/${made.id}/shares/${mine.id}/revoke`)).status, 404, 'a share is revoked once');

  // The history says so too, by field and person ids only.
  const history = await request('GET', `/cycles/${made.id}`, { cookie: (await as('teacher')).cookie });
  const events = history.text.match(/<h2 id="history">[\s\S]*?<\/ol>/)?.[0] ?? '';
  const entry = (what) => new RegExp(`<li><span class="history-what">${what}</span>[^<]*(<span class="muted">\\([^<]*\\)</span>)?<br><span class="muted">Tom Becker, `);
  assert.ok(entry('Shared').test(events), 'the share is in the history');
  assert.ok(entry('Share taken back').test(events), 'and its revocation');
  assert.deepEqual(leaks(events, Object.values(M)), []);
});

test('the demo: the principal reads the shared cycle with its banner, not the unshared one', async () => {
  const list = (await api('principal', 'GET', '/api/cycles')).json.cycles;
  const shared = list.find((c) => c.title === 'Fractions on a number line');
  assert.ok(shared, 'the shared demo cycle is listed');
  assert.equal(shared.shared_with_me, true);
  assert.equal(shared.shared_by.name, 'Tom Becker');
  assert.ok(!list.some((c) => c.id === demo.id), 'the unshared one is not');
  const page = await request('GET', `/cycles/${shared.id}`, { cookie: (await as('principal')).cookie });
  assert.equal(page.status, 200);
  assert.match(page.text, /Shared with you by Tom Becker/);
  for (const who of ['teacher2', 'lead', 'admin'])
    assert.equal((await api(who, 'GET', `/api/cycles/${shared.id}`)).status, 404, who);
});

test('the leaders\' report counts cycles and never shows their content', async () => {
  const words = [...Object.values(M), ...demo.words, 'Comparing fractions', 'Fractions on a number line'];
  for (const who of ['lead', 'principal', 'coach']) {
    for (const path of ['/reports/coaching', '/reports/coaching?format=csv', '/reports/coaching?format=xlsx',
      '/api/reports/coaching', '/api/reports/coaching?format=csv', '/api/reports/coaching?format=xlsx']) {
      const r = await send(who, { method: 'GET', path, body: {} });
      assert.equal(r.status, 200, `${who} ${path}`);
      assert.deepEqual(leaks(r.text, words), [], `${who} ${path}`);
    }
  }
  const counts = (await api('lead', 'GET', '/api/reports/coaching?from=2026-01-01&to=2027-12-31')).json;
  const meadowbrook = counts.by_school.find((s) => s.school === 'Meadowbrook Elementary School');
  assert.ok(meadowbrook.cycles >= 4, 'the demo\'s cycles and this test\'s are counted');
  for (const who of ['teacher', 'teacher2', 'admin']) {
    assert.equal((await api(who, 'GET', '/api/reports/coaching')).status, 404, who);
    assert.equal((await send(who, { method: 'GET', path: '/reports/coaching?format=csv', body: {} })).status, 404, who);
  }
  const exports = await auditEntries('coaching_summary.export');
  assert.ok(exports.length >= 6, 'downloads of the report are audited');
});

// ---- uploads: the cap and the content check ----

// A multipart/form-data body by hand, for a raw request.
function multipart(fields, name, bytes, type) {
  const boundary = `----coachd${Math.random().toString(16).slice(2)}`;
  const parts = Object.entries(fields).map(([k, v]) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`),
    Buffer.from(bytes), Buffer.from(`\r\n--${boundary}--\r\n`));
  return { boundary, body: Buffer.concat(parts) };
}

function listDir(dir) {
  return existsSync(dir) ? readdirSync(dir).filter((f) => !f.startsWith('.')) : [];
}

test('an upload over the cap is 413 and leaves nothing on disk; content that is not its claimed type is 415', async () => {
  const capped = await startServer({ extraArgs: ['--max-upload-mb', '1', '--max-file-mb', '1'] });
  try {
    const sessions = demoSessions(capped);
    const coach = await sessions('coach');
    const teacher = await sessions('teacher');
    const r = await fetch(`${capped.url}/api/orgs?q=Meadowbrook`, { headers: { cookie: coach.cookie } });
    const school = (await r.json()).orgs.find((o) => o.name === 'Meadowbrook Elementary School').id;
    const made = await fetch(`${capped.url}/api/cycles`, { method: 'POST',
      headers: { cookie: coach.cookie, 'x-csrf-token': coach.csrf, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'individual', title: 'Upload caps', school_id: school, teachers: [teacher.id] }) });
    assert.equal(made.status, 201);
    const c = await made.json();
    const enact = c.stages.find((s) => s.stage === 'enact').id;
    const evidence = join(capped.dir, 'files', 'evidence');
    const tmp = join(capped.dir, 'files', 'tmp');
    const sendAs = async (path, fields, name, bytes, type) => {
      const headers = { cookie: coach.cookie };
      if (path.startsWith('/api/')) headers['x-csrf-token'] = coach.csrf;
      else fields = { csrf: coach.csrf, ...fields };
      const res = await fetch(`${capped.url}${path}`, { method: 'POST', redirect: 'manual', headers, body: filePart(fields, name, bytes, type) });
      return { status: res.status, text: await res.text() };
    };
    const filesNow = async () => (await (await fetch(`${capped.url}/api/cycles/${c.id}/files`, { headers: { cookie: coach.cookie } })).json()).files;
    const waitTmpEmpty = async () => { for (let i = 0; i < 50 && listDir(tmp).length; i++) await new Promise((res) => setTimeout(res, 20)); };

    // A PNG of 1.5 MB: over the one-megabyte cap for a photo; the request
    // itself is within what the address takes, so the evidence check refuses it.
    const big = Buffer.alloc(1536 * 1024, 0);
    Buffer.from('89504e470d0a1a0a', 'hex').copy(big);
    for (const path of [`/api/cycles/${c.id}/files`, `/cycles/${c.id}/stages/${enact}/files`]) {
      const r413 = await sendAs(path, { stage_id: String(enact), title: 'Too big' }, 'big.png', big, 'image/png');
      assert.equal(r413.status, 413, `${path}: ${r413.text.slice(0, 300)}`);
      assert.match(r413.text, /larger/);
      await waitTmpEmpty();
      assert.deepEqual(listDir(evidence), [], `${path}: nothing kept under evidence/`);
      assert.deepEqual(listDir(tmp), [], `${path}: no temp file left`);
    }
    // Far over: refused from its Content-Length, before the body is sent.
    for (const path of [`/api/cycles/${c.id}/files`, `/cycles/${c.id}/stages/${enact}/files`]) {
      const head = `POST ${path} HTTP/1.1\r\nHost: x\r\nCookie: ${coach.cookie}\r\nX-CSRF-Token: ${coach.csrf}\r\n`
        + 'Content-Type: multipart/form-data; boundary=xyz\r\nContent-Length: 50000000\r\nExpect: 100-continue\r\n'
        + 'Connection: close\r\n\r\n';
      const raw = await rawRequest(capped.port, [head]);
      assert.equal(statusOf(raw), 413, `${path}: ${raw.slice(0, 300)}`);
      await waitTmpEmpty();
      assert.deepEqual(listDir(evidence), []);
      assert.deepEqual(listDir(tmp), []);
    }
    // A small file goes through.
    const small = await sendAs(`/api/cycles/${c.id}/files`, { stage_id: String(enact), title: 'Note' }, 'note.txt', 'A short note\n', 'text/plain');
    assert.equal(small.status, 201, small.text);
    assert.equal(listDir(evidence).length, 1);

    // A "PNG" that is HTML: 415 by content, whatever the name and claim.
    for (const [name, bytes, type] of [
      ['photo.png', '<html><body><script>alert(1)</script></body></html>', 'image/png'],
      ['photo.png', 'plain words, not a picture', 'image/png'],
      ['page.html', '<!doctype html><html><script>alert(1)</script></html>', 'text/html'],
      ['prog.exe', Buffer.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0]), 'application/octet-stream']]) {
      for (const path of [`/api/cycles/${c.id}/files`, `/cycles/${c.id}/stages/${enact}/files`]) {
        const r415 = await sendAs(path, { stage_id: String(enact), title: name }, name, bytes, type);
        assert.equal(r415.status, 415, `${name} as ${type} to ${path}: ${r415.text.slice(0, 300)}`);
      }
    }
    await waitTmpEmpty();
    assert.equal(listDir(evidence).length, 1, 'nothing kept of refused uploads');
    assert.deepEqual(listDir(tmp), []);
    assert.equal((await filesNow()).length, 1);
    // A file removed goes from disk.
    const f = (await filesNow())[0];
    const del = await fetch(`${capped.url}/api/cycles/${c.id}/files/${f.id}`, { method: 'DELETE', headers: { cookie: coach.cookie, 'x-csrf-token': coach.csrf } });
    assert.equal(del.status, 200);
    assert.deepEqual(listDir(evidence), []);
  } finally {
    const r = await capped.stop();
    assert.equal(r.code, 0, r.stderr.slice(-2000));
    assert.ok(!sanitizerReport(r.stderr), r.stderr.slice(-4000));
  }
});

test('video may be larger than other evidence: each kind has its own cap', async () => {
  const capped = await startServer({ extraArgs: ['--max-upload-mb', '2', '--max-file-mb', '1'] });
  try {
    const sessions = demoSessions(capped);
    const coach = await sessions('coach');
    const list = await (await fetch(`${capped.url}/api/cycles`, { headers: { cookie: coach.cookie } })).json();
    const c = list.cycles.find((x) => x.title === 'Comparing fractions');
    const evidence = join(capped.dir, 'files', 'evidence');
    const send = async (name, bytes, type) => {
      const res = await fetch(`${capped.url}/api/cycles/${c.id}/files`, { method: 'POST',
        headers: { cookie: coach.cookie, 'x-csrf-token': coach.csrf }, body: filePart({ title: name }, name, bytes, type) });
      return { status: res.status, json: await res.json() };
    };
    const photo = Buffer.alloc(1536 * 1024, 0);
    Buffer.from('89504e470d0a1a0a', 'hex').copy(photo);
    const before = listDir(evidence).length;
    const r413 = await send('photo.png', photo, 'image/png');
    assert.equal(r413.status, 413, JSON.stringify(r413.json));
    assert.equal(r413.json.error.field, 'file');
    assert.match(r413.json.error.message, /at most 1 MB/);
    assert.equal(listDir(evidence).length, before);
    // The same size of MP4 is within the video cap.
    const video = Buffer.alloc(1536 * 1024, 0);
    Buffer.from('00000018667479706d703432000000006d703432', 'hex').copy(video);
    const ok = await send('lesson.mp4', video, 'video/mp4');
    assert.equal(ok.status, 201, JSON.stringify(ok.json));
    assert.equal(ok.json.content_type, 'video/mp4');
    assert.equal(ok.json.media, true);
    assert.equal(listDir(evidence).length, before + 1);
    // Video is served inline with Range, so it seeks.
    const part = await fetch(`${capped.url}${ok.json.href}`, { headers: { cookie: coach.cookie, range: 'bytes=4-7' } });
    assert.equal(part.status, 206);
    assert.equal(await part.text(), 'ftyp');
    assert.match(part.headers.get('content-range'), new RegExp(`^bytes 4-7/${video.length}$`));
    assert.doesNotMatch(part.headers.get('content-disposition') || '', /attachment/);
  } finally {
    const r = await capped.stop();
    assert.equal(r.code, 0, r.stderr.slice(-2000));
    assert.ok(!sanitizerReport(r.stderr), r.stderr.slice(-4000));
  }
});

test('evidence is served through the policy, with Range, never sniffed by the browser', async () => {
  const s = await as('teacher');
  const whole = await fetch(`${srv.url}/api/cycles/${made.id}/files/${made.file}`, { headers: { cookie: s.cookie } });
  assert.equal(whole.status, 200);
  assert.match(whole.headers.get('x-content-type-options'), /^nosniff\b/);
  assert.match(whole.headers.get('cache-control') || '', /private|no-store/);
  assert.match(whole.headers.get('content-type'), /^text\/plain/);
  await whole.arrayBuffer();
  const part = await fetch(`${srv.url}/cycles/${made.id}/files/${made.file}`, { headers: { cookie: s.cookie, range: 'bytes=0-6' } });
  assert.equal(part.status, 206);
  assert.equal(await part.text(), 'Student');
  const signedOut = await fetch(`${srv.url}/api/cycles/${made.id}/files/${made.file}`);
  assert.equal(signedOut.status, 401);
  await signedOut.text();
});
