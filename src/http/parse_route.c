/* Route patterns ("/api/people/{id}") matched against request paths.
 * Matching is by whole '/'-separated segments, so a trailing slash counts. */
#include "parse.h"
#include "http.h"

#include <string.h>

#include "../base/util.h"

/* One segment: [s, s+len). */
typedef struct seg {
	const char *s;
	size_t len;
} seg;

/* Steps *p past the next segment; false once there is none. The first
 * call on "/a" yields "" then "a": a leading slash is an empty segment,
 * which keeps "/a" and "a" apart just as "/a" and "/a/" are. */
static bool next_seg(const char **p, bool *done, seg *out)
{
	if (*done) return false;
	const char *slash = strchr(*p, '/');
	out->s = *p;
	out->len = slash ? (size_t)(slash - *p) : strlen(*p);
	if (slash) *p = slash + 1;
	else *done = true;
	return true;
}

static bool is_param(seg s)
{
	return s.len > 2 && s.s[0] == '{' && s.s[s.len - 1] == '}';
}

/* First pass, allocation-free: a server tries many patterns per request
 * and most do not match. */
static bool shape_matches(const char *pattern, const char *path)
{
	const char *pp = pattern, *qp = path;
	bool pdone = false, qdone = false;
	seg ps, qs;
	for (;;) {
		bool more_p = next_seg(&pp, &pdone, &ps);
		bool more_q = next_seg(&qp, &qdone, &qs);
		if (more_p != more_q) return false;
		if (!more_p) return true;
		if (is_param(ps)) {
			if (qs.len == 0) return false;
		} else if (ps.len != qs.len || memcmp(ps.s, qs.s, ps.len) != 0) {
			return false;
		}
	}
}

/* Decodes one parameter value; NULL when it may not be one. An encoded
 * '/' would let a value span what the pattern says is one segment. */
static const char *decode_value(arena *a, seg s)
{
	char *v = url_decode(a, s.s, s.len, false);
	if (!v || !*v || strchr(v, '/')) return NULL;
	return v;
}

static bool fill_params(arena *a, const char *pattern, const char *path, route_params *out)
{
	const char *pp = pattern, *qp = path;
	bool pdone = false, qdone = false;
	seg ps, qs;
	while (next_seg(&pp, &pdone, &ps) && next_seg(&qp, &qdone, &qs)) {
		if (!is_param(ps)) continue;
		const char *v = decode_value(a, qs);
		if (!v) return false;
		if (NEVER(out->n == COUNT_OF(out->names))) return false;
		out->names[out->n] = arena_strndup(a, ps.s + 1, ps.len - 2);
		out->values[out->n++] = v;
	}
	return true;
}

bool route_match(arena *a, const char *pattern, const char *path, route_params *params)
{
	route_params scratch;
	route_params *p = params ? params : &scratch;
	p->n = 0;
	if (!pattern || !path || !shape_matches(pattern, path)) return false;
	if (fill_params(a, pattern, path, p)) return true;
	p->n = 0;
	return false;
}

bool route_pattern_covers(const char *earlier, const char *later)
{
	const char *ep = earlier, *lp = later;
	bool edone = false, ldone = false;
	seg es, ls;
	for (;;) {
		bool more_e = next_seg(&ep, &edone, &es);
		bool more_l = next_seg(&lp, &ldone, &ls);
		if (more_e != more_l) return false;
		if (!more_e) return true;
		if (is_param(es)) {
			if (ls.len == 0) return false;
		} else if (is_param(ls) || es.len != ls.len || memcmp(es.s, ls.s, es.len) != 0) {
			return false;
		}
	}
}

bool route_unreachable(const route *routes, size_t n, size_t *later, size_t *earlier)
{
	for (size_t j = 0; j < n; j++)
		for (size_t i = 0; i < j; i++)
			if (strcmp(routes[i].method, routes[j].method) == 0 &&
			    route_pattern_covers(routes[i].pattern, routes[j].pattern)) {
				*later = j;
				*earlier = i;
				return true;
			}
	return false;
}

const char *route_param(const route_params *p, const char *name)
{
	if (!p || !name) return NULL;
	for (size_t i = 0; i < p->n && i < COUNT_OF(p->names); i++)
		if (strcmp(p->names[i], name) == 0) return p->values[i];
	return NULL;
}
