/* The access policy: one pure function decides every read, write, share
 * and export, for the web pages, the JSON API, exports and the command
 * line alike. No I/O: callers describe the record, the policy answers.
 * The rules are one table in policy.c; tests/unit/test_policy.c checks
 * every role × kind × action against a written-out expectation. */
#ifndef COACHD_POLICY_H
#define COACHD_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "actor.h"

typedef enum record_kind {
	REC_ORG,                 /* partner, district, school */
	REC_PERSON,              /* a person's directory entry */
	REC_ROLE,                /* a role a person holds at an org */
	REC_LEADER_ROLE,         /* granting the district-leader role of a district */
	REC_FIRST_LEADER_ROLE,   /* granting the first district-leader role a district ever has */
	REC_TEAM,                /* a team and its members */
	REC_SCHOOL_YEAR,         /* school years and their terms */
	REC_CLASS,               /* a rostered class (students counted only) */
	REC_TOKEN,               /* an API token */
	REC_AUDIT,               /* the audit log */
	REC_ROSTER_IMPORT,       /* a OneRoster import */
	REC_COACHING,            /* coaching-cycle content: confidential */
	REC_COACHING_SUMMARY,    /* counts of coaching activity: no content */
	REC_ENGAGEMENT,          /* a partner-district agreement and its service lines */
	REC_ENGAGEMENT_DECISION, /* the district's acceptance of an agreement: placed at the district only */
	REC_MONEY,               /* prices and amounts of an engagement */
	REC_PL_SESSION,          /* a scheduled professional-learning session */
	REC_CYCLE_TEMPLATE,      /* the prompts of a coaching cycle's stages */
	REC_RUBRIC,              /* a framework or rubric (no place: built in) */
	REC_WALK,                /* a learning walk: coaches are its walkers */
	REC_VISIT,               /* one classroom visit of a walk: person_id its observer */
	REC_WALK_SUMMARY,        /* the dashboards' counts of walk ratings */
	REC_CALIBRATION,         /* a calibration session: coaches facilitate, teachers rate */
	REC_CALIBRATION_RATING,  /* one rater's ratings in a session: person_id the rater */
	REC_KIND_COUNT
} record_kind;

typedef enum action {
	ACT_READ,
	ACT_CREATE,
	ACT_UPDATE,
	ACT_DEACTIVATE,
	ACT_SHARE,
	ACT_EXPORT,
	ACT_COUNT
} action;

/* Where a record belongs: an org and that org's district or partner (the
 * same meaning as in struct grant). */
typedef struct place {
	int64_t org_id;
	int64_t district_id;
	int64_t partner_id;
} place;

typedef struct record {
	record_kind kind;
	/* The places it belongs to; a person belongs wherever they hold a
	 * role, a school year to its district, an org to itself. */
	const place *places;
	size_t nplaces;
	int64_t person_id; /* whom it is about or whose it is, 0: nobody */
	/* Confidential records: the people inside it. For a coaching cycle,
	 * its coaches and teachers (team members for a collaborative cycle);
	 * for a class, its teachers (as teachers); for a session, its
	 * facilitators (as coaches) and participants (as teachers). */
	const int64_t *coaches;
	size_t ncoaches;
	const int64_t *teachers;
	size_t nteachers;
	const int64_t *shared_with; /* people a teacher shared it with (read only) */
	size_t nshared;
} record;

/* May actor a do act to record r? NULL actor (signed out): never. Rules
 * reached through a role need one of the actor's grants to match a place
 * of the record (its district or partner, or its org); rules for the
 * people inside a record (its person_id, coaches, teachers, shared_with)
 * need no role at all, so a person always reaches their own records. */
bool may(const actor *a, action act, const record *r);

/* For list pages and searches: which places the actor may see records of
 * this kind in, so the store can filter before the rows reach may() (each
 * row is still checked). all: no place filter needed. self: records whose
 * person_id is the actor are included too. member: records the actor is
 * inside (coach or teacher) or shared with are included too. */
enum { VISIBILITY_MAX = 8 };
typedef struct visibility {
	bool all;
	bool self;
	bool member;
	int64_t districts[VISIBILITY_MAX]; /* district or partner ids */
	size_t ndistricts;
	int64_t orgs[VISIBILITY_MAX];
	size_t norgs;
	bool overflow; /* more places than fit: filter with may() alone */
	bool unplaced; /* records with no place at all are included too (an
			* audit entry about a sign-in to an unknown email) */
} visibility;

void policy_visibility(const actor *a, action act, record_kind kind, visibility *out);

const char *record_kind_name(record_kind k); /* "coaching", for the audit log */
const char *action_name(action act);         /* "read" */

#endif
