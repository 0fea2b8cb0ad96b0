/* Unit tests for the connection guard (src/http/conn_guard.h): addresses
 * and X-Forwarded-For, which connection goes when the server or one
 * address is full, the header deadline and the body rate, and stopping.
 * Connections are real socket pairs; time is passed in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http/conn_guard.h"

/* ---- addresses ---- */

static const char *formatted(const char *text, char out[NET_ADDR_TEXT])
{
	net_addr a;
	if (!net_addr_parse(text, strlen(text), &a)) return NULL;
	net_addr_format(&a, out);
	return out;
}

static void test_addr_parse(void **state)
{
	(void)state;
	char t[NET_ADDR_TEXT];
	assert_string_equal(formatted("192.0.2.1", t), "192.0.2.1");
	assert_string_equal(formatted("  192.0.2.1 ", t), "192.0.2.1");
	assert_string_equal(formatted("2001:DB8:0:0::7", t), "2001:db8::7");
	assert_string_equal(formatted("[2001:db8::7]", t), "2001:db8::7");
	/* An IPv4-mapped address is the IPv4 address. */
	assert_string_equal(formatted("::ffff:192.0.2.9", t), "192.0.2.9");
	assert_null(formatted("", t));
	assert_null(formatted("unknown", t));
	assert_null(formatted("proxy.example.org", t));
	assert_null(formatted("192.0.2.1:8080", t));
	assert_null(formatted("192.0.2", t));
	assert_null(formatted("fe80::1%eth0", t));
	assert_null(formatted("1.2.3.4.5", t));
}

static void test_addr_from_sockaddr(void **state)
{
	(void)state;
	struct sockaddr_in in = {.sin_family = AF_INET};
	inet_pton(AF_INET, "198.51.100.3", &in.sin_addr);
	struct sockaddr_in6 in6 = {.sin6_family = AF_INET6};
	inet_pton(AF_INET6, "::ffff:198.51.100.3", &in6.sin6_addr);
	net_addr a, b;
	assert_true(net_addr_from_sockaddr((struct sockaddr *)&in, &a));
	assert_true(net_addr_from_sockaddr((struct sockaddr *)&in6, &b));
	assert_memory_equal(a.b, b.b, 16);
	struct sockaddr un = {.sa_family = AF_UNIX};
	assert_false(net_addr_from_sockaddr(&un, &a));
	assert_false(net_addr_from_sockaddr(NULL, &a));
}

static const char *client_of(const char *proxies_text, const char *xff, char out[NET_ADDR_TEXT])
{
	net_addr proxies[4];
	size_t n = 0;
	for (const char *p = proxies_text; p && *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		assert_true(net_addr_parse(p, len, &proxies[n++]));
		p = comma ? comma + 1 : NULL;
	}
	net_addr c;
	if (!forwarded_client(proxies, n, xff, &c)) return NULL;
	net_addr_format(&c, out);
	return out;
}

static void test_forwarded_client(void **state)
{
	(void)state;
	char t[NET_ADDR_TEXT];
	const char *px = "10.0.0.1,10.0.0.2";
	/* The right-most address that is not a trusted proxy. */
	assert_string_equal(client_of(px, "203.0.113.5", t), "203.0.113.5");
	assert_string_equal(client_of(px, "198.51.100.1, 203.0.113.5", t), "203.0.113.5");
	assert_string_equal(client_of(px, "198.51.100.1, 203.0.113.5, 10.0.0.2", t), "203.0.113.5");
	assert_string_equal(client_of(px, "198.51.100.1,10.0.0.1 ,10.0.0.2", t), "198.51.100.1");
	/* A client cannot hide behind a forged entry further left. */
	assert_string_equal(client_of(px, "10.0.0.1, 203.0.113.5", t), "203.0.113.5");
	/* Empty entries are skipped; all proxies: the left-most. */
	assert_string_equal(client_of(px, "203.0.113.5,,", t), "203.0.113.5");
	assert_string_equal(client_of(px, "10.0.0.2, 10.0.0.1", t), "10.0.0.2");
	assert_string_equal(client_of(px, "[2001:db8::5]", t), "2001:db8::5");
	/* Nothing usable: the peer is the client. */
	assert_null(client_of(px, "", t));
	assert_null(client_of(px, " , ", t));
	assert_null(client_of(px, "unknown", t));
	assert_null(client_of(px, "198.51.100.1, garbage", t));
	assert_null(client_of(px, "203.0.113.5:4711", t));
	assert_null(client_of(px, NULL, t));
	/* Garbage left of the client does not matter. */
	assert_string_equal(client_of(px, "garbage, 203.0.113.5", t), "203.0.113.5");
}

/* ---- the registry ---- */

/* What the guard answered, in order. */
typedef struct answers {
	int fd[64];
	int status[64];
	bool api[64];
	size_t n;
} answers;

static void record_answer(void *ctx, int fd, int status, bool api)
{
	answers *a = ctx;
	if (a->n < 64) {
		a->fd[a->n] = fd;
		a->status[a->n] = status;
		a->api[a->n] = api;
		a->n++;
	}
}

/* A guarded connection over a socket pair: the guard holds one end, the
 * test reads the other to see whether it was shut down. */
typedef struct conn {
	int ours, theirs;
	guarded *g;
} conn;

typedef struct world {
	guard *g;
	answers said;
	conn c[64];
	size_t n;
} world;

static struct sockaddr_storage peer_of(const char *text)
{
	struct sockaddr_storage ss = {0};
	if (strchr(text, ':')) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
		in6->sin6_family = AF_INET6;
		assert_int_equal(inet_pton(AF_INET6, text, &in6->sin6_addr), 1);
	} else {
		struct sockaddr_in *in = (struct sockaddr_in *)&ss;
		in->sin_family = AF_INET;
		assert_int_equal(inet_pton(AF_INET, text, &in->sin_addr), 1);
	}
	return ss;
}

static world *world_new(unsigned max, unsigned per_address, const char *proxy)
{
	world *w = calloc(1, sizeof *w);
	assert_non_null(w);
	net_addr proxies[1];
	size_t nproxies = 0;
	if (proxy) {
		assert_true(net_addr_parse(proxy, strlen(proxy), &proxies[0]));
		nproxies = 1;
	}
	guard_config cfg = {.max_connections = max,
			    .max_per_address = per_address,
			    .header_timeout_ms = 1000,
			    .min_body_rate = 1000,
			    .proxies = proxies,
			    .nproxies = nproxies,
			    .answer = record_answer,
			    .answer_ctx = &w->said};
	w->g = guard_new(&cfg, 64);
	assert_non_null(w->g);
	return w;
}

static conn *admit(world *w, const char *from, uint64_t now)
{
	conn *c = &w->c[w->n++];
	int sv[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	c->ours = sv[0];
	c->theirs = sv[1];
	struct sockaddr_storage ss = peer_of(from);
	c->g = guard_admit(w->g, c->ours, (struct sockaddr *)&ss, now);
	assert_non_null(c->g);
	return c;
}

/* Whether the guard shut c's socket down (its other end reads EOF). */
static bool shut(const conn *c)
{
	char b[256];
	ssize_t r = recv(c->theirs, b, sizeof b, MSG_DONTWAIT);
	return r == 0;
}

static void world_free(world *w)
{
	for (size_t i = 0; i < w->n; i++) {
		guard_forget(w->g, w->c[i].g);
		close(w->c[i].ours);
		close(w->c[i].theirs);
	}
	assert_int_equal(atomic_load(&guard_counters(w->g)->open), 0);
	guard_free(w->g);
	free(w);
}

static void test_full_server_evicts_longest_idle(void **state)
{
	(void)state;
	world *w = world_new(4, 4, NULL);
	conn *a = admit(w, "192.0.2.1", 100);
	conn *b = admit(w, "192.0.2.2", 200);
	conn *c = admit(w, "192.0.2.3", 300);
	conn *d = admit(w, "192.0.2.4", 400);
	/* a answered a request and is idle since 450: b is now the longest
	 * unproductive. */
	assert_true(guarded_headers_done(a->g, false, 420));
	guarded_response_done(a->g, 450);
	conn *e = admit(w, "192.0.2.5", 500);
	assert_true(shut(b));
	assert_int_equal(guarded_cut(b->g), CUT_EVICTED);
	assert_false(shut(a) || shut(c) || shut(d) || shut(e));
	assert_false(guarded_refused(e->g));
	/* An idle connection says nothing when it goes. */
	assert_int_equal(w->said.n, 0);
	/* What was cut can no longer move on. */
	assert_false(guarded_request_line(b->g, false));
	assert_false(guarded_headers_done(b->g, false, 600));
	assert_int_equal(atomic_load(&guard_counters(w->g)->cut[CUT_EVICTED]), 1);
	world_free(w);
}

static void test_busy_is_never_evicted(void **state)
{
	(void)state;
	world *w = world_new(3, 3, NULL);
	conn *a = admit(w, "192.0.2.1", 100);
	conn *b = admit(w, "192.0.2.2", 200);
	conn *c = admit(w, "192.0.2.3", 300);
	assert_true(guarded_headers_done(a->g, true, 310));  /* a body arriving */
	assert_true(guarded_headers_done(b->g, false, 320)); /* being handled */
	assert_true(guarded_request_line(c->g, true));       /* headers arriving */
	conn *d = admit(w, "192.0.2.4", 400);
	/* c was the only one without a request in hand: it goes, with 408
	 * since its request line was in. */
	assert_true(shut(c));
	assert_int_equal(w->said.n, 1);
	assert_int_equal(w->said.fd[0], c->ours);
	assert_int_equal(w->said.status[0], 408);
	assert_true(w->said.api[0]);
	assert_true(guarded_headers_done(d->g, false, 410));
	/* Everyone busy: the newcomer is admitted but marked for 503 ... */
	conn *e = admit(w, "192.0.2.5", 500);
	assert_true(guarded_refused(e->g));
	assert_false(shut(a) || shut(b) || shut(d));
	assert_int_equal(atomic_load(&guard_counters(w->g)->refused), 1);
	/* ... and is the first to go when another arrives and someone is
	 * idle again. */
	guarded_response_done(b->g, 600);
	conn *f = admit(w, "192.0.2.6", 700);
	assert_true(shut(e));
	assert_false(shut(b));
	assert_false(guarded_refused(f->g));
	world_free(w);
}

static void test_one_address_evicts_its_own(void **state)
{
	(void)state;
	world *w = world_new(10, 2, "10.0.0.9");
	conn *a1 = admit(w, "192.0.2.1", 100);
	conn *b1 = admit(w, "192.0.2.2", 150);
	conn *a2 = admit(w, "192.0.2.1", 200);
	conn *a3 = admit(w, "192.0.2.1", 300);
	assert_true(shut(a1));
	assert_false(shut(b1) || shut(a2) || shut(a3));
	/* IPv6 peers count by their /64. */
	conn *v1 = admit(w, "2001:db8:1:2::1", 400);
	conn *v2 = admit(w, "2001:db8:1:2::2", 410);
	conn *v3 = admit(w, "2001:db8:1:2:ffff::3", 420);
	conn *o1 = admit(w, "2001:db8:1:3::1", 430);
	assert_true(shut(v1));
	assert_false(shut(v2) || shut(v3) || shut(o1));
	/* A trusted proxy is held only to the global limit (10). */
	conn *p[4];
	for (int i = 0; i < 4; i++) p[i] = admit(w, "10.0.0.9", 500 + (uint64_t)i);
	for (int i = 0; i < 4; i++) assert_false(shut(p[i]));
	world_free(w);
}

static void test_header_deadline(void **state)
{
	(void)state;
	world *w = world_new(10, 10, NULL);
	conn *a = admit(w, "192.0.2.1", 0);
	conn *b = admit(w, "192.0.2.2", 0);
	conn *c = admit(w, "192.0.2.3", 500);
	/* The request line is no progress: the deadline still counts from
	 * accept. */
	assert_true(guarded_request_line(b->g, false));
	guard_sweep(w->g, 999, false);
	assert_false(shut(a) || shut(b) || shut(c));
	guard_sweep(w->g, 1000, false);
	assert_true(shut(a));
	assert_true(shut(b));
	assert_false(shut(c));
	assert_int_equal(guarded_cut(a->g), CUT_HEADER_TIMEOUT);
	/* Only b had begun a request: only b is told. */
	assert_int_equal(w->said.n, 1);
	assert_int_equal(w->said.fd[0], b->ours);
	assert_int_equal(w->said.status[0], 408);
	assert_false(w->said.api[0]);
	/* After a response, the next request's deadline starts again. */
	assert_true(guarded_headers_done(c->g, false, 900));
	guarded_response_done(c->g, 1400);
	guard_sweep(w->g, 2399, false);
	assert_false(shut(c));
	guard_sweep(w->g, 2400, false);
	assert_true(shut(c));
	world_free(w);
}

static void test_body_rate(void **state)
{
	(void)state;
	world *w = world_new(10, 10, NULL); /* 1000 ms grace, 1000 bytes/s */
	conn *fast = admit(w, "192.0.2.1", 0);
	conn *slow = admit(w, "192.0.2.2", 0);
	assert_true(guarded_headers_done(fast->g, true, 100));
	assert_true(guarded_headers_done(slow->g, true, 100));
	guarded_body_bytes(fast->g, 3000);
	guarded_body_bytes(slow->g, 900);
	/* Within the grace, nothing is owed: the header deadline no longer
	 * applies either. */
	guard_sweep(w->g, 1100, false);
	assert_false(shut(fast) || shut(slow));
	/* 2 s past the grace: 2000 bytes owed. */
	guard_sweep(w->g, 3100, false);
	assert_false(shut(fast));
	assert_true(shut(slow));
	assert_int_equal(guarded_cut(slow->g), CUT_BODY_RATE);
	assert_int_equal(w->said.n, 1);
	assert_int_equal(w->said.status[0], 408);
	/* The body done, it is handled however long that takes. */
	assert_true(guarded_body_done(fast->g));
	guard_sweep(w->g, 60000, false);
	assert_false(shut(fast));
	assert_false(guarded_body_done(slow->g));
	world_free(w);
}

static void test_stopping(void **state)
{
	(void)state;
	world *w = world_new(10, 10, NULL);
	conn *idle = admit(w, "192.0.2.1", 0);
	conn *heads = admit(w, "192.0.2.2", 0);
	conn *body = admit(w, "192.0.2.3", 0);
	conn *busy = admit(w, "192.0.2.4", 0);
	assert_true(guarded_request_line(heads->g, true));
	assert_true(guarded_headers_done(body->g, true, 10));
	assert_true(guarded_headers_done(busy->g, false, 10));
	guard_sweep(w->g, 20, true);
	/* Nothing of a request in hand: closed at once; unfinished headers
	 * are told 503. A body arriving and a request handled are waited for. */
	assert_true(shut(idle));
	assert_true(shut(heads));
	assert_false(shut(body) || shut(busy));
	assert_int_equal(w->said.n, 1);
	assert_int_equal(w->said.fd[0], heads->ours);
	assert_int_equal(w->said.status[0], 503);
	assert_int_equal(guarded_cut(idle->g), CUT_STOPPING);
	/* A response finished while stopping leaves an idle connection: the
	 * next sweep closes it. */
	guarded_response_done(busy->g, 30);
	guard_sweep(w->g, 40, true);
	assert_true(shut(busy));
	assert_int_equal(atomic_load(&guard_counters(w->g)->cut[CUT_STOPPING]), 3);
	world_free(w);
}

static void test_forget_frees_room(void **state)
{
	(void)state;
	world *w = world_new(2, 2, NULL);
	conn *a = admit(w, "192.0.2.1", 0);
	conn *b = admit(w, "192.0.2.1", 10);
	/* a leaves on its own; the address is under its limit again. */
	guard_forget(w->g, a->g);
	a->g = NULL;
	conn *c = admit(w, "192.0.2.1", 20);
	assert_false(shut(b) || shut(c));
	assert_int_equal(atomic_load(&guard_counters(w->g)->open), 2);
	world_free(w);
}

/* Many addresses come and go: removing one from the table must keep
 * every other findable (a lost entry would let its address past its
 * limit: a second connection would not evict the first). */
static void test_many_addresses(void **state)
{
	(void)state;
	net_addr none = {{0}};
	guard_config cfg = {.max_connections = 1000,
			    .max_per_address = 1,
			    .header_timeout_ms = 1000,
			    .min_body_rate = 1,
			    .proxies = &none};
	guard *g = guard_new(&cfg, 1000);
	assert_non_null(g);
	enum { N = 400 };
	guarded *held[N];
	int fds[N][2];
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < N; i++) {
			assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, fds[i]), 0);
			char text[32];
			snprintf(text, sizeof text, "10.%d.%d.%d", round, i / 200, i % 200);
			struct sockaddr_storage ss = peer_of(text);
			held[i] = guard_admit(g, fds[i][0], (struct sockaddr *)&ss, (uint64_t)i);
			assert_non_null(held[i]);
		}
		/* Every even address leaves (its table entry is removed) ... */
		for (int i = 0; i < N; i += 2) {
			guard_forget(g, held[i]);
			held[i] = NULL;
		}
		/* ... and every odd one is still found: a second connection
		 * from it evicts the first. */
		for (int i = 1; i < N; i += 2) {
			char text[32];
			snprintf(text, sizeof text, "10.%d.%d.%d", round, i / 200, i % 200);
			struct sockaddr_storage ss = peer_of(text);
			int sv[2];
			assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
			guarded *again = guard_admit(g, sv[0], (struct sockaddr *)&ss, 1000);
			assert_int_equal(guarded_cut(held[i]), CUT_EVICTED);
			assert_int_equal(guarded_cut(again), CUT_NONE);
			guard_forget(g, again);
			close(sv[0]);
			close(sv[1]);
		}
		for (int i = 0; i < N; i++) {
			guard_forget(g, held[i]);
			close(fds[i][0]);
			close(fds[i][1]);
		}
	}
	assert_int_equal(atomic_load(&guard_counters(g)->open), 0);
	guard_free(g);
}

static void test_watchdog_runs(void **state)
{
	(void)state;
	world *w = world_new(10, 10, NULL);
	conn *a = admit(w, "192.0.2.1", guard_now_ms());
	assert_true(guard_watch(w->g));
	guard_stopping(w->g);
	for (int i = 0; i < 100 && !shut(a); i++) usleep(10000);
	assert_true(shut(a));
	guard_unwatch(w->g);
	world_free(w);
}

int main(void)
{
#define T(f) cmocka_unit_test(f)
	const struct CMUnitTest tests[] = {
		T(test_addr_parse),
		T(test_addr_from_sockaddr),
		T(test_forwarded_client),
		T(test_full_server_evicts_longest_idle),
		T(test_busy_is_never_evicted),
		T(test_one_address_evicts_its_own),
		T(test_header_deadline),
		T(test_body_rate),
		T(test_stopping),
		T(test_forget_frees_room),
		T(test_many_addresses),
		T(test_watchdog_runs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
