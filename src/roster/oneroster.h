/* OneRoster 1.1 and 1.2 CSV: reads manifest.csv and the rostering files
 * (orgs, academicSessions, courses, classes, users, roles, enrollments)
 * from a directory or a ZIP archive into a plan: what the files say,
 * checked field by field, with every problem named by file, row and
 * column. Students are counted while reading and never kept: no student's
 * name reaches the plan, let alone the database. roster_store.c applies a
 * plan; this file does no I/O but reading the files. */
#ifndef COACHD_ONEROSTER_H
#define COACHD_ONEROSTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/strmap.h"

typedef enum roster_mode { ROSTER_ABSENT, ROSTER_BULK, ROSTER_DELTA } roster_mode;

/* The files coachd imports, in the order they are read. */
typedef enum roster_file {
	RF_ORGS,
	RF_SESSIONS,
	RF_COURSES,
	RF_CLASSES,
	RF_ROLES, /* 1.2; read before users so only staff names are kept */
	RF_USERS,
	RF_ENROLLMENTS,
	RF_COUNT
} roster_file;

const char *roster_file_name(roster_file f); /* "users.csv" */

/* A problem (the import is refused) or a warning (it goes ahead). */
typedef struct roster_note {
	const char *file;   /* NULL: about the whole roster */
	size_t row;         /* 0: about the whole file */
	const char *column; /* NULL: about the whole row */
	const char *message;
} roster_note;

typedef struct roster_notes {
	roster_note *items;
	size_t n, cap;
	size_t dropped; /* more than fit or than were worth showing */
} roster_notes;

/* Organizations: districts and schools are kept; departments, local,
 * state and national orgs only lead a role or class to its school. */
typedef enum org_type { OT_DISTRICT, OT_SCHOOL, OT_DEPARTMENT, OT_LOCAL, OT_STATE, OT_NATIONAL } org_type;

typedef struct r_org {
	const char *sid, *name, *parent_sid;
	org_type type;
	bool deleted;
	uint32_t row;
} r_org;

typedef enum session_type { ST_SCHOOL_YEAR, ST_TERM, ST_SEMESTER, ST_GRADING_PERIOD } session_type;

typedef struct r_session {
	const char *sid, *title, *starts, *ends, *parent_sid;
	int year; /* the schoolYear column */
	session_type type;
	bool deleted;
	uint32_t row;
} r_session;

typedef struct r_course {
	const char *sid, *title, *grades;
} r_course;

typedef struct r_class {
	const char *sid, *title, *grades, *school_sid, *course_sid;
	const char **term_sids;
	size_t nterms;
	bool deleted;
	uint32_t row;
} r_class;

/* A member of staff: a person coachd keeps. */
typedef struct r_person {
	const char *sid, *name, *email;
	bool enabled, deleted;
	/* 1.2 users.csv row with no role in roles.csv: updated when the person
	 * is already known, never created (it may be anyone). */
	bool only_if_known;
	uint32_t row;
} r_person;

/* What a OneRoster role becomes: teacher, or an administrator, which is a
 * principal at a school and a district leader at the district. Nothing in
 * a roster file ever makes a coachd administrator. */
typedef enum r_role_kind { RR_TEACHER, RR_ADMINISTRATOR } r_role_kind;

typedef struct r_role {
	const char *sid; /* roles.csv sourcedId; 1.1: "users.csv:USER@ORG" */
	const char *person_sid, *org_sid;
	r_role_kind kind;
	bool deleted;
	roster_file file;
	uint32_t row;
} r_role;

typedef struct r_teacher {
	const char *sid, *class_sid, *person_sid;
	bool deleted;
	uint32_t row;
} r_teacher;

typedef struct r_enrollment {
	const char *sid, *class_sid;
	uint32_t row;
	bool deleted;
} r_enrollment;

/* What a user is, from users.csv (1.1) or roles.csv (1.2). */
enum {
	U_STUDENT = 1,
	U_TEACHER = 2,
	U_ADMIN = 4,
	U_OTHER = 8,
	U_LISTED = 16, /* has a row in users.csv */
	U_DELETED = 32
};

#define RVEC(T) \
	struct { \
		T *v; \
		size_t n, cap; \
	}

typedef struct roster_plan {
	arena *a;
	const char *version; /* "1.1" or "1.2"; NULL when unknown */
	roster_mode mode[RF_COUNT];
	bool present[RF_COUNT];
	size_t rows[RF_COUNT]; /* data rows read */
	bool stop;             /* the files cannot be read further */

	RVEC(r_org) orgs;
	RVEC(r_session) sessions;
	RVEC(r_class) classes;
	RVEC(r_person) persons;
	RVEC(r_role) roles;
	RVEC(r_teacher) teachers;
	RVEC(r_enrollment) enrollments;
	long district; /* index of the district row in orgs; -1: none */

	/* sourcedId -> index + 1 in the vector (courses: the r_course) */
	strmap org_by_sid, session_by_sid, course_by_sid, class_by_sid, person_by_sid;
	strmap users; /* sourcedId -> uintptr_t U_* bits */
	/* sourcedIds of rows that had a problem: what refers to them is not
	 * reported again, so one bad row makes one problem, not fifty. */
	strmap flawed;
	strpool pool;

	int64_t students; /* users who are students: counted only */
	int64_t skipped;  /* users and enrollments coachd keeps nothing of */

	roster_notes problems, warnings;
	void *caps; /* per-column counts of notes (oneroster.c) */
} roster_plan;

/* Where the files are: a directory or a ZIP archive (oneroster.c). */
typedef struct roster_source roster_source;

/* Opens path, a directory or a ZIP archive; NULL with *why set when it is
 * neither or cannot be read. The source closes what it opened when
 * roster_source_close is called. */
roster_source *roster_source_open(arena *a, const char *path, const char **why);
void roster_source_close(roster_source *src);

/* Reads every file into a fresh plan. Never fails as such: what is wrong
 * is in plan->problems (and reading stops early only when it must). */
roster_plan *roster_read(arena *a, roster_source *src);

bool roster_flawed(const roster_plan *p, const char *sid);

/* Adds a note; file, column may be NULL, row 0. The message is copied. */
void roster_problem(roster_plan *p, const char *file, size_t row, const char *column, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void roster_warning(roster_plan *p, const char *file, size_t row, const char *column, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* "users.csv row 4, column role: ..." */
char *roster_note_text(arena *a, const roster_note *n);

#endif
