/* Engagement pages: the list, one agreement with its service lines and the
 * delivery summary per line (with a stacked bar), the forms that create and
 * edit agreements and lines, and the administrators' kinds of service. */
#include <string.h>

#include "../base/util.h"
#include "../html/html.h"
#include "../html/svg.h"
#include "../ical/ical.h"
#include "../web/app.h"
#include "engagement_web.h"

static const char *id_text(arena *a, int64_t id)
{
	return id ? arena_printf(a, "%lld", (long long)id) : NULL;
}

static const char *option_label(const form_option *o, size_t n, const char *v)
{
	for (size_t i = 0; i < n; i++)
		if (str_eq(o[i].value, v)) return o[i].label;
	return v && *v ? v : "—";
}

/* ---- the list ---- */

/* The proposals the asker answers for their district: until a start page
 * lists what waits on a person, the engagements page leads with them. */
static void waiting_for_answer(req *rq, buf *b, const engagement *list, size_t n)
{
	size_t waiting = 0;
	for (size_t i = 0; i < n; i++)
		waiting += list[i].state == EN_PROPOSED && engagement_powers_of(rq, &list[i]).district;
	if (!waiting) return;
	html_printf(b,
		    "<section class=\"callout\" aria-labelledby=\"waiting\">\n"
		    "<h2 id=\"waiting\">Waiting for your district's answer</h2>\n"
		    "<p>A partner's people reach into the district only once the district accepts "
		    "their agreement.</p>\n<ul>\n");
	for (size_t i = 0; i < n; i++) {
		const engagement *en = &list[i];
		if (en->state != EN_PROPOSED || !engagement_powers_of(rq, en).district) continue;
		html_printf(b, "<li><a href=\"/engagements/%lld\">%s</a> from %s, %s – %s</li>\n",
			    (long long)en->id, en->title, en->partner_name, en->starts_on, en->ends_on);
	}
	html_printf(b, "</ul>\n</section>\n");
}

/*
** GET /engagements
** The agreements the signed-in person may read: partner, district, period,
** state, and the total for those who may read money.
** Permissions: signed in; each through may(READ, engagement).
*/
void page_engagements(req *rq, resp *rs)
{
	engagement *list;
	size_t n;
	if (engagement_visible(rq, &list, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	buf *b = resp_html(rs, 200);
	layout l = page_layout(rq, "Engagements", "engagements");
	layout_begin(b, &l);
	html_printf(b, "<h1>Engagements</h1>\n");
	if (may_create_engagements(rq))
		html_printf(b, "<p><a class=\"button\" href=\"/engagements/new\">New engagement</a></p>\n");
	waiting_for_answer(rq, b, list, n);
	if (n == 0) {
		html_printf(b, "<p>No engagement yet.</p>\n");
		layout_end(b);
		return;
	}
	html_table_open(b);
	html_printf(b,
		    "\n<thead><tr><th scope=\"col\">Engagement</th><th scope=\"col\">Partner</th>"
		    "<th scope=\"col\">District</th><th scope=\"col\">Period</th>"
		    "<th scope=\"col\">State</th><th scope=\"col\" "
		    "class=\"num\">Total</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < n; i++) {
		const engagement *en = &list[i];
		html_printf(b,
			    "<tr><td><a href=\"/engagements/%lld\">%s</a></td><td>%s</td><td>%s</td>"
			    "<td>%s – %s</td><td>%s</td><td class=\"num\">%s</td></tr>\n",
			    (long long)en->id, en->title, en->partner_name, en->district_name, en->starts_on,
			    en->ends_on, engagement_state_label(en->state),
			    may_see_money(rq, en) ? cents_text(rq->a, en->total_cents) : "—");
	}
	html_printf(b, "</tbody></table></div>\n");
	layout_end(b);
}

/* ---- one engagement ---- */

/* Is code one of the comma-separated codes in list (whole codes only)? */
static bool has_audience(const char *list, const char *code)
{
	size_t n = strlen(code);
	for (const char *p = list; p && *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == n && strncmp(p, code, n) == 0) return true;
		p = end ? end + 1 : NULL;
	}
	return false;
}

/* "Teachers, School leaders" for the stored codes. */
static const char *audience_labels(arena *a, const char *codes)
{
	size_t n;
	const form_option *o = engagement_audiences(&n);
	const char *out = "";
	for (size_t i = 0; i < n; i++)
		if (has_audience(codes, o[i].value))
			out = *out ? arena_printf(a, "%s, %s", out, o[i].label) : o[i].label;
	return out;
}

static void engagement_facts(req *rq, buf *b, const engagement *en)
{
	size_t n;
	const form_option *o;
	html_printf(b,
		    "<dl class=\"facts\">\n<dt>Partner</dt><dd><a href=\"/orgs/%lld\">%s</a></dd>\n"
		    "<dt>District</dt><dd><a href=\"/orgs/%lld\">%s</a></dd>\n"
		    "<dt>Period</dt><dd>%s – %s%s%s</dd>\n",
		    (long long)en->partner_id, en->partner_name, (long long)en->district_id,
		    en->district_name, en->starts_on, en->ends_on, en->school_year_name ? " · " : "",
		    en->school_year_name ? en->school_year_name : "");
	html_printf(b, "<dt>State</dt><dd>%s", engagement_state_label(en->state));
	if (en->decided_by && (en->state == EN_ACCEPTED || en->state == EN_DECLINED))
		html_printf(b, " by %s", en->decided_by_name);
	else if (en->decided_by) html_printf(b, " · accepted by %s", en->decided_by_name);
	html_printf(b, "</dd>\n");
	if (*en->decision_note) html_printf(b, "<dt>Why declined</dt><dd>%s</dd>\n", en->decision_note);
	if (*en->goals) html_printf(b, "<dt>Goals</dt><dd>%s</dd>\n", en->goals);
	if (*en->focus) html_printf(b, "<dt>Focus</dt><dd>%s</dd>\n", en->focus);
	if (*en->focus_codes) html_printf(b, "<dt>Focus codes</dt><dd>%s</dd>\n", en->focus_codes);
	if (*en->curriculum) html_printf(b, "<dt>Curriculum</dt><dd>%s</dd>\n", en->curriculum);
	o = engagement_pl_types(&n);
	if (*en->pl_type)
		html_printf(b, "<dt>Professional learning</dt><dd>%s</dd>\n",
			    option_label(o, n, en->pl_type));
	if (*en->audiences)
		html_printf(b, "<dt>Audiences</dt><dd>%s</dd>\n", audience_labels(rq->a, en->audiences));
	o = engagement_formats(&n);
	if (*en->delivery_format)
		html_printf(b, "<dt>Format</dt><dd>%s</dd>\n", option_label(o, n, en->delivery_format));
	if (may_see_money(rq, en))
		html_printf(b, "<dt>Total</dt><dd>%s</dd>\n", cents_text(rq->a, en->total_cents));
	html_printf(b, "</dl>\n");
}

static void lines_table(req *rq, buf *b, const engagement *en, const service_line *l, size_t n, bool money,
			bool can_update)
{
	html_printf(b, "<h2>Services</h2>\n");
	if (!n) {
		html_printf(b, "<p>No service lines yet.</p>\n");
		return;
	}
	html_table_open(b);
	html_printf(b,
		    "\n<thead><tr><th scope=\"col\">Service</th><th scope=\"col\" class=\"num\">Quantity</th>"
		    "<th scope=\"col\">Unit</th>");
	if (money)
		html_printf(b,
			    "<th scope=\"col\" class=\"num\">Unit price</th><th scope=\"col\" "
			    "class=\"num\">Line total</th>");
	if (can_update)
		html_printf(b, "<th scope=\"col\"><span class=\"visually-hidden\">Remove</span></th>");
	html_printf(b, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < n; i++) {
		html_printf(b, "<tr><td>%s", l[i].kind_label);
		if (*l[i].description)
			html_printf(b, "<br><span class=\"muted\">%s</span>", l[i].description);
		html_printf(b, "</td><td class=\"num\">%s</td><td>%s</td>",
			    milli_text(rq->a, l[i].quantity_milli), l[i].unit);
		if (money)
			html_printf(
				b, "<td class=\"num\">%s</td><td class=\"num\">%s</td>",
				cents_text(rq->a, l[i].unit_price_cents),
				cents_text(rq->a,
					   line_amount_cents(l[i].quantity_milli, l[i].unit_price_cents)));
		if (can_update) {
			html_printf(b, "<td>");
			if (!l[i].ndraws)
				form_button(b,
					    arena_printf(rq->a, "/engagements/%lld/lines/%lld/remove",
							 (long long)en->id, (long long)l[i].id),
					    rq->actor->csrf, "Remove", "Remove this service line?", NULL,
					    NULL);
			html_printf(b, "</td>");
		}
		html_printf(b, "</tr>\n");
	}
	html_printf(b, "</tbody></table></div>\n");
}

static void summary_row(req *rq, buf *b, const service_line *l, const line_balance *x, bool money)
{
	html_printf(b, "<tr%s><th scope=\"row\">%s</th>", x->over_milli ? " class=\"over\"" : "",
		    l->kind_label);
	const int64_t units[] = {x->committed_milli, x->scheduled_milli, x->delivered_milli,
				 x->cancelled_milli, x->remaining_milli};
	const int64_t cents[] = {x->committed_cents, x->scheduled_cents, x->delivered_cents,
				 x->cancelled_cents, x->remaining_cents};
	for (size_t k = 0; k < COUNT_OF(units); k++) {
		html_printf(b, "<td class=\"num\">%s", milli_text(rq->a, units[k]));
		if (money) html_printf(b, "<br><span class=\"muted\">%s</span>", cents_text(rq->a, cents[k]));
		html_printf(b, "</td>");
	}
	html_printf(b, "</tr>\n");
	if (x->over_milli)
		html_printf(b,
			    "<tr class=\"over\"><td colspan=\"6\"><strong "
			    "class=\"field-error\">Over-committed by %s</strong></td></tr>\n",
			    units_text(rq->a, x->over_milli, l->unit));
}

/* Per line: committed, scheduled, delivered, cancelled, remaining; then a
 * stacked bar of delivered / scheduled / remaining per line. */
static void delivery_summary(req *rq, buf *b, const service_line *l, size_t n, bool money)
{
	if (!n) return;
	html_printf(b, "<h2>Delivery</h2>\n");
	html_table_open(b);
	html_printf(
		b,
		"\n<thead><tr><th scope=\"col\">Service</th><th scope=\"col\" class=\"num\">Committed</th>"
		"<th scope=\"col\" class=\"num\">Scheduled</th><th scope=\"col\" class=\"num\">Delivered</th>"
		"<th scope=\"col\" class=\"num\">Cancelled</th><th scope=\"col\" class=\"num\">Remaining</th>"
		"</tr></thead>\n<tbody>\n");
	const char **rows = arena_calloc(rq->a, n, sizeof *rows);
	double *v = arena_calloc(rq->a, n * 3, sizeof *v);
	for (size_t i = 0; i < n; i++) {
		line_balance x = service_line_balance(&l[i]);
		summary_row(rq, b, &l[i], &x, money);
		rows[i] = l[i].kind_label;
		v[i * 3] = (double)x.delivered_milli / 1000.0;
		v[i * 3 + 1] = (double)x.scheduled_milli / 1000.0;
		v[i * 3 + 2] = x.remaining_milli > 0 ? (double)x.remaining_milli / 1000.0 : 0.0;
	}
	html_printf(b, "</tbody></table></div>\n");
	static const char *const cols[] = {"Delivered", "Scheduled", "Remaining"};
	svg_table t = {n, 3, rows, cols, v};
	svg_chart c = {.id = "delivery",
		       .title = "Delivery by service",
		       .row_head = "Service",
		       .decimals = 3,
		       .horizontal = true};
	svg_stacked_bar(b, &c, &t);
}

static void line_form(req *rq, buf *b, const char *to, const service_kind *k, size_t n, const line_input *in,
		      const form_errors *e, const char *submit)
{
	form_option *ko = arena_calloc(rq->a, n + 1, sizeof *ko);
	ko[0] = (form_option){"", "Choose the kind"};
	for (size_t i = 0; i < n; i++) ko[i + 1] = (form_option){id_text(rq->a, k[i].id), k[i].label};
	form_begin(b, to, rq->actor->csrf, e);
	form_select(b, "kind_id", "Kind of service", ko, n + 1, in->kind_id, true, e);
	form_input(b, "text", "quantity", "Quantity", in->quantity, true, "8, or 0.5 for half of one.", e);
	form_input(b, "text", "unit", "Unit", in->unit, false, "Empty: the kind's usual unit.", e);
	form_input(b, "text", "unit_price", "Unit price (USD)", in->unit_price, true, "1800 or 1,800.00", e);
	form_input(b, "text", "description", "Description", in->description, false, NULL, e);
	form_input(b, "number", "minutes", "Minutes (PLC sessions)", in->minutes, false, NULL, e);
	form_end(b, submit);
}

/* What the agreement's state means for the district, in a sentence. */
static const char *state_sentence(engagement_state s)
{
	switch (s) {
	case EN_DRAFT:
		return "A draft: the district has not been asked yet, and the partner's people have no reach "
		       "into it.";
	case EN_PROPOSED:
		return "Proposed to the district: its leaders accept or decline it. Until then the partner's "
		       "people have no reach into the district.";
	case EN_ACCEPTED: return "The district accepted it: the partner's people work in the district.";
	case EN_ACTIVE: return "Active: the partner's people work in the district.";
	case EN_ENDED: return "Ended: the partner's people no longer reach into the district through it.";
	case EN_DECLINED:
		return "The district declined it; the partner may revise it as a draft and propose it again.";
	default: return "";
	}
}

static const char *move_label(engagement_state from, engagement_state to)
{
	switch (to) {
	case EN_PROPOSED: return "Propose to the district";
	case EN_DRAFT: return from == EN_DECLINED ? "Revise as a draft" : "Withdraw to revise";
	case EN_ACCEPTED: return "Accept for the district";
	case EN_ACTIVE: return "Mark active";
	case EN_ENDED: return "End the engagement";
	default: return engagement_state_label(to);
	}
}

/* The state, and a button for each move the asker may make; declining
 * asks for a reason. */
static void state_actions(req *rq, buf *b, const engagement *en)
{
	html_printf(b, "<p class=\"setting-note\">%s</p>\n", state_sentence(en->state));
	engagement_state to[EN_STATE_COUNT];
	size_t n = engagement_moves(en->state, engagement_powers_of(rq, en), to);
	if (!n) return;
	const char *to_url = arena_printf(rq->a, "/engagements/%lld/state", (long long)en->id);
	html_printf(b, "<div class=\"actions\">\n");
	for (size_t i = 0; i < n; i++) {
		if (to[i] == EN_DECLINED) continue;
		form_button(b, to_url, rq->actor->csrf, move_label(en->state, to[i]),
			    to[i] == EN_ENDED ? "End this engagement? The partner's reach through it ends."
					      : NULL,
			    "state", engagement_state_name(to[i]));
	}
	html_printf(b, "</div>\n");
	for (size_t i = 0; i < n; i++) {
		if (to[i] != EN_DECLINED) continue;
		html_printf(b, "<details class=\"decline\"><summary>Decline…</summary>\n");
		form_begin(b, to_url, rq->actor->csrf, NULL);
		form_hidden(b, "state", "declined");
		form_textarea(b, "note", "Why the district declines (the partner sees this)", "", false, NULL,
			      NULL);
		form_end(b, "Decline for the district");
		html_printf(b, "</details>\n");
	}
}

/* What the engagement page shows, read before it is written. */
typedef struct engagement_view {
	service_line *lines;
	size_t nlines;
	bool money;          /* may_see_money */
	bool can_update;     /* may change it in its state: lines and the edit link */
	service_kind *kinds; /* the add-a-service form's choices (can_update only) */
	size_t nkinds;
	feed_block feed; /* the calendar feed (src/ical) */
} engagement_view;

static store_rc engagement_view_load(req *rq, const engagement *en, engagement_view *v)
{
	*v = (engagement_view){.money = may_see_money(rq, en),
			       .can_update = may_engagement(rq, ACT_UPDATE, en) &&
				       !engagement_edit_blocker(en->state, false)};
	store_rc rc = engagement_lines(rq->db, rq->a, en->id, &v->lines, &v->nlines);
	if (rc == STORE_OK && v->can_update) rc = service_kinds(rq->db, rq->a, true, &v->kinds, &v->nkinds);
	if (rc == STORE_OK) rc = ical_feed_block_load(rq, en->id, &v->feed);
	return rc;
}

/* The engagement page; status 400 with e when a line form came back. */
static void engagement_page(req *rq, resp *rs, int status, const engagement *en, const line_input *in,
			    const form_errors *e)
{
	engagement_view v;
	if (engagement_view_load(rq, en, &v) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	buf *b = resp_html(rs, status);
	layout lay = page_layout(rq, en->title, "engagements");
	layout_begin(b, &lay);
	html_printf(b, "<p class=\"crumbs\"><a href=\"/engagements\">Engagements</a></p>\n<h1>%s</h1>\n",
		    en->title);
	engagement_facts(rq, b, en);
	state_actions(rq, b, en);
	if (v.can_update)
		html_printf(b,
			    "<div class=\"actions\"><a class=\"button button-secondary\" "
			    "href=\"/engagements/%lld/edit\">Edit</a></div>\n",
			    (long long)en->id);
	lines_table(rq, b, en, v.lines, v.nlines, v.money, v.can_update);
	delivery_summary(rq, b, v.lines, v.nlines, v.money);
	html_printf(b,
		    "<h2>Schedule and reports</h2>\n<ul>\n"
		    "<li><a href=\"/engagements/%lld/grid\">Collaborative coaching days</a></li>\n"
		    "<li><a href=\"/calendar?engagement=%lld\">Sessions in the calendar</a></li>\n"
		    "<li><a href=\"/engagements/%lld/scope-and-sequence\">Scope and sequence</a></li>\n"
		    "<li><a href=\"/engagements/%lld/services-overview\">Services overview</a></li>\n</ul>\n",
		    (long long)en->id, (long long)en->id, (long long)en->id, (long long)en->id);
	ical_feed_block(rq, b, en->id, &v.feed);
	if (v.can_update) {
		line_input empty = {0};
		html_printf(b, "<h2 id=\"add-line\">Add a service</h2>\n");
		line_form(rq, b, arena_printf(rq->a, "/engagements/%lld/lines", (long long)en->id), v.kinds,
			  v.nkinds, in ? in : &empty, e, "Add service");
	}
	layout_end(b);
}

/*
** GET /engagements/{id}
** The agreement: parties, period, goals and focus, the service lines (unit
** price and line total for money readers), the delivery summary per line
** (over-commit in red) and a stacked bar per line.
** Permissions: may(READ, engagement) (404 otherwise); money: may(READ, money).
*/
void page_engagement(req *rq, resp *rs)
{
	engagement en;
	if (engagement_load(rq, rs, &en)) engagement_page(rq, rs, 200, &en, NULL, NULL);
}

/* ---- creating and editing ---- */

static engagement_input form_engagement_input(req *rq)
{
	engagement_input in = {0};
	const char *p = text_trim(rq->a, req_form(rq, "partner_id"));
	const char *d = text_trim(rq->a, req_form(rq, "district_id"));
	const char *y = text_trim(rq->a, req_form(rq, "school_year_id"));
	if (p && *p && !parse_i64(p, 1, INT64_MAX, &in.partner_id)) in.partner_unreadable = true;
	if (d && *d && !parse_i64(d, 1, INT64_MAX, &in.district_id)) in.district_unreadable = true;
	if (y && *y && !parse_i64(y, 1, INT64_MAX, &in.school_year_id)) in.school_year_unreadable = true;
	in.title = text_trim(rq->a, req_form(rq, "title"));
	in.starts_on = text_trim(rq->a, req_form(rq, "starts_on"));
	in.ends_on = text_trim(rq->a, req_form(rq, "ends_on"));
	in.goals = text_trim(rq->a, req_form(rq, "goals"));
	in.focus = text_trim(rq->a, req_form(rq, "focus"));
	in.focus_codes = text_trim(rq->a, req_form(rq, "focus_codes"));
	in.curriculum = text_trim(rq->a, req_form(rq, "curriculum"));
	in.pl_type = text_trim(rq->a, req_form(rq, "pl_type"));
	in.delivery_format = text_trim(rq->a, req_form(rq, "delivery_format"));
	in.state = text_trim(rq->a, req_form(rq, "state")); /* NULL on the edit form */
	/* One checkbox per audience: audience_teachers=1 and so on. */
	size_t na;
	const form_option *aud = engagement_audiences(&na);
	const char *joined = "";
	for (size_t i = 0; i < na; i++)
		if (req_form(rq, arena_printf(rq->a, "audience_%s", aud[i].value)))
			joined = arena_printf(rq->a, "%s%s%s", joined, *joined ? "," : "", aud[i].value);
	in.audiences = joined;
	return in;
}

/* The parties an agreement's form offers: every active partner and
 * district the actor may read, "Choose" first. */
typedef struct party_choices {
	form_option *partners, *districts;
	size_t npartners, ndistricts;
} party_choices;

static store_rc org_options(req *rq, const char *kind, form_option **opt, size_t *n)
{
	visibility v;
	policy_visibility(rq->actor, ACT_READ, REC_ORG, &v);
	org *o;
	size_t count = 0;
	store_rc rc = org_choices(rq->db, rq->a, kind, &v, &o, &count);
	if (rc != STORE_OK) return rc;
	*opt = arena_calloc(rq->a, count + 1, sizeof **opt);
	(*opt)[0] = (form_option){"", "Choose"};
	for (size_t i = 0; i < count; i++) (*opt)[i + 1] = (form_option){id_text(rq->a, o[i].id), o[i].name};
	*n = count + 1;
	return STORE_OK;
}

static store_rc party_choices_load(req *rq, party_choices *pc)
{
	store_rc rc = org_options(rq, "partner", &pc->partners, &pc->npartners);
	if (rc == STORE_OK) rc = org_options(rq, "district", &pc->districts, &pc->ndistricts);
	return rc;
}

static void engagement_form(req *rq, buf *b, const char *to, const party_choices *pc,
			    const engagement_input *in, const form_errors *e, const char *submit)
{
	size_t n;
	form_begin(b, to, rq->actor->csrf, e);
	form_select(b, "partner_id", "Partner", pc->partners, pc->npartners, id_text(rq->a, in->partner_id),
		    true, e);
	form_select(b, "district_id", "District", pc->districts, pc->ndistricts,
		    id_text(rq->a, in->district_id), true, e);
	form_input(b, "text", "title", "Title", in->title, true, NULL, e);
	form_input(b, "text", "school_year_id", "School year (id)", id_text(rq->a, in->school_year_id), false,
		   "Optional: its dates fill in the period when the dates are left empty.", e);
	form_input(b, "date", "starts_on", "Starts on", in->starts_on, false, NULL, e);
	form_input(b, "date", "ends_on", "Ends on", in->ends_on, false, NULL, e);
	form_textarea(b, "goals", "Goals", in->goals, false, NULL, e);
	form_textarea(b, "focus", "Focus", in->focus, false, NULL, e);
	form_input(b, "text", "focus_codes", "Focus codes", in->focus_codes, false, "Such as MP3 TP2.", e);
	form_input(b, "text", "curriculum", "Curriculum", in->curriculum, false, NULL, e);
	const form_option *o = engagement_pl_types(&n);
	form_option *with_none = arena_calloc(rq->a, n + 1, sizeof *with_none);
	with_none[0] = (form_option){"", "Not recorded"};
	memcpy(with_none + 1, o, n * sizeof *o);
	form_select(b, "pl_type", "Type of professional learning", with_none, n + 1, in->pl_type, false, e);
	html_printf(b, "<fieldset><legend>Audiences</legend>\n");
	o = engagement_audiences(&n);
	for (size_t i = 0; i < n; i++)
		form_checkbox(b, arena_printf(rq->a, "audience_%s", o[i].value), o[i].label,
			      has_audience(in->audiences, o[i].value));
	html_printf(b, "</fieldset>\n");
	o = engagement_formats(&n);
	form_option *fo = arena_calloc(rq->a, n + 1, sizeof *fo);
	fo[0] = (form_option){"", "Not recorded"};
	memcpy(fo + 1, o, n * sizeof *o);
	form_select(b, "delivery_format", "Delivery format", fo, n + 1, in->delivery_format, false, e);
	if (in->state) {
		static const form_option first[] = {
			{"draft", "A draft: not yet shown to the district as waiting"},
			{"proposed", "Proposed: the district's leaders accept or decline it"}};
		form_select(b, "state", "State", first, COUNT_OF(first), *in->state ? in->state : "draft",
			    true, e);
	}
	form_end(b, submit);
}

static void new_engagement_page(req *rq, resp *rs, int status, const engagement_input *in,
				const form_errors *e)
{
	if (!may_create_engagements(rq)) {
		resp_error(rq, rs, 403, "forbidden", "you may not create engagements", NULL);
		return;
	}
	party_choices pc;
	if (party_choices_load(rq, &pc) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	buf *b = resp_html(rs, status);
	layout l = page_layout(rq, "New engagement", "engagements");
	layout_begin(b, &l);
	html_printf(b,
		    "<p class=\"crumbs\"><a href=\"/engagements\">Engagements</a></p>\n<h1>New "
		    "engagement</h1>\n");
	engagement_form(rq, b, "/engagements", &pc, in, e, "Create engagement");
	layout_end(b);
}

/*
** GET /engagements/new
** The form for a new agreement.
** Permissions: may(CREATE, engagement) somewhere, else 403.
*/
void page_engagement_new(req *rq, resp *rs)
{
	engagement_input in = {.state = ""};
	new_engagement_page(rq, rs, 200, &in, NULL);
}

/*
** POST /engagements  (form: partner_id, district_id, title, school_year_id,
** starts_on, ends_on, goals, focus, focus_codes, curriculum, pl_type,
** audience_*, delivery_format, state (draft or proposed), csrf)
** Creates an agreement; the form again with 400 beside the field. It gives
** the partner no reach until the district accepts it.
** Permissions: may(CREATE, engagement) at the partner or district, else 403.
*/
void page_engagement_create(req *rq, resp *rs)
{
	engagement_input in = form_engagement_input(rq);
	outcome o;
	engagement_create(rq, &in, &o);
	if (o.status == 0)
		resp_redirect(rs, 303, arena_printf(rq->a, "/engagements/%lld?ok=created", (long long)o.id));
	else if (o.status == 400 && o.errors.n) new_engagement_page(rq, rs, 400, &in, &o.errors);
	else outcome_respond(rq, rs, &o);
}

static void edit_engagement_page(req *rq, resp *rs, int status, const engagement *en,
				 const engagement_input *in, const form_errors *e)
{
	party_choices pc;
	if (party_choices_load(rq, &pc) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	buf *b = resp_html(rs, status);
	layout l = page_layout(rq, arena_printf(rq->a, "Edit %s", en->title), "engagements");
	layout_begin(b, &l);
	html_printf(b,
		    "<p class=\"crumbs\"><a href=\"/engagements\">Engagements</a> › "
		    "<a href=\"/engagements/%lld\">%s</a></p>\n<h1>Edit %s</h1>\n",
		    (long long)en->id, en->title, en->title);
	engagement_form(rq, b, arena_printf(rq->a, "/engagements/%lld", (long long)en->id), &pc, in, e,
			"Save");
	layout_end(b);
}

/*
** GET /engagements/{id}/edit
** The form to change an agreement.
** Permissions: may(UPDATE, engagement), else 403.
*/
void page_engagement_edit(req *rq, resp *rs)
{
	engagement en;
	if (!engagement_load(rq, rs, &en)) return;
	if (!may_engagement(rq, ACT_UPDATE, &en)) {
		resp_error(rq, rs, 403, "forbidden", "you may not change this engagement", NULL);
		return;
	}
	engagement_input in = engagement_input_of(&en);
	edit_engagement_page(rq, rs, 200, &en, &in, NULL);
}

/*
** POST /engagements/{id}  (the fields of POST /engagements)
** Saves the agreement; the form again with 400 beside the field.
** Permissions: may(UPDATE, engagement).
*/
void page_engagement_update(req *rq, resp *rs)
{
	engagement en;
	if (!engagement_load(rq, rs, &en)) return;
	engagement_input in = form_engagement_input(rq);
	in.state = NULL; /* the state moves through /state, never an edit */
	outcome o;
	engagement_change(rq, &en, &in, &o);
	if (o.status == 0)
		resp_redirect(rs, 303, arena_printf(rq->a, "/engagements/%lld?ok=saved", (long long)en.id));
	else if (o.status == 400 && o.errors.n) edit_engagement_page(rq, rs, 400, &en, &in, &o.errors);
	else outcome_respond(rq, rs, &o);
}

/*
** POST /engagements/{id}/state  (form: state, note, csrf)
** Moves the agreement (see POST /api/engagements/{id}/state), then back to
** the engagement with what the move means.
** Permissions: a party proposes, withdraws, starts and ends; only the
** district (its leaders, its administrators acting for it) accepts and
** declines.
*/
void page_engagement_state(req *rq, resp *rs)
{
	engagement en;
	if (!engagement_load(rq, rs, &en)) return;
	engagement_state to;
	if (!engagement_state_parse(req_form(rq, "state"), &to)) {
		resp_error(rq, rs, 400, "invalid", "Choose what to do with the engagement.", "state");
		return;
	}
	outcome o;
	engagement_move(rq, &en, to, text_trim(rq->a, req_form(rq, "note")), &o);
	outcome_redirect(rq, rs, &o,
			 arena_printf(rq->a, "/engagements/%lld?ok=engagement-%s", (long long)en.id,
				      engagement_state_name(to)));
}

/* ---- service lines ---- */

static line_input form_line_input(req *rq)
{
	return (line_input){.kind_id = text_trim(rq->a, req_form(rq, "kind_id")),
			    .quantity = text_trim(rq->a, req_form(rq, "quantity")),
			    .unit = text_trim(rq->a, req_form(rq, "unit")),
			    .unit_price = text_trim(rq->a, req_form(rq, "unit_price")),
			    .description = text_trim(rq->a, req_form(rq, "description")),
			    .minutes = text_trim(rq->a, req_form(rq, "minutes"))};
}

/* After a line form: back to the engagement with its flash, or the page
 * again with the errors beside the fields (in: what was typed; NULL for a
 * form without fields). */
static void line_answered(req *rq, resp *rs, const engagement *en, const line_input *in, const outcome *o)
{
	if (in && o->status == 400 && o->errors.n) {
		engagement_page(rq, rs, 400, en, in, &o->errors);
		return;
	}
	outcome_redirect(rq, rs, o, arena_printf(rq->a, "/engagements/%lld?ok=saved", (long long)en->id));
}

/*
** POST /engagements/{id}/lines  (form: kind_id, quantity, unit, unit_price,
** description, minutes, csrf)
** Adds a service line; the page again with 400 beside the field.
** Permissions: may(UPDATE, engagement).
*/
void page_engagement_line_add(req *rq, resp *rs)
{
	engagement en;
	if (!engagement_load(rq, rs, &en)) return;
	line_input in = form_line_input(rq);
	outcome o;
	line_add(rq, &en, &in, &o);
	line_answered(rq, rs, &en, &in, &o);
}

/*
** POST /engagements/{id}/lines/{lid}  (the fields of POST .../lines)
** Changes a service line; the page again with 400 beside the field.
** Permissions: may(UPDATE, engagement).
*/
void page_engagement_line_update(req *rq, resp *rs)
{
	engagement en;
	service_line *lines, *l;
	size_t n;
	if (!engagement_load(rq, rs, &en) || !engagement_line_load(rq, rs, &en, &lines, &n, &l)) return;
	line_input in = form_line_input(rq);
	outcome o;
	line_change(rq, &en, l, &in, &o);
	line_answered(rq, rs, &en, &in, &o);
}

/*
** POST /engagements/{id}/lines/{lid}/remove  (form: csrf)
** Removes a service line nothing draws on; 409 when sessions do.
** Permissions: may(UPDATE, engagement).
*/
void page_engagement_line_remove(req *rq, resp *rs)
{
	engagement en;
	service_line *lines, *l;
	size_t n;
	if (!engagement_load(rq, rs, &en) || !engagement_line_load(rq, rs, &en, &lines, &n, &l)) return;
	outcome o;
	line_remove(rq, &en, l, &o);
	line_answered(rq, rs, &en, NULL, &o);
}

/* ---- kinds of service ---- */

static void service_kinds_page(req *rq, resp *rs, int status, const char *code, const char *label,
			       const char *unit, const form_errors *e)
{
	if (!may_manage_service_kinds(rq)) {
		resp_error(rq, rs, 403, "forbidden", "only administrators manage the kinds of service", NULL);
		return;
	}
	service_kind *k;
	size_t n;
	if (service_kinds(rq->db, rq->a, false, &k, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	buf *b = resp_html(rs, status);
	layout l = page_layout(rq, "Kinds of service", "engagements");
	layout_begin(b, &l);
	html_printf(b, "<h1>Kinds of service</h1>\n");
	html_table_open(b);
	html_printf(b,
		    "\n<thead><tr><th scope=\"col\">Code</th><th scope=\"col\">Label</th>"
		    "<th scope=\"col\">Usual unit</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < n; i++)
		html_printf(b, "<tr><td>%s</td><td>%s</td><td>%s</td></tr>\n", k[i].code, k[i].label,
			    k[i].default_unit);
	html_printf(b, "</tbody></table></div>\n<h2>Add a kind</h2>\n");
	form_begin(b, "/admin/service-kinds", rq->actor->csrf, e);
	form_input(b, "text", "code", "Code", code, true, "Lower-case letters, digits and _.", e);
	form_input(b, "text", "label", "Label", label, true, NULL, e);
	form_input(b, "text", "default_unit", "Usual unit", unit, true, "day, seat, hour", e);
	form_end(b, "Add kind");
	layout_end(b);
}

/*
** GET /admin/service-kinds
** The kinds of service lines may have, and a form to add one.
** Permissions: administrators: may(REC_ORG, ACT_UPDATE) on their district.
*/
void page_service_kinds(req *rq, resp *rs)
{
	service_kinds_page(rq, rs, 200, NULL, NULL, NULL, NULL);
}

/*
** POST /admin/service-kinds  (form: code, label, default_unit, csrf)
** Adds a kind; the page again with 400 beside the field.
** Permissions: administrators: may(REC_ORG, ACT_UPDATE) on their district.
*/
void page_service_kind_add(req *rq, resp *rs)
{
	const char *code = text_trim(rq->a, req_form(rq, "code"));
	const char *label = text_trim(rq->a, req_form(rq, "label"));
	const char *unit = text_trim(rq->a, req_form(rq, "default_unit"));
	outcome o;
	service_kind_add(rq, code, label, unit, &o);
	if (o.status == 0) resp_redirect(rs, 303, "/admin/service-kinds?ok=created");
	else if (o.status == 400 && o.errors.n) service_kinds_page(rq, rs, 400, code, label, unit, &o.errors);
	else outcome_respond(rq, rs, &o);
}
