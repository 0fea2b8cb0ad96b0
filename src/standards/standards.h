/* Codes that engagements, coaching cycles and (soon) resources and student
 * work name: the framework indicators a lesson or an agreement focuses on
 * (the Standards for Mathematical Practice MP1..MP8, the eight effective
 * mathematics teaching practices TP1..TP8, the five dimensions of Teaching
 * for Robust Understanding TRU1..TRU5) and CCSS mathematics standards.
 * Pure: no I/O, no SQL, no HTTP. */
#ifndef COACHD_STANDARDS_H
#define COACHD_STANDARDS_H

#include <stdbool.h>

#include "../base/arena.h"
#include "../html/form.h"

enum { STANDARDS_CODES_MAX = 24 }; /* codes one list may name */

/* A framework code a plan may focus on: MP1..MP8, TP1..TP8, TRU1..TRU5. */
bool focus_code_valid(const char *code);
const char *focus_code_label(const char *code); /* "MP3 Construct viable arguments…" */
/* A CCSS mathematics code in its display form: K.CC.A.1, 4.NF.A.1,
 * K.CC.B.4a, HSA-SSE.A.1, a cluster (4.NF.A), or MP1..MP8. The grade's
 * domains are checked (NF only in grades 3 to 5), clusters A to D,
 * standards 1 to 20, sub-standards a to h. A "CCSS.MATH.CONTENT." prefix
 * is dropped. */
bool ccss_code_valid(const char *code);
/* Splits codes on commas, spaces and new lines, normalizes (upper case,
 * sub-standard letters lower, prefixes dropped), drops repeats; an error
 * on field naming the first bad code, or more than STANDARDS_CODES_MAX.
 * The result is space-separated. */
const char *focus_codes_normalize(arena *a, const char *text, const char *field, form_errors *e);
const char *ccss_codes_normalize(arena *a, const char *text, const char *field, form_errors *e);

#endif
