// Signing in and out through the real server: the demo accounts, wrong
// passwords without telling which part was wrong, session cookies, CSRF on
// sign-out, and accounts made with `coachd user`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverForFile, signIn, run } from './lib.mjs';

const srv = serverForFile();

test('the demo prints its sign-ins', () => {
  for (const email of ['admin@example.org', 'lead@example.org', 'principal@example.org',
    'coach@example.org', 'teacher@example.org', 'teacher2@example.org']) {
    assert.match(srv.stdout(), new RegExp(email.replace('.', '\\.')));
  }
  assert.match(srv.stdout(), /demo-pass-1/);
});

test('the sign-in page has labelled fields', async () => {
  const html = await (await fetch(`${srv.url}/signin`)).text();
  assert.match(html, /<label[^>]*for="email"/);
  assert.match(html, /<label[^>]*for="password"/);
  assert.match(html, /autocomplete="current-password"/);
});

test('a demo account signs in and gets a safe session cookie', async () => {
  const res = await fetch(`${srv.url}/signin`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'email=coach%40example.org&password=demo-pass-1&next=%2Forgs',
  });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/orgs');
  const cookie = res.headers.get('set-cookie');
  assert.match(cookie, /coachd_session=[A-Za-z0-9_-]{40,}/);
  assert.match(cookie, /HttpOnly/i);
  assert.match(cookie, /SameSite=Lax/i);
  assert.doesNotMatch(cookie, /Secure/i, 'no Secure flag without --secure-cookies');
  const session = cookie.match(/coachd_session=[^;]+/)[0];
  const page = await (await fetch(`${srv.url}/orgs`, { headers: { cookie: session } })).text();
  assert.match(page, /Carmen Ortiz/, 'the layout shows who is signed in');
});

test('an off-site next is ignored', async () => {
  for (const next of ['//evil.example', 'https://evil.example/', '/\\evil.example']) {
    const res = await fetch(`${srv.url}/signin`, {
      method: 'POST', redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: 'coach@example.org', password: 'demo-pass-1', next }).toString(),
    });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/', next);
  }
});

test('a wrong password and an unknown email get the same answer', async () => {
  const wrong = await signIn(srv.url, 'coach@example.org', 'not-the-password');
  const unknown = await signIn(srv.url, 'nobody@example.org', 'not-the-password');
  assert.equal(wrong.status, 401);
  assert.equal(unknown.status, 401);
  assert.equal(wrong.cookie, null);
  const a = await (await fetch(`${srv.url}/signin`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'email=coach%40example.org&password=nope-nope-nope',
  })).text();
  const b = await (await fetch(`${srv.url}/signin`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'email=nobody%40example.org&password=nope-nope-nope',
  })).text();
  const msg = (s) => s.match(/Email or password is wrong\./)?.[0];
  assert.equal(msg(a), 'Email or password is wrong.');
  assert.equal(msg(b), msg(a));
  assert.doesNotMatch(a, /nope-nope-nope/, 'the password is never echoed');
});

test('missing fields are named', async () => {
  const r = await fetch(`${srv.url}/api/signin`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'email=&password=x',
  });
  assert.equal(r.status, 400);
  assert.equal((await r.json()).error.field, 'email');
  const p = await fetch(`${srv.url}/api/signin`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'email=coach%40example.org',
  });
  assert.equal(p.status, 400);
  assert.equal((await p.json()).error.field, 'password');
});

test('sign-out needs the CSRF token and ends the session', async () => {
  const { cookie } = await signIn(srv.url, 'teacher@example.org');
  assert.ok(cookie);
  const page = await (await fetch(`${srv.url}/signin`, { headers: { cookie } })).text();
  const csrf = page.match(/name="csrf" value="([^"]+)"/)?.[1];
  assert.ok(csrf, 'the signed-in page carries a CSRF token');

  const forged = await fetch(`${srv.url}/signout`, {
    method: 'POST', redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: 'csrf=wrong',
  });
  assert.equal(forged.status, 403);
  const still = await (await fetch(`${srv.url}/orgs`, { headers: { cookie } })).text();
  assert.match(still, /Tom Becker/, 'a refused sign-out changes nothing');

  const out = await fetch(`${srv.url}/signout`, {
    method: 'POST', redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: `csrf=${encodeURIComponent(csrf)}`,
  });
  assert.equal(out.status, 303);
  const after = await (await fetch(`${srv.url}/orgs`, { headers: { cookie } })).text();
  assert.doesNotMatch(after, /Tom Becker/, 'the old cookie no longer signs anyone in');
});

test('sign-out without a session is refused before the body is read', async () => {
  const api = await fetch(`${srv.url}/api/signout`, { method: 'POST' });
  assert.equal(api.status, 401);
  assert.equal((await api.json()).error.code, 'signin_required');
  const page = await fetch(`${srv.url}/signout`, { method: 'POST', redirect: 'manual' });
  assert.equal(page.status, 303);
  assert.match(page.headers.get('location'), /^\/signin\?next=/);
});

test('coachd user add and user password make an account that signs in', async () => {
  const add = run(['user', 'add', 'new.coach@example.org', '--name', 'New Coach', '--role', 'coach',
    '--org', 'Lakeshore Mathematics Collaborative', '--db', srv.db, '--password-stdin'],
  { input: 'a-long-enough-secret\n' });
  assert.equal(add.code, 0, add.stderr);
  assert.equal((await signIn(srv.url, 'new.coach@example.org', 'a-long-enough-secret')).status, 303);

  const weak = run(['user', 'password', 'new.coach@example.org', '--db', srv.db], { input: 'short\n' });
  assert.equal(weak.code, 2);
  assert.ok(weak.stderr.length > 0);

  const set = run(['user', 'password', 'new.coach@example.org', '--db', srv.db], { input: 'another-long-secret\n' });
  assert.equal(set.code, 0, set.stderr);
  assert.equal((await signIn(srv.url, 'new.coach@example.org', 'a-long-enough-secret')).status, 401);
  assert.equal((await signIn(srv.url, 'new.coach@example.org', 'another-long-secret')).status, 303);

  const badRole = run(['user', 'add', 'x@example.org', '--name', 'X', '--role', 'wizard', '--org', '1', '--db', srv.db]);
  assert.equal(badRole.code, 2);
  assert.match(badRole.stderr, /--role/);
  const badOrg = run(['user', 'add', 'x@example.org', '--name', 'X', '--role', 'teacher', '--org', 'Nowhere', '--db', srv.db]);
  assert.notEqual(badOrg.code, 0);
  assert.match(badOrg.stderr, /Nowhere|--org/);
});
