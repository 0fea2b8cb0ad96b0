/* Frameworks and rubrics: the pure rules (src/observe/rubric.h). */
#include "rubric.h"

#include <string.h>

#include "../base/util.h"

bool rubric_value_valid(const rubric_version *v, int64_t value)
{
	return v && value >= v->scale_min && value <= v->scale_max;
}

const rubric_indicator *rubric_indicator_by_id(const rubric_version *v, int64_t id)
{
	for (size_t i = 0; v && id && i < v->nindicators; i++)
		if (v->indicators[i].id == id) return &v->indicators[i];
	return NULL;
}

const rubric_indicator *rubric_indicator_by_code(const rubric_version *v, const char *code)
{
	for (size_t i = 0; v && code && i < v->nindicators; i++)
		if (str_eq(v->indicators[i].code, code)) return &v->indicators[i];
	return NULL;
}

bool rubric_offered_in(const rubric_version *v, int64_t district_id, int64_t partner_id)
{
	return v->active &&
		(!v->org_id || v->org_id == district_id || (partner_id && v->org_id == partner_id));
}

const char *rubric_level_label(arena *a, const rubric_version *v, int64_t level)
{
	for (size_t i = 0; v && i < v->nlevels; i++)
		if (v->levels[i].level == level && v->levels[i].label && *v->levels[i].label)
			return arena_printf(a, "%lld %s", (long long)level, v->levels[i].label);
	return arena_printf(a, "%lld", (long long)level);
}

/* ---- text helpers ---- */

static bool blank(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r') return false;
	return true;
}

/* NULL and "" say the same: nothing. */
static bool same_text(const char *x, const char *y)
{
	return str_eq(blank(x) ? "" : x, blank(y) ? "" : y);
}

/* A name: one line (a | is fine: names have a box of their own). */
static bool plain_line(const char *s)
{
	return text_line_check(s, SIZE_MAX) == TEXT_LINE_FITS;
}

static bool code_valid(const char *c)
{
	size_t n = 0;
	for (; c && *c; c++, n++)
		if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
		      *c == '.' || *c == '-' || *c == '_'))
			return false;
	return n >= 1 && n <= RUBRIC_CODE_MAX;
}

/* ---- checking what a person wrote ---- */

static bool scale_ok(const rubric_input *in)
{
	return in->scale_min >= RUBRIC_SCALE_LOW && in->scale_max <= RUBRIC_SCALE_HIGH &&
		in->scale_max > in->scale_min && in->scale_max - in->scale_min < RUBRIC_SCALE_LEVELS_MAX;
}

static const char *name_problem(const rubric_input *in)
{
	if (blank(in->name)) return "Give the rubric a name.";
	if (utf8_length(in->name) > RUBRIC_NAME_MAX) return "The name is longer than 200 characters.";
	if (!plain_line(in->name)) return "The name cannot contain line breaks.";
	return NULL;
}

static const char *scale_problem(arena *a, const rubric_input *in)
{
	if (in->scale_min < RUBRIC_SCALE_LOW || in->scale_max > RUBRIC_SCALE_HIGH)
		return "The scale's ends lie between -100 and 100.";
	if (in->scale_max <= in->scale_min)
		return arena_printf(a, "The top of the scale (%lld) must be above its bottom (%lld).",
				    (long long)in->scale_max, (long long)in->scale_min);
	if (!scale_ok(in))
		return arena_printf(a, "A scale has 2 to 10 points; %lld to %lld has %lld.",
				    (long long)in->scale_min, (long long)in->scale_max,
				    (long long)(in->scale_max - in->scale_min + 1));
	return NULL;
}

static const char *off_scale(arena *a, const rubric_input *in, int64_t level)
{
	return arena_printf(a, "level %lld is not on the scale %lld to %lld", (long long)level,
			    (long long)in->scale_min, (long long)in->scale_max);
}

static const char *levels_problem(arena *a, const rubric_input *in)
{
	for (size_t i = 0; i < in->nlevels; i++) {
		const rubric_level *l = &in->levels[i];
		long long n = (long long)l->level;
		if (l->level < in->scale_min || l->level > in->scale_max)
			return arena_printf(a, "The label of %s.", off_scale(a, in, l->level));
		for (size_t j = 0; j < i; j++)
			if (in->levels[j].level == l->level)
				return arena_printf(a, "Level %lld is given twice.", n);
		if (blank(l->label)) return arena_printf(a, "Give level %lld a label.", n);
		if (utf8_length(l->label) > RUBRIC_LABEL_MAX)
			return arena_printf(a, "The label of level %lld is longer than 60 characters.", n);
		if (utf8_length(l->descriptor) > RUBRIC_DESCRIPTOR_MAX)
			return arena_printf(
				a, "The descriptor of level %lld is longer than 1,000 characters.", n);
		if (!text_fits_cell(l->label) || !text_fits_cell(l->descriptor))
			return arena_printf(
				a, "The label and descriptor of level %lld cannot contain | or line breaks.",
				n);
	}
	return NULL;
}

/* "Indicator 3 (TRU2)", or "Indicator 3" while its code is no code. */
static const char *indicator_named(arena *a, const rubric_input *in, size_t i)
{
	const char *code = in->indicators[i].code;
	return code_valid(code) ? arena_printf(a, "Indicator %zu (%s)", i + 1, code)
				: arena_printf(a, "Indicator %zu", i + 1);
}

static bool code_same(const char *x, const char *y)
{
	return str_ieq(x, y);
}

static const char *indicator_problem(arena *a, const rubric_input *in, size_t i)
{
	const rubric_indicator_input *ind = &in->indicators[i];
	if (!code_valid(ind->code))
		return arena_printf(
			a, "Indicator %zu: “%s” is not a code: use 1 to 16 letters, digits, '.', '-' or '_'.",
			i + 1, utf8_cut(a, ind->code, 40, true));
	for (size_t j = 0; j < i; j++)
		if (code_same(in->indicators[j].code, ind->code))
			return arena_printf(
				a, "Indicator %zu: the code “%s” appears twice (indicator %zu has it).",
				i + 1, ind->code, j + 1);
	const char *who = indicator_named(a, in, i);
	if (blank(ind->name)) return arena_printf(a, "%s: give it a name.", who);
	if (utf8_length(ind->name) > RUBRIC_NAME_MAX)
		return arena_printf(a, "%s: the name is longer than 200 characters.", who);
	if (utf8_length(ind->description) > RUBRIC_DESCRIPTION_MAX)
		return arena_printf(a, "%s: the description is longer than 2,000 characters.", who);
	if (!text_fits_cell(ind->name) || !text_fits_cell(ind->description))
		return arena_printf(a, "%s: the name and description cannot contain | or line breaks.", who);
	return NULL;
}

static const char *indicators_problem(arena *a, const rubric_input *in)
{
	if (!in->nindicators) return "Give the rubric at least one indicator.";
	if (in->nindicators > RUBRIC_INDICATORS_MAX)
		return arena_printf(a, "A rubric has at most 40 indicators; this one has %zu.",
				    in->nindicators);
	for (size_t i = 0; i < in->nindicators; i++) {
		const char *p = indicator_problem(a, in, i);
		if (p) return p;
	}
	return NULL;
}

static const char *descriptors_problem(arena *a, const rubric_input *in)
{
	for (size_t i = 0; i < in->nindicators && i < RUBRIC_INDICATORS_MAX; i++) {
		const rubric_indicator_input *ind = &in->indicators[i];
		for (size_t k = 0; k < ind->nlevels; k++) {
			const rubric_cell *c = &ind->levels[k];
			const char *who = indicator_named(a, in, i);
			long long n = (long long)c->level;
			if (c->level < in->scale_min || c->level > in->scale_max)
				return arena_printf(a, "%s: %s.", who, off_scale(a, in, c->level));
			for (size_t j = 0; j < k; j++)
				if (ind->levels[j].level == c->level)
					return arena_printf(a, "%s: level %lld is described twice.", who, n);
			if (blank(c->descriptor))
				return arena_printf(a, "%s: the descriptor of level %lld is empty.", who, n);
			if (utf8_length(c->descriptor) > RUBRIC_DESCRIPTOR_MAX)
				return arena_printf(
					a,
					"%s: the descriptor of level %lld is longer than 1,000 characters.",
					who, n);
			if (!text_fits_cell(c->descriptor))
				return arena_printf(
					a,
					"%s: the descriptor of level %lld cannot contain | or line breaks.",
					who, n);
		}
	}
	return NULL;
}

static bool has_code(const rubric_input *in, const char *code)
{
	for (size_t i = 0; i < in->nindicators; i++)
		if (str_eq(in->indicators[i].code, code)) return true;
	return false;
}

static const char *look_fors_problem(arena *a, const rubric_input *in)
{
	if (in->nlook_fors > RUBRIC_LOOK_FORS_MAX)
		return arena_printf(a, "A rubric has at most 60 look-fors; this one has %zu.",
				    in->nlook_fors);
	for (size_t i = 0; i < in->nlook_fors; i++) {
		const rubric_look_for_input *l = &in->look_fors[i];
		if (blank(l->text)) return arena_printf(a, "Look-for %zu: write what to look for.", i + 1);
		if (utf8_length(l->text) > RUBRIC_LOOK_FOR_TEXT_MAX)
			return arena_printf(a, "Look-for %zu is longer than 300 characters.", i + 1);
		if (!text_fits_cell(l->text))
			return arena_printf(a, "Look-for %zu cannot contain | or line breaks.", i + 1);
		if (!blank(l->indicator_code) && !has_code(in, l->indicator_code))
			return arena_printf(a, "Look-for %zu: there is no indicator “%s” in this rubric.",
					    i + 1, utf8_cut(a, l->indicator_code, 40, true));
	}
	return NULL;
}

static void problem_add(rubric_problem *out, size_t *n, const char *field, const char *message)
{
	if (message && *n < RUBRIC_PROBLEMS_MAX) out[(*n)++] = (rubric_problem){field, message};
}

size_t rubric_input_check(arena *a, const rubric_input *in, rubric_problem out[RUBRIC_PROBLEMS_MAX])
{
	size_t n = 0;
	problem_add(out, &n, "name", name_problem(in));
	if (utf8_length(in->description) > RUBRIC_DESCRIPTION_MAX)
		problem_add(out, &n, "description", "The description is longer than 2,000 characters.");
	const char *scale = scale_problem(a, in);
	problem_add(out, &n, "scale", scale);
	/* Levels and descriptors are placed on the scale: on a scale that is
	 * wrong, only that is said. */
	if (!scale) problem_add(out, &n, "levels", levels_problem(a, in));
	const char *indicators = indicators_problem(a, in);
	problem_add(out, &n, "indicators", indicators);
	if (!scale && !indicators) problem_add(out, &n, "descriptors", descriptors_problem(a, in));
	problem_add(out, &n, "look_fors", look_fors_problem(a, in));
	return n;
}

/* ---- the builder's text boxes ---- */

/* One box being read: its lines, one at a time. */
typedef struct box_reader {
	const char *p;
	int line; /* of the last line read */
} box_reader;

/* The next non-blank line, trimmed; NULL at the end. */
static const char *next_line(arena *a, box_reader *r)
{
	while (r->p && *r->p) {
		const char *end = strchr(r->p, '\n');
		size_t len = end ? (size_t)(end - r->p) : strlen(r->p);
		const char *line = text_trim(a, arena_strndup(a, r->p, len));
		r->p += len + (end ? 1 : 0);
		r->line++;
		if (*line) return line;
	}
	return NULL;
}

/* Splits line at its bars into at most max parts, trimmed; 0 when it has
 * more bars than that. */
static size_t split_bars(arena *a, const char *line, const char **parts, size_t max)
{
	size_t n = 0;
	for (const char *p = line;; n++) {
		if (n == max) return 0;
		const char *bar = strchr(p, '|');
		parts[n] = text_trim(a, bar ? arena_strndup(a, p, (size_t)(bar - p)) : p);
		if (!bar) return n + 1;
		p = bar + 1;
	}
}

typedef struct box {
	const char *field;
	const char *noun;  /* "the indicators" */
	const char *shape; /* "CODE | Name | Description" */
	size_t max;        /* entries it may hold */
} box;

static const box LEVELS_BOX = {"levels", "the levels", "LEVEL | Label | Descriptor", RUBRIC_SCALE_LEVELS_MAX};
static const box INDICATORS_BOX = {"indicators", "the indicators", "CODE | Name | Description",
				   RUBRIC_INDICATORS_MAX};
static const box DESCRIPTORS_BOX = {"descriptors", "the descriptors", "CODE | LEVEL | Descriptor",
				    RUBRIC_INDICATORS_MAX *RUBRIC_SCALE_LEVELS_MAX};
static const box LOOK_FORS_BOX = {"look_fors", "the look-fors", "the text, or CODE | Text",
				  RUBRIC_LOOK_FORS_MAX};

/* Starts reading a box; a problem when it is too long to read at all. */
static const char *box_open(arena *a, const box *bx, const char *text, box_reader *r)
{
	*r = (box_reader){text ? text : "", 0};
	if (strlen(r->p) > RUBRIC_BOX_MAX) {
		r->p = "";
		return arena_printf(a, "The box of %s holds more than 65,536 characters.", bx->noun);
	}
	return NULL;
}

static const char *line_problem(arena *a, const box *bx, const box_reader *r, const char *why)
{
	return arena_printf(a, "Line %d of %s: %s.", r->line, bx->noun, why);
}

static const char *too_many(arena *a, const box *bx)
{
	return arena_printf(a, "The box of %s holds more than %zu lines.", bx->noun, bx->max);
}

/* Reads a level number ("2"); false for anything else. */
static bool level_number(const char *s, int64_t *out)
{
	return parse_i64(s, RUBRIC_SCALE_LOW, RUBRIC_SCALE_HIGH, out);
}

static const char *level_not_number(arena *a, const char *s)
{
	return arena_printf(a, "“%s” is not a level: write its number, from -100 to 100",
			    utf8_cut(a, s, 40, true));
}

static const char *parse_levels(arena *a, const char *text, rubric_input *in)
{
	box_reader r;
	const char *why = box_open(a, &LEVELS_BOX, text, &r);
	in->levels = arena_calloc(a, LEVELS_BOX.max, sizeof *in->levels);
	in->nlevels = 0;
	for (const char *line; !why && (line = next_line(a, &r));) {
		const char *part[3] = {0};
		size_t n = split_bars(a, line, part, 3);
		int64_t level;
		if (n < 2) why = line_problem(a, &LEVELS_BOX, &r, "write LEVEL | Label | Descriptor");
		else if (!level_number(part[0], &level))
			why = line_problem(a, &LEVELS_BOX, &r, level_not_number(a, part[0]));
		else if (in->nlevels == LEVELS_BOX.max) why = too_many(a, &LEVELS_BOX);
		else
			in->levels[in->nlevels++] =
				(rubric_level){level, part[1], n == 3 && *part[2] ? part[2] : NULL};
	}
	return why;
}

static const char *parse_indicators(arena *a, const char *text, rubric_input *in)
{
	box_reader r;
	const char *why = box_open(a, &INDICATORS_BOX, text, &r);
	in->indicators = arena_calloc(a, INDICATORS_BOX.max, sizeof *in->indicators);
	in->nindicators = 0;
	for (const char *line; !why && (line = next_line(a, &r));) {
		const char *part[3] = {0};
		size_t n = split_bars(a, line, part, 3);
		if (n < 2 || !*part[0])
			why = line_problem(a, &INDICATORS_BOX, &r, "write CODE | Name | Description");
		else if (in->nindicators == INDICATORS_BOX.max)
			why = arena_printf(a, "A rubric has at most 40 indicators; line %d is the 41st.",
					   r.line);
		else
			in->indicators[in->nindicators++] = (rubric_indicator_input){
				part[0], part[1], n == 3 && *part[2] ? part[2] : NULL, NULL, 0};
	}
	return why;
}

/* One "CODE | LEVEL | Descriptor" line, before it joins its indicator. */
typedef struct described {
	size_t indicator;
	rubric_cell cell;
} described;

static const char *parse_descriptors(arena *a, const char *text, rubric_input *in)
{
	box_reader r;
	const char *why = box_open(a, &DESCRIPTORS_BOX, text, &r);
	described *d = arena_calloc(a, DESCRIPTORS_BOX.max, sizeof *d);
	size_t nd = 0;
	for (const char *line; !why && (line = next_line(a, &r));) {
		const char *part[3] = {0};
		size_t n = split_bars(a, line, part, 3), at = 0;
		int64_t level;
		while (n == 3 && at < in->nindicators && !str_eq(in->indicators[at].code, part[0])) at++;
		if (n != 3) why = line_problem(a, &DESCRIPTORS_BOX, &r, "write CODE | LEVEL | Descriptor");
		else if (at == in->nindicators)
			why = line_problem(a, &DESCRIPTORS_BOX, &r,
					   arena_printf(a, "there is no indicator “%s” in the indicators",
							utf8_cut(a, part[0], 40, true)));
		else if (!level_number(part[1], &level))
			why = line_problem(a, &DESCRIPTORS_BOX, &r, level_not_number(a, part[1]));
		else if (nd == DESCRIPTORS_BOX.max) why = too_many(a, &DESCRIPTORS_BOX);
		else d[nd++] = (described){at, {level, part[2]}};
	}
	for (size_t i = 0; i < in->nindicators; i++) {
		rubric_indicator_input *ind = &in->indicators[i];
		size_t mine = 0;
		for (size_t k = 0; k < nd; k++) mine += d[k].indicator == i;
		ind->levels = arena_calloc(a, mine ? mine : 1, sizeof *ind->levels);
		ind->nlevels = 0;
		for (size_t k = 0; k < nd; k++)
			if (d[k].indicator == i) ind->levels[ind->nlevels++] = d[k].cell;
	}
	return why;
}

static const char *parse_look_fors(arena *a, const char *text, rubric_input *in)
{
	box_reader r;
	const char *why = box_open(a, &LOOK_FORS_BOX, text, &r);
	in->look_fors = arena_calloc(a, LOOK_FORS_BOX.max, sizeof *in->look_fors);
	in->nlook_fors = 0;
	for (const char *line; !why && (line = next_line(a, &r));) {
		const char *part[2] = {0};
		size_t n = split_bars(a, line, part, 2);
		if (!n || (n == 2 && (!*part[0] || !*part[1])))
			why = line_problem(a, &LOOK_FORS_BOX, &r, "write the text, or CODE | Text");
		else if (in->nlook_fors == LOOK_FORS_BOX.max)
			why = arena_printf(a, "A rubric has at most 60 look-fors; line %d is the 61st.",
					   r.line);
		else
			in->look_fors[in->nlook_fors++] = n == 2 ? (rubric_look_for_input){part[0], part[1]}
								 : (rubric_look_for_input){NULL, part[0]};
	}
	return why;
}

size_t rubric_text_parse(arena *a, const rubric_text *t, rubric_input *in,
			 rubric_problem out[RUBRIC_PROBLEMS_MAX])
{
	size_t n = 0;
	problem_add(out, &n, LEVELS_BOX.field, parse_levels(a, t->levels, in));
	problem_add(out, &n, INDICATORS_BOX.field, parse_indicators(a, t->indicators, in));
	problem_add(out, &n, DESCRIPTORS_BOX.field, parse_descriptors(a, t->descriptors, in));
	problem_add(out, &n, LOOK_FORS_BOX.field, parse_look_fors(a, t->look_fors, in));
	return n;
}

/* text + part, with " | " between parts of one line. */
static const char *with_part(arena *a, const char *line, const char *part)
{
	return blank(part) ? line : arena_printf(a, "%s | %s", line, part);
}

rubric_text rubric_text_of(arena *a, const rubric_input *in)
{
	rubric_text t = {"", "", "", ""};
	for (size_t i = 0; i < in->nlevels; i++) {
		const rubric_level *l = &in->levels[i];
		const char *line =
			arena_printf(a, "%lld | %s", (long long)l->level, l->label ? l->label : "");
		t.levels = arena_printf(a, "%s%s\n", t.levels, with_part(a, line, l->descriptor));
	}
	for (size_t i = 0; i < in->nindicators; i++) {
		const rubric_indicator_input *ind = &in->indicators[i];
		const char *line =
			arena_printf(a, "%s | %s", ind->code ? ind->code : "", ind->name ? ind->name : "");
		t.indicators = arena_printf(a, "%s%s\n", t.indicators, with_part(a, line, ind->description));
		for (size_t k = 0; k < ind->nlevels; k++)
			t.descriptors =
				arena_printf(a, "%s%s | %lld | %s\n", t.descriptors,
					     ind->code ? ind->code : "", (long long)ind->levels[k].level,
					     ind->levels[k].descriptor ? ind->levels[k].descriptor : "");
	}
	for (size_t i = 0; i < in->nlook_fors; i++) {
		const rubric_look_for_input *l = &in->look_fors[i];
		const char *text = l->text ? l->text : "";
		t.look_fors = blank(l->indicator_code)
			? arena_printf(a, "%s%s\n", t.look_fors, text)
			: arena_printf(a, "%s%s | %s\n", t.look_fors, l->indicator_code, text);
	}
	return t;
}

/* ---- a version as input, and comparing the two ---- */

void rubric_input_of_version(arena *a, const rubric_version *v, rubric_input *out)
{
	*out = (rubric_input){.org_id = v->org_id,
			      .name = v->name,
			      .description = v->description,
			      .scale_min = v->scale_min,
			      .scale_max = v->scale_max};
	out->levels = arena_calloc(a, v->nlevels ? v->nlevels : 1, sizeof *out->levels);
	for (size_t i = 0; i < v->nlevels; i++)
		if (!blank(v->levels[i].label)) out->levels[out->nlevels++] = v->levels[i];
	out->indicators = arena_calloc(a, v->nindicators ? v->nindicators : 1, sizeof *out->indicators);
	out->nindicators = v->nindicators;
	for (size_t i = 0; i < v->nindicators; i++) {
		const rubric_indicator *from = &v->indicators[i];
		rubric_indicator_input *to = &out->indicators[i];
		*to = (rubric_indicator_input){from->code, from->name, from->description, NULL, 0};
		to->levels = arena_calloc(a, v->nlevels ? v->nlevels : 1, sizeof *to->levels);
		for (size_t k = 0; k < v->nlevels; k++)
			if (from->level_descriptors && !blank(from->level_descriptors[k]))
				to->levels[to->nlevels++] =
					(rubric_cell){v->levels[k].level, from->level_descriptors[k]};
	}
	out->look_fors = arena_calloc(a, v->nlook_fors ? v->nlook_fors : 1, sizeof *out->look_fors);
	out->nlook_fors = v->nlook_fors;
	for (size_t i = 0; i < v->nlook_fors; i++) {
		const rubric_indicator *ind = rubric_indicator_by_id(v, v->look_fors[i].indicator_id);
		out->look_fors[i] = (rubric_look_for_input){ind ? ind->code : NULL, v->look_fors[i].text};
	}
}

static const rubric_level *input_level(const rubric_input *in, int64_t level)
{
	for (size_t i = 0; i < in->nlevels; i++)
		if (in->levels[i].level == level) return &in->levels[i];
	return NULL;
}

static const char *input_cell(const rubric_indicator_input *ind, int64_t level)
{
	for (size_t i = 0; i < ind->nlevels; i++)
		if (ind->levels[i].level == level) return ind->levels[i].descriptor;
	return NULL;
}

static bool same_indicator(const rubric_indicator_input *x, const rubric_indicator *y,
			   const rubric_version *v)
{
	if (!str_eq(x->code, y->code) || !same_text(x->name, y->name) ||
	    !same_text(x->description, y->description))
		return false;
	for (size_t k = 0; k < v->nlevels; k++)
		if (!same_text(input_cell(x, v->levels[k].level),
			       y->level_descriptors ? y->level_descriptors[k] : NULL))
			return false;
	return x->nlevels <= v->nlevels;
}

bool rubric_input_same_content(const rubric_input *in, const rubric_version *v)
{
	if (in->scale_min != v->scale_min || in->scale_max != v->scale_max ||
	    !same_text(in->description, v->description) || in->nindicators != v->nindicators ||
	    in->nlook_fors != v->nlook_fors || in->nlevels > v->nlevels)
		return false;
	for (size_t k = 0; k < v->nlevels; k++) {
		const rubric_level *l = input_level(in, v->levels[k].level);
		if (!same_text(l ? l->label : NULL, v->levels[k].label) ||
		    !same_text(l ? l->descriptor : NULL, v->levels[k].descriptor))
			return false;
	}
	for (size_t i = 0; i < v->nindicators; i++)
		if (!same_indicator(&in->indicators[i], &v->indicators[i], v)) return false;
	for (size_t i = 0; i < v->nlook_fors; i++) {
		const rubric_indicator *ind = rubric_indicator_by_id(v, v->look_fors[i].indicator_id);
		if (!same_text(in->look_fors[i].indicator_code, ind ? ind->code : NULL) ||
		    !same_text(in->look_fors[i].text, v->look_fors[i].text))
			return false;
	}
	return true;
}

size_t rubric_codes_removed(arena *a, const rubric_version *old, const rubric_input *in, const char ***out)
{
	*out = arena_calloc(a, old->nindicators ? old->nindicators : 1, sizeof **out);
	size_t n = 0;
	for (size_t i = 0; i < old->nindicators; i++)
		if (!has_code(in, old->indicators[i].code)) (*out)[n++] = old->indicators[i].code;
	return n;
}
