/* Who is asking: the signed-in person behind a request, if any. */
#ifndef COACHD_ACTOR_H
#define COACHD_ACTOR_H

#include <stdint.h>

typedef struct actor {
	int64_t person_id;
	const char *name;
	const char *email;
	int64_t session_id; /* 0 when authenticated by other means */
	const char *csrf;   /* the session's CSRF token, NULL without one */
} actor;

#endif
