/* Engagement rules, pure: delivery accounting in thousandths of a unit and
 * integer cents, parsing quantities and prices, and checking fields. */
#include "engagement.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "../base/util.h"
#include "../standards/standards.h"

/* Half up to the cent. Split into whole units and thousandths so the
 * product stays inside int64 for every quantity and price the bounds
 * allow. */
int64_t line_amount_cents(int64_t quantity_milli, int64_t unit_price_cents)
{
	int64_t sign = quantity_milli < 0 ? -1 : 1;
	int64_t q = quantity_milli * sign;
	int64_t whole = (q / 1000) * unit_price_cents;
	int64_t part = ((q % 1000) * unit_price_cents + 500) / 1000;
	return sign * (whole + part);
}

line_balance line_balance_of(const char *what, int64_t quantity_milli, int64_t unit_price_cents,
			     const line_draw *d, size_t n)
{
	line_balance b = {
		.what = what, .unit_price_cents = unit_price_cents, .committed_milli = quantity_milli};
	for (size_t i = 0; i < n; i++) {
		if (d[i].state == DRAW_SCHEDULED) b.scheduled_milli += d[i].draw_milli;
		else if (d[i].state == DRAW_DELIVERED) b.delivered_milli += d[i].draw_milli;
		else b.cancelled_milli += d[i].draw_milli;
	}
	b.remaining_milli = b.committed_milli - b.scheduled_milli - b.delivered_milli;
	b.over_milli = b.remaining_milli < 0 ? -b.remaining_milli : 0;
	/* Each amount derives from its units once; remaining money is the
	 * difference of the amounts, so the columns always add up. */
	b.committed_cents = line_amount_cents(b.committed_milli, unit_price_cents);
	b.scheduled_cents = line_amount_cents(b.scheduled_milli, unit_price_cents);
	b.delivered_cents = line_amount_cents(b.delivered_milli, unit_price_cents);
	b.cancelled_cents = line_amount_cents(b.cancelled_milli, unit_price_cents);
	b.remaining_cents = b.committed_cents - b.scheduled_cents - b.delivered_cents;
	return b;
}

engagement_balance engagement_balance_of(const line_balance *lines, size_t n)
{
	engagement_balance t = {0};
	for (size_t i = 0; i < n; i++) {
		t.committed_cents += lines[i].committed_cents;
		t.scheduled_cents += lines[i].scheduled_cents;
		t.delivered_cents += lines[i].delivered_cents;
		t.cancelled_cents += lines[i].cancelled_cents;
		t.remaining_cents += lines[i].remaining_cents;
		if (lines[i].over_milli) t.lines_over++;
	}
	return t;
}

/* milli_text without an arena, for messages. */
static void milli_format(char *out, size_t n, int64_t milli)
{
	const char *sign = milli < 0 ? "-" : "";
	int64_t m = milli < 0 ? -milli : milli;
	int64_t frac = m % 1000;
	if (!frac) {
		snprintf(out, n, "%s%lld", sign, (long long)(m / 1000));
		return;
	}
	char digits[4];
	snprintf(digits, sizeof digits, "%03lld", (long long)frac);
	for (int i = 2; i > 0 && digits[i] == '0'; i--) digits[i] = '\0';
	snprintf(out, n, "%s%lld.%s", sign, (long long)(m / 1000), digits);
}

bool draw_check(const line_balance *b, int64_t draw_milli, bool over_commit, char *why, size_t n)
{
	if (n) why[0] = '\0';
	int64_t left = b->remaining_milli > 0 ? b->remaining_milli : 0;
	if (draw_milli <= left) return true;
	char excess[32], held[32], rest[32];
	milli_format(excess, sizeof excess, draw_milli - left);
	milli_format(held, sizeof held, b->committed_milli);
	milli_format(rest, sizeof rest, left);
	const char *what = b->what && *b->what ? b->what : "unit";
	bool one = draw_milli - left == 1000;
	snprintf(why, n, "This would schedule %s %s%s more than the %s the agreement holds (%s left).",
		 excess, what, one ? "" : "s", held, rest);
	return over_commit;
}

const char *milli_text(arena *a, int64_t milli)
{
	char out[32];
	milli_format(out, sizeof out, milli);
	return arena_strdup(a, out);
}

const char *cents_text(arena *a, int64_t cents)
{
	const char *sign = cents < 0 ? "-" : "";
	int64_t c = cents < 0 ? -cents : cents;
	char whole[32], grouped[48];
	snprintf(whole, sizeof whole, "%lld", (long long)(c / 100));
	size_t len = strlen(whole), k = 0;
	for (size_t i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0) grouped[k++] = ',';
		grouped[k++] = whole[i];
	}
	grouped[k] = '\0';
	return arena_printf(a, "%s$%s.%02lld", sign, grouped, (long long)(c % 100));
}

const char *units_text(arena *a, int64_t milli, const char *what)
{
	return arena_printf(a, "%s %s%s", milli_text(a, milli), what, milli == 1000 ? "" : "s");
}

static const char TOO_PRECISE[] = "too many decimal places";

/* Parses a non-negative decimal with thousands commas in their places and
 * at most `decimals` digits after the point, scaled by 10^decimals. */
static const char *decimal_parse(const char *s, int decimals, int64_t max, int64_t *out)
{
	if (!s || !*s) return "This is required.";
	if (*s == '-') return "This cannot be negative.";
	if (*s == '+') s++;
	int64_t whole = 0, frac = 0;
	int digits = 0, since_comma = -1, nfrac = 0;
	const char *p = s;
	for (; *p && *p != '.'; p++) {
		if (*p == ',') {
			if (!digits || (since_comma >= 0 && since_comma != 3))
				return "Put commas only between groups of three digits.";
			since_comma = 0;
			continue;
		}
		if (!isdigit((unsigned char)*p)) return "Write a number such as 8 or 0.5.";
		if (whole > max) return "This is too large.";
		whole = whole * 10 + (*p - '0');
		digits++;
		if (since_comma >= 0) since_comma++;
	}
	if (since_comma >= 0 && since_comma != 3) return "Put commas only between groups of three digits.";
	if (*p == '.') {
		for (p++; *p; p++) {
			if (!isdigit((unsigned char)*p)) return "Write a number such as 8 or 0.5.";
			if (++nfrac > decimals) return TOO_PRECISE;
			frac = frac * 10 + (*p - '0');
		}
	}
	if (!digits && !nfrac) return "Write a number such as 8 or 0.5.";
	for (int i = nfrac; i < decimals; i++) frac *= 10;
	int64_t scale = 1;
	for (int i = 0; i < decimals; i++) scale *= 10;
	if (whole > max / scale) return "This is too large.";
	int64_t v = whole * scale + frac;
	if (v > max) return "This is too large.";
	*out = v;
	return NULL;
}

const char *quantity_parse(const char *s, int64_t *milli)
{
	const char *why = decimal_parse(s, 3, QUANTITY_MAX_MILLI, milli);
	return why == TOO_PRECISE ? "A quantity has at most 3 decimal places." : why;
}

const char *price_parse(const char *s, int64_t *cents)
{
	if (s && *s == '$') s++;
	const char *why = decimal_parse(s, 2, PRICE_MAX_CENTS, cents);
	return why == TOO_PRECISE ? "A price has at most 2 decimal places (cents)." : why;
}

static const form_option pl_types[] = {{"adoption", "Curriculum adoption"},
				       {"launch", "Curriculum launch"},
				       {"ongoing", "Ongoing professional learning for teachers"},
				       {"system", "System design and leadership support"}};
static const form_option formats[] = {
	{"in_person", "In person"}, {"virtual", "Virtual"}, {"hybrid", "Hybrid"}};
static const form_option audiences[] = {{"teachers", "Teachers"},
					{"school_leaders", "School leaders"},
					{"coaches", "Coaches"},
					{"district_leaders", "District leaders"}};

const form_option *engagement_pl_types(size_t *n)
{
	*n = COUNT_OF(pl_types);
	return pl_types;
}
const form_option *engagement_formats(size_t *n)
{
	*n = COUNT_OF(formats);
	return formats;
}
const form_option *engagement_audiences(size_t *n)
{
	*n = COUNT_OF(audiences);
	return audiences;
}

static bool option_valid(const form_option *o, size_t n, const char *v)
{
	for (size_t i = 0; i < n; i++)
		if (str_eq(o[i].value, v)) return true;
	return false;
}

/* ---- the agreement's life ---- */

static const char *const state_names[EN_STATE_COUNT] = {
	[EN_DRAFT] = "draft",   [EN_PROPOSED] = "proposed", [EN_ACCEPTED] = "accepted",
	[EN_ACTIVE] = "active", [EN_ENDED] = "ended",       [EN_DECLINED] = "declined"};
static const char *const state_labels[EN_STATE_COUNT] = {
	[EN_DRAFT] = "Draft",   [EN_PROPOSED] = "Proposed", [EN_ACCEPTED] = "Accepted",
	[EN_ACTIVE] = "Active", [EN_ENDED] = "Ended",       [EN_DECLINED] = "Declined"};

const char *engagement_state_name(engagement_state s)
{
	return (unsigned)s < EN_STATE_COUNT ? state_names[s] : "unknown";
}

const char *engagement_state_label(engagement_state s)
{
	return (unsigned)s < EN_STATE_COUNT ? state_labels[s] : "Unknown";
}

bool engagement_state_parse(const char *s, engagement_state *out)
{
	for (int i = 0; s && i < EN_STATE_COUNT; i++)
		if (str_eq(s, state_names[i])) {
			*out = (engagement_state)i;
			return true;
		}
	return false;
}

bool engagement_reaches(engagement_state s)
{
	return s == EN_ACCEPTED || s == EN_ACTIVE;
}

/* Every move an agreement can make, and whose it is. The partner's side
 * proposes, withdraws and revises its own proposal; only the district
 * accepts or declines (a district that drafts the agreement itself accepts
 * its own draft); either side starts and ends it. So reach is always the
 * district's gift. */
typedef enum mover { EITHER_SIDE, PROPOSER, DISTRICT } mover;

typedef struct state_move {
	engagement_state from, to;
	mover who;
} state_move;

static const state_move moves[] = {
	{EN_DRAFT, EN_PROPOSED, PROPOSER},     /* propose */
	{EN_PROPOSED, EN_DRAFT, PROPOSER},     /* withdraw to revise */
	{EN_DECLINED, EN_DRAFT, PROPOSER},     /* revise after a refusal */
	{EN_PROPOSED, EN_ACCEPTED, DISTRICT},  /* accept */
	{EN_DRAFT, EN_ACCEPTED, DISTRICT},     /* the district accepts its own draft */
	{EN_PROPOSED, EN_DECLINED, DISTRICT},  /* decline */
	{EN_ACCEPTED, EN_ACTIVE, EITHER_SIDE}, /* the work begins */
	{EN_ACCEPTED, EN_ENDED, EITHER_SIDE},  {EN_ACTIVE, EN_ENDED, EITHER_SIDE},
};

static const state_move *move_find(engagement_state from, engagement_state to)
{
	for (size_t i = 0; i < COUNT_OF(moves); i++)
		if (moves[i].from == from && moves[i].to == to) return &moves[i];
	return NULL;
}

const char *engagement_move_blocker(engagement_state from, engagement_state to, engagement_powers p)
{
	const state_move *m = move_find(from, to);
	if (!m) {
		if (from == to) return "The engagement is in that state already.";
		if (to == EN_ACCEPTED || to == EN_DECLINED)
			return "Only a proposed engagement is accepted or declined.";
		if (from == EN_ENDED)
			return "This engagement has ended; a new agreement is a new engagement.";
		return "An engagement does not move between these states.";
	}
	switch (m->who) {
	case DISTRICT: return p.district ? NULL : "Only the district accepts or declines an engagement.";
	case PROPOSER:
		if (p.district) return "The district answers a proposal: it accepts or declines it.";
		return p.party ? NULL : "You may not change this engagement.";
	default: return p.party || p.district ? NULL : "You may not change this engagement.";
	}
}

size_t engagement_moves(engagement_state from, engagement_powers p, engagement_state out[EN_STATE_COUNT])
{
	size_t n = 0;
	for (size_t i = 0; i < COUNT_OF(moves) && n < EN_STATE_COUNT; i++)
		if (moves[i].from == from && !engagement_move_blocker(from, moves[i].to, p))
			out[n++] = moves[i].to;
	return n;
}

const char *engagement_edit_blocker(engagement_state s, bool parties_change)
{
	if (s == EN_ENDED) return "This engagement has ended; it no longer changes.";
	if (s == EN_DECLINED) return "The district declined this engagement; revise it as a draft first.";
	if (parties_change && s != EN_DRAFT)
		return "The partner and district of a proposed or accepted engagement never change; "
		       "a different district is a new engagement.";
	return NULL;
}

/* YYYY-MM-DD with a real month and day. */
static bool date_valid(const char *s)
{
	int y, m, d;
	char tail;
	if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3) return false;
	static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (s[4] != '-' || s[7] != '-' || y < 1900 || m < 1 || m > 12 || d < 1) return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= days[m - 1] && !(m == 2 && d == 29 && !leap);
}

static bool empty(const char *s)
{
	return !s || !*s;
}

/* Audiences as comma-separated codes, each one of engagement_audiences. */
static const char *audiences_normalize(arena *a, const char *s, form_errors *e)
{
	if (empty(s)) return "";
	char *out = arena_calloc(a, 80, 1);
	for (size_t i = 0; i < COUNT_OF(audiences); i++) {
		char padded[40], with_edges[512];
		snprintf(padded, sizeof padded, ",%s,", audiences[i].value);
		snprintf(with_edges, sizeof with_edges, ",%s,", s);
		for (char *c = with_edges; *c; c++)
			if (*c == ' ') *c = ',';
		if (!strstr(with_edges, padded)) continue;
		if (*out) strcat(out, ",");
		strcat(out, audiences[i].value);
	}
	/* Anything given that matched nothing is named. */
	size_t given = 0, kept = *out ? 1 : 0;
	for (const char *p = s; *p; p++) given += *p == ',';
	for (const char *p = out; *p; p++) kept += *p == ',';
	if (given + 1 != kept || strlen(s) > 200)
		form_error_add(e, "audiences",
			       "Audiences are teachers, school_leaders, coaches and district_leaders.");
	return out;
}

static void text_limit(const char *s, const char *field, form_errors *e)
{
	if (s && strlen(s) > ENGAGEMENT_TEXT_MAX)
		form_error_add(e, field, "This is longer than 4,000 characters.");
}

void engagement_check(arena *a, engagement_input *in, form_errors *e)
{
	if (in->partner_unreadable || in->partner_id <= 0)
		form_error_add(e, "partner_id", "Choose the partner.");
	if (in->district_unreadable || in->district_id <= 0)
		form_error_add(e, "district_id", "Choose the district.");
	if (in->school_year_unreadable)
		form_error_add(e, "school_year_id", "school_year_id must be a school year's id.");
	if (empty(in->title)) form_error_add(e, "title", "Give the engagement a title.");
	else form_error_line(a, e, "title", "title", in->title, ENGAGEMENT_TITLE_MAX);
	if (!date_valid(in->starts_on))
		form_error_add(e, "starts_on", "The start must be a date (YYYY-MM-DD).");
	if (!date_valid(in->ends_on)) form_error_add(e, "ends_on", "The end must be a date (YYYY-MM-DD).");
	else if (date_valid(in->starts_on) && strcmp(in->ends_on, in->starts_on) < 0)
		form_error_add(e, "ends_on", "The end comes before the start.");
	text_limit(in->goals, "goals", e);
	text_limit(in->focus, "focus", e);
	form_error_line(a, e, "curriculum", "curriculum", in->curriculum, ENGAGEMENT_TEXT_MAX);
	if (!empty(in->pl_type) && !option_valid(pl_types, COUNT_OF(pl_types), in->pl_type))
		form_error_add(e, "pl_type", "The type is adoption, launch, ongoing or system.");
	if (!empty(in->delivery_format) && !option_valid(formats, COUNT_OF(formats), in->delivery_format))
		form_error_add(e, "delivery_format", "The format is in_person, virtual or hybrid.");
	/* Only a new engagement names its state; an edit leaves it NULL. */
	if (in->state && !*in->state) in->state = "draft";
	if (in->state && !str_eq(in->state, "draft") && !str_eq(in->state, "proposed"))
		form_error_add(e, "state",
			       "A new engagement is a draft or a proposal; the district "
			       "accepts it afterwards.");
	in->focus_codes = focus_codes_normalize(a, in->focus_codes, "focus_codes", e);
	in->audiences = audiences_normalize(a, in->audiences, e);
}

void line_check(arena *a, line_input *in, form_errors *e)
{
	const char *why;
	if (empty(in->kind_id) || !parse_i64(in->kind_id, 1, INT64_MAX, &in->kind))
		form_error_add(e, "kind_id", "Choose the kind of service.");
	if ((why = quantity_parse(in->quantity, &in->quantity_milli))) form_error_add(e, "quantity", why);
	if ((why = price_parse(in->unit_price, &in->unit_price_cents))) form_error_add(e, "unit_price", why);
	if (empty(in->unit)) form_error_add(e, "unit", "Name the unit (day, half day, seat).");
	else form_error_line(a, e, "unit", "unit", in->unit, ENGAGEMENT_UNIT_MAX);
	form_error_line(a, e, "description", "description", in->description, ENGAGEMENT_LINE_TEXT_MAX);
	in->minutes_n = 0;
	if (!empty(in->minutes) && !parse_i64(in->minutes, 1, 24 * 60, &in->minutes_n))
		form_error_add(e, "minutes", "Minutes must be a whole number from 1 to 1440.");
}

size_t engagement_places(int64_t partner_id, int64_t district_id, place out[2])
{
	out[0] = (place){district_id, district_id, 0};
	out[1] = (place){partner_id, 0, partner_id};
	return 2;
}

record engagement_record(record_kind kind, const place *p, size_t n)
{
	return (record){.kind = kind, .places = p, .nplaces = n};
}

engagement_input engagement_input_of(const engagement *en)
{
	return (engagement_input){.partner_id = en->partner_id,
				  .district_id = en->district_id,
				  .school_year_id = en->school_year_id,
				  .title = en->title,
				  .starts_on = en->starts_on,
				  .ends_on = en->ends_on,
				  .goals = en->goals,
				  .focus = en->focus,
				  .curriculum = en->curriculum,
				  .pl_type = en->pl_type,
				  .audiences = en->audiences,
				  .delivery_format = en->delivery_format,
				  .focus_codes = en->focus_codes};
}

line_balance service_line_balance(const service_line *l)
{
	return line_balance_of(l->kind_label, l->quantity_milli, l->unit_price_cents, l->draws, l->ndraws);
}
