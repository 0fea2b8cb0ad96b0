/* Coaching-cycle rules, pure: names of kinds, states and stages, the state
 * a cycle's progress puts it in, the stages' built-in fields and the
 * default template (plan, enact, reflect), checking templates and answers, focus and
 * CCSS codes, who may read which stage, and the records may() is asked
 * about. No I/O. */
/* cycle.h names outcome without including its header. */
#include "../web/change.h"
#include "cycle.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../base/util.h"
#include "../schoolyear/schoolyear.h"

/* ---- names ---- */

static const char *const kind_names[] = {
	[CYCLE_INDIVIDUAL] = "individual", [CYCLE_COLLABORATIVE] = "collaborative"};
static const char *const state_names[CYCLE_STATE_COUNT] = {[CYCLE_PLANNING] = "planning",
							   [CYCLE_ENACTED] = "enacted",
							   [CYCLE_REFLECTED] = "reflected",
							   [CYCLE_CLOSED] = "closed"};
static const char *const state_labels[CYCLE_STATE_COUNT] = {[CYCLE_PLANNING] = "Planning",
							    [CYCLE_ENACTED] = "Enacted",
							    [CYCLE_REFLECTED] = "Reflected",
							    [CYCLE_CLOSED] = "Closed"};
static const char *const stage_names[STAGE_COUNT] = {
	[STAGE_PLAN] = "plan", [STAGE_ENACT] = "enact", [STAGE_REFLECT] = "reflect"};
static const char *const stage_labels[STAGE_COUNT] = {
	[STAGE_PLAN] = "Plan", [STAGE_ENACT] = "Enact", [STAGE_REFLECT] = "Reflect"};
/* How a message names a stage: "Line 3 of the plan". */
static const char *const stage_nouns[STAGE_COUNT] = {
	[STAGE_PLAN] = "plan", [STAGE_ENACT] = "enactment", [STAGE_REFLECT] = "reflection"};

static int name_index(const char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; s && i < n; i++)
		if (!strcmp(names[i], s)) return (int)i;
	return -1;
}

const char *cycle_kind_name(cycle_kind k)
{
	return (unsigned)k < COUNT_OF(kind_names) ? kind_names[k] : "unknown";
}

bool cycle_kind_parse(const char *s, cycle_kind *out)
{
	int i = name_index(kind_names, COUNT_OF(kind_names), s);
	if (i < 0) return false;
	*out = (cycle_kind)i;
	return true;
}

const char *cycle_state_name(cycle_state s)
{
	return (unsigned)s < CYCLE_STATE_COUNT ? state_names[s] : "unknown";
}

const char *cycle_state_label(cycle_state s)
{
	return (unsigned)s < CYCLE_STATE_COUNT ? state_labels[s] : "Unknown";
}

bool cycle_state_parse(const char *s, cycle_state *out)
{
	int i = name_index(state_names, CYCLE_STATE_COUNT, s);
	if (i < 0) return false;
	*out = (cycle_state)i;
	return true;
}

const char *stage_name(stage_kind s)
{
	return (unsigned)s < STAGE_COUNT ? stage_names[s] : "unknown";
}

const char *stage_label(stage_kind s)
{
	return (unsigned)s < STAGE_COUNT ? stage_labels[s] : "Unknown";
}

bool stage_parse(const char *s, stage_kind *out)
{
	int i = name_index(stage_names, STAGE_COUNT, s);
	if (i < 0) return false;
	*out = (stage_kind)i;
	return true;
}

static const char *stage_noun(stage_kind s)
{
	return (unsigned)s < STAGE_COUNT ? stage_nouns[s] : "stage";
}

/* ---- states ---- */

static bool enactments_done(const cycle_progress *p)
{
	return p->enactments > 0 && p->enactments_complete >= p->enactments;
}

cycle_state cycle_state_of(const cycle_progress *p)
{
	if (p->closed) return CYCLE_CLOSED;
	if (p->reflect_complete) return CYCLE_REFLECTED;
	if (enactments_done(p)) return CYCLE_ENACTED;
	return CYCLE_PLANNING;
}

const char *cycle_complete_blocker(const cycle_progress *p, stage_kind st)
{
	if (p->closed) return "This cycle is closed; reopen it first.";
	if ((unsigned)st >= STAGE_COUNT) return "There is no such stage.";
	if (st == STAGE_PLAN) return NULL;
	if (!p->plan_complete) return "Complete the plan first.";
	if (st == STAGE_ENACT) return NULL;
	/* A reflection looks back at evidence from a lesson, so a cycle with
	 * no classroom to enact in cannot reach it. */
	if (!p->enactments) return "This cycle has no enactment yet: a reflection needs a lesson first.";
	if (!enactments_done(p)) return "Complete every enactment first.";
	return NULL;
}

const char *cycle_close_blocker(const cycle_progress *p)
{
	return p->closed ? "This cycle is already closed." : NULL;
}

const char *cycle_reopen_blocker(const cycle_progress *p)
{
	return p->closed ? NULL : "This cycle is not closed.";
}

/* ---- built-in fields and the default template ---- */

/* One list per stage feeds both the fields and the default template, so
 * their wording cannot drift apart. */
#define PLAN_FIELDS(X) \
	X(focus, FIELD_FOCUS, "Focus practice", \
	  "The practices this cycle works on, e.g. MP3 TP4: MP1-MP8, TP1-TP8 or TRU1-TRU5") \
	X(standards, FIELD_STANDARDS, "Standards", \
	  "CCSS codes such as 4.NF.A.1, separated by spaces or commas") \
	X(goal, FIELD_TEXT, "Learning goal", \
	  "The big ideas or foundational math concepts the math experience focuses on") \
	X(task, FIELD_TEXT, "The task", "The instructional activity students will work on") \
	X(anticipated, FIELD_TEXT, "Anticipated student responses and misconceptions", \
	  "How students may respond, and the teacher interactions that will support their " \
	  "mathematical thinking") \
	X(coach_role, FIELD_COACH_ROLE, "How the coach takes part", "Observe, co-teach or model") \
	X(who_leads, FIELD_TEXT, "Who leads which part", \
	  "e.g. the teacher launches the task, the coach leads the discussion") \
	X(evidence, FIELD_TEXT, "Evidence to collect", \
	  "The observational data to collect during the lesson") \
	X(tallies, FIELD_LINES, "Counts to keep during the lesson", \
	  "one per line, e.g. Students who explained their reasoning") \
	X(lesson_on, FIELD_DATE, "Lesson date", NULL) \
	X(lesson_at, FIELD_TIME, "Lesson time", NULL) \
	X(class_id, FIELD_CLASS, "Class", NULL) \
	X(minutes, FIELD_MINUTES, "Length of the planning conversation, minutes", NULL)

#define ENACT_FIELDS(X) \
	X(summary, FIELD_TEXT, "Evidence collected", \
	  "What you saw and heard: live feedback, co-teaching notes, the observational data " \
	  "collected") \
	X(minutes, FIELD_MINUTES, "Length of the lesson, minutes", NULL)

#define REFLECT_FIELDS(X) \
	X(compared, FIELD_TEXT, "What happened against what we anticipated", \
	  "Look at the data collected together and compare it to what you anticipated") \
	X(worked, FIELD_TEXT, "What worked", "Highlight what worked in the math experience") \
	X(student_learning, FIELD_TEXT, "Student learning", \
	  "The evidence of student learning, in light of the goals of the math experience") \
	X(teacher_learning, FIELD_TEXT, "Teacher learning", \
	  "Shifts in teacher practice, from the evidence or key segments of a video") \
	X(next_steps, FIELD_TEXT, "Next steps", \
	  "How the evidence shapes future instruction; next steps can open the next cycle") \
	X(minutes, FIELD_MINUTES, "Length of the reflecting conversation, minutes", NULL)

#define AS_FIELD(key, type, label, help) {#key, type, label, help},
static const stage_field plan_fields[] = {PLAN_FIELDS(AS_FIELD)};
static const stage_field enact_fields[] = {ENACT_FIELDS(AS_FIELD)};
static const stage_field reflect_fields[] = {REFLECT_FIELDS(AS_FIELD)};
#undef AS_FIELD

#define AS_PLAN(key, type, label, help) {STAGE_PLAN, #key, label, help},
#define AS_ENACT(key, type, label, help) {STAGE_ENACT, #key, label, help},
#define AS_REFLECT(key, type, label, help) {STAGE_REFLECT, #key, label, help},
static const cycle_prompt default_prompts[] = {PLAN_FIELDS(AS_PLAN) ENACT_FIELDS(AS_ENACT)
						       REFLECT_FIELDS(AS_REFLECT)};
#undef AS_PLAN
#undef AS_ENACT
#undef AS_REFLECT

const stage_field *stage_fields(stage_kind st, size_t *n)
{
	switch (st) {
	case STAGE_PLAN: *n = COUNT_OF(plan_fields); return plan_fields;
	case STAGE_ENACT: *n = COUNT_OF(enact_fields); return enact_fields;
	case STAGE_REFLECT: *n = COUNT_OF(reflect_fields); return reflect_fields;
	default: *n = 0; return NULL;
	}
}

const stage_field *stage_field_find(stage_kind st, const char *key)
{
	size_t n;
	const stage_field *f = stage_fields(st, &n);
	for (size_t i = 0; key && i < n; i++)
		if (!strcmp(f[i].key, key)) return &f[i];
	return NULL;
}

void cycle_template_default(cycle_template *out)
{
	/* The prompts are shared and read-only: nothing writes into a
	 * template's prompts; a change (cycle_template_parse_stage) makes a
	 * new array in the request's arena. */
	*out = (cycle_template){.id = 0,
				.name = "Coaching cycle (plan, enact, reflect)",
				.active = true,
				.prompts = (cycle_prompt *)default_prompts,
				.nprompts = COUNT_OF(default_prompts)};
}

static const cycle_template *or_default(const cycle_template *t, cycle_template *fallback)
{
	if (t) return t;
	cycle_template_default(fallback);
	return fallback;
}

size_t cycle_template_stage(arena *a, const cycle_template *t, stage_kind st, const cycle_prompt ***out)
{
	cycle_template dflt;
	t = or_default(t, &dflt);
	const cycle_prompt **list = arena_calloc(a, t->nprompts ? t->nprompts : 1, sizeof *list);
	size_t n = 0;
	for (size_t i = 0; i < t->nprompts; i++)
		if (t->prompts[i].stage == st) list[n++] = &t->prompts[i];
	*out = list;
	return n;
}

static const cycle_prompt *prompt_find(const cycle_template *t, stage_kind st, const char *key)
{
	for (size_t i = 0; key && i < t->nprompts; i++)
		if (t->prompts[i].stage == st && str_eq(t->prompts[i].key, key)) return &t->prompts[i];
	return NULL;
}

/* ---- text helpers ---- */

static bool blank(const char *s)
{
	for (; s && *s; s++)
		if (!isspace((unsigned char)*s)) return false;
	return true;
}

/* ---- templates ---- */

enum { TEMPLATE_NAME_MAX = 200, PROMPT_LABEL_MAX = 200, PROMPT_HELP_MAX = 1000, KEY_MAX = 31 };

/* [a-z][a-z0-9_]{0,30}: every built-in key has this shape too. */
static bool key_valid(const char *k)
{
	if (!k || !(*k >= 'a' && *k <= 'z')) return false;
	size_t n = 0;
	for (; *k; k++, n++)
		if (!((*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') || *k == '_')) return false;
	return n <= KEY_MAX;
}

static const char BAD_KEY[] = "is not a key: use lower-case letters, digits and _, starting with a "
			      "letter (at most 31)";

/* The first thing wrong with one prompt of stage st, or NULL. */
static const char *prompt_problem(arena *a, const cycle_template *t, size_t at)
{
	const cycle_prompt *p = &t->prompts[at];
	const char *in = stage_noun(p->stage);
	if (!key_valid(p->key))
		return arena_printf(a, "In the %s, “%s” %s.", in, utf8_cut(a, p->key ? p->key : "", 40, true),
				    BAD_KEY);
	for (size_t j = 0; j < at; j++)
		if (t->prompts[j].stage == p->stage && str_eq(t->prompts[j].key, p->key))
			return arena_printf(a, "In the %s, the key “%s” appears twice.", in, p->key);
	if (blank(p->label)) return arena_printf(a, "In the %s, give “%s” a label.", in, p->key);
	if (utf8_length(p->label) > PROMPT_LABEL_MAX)
		return arena_printf(a, "In the %s, the label of “%s” is longer than 200 characters.", in,
				    p->key);
	if (utf8_length(p->help) > PROMPT_HELP_MAX)
		return arena_printf(a, "In the %s, the help of “%s” is longer than 1,000 characters.", in,
				    p->key);
	/* The editor writes a prompt as one "key | label | help" line. */
	if (!text_fits_cell(p->label) || !text_fits_cell(p->help))
		return arena_printf(a,
				    "In the %s, the label and help of “%s” cannot contain | or line breaks.",
				    in, p->key);
	return NULL;
}

void cycle_template_check(arena *a, const cycle_template *t, form_errors *e)
{
	if (blank(t->name)) form_error_add(e, "name", "Give the template a name.");
	else form_error_line(a, e, "name", "name", t->name, TEMPLATE_NAME_MAX);
	for (size_t i = 0; i < t->nprompts; i++)
		if ((unsigned)t->prompts[i].stage >= STAGE_COUNT) {
			form_error_add(e, "prompts",
				       "Every prompt belongs to the plan, the enactment or the reflection.");
			break;
		}
	for (int st = 0; st < STAGE_COUNT; st++) {
		const char *field = stage_names[st], *in = stage_nouns[st];
		size_t n = 0;
		const char *problem = NULL;
		for (size_t i = 0; i < t->nprompts; i++) {
			if (t->prompts[i].stage != (stage_kind)st) continue;
			n++;
			if (!problem) problem = prompt_problem(a, t, i);
		}
		if (!n) form_error_add(e, field, arena_printf(a, "The %s needs at least one prompt.", in));
		else if (n > CYCLE_PROMPTS_MAX)
			form_error_add(
				e, field,
				arena_printf(a, "The %s has more than %d prompts.", in, CYCLE_PROMPTS_MAX));
		if (problem) form_error_add(e, field, problem);
	}
	if (!prompt_find(t, STAGE_PLAN, "focus"))
		form_error_add(e, "plan",
			       "The plan must keep its focus prompt (key focus): the leaders' "
			       "counts of focus practices come from it.");
}

/* Splits one editor line "key | label | help" into its parts; NULL when
 * well formed, else what is wrong (without the line's name). */
static const char *line_split(arena *a, const char *line, const char **key, const char **label,
			      const char **help)
{
	const char *bar1 = strchr(line, '|');
	if (!bar1) return "write key | label | help";
	const char *bar2 = strchr(bar1 + 1, '|');
	if (bar2 && strchr(bar2 + 1, '|')) return "write key | label | help, with | only between them";
	*key = text_trim(a, arena_strndup(a, line, (size_t)(bar1 - line)));
	*label = text_trim(a, bar2 ? arena_strndup(a, bar1 + 1, (size_t)(bar2 - bar1 - 1)) : bar1 + 1);
	*help = bar2 ? text_trim(a, bar2 + 1) : NULL;
	if (*help && !**help) *help = NULL;
	if (!**key || !**label) return "write key | label | help";
	if (!key_valid(*key)) return arena_printf(a, "“%s” %s", utf8_cut(a, *key, 40, true), BAD_KEY);
	if (utf8_length(*label) > PROMPT_LABEL_MAX) return "the label is longer than 200 characters";
	if (utf8_length(*help) > PROMPT_HELP_MAX) return "the help is longer than 1,000 characters";
	return NULL;
}

void cycle_template_parse_stage(arena *a, cycle_template *t, stage_kind st, const char *text, form_errors *e)
{
	if ((unsigned)st >= STAGE_COUNT) return;
	if (!text) text = "";
	size_t lines = 1;
	for (const char *p = text; *p; p++) lines += *p == '\n';
	cycle_prompt *mine = arena_calloc(a, lines, sizeof *mine);
	int *line_of = arena_calloc(a, lines, sizeof *line_of);
	size_t n = 0;
	int ln = 0;
	for (const char *p = text; *p;) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		ln++;
		const char *line = text_trim(a, arena_strndup(a, p, len));
		p += len + (end ? 1 : 0);
		if (!*line) continue;
		const char *key = NULL, *label = NULL, *help = NULL;
		const char *why = line_split(a, line, &key, &label, &help);
		for (size_t j = 0; !why && j < n; j++)
			if (str_eq(mine[j].key, key))
				why = arena_printf(a, "the key “%s” is already on line %d", key, line_of[j]);
		if (why)
			form_error_add(e, stage_names[st],
				       arena_printf(a, "Line %d of the %s: %s.", ln, stage_nouns[st], why));
		else {
			line_of[n] = ln;
			mine[n++] = (cycle_prompt){st, key, label, help};
		}
	}
	/* The other stages keep their prompts; all stay in stage order. */
	size_t others = 0;
	for (size_t i = 0; i < t->nprompts; i++) others += t->prompts[i].stage != st;
	cycle_prompt *all = arena_calloc(a, (others + n) ? others + n : 1, sizeof *all);
	size_t k = 0;
	for (int s = 0; s < STAGE_COUNT; s++) {
		if (s == (int)st) {
			for (size_t i = 0; i < n; i++) all[k++] = mine[i];
			continue;
		}
		for (size_t i = 0; i < t->nprompts; i++)
			if (t->prompts[i].stage == (stage_kind)s) all[k++] = t->prompts[i];
	}
	t->prompts = all;
	t->nprompts = k;
}

const char *cycle_template_stage_text(arena *a, const cycle_template *t, stage_kind st)
{
	const char *out = "";
	for (size_t i = 0; i < t->nprompts; i++) {
		const cycle_prompt *p = &t->prompts[i];
		if (p->stage != st) continue;
		out = p->help && *p->help
			? arena_printf(a, "%s%s | %s | %s\n", out, p->key, p->label, p->help)
			: arena_printf(a, "%s%s | %s\n", out, p->key, p->label);
	}
	return out;
}

/* ---- answers ---- */

/* The non-blank lines of text, trimmed, without repeats (ignoring case,
 * as a count is the same count however it is capitalized). */
static size_t distinct_lines(arena *a, const char *text, const char ***out)
{
	size_t cap = 1;
	for (const char *p = text ? text : ""; *p; p++) cap += *p == '\n';
	const char **lines = arena_calloc(a, cap, sizeof *lines);
	size_t n = 0;
	for (const char *p = text ? text : ""; *p;) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *line = text_trim(a, arena_strndup(a, p, len));
		p += len + (end ? 1 : 0);
		if (!*line) continue;
		bool seen = false;
		for (size_t i = 0; i < n && !seen; i++) seen = !strcasecmp(lines[i], line);
		if (!seen) lines[n++] = line;
	}
	*out = lines;
	return n;
}

size_t plan_tally_labels(arena *a, const char *text, const char ***out)
{
	size_t n = distinct_lines(a, text, out);
	return n < CYCLE_TALLIES_MAX ? n : CYCLE_TALLIES_MAX;
}

static const char *lines_normalize(arena *a, const char *text, const char *field, form_errors *e)
{
	const char **lines;
	size_t n = distinct_lines(a, text, &lines);
	if (n > CYCLE_TALLIES_MAX) {
		form_error_add(e, field, arena_printf(a, "Ask for at most %d counts.", CYCLE_TALLIES_MAX));
		return text;
	}
	const char *out = "";
	for (size_t i = 0; i < n; i++) {
		if (utf8_length(lines[i]) > CYCLE_TALLY_LABEL_MAX) {
			form_error_add(e, field,
				       arena_printf(a, "“%s” is longer than %d characters.",
						    utf8_cut(a, lines[i], 40, true), CYCLE_TALLY_LABEL_MAX));
			return text;
		}
		out = i ? arena_printf(a, "%s\n%s", out, lines[i]) : lines[i];
	}
	return out;
}

static const char *time_normalize(arena *a, const char *v)
{
	size_t n = strlen(v);
	const char *colon = strchr(v, ':');
	if (!colon || (colon - v != 1 && colon - v != 2) || n - (size_t)(colon - v) != 3) return NULL;
	for (const char *p = v; *p; p++)
		if (p != colon && !isdigit((unsigned char)*p)) return NULL;
	int h = colon - v == 1 ? v[0] - '0' : (v[0] - '0') * 10 + (v[1] - '0');
	int m = (colon[1] - '0') * 10 + (colon[2] - '0');
	if (h > 23 || m > 59) return NULL;
	return arena_printf(a, "%02d:%02d", h, m);
}

static const char *const coach_roles[][2] = {
	{"observe", "Observe"}, {"co_teach", "Co-teach"}, {"model", "Model"}};

bool coach_role_valid(const char *code)
{
	return coach_role_label(code) != NULL;
}

const char *coach_role_label(const char *code)
{
	for (size_t i = 0; code && i < COUNT_OF(coach_roles); i++)
		if (!strcmp(coach_roles[i][0], code)) return coach_roles[i][1];
	return NULL;
}

/* One answer of type type checked and, where it has one form, normalized;
 * an error names the key. */
static const char *answer_checked(arena *a, field_type type, const char *key, const char *v, form_errors *e)
{
	if (type != FIELD_TEXT) v = text_trim(a, v);
	if (!*v) return v;
	int64_t n;
	const char *why = NULL, *out = v;
	switch (type) {
	case FIELD_TEXT:
		if (utf8_length(v) > CYCLE_TEXT_MAX) why = "This is longer than 20,000 characters.";
		break;
	case FIELD_FOCUS: return focus_codes_normalize(a, v, key, e);
	case FIELD_STANDARDS: return ccss_codes_normalize(a, v, key, e);
	case FIELD_LINES: return lines_normalize(a, v, key, e);
	case FIELD_COACH_ROLE:
		if (!coach_role_valid(v)) why = "The coach's part is observe, co_teach or model.";
		break;
	case FIELD_DATE: why = date_problem(a, v, NULL); break;
	case FIELD_TIME:
		out = time_normalize(a, v);
		if (!out) why = "Enter the time as HH:MM on a 24-hour clock, such as 09:30 or 13:15.";
		break;
	case FIELD_CLASS:
		if (parse_i64(v, 1, INT64_MAX, &n)) out = arena_printf(a, "%lld", (long long)n);
		else why = "Choose the class from the list.";
		break;
	case FIELD_MINUTES:
		if (parse_i64(v, 0, CYCLE_MINUTES_MAX, &n)) out = arena_printf(a, "%lld", (long long)n);
		else why = arena_printf(a, "Minutes are a whole number from 0 to %d.", CYCLE_MINUTES_MAX);
		break;
	}
	if (why) {
		form_error_add(e, key, why);
		return v;
	}
	return out;
}

void stage_answers_check(arena *a, const cycle_template *t, stage_kind st, cycle_answer *answers, size_t n,
			 form_errors *e)
{
	cycle_template dflt;
	t = or_default(t, &dflt);
	for (size_t i = 0; i < n; i++) {
		const char *key = answers[i].key ? answers[i].key : "";
		if (!answers[i].value) answers[i].value = "";
		if (!prompt_find(t, st, key)) {
			form_error_add(e, key,
				       arena_printf(a, "“%s” is not a question of this stage.",
						    utf8_cut(a, key, 40, true)));
			continue;
		}
		bool twice = false;
		for (size_t j = 0; j < i && !twice; j++) twice = str_eq(answers[j].key, key);
		if (twice) {
			form_error_add(e, key, arena_printf(a, "“%s” is given twice.", key));
			continue;
		}
		const stage_field *f = stage_field_find(st, key);
		answers[i].value = answer_checked(a, f ? f->type : FIELD_TEXT, key, answers[i].value, e);
	}
}

const char *stage_answer(const cycle_stage *s, const char *key)
{
	for (size_t i = 0; s && key && i < s->nanswers; i++)
		if (str_eq(s->answers[i].key, key)) return s->answers[i].value;
	return NULL;
}

/* ---- note tags ---- */

static const char *const tag_codes[] = {"student_reasoning", "question", "misconception", "teacher_move",
					"strategy"};
static const char *const tag_labels[] = {"Student reasoning", "Question", "Misconception", "Teacher move",
					 "Strategy"};

const char *const *note_tags(size_t *n)
{
	*n = COUNT_OF(tag_codes);
	return tag_codes;
}

const char *note_tag_label(const char *tag)
{
	int i = name_index(tag_codes, COUNT_OF(tag_codes), tag);
	return i < 0 ? NULL : tag_labels[i];
}

bool note_tag_valid(const char *tag)
{
	return note_tag_label(tag) != NULL;
}

/* ---- people, shares and records ---- */

static bool among(int64_t person, const int64_t *people, size_t n)
{
	for (size_t i = 0; person && people && i < n; i++)
		if (people[i] == person) return true;
	return false;
}

static const cycle_member *member_of(const coaching_cycle *c, int64_t person)
{
	for (size_t i = 0; person && c->members && i < c->nmembers; i++)
		if (c->members[i].person_id == person) return &c->members[i];
	return NULL;
}

bool cycle_is_coach(const coaching_cycle *c, int64_t person)
{
	const cycle_member *m = member_of(c, person);
	return among(person, c->coaches, c->ncoaches) || (m && m->coach);
}

bool cycle_is_member(const coaching_cycle *c, int64_t person)
{
	return among(person, c->coaches, c->ncoaches) || among(person, c->teachers, c->nteachers) ||
		member_of(c, person);
}

/* Does teacher teach the classroom of the enactment whose teacher is
 * classroom? */
static bool teaches(const coaching_cycle *c, int64_t teacher, int64_t classroom)
{
	if (c->kind == CYCLE_COLLABORATIVE) return teacher && teacher == classroom;
	const cycle_member *m = member_of(c, teacher);
	return among(teacher, c->teachers, c->nteachers) || (m && !m->coach);
}

bool cycle_part_readable(const coaching_cycle *c, int64_t person, stage_kind st, int64_t classroom)
{
	if (!person) return false;
	if (cycle_is_member(c, person)) return true;
	for (size_t i = 0; c->shares && i < c->nshares; i++) {
		const cycle_share *s = &c->shares[i];
		if (s->person_id != person || (s->stage >= 0 && s->stage != (int)st)) continue;
		if (st != STAGE_ENACT || teaches(c, s->shared_by, classroom)) return true;
	}
	return false;
}

bool cycle_lessons_shared(const coaching_cycle *c, int64_t person)
{
	if (!person) return false;
	if (cycle_is_member(c, person)) return true;
	for (size_t i = 0; c->shares && i < c->nshares; i++)
		if (c->shares[i].person_id == person &&
		    (c->shares[i].stage < 0 || c->shares[i].stage == STAGE_ENACT))
			return true;
	return false;
}

bool cycle_stage_readable(const coaching_cycle *c, int64_t person, const cycle_stage *st)
{
	return cycle_part_readable(c, person, st->stage, st->stage == STAGE_ENACT ? st->teacher_id : 0);
}

const cycle_share *cycle_share_for(const coaching_cycle *c, int64_t person)
{
	const cycle_share *first = NULL;
	for (size_t i = 0; person && c->shares && i < c->nshares; i++) {
		const cycle_share *s = &c->shares[i];
		if (s->person_id != person) continue;
		if (!first || s->created_at < first->created_at ||
		    (s->created_at == first->created_at && s->id < first->id))
			first = s;
	}
	return first;
}

cycle_progress cycle_progress_of(const coaching_cycle *c, const cycle_stage *st, size_t n)
{
	cycle_progress p = {.closed = c->closed_at != 0};
	for (size_t i = 0; st && i < n; i++) {
		switch (st[i].stage) {
		case STAGE_PLAN: p.plan_complete = p.plan_complete || st[i].complete; break;
		case STAGE_ENACT:
			p.enactments++;
			p.enactments_complete += st[i].complete;
			break;
		case STAGE_REFLECT: p.reflect_complete = p.reflect_complete || st[i].complete; break;
		default: break;
		}
	}
	return p;
}

static place cycle_place(const coaching_cycle *c)
{
	return (place){c->school_id ? c->school_id : c->district_id, c->district_id, c->partner_id};
}

record cycle_record(place places[1], const coaching_cycle *c)
{
	places[0] = cycle_place(c);
	return (record){.kind = REC_COACHING,
			.places = places,
			.nplaces = 1,
			.coaches = c->coaches,
			.ncoaches = c->ncoaches,
			.teachers = c->teachers,
			.nteachers = c->nteachers,
			.shared_with = c->shared_with,
			.nshared = c->nshared};
}

record cycle_summary_record(place places[1], const coaching_cycle *c)
{
	places[0] = cycle_place(c);
	return (record){.kind = REC_COACHING_SUMMARY, .places = places, .nplaces = 1};
}
