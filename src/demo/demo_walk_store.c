/* The demo's walks (see demo.h): learning walks at the three schools in
 * spring 2026 and in the fall of 2026-27, with the built-in TRU framework
 * (and the district's "Prairie Glen math walk" where the demo has it),
 * walkers mixing the district leader, principals, coaches and teachers,
 * about forty-five visits whose ratings vary from classroom to classroom
 * and rise a little through the fall, look-for tallies, evidence, debrief
 * notes; and one full-lesson observation inside Carmen and Tom's cycle
 * shared with the principal. Written through the walk store, so the
 * dashboards' kept counts are kept as for any visit. Teacher
 * identification stays off. */
#include <string.h>

#include "../base/util.h"
#include "../observe/rubric.h"
#include "../observe/walk.h"
#include "demo.h"

typedef struct demo_walk {
	const char *school, *day;
	const char *walkers[4];
	const char *focus[3];
	int visits;
	int base;           /* tenths above the scale's bottom the school starts at */
	bool district_tool; /* the district's own rubric, when the demo has it */
	const char *debrief;
	bool open;
} demo_walk;

static const demo_walk walks[] = {
	{"Meadowbrook Elementary School",
	 "2026-03-12",
	 {"Dana Whitfield", "Priya Raman", "Carmen Ortiz", "Tom Becker"},
	 {"TRU2", "TRU4", NULL},
	 12,
	 6,
	 false,
	 "Students were busy in every room, but the thinking was mostly the teacher's: tasks had one path "
	 "and few students "
	 "explained. Next: a common launch routine that leaves the strategy open.",
	 false},
	{"Prairie Glen Middle School",
	 "2026-04-16",
	 {"Dana Whitfield", "Paul Novak", "Kim Sorensen", NULL},
	 {NULL},
	 6,
	 5,
	 false,
	 NULL,
	 false},
	{"Meadowbrook Elementary School",
	 "2026-09-17",
	 {"Priya Raman", "Carmen Ortiz", "Grace Liu", NULL},
	 {"TRU2", "TRU4", NULL},
	 12,
	 7,
	 false,
	 "More open tasks than in March; student talk still goes through the teacher. We want to see "
	 "partners explaining "
	 "to each other.",
	 false},
	{"Cedar Ridge Elementary School",
	 "2026-09-24",
	 {"Dana Whitfield", "Samuel Okafor", "Kim Sorensen", NULL},
	 {NULL},
	 12,
	 5,
	 true,
	 NULL,
	 false},
	{"Prairie Glen Middle School",
	 "2026-10-08",
	 {"Paul Novak", "Kim Sorensen", "Carmen Ortiz", NULL},
	 {"TRU3", "TRU5", NULL},
	 6,
	 6,
	 false,
	 "Exit tickets in most rooms, but few lessons changed course because of them. Grade 7 ratio work was "
	 "a bright spot.",
	 false},
	{"Meadowbrook Elementary School",
	 "2026-10-15",
	 {"Dana Whitfield", "Priya Raman", "Carmen Ortiz", "Tom Becker"},
	 {"TRU2", "TRU4", NULL},
	 12,
	 9,
	 false,
	 NULL,
	 false},
	{"Cedar Ridge Elementary School",
	 "2026-10-29",
	 {"Samuel Okafor", "Carmen Ortiz", "Mei Tanaka", NULL},
	 {NULL},
	 12,
	 7,
	 true,
	 "Number talks have taken hold in grades 1 and 2; upper grades still rush to the answer.",
	 false},
	{"Prairie Glen Middle School",
	 "2026-11-05",
	 {"Dana Whitfield", "Paul Novak", "Erin Walsh", NULL},
	 {"TRU3", "TRU5", NULL},
	 6,
	 8,
	 false,
	 NULL,
	 false},
	{"Meadowbrook Elementary School",
	 "2026-11-12",
	 {"Priya Raman", "Carmen Ortiz", "Kim Sorensen", NULL},
	 {"TRU2", "TRU4", NULL},
	 8,
	 10,
	 false,
	 NULL,
	 true},
};

static const char *const evidence_lines[] = {
	"Students compared two strategies at the board; three different groups explained.",
	"Task had one path; most students waited for the teacher's steps.",
	"Partners argued whether 3/4 or 4/6 is more, using strips.",
	"Teacher asked \"how do you know?\" four times in ten minutes.",
	"Exit ticket collected; no sign it changed the lesson.",
	"Quiet work on a worksheet of twenty similar problems.",
	"A student's wrong answer was taken up by the class and fixed together.",
	"Number talk: five strategies for 38 + 27 recorded on the board.",
	"Manipulatives out, but used only by the teacher.",
	"Groups had roles; the reporter explained the group's reasoning.",
};

/* A small deterministic scatter, so reloading the demo gives the same data. */
static unsigned scatter(unsigned x)
{
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	x ^= x >> 16;
	return x;
}

static store_rc school_place(store *s, arena *a, const char *name, int64_t *school, int64_t *district)
{
	sql_arg args[] = {ARG_TEXT(name)};
	store_rows r;
	store_rc rc = store_query(s, a, "SELECT id, parent_id FROM org WHERE name = $1 AND kind = 'school'",
				  args, 1, &r);
	if (rc != STORE_OK) return rc;
	if (!r.nrows) return STORE_ERROR;
	*school = rows_int(&r, 0, 0);
	*district = rows_int(&r, 0, 1);
	return STORE_OK;
}

/* One visit's ratings: the school's level this month, give or take. */
static void demo_ratings(arena *a, const rubric_version *v, const rubric_indicator **ind, size_t ni, int base,
			 unsigned seed, observation *o)
{
	o->ratings = arena_calloc(a, ni + 1, sizeof *o->ratings);
	int64_t span = v->scale_max - v->scale_min;
	for (size_t k = 0; k < ni; k++) {
		unsigned h = scatter(seed * 31U + (unsigned)k * 7U + 1U);
		if (h % 9 == 0) continue; /* not seen in this room */
		/* tenths of the span: base (0..10) plus noise of -4..+4 */
		int tenths = base + (int)(h % 9) - 4 - (int)k % 2;
		int64_t value = v->scale_min + (span * tenths + 5) / 10;
		if (value < v->scale_min) value = v->scale_min;
		if (value > v->scale_max) value = v->scale_max;
		o->ratings[o->nratings++] = (obs_rating){ind[k]->id, ind[k]->code, value, NULL};
	}
	o->look_fors = arena_calloc(a, v->nlook_fors + 1, sizeof *o->look_fors);
	for (size_t l = 0; l < v->nlook_fors; l++) {
		int64_t count = (int64_t)(scatter(seed * 13U + (unsigned)l) % 5);
		if (count) o->look_fors[o->nlook_fors++] = (obs_look_for){v->look_fors[l].id, count};
	}
}

static const char *demo_grade(bool middle, unsigned i)
{
	static const char *const elementary[] = {"K", "1", "2", "3", "4", "5"};
	static const char *const upper[] = {"6", "7", "8"};
	return middle ? upper[i % 3] : elementary[i % 6];
}

static store_rc add_walk(store *s, arena *a, const demo_walk *d, unsigned index, int64_t tru,
			 int64_t district_tool)
{
	walk w = {.walked_on = d->day,
		  .purpose = "How students make sense of mathematics in our classrooms, and how "
			     "their thinking is drawn out and used."};
	store_rc rc = school_place(s, a, d->school, &w.school_id, &w.district_id);
	if (rc != STORE_OK) return rc;
	w.rubric_version_id = d->district_tool && district_tool ? district_tool : tru;
	rubric_version v;
	bool found = false;
	if ((rc = rubric_version_load(s, a, w.rubric_version_id, &v, &found)) != STORE_OK || !found)
		return rc == STORE_OK ? STORE_ERROR : rc;
	int64_t walkers[4];
	for (size_t i = 0; i < 4 && d->walkers[i]; i++)
		if ((walkers[w.nwalkers] = demo_person(s, a, d->walkers[i]))) w.nwalkers++;
	w.walker_ids = walkers;
	w.created_by = walkers[0];
	const char *focus[3];
	for (size_t i = 0; i < 3 && d->focus[i]; i++)
		if (rubric_indicator_by_code(&v, d->focus[i])) focus[w.nfocus++] = d->focus[i];
	w.focus = focus;
	int64_t id;
	if ((rc = walk_insert(s, a, &w, &id)) != STORE_OK) return rc;
	w.id = id;
	const rubric_indicator **ind;
	size_t ni = walk_indicators(a, &v, focus, w.nfocus, &ind);
	bool middle = strstr(d->school, "Middle") != NULL;
	for (int k = 0; k < d->visits; k++) {
		unsigned seed = index * 101U + (unsigned)k;
		observation o = {.walk_id = id,
				 .rubric_version_id = v.id,
				 .observer_id = walkers[(size_t)k % w.nwalkers],
				 .district_id = w.district_id,
				 .school_id = w.school_id,
				 .grade = demo_grade(middle, (unsigned)k + index),
				 .observed_on = d->day,
				 .minutes = 10 + (k % 3) * 2,
				 .start_time = arena_printf(a, "%02d:%02d", 8 + (30 + 15 * k) / 60,
							    (30 + 15 * k) % 60),
				 .evidence = evidence_lines[scatter(seed) % COUNT_OF(evidence_lines)]};
		demo_ratings(a, &v, ind, ni, d->base, seed, &o);
		int64_t oid;
		if ((rc = observation_insert(s, a, &o, &oid)) != STORE_OK) return rc;
	}
	if (d->debrief && (rc = walk_set_debrief(s, a, id, d->debrief)) != STORE_OK) return rc;
	return d->open ? STORE_OK : walk_set_closed(s, a, id, true);
}

/* Carmen's observation of Tom's lesson in "Fractions on a number line". */
static store_rc add_cycle_observation(store *s, arena *a, int64_t tru)
{
	sql_arg args[] = {ARG_TEXT("Fractions on a number line")};
	store_rows r;
	store_rc rc = store_query(s, a,
				  "SELECT id, district_id, school_id, grade FROM coaching_cycle WHERE title "
				  "= $1 ORDER BY id LIMIT 1",
				  args, 1, &r);
	if (rc != STORE_OK || !r.nrows) return rc;
	rubric_version v;
	bool found = false;
	if ((rc = rubric_version_load(s, a, tru, &v, &found)) != STORE_OK || !found) return rc;
	static const int64_t values[] = {2, 3, 2, 3, 2};
	static const char *const notes[] = {
		"Unit fractions on the number line, tied to the fair-share work before.",
		"Students had to decide where 3/4 goes and convince a partner: real struggle, no steps "
		"given.",
		"Every pair folded a strip; two students who rarely speak explained their placement.",
		"Partners convinced each other; Tom asked them to name whose idea changed theirs.",
		"Tom noticed five students counting marks and had partners compare strips before moving on.",
	};
	observation o = {
		.cycle_id = rows_int(&r, 0, 0),
		.rubric_version_id = tru,
		.observer_id = demo_person(s, a, "Carmen Ortiz"),
		.district_id = rows_int(&r, 0, 1),
		.school_id = rows_int(&r, 0, 2),
		.grade = rows_get(&r, 0, 3),
		.teacher_id = demo_person(s, a, "Tom Becker"),
		.observed_on = "2026-02-10",
		.start_time = "09:05",
		.minutes = 55,
		.evidence =
			"Folding strips before drawing tick marks made equal spaces visible; partner talk "
			"surfaced the counting-marks idea."};
	o.ratings = arena_calloc(a, v.nindicators + 1, sizeof *o.ratings);
	for (size_t k = 0; k < v.nindicators && k < COUNT_OF(values); k++)
		o.ratings[o.nratings++] =
			(obs_rating){v.indicators[k].id, v.indicators[k].code, values[k], notes[k]};
	int64_t id;
	return observation_insert(s, a, &o, &id);
}

store_rc demo_walks(store *s, arena *a)
{
	int64_t tru = demo_builtin_rubric(s, a, "tru");
	if (!tru) return STORE_ERROR;
	int64_t district_tool =
		demo_id(s, a,
			"SELECT current_version_id FROM rubric WHERE name = $1 AND active = 1 "
			"ORDER BY id LIMIT 1",
			"Prairie Glen math walk");
	for (size_t i = 0; i < COUNT_OF(walks); i++) {
		store_rc rc = add_walk(s, a, &walks[i], (unsigned)i, tru, district_tool);
		if (rc != STORE_OK) return rc;
	}
	return add_cycle_observation(s, a, tru);
}
