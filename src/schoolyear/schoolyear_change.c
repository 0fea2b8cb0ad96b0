/* Creating, changing and deactivating school years and adding and removing
 * their terms, as the pages and the API both do it: may() first, then the
 * checks, then one transaction with the change and its audit entry. */
#include <string.h>

#include "../base/util.h"
#include "../web/app.h"
#include "schoolyear.h"

/* Ends a school-year write begun with change_begin (see change_commit). */
static void finish(req *rq, store_rc rc, const char *what, int64_t id, int64_t district_id,
		   const char *detail, outcome *out)
{
	change_commit(rq, rc, REC_SCHOOL_YEAR, what, id, district_id, detail, out);
}

bool may_school_year(const req *rq, action act, int64_t district_id)
{
	place p = school_year_place(district_id);
	record r = school_year_record(&p);
	return may(rq->actor, act, &r);
}

store_rc school_year_district_choices(req *rq, action act, org **out, size_t *n)
{
	visibility v;
	policy_visibility(rq->actor, ACT_READ, REC_ORG, &v);
	org_filter f = {.kind = "district"};
	org *all;
	size_t nall;
	store_rc rc = org_list(rq->db, rq->a, &f, &v, &all, &nall);
	if (rc != STORE_OK) return rc;
	size_t k = 0;
	for (size_t i = 0; i < nall; i++)
		if (may_school_year(rq, act, all[i].id)) all[k++] = all[i];
	*out = all;
	*n = k;
	return STORE_OK;
}

/* The spans a year is checked against: its district's other active years
 * and (for a year that exists) its own terms. */
static store_rc year_context(req *rq, int64_t district_id, int64_t year_id, date_span **years, size_t *nyears,
			     date_span **terms, size_t *nterms)
{
	*terms = NULL;
	*nterms = 0;
	store_rc rc = school_year_spans(rq->db, rq->a, district_id, years, nyears);
	if (rc != STORE_OK || !year_id) return rc;
	term *t;
	rc = term_list(rq->db, rq->a, year_id, &t, nterms);
	if (rc != STORE_OK) return rc;
	*terms = arena_calloc(rq->a, *nterms ? *nterms : 1, sizeof **terms);
	for (size_t i = 0; i < *nterms; i++)
		(*terms)[i] = (date_span){t[i].id, t[i].name, t[i].starts_on, t[i].ends_on};
	return STORE_OK;
}

/* The district named must be an active district (400 naming district_id)
 * where the actor may create years (403). */
static bool check_district(req *rq, const school_year_input *in, outcome *out)
{
	if (in->district_unreadable || in->district_id <= 0) return true; /* the check names it */
	org d;
	bool found;
	if (org_get(rq->db, rq->a, in->district_id, &d, &found) != STORE_OK) {
		outcome_store_failed(rq, out, false);
		return false;
	}
	if (!found || !d.active || !str_eq(d.kind, "district")) {
		form_error_add(&out->errors, "district_id", "There is no active district with that id.");
		return true;
	}
	if (may_school_year(rq, ACT_CREATE, d.id)) return true;
	outcome_fail(out, 403, "forbidden",
		     arena_printf(rq->a, "You may not create school years for %s.", d.name), "district_id");
	return false;
}

/* Checks and writes a year, new (old NULL) or changed. The overlap check
 * reads inside the transaction, so the write follows what it saw. */
static void save_year(req *rq, const school_year *old, const school_year_input *in, outcome *out)
{
	if (!change_begin(rq, out)) return;
	date_span *years = NULL, *terms = NULL;
	size_t nyears = 0, nterms = 0;
	if (in->district_id > 0 &&
	    year_context(rq, in->district_id, old ? old->id : 0, &years, &nyears, &terms, &nterms) !=
		    STORE_OK) {
		outcome_store_failed(rq, out, true);
		return;
	}
	school_year_check(rq->a, in, old ? old->id : 0, years, nyears, terms, nterms, &out->errors);
	if (out->errors.n) {
		store_rollback(rq->db);
		outcome_invalid(out);
		return;
	}
	const char *detail = arena_printf(rq->a, "%s %s to %s", in->name, in->starts_on, in->ends_on);
	if (old) {
		finish(rq, school_year_update(rq->db, rq->a, old->id, in), "school_year.update", old->id,
		       old->district_id, detail, out);
		return;
	}
	int64_t id = 0;
	store_rc rc = school_year_insert(rq->db, rq->a, in, &id);
	out->id = id;
	finish(rq, rc, "school_year.create", id, in->district_id, detail, out);
}

void school_year_create(req *rq, const school_year_input *in, outcome *out)
{
	*out = (outcome){0};
	if (!may_act_somewhere(rq, REC_SCHOOL_YEAR, ACT_CREATE)) {
		outcome_fail(out, 403, "forbidden", "You may not create school years.", NULL);
		return;
	}
	if (!check_district(rq, in, out)) return;
	if (out->errors.n) {
		/* The district is wrong: the other fields are still worth checking. */
		school_year_check(rq->a, in, 0, NULL, 0, NULL, 0, &out->errors);
		outcome_invalid(out);
		return;
	}
	save_year(rq, NULL, in, out);
}

/* A change to a deactivated year is refused: 409. */
static bool still_active(const school_year *y, outcome *out)
{
	if (y->active) return true;
	outcome_fail(out, 409, "inactive", "This school year is deactivated; it can no longer change.", NULL);
	return false;
}

void school_year_change(req *rq, const school_year *old, const school_year_input *in, outcome *out)
{
	*out = (outcome){.id = old->id};
	if (!may_school_year(rq, ACT_UPDATE, old->district_id)) {
		outcome_fail(out, 403, "forbidden", "You may not change this school year.", NULL);
		return;
	}
	if (!still_active(old, out)) return;
	if (in->district_unreadable || in->district_id != old->district_id) {
		form_error_add(&out->errors, "district_id",
			       "A school year cannot move to another district; create one there instead.");
		outcome_invalid(out);
		return;
	}
	save_year(rq, old, in, out);
}

void school_year_retire(req *rq, const school_year *y, outcome *out)
{
	*out = (outcome){.id = y->id};
	if (!may_school_year(rq, ACT_DEACTIVATE, y->district_id)) {
		outcome_fail(out, 403, "forbidden", "You may not deactivate this school year.", NULL);
		return;
	}
	if (!y->active) return; /* already done: a second click changes nothing */
	if (!change_begin(rq, out)) return;
	finish(rq, school_year_deactivate(rq->db, rq->a, y->id), "school_year.deactivate", y->id,
	       y->district_id, y->name, out);
}

void term_add(req *rq, const school_year *y, const term_input *in, outcome *out)
{
	*out = (outcome){0};
	if (!may_school_year(rq, ACT_UPDATE, y->district_id)) {
		outcome_fail(out, 403, "forbidden", "You may not change this school year's terms.", NULL);
		return;
	}
	if (!still_active(y, out)) return;
	if (!change_begin(rq, out)) return;
	date_span *years, *terms;
	size_t nyears, nterms;
	if (year_context(rq, y->district_id, y->id, &years, &nyears, &terms, &nterms) != STORE_OK) {
		outcome_store_failed(rq, out, true);
		return;
	}
	term_check(rq->a, in, y, terms, nterms, &out->errors);
	if (out->errors.n) {
		store_rollback(rq->db);
		outcome_invalid(out);
		return;
	}
	int64_t id = 0;
	store_rc rc = term_insert(rq->db, rq->a, y->id, in, &id);
	out->id = id;
	/* A term is part of its year: adding one is a change to the year. */
	finish(rq, rc, "school_year.update", y->id, y->district_id,
	       arena_printf(rq->a, "term added: %s %s to %s", in->name, in->starts_on, in->ends_on), out);
}

void term_remove(req *rq, const school_year *y, int64_t tid, outcome *out)
{
	*out = (outcome){.id = y->id};
	if (!may_school_year(rq, ACT_UPDATE, y->district_id)) {
		outcome_fail(out, 403, "forbidden", "You may not change this school year's terms.", NULL);
		return;
	}
	if (!still_active(y, out)) return;
	if (!change_begin(rq, out)) return;
	bool changed = false;
	store_rc rc = term_deactivate(rq->db, rq->a, y->id, tid, &changed);
	if (rc == STORE_OK && !changed) {
		store_rollback(rq->db);
		outcome_fail(out, 404, "not_found", "This school year has no such term.", "tid");
		return;
	}
	finish(rq, rc, "school_year.update", y->id, y->district_id,
	       arena_printf(rq->a, "term removed: %lld", (long long)tid), out);
}

bool school_year_load(req *rq, resp *rs, school_year *y)
{
	int64_t id;
	if (!param_id(rq, rs, "id", &id)) return false;
	bool found;
	if (school_year_get(rq->db, rq->a, id, y, &found) != STORE_OK) {
		resp_store_failed(rq, rs);
		return false;
	}
	if (!found) {
		resp_error(rq, rs, 404, "not_found", "there is no such school year", NULL);
		return false;
	}
	if (!may_school_year(rq, ACT_READ, y->district_id)) {
		resp_error(rq, rs, 403, "forbidden", "you may not see this school year", NULL);
		return false;
	}
	return true;
}

store_rc school_year_visible(req *rq, int64_t district_id, school_year **out, size_t *n)
{
	visibility v;
	policy_visibility(rq->actor, ACT_READ, REC_SCHOOL_YEAR, &v);
	school_year *list;
	size_t count;
	store_rc rc = school_year_list(rq->db, rq->a, &v, district_id, &list, &count);
	if (rc != STORE_OK) return rc;
	size_t k = 0;
	for (size_t i = 0; i < count; i++)
		if (may_school_year(rq, ACT_READ, list[i].district_id)) list[k++] = list[i];
	*out = list;
	*n = k;
	return STORE_OK;
}
