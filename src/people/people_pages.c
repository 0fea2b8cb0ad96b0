/* People pages: the directory with its search and filters, one person
 * with their roles and teams, and the forms that add, edit, deactivate and
 * reactivate people and grant and revoke their roles. Controls show only
 * to those the policy lets use them. */
#include <string.h>

#include "../base/util.h"
#include "../html/html.h"
#include "../web/app.h"
#include "people.h"

static const char *org_option_label(arena *a, const org *o)
{
	return o->parent_name ? arena_printf(a, "%s (%s)", o->name, o->parent_name)
			      : arena_printf(a, "%s (%s)", o->name, org_kind_label(o->kind));
}

/* Options for an org select: first, then each org. */
static form_option *org_options(arena *a, const org *list, size_t n, const char *first)
{
	form_option *opts = arena_calloc(a, n + 1, sizeof *opts);
	opts[0] = (form_option){"", first};
	for (size_t i = 0; i < n; i++)
		opts[i + 1] = (form_option){arena_printf(a, "%lld", (long long)list[i].id),
					    org_option_label(a, &list[i])};
	return opts;
}

static form_option *role_options(arena *a, const char *first)
{
	form_option *opts = arena_calloc(a, ROLE_COUNT + 1, sizeof *opts);
	opts[0] = (form_option){"", first};
	for (int r = 0; r < ROLE_COUNT; r++)
		opts[r + 1] = (form_option){role_name((role)r), role_label((role)r)};
	return opts;
}

static const char *id_text(arena *a, int64_t id)
{
	return id ? arena_printf(a, "%lld", (long long)id) : "";
}

static void filter_form(req *rq, buf *b, const people_filter *f, const org *orgs, size_t norgs)
{
	html_printf(b,
		    "<form class=\"filters\" method=\"get\" action=\"/people\">\n"
		    "<div class=\"field\"><label for=\"q\">Name or email contains</label>"
		    "<input id=\"q\" name=\"q\" type=\"search\" value=\"%s\"></div>\n",
		    f->q ? f->q : "");
	form_select(b, "org", "Organization", org_options(rq->a, orgs, norgs, "Any"), norgs + 1,
		    id_text(rq->a, f->org_id), false, NULL);
	form_select(b, "role", "Role", role_options(rq->a, "Any"), ROLE_COUNT + 1, f->role ? f->role : "",
		    false, NULL);
	form_checkbox(b, "inactive", "Include deactivated people", f->inactive);
	html_printf(b, "<button type=\"submit\">Show</button>\n</form>\n");
}

static void roles_text(buf *b, const person *p)
{
	if (!p->nroles) {
		html_printf(b, "<span class=\"muted\">No role</span>");
		return;
	}
	for (size_t i = 0; i < p->nroles; i++)
		html_printf(b, "%s%s, %s", i ? "<br>" : "", role_label(p->roles[i].role),
			    p->roles[i].org_name);
}

static void people_table(buf *b, const person *list, size_t n)
{
	html_table_open(b);
	html_printf(b,
		    "\n<thead><tr><th scope=\"col\">Name</th>"
		    "<th scope=\"col\">Roles</th><th scope=\"col\">Status</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < n; i++) {
		const person *p = &list[i];
		html_printf(b, "<tr><td><a href=\"/people/%lld\">%s</a>", (long long)p->id, p->name);
		if (p->email) html_printf(b, "<br><span class=\"muted\">%s</span>", p->email);
		html_printf(b, "</td><td>");
		roles_text(b, p);
		html_printf(b, "</td><td>%s</td></tr>\n", p->active ? "Active" : "Deactivated");
	}
	html_printf(b, "</tbody></table></div>\n");
}

/* The address of another page of the same list. */
static const char *page_link(req *rq, const people_filter *f, int64_t page)
{
	return arena_printf(rq->a, "/people?page=%lld%s%s%s%s%s%s", (long long)page, f->q ? "&q=" : "",
			    f->q ? url_encode(rq->a, f->q) : "",
			    f->org_id ? arena_printf(rq->a, "&org=%lld", (long long)f->org_id) : "",
			    f->role ? "&role=" : "", f->role ? url_encode(rq->a, f->role) : "",
			    f->inactive ? "&inactive=1" : "");
}

static void pager(req *rq, buf *b, const people_filter *f, bool more)
{
	if (f->page <= 1 && !more) return;
	html_printf(b, "<nav class=\"actions\" aria-label=\"Pages\">\n");
	if (f->page > 1)
		html_printf(
			b,
			"<a class=\"button button-secondary\" href=\"%s\" rel=\"prev\">Previous page</a>\n",
			page_link(rq, f, f->page - 1));
	html_printf(b, "<span>Page %lld</span>\n", (long long)f->page);
	if (more)
		html_printf(b,
			    "<a class=\"button button-secondary\" href=\"%s\" rel=\"next\">Next page</a>\n",
			    page_link(rq, f, f->page + 1));
	html_printf(b, "</nav>\n");
}

static store_rc visible_orgs(req *rq, org **out, size_t *n)
{
	visibility v;
	policy_visibility(rq->actor, ACT_READ, REC_ORG, &v);
	org *list;
	size_t total;
	store_rc rc = org_choices(rq->db, rq->a, NULL, &v, &list, &total);
	if (rc != STORE_OK) return rc;
	size_t k = 0;
	for (size_t i = 0; i < total; i++)
		if (may_org(rq, ACT_READ, &list[i])) list[k++] = list[i];
	*out = list;
	*n = k;
	return STORE_OK;
}

/*
** GET /people?q=TEXT&org=ID&role=R&inactive=1&page=N
** The people the signed-in person may see, by name, with their roles;
** q searches names and emails, org a role there (or at a district's
** schools), role a role name; inactive=1 includes deactivated people.
** 50 to a page. An "Add a person" button for those who may.
** Permissions: signed in; rows by policy_visibility and may(READ).
*/
void page_people(req *rq, resp *rs)
{
	people_filter f;
	if (!people_filter_read(rq, rs, &f)) return;
	person *list;
	size_t n, norgs;
	bool more;
	org *orgs;
	if (people_visible(rq, &f, &list, &n, &more) != STORE_OK ||
	    visible_orgs(rq, &orgs, &norgs) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	buf *b = resp_html(rs, 200);
	layout l = page_layout(rq, "People", "people");
	layout_begin(b, &l);
	html_printf(b, "<h1>People</h1>\n");
	if (may_act_somewhere(rq, REC_PERSON, ACT_CREATE))
		html_printf(b, "<p><a class=\"button\" href=\"/people/new\">Add a person</a></p>\n");
	filter_form(rq, b, &f, orgs, norgs);
	if (n == 0) html_printf(b, "<p>No one matches.</p>\n");
	else people_table(b, list, n);
	pager(rq, b, &f, more);
	layout_end(b);
}

static bool may_remove_role(const req *rq, const person *p, const held *h)
{
	place pl = held_place(h);
	record r = role_record(REC_ROLE, &pl, p->id);
	if (!may(rq->actor, ACT_DEACTIVATE, &r) || p->nroles < 2) return false;
	return !(h->role == ROLE_ADMIN && p->id == rq->actor->person_id && person_admin_roles(p) == 1);
}

static void roles_section(req *rq, buf *b, const person *p)
{
	html_printf(b, "<h2>Roles</h2>\n");
	if (!p->nroles) {
		html_printf(b, "<p>No role: only the person themselves can see this record.</p>\n");
		return;
	}
	html_table_open(b);
	html_printf(b,
		    "\n<thead><tr><th scope=\"col\">Role</th>"
		    "<th scope=\"col\">Organization</th><th scope=\"col\"><span class=\"visually-hidden\">"
		    "Actions</span></th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < p->nroles; i++) {
		const held *h = &p->roles[i];
		html_printf(b, "<tr><td>%s</td><td><a href=\"/orgs/%lld\">%s</a>%s</td><td>",
			    role_label(h->role), (long long)h->org_id, h->org_name,
			    h->org_active ? "" : " (deactivated)");
		if (may_remove_role(rq, p, h))
			form_button(b,
				    arena_printf(rq->a, "/people/%lld/roles/%lld/remove", (long long)p->id,
						 (long long)h->id),
				    rq->actor->csrf, "Remove",
				    arena_printf(rq->a, "Remove the role %s at %s?", role_label(h->role),
						 h->org_name),
				    NULL, NULL);
		html_printf(b, "</td></tr>\n");
	}
	html_printf(b, "</tbody></table></div>\n");
}

/* The add-a-role form, with what was sent and its errors after a 400. */
static void add_role_form(req *rq, buf *b, const person *p, const org *orgs, size_t n, const char *role_sent,
			  const char *org_sent, const form_errors *e)
{
	if (!n) return;
	html_printf(b, "<h3>Add a role</h3>\n");
	form_begin(b, arena_printf(rq->a, "/people/%lld/roles", (long long)p->id), rq->actor->csrf, e);
	/* A district leader who manages no accounts gives only a leader's role. */
	static const form_option leader_only[] = {{"", "Choose…"}, {"district_leader", "District leader"}};
	if (may_act_somewhere(rq, REC_ROLE, ACT_CREATE))
		form_select(b, "role", "Role", role_options(rq->a, "Choose…"), ROLE_COUNT + 1,
			    role_sent ? role_sent : "", true, e);
	else
		form_select(b, "role", "Role", leader_only, COUNT_OF(leader_only), role_sent ? role_sent : "",
			    true, e);
	form_select(b, "org_id", "At", org_options(rq->a, orgs, n, "Choose…"), n + 1,
		    org_sent ? org_sent : "", true, e);
	form_end(b, "Add role");
}

/* A team of theirs, as the policy sees it: its place, with them as a
 * member (so they always see their own teams). */
static bool may_read_team(const req *rq, const person_team *t, const int64_t *member)
{
	place pl = org_place(t->org_kind, t->org_id, t->org_parent_id);
	record r = {.kind = REC_TEAM, .places = &pl, .nplaces = 1, .teachers = member, .nteachers = 1};
	return may(rq->actor, ACT_READ, &r);
}

static void teams_section(req *rq, buf *b, const person *p, const person_team *t, size_t n)
{
	html_printf(b, "<h2>Teams</h2>\n");
	size_t shown = 0;
	for (size_t i = 0; i < n; i++) {
		if (!may_read_team(rq, &t[i], &p->id)) continue;
		if (!shown++) html_printf(b, "<ul>\n");
		html_printf(b, "<li><a href=\"/teams/%lld\">%s</a> <span class=\"muted\">%s</span></li>\n",
			    (long long)t[i].id, t[i].name, t[i].org_name);
	}
	if (shown) html_printf(b, "</ul>\n");
	else html_printf(b, "<p>%s</p>\n", n ? "On no team you can see." : "On no team.");
}

static void person_controls(req *rq, buf *b, const person *p)
{
	bool edit = may_person(rq, ACT_UPDATE, p);
	bool onoff = may_person(rq, ACT_DEACTIVATE, p) && !(p->active && p->id == rq->actor->person_id);
	if (!edit && !onoff) return;
	html_printf(b, "<div class=\"actions\">\n");
	if (edit)
		html_printf(b, "<a class=\"button\" href=\"/people/%lld/edit\">Edit</a>\n", (long long)p->id);
	if (onoff && p->active)
		form_button(b, arena_printf(rq->a, "/people/%lld/deactivate", (long long)p->id),
			    rq->actor->csrf, "Deactivate",
			    arena_printf(rq->a,
					 "Deactivate %s? They are signed out at once and cannot sign in.",
					 p->name),
			    NULL, NULL);
	else if (onoff)
		form_button(b, arena_printf(rq->a, "/people/%lld/reactivate", (long long)p->id),
			    rq->actor->csrf, "Reactivate", NULL, NULL, NULL);
	html_printf(b, "</div>\n");
}

/* The person's page; status 400 with the add-role form's errors. */
static void person_page(req *rq, resp *rs, int status, const person *p, const char *role_sent,
			const char *org_sent, const form_errors *e)
{
	person_team *teams;
	size_t nteams, norgs = 0;
	org *orgs = NULL;
	if (person_teams(rq->db, rq->a, p->id, &teams, &nteams) != STORE_OK ||
	    (may_grant_roles(rq) && role_org_choices(rq, &orgs, &norgs) != STORE_OK)) {
		resp_store_failed(rq, rs);
		return;
	}
	buf *b = resp_html(rs, status);
	layout l = page_layout(rq, p->name, "people");
	layout_begin(b, &l);
	html_printf(b, "<p class=\"crumbs\"><a href=\"/people\">People</a></p>\n<h1>%s</h1>\n", p->name);
	html_printf(b,
		    "<dl class=\"facts\">\n<dt>Email</dt><dd>%s</dd>\n<dt>Status</dt><dd>%s</dd>\n"
		    "<dt>Password</dt><dd>%s</dd>\n</dl>\n",
		    p->email ? p->email : "None", p->active ? "Active" : "Deactivated",
		    p->has_password ? "Set: can sign in" : "Not set");
	person_controls(rq, b, p);
	roles_section(rq, b, p);
	add_role_form(rq, b, p, orgs, norgs, role_sent, org_sent, e);
	teams_section(rq, b, p, teams, nteams);
	layout_end(b);
}

/*
** GET /people/{id}
** One person: email, status, whether a password is set, their roles with
** their organizations, the teams they are on; edit, deactivate or
** reactivate, add-a-role and remove-role controls for those who may.
** Permissions: signed in; may(READ) the person (else 404).
*/
void page_person(req *rq, resp *rs)
{
	person p;
	if (!person_load(rq, rs, &p)) return;
	person_page(rq, rs, 200, &p, NULL, NULL, NULL);
}

/* ---- the new-person and edit forms ---- */

static void new_person_page(req *rq, resp *rs, int status, const person_input *in, const char *org_sent,
			    const form_errors *e)
{
	org *orgs;
	size_t n;
	if (role_org_choices(rq, &orgs, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	buf *b = resp_html(rs, status);
	layout l = page_layout(rq, "Add a person", "people");
	layout_begin(b, &l);
	html_printf(b, "<p class=\"crumbs\"><a href=\"/people\">People</a></p>\n<h1>Add a person</h1>\n");
	form_begin(b, "/people", rq->actor->csrf, e);
	form_input(b, "text", "name", "Name", in->name, true, NULL, e);
	form_input(b, "email", "email", "Email", in->email, true,
		   "They sign in with it; no one else may have it.", e);
	form_select(b, "role", "Role", role_options(rq->a, "Choose…"), ROLE_COUNT + 1,
		    in->role ? in->role : "", true, e);
	form_select(b, "org_id", "At", org_options(rq->a, orgs, n, "Choose…"), n + 1,
		    org_sent ? org_sent : "", true, e);
	/* Never filled in again: a password is not sent back to the browser. */
	form_input(b, "password", "password", "First password (optional)", NULL, false,
		   "At least 10 characters. Leave it empty to set one later.", e);
	form_end(b, "Add person");
	layout_end(b);
}

/*
** GET /people/new
** The form for a new person: name, email, first role and organization,
** optional first password.
** Permissions: signed in; may create people somewhere (else 403).
*/
void page_person_new(req *rq, resp *rs)
{
	if (!may_act_somewhere(rq, REC_PERSON, ACT_CREATE)) {
		resp_error(rq, rs, 403, "forbidden", "You may not add people.", NULL);
		return;
	}
	person_input in = {0};
	new_person_page(rq, rs, 200, &in, NULL, NULL);
}

/* The org field of a form: its id, or unreadable when it is not one. */
static void read_org_field(const char *text, int64_t *id, bool *unreadable)
{
	*id = 0;
	*unreadable = text && *text && !parse_i64(text, 1, INT64_MAX, id);
}

/*
** POST /people   (form: csrf, name, email, role, org_id, password)
** Adds the person with their first role (and password, when given);
** 303 to their page. Bad input: the form again, 400, errors beside the
** fields (the password never shown again), nothing written.
** Permissions: signed in, CSRF; may(CREATE) a person and a role at the org.
*/
void page_person_create(req *rq, resp *rs)
{
	person_input in = {.name = text_trim(rq->a, req_form(rq, "name")),
			   .email = text_trim(rq->a, req_form(rq, "email")),
			   .role = text_trim(rq->a, req_form(rq, "role")),
			   .password = req_form(rq, "password")};
	const char *org_sent = text_trim(rq->a, req_form(rq, "org_id"));
	read_org_field(org_sent, &in.org_id, &in.org_unreadable);
	outcome out;
	person_create(rq, &in, &out);
	if (out.status == 400) {
		new_person_page(rq, rs, 400, &in, org_sent, &out.errors);
		return;
	}
	outcome_redirect(rq, rs, &out, arena_printf(rq->a, "/people/%lld?ok=created", (long long)out.id));
}

/* May the actor change p's email, or only (being p) their name? */
static bool may_change_email(const req *rq, const person *p)
{
	person other = *p;
	other.id = 0;
	return may_person(rq, ACT_UPDATE, &other);
}

static void edit_person_page(req *rq, resp *rs, int status, const person *p, const person_input *in,
			     const form_errors *e)
{
	buf *b = resp_html(rs, status);
	const char *title = arena_printf(rq->a, "Edit %s", p->name);
	layout l = page_layout(rq, title, "people");
	layout_begin(b, &l);
	html_printf(
		b,
		"<p class=\"crumbs\"><a href=\"/people\">People</a> › <a href=\"/people/%lld\">%s</a></p>\n"
		"<h1>%s</h1>\n",
		(long long)p->id, p->name, title);
	form_begin(b, arena_printf(rq->a, "/people/%lld", (long long)p->id), rq->actor->csrf, e);
	form_input(b, "text", "name", "Name", in->name, true, NULL, e);
	if (may_change_email(rq, p))
		form_input(b, "email", "email", "Email", in->email, p->email != NULL, NULL, e);
	else
		html_printf(b,
			    "<p>Email: %s<br><span class=\"hint\">Only an administrator can change an "
			    "email address.</span></p>\n",
			    p->email ? p->email : "none");
	form_end(b, "Save");
	layout_end(b);
}

/*
** GET /people/{id}/edit
** The edit form: name and email (a person editing only themselves sees
** their email but cannot change it).
** Permissions: signed in; may(UPDATE) the person (else 403; 404 unreadable).
*/
void page_person_edit(req *rq, resp *rs)
{
	person p;
	if (!person_load(rq, rs, &p)) return;
	if (!may_person(rq, ACT_UPDATE, &p)) {
		resp_error(rq, rs, 403, "forbidden", "You may not change this person.", NULL);
		return;
	}
	person_input in = {.name = p.name, .email = p.email};
	edit_person_page(rq, rs, 200, &p, &in, NULL);
}

/*
** POST /people/{id}   (form: csrf, name, email)
** Saves the edit; 303 to the person's page. Without an email field the
** email stays. Bad input: the form again, 400.
** Permissions: signed in, CSRF; may(UPDATE) the person (themselves: name only).
*/
void page_person_update(req *rq, resp *rs)
{
	person p;
	if (!person_load(rq, rs, &p)) return;
	const char *email = req_form(rq, "email");
	person_input in = {.name = text_trim(rq->a, req_form(rq, "name")),
			   .email = email ? text_trim(rq->a, email) : p.email};
	outcome out;
	person_change(rq, &p, &in, &out);
	if (out.status == 400) {
		edit_person_page(rq, rs, 400, &p, &in, &out.errors);
		return;
	}
	outcome_redirect(rq, rs, &out, arena_printf(rq->a, "/people/%lld?ok=saved", (long long)p.id));
}

static void switch_person(req *rq, resp *rs, bool active)
{
	person p;
	if (!person_load(rq, rs, &p)) return;
	outcome out;
	person_set_activity(rq, &p, active, &out);
	outcome_redirect(rq, rs, &out,
			 arena_printf(rq->a, "/people/%lld?ok=%s", (long long)p.id,
				      active ? "reactivated" : "deactivated"));
}

/*
** POST /people/{id}/deactivate   (form: csrf)
** Deactivates the person (never deletes them) and ends their sessions;
** 303 to their page, which shows them as deactivated. 409 for oneself.
** Permissions: signed in, CSRF; may(DEACTIVATE) the person.
*/
void page_person_deactivate(req *rq, resp *rs)
{
	switch_person(rq, rs, false);
}

/*
** POST /people/{id}/reactivate   (form: csrf)
** Lets a deactivated person sign in again; 303 to their page.
** Permissions: signed in, CSRF; may(DEACTIVATE) the person.
*/
void page_person_reactivate(req *rq, resp *rs)
{
	switch_person(rq, rs, true);
}

/*
** POST /people/{id}/roles   (form: csrf, role, org_id)
** Grants the role at the org; 303 to the person's page. Bad input: their
** page again, 400, errors beside the add-a-role fields.
** Permissions: signed in, CSRF; may(CREATE) a role at the org's place.
*/
void page_person_role_add(req *rq, resp *rs)
{
	person p;
	if (!person_load(rq, rs, &p)) return;
	const char *role_sent = text_trim(rq->a, req_form(rq, "role"));
	const char *org_sent = text_trim(rq->a, req_form(rq, "org_id"));
	int64_t org_id;
	bool unreadable;
	read_org_field(org_sent, &org_id, &unreadable);
	outcome out;
	person_role_add(rq, &p, role_sent, org_id, unreadable, &out);
	if (out.status == 400) {
		person_page(rq, rs, 400, &p, role_sent, org_sent, &out.errors);
		return;
	}
	outcome_redirect(rq, rs, &out, arena_printf(rq->a, "/people/%lld?ok=role-added", (long long)p.id));
}

/*
** POST /people/{id}/roles/{rid}/remove   (form: csrf)
** Revokes the role; 303 to the person's page. 409 for a person's only
** role, and for an administrator's own last administrator role.
** Permissions: signed in, CSRF; may(DEACTIVATE) the role at its place.
*/
void page_person_role_remove(req *rq, resp *rs)
{
	person p;
	int64_t rid;
	if (!person_load(rq, rs, &p) || !param_id(rq, rs, "rid", &rid)) return;
	outcome out;
	person_role_remove(rq, &p, rid, &out);
	outcome_redirect(rq, rs, &out, arena_printf(rq->a, "/people/%lld?ok=role-removed", (long long)p.id));
}
