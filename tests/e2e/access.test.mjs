// The access plumbing of the trust contract through the real server: API
// tokens (command line and API), bearer authentication under /api/ only,
// the CSRF rule for cookie sessions, sign-in throttling, the audit log and
// who may read it, the account page and signing out everywhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverForFile, signIn, run } from './lib.mjs';

const srv = serverForFile();

const form = (o) => new URLSearchParams(o).toString();
const formHeaders = (cookie) => ({ cookie, 'content-type': 'application/x-www-form-urlencoded' });

async function get(path, headers = {}) {
  const res = await fetch(`${srv.url}${path}`, { headers, redirect: 'manual' });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* a page */ }
  return { status: res.status, headers: res.headers, text, json };
}

const bearer = (token) => ({ authorization: `Bearer ${token}` });

// A signed-in cookie and its session's CSRF token (from GET /api/me).
async function session(email) {
  const { status, cookie } = await signIn(srv.url, email);
  assert.equal(status, 303, `${email} signs in`);
  const me = await get('/api/me', { cookie });
  assert.equal(me.status, 200);
  return { cookie, csrf: me.json.csrf, me: me.json };
}

function cliToken(email, name) {
  const args = ['token', 'create', email, '--db', srv.db];
  if (name) args.push('--name', name);
  const r = run(args);
  assert.equal(r.code, 0, r.stderr);
  const token = r.stdout.trim();
  assert.match(token, /^cd_[A-Za-z0-9_-]{43}$/);
  return token;
}

async function auditFor(cookie, query = '') {
  const r = await get(`/api/audit${query}`, { cookie });
  assert.equal(r.status, 200, r.text);
  return r.json;
}

async function signInWith(email, password) {
  return fetch(`${srv.url}/signin`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form({ email, password }),
  });
}

test('a token made on the command line opens the API as its person, until revoked', async () => {
  const token = cliToken('principal@example.org', 'nightly export');
  const me = await get('/api/me', bearer(token));
  assert.equal(me.status, 200);
  assert.equal(me.json.person.email, 'principal@example.org');
  assert.equal(me.json.auth, 'token');
  assert.equal(me.json.csrf, undefined, 'a token has no CSRF token');
  assert.ok(me.json.grants.some((g) => g.role === 'principal' && /Meadowbrook/.test(g.org_name)));
  const orgs = await get('/api/orgs', bearer(token));
  assert.equal(orgs.status, 200);
  assert.ok(orgs.json.orgs.length > 0);

  const list = run(['token', 'list', 'principal@example.org', '--db', srv.db]);
  assert.equal(list.code, 0, list.stderr);
  const id = Number(list.stdout.match(/^(\d+)\tactive\t.*nightly export$/m)?.[1]);
  assert.ok(id > 0, list.stdout);
  assert.doesNotMatch(list.stdout, /cd_/, 'the secret is never shown again');

  const revoke = run(['token', 'revoke', String(id), '--db', srv.db]);
  assert.equal(revoke.code, 0, revoke.stderr);
  const after = await get('/api/me', bearer(token));
  assert.equal(after.status, 401);
  assert.equal(after.json.error.code, 'bad_token');
  assert.match(run(['token', 'list', 'principal@example.org', '--db', srv.db]).stdout,
    new RegExp(`^${id}\\trevoked\\t`, 'm'));
  const again = run(['token', 'revoke', String(id), '--db', srv.db]);
  assert.equal(again.code, 0);
  assert.match(again.stdout, /already/);
});

test('the token command refuses bad input with the right status', () => {
  assert.equal(run(['token', 'create', 'nobody@example.org', '--db', srv.db]).code, 1);
  const badId = run(['token', 'revoke', 'seven', '--db', srv.db]);
  assert.equal(badId.code, 2);
  assert.match(badId.stderr, /ID/);
  assert.equal(run(['token', 'revoke', '999999', '--db', srv.db]).code, 1);
  assert.equal(run(['token', 'frobnicate', '--db', srv.db]).code, 2);
  const noEmail = run(['token', 'create', '--db', srv.db]);
  assert.equal(noEmail.code, 2);
  assert.match(noEmail.stderr, /EMAIL/);
  assert.equal(run(['token', 'create', 'teacher@example.org', '--name', '', '--db', srv.db]).code, 2);
});

test('an unknown bearer token is 401 and never falls back to the cookie', async () => {
  const { cookie } = await session('teacher@example.org');
  for (const value of ['Bearer cd_madeup', 'Bearer ', 'bearer cd_AAAA']) {
    const r = await get('/api/me', { cookie, authorization: value });
    assert.equal(r.status, 401, value);
    assert.equal(r.json.error.code, 'bad_token');
  }
  // Another scheme is not ours: the cookie decides.
  const basic = await get('/api/me', { cookie, authorization: 'Basic dXNlcjpwYXNz' });
  assert.equal(basic.status, 200);
  assert.equal(basic.json.person.email, 'teacher@example.org');
});

test('a bearer token is ignored on pages', async () => {
  const token = cliToken('lead@example.org');
  const page = await get('/account', bearer(token));
  assert.equal(page.status, 303);
  assert.match(page.headers.get('location'), /^\/signin\?next=%2Faccount/);
  const bogus = await get('/account', bearer('cd_madeup'));
  assert.equal(bogus.status, 303, 'a bad token on a page is not a 401 either');
});

test('a bogus or stale cookie is treated as signed out', async () => {
  const cookie = 'coachd_session=bogus-cookie-value';
  const page = await get('/account', { cookie });
  assert.equal(page.status, 303);
  assert.match(page.headers.get('location'), /^\/signin\?next=%2Faccount/);
  assert.match(page.headers.get('set-cookie'), /coachd_session=;.*Max-Age=0/);
  const api = await get('/api/me', { cookie });
  assert.equal(api.status, 401);
  assert.equal(api.json.error.code, 'signin_required');
});

test('cookie API writes need X-CSRF-Token; token requests do not', async () => {
  const { cookie, csrf } = await session('coach@example.org');
  assert.ok(csrf);
  const count = async () => (await get('/api/tokens', { cookie })).json.tokens.length;
  const before = await count();

  const forged = await fetch(`${srv.url}/api/tokens`, {
    method: 'POST', headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'forged' }),
  });
  assert.equal(forged.status, 403);
  assert.equal((await forged.json()).error.code, 'csrf');
  assert.equal(await count(), before, 'nothing was made');

  const made = await fetch(`${srv.url}/api/tokens`, {
    method: 'POST', headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': csrf },
    body: JSON.stringify({ name: 'grading sync' }),
  });
  assert.equal(made.status, 201);
  const { token, id, name } = await made.json();
  assert.match(token, /^cd_[A-Za-z0-9_-]{43}$/);
  assert.equal(name, 'grading sync');
  assert.equal(await count(), before + 1);
  const listed = (await get('/api/tokens', { cookie })).json.tokens.find((t) => t.id === id);
  assert.equal(listed.name, 'grading sync');
  assert.equal(listed.revoked_at, null);
  assert.ok(!JSON.stringify(listed).includes(token), 'the list never carries the secret');

  // With the bearer token: no CSRF token, no cookie, and the write goes through.
  const second = await fetch(`${srv.url}/api/tokens`, {
    method: 'POST', headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': csrf },
    body: JSON.stringify({ name: 'to revoke' }),
  });
  const other = await second.json();
  const del = await fetch(`${srv.url}/api/tokens/${other.id}`, { method: 'DELETE', headers: bearer(token) });
  assert.equal(del.status, 200);
  assert.ok((await del.json()).revoked_at);
  assert.equal((await get('/api/me', bearer(other.token))).status, 401);

  // A token cannot mint more tokens.
  const mint = await fetch(`${srv.url}/api/tokens`, {
    method: 'POST', headers: { ...bearer(token), 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'child' }),
  });
  assert.equal(mint.status, 403);
  assert.equal(await count(), before + 2);
});

test('a bad token name is 400 naming the field, and writes nothing', async () => {
  const { cookie, csrf } = await session('teacher@example.org');
  const count = async () => (await get('/api/tokens', { cookie })).json.tokens.length;
  const before = await count();
  for (const body of [{ name: '' }, { name: '   ' }, { name: 'x'.repeat(101) }, {}]) {
    const r = await fetch(`${srv.url}/api/tokens`, {
      method: 'POST', headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify(body),
    });
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal((await r.json()).error.field, 'name');
  }
  const notJson = await fetch(`${srv.url}/api/tokens`, {
    method: 'POST', headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': csrf },
    body: '[1,2]',
  });
  assert.equal(notJson.status, 400);
  assert.equal(await count(), before);

  const page = await fetch(`${srv.url}/account/tokens`, {
    method: 'POST', redirect: 'manual', headers: formHeaders(cookie), body: form({ csrf, name: '' }),
  });
  assert.equal(page.status, 400);
  const html = await page.text();
  assert.match(html, /<span class="field-error" id="name-error">[^<]+<\/span>/);
  assert.match(html, /aria-invalid="true"/);
  assert.equal(await count(), before);
});

test('administrators revoke tokens of people in their district; others may not', async () => {
  const lead = await session('lead@example.org');
  const admin = await session('admin@example.org');
  const teacher = await session('teacher@example.org');
  const coach = await session('coach@example.org');
  const token = cliToken('lead@example.org', 'dashboard');
  const leadId = lead.me.person.id;
  const { id } = (await get(`/api/tokens?person=${leadId}`, { cookie: admin.cookie }))
    .json.tokens.find((t) => t.name === 'dashboard');
  assert.ok(id);

  assert.equal((await get(`/api/tokens?person=${leadId}`, { cookie: teacher.cookie })).status, 404);
  assert.equal((await get('/api/tokens?person=abc', { cookie: admin.cookie })).json.error.field, 'person');
  for (const who of [teacher, coach]) {
    const r = await fetch(`${srv.url}/api/tokens/${id}`, {
      method: 'DELETE', headers: { cookie: who.cookie, 'x-csrf-token': who.csrf },
    });
    assert.equal(r.status, 404, 'another person\'s token is not even there');
  }
  assert.equal((await get('/api/me', bearer(token))).status, 200, 'still in force');

  const r = await fetch(`${srv.url}/api/tokens/${id}`, {
    method: 'DELETE', headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
  });
  assert.equal(r.status, 200);
  assert.equal((await get('/api/me', bearer(token))).status, 401);
  const log = await auditFor(admin.cookie, '?action=token.revoke');
  const entry = log.entries.find((e) => e.object_id === id);
  assert.equal(entry.actor_name, 'Alex Admin');
  assert.match(entry.detail, /lead@example\.org/);
});

test('five wrong passwords hold the account back, even from the right one', async () => {
  for (let i = 0; i < 5; i++) {
    const r = await signInWith('teacher2@example.org', `wrong-password-${i}`);
    assert.equal(r.status, 401);
    await r.text();
  }
  const right = await signInWith('teacher2@example.org', 'demo-pass-1');
  assert.equal(right.status, 429);
  assert.equal(right.headers.get('set-cookie'), null);
  const retry = Number(right.headers.get('retry-after'));
  assert.ok(retry > 800 && retry <= 900, `Retry-After ${retry}`);
  const html = await right.text();
  assert.match(html, /Too many failed sign-ins\. Try again in 15 minutes\./);

  const api = await fetch(`${srv.url}/api/signin`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'TEACHER2@example.org', password: 'demo-pass-1' }),
  });
  assert.equal(api.status, 429);
  const err = (await api.json()).error;
  assert.equal(err.code, 'throttled');
  assert.equal(err.message, 'Too many failed sign-ins. Try again in 15 minutes.');

  // Another account from the same address is not held back.
  assert.equal((await signIn(srv.url, 'teacher@example.org')).status, 303);
});

test('an email without an account is throttled the same way', async () => {
  for (let i = 0; i < 5; i++) {
    const r = await signInWith('no.such.person@example.org', `guess-number-${i}`);
    assert.equal(r.status, 401);
    await r.text();
  }
  const r = await signInWith('no.such.person@example.org', 'guess-number-6');
  assert.equal(r.status, 429);
  assert.ok(Number(r.headers.get('retry-after')) > 0);
  assert.match(await r.text(), /Too many failed sign-ins\. Try again in 15 minutes\./);
});

test('sign-ins and token use go into the audit log, without passwords', async () => {
  const wrong = await signInWith('principal@example.org', 'secret-guess-xyz');
  assert.equal(wrong.status, 401);
  await wrong.text();
  const admin = await session('admin@example.org');
  const token = cliToken('teacher@example.org', 'audit probe');
  assert.equal((await get('/api/me', bearer(token))).status, 200);

  const log = await auditFor(admin.cookie);
  const text = JSON.stringify(log);
  assert.doesNotMatch(text, /secret-guess-xyz|demo-pass-1|wrong-password/, 'no password is logged');
  const find = (pred) => log.entries.find(pred);
  const ok = find((e) => e.action === 'signin.ok' && e.actor_name === 'Alex Admin');
  assert.ok(ok);
  assert.match(ok.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(ok.remote, '127.0.0.1');
  assert.ok(ok.district_id > 0);
  const fail = find((e) => e.action === 'signin.fail' && e.detail === 'principal@example.org');
  assert.ok(fail, 'the failed sign-in names the email typed');
  assert.equal(fail.actor_name, 'Priya Raman');
  assert.ok(find((e) => e.action === 'signin.throttled' && e.detail === 'teacher2@example.org'));
  const created = find((e) => e.action === 'token.create' && e.detail === 'audit probe');
  assert.ok(created);
  assert.equal(created.kind, 'token');
  const used = find((e) => e.action === 'token.use' && e.object_id === created.object_id);
  assert.ok(used);
  assert.equal(used.actor_name, 'Tom Becker');
  for (const key of ['id', 'at', 'actor_id', 'actor_name', 'action', 'kind', 'object_id',
    'district_id', 'detail', 'remote']) assert.ok(key in used, key);

  // The district leader reads the district's log too, the unknown email's entries aside.
  const lead = await session('lead@example.org');
  const leadLog = await auditFor(lead.cookie, '?action=signin.');
  assert.ok(leadLog.entries.some((e) => e.action === 'signin.fail' && e.detail === 'principal@example.org'));
  assert.ok(!leadLog.entries.some((e) => e.district_id === null), 'installation entries are the admin\'s');
  assert.ok(log.entries.some((e) => e.district_id === null && e.detail === 'no.such.person@example.org'));

  for (const email of ['principal@example.org', 'coach@example.org', 'teacher@example.org']) {
    const { cookie } = await session(email);
    const r = await get('/api/audit', { cookie });
    assert.equal(r.status, 403, email);
    assert.equal((await get('/audit', { cookie })).status, 403, email);
  }
  assert.equal((await get('/api/audit', bearer(token))).status, 403, 'a teacher\'s token neither');
  assert.equal((await get('/api/audit')).status, 401);
});

test('the audit log filters, pages and refuses bad filters by name', async () => {
  const admin = await session('admin@example.org');
  const only = await auditFor(admin.cookie, '?action=signin.fail');
  assert.ok(only.entries.length >= 2);
  assert.ok(only.entries.every((e) => e.action === 'signin.fail'));
  const byActor = await auditFor(admin.cookie, '?actor=PRIYA');
  assert.ok(byActor.entries.length > 0);
  assert.ok(byActor.entries.every((e) => e.actor_name === 'Priya Raman'));
  const today = new Date().toISOString().slice(0, 10);
  const dated = await auditFor(admin.cookie, `?from=${today}&to=${today}`);
  assert.ok(dated.entries.length > 0);
  assert.equal((await auditFor(admin.cookie, '?to=2001-01-01')).entries.length, 0);
  const ids = dated.entries.map((e) => e.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'newest first');
  assert.equal(dated.next, null);
  const older = await auditFor(admin.cookie, `?before=${ids[1]}`);
  assert.ok(older.entries.every((e) => e.id < ids[1]));

  for (const [query, field] of [['?from=2024-13-01', 'from'], ['?to=yesterday', 'to'],
    ['?from=2024-02-30', 'from'], ['?from=2024-05-02&to=2024-05-01', 'to'],
    ['?before=x', 'before'], ['?action=%25', 'action']]) {
    const r = await get(`/api/audit${query}`, { cookie: admin.cookie });
    assert.equal(r.status, 400, query);
    assert.equal(r.json.error.field, field, query);
  }
  const page = await get('/audit?from=2024-13-01', { cookie: admin.cookie });
  assert.equal(page.status, 400);
  assert.match(page.text, /<span class="field-error" id="from-error">From must be a date/);
});

test('the audit log pages a hundred at a time, newest first, with an Older link', async () => {
  const admin = await session('admin@example.org');
  for (let i = 0; i < 105; i++) {
    const r = await fetch(`${srv.url}/api/tokens`, {
      method: 'POST',
      headers: { cookie: admin.cookie, 'content-type': 'application/json', 'x-csrf-token': admin.csrf },
      body: JSON.stringify({ name: `bulk ${i}` }),
    });
    assert.equal(r.status, 201);
    await r.text();
  }
  const query = '?action=token.create&actor=alex';
  const first = await auditFor(admin.cookie, query);
  assert.equal(first.entries.length, 100);
  assert.equal(first.entries[0].detail, 'bulk 104');
  assert.equal(typeof first.next, 'number');
  assert.equal(first.next, first.entries[99].id);
  const second = await auditFor(admin.cookie, `${query}&before=${first.next}`);
  assert.equal(second.entries.length, 5);
  assert.equal(second.entries[4].detail, 'bulk 0');
  assert.equal(second.next, null);

  const page = await get(`/audit${query}`, { cookie: admin.cookie });
  assert.equal((page.text.match(/<code>token\.create<\/code>/g) || []).length, 100);
  const older = page.text.match(/<a class="button" rel="next" href="([^"]+)">Older<\/a>/)?.[1];
  assert.ok(older, 'an Older link');
  const next = await get(older.replaceAll('&amp;', '&'), { cookie: admin.cookie });
  assert.equal((next.text.match(/<code>token\.create<\/code>/g) || []).length, 5);
  assert.match(next.text, /bulk 0/);
  assert.doesNotMatch(next.text, /rel="next"/);
});

test('the audit page renders entries for an administrator, with its filters', async () => {
  const admin = await session('admin@example.org');
  const page = await get('/audit?action=signin.&actor=alex', { cookie: admin.cookie });
  assert.equal(page.status, 200);
  assert.match(page.text, /<h1>Audit log<\/h1>/);
  for (const id of ['action', 'actor', 'from', 'to']) assert.match(page.text, new RegExp(`<label for="${id}">`));
  assert.match(page.text, /value="signin\."/);
  assert.match(page.text, /<code>signin\.ok<\/code>/);
  assert.doesNotMatch(page.text, /<code>token\./, 'the action filter applies');
  assert.match(page.text, /Alex Admin/);
  assert.match(page.text, /\d{4}-\d\d-\d\d \d\d:\d\d UTC/);
});

test('the account page shows who I am and my roles, and makes a token shown once', async () => {
  const { cookie, csrf } = await session('principal@example.org');
  const page = await get('/account', { cookie });
  assert.equal(page.status, 200);
  assert.match(page.text, /Priya Raman/);
  assert.match(page.text, /principal@example\.org/);
  assert.match(page.text, /<td>Principal<\/td><td><a href="\/orgs\/\d+">Meadowbrook Elementary School<\/a>/);
  assert.match(page.text, /action="\/account\/signout-everywhere"/);
  assert.match(page.text, /<label for="name">Name<\/label>/);

  const made = await fetch(`${srv.url}/account/tokens`, {
    method: 'POST', redirect: 'manual', headers: formHeaders(cookie),
    body: form({ csrf, name: 'gradebook <sync>' }),
  });
  assert.equal(made.status, 200);
  const html = await made.text();
  const secret = html.match(/value="(cd_[A-Za-z0-9_-]{43})"/)?.[1];
  assert.ok(secret, 'the token is on the page');
  assert.match(html, /Copy it now/);
  assert.match(html, /gradebook &lt;sync&gt;/, 'the name is escaped');
  assert.equal((await get('/api/me', bearer(secret))).json.person.email, 'principal@example.org');

  const again = await get('/account', { cookie });
  assert.doesNotMatch(again.text, new RegExp(secret), 'never shown again');
  assert.match(again.text, /gradebook &lt;sync&gt;/);
  const id = again.text.match(/action="\/account\/tokens\/(\d+)\/revoke"/)?.[1];
  assert.ok(id);

  const forged = await fetch(`${srv.url}/account/tokens/${id}/revoke`, {
    method: 'POST', redirect: 'manual', headers: formHeaders(cookie), body: form({ csrf: 'nope' }),
  });
  assert.equal(forged.status, 403);
  assert.equal((await get('/api/me', bearer(secret))).status, 200, 'a refused revoke changes nothing');
  const revoked = await fetch(`${srv.url}/account/tokens/${id}/revoke`, {
    method: 'POST', redirect: 'manual', headers: formHeaders(cookie), body: form({ csrf }),
  });
  assert.equal(revoked.status, 303);
  assert.match(revoked.headers.get('location'), /^\/account\?ok=token-revoked/);
  assert.equal((await get('/api/me', bearer(secret))).status, 401);
  assert.match((await get('/account?ok=token-revoked', { cookie })).text, /Token revoked\./);
  const gone = await fetch(`${srv.url}/account/tokens/99999/revoke`, {
    method: 'POST', redirect: 'manual', headers: formHeaders(cookie), body: form({ csrf }),
  });
  assert.equal(gone.status, 404);
});

test('signing out everywhere ends the other sessions of the same person', async () => {
  const first = await session('lead@example.org');
  const second = await session('lead@example.org');
  const other = await session('admin@example.org');
  const forged = await fetch(`${srv.url}/account/signout-everywhere`, {
    method: 'POST', redirect: 'manual', headers: formHeaders(first.cookie), body: form({ csrf: 'x' }),
  });
  assert.equal(forged.status, 403);
  assert.equal((await get('/api/me', { cookie: second.cookie })).status, 200);

  const out = await fetch(`${srv.url}/account/signout-everywhere`, {
    method: 'POST', redirect: 'manual', headers: formHeaders(first.cookie),
    body: form({ csrf: first.csrf }),
  });
  assert.equal(out.status, 303);
  assert.equal(out.headers.get('location'), '/signin?ok=signed-out-all');
  assert.match(out.headers.get('set-cookie'), /coachd_session=;/);
  assert.equal((await get('/api/me', { cookie: second.cookie })).status, 401, 'the other device is out');
  assert.equal((await get('/api/me', { cookie: first.cookie })).status, 401, 'and this one');
  assert.equal((await get('/api/me', { cookie: other.cookie })).status, 200, 'other people stay in');
  assert.match((await get('/signin?ok=signed-out-all')).text, /Signed out on every device/);
  const log = await auditFor(other.cookie, '?action=signout.everywhere');
  assert.ok(log.entries.some((e) => e.actor_name === 'Dana Whitfield'));
});

test('a deactivated person\'s token stops working', async () => {
  const token = cliToken('teacher2@example.org', 'before leaving');
  const me = await get('/api/me', bearer(token));
  assert.equal(me.status, 200);
  const admin = await session('admin@example.org');
  const off = await fetch(`${srv.url}/api/people/${me.json.person.id}/deactivate`, {
    method: 'POST',
    headers: { cookie: admin.cookie, 'content-type': 'application/json', 'x-csrf-token': admin.csrf },
    body: '{}',
  });
  assert.equal(off.status, 200, await off.text());
  const after = await get('/api/me', bearer(token));
  assert.equal(after.status, 401);
  assert.equal(after.json.error.code, 'bad_token');
  // Switched on again, the person signs in afresh: the old token and the
  // old session stay dead.
  const on = await fetch(`${srv.url}/api/people/${me.json.person.id}/reactivate`, {
    method: 'POST',
    headers: { cookie: admin.cookie, 'content-type': 'application/json', 'x-csrf-token': admin.csrf },
    body: '{}',
  });
  assert.equal(on.status, 200, await on.text());
  const revived = await get('/api/me', bearer(token));
  assert.equal(revived.status, 401, 'reactivation revives no token');
  const listed = run(['token', 'list', 'teacher2@example.org', '--db', srv.db]).stdout;
  assert.match(listed, /\trevoked\t.*\tbefore leaving\n/, listed);
});
