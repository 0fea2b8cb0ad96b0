/* Creating, changing and deactivating organizations, as the pages and the
 * API both do it: may() first, then the checks, then one transaction that
 * writes the change and its audit entry together (or nothing). */
#include <string.h>

#include "../access/audit.h"
#include "../base/log.h"
#include "../base/util.h"
#include "../web/app.h"
#include "org.h"

void outcome_fail(outcome *o, int status, const char *code, const char *message,
		  const char *field)
{
	o->status = status;
	o->code = code;
	o->message = message;
	o->field = field;
}

void outcome_respond(req *rq, resp *rs, const outcome *o)
{
	if (o->status >= 500) {
		resp_store_failed(rq, rs);
	} else if (o->status == 400 && o->errors.n) {
		if (rq->api) {
			resp_form_invalid(rq, rs, &o->errors);
			return;
		}
		resp_error(rq, rs, 400, "invalid", o->errors.items[0].message, o->errors.items[0].field);
	} else {
		resp_error(rq, rs, o->status, o->code, o->message, o->field);
	}
}

static void invalid(outcome *o)
{
	outcome_fail(o, 400, "invalid", o->errors.items[0].message, o->errors.items[0].field);
}

static void store_failed(req *rq, outcome *o, bool in_tx)
{
	/* The cause is logged before the rollback can replace it. */
	log_line("store: %s %s: %s", rq->method, rq->path, store_errmsg(rq->db));
	if (in_tx) store_rollback(rq->db);
	outcome_fail(o, 500, "store_failed", "something went wrong while saving; nothing was changed",
		     NULL);
}

/* Whose audit log an org's changes belong in: its district, or the
 * partner itself. */
static int64_t audit_home(const place *p)
{
	return p->district_id ? p->district_id : p->partner_id;
}

static store_rc audit_org(req *rq, const char *what, int64_t id, const place *p,
			  const char *detail)
{
	audit_event e = {what, record_kind_name(REC_ORG), id, audit_home(p), detail};
	return audit_record(rq->db, rq->actor, rq->remote, &e);
}

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

bool may_act_on_orgs(const req *rq, action act)
{
	visibility v;
	policy_visibility(rq->actor, act, REC_ORG, &v);
	return v.all || v.overflow || v.unplaced || v.ndistricts || v.norgs;
}

/* The parent a school names must be an active district. */
static store_rc check_parent_exists(req *rq, const org_input *in, form_errors *e)
{
	if (!str_eq(in->kind, "school") || !in->parent_id || form_error_for(e, "parent_id"))
		return STORE_OK;
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
	if (!may_act_on_orgs(rq, ACT_CREATE)) {
		outcome_fail(out, 403, "forbidden", "You may not create organizations.", NULL);
		return;
	}
	org_check(in, &out->errors);
	if (check_parent_exists(rq, in, &out->errors) != STORE_OK) {
		store_failed(rq, out, false);
		return;
	}
	if (out->errors.n) {
		invalid(out);
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
	if (store_begin(rq->db) != STORE_OK) {
		store_failed(rq, out, false);
		return;
	}
	bool ok = org_insert(rq->db, rq->a, in, &id) == STORE_OK;
	if (ok) {
		place p = org_place(in->kind, id, in->parent_id);
		ok = audit_org(rq, "org.create", id, &p,
			       arena_printf(rq->a, "%s %s", in->kind, in->name)) == STORE_OK &&
		     store_commit(rq->db) == STORE_OK;
	}
	if (!ok) {
		store_failed(rq, out, true);
		return;
	}
	out->id = id;
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
		store_failed(rq, out, false);
		return;
	}
	if (out->errors.n) {
		invalid(out);
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
	if (store_begin(rq->db) != STORE_OK) {
		store_failed(rq, out, false);
		return;
	}
	if (org_update(rq->db, rq->a, old->id, in) != STORE_OK ||
	    audit_org(rq, "org.update", old->id, &p, in->name) != STORE_OK ||
	    store_commit(rq->db) != STORE_OK)
		store_failed(rq, out, true);
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
		store_failed(rq, out, false);
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
	if (store_begin(rq->db) != STORE_OK) {
		store_failed(rq, out, false);
		return;
	}
	if (org_deactivate(rq->db, rq->a, o->id) != STORE_OK ||
	    audit_org(rq, "org.deactivate", o->id, &p, o->name) != STORE_OK ||
	    store_commit(rq->db) != STORE_OK)
		store_failed(rq, out, true);
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
