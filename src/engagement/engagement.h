/* Engagements: what a partner and a district agreed (period, goals, focus,
 * service lines with quantities and prices), the agreement's life (drafted,
 * proposed, accepted by the district, active, ended) and how much of it has
 * been scheduled, delivered and cancelled. Quantities are in thousandths of
 * a unit, money in integer cents.
 *
 * Every feature folder is built in the same layers, each with its header,
 * each including only those below it:
 *   engagement.h        the types and the pure rules (engagement.c): no I/O,
 *                       no SQL, no HTTP; where most unit tests live;
 *   engagement_store.h  storage (engagement_store.c): the only SQL;
 *   engagement_web.h    checked changes and loaders (engagement_change.c:
 *                       may(), the checks, one transaction with its audit
 *                       entry), then the handlers (engagement_pages.c,
 *                       engagement_api.c), which load everything first and
 *                       render second. */
#ifndef COACHD_ENGAGEMENT_H
#define COACHD_ENGAGEMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../access/policy.h"
#include "../base/arena.h"
#include "../html/form.h"

/* Bounds that keep every product quantity × price inside int64: at most a
 * million units per line and ten million dollars per unit. */
enum {
	QUANTITY_MAX_MILLI = 1000000000, /* 1,000,000 units */
	PRICE_MAX_CENTS = 1000000000,    /* $10,000,000.00 */
	ENGAGEMENT_TEXT_MAX = 4000,      /* goals, focus, curriculum */
	ENGAGEMENT_TITLE_MAX = 300,      /* characters of a title, one line */
	ENGAGEMENT_UNIT_MAX = 60,        /* a service line's unit, one line */
	ENGAGEMENT_LINE_TEXT_MAX = 1000, /* a service line's description, one line */
	SERVICE_KIND_LABEL_MAX = 120,
	ENGAGEMENT_FOCUS_MAX = 24 /* focus codes */
};

/* What became of a session drawing on a line. */
typedef enum draw_state { DRAW_SCHEDULED, DRAW_DELIVERED, DRAW_CANCELLED } draw_state;

typedef struct line_draw {
	int64_t draw_milli;
	draw_state state;
} line_draw;

/* One service line's accounting. remaining = committed − scheduled −
 * delivered, in units and in money, exactly (negative when over). */
typedef struct line_balance {
	const char *what; /* "coaching day": names the unit in messages */
	int64_t unit_price_cents;
	int64_t committed_milli, scheduled_milli, delivered_milli, cancelled_milli, remaining_milli;
	int64_t committed_cents, scheduled_cents, delivered_cents, cancelled_cents, remaining_cents;
	int64_t over_milli; /* how far scheduled + delivered exceed committed, 0 if not */
} line_balance;

/* The sum of an engagement's lines. */
typedef struct engagement_balance {
	int64_t committed_cents, scheduled_cents, delivered_cents, cancelled_cents, remaining_cents;
	size_t lines_over; /* lines drawn beyond what they hold */
} engagement_balance;

/* An agreement's life: the partner drafts and proposes it, the district
 * accepts or declines it, then it is active until it ends. Only an
 * agreement the district accepted lets the partner's people into the
 * district (engagement_reaches). */
typedef enum engagement_state {
	EN_DRAFT,
	EN_PROPOSED,
	EN_ACCEPTED,
	EN_ACTIVE,
	EN_ENDED,
	EN_DECLINED,
	EN_STATE_COUNT
} engagement_state;

/* What the asker may do to an agreement, from the policy: a party may
 * update it (either side); the district decides on it (its leaders, or
 * its administrators acting for it). */
typedef struct engagement_powers {
	bool party;
	bool district;
} engagement_powers;

typedef struct engagement {
	int64_t id;
	int64_t partner_id, district_id, school_year_id;
	const char *partner_name, *district_name, *school_year_name;
	const char *title, *starts_on, *ends_on;
	const char *goals, *focus, *curriculum, *pl_type, *audiences, *delivery_format;
	engagement_state state;
	int64_t decided_by; /* who accepted or declined it, 0: nobody yet */
	const char *decided_by_name;
	int64_t decided_at;
	const char *decision_note; /* why it was declined, or "" */
	const char *focus_codes;   /* "MP3 TP2", space-separated, or "" */
	int64_t total_cents;       /* committed, over active lines */
} engagement;

typedef struct service_kind {
	int64_t id;
	const char *code, *label, *default_unit;
	bool active;
} service_kind;

typedef struct service_line {
	int64_t id, engagement_id, kind_id;
	const char *kind_code, *kind_label, *description, *unit;
	int64_t quantity_milli, unit_price_cents, minutes, position;
	line_draw *draws; /* the sessions drawing on it */
	size_t ndraws;
} service_line;

/* What a form or JSON body asks an engagement to be, trimmed. */
typedef struct engagement_input {
	int64_t partner_id, district_id, school_year_id;
	bool partner_unreadable, district_unreadable, school_year_unreadable;
	const char *title, *starts_on, *ends_on, *goals, *focus, *curriculum;
	const char *pl_type, *audiences, *delivery_format, *focus_codes;
	/* A new agreement starts as a draft or a proposal ("" : draft); later
	 * moves go through engagement_move, never an edit. */
	const char *state;
} engagement_input;

/* A service line as given: quantity and price still text, so that the
 * checks can name what is wrong with them. */
typedef struct line_input {
	const char *kind_id, *quantity, *unit, *unit_price, *description, *minutes;
	/* Filled in by line_check. */
	int64_t kind, quantity_milli, unit_price_cents, minutes_n;
} line_input;

/* ---- rules (engagement.c, pure) ---- */
/* Money for a quantity: quantity × unit price, rounded half up to the
 * cent, computed once per line so totals never drift. */
int64_t line_amount_cents(int64_t quantity_milli, int64_t unit_price_cents);
/* The accounting of one line from its draws. */
line_balance line_balance_of(const char *what, int64_t quantity_milli, int64_t unit_price_cents,
			     const line_draw *d, size_t n);
engagement_balance engagement_balance_of(const line_balance *lines, size_t n);
/* Whether a new draw of draw_milli fits what the line has left. When it
 * does not, why says by how much it exceeds ("This would schedule 1.5
 * coaching days more than the 8 the agreement holds (0.5 left).") and the
 * answer is over_commit: an explicit over-commit is allowed, but named.
 * why is "" when the draw fits. */
bool draw_check(const line_balance *b, int64_t draw_milli, bool over_commit, char *why, size_t n);

/* "8" or "0.5" or "1,000.25" → thousandths; at most three decimals. NULL
 * when fine, else a sentence naming what is wrong. */
const char *quantity_parse(const char *s, int64_t *milli);
/* "1800", "1,800.00", "$1,800.5" → cents; at most two decimals. */
const char *price_parse(const char *s, int64_t *cents);
/* 8000 → "8", 500 → "0.5", 1250 → "1.25". */
const char *milli_text(arena *a, int64_t milli);
/* 1620000 → "$16,200.00"; negative amounts get a leading minus. */
const char *cents_text(arena *a, int64_t cents);
/* The thing counted, in the plural when the amount is not one. */
const char *units_text(arena *a, int64_t milli, const char *what);

const char *engagement_state_name(engagement_state s);  /* "proposed" */
const char *engagement_state_label(engagement_state s); /* "Proposed" */
bool engagement_state_parse(const char *s, engagement_state *out);
/* Does an agreement in state s let the partner's people into the district?
 * Accepted and active ones do; the view partner_reach says the same. */
bool engagement_reaches(engagement_state s);
/* Why someone with powers p may not move an agreement from one state to
 * another, or NULL when they may. The partner's side proposes, withdraws
 * and revises; only the district accepts or declines; either starts and
 * ends it. */
const char *engagement_move_blocker(engagement_state from, engagement_state to, engagement_powers p);
/* The states someone with powers p may move an agreement in state from
 * to, in the order the page offers them; returns how many. */
size_t engagement_moves(engagement_state from, engagement_powers p, engagement_state out[EN_STATE_COUNT]);
/* Why an agreement in state s may not be edited (its lines too), or NULL.
 * parties_change: the edit names another partner or district, which only
 * a draft may. */
const char *engagement_edit_blocker(engagement_state s, bool parties_change);
const form_option *engagement_pl_types(size_t *n);
const form_option *engagement_formats(size_t *n);
const form_option *engagement_audiences(size_t *n);
/* Checks an engagement's own fields (dates, codes, lengths, and a new
 * one's state); adds an error per wrong field and normalizes focus codes
 * and audiences. */
void engagement_check(arena *a, engagement_input *in, form_errors *e);
/* Checks a line's fields into its numbers. */
void line_check(arena *a, line_input *in, form_errors *e);
/* An engagement's places: at its district and at its partner. out holds 2. */
size_t engagement_places(int64_t partner_id, int64_t district_id, place out[2]);
record engagement_record(record_kind kind, const place *p, size_t n);

/* The line's balance from its draws, as the pages and API show it. */
line_balance service_line_balance(const service_line *l);
/* The input that leaves en as it is. */
engagement_input engagement_input_of(const engagement *en);

#endif
