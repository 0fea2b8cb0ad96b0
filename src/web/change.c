/* The shared ends of a checked change: its outcome, its failures, its audit
 * entry and its answer (see change.h). */
#include "change.h"

#include "../access/audit.h"
#include "../base/log.h"
#include "../base/util.h"
#include "../org/org.h"
#include "app.h"

void outcome_fail(outcome *o, int status, const char *code, const char *message, const char *field)
{
	o->status = status;
	o->code = code;
	o->message = message;
	o->field = field;
}

void outcome_invalid(outcome *o)
{
	outcome_fail(o, 400, "invalid", o->errors.items[0].message, o->errors.items[0].field);
}

void outcome_invalid_field(outcome *o, const char *field, const char *message)
{
	form_error_add(&o->errors, field, message);
	outcome_invalid(o);
}

void outcome_store_failed(req *rq, outcome *o, bool in_tx)
{
	/* The cause is logged before the rollback can replace it. */
	log_line("store: %s %s: %s", rq->method, rq->path, store_errmsg(rq->db));
	if (in_tx) store_rollback(rq->db);
	outcome_fail(o, 500, "store_failed", "something went wrong while saving; nothing was changed", NULL);
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

bool outcome_answered(req *rq, resp *rs, const outcome *o)
{
	if (!o->status) return false;
	outcome_respond(rq, rs, o);
	return true;
}

void outcome_answer(req *rq, resp *rs, const outcome *o, int status, int64_t id, answer_record_fn *answer)
{
	if (!outcome_answered(rq, rs, o)) answer(rq, rs, status, id);
}

void outcome_redirect(req *rq, resp *rs, const outcome *o, const char *to)
{
	if (!outcome_answered(rq, rs, o)) resp_redirect(rs, 303, to);
}

int64_t change_home(const place *p)
{
	return p->district_id ? p->district_id : p->partner_id;
}

store_rc change_audit(req *rq, const char *what, record_kind kind, int64_t id, int64_t home,
		      const char *detail)
{
	audit_event e = {what, record_kind_name(kind), id, home, detail};
	return audit_record(rq->db, rq->actor, rq->remote, &e);
}

bool change_asked(req *rq, outcome *o, store_rc rc)
{
	if (rc == STORE_OK) return true;
	outcome_store_failed(rq, o, false);
	return false;
}

bool change_begin(req *rq, outcome *o)
{
	if (store_begin(rq->db) == STORE_OK) return true;
	outcome_store_failed(rq, o, false);
	return false;
}

void change_commit(req *rq, store_rc rc, record_kind kind, const char *what, int64_t id, int64_t home,
		   const char *detail, outcome *o)
{
	if (rc != STORE_OK || change_audit(rq, what, kind, id, home, detail) != STORE_OK ||
	    store_commit(rq->db) != STORE_OK)
		outcome_store_failed(rq, o, true);
}

bool may_act_somewhere(const req *rq, record_kind kind, action act)
{
	visibility v;
	policy_visibility(rq->actor, act, kind, &v);
	/* unplaced: an admin creating a district or partner, which has no place yet. */
	return v.all || v.overflow || v.unplaced || v.ndistricts || v.norgs;
}

store_rc creatable_org_choices(req *rq, record_kind kind, bool with_kind, form_option **out, size_t *n)
{
	visibility v;
	policy_visibility(rq->actor, ACT_CREATE, kind, &v);
	org *o;
	size_t count = 0;
	*out = NULL;
	*n = 0;
	store_rc rc = org_choices(rq->db, rq->a, NULL, &v, &o, &count);
	if (rc != STORE_OK) return rc;
	form_option *opt = arena_calloc(rq->a, count + 1, sizeof *opt);
	opt[0] = (form_option){"", "Choose"};
	*n = 1;
	for (size_t i = 0; i < count; i++) {
		bool district = str_eq(o[i].kind, "district");
		if (!district && !str_eq(o[i].kind, "partner")) continue;
		place p = {o[i].id, district ? o[i].id : 0, district ? 0 : o[i].id};
		record r = {.kind = kind, .places = &p, .nplaces = 1};
		if (!may(rq->actor, ACT_CREATE, &r)) continue;
		opt[(*n)++] = (form_option){
			arena_printf(rq->a, "%lld", (long long)o[i].id),
			with_kind ? arena_printf(rq->a, "%s (%s)", o[i].name, org_kind_label(o[i].kind))
				  : o[i].name};
	}
	*out = opt;
	return STORE_OK;
}
