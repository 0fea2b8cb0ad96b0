// Calibration sessions through the real server: a facilitator makes one
// with raters and anchors; raters rate blind (drafts, submitting, nothing of
// anyone else's before that); results from submitted ratings only, with the
// same agreement statistics POST /api/agreement gives; the pass rule; a
// second round and the change; the lesson's video with Range; bad input;
// outsiders 404; an observer's history.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { serverForFile, demoClient, mp4 } from './lib.mjs';

const srv = serverForFile({ extraArgs: ['--max-upload-mb', '1', '--max-file-mb', '1'] });
const { as, request } = demoClient(srv);
const codes = ['TRU1', 'TRU2', 'TRU3', 'TRU4', 'TRU5'];
const anchors = { TRU1: 3, TRU2: 2, TRU3: 2, TRU4: 2, TRU5: 1 };

const videoDir = () => join(srv.dir, 'files', 'calibration');
const keptVideos = () => (existsSync(videoDir()) ? readdirSync(videoDir()) : []);
const ratings = (values, evidence = {}) => ({
  ratings: Object.entries(values).map(([code, value]) => ({ code, value, ...(evidence[code] ? { evidence: evidence[code] } : {}) })),
});

let made; // the session of the main test
async function context() {
  const coach = await as('coach');
  const demo = (await request('GET', '/api/calibrations', coach)).json.calibrations;
  assert.ok(demo.length >= 2, 'the demo has calibration sessions');
  const fall = demo.find((c) => /Fall calibration/.test(c.title));
  return { coach, district: fall.district.id, rubric: fall.rubric.id };
}

async function createSession(over = {}) {
  const { coach, district, rubric } = await context();
  const a = await as('teacher');
  const b = await as('teacher2');
  return request('POST', '/api/calibrations', { ...coach, json: {
    title: 'Grade 3 equal groups: calibration', held_on: '2026-11-20', district_id: district, rubric_id: rubric,
    transcript: 'T: How many groups of 4 make 12?\nS: Three, I drew them.', raters: [a.id, b.id], ...over } });
}

test('a calibration session with blind rating, results, round two', async () => {
  const coach = await as('coach');
  const A = await as('teacher');
  const B = await as('teacher2');
  const lead = await as('lead');
  const outsider = await as('principal');

  // Pass share outside (0, 100]: 400 naming it, nothing made.
  for (const share of [0, 150, -5]) {
    const bad = await createSession({ pass_share: share });
    assert.equal(bad.status, 400, bad.text);
    assert.equal(bad.json.error.field, 'pass_share');
  }
  const created = await createSession({ pass_share: 80, pass_distance: 1 });
  assert.equal(created.status, 201, created.text);
  made = created.json;
  const id = made.id;
  assert.equal(made.round, 1);
  assert.deepEqual(made.pass_rule, { share: 80, distance: 1 });
  assert.deepEqual(made.raters.map((r) => r.id).sort(), [A.id, B.id].sort());

  // Anchors: bad code and off-scale value refused by name; then set.
  let r = await request('PUT', `/api/calibrations/${id}/anchors`, { ...coach, json: ratings({ XX9: 2 }) });
  assert.equal(r.status, 400);
  assert.match(r.json.error.message, /XX9/);
  r = await request('PUT', `/api/calibrations/${id}/anchors`, { ...coach, json: ratings({ TRU1: 4 }) });
  assert.equal(r.status, 400);
  assert.match(r.json.error.message, /TRU1.*4.*scale/);
  r = await request('PUT', `/api/calibrations/${id}/anchors`, { ...coach, json: ratings(anchors) });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.anchors, anchors);
  // A rater does not set anchors.
  r = await request('PUT', `/api/calibrations/${id}/anchors`, { ...A, json: ratings(anchors) });
  assert.equal(r.status, 403);

  // Rater A drafts, and sees nothing of the group.
  r = await request('PUT', `/api/calibrations/${id}/ratings`, { ...A, json: ratings({ TRU1: 3, TRU2: 3 }, { TRU1: 'Strips and number line' }) });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.my_ratings.length, 2);
  assert.equal(r.json.anchors, undefined, 'no anchors before submitting');
  r = await request('GET', `/api/calibrations/${id}/results`, A);
  assert.equal(r.status, 403);
  assert.equal(r.json.error.message, "Submit your ratings to see the group's.");
  r = await request('PUT', `/api/calibrations/${id}/ratings`, { ...A, json: ratings({ TRU9: 2 }) });
  assert.equal(r.status, 400);
  assert.match(r.json.error.message, /TRU9/);
  r = await request('PUT', `/api/calibrations/${id}/ratings`, { ...A, json: ratings({ TRU2: 0 }) });
  assert.equal(r.status, 400);
  // Submitting with indicators unrated names the first.
  r = await request('POST', `/api/calibrations/${id}/submit`, { ...A, json: {} });
  assert.equal(r.status, 400);
  assert.match(r.json.error.message, /TRU3/);
  // Drafts are A's only: the facilitator's results do not count them.
  r = await request('GET', `/api/calibrations/${id}/results`, coach);
  assert.equal(r.status, 200);
  assert.equal(r.json.submitted.length, 0);
  const aValues = { TRU1: 3, TRU2: 3, TRU3: 1, TRU4: 2, TRU5: 3 };
  r = await request('PUT', `/api/calibrations/${id}/ratings`, { ...A, json: ratings({ TRU3: 1, TRU4: 2, TRU5: 3 }) });
  assert.equal(r.status, 200);
  r = await request('POST', `/api/calibrations/${id}/submit`, { ...A, json: {} });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.submitted, true);
  assert.deepEqual(r.json.anchors, anchors, 'anchors after submitting');
  // After submitting: final.
  r = await request('PUT', `/api/calibrations/${id}/ratings`, { ...A, json: ratings({ TRU1: 1 }) });
  assert.equal(r.status, 409);
  // And the anchors A's results were read against stay as they are.
  r = await request('PUT', `/api/calibrations/${id}/anchors`, { ...coach, json: ratings({ TRU1: 1 }) });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, 'anchors-fixed');
  const fixed = await fetch(`${srv.url}/calibrations/${id}`, { headers: { cookie: coach.cookie } });
  const fixedText = await fixed.text();
  assert.match(fixedText, /The anchors are fixed: a rater has submitted/);
  assert.doesNotMatch(fixedText, /action="\/calibrations\/\d+\/anchors"/);
  r = await request('POST', `/api/calibrations/${id}/submit`, { ...A, json: {} });
  assert.equal(r.status, 409);

  // B has not submitted: 403 for results, and nothing of A's anywhere.
  const bDraft = { TRU1: 2 };
  r = await request('PUT', `/api/calibrations/${id}/ratings`, { ...B, json: ratings(bDraft) });
  assert.equal(r.status, 200);
  r = await request('GET', `/api/calibrations/${id}/results`, B);
  assert.equal(r.status, 403);
  r = await request('GET', `/api/calibrations/${id}/results?round=1`, B);
  assert.equal(r.status, 403);
  r = await request('GET', `/api/calibrations/${id}`, B);
  assert.equal(r.status, 200);
  assert.equal(r.json.anchors, undefined);
  assert.ok(r.json.raters.every((x) => !('submitted' in x)), 'who submitted stays hidden');
  assert.deepEqual(r.json.my_ratings.map((x) => x.code), ['TRU1']);
  assert.ok(!r.text.includes('Strips and number line'), "A's evidence never reaches B");
  r = await request('GET', `/calibrations/${id}/results`, B);
  assert.equal(r.status, 403);
  assert.match(r.text, /Submit your ratings to see the group/);
  r = await request('GET', `/api/observers/${A.id}/calibration`, B);
  assert.ok(r.status === 404 || !r.json.rounds.some((x) => x.calibration_id === id), "A's history hides the round from B");

  // A reader who is no rater sees results (submitted only), may not rate.
  r = await request('GET', `/api/calibrations/${id}/results`, lead);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.submitted.map((x) => x.id), [A.id]);
  r = await request('PUT', `/api/calibrations/${id}/ratings`, { ...lead, json: ratings({ TRU1: 2 }) });
  assert.equal(r.status, 403);

  // Outsiders: 404 everywhere.
  for (const [m, p, json] of [['GET', `/api/calibrations/${id}`], ['GET', `/api/calibrations/${id}/results`],
    ['PUT', `/api/calibrations/${id}/ratings`, ratings({ TRU1: 2 })], ['GET', `/calibrations/${id}`],
    ['GET', `/calibrations/${id}/video`]]) {
    r = await request(m, p, { ...outsider, ...(json ? { json } : {}) });
    assert.equal(r.status, 404, `${m} ${p}`);
  }
  const listed = await request('GET', '/api/calibrations', outsider);
  assert.ok(!listed.json.calibrations.some((c) => c.id === id));

  // B submits; results checked against the agreement module.
  const bValues = { TRU1: 2, TRU2: 2, TRU3: 3, TRU4: 2, TRU5: 1 };
  r = await request('PUT', `/api/calibrations/${id}/ratings`, { ...B, json: ratings(bValues) });
  assert.equal(r.status, 200);
  r = await request('POST', `/api/calibrations/${id}/submit`, { ...B, json: {} });
  assert.equal(r.status, 200);
  const res1 = (await request('GET', `/api/calibrations/${id}/results`, coach)).json;
  assert.deepEqual(res1.submitted.map((x) => x.id), [A.id, B.id]);
  const names = Object.fromEntries(res1.submitted.map((x) => [x.id, x.name]));
  const body = { scale: [1, 3], anchor: 'anchor', ratings: [] };
  for (const code of codes) {
    body.ratings.push({ unit: code, rater: 'anchor', value: anchors[code] });
    body.ratings.push({ unit: code, rater: names[A.id], value: aValues[code] });
    body.ratings.push({ unit: code, rater: names[B.id], value: bValues[code] });
  }
  const direct = await request('POST', '/api/agreement', { ...coach, json: body });
  assert.equal(direct.status, 200, direct.text);
  assert.deepEqual(res1.agreement, direct.json, 'the same statistics as POST /api/agreement');
  // Distributions and deviations from the anchor.
  const tru3 = res1.indicators.find((x) => x.code === 'TRU3');
  assert.deepEqual(tru3.distribution, { 1: 1, 2: 0, 3: 1 });
  assert.equal(tru3.anchor, 2);
  const ra = res1.raters.find((x) => x.id === A.id);
  const rb = res1.raters.find((x) => x.id === B.id);
  assert.deepEqual(ra.deviations, { TRU1: 0, TRU2: 1, TRU3: -1, TRU4: 0, TRU5: 2 });
  // The pass rule: 80 % within one of the anchor. A: 4 of 5 (passes), B: 4 of 5.
  const share = (vals, d) => codes.filter((c) => Math.abs(vals[c] - anchors[c]) <= d).length / codes.length;
  assert.equal(ra.within_one, share(aValues, 1));
  assert.equal(ra.exact, share(aValues, 0));
  assert.equal(ra.passes, share(aValues, 1) >= 0.8);
  assert.equal(rb.within_one, share(bValues, 1));
  assert.equal(rb.passes, share(bValues, 1) >= 0.8);
  // A stricter rule (exact only, 80 %) fails them both.
  r = await request('GET', `/api/calibrations/${id}`, coach);
  const strict = await fetch(`${srv.url}/calibrations/${id}`, { method: 'POST', redirect: 'manual',
    headers: { cookie: coach.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams([['csrf', coach.csrf], ['title', made.title], ['held_on', made.held_on],
      ['transcript', made.transcript], ['pass_share', '80'], ['pass_distance', '0'], ['raters', A.id], ['raters', B.id]]) });
  assert.equal(strict.status, 303);
  const strictRes = (await request('GET', `/api/calibrations/${id}/results`, coach)).json;
  assert.ok(strictRes.raters.every((x) => x.passes === false));
  // Removing a rater who has rated is refused.
  const drop = await fetch(`${srv.url}/calibrations/${id}`, { method: 'POST', redirect: 'manual',
    headers: { cookie: coach.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams([['csrf', coach.csrf], ['title', made.title], ['held_on', made.held_on],
      ['pass_share', '80'], ['pass_distance', '1'], ['raters', A.id]]) });
  assert.equal(drop.status, 409);

  // Round two: blind again; the change shown.
  r = await request('POST', `/api/calibrations/${id}/rounds`, { ...A, json: {} });
  assert.equal(r.status, 403, 'a rater does not open rounds');
  r = await request('POST', `/api/calibrations/${id}/rounds`, { ...coach, json: {} });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.round, 2);
  r = await request('GET', `/api/calibrations/${id}/results`, A);
  assert.equal(r.status, 403, 'blind again in round two');
  r = await request('GET', `/api/calibrations/${id}/results?round=1`, A);
  assert.equal(r.status, 200, 'round one stays open to those who submitted it');
  r = await request('GET', `/api/calibrations/${id}/results?round=3`, coach);
  assert.equal(r.status, 400);
  const a2 = { TRU1: 3, TRU2: 2, TRU3: 2, TRU4: 2, TRU5: 2 };
  const b2 = { TRU1: 3, TRU2: 2, TRU3: 2, TRU4: 2, TRU5: 1 };
  for (const [who, vals] of [[A, a2], [B, b2]]) {
    r = await request('PUT', `/api/calibrations/${id}/ratings`, { ...who, json: ratings(vals) });
    assert.equal(r.status, 200, r.text);
    r = await request('POST', `/api/calibrations/${id}/submit`, { ...who, json: {} });
    assert.equal(r.status, 200, r.text);
  }
  const res2 = (await request('GET', `/api/calibrations/${id}/results?round=2`, A)).json;
  assert.equal(res2.round, 2);
  assert.ok(res2.change, 'the change between rounds');
  assert.equal(res2.change.from, 1);
  const changeA = res2.change.raters.find((x) => x.id === A.id);
  assert.equal(changeA.within_one_before, res1.raters.find((x) => x.id === A.id).within_one);
  assert.equal(changeA.within_one_after, 1);
  assert.deepEqual(res2.change.agreement_before, res1.agreement);
  assert.ok(res2.agreement.percent_exact > res1.agreement.percent_exact, 'closer after the discussion');
  const page = await request('GET', `/calibrations/${id}/results?round=2`, A);
  assert.equal(page.status, 200);
  assert.match(page.text, /From round 1 to round 2/);
  assert.match(page.text, /role="img"/);

  // The observer's history: both rounds, for A and for the facilitator.
  r = await request('GET', `/api/observers/${A.id}/calibration`, A);
  assert.equal(r.status, 200);
  const mine = r.json.rounds.filter((x) => x.calibration_id === id);
  assert.deepEqual(mine.map((x) => x.round), [1, 2]);
  assert.equal(mine[1].within_one, 1);
  r = await request('GET', `/api/observers/${A.id}/calibration`, coach);
  assert.ok(r.json.rounds.some((x) => x.calibration_id === id));
  // Priya rated the demo sessions with Tom, so she sees those rounds of his;
  // never this session's, which she may not read.
  r = await request('GET', `/api/observers/${A.id}/calibration`, outsider);
  assert.equal(r.status, 200);
  assert.ok(r.json.rounds.length > 0);
  assert.ok(!r.json.rounds.some((x) => x.calibration_id === id));
  const stranger = await request('GET', `/api/observers/${B.id}/calibration`, outsider);
  assert.equal(stranger.status, 404, "Grace's history holds nothing Priya may see");
});

async function uploadSession(who, bytes, type, name) {
  const { district, rubric } = await context();
  const fd = new FormData();
  for (const [k, v] of [['csrf', who.csrf], ['title', 'Video calibration'], ['held_on', '2026-11-21'],
    ['district_id', district], ['rubric_id', rubric], ['pass_share', '80'], ['pass_distance', '1'],
    ['raters', (await as('teacher')).id]]) fd.append(k, String(v));
  fd.append('video', new Blob([bytes], { type }), name);
  return fetch(`${srv.url}/calibrations`, { method: 'POST', redirect: 'manual', headers: { cookie: who.cookie }, body: fd });
}

test('the lesson video: kept by content, played with Range; 413 and 415 keep nothing', async () => {
  const coach = await as('coach');
  const before = keptVideos().length;
  let r = await uploadSession(coach, mp4(1280 * 1024), 'video/mp4', 'big.mp4');
  assert.equal(r.status, 413);
  r = await uploadSession(coach, Buffer.from('%PDF-1.4\nnot a video\n'), 'video/mp4', 'fake.mp4');
  assert.equal(r.status, 415);
  assert.equal(keptVideos().length, before, 'nothing on disk after 413/415');
  r = await uploadSession(coach, mp4(300 * 1024), 'video/mp4', 'lesson.mp4');
  assert.equal(r.status, 303);
  const id = Number(r.headers.get('location').match(/\/calibrations\/(\d+)/)[1]);
  assert.equal(keptVideos().length, before + 1);
  for (const who of [coach, await as('teacher')]) {
    const v = await fetch(`${srv.url}/calibrations/${id}/video`, { headers: { cookie: who.cookie, range: 'bytes=0-99' } });
    assert.equal(v.status, 206);
    assert.equal(v.headers.get('content-type'), 'video/mp4');
    const bytes = Buffer.from(await v.arrayBuffer());
    assert.equal(bytes.length, 100);
    assert.ok(bytes.equals(mp4(300 * 1024).subarray(0, 100)));
  }
  const page = await request('GET', `/calibrations/${id}`, coach);
  assert.match(page.text, new RegExp(`<video[^>]*src="/calibrations/${id}/video"`));
  const outsider = await as('teacher2');
  const v = await fetch(`${srv.url}/calibrations/${id}/video`, { headers: { cookie: outsider.cookie, range: 'bytes=0-99' } });
  assert.equal(v.status, 404, 'not a rater of this one: 404');
});

test('the demo: Tom Becker has round two of the fall session to rate, blind', async () => {
  const tom = await as('teacher');
  const list = (await request('GET', '/api/calibrations', tom)).json.calibrations;
  const fall = list.find((c) => /Fall calibration: Grade 4 fractions lesson/.test(c.title));
  assert.ok(fall && fall.round === 2 && fall.rater);
  let r = await request('GET', `/api/calibrations/${fall.id}/results`, tom);
  assert.equal(r.status, 403);
  r = await request('GET', `/api/calibrations/${fall.id}/results?round=1`, tom);
  assert.equal(r.status, 200);
  assert.equal(r.json.submitted.length, 6);
  const lead = await as('lead');
  r = await request('GET', `/api/calibrations/${fall.id}/results`, lead);
  assert.equal(r.status, 200, 'Dana rates in it too, and has submitted round two');
  assert.equal(r.json.submitted.length, 5, "Tom's round two is not in");
});

test('a leader who rates in a session does not edit it (its refusals would name who has rated)', async () => {
  const lead = await as('lead');
  const list = (await request('GET', '/api/calibrations', lead)).json.calibrations;
  const fall = list.find((c) => /Fall calibration/.test(c.title));
  assert.ok(fall, 'the demo session Dana Whitfield rates in');
  const r = await fetch(`${srv.url}/calibrations/${fall.id}`, { method: 'POST', redirect: 'manual',
    headers: { cookie: lead.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams([['csrf', lead.csrf], ['title', fall.title], ['held_on', fall.held_on],
      ['pass_share', '80'], ['pass_distance', '1'], ['raters', lead.id]]) });
  assert.equal(r.status, 403);
  assert.doesNotMatch(await r.text(), /has rated in this session/);
});
