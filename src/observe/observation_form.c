/* The rating form a walker fills in a ten-minute visit (and a coach in a
 * full lesson): one screen, one POST, no typing but the evidence. Grades
 * and ratings are big radio chips; look-fors count with − and + buttons
 * that work without JavaScript (each sends the form back to be shown again
 * with the count changed, nothing saved) and that walk.js turns into
 * instant steps. Also the read-only card of a visit and the debrief's
 * charts. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../base/util.h"
#include "../html/html.h"
#include "../html/svg.h"
#include "../web/app.h"
#include "walk.h"

static const char *const GRADES[] = {"K", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"};

static const obs_rating *input_rating(const observation_input *in, int64_t indicator_id)
{
	for (size_t i = 0; i < in->nratings; i++)
		if (in->ratings[i].indicator_id == indicator_id) return &in->ratings[i];
	return NULL;
}

static int64_t input_count(const observation_input *in, int64_t look_for_id)
{
	for (size_t i = 0; i < in->nlook_fors; i++)
		if (in->look_fors[i].look_for_id == look_for_id) return in->look_fors[i].count;
	return 0;
}

/* The clock of the server, for a new visit's time; walk.js puts the
 * phone's own in its place. */
static const char *clock_now(arena *a)
{
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	return arena_printf(a, "%02d:%02d", tm.tm_hour, tm.tm_min);
}

static void grade_chips(req *rq, buf *b, const observation_form *f)
{
	const char *error = form_error_for(f->e, "grade");
	html_printf(b, "<fieldset class=\"chips grade-chips\" id=\"grade\"");
	form_control_described(b, "grade", NULL, error);
	html_printf(b, "><legend>Grade</legend>\n");
	form_field_error(b, "grade", error);
	html_printf(b, "<div class=\"chip-row\">");
	for (size_t i = 0; i < COUNT_OF(GRADES); i++)
		html_printf(b,
			    "<label class=\"chip\"><input type=\"radio\" name=\"grade\" value=\"%s\"%s> "
			    "<span>%s</span></label>",
			    GRADES[i], str_eq(f->in->grade, GRADES[i]) ? " checked" : "",
			    str_eq(GRADES[i], "K") ? "K" : GRADES[i]);
	html_printf(b, "</div></fieldset>\n");
	(void)rq;
}

static void when_fields(req *rq, buf *b, const observation_form *f)
{
	html_printf(b, "<div class=\"visit-when\">");
	if (f->date_field)
		form_input(b, "date", "observed_on", "Day of the lesson", f->in->observed_on, true, NULL,
			   f->e);
	const char *t = f->in->start_time;
	bool fresh = !t;
	if (fresh) t = clock_now(rq->a);
	const char *error = form_error_for(f->e, "start_time");
	form_field_open(b, "start_time", "Time", NULL, error);
	html_printf(b, "<input type=\"time\" id=\"start_time\" name=\"start_time\" value=\"%s\"%s", t,
		    fresh ? " data-now" : "");
	form_control_described(b, "start_time", NULL, error);
	html_printf(b, ">");
	form_field_close(b);
	const char *m = f->in->minutes ? arena_printf(rq->a, "%lld", (long long)f->in->minutes) : "";
	error = form_error_for(f->e, "minutes");
	form_field_open(b, "minutes", "Minutes", NULL, error);
	html_printf(b,
		    "<input type=\"number\" id=\"minutes\" name=\"minutes\" min=\"1\" max=\"%d\" "
		    "inputmode=\"numeric\" "
		    "value=\"%s\"",
		    VISIT_MINUTES_MAX, m);
	form_control_described(b, "minutes", NULL, error);
	html_printf(b, ">");
	form_field_close(b);
	html_printf(b, "</div>\n");
}

static void teacher_field(req *rq, buf *b, const observation_form *f)
{
	form_option *opts = arena_calloc(rq->a, f->nteachers + 2, sizeof *opts);
	opts[0] = (form_option){"", "Not named"};
	for (size_t i = 0; i < f->nteachers; i++)
		opts[i + 1] = (form_option){arena_printf(rq->a, "%lld", (long long)f->teachers[i].person_id),
					    f->teachers[i].name};
	form_select(b, "teacher_id", "Teacher (optional)", opts, f->nteachers + 1,
		    f->in->teacher_id ? arena_printf(rq->a, "%lld", (long long)f->in->teacher_id) : "", false,
		    f->e);
}

static void rating_field(req *rq, buf *b, const observation_form *f, const rubric_indicator *ind)
{
	const char *name = arena_printf(rq->a, "rating-%s", ind->code);
	const char *error = form_error_for(f->e, name);
	const obs_rating *r = input_rating(f->in, ind->id);
	html_printf(b, "<fieldset class=\"chips rating\" id=\"%s\"", name);
	form_control_described(b, name, NULL, error);
	html_printf(b, "><legend><span class=\"code\">%s</span> %s</legend>\n", ind->code, ind->name);
	form_field_error(b, name, error);
	html_printf(b, "<div class=\"chip-row\">");
	for (size_t l = 0; l < f->v->nlevels; l++) {
		int64_t level = f->v->levels[l].level;
		const char *desc = ind->level_descriptors ? ind->level_descriptors[l] : NULL;
		if (!desc) desc = f->v->levels[l].descriptor;
		if (desc) html_printf(b, "<label class=\"chip\" title=\"%s\">", desc);
		else html_printf(b, "<label class=\"chip\">");
		html_printf(b, "<input type=\"radio\" name=\"%s\" value=\"%lld\"%s> <span>%s</span></label>",
			    name, (long long)level, r && r->value == level ? " checked" : "",
			    rubric_level_label(rq->a, f->v, level));
	}
	html_printf(b,
		    "<label class=\"chip chip-none\"><input type=\"radio\" name=\"%s\" value=\"\"%s> "
		    "<span>Not seen</span></label>",
		    name, r ? "" : " checked");
	html_printf(b, "</div></fieldset>\n");
}

static void look_for_field(req *rq, buf *b, const observation_form *f, const rubric_look_for *l)
{
	const char *name = arena_printf(rq->a, "look_for-%lld", (long long)l->id);
	const char *error = form_error_for(f->e, name);
	int64_t count = input_count(f->in, l->id);
	html_printf(b, "<li class=\"look-for\"><label class=\"tally-label\" for=\"%s\">%s</label>", name,
		    l->text);
	form_field_error(b, name, error);
	html_printf(b,
		    "<span class=\"stepper\">"
		    "<button type=\"submit\" name=\"bump\" value=\"%lld:-1\" class=\"secondary\" "
		    "aria-label=\"One fewer: %s\" data-step=\"-1\">−</button>"
		    "<input type=\"number\" id=\"%s\" name=\"%s\" value=\"%lld\" min=\"0\" max=\"%d\" "
		    "inputmode=\"numeric\" class=\"tally-input\"%s>"
		    "<button type=\"submit\" name=\"bump\" value=\"%lld:1\" aria-label=\"One more: %s\" "
		    "data-step=\"1\">+</button></span></li>\n",
		    (long long)l->id, l->text, name, name, (long long)count, LOOK_FOR_COUNT_MAX,
		    error ? " aria-invalid=\"true\"" : "", (long long)l->id, l->text);
}

void observation_form_write(req *rq, buf *b, const observation_form *f)
{
	html_printf(b, "<form method=\"post\" action=\"%s\" class=\"visit-form\" novalidate>\n", f->action);
	form_hidden(b, "csrf", rq->actor->csrf);
	form_hidden(b, "version", arena_printf(rq->a, "%lld", (long long)f->in->version));
	if (f->e && f->e->n) {
		html_printf(b,
			    "<div class=\"form-error\" role=\"alert\" tabindex=\"-1\" "
			    "id=\"form-error\"><p>%s</p>",
			    f->e->n == 1 ? "There is a problem:" : "There are problems:");
		html_printf(b, "<ul>");
		for (size_t i = 0; i < f->e->n; i++)
			if (f->e->items[i].field)
				html_printf(b, "<li><a href=\"#%s\">%s</a></li>", f->e->items[i].field,
					    f->e->items[i].message);
			else html_printf(b, "<li>%s</li>", f->e->items[i].message);
		html_printf(b, "</ul></div>\n");
	}
	if (f->grade_field) grade_chips(rq, b, f);
	when_fields(rq, b, f);
	if (f->teachers) teacher_field(rq, b, f);
	html_printf(b,
		    "<h2 class=\"form-part\">Ratings</h2>\n<p class=\"hint\">%s, scale %lld to %lld. "
		    "Leave “Not seen” where there was nothing to see.</p>\n",
		    f->v->name, (long long)f->v->scale_min, (long long)f->v->scale_max);
	for (size_t i = 0; i < f->nindicators; i++) rating_field(rq, b, f, f->indicators[i]);
	if (f->v->nlook_fors) {
		html_printf(b, "<h2 class=\"form-part\">Look-fors</h2>\n<ul class=\"tallies look-fors\">\n");
		for (size_t i = 0; i < f->v->nlook_fors; i++) look_for_field(rq, b, f, &f->v->look_fors[i]);
		html_printf(b, "</ul>\n");
	}
	form_textarea(b, "evidence", "Evidence", f->in->evidence, false,
		      "What you saw and heard, in a line or two: words students said, what was on the board.",
		      f->e);
	html_printf(b,
		    "<div class=\"actions\"><button type=\"submit\" name=\"action\" value=\"save\" "
		    "class=\"big\">%s</button></div>\n",
		    f->submit);
	html_printf(b, "</form>\n<script src=\"/static/walk.js\" defer></script>\n");
}

static const char *form_text(req *rq, const char *key)
{
	return text_trim(rq->a, req_form(rq, key));
}

void observation_input_from_form(req *rq, const rubric_version *v, observation_input *in, bool *bumped)
{
	*in = (observation_input){0};
	*bumped = false;
	in->grade = form_text(rq, "grade");
	in->start_time = form_text(rq, "start_time");
	in->observed_on = form_text(rq, "observed_on");
	in->evidence = form_text(rq, "evidence");
	const char *m = form_text(rq, "minutes");
	if (m && *m && !parse_i64(m, 0, VISIT_MINUTES_MAX, &in->minutes)) in->minutes_unreadable = true;
	const char *t = form_text(rq, "teacher_id");
	if (t && *t && !parse_i64(t, 1, INT64_MAX, &in->teacher_id)) in->teacher_id = -1;
	const char *ver = form_text(rq, "version");
	if (!ver || !parse_i64(ver, 0, INT64_MAX, &in->version)) in->version = -1;
	in->ratings = arena_calloc(rq->a, v->nindicators + 1, sizeof *in->ratings);
	for (size_t i = 0; i < v->nindicators; i++) {
		const rubric_indicator *ind = &v->indicators[i];
		const char *val = form_text(rq, arena_printf(rq->a, "rating-%s", ind->code));
		if (!val || !*val) continue;
		int64_t value;
		/* Off the scale, so the check names the indicator. */
		if (!parse_i64(val, -1000, 1000, &value)) value = v->scale_max + 1;
		in->ratings[in->nratings++] = (obs_rating){ind->id, ind->code, value, NULL};
	}
	/* A bump: "LOOKFOR:+1" or "LOOKFOR:-1". */
	const char *bump = req_form(rq, "bump");
	int64_t bump_id = 0, bump_by = 0;
	if (bump) {
		const char *colon = strchr(bump, ':');
		if (colon &&
		    parse_i64(arena_strndup(rq->a, bump, (size_t)(colon - bump)), 1, INT64_MAX, &bump_id) &&
		    parse_i64(colon + 1, -1, 1, &bump_by))
			*bumped = true;
	}
	in->look_fors = arena_calloc(rq->a, v->nlook_fors + 1, sizeof *in->look_fors);
	for (size_t i = 0; i < v->nlook_fors; i++) {
		const rubric_look_for *l = &v->look_fors[i];
		const char *val = form_text(rq, arena_printf(rq->a, "look_for-%lld", (long long)l->id));
		int64_t count = 0;
		if (val && *val && !parse_i64(val, 0, LOOK_FOR_COUNT_MAX, &count)) count = -1;
		if (*bumped && l->id == bump_id && count >= 0) {
			count += bump_by;
			if (count < 0) count = 0;
			if (count > LOOK_FOR_COUNT_MAX) count = LOOK_FOR_COUNT_MAX;
		}
		if (count) in->look_fors[in->nlook_fors++] = (obs_look_for){l->id, count};
	}
}

observation_input observation_input_of(arena *a, const observation *o)
{
	(void)a;
	return (observation_input){.grade = o->grade,
				   .start_time = o->start_time,
				   .minutes = o->minutes,
				   .teacher_id = o->teacher_id,
				   .evidence = o->evidence,
				   .observed_on = o->observed_on,
				   .ratings = o->ratings,
				   .nratings = o->nratings,
				   .look_fors = o->look_fors,
				   .nlook_fors = o->nlook_fors,
				   .version = o->version};
}

void observation_card(req *rq, buf *b, const rubric_version *v, const observation *o, bool teacher_shown)
{
	html_printf(b, "<dl class=\"answers\">");
	if (o->grade) html_printf(b, "<dt>Grade</dt><dd>%s</dd>", o->grade);
	if (o->start_time) html_printf(b, "<dt>Time</dt><dd>%s</dd>", o->start_time);
	if (o->minutes) html_printf(b, "<dt>Minutes</dt><dd>%lld</dd>", (long long)o->minutes);
	if (teacher_shown && o->teacher_name) html_printf(b, "<dt>Teacher</dt><dd>%s</dd>", o->teacher_name);
	html_printf(b, "<dt>Observer</dt><dd>%s</dd>", o->observer_name ? o->observer_name : "—");
	for (size_t i = 0; i < v->nindicators; i++) {
		const obs_rating *r = observation_rating_of(o, v->indicators[i].id);
		if (!r) continue;
		html_printf(b, "<dt>%s %s</dt><dd>%s", v->indicators[i].code, v->indicators[i].name,
			    rubric_level_label(rq->a, v, r->value));
		if (r->evidence) html_printf(b, " — %s", r->evidence);
		html_printf(b, "</dd>");
	}
	for (size_t i = 0; i < v->nlook_fors; i++) {
		int64_t c = observation_look_for_count(o, v->look_fors[i].id);
		if (c) html_printf(b, "<dt>%s</dt><dd>%lld</dd>", v->look_fors[i].text, (long long)c);
	}
	if (o->evidence) html_printf(b, "<dt>Evidence</dt><dd class=\"pre\">%s</dd>", o->evidence);
	html_printf(b, "</dl>\n");
}

/* One chart per indicator: how many visits saw each level. */
static void indicator_chart(req *rq, buf *b, const rubric_version *v, const indicator_summary *s, size_t k)
{
	const char **rows = arena_calloc(rq->a, v->nlevels + 1, sizeof *rows);
	double *vals = arena_calloc(rq->a, v->nlevels + 1, sizeof *vals);
	for (size_t l = 0; l < v->nlevels; l++) {
		rows[l] = rubric_level_label(rq->a, v, v->levels[l].level);
		vals[l] = (double)s->counts[l];
	}
	const char *title =
		arena_printf(rq->a, "%s %s: visits at each level", s->indicator->code, s->indicator->name);
	const char *desc = s->rated
		? arena_printf(rq->a, "%lld of the visits rated %s; mean %.1f on a scale of %lld to %lld.",
			       (long long)s->rated, s->indicator->code, (double)s->total / (double)s->rated,
			       (long long)v->scale_min, (long long)v->scale_max)
		: arena_printf(rq->a, "No visit rated %s.", s->indicator->code);
	svg_chart c = {.id = arena_printf(rq->a, "debrief-%zu", k),
		       .title = title,
		       .desc = desc,
		       .row_head = "Level",
		       .horizontal = true,
		       .lo = 0,
		       .hi = 0};
	const char *cols[] = {"Visits"};
	svg_table t = {.nrows = v->nlevels, .ncols = 1, .rows = rows, .cols = cols, .v = vals};
	html_printf(b, "<div class=\"debrief-chart\">");
	svg_bar(b, &c, &t);
	html_printf(b, "<p class=\"muted\">%s</p></div>\n", desc);
}

void walk_debrief_write(req *rq, buf *b, const rubric_version *v, const walk_debrief *d)
{
	html_printf(b, "<section aria-labelledby=\"seen-h\"><h2 id=\"seen-h\">What the walkers saw</h2>\n");
	if (!d->visits) {
		html_printf(b, "<p class=\"muted\">No visits yet.</p></section>\n");
		return;
	}
	html_printf(b, "<div class=\"debrief-charts\">");
	for (size_t k = 0; k < d->nindicators; k++) indicator_chart(rq, b, v, &d->indicators[k], k);
	html_printf(b, "</div>\n");
	html_table_open(b);
	html_printf(b,
		    "<caption>Ratings by indicator across %lld visits</caption><thead><tr>"
		    "<th scope=\"col\">Indicator</th>",
		    (long long)d->visits);
	for (size_t l = 0; l < v->nlevels; l++)
		html_printf(b, "<th scope=\"col\" class=\"num\">%s</th>",
			    rubric_level_label(rq->a, v, v->levels[l].level));
	html_printf(b,
		    "<th scope=\"col\" class=\"num\">Rated</th><th scope=\"col\" "
		    "class=\"num\">Mean</th></tr></thead><tbody>");
	for (size_t k = 0; k < d->nindicators; k++) {
		const indicator_summary *s = &d->indicators[k];
		html_printf(b, "<tr><th scope=\"row\">%s %s</th>", s->indicator->code, s->indicator->name);
		for (size_t l = 0; l < v->nlevels; l++)
			html_printf(b, "<td class=\"num\">%lld</td>", (long long)s->counts[l]);
		html_printf(
			b, "<td class=\"num\">%lld</td><td class=\"num\">%s</td></tr>", (long long)s->rated,
			s->rated ? arena_printf(rq->a, "%.1f", (double)s->total / (double)s->rated) : "—");
	}
	html_printf(b, "</tbody></table></div>\n</section>\n");
	if (v->nlook_fors) {
		html_printf(b, "<section aria-labelledby=\"lf-h\"><h2 id=\"lf-h\">Look-fors</h2>\n");
		html_table_open(b);
		html_printf(b,
			    "<caption>Look-for tallies across the visits</caption><thead><tr><th "
			    "scope=\"col\">Look-for</th>"
			    "<th scope=\"col\" class=\"num\">Total</th></tr></thead><tbody>");
		for (size_t i = 0; i < v->nlook_fors; i++)
			html_printf(b, "<tr><th scope=\"row\">%s</th><td class=\"num\">%lld</td></tr>",
				    v->look_fors[i].text, (long long)d->look_for_totals[i]);
		html_printf(b, "</tbody></table></div>\n</section>\n");
	}
}
