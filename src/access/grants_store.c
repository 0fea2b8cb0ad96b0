/* Loading a person's grants: person_role joined with org, so that each
 * role carries the district or partner it sits in, which is what the
 * access policy compares. */
#include "grants.h"

#include <string.h>

#include "../base/util.h"

/* Inactive roles and roles at a deactivated organization give nothing;
 * ordered by the role's id so "the first district" is stable. */
static const char grants_sql[] = "SELECT r.role, o.id, o.kind, o.parent_id, o.name FROM person_role r "
				 "JOIN org o ON o.id = r.org_id "
				 "WHERE r.person_id = $1 AND r.active = 1 AND o.active = 1 ORDER BY r.id";

/* A district is its own district; a school's district is its parent; a
 * partner stands outside any district. */
static grant grant_at(role r, int64_t org_id, const char *kind, int64_t parent_id)
{
	grant g = {.role = r, .org_id = org_id};
	if (str_eq(kind, "district")) g.district_id = org_id;
	else if (str_eq(kind, "school")) g.district_id = parent_id;
	else if (str_eq(kind, "partner")) g.partner_id = org_id;
	return g;
}

store_rc grants_load(store *s, arena *a, int64_t person_id, grant **grants, held_role **roles, size_t *n)
{
	*grants = NULL;
	if (roles) *roles = NULL;
	*n = 0;
	sql_arg args[] = {ARG_INT(person_id)};
	store_rows r;
	store_rc rc = store_query(s, a, grants_sql, args, 1, &r);
	if (rc != STORE_OK) return rc;
	grant *g = arena_calloc(a, r.nrows ? r.nrows : 1, sizeof *g);
	held_role *h = roles ? arena_calloc(a, r.nrows ? r.nrows : 1, sizeof *h) : NULL;
	size_t k = 0;
	for (size_t i = 0; i < r.nrows; i++) {
		role rl;
		/* The schema's CHECK keeps out other names; one that slipped
		 * past (a newer schema) grants nothing here. */
		if (!role_parse(rows_get(&r, i, 0), &rl)) continue;
		g[k] = grant_at(rl, rows_int(&r, i, 1), rows_get(&r, i, 2), rows_int(&r, i, 3));
		if (h) h[k] = (held_role){g[k], rows_get(&r, i, 4), rows_get(&r, i, 2)};
		k++;
	}
	*grants = g;
	if (roles) *roles = h;
	*n = k;
	return STORE_OK;
}

/* The districts that accepted an agreement with each partner where person
 * $1 is a coach or partner staff (partner_reach: accepted or active ones). */
static const char engaged_sql[] =
	"SELECT e.partner_id, e.district_id FROM partner_reach e JOIN org d ON d.id = e.district_id "
	"WHERE d.active = 1 AND e.partner_id IN ("
	"  SELECT r.org_id FROM person_role r JOIN org o ON o.id = r.org_id "
	"  WHERE r.person_id = $1 AND r.active = 1 AND o.active = 1 AND o.kind = 'partner' "
	"  AND r.role IN ('coach', 'partner_staff')) "
	"GROUP BY e.partner_id, e.district_id ORDER BY e.partner_id, e.district_id";

static bool partner_side(const grant *g)
{
	return g->partner_id && !g->district_id && (g->role == ROLE_COACH || g->role == ROLE_PARTNER_STAFF);
}

/* A partner coach works in the districts their partner serves: each
 * partner-side grant also yields, per district engaged, the same role at
 * that district (org and district = the district, partner = the partner),
 * so they reach its people, teams and sessions. Only the districts that
 * accepted an agreement count: a draft, a proposal or a declined one gives
 * nothing, and ending the engagement ends the reach. */
static store_rc derive_engaged_grants(store *s, arena *a, int64_t person_id, grant **g, size_t *n)
{
	size_t partner_grants = 0;
	for (size_t i = 0; i < *n; i++) partner_grants += partner_side(&(*g)[i]);
	if (!partner_grants) return STORE_OK;
	sql_arg args[] = {ARG_INT(person_id)};
	store_rows r;
	store_rc rc = store_query(s, a, engaged_sql, args, 1, &r);
	if (rc != STORE_OK || !r.nrows) return rc;
	grant *out = arena_calloc(a, *n + partner_grants * r.nrows, sizeof *out);
	memcpy(out, *g, *n * sizeof *out);
	size_t k = *n;
	for (size_t i = 0; i < *n; i++) {
		if (!partner_side(&out[i])) continue;
		for (size_t row = 0; row < r.nrows; row++) {
			if (rows_int(&r, row, 0) != out[i].partner_id) continue;
			int64_t d = rows_int(&r, row, 1);
			out[k++] = (grant){.role = out[i].role,
					   .org_id = d,
					   .district_id = d,
					   .partner_id = out[i].partner_id};
		}
	}
	*g = out;
	*n = k;
	return STORE_OK;
}

store_rc actor_load_grants(store *s, arena *a, actor *who)
{
	grant *g;
	size_t n;
	store_rc rc = grants_load(s, a, who->person_id, &g, NULL, &n);
	if (rc == STORE_OK) rc = derive_engaged_grants(s, a, who->person_id, &g, &n);
	if (rc != STORE_OK) return rc;
	who->grants = g;
	who->ngrants = n;
	return STORE_OK;
}

int64_t grants_home(const grant *g, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (g[i].district_id) return g[i].district_id;
	for (size_t i = 0; i < n; i++)
		if (g[i].partner_id) return g[i].partner_id;
	return 0;
}

place *grants_places(arena *a, const grant *g, size_t n)
{
	place *p = arena_calloc(a, n ? n : 1, sizeof *p);
	for (size_t i = 0; i < n; i++) p[i] = (place){g[i].org_id, g[i].district_id, g[i].partner_id};
	return p;
}
