/* Rubric pages: the frameworks and rubrics a person may use (built-ins
 * first), one rubric's current version or an older one in full, and the
 * builder (new, edit, copy, retire, bring back). Writes go through
 * rubric_change.c; the builder takes levels, indicators, descriptors and
 * look-fors one a line (rubric_text_parse). */
#include <string.h>

#include "../base/util.h"
#include "../html/html.h"
#include "../web/app.h"
#include "rubric_web.h"

/* ---- shared pieces ---- */

static const char *whose(const rubric_summary *r)
{
	return r->org_id ? (r->org_name ? r->org_name : "") : "Built in";
}

static const char *scale_text(arena *a, int64_t lo, int64_t hi)
{
	return arena_printf(a, "%lld to %lld", (long long)lo, (long long)hi);
}

/* "2026-10-07" of a moment, or NULL for none (the built-ins'). */
static const char *day_of(arena *a, int64_t at)
{
	if (at <= 0) return NULL;
	int y, m, d;
	civil_from_days(at / 86400, &y, &m, &d);
	return arena_printf(a, "%04d-%02d-%02d", y, m, d);
}

/* "4 walks, 1 calibration", or NULL when nothing uses the version. */
static const char *uses_text(arena *a, const rubric_version_entry *e)
{
	const char *out = NULL;
	const struct {
		int64_t n;
		const char *one, *many;
	} parts[] = {{e->walks, "walk", "walks"},
		     {e->observations, "visit", "visits"},
		     {e->calibrations, "calibration", "calibrations"}};
	for (size_t i = 0; i < COUNT_OF(parts); i++) {
		if (!parts[i].n) continue;
		const char *part = arena_printf(a, "%lld %s", (long long)parts[i].n,
						parts[i].n == 1 ? parts[i].one : parts[i].many);
		out = out ? arena_printf(a, "%s, %s", out, part) : part;
	}
	return out;
}

static const rubric_version_entry *entry_of(const rubric_version_entry *v, size_t n, int64_t version)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].version == version) return &v[i];
	return NULL;
}

static bool version_load(req *rq, resp *rs, int64_t version_id, rubric_version *v)
{
	bool found = false;
	if (rubric_version_load(rq->db, rq->a, version_id, v, &found) != STORE_OK) {
		resp_store_failed(rq, rs);
		return false;
	}
	if (found) return true;
	resp_error(rq, rs, 404, "not_found", "there is no such version of this rubric", NULL);
	return false;
}

/* ---- the list ---- */

static void rubric_card(req *rq, buf *b, const rubric_summary *r)
{
	html_printf(b, "<li class=\"card rubric-card\">\n<h3><a href=\"/rubrics/%lld\">%s</a></h3>\n",
		    (long long)r->id, r->name);
	html_printf(b, "<p class=\"muted\">%s · scale %s · %lld indicators · version %lld</p>\n", whose(r),
		    scale_text(rq->a, r->scale_min, r->scale_max), (long long)r->nindicators,
		    (long long)r->version);
	if (!r->active)
		html_printf(
			b,
			"<p><span class=\"badge badge-draft\">Retired</span> Not offered for new walks or "
			"calibrations.</p>\n");
	html_printf(b, "</li>\n");
}

/*
** GET /rubrics
** The built-in frameworks, then the rubrics of the districts and partners
** the person belongs to; retired ones only to those who may bring them
** back. New for those who write rubrics.
** Permissions: may(READ, rubric) somewhere (any role), else 403; each
** rubric through may(READ).
*/
void page_rubrics(req *rq, resp *rs)
{
	if (!may_act_somewhere(rq, REC_RUBRIC, ACT_READ)) {
		resp_error(rq, rs, 403, "forbidden",
			   "rubrics are for people with a role in a district or partner", NULL);
		return;
	}
	rubric_summary *list;
	size_t n;
	if (rubrics_visible(rq, &list, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	buf *b = resp_html(rs, 200);
	layout l = page_layout(rq, "Rubrics", "rubrics");
	layout_begin(b, &l);
	html_printf(b,
		    "<h1>Frameworks and rubrics</h1>\n<p>What observers look for on learning walks and in "
		    "calibration: indicators rated on a scale, with optional look-fors counted as tallies. A "
		    "rubric "
		    "that a walk or calibration uses never changes: editing it writes a new version.</p>\n");
	if (may_act_somewhere(rq, REC_RUBRIC, ACT_CREATE))
		html_printf(b,
			    "<p class=\"actions\"><a class=\"button\" href=\"/rubrics/new\">New "
			    "rubric</a></p>\n");
	bool builtin_open = false, own_open = false;
	for (size_t i = 0; i < n; i++) {
		if (!list[i].org_id && !builtin_open) {
			html_printf(b, "<h2>Built-in frameworks</h2>\n<ul class=\"cycle-list\">\n");
			builtin_open = true;
		} else if (list[i].org_id && !own_open) {
			if (builtin_open) html_printf(b, "</ul>\n");
			html_printf(b,
				    "<h2>Your district's and partners' rubrics</h2>\n<ul "
				    "class=\"cycle-list\">\n");
			own_open = true;
		}
		rubric_card(rq, b, &list[i]);
	}
	if (builtin_open || own_open) html_printf(b, "</ul>\n");
	if (!own_open)
		html_printf(b,
			    "<p class=\"muted\">No district or partner rubric yet. Open a framework and make "
			    "a copy "
			    "to write your own descriptors.</p>\n");
	layout_end(b);
}

/* ---- one version in full ---- */

static void levels_table(req *rq, buf *b, const rubric_version *v)
{
	html_printf(b, "<h2>Scale</h2>\n");
	html_table_open(b);
	html_printf(b,
		    "<caption>The levels of the scale, %s</caption>\n"
		    "<thead><tr><th scope=\"col\">Level</th><th scope=\"col\">Label</th>"
		    "<th scope=\"col\">What it means</th></tr></thead>\n<tbody>\n",
		    scale_text(rq->a, v->scale_min, v->scale_max));
	for (size_t i = 0; i < v->nlevels; i++) {
		const rubric_level *l = &v->levels[i];
		html_printf(b, "<tr><th scope=\"row\" class=\"num\">%lld</th><td>%s</td><td>%s</td></tr>\n",
			    (long long)l->level, l->label ? l->label : "",
			    l->descriptor ? l->descriptor : "");
	}
	html_printf(b, "</tbody></table></div>\n");
}

static void indicators_table(req *rq, buf *b, const rubric_version *v)
{
	html_printf(b, "<h2>Indicators</h2>\n<div class=\"rubric-indicators\">\n");
	html_table_open(b);
	html_printf(
		b,
		"<caption>%zu indicators, with what each level looks like where the rubric says</caption>\n"
		"<thead><tr><th scope=\"col\">Indicator</th>",
		v->nindicators);
	for (size_t k = 0; k < v->nlevels; k++)
		html_printf(b, "<th scope=\"col\">%s</th>", rubric_level_label(rq->a, v, v->levels[k].level));
	html_printf(b, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < v->nindicators; i++) {
		const rubric_indicator *ind = &v->indicators[i];
		html_printf(b, "<tr><th scope=\"row\"><span class=\"rubric-code\">%s</span> %s", ind->code,
			    ind->name);
		if (ind->description && *ind->description)
			html_printf(b, "<br><span class=\"muted\">%s</span>", ind->description);
		html_printf(b, "</th>");
		for (size_t k = 0; k < v->nlevels; k++) {
			const char *d = ind->level_descriptors ? ind->level_descriptors[k] : NULL;
			if (d && *d) html_printf(b, "<td>%s</td>", d);
			else
				html_printf(b,
					    "<td><span class=\"missing\" aria-hidden=\"true\">—</span>"
					    "<span class=\"visually-hidden\">Not described</span></td>");
		}
		html_printf(b, "</tr>\n");
	}
	html_printf(b, "</tbody></table></div>\n</div>\n");
}

static void look_fors_list(buf *b, const rubric_version *v)
{
	html_printf(b, "<h2>Look-fors</h2>\n");
	if (!v->nlook_fors) {
		html_printf(b, "<p class=\"muted\">None: observers rate the indicators only.</p>\n");
		return;
	}
	html_printf(b,
		    "<p>Observers count each one they see (a tally).</p>\n<ul class=\"rubric-look-fors\">\n");
	for (size_t i = 0; i < v->nlook_fors; i++) {
		const rubric_indicator *ind = rubric_indicator_by_id(v, v->look_fors[i].indicator_id);
		html_printf(b, "<li>%s <span class=\"muted\">(", v->look_fors[i].text);
		if (ind) html_printf(b, "%s %s", ind->code, ind->name);
		else html_printf(b, "the whole lesson");
		html_printf(b, ")</span></li>\n");
	}
	html_printf(b, "</ul>\n");
}

/* What a rubric's page shows besides the version itself, read before it
 * is written. */
typedef struct version_view {
	rubric_version_entry *versions;
	size_t nversions;
	rubric_rights may;
	form_option *copy_to; /* where the asker may copy it, {"", "Choose"} first */
	size_t ncopy_to;
	const char **dropped; /* the codes version n-1 had and this one has not */
	size_t ndropped;
} version_view;

/* The codes version n-1 had and version n has not: there the dashboards
 * stop following an indicator. */
static store_rc codes_dropped(req *rq, const rubric_summary *r, const rubric_version *v, version_view *vv)
{
	int64_t prev_id = 0;
	rubric_version prev;
	bool found = false;
	if (v->version < 2) return STORE_OK;
	store_rc rc = rubric_version_numbered(rq->db, rq->a, r->id, v->version - 1, &prev_id);
	if (rc == STORE_OK && prev_id) rc = rubric_version_load(rq->db, rq->a, prev_id, &prev, &found);
	if (rc != STORE_OK || !found) return rc;
	rubric_input now;
	rubric_input_of_version(rq->a, v, &now);
	vv->ndropped = rubric_codes_removed(rq->a, &prev, &now, &vv->dropped);
	return STORE_OK;
}

static store_rc version_view_load(req *rq, const rubric_summary *r, const rubric_version *v, version_view *vv)
{
	*vv = (version_view){0};
	store_rc rc = rubric_versions(rq->db, rq->a, r->id, &vv->versions, &vv->nversions);
	if (rc == STORE_OK) rc = rubric_rights_of(rq, r->org_id, &vv->may);
	if (rc == STORE_OK && v->id == r->current_version_id)
		rc = rubric_org_choices(rq, &vv->copy_to, &vv->ncopy_to);
	if (rc == STORE_OK) rc = codes_dropped(rq, r, v, vv);
	return rc;
}

static void codes_dropped_note(req *rq, buf *b, const rubric_version *v, const version_view *vv)
{
	if (!vv->ndropped) return;
	const char *list = "";
	for (size_t i = 0; i < vv->ndropped; i++)
		list = arena_printf(rq->a, "%s%s%s", list, i ? ", " : "", vv->dropped[i]);
	html_printf(
		b,
		"<p class=\"rubric-warning\"><strong>Not in version %lld:</strong> %s (from version %lld). "
		"The "
		"dashboards follow an indicator by its code, so their history stops at version %lld.</p>\n",
		(long long)v->version, list, (long long)(v->version - 1), (long long)(v->version - 1));
}

static void versions_table(req *rq, buf *b, const rubric_summary *r, const rubric_version_entry *e, size_t n,
			   int64_t shown)
{
	html_printf(b,
		    "<h2>Versions</h2>\n<p>Walks, visits and calibrations keep the version they were made "
		    "with.</p>\n");
	html_table_open(b);
	html_printf(b,
		    "<caption>Versions of this rubric, newest first</caption>\n<thead><tr><th scope=\"col\">"
		    "Version</th><th scope=\"col\">Made</th><th scope=\"col\">By</th><th scope=\"col\">Used "
		    "by</th>"
		    "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < n; i++) {
		const char *label = arena_printf(rq->a, "Version %lld%s", (long long)e[i].version,
						 e[i].id == r->current_version_id ? " (current)" : "");
		if (e[i].version == shown)
			html_printf(b, "<tr><th scope=\"row\" aria-current=\"page\">%s</th>", label);
		else
			html_printf(
				b,
				"<tr><th scope=\"row\"><a href=\"/rubrics/%lld/versions/%lld\">%s</a></th>",
				(long long)r->id, (long long)e[i].version, label);
		/* A built-in's uses are every district's: none of this reader's business. */
		const char *day = day_of(rq->a, e[i].created_at), *uses = uses_text(rq->a, &e[i]);
		html_printf(b, "<td>%s</td><td>%s</td><td>%s</td></tr>\n", day ? day : "Built in",
			    e[i].created_by_name ? e[i].created_by_name : "",
			    r->builtin_key ? "Every district"
				    : uses ? uses
					   : "Nothing yet");
	}
	html_printf(b, "</tbody></table></div>\n");
}

/* Edit, copy, retire or bring back: each for those who may. */
static void rubric_actions(req *rq, buf *b, const rubric_summary *r, const version_view *vv)
{
	bool edit = r->org_id && vv->may.update;
	bool retire = r->org_id && vv->may.retire;
	const form_option *orgs = vv->copy_to;
	size_t n = vv->ncopy_to;
	if (!edit && !retire && n < 2) return;
	html_printf(b, "<div class=\"actions\">\n");
	if (edit)
		html_printf(b, "<a class=\"button\" href=\"/rubrics/%lld/edit\">Edit the rubric</a>\n",
			    (long long)r->id);
	const char *to = arena_printf(rq->a, "/rubrics/%lld/copy", (long long)r->id);
	for (size_t i = 1; i < n; i++)
		form_button(b, to, rq->actor->csrf, arena_printf(rq->a, "Make a copy for %s", orgs[i].label),
			    NULL, "org_id", orgs[i].value);
	if (retire && r->active)
		form_button(b, arena_printf(rq->a, "/rubrics/%lld/retire", (long long)r->id), rq->actor->csrf,
			    "Retire the rubric",
			    "Retire this rubric? It is no longer offered for new walks or calibrations; "
			    "those using it "
			    "keep it.",
			    NULL, NULL);
	if (retire && !r->active)
		form_button(b, arena_printf(rq->a, "/rubrics/%lld/restore", (long long)r->id),
			    rq->actor->csrf, "Bring the rubric back", NULL, NULL, NULL);
	html_printf(b, "</div>\n");
}

/* The message after a change on this rubric (?ok=), built from the store:
 * the address only chooses among these. */
static const char *rubric_flash(req *rq, const rubric_summary *r, const rubric_version_entry *e, size_t n)
{
	const char *ok = req_query(rq, "ok");
	if (str_eq(ok, "rubric-created")) return "Rubric created.";
	if (str_eq(ok, "rubric-copied")) return "This copy is yours: edit it to write your own descriptors.";
	if (str_eq(ok, "rubric-retired"))
		return "Retired: it is no longer offered for new walks or calibrations; those using it keep "
		       "it.";
	if (str_eq(ok, "rubric-restored")) return "Brought back: it is offered again.";
	if (str_eq(ok, "rubric-unchanged")) return "Nothing in the rubric changed.";
	if (str_eq(ok, "rubric-saved")) return "Saved.";
	if (str_eq(ok, "rubric-versioned")) {
		const rubric_version_entry *prev = entry_of(e, n, r->version - 1);
		const char *uses = prev ? uses_text(rq->a, prev) : NULL;
		return arena_printf(
			rq->a, "Saved as version %lld: version %lld is used by %s and stays as it was.",
			(long long)r->version, (long long)(r->version - 1), uses ? uses : "earlier records");
	}
	return NULL;
}

static void version_page(req *rq, resp *rs, const rubric_summary *r, const rubric_version *v)
{
	version_view vv;
	if (version_view_load(rq, r, v, &vv) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	const rubric_version_entry *e = vv.versions;
	size_t n = vv.nversions;
	bool current = v->id == r->current_version_id;
	const char *title =
		current ? r->name : arena_printf(rq->a, "%s, version %lld", r->name, (long long)v->version);
	buf *b = resp_html(rs, 200);
	layout l = page_layout(rq, title, "rubrics");
	const char *mine = current ? rubric_flash(rq, r, e, n) : NULL;
	if (mine) l.flash = mine;
	layout_begin(b, &l);
	html_printf(b, "<p class=\"crumbs\"><a href=\"/rubrics\">Rubrics</a></p>\n<h1>%s</h1>\n", title);
	if (!current)
		html_printf(
			b,
			"<p class=\"rubric-warning\">This is version %lld, kept as it was for what uses it. "
			"<a href=\"/rubrics/%lld\">The current version is %lld.</a></p>\n",
			(long long)v->version, (long long)r->id, (long long)r->version);
	html_printf(b,
		    "<dl class=\"facts\">\n<dt>Whose</dt><dd>%s</dd>\n<dt>Scale</dt><dd>%s</dd>\n"
		    "<dt>Version</dt><dd>%lld%s</dd>\n<dt>Offered</dt><dd>%s</dd>\n</dl>\n",
		    whose(r), scale_text(rq->a, v->scale_min, v->scale_max), (long long)v->version,
		    current ? " (current)" : "",
		    r->active ? "Yes: walks and calibrations can use it"
			      : "No: retired, those using it keep it");
	if (v->description && *v->description)
		html_printf(b, "<p class=\"prewrap\">%s</p>\n", v->description);
	if (current) rubric_actions(rq, b, r, &vv);
	levels_table(rq, b, v);
	indicators_table(rq, b, v);
	look_fors_list(b, v);
	codes_dropped_note(rq, b, v, &vv);
	versions_table(rq, b, r, e, n, v->version);
	layout_end(b);
}

/*
** GET /rubrics/{id}
** The current version: whose, scale with labels and descriptors,
** indicators with what each level looks like (a table), look-fors, and
** the versions with what uses each. Edit, copy, retire or bring back for
** those who may.
** Permissions: may(READ, rubric): anyone with a role for a built-in,
** everyone in the district or at the partner for its own; else 404.
*/
void page_rubric(req *rq, resp *rs)
{
	rubric_summary r;
	rubric_version v;
	if (!rubric_load_readable(rq, rs, &r) || !version_load(rq, rs, r.current_version_id, &v)) return;
	version_page(rq, rs, &r, &v);
}

/*
** GET /rubrics/{id}/versions/{n}
** Version n as it was (and is, for the walks and calibrations using it).
** Permissions: as GET /rubrics/{id}; 404 for a version that is not there.
*/
void page_rubric_version(req *rq, resp *rs)
{
	rubric_summary r;
	int64_t id;
	rubric_version v;
	if (!rubric_load_readable(rq, rs, &r) || !rubric_version_param(rq, rs, &r, &id) ||
	    !version_load(rq, rs, id, &v))
		return;
	version_page(rq, rs, &r, &v);
}

/* ---- the builder ---- */

/* What the form carries, as typed, for showing it again. */
typedef struct rubric_form {
	int64_t id;
	int64_t org_id;
	const char *org_name;
	const char *name;
	const char *description;
	const char *scale_min, *scale_max;
	rubric_text text;
	const char *version_note; /* what saving will do, on the edit form */
} rubric_form;

static const char LEVELS_HINT[] =
	"One level a line: LEVEL | Label | what it means (optional). For example: 2 | Developing | Seen in "
	"several moments. A level without a line shows its number alone.";
static const char INDICATORS_HINT[] = "One indicator a line: CODE | Name | Description (optional). Codes are "
				      "1 to 16 letters, digits, '.', '-' "
				      "or '_'. The dashboards follow an indicator by its code across "
				      "versions: keep the code when you reword it.";
static const char DESCRIPTORS_HINT[] = "Optional. What an indicator looks like at a level, one a line: CODE "
				       "| LEVEL | Descriptor. For example: "
				       "TRU2 | 3 | Students wrestle with the central idea.";
static const char LOOK_FORS_HINT[] = "Optional checklist items observers count. One a line: the text for the "
				     "whole lesson, or CODE | Text for "
				     "one indicator.";

/* owners: for a new rubric, the districts and partners where the asker
 * may create one. */
static void builder_fields(req *rq, buf *b, const rubric_form *f, const form_option *owners, size_t nowners,
			   const form_errors *e)
{
	form_input(b, "text", "name", "Name", f->name, true, NULL, e);
	if (!f->id) {
		form_select(b, "org_id", "Whose rubric", owners, nowners,
			    f->org_id ? arena_printf(rq->a, "%lld", (long long)f->org_id) : "", true, e);
	} else {
		html_printf(b, "<p><strong>Whose rubric:</strong> %s</p>\n", f->org_name ? f->org_name : "");
	}
	form_textarea(b, "description", "Description (optional)", f->description, false,
		      "What the rubric is for and how observers use it.", e);
	html_printf(b, "<fieldset class=\"rubric-scale\">\n<legend>Scale</legend>\n");
	form_input(b, "number", "scale_min", "Lowest level", f->scale_min, true, "Often 0 or 1.", e);
	form_input(b, "number", "scale_max", "Highest level", f->scale_max, true, "2 to 10 levels in all.",
		   e);
	html_printf(b, "</fieldset>\n<div class=\"template-lines\">\n");
	form_textarea(b, "levels", "Level labels", f->text.levels, false, LEVELS_HINT, e);
	form_textarea(b, "indicators", "Indicators", f->text.indicators, true, INDICATORS_HINT, e);
	form_textarea(b, "descriptors", "What each level looks like, by indicator", f->text.descriptors,
		      false, DESCRIPTORS_HINT, e);
	form_textarea(b, "look_fors", "Look-fors", f->text.look_fors, false, LOOK_FORS_HINT, e);
	html_printf(b, "</div>\n");
}

static void builder_page(req *rq, resp *rs, int status, const rubric_form *f, const form_errors *e)
{
	const char *title = f->id
		? arena_printf(rq->a, "Edit %s", f->name && *f->name ? f->name : "the rubric")
		: "New rubric";
	form_option *owners = NULL;
	size_t nowners = 0;
	if (!f->id && rubric_org_choices(rq, &owners, &nowners) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	buf *b = resp_html(rs, status);
	layout l = page_layout(rq, title, "rubrics");
	layout_begin(b, &l);
	html_printf(b, "<p class=\"crumbs\"><a href=\"/rubrics\">Rubrics</a>");
	if (f->id)
		html_printf(b, " › <a href=\"/rubrics/%lld\">%s</a>", (long long)f->id,
			    f->name ? f->name : "");
	html_printf(b, "</p>\n<h1>%s</h1>\n", title);
	if (f->version_note) html_printf(b, "<p class=\"rubric-warning\">%s</p>\n", f->version_note);
	form_begin(b, f->id ? arena_printf(rq->a, "/rubrics/%lld", (long long)f->id) : "/rubrics",
		   rq->actor->csrf, e);
	builder_fields(rq, b, f, owners, nowners, e);
	form_end(b, f->id ? "Save the rubric" : "Create the rubric");
	layout_end(b);
}

/* What saving will do to the current version: said before the person saves. */
static store_rc version_note(req *rq, const rubric_summary *r, const char **note)
{
	rubric_version_entry *e;
	size_t n;
	/* In use counts observations inside coaching cycles too, which no
	 * count on this page shows: say that it is used, not by what. */
	bool used = false;
	store_rc rc = rubric_versions(rq->db, rq->a, r->id, &e, &n);
	if (rc == STORE_OK) rc = rubric_version_in_use(rq->db, rq->a, r->current_version_id, &used);
	if (rc != STORE_OK) return rc;
	const rubric_version_entry *cur = entry_of(e, n, r->version);
	const char *uses = cur ? uses_text(rq->a, cur) : NULL;
	if (!used)
		*note = arena_printf(rq->a, "Nothing uses version %lld yet: saving changes it in place.",
				     (long long)r->version);
	else if (!uses)
		*note = arena_printf(rq->a,
				     "Version %lld is in use: saving writes version %lld, and what uses "
				     "version %lld keeps it.",
				     (long long)r->version, (long long)(r->version + 1),
				     (long long)r->version);
	else
		*note = arena_printf(
			rq->a,
			"Version %lld is used by %s: saving writes version %lld, and they keep version %lld.",
			(long long)r->version, uses, (long long)(r->version + 1), (long long)r->version);
	return STORE_OK;
}

static rubric_form form_of_version(req *rq, const rubric_summary *r, const rubric_version *v)
{
	rubric_input in;
	rubric_input_of_version(rq->a, v, &in);
	return (rubric_form){.id = r->id,
			     .org_id = r->org_id,
			     .org_name = r->org_name,
			     .name = r->name,
			     .description = v->description,
			     .scale_min = arena_printf(rq->a, "%lld", (long long)v->scale_min),
			     .scale_max = arena_printf(rq->a, "%lld", (long long)v->scale_max),
			     .text = rubric_text_of(rq->a, &in)};
}

/* The problems of the check, beside the fields that hold them. */
static void page_errors(const rubric_problem *p, size_t n, form_errors *e)
{
	for (size_t i = 0; i < n; i++)
		form_error_add(e, str_eq(p[i].field, "scale") ? "scale_max" : p[i].field, p[i].message);
}

static void scale_end(req *rq, const char *field, const char *what, int64_t *out, form_errors *e)
{
	const char *s = text_trim(rq->a, req_form(rq, field));
	if (!s || !parse_i64(s, RUBRIC_SCALE_LOW, RUBRIC_SCALE_HIGH, out))
		form_error_add(
			e, field,
			arena_printf(rq->a, "Write the %s level as a whole number from -100 to 100.", what));
}

/* The rubric the form describes; the form's own problems (a line that does
 * not read, a scale that is no number) in e. */
static rubric_input input_of_form(req *rq, rubric_form *f, form_errors *e)
{
	rubric_input in = {.org_id = f->org_id};
	f->name = req_form(rq, "name");
	f->description = req_form(rq, "description");
	f->scale_min = req_form(rq, "scale_min");
	f->scale_max = req_form(rq, "scale_max");
	f->text = (rubric_text){req_form(rq, "levels"), req_form(rq, "indicators"),
				req_form(rq, "descriptors"), req_form(rq, "look_fors")};
	in.name = text_trim(rq->a, f->name);
	in.description = text_trim(rq->a, f->description);
	scale_end(rq, "scale_min", "lowest", &in.scale_min, e);
	scale_end(rq, "scale_max", "highest", &in.scale_max, e);
	rubric_problem p[RUBRIC_PROBLEMS_MAX];
	size_t n = rubric_text_parse(rq->a, &f->text, &in, p);
	page_errors(p, n, e);
	return in;
}

/* The form again with 400, or on to where the result shows. */
static bool builder_failed(req *rq, resp *rs, const rubric_form *f, const outcome *o)
{
	if (o->status != 400) return outcome_answered(rq, rs, o);
	form_errors shown = {0};
	for (size_t i = 0; i < o->errors.n; i++)
		form_error_add(&shown,
			       str_eq(o->errors.items[i].field, "scale") ? "scale_max"
									 : o->errors.items[i].field,
			       o->errors.items[i].message);
	if (!shown.n) form_error_add(&shown, o->field, o->message);
	builder_page(rq, rs, 400, f, &shown);
	return true;
}

/* Read-only people hear so before they see a form. */
static bool may_build(req *rq, resp *rs)
{
	if (may_act_somewhere(rq, REC_RUBRIC, ACT_CREATE)) return true;
	resp_error(rq, rs, 403, "forbidden", "you may not write rubrics", NULL);
	return false;
}

/*
** GET /rubrics/new
** The builder: name, whose (a district or partner), description, scale,
** level labels, indicators, descriptors and look-fors, one a line.
** Permissions: may(CREATE, rubric) somewhere, else 403.
*/
void page_rubric_new(req *rq, resp *rs)
{
	if (!may_build(rq, rs)) return;
	size_t n;
	form_option *o;
	if (rubric_org_choices(rq, &o, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	rubric_form f = {.scale_min = "1",
			 .scale_max = "4",
			 .text = {.levels = "1 | Not yet\n2 | Beginning\n3 | Developing\n4 | Established\n"}};
	if (n == 2) parse_i64(o[1].value, 1, INT64_MAX, &f.org_id); /* the only choice, chosen */
	form_errors none = {0};
	builder_page(rq, rs, 200, &f, &none);
}

/*
** POST /rubrics (form: name, org_id, description, scale_min, scale_max,
** levels, indicators, descriptors, look_fors, csrf)
** 303 to the new rubric; the form again with 400 beside the field, the
** person's input kept (a box's problem names its line).
** Permissions: may(CREATE, rubric) at the district or partner.
*/
void page_rubric_create(req *rq, resp *rs)
{
	if (!may_build(rq, rs)) return;
	rubric_form f = {0};
	form_errors e = {0};
	const char *org_id = text_trim(rq->a, req_form(rq, "org_id"));
	if (!org_id || !parse_i64(org_id, 1, INT64_MAX, &f.org_id))
		form_error_add(&e, "org_id", "Choose the district or partner whose rubric it is.");
	rubric_input in = input_of_form(rq, &f, &e);
	outcome o = {0};
	rubric_saved saved;
	if (e.n) {
		o.errors = e;
		outcome_invalid(&o);
	} else {
		rubric_save_new(rq, &in, &saved, &o);
	}
	if (builder_failed(rq, rs, &f, &o)) return;
	resp_redirect(rs, 303,
		      arena_printf(rq->a, "/rubrics/%lld?ok=rubric-created", (long long)saved.rubric_id));
}

/*
** GET /rubrics/{id}/edit
** The builder with the current version, and what saving will do: change
** it in place (nothing uses it yet) or write the next version.
** Permissions: may(UPDATE, rubric) at its org, else 403 (404 when it may
** not be read; built-ins 403).
*/
void page_rubric_edit(req *rq, resp *rs)
{
	rubric_summary r;
	rubric_version v;
	if (!rubric_load_writable(rq, rs, &r) || !version_load(rq, rs, r.current_version_id, &v)) return;
	rubric_form f = form_of_version(rq, &r, &v);
	if (version_note(rq, &r, &f.version_note) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	form_errors none = {0};
	builder_page(rq, rs, 200, &f, &none);
}

/*
** POST /rubrics/{id} (form: name, description, scale_min, scale_max,
** levels, indicators, descriptors, look_fors, csrf)
** 303 to the rubric, saying whether the version changed in place or a new
** one was written (and which codes the dashboards stop following); the
** form again with 400 beside the field; 409 when someone saved it at the
** same moment.
** Permissions: may(UPDATE, rubric) at its org; built-ins 403.
*/
void page_rubric_update(req *rq, resp *rs)
{
	rubric_summary r;
	if (!rubric_load_writable(rq, rs, &r)) return;
	rubric_form f = {.id = r.id, .org_id = r.org_id, .org_name = r.org_name};
	if (version_note(rq, &r, &f.version_note) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	form_errors e = {0};
	rubric_input in = input_of_form(rq, &f, &e);
	outcome o = {0};
	rubric_saved saved = {0};
	if (e.n) {
		o.errors = e;
		outcome_invalid(&o);
	} else {
		const char **removed;
		size_t nremoved;
		rubric_save(rq, r.id, &in, &saved, &removed, &nremoved, &o);
	}
	if (builder_failed(rq, rs, &f, &o)) return;
	const char *ok = saved.new_version ? "rubric-versioned"
		: saved.changed            ? "rubric-saved"
					   : "rubric-unchanged";
	if (!saved.changed && !str_eq(in.name, r.name)) ok = "rubric-saved";
	resp_redirect(rs, 303, arena_printf(rq->a, "/rubrics/%lld?ok=%s", (long long)r.id, ok));
}

/*
** POST /rubrics/{id}/copy (form: org_id, csrf)
** 303 to the copy: version 1 of a new rubric of that district or partner,
** saying what the current version of this one says.
** Permissions: may(READ) of this rubric (else 404), may(CREATE, rubric)
** at org_id (else 403).
*/
void page_rubric_copy(req *rq, resp *rs)
{
	rubric_summary r;
	if (!rubric_load_readable(rq, rs, &r)) return;
	int64_t org_id = 0;
	const char *s = text_trim(rq->a, req_form(rq, "org_id"));
	if (s) parse_i64(s, 1, INT64_MAX, &org_id);
	rubric_saved saved;
	outcome o;
	rubric_make_copy(rq, r.id, org_id, NULL, &saved, &o);
	if (outcome_answered(rq, rs, &o)) return;
	resp_redirect(rs, 303,
		      arena_printf(rq->a, "/rubrics/%lld?ok=rubric-copied", (long long)saved.rubric_id));
}

static void retire_change(req *rq, resp *rs, bool active)
{
	rubric_summary r;
	if (!rubric_load_readable(rq, rs, &r)) return;
	outcome o;
	rubric_retire(rq, r.id, active, &o);
	outcome_redirect(rq, rs, &o,
			 arena_printf(rq->a, "/rubrics/%lld?ok=%s", (long long)r.id,
				      active ? "rubric-restored" : "rubric-retired"));
}

/*
** POST /rubrics/{id}/retire (form: csrf)
** 303 to the rubric: no longer offered for new walks or calibrations; its
** versions keep working. 409 when already retired.
** Permissions: may(DEACTIVATE, rubric) at its org; built-ins 403.
*/
void page_rubric_retire(req *rq, resp *rs)
{
	retire_change(rq, rs, false);
}

/*
** POST /rubrics/{id}/restore (form: csrf)
** 303 to the rubric, offered again. 409 when it is not retired.
** Permissions: may(DEACTIVATE, rubric) at its org; built-ins 403.
*/
void page_rubric_restore(req *rq, resp *rs)
{
	retire_change(rq, rs, true);
}
