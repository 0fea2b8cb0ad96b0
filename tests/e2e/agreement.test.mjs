// Agreement statistics through the real binary: `coachd agreement` on CSV
// files (exit codes, the JSON keys, bad input named by row), and
// POST /api/agreement with CSV and JSON bodies as a signed-in demo user
// giving the very same numbers; 400 for each kind of bad input, sign-in
// and CSRF required, a bearer token exempt from CSRF.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serverForFile, demoSessions, run } from './lib.mjs';

const srv = serverForFile();
const as = demoSessions(srv);
const dir = mkdtempSync(join(tmpdir(), 'coachd-agreement-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

const KEYS = ['units', 'raters', 'pairable_values', 'percent_exact', 'percent_within_one',
  'cohen_kappa', 'fleiss_kappa', 'krippendorff_alpha', 'alpha_ci95', 'anchor', 'reasons'];

// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": four
// observers, twelve units, missing values; nominal .743, ordinal .815,
// interval .849, ratio .797.
const K2011 = [
  [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
  [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
  [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
  [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
];
const RATERS = ['Ana', 'Ben', 'Cleo', 'Dev'];

function k2011Ratings() {
  const out = [];
  K2011.forEach((row, r) => row.forEach((v, u) => {
    if (v !== null) out.push({ unit: `lesson ${u + 1}`, rater: RATERS[r], value: v });
  }));
  return out;
}
const toCsv = (ratings) => 'unit,rater,value\n' +
  ratings.map((x) => `${x.unit},${x.rater},${x.value ?? ''}`).join('\n') + '\n';

function csvFile(name, text) {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const agreement = (...args) => run(['agreement', ...args]);

async function post(body, { type = 'text/csv', query = '', who = 'coach', csrf = true, headers = {} } = {}) {
  const s = await as(who);
  const h = { cookie: s.cookie, 'content-type': type, ...headers };
  if (csrf) h['x-csrf-token'] = s.csrf;
  const res = await fetch(`${srv.url}/api/agreement${query}`, {
    method: 'POST', headers: h, body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, text, json, type: res.headers.get('content-type') };
}

test('the command prints the statistics as JSON with the documented keys', () => {
  const file = csvFile('k2011.csv', toCsv(k2011Ratings()));
  const r = agreement('--scale', '1..5', '--anchor', 'Ana', file);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(j), KEYS);
  assert.equal(j.units, 12);
  assert.equal(j.raters, 4);
  assert.equal(j.pairable_values, 40);
  assert.equal(j.krippendorff_alpha.nominal.toFixed(3), '0.743');
  assert.equal(j.krippendorff_alpha.ordinal.toFixed(3), '0.815');
  assert.equal(j.krippendorff_alpha.interval.toFixed(3), '0.849');
  assert.equal(j.krippendorff_alpha.ratio.toFixed(3), '0.797');
  assert.equal(j.cohen_kappa, null);
  assert.equal(j.reasons.cohen_kappa, 'needs exactly two raters');
  assert.equal(j.fleiss_kappa, null);
  assert.ok(j.reasons.fleiss_kappa);
  const [lo, hi] = j.alpha_ci95.ordinal;
  assert.ok(lo <= j.krippendorff_alpha.ordinal && j.krippendorff_alpha.ordinal <= hi);
  assert.equal(j.anchor.rater, 'Ana');
  assert.deepEqual(j.anchor.per_rater.map((p) => p.rater), ['Ben', 'Cleo', 'Dev']);
  for (const p of j.anchor.per_rater) assert.deepEqual(Object.keys(p), ['rater', 'exact', 'within_one', 'passes']);
  assert.equal(j.anchor.per_rater[0].passes, true);
  assert.doesNotMatch(r.stdout, /nan|inf/i);

  // The same seed gives the same interval; another seed another one.
  assert.equal(agreement('--scale', '1..5', '--anchor', 'Ana', file).stdout, r.stdout);
  const other = JSON.parse(agreement('--seed', '7', file).stdout);
  assert.notDeepEqual(other.alpha_ci95, j.alpha_ci95);
  const none = JSON.parse(agreement('--resamples', '0', file).stdout);
  assert.equal(none.alpha_ci95.ordinal, null);
  assert.ok(none.reasons['alpha_ci95.ordinal']);

  // Standard input.
  const piped = run(['agreement', '-'], { input: toCsv(k2011Ratings()) });
  assert.equal(piped.code, 0, piped.stderr);
  assert.equal(JSON.parse(piped.stdout).krippendorff_alpha.nominal, j.krippendorff_alpha.nominal);
});

test('two raters get Cohen\'s kappa over the whole declared scale', () => {
  // Wikipedia's example: [[20,5],[10,15]], kappa 0.4.
  const rows = [];
  let u = 0;
  for (const [a, b, n] of [[1, 1, 20], [1, 2, 5], [2, 1, 10], [2, 2, 15]])
    for (let i = 0; i < n; i++, u++) rows.push(`${u},first,${a}`, `${u},second,${b}`);
  const r = agreement(csvFile('cohen.csv', 'unit,rater,value\n' + rows.join('\n') + '\n'));
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.deepEqual(j.cohen_kappa, { unweighted: 0.4, linear: 0.4, quadratic: 0.4 });
  assert.equal(j.percent_exact, 0.7);
  // Weights follow the scale's values, not the ranks of the values that
  // occur: irr's anxiety data (raters 2 and 3; nobody used 5) give 0.12621
  // and 0.22980 on the 1..6 scale, where a rank-based program that treats
  // 6 as next to 4 gives 0.1459 and 0.2520. Declaring a wider scale
  // rescales every weight alike, which leaves kappa as it was.
  const r2 = [3, 6, 4, 6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4];
  const r3 = [2, 1, 4, 4, 3, 2, 1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2];
  const anxiety = csvFile('anxiety.csv', 'unit,rater,value\n' +
    r2.map((v, i) => `s${i},r2,${v}\ns${i},r3,${r3[i]}`).join('\n') + '\n');
  for (const args of [[anxiety], ['--scale', '1..6', anxiety], ['--scale', '0..9', anxiety]]) {
    const k = JSON.parse(agreement(...args).stdout).cohen_kappa;
    assert.ok(Math.abs(k.unweighted - -0.006289308176100635) < 1e-12, args.join(' '));
    assert.ok(Math.abs(k.linear - 0.12621359223300965) < 1e-12, args.join(' '));
    assert.ok(Math.abs(k.quadratic - 0.22979797979797978) < 1e-12, args.join(' '));
  }
});

test('the command refuses bad input with exit 2 and names the row', () => {
  const cases = [
    ['empty.csv', '', /the file is empty/],
    ['header-only.csv', 'unit,rater,value\n', /header but no ratings/],
    ['wrong-header.csv', 'unit,observer,value\n1,a,1\n', /row 1: the header must name/],
    ['not-a-number.csv', 'unit,rater,value\n1,a,1\n1,b,high\n', /row 3: value "high" is not a number/],
    ['duplicate.csv', 'unit,rater,value\n1,a,1\n1,b,2\n1,a,2\n', /row 4: rater "a" already rated unit "1" in row 2/],
    ['one-rater.csv', 'unit,rater,value\n1,a,1\n2,a,2\n', /one rater/],
  ];
  for (const [name, text, msg] of cases) {
    const r = agreement(csvFile(name, text));
    assert.equal(r.code, 2, `${name}: ${r.stderr}`);
    assert.match(r.stderr, msg, name);
    assert.equal(r.stdout, '', name);
  }
  const outside = agreement('--scale', '1..4', csvFile('outside.csv', 'unit,rater,value\n1,a,1\n1,b,5\n'));
  assert.equal(outside.code, 2);
  assert.match(outside.stderr, /row 3: value 5 is outside the scale 1..4/);
  const anchor = agreement('--anchor', 'Zoe', join(dir, 'k2011.csv'));
  assert.equal(anchor.code, 2);
  assert.match(anchor.stderr, /anchor rater "Zoe" gave no ratings/);
  for (const args of [['--scale', '4..1', 'x.csv'], ['--scale'], ['--bogus', 'x.csv'], [],
    ['--resamples', '-1', 'x.csv'], ['a.csv', 'b.csv']]) {
    const r = agreement(...args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, /usage: coachd agreement/);
  }
  assert.equal(agreement(join(dir, 'no-such-file.csv')).code, 1);
  const help = agreement('--help');
  assert.equal(help.code, 0);
  assert.match(help.stdout, /unit,rater,value/);
});

test('POST /api/agreement answers CSV and JSON bodies with the command\'s numbers', async () => {
  const ratings = k2011Ratings();
  const cli = JSON.parse(agreement('--scale', '1..5', '--anchor', 'Ana', join(dir, 'k2011.csv')).stdout);

  const viaCsv = await post(toCsv(ratings), { query: '?scale=1..5&anchor=Ana' });
  assert.equal(viaCsv.status, 200, viaCsv.text);
  assert.match(viaCsv.type, /application\/json/);
  assert.deepEqual(viaCsv.json, cli);

  const viaJson = await post({ scale: [1, 5], anchor: 'Ana', ratings }, { type: 'application/json' });
  assert.equal(viaJson.status, 200, viaJson.text);
  assert.deepEqual(viaJson.json, cli);

  // Missing values as null, numbers as unit and rater names.
  const nulls = await post({ ratings: [{ unit: 1, rater: 10, value: 3 }, { unit: 1, rater: 11, value: 3 },
    { unit: 2, rater: 10, value: null }, { unit: 2, rater: 11, value: 3 }] }, { type: 'application/json' });
  assert.equal(nulls.status, 200, nulls.text);
  assert.equal(nulls.json.units, 2);
  assert.equal(nulls.json.pairable_values, 2);
  assert.equal(nulls.json.krippendorff_alpha.nominal, null);
  assert.ok(nulls.json.reasons['krippendorff_alpha.nominal']);

  // Every demo role may use it: it reads and writes nothing of anyone's.
  for (const who of ['teacher', 'principal', 'lead', 'admin']) {
    const r = await post(toCsv(ratings), { who, query: '?scale=1..5&anchor=Ana' });
    assert.equal(r.status, 200, who);
    assert.deepEqual(r.json, cli, who);
  }
});

test('POST /api/agreement refuses bad input with 400 naming the row or index', async () => {
  const csvCases = [
    ['unit,rater,value\n1,a,1\n1,b,x\n', '', /row 3: value "x" is not a number/],
    ['unit,rater,value\n1,a,1\n1,b,9\n', '?scale=1..4', /row 3: value 9 is outside the scale 1..4/],
    ['unit,rater,value\n1,a,1\n1,b,2\n1,b,3\n', '', /row 4: rater "b" already rated unit "1" in row 3/],
    ['unit,rater,value\n1,a,1\n2,a,2\n', '', /one rater/],
    ['unit,rater,value\n', '', /header but no ratings/],
    ['who,what\n1,2\n', '', /row 1: the header must name/],
    ['unit,rater,value\n1,a,1\n1,b,2\n', '?anchor=zed', /anchor rater "zed"/],
    ['unit,rater,value\n1,a,1\n1,b,2\n', '?scale=1-4', /scale: /],
  ];
  for (const [body, query, msg] of csvCases) {
    const r = await post(body, { query });
    assert.equal(r.status, 400, `${body} ${query}: ${r.text}`);
    assert.equal(r.json.error.code, query.includes('scale=1-4') ? 'bad_scale' : 'bad_ratings');
    assert.match(r.json.error.message, msg);
  }
  const empty = await post('');
  assert.equal(empty.status, 400);
  assert.match(empty.json.error.message, /the body is empty/);

  const jsonCases = [
    [{ ratings: [{ unit: 1, rater: 'a', value: 1 }, { unit: 1, rater: 'b', value: 'three' }] }, /ratings\[1\]: value "three" is not a number/],
    [{ scale: [1, 4], ratings: [{ unit: 1, rater: 'a', value: 1 }, { unit: 1, rater: 'b', value: 5 }] }, /ratings\[1\]: value 5 is outside the scale 1..4/],
    [{ ratings: [{ unit: 1, rater: 'a', value: 1 }, { unit: 1, rater: 'a', value: 2 }] }, /ratings\[1\]: rater "a" already rated unit "1" in ratings\[0\]/],
    [{ ratings: [{ unit: 1, rater: 'a', value: 1 }] }, /one rater/],
    [{ ratings: [] }, /ratings is empty/],
    [{ scale: [1, 4] }, /ratings must be an array/],
    [{ ratings: [{ unit: 1, rater: 'a', value: 1 }, { unit: 1, rater: 'b', value: 2 }], anchor: 'q' }, /anchor rater "q"/],
    [{ ratings: [{ unit: true, rater: 'a', value: 1 }] }, /ratings\[0\]: unit must be a string or a number/],
    ['{"ratings": [', /the body is not JSON/],
  ];
  for (const [body, msg] of jsonCases) {
    const r = await post(body, { type: 'application/json' });
    assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
    assert.match(r.json.error.message, msg);
  }
  const xml = await post('<ratings/>', { type: 'application/xml' });
  assert.equal(xml.status, 415);
});

test('POST /api/agreement needs a signed-in person and the CSRF token; a bearer token needs none', async () => {
  const body = toCsv(k2011Ratings());
  const anonymous = await fetch(`${srv.url}/api/agreement`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body });
  assert.equal(anonymous.status, 401);
  await anonymous.text();
  const forged = await post(body, { csrf: false });
  assert.equal(forged.status, 403);

  const made = run(['token', 'create', 'coach@example.org', '--db', srv.db]);
  assert.equal(made.code, 0, made.stderr);
  const res = await fetch(`${srv.url}/api/agreement`, {
    method: 'POST', headers: { authorization: `Bearer ${made.stdout.trim()}`, 'content-type': 'text/csv' }, body,
  });
  assert.equal(res.status, 200);
  assert.equal((await res.json()).units, 12);
});
