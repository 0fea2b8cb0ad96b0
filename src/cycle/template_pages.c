/* Cycle templates: the prompts a district or partner gives each stage of
 * its coaching cycles (its protocol and steps), listed for
 * everyone in the district or at the partner, written by its leaders one
 * prompt a line ("key | Label | Help"). Templates hold prompts, never a
 * cycle's content. */
#include <string.h>

#include "../base/util.h"
#include "../html/html.h"
#include "../org/org.h"
#include "../web/app.h"
#include "../web/change.h"
#include "cycle_web.h"

/* ---- the policy's view of a template ---- */

/* What the asker may do to a template: read it, change it. */
typedef struct template_rights {
	bool read, update;
} template_rights;

/* A template sits at its district, or its partner; one whose org is
 * neither (or is gone) is nobody's to read. */
static store_rc template_rights_of(req *rq, const cycle_template *t, template_rights *tr)
{
	*tr = (template_rights){0};
	org o;
	bool found = false;
	store_rc rc = org_get(rq->db, rq->a, t->org_id, &o, &found);
	bool district = found && str_eq(o.kind, "district"), partner = found && str_eq(o.kind, "partner");
	if (rc != STORE_OK || (!district && !partner)) return rc;
	place p = {o.id, district ? o.id : 0, partner ? o.id : 0};
	record r = {.kind = REC_CYCLE_TEMPLATE, .places = &p, .nplaces = 1};
	tr->read = may(rq->actor, ACT_READ, &r);
	tr->update = may(rq->actor, ACT_UPDATE, &r);
	return STORE_OK;
}

/* ---- the list ---- */

static const char *stage_keys_text(arena *a, stage_kind st)
{
	size_t n;
	const stage_field *f = stage_fields(st, &n);
	const char *out = "";
	for (size_t i = 0; i < n; i++) out = arena_printf(a, "%s%s%s", out, i ? ", " : "", f[i].key);
	return out;
}

static void prompts_html(req *rq, buf *b, const cycle_template *t)
{
	for (int s = 0; s < STAGE_COUNT; s++) {
		const cycle_prompt **p;
		size_t n = cycle_template_stage(rq->a, t, (stage_kind)s, &p);
		html_printf(b, "<h3>%s</h3>\n<ol class=\"prompts\">\n", stage_label((stage_kind)s));
		for (size_t i = 0; i < n; i++) {
			html_printf(b, "<li>%s <span class=\"muted\">(%s)</span>", p[i]->label, p[i]->key);
			if (p[i]->help && *p[i]->help)
				html_printf(b, "<br><span class=\"muted\">%s</span>", p[i]->help);
			html_printf(b, "</li>\n");
		}
		html_printf(b, "</ol>\n");
	}
}

static void template_card(req *rq, buf *b, const cycle_template *t, bool editable)
{
	html_printf(b, "<li class=\"card\">\n<h2>%s</h2>\n<p class=\"muted\">%s</p>\n", t->name,
		    t->id ? (t->active ? t->org_name
				       : arena_printf(rq->a, "%s · retired: coaches no longer see it",
						      t->org_name))
			  : "Built in: plan, enact and reflect");
	if (editable)
		html_printf(b,
			    "<p><a class=\"button button-secondary\" "
			    "href=\"/cycle-templates/%lld/edit\">Edit</a></p>\n",
			    (long long)t->id);
	html_printf(b, "<details><summary>Its prompts</summary>\n");
	prompts_html(rq, b, t);
	html_printf(b, "</details>\n</li>\n");
}

/* A template on the list, with its prompts, and whether the asker may
 * edit it. */
typedef struct listed_template {
	cycle_template t;
	bool editable;
} listed_template;

/* The templates of the places the actor reads, each through may(). A
 * listing holds no prompts: those come with each template. */
static store_rc templates_visible(req *rq, listed_template **out, size_t *n)
{
	visibility v;
	policy_visibility(rq->actor, ACT_READ, REC_CYCLE_TEMPLATE, &v);
	*n = 0;
	*out = NULL;
	if (!v.ndistricts) return STORE_OK;
	cycle_template *list;
	size_t all;
	store_rc rc = cycle_template_list(rq->db, rq->a, v.districts, v.ndistricts, true, &list, &all);
	if (rc != STORE_OK) return rc;
	*out = arena_calloc(rq->a, all + 1, sizeof **out);
	for (size_t i = 0; i < all; i++) {
		bool found = false;
		template_rights tr;
		if (!list[i].id) continue;
		rc = template_rights_of(rq, &list[i], &tr);
		if (rc != STORE_OK) return rc;
		/* A retired template stays listed for those who may bring it back. */
		if (!tr.read || (!list[i].active && !tr.update)) continue;
		rc = cycle_template_get(rq->db, rq->a, list[i].id, &(*out)[*n].t, &found);
		if (rc != STORE_OK) return rc;
		if (found) (*out)[(*n)++].editable = tr.update;
	}
	return STORE_OK;
}

/*
** GET /cycle-templates
** The built-in default and the templates in use of the districts and
** partners the person belongs to, each with its prompts; Edit and New for
** those who write them.
** Permissions: may(READ, cycle_template) somewhere, else 403; each
** template through may(READ); Edit through may(UPDATE).
*/
void page_cycle_templates(req *rq, resp *rs)
{
	if (!may_act_somewhere(rq, REC_CYCLE_TEMPLATE, ACT_READ)) {
		resp_error(rq, rs, 403, "forbidden", "cycle templates belong to districts and partners",
			   NULL);
		return;
	}
	listed_template *list;
	size_t n;
	if (templates_visible(rq, &list, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	buf *b = resp_html(rs, 200);
	layout l = page_layout(rq, "Cycle templates", "cycle-templates");
	layout_begin(b, &l);
	html_printf(
		b,
		"<h1>Cycle templates</h1>\n<p>A template gives each stage of a coaching cycle its prompts: "
		"the built-in one follows the plan, enact and reflect cycle; a district or partner can write "
		"its own, such as its "
		"protocol's steps. A coach chooses one when starting a cycle.</p>\n");
	if (may_act_somewhere(rq, REC_CYCLE_TEMPLATE, ACT_CREATE))
		html_printf(b, "<p><a class=\"button\" href=\"/cycle-templates/new\">New template</a></p>\n");
	cycle_template dflt;
	cycle_template_default(&dflt);
	html_printf(b, "<ul class=\"cycle-list\">\n");
	template_card(rq, b, &dflt, false);
	for (size_t i = 0; i < n; i++) template_card(rq, b, &list[i].t, list[i].editable);
	html_printf(b, "</ul>\n");
	layout_end(b);
}

/* ---- the form ---- */

/* What the form carries, as typed, for showing it again. */
typedef struct template_form {
	int64_t id;
	int64_t org_id;
	const char *org_name;
	const char *name;
	bool active;
	const char *lines[STAGE_COUNT];
} template_form;

static const char *stage_hint(arena *a, stage_kind st)
{
	return arena_printf(a,
			    "One prompt a line: key | Label | Help (help optional). Built-in keys: %s. "
			    "Any other key (small letters, digits, _) asks a free-text question.%s",
			    stage_keys_text(a, st),
			    st == STAGE_PLAN ? " The plan keeps focus: leaders count it." : "");
}

/* owners: for a new template, the districts and partners where the actor
 * may create one. */
static void template_fields(req *rq, buf *b, const template_form *tf, const form_option *owners,
			    size_t nowners, const form_errors *e)
{
	form_input(b, "text", "name", "Name", tf->name, true, NULL, e);
	if (!tf->id) {
		form_select(b, "org_id", "Whose template", owners, nowners,
			    tf->org_id ? arena_printf(rq->a, "%lld", (long long)tf->org_id) : "", true, e);
	} else {
		html_printf(b, "<p><strong>Whose template:</strong> %s</p>\n",
			    tf->org_name ? tf->org_name : "");
		form_checkbox(b, "active",
			      "In use (clear it to retire the template: cycles using it keep it)",
			      tf->active);
	}
	html_printf(b, "<div class=\"template-lines\">\n");
	for (int s = 0; s < STAGE_COUNT; s++)
		form_textarea(b, stage_name((stage_kind)s),
			      arena_printf(rq->a, "%s prompts", stage_label((stage_kind)s)), tf->lines[s],
			      true, stage_hint(rq->a, (stage_kind)s), e);
	html_printf(b, "</div>\n");
}

static void template_page(req *rq, resp *rs, int status, const template_form *tf, const form_errors *e)
{
	const char *title = tf->id ? "Edit cycle template" : "New cycle template";
	form_option *owners = NULL;
	size_t nowners = 0;
	if (!tf->id && creatable_org_choices(rq, REC_CYCLE_TEMPLATE, true, &owners, &nowners) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	buf *b = resp_html(rs, status);
	layout l = page_layout(rq, title, "cycle-templates");
	layout_begin(b, &l);
	html_printf(b,
		    "<p class=\"crumbs\"><a href=\"/cycle-templates\">Cycle templates</a></p>\n<h1>%s</h1>\n",
		    title);
	form_begin(b,
		   tf->id ? arena_printf(rq->a, "/cycle-templates/%lld", (long long)tf->id)
			  : "/cycle-templates",
		   rq->actor->csrf, e);
	template_fields(rq, b, tf, owners, nowners, e);
	form_end(b, tf->id ? "Save the template" : "Create the template");
	layout_end(b);
}

static template_form form_of(arena *a, const cycle_template *t)
{
	template_form tf = {.id = t->id,
			    .org_id = t->org_id,
			    .org_name = t->org_name,
			    .name = t->name,
			    .active = t->active};
	for (int s = 0; s < STAGE_COUNT; s++) tf.lines[s] = cycle_template_stage_text(a, t, (stage_kind)s);
	return tf;
}

/* The template the form describes: its stages parsed, errors by stage. */
static cycle_template template_of_form(req *rq, template_form *tf, form_errors *e)
{
	tf->name = text_trim(rq->a, req_form(rq, "name"));
	tf->active = str_eq(req_form(rq, "active"), "1");
	cycle_template t = {.id = tf->id,
			    .org_id = tf->org_id,
			    .name = tf->name ? tf->name : "",
			    .active = tf->id ? tf->active : true};
	for (int s = 0; s < STAGE_COUNT; s++) {
		const char *text = req_form(rq, stage_name((stage_kind)s));
		tf->lines[s] = text;
		cycle_template_parse_stage(rq->a, &t, (stage_kind)s, text ? text : "", e);
	}
	/* The check speaks of every field, but only of stages that parsed:
	 * after a bad line, the name is the one thing left to tell. */
	if (!e->n) cycle_template_check(rq->a, &t, e);
	else if (!tf->name || !*tf->name) form_error_add(e, "name", "Give the template a name.");
	return t;
}

static void template_saved(req *rq, resp *rs, template_form *tf, form_errors *e)
{
	cycle_template t = template_of_form(rq, tf, e);
	outcome o = {0};
	if (e->n) {
		o.errors = *e;
		outcome_invalid(&o);
	} else {
		cycle_template_save(rq, &t, &o);
	}
	if (o.status == 400) {
		form_errors shown = o.errors;
		if (!shown.n) form_error_add(&shown, o.field, o.message);
		template_page(rq, rs, 400, tf, &shown);
		return;
	}
	outcome_redirect(rq, rs, &o, "/cycle-templates?ok=template-saved");
}

/*
** GET /cycle-templates/new
** The form for a new template: name, whose (a district or partner), and
** each stage's prompts, starting from the default's.
** Permissions: may(CREATE, cycle_template) somewhere, else 403.
*/
void page_cycle_template_new(req *rq, resp *rs)
{
	if (!may_act_somewhere(rq, REC_CYCLE_TEMPLATE, ACT_CREATE)) {
		resp_error(rq, rs, 403, "forbidden", "you may not write cycle templates", NULL);
		return;
	}
	cycle_template dflt;
	cycle_template_default(&dflt);
	template_form tf = form_of(rq->a, &dflt);
	tf.name = NULL;
	form_errors none = {0};
	template_page(rq, rs, 200, &tf, &none);
}

/*
** POST /cycle-templates (form: name, org_id, plan, enact, reflect, csrf)
** 303 to the list; the form again with 400 beside the field (a stage's
** errors name its line).
** Permissions: may(CREATE, cycle_template) at the district or partner.
*/
void page_cycle_template_create(req *rq, resp *rs)
{
	if (!may_act_somewhere(rq, REC_CYCLE_TEMPLATE, ACT_CREATE)) {
		resp_error(rq, rs, 403, "forbidden", "you may not write cycle templates", NULL);
		return;
	}
	template_form tf = {0};
	form_errors e = {0};
	const char *org_id = text_trim(rq->a, req_form(rq, "org_id"));
	if (!org_id || !parse_i64(org_id, 1, INT64_MAX, &tf.org_id))
		form_error_add(&e, "org_id", "Choose the district or partner whose template it is.");
	template_saved(rq, rs, &tf, &e);
}

/* The template named by {id}, readable by the asker, and what else they
 * may do to it; 404 otherwise (the built-in one has no page of its own). */
static bool template_load(req *rq, resp *rs, cycle_template *t, template_rights *tr)
{
	int64_t id;
	bool found = false;
	*tr = (template_rights){0};
	if (!param_id(rq, rs, "id", &id)) return false;
	if (cycle_template_get(rq->db, rq->a, id, t, &found) != STORE_OK ||
	    (found && t->id && template_rights_of(rq, t, tr) != STORE_OK)) {
		resp_store_failed(rq, rs);
		return false;
	}
	if (found && t->id && tr->read) return true;
	resp_error(rq, rs, 404, "not_found", "there is no such template", NULL);
	return false;
}

/*
** GET /cycle-templates/{id}/edit
** Permissions: may(UPDATE, cycle_template), else 403 (404 when it may
** not be read).
*/
void page_cycle_template_edit(req *rq, resp *rs)
{
	cycle_template t;
	template_rights tr;
	if (!template_load(rq, rs, &t, &tr)) return;
	if (!tr.update) {
		resp_error(rq, rs, 403, "forbidden", "you may not change this template", NULL);
		return;
	}
	template_form tf = form_of(rq->a, &t);
	form_errors none = {0};
	template_page(rq, rs, 200, &tf, &none);
}

/*
** POST /cycle-templates/{id} (form: name, active, plan, enact, reflect,
** csrf)
** 303 to the list; the form again with 400 beside the field. A template
** stays with its district or partner.
** Permissions: may(UPDATE, cycle_template); retiring it also
** may(DEACTIVATE).
*/
void page_cycle_template_update(req *rq, resp *rs)
{
	cycle_template old;
	template_rights tr;
	if (!template_load(rq, rs, &old, &tr)) return;
	template_form tf = {.id = old.id, .org_id = old.org_id, .org_name = old.org_name};
	form_errors e = {0};
	template_saved(rq, rs, &tf, &e);
}
