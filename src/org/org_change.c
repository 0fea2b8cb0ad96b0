/* Creating, changing and deactivating organizations, as the pages and the
 * API both do it: may() first, then the checks, then one transaction that
 * writes the change and its audit entry together (or nothing). */
#include <string.h>

#include "../base/util.h"
#include "../web/app.h"
#include "org.h"

bool may_create_org_in(const req *rq, int64_t district_id)
{
	place p = {0, district_id, 0};
	record r = org_record(district_id ? &p : NULL);
	return may(rq->actor, ACT_CREATE, &r);
}

bool may_org(const req *rq, action act, const org *o)
{
	place p = org_place(o->kind, o->id, o->parent_id);
	record r = org_record(&p);
	return may(rq->actor, act, &r);
}

/* The parent a school names must be an active district. */
static store_rc check_parent_exists(req *rq, const org_input *in, form_errors *e)
{
	if (!str_eq(in->kind, "school") || !in->parent_id || form_error_for(e, "parent_id")) return STORE_OK;
	org parent;
	bool found;
	store_rc rc = org_get(rq->db, rq->a, in->parent_id, &parent, &found);
	if (rc != STORE_OK) return rc;
	if (!found || !parent.active || !str_eq(parent.kind, "district"))
		form_error_add(e, "parent_id", "There is no active district with that id.");
	return STORE_OK;
}

void org_create(req *rq, const org_input *in, outcome *out)
{
	*out = (outcome){0};
	if (!may_act_somewhere(rq, REC_ORG, ACT_CREATE)) {
		outcome_fail(out, 403, "forbidden", "You may not create organizations.", NULL);
		return;
	}
	org_check(in, &out->errors);
	if (check_parent_exists(rq, in, &out->errors) != STORE_OK) {
		outcome_store_failed(rq, out, false);
		return;
	}
	if (out->errors.n) {
		outcome_invalid(out);
		return;
	}
	bool school = str_eq(in->kind, "school");
	if (!may_create_org_in(rq, school ? in->parent_id : 0)) {
		outcome_fail(out, 403, "forbidden",
			     school ? "You may not create a school in that district."
				    : "You may not create a district or a partner.",
			     school ? "parent_id" : "kind");
		return;
	}
	int64_t id = 0;
	if (!change_begin(rq, out)) return;
	store_rc rc = org_insert(rq->db, rq->a, in, &id);
	place p = org_place(in->kind, id, in->parent_id);
	change_commit(rq, rc, REC_ORG, "org.create", id, change_home(&p),
		      arena_printf(rq->a, "%s %s", in->kind, in->name), out);
	if (!out->status) out->id = id;
}

void org_change(req *rq, const org *old, const org_input *in, outcome *out)
{
	*out = (outcome){.id = old->id};
	if (!may_org(rq, ACT_UPDATE, old)) {
		outcome_fail(out, 403, "forbidden", "You may not change this organization.", NULL);
		return;
	}
	if (!str_eq(in->kind, old->kind))
		form_error_add(&out->errors, "kind", "The kind of an organization cannot change.");
	org_check(in, &out->errors);
	if (check_parent_exists(rq, in, &out->errors) != STORE_OK) {
		outcome_store_failed(rq, out, false);
		return;
	}
	if (out->errors.n) {
		outcome_invalid(out);
		return;
	}
	/* A school moving to another district: that district must allow it too. */
	org moved = *old;
	moved.parent_id = in->parent_id;
	if (in->parent_id != old->parent_id && !may_org(rq, ACT_UPDATE, &moved)) {
		outcome_fail(out, 403, "forbidden", "You may not move the school into that district.",
			     "parent_id");
		return;
	}
	place p = org_place(old->kind, old->id, in->parent_id);
	if (!change_begin(rq, out)) return;
	change_commit(rq, org_update(rq->db, rq->a, old->id, in), REC_ORG, "org.update", old->id,
		      change_home(&p), in->name, out);
}

void org_retire(req *rq, const org *o, outcome *out)
{
	*out = (outcome){.id = o->id};
	if (!may_org(rq, ACT_DEACTIVATE, o)) {
		outcome_fail(out, 403, "forbidden", "You may not deactivate this organization.", NULL);
		return;
	}
	if (!o->active) return; /* already done: a second click changes nothing */
	org *schools;
	size_t n;
	if (org_children(rq->db, rq->a, o->id, &schools, &n) != STORE_OK) {
		outcome_store_failed(rq, out, false);
		return;
	}
	if (n) {
		outcome_fail(out, 409, "has_schools",
			     arena_printf(rq->a, "%s still has %zu active school%s; deactivate %s first.",
					  o->name, n, n == 1 ? "" : "s", n == 1 ? "it" : "them"),
			     NULL);
		return;
	}
	place p = org_place(o->kind, o->id, o->parent_id);
	if (!change_begin(rq, out)) return;
	change_commit(rq, org_deactivate(rq->db, rq->a, o->id), REC_ORG, "org.deactivate", o->id,
		      change_home(&p), o->name, out);
}

store_rc org_parent_choices(req *rq, org **out, size_t *n)
{
	visibility v;
	policy_visibility(rq->actor, ACT_READ, REC_ORG, &v);
	org *all;
	size_t nall;
	store_rc rc = org_choices(rq->db, rq->a, "district", &v, &all, &nall);
	if (rc != STORE_OK) return rc;
	org *list = arena_calloc(rq->a, nall ? nall : 1, sizeof *list);
	size_t k = 0;
	for (size_t i = 0; i < nall; i++)
		if (may_create_org_in(rq, all[i].id)) list[k++] = all[i];
	*out = list;
	*n = k;
	return STORE_OK;
}

bool org_filter_read(req *rq, resp *rs, org_filter *f)
{
	f->kind = req_query(rq, "kind");
	f->q = req_query(rq, "q");
	if (f->kind && !*f->kind) f->kind = NULL;
	if (f->q && !*f->q) f->q = NULL;
	if (f->kind && !org_kind_valid(f->kind)) {
		resp_error(rq, rs, 400, "bad_kind", "kind must be one of partner, district or school",
			   "kind");
		return false;
	}
	if (f->q && strlen(f->q) > SEARCH_MAX_BYTES) {
		resp_error(rq, rs, 400, "bad_query", "the search is longer than 200 characters", "q");
		return false;
	}
	return true;
}

store_rc org_visible(req *rq, const org_filter *f, org **out, size_t *n)
{
	visibility v;
	policy_visibility(rq->actor, ACT_READ, REC_ORG, &v);
	org *list;
	size_t all;
	store_rc rc = org_list(rq->db, rq->a, f, &v, &list, &all);
	if (rc != STORE_OK) return rc;
	size_t k = 0;
	for (size_t i = 0; i < all; i++)
		if (may_org(rq, ACT_READ, &list[i])) list[k++] = list[i];
	*out = list;
	*n = k;
	return STORE_OK;
}

bool org_load(req *rq, resp *rs, org *o)
{
	int64_t id;
	if (!param_id(rq, rs, "id", &id)) return false;
	bool found;
	if (org_get(rq->db, rq->a, id, o, &found) != STORE_OK) {
		resp_store_failed(rq, rs);
		return false;
	}
	if (!found || !may_org(rq, ACT_READ, o)) {
		resp_error(rq, rs, 404, "not_found", "there is no such organization", NULL);
		return false;
	}
	return true;
}
