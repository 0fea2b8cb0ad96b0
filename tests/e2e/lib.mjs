// Shared helpers for end-to-end tests: start the real coachd binary on a
// free loopback port with a fresh database (SQLite file, or a new database
// in the PostgreSQL test cluster when COACHD_BACKEND=postgres), talk HTTP
// to it, and stop it, checking that it exits cleanly (no sanitizer report).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import { before, after } from 'node:test';
import assert from 'node:assert/strict';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const bin = process.env.COACHD_BIN || join(root, 'build', 'san', 'coachd');
export const backend = process.env.COACHD_BACKEND || 'sqlite';

let dbCounter = 0;

// A fresh database: a path in a temp dir, or a new PostgreSQL database.
export function freshDb(dir) {
  if (backend !== 'postgres') return join(dir, 'coachd.db');
  const name = `e2e_${process.pid}_${Date.now()}_${dbCounter++}`;
  return execFileSync(join(root, 'scripts', 'pg-test-cluster'),
    ['createdb', process.env.COACHD_PG_DIR, name], { encoding: 'utf8' }).trim();
}

export function run(args, opts = {}) {
  try {
    const stdout = execFileSync(bin, args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], ...opts });
    return { code: 0, stdout, stderr: '' };
  } catch (e) {
    return { code: e.status, stdout: e.stdout?.toString() ?? '', stderr: e.stderr?.toString() ?? '' };
  }
}

// Starts `coachd demo` (or another command) and resolves once it listens.
export async function startServer({ command = 'demo', extraArgs = [], db } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'coachd-e2e-'));
  const dbPath = db || freshDb(dir);
  const args = [command, '--db', dbPath, '--listen', '127.0.0.1:0', '--threads', '2',
    '--data-dir', join(dir, 'files'), ...extraArgs];
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 20000);
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = stdout.match(/listening on (http:\/\/[^\s]+)\//);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    exited.then(({ code }) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${stderr}`)); });
  });
  const port = Number(new URL(url).port);
  return {
    url, port, dir, db: dbPath, child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    // Stops with SIGTERM; returns the exit code and everything it logged.
    async stop() {
      if (child.exitCode === null && !child.killed) child.kill('SIGTERM');
      const r = await exited;
      rmSync(dir, { recursive: true, force: true });
      return { ...r, stderr };
    },
  };
}

// True when a server's log shows a sanitizer report.
export function sanitizerReport(stderr) {
  return /AddressSanitizer|LeakSanitizer|runtime error:|UndefinedBehaviorSanitizer/.test(stderr);
}

// Sends raw bytes and collects the whole reply (for what fetch won't send).
// localAddress picks the loopback address the request comes from
// (127.0.0.2, …), as if from another machine.
export function rawRequest(port, chunks, { delayMs = 0, onSent, localAddress } = {}) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ port, host: '127.0.0.1', localAddress });
    let data = Buffer.alloc(0);
    sock.on('data', (d) => { data = Buffer.concat([data, d]); });
    sock.on('error', (e) => (e.code === 'ECONNRESET' || e.code === 'EPIPE' ? resolve(data.toString('latin1')) : reject(e)));
    sock.on('end', () => resolve(data.toString('latin1')));
    sock.on('close', () => resolve(data.toString('latin1')));
    sock.on('connect', async () => {
      for (let i = 0; i < chunks.length; i++) {
        if (sock.destroyed) break;
        sock.write(chunks[i]);
        if (onSent) await onSent(i);
        if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      }
    });
  });
}

export function statusOf(raw) {
  const m = raw.match(/^HTTP\/1\.[01] (\d{3})/);
  return m ? Number(m[1]) : 0;
}

// Signs in through the real form and returns the session cookie.
export async function signIn(base, email, password = 'demo-pass-1') {
  const page = await fetch(`${base}/signin`);
  await page.text();
  const res = await fetch(`${base}/signin`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password }).toString(),
  });
  const set = res.headers.get('set-cookie') || '';
  const m = set.match(/coachd_session=([^;]+)/);
  await res.text();
  return { status: res.status, cookie: m ? `coachd_session=${m[1]}` : null, location: res.headers.get('location') };
}

// One demo server for a whole test file: started before its first test
// (then ready(srv) runs, when given), stopped after its last, asserting a
// clean exit and no sanitizer report. The object returned is the server
// (url, db, …) once it has started.
export function serverForFile({ ready, ...opts } = {}) {
  const srv = {};
  before(async () => {
    Object.assign(srv, await startServer(opts));
    if (ready) await ready(srv);
  });
  after(async () => {
    const r = await srv.stop();
    assert.equal(r.code, 0, `server exit code (log: ${r.stderr.slice(-2000)})`);
    assert.ok(!sanitizerReport(r.stderr), r.stderr.slice(-4000));
  });
  return srv;
}

// A request with a JSON or form body (or a body of another type); the
// answer as status, location, text and (when the text is JSON) json.
// Redirects are not followed.
export async function request(base, method, path, { cookie, csrf, json, form, body, type } = {}) {
  const headers = {};
  if (cookie) headers.cookie = cookie;
  if (csrf) headers['x-csrf-token'] = csrf;
  if (json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(form).toString();
  } else if (type) {
    headers['content-type'] = type;
  }
  const res = await fetch(`${base}${path}`, { method, headers, body, redirect: 'manual' });
  const text = await res.text();
  let data = null;
  try { data = JSON.parse(text); } catch { /* a page */ }
  return { status: res.status, location: res.headers.get('location'), text, json: data };
}

// as(who): a demo account ('admin', 'lead', …) signed in once, with its
// cookie, CSRF token and person id (from /api/me).
export function demoSessions(srv) {
  const sessions = {};
  return async function as(who) {
    if (sessions[who]) return sessions[who];
    const { status, cookie } = await signIn(srv.url, `${who}@example.org`);
    assert.equal(status, 303, `${who} signs in`);
    const me = await request(srv.url, 'GET', '/api/me', { cookie });
    assert.equal(me.status, 200, me.text);
    sessions[who] = { cookie, csrf: me.json.csrf, id: me.json.person.id };
    return sessions[who];
  };
}

// The demo accounts' requests to srv, by account name ('lead', 'coach', …):
//   as(who)                      the account's session (demoSessions)
//   request(method, path, opts)  request() above, on this server
//   api(who, method, path, json) the JSON API with who's cookie and CSRF header
//   page(who, path)              a GET with who's cookie
//   post(who, path, fields)      a form post with who's CSRF field first; fields
//                                an object or a list of [name, value] pairs
//   get(who, path)               a GET with who's cookie (who null: signed
//                                out): status, headers, bytes, text, json
//   orgId(name)                  the id of the organization named name
export function demoClient(srv) {
  const as = demoSessions(srv);
  const req = (method, path, opts) => request(srv.url, method, path, opts);
  const api = async (who, method, path, json) => {
    const s = await as(who);
    return req(method, path, { cookie: s.cookie, csrf: s.csrf, json });
  };
  const page = async (who, path) => req('GET', path, { cookie: (await as(who)).cookie });
  const post = async (who, path, fields = {}) => {
    const s = await as(who);
    const pairs = Array.isArray(fields) ? fields : Object.entries(fields);
    return req('POST', path, { cookie: s.cookie, form: [['csrf', s.csrf], ...pairs] });
  };
  // The id of the organization named name, found by the district leader.
  const orgId = async (name) => {
    const r = await api('lead', 'GET', `/api/orgs?q=${encodeURIComponent(name)}`);
    assert.equal(r.status, 200, r.text);
    const o = r.json.orgs.find((x) => x.name === name);
    assert.ok(o, `${name} exists`);
    return o.id;
  };
  const get = async (who, path) => {
    const headers = who ? { cookie: (await as(who)).cookie } : {};
    const res = await fetch(srv.url + path, { headers, redirect: 'manual' });
    const bytes = Buffer.from(await res.arrayBuffer());
    const text = bytes.toString('utf8');
    let json = null;
    try { json = JSON.parse(text); } catch { /* a page or a file */ }
    return { status: res.status, headers: res.headers, bytes, text, json };
  };
  return { as, request: req, api, page, post, get, orgId };
}

// The rows a query answers on srv's database (psql or sqlite3), each as
// its columns' text.
export function sqlRows(srv, query) {
  const out = backend === 'postgres'
    ? execFileSync('psql', [srv.db, '-At', '-c', query], { encoding: 'utf8' })
    : execFileSync('sqlite3', [srv.db, query], { encoding: 'utf8' });
  return out.trim().split('\n').filter(Boolean).map((l) => l.split('|'));
}

// Signs in through the form; the CSRF token comes from a signed-in page.
export async function formSession(base, email, password) {
  const s = await signIn(base, email, password);
  assert.equal(s.status, 303, `sign-in of ${email}`);
  const html = await (await fetch(`${base}/signin`, { headers: { cookie: s.cookie } })).text();
  const csrf = html.match(/name="csrf" value="([^"]+)"/)?.[1];
  assert.ok(csrf, `a CSRF token for ${email}`);
  return { cookie: s.cookie, csrf };
}

// Requests as a session s from formSession (or none): pages, form posts
// with the CSRF field, and the JSON API with the X-CSRF-Token header.
export function sessionClient(srv) {
  const page = (s, path) => fetch(srv.url + path, { headers: s ? { cookie: s.cookie } : {}, redirect: 'manual' });
  const html = async (s, path) => {
    const r = await page(s, path);
    assert.equal(r.status, 200, `GET ${path}`);
    return r.text();
  };
  const post = (s, path, fields = {}, { csrf = true } = {}) => fetch(srv.url + path, {
    method: 'POST', redirect: 'manual',
    headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...(csrf ? { csrf: s.csrf } : {}), ...fields }).toString(),
  });
  const api = (s, method, path, body, { csrf = true } = {}) => {
    const headers = { cookie: s.cookie };
    if (csrf) headers['x-csrf-token'] = s.csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return fetch(srv.url + path, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  };
  const json = async (s, path) => {
    const r = await api(s, 'GET', path);
    assert.equal(r.status, 200, `GET ${path}`);
    return r.json();
  };
  return { page, html, post, api, json };
}

// An MP4 file of size bytes: an ftyp box (isom, avc1) and an mdat box of
// changing bytes, enough for content sniffing to know it.
export function mp4(size) {
  const b = Buffer.alloc(size);
  b.writeUInt32BE(24, 0);
  b.write('ftypisom', 4, 'latin1');
  b.writeUInt32BE(0x200, 12);
  b.write('isomavc1', 16, 'latin1');
  b.writeUInt32BE(size - 24, 24);
  b.write('mdat', 28, 'latin1');
  for (let i = 32; i < size; i++) b[i] = i % 251;
  return b;
}

let xlsxCounter = 0;

// Every XML part of an XLSX file's bytes, as text (Python's zipfile: no
// extra module); the file is written into dir first.
export function xlsxText(dir, bytes) {
  const file = join(dir, `sheet-${process.pid}-${xlsxCounter++}.xlsx`);
  writeFileSync(file, bytes);
  return execFileSync('python3', ['-c', `
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
print('\\n'.join(z.read(n).decode('utf-8') for n in z.namelist() if n.endswith('.xml')))
`, file], { encoding: 'utf8' });
}
