/* An observer's calibration history across sessions: drift over time, and
 * whether they tend to rate high or low. Each row is a session and round
 * the observer submitted, shown only to those who may read that session
 * and whom the blind rule lets see that round. */
#include <math.h>
#include <string.h>

#include "../base/util.h"
#include "../html/html.h"
#include "../html/svg.h"
#include "../web/app.h"
#include "calibration.h"

static const char *percent(arena *a, double share)
{
	return arena_printf(a, "%.0f %%", share * 100.0);
}

/* Whether the mean signed deviation leans one way: a sentence. */
static const char *lean_text(arena *a, const calibration_history_row *rows, size_t n)
{
	double sum = 0;
	for (size_t i = 0; i < n; i++) sum += rows[i].mean_deviation;
	double mean = sum / (double)n;
	const char *lean = fabs(mean) < 0.15 ? "rates neither high nor low on the whole"
		: mean > 0                   ? "tends to rate higher than the reference"
					     : "tends to rate lower than the reference";
	const char *trend = "";
	if (n > 1) {
		double first = rows[0].mean_deviation, last = rows[n - 1].mean_deviation;
		trend = fabs(last) + 0.1 < fabs(first)   ? "; the gap has narrowed since the first session"
			: fabs(last) > fabs(first) + 0.1 ? "; the gap has widened since the first session"
							 : "; about the same as in the first session";
	}
	return arena_printf(a, "On average %+.2f points: this observer %s%s.", mean, lean, trend);
}

static void charts(req *rq, buf *b, const calibration_history_row *rows, size_t n)
{
	const char **labels = arena_calloc(rq->a, n + 1, sizeof *labels);
	double *shares = arena_calloc(rq->a, 2 * n + 1, sizeof *shares);
	double *devs = arena_calloc(rq->a, n + 1, sizeof *devs);
	for (size_t i = 0; i < n; i++) {
		labels[i] = arena_printf(rq->a, "%s r%lld", rows[i].held_on ? rows[i].held_on : "",
					 (long long)rows[i].round);
		shares[2 * i] = rows[i].within_one_share * 100.0;
		shares[2 * i + 1] = rows[i].exact_share * 100.0;
		devs[i] = rows[i].mean_deviation;
	}
	static const char *const share_cols[] = {"Within one", "Exact"};
	svg_table t = {n, 2, labels, share_cols, shares};
	svg_chart c = {
		.id = "drift",
		.title = "Agreement with the reference over time",
		.row_head = "Session",
		.unit = " %",
		.lo = 0,
		.hi = 100,
		.desc = "The share of this observer's ratings exactly on, and within one point of, the "
			"anchor (or the median), session by session."};
	svg_line(b, &c, &t);
	static const char *const dev_cols[] = {"Mean deviation"};
	svg_table d = {n, 1, labels, dev_cols, devs};
	svg_chart c2 = {.id = "lean",
			.title = "Mean signed deviation over time",
			.row_head = "Session",
			.unit = "",
			.decimals = 2,
			.desc = "Above zero: rated higher than the reference on average; below zero: lower."};
	svg_line(b, &c2, &d);
}

/*
** GET /observers/{id}/calibration
** Person {id}'s calibration history: per session and round, the day,
** rubric, exact and within-one shares against the anchor (or the median),
** mean signed deviation and pass; lines over time; whether they rate high
** or low, and the trend.
** Permissions: the observer themself; others see the rows of sessions
** they may read (may(READ, calibration)) and whose round the blind rule
** shows them; with no row to show them, 404.
*/
void page_observer_calibration(req *rq, resp *rs)
{
	int64_t person;
	calibration_history_row *rows;
	size_t n;
	if (!observer_history_load(rq, rs, &person, &rows, &n)) return;
	const char *name = rq->actor->name;
	if (person != rq->actor->person_id &&
	    calibration_observer_name(rq->db, rq->a, person, &name) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	buf *b = resp_html(rs, 200);
	layout l = page_layout(rq, "Calibration history", "calibration");
	layout_begin(b, &l);
	html_printf(b,
		    "<p class=\"crumbs\"><a href=\"/calibrations\">Calibration</a> › History</p>\n"
		    "<h1>Calibration history of %s</h1>\n",
		    name ? name : "this observer");
	if (!n) {
		html_printf(b,
			    "<p>No submitted ratings yet: the history begins with your first calibration "
			    "session.</p>\n");
		layout_end(b);
		return;
	}
	html_printf(b, "<p>%s</p>\n", lean_text(rq->a, rows, n));
	charts(rq, b, rows, n);
	html_table_open(b);
	html_printf(b,
		    "<caption>Sessions and rounds</caption>\n<thead><tr><th scope=\"col\">Day</th>"
		    "<th scope=\"col\">Session</th><th scope=\"col\">Rubric</th><th scope=\"col\" "
		    "class=\"num\">Round</th>"
		    "<th scope=\"col\">Against</th><th scope=\"col\" class=\"num\">Exact</th>"
		    "<th scope=\"col\" class=\"num\">Within one</th><th scope=\"col\" class=\"num\">Mean "
		    "deviation</th>"
		    "<th scope=\"col\">Rule</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < n; i++) {
		const calibration_history_row *h = &rows[i];
		html_printf(b,
			    "<tr><td>%s</td><th scope=\"row\"><a "
			    "href=\"/calibrations/%lld/results?round=%lld\">%s</a></th>"
			    "<td>%s</td><td class=\"num\">%lld</td><td>%s</td><td class=\"num\">%s</td>"
			    "<td class=\"num\">%s</td><td class=\"num\">%+.2f</td><td><span class=\"badge "
			    "%s\">%s</span></td></tr>\n",
			    h->held_on ? h->held_on : "", (long long)h->calibration_id, (long long)h->round,
			    h->title, h->rubric_name, (long long)h->round, h->anchored ? "anchor" : "median",
			    percent(rq->a, h->exact_share), percent(rq->a, h->within_one_share),
			    h->mean_deviation, h->passes ? "badge-complete" : "badge-draft",
			    h->passes ? "passed" : "not yet");
	}
	html_printf(b, "</tbody></table></div>\n");
	layout_end(b);
}
