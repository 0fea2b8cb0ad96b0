/* The audit log in the store: entries are only ever inserted. Nothing in
 * coachd updates or deletes a row of the audit table. */
#include "audit.h"

#include <string.h>

#include "../base/util.h"

enum {
	AUDIT_TEXT_MAX = 500, /* bytes of detail or name kept */
	AUDIT_SHORT_MAX = 100 /* action, kind, remote */
};

/* Text as the log keeps it: at most max bytes, cut on a character
 * boundary (PostgreSQL refuses broken UTF-8), control characters turned
 * into spaces so an entry stays one line wherever it is shown. Input is
 * valid UTF-8 already (the request parsers and jansson see to that). */
static const char *log_text(arena *a, const char *s, size_t max)
{
	if (!s) return NULL;
	size_t n = strnlen(s, max + 1);
	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
	}
	char *out = arena_strndup(a, s, n);
	for (char *p = out; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f) *p = ' ';
	return out;
}

store_rc audit_record(store *s, const actor *who, const char *remote, const audit_event *e)
{
	if (NEVER(!e || !e->action)) return STORE_ERROR;
	arena *a = arena_new();
	sql_arg args[] = {
		ARG_INT(now_unix()),
		who && who->person_id ? ARG_INT(who->person_id) : ARG_NULL,
		ARG_TEXT(log_text(a, who ? who->name : NULL, AUDIT_TEXT_MAX)),
		ARG_TEXT(log_text(a, e->action, AUDIT_SHORT_MAX)),
		ARG_TEXT(log_text(a, e->kind, AUDIT_SHORT_MAX)),
		e->object_id ? ARG_INT(e->object_id) : ARG_NULL,
		e->district_id ? ARG_INT(e->district_id) : ARG_NULL,
		ARG_TEXT(log_text(a, e->detail, AUDIT_TEXT_MAX)),
		ARG_TEXT(log_text(a, remote, AUDIT_SHORT_MAX)),
	};
	/* No transaction of its own: inside the caller's, the entry lands
	 * or vanishes together with the change it describes. */
	store_rc rc = store_query(s, a,
				  "INSERT INTO audit (at, actor_id, actor_name, action, kind, object_id, "
				  "district_id, detail, remote) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
				  args, COUNT_OF(args), NULL);
	arena_free(a);
	return rc;
}

/* A LIKE pattern with the text's own % _ \ taken literally; a prefix
 * pattern when anywhere is false. */
static const char *like_pattern(arena *a, const char *text, bool anywhere)
{
	if (!text || !*text) return NULL;
	size_t n = strlen(text);
	char *p = arena_alloc(a, 2 * n + 3), *w = p;
	if (anywhere) *w++ = '%';
	for (const char *c = text; *c; c++) {
		if (*c == '%' || *c == '_' || *c == '\\') *w++ = '\\';
		*w++ = *c;
	}
	*w++ = '%';
	*w = 0;
	return p;
}

static sql_arg optional_int(int64_t v)
{
	return v ? ARG_INT(v) : ARG_NULL;
}

/* The scope takes eight district slots, always bound (NULL when unused:
 * NULL matches nothing in IN), so the statement text never varies. */
#define AUDIT_SLOTS 8
#define AUDIT_LIST_SQL \
	"SELECT a.id, a.at, a.actor_id, a.actor_name, a.action, a.kind, a.object_id, " \
	"a.district_id, a.detail, a.remote FROM audit a LEFT JOIN person p ON p.id = a.actor_id " \
	"WHERE ($1 = 1 OR a.district_id IN ($2, $3, $4, $5, $6, $7, $8, $9) " \
	"OR ($10 = 1 AND a.district_id IS NULL)) " \
	"AND (CAST($11 AS TEXT) IS NULL OR a.action LIKE $11 ESCAPE '\\') " \
	"AND (CAST($12 AS TEXT) IS NULL OR lower(a.actor_name) LIKE lower($12) ESCAPE '\\' " \
	"OR lower(p.email) LIKE lower($12) ESCAPE '\\') " \
	"AND (CAST($13 AS BIGINT) IS NULL OR a.at >= $13) " \
	"AND (CAST($14 AS BIGINT) IS NULL OR a.at < $14) " \
	"AND (CAST($15 AS BIGINT) IS NULL OR a.id < $15) " \
	"ORDER BY a.id DESC LIMIT $16"

_Static_assert(AUDIT_SLOTS == VISIBILITY_MAX, "one SQL slot per visible district");

store_rc audit_list(store *s, arena *a, const audit_scope *scope, const audit_filter *f, size_t limit,
		    audit_entry **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	/* More districts than slots: the caller filters with may() alone. */
	bool all = scope->all || scope->ndistricts > AUDIT_SLOTS;
	sql_arg args[16];
	args[0] = ARG_INT(all ? 1 : 0);
	for (size_t i = 0; i < AUDIT_SLOTS; i++)
		args[1 + i] = i < scope->ndistricts ? ARG_INT(scope->districts[i]) : ARG_NULL;
	args[9] = ARG_INT(scope->unplaced ? 1 : 0);
	args[10] = ARG_TEXT(like_pattern(a, f->action, false));
	args[11] = ARG_TEXT(like_pattern(a, f->actor, true));
	args[12] = optional_int(f->from);
	args[13] = optional_int(f->until);
	args[14] = optional_int(f->before);
	args[15] = ARG_INT((int64_t)limit);
	store_rows r;
	store_rc rc = store_query(s, a, AUDIT_LIST_SQL, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	audit_entry *list = arena_calloc(a, r.nrows ? r.nrows : 1, sizeof *list);
	for (size_t i = 0; i < r.nrows; i++)
		list[i] = (audit_entry){
			.id = rows_int(&r, i, 0),
			.at = rows_int(&r, i, 1),
			.actor_id = rows_int(&r, i, 2),
			.actor_name = rows_get(&r, i, 3),
			.action = rows_get(&r, i, 4),
			.kind = rows_get(&r, i, 5),
			.object_id = rows_int(&r, i, 6),
			.district_id = rows_int(&r, i, 7),
			.detail = rows_get(&r, i, 8),
			.remote = rows_get(&r, i, 9),
		};
	*out = list;
	*n = r.nrows;
	return STORE_OK;
}
