/* Prometheus exposition of request counts, latency, store errors and the
 * connection guard's counts. */
#include "metrics.h"

#include <stdlib.h>

/* Statuses the product answers with; anything else counts as "other". */
static const int statuses[METRIC_STATUSES - 1] = {200, 201, 204, 206, 301, 302, 303, 304, 400,
						  401, 403, 404, 405, 409, 412, 413, 415, 416,
						  422, 429, 500, 503, 431, 408, 414};

/* Upper bounds in microseconds: 0.25 ms to 2.5 s. */
static const uint64_t bucket_us[METRIC_BUCKETS] = {250,   500,   1000,   2500,   5000,    10000,
						   25000, 50000, 100000, 250000, 1000000, 2500000};

void metrics_init(metrics *m, const route *routes, size_t nroutes)
{
	*m = (metrics){.routes = routes, .nroutes = nroutes};
	m->by_route_status = calloc((nroutes + 1) * METRIC_STATUSES, sizeof *m->by_route_status);
	if (!m->by_route_status) abort();
}

void metrics_destroy(metrics *m)
{
	free((void *)m->by_route_status);
	m->by_route_status = NULL;
}

static size_t status_slot(int status)
{
	for (size_t i = 0; i < METRIC_STATUSES - 1; i++)
		if (statuses[i] == status) return i;
	return METRIC_STATUSES - 1;
}

void metrics_record(metrics *m, int route_index, int status, uint64_t usec)
{
	size_t row = route_index < 0 || (size_t)route_index >= m->nroutes ? m->nroutes : (size_t)route_index;
	atomic_fetch_add_explicit(&m->by_route_status[row * METRIC_STATUSES + status_slot(status)], 1,
				  memory_order_relaxed);
	size_t b = 0;
	while (b < METRIC_BUCKETS && usec > bucket_us[b]) b++;
	atomic_fetch_add_explicit(&m->latency_bucket[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&m->latency_sum_us, usec, memory_order_relaxed);
	atomic_fetch_add_explicit(&m->requests, 1, memory_order_relaxed);
}

void metrics_store_error(metrics *m)
{
	atomic_fetch_add_explicit(&m->store_errors, 1, memory_order_relaxed);
}

static void render_requests(metrics *m, buf *out)
{
	buf_puts(out,
		 "# HELP coachd_requests_total Requests by route and status.\n"
		 "# TYPE coachd_requests_total counter\n");
	for (size_t r = 0; r <= m->nroutes; r++) {
		for (size_t s = 0; s < METRIC_STATUSES; s++) {
			uint64_t n = atomic_load(&m->by_route_status[r * METRIC_STATUSES + s]);
			if (!n) continue;
			const char *method = r < m->nroutes ? m->routes[r].method : "";
			const char *pattern = r < m->nroutes ? m->routes[r].pattern : "unmatched";
			if (s < METRIC_STATUSES - 1)
				buf_printf(out,
					   "coachd_requests_total{method=\"%s\",route=\"%s\",status=\"%d\"} "
					   "%llu\n",
					   method, pattern, statuses[s], (unsigned long long)n);
			else
				buf_printf(out,
					   "coachd_requests_total{method=\"%s\",route=\"%s\",status="
					   "\"other\"} %llu\n",
					   method, pattern, (unsigned long long)n);
		}
	}
}

static void render_latency(metrics *m, buf *out)
{
	buf_puts(out,
		 "# HELP coachd_request_duration_seconds Time from request to response.\n"
		 "# TYPE coachd_request_duration_seconds histogram\n");
	uint64_t cumulative = 0;
	for (size_t b = 0; b < METRIC_BUCKETS; b++) {
		cumulative += atomic_load(&m->latency_bucket[b]);
		buf_printf(out, "coachd_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
			   (double)bucket_us[b] / 1e6, (unsigned long long)cumulative);
	}
	cumulative += atomic_load(&m->latency_bucket[METRIC_BUCKETS]);
	buf_printf(out, "coachd_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
		   (unsigned long long)cumulative);
	buf_printf(out, "coachd_request_duration_seconds_sum %.6f\n",
		   (double)atomic_load(&m->latency_sum_us) / 1e6);
	buf_printf(out, "coachd_request_duration_seconds_count %llu\n",
		   (unsigned long long)atomic_load(&m->requests));
}

static void render_connections(const guard_stats *g, buf *out)
{
	static const char *const reasons[CUT_REASONS] = {[CUT_HEADER_TIMEOUT] = "header_timeout",
							 [CUT_BODY_RATE] = "body_rate",
							 [CUT_EVICTED] = "evicted",
							 [CUT_STOPPING] = "stopping"};
	buf_printf(out,
		   "# HELP coachd_connections_open Connections open now.\n"
		   "# TYPE coachd_connections_open gauge\n"
		   "coachd_connections_open %llu\n",
		   (unsigned long long)atomic_load(&g->open));
	buf_puts(out,
		 "# HELP coachd_connections_closed_total Connections the server closed: headers "
		 "too slow, body too slow, evicted to admit another, or closed on stopping.\n"
		 "# TYPE coachd_connections_closed_total counter\n");
	for (size_t r = CUT_NONE + 1; r < CUT_REASONS; r++)
		buf_printf(out, "coachd_connections_closed_total{reason=\"%s\"} %llu\n", reasons[r],
			   (unsigned long long)atomic_load(&g->cut[r]));
	buf_printf(out,
		   "# HELP coachd_connections_refused_total Connections admitted over the limit "
		   "while all others were busy (answered 503).\n"
		   "# TYPE coachd_connections_refused_total counter\n"
		   "coachd_connections_refused_total %llu\n",
		   (unsigned long long)atomic_load(&g->refused));
}

void metrics_render(metrics *m, buf *out)
{
	render_requests(m, out);
	render_latency(m, out);
	if (m->connections) render_connections(m->connections, out);
	buf_printf(out,
		   "# HELP coachd_store_errors_total Store calls that failed.\n"
		   "# TYPE coachd_store_errors_total counter\n"
		   "coachd_store_errors_total %llu\n",
		   (unsigned long long)atomic_load(&m->store_errors));
}
