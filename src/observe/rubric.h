/* Frameworks and rubrics: a named set of
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
	const char *code; /* "TRU2": kept across versions */
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
	int64_t version;         /* 1, 2, ... */
	int64_t org_id;          /* 0: built in */
	const char *builtin_key; /* "tru", "tp", "mp" or NULL */
	const char *name;        /* the rubric's name */
	const char *description;
	bool current; /* the rubric's current version */
	bool active;  /* the rubric is offered (not retired) */
	int64_t scale_min, scale_max;
	rubric_level *levels; /* one per scale point, in order; labels default to the number */
	size_t nlevels;
	rubric_indicator *indicators; /* in position order */
	size_t nindicators;
	rubric_look_for *look_fors; /* in position order */
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

/* ---- what a person writes: the builder's form, the API's body ---- */

enum {
	RUBRIC_NAME_MAX = 200,         /* characters of a rubric's or an indicator's name */
	RUBRIC_DESCRIPTION_MAX = 2000, /* characters of a rubric's or an indicator's description */
	RUBRIC_CODE_MAX = 16,          /* characters of an indicator code */
	RUBRIC_LABEL_MAX = 60,         /* characters of a level label */
	RUBRIC_DESCRIPTOR_MAX = 1000,  /* characters of a level descriptor */
	RUBRIC_LOOK_FOR_TEXT_MAX = 300,
	RUBRIC_SCALE_LOW = -100, /* the scale's ends lie within these */
	RUBRIC_SCALE_HIGH = 100,
	RUBRIC_BOX_MAX = 65536, /* bytes of one text box of the builder */
	RUBRIC_PROBLEMS_MAX = 8 /* one per part of the rubric, at most */
};

/* What one indicator says about one level of the scale. */
typedef struct rubric_cell {
	int64_t level;
	const char *descriptor;
} rubric_cell;

typedef struct rubric_indicator_input {
	const char *code;
	const char *name;
	const char *description; /* or NULL */
	rubric_cell *levels;     /* the levels it describes, any order */
	size_t nlevels;
} rubric_indicator_input;

typedef struct rubric_look_for_input {
	const char *indicator_code; /* NULL: about the whole lesson */
	const char *text;
} rubric_look_for_input;

/* A rubric's content as a person writes it: everything a version holds,
 * with indicators named by code rather than by id. */
typedef struct rubric_input {
	int64_t org_id; /* the district or partner whose rubric it is */
	const char *name;
	const char *description; /* or NULL */
	int64_t scale_min, scale_max;
	rubric_level *levels; /* the levels given a label, any order */
	size_t nlevels;
	rubric_indicator_input *indicators; /* in order */
	size_t nindicators;
	rubric_look_for_input *look_fors; /* in order */
	size_t nlook_fors;
} rubric_input;

/* One thing wrong, by the part of the rubric it is in: "name", "org_id",
 * "description", "scale", "levels", "indicators", "descriptors" (what an
 * indicator says of a level) or "look_fors". */
typedef struct rubric_problem {
	const char *field;
	const char *message;
} rubric_problem;

/* Checks in: a name (1..200 characters), a scale of 2..10 points, labels
 * of levels on it (1..60 characters, each level once), 1..40 indicators
 * with codes of 1..16 letters, digits, '.', '-' or '_' that differ (case
 * aside), names of 1..200 characters, descriptors of levels on the scale,
 * and look-fors whose indicator codes exist. Writes the first problem of
 * each part, in that order, to out; returns how many (0: all is well). */
size_t rubric_input_check(arena *a, const rubric_input *in, rubric_problem out[RUBRIC_PROBLEMS_MAX]);

/* The builder's text boxes, one entry a line:
 *   levels:      LEVEL | Label | Descriptor       ("2 | Emerging | ...")
 *   indicators:  CODE | Name | Description        (description optional)
 *   descriptors: CODE | LEVEL | Descriptor        (what CODE looks like at LEVEL)
 *   look_fors:   Text, or CODE | Text             (CODE: the indicator it counts for)
 * Blank lines are skipped. */
typedef struct rubric_text {
	const char *levels;
	const char *indicators;
	const char *descriptors;
	const char *look_fors;
} rubric_text;

/* Reads the boxes into in's levels, indicators (with their descriptors)
 * and look-fors. Writes the first problem of each box, naming its line,
 * to out and returns how many; in then holds the lines that were read. */
size_t rubric_text_parse(arena *a, const rubric_text *t, rubric_input *in,
			 rubric_problem out[RUBRIC_PROBLEMS_MAX]);
/* The boxes that read back as in's content. */
rubric_text rubric_text_of(arena *a, const rubric_input *in);

/* A version's content as input (to edit it, or to copy it): org_id and
 * name are the version's rubric's. */
void rubric_input_of_version(arena *a, const rubric_version *v, rubric_input *out);
/* Whether in says exactly what version v says (its name aside). */
bool rubric_input_same_content(const rubric_input *in, const rubric_version *v);
/* The indicator codes of old that in no longer has, in old's order: the
 * dashboards stop following them. *out has n entries. */
size_t rubric_codes_removed(arena *a, const rubric_version *old, const rubric_input *in, const char ***out);

/* ---- pure ---- */

/* Whether v lies on the version's scale. */
bool rubric_value_valid(const rubric_version *v, int64_t value);
const rubric_indicator *rubric_indicator_by_id(const rubric_version *v, int64_t id);
const rubric_indicator *rubric_indicator_by_code(const rubric_version *v, const char *code);
/* Is the version's rubric offered to a district (and the partner working
 * there, 0: none)? Active, and built in or the district's or partner's own. */
bool rubric_offered_in(const rubric_version *v, int64_t district_id, int64_t partner_id);
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

/* ---- store writes: call them inside the change's transaction ---- */

/* How a save ended. */
typedef struct rubric_saved {
	int64_t rubric_id;
	int64_t version_id;          /* the rubric's current version now */
	int64_t version;             /* its number */
	bool new_version;            /* a new version was written; the last one stays as it was */
	bool changed;                /* false: the input said what the rubric already said */
	int64_t previous_version_id; /* the version current before the save */
} rubric_saved;

/* A new rubric of in->org_id with in as version 1, active. */
store_rc rubric_create(store *s, arena *a, const rubric_input *in, int64_t by, rubric_saved *out);
/* Writes in as the rubric's content (and name): in place while no walk,
 * observation or calibration uses the current version, else as a new
 * version made current. Content equal to the current version's changes
 * nothing but the name. The rubric keeps its org. */
store_rc rubric_update(store *s, arena *a, int64_t rubric_id, const rubric_input *in, int64_t by,
		       rubric_saved *out);
/* Writes in as the rubric's next version and makes it current, whatever
 * uses the current one (rubric_update decides when that is needed); the
 * name stays. out->version_id, when set, names the current version. */
store_rc rubric_add_version(store *s, arena *a, int64_t rubric_id, const rubric_input *in, int64_t by,
			    rubric_saved *out);
/* A new rubric of org_id named name, whose version 1 says what version
 * version_id says. */
store_rc rubric_copy(store *s, arena *a, int64_t version_id, int64_t org_id, const char *name, int64_t by,
		     rubric_saved *out);
/* Retires (offered no more for new walks or calibrations; its versions
 * keep working) or brings back a rubric. */
store_rc rubric_set_active(store *s, arena *a, int64_t rubric_id, bool active);

/* ---- store reads for the rubric's own pages ---- */

/* The rubric as a list shows it; *found false when there is none. */
store_rc rubric_get(store *s, arena *a, int64_t rubric_id, rubric_summary *out, bool *found);

/* One version of a rubric, with what uses it. */
typedef struct rubric_version_entry {
	int64_t id;
	int64_t version;
	int64_t created_at;
	const char *created_by_name;               /* or NULL */
	int64_t walks, observations, calibrations; /* observations: walk visits only */
} rubric_version_entry;

/* The rubric's versions, newest first. */
store_rc rubric_versions(store *s, arena *a, int64_t rubric_id, rubric_version_entry **out, size_t *n);
/* The id of the rubric's version number, 0 when there is none. */
store_rc rubric_version_numbered(store *s, arena *a, int64_t rubric_id, int64_t number, int64_t *version_id);

#endif
