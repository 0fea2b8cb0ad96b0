// OneRoster import through the real binary: the command line (a dry run
// writes nothing; a real run, then the same again changes nothing; a bad
// roster is refused and writes nothing), the upload page as the demo
// administrator (dry run, then real), the JSON API, 403 for everyone else,
// a bad file answered with its problems by file, row and column and nothing
// written, the class list the roster fills, and no student's name in the
// database afterwards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { startServer, signIn, sanitizerReport, run, freshDb, root, backend } from './lib.mjs';

const FIX = join(root, 'tests', 'fixtures', 'oneroster');
const SAMPLE11 = join(root, '..', 'shared', 'data', 'oneroster-samples', 'v1p1_catalyst_Test_full_data_set');
const STUDENT_NAMES = ['Zephyrine', 'Quillfeather', 'Nightingale', 'Thistlewood', 'Pemberton',
  'Fairweather', 'Brambleby', 'Marchbanks'];

// ---- a ZIP archive of a folder, as a district's system sends it ----

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xFFFFFFFF;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xFFFFFFFF) >>> 0;
}

// files: [{ name, data: Buffer }]
function zipOf(files) {
  const locals = [];
  const central = [];
  let offset = 0;
  for (const { name, data } of files) {
    const comp = zlib.deflateRawSync(data);
    const nb = Buffer.from(name);
    const crc = crc32(data);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0); lh.writeUInt16LE(20, 4); lh.writeUInt16LE(8, 8);
    lh.writeUInt32LE(crc, 14); lh.writeUInt32LE(comp.length, 18); lh.writeUInt32LE(data.length, 22);
    lh.writeUInt16LE(nb.length, 26);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0); ch.writeUInt16LE(20, 4); ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(8, 10); ch.writeUInt32LE(crc, 16); ch.writeUInt32LE(comp.length, 20);
    ch.writeUInt32LE(data.length, 24); ch.writeUInt16LE(nb.length, 28); ch.writeUInt32LE(offset, 42);
    locals.push(lh, nb, comp);
    central.push(ch, nb);
    offset += 30 + nb.length + comp.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10); end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const folder = (dir, edit = (name, data) => data) =>
  readdirSync(dir).sort().map((name) => ({ name, data: Buffer.from(edit(name, readFileSync(join(dir, name)))) }));
const zipFolder = (dir, edit) => zipOf(folder(dir, edit));

// ---- the command line ----

test('command line: dry run writes nothing, import, again changes nothing, bad roster refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'coachd-import-'));
  try {
    const db = freshDb(dir);
    const imp = (...args) => run(['import', 'oneroster', ...args, '--db', db]);

    const dry = imp(join(FIX, 'v1p1-bulk'), '--dry-run');
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /dry run: 29 changes would be made; nothing was written/);
    assert.match(dry.stdout, /Student enrollments\s+7\s+0\s+0\s+0/);

    // A refused roster (the shared sample's defects) writes nothing either.
    const bad = imp(SAMPLE11);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /problems; nothing was imported/);
    assert.match(bad.stdout, /enrollments\.csv row 3, column role: user usr-222-987654 is enrolled as a student/);
    assert.match(bad.stdout, /orgs\.csv row 2, column parentSourcedId: parent org org-sch-222-3456 is not in orgs\.csv/);

    // So the first real import still creates everything.
    const real = imp(join(FIX, 'v1p1-bulk'));
    assert.equal(real.code, 0, real.stderr);
    assert.match(real.stdout, /imported: 29 changes/);
    assert.match(real.stdout, /Schools and districts\s+3\s+0\s+0\s+0/);
    assert.match(real.stdout, /students counted, never stored: 6/);

    const again = imp(join(FIX, 'v1p1-bulk'));
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /imported: 0 changes/);
    assert.match(again.stdout, /Student enrollments\s+0\s+0\s+0\s+7/);

    // A delta needs its district named; with it, it applies once.
    const district = real.stdout.match(/\(organization (\d+)\)/)[1];
    assert.equal(imp(join(FIX, 'v1p1-delta')).code, 1);
    const delta = imp(join(FIX, 'v1p1-delta'), '--district', district);
    assert.equal(delta.code, 0, delta.stdout + delta.stderr);
    assert.match(delta.stdout, /Classes\s+0\s+0\s+1\s+0/);
    assert.match(imp(join(FIX, 'v1p1-delta'), '--district', district).stdout, /imported: 0 changes/);

    const usage = run(['import', 'oneroster', '--db', db]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /DIR_OR_ZIP is missing/);
    assert.equal(run(['import', 'gradebook', 'x', '--db', db]).code, 2);
    const missing = imp(join(dir, 'nowhere.zip'));
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /nowhere\.zip cannot be read/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---- the server ----

let srv;
let dbDir;
const who = {};
before(async () => {
  // The database lives outside the server's own directory, so it can be
  // read once the server has stopped.
  dbDir = mkdtempSync(join(tmpdir(), 'coachd-import-db-'));
  srv = await startServer({ db: freshDb(dbDir) });
  for (const name of ['admin', 'lead', 'principal', 'teacher']) who[name] = await session(`${name}@example.org`);
});
after(async () => {
  const r = await srv.stop();
  rmSync(dbDir, { recursive: true, force: true });
  assert.equal(r.code, 0, `server exit code (log: ${r.stderr.slice(-2000)})`);
  assert.ok(!sanitizerReport(r.stderr), r.stderr.slice(-4000));
});

async function session(email) {
  const s = await signIn(srv.url, email);
  assert.equal(s.status, 303, `sign-in of ${email}`);
  const me = await (await fetch(`${srv.url}/api/me`, { headers: { cookie: s.cookie } })).json();
  assert.ok(me.csrf, `a CSRF token for ${email}`);
  return { cookie: s.cookie, csrf: me.csrf };
}

function upload(s, path, zip, fields = {}, { csrf = true, filename = 'roster.zip' } = {}) {
  const form = new FormData();
  if (csrf) form.set('csrf', s.csrf);
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  if (zip) form.set('roster', new Blob([zip], { type: 'application/zip' }), filename);
  return fetch(srv.url + path, { method: 'POST', redirect: 'manual', headers: { cookie: s.cookie }, body: form });
}

const getJson = async (s, path) => {
  const r = await fetch(srv.url + path, { headers: { cookie: s.cookie } });
  assert.equal(r.status, 200, `GET ${path}`);
  return r.json();
};
const classes = async (s) => (await getJson(s, '/api/classes')).classes;
const imports = async () => (await getJson(who.admin, '/api/audit?action=import.oneroster')).entries;

test('only a district administrator reaches the import', async () => {
  const zip = zipFolder(join(FIX, 'v1p2-bulk'));
  for (const name of ['lead', 'principal', 'teacher']) {
    const page = await fetch(`${srv.url}/admin/import`, { headers: { cookie: who[name].cookie } });
    assert.equal(page.status, 403, `${name} GET`);
    const post = await upload(who[name], '/admin/import', zip, { dry_run: '1' });
    assert.equal(post.status, 403, `${name} POST`);
    const api = await upload(who[name], '/api/imports/oneroster', zip);
    assert.equal(api.status, 403, `${name} API`);
    assert.equal((await api.json()).error.code, 'forbidden');
  }
  const out = await fetch(`${srv.url}/admin/import`, { redirect: 'manual' });
  assert.equal(out.status, 303);
  const api = await fetch(`${srv.url}/api/imports/oneroster`, { method: 'POST', body: new FormData() });
  assert.equal(api.status, 401);
  // Without the CSRF token even the administrator is refused.
  const forged = await upload(who.admin, '/admin/import', zip, {}, { csrf: false });
  assert.equal(forged.status, 403);
  assert.equal((await classes(who.admin)).some((c) => c.title.includes('Section A')), false);
});

test('the upload page: a form for a ZIP with a dry run box', async () => {
  const r = await fetch(`${srv.url}/admin/import`, { headers: { cookie: who.admin.cookie } });
  assert.equal(r.status, 200);
  const html = await r.text();
  assert.match(html, /<form method="post" action="\/admin\/import" enctype="multipart\/form-data"/);
  assert.match(html, /<input type="file" id="roster" name="roster"/);
  assert.match(html, /name="dry_run" value="1" checked/);
  assert.match(html, new RegExp(`name="csrf" value="${who.admin.csrf}"`));
});

test('a bad file: problems by file, row and column, nothing written', async () => {
  const before = { classes: await classes(who.admin), audit: (await imports()).length };
  // The shared sample, read in place and zipped here.
  const page = await upload(who.admin, '/admin/import', zipFolder(SAMPLE11));
  assert.equal(page.status, 422);
  const html = await page.text();
  assert.match(html, /problems \(listed below\); nothing was imported/);
  assert.match(html, /<td>enrollments\.csv<\/td><td class="num">3<\/td><td>role<\/td><td>user usr-222-987654 is enrolled as a student/);
  assert.match(html, /<td>academicSessions\.csv<\/td><td class="num">4<\/td><td>status<\/td><td>&quot;inactive&quot; is not a status/);
  // The API says the same in JSON, under the one error shape.
  const api = await upload(who.admin, '/api/imports/oneroster', zipFolder(SAMPLE11));
  assert.equal(api.status, 422);
  const body = await api.json();
  assert.equal(body.error.code, 'roster_invalid');
  assert.equal(body.error.field, 'roster');
  assert.ok(body.report.problems.some((p) => p.file === 'orgs.csv' && p.row === 2 &&
    p.column === 'parentSourcedId' && /org-sch-222-3456/.test(p.message)), JSON.stringify(body.report.problems));
  assert.equal(body.report.applied, false);
  // A cut-off file in our own fixture: one problem, still nothing written.
  const cut = zipFolder(join(FIX, 'v1p2-bulk'), (name, data) =>
    (name === 'enrollments.csv' ? data.subarray(0, data.length - 30) : data));
  const cutR = await upload(who.admin, '/api/imports/oneroster', cut);
  assert.equal(cutR.status, 422);
  const cutBody = await cutR.json();
  assert.match(cutBody.error.message, /^enrollments\.csv row 12: the row has \d+ fields where the header has 10 \(is the file cut short\?\)$/);
  // Not a ZIP at all: 400, the message beside the field.
  const csv = await upload(who.admin, '/admin/import', readFileSync(join(FIX, 'v1p2-bulk', 'users.csv')), {}, { filename: 'users.csv' });
  assert.equal(csv.status, 400);
  assert.match(await csv.text(), /<span class="field-error" id="roster-error">users\.csv is a text file, not a ZIP archive/);
  const none = await upload(who.admin, '/api/imports/oneroster', null);
  assert.equal(none.status, 400);
  assert.equal((await none.json()).error.field, 'roster');
  const empty = await upload(who.admin, '/admin/import', Buffer.alloc(0));
  assert.equal(empty.status, 400);
  assert.deepEqual(await classes(who.admin), before.classes);
  assert.equal((await imports()).length, before.audit);
});

test('the administrator: dry run, then the import, then the class list', async () => {
  const zip = zipFolder(join(FIX, 'v1p2-bulk'));
  const before = await classes(who.admin);

  const dry = await upload(who.admin, '/admin/import', zip, { dry_run: '1' });
  assert.equal(dry.status, 200);
  const dryHtml = await dry.text();
  assert.match(dryHtml, /<h2>Dry run<\/h2>/);
  assert.match(dryHtml, /28 changes would be made; nothing was written/);
  assert.match(dryHtml, /<th scope="row">Student enrollments<\/th><td class="num">7<\/td>/);
  assert.deepEqual(await classes(who.admin), before);
  assert.equal((await imports()).length, 0);

  const real = await upload(who.admin, '/admin/import', zip);
  assert.equal(real.status, 200);
  const html = await real.text();
  assert.match(html, /<h2>Import finished<\/h2>/);
  // The demo district and its two schools of the same names are bound to
  // the roster's; Tom Becker's demo account is bound by email.
  assert.match(html, /<th scope="row">Schools and districts<\/th><td class="num">0<\/td><td class="num">3<\/td>/);
  assert.match(html, /<th scope="row">Staff<\/th><td class="num">4<\/td><td class="num">1<\/td>/);

  const after = await classes(who.admin);
  const a = after.find((c) => c.title === 'Grade 3 Mathematics (Section A)');
  assert.ok(a, JSON.stringify(after.map((c) => c.title)));
  assert.equal(a.students, 3);
  assert.equal(a.teachers, 'Marisol Vance');
  assert.equal(a.school, 'Meadowbrook Elementary School');
  assert.equal(a.term, 'Fall');
  const page = await (await fetch(`${srv.url}/classes`, { headers: { cookie: who.admin.cookie } })).text();
  assert.match(page, /Grade 3 Mathematics \(Section A\)<br><span class="muted">Meadowbrook Elementary School · Fall<\/span><\/td><td>03<\/td><td>Marisol Vance<\/td><td class="num">3<\/td>/);
  // The demo teacher sees the class the roster gives him, not Vance's.
  const mine = (await classes(who.teacher)).map((c) => c.title);
  assert.ok(mine.includes('Grade 3 Mathematics (Section B)'), JSON.stringify(mine));
  assert.ok(!mine.includes('Grade 3 Mathematics (Section A)'));

  const audit = await imports();
  assert.equal(audit.length, 1);
  assert.match(audit[0].detail, /^OneRoster 1\.2; orgs \+0 ~3 -0 =0;/);

  // The same again through the API: nothing changes.
  const api = await upload(who.admin, '/api/imports/oneroster', zip);
  assert.equal(api.status, 200);
  const body = await api.json();
  assert.equal(body.applied, true);
  assert.equal(body.changes, 0);
  assert.equal(body.counts.enrollments.unchanged, 7);
  assert.equal(body.students, 6);
  // And a delta through the API, as a dry run first.
  const delta = zipFolder(join(FIX, 'v1p2-delta'));
  const ddry = await (await upload(who.admin, '/api/imports/oneroster', delta, { dry_run: 'true' })).json();
  assert.equal(ddry.applied, false);
  assert.deepEqual(ddry.counts.enrollments, { created: 1, updated: 0, deactivated: 1, unchanged: 0 });
  const dreal = await (await upload(who.admin, '/api/imports/oneroster', delta)).json();
  assert.deepEqual(dreal.counts, ddry.counts);
  assert.equal((await classes(who.admin)).find((c) => c.title === 'Grade 3 Mathematics (Section A)').students, 3);
  assert.ok(!(await classes(who.admin)).some((c) => c.title === 'Grade 3 Mathematics (Section B)'));
});

test("students' names are never stored", async () => {
  // Once the server has stopped, the whole database is in one place.
  const r = await srv.stop();
  assert.equal(r.code, 0, r.stderr.slice(-2000));
  assert.ok(!sanitizerReport(r.stderr), r.stderr.slice(-4000));
  let bytes;
  if (backend === 'postgres') {
    const pgbin = process.env.PGBIN || '/usr/lib/postgresql/15/bin';
    bytes = execFileSync(join(pgbin, 'pg_dump'), ['--data-only', srv.db], { maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
  } else {
    assert.ok(existsSync(srv.db));
    bytes = readFileSync(srv.db);
    for (const suffix of ['-wal', '-shm']) if (existsSync(srv.db + suffix)) bytes = Buffer.concat([bytes, readFileSync(srv.db + suffix)]);
  }
  assert.ok(bytes.includes('Vance-Ortiz'), 'staff names are there');
  assert.ok(bytes.includes('enr-s-m3a-007'), 'enrollments are there');
  for (const name of STUDENT_NAMES) assert.ok(!bytes.includes(name), `${name} is in the database`);
  srv = { stop: async () => r };
});
