/* Rubrics, the checked changes: who may write a rubric (may() with the
 * rubric's place), the rules (rubric_input_check), one transaction with
 * its audit entry. The builder's pages and the API both come through
 * here. Built-ins belong nowhere: anyone with a role reads them, nobody
 * writes them, a district copies one to make it its own. */
#include <string.h>

#include "../base/util.h"
#include "../org/org.h"
#include "../web/app.h"
#include "rubric_web.h"

/* Where a rubric of org_id sits: nowhere (built in, 0), a district, or a
 * partner. false for any other org. */
static bool rubric_place(req *rq, int64_t org_id, place *p, size_t *nplaces, bool *active, store_rc *rc)
{
	*nplaces = 0;
	*active = true;
	*rc = STORE_OK;
	if (!org_id) return true;
	org o;
	bool found = false;
	if ((*rc = org_get(rq->db, rq->a, org_id, &o, &found)) != STORE_OK || !found) return false;
	bool district = str_eq(o.kind, "district"), partner = str_eq(o.kind, "partner");
	*p = (place){o.id, district ? o.id : 0, partner ? o.id : 0};
	*nplaces = 1;
	*active = o.active;
	return district || partner;
}

store_rc rubric_rights_of(req *rq, int64_t org_id, rubric_rights *out)
{
	place p;
	size_t n;
	bool active;
	store_rc rc;
	*out = (rubric_rights){0};
	if (!rubric_place(rq, org_id, &p, &n, &active, &rc)) return rc;
	record r = {.kind = REC_RUBRIC, .places = &p, .nplaces = n};
	out->read = may(rq->actor, ACT_READ, &r);
	out->update = may(rq->actor, ACT_UPDATE, &r);
	out->retire = may(rq->actor, ACT_DEACTIVATE, &r);
	return STORE_OK;
}

store_rc rubric_org_choices(req *rq, form_option **out, size_t *n)
{
	return creatable_org_choices(rq, REC_RUBRIC, false, out, n);
}

/* The built-ins and the rubrics of the places the asker reads, each
 * through may(); a retired one only for those who may bring it back. */
store_rc rubrics_visible(req *rq, rubric_summary **out, size_t *n)
{
	visibility v;
	policy_visibility(rq->actor, ACT_READ, REC_RUBRIC, &v);
	rubric_summary *list;
	size_t all;
	store_rc rc = rubric_list(rq->db, rq->a, v.districts, v.ndistricts, true, &list, &all);
	if (rc != STORE_OK) return rc;
	*n = 0;
	for (size_t i = 0; i < all; i++) {
		rubric_rights rights;
		rc = rubric_rights_of(rq, list[i].org_id, &rights);
		if (rc != STORE_OK) return rc;
		if (rights.read && (list[i].active || rights.retire)) list[(*n)++] = list[i];
	}
	*out = list;
	return STORE_OK;
}

void rubric_problems_to_errors(const rubric_problem *p, size_t n, form_errors *e)
{
	for (size_t i = 0; i < n; i++) form_error_add(e, p[i].field, p[i].message);
}

static const char NOT_FOUND[] = "There is no such rubric.";

/* The rubric the change is about, readable by the asker (else 404), and
 * what else the asker may do with it; a failed read is the store's 500. */
static bool rubric_found(req *rq, int64_t id, rubric_summary *r, rubric_rights *rights, outcome *out)
{
	bool found = false;
	if (!change_asked(rq, out, rubric_get(rq->db, rq->a, id, r, &found))) return false;
	if (found && !change_asked(rq, out, rubric_rights_of(rq, r->org_id, rights))) return false;
	if (found && rights->read) return true;
	outcome_fail(out, 404, "not_found", NOT_FOUND, NULL);
	return false;
}

/* The org a new rubric or copy is for: an active district or partner where
 * the asker may create rubrics. 400 for anything else, 403 without the
 * power there. */
static bool org_writable(req *rq, int64_t org_id, place *p, outcome *out)
{
	size_t n;
	bool active;
	store_rc rc = STORE_OK;
	bool ok = org_id && rubric_place(rq, org_id, p, &n, &active, &rc);
	if (!change_asked(rq, out, rc)) return false;
	if (!ok || !active) {
		outcome_invalid_field(out, "org_id", "Choose the district or partner whose rubric it is.");
		return false;
	}
	record r = {.kind = REC_RUBRIC, .places = p, .nplaces = 1};
	if (may(rq->actor, ACT_CREATE, &r)) return true;
	outcome_fail(out, 403, "forbidden", "You may not write rubrics for this organization.", "org_id");
	return false;
}

static bool input_checked(req *rq, const rubric_input *in, outcome *out)
{
	rubric_problem p[RUBRIC_PROBLEMS_MAX];
	size_t n = rubric_input_check(rq->a, in, p);
	if (!n) return true;
	rubric_problems_to_errors(p, n, &out->errors);
	outcome_invalid(out);
	return false;
}

/* Ends the change: audit entry and commit. Two saves of one rubric that
 * both write its next version meet at the version's uniqueness: the
 * second hears 409 and nothing of it is kept. */
static void rubric_commit(req *rq, store_rc rc, const char *what, int64_t id, int64_t home,
			  const char *detail, outcome *out)
{
	if (rc == STORE_CONSTRAINT) {
		store_rollback(rq->db);
		outcome_fail(out, 409, "conflict",
			     "Someone saved this rubric at the same moment; nothing of yours was kept. Open "
			     "it again.",
			     NULL);
		return;
	}
	change_commit(rq, rc, REC_RUBRIC, what, id, home, detail, out);
}

void rubric_save_new(req *rq, rubric_input *in, rubric_saved *saved, outcome *out)
{
	*out = (outcome){0};
	*saved = (rubric_saved){0};
	place p;
	if (!org_writable(rq, in->org_id, &p, out) || !input_checked(rq, in, out) || !change_begin(rq, out))
		return;
	store_rc rc = rubric_create(rq->db, rq->a, in, actor_id(rq), saved);
	out->id = saved->rubric_id;
	rubric_commit(rq, rc, "rubric.create", saved->rubric_id, change_home(&p),
		      arena_printf(rq->a, "%s: %zu indicators", in->name, in->nindicators), out);
}

void rubric_save(req *rq, int64_t rubric_id, rubric_input *in, rubric_saved *saved, const char ***removed,
		 size_t *nremoved, outcome *out)
{
	*out = (outcome){.id = rubric_id};
	*saved = (rubric_saved){0};
	*nremoved = 0;
	rubric_summary r;
	rubric_rights may_do;
	if (!rubric_found(rq, rubric_id, &r, &may_do, out)) return;
	if (!r.org_id || !may_do.update) {
		outcome_fail(out, 403, "forbidden",
			     r.org_id ? "You may not change this rubric."
				      : "A built-in framework never changes: make a copy for your district "
					"and change that.",
			     NULL);
		return;
	}
	if (in->org_id && in->org_id != r.org_id) {
		outcome_invalid_field(out, "org_id",
				      "A rubric stays with the district or partner that wrote it.");
		return;
	}
	in->org_id = r.org_id;
	if (!input_checked(rq, in, out)) return;
	rubric_version old;
	bool found = false;
	if (!change_asked(rq, out, rubric_version_load(rq->db, rq->a, r.current_version_id, &old, &found)))
		return;
	*nremoved = found ? rubric_codes_removed(rq->a, &old, in, removed) : 0;
	place p;
	size_t n;
	bool active;
	store_rc rc;
	rubric_place(rq, r.org_id, &p, &n, &active, &rc);
	if (!change_asked(rq, out, rc) || !change_begin(rq, out)) return;
	rc = rubric_update(rq->db, rq->a, rubric_id, in, actor_id(rq), saved);
	const char *detail = !saved->changed ? "name only"
		: saved->new_version
		? arena_printf(rq->a, "version %lld made", (long long)saved->version)
		: arena_printf(rq->a, "version %lld changed in place", (long long)saved->version);
	rubric_commit(rq, rc, "rubric.update", rubric_id, change_home(&p), detail, out);
}

void rubric_make_copy(req *rq, int64_t rubric_id, int64_t org_id, const char *name, rubric_saved *saved,
		      outcome *out)
{
	*out = (outcome){0};
	*saved = (rubric_saved){0};
	rubric_summary r;
	place p;
	rubric_rights may_do;
	if (!rubric_found(rq, rubric_id, &r, &may_do, out) || !org_writable(rq, org_id, &p, out)) return;
	org o;
	bool found = false;
	if (!change_asked(rq, out, org_get(rq->db, rq->a, org_id, &o, &found))) return;
	if (!name || !*name) {
		name = arena_printf(rq->a, "%s (%s)", r.name, found ? o.name : "copy");
		rubric_input only = {.name = name};
		rubric_problem pr[RUBRIC_PROBLEMS_MAX];
		/* A long name and a long org name may not fit together. */
		size_t np = rubric_input_check(rq->a, &only, pr);
		if (np && str_eq(pr[0].field, "name")) name = r.name;
	}
	rubric_version v;
	if (!change_asked(rq, out, rubric_version_load(rq->db, rq->a, r.current_version_id, &v, &found)))
		return;
	rubric_input in;
	rubric_input_of_version(rq->a, &v, &in);
	in.org_id = org_id;
	in.name = name;
	if (!input_checked(rq, &in, out) || !change_begin(rq, out)) return;
	store_rc rc = rubric_copy(rq->db, rq->a, r.current_version_id, org_id, name, actor_id(rq), saved);
	out->id = saved->rubric_id;
	rubric_commit(rq, rc, "rubric.copy", saved->rubric_id, change_home(&p),
		      arena_printf(rq->a, "copy of rubric %lld version %lld", (long long)r.id,
				   (long long)r.version),
		      out);
}

void rubric_retire(req *rq, int64_t rubric_id, bool active, outcome *out)
{
	*out = (outcome){.id = rubric_id};
	rubric_summary r;
	rubric_rights may_do;
	if (!rubric_found(rq, rubric_id, &r, &may_do, out)) return;
	if (!r.org_id || !may_do.retire) {
		outcome_fail(out, 403, "forbidden",
			     r.org_id ? "You may not retire or bring back this rubric."
				      : "A built-in framework is always offered.",
			     NULL);
		return;
	}
	if (r.active == active) {
		outcome_fail(out, 409, "conflict",
			     active ? "This rubric is already offered." : "This rubric is already retired.",
			     NULL);
		return;
	}
	place p;
	size_t n;
	bool org_active;
	store_rc rc;
	rubric_place(rq, r.org_id, &p, &n, &org_active, &rc);
	if (!change_asked(rq, out, rc) || !change_begin(rq, out)) return;
	rc = rubric_set_active(rq->db, rq->a, rubric_id, active);
	change_commit(rq, rc, REC_RUBRIC, active ? "rubric.restore" : "rubric.retire", rubric_id,
		      change_home(&p), r.name, out);
}

/* ---- what the pages and the API both load ---- */

/* The rubric of {id} when the asker may read it, and what else they may
 * do to it; 404 otherwise, 500 when the store fails. */
static bool rubric_loaded(req *rq, resp *rs, rubric_summary *r, rubric_rights *rights)
{
	int64_t id;
	bool found = false;
	*rights = (rubric_rights){0};
	if (!param_id(rq, rs, "id", &id)) return false;
	if (rubric_get(rq->db, rq->a, id, r, &found) != STORE_OK ||
	    (found && rubric_rights_of(rq, r->org_id, rights) != STORE_OK)) {
		resp_store_failed(rq, rs);
		return false;
	}
	if (found && rights->read) return true;
	resp_error(rq, rs, 404, "not_found", "there is no such rubric", NULL);
	return false;
}

bool rubric_load_readable(req *rq, resp *rs, rubric_summary *r)
{
	rubric_rights rights;
	return rubric_loaded(rq, rs, r, &rights);
}

bool rubric_load_writable(req *rq, resp *rs, rubric_summary *r)
{
	rubric_rights rights;
	if (!rubric_loaded(rq, rs, r, &rights)) return false;
	if (r->org_id && rights.update) return true;
	resp_error(
		rq, rs, 403, "forbidden",
		r->org_id
			? "you may not change this rubric"
			: "a built-in framework never changes: make a copy for your district and change that",
		NULL);
	return false;
}

bool rubric_version_param(req *rq, resp *rs, const rubric_summary *r, int64_t *version_id)
{
	int64_t number;
	*version_id = 0;
	if (parse_i64(req_param(rq, "n"), 1, INT64_MAX, &number) &&
	    rubric_version_numbered(rq->db, rq->a, r->id, number, version_id) != STORE_OK) {
		resp_store_failed(rq, rs);
		return false;
	}
	if (*version_id) return true;
	resp_error(rq, rs, 404, "not_found", "there is no such version of this rubric", NULL);
	return false;
}

bool rubric_version_pinned(req *rq, resp *rs, int64_t version_id, rubric_version *v)
{
	bool found = false;
	if (rubric_version_load(rq->db, rq->a, version_id, v, &found) == STORE_OK && found) return true;
	resp_store_failed(rq, rs);
	return false;
}
