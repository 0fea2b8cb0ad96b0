/* A property of the trust contract, on SQLite and PostgreSQL: no role
 * reaches a district without a grant the district gave. Many small random
 * worlds (districts with schools, partners, people holding random roles,
 * agreements in every state) are written to the store; every person's
 * grants are loaded as a request loads them (actor_load_grants, with the
 * grants a partner's agreements derive), and every kind of record at every
 * district and school is asked about with every action. Whenever may()
 * says yes, the person must hold a role in that district themselves, or a
 * coach or staff role at a partner whose agreement the district accepted
 * (accepted or active). The records name nobody, so no rule about the
 * people inside a record can be what answered. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "access/actor.h"
#include "access/grants.h"
#include "access/policy.h"
#include "base/arena.h"
#include "base/util.h"
#include "store/store.h"
#include "testdb.h"

enum {
	WORLDS = 40, /* random worlds per backend */
	DISTRICTS = 3,
	SCHOOLS = 2, /* per district */
	PARTNERS = 3,
	PEOPLE = 10,
	ROLES_MAX = 3, /* per person */
	AGREEMENTS = 6
};

typedef struct fixture {
	store *s;
	arena *a;
	testdb tdb;
} fixture;

#define F ((fixture *)*state)

static const int64_t T0 = 1700000000;

/* A small deterministic generator, so a failure is the same on every run. */
static uint64_t next(uint64_t *seed)
{
	*seed ^= *seed << 13;
	*seed ^= *seed >> 7;
	*seed ^= *seed << 17;
	return *seed;
}

static size_t pick(uint64_t *seed, size_t n)
{
	return (size_t)(next(seed) % n);
}

typedef struct world {
	int64_t district[DISTRICTS], school[DISTRICTS][SCHOOLS], partner[PARTNERS];
	int64_t person[PEOPLE];
	/* What was written, to judge may() by: the roles and the agreements. */
	struct held {
		int64_t person, org;
		role r;
	} roles[PEOPLE * ROLES_MAX];
	size_t nroles;
	struct agreement {
		int64_t partner, district;
		const char *state;
	} agreements[AGREEMENTS];
} world;

static const char *const states[] = {"draft", "proposed", "accepted", "active", "ended", "declined"};

static int64_t add_org(fixture *f, const char *kind, const char *name, int64_t parent)
{
	return testdb_scalar(
		f->s, f->a,
		"INSERT INTO org (kind, name, parent_id, active, created_at) "
		"VALUES ($1, $2, $3, 1, $4) RETURNING id",
		ARGS(ARG_TEXT(kind), ARG_TEXT(name), parent ? ARG_INT(parent) : ARG_NULL, ARG_INT(T0)));
}

static void clear(fixture *f)
{
	static const char *const sql[] = {"DELETE FROM engagement", "DELETE FROM person_role",
					  "DELETE FROM person", "DELETE FROM org"};
	testdb_run_each(f->s, f->a, sql, COUNT_OF(sql));
}

/* The org a role of r may be held at, picked at random among those that
 * fit it (a partner's staff at a partner, a principal at a school, ...). */
static int64_t org_for(const world *w, role r, uint64_t *seed)
{
	size_t d = pick(seed, DISTRICTS);
	switch (r) {
	case ROLE_PARTNER_STAFF: return w->partner[pick(seed, PARTNERS)];
	case ROLE_PRINCIPAL:
	case ROLE_TEACHER: return w->school[d][pick(seed, SCHOOLS)];
	case ROLE_DISTRICT_LEADER: return w->district[d];
	case ROLE_COACH: return pick(seed, 2) ? w->partner[pick(seed, PARTNERS)] : w->district[d];
	default: return pick(seed, 2) ? w->district[d] : w->school[d][pick(seed, SCHOOLS)];
	}
}

static void make_world(fixture *f, world *w, uint64_t *seed)
{
	*w = (world){0};
	clear(f);
	for (size_t d = 0; d < DISTRICTS; d++) {
		w->district[d] = add_org(f, "district", arena_printf(f->a, "District %zu", d), 0);
		for (size_t s = 0; s < SCHOOLS; s++)
			w->school[d][s] = add_org(f, "school", arena_printf(f->a, "School %zu.%zu", d, s),
						  w->district[d]);
	}
	for (size_t p = 0; p < PARTNERS; p++)
		w->partner[p] = add_org(f, "partner", arena_printf(f->a, "Partner %zu", p), 0);
	for (size_t i = 0; i < PEOPLE; i++) {
		w->person[i] =
			testdb_scalar(f->s, f->a,
				      "INSERT INTO person (name, email, active, created_at) "
				      "VALUES ($1, $2, 1, $3) RETURNING id",
				      ARGS(ARG_TEXT(arena_printf(f->a, "Person %zu", i)),
					   ARG_TEXT(arena_printf(f->a, "p%zu@example.org", i)), ARG_INT(T0)));
		size_t n = 1 + pick(seed, ROLES_MAX);
		for (size_t k = 0; k < n; k++) {
			role r = (role)pick(seed, ROLE_COUNT);
			int64_t org = org_for(w, r, seed);
			bool again = false;
			for (size_t j = 0; j < w->nroles; j++)
				again |= w->roles[j].person == w->person[i] && w->roles[j].org == org &&
					w->roles[j].r == r;
			if (again) continue;
			testdb_run(f->s, f->a,
				   "INSERT INTO person_role (person_id, org_id, role, active) VALUES ($1, "
				   "$2, $3, 1)",
				   ARGS(ARG_INT(w->person[i]), ARG_INT(org), ARG_TEXT(role_name(r))));
			w->roles[w->nroles++] = (struct held){w->person[i], org, r};
		}
	}
	for (size_t e = 0; e < AGREEMENTS; e++) {
		struct agreement *g = &w->agreements[e];
		*g = (struct agreement){w->partner[pick(seed, PARTNERS)], w->district[pick(seed, DISTRICTS)],
					states[pick(seed, COUNT_OF(states))]};
		testdb_run(f->s, f->a,
			   "INSERT INTO engagement (partner_id, district_id, title, starts_on, ends_on, "
			   "state, created_at) "
			   "VALUES ($1, $2, 'Agreement', '2025-08-01', '2026-06-30', $3, $4)",
			   ARGS(ARG_INT(g->partner), ARG_INT(g->district), ARG_TEXT(g->state), ARG_INT(T0)));
	}
}

/* Did district d give person reach: a role of theirs in the district (at
 * it or one of its schools), or a coach or staff role at a partner whose
 * agreement with the district it accepted? */
static bool district_gave(const world *w, size_t d, int64_t person)
{
	for (size_t i = 0; i < w->nroles; i++) {
		const struct held *h = &w->roles[i];
		if (h->person != person) continue;
		if (h->org == w->district[d]) return true;
		for (size_t s = 0; s < SCHOOLS; s++)
			if (h->org == w->school[d][s]) return true;
		if (h->r != ROLE_COACH && h->r != ROLE_PARTNER_STAFF) continue;
		for (size_t e = 0; e < AGREEMENTS; e++) {
			const struct agreement *g = &w->agreements[e];
			if (g->partner == h->org && g->district == w->district[d] &&
			    (str_eq(g->state, "accepted") || str_eq(g->state, "active")))
				return true;
		}
	}
	return false;
}

typedef struct tally {
	size_t asked, allowed, through_agreement;
} tally;

/* Every kind × action at each place of district d (the district, each
 * school) as person with the grants a request would load. */
static void judge_district(fixture *f, const world *w, size_t d, const actor *a, tally *t)
{
	bool gave = district_gave(w, d, a->person_id);
	bool own_role = false;
	for (size_t i = 0; i < a->ngrants; i++)
		own_role |= a->grants[i].district_id == w->district[d] && !a->grants[i].partner_id;
	place at[1 + SCHOOLS];
	at[0] = (place){w->district[d], w->district[d], 0};
	for (size_t s = 0; s < SCHOOLS; s++) at[1 + s] = (place){w->school[d][s], w->district[d], 0};
	for (size_t p = 0; p < COUNT_OF(at); p++)
		for (int k = 0; k < REC_KIND_COUNT; k++) {
			/* The directory of organizations is open to anyone signed in. */
			if (k == REC_ORG) continue;
			record r = {.kind = (record_kind)k, .places = &at[p], .nplaces = 1};
			for (int act = 0; act < ACT_COUNT; act++) {
				t->asked++;
				if (!may(a, (action)act, &r)) continue;
				t->allowed++;
				t->through_agreement += !own_role;
				if (!gave)
					fail_msg("person %lld may %s a %s of district %lld that gave them "
						 "nothing",
						 (long long)a->person_id, action_name((action)act),
						 record_kind_name((record_kind)k), (long long)w->district[d]);
			}
		}
	(void)f;
}

static void test_no_reach_without_a_grant_the_district_gave(void **state)
{
	fixture *f = F;
	uint64_t seed = 0x9E3779B97F4A7C15ull;
	tally t = {0};
	for (int round = 0; round < WORLDS; round++) {
		world w;
		make_world(f, &w, &seed);
		for (size_t i = 0; i < PEOPLE; i++) {
			actor a = {.person_id = w.person[i]};
			assert_int_equal(actor_load_grants(f->s, f->a, &a), STORE_OK);
			/* A derived grant names a district that accepted the partner. */
			for (size_t g = 0; g < a.ngrants; g++) {
				if (!(a.grants[g].district_id && a.grants[g].partner_id)) continue;
				bool accepted = false;
				for (size_t e = 0; e < AGREEMENTS; e++)
					accepted |= w.agreements[e].partner == a.grants[g].partner_id &&
						w.agreements[e].district == a.grants[g].district_id &&
						(str_eq(w.agreements[e].state, "accepted") ||
						 str_eq(w.agreements[e].state, "active"));
				assert_true(accepted);
			}
			for (size_t d = 0; d < DISTRICTS; d++) judge_district(f, &w, d, &a, &t);
		}
	}
	/* Not vacuous: people were let in, some only through an agreement. */
	assert_true(t.asked > 10000);
	assert_true(t.allowed > 100);
	assert_true(t.through_agreement > 10);
	print_message("reach: %zu questions, %zu allowed, %zu through an accepted agreement\n", t.asked,
		      t.allowed, t.through_agreement);
	clear(f);
}

TESTDB_GROUP_FIXTURES("test_reach", "reach", true)

static int setup_test(void **state)
{
	F->a = arena_new();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_no_reach_without_a_grant_the_district_gave, setup_test,
						teardown_test),
	};
	return TESTDB_RUN_GROUPS("reach", "reach", tests);
}
