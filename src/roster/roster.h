/* Roster import: applying a OneRoster plan (oneroster.h) to the store, all
 * or nothing, and the pages, API and command that run it; and the class
 * list the roster fills. Students are only ever counted. */
#ifndef COACHD_ROSTER_H
#define COACHD_ROSTER_H

#include <stdbool.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../http/http.h"
#include "../store/store.h"
#include "oneroster.h"

struct actor;

/* The kinds of record an import writes, in the order it writes them. */
typedef enum roster_kind {
	RK_ORG, /* the district and its schools */
	RK_SCHOOL_YEAR,
	RK_TERM,
	RK_PERSON, /* staff only */
	RK_ROLE,
	RK_CLASS,
	RK_CLASS_TEACHER,
	RK_ENROLLMENT, /* a student's place in a class: counted, not named */
	RK_COUNT
} roster_kind;

const char *roster_kind_name(roster_kind k);  /* "school_years" (JSON) */
const char *roster_kind_label(roster_kind k); /* "School years" */

typedef struct roster_counts {
	int64_t created, updated, deactivated, unchanged;
} roster_counts;

typedef struct roster_target {
	/* The district the roster must be for. 0 (the command line only):
	 * the file's district, found by sourcedId or created. A district
	 * without a sourcedId yet is bound to the file's one district. */
	int64_t district_id;
	bool dry_run;            /* count what would change; write nothing */
	const struct actor *who; /* for the audit entry; NULL: the command line */
	const char *remote;
} roster_target;

typedef struct roster_result {
	roster_counts counts[RK_COUNT];
	int64_t district_id;
	const char *district_name;
	bool applied;      /* written and committed */
	bool store_failed; /* the database failed: not the file's fault */
	double seconds;
} roster_result;

/* Applies p in one transaction: problems found on the way (references to
 * records that are nowhere, records of another district) join
 * p->problems, and any problem at all means nothing is written. Returns
 * STORE_OK unless the store itself failed. */
store_rc roster_apply(store *s, arena *a, roster_plan *p, const roster_target *t, roster_result *out);

/* Reads path (a directory or ZIP archive) and applies it. *why is set
 * (and NULL returned) when path is neither. */
roster_plan *roster_import(store *s, arena *a, const char *path, const roster_target *t, roster_result *out,
			   const char **why);

/* True when the import had no problems (warnings allowed). */
bool roster_clean(const roster_plan *p);

/* ---- the class list ---- */

typedef struct class_row {
	int64_t id;
	const char *title, *grade, *school, *term;
	int64_t school_id, district_id;
	int64_t students;
	const char *teachers; /* names, ", "-joined; NULL when none */
	const int64_t *teacher_ids;
	size_t nteachers;
} class_row;

typedef struct class_filter {
	bool all;                 /* no place filter */
	const int64_t *districts; /* classes of schools in these districts */
	size_t ndistricts;
	const int64_t *orgs; /* classes of these schools */
	size_t norgs;
	int64_t member;    /* and classes this person teaches; 0: none */
	int64_t school_id; /* only this school; 0: any */
	const char *q;     /* title contains; NULL: any */
	int64_t limit, offset;
} class_filter;

store_rc class_list(store *s, arena *a, const class_filter *f, class_row **out, size_t *n, bool *more);

handler_fn page_import, page_import_post, api_import_oneroster, page_classes, api_classes;

#endif
