/* Coaching cycles in the store: a cycle with its names, members and active
 * shares; its stages and answers, notes, tallies, files and history;
 * templates; the people a teacher may share a cycle with; and the counts
 * the leaders' report reads. Nothing here decides who may see what:
 * callers ask may() of every row. */
#include <stdlib.h>
#include <string.h>

#include "../base/util.h"
#include "../org/org.h"
#include "cycle_store.h"

/* The columns of a cycle, in cycle_from_row's order: its names come in
 * the same query, and the cycle it opened is the one naming it previous. */
#define CYCLE_COLUMNS \
	"c.id, c.kind, c.title, c.state, c.district_id, c.school_id, c.team_id, c.partner_id, " \
	"d.name, sc.name, tm.name, c.grade, c.template_id, c.session_id, ps.title, ps.on_date, " \
	"c.previous_id, (SELECT MIN(nx.id) FROM coaching_cycle nx WHERE nx.previous_id = c.id), " \
	"c.started_on, c.lesson_on, c.created_by, c.created_at, c.updated_at, c.closed_at "

#define CYCLE_FROM \
	"FROM coaching_cycle c JOIN org d ON d.id = c.district_id " \
	"LEFT JOIN org sc ON sc.id = c.school_id LEFT JOIN team tm ON tm.id = c.team_id " \
	"LEFT JOIN pl_session ps ON ps.id = c.session_id "

/* Whether person ME is a member of cycle c, or holds an active share of
 * it (of the whole cycle or of the stage column ST, when ST is given). */
#define IS_MEMBER(me) \
	"EXISTS (SELECT 1 FROM cycle_member im WHERE im.cycle_id = c.id " \
	" AND im.person_id = CAST(" me " AS BIGINT))"
#define HOLDS_SHARE(me) \
	"EXISTS (SELECT 1 FROM cycle_share ih WHERE ih.cycle_id = c.id " \
	" AND ih.person_id = CAST(" me " AS BIGINT) AND ih.revoked_at IS NULL)"
/* ... and of stage row QS's part: a classroom's enactment of a
 * collaborative cycle only under a share its own teacher made (as
 * cycle_part_readable decides). */
#define HOLDS_STAGE_SHARE(me, qs) \
	"EXISTS (SELECT 1 FROM cycle_share qh WHERE qh.cycle_id = c.id " \
	" AND qh.person_id = CAST(" me " AS BIGINT) AND qh.revoked_at IS NULL " \
	" AND (qh.stage IS NULL OR qh.stage = " qs ".stage) " \
	" AND (" qs ".stage <> 'enact' OR c.kind <> 'collaborative' OR qh.shared_by = " qs ".teacher_id))"

/* One word of a search ($W, a LIKE pattern or NULL): in the title, or in
 * an answer of a stage the asker ($1) may read. A share of one stage opens
 * that stage's answers to the search and no others. */
/* clang-format off */
#define Q_WORD(w) \
	"AND (CAST(" w " AS TEXT) IS NULL OR lower(c.title) LIKE lower(" w ") ESCAPE '\\' " \
	" OR EXISTS (SELECT 1 FROM cycle_stage qs JOIN cycle_answer qa ON qa.stage_id = qs.id " \
	"  WHERE qs.cycle_id = c.id AND lower(qa.value) LIKE lower(" w ") ESCAPE '\\' " \
	"  AND (" IS_MEMBER("$1") " OR " HOLDS_STAGE_SHARE("$1", "qs") "))) "
/* clang-format on */

enum {
	Q_WORDS = 4,     /* words of a search that count; more are ignored */
	LIST_MAX = 2000, /* cycles one list shows */
	ORG_SLOTS = 8    /* organizations one template query takes */
};

static sql_arg id_or_null(int64_t id)
{
	return id ? ARG_INT(id) : ARG_NULL;
}

/* A stage as the schema spells it, -1 for NULL or anything else. */
static int stage_of_text(const char *s)
{
	stage_kind st;
	return s && stage_parse(s, &st) ? (int)st : -1;
}

static void cycle_from_row(const store_rows *r, size_t i, coaching_cycle *c)
{
	size_t k = 0;
	*c = (coaching_cycle){0};
	c->id = rows_int(r, i, k++);
	if (!cycle_kind_parse(rows_get(r, i, k++), &c->kind)) c->kind = CYCLE_INDIVIDUAL;
	c->title = rows_get(r, i, k++);
	if (!cycle_state_parse(rows_get(r, i, k++), &c->state)) c->state = CYCLE_PLANNING;
	c->district_id = rows_int(r, i, k++);
	c->school_id = rows_int(r, i, k++);
	c->team_id = rows_int(r, i, k++);
	c->partner_id = rows_int(r, i, k++);
	c->district_name = rows_get(r, i, k++);
	c->school_name = rows_get(r, i, k++);
	c->team_name = rows_get(r, i, k++);
	c->grade = rows_get(r, i, k++);
	c->template_id = rows_int(r, i, k++);
	c->session_id = rows_int(r, i, k++);
	c->session_title = rows_get(r, i, k++);
	c->session_date = rows_get(r, i, k++);
	c->previous_id = rows_int(r, i, k++);
	c->next_id = rows_int(r, i, k++);
	c->started_on = rows_get(r, i, k++);
	c->lesson_on = rows_get(r, i, k++);
	c->created_by = rows_int(r, i, k++);
	c->created_at = rows_int(r, i, k++);
	c->updated_at = rows_int(r, i, k++);
	c->closed_at = rows_int(r, i, k++);
}

/* ---- members and shares, for one cycle or a whole list ---- */

/* Rows of members or shares, ordered by cycle, come with the cycle's id in
 * column 0; this finds the cycle each belongs to among those listed. */
typedef struct by_id {
	int64_t id;
	size_t at;
} by_id;

static int by_id_cmp(const void *x, const void *y)
{
	const by_id *a = x, *b = y;
	return (a->id > b->id) - (a->id < b->id);
}

static by_id *index_cycles(arena *a, const coaching_cycle *c, size_t n)
{
	by_id *ix = arena_calloc(a, n ? n : 1, sizeof *ix);
	for (size_t i = 0; i < n; i++) ix[i] = (by_id){c[i].id, i};
	qsort(ix, n, sizeof *ix, by_id_cmp);
	return ix;
}

/* The position of cycle id among the n indexed, or n when not there. */
static size_t find_cycle(const by_id *ix, size_t n, int64_t id)
{
	by_id key = {id, 0};
	const by_id *hit = n ? bsearch(&key, ix, n, sizeof *ix, by_id_cmp) : NULL;
	return hit ? hit->at : n;
}

/* Gives each cycle room for its rows: counts them per cycle first. */
static size_t *rows_per_cycle(arena *a, const store_rows *r, const by_id *ix, size_t n)
{
	size_t *count = arena_calloc(a, n + 1, sizeof *count);
	for (size_t i = 0; i < r->nrows; i++) count[find_cycle(ix, n, rows_int(r, i, 0))]++;
	return count;
}

/* Member rows: cycle id, person id, name, member role, first read, added
 * by. */
static void attach_members(arena *a, const store_rows *r, coaching_cycle *c, size_t n)
{
	by_id *ix = index_cycles(a, c, n);
	size_t *count = rows_per_cycle(a, r, ix, n);
	for (size_t i = 0; i < n; i++) {
		c[i].members = arena_calloc(a, count[i] + 1, sizeof *c[i].members);
		c[i].coaches = arena_calloc(a, count[i] + 1, sizeof *c[i].coaches);
		c[i].teachers = arena_calloc(a, count[i] + 1, sizeof *c[i].teachers);
		c[i].nmembers = c[i].ncoaches = c[i].nteachers = 0;
	}
	for (size_t k = 0; k < r->nrows; k++) {
		size_t i = find_cycle(ix, n, rows_int(r, k, 0));
		if (i == n) continue;
		cycle_member m = {.person_id = rows_int(r, k, 1),
				  .name = rows_get(r, k, 2),
				  .coach = str_eq(rows_get(r, k, 3), "coach"),
				  .read_yet = rows_get(r, k, 4) != NULL,
				  .added_by = rows_int(r, k, 5)};
		c[i].members[c[i].nmembers++] = m;
		if (m.coach) c[i].coaches[c[i].ncoaches++] = m.person_id;
		else c[i].teachers[c[i].nteachers++] = m.person_id;
	}
}

/* Share rows: cycle id, share id, person, name, shared by, name, stage,
 * created at. */
static void attach_shares(arena *a, const store_rows *r, coaching_cycle *c, size_t n)
{
	by_id *ix = index_cycles(a, c, n);
	size_t *count = rows_per_cycle(a, r, ix, n);
	for (size_t i = 0; i < n; i++) {
		c[i].shares = arena_calloc(a, count[i] + 1, sizeof *c[i].shares);
		c[i].shared_with = arena_calloc(a, count[i] + 1, sizeof *c[i].shared_with);
		c[i].nshares = c[i].nshared = 0;
	}
	for (size_t k = 0; k < r->nrows; k++) {
		size_t i = find_cycle(ix, n, rows_int(r, k, 0));
		if (i == n) continue;
		cycle_share sh = {.id = rows_int(r, k, 1),
				  .person_id = rows_int(r, k, 2),
				  .person_name = rows_get(r, k, 3),
				  .shared_by = rows_int(r, k, 4),
				  .shared_by_name = rows_get(r, k, 5),
				  .stage = stage_of_text(rows_get(r, k, 6)),
				  .created_at = rows_int(r, k, 7)};
		c[i].shares[c[i].nshares++] = sh;
		bool listed = false;
		for (size_t j = 0; j < c[i].nshared; j++) listed |= c[i].shared_with[j] == sh.person_id;
		if (!listed) c[i].shared_with[c[i].nshared++] = sh.person_id;
	}
}

#define MEMBER_COLUMNS \
	"SELECT m.cycle_id, m.person_id, p.name, m.member_role, m.first_read_at, m.added_by " \
	"FROM cycle_member m " \
	"JOIN person p ON p.id = m.person_id "
#define MEMBER_ORDER "ORDER BY m.cycle_id, m.member_role, p.name, p.id"
#define SHARE_COLUMNS \
	"SELECT sh.cycle_id, sh.id, sh.person_id, p.name, sh.shared_by, b.name, sh.stage, " \
	"sh.created_at FROM cycle_share sh JOIN person p ON p.id = sh.person_id " \
	"JOIN person b ON b.id = sh.shared_by "
#define SHARE_ORDER "ORDER BY sh.cycle_id, sh.created_at, sh.id"

store_rc cycle_get(store *s, arena *a, int64_t id, coaching_cycle *out, bool *found)
{
	static const char cycle_sql[] = "SELECT " CYCLE_COLUMNS CYCLE_FROM "WHERE c.id = $1";
	static const char members_sql[] = MEMBER_COLUMNS "WHERE m.cycle_id = $1 " MEMBER_ORDER;
	/* clang-format off */
	static const char shares_sql[] =
		SHARE_COLUMNS "WHERE sh.cycle_id = $1 AND sh.revoked_at IS NULL " SHARE_ORDER;
	/* clang-format on */
	sql_arg args[] = {ARG_INT(id)};
	store_rows r;
	store_rc rc = store_query(s, a, cycle_sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*found = r.nrows == 1;
	if (!*found) return STORE_OK;
	cycle_from_row(&r, 0, out);
	if ((rc = store_query(s, a, members_sql, args, COUNT_OF(args), &r)) != STORE_OK) return rc;
	attach_members(a, &r, out, 1);
	if ((rc = store_query(s, a, shares_sql, args, COUNT_OF(args), &r)) != STORE_OK) return rc;
	attach_shares(a, &r, out, 1);
	return STORE_OK;
}

/* The search's first Q_WORDS words as LIKE patterns, NULL for the rest. */
static void q_word_args(arena *a, const char *q, sql_arg *args)
{
	for (size_t i = 0; i < Q_WORDS; i++) args[i] = ARG_NULL;
	if (!q) return;
	char *text = arena_strdup(a, q), *save = NULL;
	size_t k = 0;
	for (char *w = strtok_r(text, " \t\r\n", &save); w && k < Q_WORDS;
	     w = strtok_r(NULL, " \t\r\n", &save))
		args[k++] = ARG_TEXT(like_contains(a, w));
}

/* Members and shares of the listed cycles, one query each: those of the
 * asker's cycles within the list's range of ids, matched up by id. */
static store_rc list_people(store *s, arena *a, int64_t actor_id, coaching_cycle *c, size_t n)
{
	/* clang-format off */
	static const char members_sql[] =
		MEMBER_COLUMNS "WHERE m.cycle_id BETWEEN $2 AND $3 AND m.cycle_id IN ("
		" SELECT am.cycle_id FROM cycle_member am WHERE am.person_id = $1"
		" UNION SELECT ah.cycle_id FROM cycle_share ah WHERE ah.person_id = $1"
		" AND ah.revoked_at IS NULL) " MEMBER_ORDER;
	/* clang-format on */
	/* clang-format off */
	static const char shares_sql[] =
		SHARE_COLUMNS "WHERE sh.revoked_at IS NULL AND sh.cycle_id BETWEEN $2 AND $3 "
		"AND sh.cycle_id IN ("
		" SELECT am.cycle_id FROM cycle_member am WHERE am.person_id = $1"
		" UNION SELECT ah.cycle_id FROM cycle_share ah WHERE ah.person_id = $1"
		" AND ah.revoked_at IS NULL) " SHARE_ORDER;
	/* clang-format on */
	if (!n) return STORE_OK;
	int64_t lo = c[0].id, hi = c[0].id;
	for (size_t i = 1; i < n; i++) {
		if (c[i].id < lo) lo = c[i].id;
		if (c[i].id > hi) hi = c[i].id;
	}
	sql_arg args[] = {ARG_INT(actor_id), ARG_INT(lo), ARG_INT(hi)};
	store_rows r;
	store_rc rc = store_query(s, a, members_sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	attach_members(a, &r, c, n);
	if ((rc = store_query(s, a, shares_sql, args, COUNT_OF(args), &r)) != STORE_OK) return rc;
	attach_shares(a, &r, c, n);
	return STORE_OK;
}

store_rc cycle_list(store *s, arena *a, int64_t actor_id, const cycle_filter *f, coaching_cycle **out,
		    size_t *n)
{
	/* clang-format off */
	static const char sql[] =
		"SELECT " CYCLE_COLUMNS CYCLE_FROM
		"WHERE (" IS_MEMBER("$1") " OR " HOLDS_SHARE("$1") ") "
		"AND (CAST($2 AS BIGINT) IS NULL OR EXISTS (SELECT 1 FROM cycle_member ft "
		" WHERE ft.cycle_id = c.id AND ft.person_id = CAST($2 AS BIGINT) "
		" AND ft.member_role = 'teacher')) "
		"AND (CAST($3 AS BIGINT) IS NULL OR EXISTS (SELECT 1 FROM cycle_member fc "
		" WHERE fc.cycle_id = c.id AND fc.person_id = CAST($3 AS BIGINT) "
		" AND fc.member_role = 'coach')) "
		"AND (CAST($4 AS TEXT) IS NULL OR c.state = CAST($4 AS TEXT)) "
		Q_WORD("$5") Q_WORD("$6") Q_WORD("$7") Q_WORD("$8")
		"ORDER BY COALESCE(c.lesson_on, c.started_on) DESC, c.id DESC LIMIT $9";
	/* clang-format on */
	sql_arg args[9] = {ARG_INT(actor_id), id_or_null(f ? f->teacher_id : 0),
			   id_or_null(f ? f->coach_id : 0), ARG_NULL};
	if (f && f->state >= 0 && f->state < CYCLE_STATE_COUNT)
		args[3] = ARG_TEXT(cycle_state_name((cycle_state)f->state));
	q_word_args(a, f ? f->q : NULL, &args[4]);
	args[8] = ARG_INT(LIST_MAX);
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	coaching_cycle *c = arena_calloc(a, r.nrows ? r.nrows : 1, sizeof *c);
	for (size_t i = 0; i < r.nrows; i++) cycle_from_row(&r, i, &c[i]);
	if ((rc = list_people(s, a, actor_id, c, r.nrows)) != STORE_OK) return rc;
	*out = c;
	*n = r.nrows;
	return STORE_OK;
}

/* ---- stages and what hangs off them ---- */

store_rc cycle_stages_get(store *s, arena *a, int64_t cycle_id, cycle_stage **out, size_t *n)
{
	static const char stages_sql[] =
		"SELECT s.id, s.cycle_id, s.stage, s.teacher_id, t.name, s.complete, s.minutes, "
		"s.version, s.updated_by, u.name, s.updated_at, s.completed_at "
		"FROM cycle_stage s LEFT JOIN person t ON t.id = s.teacher_id "
		"LEFT JOIN person u ON u.id = s.updated_by WHERE s.cycle_id = $1 "
		"ORDER BY CASE s.stage WHEN 'plan' THEN 0 WHEN 'enact' THEN 1 ELSE 2 END, "
		"t.name, s.id";
	static const char answers_sql[] = "SELECT a.stage_id, a.field, a.value FROM cycle_answer a "
					  "JOIN cycle_stage s ON s.id = a.stage_id WHERE s.cycle_id = $1 "
					  "ORDER BY a.stage_id, a.field";
	sql_arg args[] = {ARG_INT(cycle_id)};
	store_rows r, ans;
	store_rc rc = store_query(s, a, stages_sql, args, COUNT_OF(args), &r);
	if (rc == STORE_OK) rc = store_query(s, a, answers_sql, args, COUNT_OF(args), &ans);
	if (rc != STORE_OK) return rc;
	cycle_stage *st = arena_calloc(a, r.nrows ? r.nrows : 1, sizeof *st);
	for (size_t i = 0; i < r.nrows; i++) {
		int kind = stage_of_text(rows_get(&r, i, 2));
		st[i] = (cycle_stage){.id = rows_int(&r, i, 0),
				      .cycle_id = rows_int(&r, i, 1),
				      .stage = kind < 0 ? STAGE_PLAN : (stage_kind)kind,
				      .teacher_id = rows_int(&r, i, 3),
				      .teacher_name = rows_get(&r, i, 4),
				      .complete = rows_int(&r, i, 5) == 1,
				      .minutes = rows_int(&r, i, 6),
				      .version = rows_int(&r, i, 7),
				      .updated_by = rows_int(&r, i, 8),
				      .updated_by_name = rows_get(&r, i, 9),
				      .updated_at = rows_int(&r, i, 10),
				      .completed_at = rows_int(&r, i, 11)};
		st[i].answers = arena_calloc(a, ans.nrows + 1, sizeof *st[i].answers);
	}
	/* A cycle has a handful of stages: a look through them is enough. */
	for (size_t k = 0; k < ans.nrows; k++) {
		int64_t stage_id = rows_int(&ans, k, 0);
		for (size_t i = 0; i < r.nrows; i++)
			if (st[i].id == stage_id)
				st[i].answers[st[i].nanswers++] =
					(cycle_answer){rows_get(&ans, k, 1), rows_get(&ans, k, 2)};
	}
	*out = st;
	*n = r.nrows;
	return STORE_OK;
}

store_rc cycle_notes_get(store *s, arena *a, int64_t stage_id, cycle_note **out, size_t *n)
{
	static const char sql[] = "SELECT n.id, n.stage_id, n.author_id, p.name, n.taken_at, n.tag, n.body "
				  "FROM cycle_note n LEFT JOIN person p ON p.id = n.author_id "
				  "WHERE n.stage_id = $1 ORDER BY n.taken_at, n.id";
	sql_arg args[] = {ARG_INT(stage_id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	cycle_note *notes = arena_calloc(a, r.nrows ? r.nrows : 1, sizeof *notes);
	for (size_t i = 0; i < r.nrows; i++)
		notes[i] = (cycle_note){.id = rows_int(&r, i, 0),
					.stage_id = rows_int(&r, i, 1),
					.author_id = rows_int(&r, i, 2),
					.author_name = rows_get(&r, i, 3),
					.taken_at = rows_int(&r, i, 4),
					.tag = rows_get(&r, i, 5),
					.body = rows_get(&r, i, 6)};
	*out = notes;
	*n = r.nrows;
	return STORE_OK;
}

store_rc cycle_tallies_get(store *s, arena *a, int64_t stage_id, cycle_tally **out, size_t *n)
{
	sql_arg args[] = {ARG_INT(stage_id)};
	store_rows r;
	store_rc rc = store_query(s, a,
				  "SELECT stage_id, label, count FROM cycle_tally WHERE stage_id = $1 "
				  "ORDER BY label",
				  args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	cycle_tally *t = arena_calloc(a, r.nrows ? r.nrows : 1, sizeof *t);
	for (size_t i = 0; i < r.nrows; i++)
		t[i] = (cycle_tally){rows_int(&r, i, 0), rows_get(&r, i, 1), rows_int(&r, i, 2)};
	*out = t;
	*n = r.nrows;
	return STORE_OK;
}

#define FILE_SELECT \
	"SELECT f.id, f.stage_id, s.cycle_id, s.stage, f.title, f.file_path, f.content_type, " \
	"f.size_bytes, f.created_by, f.created_at, p.name, s.teacher_id FROM cycle_file f " \
	"JOIN cycle_stage s ON s.id = f.stage_id LEFT JOIN person p ON p.id = f.created_by "

static void file_from_row(const store_rows *r, size_t i, cycle_file *f)
{
	int kind = stage_of_text(rows_get(r, i, 3));
	*f = (cycle_file){.id = rows_int(r, i, 0),
			  .stage_id = rows_int(r, i, 1),
			  .cycle_id = rows_int(r, i, 2),
			  .stage = kind < 0 ? STAGE_ENACT : (stage_kind)kind,
			  .title = rows_get(r, i, 4),
			  .file_name = rows_get(r, i, 5),
			  .content_type = rows_get(r, i, 6),
			  .size_bytes = rows_int(r, i, 7),
			  .created_by = rows_int(r, i, 8),
			  .created_at = rows_int(r, i, 9),
			  .created_by_name = rows_get(r, i, 10),
			  .classroom = rows_int(r, i, 11)};
}

store_rc cycle_files_get(store *s, arena *a, int64_t cycle_id, cycle_file **out, size_t *n)
{
	static const char sql[] = FILE_SELECT "WHERE s.cycle_id = $1 ORDER BY f.created_at, f.id";
	sql_arg args[] = {ARG_INT(cycle_id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	cycle_file *f = arena_calloc(a, r.nrows ? r.nrows : 1, sizeof *f);
	for (size_t i = 0; i < r.nrows; i++) file_from_row(&r, i, &f[i]);
	*out = f;
	*n = r.nrows;
	return STORE_OK;
}

store_rc cycle_file_get(store *s, arena *a, int64_t cycle_id, int64_t id, cycle_file *out, bool *found)
{
	static const char sql[] = FILE_SELECT "WHERE s.cycle_id = $1 AND f.id = $2";
	sql_arg args[] = {ARG_INT(cycle_id), ARG_INT(id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*found = r.nrows == 1;
	if (*found) file_from_row(&r, 0, out);
	return STORE_OK;
}

store_rc cycle_history_get(store *s, arena *a, int64_t cycle_id, cycle_event **out, size_t *n)
{
	static const char sql[] =
		"SELECT e.at, e.person_id, p.name, e.what, e.detail FROM cycle_event e "
		"LEFT JOIN person p ON p.id = e.person_id WHERE e.cycle_id = $1 ORDER BY e.at, e.id";
	sql_arg args[] = {ARG_INT(cycle_id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	cycle_event *e = arena_calloc(a, r.nrows ? r.nrows : 1, sizeof *e);
	for (size_t i = 0; i < r.nrows; i++)
		e[i] = (cycle_event){rows_int(&r, i, 0), rows_int(&r, i, 1), rows_get(&r, i, 2),
				     rows_get(&r, i, 3), rows_get(&r, i, 4)};
	*out = e;
	*n = r.nrows;
	return STORE_OK;
}

/* ---- templates ---- */

static int template_cmp(const void *x, const void *y)
{
	const cycle_template *a = x, *b = y;
	int by_name = strcmp(a->name ? a->name : "", b->name ? b->name : "");
	return by_name ? by_name : (a->id > b->id) - (a->id < b->id);
}

static void template_from_row(const store_rows *r, size_t i, cycle_template *t)
{
	*t = (cycle_template){.id = rows_int(r, i, 0),
			      .org_id = rows_int(r, i, 1),
			      .org_name = rows_get(r, i, 2),
			      .name = rows_get(r, i, 3),
			      .active = rows_int(r, i, 4) == 1};
}

#define TEMPLATE_SELECT \
	"SELECT t.id, t.org_id, o.name, t.name, t.active FROM cycle_template t " \
	"JOIN org o ON o.id = t.org_id "

/* The orgs go ORG_SLOTS at a time (unused slots 0, which no org has), so
 * the statement stays one; several batches are sorted together after. */
store_rc cycle_template_list(store *s, arena *a, const int64_t *org_ids, size_t norgs, bool with_retired,
			     cycle_template **out, size_t *n)
{
	/* clang-format off */
	static const char sql[] =
		TEMPLATE_SELECT "WHERE t.active >= $9 AND t.org_id IN ($1, $2, $3, $4, $5, $6, $7, $8) "
		"ORDER BY t.name, t.id";
	/* clang-format on */
	size_t cap = 16, got = 0;
	cycle_template *t = arena_calloc(a, cap, sizeof *t);
	for (size_t from = 0; from < norgs; from += ORG_SLOTS) {
		sql_arg args[ORG_SLOTS + 1];
		for (size_t k = 0; k < ORG_SLOTS; k++)
			args[k] = ARG_INT(from + k < norgs ? org_ids[from + k] : 0);
		args[ORG_SLOTS] = ARG_INT(with_retired ? 0 : 1);
		store_rows r;
		store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
		if (rc != STORE_OK) return rc;
		if (got + r.nrows > cap) {
			cycle_template *more = arena_calloc(a, cap = 2 * (got + r.nrows), sizeof *more);
			memcpy(more, t, got * sizeof *t);
			t = more;
		}
		for (size_t i = 0; i < r.nrows; i++) template_from_row(&r, i, &t[got++]);
	}
	if (norgs > ORG_SLOTS) qsort(t, got, sizeof *t, template_cmp);
	*out = t;
	*n = got;
	return STORE_OK;
}

store_rc cycle_template_get(store *s, arena *a, int64_t id, cycle_template *out, bool *found)
{
	if (id == 0) {
		cycle_template_default(out);
		*found = true;
		return STORE_OK;
	}
	static const char prompts_sql[] =
		"SELECT stage, field, label, help FROM cycle_template_prompt WHERE template_id = $1 "
		"ORDER BY CASE stage WHEN 'plan' THEN 0 WHEN 'enact' THEN 1 ELSE 2 END, position, field";
	sql_arg args[] = {ARG_INT(id)};
	store_rows r;
	store_rc rc = store_query(s, a, TEMPLATE_SELECT "WHERE t.id = $1", args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*found = r.nrows == 1;
	if (!*found) return STORE_OK;
	template_from_row(&r, 0, out);
	if ((rc = store_query(s, a, prompts_sql, args, COUNT_OF(args), &r)) != STORE_OK) return rc;
	out->prompts = arena_calloc(a, r.nrows ? r.nrows : 1, sizeof *out->prompts);
	for (size_t i = 0; i < r.nrows; i++) {
		int st = stage_of_text(rows_get(&r, i, 0));
		if (st < 0) continue; /* the schema's CHECK keeps these out */
		out->prompts[out->nprompts++] = (cycle_prompt){(stage_kind)st, rows_get(&r, i, 1),
							       rows_get(&r, i, 2), rows_get(&r, i, 3)};
	}
	return STORE_OK;
}

/* ---- sharing ---- */

store_rc cycle_share_candidates(store *s, arena *a, const coaching_cycle *c, cycle_member **out, size_t *n)
{
	static const char sql[] =
		"SELECT p.id, p.name FROM person p JOIN person_role r ON r.person_id = p.id "
		"WHERE p.active = 1 AND r.active = 1 AND r.org_id IN ($1, $2) "
		"AND NOT EXISTS (SELECT 1 FROM cycle_member m WHERE m.cycle_id = $3 "
		" AND m.person_id = p.id) "
		"GROUP BY p.id, p.name ORDER BY p.name, p.id";
	sql_arg args[] = {ARG_INT(c->school_id), ARG_INT(c->district_id), ARG_INT(c->id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	cycle_member *m = arena_calloc(a, r.nrows ? r.nrows : 1, sizeof *m);
	for (size_t i = 0; i < r.nrows; i++)
		m[i] = (cycle_member){.person_id = rows_int(&r, i, 0), .name = rows_get(&r, i, 1)};
	*out = m;
	*n = r.nrows;
	return STORE_OK;
}

/* ---- what the leaders' report counts ---- */

/* The statements migration 008 runs for every cycle at once; each reads
 * what the one before it wrote. The day is the number YYYYMMDD. */
store_rc cycle_counts_keep(store *s, arena *a, int64_t cycle_id)
{
	static const char totals_sql[] =
		"UPDATE coaching_cycle SET "
		"held_day = CAST(replace(COALESCE(lesson_on, started_on), '-', '') AS BIGINT), "
		"held_month = CAST(replace(COALESCE(lesson_on, started_on), '-', '') AS BIGINT) / 100, "
		"plans_done = (SELECT COUNT(*) FROM cycle_stage s WHERE s.cycle_id = coaching_cycle.id "
		" AND s.stage = 'plan' AND s.complete = 1), "
		"enactments_done = (SELECT COUNT(*) FROM cycle_stage s WHERE s.cycle_id = coaching_cycle.id "
		" AND s.stage = 'enact' AND s.complete = 1), "
		"reflections_done = (SELECT COUNT(*) FROM cycle_stage s WHERE s.cycle_id = coaching_cycle.id "
		" AND s.stage = 'reflect' AND s.complete = 1), "
		"minutes = (SELECT CAST(COALESCE(SUM(s.minutes), 0) AS BIGINT) FROM cycle_stage s "
		" WHERE s.cycle_id = coaching_cycle.id) "
		"WHERE id = $1";
	static const char members_sql[] =
		"UPDATE cycle_member SET (district_id, school_id, grade, held_day) = "
		"(SELECT c.district_id, c.school_id, c.grade, c.held_day FROM coaching_cycle c "
		" WHERE c.id = cycle_member.cycle_id) WHERE cycle_id = $1";
	static const char focus_sql[] =
		"UPDATE cycle_focus SET (district_id, school_id, held_day) = "
		"(SELECT c.district_id, c.school_id, c.held_day FROM coaching_cycle c "
		" WHERE c.id = cycle_focus.cycle_id) WHERE cycle_id = $1";
	sql_arg args[] = {ARG_INT(cycle_id)};
	store_rc rc = store_query(s, a, totals_sql, args, COUNT_OF(args), NULL);
	if (rc == STORE_OK) rc = store_query(s, a, members_sql, args, COUNT_OF(args), NULL);
	if (rc == STORE_OK) rc = store_query(s, a, focus_sql, args, COUNT_OF(args), NULL);
	return rc;
}

store_rc cycle_members_add(store *s, arena *a, int64_t cycle_id, const int64_t *people, size_t n,
			   bool coaches, int64_t added_by, int64_t now)
{
	store_rc rc = STORE_OK;
	for (size_t i = 0; rc == STORE_OK && i < n; i++) {
		/* Whoever adds themselves has read what they started. */
		bool self = people[i] == added_by;
		sql_arg args[] = {ARG_INT(cycle_id), ARG_INT(people[i]),
				  ARG_TEXT(coaches ? "coach" : "teacher"),
				  added_by ? ARG_INT(added_by) : ARG_NULL, self ? ARG_INT(now) : ARG_NULL};
		rc = store_query(s, a,
				 "INSERT INTO cycle_member (cycle_id, person_id, member_role, added_by, "
				 "first_read_at) "
				 "VALUES ($1, $2, $3, $4, $5)",
				 args, COUNT_OF(args), NULL);
	}
	return rc;
}

store_rc cycle_member_first_read(store *s, arena *a, int64_t cycle_id, int64_t person, int64_t now)
{
	sql_arg args[] = {ARG_INT(cycle_id), ARG_INT(person), ARG_INT(now)};
	return store_query(
		s, a,
		"UPDATE cycle_member SET first_read_at = $3 WHERE cycle_id = $1 AND person_id = $2 "
		"AND first_read_at IS NULL",
		args, COUNT_OF(args), NULL);
}

store_rc cycle_coach_at(store *s, arena *a, int64_t person, int64_t school_id, int64_t district_id,
			const char **name)
{
	/* A coach role at the school or its district, or at a partner whose
	 * agreement the district accepted: the same reach may(CREATE,
	 * coaching) gives a coach to start a cycle there. */
	static const char sql[] =
		"SELECT p.name FROM person p WHERE p.id = $1 AND p.active = 1 AND EXISTS ("
		" SELECT 1 FROM person_role r JOIN org o ON o.id = r.org_id"
		" WHERE r.person_id = p.id AND r.active = 1 AND o.active = 1 AND r.role = 'coach'"
		" AND (o.id = $2 OR o.id = $3 OR o.id IN ("
		"  SELECT e.partner_id FROM partner_reach e WHERE e.district_id = $3)))";
	sql_arg args[] = {ARG_INT(person), ARG_INT(school_id), ARG_INT(district_id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	*name = rc == STORE_OK && r.nrows ? rows_get(&r, 0, 0) : NULL;
	return rc;
}

/* ---- writes: each inside the caller's transaction ---- */

store_rc cycle_history_add(store *s, arena *a, int64_t cycle_id, int64_t person_id, const char *what,
			   const char *detail, int64_t now)
{
	sql_arg ev[] = {ARG_INT(cycle_id), id_or_null(person_id), ARG_INT(now), ARG_TEXT(what),
			ARG_TEXT(detail ? detail : "")};
	store_rc rc = store_query(s, a,
				  "INSERT INTO cycle_event (cycle_id, person_id, at, what, detail) "
				  "VALUES ($1, $2, $3, $4, $5)",
				  ev, COUNT_OF(ev), NULL);
	return rc == STORE_OK ? cycle_touch(s, a, cycle_id, now) : rc;
}

store_rc cycle_touch(store *s, arena *a, int64_t cycle_id, int64_t now)
{
	sql_arg args[] = {ARG_INT(cycle_id), ARG_INT(now)};
	return store_query(s, a, "UPDATE coaching_cycle SET updated_at = $2 WHERE id = $1", args,
			   COUNT_OF(args), NULL);
}

store_rc cycle_insert(store *s, arena *a, const cycle_row *c, int64_t *id)
{
	sql_arg args[] = {ARG_TEXT(cycle_kind_name(c->kind)),
			  ARG_TEXT(c->title),
			  ARG_INT(c->district_id),
			  id_or_null(c->school_id),
			  id_or_null(c->team_id),
			  id_or_null(c->partner_id),
			  ARG_TEXT(c->grade),
			  id_or_null(c->template_id),
			  id_or_null(c->session_id),
			  id_or_null(c->previous_id),
			  ARG_TEXT(c->started_on),
			  ARG_INT(c->created_by),
			  ARG_INT(c->created_at)};
	store_rows r;
	store_rc rc = store_query(
		s, a,
		"INSERT INTO coaching_cycle (kind, title, state, district_id, school_id, team_id, "
		"partner_id, grade, template_id, session_id, previous_id, started_on, created_by, "
		"created_at, updated_at) VALUES ($1, $2, 'planning', $3, $4, $5, $6, $7, $8, $9, $10, "
		"$11, $12, $13, $13) RETURNING id",
		args, COUNT_OF(args), &r);
	*id = rc == STORE_OK && r.nrows ? rows_int(&r, 0, 0) : 0;
	return rc;
}

store_rc cycle_stage_insert(store *s, arena *a, int64_t cycle_id, stage_kind st, int64_t teacher,
			    const char *key, const char *value, int64_t by, int64_t now)
{
	/* A stage begins at version 0, or 1 when it starts with an answer. */
	bool answered = key && value && *value;
	sql_arg args[] = {ARG_INT(cycle_id),
			  ARG_TEXT(stage_name(st)),
			  id_or_null(teacher),
			  ARG_INT(answered ? 1 : 0),
			  answered ? id_or_null(by) : ARG_NULL,
			  answered ? ARG_INT(now) : ARG_NULL};
	store_rows r;
	store_rc rc =
		store_query(s, a,
			    "INSERT INTO cycle_stage (cycle_id, stage, teacher_id, version, updated_by, "
			    "updated_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
			    args, COUNT_OF(args), &r);
	if (rc != STORE_OK || !answered) return rc;
	return cycle_answer_save(s, a, r.nrows ? rows_int(&r, 0, 0) : 0, key, value);
}

store_rc cycle_stage_saved_by(store *s, arena *a, int64_t stage_id, const char **who, int64_t *at)
{
	sql_arg args[] = {ARG_INT(stage_id)};
	store_rows r;
	store_rc rc = store_query(s, a,
				  "SELECT p.name, s.updated_at FROM cycle_stage s "
				  "LEFT JOIN person p ON p.id = s.updated_by WHERE s.id = $1",
				  args, COUNT_OF(args), &r);
	*who = rc == STORE_OK && r.nrows ? rows_get(&r, 0, 0) : NULL;
	*at = rc == STORE_OK && r.nrows ? rows_int(&r, 0, 1) : 0;
	return rc;
}

store_rc cycle_stage_bump(store *s, arena *a, int64_t stage_id, int64_t version, int64_t by, int64_t now,
			  bool *saved)
{
	sql_arg args[] = {ARG_INT(stage_id), ARG_INT(version), ARG_INT(by), ARG_INT(now)};
	store_rc rc = store_query(s, a,
				  "UPDATE cycle_stage SET version = version + 1, updated_by = $3, "
				  "updated_at = $4 WHERE id = $1 AND version = $2",
				  args, COUNT_OF(args), NULL);
	*saved = rc == STORE_OK && store_changes(s) > 0;
	return rc;
}

store_rc cycle_answer_save(store *s, arena *a, int64_t stage_id, const char *key, const char *value)
{
	sql_arg k[] = {ARG_INT(stage_id), ARG_TEXT(key)};
	store_rc rc = store_query(s, a, "DELETE FROM cycle_answer WHERE stage_id = $1 AND field = $2", k,
				  COUNT_OF(k), NULL);
	if (rc != STORE_OK || !value || !*value) return rc;
	sql_arg args[] = {ARG_INT(stage_id), ARG_TEXT(key), ARG_TEXT(value)};
	return store_query(s, a, "INSERT INTO cycle_answer (stage_id, field, value) VALUES ($1, $2, $3)",
			   args, COUNT_OF(args), NULL);
}

store_rc cycle_focus_save(store *s, arena *a, int64_t cycle_id, const char *codes)
{
	sql_arg del[] = {ARG_INT(cycle_id)};
	store_rc rc =
		store_query(s, a, "DELETE FROM cycle_focus WHERE cycle_id = $1", del, COUNT_OF(del), NULL);
	char *list = arena_strdup(a, codes ? codes : ""), *save = NULL;
	for (char *code = strtok_r(list, " ,\n", &save); rc == STORE_OK && code;
	     code = strtok_r(NULL, " ,\n", &save)) {
		sql_arg args[] = {ARG_INT(cycle_id), ARG_TEXT(code)};
		rc = store_query(
			s, a,
			"INSERT INTO cycle_focus (cycle_id, code) VALUES ($1, $2) ON CONFLICT DO NOTHING",
			args, COUNT_OF(args), NULL);
	}
	return rc;
}

store_rc cycle_stage_minutes_save(store *s, arena *a, int64_t stage_id, int64_t minutes)
{
	sql_arg args[] = {ARG_INT(stage_id), ARG_INT(minutes)};
	return store_query(s, a, "UPDATE cycle_stage SET minutes = $2 WHERE id = $1", args, COUNT_OF(args),
			   NULL);
}

store_rc cycle_lesson_on_save(store *s, arena *a, int64_t cycle_id, const char *day)
{
	sql_arg args[] = {ARG_INT(cycle_id), day ? ARG_TEXT(day) : ARG_NULL};
	return store_query(s, a, "UPDATE coaching_cycle SET lesson_on = $2 WHERE id = $1", args,
			   COUNT_OF(args), NULL);
}

store_rc cycle_stage_complete_save(store *s, arena *a, int64_t stage_id, int64_t now)
{
	sql_arg args[] = {ARG_INT(stage_id), ARG_INT(now)};
	return store_query(
		s, a, "UPDATE cycle_stage SET complete = 1, completed_at = $2 WHERE id = $1 AND complete = 0",
		args, COUNT_OF(args), NULL);
}

store_rc cycle_state_save(store *s, arena *a, int64_t cycle_id, cycle_state state, bool set_closed,
			  int64_t closed_at)
{
	sql_arg args[] = {ARG_INT(cycle_id), ARG_TEXT(cycle_state_name(state)),
			  closed_at ? ARG_INT(closed_at) : ARG_NULL};
	if (set_closed)
		return store_query(s, a, "UPDATE coaching_cycle SET state = $2, closed_at = $3 WHERE id = $1",
				   args, COUNT_OF(args), NULL);
	return store_query(s, a, "UPDATE coaching_cycle SET state = $2 WHERE id = $1", args, 2, NULL);
}

store_rc cycle_note_insert(store *s, arena *a, const cycle_note *n, int64_t *id)
{
	sql_arg args[] = {ARG_INT(n->stage_id), ARG_INT(n->author_id), ARG_INT(n->taken_at), ARG_TEXT(n->tag),
			  ARG_TEXT(n->body)};
	store_rows r;
	store_rc rc = store_query(s, a,
				  "INSERT INTO cycle_note (stage_id, author_id, taken_at, tag, body) "
				  "VALUES ($1, $2, $3, $4, $5) RETURNING id",
				  args, COUNT_OF(args), &r);
	*id = rc == STORE_OK && r.nrows ? rows_int(&r, 0, 0) : 0;
	return rc;
}

store_rc cycle_note_author(store *s, arena *a, int64_t cycle_id, int64_t note_id, int64_t *author,
			   bool *found)
{
	sql_arg args[] = {ARG_INT(note_id), ARG_INT(cycle_id)};
	store_rows r;
	store_rc rc =
		store_query(s, a,
			    "SELECT n.author_id FROM cycle_note n JOIN cycle_stage s ON s.id = n.stage_id "
			    "WHERE n.id = $1 AND s.cycle_id = $2",
			    args, COUNT_OF(args), &r);
	*found = rc == STORE_OK && r.nrows == 1;
	*author = *found ? rows_int(&r, 0, 0) : 0;
	return rc;
}

store_rc cycle_note_delete(store *s, arena *a, int64_t note_id)
{
	sql_arg args[] = {ARG_INT(note_id)};
	return store_query(s, a, "DELETE FROM cycle_note WHERE id = $1", args, COUNT_OF(args), NULL);
}

store_rc cycle_plan_answer(store *s, arena *a, int64_t cycle_id, const char *key, const char **value)
{
	sql_arg args[] = {ARG_INT(cycle_id), ARG_TEXT(key)};
	store_rows r;
	store_rc rc =
		store_query(s, a,
			    "SELECT a.value FROM cycle_answer a JOIN cycle_stage s ON s.id = a.stage_id "
			    "WHERE s.cycle_id = $1 AND s.stage = 'plan' AND a.field = $2",
			    args, COUNT_OF(args), &r);
	*value = rc == STORE_OK && r.nrows ? rows_get(&r, 0, 0) : NULL;
	return rc;
}

store_rc cycle_tally_add(store *s, arena *a, int64_t stage_id, const char *label, int delta)
{
	sql_arg args[] = {ARG_INT(stage_id), ARG_TEXT(label), ARG_INT(delta)};
	store_rc rc = store_query(s, a,
				  "INSERT INTO cycle_tally (stage_id, label, count) VALUES ($1, $2, 0) "
				  "ON CONFLICT DO NOTHING",
				  args, 2, NULL);
	if (rc != STORE_OK) return rc;
	/* Never below zero. */
	return store_query(s, a,
			   "UPDATE cycle_tally SET count = CASE WHEN count + CAST($3 AS BIGINT) < 0 "
			   "THEN 0 ELSE count + CAST($3 AS BIGINT) END WHERE stage_id = $1 AND label = $2",
			   args, COUNT_OF(args), NULL);
}

store_rc cycle_session_save(store *s, arena *a, int64_t cycle_id, int64_t session_id)
{
	sql_arg args[] = {ARG_INT(cycle_id), id_or_null(session_id)};
	return store_query(s, a, "UPDATE coaching_cycle SET session_id = $2 WHERE id = $1", args,
			   COUNT_OF(args), NULL);
}

store_rc cycle_share_insert(store *s, arena *a, int64_t cycle_id, int stage, int64_t person_id,
			    int64_t shared_by, int64_t now, int64_t *id)
{
	sql_arg args[] = {ARG_INT(cycle_id), stage < 0 ? ARG_NULL : ARG_TEXT(stage_name((stage_kind)stage)),
			  ARG_INT(person_id), ARG_INT(shared_by), ARG_INT(now)};
	store_rows r;
	store_rc rc =
		store_query(s, a,
			    "INSERT INTO cycle_share (cycle_id, stage, person_id, shared_by, created_at) "
			    "VALUES ($1, $2, $3, $4, $5) RETURNING id",
			    args, COUNT_OF(args), &r);
	*id = rc == STORE_OK && r.nrows ? rows_int(&r, 0, 0) : 0;
	return rc;
}

store_rc cycle_share_revoke_save(store *s, arena *a, int64_t cycle_id, int64_t share_id, int64_t now)
{
	sql_arg args[] = {ARG_INT(share_id), ARG_INT(cycle_id), ARG_INT(now)};
	return store_query(s, a,
			   "UPDATE cycle_share SET revoked_at = $3 WHERE id = $1 AND cycle_id = $2 "
			   "AND revoked_at IS NULL",
			   args, COUNT_OF(args), NULL);
}

store_rc cycle_template_write(store *s, arena *a, const cycle_template *t, int64_t now, int64_t *id)
{
	store_rc rc;
	*id = t->id;
	if (!*id) {
		sql_arg args[] = {ARG_INT(t->org_id), ARG_TEXT(t->name), ARG_INT(now)};
		store_rows r;
		rc = store_query(s, a,
				 "INSERT INTO cycle_template (org_id, name, active, created_at, updated_at) "
				 "VALUES ($1, $2, 1, $3, $3) RETURNING id",
				 args, COUNT_OF(args), &r);
		if (rc == STORE_OK) *id = r.nrows ? rows_int(&r, 0, 0) : 0;
	} else {
		sql_arg args[] = {ARG_INT(*id), ARG_TEXT(t->name), ARG_INT(t->active ? 1 : 0), ARG_INT(now)};
		rc = store_query(
			s, a,
			"UPDATE cycle_template SET name = $2, active = $3, updated_at = $4 WHERE id = $1",
			args, COUNT_OF(args), NULL);
	}
	if (rc != STORE_OK) return rc;
	sql_arg del[] = {ARG_INT(*id)};
	rc = store_query(s, a, "DELETE FROM cycle_template_prompt WHERE template_id = $1", del, COUNT_OF(del),
			 NULL);
	int64_t position[STAGE_COUNT] = {0};
	for (size_t i = 0; rc == STORE_OK && i < t->nprompts; i++) {
		const cycle_prompt *pr = &t->prompts[i];
		sql_arg args[] = {ARG_INT(*id),
				  ARG_TEXT(stage_name(pr->stage)),
				  ARG_INT(position[pr->stage]++),
				  ARG_TEXT(pr->key),
				  ARG_TEXT(pr->label),
				  ARG_TEXT(pr->help && *pr->help ? pr->help : NULL)};
		rc = store_query(
			s, a,
			"INSERT INTO cycle_template_prompt (template_id, stage, position, field, label, "
			"help) VALUES ($1, $2, $3, $4, $5, $6)",
			args, COUNT_OF(args), NULL);
	}
	return rc;
}

store_rc cycle_teacher_at(store *s, arena *a, int64_t person, int64_t school_id, int64_t district_id,
			  const char **name)
{
	sql_arg args[] = {ARG_INT(person), ARG_INT(school_id), ARG_INT(district_id)};
	store_rows r;
	store_rc rc = store_query(s, a,
				  "SELECT p.name FROM person p WHERE p.id = $1 AND p.active = 1 AND EXISTS ("
				  " SELECT 1 FROM person_role r WHERE r.person_id = p.id AND r.active = 1"
				  " AND r.org_id IN ($2, $3))",
				  args, COUNT_OF(args), &r);
	*name = rc == STORE_OK && r.nrows ? rows_get(&r, 0, 0) : NULL;
	return rc;
}

store_rc cycle_file_insert(store *s, arena *a, const cycle_file *f, int64_t *id)
{
	sql_arg args[] = {ARG_INT(f->stage_id),      ARG_TEXT(f->title),     ARG_TEXT(f->file_name),
			  ARG_TEXT(f->content_type), ARG_INT(f->size_bytes), ARG_INT(f->created_by),
			  ARG_INT(f->created_at)};
	store_rows r;
	store_rc rc =
		store_query(s, a,
			    "INSERT INTO cycle_file (stage_id, title, file_path, content_type, size_bytes, "
			    "created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
			    args, COUNT_OF(args), &r);
	*id = rc == STORE_OK && r.nrows ? rows_int(&r, 0, 0) : 0;
	return rc;
}

store_rc cycle_file_delete(store *s, arena *a, int64_t file_id)
{
	sql_arg args[] = {ARG_INT(file_id)};
	return store_query(s, a, "DELETE FROM cycle_file WHERE id = $1", args, COUNT_OF(args), NULL);
}
