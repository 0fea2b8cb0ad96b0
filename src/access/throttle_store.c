/* Failed sign-ins in the signin_failure table, counted per key within a
 * sliding window. A throttled attempt is not itself counted: its password
 * is never checked, so it is no evidence of guessing, and counting it
 * would let anyone keep an account locked forever. */
#include "throttle.h"

#include <sodium.h>
#include <string.h>

#include "../base/util.h"

enum {
	KEY_TEXT_MAX = 320, /* an email is at most 254 bytes; longer is noise */
	SWEEP_ONE_IN = 32   /* how often a failure also sweeps everyone's old rows */
};

/* Cut on a character boundary so PostgreSQL accepts the text. */
static const char *bounded_key(arena *a, const char *prefix, const char *text, bool lower)
{
	size_t n = strnlen(text, KEY_TEXT_MAX + 1);
	if (n > KEY_TEXT_MAX) {
		n = KEY_TEXT_MAX;
		while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80) n--;
	}
	char *key = arena_printf(a, "%s%.*s", prefix, (int)n, text);
	/* ASCII only, in C, so both backends agree on what the key is. */
	for (char *p = key + strlen(prefix); lower && *p; p++)
		if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
	return key;
}

const char *throttle_account_key(arena *a, const char *email)
{
	return bounded_key(a, "email:", email ? email : "", true);
}

const char *throttle_address_key(arena *a, const char *remote)
{
	return remote && *remote ? bounded_key(a, "addr:", remote, false) : NULL;
}

/* Seconds until key drops below max failures in the window: the
 * (count - max + 1)-th oldest failure has to leave it. */
static store_rc key_wait(store *s, arena *a, const char *key, int max, int64_t now, int64_t *wait)
{
	*wait = 0;
	if (!key) return STORE_OK;
	sql_arg args[] = {ARG_TEXT(key), ARG_INT(now - THROTTLE_WINDOW_SECONDS), ARG_INT(max)};
	store_rows r;
	store_rc rc = store_query(s, a,
				  "SELECT at FROM signin_failure WHERE key = $1 AND at > $2 "
				  "ORDER BY at DESC LIMIT $3",
				  args, COUNT_OF(args), &r);
	if (rc != STORE_OK || r.nrows < (size_t)max) return rc;
	/* Newest first: the max-th newest is the one whose leaving lets one
	 * more attempt through. */
	int64_t at = rows_int(&r, (size_t)max - 1, 0);
	*wait = at + THROTTLE_WINDOW_SECONDS - now;
	if (*wait < 1) *wait = 1;
	return STORE_OK;
}

store_rc throttle_wait(store *s, arena *a, const char *email, const char *remote, int64_t now,
		       int64_t *wait_seconds)
{
	int64_t by_account, by_address;
	store_rc rc = key_wait(s, a, throttle_account_key(a, email), THROTTLE_ACCOUNT_MAX, now, &by_account);
	if (rc == STORE_OK)
		rc = key_wait(s, a, throttle_address_key(a, remote), THROTTLE_ADDRESS_MAX, now, &by_address);
	if (rc != STORE_OK) return rc;
	*wait_seconds = by_account > by_address ? by_account : by_address;
	return STORE_OK;
}

static store_rc add_failure(store *s, arena *a, const char *key, int64_t now)
{
	sql_arg args[] = {ARG_TEXT(key), ARG_INT(now)};
	return store_query(s, a, "INSERT INTO signin_failure (key, at) VALUES ($1, $2)", args, COUNT_OF(args),
			   NULL);
}

/* Old rows of one key go through the (key, at) index; a sweep of every
 * key scans the table, so it runs only now and then. */
static store_rc prune(store *s, arena *a, const char *key, int64_t now)
{
	sql_arg args[] = {ARG_TEXT(key), ARG_INT(now - THROTTLE_WINDOW_SECONDS)};
	return store_query(s, a, "DELETE FROM signin_failure WHERE key = $1 AND at <= $2", args,
			   COUNT_OF(args), NULL);
}

static store_rc sweep(store *s, arena *a, int64_t now)
{
	sql_arg args[] = {ARG_INT(now - THROTTLE_WINDOW_SECONDS)};
	return store_query(s, a, "DELETE FROM signin_failure WHERE at <= $1", args, 1, NULL);
}

store_rc throttle_failed(store *s, arena *a, const char *email, const char *remote, int64_t now)
{
	const char *account = throttle_account_key(a, email);
	const char *address = throttle_address_key(a, remote);
	store_rc rc = add_failure(s, a, account, now);
	if (rc == STORE_OK && address) rc = add_failure(s, a, address, now);
	if (rc == STORE_OK) rc = prune(s, a, account, now);
	if (rc == STORE_OK && address) rc = prune(s, a, address, now);
	if (rc == STORE_OK && sodium_init() >= 0 && randombytes_uniform(SWEEP_ONE_IN) == 0)
		rc = sweep(s, a, now);
	return rc;
}

store_rc throttle_forgive(store *s, arena *a, const char *email)
{
	sql_arg args[] = {ARG_TEXT(throttle_account_key(a, email))};
	return store_query(s, a, "DELETE FROM signin_failure WHERE key = $1", args, 1, NULL);
}

const char *throttle_message(arena *a, int64_t wait_seconds)
{
	int64_t minutes = (wait_seconds + 59) / 60;
	if (minutes < 1) minutes = 1;
	return arena_printf(a, "Too many failed sign-ins. Try again in %lld minute%s.", (long long)minutes,
			    minutes == 1 ? "" : "s");
}
