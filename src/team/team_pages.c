/* Team pages: the list, one team with its members and their roles, and the
 * forms that create, edit and deactivate teams and add and remove members.
 * The JSON twins are in team_api.c; the checked changes in team_change.c. */
#include <string.h>

#include "../base/util.h"
#include "../html/html.h"
#include "../web/app.h"
#include "team.h"

static const char *id_text(arena *a, int64_t id)
{
	return id ? arena_printf(a, "%lld", (long long)id) : NULL;
}

/* ---- the list ---- */

static void filter_form(buf *b, const team_filter *f, const team_org *orgs, size_t norgs)
{
	html_printf(b,
		    "<form class=\"filters\" method=\"get\" action=\"/teams\">\n"
		    "<div class=\"field\"><label for=\"q\">Name contains</label>"
		    "<input id=\"q\" name=\"q\" type=\"search\" value=\"%s\"></div>\n"
		    "<div class=\"field\"><label for=\"school\">School</label>"
		    "<select id=\"school\" name=\"school\"><option value=\"\">Any</option>",
		    f->q ? f->q : "");
	for (size_t i = 0; i < norgs; i++)
		html_printf(b, "<option value=\"%lld\"%s>%s</option>", (long long)orgs[i].id,
			    f->org_id == orgs[i].id ? " selected" : "", orgs[i].label);
	html_printf(b,
		    "</select></div>\n<div class=\"field\"><label for=\"kind\">Kind</label>"
		    "<select id=\"kind\" name=\"kind\"><option value=\"\">Any</option>");
	size_t nk;
	const char *const *kinds = team_kinds(&nk);
	for (size_t i = 0; i < nk; i++)
		html_printf(b, "<option value=\"%s\"%s>%s</option>", kinds[i],
			    str_eq(f->kind, kinds[i]) ? " selected" : "", team_kind_label(kinds[i]));
	html_printf(b, "</select></div>\n<button type=\"submit\">Show</button>\n</form>\n");
}

/* Four columns so the table fits a phone: the school goes under the name. */
static void team_table(req *rq, buf *b, const team *list, size_t n)
{
	html_table_open(b);
	html_printf(b,
		    "\n<thead><tr><th scope=\"col\">Team</th>"
		    "<th scope=\"col\">Kind</th><th scope=\"col\">Grade</th>"
		    "<th scope=\"col\" class=\"num\">Members</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < n; i++) {
		const team *t = &list[i];
		const char *grade = team_grade_label(rq->a, t->grade);
		html_printf(b,
			    "<tr><td><a href=\"/teams/%lld\">%s</a><br><span class=\"muted\">%s</span>"
			    "</td><td>%s</td><td>%s</td><td class=\"num\">%lld</td></tr>\n",
			    (long long)t->id, t->name, t->org_name, team_kind_label(t->kind),
			    grade ? grade : "—", (long long)t->members);
	}
	html_printf(b, "</tbody></table></div>\n");
}

/*
** GET /teams?school=ID&kind=K&q=TEXT
** The teams the signed-in person may see, by district, school and name.
** school: a school's or district's id; kind: grade_level|grade_band|
** vertical|plc|leadership; q: part of the name.
** Permissions: signed in; each team through may(READ, team).
*/
void page_teams(req *rq, resp *rs)
{
	team_filter f;
	if (!team_read_filter(rq, rs, &f)) return;
	team *list;
	team_org *readable, *creatable;
	size_t n, nreadable, ncreatable;
	if (team_visible(rq, &f, &list, &n) != STORE_OK ||
	    team_org_choices(rq, ACT_READ, &readable, &nreadable) != STORE_OK ||
	    team_org_choices(rq, ACT_CREATE, &creatable, &ncreatable) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	buf *b = resp_html(rs, 200);
	layout l = page_layout(rq, "Teams", "teams");
	layout_begin(b, &l);
	html_printf(b, "<h1>Teams</h1>\n");
	if (ncreatable) html_printf(b, "<p><a class=\"button\" href=\"/teams/new\">New team</a></p>\n");
	filter_form(b, &f, readable, nreadable);
	if (n == 0) html_printf(b, "<p>No team matches.</p>\n");
	else team_table(rq, b, list, n);
	layout_end(b);
}

/* ---- one team ---- */

static void member_row(req *rq, buf *b, const team *t, const team_member *m, bool can_update)
{
	const char *label = team_role_label(m->team_role);
	html_printf(b, "<tr><td>%s</td><td>%s</td><td>", m->name, label ? label : m->team_role);
	for (size_t k = 0; k < m->nrole_places; k++)
		html_printf(b, "%s%s", k ? "<br>" : "", m->role_places[k]);
	if (!m->nrole_places) html_printf(b, "<span class=\"muted\">none</span>");
	html_printf(b, "</td>");
	if (can_update) {
		html_printf(b, "<td>");
		form_button(b,
			    arena_printf(rq->a, "/teams/%lld/members/%lld/remove", (long long)t->id,
					 (long long)m->person_id),
			    rq->actor->csrf, "Remove",
			    arena_printf(rq->a, "Remove %s from %s?", m->name, t->name), NULL, NULL);
		html_printf(b, "</td>");
	}
	html_printf(b, "</tr>\n");
}

static void member_table(req *rq, buf *b, const team *t, const team_member *m, size_t n, bool can_update)
{
	html_table_open(b);
	html_printf(b,
		    "\n<thead><tr><th scope=\"col\">Name</th>"
		    "<th scope=\"col\">Team role</th><th scope=\"col\">Roles in the district</th>");
	/* The column of remove buttons is named for screen readers. */
	if (can_update)
		html_printf(b, "<th scope=\"col\"><span class=\"visually-hidden\">Remove</span></th>");
	html_printf(b, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < n; i++) member_row(rq, b, t, &m[i], can_update);
	html_printf(b, "</tbody></table></div>\n");
}

/* Which roles a team brings together, and whether that makes it
 * role-diverse: the point of a leadership team that makes sense of walk
 * data across a district. */
static void role_diversity(buf *b, const team_member *m, size_t n)
{
	unsigned all = 0;
	for (size_t i = 0; i < n; i++) all |= m[i].roles;
	unsigned distinct = team_distinct_roles(m, n);
	html_printf(b,
		    "<p class=\"role-diversity\">This team brings together <strong>%u distinct "
		    "role%s</strong>",
		    distinct, distinct == 1 ? "" : "s");
	const char *sep = ": ";
	for (int r = 0; r < ROLE_COUNT; r++) {
		if (!((all >> r) & 1u)) continue;
		html_printf(b, "%s%s", sep, role_label((role)r));
		sep = ", ";
	}
	html_printf(b, ".%s</p>\n",
		    team_is_role_diverse(distinct)
			    ? " It is role-diverse."
			    : " A leadership team works best with teachers, coaches, principals and "
			      "district staff together.");
}

static void add_member_form(req *rq, buf *b, const team *t, const team_candidate *people, size_t npeople,
			    const form_errors *e, const char *person, const char *team_role)
{
	form_option *po = arena_calloc(rq->a, npeople + 1, sizeof *po);
	po[0] = (form_option){"", "Choose a person"};
	for (size_t i = 0; i < npeople; i++)
		po[i + 1] = (form_option){id_text(rq->a, people[i].person_id), people[i].name};
	size_t nr;
	const char *const *roles = team_roles(&nr);
	form_option ro[4];
	for (size_t i = 0; i < nr && i < COUNT_OF(ro); i++)
		ro[i] = (form_option){roles[i], team_role_label(roles[i])};
	html_printf(b, "<h2 id=\"add-member\">Add a member</h2>\n");
	form_begin(b, arena_printf(rq->a, "/teams/%lld/members", (long long)t->id), rq->actor->csrf, e);
	form_select(b, "person_id", "Person", po, npeople + 1, person, true, e);
	form_select(b, "team_role", "Role in the team", ro, nr, team_role ? team_role : "member", true, e);
	form_end(b, "Add member");
}

static void team_facts(req *rq, buf *b, const team *t)
{
	const char *grade = team_grade_label(rq->a, t->grade);
	html_printf(b, "<dl class=\"facts\">\n<dt>Kind</dt><dd>%s</dd>\n", team_kind_label(t->kind));
	if (str_eq(t->org_kind, "school"))
		html_printf(b,
			    "<dt>School</dt><dd><a href=\"/orgs/%lld\">%s</a></dd>\n"
			    "<dt>District</dt><dd><a href=\"/orgs/%lld\">%s</a></dd>\n",
			    (long long)t->org_id, t->org_name, (long long)t->district_id,
			    t->district_name ? t->district_name : "");
	else
		html_printf(b, "<dt>District</dt><dd><a href=\"/orgs/%lld\">%s</a></dd>\n",
			    (long long)t->org_id, t->org_name);
	if (grade) html_printf(b, "<dt>Grade</dt><dd>%s</dd>\n", grade);
	html_printf(b, "<dt>Members</dt><dd>%lld</dd>\n", (long long)t->members);
	if (!t->active) html_printf(b, "<dt>Status</dt><dd>Deactivated</dd>\n");
	html_printf(b, "</dl>\n");
}

static void team_actions(req *rq, buf *b, const team *t, bool can_update, bool can_deactivate)
{
	if (!can_update && !can_deactivate) return;
	html_printf(b, "<div class=\"actions\">");
	if (can_update)
		html_printf(b, "<a class=\"button button-secondary\" href=\"/teams/%lld/edit\">Edit</a> ",
			    (long long)t->id);
	if (can_deactivate)
		form_button(b, arena_printf(rq->a, "/teams/%lld/deactivate", (long long)t->id),
			    rq->actor->csrf, "Deactivate team",
			    arena_printf(rq->a, "Deactivate %s?", t->name), NULL, NULL);
	html_printf(b, "</div>\n");
}

/* The team page; status 400 with e when an add-member form came back. */
static void team_page(req *rq, resp *rs, int status, const team *t, const form_errors *e, const char *person,
		      const char *team_role)
{
	bool can_update = t->active && may_team(rq, ACT_UPDATE, t);
	bool can_deactivate = t->active && may_team(rq, ACT_DEACTIVATE, t);
	team_member *m;
	team_candidate *people = NULL;
	size_t n, npeople = 0;
	if (team_members(rq->db, rq->a, t, &m, &n) != STORE_OK ||
	    (can_update && team_people_choices(rq, t, &people, &npeople) != STORE_OK)) {
		resp_store_failed(rq, rs);
		return;
	}
	buf *b = resp_html(rs, status);
	layout l = page_layout(rq, t->name, "teams");
	layout_begin(b, &l);
	html_printf(b, "<p class=\"crumbs\"><a href=\"/teams\">Teams</a></p>\n<h1>%s</h1>\n", t->name);
	if (!t->active) html_printf(b, "<p class=\"muted\">This team is deactivated.</p>\n");
	team_facts(rq, b, t);
	team_actions(rq, b, t, can_update, can_deactivate);
	html_printf(b, "<h2>Members</h2>\n");
	if (str_eq(t->kind, "leadership")) role_diversity(b, m, n);
	if (n == 0) html_printf(b, "<p>No members yet.</p>\n");
	else member_table(rq, b, t, m, n, can_update);
	if (can_update) add_member_form(rq, b, t, people, npeople, e, person, team_role);
	layout_end(b);
}

/*
** GET /teams/{id}
** One team: kind, school or district, grade, and its members with their
** team role and their roles in the district; a leadership team says how
** many distinct roles it brings together. Edit, deactivate and member
** forms for those who may update it.
** Permissions: may(READ, team) (members read their own team).
*/
void page_team(req *rq, resp *rs)
{
	team t;
	if (team_load(rq, rs, &t)) team_page(rq, rs, 200, &t, NULL, NULL, NULL);
}

/* ---- creating and editing ---- */

/* A team's fields from the form; org_id only for a new team. */
static team_input form_team_input(req *rq)
{
	team_input in = {.name = text_trim(rq->a, req_form(rq, "name")),
			 .kind = text_trim(rq->a, req_form(rq, "kind")),
			 .grade = text_trim(rq->a, req_form(rq, "grade"))};
	const char *org_text = text_trim(rq->a, req_form(rq, "org_id"));
	if (org_text && *org_text && !parse_i64(org_text, 1, INT64_MAX, &in.org_id)) in.org_unreadable = true;
	return in;
}

static void team_form(req *rq, buf *b, const char *to, const team_input *in, const team_org *orgs,
		      size_t norgs, const form_errors *e, const team *old)
{
	size_t nk;
	const char *const *kinds = team_kinds(&nk);
	form_option ko[8];
	ko[0] = (form_option){"", "Choose the kind"};
	for (size_t i = 0; i < nk && i + 1 < COUNT_OF(ko); i++)
		ko[i + 1] = (form_option){kinds[i], team_kind_label(kinds[i])};
	form_begin(b, to, rq->actor->csrf, e);
	form_input(b, "text", "name", "Name", in->name, true, "Unique at its school or district.", e);
	form_select(b, "kind", "Kind", ko, nk + 1, in->kind, true, e);
	if (old) {
		html_printf(b, "<p class=\"field\"><span class=\"label\">School or district</span> %s</p>\n",
			    old->org_name);
	} else {
		form_option *oo = arena_calloc(rq->a, norgs + 1, sizeof *oo);
		oo[0] = (form_option){"", "Choose a school or district"};
		for (size_t i = 0; i < norgs; i++)
			oo[i + 1] = (form_option){id_text(rq->a, orgs[i].id), orgs[i].label};
		form_select(b, "org_id", "School or district", oo, norgs + 1, id_text(rq->a, in->org_id),
			    true, e);
	}
	form_input(b, "text", "grade", "Grade or grade band", in->grade, false,
		   "K or 1 to 12 for a grade-level team; a band such as 6-8 for a grade-band team; "
		   "optional for the others.",
		   e);
	form_end(b, old ? "Save" : "Create team");
}

static void new_team_page(req *rq, resp *rs, int status, const team_input *in, const form_errors *e)
{
	team_org *orgs;
	size_t n;
	if (team_org_choices(rq, ACT_CREATE, &orgs, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	if (n == 0) {
		resp_error(rq, rs, 403, "forbidden", "you may not create teams", NULL);
		return;
	}
	team_input first = *in;
	if (n == 1 && !first.org_id) first.org_id = orgs[0].id;
	buf *b = resp_html(rs, status);
	layout l = page_layout(rq, "New team", "teams");
	layout_begin(b, &l);
	html_printf(b, "<p class=\"crumbs\"><a href=\"/teams\">Teams</a></p>\n<h1>New team</h1>\n");
	team_form(rq, b, "/teams", &first, orgs, n, e, NULL);
	layout_end(b);
}

/*
** GET /teams/new
** The form for a new team: name, kind, school or district, grade.
** Permissions: may(CREATE, team) at one school or district at least (the
** select offers only those), else 403.
*/
void page_team_new(req *rq, resp *rs)
{
	team_input in = {0};
	new_team_page(rq, rs, 200, &in, NULL);
}

/*
** POST /teams  (form: name, kind, org_id, grade, csrf)
** Creates a team and shows it; the form again with 400 and the message
** beside the field when one is wrong (nothing written).
** Permissions: may(CREATE, team) at org_id, else 403.
*/
void page_team_create(req *rq, resp *rs)
{
	team_input in = form_team_input(rq);
	outcome o;
	team_create(rq, &in, &o);
	if (o.status == 400 && o.errors.n) new_team_page(rq, rs, 400, &in, &o.errors);
	else outcome_redirect(rq, rs, &o, arena_printf(rq->a, "/teams/%lld?ok=created", (long long)o.id));
}

static void edit_team_page(req *rq, resp *rs, int status, const team *t, const team_input *in,
			   const form_errors *e)
{
	buf *b = resp_html(rs, status);
	layout l = page_layout(rq, arena_printf(rq->a, "Edit %s", t->name), "teams");
	layout_begin(b, &l);
	html_printf(b,
		    "<p class=\"crumbs\"><a href=\"/teams\">Teams</a> › "
		    "<a href=\"/teams/%lld\">%s</a></p>\n<h1>Edit %s</h1>\n",
		    (long long)t->id, t->name, t->name);
	team_form(rq, b, arena_printf(rq->a, "/teams/%lld", (long long)t->id), in, NULL, 0, e, t);
	layout_end(b);
}

/*
** GET /teams/{id}/edit
** The form to change a team's name, kind and grade.
** Permissions: may(UPDATE, team); 409 when the team is deactivated.
*/
void page_team_edit(req *rq, resp *rs)
{
	team t;
	if (!team_load(rq, rs, &t)) return;
	if (!may_team(rq, ACT_UPDATE, &t)) {
		resp_error(rq, rs, 403, "forbidden", "you may not change this team", NULL);
		return;
	}
	if (!t.active) {
		resp_error(rq, rs, 409, "inactive", "this team is deactivated; it can no longer change",
			   NULL);
		return;
	}
	team_input in = {t.name, t.kind, t.grade, t.org_id, false};
	edit_team_page(rq, rs, 200, &t, &in, NULL);
}

/*
** POST /teams/{id}  (form: name, kind, grade, csrf)
** Saves a team's changes; the form again with 400 when a field is wrong.
** Permissions: may(UPDATE, team); 409 when the team is deactivated.
*/
void page_team_update(req *rq, resp *rs)
{
	team t;
	if (!team_load(rq, rs, &t)) return;
	team_input in = form_team_input(rq);
	if (!in.org_id && !in.org_unreadable) in.org_id = t.org_id; /* the form has no org */
	outcome o;
	team_change(rq, &t, &in, &o);
	if (o.status == 400 && o.errors.n) edit_team_page(rq, rs, 400, &t, &in, &o.errors);
	else outcome_redirect(rq, rs, &o, arena_printf(rq->a, "/teams/%lld?ok=saved", (long long)t.id));
}

/*
** POST /teams/{id}/deactivate  (form: csrf)
** Deactivates a team: it leaves the lists; its page stays readable.
** Permissions: may(DEACTIVATE, team).
*/
void page_team_deactivate(req *rq, resp *rs)
{
	team t;
	if (!team_load(rq, rs, &t)) return;
	outcome o;
	team_retire(rq, &t, &o);
	outcome_redirect(rq, rs, &o, "/teams?ok=deactivated");
}

/* ---- members ---- */

/*
** POST /teams/{id}/members  (form: person_id, team_role, csrf)
** Adds a person of the team's district as member, facilitator or lead;
** the team page again with 400 beside the field when that cannot be.
** Permissions: may(UPDATE, team), and the person through may(READ, person).
*/
void page_team_member_add(req *rq, resp *rs)
{
	team t;
	if (!team_load(rq, rs, &t)) return;
	const char *person = text_trim(rq->a, req_form(rq, "person_id"));
	const char *team_role = text_trim(rq->a, req_form(rq, "team_role"));
	outcome o;
	team_join(rq, &t, person, team_role, &o);
	if (o.status == 400 && o.errors.n) team_page(rq, rs, 400, &t, &o.errors, person, team_role);
	else
		outcome_redirect(rq, rs, &o,
				 arena_printf(rq->a, "/teams/%lld?ok=member-added", (long long)t.id));
}

/*
** POST /teams/{id}/members/{pid}/remove  (form: csrf)
** Takes a person off the team (the membership row stays, inactive).
** Permissions: may(UPDATE, team); 404 when they are not a member.
*/
void page_team_member_remove(req *rq, resp *rs)
{
	team t;
	int64_t pid;
	if (!team_load(rq, rs, &t) || !param_id(rq, rs, "pid", &pid)) return;
	outcome o;
	team_leave(rq, &t, pid, &o);
	outcome_redirect(rq, rs, &o, arena_printf(rq->a, "/teams/%lld?ok=member-removed", (long long)t.id));
}
