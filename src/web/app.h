/* The running application: configuration and the little long-lived state
 * a server has (per-thread store connections, metrics). Created in main,
 * read-only afterwards except for atomics. */
#ifndef COACHD_APP_H
#define COACHD_APP_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "../html/form.h"
#include "../html/layout.h"
#include "../http/http.h"
#include "../http/metrics.h"
#include "../store/store.h"

typedef struct app {
	const char *dsn;
	const char *data_dir;    /* uploads and files live under here */
	bool secure_cookies;     /* set Secure on cookies (behind TLS) */
	uint64_t media_max;      /* bytes of a video or audio file (--max-upload-mb) */
	uint64_t file_max;       /* bytes of any other uploaded file (--max-file-mb) */
	pthread_key_t store_key; /* this thread's store connection */
	metrics metrics;
	void *hashing; /* password-hashing gate (access/password.c) */
} app;

/* This thread's store connection (opened on first use), or NULL. */
store *app_thread_store(app *ap);
/* Sets up ap for the route table routes[n] (its metrics count by route). */
void app_init(app *ap, const char *dsn, const char *data_dir, const route *routes, size_t n);
void app_destroy(app *ap);

/* Answers 500 for a failed store call, counts it and logs the cause;
 * the user sees a plain apology, never the SQL error. */
void resp_store_failed(req *rq, resp *rs);

/* The ids a form sends in field: repeated fields and comma-separated
 * lists alike, at most max; false when one is not a positive id or there
 * are more. */
bool req_form_ids(req *rq, const char *field, size_t max, int64_t **out, size_t *n);

/* The person asking: the signed-in actor's person id, 0 when signed out. */
int64_t actor_id(const req *rq);

/* Reads route parameter name as a positive id; answers 404 and returns
 * false when it is not one. */
bool param_id(req *rq, resp *rs, const char *name, int64_t *id);

/* Answers 400 for a form that failed validation, under /api/ only:
 * {"error":{"code":"invalid","message":...,"field":...,"fields":{...}}}.
 * Pages re-render their form with the errors beside the fields instead. */
void resp_form_invalid(req *rq, resp *rs, const form_errors *e);

/* After a POST, pages redirect to where the result shows, with ?ok=CODE;
 * the layout turns CODE into a message from a fixed table (web/flash.c),
 * so no text from the address is ever shown. */
const char *flash_message(const char *code);

/* ---- JSON request bodies (web/json_input.c) ---- */
struct json_t;
/* The request body as a JSON object (released with json_decref), or NULL
 * with a 400 answered. An empty body is an empty object. */
struct json_t *json_body_object(req *rq, resp *rs);
/* Adds an error for each member of o not named in known (NULL-ended). */
void json_known_members(arena *a, struct json_t *o, const char *const *known, form_errors *e);
/* Reads member key when present: a string (trimmed, in a) or null ("");
 * anything else is an error naming key. Absent: *dst is left alone. */
void json_member_text(arena *a, struct json_t *o, const char *key, const char **dst, form_errors *e);
/* A positive integer id, or null (0). */
void json_member_id(struct json_t *o, const char *key, int64_t *dst, form_errors *e);
/* A list of at most max positive ids; absent or null: *dst and *n are
 * left alone (a caller that must know sets them first). */
void json_member_ids(arena *a, struct json_t *o, const char *key, size_t max, int64_t **dst, size_t *n,
		     form_errors *e);
/* true/false (or 1/0). */
void json_member_flag(struct json_t *o, const char *key, bool *dst, form_errors *e);
/* A member that is text or a number, read as text: a string (trimmed),
 * a whole number written out, or NULL for null; any other type is an
 * error naming key (and NULL). Absent: *dst is left alone. */
void json_member_text_or_number(arena *a, struct json_t *o, const char *key, const char **dst,
				form_errors *e);

/* ---- JSON answers (web/json_output.c) ---- */
/* s as a JSON string, or null when s is NULL. */
struct json_t *json_text_or_null(const char *s);
/* {id, name} of a person or an organization, or null for nobody (id 0). */
struct json_t *json_named(int64_t id, const char *name);

/* The layout of a page for this request (who is signed in, CSRF token,
 * the navigation this person may use, the ?ok= flash). */
layout page_layout(const req *rq, const char *title, const char *active);

/* The navigation links this person may use (web/nav.c). */
struct actor;
size_t nav_for(const struct actor *a, arena *ar, const nav_link **out);

#endif
