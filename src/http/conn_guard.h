/* The connection guard: which connections the server keeps when idle or
 * slow clients crowd it, and how long a request may take to arrive. It
 * knows sockets, peer addresses and time, never HTTP; server.c tells it
 * what each connection is doing and a watchdog thread enforces the rules. */
#ifndef COACHD_CONN_GUARD_H
#define COACHD_CONN_GUARD_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sockaddr;

/* An IPv4 or IPv6 address; IPv4 is kept as ::ffff:a.b.c.d so that one
 * peer has one key whichever way the socket saw it. */
typedef struct net_addr {
	uint8_t b[16];
} net_addr;

enum { NET_ADDR_TEXT = 46 }; /* INET6_ADDRSTRLEN */
enum { GUARD_MAX_PROXIES = 32 };

/* Parses a numeric IPv4 or IPv6 address (an IPv6 one may be in [..]);
 * false for anything else, host names included. */
bool net_addr_parse(const char *text, size_t len, net_addr *out);
/* False when sa is neither AF_INET nor AF_INET6. */
bool net_addr_from_sockaddr(const struct sockaddr *sa, net_addr *out);
/* Canonical text: dotted IPv4 for an IPv4 peer, RFC 5952 IPv6 otherwise. */
void net_addr_format(const net_addr *a, char out[NET_ADDR_TEXT]);

/* The client a request came from when the peer is a trusted proxy: the
 * right-most address of X-Forwarded-For (xff, all its headers joined with
 * ",") that is not itself a trusted proxy. False when the header names no
 * such address, or the one found is not an IP address: then the peer is
 * the client as far as anyone can tell. */
bool forwarded_client(const net_addr *proxies, size_t nproxies, const char *xff, net_addr *client);

/* Why the guard closed a connection. */
typedef enum guard_cut {
	CUT_NONE,
	CUT_HEADER_TIMEOUT, /* headers not complete within the deadline */
	CUT_BODY_RATE,      /* body arriving slower than the minimum rate */
	CUT_EVICTED,        /* idle or unfinished, closed to admit a newcomer */
	CUT_STOPPING,       /* idle or unfinished when the server stopped */
	CUT_REASONS
} guard_cut;

/* What the guard writes itself before closing: 408 to a connection cut
 * while its request line was in, 503 when it is cut on stopping. */
typedef void guard_answer_fn(void *ctx, int fd, int status, bool api);

typedef struct guard_config {
	unsigned max_connections; /* kept open at once; newcomers evict */
	unsigned max_per_address; /* per peer address; its own are evicted */
	unsigned header_timeout_ms;
	unsigned min_body_rate;  /* bytes per second, after the grace */
	const net_addr *proxies; /* trusted proxies (up to GUARD_MAX_PROXIES):
	                           * no per-address limit for them */
	size_t nproxies;
	guard_answer_fn *answer;
	void *answer_ctx;
} guard_config;

typedef struct guard guard;
typedef struct guarded guarded;

/* Counters for /metrics, read without the lock. */
typedef struct guard_stats {
	_Atomic uint64_t open;             /* connections registered now */
	_Atomic uint64_t cut[CUT_REASONS]; /* closed by the guard, by reason */
	_Atomic uint64_t refused;          /* admitted over the limit: 503 */
} guard_stats;

/* NULL when memory runs out. capacity bounds the connections registered
 * at once (the HTTP library's own limit, above max_connections). */
guard *guard_new(const guard_config *cfg, size_t capacity);
void guard_free(guard *g);
const guard_stats *guard_counters(const guard *g);

/* A connection accepted on fd from peer: registered, making room first
 * (see guard.c). NULL when memory runs out or the guard is full. */
guarded *guard_admit(guard *g, int fd, const struct sockaddr *peer, uint64_t now_ms);
/* The connection is about to be closed by its owner; after this the guard
 * never touches its fd again. */
void guard_forget(guard *g, guarded *c);

/* What the connection is doing, from its own worker thread. Each is one
 * atomic step; false means the guard has already cut it (the caller stops
 * and lets the connection close). */
bool guarded_request_line(guarded *c, bool api);
bool guarded_headers_done(guarded *c, bool body_follows, uint64_t now_ms);
void guarded_body_bytes(guarded *c, size_t n);
bool guarded_body_done(guarded *c);
void guarded_response_done(guarded *c, uint64_t now_ms);
/* Admitted while every other connection was busy: its request gets 503. */
bool guarded_refused(const guarded *c);
/* The peer is a trusted proxy (X-Forwarded-For names the client). */
bool guarded_from_proxy(const guarded *c);
const net_addr *guarded_peer(const guarded *c);
/* Why the guard cut it, CUT_NONE if it did not. */
guard_cut guarded_cut(const guarded *c);

/* One pass of the rules at now_ms (the watchdog calls it; tests too). When
 * stopping, every connection without a request in hand is closed. */
void guard_sweep(guard *g, uint64_t now_ms, bool stopping);

/* The watchdog: a thread sweeping every 100 ms (every 20 ms once
 * stopping). */
bool guard_watch(guard *g);
void guard_stopping(guard *g);
void guard_unwatch(guard *g);

uint64_t guard_now_ms(void);

#endif
