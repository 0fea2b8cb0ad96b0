/* The connection guard: a registry of open connections, each with an atomic
 * word saying what it is doing and since when, and a watchdog that closes
 * the ones that take too long or crowd out newcomers. */
#include "conn_guard.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* What a connection is doing. The word packs the state into its low bits
 * and the time it entered the state (ms) above them, so one atomic
 * compare-and-swap moves both: worker threads move their own connection
 * without a lock, and the watchdog claims one (CUT) only if it is still
 * in the state it judged. */
enum {
	G_IDLE,    /* accepted or between requests: nothing of a request yet */
	G_HEADERS, /* request line in, headers still arriving */
	G_BODY,    /* headers in, body arriving */
	G_BUSY,    /* being handled or its response being sent */
	G_CUT      /* the guard closed it; its owner only lets it go */
};
#define STATE_BITS 4u
#define STATE_MASK ((uint64_t)(1u << STATE_BITS) - 1)
#define WORD(state, since) (((uint64_t)(since) << STATE_BITS) | (uint64_t)(state))
#define STATE_OF(w) ((unsigned)((w)&STATE_MASK))
#define SINCE_OF(w) ((w) >> STATE_BITS)

struct guarded {
	_Atomic uint64_t word;
	_Atomic uint64_t body_bytes; /* since the headers ended */
	atomic_bool api;             /* the request line named /api/... */
	atomic_int cut;              /* guard_cut */
	int fd;
	bool proxy;
	bool refused;
	net_addr peer;
	net_addr key; /* per-address key: IPv6 by its /64 */
	size_t index; /* in guard.all */
	guarded *addr_prev, *addr_next;
};

/* One peer address (or IPv6 /64) and its connections. */
typedef struct addr_slot {
	net_addr key;
	uint64_t hash;
	uint32_t live;  /* not cut */
	uint32_t total; /* registered */
	guarded *head;
	bool used;
} addr_slot;

struct guard {
	guard_config cfg;
	net_addr proxies[GUARD_MAX_PROXIES];
	pthread_mutex_t mu;
	pthread_cond_t wake;
	guarded **all;
	size_t n, cap;
	size_t live; /* registered and not cut */
	addr_slot *slots;
	size_t mask;
	uint64_t seed;
	guard_stats stats;
	atomic_bool stopping;
	bool quit;
	bool watching;
	pthread_t thread;
};

uint64_t guard_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* ---- addresses ---- */

static const uint8_t v4_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

static bool is_v4(const net_addr *a)
{
	return memcmp(a->b, v4_prefix, sizeof v4_prefix) == 0;
}

bool net_addr_parse(const char *text, size_t len, net_addr *out)
{
	while (len && (*text == ' ' || *text == '\t')) text++, len--;
	while (len && (text[len - 1] == ' ' || text[len - 1] == '\t')) len--;
	if (len >= 2 && text[0] == '[' && text[len - 1] == ']') text++, len -= 2;
	char s[INET6_ADDRSTRLEN];
	if (len == 0 || len >= sizeof s) return false;
	memcpy(s, text, len);
	s[len] = 0;
	struct in_addr v4;
	if (inet_pton(AF_INET, s, &v4) == 1) {
		memcpy(out->b, v4_prefix, sizeof v4_prefix);
		memcpy(out->b + 12, &v4, 4);
		return true;
	}
	struct in6_addr v6;
	if (inet_pton(AF_INET6, s, &v6) == 1) {
		memcpy(out->b, &v6, 16);
		return true;
	}
	return false;
}

bool net_addr_from_sockaddr(const struct sockaddr *sa, net_addr *out)
{
	if (!sa) return false;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
		memcpy(out->b, v4_prefix, sizeof v4_prefix);
		memcpy(out->b + 12, &in->sin_addr, 4);
		return true;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
		memcpy(out->b, &in6->sin6_addr, 16);
		return true;
	}
	return false;
}

void net_addr_format(const net_addr *a, char out[NET_ADDR_TEXT])
{
	if (is_v4(a)) inet_ntop(AF_INET, a->b + 12, out, NET_ADDR_TEXT);
	else inet_ntop(AF_INET6, a->b, out, NET_ADDR_TEXT);
}

static bool is_proxy(const net_addr *proxies, size_t n, const net_addr *a)
{
	for (size_t i = 0; i < n; i++)
		if (memcmp(proxies[i].b, a->b, sizeof a->b) == 0) return true;
	return false;
}

bool forwarded_client(const net_addr *proxies, size_t nproxies, const char *xff, net_addr *client)
{
	if (!xff) return false;
	const char *end = xff + strlen(xff);
	bool found = false;
	/* Each proxy appends the address it saw, so the list is read from the
	 * right: our proxy's entry first, then whatever the hops before it
	 * said. Only entries written by trusted proxies can be believed, so
	 * the walk stops at the first address that is not one of them. */
	while (end > xff) {
		const char *start = end;
		while (start > xff && start[-1] != ',') start--;
		size_t len = (size_t)(end - start);
		const char *p = start;
		while (len && (*p == ' ' || *p == '\t')) p++, len--;
		if (len) {
			net_addr a;
			if (!net_addr_parse(p, len, &a)) return false;
			*client = a;
			found = true;
			if (!is_proxy(proxies, nproxies, &a)) return true;
		}
		end = start > xff ? start - 1 : xff;
	}
	return found; /* all were proxies: the left-most is the earliest hop */
}

/* ---- the per-address table: open addressing, linear probing ---- */

static uint64_t addr_hash(const guard *g, const net_addr *k)
{
	uint64_t a, b;
	memcpy(&a, k->b, 8);
	memcpy(&b, k->b + 8, 8);
	/* Seeded so that nobody can pick addresses that collide. */
	uint64_t h = (a ^ g->seed) * 0x9e3779b97f4a7c15u;
	h = (h ^ (h >> 29) ^ b) * 0xbf58476d1ce4e5b9u;
	return h ^ (h >> 32);
}

/* IPv6 peers are counted by their /64: one network hands out as many
 * addresses as it likes, as one NAT address stands for a whole school. */
static net_addr addr_key(const net_addr *peer)
{
	net_addr k = *peer;
	if (!is_v4(&k)) memset(k.b + 8, 0, 8);
	return k;
}

static addr_slot *slot_find(guard *g, const net_addr *k, bool insert)
{
	uint64_t h = addr_hash(g, k);
	for (size_t i = h & g->mask;; i = (i + 1) & g->mask) {
		addr_slot *s = &g->slots[i];
		if (!s->used) {
			if (!insert) return NULL;
			*s = (addr_slot){.key = *k, .hash = h, .used = true};
			return s;
		}
		if (s->hash == h && memcmp(s->key.b, k->b, sizeof k->b) == 0) return s;
	}
}

/* Removes slot i, shifting later entries of its probe run back so that
 * lookups never stop at a hole. */
static void slot_remove(guard *g, addr_slot *s)
{
	size_t i = (size_t)(s - g->slots);
	for (size_t j = (i + 1) & g->mask; g->slots[j].used; j = (j + 1) & g->mask) {
		size_t home = g->slots[j].hash & g->mask;
		/* Entry j may move to i unless its home lies cyclically in (i, j]. */
		bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
		if (stays) continue;
		g->slots[i] = g->slots[j];
		i = j;
	}
	g->slots[i].used = false;
	g->slots[i].head = NULL;
}

/* ---- registry ---- */

guard *guard_new(const guard_config *cfg, size_t capacity)
{
	guard *g = calloc(1, sizeof *g);
	if (!g) return NULL;
	g->cfg = *cfg;
	if (g->cfg.nproxies > GUARD_MAX_PROXIES) g->cfg.nproxies = GUARD_MAX_PROXIES;
	if (g->cfg.nproxies) memcpy(g->proxies, cfg->proxies, g->cfg.nproxies * sizeof *g->proxies);
	g->cfg.proxies = g->proxies;
	g->cap = capacity ? capacity : 1;
	size_t nslots = 16;
	while (nslots < 2 * g->cap) nslots *= 2;
	g->mask = nslots - 1;
	g->all = calloc(g->cap, sizeof *g->all);
	g->slots = calloc(nslots, sizeof *g->slots);
	if (getrandom(&g->seed, sizeof g->seed, 0) != (ssize_t)sizeof g->seed)
		g->seed = guard_now_ms() * 0x2545f4914f6cdd1du;
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	if (!g->all || !g->slots || pthread_mutex_init(&g->mu, NULL) || pthread_cond_init(&g->wake, &ca)) {
		pthread_condattr_destroy(&ca);
		free(g->all);
		free(g->slots);
		free(g);
		return NULL;
	}
	pthread_condattr_destroy(&ca);
	return g;
}

void guard_free(guard *g)
{
	if (!g) return;
	guard_unwatch(g);
	for (size_t i = 0; i < g->n; i++) free(g->all[i]);
	pthread_cond_destroy(&g->wake);
	pthread_mutex_destroy(&g->mu);
	free(g->all);
	free(g->slots);
	free(g);
}

const guard_stats *guard_counters(const guard *g)
{
	return &g->stats;
}

/* Claims c for closing if it is still in the state the word w says, then
 * answers it (see guard_answer_fn) and shuts its socket down: the HTTP
 * library sees end of input at once and closes it. Called with the lock
 * held, and the owner forgets a connection only under the same lock
 * before it closes the fd, so the fd here is still this connection's. */
static bool cut(guard *g, guarded *c, uint64_t w, guard_cut why)
{
	unsigned was = STATE_OF(w);
	if (!atomic_compare_exchange_strong(&c->word, &w, WORD(G_CUT, SINCE_OF(w)))) return false;
	atomic_store(&c->cut, (int)why);
	addr_slot *s = slot_find(g, &c->key, false);
	if (s && s->live) s->live--;
	if (g->live) g->live--;
	if (g->cfg.answer) {
		bool api = atomic_load(&c->api);
		if (why == CUT_STOPPING && was == G_HEADERS)
			g->cfg.answer(g->cfg.answer_ctx, c->fd, 503, api);
		else if (why != CUT_STOPPING && (was == G_HEADERS || was == G_BODY))
			g->cfg.answer(g->cfg.answer_ctx, c->fd, 408, api);
	}
	shutdown(c->fd, SHUT_RDWR);
	atomic_fetch_add_explicit(&g->stats.cut[why], 1, memory_order_relaxed);
	return true;
}

/* How long c has been unproductive, for eviction: idle or unfinished
 * headers only (a body arriving or a request in hand is never evicted);
 * a connection admitted over the limit goes first. */
static bool evictable(const guarded *c, uint64_t *w, uint64_t *rank)
{
	*w = atomic_load(&c->word);
	unsigned st = STATE_OF(*w);
	if (st != G_IDLE && st != G_HEADERS) return false;
	*rank = c->refused ? 0 : SINCE_OF(*w);
	return true;
}

/* Evicts the longest-unproductive connection: of one address when s is
 * given, else of all. False when every candidate is busy. */
static bool evict_one(guard *g, addr_slot *s)
{
	for (int attempt = 0; attempt < 4; attempt++) {
		guarded *best = NULL;
		uint64_t best_w = 0, best_rank = UINT64_MAX, w, rank;
		if (s) {
			for (guarded *c = s->head; c; c = c->addr_next)
				if (evictable(c, &w, &rank) && rank < best_rank)
					best = c, best_w = w, best_rank = rank;
		} else {
			for (size_t i = 0; i < g->n; i++)
				if (evictable(g->all[i], &w, &rank) && rank < best_rank)
					best = g->all[i], best_w = w, best_rank = rank;
		}
		if (!best) return false;
		if (cut(g, best, best_w, CUT_EVICTED)) return true;
		/* It moved on (its headers came in) between the look and the
		 * claim: look again. */
	}
	return false;
}

guarded *guard_admit(guard *g, int fd, const struct sockaddr *peer, uint64_t now_ms)
{
	guarded *c = calloc(1, sizeof *c);
	if (!c) return NULL;
	c->fd = fd;
	if (!net_addr_from_sockaddr(peer, &c->peer)) memset(&c->peer, 0, sizeof c->peer);
	c->key = addr_key(&c->peer);
	c->proxy = is_proxy(g->proxies, g->cfg.nproxies, &c->peer);
	atomic_init(&c->word, WORD(G_IDLE, now_ms));
	pthread_mutex_lock(&g->mu);
	if (g->n == g->cap) {
		pthread_mutex_unlock(&g->mu);
		free(c);
		return NULL;
	}
	addr_slot *s = slot_find(g, &c->key, true);
	/* A whole school can sit behind one address, so reaching the
	 * per-address limit closes that address's own longest-idle
	 * connection rather than turning the newcomer away. A trusted proxy
	 * carries everyone and is held only to the global limit. */
	if (!c->proxy && s->live >= g->cfg.max_per_address && !evict_one(g, s)) c->refused = true;
	if (!c->refused && g->live >= g->cfg.max_connections && !evict_one(g, NULL)) c->refused = true;
	c->index = g->n;
	g->all[g->n++] = c;
	c->addr_next = s->head;
	if (s->head) s->head->addr_prev = c;
	s->head = c;
	s->total++;
	s->live++;
	g->live++;
	pthread_mutex_unlock(&g->mu);
	atomic_fetch_add_explicit(&g->stats.open, 1, memory_order_relaxed);
	if (c->refused) atomic_fetch_add_explicit(&g->stats.refused, 1, memory_order_relaxed);
	return c;
}

void guard_forget(guard *g, guarded *c)
{
	if (!c) return;
	pthread_mutex_lock(&g->mu);
	guarded *last = g->all[--g->n];
	g->all[c->index] = last;
	last->index = c->index;
	addr_slot *s = slot_find(g, &c->key, false);
	bool live = STATE_OF(atomic_load(&c->word)) != G_CUT;
	if (live && g->live) g->live--;
	if (s) {
		if (live && s->live) s->live--;
		if (c->addr_prev) c->addr_prev->addr_next = c->addr_next;
		else s->head = c->addr_next;
		if (c->addr_next) c->addr_next->addr_prev = c->addr_prev;
		if (--s->total == 0) slot_remove(g, s);
	}
	pthread_mutex_unlock(&g->mu);
	atomic_fetch_sub_explicit(&g->stats.open, 1, memory_order_relaxed);
	free(c);
}

/* ---- what a connection is doing ---- */

/* Moves c to state `to` (since now_ms, or keeping its time when now_ms is
 * UINT64_MAX) unless the guard has cut it. */
static bool move(guarded *c, unsigned to, uint64_t now_ms)
{
	uint64_t w = atomic_load(&c->word);
	for (;;) {
		if (STATE_OF(w) == G_CUT) return false;
		uint64_t since = now_ms == UINT64_MAX ? SINCE_OF(w) : now_ms;
		if (atomic_compare_exchange_weak(&c->word, &w, WORD(to, since))) return true;
	}
}

bool guarded_request_line(guarded *c, bool api)
{
	if (!c) return true;
	atomic_store_explicit(&c->api, api, memory_order_relaxed);
	/* The header deadline keeps counting from accept or from the end of
	 * the previous response: the request line is no progress to reward. */
	return move(c, G_HEADERS, UINT64_MAX);
}

bool guarded_headers_done(guarded *c, bool body_follows, uint64_t now_ms)
{
	if (!c) return true;
	atomic_store_explicit(&c->body_bytes, 0, memory_order_relaxed);
	return move(c, body_follows ? G_BODY : G_BUSY, now_ms);
}

void guarded_body_bytes(guarded *c, size_t n)
{
	if (c) atomic_fetch_add_explicit(&c->body_bytes, n, memory_order_relaxed);
}

bool guarded_body_done(guarded *c)
{
	return !c || move(c, G_BUSY, UINT64_MAX);
}

void guarded_response_done(guarded *c, uint64_t now_ms)
{
	if (c) move(c, G_IDLE, now_ms);
}

bool guarded_refused(const guarded *c)
{
	return c && c->refused;
}

bool guarded_from_proxy(const guarded *c)
{
	return c && c->proxy;
}

const net_addr *guarded_peer(const guarded *c)
{
	return c ? &c->peer : NULL;
}

guard_cut guarded_cut(const guarded *c)
{
	return c ? (guard_cut)atomic_load(&c->cut) : CUT_NONE;
}

/* ---- the rules ---- */

static void sweep_locked(guard *g, uint64_t now, bool stopping)
{
	uint64_t header_ms = g->cfg.header_timeout_ms;
	for (size_t i = 0; i < g->n; i++) {
		guarded *c = g->all[i];
		uint64_t w = atomic_load(&c->word);
		uint64_t since = SINCE_OF(w), age = now > since ? now - since : 0;
		switch (STATE_OF(w)) {
		case G_IDLE:
		case G_HEADERS:
			/* Counted from accept or the end of the last response and
			 * never reset by a byte: one byte a second buys nothing. */
			if (stopping) cut(g, c, w, CUT_STOPPING);
			else if (age >= header_ms) cut(g, c, w, CUT_HEADER_TIMEOUT);
			break;
		case G_BODY: {
			/* After a grace as long as the header deadline, the body
			 * must have kept the minimum average rate: a phone sending
			 * a 200 MB video at a few hundred KB/s passes easily; a
			 * trickle meant to hold the connection does not. */
			if (age <= header_ms) break;
			uint64_t owed = (age - header_ms) * g->cfg.min_body_rate / 1000u;
			if (atomic_load_explicit(&c->body_bytes, memory_order_relaxed) < owed)
				cut(g, c, w, CUT_BODY_RATE);
			break;
		}
		default: break;
		}
	}
}

void guard_sweep(guard *g, uint64_t now_ms, bool stopping)
{
	pthread_mutex_lock(&g->mu);
	sweep_locked(g, now_ms, stopping);
	pthread_mutex_unlock(&g->mu);
}

static void *watchdog(void *arg)
{
	guard *g = arg;
	pthread_mutex_lock(&g->mu);
	while (!g->quit) {
		bool stopping = atomic_load(&g->stopping);
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		long step_ns = stopping ? 20000000L : 100000000L;
		ts.tv_nsec += step_ns;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&g->wake, &g->mu, &ts);
		if (g->quit) break;
		sweep_locked(g, guard_now_ms(), atomic_load(&g->stopping));
	}
	pthread_mutex_unlock(&g->mu);
	return NULL;
}

bool guard_watch(guard *g)
{
	if (g->watching) return true;
	g->quit = false;
	if (pthread_create(&g->thread, NULL, watchdog, g)) return false;
	g->watching = true;
	return true;
}

void guard_stopping(guard *g)
{
	atomic_store(&g->stopping, true);
	pthread_mutex_lock(&g->mu);
	pthread_cond_signal(&g->wake);
	pthread_mutex_unlock(&g->mu);
}

void guard_unwatch(guard *g)
{
	if (!g->watching) return;
	pthread_mutex_lock(&g->mu);
	g->quit = true;
	pthread_cond_signal(&g->wake);
	pthread_mutex_unlock(&g->mu);
	pthread_join(g->thread, NULL);
	g->watching = false;
}
