/* POST /api/agreement: the agreement statistics of the ratings in the
 * request body, a CSV file or JSON, answered in the same JSON as
 * `coachd agreement` prints. */
#include <string.h>
#include <strings.h>

#include "../base/util.h"
#include "../http/http.h"
#include "agreement.h"

/* The body's media type, compared without its parameters (charset). */
static bool media_type_is(const char *ct, const char *want)
{
	size_t n = strlen(want);
	if (!ct || strncasecmp(ct, want, n)) return false;
	return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ';
}

/* Reads the query's scale= and anchor=; false with 400 answered. */
static bool query_settings(req *rq, resp *rs, agreement_settings *s)
{
	const char *scale = req_query(rq, "scale"), *anchor = req_query(rq, "anchor");
	if (scale && *scale) {
		const char *why = agreement_parse_scale(scale, &s->scale_min, &s->scale_max);
		if (why) {
			resp_error(rq, rs, 400, "bad_scale", arena_printf(rq->a, "scale: %s", why), "scale");
			return false;
		}
		s->scale_declared = true;
	}
	if (anchor && *anchor) s->anchor = anchor;
	return true;
}

/*
** POST /api/agreement
**
** Body: text/csv with the header unit,rater,value (an empty value is a
** rating not given), or application/json {"scale":[min,max],"anchor":..,
** "ratings":[{"unit":..,"rater":..,"value":..}]}. Query: scale=MIN..MAX
** and anchor=RATER, for a CSV body (a JSON body's own members win).
** Answers 200 with the statistics, 400 naming the row or index of bad
** input, 415 for a body that is neither.
**
** Permissions: any signed-in person. The statistics are computed on the
** caller's own ratings in the body: nothing is read from or written to
** the store, so there is no record for may() to judge and nothing to audit.
*/
void api_agreement(req *rq, resp *rs)
{
	agreement_settings s = {0};
	if (!query_settings(rq, rs, &s)) return;
	bool json = media_type_is(rq->content_type, "application/json");
	bool csv = !rq->content_type || media_type_is(rq->content_type, "text/csv") ||
		media_type_is(rq->content_type, "text/plain") ||
		media_type_is(rq->content_type, "application/csv");
	if (!json && !csv) {
		resp_error(rq, rs, 415, "unsupported_media_type",
			   "send the ratings as text/csv or application/json", NULL);
		return;
	}
	if (!rq->body || !rq->body_len) {
		resp_error(rq, rs, 400, "bad_ratings",
			   "the body is empty: send CSV with the header unit,rater,value, or JSON "
			   "with ratings",
			   NULL);
		return;
	}
	agreement_data d;
	const char *why = json ? agreement_read_json(rq->a, rq->body, rq->body_len, &s, &d)
			       : agreement_read_csv_mem(rq->a, "body", rq->body, rq->body_len, &s, &d);
	if (why) {
		resp_error(rq, rs, 400, "bad_ratings", why, NULL);
		return;
	}
	agreement_result r;
	agreement_options o = AGREEMENT_OPTIONS_DEFAULT;
	agreement_compute(rq->a, &d, &o, &r);
	rs->status = 200;
	rs->content_type = "application/json";
	buf_reset(&rs->body);
	agreement_write_json(rq->a, &rs->body, &d, &r);
	buf_putc(&rs->body, '\n');
}
