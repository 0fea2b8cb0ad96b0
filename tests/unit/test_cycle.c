/* Unit tests for the coaching-cycle rules (src/cycle/cycle.c): every
 * combination of progress and the state and blockers it gives; the built-in
 * fields and the default template; template checks and the editor's line
 * format; each kind of answer; who may read which stage; and may() asked
 * about a cycle's records. The codes they take are tested in
 * test_standards.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "access/actor.h"
#include "access/policy.h"
#include "base/arena.h"
#include "base/util.h"
#include "web/change.h"
#include "cycle/cycle.h"

static void test_names(void **state)
{
	(void)state;
	cycle_kind k;
	assert_true(cycle_kind_parse("individual", &k));
	assert_int_equal(k, CYCLE_INDIVIDUAL);
	assert_true(cycle_kind_parse("collaborative", &k));
	assert_string_equal(cycle_kind_name(k), "collaborative");
	assert_false(cycle_kind_parse("team", &k));
	assert_false(cycle_kind_parse(NULL, &k));
	for (int s = 0; s < CYCLE_STATE_COUNT; s++) {
		cycle_state got;
		assert_true(cycle_state_parse(cycle_state_name((cycle_state)s), &got));
		assert_int_equal(got, s);
	}
	assert_string_equal(cycle_state_name(CYCLE_ENACTED), "enacted");
	assert_string_equal(cycle_state_label(CYCLE_REFLECTED), "Reflected");
	assert_string_equal(cycle_state_name(CYCLE_STATE_COUNT), "unknown");
	cycle_state cs;
	assert_false(cycle_state_parse("Closed", &cs));
	for (int s = 0; s < STAGE_COUNT; s++) {
		stage_kind got;
		assert_true(stage_parse(stage_name((stage_kind)s), &got));
		assert_int_equal(got, s);
	}
	assert_string_equal(stage_name(STAGE_REFLECT), "reflect");
	assert_string_equal(stage_label(STAGE_PLAN), "Plan");
	stage_kind st;
	assert_false(stage_parse("enactment", &st));
}

/* What the rules in cycle.h say, written out again for the test. */
static cycle_state expected_state(const cycle_progress *p)
{
	if (p->closed) return CYCLE_CLOSED;
	if (p->reflect_complete) return CYCLE_REFLECTED;
	if (p->enactments && p->enactments_complete == p->enactments) return CYCLE_ENACTED;
	return CYCLE_PLANNING;
}

static const char *expected_blocker(const cycle_progress *p, stage_kind st)
{
	if (p->closed) return "This cycle is closed; reopen it first.";
	if (st == STAGE_PLAN) return NULL;
	if (!p->plan_complete) return "Complete the plan first.";
	if (st == STAGE_ENACT) return NULL;
	if (!p->enactments) return "This cycle has no enactment yet: a reflection needs a lesson first.";
	if (p->enactments_complete < p->enactments) return "Complete every enactment first.";
	return NULL;
}

static void test_states_exhaustive(void **state)
{
	(void)state;
	size_t combinations = 0;
	for (int closed = 0; closed < 2; closed++)
		for (int plan = 0; plan < 2; plan++)
			for (int reflect = 0; reflect < 2; reflect++)
				for (size_t n = 0; n <= 3; n++)
					for (size_t done = 0; done <= n; done++) {
						cycle_progress p = {plan, n, done, reflect, closed};
						assert_int_equal(cycle_state_of(&p), expected_state(&p));
						for (int st = 0; st < STAGE_COUNT; st++) {
							const char *want =
								expected_blocker(&p, (stage_kind)st);
							const char *got =
								cycle_complete_blocker(&p, (stage_kind)st);
							if (want) assert_string_equal(got, want);
							else assert_null(got);
						}
						if (closed) {
							assert_non_null(cycle_close_blocker(&p));
							assert_null(cycle_reopen_blocker(&p));
						} else {
							assert_null(cycle_close_blocker(&p));
							assert_non_null(cycle_reopen_blocker(&p));
						}
						combinations++;
					}
	assert_int_equal(combinations, 2 * 2 * 2 * (1 + 2 + 3 + 4));

	/* The path a cycle takes, and the corners. */
	cycle_progress p = {0};
	assert_int_equal(cycle_state_of(&p), CYCLE_PLANNING);
	p.plan_complete = true;
	p.enactments = 2;
	p.enactments_complete = 1;
	assert_int_equal(cycle_state_of(&p), CYCLE_PLANNING);
	assert_string_equal(cycle_complete_blocker(&p, STAGE_REFLECT), "Complete every enactment first.");
	p.enactments_complete = 2;
	assert_int_equal(cycle_state_of(&p), CYCLE_ENACTED);
	assert_null(cycle_complete_blocker(&p, STAGE_REFLECT));
	p.reflect_complete = true;
	assert_int_equal(cycle_state_of(&p), CYCLE_REFLECTED);
	p.closed = true;
	assert_int_equal(cycle_state_of(&p), CYCLE_CLOSED);
	assert_string_equal(cycle_close_blocker(&p), "This cycle is already closed.");
	/* No enactment: never enacted, however complete the plan. */
	cycle_progress none = {.plan_complete = true};
	assert_int_equal(cycle_state_of(&none), CYCLE_PLANNING);
	assert_non_null(cycle_complete_blocker(&none, STAGE_REFLECT));
	assert_null(cycle_complete_blocker(&none, STAGE_ENACT));
}

static void test_fields_and_default(void **state)
{
	(void)state;
	arena *a = arena_new();
	static const char *const plan_keys[] = {
		"focus",    "standards", "goal",      "task",      "anticipated", "coach_role", "who_leads",
		"evidence", "tallies",   "lesson_on", "lesson_at", "class_id",    "minutes"};
	static const char *const enact_keys[] = {"summary", "minutes"};
	static const char *const reflect_keys[] = {"compared",         "worked",     "student_learning",
						   "teacher_learning", "next_steps", "minutes"};
	static const char *const *const keys[] = {plan_keys, enact_keys, reflect_keys};
	static const size_t nkeys[] = {COUNT_OF(plan_keys), COUNT_OF(enact_keys), COUNT_OF(reflect_keys)};
	cycle_template t;
	cycle_template_default(&t);
	assert_int_equal(t.id, 0);
	assert_string_equal(t.name, "Coaching cycle (plan, enact, reflect)");
	assert_int_equal(t.nprompts, COUNT_OF(plan_keys) + COUNT_OF(enact_keys) + COUNT_OF(reflect_keys));
	for (int st = 0; st < STAGE_COUNT; st++) {
		size_t n;
		const stage_field *f = stage_fields((stage_kind)st, &n);
		assert_int_equal(n, nkeys[st]);
		const cycle_prompt **prompts;
		assert_int_equal(cycle_template_stage(a, &t, (stage_kind)st, &prompts), n);
		for (size_t i = 0; i < n; i++) {
			assert_string_equal(f[i].key, keys[st][i]);
			assert_ptr_equal(stage_field_find((stage_kind)st, keys[st][i]), &f[i]);
			assert_int_equal(prompts[i]->stage, st);
			assert_string_equal(prompts[i]->key, f[i].key);
			assert_string_equal(prompts[i]->label, f[i].label);
			if (f[i].help) assert_string_equal(prompts[i]->help, f[i].help);
			else assert_null(prompts[i]->help);
		}
	}
	assert_int_equal(stage_field_find(STAGE_PLAN, "focus")->type, FIELD_FOCUS);
	assert_int_equal(stage_field_find(STAGE_PLAN, "standards")->type, FIELD_STANDARDS);
	assert_int_equal(stage_field_find(STAGE_PLAN, "coach_role")->type, FIELD_COACH_ROLE);
	assert_int_equal(stage_field_find(STAGE_PLAN, "tallies")->type, FIELD_LINES);
	assert_int_equal(stage_field_find(STAGE_PLAN, "lesson_on")->type, FIELD_DATE);
	assert_int_equal(stage_field_find(STAGE_PLAN, "lesson_at")->type, FIELD_TIME);
	assert_int_equal(stage_field_find(STAGE_PLAN, "class_id")->type, FIELD_CLASS);
	assert_int_equal(stage_field_find(STAGE_ENACT, "minutes")->type, FIELD_MINUTES);
	assert_string_equal(stage_field_find(STAGE_PLAN, "goal")->label, "Learning goal");
	assert_string_equal(stage_field_find(STAGE_PLAN, "tallies")->help,
			    "one per line, e.g. Students who explained their reasoning");
	assert_string_equal(stage_field_find(STAGE_ENACT, "summary")->label, "Evidence collected");
	assert_string_equal(stage_field_find(STAGE_REFLECT, "next_steps")->label, "Next steps");
	assert_null(stage_field_find(STAGE_ENACT, "goal"));
	assert_null(stage_field_find(STAGE_PLAN, NULL));

	form_errors e = {0};
	cycle_template_check(a, &t, &e);
	assert_int_equal(e.n, 0);
	arena_free(a);
}

/* A template of n prompts per stage: the default's plan head (with focus),
 * extra keys after it. */
static cycle_template template_of(arena *a, size_t plan, size_t enact, size_t reflect)
{
	size_t counts[STAGE_COUNT] = {plan, enact, reflect};
	cycle_template t = {.id = 7, .org_id = 10, .name = "District protocol", .active = true};
	t.prompts = arena_calloc(a, plan + enact + reflect + 1, sizeof *t.prompts);
	for (int st = 0; st < STAGE_COUNT; st++)
		for (size_t i = 0; i < counts[st]; i++) {
			const char *key =
				st == STAGE_PLAN && i == 0 ? "focus" : arena_printf(a, "extra_%zu", i);
			t.prompts[t.nprompts++] =
				(cycle_prompt){(stage_kind)st, key, arena_printf(a, "Question %zu", i), NULL};
		}
	return t;
}

static cycle_prompt *prompt_at(cycle_template *t, stage_kind st, size_t k)
{
	for (size_t i = 0; i < t->nprompts; i++)
		if (t->prompts[i].stage == st && k-- == 0) return &t->prompts[i];
	return NULL;
}

static const char *check_error(arena *a, cycle_template *t, const char *field)
{
	form_errors e = {0};
	cycle_template_check(a, t, &e);
	return form_error_for(&e, field);
}

static char *repeat(arena *a, const char *unit, size_t n)
{
	size_t len = strlen(unit);
	char *s = arena_alloc(a, len * n + 1);
	for (size_t i = 0; i < n; i++) memcpy(s + i * len, unit, len);
	s[len * n] = '\0';
	return s;
}

static void test_template_check(void **state)
{
	(void)state;
	arena *a = arena_new();
	cycle_template good = template_of(a, 3, 2, 2);
	form_errors e = {0};
	cycle_template_check(a, &good, &e);
	assert_int_equal(e.n, 0);

	cycle_template t = template_of(a, 3, 2, 2);
	prompt_at(&t, STAGE_PLAN, 0)->key = "goal";
	assert_non_null(strstr(check_error(a, &t, "plan"), "focus"));

	t = template_of(a, 3, 2, 2);
	prompt_at(&t, STAGE_ENACT, 1)->key = "extra_0";
	assert_string_equal(check_error(a, &t, "enact"),
			    "In the enactment, the key “extra_0” appears twice.");
	/* The same key in two stages is two prompts. */
	t = template_of(a, 3, 2, 2);
	prompt_at(&t, STAGE_REFLECT, 0)->key = "extra_2";
	assert_null(check_error(a, &t, "reflect"));
	/* A built-in key of another stage is an extra question here. */
	prompt_at(&t, STAGE_REFLECT, 0)->key = "goal";
	assert_null(check_error(a, &t, "reflect"));

	static const char *const bad_keys[] = {
		"Launch", "9lives", "_x", "two words", "", "dash-key", "abcdefghijklmnopqrstuvwxyz123456"};
	for (size_t i = 0; i < COUNT_OF(bad_keys); i++) {
		t = template_of(a, 3, 2, 2);
		prompt_at(&t, STAGE_REFLECT, 1)->key = bad_keys[i];
		assert_non_null(strstr(check_error(a, &t, "reflect"), "is not a key"));
	}
	t = template_of(a, 3, 2, 2);
	prompt_at(&t, STAGE_REFLECT, 1)->key = "abcdefghijklmnopqrstuvwxyz12345"; /* 31 */
	assert_null(check_error(a, &t, "reflect"));
	prompt_at(&t, STAGE_REFLECT, 1)->key = NULL;
	assert_non_null(check_error(a, &t, "reflect"));

	t = template_of(a, 3, CYCLE_PROMPTS_MAX + 1, 2);
	assert_string_equal(check_error(a, &t, "enact"), "The enactment has more than 24 prompts.");
	t = template_of(a, 3, CYCLE_PROMPTS_MAX, 2);
	assert_null(check_error(a, &t, "enact"));
	t = template_of(a, 3, 2, 0);
	assert_string_equal(check_error(a, &t, "reflect"), "The reflection needs at least one prompt.");
	t = template_of(a, 0, 2, 1);
	assert_non_null(check_error(a, &t, "plan"));

	t = template_of(a, 3, 2, 2);
	prompt_at(&t, STAGE_PLAN, 1)->label = repeat(a, "x", 201);
	assert_string_equal(check_error(a, &t, "plan"),
			    "In the plan, the label of “extra_1” is longer than 200 characters.");
	prompt_at(&t, STAGE_PLAN, 1)->label = repeat(a, "é", 200); /* characters, not bytes */
	assert_null(check_error(a, &t, "plan"));
	prompt_at(&t, STAGE_PLAN, 1)->label = "  ";
	assert_string_equal(check_error(a, &t, "plan"), "In the plan, give “extra_1” a label.");
	prompt_at(&t, STAGE_PLAN, 1)->label = "Launch | notes";
	assert_non_null(strstr(check_error(a, &t, "plan"), "cannot contain |"));
	prompt_at(&t, STAGE_PLAN, 1)->label = "Launch";
	prompt_at(&t, STAGE_PLAN, 1)->help = repeat(a, "h", 1001);
	assert_non_null(strstr(check_error(a, &t, "plan"), "longer than 1,000"));
	prompt_at(&t, STAGE_PLAN, 1)->help = "two\nlines";
	assert_non_null(check_error(a, &t, "plan"));
	prompt_at(&t, STAGE_PLAN, 1)->help = repeat(a, "h", 1000);
	assert_null(check_error(a, &t, "plan"));

	t = template_of(a, 3, 2, 2);
	t.name = " ";
	assert_string_equal(check_error(a, &t, "name"), "Give the template a name.");
	t.name = repeat(a, "n", 201);
	assert_non_null(check_error(a, &t, "name"));
	t.name = NULL;
	assert_non_null(check_error(a, &t, "name"));
	arena_free(a);
}

static bool same_prompts(const cycle_template *x, const cycle_template *y)
{
	if (x->nprompts != y->nprompts) return false;
	for (size_t i = 0; i < x->nprompts; i++) {
		const cycle_prompt *p = &x->prompts[i], *q = &y->prompts[i];
		bool help_same = (!p->help || !*p->help) ? (!q->help || !*q->help) : str_eq(p->help, q->help);
		if (p->stage != q->stage || !str_eq(p->key, q->key) || !str_eq(p->label, q->label) ||
		    !help_same)
			return false;
	}
	return true;
}

static void test_template_text(void **state)
{
	(void)state;
	arena *a = arena_new();
	cycle_template dflt;
	cycle_template_default(&dflt);
	/* Every stage written out and read back gives the same template. */
	cycle_template copy = {.name = "Copy"};
	form_errors e = {0};
	for (int st = STAGE_COUNT - 1; st >= 0; st--) {
		const char *text = cycle_template_stage_text(a, &dflt, (stage_kind)st);
		cycle_template_parse_stage(a, &copy, (stage_kind)st, text, &e);
	}
	assert_int_equal(e.n, 0);
	assert_true(same_prompts(&dflt, &copy));
	assert_string_equal(cycle_template_stage_text(a, &dflt, STAGE_ENACT),
			    "summary | Evidence collected | What you saw and heard: live feedback, "
			    "co-teaching notes, the observational data collected\n"
			    "minutes | Length of the lesson, minutes\n");
	/* And once more from the copy: a fixed point. */
	for (int st = 0; st < STAGE_COUNT; st++)
		assert_string_equal(cycle_template_stage_text(a, &copy, (stage_kind)st),
				    cycle_template_stage_text(a, &dflt, (stage_kind)st));

	/* Blank lines are skipped, white space trimmed, CRLF read, help optional. */
	cycle_template t = copy;
	cycle_template_parse_stage(
		a, &t, STAGE_ENACT,
		"\r\n  summary |  What we saw  \r\n\n launch | The launch | How it began\r\n", &e);
	assert_int_equal(e.n, 0);
	const cycle_prompt **enact;
	assert_int_equal(cycle_template_stage(a, &t, STAGE_ENACT, &enact), 2);
	assert_string_equal(enact[0]->key, "summary");
	assert_string_equal(enact[0]->label, "What we saw");
	assert_null(enact[0]->help);
	assert_string_equal(enact[1]->key, "launch");
	assert_string_equal(enact[1]->help, "How it began");
	const cycle_prompt **plan;
	assert_int_equal(cycle_template_stage(a, &t, STAGE_PLAN, &plan), 13); /* untouched */
	assert_int_equal(t.prompts[0].stage, STAGE_PLAN);
	assert_int_equal(t.prompts[t.nprompts - 1].stage, STAGE_REFLECT);
	assert_int_equal(copy.nprompts, dflt.nprompts); /* the copy it started from too */
	e = (form_errors){0};
	cycle_template_check(a, &t, &e);
	assert_int_equal(e.n, 0);

	/* Errors name the stage and the line. */
	e = (form_errors){0};
	t = copy;
	cycle_template_parse_stage(a, &t, STAGE_PLAN,
				   "focus | Focus\n"
				   "\n"
				   "just a label\n"
				   "goal | Goal\n"
				   "Bad Key | x\n"
				   "goal | Again\n"
				   "a | b | c | d\n"
				   "task |  \n"
				   " | Label\n",
				   &e);
	assert_int_equal(e.n, 6);
	for (size_t i = 0; i < e.n; i++) assert_string_equal(e.items[i].field, "plan");
	assert_string_equal(e.items[0].message, "Line 3 of the plan: write key | label | help.");
	assert_non_null(strstr(e.items[1].message, "Line 5 of the plan: “Bad Key” is not a key"));
	assert_string_equal(e.items[2].message, "Line 6 of the plan: the key “goal” is already on line 4.");
	assert_string_equal(e.items[3].message,
			    "Line 7 of the plan: write key | label | help, with | only between them.");
	assert_string_equal(e.items[4].message, "Line 8 of the plan: write key | label | help.");
	assert_string_equal(e.items[5].message, "Line 9 of the plan: write key | label | help.");
	assert_int_equal(cycle_template_stage(a, &t, STAGE_PLAN, &plan), 2); /* the good lines */

	e = (form_errors){0};
	t = copy;
	cycle_template_parse_stage(a, &t, STAGE_REFLECT, "notes | Notes\nhelp | Help | ", &e);
	assert_int_equal(e.n, 0);
	const cycle_prompt **reflect;
	assert_int_equal(cycle_template_stage(a, &t, STAGE_REFLECT, &reflect), 2);
	assert_null(reflect[1]->help);
	cycle_template_parse_stage(
		a, &t, STAGE_REFLECT,
		arena_printf(a, "x | %s\ny | ok | %s", repeat(a, "l", 201), repeat(a, "h", 1001)), &e);
	assert_int_equal(e.n, 2);
	assert_string_equal(e.items[0].message,
			    "Line 1 of the reflection: the label is longer than 200 characters.");
	assert_string_equal(e.items[1].message,
			    "Line 2 of the reflection: the help is longer than 1,000 characters.");
	/* An empty stage parses to no prompts, which the check refuses. */
	e = (form_errors){0};
	t = copy;
	cycle_template_parse_stage(a, &t, STAGE_ENACT, "\n  \n", &e);
	assert_int_equal(e.n, 0);
	assert_int_equal(cycle_template_stage(a, &t, STAGE_ENACT, &enact), 0);
	assert_non_null(check_error(a, &t, "enact"));
	cycle_template_parse_stage(a, &t, STAGE_ENACT, NULL, &e);
	assert_int_equal(e.n, 0);
	arena_free(a);
}

/* Checks one answer to stage st of the default template. */
static const char *checked(arena *a, stage_kind st, const char *key, const char *value, const char **error)
{
	cycle_template t;
	cycle_template_default(&t);
	cycle_answer ans = {key, value};
	form_errors e = {0};
	stage_answers_check(a, &t, st, &ans, 1, &e);
	*error = form_error_for(&e, key);
	if (e.n) assert_non_null(*error); /* every error names the key */
	return ans.value;
}

#define OK(st, key, value, want) \
	do { \
		const char *err_; \
		assert_string_equal(checked(a, st, key, value, &err_), want); \
		if (err_) fail_msg("%s = “%s”: %s", key, value, err_); \
	} while (0)
#define BAD(st, key, value) \
	do { \
		const char *err_; \
		checked(a, st, key, value, &err_); \
		if (!err_) fail_msg("%s = “%s” was accepted", key, value); \
	} while (0)

static void test_answers(void **state)
{
	(void)state;
	arena *a = arena_new();
	/* "" clears every kind of field. */
	for (int st = 0; st < STAGE_COUNT; st++) {
		size_t n;
		const stage_field *f = stage_fields((stage_kind)st, &n);
		for (size_t i = 0; i < n; i++) OK((stage_kind)st, f[i].key, "", "");
	}
	const char *err;
	assert_string_equal(checked(a, STAGE_PLAN, "goal", NULL, &err), "");

	OK(STAGE_PLAN, "goal", "Compare fractions with unlike denominators.",
	   "Compare fractions with unlike denominators.");
	OK(STAGE_PLAN, "goal", repeat(a, "é", CYCLE_TEXT_MAX), repeat(a, "é", CYCLE_TEXT_MAX));
	BAD(STAGE_PLAN, "goal", repeat(a, "x", CYCLE_TEXT_MAX + 1));
	OK(STAGE_REFLECT, "next_steps", "Line one\nLine two", "Line one\nLine two");

	OK(STAGE_PLAN, "focus", "mp3 tp4, MP3", "MP3 TP4");
	BAD(STAGE_PLAN, "focus", "MP3 TP9");
	OK(STAGE_PLAN, "standards", "4.nf.a.1, K.CC.B.4A", "4.NF.A.1 K.CC.B.4a");
	BAD(STAGE_PLAN, "standards", "4.NF.A.1 2.NF.A.1");

	OK(STAGE_PLAN, "coach_role", "co_teach", "co_teach");
	OK(STAGE_PLAN, "coach_role", " observe ", "observe");
	OK(STAGE_PLAN, "coach_role", "model", "model");
	BAD(STAGE_PLAN, "coach_role", "evaluate");
	BAD(STAGE_PLAN, "coach_role", "Co-teach");

	OK(STAGE_PLAN, "lesson_on", "2026-02-28", "2026-02-28");
	OK(STAGE_PLAN, "lesson_on", "2028-02-29", "2028-02-29");
	BAD(STAGE_PLAN, "lesson_on", "2026-02-29");
	BAD(STAGE_PLAN, "lesson_on", "2026-13-01");
	BAD(STAGE_PLAN, "lesson_on", "2026-2-1");
	BAD(STAGE_PLAN, "lesson_on", "tomorrow");

	OK(STAGE_PLAN, "lesson_at", "09:05", "09:05");
	OK(STAGE_PLAN, "lesson_at", "9:05", "09:05");
	OK(STAGE_PLAN, "lesson_at", "00:00", "00:00");
	OK(STAGE_PLAN, "lesson_at", "23:59", "23:59");
	BAD(STAGE_PLAN, "lesson_at", "24:00");
	BAD(STAGE_PLAN, "lesson_at", "12:60");
	BAD(STAGE_PLAN, "lesson_at", "12:5");
	BAD(STAGE_PLAN, "lesson_at", "123:00");
	BAD(STAGE_PLAN, "lesson_at", "9am");
	BAD(STAGE_PLAN, "lesson_at", "1::00");

	OK(STAGE_PLAN, "class_id", "42", "42");
	OK(STAGE_PLAN, "class_id", "007", "7");
	BAD(STAGE_PLAN, "class_id", "0");
	BAD(STAGE_PLAN, "class_id", "-3");
	BAD(STAGE_PLAN, "class_id", "4x");
	BAD(STAGE_PLAN, "class_id", "99999999999999999999");

	OK(STAGE_PLAN, "tallies",
	   "  Students who explained their reasoning \r\n\nQuestions asked\nstudents WHO explained their "
	   "reasoning\n",
	   "Students who explained their reasoning\nQuestions asked");
	const char *twelve = "", *thirteen;
	for (int i = 1; i <= CYCLE_TALLIES_MAX; i++) twelve = arena_printf(a, "%sCount %d\n", twelve, i);
	thirteen = arena_printf(a, "%sCount 13", twelve);
	assert_non_null(checked(a, STAGE_PLAN, "tallies", twelve, &err));
	assert_null(err);
	BAD(STAGE_PLAN, "tallies", thirteen);
	OK(STAGE_PLAN, "tallies", repeat(a, "ü", CYCLE_TALLY_LABEL_MAX),
	   repeat(a, "ü", CYCLE_TALLY_LABEL_MAX));
	BAD(STAGE_PLAN, "tallies", arena_printf(a, "Fine\n%s", repeat(a, "x", CYCLE_TALLY_LABEL_MAX + 1)));

	OK(STAGE_PLAN, "minutes", "45", "45");
	OK(STAGE_ENACT, "minutes", "0", "0");
	OK(STAGE_REFLECT, "minutes", "600", "600");
	OK(STAGE_REFLECT, "minutes", "045", "45");
	BAD(STAGE_REFLECT, "minutes", "601");
	BAD(STAGE_REFLECT, "minutes", "-1");
	BAD(STAGE_REFLECT, "minutes", "1.5");
	BAD(STAGE_REFLECT, "minutes", "an hour");

	/* Keys: only the stage's own questions, each once. */
	checked(a, STAGE_ENACT, "goal", "x", &err);
	assert_string_equal(err, "“goal” is not a question of this stage.");
	checked(a, STAGE_PLAN, "shoe_size", "x", &err);
	assert_string_equal(err, "“shoe_size” is not a question of this stage.");
	cycle_template dflt;
	cycle_template_default(&dflt);
	cycle_answer twice[] = {{"goal", "a"}, {"task", "b"}, {"goal", "c"}};
	form_errors e = {0};
	stage_answers_check(a, &dflt, STAGE_PLAN, twice, COUNT_OF(twice), &e);
	assert_int_equal(e.n, 1);
	assert_string_equal(e.items[0].field, "goal");
	assert_string_equal(e.items[0].message, "“goal” is given twice.");

	/* A template's extra question is free text; a key it left out is no
	 * question of the stage, even a built-in one. */
	cycle_template t = {.name = "Ours"};
	cycle_template_parse_stage(a, &t, STAGE_PLAN, "focus | Focus\nlaunch | The launch\nminutes | Minutes",
				   &e);
	cycle_answer mine[] = {
		{"launch", "  Notice and wonder  "}, {"focus", "tp2"}, {"goal", "x"}, {"minutes", "30"}};
	e = (form_errors){0};
	stage_answers_check(a, &t, STAGE_PLAN, mine, COUNT_OF(mine), &e);
	assert_int_equal(e.n, 1);
	assert_non_null(form_error_for(&e, "goal"));
	assert_string_equal(mine[0].value, "  Notice and wonder  "); /* text is the caller's */
	assert_string_equal(mine[1].value, "TP2");
	assert_string_equal(mine[3].value, "30");
	/* NULL template: the default. */
	cycle_answer plain[] = {{"goal", "g"}};
	e = (form_errors){0};
	stage_answers_check(a, NULL, STAGE_PLAN, plain, 1, &e);
	assert_int_equal(e.n, 0);

	cycle_answer stored[] = {{"goal", "g"}, {"task", "t"}};
	cycle_stage s = {.stage = STAGE_PLAN, .answers = stored, .nanswers = 2};
	assert_string_equal(stage_answer(&s, "task"), "t");
	assert_null(stage_answer(&s, "evidence"));
	assert_null(stage_answer(&s, NULL));
	arena_free(a);
}

static void test_tally_labels(void **state)
{
	(void)state;
	arena *a = arena_new();
	const char **labels;
	assert_int_equal(plan_tally_labels(a, NULL, &labels), 0);
	assert_int_equal(plan_tally_labels(a, "\n \n", &labels), 0);
	assert_int_equal(plan_tally_labels(a,
					   " Questions asked \nStudents who explained\r\n\nquestions ASKED",
					   &labels),
			 2);
	assert_string_equal(labels[0], "Questions asked");
	assert_string_equal(labels[1], "Students who explained");
	const char *many = "";
	for (int i = 1; i <= 20; i++) many = arena_printf(a, "%sCount %d\n", many, i);
	assert_int_equal(plan_tally_labels(a, many, &labels), CYCLE_TALLIES_MAX);
	assert_string_equal(labels[CYCLE_TALLIES_MAX - 1], "Count 12");
	arena_free(a);
}

static void test_roles_and_tags(void **state)
{
	(void)state;
	assert_true(coach_role_valid("observe"));
	assert_true(coach_role_valid("co_teach"));
	assert_true(coach_role_valid("model"));
	assert_false(coach_role_valid("lead"));
	assert_false(coach_role_valid(NULL));
	assert_string_equal(coach_role_label("co_teach"), "Co-teach");
	assert_string_equal(coach_role_label("observe"), "Observe");
	assert_null(coach_role_label("lead"));
	size_t n;
	const char *const *tags = note_tags(&n);
	assert_int_equal(n, 5);
	static const char *const want[] = {"student_reasoning", "question", "misconception", "teacher_move",
					   "strategy"};
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(tags[i], want[i]);
		assert_true(note_tag_valid(tags[i]));
		assert_non_null(note_tag_label(tags[i]));
	}
	assert_string_equal(note_tag_label("student_reasoning"), "Student reasoning");
	assert_string_equal(note_tag_label("misconception"), "Misconception");
	assert_false(note_tag_valid("Question"));
	assert_false(note_tag_valid(NULL));
	assert_null(note_tag_label("praise"));
}

/* People of the cycle under test. */
enum { COACH = 3, TEACHER = 4, TEACHER_B = 5, FRIEND = 7, PRINCIPAL = 8, STRANGER = 9 };
enum { DISTRICT = 10, SCHOOL = 101, OTHER_DISTRICT = 20, OTHER_SCHOOL = 201, PARTNER = 30 };

static const int64_t the_coaches[] = {COACH};
static const int64_t the_teachers[] = {TEACHER, TEACHER_B};
static const int64_t the_shared[] = {FRIEND, PRINCIPAL};

static coaching_cycle a_cycle(cycle_member *members, cycle_share *shares)
{
	members[0] = (cycle_member){.person_id = COACH, .name = "Carmen Ortiz", .coach = true};
	members[1] = (cycle_member){.person_id = TEACHER, .name = "Tom Becker"};
	members[2] = (cycle_member){.person_id = TEACHER_B, .name = "Grace Liu"};
	/* The friend has the whole cycle twice (the earlier share counts);
	 * the principal has the reflection only. */
	shares[0] = (cycle_share){
		.id = 12, .person_id = FRIEND, .shared_by = TEACHER, .stage = -1, .created_at = 2000};
	shares[1] = (cycle_share){.id = 15,
				  .person_id = PRINCIPAL,
				  .shared_by = TEACHER_B,
				  .stage = STAGE_REFLECT,
				  .created_at = 1500};
	shares[2] = (cycle_share){
		.id = 18, .person_id = FRIEND, .shared_by = TEACHER_B, .stage = -1, .created_at = 1000};
	return (coaching_cycle){.id = 1,
				.kind = CYCLE_COLLABORATIVE,
				.title = "Fractions",
				.district_id = DISTRICT,
				.school_id = SCHOOL,
				.members = members,
				.nmembers = 3,
				.coaches = (int64_t *)the_coaches,
				.ncoaches = 1,
				.teachers = (int64_t *)the_teachers,
				.nteachers = 2,
				.shares = shares,
				.nshares = 3,
				.shared_with = (int64_t *)the_shared,
				.nshared = 2};
}

static void test_readable_and_shares(void **state)
{
	(void)state;
	cycle_member members[3];
	cycle_share shares[3];
	coaching_cycle c = a_cycle(members, shares);
	const int64_t classrooms[] = {TEACHER, TEACHER_B};
	for (int st = 0; st < STAGE_COUNT; st++)
		for (size_t k = 0; k < 2; k++) {
			int64_t room = st == STAGE_ENACT ? classrooms[k] : 0;
			assert_true(cycle_part_readable(&c, COACH, (stage_kind)st, room));
			assert_true(cycle_part_readable(&c, TEACHER_B, (stage_kind)st, room));
			/* Both teachers shared the whole cycle with the friend. */
			assert_true(cycle_part_readable(&c, FRIEND, (stage_kind)st, room));
			assert_int_equal(cycle_part_readable(&c, PRINCIPAL, (stage_kind)st, room),
					 st == STAGE_REFLECT);
			assert_false(cycle_part_readable(&c, STRANGER, (stage_kind)st, room));
			assert_false(cycle_part_readable(&c, 0, (stage_kind)st, room));
		}
	/* One teacher's share of a team's lessons opens their own classroom
	 * only, and never a lesson that names no classroom. */
	cycle_share enact_by_tom = {
		.id = 20, .person_id = PRINCIPAL, .shared_by = TEACHER, .stage = STAGE_ENACT};
	coaching_cycle one_share = c;
	one_share.shares = &enact_by_tom;
	one_share.nshares = 1;
	assert_true(cycle_part_readable(&one_share, PRINCIPAL, STAGE_ENACT, TEACHER));
	assert_false(cycle_part_readable(&one_share, PRINCIPAL, STAGE_ENACT, TEACHER_B));
	assert_false(cycle_part_readable(&one_share, PRINCIPAL, STAGE_ENACT, 0));
	assert_false(cycle_part_readable(&one_share, PRINCIPAL, STAGE_PLAN, 0));
	assert_true(cycle_lessons_shared(&one_share, PRINCIPAL));
	cycle_stage graces = {.stage = STAGE_ENACT, .teacher_id = TEACHER_B};
	assert_false(cycle_stage_readable(&one_share, PRINCIPAL, &graces));
	/* Co-teachers of an individual cycle share one classroom: either's share opens it. */
	one_share.kind = CYCLE_INDIVIDUAL;
	assert_true(cycle_part_readable(&one_share, PRINCIPAL, STAGE_ENACT, TEACHER_B));
	assert_true(cycle_is_member(&c, COACH));
	assert_true(cycle_is_member(&c, TEACHER));
	assert_false(cycle_is_member(&c, FRIEND));
	assert_false(cycle_is_member(&c, 0));
	assert_true(cycle_is_coach(&c, COACH));
	assert_false(cycle_is_coach(&c, TEACHER));
	assert_false(cycle_is_coach(&c, FRIEND));
	/* Members known only from the member list count too. */
	coaching_cycle listed_only = c;
	listed_only.coaches = listed_only.teachers = NULL;
	listed_only.ncoaches = listed_only.nteachers = 0;
	assert_true(cycle_is_coach(&listed_only, COACH));
	assert_true(cycle_is_member(&listed_only, TEACHER_B));
	assert_false(cycle_is_coach(&listed_only, TEACHER_B));

	const cycle_share *first = cycle_share_for(&c, FRIEND);
	assert_non_null(first);
	assert_int_equal(first->id, 18);
	assert_int_equal(first->shared_by, TEACHER_B);
	assert_int_equal(cycle_share_for(&c, PRINCIPAL)->id, 15);
	assert_null(cycle_share_for(&c, STRANGER));
	assert_null(cycle_share_for(&c, COACH));
	assert_null(cycle_share_for(&c, 0));
	shares[0].created_at = 1000; /* a tie: the older share */
	assert_int_equal(cycle_share_for(&c, FRIEND)->id, 12);
	c.nshares = 0;
	assert_false(cycle_part_readable(&c, FRIEND, STAGE_PLAN, 0));
}

static void test_progress_of(void **state)
{
	(void)state;
	cycle_member members[3];
	cycle_share shares[3];
	coaching_cycle c = a_cycle(members, shares);
	cycle_stage st[] = {{.stage = STAGE_PLAN, .complete = true},
			    {.stage = STAGE_ENACT, .teacher_id = TEACHER, .complete = true},
			    {.stage = STAGE_ENACT, .teacher_id = TEACHER_B, .complete = false},
			    {.stage = STAGE_REFLECT, .complete = false}};
	cycle_progress p = cycle_progress_of(&c, st, COUNT_OF(st));
	assert_true(p.plan_complete);
	assert_int_equal(p.enactments, 2);
	assert_int_equal(p.enactments_complete, 1);
	assert_false(p.reflect_complete);
	assert_false(p.closed);
	assert_int_equal(cycle_state_of(&p), CYCLE_PLANNING);
	st[2].complete = true;
	p = cycle_progress_of(&c, st, COUNT_OF(st));
	assert_int_equal(cycle_state_of(&p), CYCLE_ENACTED);
	st[3].complete = true;
	p = cycle_progress_of(&c, st, COUNT_OF(st));
	assert_int_equal(cycle_state_of(&p), CYCLE_REFLECTED);
	c.closed_at = 1700000000;
	p = cycle_progress_of(&c, st, COUNT_OF(st));
	assert_true(p.closed);
	assert_int_equal(cycle_state_of(&p), CYCLE_CLOSED);
	c.closed_at = 0;
	p = cycle_progress_of(&c, NULL, 0);
	assert_false(p.plan_complete);
	assert_int_equal(p.enactments, 0);
	assert_int_equal(cycle_state_of(&p), CYCLE_PLANNING);
}

static actor person_with(int64_t person, const grant *g, size_t n)
{
	return (actor){.person_id = person, .name = "Test", .grants = g, .ngrants = n};
}

static void test_records_and_may(void **state)
{
	(void)state;
	cycle_member members[3];
	cycle_share shares[3];
	coaching_cycle c = a_cycle(members, shares);
	place pl[1], spl[1];
	record r = cycle_record(pl, &c);
	record s = cycle_summary_record(spl, &c);
	assert_int_equal(r.kind, REC_COACHING);
	assert_int_equal(r.nplaces, 1);
	assert_ptr_equal(r.places, pl);
	assert_int_equal(pl[0].org_id, SCHOOL);
	assert_int_equal(pl[0].district_id, DISTRICT);
	assert_int_equal(pl[0].partner_id, 0);
	assert_int_equal(r.person_id, 0);
	assert_int_equal(r.ncoaches, 1);
	assert_int_equal(r.nteachers, 2);
	assert_int_equal(r.nshared, 2);
	assert_int_equal(s.kind, REC_COACHING_SUMMARY);
	assert_int_equal(s.nplaces, 1);
	assert_int_equal(spl[0].org_id, SCHOOL);
	assert_int_equal(s.ncoaches + s.nteachers + s.nshared, 0);

	const grant coach_d = {ROLE_COACH, DISTRICT, DISTRICT, 0};
	const grant teacher_s = {ROLE_TEACHER, SCHOOL, DISTRICT, 0};
	const grant principal_s = {ROLE_PRINCIPAL, SCHOOL, DISTRICT, 0};
	const grant principal_other = {ROLE_PRINCIPAL, OTHER_SCHOOL, OTHER_DISTRICT, 0};
	const grant leader_d = {ROLE_DISTRICT_LEADER, DISTRICT, DISTRICT, 0};
	const grant admin_d = {ROLE_ADMIN, DISTRICT, DISTRICT, 0};

	actor coach = person_with(COACH, &coach_d, 1);
	assert_true(may(&coach, ACT_READ, &r));
	assert_true(may(&coach, ACT_UPDATE, &r));
	assert_true(may(&coach, ACT_DEACTIVATE, &r));
	assert_true(may(&coach, ACT_EXPORT, &r));
	assert_false(may(&coach, ACT_SHARE, &r)); /* the teacher's to give */

	actor teacher = person_with(TEACHER, &teacher_s, 1);
	assert_true(may(&teacher, ACT_READ, &r));
	assert_true(may(&teacher, ACT_UPDATE, &r));
	assert_true(may(&teacher, ACT_SHARE, &r));
	assert_false(may(&teacher, ACT_DEACTIVATE, &r));
	assert_false(may(&teacher, ACT_READ, &s)); /* counts are for leaders and coaches */
	actor teacher_no_role = person_with(TEACHER_B, NULL, 0);
	assert_true(may(&teacher_no_role, ACT_READ, &r));

	/* Shared: read only, with or without a role. */
	actor friend_no_role = person_with(FRIEND, NULL, 0);
	assert_true(may(&friend_no_role, ACT_READ, &r));
	assert_false(may(&friend_no_role, ACT_UPDATE, &r));
	assert_false(may(&friend_no_role, ACT_SHARE, &r));
	assert_false(may(&friend_no_role, ACT_EXPORT, &r));
	actor principal_shared = person_with(PRINCIPAL, &principal_s, 1);
	assert_true(may(&principal_shared, ACT_READ, &r));
	assert_false(may(&principal_shared, ACT_UPDATE, &r));
	assert_true(may(&principal_shared, ACT_READ, &s));

	/* Strangers: no content, whatever their role; leaders get counts. */
	actor nobody = person_with(STRANGER, NULL, 0);
	actor principal = person_with(STRANGER, &principal_s, 1);
	actor elsewhere = person_with(STRANGER, &principal_other, 1);
	actor leader = person_with(STRANGER, &leader_d, 1);
	actor admin = person_with(STRANGER, &admin_d, 1);
	actor other_coach = person_with(STRANGER, &coach_d, 1);
	const actor *strangers[] = {&nobody, &principal, &elsewhere, &leader, &admin, &other_coach};
	for (size_t i = 0; i < COUNT_OF(strangers); i++)
		for (int act = 0; act < ACT_COUNT; act++) {
			if (act == ACT_CREATE) continue; /* starting a cycle is a role's, not a record's */
			if (may(strangers[i], (action)act, &r))
				fail_msg("stranger %zu may %s the cycle", i, action_name((action)act));
		}
	assert_false(may(&nobody, ACT_READ, &s));
	assert_true(may(&principal, ACT_READ, &s));
	assert_false(may(&elsewhere, ACT_READ, &s));
	assert_true(may(&leader, ACT_READ, &s));
	assert_true(may(&leader, ACT_EXPORT, &s));
	assert_false(may(&admin, ACT_READ, &s));
	assert_true(may(&other_coach, ACT_READ, &s));
	assert_false(may(NULL, ACT_READ, &r));

	/* A revoked share is no longer in the record. */
	c.nshared = 1;
	r = cycle_record(pl, &c);
	assert_false(may(&principal_shared, ACT_READ, &r));
	assert_true(may(&friend_no_role, ACT_READ, &r));

	/* A cycle without a school sits at its district; a partner's at the
	 * partner too. */
	c.school_id = 0;
	c.partner_id = PARTNER;
	s = cycle_summary_record(spl, &c);
	assert_int_equal(spl[0].org_id, DISTRICT);
	assert_int_equal(spl[0].district_id, DISTRICT);
	assert_int_equal(spl[0].partner_id, PARTNER);
	assert_true(may(&leader, ACT_READ, &s));
	assert_false(may(&principal, ACT_READ, &s)); /* not at the school any more */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_states_exhaustive),
		cmocka_unit_test(test_fields_and_default),
		cmocka_unit_test(test_template_check),
		cmocka_unit_test(test_template_text),
		cmocka_unit_test(test_answers),
		cmocka_unit_test(test_tally_labels),
		cmocka_unit_test(test_roles_and_tags),
		cmocka_unit_test(test_readable_and_shares),
		cmocka_unit_test(test_progress_of),
		cmocka_unit_test(test_records_and_may),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
