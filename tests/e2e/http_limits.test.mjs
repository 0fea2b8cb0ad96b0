// HTTP limits and slow clients: every refused request is answered at once
// (and its connection closed), headers and bodies have deadlines that bytes
// trickling in do not reset, a full server keeps serving newcomers by
// closing idle connections, one address cannot crowd out another, the
// client address behind a trusted proxy is the one X-Forwarded-For names,
// and SIGTERM does not wait for connections that never sent a request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, serverForFile, sanitizerReport, rawRequest, statusOf, request, run, sqlRows, signIn }
  from './lib.mjs';

// The server under test in most tests: short header deadline, low minimum
// body rate, so that a test sees both rules act within a second or two.
const srv = serverForFile({ extraArgs: ['--header-timeout-ms', '1000', '--min-body-kbps', '1'] });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Resolves with p's value, or fails the test when it takes longer than ms.
function within(p, ms, what) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new assert.AssertionError({ message: `${what}: no answer within ${ms} ms` })), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

// Splits a raw reply into status, headers (lower-case names) and body.
function parse(raw) {
  const end = raw.indexOf('\r\n\r\n');
  const head = end < 0 ? raw : raw.slice(0, end);
  const headers = {};
  for (const line of head.split('\r\n').slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  const body = end < 0 ? '' : raw.slice(end + 4);
  let json = null;
  try { json = JSON.parse(body); } catch { /* a page, or nothing */ }
  return { status: statusOf(raw), headers, body, json };
}

// A connection held open: `closed` resolves with all the server sent once
// the server closes it. send(text) writes more.
function hold(port, { localAddress } = {}) {
  const sock = net.connect({ port, host: '127.0.0.1', localAddress });
  let data = '';
  let isClosed = false;
  sock.on('data', (d) => { data += d.toString('latin1'); });
  sock.on('error', () => {});
  const closed = new Promise((resolve) => sock.on('close', () => { isClosed = true; resolve(data); }));
  const connected = new Promise((resolve, reject) => { sock.once('connect', resolve); sock.once('error', reject); });
  return {
    sock, closed, connected,
    data: () => data,
    isClosed: () => isClosed,
    send: (text) => { if (!sock.destroyed) sock.write(text); },
    end: () => sock.destroy(),
  };
}

// One request on a new connection; resolves once a whole response is in
// (by Content-Length) or, when it says Connection: close, once the server
// has closed.
function ask(port, text, { localAddress } = {}) {
  return new Promise((resolve, reject) => {
    const c = hold(port, { localAddress });
    c.connected.then(() => c.send(text), reject);
    const check = () => {
      const raw = c.data();
      const end = raw.indexOf('\r\n\r\n');
      if (end < 0) return;
      const { headers } = parse(raw);
      const len = Number(headers['content-length'] ?? NaN);
      if (/close/i.test(headers.connection ?? '')) return;
      if (Number.isFinite(len) && Buffer.byteLength(raw.slice(end + 4), 'latin1') >= len) {
        c.end();
        resolve({ ...parse(raw), closedByServer: false });
      }
    };
    c.sock.on('data', check);
    c.closed.then((raw) => resolve({ ...parse(raw), closedByServer: true }));
  });
}

const get = (path, headers = '') => `GET ${path} HTTP/1.1\r\nHost: x\r\n${headers}\r\n`;
const params = (n) => Array.from({ length: n }, (_, i) => `a${i}=1`).join('&');
const cookies = (n) => `Cookie: ${Array.from({ length: n }, (_, i) => `c${i}=1`).join('; ')}\r\n`;
const fields = (n) => Array.from({ length: n }, (_, i) => `X-Field-${i}: v\r\n`).join('');

test('a query of hundreds of parameters is answered at once; over 1,000 is refused by name', async () => {
  for (const n of [300, 600, 1000]) {
    const r = await within(ask(srv.port, get(`/healthz?${params(n)}`)), 3000, `${n} parameters`);
    assert.equal(r.status, 200, `${n} parameters: ${r.body}`);
  }
  const over = await within(rawRequest(srv.port, [get(`/api/orgs?${params(1001)}`)]), 3000, '1001 parameters');
  const r = parse(over);
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'bad_query');
  assert.match(r.json.error.message, /more than 1000 fields/);
});

test('an address, a header or a set of headers too large is refused at once in the one error shape, and the connection closes', async () => {
  const cases = [
    ['a long address', get(`/api/orgs?q=${'a'.repeat(9000)}`), 414, 'uri_too_long', /longer than the 8192 bytes/],
    ['a long single header', get('/api/orgs', `X-Long: ${'b'.repeat(20000)}\r\n`), 431, 'headers_too_large', /larger than the 16384 bytes/],
    ['many header fields', get('/api/orgs', fields(150)), 431, 'headers_too_large', /more than 100 header fields/],
    ['hundreds of cookies', get('/api/orgs', cookies(360)), 431, 'headers_too_large', /360 cookies/],
    ['a page address, many fields', get('/orgs', fields(150)), 431, null, /more than 100 header fields/],
    ['an unknown transfer coding', 'POST /api/signin HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n', 400, 'bad_request', /Transfer-Encoding gzip is not supported/],
  ];
  for (const [what, text, status, code, message] of cases) {
    // rawRequest resolves when the server closes: the request asked
    // for nothing of the kind (HTTP/1.1 keeps connections by default).
    const raw = await within(rawRequest(srv.port, [text]), 3000, what);
    const r = parse(raw);
    assert.equal(r.status, status, `${what}: ${raw.slice(0, 300)}`);
    assert.match(r.headers.connection ?? '', /close/i, `${what}: Connection: close`);
    if (code) assert.equal(r.json?.error?.code, code, `${what}: ${r.body.slice(0, 300)}`);
    else assert.match(r.headers['content-type'], /text\/html/, what);
    assert.match(r.body, message, what);
  }
  assert.equal((await request(srv.url, 'GET', '/healthz')).status, 200, 'the server is still up');
});

test('whatever a request\'s size, it is answered at once: never left waiting', async () => {
  // Sizes on both sides of every limit, up to where the HTTP library
  // refuses by itself (with its own page, but still at once).
  const shapes = [];
  for (let n = 280; n <= 480; n += 4) shapes.push([`${n} cookies`, get('/api/x', cookies(n))]);
  for (let n = 80; n <= 470; n += 10) shapes.push([`${n} fields`, get('/api/x', fields(n))]);
  for (let n = 30000; n <= 34000; n += 250) shapes.push([`a ${n}-byte header`, get('/api/x', `X-Big: ${'c'.repeat(n)}\r\n`)]);
  for (let n = 900; n <= 4600; n += 300) shapes.push([`${n} parameters`, get(`/api/x?${params(n)}`)]);
  for (const [what, text] of shapes) {
    const r = await within(ask(srv.port, text), 3000, what);
    assert.ok(r.status >= 200 && r.status < 600, `${what}: got ${JSON.stringify(r.body.slice(0, 200))}`);
    if ([400, 413, 414, 431].includes(r.status)) assert.ok(r.closedByServer, `${what}: the refused connection is closed`);
  }
});

test('headers trickling in byte by byte are cut at the header deadline with 408', async () => {
  const c = hold(srv.port);
  await c.connected;
  c.send('GET /api/orgs HTTP/1.1\r\nHost: x\r\n');
  let sent = 0;
  const trickle = setInterval(() => { c.send('X-Slow: 1\r\n'); sent++; }, 100);
  const raw = await within(c.closed, 5000, 'a slow header sender').finally(() => clearInterval(trickle));
  assert.ok(sent >= 5, `bytes kept arriving (${sent} lines) and still the request was cut`);
  const r = parse(raw);
  assert.equal(r.status, 408, raw.slice(0, 300));
  assert.equal(r.json.error.code, 'request_timeout');
  assert.match(r.headers.connection, /close/i);

  // A connection that never says anything is closed too, without a word.
  const idle = hold(srv.port);
  await idle.connected;
  assert.equal(await within(idle.closed, 5000, 'an idle connection'), '');

  await sleep(100);
  assert.match(srv.stderr(), /access method=\S+ route=- status=408 .*cut=header_timeout/);
  const metrics = await request(srv.url, 'GET', '/metrics');
  assert.match(metrics.text, /coachd_connections_closed_total\{reason="header_timeout"\} [1-9]/);
});

test('a body trickling in below the minimum rate is cut with 408; a brisk one is served', async () => {
  const c = hold(srv.port);
  await c.connected;
  c.send('POST /csp-report HTTP/1.1\r\nHost: x\r\nContent-Type: application/csp-report\r\nContent-Length: 50000\r\n\r\n');
  let sent = 0;
  const trickle = setInterval(() => { c.send('x'.repeat(20)); sent++; }, 100);
  const raw = await within(c.closed, 5000, 'a slow body').finally(() => clearInterval(trickle));
  assert.ok(sent >= 5, `the body kept coming (${sent} pieces) and still was cut`);
  assert.equal(statusOf(raw), 408, raw.slice(0, 300));
  await sleep(100);
  assert.match(srv.stderr(), /status=408 .*cut=body_rate/);

  // 300 KB at loopback speed is far above 1 KB/s.
  const body = JSON.stringify({ 'csp-report': { 'violated-directive': 'img-src', 'blocked-uri': 'x'.repeat(300000) } });
  const ok = await within(fetch(`${srv.url}/csp-report`, {
    method: 'POST', headers: { 'content-type': 'application/csp-report' }, body,
  }), 5000, 'a brisk body');
  assert.equal(ok.status, 204);
});

test('a full server serves a newcomer by closing the longest-idle connections, never a request in progress', async () => {
  const s = await startServer({ extraArgs: ['--max-connections', '16'] });
  try {
    // An upload in progress: its body is not finished.
    const body = JSON.stringify({ 'csp-report': { 'violated-directive': 'img-src' } });
    const upload = hold(s.port, { localAddress: '127.0.0.6' });
    await upload.connected;
    upload.send(`POST /csp-report HTTP/1.1\r\nHost: x\r\nContent-Type: application/csp-report\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 10)}`);
    await sleep(100);
    const idle = [];
    for (let i = 0; i < 40; i++) {
      const c = hold(s.port, { localAddress: `127.0.0.${2 + (i % 4)}` });
      await c.connected;
      idle.push(c);
      await sleep(3); // so that "longest idle" has an order
    }
    const probe = await within(ask(s.port, get('/healthz', 'Connection: close\r\n')), 3000, 'a newcomer at the limit');
    assert.equal(probe.status, 200);
    const deadline = Date.now() + 3000;
    while (idle.filter((c) => c.isClosed()).length < 25 && Date.now() < deadline) await sleep(50);
    const closed = idle.filter((c) => c.isClosed()).length;
    assert.ok(closed >= 25, `idle connections closed to make room: ${closed} of 40`);
    assert.ok(idle.slice(-5).every((c) => !c.isClosed()), 'the newest idle connections are the last to go');
    assert.equal(upload.isClosed(), false, 'the upload in progress was not evicted');
    upload.send(body.slice(10));
    assert.equal(statusOf(await within(upload.closed, 3000, 'the upload')), 204);
    const metrics = await request(s.url, 'GET', '/metrics');
    assert.match(metrics.text, /coachd_connections_closed_total\{reason="evicted"\} [1-9]/);
    for (const c of idle) c.end();
  } finally {
    const r = await s.stop();
    assert.equal(r.code, 0, r.stderr.slice(-2000));
    assert.ok(!sanitizerReport(r.stderr), r.stderr.slice(-4000));
  }
});

test('one address at its limit closes its own idle connections: it never crowds out another address', async () => {
  const s = await startServer({ extraArgs: ['--max-connections', '64', '--max-per-address', '8'] });
  try {
    const other = [];
    for (let i = 0; i < 5; i++) {
      const c = hold(s.port, { localAddress: '127.0.0.3' });
      await c.connected;
      other.push(c);
    }
    const crowd = [];
    for (let i = 0; i < 30; i++) {
      const c = hold(s.port, { localAddress: '127.0.0.2' });
      await c.connected;
      crowd.push(c);
      await sleep(3);
    }
    const deadline = Date.now() + 3000;
    while (crowd.filter((c) => c.isClosed()).length < 22 && Date.now() < deadline) await sleep(50);
    assert.ok(crowd.filter((c) => c.isClosed()).length >= 22, 'at most 8 stay open from 127.0.0.2');
    assert.ok(other.every((c) => !c.isClosed()), "127.0.0.3's connections are untouched");
    for (const from of ['127.0.0.3', '127.0.0.2']) {
      const r = await within(ask(s.port, get('/healthz', 'Connection: close\r\n'), { localAddress: from }), 3000, `a request from ${from}`);
      assert.equal(r.status, 200, `served from ${from}`);
    }
    for (const c of [...crowd, ...other]) c.end();
  } finally {
    const r = await s.stop();
    assert.equal(r.code, 0, r.stderr.slice(-2000));
    assert.ok(!sanitizerReport(r.stderr), r.stderr.slice(-4000));
  }
});

test('X-Forwarded-For names the client only when a trusted proxy sends it', async () => {
  const s = await startServer({ extraArgs: ['--trusted-proxy', '127.0.0.1,192.0.2.1'] });
  try {
    const failSignIn = (email, { from, xff } = {}) => {
      const form = `email=${encodeURIComponent(email)}&password=wrong-pass-1`;
      return within(ask(s.port, 'POST /api/signin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n' +
        'Content-Type: application/x-www-form-urlencoded\r\n' +
        `${xff ? `X-Forwarded-For: ${xff}\r\n` : ''}Content-Length: ${form.length}\r\n\r\n${form}`,
      { localAddress: from }), 3000, `sign-in of ${email}`);
    };
    const cases = [
      // [email, from, X-Forwarded-For, remote the audit must show]
      ['a@example.net', '127.0.0.1', '198.51.100.7, 203.0.113.5', '203.0.113.5'],
      ['b@example.net', '127.0.0.1', '198.51.100.9, 192.0.2.1', '198.51.100.9'],
      ['c@example.net', '127.0.0.2', '198.51.100.8', '127.0.0.2'],
      ['d@example.net', '127.0.0.1', null, '127.0.0.1'],
      ['e@example.net', '127.0.0.1', 'unknown', '127.0.0.1'],
      ['f@example.net', '127.0.0.1', '2001:db8::7', '2001:db8::7'],
    ];
    for (const [email, from, xff] of cases) {
      const r = await failSignIn(email, { from, xff });
      assert.equal(r.status, 401, `${email}: ${r.body.slice(0, 200)}`);
    }
    const { cookie, status } = await signIn(s.url, 'admin@example.org');
    assert.equal(status, 303);
    const audit = await request(s.url, 'GET', '/api/audit?action=signin.fail', { cookie });
    assert.equal(audit.status, 200, audit.text);
    for (const [email, , , remote] of cases) {
      const e = audit.json.entries.find((x) => x.detail === email);
      assert.ok(e, `an audit entry for ${email}`);
      assert.equal(e.remote, remote, `the remote address of ${email}`);
    }
  } finally {
    const r = await s.stop();
    assert.equal(r.code, 0, r.stderr.slice(-2000));
    assert.ok(!sanitizerReport(r.stderr), r.stderr.slice(-4000));
  }
});

test('the connection flags are checked: a bad value exits 2 naming the flag', () => {
  const cases = [
    [['--trusted-proxy', 'proxy.example.org'], /--trusted-proxy proxy\.example\.org: 'proxy\.example\.org' is not an IP address/],
    [['--trusted-proxy', '10.0.0.1,,10.0.0.2'], /--trusted-proxy/],
    [['--max-connections', '5'], /--max-connections must be a whole number from 16/],
    [['--max-per-address', '0'], /--max-per-address must be a whole number/],
    [['--max-connections', '100', '--max-per-address', '200'], /--max-per-address must not be more than --max-connections/],
    [['--header-timeout-ms', 'soon'], /--header-timeout-ms must be a whole number/],
    [['--min-body-kbps', '-1'], /--min-body-kbps must be a whole number/],
  ];
  for (const [args, message] of cases) {
    const r = run(['serve', '--listen', '127.0.0.1:0', ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
  assert.match(run(['serve', '--help']).stdout, /--trusted-proxy/);
});

test('SIGTERM does not wait for slow clients, and a request after it on a kept-alive connection is never carried out', async () => {
  const s = await startServer();
  let exitedEarly = false;
  try {
    const slow = [];
    for (let i = 0; i < 30; i++) {
      const c = hold(s.port, { localAddress: '127.0.0.2' });
      await c.connected;
      slow.push(c);
    }
    const line = 'GET /healthz HTTP/1.1\r\nHost: x\r\n';
    let at = 0;
    const trickle = setInterval(() => { for (const c of slow) c.send(line[at % line.length]); at++; }, 100);

    // A kept-alive connection that has had one answer.
    const kept = hold(s.port);
    await kept.connected;
    kept.send(get('/healthz'));
    const t0 = Date.now();
    while (!/\r\n\r\nok/.test(kept.data()) && Date.now() - t0 < 3000) await sleep(10);
    assert.equal(statusOf(kept.data()), 200);
    const before = kept.data().length;

    s.child.kill('SIGTERM');
    await sleep(50);
    const form = 'email=admin%40example.org&password=demo-pass-1';
    kept.send('POST /api/signin HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
      `Content-Length: ${form.length}\r\n\r\n${form}`);
    const { code } = await within(s.exited, 5000, 'the server stopping with 30 slow clients');
    exitedEarly = true;
    clearInterval(trickle);
    assert.equal(code, 0);
    const after = await within(kept.closed, 2000, 'the kept-alive connection closing');
    const answer = after.slice(before);
    assert.ok(answer === '' || statusOf(answer) === 503, `after SIGTERM: ${JSON.stringify(answer.slice(0, 200))}`);
    assert.equal(sqlRows(s, "SELECT count(*) FROM audit WHERE action = 'signin.ok'")[0][0], '0',
      'no sign-in was carried out after the signal');
    assert.ok(slow.every((c) => c.isClosed()), 'the slow clients were let go');
  } finally {
    const r = await s.stop();
    if (exitedEarly) assert.equal(r.code, 0);
    assert.match(r.stderr, /finishing requests in flight/);
    assert.ok(!sanitizerReport(r.stderr), r.stderr.slice(-4000));
  }
});
