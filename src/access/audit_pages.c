/* The audit log's page and API: entries newest first, filtered by action,
 * actor and dates, a hundred at a time. Readable by administrators and
 * district leaders for their districts (administrators also see the
 * installation's own entries), as the access policy says.
 * There is deliberately no route that edits or deletes an entry. */
#include <jansson.h>
#include <string.h>
#include <time.h>

#include "../base/util.h"
#include "../html/html.h"
#include "../web/app.h"
#include "audit.h"
#include "audit_pages.h"
#include "grants.h"
#include "policy.h"

enum { ACTION_FILTER_MAX = 64, ACTOR_FILTER_MAX = 200, DAY_SECONDS = 86400 };

/* ---- who may read, and where ---- */

/* The log of the places the reader holds roles at: the policy says
 * whether their role reads it at all (administrators, district leaders). */
static bool may_read_log(req *rq)
{
	const actor *me = rq->actor;
	record own = {.kind = REC_AUDIT,
		      .places = grants_places(rq->a, me->grants, me->ngrants),
		      .nplaces = me->ngrants};
	record unplaced = {.kind = REC_AUDIT};
	return may(me, ACT_READ, &own) || may(me, ACT_READ, &unplaced);
}

/* An entry as a record: it belongs to its district_id, which holds a
 * district's or a partner's id (org ids are one sequence, so naming it
 * both ways matches only the right one); 0 is nobody's place. */
static bool may_read_entry(const actor *me, const audit_entry *e)
{
	place p = {e->district_id, e->district_id, e->district_id};
	record r = {.kind = REC_AUDIT, .places = &p, .nplaces = e->district_id ? 1 : 0};
	return may(me, ACT_READ, &r);
}

static audit_scope reader_scope(req *rq)
{
	visibility v;
	policy_visibility(rq->actor, ACT_READ, REC_AUDIT, &v);
	int64_t *districts = arena_calloc(rq->a, VISIBILITY_MAX, sizeof *districts);
	memcpy(districts, v.districts, v.ndistricts * sizeof *districts);
	record unplaced = {.kind = REC_AUDIT};
	return (audit_scope){.all = v.all || v.overflow,
			     .districts = districts,
			     .ndistricts = v.ndistricts,
			     .unplaced = may(rq->actor, ACT_READ, &unplaced)};
}

/* ---- the filters ---- */

/* As typed, for the form and the Older link. */
typedef struct filter_text {
	const char *action, *actor, *from, *to, *before;
} filter_text;

static const char *query_text(const req *rq, const char *key)
{
	const char *v = req_query(rq, key);
	return v && *v ? v : NULL;
}

static bool leap_year(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* YYYY-MM-DD, a real day, as the unix time of its midnight UTC. */
static bool parse_day(const char *s, int64_t *out)
{
	static const int days_in[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return false;
	int64_t y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int64_t m = (s[5] - '0') * 10 + (s[6] - '0');
	int64_t d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1970 || m < 1 || m > 12 || d < 1) return false;
	if (d > days_in[m - 1] + (m == 2 && leap_year(y))) return false;
	*out = days_from_civil(y, m, d) * DAY_SECONDS;
	return true;
}

/* Actions are dotted lower-case words ("signin.fail"). */
static bool action_text_ok(const char *s)
{
	if (strlen(s) > ACTION_FILTER_MAX) return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
		      *p == '-'))
			return false;
	return true;
}

/* Reads the filters; every bad one is named in e. */
static void read_filter(const req *rq, filter_text *t, audit_filter *f, form_errors *e)
{
	*t = (filter_text){query_text(rq, "action"), query_text(rq, "actor"), query_text(rq, "from"),
			   query_text(rq, "to"), query_text(rq, "before")};
	*f = (audit_filter){.action = t->action, .actor = t->actor};
	if (t->action && !action_text_ok(t->action))
		form_error_add(e, "action",
			       "The action is the start of an action name, such as "
			       "signin. or token.create: letters, digits and dots.");
	if (t->actor && strlen(t->actor) > ACTOR_FILTER_MAX)
		form_error_add(e, "actor", "The name or email to look for is longer than 200 characters.");
	int64_t day;
	if (t->from && !parse_day(t->from, &f->from))
		form_error_add(e, "from", "From must be a date written YYYY-MM-DD.");
	if (t->to && !parse_day(t->to, &day))
		form_error_add(e, "to", "To must be a date written YYYY-MM-DD.");
	else if (t->to) f->until = day + DAY_SECONDS; /* the whole of that day */
	if (f->from && f->until && f->until <= f->from) form_error_add(e, "to", "To is before From.");
	if (t->before && !parse_i64(t->before, 1, INT64_MAX, &f->before))
		form_error_add(e, "before", "before must be an entry id (a whole number).");
}

/* ---- reading ---- */

typedef struct audit_page_data {
	audit_entry *entries;
	size_t n;
	int64_t next; /* the Older cursor; 0 at the oldest */
} audit_page_data;

/* One page: a row more than shown tells whether older ones exist; each
 * row is checked with may() after the store's filter. */
static store_rc read_page(req *rq, const audit_filter *f, audit_page_data *out)
{
	audit_scope scope = reader_scope(rq);
	audit_entry *rows;
	size_t n;
	store_rc rc = audit_list(rq->db, rq->a, &scope, f, AUDIT_PAGE_SIZE + 1, &rows, &n);
	if (rc != STORE_OK) return rc;
	/* The cursor is the last row looked at, shown or not, so a row
	 * may() holds back never stalls the paging. */
	*out = (audit_page_data){.entries = rows,
				 .next = n > AUDIT_PAGE_SIZE ? rows[AUDIT_PAGE_SIZE - 1].id : 0};
	size_t looked_at = n > AUDIT_PAGE_SIZE ? AUDIT_PAGE_SIZE : n;
	for (size_t i = 0; i < looked_at; i++)
		if (may_read_entry(rq->actor, &rows[i])) rows[out->n++] = rows[i];
	return STORE_OK;
}

/* ---- the page ---- */

static void filter_form(buf *b, const filter_text *t, const form_errors *e)
{
	html_RAW(b, "<form class=\"filters\" method=\"get\" action=\"/audit\">\n");
	form_input(b, "search", "action", "Action starts with", t->action, false, NULL, e);
	form_input(b, "search", "actor", "Who (name or email)", t->actor, false, NULL, e);
	form_input(b, "date", "from", "From", t->from, false, NULL, e);
	form_input(b, "date", "to", "To", t->to, false, NULL, e);
	html_RAW(b, "<button type=\"submit\">Show</button>\n</form>\n");
}

static void entry_row(buf *b, arena *a, const audit_entry *e)
{
	html_printf(b, "<tr><td>%s</td><td>%s</td><td><code>%s</code></td><td>", time_text_utc(a, e->at),
		    e->actor_name ? e->actor_name : "\xE2\x80\x94", e->action);
	if (e->kind && e->object_id) html_printf(b, "%s %lld", e->kind, (long long)e->object_id);
	else if (e->kind) html_printf(b, "%s", e->kind);
	html_printf(b, "</td><td>%s</td><td>%s</td></tr>\n", e->detail ? e->detail : "",
		    e->remote ? e->remote : "");
}

static void entries_table(buf *b, arena *a, const audit_page_data *p)
{
	if (!p->n) {
		html_RAW(b, "<p>No entries match.</p>\n");
		return;
	}
	html_table_open(b);
	html_RAW(b,
		 "\n<thead><tr><th scope=\"col\">When</th>"
		 "<th scope=\"col\">Who</th><th scope=\"col\">Action</th><th scope=\"col\">Record</th>"
		 "<th scope=\"col\">Detail</th><th scope=\"col\">Address</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < p->n; i++) entry_row(b, a, &p->entries[i]);
	html_RAW(b, "</tbody></table></div>\n");
}

/* The next page keeps the filters; each value is URL-encoded. */
static void older_link(buf *b, arena *a, const filter_text *t, int64_t next)
{
	if (!next) return;
	const char *keys[] = {"action", "actor", "from", "to"};
	const char *vals[] = {t->action, t->actor, t->from, t->to};
	buf q = BUF_INIT;
	for (size_t i = 0; i < COUNT_OF(keys); i++)
		if (vals[i]) buf_printf(&q, "%s=%s&", keys[i], url_encode(a, vals[i]));
	buf_printf(&q, "before=%lld", (long long)next);
	html_printf(b, "<p><a class=\"button\" rel=\"next\" href=\"/audit?%s\">Older</a></p>\n",
		    buf_cstr(&q));
	buf_free(&q);
}

static void audit_html(req *rq, resp *rs, int status, const filter_text *t, const form_errors *e,
		       const audit_page_data *p)
{
	buf *b = resp_html(rs, status);
	layout l = page_layout(rq, "Audit log", "audit");
	layout_begin(b, &l);
	html_RAW(b,
		 "<h1>Audit log</h1>\n<p class=\"hint\">Sign-ins, API tokens and other "
		 "access events, newest first. Entries are never changed or removed.</p>\n");
	filter_form(b, t, e);
	if (p) {
		entries_table(b, rq->a, p);
		older_link(b, rq->a, t, p->next);
	}
	layout_end(b);
}

/*
** GET /audit?action=PREFIX&actor=TEXT&from=YYYY-MM-DD&to=YYYY-MM-DD&before=ID
** The audit log, newest first, 100 entries a page with an "Older" link.
** action: start of the action name; actor: part of the name or email;
** from/to: days in UTC, both included; before: the Older cursor.
** 400 with the form and the message beside each bad field.
** Permissions: may(READ, audit) (administrators, district leaders);
** entries of the districts policy_visibility gives, each checked by may().
*/
void page_audit(req *rq, resp *rs)
{
	if (!may_read_log(rq)) {
		resp_error(rq, rs, 403, "forbidden", "the audit log is not yours to read", NULL);
		return;
	}
	filter_text t;
	audit_filter f;
	form_errors e = {0};
	read_filter(rq, &t, &f, &e);
	if (e.n) {
		audit_html(rq, rs, 400, &t, &e, NULL);
		return;
	}
	audit_page_data p;
	if (read_page(rq, &f, &p) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	audit_html(rq, rs, 200, &t, &e, &p);
}

static json_t *optional_int_json(int64_t v)
{
	return v ? json_integer(v) : json_null();
}

static json_t *optional_text_json(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *entry_json(arena *a, const audit_entry *e)
{
	json_t *j = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)e->id, "at", time_iso_utc(a, e->at),
			      "action", e->action);
	json_object_set_new(j, "actor_id", optional_int_json(e->actor_id));
	json_object_set_new(j, "actor_name", optional_text_json(e->actor_name));
	json_object_set_new(j, "kind", optional_text_json(e->kind));
	json_object_set_new(j, "object_id", optional_int_json(e->object_id));
	json_object_set_new(j, "district_id", optional_int_json(e->district_id));
	json_object_set_new(j, "detail", optional_text_json(e->detail));
	json_object_set_new(j, "remote", optional_text_json(e->remote));
	return j;
}

/*
** GET /api/audit?action=PREFIX&actor=TEXT&from=YYYY-MM-DD&to=YYYY-MM-DD&before=ID
** {"entries":[{id,at,actor_id,actor_name,action,kind,object_id,
** district_id,detail,remote}],"next":ID|null}; "at" is ISO 8601 UTC; pass
** next as before= for the older page. 400 names the bad field.
** Permissions: as GET /audit.
*/
void api_audit(req *rq, resp *rs)
{
	if (!may_read_log(rq)) {
		resp_error(rq, rs, 403, "forbidden", "the audit log is not yours to read", NULL);
		return;
	}
	filter_text t;
	audit_filter f;
	form_errors e = {0};
	read_filter(rq, &t, &f, &e);
	if (e.n) {
		resp_form_invalid(rq, rs, &e);
		return;
	}
	audit_page_data p;
	if (read_page(rq, &f, &p) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < p.n; i++) json_array_append_new(arr, entry_json(rq->a, &p.entries[i]));
	resp_json(rs, 200, json_pack("{s:o, s:o}", "entries", arr, "next", optional_int_json(p.next)));
}
