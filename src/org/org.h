/* Organizations: partners (technical-assistance providers), districts and
 * their schools. Domain rules here; storage in org_store.c; pages and API
 * in org_pages.c. */
#ifndef COACHD_ORG_H
#define COACHD_ORG_H

#include <stdbool.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../http/http.h"
#include "../store/store.h"

typedef struct org {
	int64_t id;
	const char *kind;          /* partner, district, school */
	const char *name;
	int64_t parent_id;         /* the district of a school; 0 otherwise */
	const char *parent_name;
	const char *district_type;
	const char *size_band;
	int64_t people;            /* active people holding a role here */
} org;

typedef struct org_filter {
	const char *kind;          /* NULL: every kind */
	const char *q;             /* NULL: no name search */
} org_filter;

bool org_kind_valid(const char *kind);
const char *org_kind_label(const char *kind);

store_rc org_list(store *s, arena *a, const org_filter *f, org **out, size_t *n);
/* *found is false (and STORE_OK returned) when there is no such org. */
store_rc org_get(store *s, arena *a, int64_t id, org *out, bool *found);
store_rc org_children(store *s, arena *a, int64_t id, org **out, size_t *n);

handler_fn page_orgs, page_org, api_orgs, api_org;

#endif
