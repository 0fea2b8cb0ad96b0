/* Request metrics in Prometheus text format: requests by route and status,
 * a latency histogram, store errors, and connections open and closed by
 * the connection guard. Counters are atomics so worker
 * threads never take a lock on the hot path. */
#ifndef COACHD_METRICS_H
#define COACHD_METRICS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/buf.h"
#include "conn_guard.h"
#include "http.h"

enum { METRIC_STATUSES = 26, METRIC_BUCKETS = 12 };

typedef struct metrics {
	const route *routes;
	size_t nroutes;
	/* (nroutes + 1) rows, the last for requests that matched no route */
	_Atomic uint64_t *by_route_status;
	_Atomic uint64_t latency_bucket[METRIC_BUCKETS + 1]; /* last is +Inf */
	_Atomic uint64_t latency_sum_us;
	_Atomic uint64_t requests;
	_Atomic uint64_t store_errors;
	/* The connection guard's counters while the server runs. */
	const guard_stats *connections;
} metrics;

void metrics_init(metrics *m, const route *routes, size_t nroutes);
void metrics_destroy(metrics *m);
/* route_index is ROUTE_NONE when nothing matched. */
void metrics_record(metrics *m, int route_index, int status, uint64_t usec);
void metrics_store_error(metrics *m);
void metrics_render(metrics *m, buf *out);

#endif
