// Coaching cycles end to end through the real server (SQLite, or PostgreSQL
// with COACHD_BACKEND=postgres): a whole individual cycle as its coach and
// its teacher, through the API and through the pages (plan drafted, checked
// and completed, one-tap notes, counts, the enactment, the teacher's
// reflection, close, reopen, the next cycle, the history); two people saving
// one stage at once, where the second is told and nothing is lost; a
// collaborative cycle with one enactment per team teacher; a district's own
// template and its prompts on the stage page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverForFile, demoClient } from './lib.mjs';

const srv = serverForFile();
const { as, request, api, page, post, orgId } = demoClient(srv);

async function teamId(name) {
  const r = await api('lead', 'GET', '/api/teams');
  const t = r.json.teams.find((x) => x.name === name);
  assert.ok(t, `team ${name}`);
  return t.id;
}

async function cycle(who, id) {
  const r = await api(who, 'GET', `/api/cycles/${id}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

const stageOf = (c, kind) => c.stages.find((s) => s.stage === kind);

async function startIndividual(title, extra = {}) {
  const school = await orgId('Meadowbrook Elementary School');
  const r = await api('coach', 'POST', '/api/cycles', {
    kind: 'individual', title, school_id: school, teachers: [(await as('teacher')).id], grade: '4', ...extra,
  });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

// The value of a form control in a page: an input's value or a textarea's text.
function fieldValue(html, name) {
  const ta = html.match(new RegExp(`<textarea[^>]*name="${name}"[^>]*>([\\s\\S]*?)</textarea>`));
  if (ta) return ta[1];
  const input = html.match(new RegExp(`<input[^>]*name="${name}"[^>]*>`));
  return input?.[0].match(/value="([^"]*)"/)?.[1];
}

// assert.match without printing a whole page when it fails.
function matches(text, re, what) {
  const main = text.includes('<main') ? text.slice(text.indexOf('<main')) : text;
  assert.ok(re.test(text), `${what || 'the page'} should match ${re}; got: ${main.length > 1500 ? `${main.slice(0, 1500)}…` : main}`);
}
function lacks(text, re, what) {
  const m = text.match(re);
  assert.ok(!m, `${what || 'the page'} should not match ${re}; found ${JSON.stringify(m?.[0])} in …${m ? text.slice(Math.max(0, m.index - 200), m.index + 200) : ''}…`);
}

const plainText = (html) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

test('signed out: cycle pages send to sign-in, the API answers 401', async () => {
  const r = await request('GET', '/cycles');
  assert.equal(r.status, 303);
  assert.match(r.location, /^\/signin\?next=%2Fcycles$/);
  const a = await request('GET', '/api/cycles');
  assert.equal(a.status, 401);
  assert.equal(a.json.error.code, 'signin_required');
  assert.equal((await request('POST', '/api/cycles', { json: { kind: 'individual' } })).status, 401);
});

test('a whole individual cycle through the API, as its coach and its teacher', async () => {
  const coach = await as('coach');
  const teacher = await as('teacher');
  const c = await startIndividual('E2E: comparing unit fractions');
  assert.equal(c.state, 'planning');
  assert.equal(c.kind, 'individual');
  assert.equal(c.school.name, 'Meadowbrook Elementary School');
  assert.deepEqual(c.members.map((m) => [m.id, m.role]).sort(),
    [[coach.id, 'coach'], [teacher.id, 'teacher']].sort());
  assert.deepEqual(c.stages.map((s) => s.stage), ['plan', 'enact', 'reflect']);
  assert.ok(c.stages.every((s) => s.version === 0 && s.complete === false));
  assert.equal(stageOf(c, 'enact').teacher.id, teacher.id, 'the enactment is in the teacher\'s classroom');
  const id = c.id;

  // The teacher sees it among their cycles; teacher2 does not.
  assert.ok((await api('teacher', 'GET', '/api/cycles')).json.cycles.some((x) => x.id === id));
  assert.ok(!(await api('teacher2', 'GET', '/api/cycles')).json.cycles.some((x) => x.id === id));

  // A bad CCSS code: 400 naming standards (and the code); nothing written.
  const bad = await api('coach', 'PUT', `/api/cycles/${id}/plan`, { version: 0,
    answers: { goal: 'Compare unit fractions', standards: '4.NF.A.1, 4.QQ.Z.77' } });
  assert.equal(bad.status, 400, bad.text);
  assert.equal(bad.json.error.field, 'standards');
  assert.match(bad.json.error.message, /4\.QQ\.Z\.77/);
  const plan0 = await api('coach', 'GET', `/api/cycles/${id}/plan`);
  assert.equal(plan0.status, 200);
  assert.equal(plan0.json.version, 0, 'nothing was written');
  assert.deepEqual(plan0.json.answers, {});
  for (const [key, value] of [['coach_role', 'supervise'], ['minutes', '601'], ['focus', 'MP9'],
    ['lesson_on', '2026-02-30'], ['no_such_prompt', 'x']]) {
    const r = await api('coach', 'PUT', `/api/cycles/${id}/plan`, { version: 0, answers: { [key]: value } });
    assert.equal(r.status, 400, `${key}=${value}: ${r.text}`);
    assert.equal(r.json.error.field, key);
  }

  // A draft: codes normalized, prefix dropped, repeats dropped.
  const draft = await api('coach', 'PUT', `/api/cycles/${id}/plan`, { version: 0, answers: {
    focus: 'mp3, tp2 MP3', standards: 'CCSS.MATH.CONTENT.4.NF.A.1', goal: 'Students compare unit fractions by size.',
    task: 'Which is more: 1/6 or 1/8 of the same pan of cornbread?', coach_role: 'co_teach',
    tallies: 'Students who explained their reasoning\nQuestions that pressed for meaning\n\n',
    lesson_on: '2026-03-10', minutes: 30 } });
  assert.equal(draft.status, 200, draft.text);
  assert.equal(draft.json.answers.standards, '4.NF.A.1');
  assert.equal(draft.json.answers.focus, 'MP3 TP2');
  assert.equal(draft.json.complete, false);
  assert.equal(draft.json.version, 1);
  assert.equal(draft.json.updated_by.name, 'Carmen Ortiz');
  assert.equal((await cycle('coach', id)).state, 'planning');

  // The reflection cannot be completed before the plan and the lesson.
  const early = await api('teacher', 'PUT', `/api/cycles/${id}/reflect`, { version: 0, complete: true,
    answers: { worked: 'x' } });
  assert.equal(early.status, 409, early.text);
  assert.equal((await api('teacher', 'GET', `/api/cycles/${id}/reflect`)).json.complete, false);

  const done = await api('teacher', 'PUT', `/api/cycles/${id}/plan`, { version: 1, complete: true,
    answers: { anticipated: 'Some will say 1/8 is more because 8 is more than 6.' } });
  assert.equal(done.status, 200, done.text);
  assert.equal(done.json.complete, true);
  assert.equal(done.json.answers.goal, 'Students compare unit fractions by size.', 'a save keeps other answers');
  assert.equal((await cycle('teacher', id)).state, 'planning', 'the lesson is still to come');

  // Notes in the lesson: a tag alone is one tap; each carries its time.
  const t0 = Math.floor(Date.now() / 1000);
  const tap = await api('coach', 'POST', `/api/cycles/${id}/notes`, { tag: 'student_reasoning' });
  assert.equal(tap.status, 201, tap.text);
  assert.equal(tap.json.tag, 'student_reasoning');
  assert.equal(tap.json.body, '');
  assert.ok(Math.abs(tap.json.taken_at - t0) < 60, `taken_at ${tap.json.taken_at} is now (${t0})`);
  const written = await api('teacher', 'POST', `/api/cycles/${id}/notes`, { tag: 'misconception',
    body: 'Thinks 1/8 > 1/6 because 8 > 6' });
  assert.equal(written.status, 201, written.text);
  assert.equal(written.json.author.name, 'Tom Becker');
  const badTag = await api('coach', 'POST', `/api/cycles/${id}/notes`, { tag: 'gossip' });
  assert.equal(badTag.status, 400);
  assert.equal(badTag.json.error.field, 'tag');
  const long = await api('coach', 'POST', `/api/cycles/${id}/notes`, { body: 'x'.repeat(2001) });
  assert.equal(long.status, 400);
  assert.equal(long.json.error.field, 'body');
  const notes = (await api('coach', 'GET', `/api/cycles/${id}/notes`)).json.notes;
  assert.deepEqual(notes.map((n) => [n.tag, n.author.name]),
    [['student_reasoning', 'Carmen Ortiz'], ['misconception', 'Tom Becker']]);
  assert.ok(notes.every((n) => Number.isInteger(n.taken_at) && n.taken_at >= t0 - 60));

  // Counts the plan asked for: up, up, down; never below zero; only those asked for.
  const enactId = stageOf(c, 'enact').id;
  const label = 'Students who explained their reasoning';
  for (const delta of ['1', '1', '-1', '1']) {
    const r = await post('coach', `/cycles/${id}/stages/${enactId}/tally`, { label, delta });
    assert.equal(r.status, 303, r.text.slice(0, 500));
    assert.match(r.location, new RegExp(`^/cycles/${id}/stages/${enactId}\\?ok=tally-saved#counts$`));
  }
  for (let i = 0; i < 3; i++) await post('coach', `/cycles/${id}/stages/${enactId}/tally`, { label: 'Questions that pressed for meaning', delta: '-1' });
  const notAsked = await post('coach', `/cycles/${id}/stages/${enactId}/tally`, { label: 'Hands raised', delta: '1' });
  assert.equal(notAsked.status, 400);
  const badDelta = await post('coach', `/cycles/${id}/stages/${enactId}/tally`, { label, delta: '5' });
  assert.equal(badDelta.status, 400);
  let enact = (await api('coach', 'GET', `/api/cycles/${id}/enact`)).json.enactments;
  assert.equal(enact.length, 1);
  const counts = Object.fromEntries(enact[0].tallies.map((t) => [t.label, t.count]));
  assert.equal(counts[label], 2);
  assert.equal(counts['Questions that pressed for meaning'] ?? 0, 0);
  assert.ok(!('Hands raised' in counts));

  // The lesson is done: enacted.
  const lesson = await api('coach', 'PUT', `/api/cycles/${id}/enact`, { version: enact[0].version, complete: true,
    answers: { summary: 'Most students reasoned about the size of the pieces.', minutes: 45 } });
  assert.equal(lesson.status, 200, lesson.text);
  assert.equal(lesson.json.minutes, 45);
  assert.equal((await cycle('coach', id)).state, 'enacted');

  // The teacher writes the reflection: reflected.
  const nextSteps = 'Place unit fractions on a number line against the benchmark 1/2.';
  const refl = await api('teacher', 'PUT', `/api/cycles/${id}/reflect`, { version: 0, complete: true, answers: {
    compared: 'Fewer students than expected compared numerators only.', worked: 'The fair-share story.',
    student_learning: 'Most could explain why 1/6 > 1/8.', teacher_learning: 'Wait longer after a question.',
    next_steps: nextSteps, minutes: 30 } });
  assert.equal(refl.status, 200, refl.text);
  assert.equal((await cycle('teacher', id)).state, 'reflected');

  // Only a coach closes; closed means nothing changes; the coach reopens.
  const teacherClose = await api('teacher', 'POST', `/api/cycles/${id}/close`, {});
  assert.equal(teacherClose.status, 403, teacherClose.text);
  const closed = await api('coach', 'POST', `/api/cycles/${id}/close`, {});
  assert.equal(closed.status, 200, closed.text);
  assert.equal(closed.json.state, 'closed');
  assert.ok(closed.json.closed_at > 0);
  const again = await api('coach', 'POST', `/api/cycles/${id}/close`, {});
  assert.equal(again.status, 409);
  const frozen = await api('teacher', 'PUT', `/api/cycles/${id}/reflect`, { version: 1, answers: { worked: 'changed' } });
  assert.equal(frozen.status, 409, frozen.text);
  assert.equal(frozen.json.error.code, 'closed');
  const frozenNote = await api('coach', 'POST', `/api/cycles/${id}/notes`, { tag: 'question' });
  assert.equal(frozenNote.status, 409, frozenNote.text);
  assert.equal((await api('teacher', 'POST', `/api/cycles/${id}/reopen`, {})).status, 403);
  const reopened = await api('coach', 'POST', `/api/cycles/${id}/reopen`, {});
  assert.equal(reopened.status, 200, reopened.text);
  assert.equal(reopened.json.state, 'reflected');
  assert.equal(reopened.json.closed_at, null);
  assert.equal((await api('coach', 'POST', `/api/cycles/${id}/reopen`, {})).status, 409);

  // The next cycle: same people, linked both ways, the goal drafted from the next steps.
  const teacherNext = await post('teacher', `/cycles/${id}/next`);
  assert.equal(teacherNext.status, 403);
  const next = await post('coach', `/cycles/${id}/next`);
  assert.equal(next.status, 303, next.text.slice(0, 500));
  const nextId = Number(next.location.match(/^\/cycles\/(\d+)\?ok=next-cycle$/)?.[1]);
  assert.ok(nextId > id, next.location);
  const n = await cycle('teacher', nextId);
  assert.equal(n.previous_id, id);
  assert.equal(n.state, 'planning');
  assert.deepEqual(n.members.map((m) => m.id).sort(), c.members.map((m) => m.id).sort());
  assert.equal(stageOf(n, 'plan').answers.goal, nextSteps);
  assert.equal(stageOf(n, 'plan').complete, false);
  assert.equal((await cycle('coach', id)).next_id, nextId);
  assert.equal((await post('coach', `/cycles/${id}/next`)).status, 409, 'one next cycle only');

  // The history says who did what, in field names, never the answers.
  const view = await page('coach', `/cycles/${id}`);
  assert.equal(view.status, 200);
  const history = view.text.match(/<h2 id="history">[\s\S]*?<\/ol>/)?.[0];
  assert.ok(history, 'a history list');
  const rows = [...history.matchAll(/<li>[\s\S]*?<\/li>/g)].map((m) => plainText(m[0]));
  const has = (who, what) => rows.some((r) => r.includes(who) && what.test(r));
  assert.ok(has('Carmen Ortiz', /Cycle started/), rows.join('\n'));
  assert.ok(has('Carmen Ortiz', /Plan saved.*standards/), rows.join('\n'));
  assert.ok(has('Tom Becker', /Plan marked complete.*anticipated/), rows.join('\n'));
  assert.ok(has('Carmen Ortiz', /Enact(ment)? marked complete/), rows.join('\n'));
  assert.ok(has('Tom Becker', /Reflect(ion)? marked complete.*next_steps/), rows.join('\n'));
  assert.ok(has('Carmen Ortiz', /[Cc]losed/), rows.join('\n'));
  assert.ok(has('Carmen Ortiz', /[Rr]eopened/), rows.join('\n'));
  lacks(history, /benchmark|cornbread|reasoned about/, 'no content in the history');
  matches(view.text, new RegExp(`<a href="/cycles/${nextId}">`), 'a link to the next cycle');
  assert.match((await page('coach', `/cycles/${nextId}`)).text, new RegExp(`<a href="/cycles/${id}">`));

  // The teacher's history lists both, for the coach.
  const hist = await page('coach', `/people/${teacher.id}/cycles`);
  assert.equal(hist.status, 200);
  matches(hist.text, /E2E: comparing unit fractions/);
  matches(hist.text, new RegExp(`href="/cycles/${nextId}"`));

  // And "my reflections" shows the next steps to the teacher.
  const mine = await page('teacher', '/cycles?view=reflections');
  assert.equal(mine.status, 200);
  matches(mine.text, /benchmark 1\/2/);
});

test('the same cycle through the pages: start form, draft, errors beside fields, complete, one-tap note', async () => {
  const school = await orgId('Meadowbrook Elementary School');
  const teacher = await as('teacher');
  const form = await page('coach', '/cycles/new');
  assert.equal(form.status, 200);
  matches(form.text, /<form method="post" action="\/cycles"/);
  matches(form.text, /Tom Becker/);
  assert.equal((await page('teacher', '/cycles/new')).status, 403, 'teachers do not start cycles');

  const missing = await post('coach', '/cycles', { kind: 'individual', school_id: String(school), title: 'No teacher' });
  assert.equal(missing.status, 400);
  matches(missing.text, /class="field-error" id="teachers-error"/);
  const before = (await api('coach', 'GET', '/api/cycles')).json.cycles.length;
  assert.ok(!(await api('coach', 'GET', '/api/cycles')).json.cycles.some((x) => x.title === 'No teacher'));

  const made = await post('coach', '/cycles', [['kind', 'individual'], ['school_id', String(school)],
    ['teachers', String(teacher.id)], ['title', 'E2E: pages cycle'], ['grade', '4']]);
  assert.equal(made.status, 303, made.text.slice(0, 1000));
  const id = Number(made.location.match(/^\/cycles\/(\d+)/)?.[1]);
  assert.ok(id > 0, made.location);
  assert.equal((await api('coach', 'GET', '/api/cycles')).json.cycles.length, before + 1);
  const c = await cycle('coach', id);
  const plan = stageOf(c, 'plan');
  const view = await page('coach', made.location);
  assert.equal(view.status, 200);
  matches(view.text, /<h1>E2E: pages cycle<\/h1>/);
  matches(view.text, new RegExp(`href="/cycles/${id}/stages/${plan.id}"`));

  const stagePage = await page('coach', `/cycles/${id}/stages/${plan.id}`);
  assert.equal(stagePage.status, 200);
  for (const key of ['focus', 'standards', 'goal', 'task', 'anticipated', 'coach_role', 'who_leads',
    'evidence', 'tallies', 'lesson_on', 'lesson_at', 'class_id', 'minutes']) {
    matches(stagePage.text, new RegExp(`<label for="${key}">`), `a labelled ${key} field`);
  }
  assert.equal(fieldValue(stagePage.text, 'version'), '0');

  // Bad standards: 400, the message beside the field, the text kept.
  const bad = await post('coach', `/cycles/${id}/stages/${plan.id}`, { version: '0', action: 'save',
    goal: 'Kept goal text', standards: '4.NF.A.1 4.XY.A.1' });
  assert.equal(bad.status, 400);
  matches(bad.text, /<span class="field-error" id="standards-error">[^<]*4\.XY\.A\.1/);
  matches(bad.text, /aria-invalid="true"/);
  assert.equal(fieldValue(bad.text, 'goal'), 'Kept goal text');
  assert.equal((await api('coach', 'GET', `/api/cycles/${id}/plan`)).json.version, 0, 'nothing written');

  const saved = await post('coach', `/cycles/${id}/stages/${plan.id}`, { version: '0', action: 'save',
    focus: 'MP3', goal: 'Page goal', standards: '4.nf.a.1', tallies: 'Students who used a drawing' });
  assert.equal(saved.status, 303, saved.text.slice(0, 1000));
  assert.match(saved.location, new RegExp(`^/cycles/${id}/stages/${plan.id}`));
  const again = await page('coach', saved.location);
  assert.equal(fieldValue(again.text, 'standards'), '4.NF.A.1');
  assert.equal(fieldValue(again.text, 'goal'), 'Page goal');
  assert.equal(fieldValue(again.text, 'version'), '1');
  matches(again.text, /Draft/);

  const complete = await post('coach', `/cycles/${id}/stages/${plan.id}`, { version: '1', action: 'complete',
    focus: 'MP3', goal: 'Page goal', standards: '4.NF.A.1', tallies: 'Students who used a drawing' });
  assert.equal(complete.status, 303);
  assert.match(complete.location, new RegExp(`^/cycles/${id}(\\?|$)`));
  assert.equal((await api('coach', 'GET', `/api/cycles/${id}/plan`)).json.complete, true);

  // The enactment page: a button per tag, each a one-field form; one post adds a note.
  const enactId = stageOf(c, 'enact').id;
  const enactPage = await page('coach', `/cycles/${id}/stages/${enactId}`);
  assert.equal(enactPage.status, 200);
  for (const tag of ['student_reasoning', 'question', 'misconception', 'teacher_move', 'strategy'])
    matches(enactPage.text, new RegExp(`<input type="hidden" name="tag" value="${tag}">\\s*<button type="submit">`));
  matches(enactPage.text, /Students who used a drawing/, 'the counts the plan asked for');
  const tap = await post('coach', `/cycles/${id}/stages/${enactId}/notes`, { tag: 'question' });
  assert.equal(tap.status, 303);
  const afterTap = await page('coach', tap.location);
  const notes = afterTap.text.match(/<section class="note-taker"[\s\S]*?<\/section>/)[0];
  matches(notes, /Question/);
  matches(notes, /<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?Z"/, 'the note shows its time');
  const badNote = await post('coach', `/cycles/${id}/stages/${enactId}/notes`, { tag: 'nonsense' });
  assert.equal(badNote.status, 400);
  assert.equal((await api('coach', 'GET', `/api/cycles/${id}/notes`)).json.notes.length, 1);
  // The author removes their own note; the teacher may not remove it.
  const noteId = (await api('coach', 'GET', `/api/cycles/${id}/notes`)).json.notes[0].id;
  const notMine = await post('teacher', `/cycles/${id}/notes/${noteId}/remove`, { stage_id: String(enactId) });
  assert.ok([403, 404].includes(notMine.status), String(notMine.status));
  assert.equal((await api('coach', 'GET', `/api/cycles/${id}/notes`)).json.notes.length, 1);
  const removed = await post('coach', `/cycles/${id}/notes/${noteId}/remove`, { stage_id: String(enactId) });
  assert.equal(removed.status, 303);
  assert.equal((await api('coach', 'GET', `/api/cycles/${id}/notes`)).json.notes.length, 0);

  // A page form without the csrf field is refused and writes nothing.
  const s = await as('coach');
  const forged = await request('POST', `/cycles/${id}/stages/${enactId}/notes`, { cookie: s.cookie, form: { tag: 'question' } });
  assert.equal(forged.status, 403);
  assert.equal((await api('coach', 'GET', `/api/cycles/${id}/notes`)).json.notes.length, 0);

  // The cycle list finds it by a word of its plan, and by state.
  const found = await page('coach', '/cycles?q=drawing');
  assert.equal(found.status, 200);
  matches(found.text, /E2E: pages cycle/);
  const planning = (await api('coach', 'GET', '/api/cycles?state=planning')).json.cycles;
  assert.ok(planning.some((x) => x.id === id));
  assert.ok(planning.every((x) => x.state === 'planning'));
  const badState = await api('coach', 'GET', '/api/cycles?state=dreaming');
  assert.equal(badState.status, 400);
  assert.equal(badState.json.error.field, 'state');
});

test('two people save one stage at once: the second is told who saved, nothing is lost (API)', async () => {
  const c = await startIndividual('E2E: concurrent plan (API)');
  const id = c.id;
  const coachRead = await api('coach', 'GET', `/api/cycles/${id}/plan`);
  const teacherRead = await api('teacher', 'GET', `/api/cycles/${id}/plan`);
  assert.equal(coachRead.json.version, teacherRead.json.version);
  const v = coachRead.json.version;
  const first = await api('coach', 'PUT', `/api/cycles/${id}/plan`, { version: v, answers: { goal: 'The coach\'s goal' } });
  assert.equal(first.status, 200, first.text);
  assert.equal(first.json.version, v + 1);
  const second = await api('teacher', 'PUT', `/api/cycles/${id}/plan`, { version: v, answers: { goal: 'The teacher\'s goal' } });
  assert.equal(second.status, 409, second.text);
  assert.equal(second.json.error.code, 'conflict');
  assert.match(second.json.error.message, /Carmen Ortiz/, 'names who saved');
  const now = await api('teacher', 'GET', `/api/cycles/${id}/plan`);
  assert.equal(now.json.answers.goal, 'The coach\'s goal', 'the first save stands');
  assert.equal(now.json.version, v + 1);
  // Saving on top of what they now read goes through.
  const retry = await api('teacher', 'PUT', `/api/cycles/${id}/plan`, { version: v + 1, answers: { goal: 'Both goals' } });
  assert.equal(retry.status, 200, retry.text);
  // A version from the future is stale too, and a missing one is a 400.
  assert.equal((await api('coach', 'PUT', `/api/cycles/${id}/plan`, { version: 99, answers: { goal: 'x' } })).status, 409);
  const noVersion = await api('coach', 'PUT', `/api/cycles/${id}/plan`, { answers: { goal: 'x' } });
  assert.equal(noVersion.status, 400);
  assert.equal(noVersion.json.error.field, 'version');
  assert.equal((await api('coach', 'GET', `/api/cycles/${id}/plan`)).json.answers.goal, 'Both goals');

  // Many saves at once from one read: exactly one wins.
  const base = (await api('coach', 'GET', `/api/cycles/${id}/plan`)).json.version;
  const racers = await Promise.all(Array.from({ length: 6 }, (_, i) =>
    api(i % 2 ? 'teacher' : 'coach', 'PUT', `/api/cycles/${id}/plan`, { version: base, answers: { task: `racer ${i}` } })));
  const statuses = racers.map((r) => r.status).sort();
  assert.deepEqual(statuses, [200, 409, 409, 409, 409, 409], racers.map((r) => r.text).join('\n'));
  const winner = racers.find((r) => r.status === 200).json.answers.task;
  const after = await api('coach', 'GET', `/api/cycles/${id}/plan`);
  assert.equal(after.json.answers.task, winner);
  assert.equal(after.json.version, base + 1);
});

test('two people save one stage at once through the form: the 409 page keeps the unsaved text', async () => {
  const c = await startIndividual('E2E: concurrent plan (pages)');
  const id = c.id;
  const plan = stageOf(c, 'plan').id;
  const path = `/cycles/${id}/stages/${plan}`;
  const coachForm = await page('coach', path);
  const teacherForm = await page('teacher', path);
  const v = fieldValue(coachForm.text, 'version');
  assert.equal(fieldValue(teacherForm.text, 'version'), v);
  const coachSave = await post('coach', path, { version: v, action: 'save', goal: 'Coach wrote this first', task: 'Coach task' });
  assert.equal(coachSave.status, 303);
  const teacherSave = await post('teacher', path, { version: v, action: 'save', goal: 'Teacher unsaved words', task: 'Teacher task' });
  assert.equal(teacherSave.status, 409);
  matches(teacherSave.text, /Carmen Ortiz/);
  assert.equal(fieldValue(teacherSave.text, 'goal'), 'Teacher unsaved words', 'the teacher\'s text stays in the field');
  assert.equal(fieldValue(teacherSave.text, 'task'), 'Teacher task');
  matches(teacherSave.text, /Coach wrote this first/, 'the saved version is shown beside it');
  const newVersion = fieldValue(teacherSave.text, 'version');
  assert.equal(Number(newVersion), Number(v) + 1, 'the form now names the new version');
  let stored = (await api('coach', 'GET', `/api/cycles/${id}/plan`)).json;
  assert.equal(stored.answers.goal, 'Coach wrote this first', 'no lost update');
  // Saving the kept form again is the teacher's deliberate choice, and works.
  const resave = await post('teacher', path, { version: newVersion, action: 'save', goal: 'Teacher unsaved words', task: 'Teacher task' });
  assert.equal(resave.status, 303);
  stored = (await api('coach', 'GET', `/api/cycles/${id}/plan`)).json;
  assert.equal(stored.answers.goal, 'Teacher unsaved words');
  assert.equal(stored.updated_by.name, 'Tom Becker');
});

test('a collaborative cycle with the Grade 3 team: one enactment per teacher', async () => {
  const school = await orgId('Meadowbrook Elementary School');
  const g3 = await teamId('G3');
  const r = await api('coach', 'POST', '/api/cycles', { kind: 'collaborative', title: 'E2E: G3 team cycle',
    school_id: school, team_id: g3, grade: '3' });
  assert.equal(r.status, 201, r.text);
  const c = r.json;
  assert.equal(c.kind, 'collaborative');
  assert.equal(c.team.id, g3);
  const teachers = c.members.filter((m) => m.role === 'teacher').map((m) => m.id).sort();
  const [tom, grace] = [(await as('teacher')).id, (await as('teacher2')).id];
  assert.ok(teachers.includes(tom) && teachers.includes(grace), 'both demo teachers are in the G3 team');
  const enactments = c.stages.filter((s) => s.stage === 'enact');
  assert.deepEqual(enactments.map((s) => s.teacher.id).sort(), teachers, 'one enactment per team teacher');
  assert.equal(c.stages.filter((s) => s.stage === 'plan').length, 1);
  assert.equal(c.stages.filter((s) => s.stage === 'reflect').length, 1);
  // Both teachers read it; a team member reads the whole cycle.
  assert.equal((await api('teacher2', 'GET', `/api/cycles/${c.id}`)).status, 200);
  const id = c.id;
  // A note must say whose classroom when there are several.
  const which = await api('coach', 'POST', `/api/cycles/${id}/notes`, { tag: 'question' });
  assert.equal(which.status, 400);
  assert.equal(which.json.error.field, 'stage_id');
  const graces = enactments.find((s) => s.teacher.id === grace);
  const note = await api('coach', 'POST', `/api/cycles/${id}/notes`, { stage_id: graces.id, tag: 'strategy' });
  assert.equal(note.status, 201, note.text);
  assert.equal(note.json.stage_id, graces.id);
  // Plan once, then each classroom: enacted only when every enactment is done.
  assert.equal((await api('teacher2', 'PUT', `/api/cycles/${id}/plan`, { version: 0, complete: true,
    answers: { focus: 'TP4', goal: 'Fair shares' } })).status, 200);
  for (const [i, e] of enactments.entries()) {
    const saved = await api('coach', 'PUT', `/api/cycles/${id}/enact`, { stage_id: e.id, version: 0, complete: true,
      answers: { summary: `Lesson ${i}`, minutes: 40 } });
    assert.equal(saved.status, 200, saved.text);
    assert.equal(saved.json.teacher.id, e.teacher.id);
    const state = (await cycle('coach', id)).state;
    assert.equal(state, i === enactments.length - 1 ? 'enacted' : 'planning', `after ${i + 1} of ${enactments.length}`);
  }
  const listed = (await api('coach', 'GET', `/api/cycles/${id}/enact`)).json.enactments;
  assert.equal(listed.length, enactments.length);
  assert.ok(listed.every((e) => e.complete));
  const other = await api('coach', 'PUT', `/api/cycles/${id}/enact`, { stage_id: stageOf(c, 'plan').id, version: 2, answers: {} });
  assert.equal(other.status, 400, 'a plan is not an enactment');
  assert.equal(other.json.error.field, 'stage_id');
  const view = await page('teacher', `/cycles/${id}`);
  for (const e of enactments) matches(view.text, new RegExp(`Enact(ment)? · ${e.teacher.name}`));
});

test('a district template: lead writes it (bad line 400), coach starts a cycle with it, its prompts show', async () => {
  const district = await orgId('Prairie Glen School District 41');
  assert.equal((await page('teacher', '/cycle-templates/new')).status, 403);
  assert.equal((await post('teacher', '/cycle-templates', { name: 'x', org_id: String(district), plan: 'focus | F', enact: 'summary | S', reflect: 'worked | W' })).status, 403);
  const form = await page('lead', '/cycle-templates/new');
  assert.equal(form.status, 200);
  const plan = fieldValue(form.text, 'plan').replaceAll('&#39;', '\'');
  matches(plan, /^focus \| Focus practice/, 'starts from the default');
  const launch = 'launch | How will the task be launched? | The first five minutes of the lesson';
  const list0 = (await page('lead', '/cycle-templates')).text;
  const fields = { name: 'Prairie Glen lesson study', org_id: String(district),
    plan: `${plan.trim()}\n${launch}`, enact: 'summary | What we saw\nminutes | Minutes',
    reflect: 'worked | What worked\nnext_steps | Next steps\nminutes | Minutes' };
  const bad = await post('lead', '/cycle-templates', { ...fields, enact: 'summary | What we saw\nNot A Key! | Broken' });
  assert.equal(bad.status, 400, bad.text.slice(0, 500));
  matches(bad.text, /<span class="field-error" id="enact-error">[^<]*line 2/i);
  const noFocus = await post('lead', '/cycle-templates', { ...fields, plan: 'goal | Goal' });
  assert.equal(noFocus.status, 400);
  matches(noFocus.text, /id="plan-error"/);
  assert.equal((await page('lead', '/cycle-templates')).text.match(/Prairie Glen lesson study/g)?.length ?? 0,
    (list0.match(/Prairie Glen lesson study/g) || []).length, 'nothing written');
  const made = await post('lead', '/cycle-templates', fields);
  assert.equal(made.status, 303, made.text.slice(0, 1000));
  const list = await page('coach', '/cycle-templates');
  assert.equal(list.status, 200);
  matches(list.text, /Prairie Glen lesson study/);
  matches(list.text, /How will the task be launched\?/);
  const templateId = Number((await page('lead', '/cycle-templates')).text
    .match(/href="\/cycle-templates\/(\d+)\/edit"/)?.[1]);
  assert.ok(templateId > 0, 'an edit link for the lead');
  assert.equal((await page('teacher', `/cycle-templates/${templateId}/edit`)).status, 403);

  // The start form offers it; a cycle started with it asks its prompts.
  assert.match((await page('coach', '/cycles/new')).text, /Prairie Glen lesson study/);
  const c = await startIndividual('E2E: templated cycle', { template_id: templateId });
  assert.equal(c.template_id, templateId);
  const planId = stageOf(c, 'plan').id;
  const stagePage = await page('coach', `/cycles/${c.id}/stages/${planId}`);
  matches(stagePage.text, /<label for="launch">How will the task be launched\?<\/label>/);
  matches(stagePage.text, /The first five minutes of the lesson/);
  const enactPage = await page('coach', `/cycles/${c.id}/stages/${stageOf(c, 'enact').id}`);
  matches(enactPage.text, /<label for="summary">What we saw<\/label>/);
  const ok = await api('coach', 'PUT', `/api/cycles/${c.id}/plan`, { version: 0, answers: { launch: 'A story about cornbread' } });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.answers.launch, 'A story about cornbread');
  const reflectKey = await api('coach', 'PUT', `/api/cycles/${c.id}/reflect`, { version: 0, answers: { teacher_learning: 'x' } });
  assert.equal(reflectKey.status, 400, 'a prompt the template left out');
  assert.equal(reflectKey.json.error.field, 'teacher_learning');
  const otherDistrict = await api('coach', 'POST', '/api/cycles', { kind: 'individual', title: 'x',
    school_id: await orgId('Meadowbrook Elementary School'), teachers: [(await as('teacher')).id], template_id: 999999 });
  assert.equal(otherDistrict.status, 400);
  assert.equal(otherDistrict.json.error.field, 'template_id');

  // Editing it renames it; the edit form shows the lines back.
  const edit = await page('lead', `/cycle-templates/${templateId}/edit`);
  assert.equal(edit.status, 200);
  matches(edit.text, /launch \| How will the task be launched\? \| The first five minutes of the lesson/);
  const renamed = await post('lead', `/cycle-templates/${templateId}`, { ...fields, name: 'Prairie Glen lesson study v2', active: '1' });
  assert.equal(renamed.status, 303, renamed.text.slice(0, 1000));
  assert.match((await page('coach', '/cycle-templates')).text, /Prairie Glen lesson study v2/);

  // Retired: coaches no longer choose it; the lead still sees it, to bring it back.
  const { active: _active, ...retiring } = { ...fields, name: 'Prairie Glen lesson study v2' };
  assert.equal((await post('lead', `/cycle-templates/${templateId}`, retiring)).status, 303);
  lacks((await page('coach', '/cycles/new')).text, /Prairie Glen lesson study v2/, 'a retired template is not offered');
  lacks((await page('teacher', '/cycle-templates')).text, /Prairie Glen lesson study v2/, 'nor listed to those who cannot bring it back');
  matches((await page('lead', '/cycle-templates')).text, /retired: coaches no longer see it/, 'the lead sees it retired');
  assert.equal((await post('lead', `/cycle-templates/${templateId}`, { ...retiring, active: '1' })).status, 303);
  matches((await page('coach', '/cycles/new')).text, /Prairie Glen lesson study v2/, 'brought back');
});

test('bad input to start a cycle: 400 naming the field, nothing written; only coaches start', async () => {
  const school = await orgId('Meadowbrook Elementary School');
  const tom = (await as('teacher')).id;
  const count = async () => (await api('coach', 'GET', '/api/cycles')).json.cycles.length;
  const before = await count();
  for (const [body, field] of [
    [{ kind: 'solo', title: 'x', school_id: school, teachers: [tom] }, 'kind'],
    [{ kind: 'individual', title: 'x', school_id: school, teachers: [] }, 'teachers'],
    [{ kind: 'individual', title: 'x', school_id: school, teachers: [999999] }, 'teachers'],
    [{ kind: 'individual', title: 'x'.repeat(201), school_id: school, teachers: [tom] }, 'title'],
    [{ kind: 'collaborative', title: 'x', school_id: school }, 'team_id'],
    [{ kind: 'individual', title: 'x', teachers: [tom] }, 'school_id'],
    [{ kind: 'individual', title: 'x', school_id: school, teachers: [tom], color: 'red' }, 'color'],
  ]) {
    const r = await api('coach', 'POST', '/api/cycles', body);
    assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
    assert.equal(r.json.error.field, field, JSON.stringify(body));
  }
  const notJson = await request('POST', '/api/cycles', { cookie: (await as('coach')).cookie, csrf: (await as('coach')).csrf, json: [1, 2] });
  assert.equal(notJson.status, 400);
  const noCsrf = await request('POST', '/api/cycles', { cookie: (await as('coach')).cookie,
    json: { kind: 'individual', title: 'x', school_id: school, teachers: [tom] } });
  assert.equal(noCsrf.status, 403);
  for (const who of ['teacher', 'principal', 'lead', 'admin']) {
    const r = await api(who, 'POST', '/api/cycles', { kind: 'individual', title: 'x', school_id: school, teachers: [tom] });
    assert.equal(r.status, 403, `${who}: ${r.text}`);
  }
  assert.equal(await count(), before);
});

test('cycle pages are markup, not escaped markup: the progress steps and the sharing table', async () => {
  const c = await startIndividual('E2E: markup');
  const view = await page('coach', `/cycles/${c.id}`);
  assert.equal(view.status, 200);
  matches(view.text, /<li class="now" aria-current="step">Planning/, 'the cycle page marks the current step');
  lacks(view.text, /=&quot;|&lt;(th|td|tr|span|li)\b/, 'the cycle page');
  const shares = await page('teacher', `/cycles/${c.id}/shares`);
  assert.equal(shares.status, 200);
  matches(shares.text, /<th scope="col"><span class="visually-hidden">Revoke<\/span><\/th>|<thead><tr>(<th scope="col">[^<]*<\/th>){4}<\/tr>/, 'the sharing table header');
  lacks(shares.text, /=&quot;|&lt;(th|td|tr|span|li)\b/, 'the sharing page');
  for (const s of c.stages) {
    const st = await page('coach', `/cycles/${c.id}/stages/${s.id}`);
    assert.equal(st.status, 200);
    lacks(st.text, /=&quot;|&lt;(th|td|tr|span|li|div|p)\b/, `the ${s.stage} page`);
  }
});
