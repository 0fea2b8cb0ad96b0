/* Creating and changing engagements and their service lines, as the pages
 * and the API both do it: may() first, then the checks, then one
 * transaction that writes the change and its audit entry together. */
#include <string.h>

#include "../access/audit.h"
#include "../base/log.h"
#include "../base/util.h"
#include "../web/app.h"
#include "engagement_web.h"

static bool may_at(const req *rq, record_kind kind, action act, int64_t partner_id, int64_t district_id)
{
	if (!rq->actor) return false;
	place p[2];
	size_t n = engagement_places(partner_id, district_id, p);
	record r = engagement_record(kind, p, n);
	return may(rq->actor, act, &r);
}

bool may_engagement(const req *rq, action act, const engagement *en)
{
	return may_at(rq, REC_ENGAGEMENT, act, en->partner_id, en->district_id);
}

/* The district's decision is placed at the district alone, so that no
 * grant of the partner's reaches it. */
static bool may_decide(const req *rq, int64_t district_id)
{
	if (!rq->actor) return false;
	place p = {district_id, district_id, 0};
	record r = engagement_record(REC_ENGAGEMENT_DECISION, &p, 1);
	return may(rq->actor, ACT_UPDATE, &r);
}

engagement_powers engagement_powers_of(const req *rq, const engagement *en)
{
	return (engagement_powers){.party = may_engagement(rq, ACT_UPDATE, en),
				   .district = may_decide(rq, en->district_id)};
}

bool may_see_money(const req *rq, const engagement *en)
{
	return may_at(rq, REC_MONEY, ACT_READ, en->partner_id, en->district_id);
}

bool may_create_engagements(const req *rq)
{
	if (!rq->actor) return false;
	visibility v;
	policy_visibility(rq->actor, ACT_CREATE, REC_ENGAGEMENT, &v);
	return v.all || v.overflow || v.ndistricts || v.norgs;
}

store_rc engagement_visible(req *rq, engagement **out, size_t *n)
{
	visibility v;
	policy_visibility(rq->actor, ACT_READ, REC_ENGAGEMENT, &v);
	engagement *list;
	size_t count;
	store_rc rc = engagement_list(rq->db, rq->a, &v, &list, &count);
	if (rc != STORE_OK) return rc;
	size_t k = 0;
	for (size_t i = 0; i < count; i++)
		if (may_engagement(rq, ACT_READ, &list[i])) list[k++] = list[i];
	*out = list;
	*n = k;
	return STORE_OK;
}

/* The partner must be an active partner and the district an active
 * district (400 naming the field); an unknown one is "no such". */
static bool check_parties(req *rq, engagement_input *in, form_errors *e)
{
	const char *kind, *name;
	if (in->partner_id > 0 && !in->partner_unreadable) {
		if (engagement_org_kind(rq->db, rq->a, in->partner_id, &kind, &name) != STORE_OK)
			return false;
		if (!str_eq(kind, "partner"))
			form_error_add(e, "partner_id", "There is no active partner with that id.");
	}
	if (in->district_id > 0 && !in->district_unreadable) {
		if (engagement_org_kind(rq->db, rq->a, in->district_id, &kind, &name) != STORE_OK)
			return false;
		if (!str_eq(kind, "district"))
			form_error_add(e, "district_id", "There is no active district with that id.");
	}
	return true;
}

/* A school year fills in dates left empty and must be the district's. */
static bool check_school_year(req *rq, engagement_input *in, form_errors *e)
{
	if (!in->school_year_id || in->school_year_unreadable || in->district_id <= 0) return true;
	const char *starts = NULL, *ends = NULL;
	bool found = false;
	if (engagement_school_year(rq->db, rq->a, in->school_year_id, in->district_id, &starts, &ends,
				   &found) != STORE_OK)
		return false;
	if (!found) {
		form_error_add(e, "school_year_id", "That is not a school year of this district.");
		return true;
	}
	if (!in->starts_on || !*in->starts_on) in->starts_on = starts;
	if (!in->ends_on || !*in->ends_on) in->ends_on = ends;
	return true;
}

/* Permission, then every check, all before the transaction begins. */
static bool engagement_ready(req *rq, engagement_input *in, action act, outcome *out)
{
	if (!check_parties(rq, in, &out->errors) || !check_school_year(rq, in, &out->errors)) {
		outcome_store_failed(rq, out, false);
		return false;
	}
	engagement_check(rq->a, in, &out->errors);
	bool parties_ok =
		!form_error_for(&out->errors, "partner_id") && !form_error_for(&out->errors, "district_id");
	if (parties_ok && !may_at(rq, REC_ENGAGEMENT, act, in->partner_id, in->district_id)) {
		outcome_fail(out, 403, "forbidden",
			     "You may not make an agreement between this partner and this district.",
			     "district_id");
		return false;
	}
	if (out->errors.n) {
		outcome_invalid(out);
		return false;
	}
	return true;
}

void engagement_create(req *rq, engagement_input *in, outcome *out)
{
	*out = (outcome){0};
	if (!in->state) in->state = ""; /* a new one names its state: a draft unless proposed */
	if (!may_create_engagements(rq)) {
		outcome_fail(out, 403, "forbidden", "You may not create engagements.", NULL);
		return;
	}
	if (!engagement_ready(rq, in, ACT_CREATE, out)) return;
	if (store_begin(rq->db) != STORE_OK) {
		outcome_store_failed(rq, out, false);
		return;
	}
	int64_t id = 0;
	store_rc rc = engagement_insert(rq->db, rq->a, in, &id);
	out->id = id;
	change_commit(rq, rc, REC_ENGAGEMENT, "engagement.create", id, in->district_id, in->title, out);
}

void engagement_change(req *rq, const engagement *old, engagement_input *in, outcome *out)
{
	*out = (outcome){.id = old->id};
	if (!may_engagement(rq, ACT_UPDATE, old)) {
		outcome_fail(out, 403, "forbidden", "You may not change this engagement.", NULL);
		return;
	}
	bool parties_change = in->partner_id != old->partner_id || in->district_id != old->district_id;
	const char *fixed = engagement_edit_blocker(old->state, parties_change);
	if (fixed) {
		outcome_fail(out, 409, "fixed", fixed, parties_change ? "district_id" : NULL);
		return;
	}
	/* Both ends must allow it: the agreement as it was and as it will be. */
	if (!engagement_ready(rq, in, ACT_UPDATE, out)) return;
	if (store_begin(rq->db) != STORE_OK) {
		outcome_store_failed(rq, out, false);
		return;
	}
	change_commit(rq, engagement_update(rq->db, rq->a, old->id, in), REC_ENGAGEMENT, "engagement.update",
		      old->id, in->district_id, in->title, out);
}

/* Does the actor decide for the district only as its administrator? The
 * audit entry says so, as the trust contract asks of an administrator who
 * acts on content. */
static bool deciding_as_administrator(const req *rq, int64_t district_id)
{
	for (size_t i = 0; i < rq->actor->ngrants; i++) {
		const grant *g = &rq->actor->grants[i];
		if (g->role == ROLE_DISTRICT_LEADER && g->district_id == district_id && !g->partner_id)
			return false;
	}
	return true;
}

void engagement_move(req *rq, const engagement *en, engagement_state to, const char *note, outcome *out)
{
	*out = (outcome){.id = en->id};
	engagement_powers p = engagement_powers_of(rq, en);
	if (!p.party && !p.district) {
		outcome_fail(out, 403, "forbidden", "You may not change this engagement.", NULL);
		return;
	}
	const char *why = engagement_move_blocker(en->state, to, p);
	if (why) {
		bool district_only =
			!engagement_move_blocker(en->state, to, (engagement_powers){.district = true});
		outcome_fail(out, district_only ? 403 : 409, district_only ? "forbidden" : "conflict", why,
			     "state");
		return;
	}
	if (note && utf8_length(note) > 1000) {
		outcome_invalid_field(out, "note", "The note is longer than 1,000 characters.");
		return;
	}
	bool decision = to == EN_ACCEPTED || to == EN_DECLINED;
	if (!change_begin(rq, out)) return;
	store_rc rc = engagement_state_save(rq->db, rq->a, en->id, to, decision ? rq->actor->person_id : 0,
					    decision ? note : NULL);
	const char *detail =
		arena_printf(rq->a, "%s → %s%s", engagement_state_name(en->state), engagement_state_name(to),
			     decision && deciding_as_administrator(rq, en->district_id)
				     ? ", by an administrator acting for the district"
				     : "");
	change_commit(rq, rc, REC_ENGAGEMENT, arena_printf(rq->a, "engagement.%s", engagement_state_name(to)),
		      en->id, en->district_id, detail, out);
}

/* The kind must exist and be active. */
static bool check_kind(req *rq, line_input *in, form_errors *e)
{
	if (!in->kind) return true;
	service_kind *k;
	size_t n;
	if (service_kinds(rq->db, rq->a, true, &k, &n) != STORE_OK) return false;
	for (size_t i = 0; i < n; i++)
		if (k[i].id == in->kind) {
			if (!in->unit || !*in->unit) in->unit = k[i].default_unit;
			return true;
		}
	form_error_add(e, "kind_id", "There is no such kind of service.");
	return true;
}

/* May the asker change en's lines? 403 or 409 in out when not. */
static bool lines_changeable(req *rq, const engagement *en, outcome *out)
{
	if (!may_engagement(rq, ACT_UPDATE, en)) {
		outcome_fail(out, 403, "forbidden", "You may not change this engagement's services.", NULL);
		return false;
	}
	const char *fixed = engagement_edit_blocker(en->state, false);
	if (fixed) outcome_fail(out, 409, "fixed", fixed, NULL);
	return !fixed;
}

static bool line_ready(req *rq, const engagement *en, line_input *in, outcome *out)
{
	if (!lines_changeable(rq, en, out)) return false;
	/* The kind's default unit fills in a unit left empty, before the checks. */
	if (in->kind_id && parse_i64(in->kind_id, 1, INT64_MAX, &in->kind) &&
	    !check_kind(rq, in, &out->errors)) {
		outcome_store_failed(rq, out, false);
		return false;
	}
	line_check(rq->a, in, &out->errors);
	if (out->errors.n) {
		outcome_invalid(out);
		return false;
	}
	return true;
}

static const char *line_detail(req *rq, const line_input *in)
{
	return arena_printf(rq->a, "kind %lld, %s %s", (long long)in->kind,
			    milli_text(rq->a, in->quantity_milli), in->unit);
}

void line_add(req *rq, const engagement *en, line_input *in, outcome *out)
{
	*out = (outcome){.id = en->id};
	if (!line_ready(rq, en, in, out)) return;
	if (store_begin(rq->db) != STORE_OK) {
		outcome_store_failed(rq, out, false);
		return;
	}
	int64_t id = 0;
	store_rc rc = service_line_insert(rq->db, rq->a, en->id, in, &id);
	change_commit(rq, rc, REC_ENGAGEMENT, "line.add", en->id, en->district_id,
		      arena_printf(rq->a, "line %lld: %s", (long long)id, line_detail(rq, in)), out);
}

void line_change(req *rq, const engagement *en, const service_line *old, line_input *in, outcome *out)
{
	*out = (outcome){.id = en->id};
	if (!line_ready(rq, en, in, out)) return;
	if (store_begin(rq->db) != STORE_OK) {
		outcome_store_failed(rq, out, false);
		return;
	}
	change_commit(rq, service_line_update(rq->db, rq->a, old->id, in), REC_ENGAGEMENT, "line.update",
		      en->id, en->district_id,
		      arena_printf(rq->a, "line %lld: %s", (long long)old->id, line_detail(rq, in)), out);
}

void line_remove(req *rq, const engagement *en, const service_line *old, outcome *out)
{
	*out = (outcome){.id = en->id};
	if (!lines_changeable(rq, en, out)) return;
	if (old->ndraws) {
		outcome_fail(out, 409, "in_use",
			     arena_printf(rq->a, "%zu session%s draw%s on this line; it cannot be removed.",
					  old->ndraws, old->ndraws == 1 ? "" : "s",
					  old->ndraws == 1 ? "s" : ""),
			     NULL);
		return;
	}
	if (store_begin(rq->db) != STORE_OK) {
		outcome_store_failed(rq, out, false);
		return;
	}
	change_commit(rq, service_line_remove(rq->db, rq->a, old->id), REC_ENGAGEMENT, "line.remove", en->id,
		      en->district_id, arena_printf(rq->a, "line %lld", (long long)old->id), out);
}

/* Service kinds are installation data with no place of their own; the
 * policy has no record kind for them, so managing them takes what an
 * administrator holds: may(REC_ORG, ACT_UPDATE) on one of the actor's
 * districts (an administrator's grant). */
bool may_manage_service_kinds(const req *rq)
{
	if (!rq->actor) return false;
	for (size_t i = 0; i < rq->actor->ngrants; i++) {
		const grant *g = &rq->actor->grants[i];
		if (!g->district_id || g->partner_id) continue;
		place p = {g->district_id, g->district_id, 0};
		record r = {.kind = REC_ORG, .places = &p, .nplaces = 1};
		if (may(rq->actor, ACT_UPDATE, &r)) return true;
	}
	return false;
}

static bool code_valid(const char *s)
{
	if (!s || !*s || strlen(s) > 40) return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_')) return false;
	return true;
}

void service_kind_add(req *rq, const char *code, const char *label, const char *unit, outcome *out)
{
	*out = (outcome){0};
	if (!may_manage_service_kinds(rq)) {
		outcome_fail(out, 403, "forbidden", "Only administrators manage the kinds of service.", NULL);
		return;
	}
	if (!code_valid(code))
		form_error_add(&out->errors, "code", "The code is 1 to 40 lower-case letters, digits or _.");
	if (!label || !*label)
		form_error_add(&out->errors, "label", "Give a label of at most 120 characters.");
	else form_error_line(rq->a, &out->errors, "label", "label", label, SERVICE_KIND_LABEL_MAX);
	if (!unit || !*unit)
		form_error_add(&out->errors, "default_unit", "Give a unit of at most 60 characters.");
	else form_error_line(rq->a, &out->errors, "default_unit", "unit", unit, ENGAGEMENT_UNIT_MAX);
	if (out->errors.n) {
		outcome_invalid(out);
		return;
	}
	if (store_begin(rq->db) != STORE_OK) {
		outcome_store_failed(rq, out, false);
		return;
	}
	int64_t id = 0;
	store_rc rc = service_kind_insert(rq->db, rq->a, code, label, unit, &id);
	if (rc == STORE_CONSTRAINT) {
		store_rollback(rq->db);
		form_error_add(&out->errors, "code", "There is already a kind of service with this code.");
		outcome_invalid(out);
		return;
	}
	out->id = id;
	audit_event e = {"service_kind.add", NULL, id, 0, code};
	if (rc != STORE_OK || audit_record(rq->db, rq->actor, rq->remote, &e) != STORE_OK ||
	    store_commit(rq->db) != STORE_OK)
		outcome_store_failed(rq, out, true);
}

bool engagement_load(req *rq, resp *rs, engagement *en)
{
	int64_t id;
	if (!param_id(rq, rs, "id", &id)) return false;
	bool found;
	if (engagement_get(rq->db, rq->a, id, en, &found) != STORE_OK) {
		resp_store_failed(rq, rs);
		return false;
	}
	/* An agreement the actor may not read answers as if it were not
	 * there: its parties are nobody else's business. */
	if (!found || !may_engagement(rq, ACT_READ, en)) {
		resp_error(rq, rs, 404, "not_found", "there is no such engagement", NULL);
		return false;
	}
	return true;
}

bool engagement_line_load(req *rq, resp *rs, const engagement *en, service_line **lines, size_t *nlines,
			  service_line **line)
{
	int64_t lid;
	if (!param_id(rq, rs, "lid", &lid)) return false;
	if (engagement_lines(rq->db, rq->a, en->id, lines, nlines) != STORE_OK) {
		resp_store_failed(rq, rs);
		return false;
	}
	for (size_t i = 0; i < *nlines; i++)
		if ((*lines)[i].id == lid) {
			*line = &(*lines)[i];
			return true;
		}
	resp_error(rq, rs, 404, "not_found", "this engagement has no such service line", "lid");
	return false;
}
