/* Adding people, changing them, switching them off and on, and granting
 * and revoking their roles, as the pages and the API both do it: may()
 * first, then the checks, then one transaction holding the change and its
 * audit entry (or nothing). */
#include <sodium.h>
#include <string.h>

#include "../access/password.h"
#include "../access/signin_session.h"
#include "../access/token.h"
#include "../ical/ical.h"
#include "../base/util.h"
#include "../web/app.h"
#include "people.h"

bool may_person(const req *rq, action act, const person *p)
{
	record r = person_record(rq->a, p);
	return may(rq->actor, act, &r);
}

static bool may_role_at(const req *rq, action act, const place *p, int64_t person_id)
{
	record r = role_record(REC_ROLE, p, person_id);
	return may(rq->actor, act, &r);
}

/* May the actor grant role_name at o to person_id (0: a person being
 * added)? The policy decides by the role's kind (people.c): nobody grants
 * themselves a role, and a district leader's role is the leaders' to give.
 * false with out failed (403, or 500 when the store could not say). */
static bool may_grant(req *rq, const char *role_name, const org *o, int64_t person_id, outcome *out)
{
	role r = ROLE_TEACHER;
	role_parse(role_name, &r);
	place pl = org_place(o->kind, o->id, o->parent_id);
	bool had = false;
	if (r == ROLE_DISTRICT_LEADER &&
	    !change_asked(rq, out, district_had_leader(rq->db, rq->a, pl.district_id, &had)))
		return false;
	record rec = role_record(role_grant_kind(r, had), &pl, person_id);
	if (may(rq->actor, ACT_CREATE, &rec)) return true;
	if (person_id && person_id == rq->actor->person_id)
		outcome_fail(out, 403, "forbidden",
			     "Nobody grants themselves a role: ask another administrator.", "role");
	else if (r == ROLE_DISTRICT_LEADER)
		outcome_fail(out, 403, "forbidden",
			     "A district leader's role is given by the district's leaders (an administrator "
			     "gives only a district's first).",
			     "role");
	else outcome_fail(out, 403, "forbidden", "You may not grant roles at that organization.", "org_id");
	return false;
}

bool may_grant_roles(const req *rq)
{
	return may_act_somewhere(rq, REC_ROLE, ACT_CREATE) ||
		may_act_somewhere(rq, REC_LEADER_ROLE, ACT_CREATE);
}

store_rc role_org_choices(req *rq, org **out, size_t *n)
{
	visibility v;
	policy_visibility(rq->actor, ACT_READ, REC_ORG, &v);
	org *all;
	size_t nall;
	store_rc rc = org_choices(rq->db, rq->a, NULL, &v, &all, &nall);
	if (rc != STORE_OK) return rc;
	org *list = arena_calloc(rq->a, nall ? nall : 1, sizeof *list);
	size_t k = 0;
	for (size_t i = 0; i < nall; i++) {
		place p = org_place(all[i].kind, all[i].id, all[i].parent_id);
		record leader = role_record(REC_LEADER_ROLE, &p, 0);
		if (may_role_at(rq, ACT_CREATE, &p, 0) || may(rq->actor, ACT_CREATE, &leader))
			list[k++] = all[i];
	}
	*out = list;
	*n = k;
	return STORE_OK;
}

/* A person's home for the log: their first role's district or partner. */
static int64_t person_home(const person *p)
{
	for (size_t i = 0; i < p->nroles; i++) {
		place pl = held_place(&p->roles[i]);
		if (change_home(&pl)) return change_home(&pl);
	}
	return 0;
}

/* The org a role is to be held at: active, and of a kind the role fits.
 * Errors go beside org_id. */
static store_rc check_role_org(req *rq, const char *role_name, int64_t org_id, org *o, form_errors *e)
{
	role r;
	if (!org_id || form_error_for(e, "org_id")) return STORE_OK;
	bool found;
	store_rc rc = org_get(rq->db, rq->a, org_id, o, &found);
	if (rc != STORE_OK) return rc;
	if (!found || !o->active) {
		form_error_add(e, "org_id", "There is no active organization with that id.");
		return STORE_OK;
	}
	if (role_parse(role_name, &r)) {
		const char *problem = role_org_problem(r, o->kind);
		if (problem) form_error_add(e, "org_id", problem);
	}
	return STORE_OK;
}

static store_rc check_email_free(req *rq, const char *email, int64_t except_id, form_errors *e)
{
	if (!email || !*email || form_error_for(e, "email")) return STORE_OK;
	bool taken;
	store_rc rc = person_email_taken(rq->db, rq->a, email, except_id, &taken);
	if (rc == STORE_OK && taken)
		form_error_add(e, "email",
			       "Someone already has this email address (in any mix of capitals).");
	return rc;
}

static const char *role_detail(req *rq, const char *role_name, const org *o, int64_t person_id)
{
	return arena_printf(rq->a, "%s at %s (org %lld) for person %lld", role_name, o->name,
			    (long long)o->id, (long long)person_id);
}

/* Inserts the person and their first role, with both audit entries. */
static bool write_new_person(req *rq, const person_input *in, const org *o, const char *hash, int64_t *id)
{
	place p = org_place(o->kind, o->id, o->parent_id);
	int64_t rid, home = change_home(&p);
	return store_begin(rq->db) == STORE_OK &&
		person_insert(rq->db, rq->a, in->name, in->email, hash, id) == STORE_OK &&
		role_grant(rq->db, rq->a, *id, o->id, in->role, &rid) == STORE_OK &&
		change_audit(rq, "person.create", REC_PERSON, *id, home, in->name) == STORE_OK &&
		change_audit(rq, "role.grant", REC_ROLE, rid, home, role_detail(rq, in->role, o, *id)) ==
		STORE_OK &&
		store_commit(rq->db) == STORE_OK;
}

void person_create(req *rq, const person_input *in, outcome *out)
{
	*out = (outcome){0};
	if (!may_act_somewhere(rq, REC_PERSON, ACT_CREATE)) {
		outcome_fail(out, 403, "forbidden", "You may not add people.", NULL);
		return;
	}
	person_check_new(in, &out->errors);
	org o = {0};
	if (check_role_org(rq, in->role, in->org_id, &o, &out->errors) != STORE_OK ||
	    check_email_free(rq, in->email, 0, &out->errors) != STORE_OK) {
		outcome_store_failed(rq, out, false);
		return;
	}
	if (out->errors.n) {
		outcome_invalid(out);
		return;
	}
	place p = org_place(o.kind, o.id, o.parent_id);
	record pr = {.kind = REC_PERSON, .places = &p, .nplaces = 1};
	if (!may(rq->actor, ACT_CREATE, &pr) || !may_role_at(rq, ACT_CREATE, &p, 0)) {
		outcome_fail(out, 403, "forbidden", "You may not add people at that organization.", "org_id");
		return;
	}
	if (!may_grant(rq, in->role, &o, 0, out)) return;
	char hash[PASSWORD_HASH_MAX] = "";
	/* Hashing takes a moment and 64 MiB: done before the transaction. */
	if (in->password && *in->password &&
	    !password_hash(rq->app ? rq->app->hashing : NULL, in->password, hash)) {
		outcome_fail(out, 500, "hash_failed", "the password could not be stored; nothing was changed",
			     NULL);
		return;
	}
	int64_t id = 0;
	bool ok = write_new_person(rq, in, &o, hash, &id);
	sodium_memzero(hash, sizeof hash);
	if (!ok) {
		outcome_store_failed(rq, out, true);
		return;
	}
	out->id = id;
}

static bool same_text(const char *a, const char *b)
{
	return str_eq(a && *a ? a : NULL, b && *b ? b : NULL);
}

void person_change(req *rq, const person *p, const person_input *in, outcome *out)
{
	*out = (outcome){.id = p->id};
	if (!may_person(rq, ACT_UPDATE, p)) {
		outcome_fail(out, 403, "forbidden", "You may not change this person.", NULL);
		return;
	}
	/* Everyone may fix their own name; an email address is an account's
	 * key, so changing it takes the power to change others too. */
	person other = *p;
	other.id = 0;
	if (!same_text(in->email, p->email) && !may_person(rq, ACT_UPDATE, &other)) {
		outcome_fail(out, 403, "forbidden", "Only an administrator can change an email address.",
			     "email");
		return;
	}
	person_check_edit(in, p->email != NULL, &out->errors);
	if (check_email_free(rq, in->email, p->id, &out->errors) != STORE_OK) {
		outcome_store_failed(rq, out, false);
		return;
	}
	if (out->errors.n) {
		outcome_invalid(out);
		return;
	}
	if (!change_begin(rq, out)) return;
	change_commit(rq, person_update(rq->db, rq->a, p->id, in->name, in->email), REC_PERSON,
		      "person.update", p->id, person_home(p), in->name, out);
}

void person_set_activity(req *rq, const person *p, bool active, outcome *out)
{
	*out = (outcome){.id = p->id};
	if (!may_person(rq, ACT_DEACTIVATE, p)) {
		outcome_fail(out, 403, "forbidden",
			     active ? "You may not reactivate this person."
				    : "You may not deactivate this person.",
			     NULL);
		return;
	}
	if (!active && rq->actor->person_id == p->id) {
		outcome_fail(out, 409, "self", "You cannot deactivate yourself; ask another administrator.",
			     NULL);
		return;
	}
	if (p->active == active) return; /* a second click changes nothing */
	if (!change_begin(rq, out)) return;
	/* Switched off means signed out everywhere, every token and calendar
	 * address revoked, in the same transaction: switching them on again
	 * revives none of them. */
	store_rc rc = person_set_active(rq->db, rq->a, p->id, active);
	if (rc == STORE_OK && !active) rc = session_end_all(rq->db, p->id);
	if (rc == STORE_OK && !active) rc = token_revoke_all(rq->db, rq->a, p->id, now_unix());
	if (rc == STORE_OK && !active) rc = ical_feeds_revoke_person(rq->db, rq->a, p->id, now_unix());
	change_commit(rq, rc, REC_PERSON, active ? "person.reactivate" : "person.deactivate", p->id,
		      person_home(p), p->name, out);
}

static bool holds(const person *p, const char *role_name, int64_t org_id)
{
	role r;
	if (!role_parse(role_name, &r)) return false;
	for (size_t i = 0; i < p->nroles; i++)
		if (p->roles[i].role == r && p->roles[i].org_id == org_id) return true;
	return false;
}

void person_role_add(req *rq, const person *p, const char *role_name, int64_t org_id, bool org_unreadable,
		     outcome *out)
{
	*out = (outcome){.id = p->id};
	if (!may_grant_roles(rq)) {
		outcome_fail(out, 403, "forbidden", "You may not grant roles.", NULL);
		return;
	}
	role_check(role_name, org_id, org_unreadable, &out->errors);
	org o = {0};
	if (check_role_org(rq, role_name, org_id, &o, &out->errors) != STORE_OK) {
		outcome_store_failed(rq, out, false);
		return;
	}
	if (out->errors.n) {
		outcome_invalid(out);
		return;
	}
	place pl = org_place(o.kind, o.id, o.parent_id);
	if (!may_grant(rq, role_name, &o, p->id, out)) return;
	if (holds(p, role_name, org_id)) {
		outcome_invalid_field(out, "role", "They hold this role there already.");
		return;
	}
	int64_t rid = 0;
	if (!change_begin(rq, out)) return;
	store_rc rc = role_grant(rq->db, rq->a, p->id, o.id, role_name, &rid);
	change_commit(rq, rc, REC_ROLE, "role.grant", rid, change_home(&pl),
		      role_detail(rq, role_name, &o, p->id), out);
}

static const held *find_role(const person *p, int64_t role_id)
{
	for (size_t i = 0; i < p->nroles; i++)
		if (p->roles[i].id == role_id) return &p->roles[i];
	return NULL;
}

void person_role_remove(req *rq, const person *p, int64_t role_id, outcome *out)
{
	*out = (outcome){.id = p->id};
	const held *h = find_role(p, role_id);
	if (!h) {
		outcome_fail(out, 404, "not_found", "This person holds no such role.", "rid");
		return;
	}
	place pl = held_place(h);
	if (!may_role_at(rq, ACT_DEACTIVATE, &pl, p->id)) {
		outcome_fail(out, 403, "forbidden", "You may not remove this role.", NULL);
		return;
	}
	if (h->role == ROLE_ADMIN && p->id == rq->actor->person_id && person_admin_roles(p) == 1) {
		outcome_fail(out, 409, "last_admin_role",
			     "This is your last administrator role: removing it would lock you out of "
			     "administration. Another administrator can remove it.",
			     NULL);
		return;
	}
	/* Nobody could see a person without a role (the policy places people
	 * by their roles), so the last one stays until another is added. */
	if (p->nroles == 1) {
		outcome_fail(out, 409, "last_role",
			     "This is their only role; a person without a role belongs nowhere and "
			     "nobody could see them. Add another role first, or deactivate them.",
			     NULL);
		return;
	}
	org o = {.id = h->org_id, .name = h->org_name};
	if (!change_begin(rq, out)) return;
	change_commit(rq, role_revoke(rq->db, rq->a, role_id), REC_ROLE, "role.revoke", role_id,
		      change_home(&pl), role_detail(rq, role_name(h->role), &o, p->id), out);
}

bool people_filter_read(req *rq, resp *rs, people_filter *f)
{
	*f = (people_filter){.q = req_query(rq, "q"), .role = req_query(rq, "role"), .page = 1};
	const char *org_text = req_query(rq, "org"), *page = req_query(rq, "page");
	role r;
	if (f->q && !*f->q) f->q = NULL;
	if (f->role && !*f->role) f->role = NULL;
	f->inactive = str_eq(req_query(rq, "inactive"), "1");
	if (f->q && strlen(f->q) > SEARCH_MAX_BYTES) {
		resp_error(rq, rs, 400, "bad_query", "the search is longer than 200 characters", "q");
		return false;
	}
	if (org_text && *org_text && !parse_i64(org_text, 1, INT64_MAX, &f->org_id)) {
		resp_error(rq, rs, 400, "bad_org", "org must be the id of an organization", "org");
		return false;
	}
	if (f->role && !role_parse(f->role, &r)) {
		resp_error(rq, rs, 400, "bad_role",
			   "role must be one of admin, district_leader, principal, coach, teacher or "
			   "partner_staff",
			   "role");
		return false;
	}
	if (page && *page && !parse_i64(page, 1, PEOPLE_MAX_PAGE, &f->page)) {
		resp_error(rq, rs, 400, "bad_page", "page must be a number from 1", "page");
		return false;
	}
	return true;
}

store_rc people_visible(req *rq, const people_filter *f, person **out, size_t *n, bool *more)
{
	visibility v;
	policy_visibility(rq->actor, ACT_READ, REC_PERSON, &v);
	person *list;
	size_t all;
	store_rc rc = people_list(rq->db, rq->a, f, &v, rq->actor->person_id, &list, &all, more);
	if (rc != STORE_OK) return rc;
	size_t k = 0;
	for (size_t i = 0; i < all; i++)
		if (may_person(rq, ACT_READ, &list[i])) list[k++] = list[i];
	*out = list;
	*n = k;
	return STORE_OK;
}

bool person_load(req *rq, resp *rs, person *p)
{
	int64_t id;
	if (!param_id(rq, rs, "id", &id)) return false;
	bool found;
	if (person_get(rq->db, rq->a, id, p, &found) != STORE_OK) {
		resp_store_failed(rq, rs);
		return false;
	}
	if (!found || !may_person(rq, ACT_READ, p)) {
		resp_error(rq, rs, 404, "not_found", "there is no such person", NULL);
		return false;
	}
	return true;
}
