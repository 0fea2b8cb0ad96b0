/* Organizations: partners (technical-assistance providers), districts and
 * their schools. Domain rules in org.c; storage in org_store.c; the checked
 * changes pages and API share in org_change.c; pages in org_pages.c and
 * the JSON API in org_api.c. */
#ifndef COACHD_ORG_H
#define COACHD_ORG_H

#include <stdbool.h>
#include <stdint.h>

#include "../access/policy.h"
#include "../base/arena.h"
#include "../html/form.h"
#include "../http/http.h"
#include "../store/store.h"
#include "../web/change.h"

enum {
	NAME_MAX_CHARS = 200,  /* an organization's or a person's name */
	SEARCH_MAX_BYTES = 200 /* a search box's text */
};

/* The context partners report for a district (seeds 002 and 003): four
 * yes/no flags beside the district type and size band. */
typedef enum org_flag { FLAG_ELL, FLAG_SWD, FLAG_ECON, FLAG_SOC, ORG_FLAG_COUNT } org_flag;

typedef struct org {
	int64_t id;
	const char *kind; /* partner, district, school */
	const char *name;
	int64_t parent_id; /* the district of a school; 0 otherwise */
	const char *parent_name;
	const char *district_type; /* a code of district_types(), or NULL */
	const char *size_band;     /* a code of size_bands(), or NULL */
	bool flags[ORG_FLAG_COUNT];
	bool active;
	int64_t people; /* active people holding an active role here */
} org;

/* What a form or a JSON body asks an organization to be, trimmed; codes
 * as given ("" or NULL: not recorded). org_check says what is wrong. */
typedef struct org_input {
	const char *kind;
	const char *name;
	int64_t parent_id;      /* 0: none */
	bool parent_unreadable; /* a parent was given but is not an id */
	const char *district_type;
	const char *size_band;
	bool flags[ORG_FLAG_COUNT];
} org_input;

typedef struct org_filter {
	const char *kind; /* NULL: every kind */
	const char *q;    /* NULL: no name search */
} org_filter;

/* ---- rules (org.c, pure) ---- */
bool org_kind_valid(const char *kind);
const char *org_kind_label(const char *kind);
/* The codes and their labels, for selects and for checking. */
const form_option *district_types(size_t *n);
const form_option *size_bands(size_t *n);
/* NULL for a code that is not one. */
const char *district_type_label(const char *code);
const char *size_band_label(const char *code);
/* "flag_ell": the column, form field and JSON member of a flag. */
const char *org_flag_field(org_flag f);
const char *org_flag_label(org_flag f);

/* NULL when name (already trimmed) may name an organization or a person:
 * 1 to NAME_MAX_CHARS characters, no control characters; else a sentence
 * saying what is wrong. */
const char *name_problem(const char *name);
/* Adds an error per field that is wrong. A school needs its district and
 * only a school has one; the district context belongs to districts. */
void org_check(const org_input *in, form_errors *e);
/* The input that leaves o as it is (for edits and partial updates). */
org_input org_input_of(const org *o);

/* Where an org sits for the policy: a school in its district, a district
 * in itself, a partner in itself (as partner). */
place org_place(const char *kind, int64_t id, int64_t parent_id);
/* The record may() is asked about for an org at p; p NULL: a new district
 * or partner, which belongs to no place yet (installation level). */
record org_record(const place *p);

/* ---- visibility in SQL (org_store.c) ----
 * A list query binds the actor's visibility as the first VIS_NARGS
 * arguments ($1: every place, $2..$9 org slots, $10..$17 district or
 * partner slots, NULL where unused) so its text never varies; VIS_PLACE(o)
 * matches an org row o inside them. Rows are still checked with may(). */
enum { VIS_NARGS = 1 + 2 * VISIBILITY_MAX };
#define VIS_ALL "CAST($1 AS BIGINT) = 1"
#define VIS_ORG_SLOTS \
	"(CAST($2 AS BIGINT), CAST($3 AS BIGINT), CAST($4 AS BIGINT), CAST($5 AS BIGINT), " \
	"CAST($6 AS BIGINT), CAST($7 AS BIGINT), CAST($8 AS BIGINT), CAST($9 AS BIGINT))"
#define VIS_DISTRICT_SLOTS \
	"(CAST($10 AS BIGINT), CAST($11 AS BIGINT), CAST($12 AS BIGINT), CAST($13 AS BIGINT), " \
	"CAST($14 AS BIGINT), CAST($15 AS BIGINT), CAST($16 AS BIGINT), CAST($17 AS BIGINT))"
/* A school's district is its parent; a district or partner is its own. */
#define VIS_PLACE(o) \
	"(" o ".id IN " VIS_ORG_SLOTS " OR COALESCE(" o ".parent_id, " o ".id) IN " VIS_DISTRICT_SLOTS ")"
void visibility_args(const visibility *v, sql_arg out[VIS_NARGS]);
/* A LIKE pattern matching q anywhere, its own % _ \ taken literally. */
const char *like_contains(arena *a, const char *q);

/* ---- storage (org_store.c) ---- */
/* Active organizations the visibility reaches, partners first, then each
 * district followed by its schools. */
store_rc org_list(store *s, arena *a, const org_filter *f, const visibility *v, org **out, size_t *n);
/* As org_list for selects: id, kind, name and district only (no people
 * count); kind NULL for every kind. */
store_rc org_choices(store *s, arena *a, const char *kind, const visibility *v, org **out, size_t *n);
/* Active or not; *found is false (and STORE_OK returned) when there is no
 * such org. */
store_rc org_get(store *s, arena *a, int64_t id, org *out, bool *found);
/* The active schools of a district. */
store_rc org_children(store *s, arena *a, int64_t id, org **out, size_t *n);
store_rc org_insert(store *s, arena *a, const org_input *in, int64_t *id);
store_rc org_update(store *s, arena *a, int64_t id, const org_input *in);
store_rc org_deactivate(store *s, arena *a, int64_t id);

/* ---- changes (org_change.c): checks, may(), transaction, audit ---- */

void org_create(req *rq, const org_input *in, outcome *out);
/* in is the whole new state (org_input_of the old one, changed). */
void org_change(req *rq, const org *old, const org_input *in, outcome *out);
void org_retire(req *rq, const org *o, outcome *out);
/* For the record to check: the org's place, or the new district's for a
 * school moving, so both ends must allow it. */
bool may_org(const req *rq, action act, const org *o);
/* May the actor create a school in district_id? (district_id 0: a new
 * district or partner.) */
bool may_create_org_in(const req *rq, int64_t district_id);
/* The districts a school could be created in by this actor. */
store_rc org_parent_choices(req *rq, org **out, size_t *n);

/* ---- loaders and lists the pages and the API share (org_change.c): each answers
 * the request itself (404, 403, 500) and returns false when it did ---- */
/* Reads ?kind= and ?q=; answers 400 naming the field when kind is unknown. */
bool org_filter_read(req *rq, resp *rs, org_filter *f);
/* The organizations the actor may see that match f: filtered in SQL by
 * the policy's visibility, then each row checked with may(). */
store_rc org_visible(req *rq, const org_filter *f, org **out, size_t *n);
/* Loads the org named by {id}; answers 404 (also for one the actor may
 * not read, so that its existence is not told) or 500 and returns false. */
bool org_load(req *rq, resp *rs, org *o);

/* ---- pages (org_pages.c) and API (org_api.c) ---- */
handler_fn page_orgs, page_org, page_org_new, page_org_create, page_org_edit, page_org_update,
	page_org_deactivate;
handler_fn api_orgs, api_org, api_org_create, api_org_update, api_org_deactivate;

#endif
