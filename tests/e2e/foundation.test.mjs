// The machinery end to end: health, metrics, pages and API from the real
// store, error shapes, body limits, malformed input, ranges, security
// headers, graceful shutdown, and the command line. The organization pages
// and API need a signed-in person, so those requests carry an
// administrator's session.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serverForFile, startServer, rawRequest, statusOf, run, sanitizerReport, backend, freshDb, signIn } from './lib.mjs';

let admin; // the administrator's session cookie
const srv = serverForFile({
  ready: async (server) => {
    admin = (await signIn(server.url, 'admin@example.org')).cookie;
    assert.ok(admin, 'the demo administrator signs in');
  },
});
const get = (path, init) => fetch(srv.url + path, init);
// As the signed-in administrator.
const authed = (path, init = {}) => get(path, { ...init, headers: { ...init.headers, cookie: admin } });

test('healthz answers ok from the store', async () => {
  const r = await get('/healthz');
  assert.equal(r.status, 200);
  assert.equal(await r.text(), 'ok\n');
});

test('every response carries the security headers', async () => {
  for (const path of ['/healthz', '/orgs', '/api/orgs', '/nowhere', '/static/coachd.css']) {
    const r = await authed(path);
    await r.arrayBuffer();
    const csp = r.headers.get('content-security-policy') || '';
    assert.match(csp, /script-src 'self'/, path);
    assert.doesNotMatch(csp, /unsafe-inline/, path);
    assert.match(csp, /frame-ancestors 'none'/, path);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff', path);
    assert.equal(r.headers.get('x-frame-options'), 'DENY', path);
    assert.ok(r.headers.get('referrer-policy'), path);
  }
});

test('the organizations page lists the demo from the store, with a chart', async () => {
  const r = await authed('/orgs');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /text\/html/);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  const html = await r.text();
  assert.match(html, /Prairie Glen School District 41/);
  assert.match(html, /Meadowbrook Elementary School/);
  assert.match(html, /Lakeshore Mathematics Collaborative/);
  assert.match(html, /<svg[^>]*role="img"/);
  assert.match(html, /People per school/);
  assert.doesNotMatch(html, /<script>/, 'no inline script');
});

test('the organizations page filters by kind and name, and refuses an unknown kind', async () => {
  const schools = await (await authed('/orgs?kind=school')).text();
  assert.match(schools, /Cedar Ridge/);
  assert.doesNotMatch(schools, /Lakeshore Mathematics Collaborative<\/a>/);
  const named = await (await authed('/orgs?q=cedar')).text();
  assert.match(named, /Cedar Ridge/);
  assert.doesNotMatch(named, /Meadowbrook Elementary School<\/a>/);
  const literal = await (await authed('/api/orgs?q=%25')).json();
  assert.equal(literal.orgs.length, 0, 'a % in the search is a literal character');
  const bad = await authed('/orgs?kind=county');
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /kind must be one of/);
});

test('GET /api/orgs returns the organizations as JSON', async () => {
  const r = await authed('/api/orgs');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /application\/json/);
  const body = await r.json();
  const names = body.orgs.map((o) => o.name);
  assert.ok(names.includes('Prairie Glen School District 41'));
  const district = body.orgs.find((o) => o.kind === 'district');
  const schools = body.orgs.filter((o) => o.kind === 'school');
  assert.equal(schools.length, 3);
  for (const s of schools) assert.equal(s.parent_id, district.id);
  const meadow = schools.find((s) => s.name.startsWith('Meadowbrook'));
  assert.ok(meadow.people >= 3, 'people counted from roles');

  const one = await authed(`/api/orgs/${district.id}`);
  assert.equal(one.status, 200);
  assert.equal((await one.json()).name, district.name);
  const page = await authed(`/orgs/${district.id}`);
  const html = await page.text();
  assert.match(html, /<h2>Schools<\/h2>/);
});

test('errors have one shape: JSON under /api, a page elsewhere', async () => {
  const missing = await authed('/api/orgs/999999');
  assert.equal(missing.status, 404);
  const e = await missing.json();
  assert.equal(e.error.code, 'not_found');
  assert.ok(e.error.message.length > 0);

  const notId = await authed('/api/orgs/abc');
  assert.equal(notId.status, 404);
  assert.equal((await notId.json()).error.field, 'id');

  // A parameter is decoded once, and an encoded "/" never splits a segment.
  const slash = await authed(`/api/orgs/1%2F2`);
  assert.equal(slash.status, 404);
  const twice = await authed('/api/orgs/%2531');
  assert.equal(twice.status, 404, '%2531 is "%31", not "1"');

  const apiNone = await get('/api/nothing-here');
  assert.equal(apiNone.status, 404);
  assert.equal((await apiNone.json()).error.code, 'not_found');

  const page = await get('/nothing-here');
  assert.equal(page.status, 404);
  assert.match(page.headers.get('content-type'), /text\/html/);
  assert.match(await page.text(), /<main[^>]*>[\s\S]*Not found/);
});

test('a wrong method is 405 with Allow', async () => {
  // /orgs and /api/orgs take POST now (creating an organization), so the
  // GET-only address is /healthz and the API's missing method is PUT.
  const r = await get('/healthz', { method: 'DELETE' });
  assert.equal(r.status, 405);
  assert.equal(r.headers.get('allow'), 'GET');
  const orgs = await authed('/orgs', { method: 'DELETE' });
  assert.equal(orgs.status, 405);
  assert.equal(orgs.headers.get('allow'), 'GET, POST');
  const api = await authed('/api/orgs', { method: 'PUT', body: '{}', headers: { 'content-type': 'application/json' } });
  assert.equal(api.status, 405);
  assert.equal((await api.json()).error.code, 'method_not_allowed');
});

test('HEAD is answered like GET without a body', async () => {
  const r = await get('/healthz', { method: 'HEAD' });
  assert.equal(r.status, 200);
  assert.equal(await r.text(), '');
});

test('a body over the limit is 413, announced or streamed', async () => {
  const raw = await rawRequest(srv.port, [
    'POST /signin HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
    'Content-Length: 5000000\r\nConnection: close\r\n\r\n',
  ]);
  assert.equal(statusOf(raw), 413);
  assert.match(raw, /larger than/);

  // Chunked: the size is only known as it arrives.
  const big = 'a='.padEnd(300000, 'x');
  const chunk = (s) => `${s.length.toString(16)}\r\n${s}\r\n`;
  const streamed = await rawRequest(srv.port, [
    'POST /signin HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
    'Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n',
    chunk(big), chunk(big), chunk(big), chunk(big), '0\r\n\r\n',
  ]);
  assert.equal(statusOf(streamed), 413);
});

test('a malformed query string is 400 naming the problem', async () => {
  const r = await authed('/orgs?q=%zz');
  assert.equal(r.status, 400);
  assert.match(await r.text(), /percent|escape/i);
  const api = await authed('/api/orgs?q=%e9');
  assert.equal(api.status, 400);
  assert.equal((await api.json()).error.code, 'bad_query');
});

test('a malformed urlencoded form is 400', async () => {
  const r = await get('/signin', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'email=a%zz&password=x',
  });
  assert.equal(r.status, 400);
  assert.match(await r.text(), /form: .*(escape|percent)/i);
});

test('malformed multipart bodies are 400 with a message', async () => {
  const noBoundary = await get('/signin', {
    method: 'POST', headers: { 'content-type': 'multipart/form-data' }, body: 'x',
  });
  assert.equal(noBoundary.status, 400);
  assert.match(await noBoundary.text(), /boundary/);

  const unclosed = await get('/signin', {
    method: 'POST',
    headers: { 'content-type': 'multipart/form-data; boundary=XyZ' },
    body: '--XyZ\r\nContent-Disposition: form-data; name="email"\r\n\r\na@b.c\r\n',
  });
  assert.equal(unclosed.status, 400);
  assert.match(await unclosed.text(), /multipart/);

  const withFile = await get('/signin', {
    method: 'POST',
    headers: { 'content-type': 'multipart/form-data; boundary=XyZ' },
    body: '--XyZ\r\nContent-Disposition: form-data; name="f"; filename="a.txt"\r\n' +
      'Content-Type: text/plain\r\n\r\nhello\r\n--XyZ--\r\n',
  });
  assert.equal(withFile.status, 400);
  assert.match(await withFile.text(), /does not take files/);
});

test('a well-formed multipart form reaches the handler', async () => {
  const fd = new FormData();
  fd.set('email', '');
  fd.set('password', 'x');
  const r = await get('/signin', { method: 'POST', body: fd });
  assert.equal(r.status, 400);
  assert.match(await r.text(), /email/i, 'the handler saw the fields and named the empty one');
});

test('malformed JSON is 400; a wrong content type is 415', async () => {
  const r = await get('/csp-report', { method: 'POST', headers: { 'content-type': 'application/csp-report' }, body: '{"csp-report": ' });
  assert.equal(r.status, 400);
  assert.match(await r.text(), /not a JSON object/);
  const ok = await get('/csp-report', {
    method: 'POST', headers: { 'content-type': 'application/csp-report' },
    body: JSON.stringify({ 'csp-report': { 'violated-directive': 'script-src', 'blocked-uri': 'inline' } }),
  });
  assert.equal(ok.status, 204);
  const wrong = await get('/signin', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  assert.equal(wrong.status, 415);
});

test('oversized headers are refused and the server stays up', async () => {
  const raw = await rawRequest(srv.port, [
    `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(70000)}\r\nConnection: close\r\n\r\n`,
  ]);
  const status = statusOf(raw);
  assert.ok(status === 431 || status === 413 || status === 400, `got ${status}`);
  assert.equal((await get('/healthz')).status, 200);
});

test('static assets have ETags and honour Range', async () => {
  const full = await get('/static/coachd.css');
  assert.equal(full.status, 200);
  assert.match(full.headers.get('content-type'), /text\/css/);
  const etag = full.headers.get('etag');
  const body = await full.text();
  assert.ok(etag && body.length > 100);

  const again = await get('/static/coachd.css', { headers: { 'if-none-match': etag } });
  assert.equal(again.status, 304);

  const part = await get('/static/coachd.css', { headers: { range: 'bytes=0-9' } });
  assert.equal(part.status, 206);
  assert.equal(part.headers.get('content-range'), `bytes 0-9/${Buffer.byteLength(body)}`);
  assert.equal(await part.text(), body.slice(0, 10));

  const tail = await get('/static/coachd.css', { headers: { range: 'bytes=-5' } });
  assert.equal(tail.status, 206);
  assert.equal(await tail.text(), body.slice(-5));

  const none = await get('/static/coachd.css', { headers: { range: 'bytes=999999-' } });
  assert.equal(none.status, 416);
  assert.equal(none.headers.get('content-range'), `bytes */${Buffer.byteLength(body)}`);

  assert.equal((await get('/static/nope.css')).status, 404);
});

test('metrics count requests by route and status', async () => {
  await (await authed('/api/orgs')).text();
  await (await authed('/api/orgs/999999')).text();
  const text = await (await get('/metrics')).text();
  assert.match(text, /# TYPE coachd_requests_total counter/);
  assert.match(text, /coachd_requests_total\{method="GET",route="\/api\/orgs",status="200"\} [1-9]/);
  assert.match(text, /coachd_requests_total\{method="GET",route="\/api\/orgs\/\{id\}",status="404"\} [1-9]/);
  assert.match(text, /coachd_request_duration_seconds_bucket\{le="\+Inf"\} [1-9]/);
  assert.match(text, /coachd_store_errors_total 0/);
});

test('the access log has one structured line per request', async () => {
  await (await authed('/api/orgs?kind=school')).text();
  await new Promise((r) => setTimeout(r, 100));
  assert.match(srv.stderr(), /access method=GET route=\/api\/orgs status=200 bytes=\d+ us=\d+/);
});

test('graceful shutdown finishes a request in flight, then exits 0', async () => {
  const s = await startServer();
  const body = JSON.stringify({ 'csp-report': { 'violated-directive': 'img-src' } });
  const half = Math.floor(body.length / 2);
  const reply = rawRequest(s.port, [
    `POST /csp-report HTTP/1.1\r\nHost: x\r\nContent-Type: application/csp-report\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, half)}`,
    body.slice(half),
  ], {
    onSent: async (i) => {
      if (i === 0) {
        await new Promise((r) => setTimeout(r, 150));
        s.child.kill('SIGTERM');
        await new Promise((r) => setTimeout(r, 300));
      }
    },
  });
  const raw = await reply;
  assert.equal(statusOf(raw), 204, raw);
  const r = await s.stop();
  assert.equal(r.code, 0);
  assert.match(r.stderr, /finishing requests in flight/);
  assert.ok(!sanitizerReport(r.stderr), r.stderr.slice(-4000));
});

test('command line: version, help, usage errors name the flag (exit 2)', () => {
  assert.match(run(['version']).stdout, /^coachd \d+\.\d+/);
  assert.equal(run(['serve', '--help']).code, 0);
  assert.match(run(['serve', '--help']).stdout, /--listen/);
  const bad = run(['serve', '--bogus']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--bogus/);
  const badListen = run(['serve', '--listen', 'nonsense']);
  assert.equal(badListen.code, 2);
  assert.match(badListen.stderr, /--listen/);
  const noValue = run(['migrate', '--db']);
  assert.equal(noValue.code, 2);
  assert.match(noValue.stderr, /--db needs a value/);
  assert.equal(run(['frobnicate']).code, 2);
  const noFile = run(['backup']);
  assert.equal(noFile.code, 2);
});

test('command line: migrate and backup', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'coachd-cli-'));
  try {
    const db = freshDb(dir);
    const m = run(['migrate', '--db', db]);
    assert.equal(m.code, 0, m.stderr);
    assert.match(m.stdout, /schema version [1-9]/);
    const again = run(['migrate', '--db', db]);
    assert.equal(again.stdout, m.stdout, 'a second migrate changes nothing');
    // Back up the running server's database while it is in use.
    const copy = join(dir, 'copy.db');
    const b = run(['backup', '--db', srv.db, copy]);
    if (backend === 'postgres') {
      assert.equal(b.code, 1);
      assert.match(b.stderr, /pg_dump/);
    } else {
      assert.equal(b.code, 0, b.stderr);
      assert.ok(existsSync(copy));
      const twice = run(['backup', '--db', srv.db, copy]);
      assert.equal(twice.code, 1, 'refuses to overwrite');
      // The copy is a working database with the demo in it: serve it.
      const s = await startServer({ command: 'serve', db: copy });
      const { cookie } = await signIn(s.url, 'admin@example.org');
      const orgs = await (await fetch(`${s.url}/api/orgs`, { headers: { cookie } })).json();
      assert.ok(orgs.orgs.some((o) => o.name === 'Meadowbrook Elementary School'));
      await s.stop();
    }
    const unreachable = run(['migrate', '--db', 'postgresql://nobody@127.0.0.1:1/none']);
    assert.equal(unreachable.code, 1);
    assert.match(unreachable.stderr, /cannot open/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
