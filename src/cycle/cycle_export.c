/* Coaching-cycle pages: the export of a cycle as Markdown, of what the
 * asker may read, audited. */
#include <stdlib.h>
#include <string.h>

#include "../access/actor.h"
#include "../access/audit.h"
#include "../base/log.h"
#include "../base/util.h"
#include "../calendar/session.h"
#include "../html/html.h"
#include "../org/org.h"
#include "../people/people.h"
#include "../roster/roster.h"
#include "../team/team.h"
#include "../web/app.h"
#include "../web/change.h"
#include "cycle_pages.h"
#include "cycle_web.h"

/* Text as a Markdown block: each line indented as a quotation, so that
 * what a person wrote never turns into headings of the file. */
static void md_text(buf *out, const char *text)
{
	if (!text || !*text) {
		buf_puts(out, "_(empty)_\n\n");
		return;
	}
	buf_puts(out, "> ");
	for (const char *p = text; *p; p++) {
		if (*p == '\r') continue;
		buf_putc(out, *p);
		if (*p == '\n') buf_puts(out, "> ");
	}
	buf_puts(out, "\n\n");
}

static void md_stage(req *rq, buf *out, const cycle_stage *st, const cycle_template *t)
{
	const cycle_prompt **p;
	size_t np = cycle_template_stage(rq->a, t, st->stage, &p);
	buf_printf(out, "## %s\n\n%s", stage_title(rq->a, st), stage_status(st));
	if (st->version && st->updated_by_name)
		buf_printf(out, ", last saved by %s, %s", st->updated_by_name,
			   time_text_utc(rq->a, st->updated_at));
	buf_puts(out, "\n\n");
	for (size_t i = 0; i < np; i++) {
		buf_printf(out, "### %s\n\n", p[i]->label);
		md_text(out, answer_text(rq->a, st->stage, p[i]->key, stage_answer(st, p[i]->key)));
	}
}

/* What the export holds, read before it is written: the stages and
 * files, each enactment's notes and counts (by the stage's index), and
 * the history. */
typedef struct export_view {
	cycle_template template;
	cycle_stage *stages;
	size_t nstages;
	cycle_file *files;
	size_t nfiles;
	cycle_note **notes;
	size_t *nnotes;
	cycle_tally **tallies;
	size_t *ntallies;
	cycle_event *history; /* for members */
	size_t nhistory;
} export_view;

static void md_enactment(req *rq, buf *out, const cycle_note *notes, size_t nn, const cycle_tally *t,
			 size_t nt)
{
	if (nn) buf_puts(out, "### Notes\n\n");
	for (size_t i = 0; i < nn; i++) {
		buf_printf(out, "- %s", time_text_utc(rq->a, notes[i].taken_at));
		if (notes[i].tag)
			buf_printf(out, " [%s]",
				   note_tag_label(notes[i].tag) ? note_tag_label(notes[i].tag)
								: notes[i].tag);
		buf_printf(out, " %s", notes[i].author_name ? notes[i].author_name : "");
		if (notes[i].body && *notes[i].body) buf_puts(out, ": ");
		for (const char *p = notes[i].body ? notes[i].body : ""; *p; p++)
			buf_putc(out, *p == '\n' ? ' ' : *p);
		buf_puts(out, "\n");
	}
	if (nn) buf_puts(out, "\n");
	if (nt) buf_puts(out, "### Counts\n\n");
	for (size_t i = 0; i < nt; i++) buf_printf(out, "- %s: %lld\n", t[i].label, (long long)t[i].count);
	if (nt) buf_puts(out, "\n");
}

static void md_head(req *rq, buf *out, const coaching_cycle *c)
{
	buf_printf(out, "# %s\n\n", cycle_title(c));
	buf_printf(out, "- Kind: %s\n- Stands: %s\n- Teachers: %s\n- Coaches: %s\n", kind_label(c->kind),
		   cycle_state_label(c->state), cycle_people_text(rq->a, c, false),
		   cycle_people_text(rq->a, c, true));
	if (c->team_name) buf_printf(out, "- Team: %s\n", c->team_name);
	if (c->school_name) buf_printf(out, "- School: %s\n", c->school_name);
	if (c->grade) buf_printf(out, "- Grade: %s\n", c->grade);
	buf_printf(out, "- Started: %s\n", c->started_on ? c->started_on : "");
	if (c->lesson_on) buf_printf(out, "- Lesson: %s\n", c->lesson_on);
	buf_printf(out, "- Downloaded by %s, %s\n\n", rq->actor->name ? rq->actor->name : "",
		   time_text_utc(rq->a, now_unix()));
}

static void md_files(req *rq, buf *out, const coaching_cycle *c, const cycle_stage *st, size_t n,
		     const cycle_file *f, size_t nf)
{
	size_t shown = 0;
	for (size_t i = 0; i < nf; i++) {
		if (!cycle_part_readable(c, actor_id(rq), f[i].stage, f[i].classroom)) continue;
		if (!shown++) buf_puts(out, "## Files\n\n");
		const cycle_stage *of = stage_by_id(st, n, f[i].stage_id);
		buf_printf(out, "- %s (%s, %s, %s)\n", f[i].title, of ? stage_title(rq->a, of) : "",
			   file_kind(f[i].content_type), size_text(rq->a, f[i].size_bytes));
	}
	if (shown) buf_puts(out, "\n");
}

static void md_history(req *rq, buf *out, const cycle_event *ev, size_t n)
{
	if (!n) return;
	buf_puts(out, "## History\n\n");
	for (size_t i = 0; i < n; i++)
		buf_printf(out, "- %s, %s: %s%s%s%s\n", time_text_utc(rq->a, ev[i].at),
			   ev[i].person_name ? ev[i].person_name : "", event_what(rq->a, ev[i].what),
			   ev[i].detail && *ev[i].detail ? " (" : "", ev[i].detail ? ev[i].detail : "",
			   ev[i].detail && *ev[i].detail ? ")" : "");
	buf_puts(out, "\n");
}

/* The notes and counts of the enactments the asker may read. */
static store_rc enactments_load(req *rq, const coaching_cycle *c, export_view *v)
{
	size_t n = v->nstages;
	v->notes = arena_calloc(rq->a, n + 1, sizeof *v->notes);
	v->nnotes = arena_calloc(rq->a, n + 1, sizeof *v->nnotes);
	v->tallies = arena_calloc(rq->a, n + 1, sizeof *v->tallies);
	v->ntallies = arena_calloc(rq->a, n + 1, sizeof *v->ntallies);
	store_rc rc = STORE_OK;
	for (size_t i = 0; i < n && rc == STORE_OK; i++) {
		const cycle_stage *st = &v->stages[i];
		if (st->stage != STAGE_ENACT || !cycle_stage_readable(c, actor_id(rq), st)) continue;
		rc = cycle_notes_get(rq->db, rq->a, st->id, &v->notes[i], &v->nnotes[i]);
		if (rc == STORE_OK)
			rc = cycle_tallies_get(rq->db, rq->a, st->id, &v->tallies[i], &v->ntallies[i]);
	}
	return rc;
}

static store_rc export_load(req *rq, const coaching_cycle *c, export_view *v)
{
	*v = (export_view){0};
	if (!template_of(rq, c, &v->template)) return STORE_ERROR;
	store_rc rc = cycle_stages_get(rq->db, rq->a, c->id, &v->stages, &v->nstages);
	if (rc == STORE_OK) rc = cycle_files_get(rq->db, rq->a, c->id, &v->files, &v->nfiles);
	if (rc == STORE_OK) rc = enactments_load(rq, c, v);
	if (rc == STORE_OK && cycle_is_member(c, actor_id(rq)))
		rc = cycle_history_get(rq->db, rq->a, c->id, &v->history, &v->nhistory);
	return rc;
}

/* The file, from what the asker may read only; the stage ids exported
 * for the audit entry. */
static void export_write(req *rq, const coaching_cycle *c, const export_view *v, buf *out,
			 const char **stage_ids)
{
	md_head(rq, out, c);
	*stage_ids = "";
	for (size_t i = 0; i < v->nstages; i++) {
		const cycle_stage *st = &v->stages[i];
		if (!cycle_stage_readable(c, actor_id(rq), st)) continue;
		*stage_ids = arena_printf(rq->a, "%s%s%lld", *stage_ids, **stage_ids ? " " : "",
					  (long long)st->id);
		md_stage(rq, out, st, &v->template);
		if (st->stage == STAGE_ENACT)
			md_enactment(rq, out, v->notes[i], v->nnotes[i], v->tallies[i], v->ntallies[i]);
	}
	md_files(rq, out, c, v->stages, v->nstages, v->files, v->nfiles);
	md_history(rq, out, v->history, v->nhistory);
}

/* The audit entry first, in its own transaction: an export that cannot be
 * recorded is not handed out. */
static bool audit_export(req *rq, resp *rs, const coaching_cycle *c, const char *stage_ids)
{
	audit_event ev = {"coaching.export", record_kind_name(REC_COACHING), c->id,
			  c->district_id ? c->district_id : c->partner_id,
			  arena_printf(rq->a, "stages %s", *stage_ids ? stage_ids : "none")};
	if (store_begin(rq->db) != STORE_OK) {
		resp_store_failed(rq, rs);
		return false;
	}
	if (audit_record(rq->db, rq->actor, rq->remote, &ev) != STORE_OK ||
	    store_commit(rq->db) != STORE_OK) {
		log_line("store: %s %s: %s", rq->method, rq->path, store_errmsg(rq->db));
		store_rollback(rq->db);
		resp_store_failed(rq, rs);
		return false;
	}
	return true;
}

/*
** GET /cycles/{id}/export
** The cycle as a Markdown file: the stages the asker may read with their
** answers, the enactments' notes and counts, the files' names, and (for
** members) the history. Audited as coaching.export (ids only).
** Permissions: may(EXPORT, coaching) (members), or a share: a share
** holder exports what they may read.
*/
void page_cycle_export(req *rq, resp *rs)
{
	coaching_cycle c;
	if (!cycle_load(rq, rs, &c)) return;
	if (!may_cycle(rq, ACT_EXPORT, &c) && !cycle_share_for(&c, actor_id(rq))) {
		resp_error(rq, rs, 403, "forbidden", "you may not download this cycle", NULL);
		return;
	}
	export_view v;
	if (export_load(rq, &c, &v) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	buf out = BUF_INIT;
	const char *stage_ids = "";
	export_write(rq, &c, &v, &out, &stage_ids);
	if (!audit_export(rq, rs, &c, stage_ids)) {
		buf_free(&out);
		return;
	}
	buf_free(&rs->body);
	rs->body = out;
	rs->status = 200;
	rs->content_type = "text/markdown; charset=utf-8";
	resp_header_add(
		rs, "Content-Disposition",
		arena_printf(rq->a, "attachment; filename=\"coaching-cycle-%lld.md\"", (long long)c.id));
	resp_header_add(rs, "Cache-Control", "private, no-store");
}
