/* Reference data that lives beside the repository, not in it (../shared:
 * the CCSS list, OneRoster samples with known defects). A test that reads
 * it runs when it is there, as it is on CI, and is skipped visibly and
 * counted as skipped when a clone stands alone. */
#ifndef COACHD_TEST_REFERENCE_H
#define COACHD_TEST_REFERENCE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <sys/stat.h>

/* The reference data's root, seen from the repository's root (where the
 * tests run). */
#define REFERENCE_ROOT "../shared"

/* path when it is there; else says "skipped (no ../shared)" and skips the
 * test (cmocka counts it as skipped). */
#define REFERENCE_OR_SKIP(path) \
	do { \
		struct stat reference_st; \
		if (stat(REFERENCE_ROOT, &reference_st) != 0) { \
			print_message("skipped (no " REFERENCE_ROOT "): %s\n", path); \
			skip(); \
		} \
	} while (0)

#endif
