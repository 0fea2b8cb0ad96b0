/* Throttling failed sign-ins, kept in the store so that every server
 * process behind a load balancer counts the same failures: per account
 * (whether or not it exists, so the answer tells nothing) and per client
 * address. Time is passed in, so the windows can be tested. */
#ifndef COACHD_THROTTLE_H
#define COACHD_THROTTLE_H

#include <stdint.h>

#include "../base/arena.h"
#include "../store/store.h"

enum {
	THROTTLE_WINDOW_SECONDS = 15 * 60,
	THROTTLE_ACCOUNT_MAX = 5, /* failures per email within the window */
	THROTTLE_ADDRESS_MAX = 30 /* failures per client address within the window */
};

/* How long sign-ins for this email from this address must wait: 0 when
 * they may go ahead, else the seconds until the oldest failure that keeps
 * them back leaves the window. remote may be NULL (not counted). */
store_rc throttle_wait(store *s, arena *a, const char *email, const char *remote, int64_t now,
		       int64_t *wait_seconds);

/* Counts one failed sign-in against the email and the address, and drops
 * failures that have left the window (those of these keys every time,
 * everyone's now and then). Opens no transaction. */
store_rc throttle_failed(store *s, arena *a, const char *email, const char *remote, int64_t now);

/* A successful sign-in forgives the account's failures (not the
 * address's: one right password does not vouch for the other tries). */
store_rc throttle_forgive(store *s, arena *a, const char *email);

/* "email:<lowercased email>" and "addr:<address>", as stored. */
const char *throttle_account_key(arena *a, const char *email);
const char *throttle_address_key(arena *a, const char *remote);

/* "Too many failed sign-ins. Try again in N minutes." */
const char *throttle_message(arena *a, int64_t wait_seconds);

#endif
