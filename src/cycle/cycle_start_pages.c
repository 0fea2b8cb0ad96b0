/* Coaching-cycle pages: the form that starts a cycle, with its pickers
 * of teachers, teams, co-coaches, templates and the coaching session. */
#include <stdlib.h>
#include <string.h>

#include "../access/actor.h"
#include "../access/audit.h"
#include "../base/log.h"
#include "../base/util.h"
#include "../calendar/session.h"
#include "../html/html.h"
#include "../org/org.h"
#include "../people/people.h"
#include "../roster/roster.h"
#include "../team/team.h"
#include "../web/app.h"
#include "../web/change.h"
#include "cycle_pages.h"
#include "cycle_web.h"

enum {
	PICKER_PAGES_MAX = 40, /* pages of people one picker reads at most */
	CLASS_CHOICES_MAX = 200
};

/* What the start form offers, each read through the policy. */
typedef struct start_choices {
	org *schools;
	size_t nschools;
	person **teachers; /* per school */
	size_t *nteachers;
	team *teams;
	size_t nteams;
	person *coaches;
	size_t ncoaches;
	cycle_template *templates;
	size_t ntemplates;
	pl_session *sessions;
	size_t nsessions;
} start_choices;

/* The form's values as given, for showing it again. */
typedef struct start_form {
	const char *kind;
	cycle_input in;
} start_form;

static bool may_start_at(const req *rq, const org *school)
{
	coaching_cycle c = {.school_id = school->id, .district_id = school->parent_id};
	place pl[1];
	record r = cycle_record(pl, &c);
	return may(rq->actor, ACT_CREATE, &r);
}

static store_rc schools_load(req *rq, start_choices *ch)
{
	visibility v;
	policy_visibility(rq->actor, ACT_CREATE, REC_COACHING, &v);
	org *all;
	size_t n;
	store_rc rc = org_choices(rq->db, rq->a, "school", &v, &all, &n);
	if (rc != STORE_OK) return rc;
	ch->schools = all;
	ch->nschools = 0;
	for (size_t i = 0; i < n; i++)
		if (may_start_at(rq, &all[i])) ch->schools[ch->nschools++] = all[i];
	return STORE_OK;
}

/* Every person holding role at org whom the actor may read, each page. */
static store_rc people_at(req *rq, int64_t org_id, const char *role_name, person **out, size_t *n)
{
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	bool more = true;
	for (int64_t page = 1; more && page <= PICKER_PAGES_MAX; page++) {
		people_filter f = {.org_id = org_id, .role = role_name, .page = page};
		person *got;
		size_t ngot;
		store_rc rc = people_visible(rq, &f, &got, &ngot, &more);
		if (rc != STORE_OK) return rc;
		if (*n + ngot > cap) {
			cap = (*n + ngot) * 2 + 8;
			person *grown = arena_calloc(rq->a, cap, sizeof *grown);
			if (*n) memcpy(grown, *out, *n * sizeof *grown);
			*out = grown;
		}
		for (size_t i = 0; i < ngot; i++) (*out)[(*n)++] = got[i];
	}
	return STORE_OK;
}

static bool person_in(const person *list, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (list[i].id == id) return true;
	return false;
}

/* Coaches of the schools' districts and of the actor's partners, not the
 * actor (who is a coach of what they start anyway). */
static store_rc coaches_load(req *rq, start_choices *ch)
{
	visibility v;
	policy_visibility(rq->actor, ACT_CREATE, REC_COACHING, &v);
	size_t cap = 0;
	for (size_t d = 0; d < v.ndistricts; d++) {
		person *got;
		size_t n;
		store_rc rc = people_at(rq, v.districts[d], "coach", &got, &n);
		if (rc != STORE_OK) return rc;
		for (size_t i = 0; i < n; i++) {
			if (got[i].id == actor_id(rq) || person_in(ch->coaches, ch->ncoaches, got[i].id))
				continue;
			if (ch->ncoaches == cap) {
				cap = cap ? cap * 2 : 16;
				person *grown = arena_calloc(rq->a, cap, sizeof *grown);
				if (ch->ncoaches) memcpy(grown, ch->coaches, ch->ncoaches * sizeof *grown);
				ch->coaches = grown;
			}
			ch->coaches[ch->ncoaches++] = got[i];
		}
	}
	return STORE_OK;
}

static bool school_offered(const start_choices *ch, int64_t org_id)
{
	for (size_t i = 0; i < ch->nschools; i++)
		if (ch->schools[i].id == org_id) return true;
	return false;
}

static store_rc teams_load(req *rq, start_choices *ch)
{
	team_filter f = {0};
	team *all;
	size_t n;
	store_rc rc = team_visible(rq, &f, &all, &n);
	if (rc != STORE_OK) return rc;
	ch->teams = all;
	ch->nteams = 0;
	for (size_t i = 0; i < n; i++)
		if (all[i].active && school_offered(ch, all[i].org_id)) ch->teams[ch->nteams++] = all[i];
	return STORE_OK;
}

/* The default, then the templates of the districts and partners the actor
 * reaches (the start checks the one chosen fits the school). */
static store_rc templates_load(req *rq, start_choices *ch)
{
	visibility v;
	policy_visibility(rq->actor, ACT_READ, REC_CYCLE_TEMPLATE, &v);
	cycle_template *list = NULL;
	size_t n = 0;
	if (v.ndistricts) {
		store_rc rc = cycle_template_list(rq->db, rq->a, v.districts, v.ndistricts, false, &list, &n);
		if (rc != STORE_OK) return rc;
	}
	ch->templates = arena_calloc(rq->a, n + 1, sizeof *ch->templates);
	cycle_template_default(&ch->templates[0]);
	ch->ntemplates = 1;
	for (size_t i = 0; i < n; i++)
		if (list[i].id && list[i].active) ch->templates[ch->ntemplates++] = list[i];
	return STORE_OK;
}

store_rc coaching_sessions_load(req *rq, pl_session **out, size_t *n)
{
	session_filter f = {.facilitator_id = actor_id(rq)};
	store_rc rc = session_visible(rq, &f, out, n);
	if (rc != STORE_OK) return rc;
	size_t k = 0;
	for (size_t i = 0; i < *n; i++)
		if (!str_eq((*out)[i].status, "cancelled")) (*out)[k++] = (*out)[i];
	*n = k;
	return STORE_OK;
}

static store_rc start_choices_load(req *rq, start_choices *ch)
{
	*ch = (start_choices){0};
	store_rc rc = schools_load(rq, ch);
	if (rc != STORE_OK) return rc;
	ch->teachers = arena_calloc(rq->a, ch->nschools + 1, sizeof *ch->teachers);
	ch->nteachers = arena_calloc(rq->a, ch->nschools + 1, sizeof *ch->nteachers);
	for (size_t i = 0; i < ch->nschools && rc == STORE_OK; i++)
		rc = people_at(rq, ch->schools[i].id, "teacher", &ch->teachers[i], &ch->nteachers[i]);
	if (rc == STORE_OK) rc = teams_load(rq, ch);
	if (rc == STORE_OK) rc = coaches_load(rq, ch);
	if (rc == STORE_OK) rc = templates_load(rq, ch);
	if (rc == STORE_OK) rc = coaching_sessions_load(rq, &ch->sessions, &ch->nsessions);
	return rc;
}

/* An error for a field under any of the names the change may use. */
const char *error_of(const form_errors *e, const char *a, const char *b)
{
	const char *m = form_error_for(e, a);
	return m ? m : b ? form_error_for(e, b) : NULL;
}

static void kind_field(buf *b, const start_form *sf, const form_errors *e)
{
	const char *error = error_of(e, "kind", NULL);
	html_printf(b, "<fieldset class=\"field%s\" id=\"kind\"", error ? " field-invalid" : "");
	form_control_described(b, "kind", NULL, error);
	html_printf(b, "><legend>Kind of cycle</legend>\n");
	form_field_error(b, "kind", error);
	bool collab = str_eq(sf->kind, "collaborative");
	html_printf(b,
		    "<label class=\"check\"><input type=\"radio\" name=\"kind\" value=\"individual\"%s> "
		    "Individual: you and one or more teachers</label>\n"
		    "<label class=\"check\"><input type=\"radio\" name=\"kind\" value=\"collaborative\"%s> "
		    "Collaborative: you and a team, each teacher enacting the plan</label>\n</fieldset>\n",
		    collab ? "" : " checked", collab ? " checked" : "");
}

static void school_field(req *rq, buf *b, const start_choices *ch, const cycle_input *in,
			 const form_errors *e)
{
	form_option *o = arena_calloc(rq->a, ch->nschools + 1, sizeof *o);
	o[0] = (form_option){"", "Choose a school"};
	for (size_t i = 0; i < ch->nschools; i++)
		o[i + 1] = (form_option){id_text(rq->a, ch->schools[i].id),
					 ch->schools[i].parent_name
						 ? arena_printf(rq->a, "%s (%s)", ch->schools[i].name,
								ch->schools[i].parent_name)
						 : ch->schools[i].name};
	form_errors shown = {0};
	const char *error = error_of(e, "school_id", "school");
	if (error) form_error_add(&shown, "school_id", error);
	form_select(b, "school_id", "School", o, ch->nschools + 1, id_text(rq->a, in->school_id), true,
		    &shown);
}

static void teachers_field(buf *b, const start_choices *ch, const cycle_input *in, const form_errors *e)
{
	const char *error = error_of(e, "teachers", "teacher_ids");
	const char *hint = "of the school above; on a computer hold Ctrl or ⌘ to choose several";
	html_printf(b, "<div data-for-kind=\"individual\">\n");
	form_field_open(b, "teachers", "Teachers", hint, error);
	html_printf(b, "<select id=\"teachers\" name=\"teachers\" multiple size=\"6\"");
	form_control_described(b, "teachers", hint, error);
	html_printf(b, ">\n");
	for (size_t s = 0; s < ch->nschools; s++) {
		if (!ch->nteachers[s]) continue;
		html_printf(b, "<optgroup label=\"%s\" data-school=\"%lld\">\n", ch->schools[s].name,
			    (long long)ch->schools[s].id);
		for (size_t i = 0; i < ch->nteachers[s]; i++)
			html_printf(
				b, "<option value=\"%lld\"%s>%s</option>\n", (long long)ch->teachers[s][i].id,
				id_in(in->teachers, in->nteachers, ch->teachers[s][i].id) ? " selected" : "",
				ch->teachers[s][i].name);
		html_printf(b, "</optgroup>\n");
	}
	html_printf(b, "</select>\n</div>\n</div>\n");
}

static void team_field(buf *b, const start_choices *ch, const cycle_input *in, const form_errors *e)
{
	const char *error = error_of(e, "team_id", "team");
	const char *hint = "its members are the cycle's teachers";
	html_printf(b, "<div data-for-kind=\"collaborative\">\n");
	form_field_open(b, "team_id", "Team", hint, error);
	html_printf(b, "<select id=\"team_id\" name=\"team_id\"");
	form_control_described(b, "team_id", hint, error);
	html_printf(b, ">\n<option value=\"\">Choose a team</option>\n");
	for (size_t s = 0; s < ch->nschools; s++) {
		bool any = false;
		for (size_t i = 0; i < ch->nteams; i++) {
			if (ch->teams[i].org_id != ch->schools[s].id) continue;
			if (!any)
				html_printf(b, "<optgroup label=\"%s\" data-school=\"%lld\">\n",
					    ch->schools[s].name, (long long)ch->schools[s].id);
			any = true;
			html_printf(b, "<option value=\"%lld\"%s>%s</option>\n", (long long)ch->teams[i].id,
				    ch->teams[i].id == in->team_id ? " selected" : "", ch->teams[i].name);
		}
		if (any) html_printf(b, "</optgroup>\n");
	}
	html_printf(b, "</select>\n</div>\n</div>\n");
}

static void coaches_field(buf *b, const start_choices *ch, const cycle_input *in, const form_errors *e)
{
	if (!ch->ncoaches) return;
	const char *error = error_of(e, "coaches", "coach_ids");
	const char *hint = "optional: coaches who work this cycle with you";
	form_field_open(b, "coaches", "Other coaches", hint, error);
	html_printf(b, "<select id=\"coaches\" name=\"coaches\" multiple size=\"%d\"",
		    ch->ncoaches > 4 ? 4 : (int)ch->ncoaches + 1);
	form_control_described(b, "coaches", hint, error);
	html_printf(b, ">\n");
	for (size_t i = 0; i < ch->ncoaches; i++)
		html_printf(b, "<option value=\"%lld\"%s>%s</option>\n", (long long)ch->coaches[i].id,
			    id_in(in->coaches, in->ncoaches, ch->coaches[i].id) ? " selected" : "",
			    ch->coaches[i].name);
	html_printf(b, "</select>\n</div>\n");
}

static void template_field(req *rq, buf *b, const start_choices *ch, const cycle_input *in,
			   const form_errors *e)
{
	form_option *o = arena_calloc(rq->a, ch->ntemplates, sizeof *o);
	for (size_t i = 0; i < ch->ntemplates; i++) {
		const cycle_template *t = &ch->templates[i];
		o[i] = (form_option){
			arena_printf(rq->a, "%lld", (long long)t->id),
			t->id ? arena_printf(rq->a, "%s (%s)", t->name, t->org_name ? t->org_name : "")
			      : arena_printf(rq->a, "%s (built in)", t->name)};
	}
	form_errors shown = {0};
	const char *error = error_of(e, "template_id", "template");
	if (error) form_error_add(&shown, "template_id", error);
	form_select(b, "template_id", "Prompts (template)", o, ch->ntemplates,
		    arena_printf(rq->a, "%lld", (long long)in->template_id), false, &shown);
}

void session_field(req *rq, buf *b, const pl_session *list, size_t n, int64_t chosen, const form_errors *e,
		   const char *label)
{
	form_option *o = arena_calloc(rq->a, n + 2, sizeof *o);
	size_t k = 0;
	o[k++] = (form_option){"0", "None"};
	bool listed = false;
	/* The latest first: a cycle counts against a recent coaching day. */
	for (size_t i = n; i-- > 0;) {
		const char *block = session_block_label(list[i].block);
		listed |= list[i].id == chosen;
		o[k++] = (form_option){id_text(rq->a, list[i].id),
				       arena_printf(rq->a, "%s%s%s · %s", list[i].on_date, block ? " " : "",
						    block ? block : "", list[i].title)};
	}
	if (chosen && !listed)
		o[k++] = (form_option){id_text(rq->a, chosen),
				       arena_printf(rq->a, "Session %lld", (long long)chosen)};
	form_errors shown = {0};
	const char *error = error_of(e, "session_id", "session");
	if (error) form_error_add(&shown, "session_id", error);
	form_select(b, "session_id", label, o, k, chosen ? id_text(rq->a, chosen) : "0", false, &shown);
}

static void start_page(req *rq, resp *rs, int status, const start_form *sf, const form_errors *e)
{
	start_choices ch;
	if (start_choices_load(rq, &ch) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	const cycle_input *in = &sf->in;
	buf *b = resp_html(rs, status);
	layout l = page_layout(rq, "Start a coaching cycle", "cycles");
	layout_begin(b, &l);
	crumbs(rq, b, NULL);
	html_printf(b, "<h1>Start a coaching cycle</h1>\n");
	if (!ch.nschools) html_printf(b, "<p>There is no school where you may start a cycle.</p>\n");
	form_begin(b, "/cycles", rq->actor->csrf, e);
	kind_field(b, sf, e);
	school_field(rq, b, &ch, in, e);
	teachers_field(b, &ch, in, e);
	team_field(b, &ch, in, e);
	coaches_field(b, &ch, in, e);
	template_field(rq, b, &ch, in, e);
	form_input(b, "text", "title", "Title", in->title, false,
		   "optional; e.g. “Fractions on a number line”", e);
	form_input(b, "text", "grade", "Grade", in->grade, false, "K, 1 to 12, or a band such as 6-8", e);
	session_field(rq, b, ch.sessions, ch.nsessions, in->session_id, e,
		      "Coaching session it counts against");
	form_end(b, "Start the cycle");
	layout_end(b);
}

static start_form form_start(req *rq, form_errors *e)
{
	start_form sf = {.kind = text_trim(rq->a, req_form(rq, "kind"))};
	cycle_input *in = &sf.in;
	if (!cycle_kind_parse(sf.kind ? sf.kind : "", &in->kind))
		form_error_add(e, "kind", "Choose individual or collaborative.");
	in->title = text_trim(rq->a, req_form(rq, "title"));
	if (in->title && !*in->title) in->title = NULL;
	in->grade = text_trim(rq->a, req_form(rq, "grade"));
	if (in->grade && !*in->grade) in->grade = NULL;
	form_id(rq, "school_id", 1, &in->school_id, e, "Choose a school from the list.");
	form_id(rq, "team_id", 1, &in->team_id, e, "Choose a team from the list.");
	form_id(rq, "template_id", 0, &in->template_id, e, "Choose prompts from the list.");
	form_id(rq, "session_id", 0, &in->session_id, e, "Choose a session from the list.");
	if (!req_form_ids(rq, "teachers", SESSION_PEOPLE_MAX, &in->teachers, &in->nteachers))
		form_error_add(e, "teachers", "Choose teachers from the list.");
	if (!req_form_ids(rq, "coaches", SESSION_PEOPLE_MAX, &in->coaches, &in->ncoaches))
		form_error_add(e, "coaches", "Choose coaches from the list.");
	/* Only what the chosen kind uses: a team picked and then left for
	 * individual teachers is not an error. */
	if (in->kind == CYCLE_COLLABORATIVE) in->nteachers = 0;
	else in->team_id = 0;
	return sf;
}

/*
** GET /cycles/new
** The form that starts a cycle: kind, school, teachers (grouped by school)
** or team, other coaches, the template, title, grade, the coaching session.
** Permissions: may(CREATE, coaching) somewhere (coaches), else 403; the
** schools offered are those where it is allowed.
*/
void page_cycle_new(req *rq, resp *rs)
{
	if (!may_act_somewhere(rq, REC_COACHING, ACT_CREATE)) {
		resp_error(rq, rs, 403, "forbidden", "only coaches start coaching cycles", NULL);
		return;
	}
	start_form sf = {.kind = "individual"};
	form_errors none = {0};
	start_page(rq, rs, 200, &sf, &none);
}

/*
** POST /cycles (form: kind, school_id, teachers (repeated ids) or team_id,
** coaches (repeated ids), template_id, title, grade, session_id, csrf)
** 303 to the new cycle; the form again with 400 beside the fields.
** Permissions: may(CREATE, coaching) at the school.
*/
void page_cycle_create(req *rq, resp *rs)
{
	if (!may_act_somewhere(rq, REC_COACHING, ACT_CREATE)) {
		resp_error(rq, rs, 403, "forbidden", "only coaches start coaching cycles", NULL);
		return;
	}
	form_errors e = {0};
	start_form sf = form_start(rq, &e);
	outcome o = {0};
	if (e.n) {
		o.errors = e;
		outcome_invalid(&o);
	} else {
		cycle_start(rq, &sf.in, &o);
	}
	if (o.status == 400 || o.status == 422) {
		form_errors shown = o.errors;
		if (!shown.n) form_error_add(&shown, o.field, o.message);
		start_page(rq, rs, o.status, &sf, &shown);
		return;
	}
	outcome_redirect(rq, rs, &o, arena_printf(rq->a, "/cycles/%lld?ok=cycle-started", (long long)o.id));
}
