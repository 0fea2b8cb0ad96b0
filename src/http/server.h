/* The HTTP server: libmicrohttpd with an epoll thread pool, bounded
 * requests answered at once when refused, one arena per request, security
 * headers on every response, metrics and an access log, connection limits
 * and deadlines that slow clients cannot hold open, and a graceful stop on
 * SIGINT/SIGTERM. */
#ifndef COACHD_SERVER_H
#define COACHD_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "conn_guard.h"
#include "http.h"
#include "metrics.h"

/* Defaults of the connection limits (see README, "Connections"). */
enum {
	SERVER_MAX_CONNECTIONS = 4096,
	SERVER_MAX_PER_ADDRESS = 1024,
	SERVER_HEADER_TIMEOUT_MS = 15000,
	SERVER_MIN_BODY_KBPS = 8 /* KB per second */
};

typedef struct server_config {
	const char *listen;     /* HOST:PORT; port 0 picks a free port */
	unsigned threads;       /* worker threads; 0 means one per CPU */
	size_t max_form;        /* urlencoded / multipart text, bytes */
	size_t max_json;        /* JSON or raw bodies, bytes */
	size_t max_upload;      /* all files of one multipart request */
	const char *upload_dir; /* where uploads stream to */
	const route *routes;
	size_t nroutes;
	struct app *app;
	/* This worker thread's store connection, opened on first use;
	 * NULL when the store cannot be reached (the request gets 503). */
	struct store *(*thread_store)(struct app *app);
	/* Runs when the headers are in, before any body is read: finds who
	 * is asking (rq->actor) and may refuse (fill rs, e.g. 401) at once,
	 * so nobody uploads to an address they may not use. */
	void (*authenticate)(const route *rt, req *rq, resp *rs);
	/* Runs after the body is in, before the handler: checks what needs
	 * the body (the CSRF token of a form) and may refuse (e.g. 403). */
	void (*guard)(const route *rt, req *rq, resp *rs);
	metrics *metrics;
	bool access_log;
	/* Connections: 0 means the default above. */
	unsigned max_connections;
	bool max_connections_given; /* then too few open files is an error */
	unsigned max_per_address;
	unsigned header_timeout_ms;
	unsigned min_body_kbps;
	/* Peers whose X-Forwarded-For names the client (rq->remote). */
	net_addr trusted_proxies[GUARD_MAX_PROXIES];
	size_t ntrusted_proxies;
} server_config;

/* Adds the addresses of a comma-separated list to cfg's trusted proxies;
 * false with what is wrong in err. */
bool server_trust_proxies(server_config *cfg, const char *list, char *err, size_t errlen);

/* Checks a HOST:PORT value; NULL when fine, else what is wrong. */
const char *listen_check(const char *listen);

/* Serves until SIGINT or SIGTERM, then stops accepting, closes the
 * connections without a request in hand, answers 503 to requests that
 * arrive later, lets requests being handled finish (up to 10 s) and
 * returns 0; 1 with a message in err when the server cannot start. */
int server_run(const server_config *cfg, char *err, size_t errlen);

#endif
