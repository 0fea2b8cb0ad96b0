/* Numbered SQL migrations embedded in the binary (src/store/migrations/).
 * A landed migration is never edited: a change is a new file. The text may
 * use @ID@ for an auto-increment primary key, which each backend expands
 * to its dialect; nothing else differs. */
#ifndef COACHD_MIGRATIONS_H
#define COACHD_MIGRATIONS_H

#include <stddef.h>

typedef struct migration {
	int version;
	const char *name;
	const char *sql;
} migration;

const migration *migration_list(size_t *n); /* sorted by version */

#endif
