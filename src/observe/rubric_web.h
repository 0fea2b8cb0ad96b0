/* Rubric pages and API (src/observe/rubric_pages.c, rubric_api.c): the
 * handlers routes.c names, and the checked changes both go through
 * (src/observe/rubric_change.c). */
#ifndef COACHD_RUBRIC_WEB_H
#define COACHD_RUBRIC_WEB_H

#include <stdbool.h>
#include <stdint.h>

#include "../access/policy.h"
#include "../html/form.h"
#include "../http/http.h"
#include "../web/change.h"
#include "rubric.h"

/* ---- the policy's view of a rubric (rubric_change.c) ---- */

/* What the asker may do to a rubric of org_id (0: built in, placed
 * nowhere); a failed read is told apart from a refusal. */
typedef struct rubric_rights {
	bool read, update, retire;
} rubric_rights;
store_rc rubric_rights_of(req *rq, int64_t org_id, rubric_rights *out);
/* The districts and partners where the asker may create rubrics, as
 * choices ({"", "Choose"} first); *n counts them with that first one. */
store_rc rubric_org_choices(req *rq, form_option **out, size_t *n);
/* The built-ins and the rubrics of the places the asker reads, each
 * through may(); a retired one only for those who may bring it back. */
store_rc rubrics_visible(req *rq, rubric_summary **out, size_t *n);
/* Adds the problems to e, as a form shows them. */
void rubric_problems_to_errors(const rubric_problem *p, size_t n, form_errors *e);

/* ---- loading for a handler (rubric_change.c): each answers and returns
 * false when the handler should stop ---- */

/* The rubric of {id}, readable by the asker; 404 otherwise. */
bool rubric_load_readable(req *rq, resp *rs, rubric_summary *r);
/* The same, and writable by the asker; 403 otherwise (built-ins always). */
bool rubric_load_writable(req *rq, resp *rs, rubric_summary *r);
/* The id of r's version numbered {n}; 404 when there is none. */
bool rubric_version_param(req *rq, resp *rs, const rubric_summary *r, int64_t *version_id);
/* The version a walk, an observation or a calibration session pins: it
 * exists (the schema keeps it), so one that cannot be read answers 500. */
bool rubric_version_pinned(req *rq, resp *rs, int64_t version_id, rubric_version *v);

/* ---- checked changes (rubric_change.c): may(), the rules, one
 * transaction with its audit entry ---- */

/* A new rubric of in->org_id. Permissions: may(CREATE, rubric) there. */
void rubric_save_new(req *rq, rubric_input *in, rubric_saved *saved, outcome *out);
/* The rubric's content and name: in place while its current version is
 * unused, else a new version (rubric_update). *removed lists the codes
 * the last version had and this one has not (a warning, not a refusal).
 * Permissions: may(UPDATE, rubric) at its org; built-ins never change. */
void rubric_save(req *rq, int64_t rubric_id, rubric_input *in, rubric_saved *saved, const char ***removed,
		 size_t *nremoved, outcome *out);
/* A copy of the rubric's current version for org_id, named name (NULL:
 * the rubric's name with the org's). Permissions: may(READ) of the rubric,
 * may(CREATE, rubric) at org_id. */
void rubric_make_copy(req *rq, int64_t rubric_id, int64_t org_id, const char *name, rubric_saved *saved,
		      outcome *out);
/* Retires a rubric (active false) or brings it back. 409 when it already
 * is so. Permissions: may(DEACTIVATE, rubric) at its org. */
void rubric_retire(req *rq, int64_t rubric_id, bool active, outcome *out);

/* ---- pages (rubric_pages.c) and API (rubric_api.c) ---- */

handler_fn page_rubrics, page_rubric_new, page_rubric_create, page_rubric, page_rubric_version,
	page_rubric_edit, page_rubric_update, page_rubric_copy, page_rubric_retire, page_rubric_restore;
handler_fn api_rubrics, api_rubric, api_rubric_version, api_rubric_create, api_rubric_update, api_rubric_copy,
	api_rubric_retire, api_rubric_restore;

#endif
