/* Unit tests for organizations and people: the pure rules (email shape,
 * names, district codes and flags, which role fits which org, places for
 * the policy), and the storage behind the directory (visibility filters,
 * case-insensitive email, reviving a revoked role) on SQLite and, when
 * COACHD_TEST_PG is set, PostgreSQL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/arena.h"
#include "base/util.h"
#include "org/org.h"
#include "people/people.h"
#include "store/store.h"
#include "testdb.h"

/* ---- email ---- */

static void test_email_accepts_ordinary_addresses(void **state)
{
	(void)state;
	const char *good[] = {"a@b.org",
			      "tom.becker@example.org",
			      "first.last+math@sub.school.k12.us",
			      "o'brien@district41.org",
			      "X_Y-z@EXAMPLE.ORG",
			      "a@xn--bcher-kva.example"};
	for (size_t i = 0; i < COUNT_OF(good); i++) {
		const char *problem = email_problem(good[i]);
		if (problem) fail_msg("%s: %s", good[i], problem);
	}
}

static void test_email_refuses_what_is_not_an_address(void **state)
{
	(void)state;
	const char *bad[] = {"",
			     "no-at-sign",
			     "@example.org",
			     "tom@",
			     "tom@@example.org",
			     "tom@becker@example.org",
			     "tom becker@example.org",
			     "tom@example",
			     "tom@-example.org",
			     "tom@example-.org",
			     "tom@example..org",
			     ".tom@example.org",
			     "tom.@example.org",
			     "tom..b@example.org",
			     "tom@192.168.1.1",
			     "\"tom\"@example.org",
			     "tom@exa_mple.org",
			     "tom\t@example.org",
			     "tom@example.org.",
			     "tom(x)@example.org"};
	for (size_t i = 0; i < COUNT_OF(bad); i++)
		if (!email_problem(bad[i])) fail_msg("accepted \"%s\"", bad[i]);
	assert_non_null(email_problem(NULL));
}

static void test_email_limits(void **state)
{
	(void)state;
	char local[80], whole[300];
	memset(local, 'a', 64);
	local[64] = 0;
	snprintf(whole, sizeof whole, "%s@example.org", local);
	assert_null(email_problem(whole));
	memset(local, 'a', 65);
	local[65] = 0;
	snprintf(whole, sizeof whole, "%s@example.org", local);
	assert_non_null(email_problem(whole));
	/* Over 254 bytes in all, every part within its own limit. */
	char domain[260] = "";
	while (strlen(domain) < 250) strcat(domain, "abcdefghi.");
	strcat(domain, "org");
	snprintf(whole, sizeof whole, "abc@%s", domain);
	assert_true(strlen(whole) > EMAIL_MAX_BYTES);
	assert_string_equal(email_problem(whole), "The email address is longer than 254 characters.");
}

/* ---- names and trimming ---- */

static void test_name_rules(void **state)
{
	(void)state;
	assert_non_null(name_problem(""));
	assert_non_null(name_problem(NULL));
	assert_null(name_problem("A"));
	assert_null(name_problem("Prairie Glen School District 41"));
	char name[1200];
	memset(name, 'x', 200);
	name[200] = 0;
	assert_null(name_problem(name));
	name[200] = 'x';
	name[201] = 0;
	assert_string_equal(name_problem(name), "The name is longer than 200 characters.");
	/* Characters, not bytes: 200 two-byte letters are a fine name. */
	name[0] = 0;
	for (int i = 0; i < 200; i++) strcat(name, "é");
	assert_int_equal(strlen(name), 400);
	assert_null(name_problem(name));
	strcat(name, "é");
	assert_non_null(name_problem(name));
	assert_non_null(name_problem("Tom\nBecker"));
	assert_non_null(name_problem("Tom\tBecker"));
	assert_non_null(name_problem("Tom\x7f"));
}

static void test_text_trim(void **state)
{
	(void)state;
	arena *a = arena_new();
	assert_string_equal(text_trim(a, "  Tom Becker \r\n"), "Tom Becker");
	assert_string_equal(text_trim(a, " \t "), "");
	assert_string_equal(text_trim(a, "a b"), "a b");
	assert_null(text_trim(a, NULL));
	arena_free(a);
}

/* ---- organizations ---- */

static void test_district_codes_and_labels(void **state)
{
	(void)state;
	size_t n;
	const form_option *bands = size_bands(&n);
	assert_int_equal(n, 5);
	/* The demo has always stored this code. */
	assert_string_equal(size_band_label("2500-10000"), "2,500–10,000 students");
	assert_string_equal(bands[0].value, "under-2500");
	assert_string_equal(bands[4].value, "over-100000");
	assert_null(size_band_label("tiny"));
	assert_null(size_band_label(NULL));
	const form_option *types = district_types(&n);
	assert_int_equal(n, 7);
	const char *expected[] = {"traditional", "charter",  "private", "parochial",
				  "rural",       "suburban", "urban"};
	for (size_t i = 0; i < n; i++) assert_string_equal(types[i].value, expected[i]);
	assert_string_equal(district_type_label("suburban"), "Suburban");
	assert_null(district_type_label("Suburban"));
	assert_string_equal(org_flag_field(FLAG_ELL), "flag_ell");
	assert_string_equal(org_flag_field(FLAG_SWD), "flag_swd");
	assert_string_equal(org_flag_field(FLAG_ECON), "flag_econ");
	assert_string_equal(org_flag_field(FLAG_SOC), "flag_soc");
	assert_non_null(strstr(org_flag_label(FLAG_SOC), "80 %"));
	assert_non_null(strstr(org_flag_label(FLAG_ECON), "60 %"));
}

static form_errors check(const org_input *in)
{
	form_errors e = {0};
	org_check(in, &e);
	return e;
}

static void test_org_check(void **state)
{
	(void)state;
	org_input district = {.kind = "district",
			      .name = "Riverside Unified",
			      .district_type = "rural",
			      .size_band = "10001-50000",
			      .flags = {true, false, true, true}};
	assert_int_equal(check(&district).n, 0);

	org_input school = {.kind = "school", .name = "Oak Elementary"};
	form_errors e = check(&school);
	assert_int_equal(e.n, 1);
	assert_string_equal(e.items[0].field, "parent_id");
	school.parent_id = 7;
	assert_int_equal(check(&school).n, 0);
	school.parent_unreadable = true;
	e = check(&school);
	assert_non_null(form_error_for(&e, "parent_id"));

	org_input partner = {.kind = "partner", .name = "Lakeshore", .parent_id = 3};
	e = check(&partner);
	assert_non_null(form_error_for(&e, "parent_id"));

	org_input context_on_school = {.kind = "school",
				       .name = "Oak",
				       .parent_id = 2,
				       .district_type = "urban",
				       .size_band = "under-2500",
				       .flags = {false, true, false, false}};
	e = check(&context_on_school);
	assert_non_null(form_error_for(&e, "district_type"));
	assert_non_null(form_error_for(&e, "size_band"));
	assert_non_null(form_error_for(&e, "flag_swd"));
	assert_null(form_error_for(&e, "flag_ell"));

	org_input bad_codes = {
		.kind = "district", .name = "D", .district_type = "county", .size_band = "2500"};
	e = check(&bad_codes);
	assert_non_null(form_error_for(&e, "district_type"));
	assert_non_null(form_error_for(&e, "size_band"));

	org_input nothing = {0};
	e = check(&nothing);
	assert_non_null(form_error_for(&e, "kind"));
	assert_non_null(form_error_for(&e, "name"));

	/* Empty codes mean "not recorded". */
	org_input plain = {.kind = "district", .name = "D", .district_type = "", .size_band = ""};
	assert_int_equal(check(&plain).n, 0);
}

static void test_org_places(void **state)
{
	(void)state;
	place s = org_place("school", 5, 2);
	assert_true(s.org_id == 5 && s.district_id == 2 && s.partner_id == 0);
	place d = org_place("district", 2, 0);
	assert_true(d.org_id == 2 && d.district_id == 2 && d.partner_id == 0);
	place p = org_place("partner", 9, 0);
	assert_true(p.org_id == 9 && p.district_id == 0 && p.partner_id == 9);
	record r = org_record(&s);
	assert_int_equal(r.kind, REC_ORG);
	assert_int_equal(r.nplaces, 1);
	record top = org_record(NULL);
	assert_int_equal(top.nplaces, 0);
}

/* ---- people and roles ---- */

static void test_role_fits_org(void **state)
{
	(void)state;
	static const char *const kinds[] = {"partner", "district", "school"};
	/* role × kind: 1 where the role may be held. */
	static const int fits[ROLE_COUNT][3] = {
		[ROLE_ADMIN] = {1, 1, 1},     [ROLE_DISTRICT_LEADER] = {0, 1, 0},
		[ROLE_PRINCIPAL] = {0, 0, 1}, [ROLE_COACH] = {1, 1, 1},
		[ROLE_TEACHER] = {0, 0, 1},   [ROLE_PARTNER_STAFF] = {1, 0, 0},
	};
	for (int r = 0; r < ROLE_COUNT; r++)
		for (int k = 0; k < 3; k++)
			if ((role_org_problem((role)r, kinds[k]) == NULL) != fits[r][k])
				fail_msg("%s at a %s", role_name((role)r), kinds[k]);
	assert_non_null(role_org_problem(ROLE_COACH, "county"));
}

static void test_new_person_check(void **state)
{
	(void)state;
	person_input ok = {.name = "Nia Cole", .email = "nia@example.org", .role = "teacher", .org_id = 4};
	form_errors e = {0};
	person_check_new(&ok, &e);
	assert_int_equal(e.n, 0);
	ok.password = "a long enough passphrase";
	person_check_new(&ok, &e);
	assert_int_equal(e.n, 0);

	person_input bad = {.name = "", .email = "nia", .role = "janitor", .org_id = 0, .password = "short"};
	person_check_new(&bad, &e);
	assert_non_null(form_error_for(&e, "name"));
	assert_non_null(form_error_for(&e, "email"));
	assert_non_null(form_error_for(&e, "role"));
	assert_non_null(form_error_for(&e, "org_id"));
	assert_non_null(form_error_for(&e, "password"));

	form_errors missing = {0};
	person_input none = {.name = "N", .email = "n@example.org"};
	person_check_new(&none, &missing);
	assert_string_equal(form_error_for(&missing, "role"), "Choose a role.");
	assert_non_null(form_error_for(&missing, "org_id"));
	form_errors unreadable = {0};
	role_check("coach", 0, true, &unreadable);
	assert_string_equal(form_error_for(&unreadable, "org_id"), "Choose the organization from the list.");

	/* An edit may leave an absent email absent, not a present one. */
	form_errors edit = {0};
	person_input rostered = {.name = "Rostered", .email = ""};
	person_check_edit(&rostered, false, &edit);
	assert_int_equal(edit.n, 0);
	person_check_edit(&rostered, true, &edit);
	assert_non_null(form_error_for(&edit, "email"));
}

static void test_person_record_places(void **state)
{
	(void)state;
	arena *a = arena_new();
	held roles[] = {
		{.id = 1, .role = ROLE_TEACHER, .org_id = 5, .org_kind = "school", .org_parent_id = 2},
		{.id = 2, .role = ROLE_ADMIN, .org_id = 2, .org_kind = "district"},
		{.id = 3, .role = ROLE_PARTNER_STAFF, .org_id = 9, .org_kind = "partner"},
	};
	person p = {.id = 42, .name = "P", .roles = roles, .nroles = 3};
	record r = person_record(a, &p);
	assert_int_equal(r.kind, REC_PERSON);
	assert_int_equal(r.person_id, 42);
	assert_int_equal(r.nplaces, 3);
	assert_true(r.places[0].district_id == 2 && r.places[0].org_id == 5);
	assert_true(r.places[1].district_id == 2 && r.places[1].org_id == 2);
	assert_true(r.places[2].partner_id == 9 && r.places[2].district_id == 0);
	assert_int_equal(person_admin_roles(&p), 1);
	place at = held_place(&roles[0]);
	record grant_rec = role_record(REC_ROLE, &at, 42);
	assert_int_equal(grant_rec.kind, REC_ROLE);
	assert_int_equal(grant_rec.person_id, 42);
	/* A district leader's role is its own kind; a district's first another. */
	assert_int_equal(role_grant_kind(ROLE_TEACHER, true), REC_ROLE);
	assert_int_equal(role_grant_kind(ROLE_ADMIN, false), REC_ROLE);
	assert_int_equal(role_grant_kind(ROLE_DISTRICT_LEADER, true), REC_LEADER_ROLE);
	assert_int_equal(role_grant_kind(ROLE_DISTRICT_LEADER, false), REC_FIRST_LEADER_ROLE);
	arena_free(a);
}

/* ---- storage, on each backend ---- */

typedef struct fixture {
	testdb tdb;
	store *s;
	arena *a;
	int64_t partner, district, school, other_school, other_district;
	int64_t teacher, principal, partner_coach, far_teacher, loner;
} fixture;

static const char pg_schema[] = "coachd_test_people";

static int64_t new_org(fixture *f, const char *kind, const char *name, int64_t parent)
{
	org_input in = {.kind = kind, .name = name, .parent_id = parent};
	int64_t id = 0;
	assert_int_equal(org_insert(f->s, f->a, &in, &id), STORE_OK);
	return id;
}

static int64_t new_person(fixture *f, const char *name, const char *email, int64_t org_id,
			  const char *role_name)
{
	int64_t id = 0, rid = 0;
	assert_int_equal(person_insert(f->s, f->a, name, email, NULL, &id), STORE_OK);
	if (org_id) assert_int_equal(role_grant(f->s, f->a, id, org_id, role_name, &rid), STORE_OK);
	return id;
}

static int open_fixture(void **state, bool postgres)
{
	fixture *f = calloc(1, sizeof *f);
	*state = f;
	f->a = arena_new();
	if (testdb_open_schema(&f->tdb, "test_people", "test-people", pg_schema, postgres, f->a, &f->s) != 0)
		return -1;
	f->partner = new_org(f, "partner", "Lakeshore", 0);
	f->district = new_org(f, "district", "Prairie Glen", 0);
	f->school = new_org(f, "school", "Meadowbrook", f->district);
	f->other_school = new_org(f, "school", "Cedar Ridge", f->district);
	f->other_district = new_org(f, "district", "Far Hills", 0);
	f->teacher = new_person(f, "Tom Becker", "Tom@Example.org", f->school, "teacher");
	f->principal = new_person(f, "Priya Raman", "priya@example.org", f->other_school, "principal");
	f->partner_coach = new_person(f, "Carmen Ortiz", "carmen@example.org", f->partner, "coach");
	f->far_teacher = new_person(f, "Zed Far", "zed@example.org", f->other_district, "district_leader");
	f->loner = new_person(f, "Lone Nobody", "lone@example.org", 0, NULL);
	return 0;
}

static int setup(void **state)
{
	return open_fixture(state, false);
}

static int setup_pg(void **state)
{
	return open_fixture(state, true);
}

static int teardown(void **state)
{
	fixture *f = *state;
	testdb_close(&f->tdb, "test_people", f->s);
	arena_free(f->a);
	free(f);
	return 0;
}

#define F ((fixture *)*state)

/* The names people_list returns for this visibility and filter. */
static const char *names(fixture *f, const visibility *v, const people_filter *pf, int64_t self)
{
	person *list;
	size_t n;
	bool more;
	assert_int_equal(people_list(f->s, f->a, pf, v, self, &list, &n, &more), STORE_OK);
	const char *out = "";
	for (size_t i = 0; i < n; i++) out = arena_printf(f->a, "%s%s%s", out, i ? "," : "", list[i].name);
	return out;
}

static void test_people_list_filters_by_place(void **state)
{
	fixture *f = F;
	people_filter all = {.page = 1};
	visibility everyone = {.all = true};
	assert_string_equal(names(f, &everyone, &all, 0),
			    "Carmen Ortiz,Lone Nobody,Priya Raman,Tom Becker,Zed Far");
	/* A district reaches its schools' people; a partner its own. */
	visibility district = {.districts = {f->district}, .ndistricts = 1};
	assert_string_equal(names(f, &district, &all, 0), "Priya Raman,Tom Becker");
	visibility partner = {.districts = {f->partner}, .ndistricts = 1};
	assert_string_equal(names(f, &partner, &all, 0), "Carmen Ortiz");
	visibility school = {.orgs = {f->school}, .norgs = 1};
	assert_string_equal(names(f, &school, &all, 0), "Tom Becker");
	/* Self is included only when the policy says so. */
	visibility self = {.self = true};
	assert_string_equal(names(f, &self, &all, f->loner), "Lone Nobody");
	visibility none = {0};
	assert_string_equal(names(f, &none, &all, f->loner), "");
	/* Too many places for the slots: every row, for may() to judge. */
	visibility overflow = {.overflow = true};
	assert_string_equal(names(f, &overflow, &all, 0),
			    "Carmen Ortiz,Lone Nobody,Priya Raman,Tom Becker,Zed Far");
}

static void test_people_list_search_org_role_inactive(void **state)
{
	fixture *f = F;
	visibility v = {.all = true};
	people_filter q = {.q = "EXAMPLE.ORG", .page = 1};
	assert_string_equal(names(f, &v, &q, 0), "Carmen Ortiz,Lone Nobody,Priya Raman,Tom Becker,Zed Far");
	people_filter tom = {.q = "tom@", .page = 1};
	assert_string_equal(names(f, &v, &tom, 0), "Tom Becker");
	people_filter pct = {.q = "%", .page = 1};
	assert_string_equal(names(f, &v, &pct, 0), "");
	people_filter at_district = {.org_id = f->district, .page = 1};
	assert_string_equal(names(f, &v, &at_district, 0), "Priya Raman,Tom Becker");
	people_filter principals = {.org_id = f->district, .role = "principal", .page = 1};
	assert_string_equal(names(f, &v, &principals, 0), "Priya Raman");
	people_filter coaches = {.role = "coach", .page = 1};
	assert_string_equal(names(f, &v, &coaches, 0), "Carmen Ortiz");

	assert_int_equal(person_set_active(f->s, f->a, f->teacher, false), STORE_OK);
	people_filter active = {.org_id = f->school, .page = 1};
	assert_string_equal(names(f, &v, &active, 0), "");
	people_filter inactive = {.org_id = f->school, .inactive = true, .page = 1};
	assert_string_equal(names(f, &v, &inactive, 0), "Tom Becker");
	person p;
	bool found;
	assert_int_equal(person_get(f->s, f->a, f->teacher, &p, &found), STORE_OK);
	assert_true(found);
	assert_false(p.active);
}

static void test_people_list_pages(void **state)
{
	fixture *f = F;
	for (int i = 0; i < PEOPLE_PAGE_SIZE + 3; i++) {
		char name[32], email[48];
		snprintf(name, sizeof name, "Paged %03d", i);
		snprintf(email, sizeof email, "paged%d@example.org", i);
		new_person(f, name, email, f->school, "teacher");
	}
	visibility v = {.orgs = {f->school}, .norgs = 1};
	people_filter first = {.q = "paged", .page = 1}, second = {.q = "paged", .page = 2};
	person *list;
	size_t n;
	bool more;
	assert_int_equal(people_list(f->s, f->a, &first, &v, 0, &list, &n, &more), STORE_OK);
	assert_int_equal(n, PEOPLE_PAGE_SIZE);
	assert_true(more);
	assert_string_equal(list[0].name, "Paged 000");
	assert_int_equal(list[0].nroles, 1);
	assert_int_equal(people_list(f->s, f->a, &second, &v, 0, &list, &n, &more), STORE_OK);
	assert_int_equal(n, 3);
	assert_false(more);
	assert_string_equal(list[2].name, "Paged 052");
}

static void test_email_taken_any_case(void **state)
{
	fixture *f = F;
	bool taken;
	assert_int_equal(person_email_taken(f->s, f->a, "tom@example.ORG", 0, &taken), STORE_OK);
	assert_true(taken);
	assert_int_equal(person_email_taken(f->s, f->a, "TOM@EXAMPLE.ORG", f->teacher, &taken), STORE_OK);
	assert_false(taken); /* one's own address is not taken from oneself */
	assert_int_equal(person_email_taken(f->s, f->a, "newcomer@example.org", 0, &taken), STORE_OK);
	assert_false(taken);
}

static void test_roles_revoke_and_revive(void **state)
{
	fixture *f = F;
	int64_t rid = 0, again = 0;
	assert_int_equal(role_grant(f->s, f->a, f->teacher, f->other_school, "teacher", &rid), STORE_OK);
	person p;
	bool found;
	assert_int_equal(person_get(f->s, f->a, f->teacher, &p, &found), STORE_OK);
	assert_int_equal(p.nroles, 2);
	assert_int_equal(role_revoke(f->s, f->a, rid), STORE_OK);
	assert_int_equal(person_get(f->s, f->a, f->teacher, &p, &found), STORE_OK);
	assert_int_equal(p.nroles, 1);
	assert_int_equal(p.roles[0].org_id, f->school);
	/* Granting it again brings back the same row, not a duplicate. */
	assert_int_equal(role_grant(f->s, f->a, f->teacher, f->other_school, "teacher", &again), STORE_OK);
	assert_int_equal(again, rid);
	assert_int_equal(person_get(f->s, f->a, f->teacher, &p, &found), STORE_OK);
	assert_int_equal(p.nroles, 2);
	assert_string_equal(p.roles[1].org_name, "Cedar Ridge");
	assert_int_equal(p.roles[1].org_parent_id, f->district);
}

static void test_org_store(void **state)
{
	fixture *f = F;
	visibility all = {.all = true};
	org_filter schools = {.kind = "school"};
	org *list;
	size_t n;
	assert_int_equal(org_list(f->s, f->a, &schools, &all, &list, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(list[0].name, "Cedar Ridge");
	assert_int_equal(list[0].parent_id, f->district);
	visibility far = {.districts = {f->other_district}, .ndistricts = 1};
	org_filter any = {0};
	assert_int_equal(org_list(f->s, f->a, &any, &far, &list, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].name, "Far Hills");

	org_input changed = {.kind = "district",
			     .name = "Far Hills Unified",
			     .district_type = "rural",
			     .size_band = "over-100000",
			     .flags = {false, true, false, true}};
	assert_int_equal(org_update(f->s, f->a, f->other_district, &changed), STORE_OK);
	org o;
	bool found;
	assert_int_equal(org_get(f->s, f->a, f->other_district, &o, &found), STORE_OK);
	assert_true(found);
	assert_string_equal(o.name, "Far Hills Unified");
	assert_string_equal(o.size_band, "over-100000");
	assert_false(o.flags[FLAG_ELL]);
	assert_true(o.flags[FLAG_SWD]);
	assert_true(o.flags[FLAG_SOC]);
	assert_int_equal(o.people, 1);
	assert_int_equal(org_deactivate(f->s, f->a, f->other_district), STORE_OK);
	assert_int_equal(org_get(f->s, f->a, f->other_district, &o, &found), STORE_OK);
	assert_true(found);
	assert_false(o.active);
	assert_int_equal(org_list(f->s, f->a, &any, &far, &list, &n), STORE_OK);
	assert_int_equal(n, 0);
}

#define STORE_TESTS(S) \
	S(test_people_list_filters_by_place), S(test_people_list_search_org_role_inactive), \
		S(test_people_list_pages), S(test_email_taken_any_case), S(test_roles_revoke_and_revive), \
		S(test_org_store)

#define ON_SQLITE(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
#define ON_PG(fn) cmocka_unit_test_setup_teardown(fn, setup_pg, teardown)

int main(void)
{
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_email_accepts_ordinary_addresses),
		cmocka_unit_test(test_email_refuses_what_is_not_an_address),
		cmocka_unit_test(test_email_limits),
		cmocka_unit_test(test_name_rules),
		cmocka_unit_test(test_text_trim),
		cmocka_unit_test(test_district_codes_and_labels),
		cmocka_unit_test(test_org_check),
		cmocka_unit_test(test_org_places),
		cmocka_unit_test(test_role_fits_org),
		cmocka_unit_test(test_new_person_check),
		cmocka_unit_test(test_person_record_places),
	};
	const struct CMUnitTest sqlite[] = {STORE_TESTS(ON_SQLITE)};
	const struct CMUnitTest postgres[] = {STORE_TESTS(ON_PG)};
	int failed = cmocka_run_group_tests_name("people rules", pure, NULL, NULL);
	failed += cmocka_run_group_tests_name("people store, sqlite", sqlite, NULL, NULL);
	char *pg = testdb_pg_schema_dsn(pg_schema);
	if (pg) failed += cmocka_run_group_tests_name("people store, postgres", postgres, NULL, NULL);
	else printf("postgres: skipped (COACHD_TEST_PG is not set)\n");
	free(pg);
	return failed ? 1 : 0;
}
