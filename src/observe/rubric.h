/* Frameworks and rubrics (DESIGN.md, "Framework / rubric"): a named set of
 * indicators with a scale, level labels, optional descriptors per level
 * and optional look-fors counted as tallies. A rubric's content is
 * versioned: learning walks, observations and calibration sessions name a
 * version, which never changes once used; editing writes a new one.
 *
 * Three frameworks are built in (migration 010): TRU (five dimensions,
 * 1-3), the eight effective teaching practices (TP1-TP8) and the eight
 * Standards for Mathematical Practice (MP1-MP8). */
#ifndef COACHD_RUBRIC_H
#define COACHD_RUBRIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../store/store.h"

enum {
	RUBRIC_SCALE_LEVELS_MAX = 10, /* scale_max - scale_min + 1, at most */
	RUBRIC_INDICATORS_MAX = 40,
	RUBRIC_LOOK_FORS_MAX = 60
};

typedef struct rubric_level {
	int64_t level;
	const char *label;      /* "Emerging" */
	const char *descriptor; /* or NULL */
} rubric_level;

typedef struct rubric_indicator {
	int64_t id;
	const char *code;        /* "TRU2": kept across versions */
	const char *name;
	const char *description; /* or NULL */
	/* What each level looks like for this indicator: nlevels entries in
	 * scale order, NULL where the rubric says nothing. */
	const char **level_descriptors;
} rubric_indicator;

typedef struct rubric_look_for {
	int64_t id;
	int64_t indicator_id; /* 0: about the whole lesson */
	const char *text;
} rubric_look_for;

/* One version of a rubric, with everything an observer's form needs. */
typedef struct rubric_version {
	int64_t id;
	int64_t rubric_id;
	int64_t version;       /* 1, 2, ... */
	int64_t org_id;        /* 0: built in */
	const char *builtin_key; /* "tru", "tp", "mp" or NULL */
	const char *name;      /* the rubric's name */
	const char *description;
	bool current;          /* the rubric's current version */
	bool active;           /* the rubric is offered (not retired) */
	int64_t scale_min, scale_max;
	rubric_level *levels;  /* one per scale point, in order; labels default to the number */
	size_t nlevels;
	rubric_indicator *indicators; /* in position order */
	size_t nindicators;
	rubric_look_for *look_fors;   /* in position order */
	size_t nlook_fors;
} rubric_version;

/* A rubric in a list. */
typedef struct rubric_summary {
	int64_t id;
	int64_t org_id; /* 0: built in */
	const char *org_name;
	const char *builtin_key;
	const char *name;
	int64_t current_version_id;
	int64_t version;
	int64_t scale_min, scale_max;
	int64_t nindicators;
	bool active;
} rubric_summary;

/* ---- pure ---- */

/* Whether v lies on the version's scale. */
bool rubric_value_valid(const rubric_version *v, int64_t value);
const rubric_indicator *rubric_indicator_by_id(const rubric_version *v, int64_t id);
const rubric_indicator *rubric_indicator_by_code(const rubric_version *v, const char *code);
/* The label of a level ("2 Emerging"), or the number alone. */
const char *rubric_level_label(arena *a, const rubric_version *v, int64_t level);

/* ---- store (src/observe/rubric_store.c) ---- */

/* Loads one version with its levels, indicators (with their level
 * descriptors) and look-fors. *found false when there is no such version. */
store_rc rubric_version_load(store *s, arena *a, int64_t version_id, rubric_version *out, bool *found);
/* The rubric's current version id, 0 when there is no such rubric. */
store_rc rubric_current_version(store *s, arena *a, int64_t rubric_id, int64_t *version_id);
/* The built-ins and the rubrics of the given orgs (a district, its
 * partners), by name; retired ones only when include_retired. */
store_rc rubric_list(store *s, arena *a, const int64_t *org_ids, size_t norgs, bool include_retired,
		     rubric_summary **out, size_t *n);
/* Whether any walk, observation or calibration uses the version: then it
 * must not change in place. */
store_rc rubric_version_in_use(store *s, arena *a, int64_t version_id, bool *used);

#endif
