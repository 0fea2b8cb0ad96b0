// Evidence files of a coaching cycle through the API: checked by content,
// capped by kind (video and audio --max-upload-mb, others --max-file-mb),
// kept under <data-dir>/evidence, served with Range to the cycle's members
// (and to a share holder of the file's stage only), removed from disk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serverForFile, demoClient, mp4 } from './lib.mjs';

// Small caps, so the tests stay fast: 1 MB for documents, 2 MB for media.
const srv = serverForFile({ extraArgs: ['--max-upload-mb', '2', '--max-file-mb', '1'] });
const { as, request } = demoClient(srv);

const evidenceDir = () => join(srv.dir, 'files', 'evidence');
const kept = () => (existsSync(evidenceDir()) ? readdirSync(evidenceDir()).sort() : []);
const tmpFiles = () => {
  const d = join(srv.dir, 'files', 'tmp');
  return existsSync(d) ? readdirSync(d) : [];
};
async function noTempFiles() {
  // The server removes an exchange's temp files once it ends.
  for (let i = 0; i < 50 && tmpFiles().length; i++) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(tmpFiles(), [], 'no temp files left');
}

function pdf(size) {
  const b = Buffer.alloc(size, 0x41);
  b.write('%PDF-1.4\n');
  return b;
}

async function upload(who, cid, fields, name, bytes, type) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, String(v));
  fd.append('file', new Blob([bytes], { type }), name);
  const r = await fetch(`${srv.url}/api/cycles/${cid}/files`, { method: 'POST',
    headers: { cookie: who.cookie, 'x-csrf-token': who.csrf }, body: fd });
  const text = await r.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: r.status, json, text };
}

const get = (who, path, headers = {}) => fetch(`${srv.url}${path}`, { headers: { cookie: who.cookie, ...headers } });

let cycle; // {id, plan, enact}
async function freshCycle() {
  if (cycle) return cycle;
  const coach = await as('coach');
  const teacher = await as('teacher');
  const demo = (await request('GET', '/api/cycles', coach)).json.cycles;
  const school = demo.find((c) => c.school && /Meadowbrook/.test(c.school.name)).school.id;
  const made = await request('POST', '/api/cycles', { ...coach,
    json: { kind: 'individual', title: 'Evidence trial', school_id: school, teachers: [teacher.id], grade: '3' } });
  assert.equal(made.status, 201, made.text);
  const stage = (s) => made.json.stages.find((x) => x.stage === s).id;
  cycle = { id: made.json.id, plan: stage('plan'), enact: stage('enact') };
  return cycle;
}

test('a PDF and a video are kept by content; the video is served with Range, inline', async () => {
  const { id, enact } = await freshCycle();
  const coach = await as('coach');
  const teacher = await as('teacher');
  const before = kept().length;

  const doc = pdf(4000);
  const added = await upload(coach, id, { stage_id: enact, title: 'Student work' }, 'work.pdf', doc, 'application/pdf');
  assert.equal(added.status, 201, added.text);
  assert.equal(added.json.content_type, 'application/pdf');
  assert.equal(added.json.media, false);
  assert.equal(added.json.stage, 'enact');
  assert.equal(added.json.size_bytes, doc.length);
  const whole = await get(coach, added.json.href);
  assert.equal(whole.status, 200);
  assert.match(whole.headers.get('content-disposition'), /^attachment; filename="Student_work\.pdf"$/);
  assert.deepEqual(Buffer.from(await whole.arrayBuffer()), doc);

  // The teacher adds the lesson's video; a phone calls it QuickTime, and
  // with no title it takes the file's name.
  const video = mp4(300 * 1024);
  const v = await upload(teacher, id, { stage_id: enact }, 'lesson.mov', video, 'video/quicktime');
  assert.equal(v.status, 201, v.text);
  assert.equal(v.json.content_type, 'video/mp4');
  assert.equal(v.json.media, true);
  assert.equal(v.json.title, 'lesson.mov');
  assert.equal(kept().length, before + 2);

  const ranged = await get(coach, v.json.href, { range: 'bytes=1000-1999' });
  assert.equal(ranged.status, 206);
  assert.equal(ranged.headers.get('content-range'), `bytes 1000-1999/${video.length}`);
  assert.equal(ranged.headers.get('content-type'), 'video/mp4');
  assert.match(ranged.headers.get('content-disposition'), /^inline; filename="lesson\.mov\.mp4"$/);
  assert.equal(ranged.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(ranged.headers.get('cache-control'), 'private, no-store');
  assert.deepEqual(Buffer.from(await ranged.arrayBuffer()), video.subarray(1000, 2000));
  const tail = await get(teacher, v.json.href, { range: 'bytes=-16' });
  assert.equal(tail.status, 206);
  assert.deepEqual(Buffer.from(await tail.arrayBuffer()), video.subarray(video.length - 16));

  // What is on disk is what was sent, under a random name.
  const names = kept();
  assert.ok(names.every((n) => /^[0-9a-f]{32}$/.test(n)), names.join(','));
  assert.ok(names.some((n) => readFileSync(join(evidenceDir(), n)).equals(video)));

  const list = (await request('GET', `/api/cycles/${id}/files`, coach)).json.files;
  assert.deepEqual(list.map((f) => f.id).sort(), [added.json.id, v.json.id].sort());
});

test('over its cap: 413 naming the cap, and nothing left in evidence/ or tmp/', async () => {
  const { id, enact } = await freshCycle();
  const coach = await as('coach');
  const before = kept();

  // A document over --max-file-mb, though under the server's cap.
  const big = await upload(coach, id, { stage_id: enact }, 'big.pdf', pdf(1536 * 1024), 'application/pdf');
  assert.equal(big.status, 413, big.text);
  assert.equal(big.json.error.code, 'too_large');
  assert.equal(big.json.error.field, 'file');
  assert.match(big.json.error.message, /1 MB/);
  // The same size is fine for a video, whose cap is larger...
  const video = await upload(coach, id, { stage_id: enact }, 'clip.mp4', mp4(1536 * 1024), 'video/mp4');
  assert.equal(video.status, 201, video.text);
  // ...up to --max-upload-mb, where the server itself refuses.
  const huge = await upload(coach, id, { stage_id: enact }, 'huge.mp4', mp4(2560 * 1024), 'video/mp4');
  assert.equal(huge.status, 413, huge.text);
  assert.equal(huge.json.error.code, 'too_large');

  assert.equal(kept().length, before.length + 1, 'only the video within its cap is kept');
  await noTempFiles();
  const del = await request('DELETE', `/api/cycles/${id}/files/${video.json.id}`, coach);
  assert.equal(del.status, 200, del.text);
  assert.deepEqual(kept(), before);
});

test('content that is not its claimed type, or no kept type at all: 415, nothing kept', async () => {
  const { id, enact } = await freshCycle();
  const coach = await as('coach');
  const before = kept();
  for (const [name, bytes, type] of [
    ['fake.pdf', Buffer.from('just some text'), 'application/pdf'],
    ['fake.mp4', pdf(2000), 'video/mp4'],
    ['clip.webm', mp4(2000), 'video/webm'],
    ['prog.exe', Buffer.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0]), 'application/octet-stream'],
    ['photo.heic', Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1')]), 'image/heic'],
  ]) {
    const r = await upload(coach, id, { stage_id: enact }, name, bytes, type);
    assert.equal(r.status, 415, `${name}: ${r.text}`);
    assert.equal(r.json.error.code, 'unsupported_media_type');
    assert.equal(r.json.error.field, 'file');
  }
  assert.deepEqual(kept(), before);
  await noTempFiles();
});

test('bad requests name their field', async () => {
  const { id, plan } = await freshCycle();
  const coach = await as('coach');
  const noFile = await request('POST', `/api/cycles/${id}/files`, { ...coach, form: { stage_id: String(plan) } });
  assert.equal(noFile.status, 400, noFile.text);
  assert.equal(noFile.json.error.field, 'file');
  const other = await upload(coach, id, { stage_id: 999999 }, 'a.pdf', pdf(100), 'application/pdf');
  assert.equal(other.status, 400, other.text);
  assert.equal(other.json.error.field, 'stage_id');
  const long = await upload(coach, id, { stage_id: plan, title: 'x'.repeat(201) }, 'a.pdf', pdf(100), 'application/pdf');
  assert.equal(long.status, 400, long.text);
  assert.equal(long.json.error.field, 'title');
});

test('non-members get 404 for the file and the list; a share of one stage opens only its files', async () => {
  const { id, plan, enact } = await freshCycle();
  const coach = await as('coach');
  const teacher = await as('teacher');
  const planDoc = await upload(coach, id, { stage_id: plan, title: 'Task sheet' }, 'task.pdf', pdf(800), 'application/pdf');
  assert.equal(planDoc.status, 201, planDoc.text);
  const clip = await upload(coach, id, { stage_id: enact }, 'clip.mp4', mp4(4096), 'video/mp4');
  assert.equal(clip.status, 201, clip.text);

  for (const who of ['teacher2', 'principal', 'lead', 'admin']) {
    const s = await as(who);
    for (const href of [planDoc.json.href, clip.json.href, `/api/cycles/${id}/files`]) {
      const r = await get(s, href, { range: 'bytes=0-3' });
      await r.arrayBuffer();
      assert.equal(r.status, 404, `${who} ${href}`);
    }
    const del = await request('DELETE', `/api/cycles/${id}/files/${clip.json.id}`, s);
    assert.equal(del.status, 404, `${who} cannot remove`);
  }

  // Tom shares the plan with the principal: its file, and nothing of the lesson.
  const principal = await as('principal');
  const share = await request('POST', `/api/cycles/${id}/shares`, { ...teacher, json: { person_id: principal.id, stage: 'plan' } });
  assert.equal(share.status, 201, share.text);
  assert.equal(share.json.stage, 'plan');
  const seen = await request('GET', `/api/cycles/${id}/files`, principal);
  assert.equal(seen.status, 200, seen.text);
  assert.deepEqual(seen.json.files.map((f) => f.id), [planDoc.json.id]);
  const planRead = await get(principal, planDoc.json.href);
  assert.equal(planRead.status, 200);
  await planRead.arrayBuffer();
  const clipRead = await get(principal, clip.json.href);
  await clipRead.arrayBuffer();
  assert.equal(clipRead.status, 404);
  // A share holder reads, never writes.
  const up = await upload(principal, id, { stage_id: plan }, 'mine.pdf', pdf(100), 'application/pdf');
  assert.equal(up.status, 403, up.text);
  const rm = await request('DELETE', `/api/cycles/${id}/files/${planDoc.json.id}`, principal);
  assert.equal(rm.status, 403, rm.text);
  // Revoked: the file is gone from the principal's reach again.
  const revoke = await request('DELETE', `/api/cycles/${id}/shares/${share.json.id}`, teacher);
  assert.equal(revoke.status, 200, revoke.text);
  const after = await get(principal, planDoc.json.href);
  await after.arrayBuffer();
  assert.equal(after.status, 404);
});

test('removing a file deletes it from disk; it is then gone for everyone', async () => {
  const { id, enact } = await freshCycle();
  const teacher = await as('teacher');
  const coach = await as('coach');
  const before = kept();
  const v = await upload(teacher, id, { stage_id: enact, title: 'Exit tickets' }, 'tickets.pdf', pdf(2048), 'application/pdf');
  assert.equal(v.status, 201, v.text);
  const added = kept().filter((n) => !before.includes(n));
  assert.equal(added.length, 1);
  const del = await request('DELETE', `/api/cycles/${id}/files/${v.json.id}`, coach);
  assert.equal(del.status, 200, del.text);
  assert.deepEqual(del.json, { removed: true });
  assert.ok(!existsSync(join(evidenceDir(), added[0])), 'the file is gone from disk');
  assert.deepEqual(kept(), before);
  const again = await get(coach, v.json.href);
  await again.arrayBuffer();
  assert.equal(again.status, 404);
  const twice = await request('DELETE', `/api/cycles/${id}/files/${v.json.id}`, coach);
  assert.equal(twice.status, 404);
});
