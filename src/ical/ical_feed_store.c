/* Calendar feeds in the store: addresses (only their hash), revoking
 * them, finding the feed behind an address, and the sessions it lists. */
#include <sodium.h>
#include <string.h>

#include "../access/token.h"
#include "../base/util.h"
#include "ical_feed.h"

enum { SECRET_BYTES = 32 };

static const char *new_secret(arena *a)
{
	unsigned char raw[SECRET_BYTES];
	char b64[sodium_base64_ENCODED_LEN(SECRET_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(b64, sizeof b64, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
	return arena_printf(a, ICAL_FEED_PREFIX "%s", b64);
}

store_rc feed_create(store *s, arena *a, int64_t person_id, int64_t engagement_id, int64_t made_by,
		     int64_t now, int64_t *id, const char **secret)
{
	if (sodium_init() < 0) return STORE_ERROR;
	*secret = new_secret(a);
	char hash[65];
	token_digest(*secret, hash);
	sql_arg args[] = {person_id ? ARG_INT(person_id) : ARG_NULL,
			  engagement_id ? ARG_INT(engagement_id) : ARG_NULL, ARG_TEXT(hash), ARG_INT(now),
			  ARG_INT(made_by)};
	store_rows r;
	store_rc rc = store_query(s, a,
				  "INSERT INTO calendar_feed (person_id, engagement_id, token_hash, "
				  "created_at, made_by) VALUES ($1, $2, $3, $4, $5) RETURNING id",
				  args, COUNT_OF(args), &r);
	*id = rc == STORE_OK && r.nrows ? rows_int(&r, 0, 0) : 0;
	return rc;
}

store_rc feed_revoke(store *s, arena *a, int64_t person_id, int64_t engagement_id, int64_t now,
		     int64_t *revoked)
{
	sql_arg args[] = {ARG_INT(now), ARG_INT(person_id), ARG_INT(engagement_id)};
	store_rc rc = store_query(s, a,
				  "UPDATE calendar_feed SET revoked_at = $1 WHERE revoked_at IS NULL "
				  "AND ((person_id = $2 AND $2 > 0) OR (engagement_id = $3 AND $3 > 0))",
				  args, COUNT_OF(args), NULL);
	*revoked = rc == STORE_OK ? store_changes(s) : 0;
	return rc;
}

store_rc ical_feeds_revoke_person(store *s, arena *a, int64_t person_id, int64_t now)
{
	sql_arg args[] = {ARG_INT(now), ARG_INT(person_id)};
	return store_query(s, a,
			   "UPDATE calendar_feed SET revoked_at = $1 WHERE revoked_at IS NULL "
			   "AND (person_id = $2 OR made_by = $2)",
			   args, COUNT_OF(args), NULL);
}

store_rc feed_state(store *s, arena *a, int64_t person_id, int64_t engagement_id, int64_t *active,
		    int64_t *newest)
{
	sql_arg args[] = {ARG_INT(person_id), ARG_INT(engagement_id)};
	store_rows r;
	store_rc rc = store_query(s, a,
				  "SELECT COUNT(*), MAX(created_at) FROM calendar_feed "
				  "WHERE revoked_at IS NULL AND ((person_id = $1 AND $1 > 0) OR "
				  "(engagement_id = $2 AND $2 > 0))",
				  args, COUNT_OF(args), &r);
	*active = rc == STORE_OK ? rows_int(&r, 0, 0) : 0;
	*newest = rc == STORE_OK && rows_get(&r, 0, 1) ? rows_int(&r, 0, 1) : 0;
	return rc;
}

store_rc feed_lookup(store *s, arena *a, const char *secret, feed_found *f, bool *found)
{
	char hash[65];
	token_digest(secret, hash);
	sql_arg args[] = {ARG_TEXT(hash)};
	store_rows r;
	store_rc rc =
		store_query(s, a,
			    "SELECT f.person_id, f.engagement_id, f.made_by, e.partner_id, e.district_id, "
			    "COALESCE(p.name, e.title) FROM calendar_feed f "
			    "JOIN person m ON m.id = f.made_by "
			    "LEFT JOIN person p ON p.id = f.person_id "
			    "LEFT JOIN engagement e ON e.id = f.engagement_id "
			    "WHERE f.token_hash = $1 AND f.revoked_at IS NULL AND m.active = 1 "
			    "AND (p.active = 1 OR e.id IS NOT NULL)",
			    args, COUNT_OF(args), &r);
	*found = rc == STORE_OK && r.nrows == 1;
	if (*found)
		*f = (feed_found){.person_id = rows_int(&r, 0, 0),
				  .engagement_id = rows_int(&r, 0, 1),
				  .made_by = rows_int(&r, 0, 2),
				  .partner_id = rows_int(&r, 0, 3),
				  .district_id = rows_int(&r, 0, 4),
				  .name = rows_get(&r, 0, 5)};
	return rc;
}

#define EVENT_COLUMNS \
	"SELECT s.uid, s.sequence, s.updated_at, s.title, COALESCE(s.description, s.agenda), s.place, " \
	"s.link, " \
	"s.on_date, s.block, s.starts_at, s.ends_at, s.time_zone, s.status, s.cancel_reason, " \
	"e.title FROM pl_session s LEFT JOIN engagement e ON e.id = s.engagement_id "

/* clang-format off */
static const char person_sessions_sql[] =
	EVENT_COLUMNS
	"WHERE s.id IN (SELECT session_id FROM session_facilitator WHERE person_id = $1 "
	"UNION SELECT session_id FROM session_participant WHERE person_id = $1 "
	"UNION SELECT sp.session_id FROM session_participant sp "
	"JOIN team_member tm ON tm.team_id = sp.team_id WHERE tm.person_id = $1) "
	"ORDER BY s.on_date DESC, s.id DESC LIMIT 5000";
/* clang-format on */

/* clang-format off */
static const char engagement_sessions_sql[] =
	EVENT_COLUMNS "WHERE s.engagement_id = $1 ORDER BY s.on_date DESC, s.id DESC LIMIT 5000";
/* clang-format on */

store_rc feed_sessions(store *s, arena *a, const feed_found *f, store_rows *out)
{
	sql_arg args[] = {ARG_INT(f->person_id ? f->person_id : f->engagement_id)};
	return store_query(s, a, f->person_id ? person_sessions_sql : engagement_sessions_sql, args, 1, out);
}
