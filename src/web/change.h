/* What every feature's checked change (create, edit, deactivate …) shares:
 * how it ends (an outcome), how it fails, its audit entry, and how the
 * pages and the API answer a failed one. */
#ifndef COACHD_CHANGE_H
#define COACHD_CHANGE_H

#include <stdbool.h>
#include <stdint.h>

#include "../access/policy.h"
#include "../html/form.h"
#include "../http/http.h"
#include "../store/store.h"

/* How a change ended: status 0 when done, else the HTTP status with a code
 * and a message (and, for 400, the errors by field). */
typedef struct outcome {
	int status;
	const char *code;
	const char *message;
	const char *field;
	form_errors errors;
	int64_t id; /* what was created or changed */
} outcome;

void outcome_fail(outcome *o, int status, const char *code, const char *message, const char *field);
/* 400 "invalid", led by the first of o->errors (there is at least one). */
void outcome_invalid(outcome *o);
/* 400 "invalid" for one field: its error added, then outcome_invalid. */
void outcome_invalid_field(outcome *o, const char *field, const char *message);
/* 500 "store_failed": logs the store's error, then rolls back when a
 * transaction is open (in_tx), so the logged cause is the real one. */
void outcome_store_failed(req *rq, outcome *o, bool in_tx);
/* Answers a failed outcome the way every route does: 500 through
 * resp_store_failed, 400 through resp_form_invalid under /api/ (pages
 * re-render their form instead), others through resp_error. */
void outcome_respond(req *rq, resp *rs, const outcome *o);
/* Answers o when it failed and says so; false leaves the caller to
 * answer the success. */
bool outcome_answered(req *rq, resp *rs, const outcome *o);
/* Loads record id and answers it as JSON with status: what an API route
 * answers once its change is done (the team, the engagement ...). */
typedef void answer_record_fn(req *rq, resp *rs, int status, int64_t id);
/* The API's answer to a change: its failure as every route answers one,
 * else the record with id, through answer. */
void outcome_answer(req *rq, resp *rs, const outcome *o, int status, int64_t id, answer_record_fn *answer);
/* A page's answer to a change: when done, 303 to the address to (with its
 * ?ok= flash); else the outcome's error. */
void outcome_redirect(req *rq, resp *rs, const outcome *o, const char *to);

/* Whose audit log a change at p belongs in: its district, or its partner. */
int64_t change_home(const place *p);
/* The change's audit entry, written inside the change's transaction. */
store_rc change_audit(req *rq, const char *what, record_kind kind, int64_t id, int64_t home,
		      const char *detail);
/* A check that asked the store: true when it could (rc STORE_OK); else
 * the change ends with 500 (outcome_store_failed, no transaction open). */
bool change_asked(req *rq, outcome *o, store_rc rc);
/* Begins the change's transaction; false (o failed with 500) when the
 * store cannot. */
bool change_begin(req *rq, outcome *o);
/* Ends a write begun with change_begin whose own part returned rc: the
 * audit entry, then commit; any failure rolls back and fails o with 500. */
void change_commit(req *rq, store_rc rc, record_kind kind, const char *what, int64_t id, int64_t home,
		   const char *detail, outcome *o);

/* Could this actor do act to some record of kind somewhere? Asked first,
 * so a person without the power hears "not allowed" whatever they sent. */
bool may_act_somewhere(const req *rq, record_kind kind, action act);
/* The districts and partners where the asker may create a record of
 * kind, as a form's choices ({"", "Choose"} first, counted in *n);
 * with_kind labels each "Name (District)". */
store_rc creatable_org_choices(req *rq, record_kind kind, bool with_kind, form_option **out, size_t *n);

#endif
