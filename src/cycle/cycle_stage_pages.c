/* Coaching-cycle pages: a stage with its editor, the enactment's note
 * taker and tallies, and its evidence files. */
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

enum {
	PICKER_PAGES_MAX = 40, /* pages of people one picker reads at most */
	CLASS_CHOICES_MAX = 200
};

/* The stage named by {sid} of c when the asker may read it, the read on
 * record; else 404, the same answer as for a stage that does not exist,
 * the refusal on record. */
static bool stage_load(req *rq, resp *rs, const coaching_cycle *c, cycle_stage **all, size_t *n,
		       const cycle_stage **st)
{
	int64_t sid;
	if (!param_id(rq, rs, "sid", &sid)) return false;
	if (cycle_stages_get(rq->db, rq->a, c->id, all, n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return false;
	}
	*st = stage_by_id(*all, *n, sid);
	if (!*st) {
		resp_error(rq, rs, 404, "not_found", "there is no such stage", NULL);
		return false;
	}
	return cycle_read_on_record(rq, rs, c, arena_printf(rq->a, "stage %lld", (long long)sid),
				    cycle_stage_readable(c, actor_id(rq), *st));
}

/* The prompts of c's template, the default when it has none (or it is
 * gone). */
bool template_of(req *rq, const coaching_cycle *c, cycle_template *t)
{
	bool found = false;
	if (cycle_template_get(rq->db, rq->a, c->template_id, t, &found) != STORE_OK) return false;
	if (!found) cycle_template_default(t);
	return true;
}

/* What the stage page shows besides the stored stage: a failed save's
 * values and errors, a conflict, a failed note or file. */
typedef struct stage_view {
	int status;
	const cycle_answer *values; /* the person's unsaved answers; NULL: the stored ones */
	size_t nvalues;
	int64_t version;           /* the version the form names */
	const char *conflict;      /* a 409's message */
	const cycle_stage *theirs; /* what the other person saved, after a 409 */
	form_errors answer_errors, note_errors, file_errors;
} stage_view;

/* What the stage page reads before it is written: the prompts of its
 * template, the classes a class field offers, the cycle's files, and an
 * enactment's notes and counts. */
typedef struct stage_contents {
	const cycle_prompt **prompts;
	size_t nprompts;
	form_option *classes; /* "Not chosen" first; none: nclasses 0 */
	size_t nclasses;
	cycle_note *notes; /* newest first */
	size_t nnotes;
	cycle_tally *tallies;
	size_t ntallies;
	cycle_file *files;
	size_t nfiles;
} stage_contents;

static const char *value_of(const cycle_answer *v, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (str_eq(v[i].key, key)) return v[i].value;
	return NULL;
}

/* A class picker of the classes the asker may read that the stage's
 * teacher (or the cycle's teachers) teach; *count 0 when there are none. */
static store_rc class_choices(req *rq, const coaching_cycle *c, const cycle_stage *st, form_option **out,
			      size_t *count)
{
	visibility v;
	policy_visibility(rq->actor, ACT_READ, REC_CLASS, &v);
	class_filter f = {.all = v.all || v.overflow,
			  .districts = v.districts,
			  .ndistricts = v.ndistricts,
			  .orgs = v.orgs,
			  .norgs = v.norgs,
			  .member = v.member || v.self ? actor_id(rq) : 0,
			  .school_id = c->school_id,
			  .limit = CLASS_CHOICES_MAX};
	class_row *rows;
	size_t n;
	bool more;
	*out = NULL;
	*count = 0;
	store_rc rc = class_list(rq->db, rq->a, &f, &rows, &n, &more);
	if (rc != STORE_OK) return rc;
	*out = arena_calloc(rq->a, n + 2, sizeof **out);
	size_t k = 0;
	(*out)[k++] = (form_option){"", "Not chosen"};
	for (size_t i = 0; i < n; i++) {
		place pl = {.org_id = rows[i].school_id, .district_id = rows[i].district_id};
		record r = {.kind = REC_CLASS,
			    .places = &pl,
			    .nplaces = 1,
			    .teachers = rows[i].teacher_ids,
			    .nteachers = rows[i].nteachers};
		bool theirs = false;
		for (size_t t = 0; t < rows[i].nteachers; t++)
			theirs |= st->teacher_id ? rows[i].teacher_ids[t] == st->teacher_id
						 : id_in(c->teachers, c->nteachers, rows[i].teacher_ids[t]);
		if (!theirs || !may(rq->actor, ACT_READ, &r)) continue;
		(*out)[k++] = (form_option){
			id_text(rq->a, rows[i].id),
			rows[i].term ? arena_printf(rq->a, "%s (%s)", rows[i].title, rows[i].term)
				     : rows[i].title};
	}
	*count = k > 1 ? k : 0;
	return STORE_OK;
}

static void class_field(req *rq, buf *b, const stage_contents *sc, const cycle_prompt *p, const char *value,
			const char *help, const form_errors *e)
{
	const form_option *o = sc->classes;
	size_t n = sc->nclasses;
	if (!n) {
		form_input(b, "number", p->key, p->label, value, false,
			   help ? help : "the class's number in the roster", e);
		return;
	}
	bool listed = !value || !*value;
	for (size_t i = 0; i < n; i++) listed |= str_eq(o[i].value, value);
	if (!listed) {
		form_option *more = arena_calloc(rq->a, n + 1, sizeof *more);
		memcpy(more, o, n * sizeof *o);
		more[n++] = (form_option){value, arena_printf(rq->a, "Class %s", value)};
		o = more;
	}
	form_select(b, p->key, p->label, o, n, value ? value : "", false, e);
}

static void coach_role_field(buf *b, const cycle_prompt *p, const char *value, const form_errors *e)
{
	static const char *const roles[] = {"observe", "co_teach", "model"};
	form_option o[COUNT_OF(roles) + 1] = {{"", "Not decided"}};
	for (size_t i = 0; i < COUNT_OF(roles); i++)
		o[i + 1] = (form_option){roles[i], coach_role_label(roles[i])};
	form_select(b, p->key, p->label, o, COUNT_OF(o), value ? value : "", false, e);
}

/* The template's own help wins; the format hint stands in when it has none. */
static const char *with_help(arena *a, const char *help, const char *what)
{
	(void)a;
	return help ? help : what;
}

static void prompt_field(req *rq, buf *b, const stage_contents *sc, const cycle_stage *st,
			 const cycle_prompt *p, const char *value, const form_errors *e)
{
	arena *a = rq->a;
	const stage_field *f = stage_field_find(st->stage, p->key);
	const char *help = p->help && *p->help ? p->help : NULL;
	switch (f ? f->type : FIELD_TEXT) {
	case FIELD_FOCUS:
		form_input(b, "text", p->key, p->label, value, false, with_help(a, help, "e.g. MP3, TP2"), e);
		break;
	case FIELD_STANDARDS:
		form_input(b, "text", p->key, p->label, value, false,
			   with_help(a, help, "e.g. 4.NF.A.1, 3.OA.A.1"), e);
		break;
	case FIELD_COACH_ROLE: coach_role_field(b, p, value, e); break;
	case FIELD_DATE: form_input(b, "date", p->key, p->label, value, false, help, e); break;
	case FIELD_TIME: form_input(b, "time", p->key, p->label, value, false, help, e); break;
	case FIELD_CLASS: class_field(rq, b, sc, p, value, help, e); break;
	case FIELD_LINES:
		form_textarea(b, p->key, p->label, value, false, with_help(a, help, "one per line"), e);
		break;
	case FIELD_MINUTES:
		form_input(b, "number", p->key, p->label, value, false,
			   with_help(a, help, arena_printf(a, "minutes, 0 to %d", CYCLE_MINUTES_MAX)), e);
		break;
	case FIELD_TEXT:
	default: form_textarea(b, p->key, p->label, value, false, help, e); break;
	}
}

/* An answer in words, for the export: codes with their meaning, a role by
 * its label, text as written. */
const char *answer_text(arena *a, stage_kind stage, const char *key, const char *value)
{
	const stage_field *f = stage_field_find(stage, key);
	if (!value || !*value || !f) return value;
	if (f->type == FIELD_COACH_ROLE) return coach_role_label(value) ? coach_role_label(value) : value;
	if (f->type != FIELD_FOCUS) return value;
	const char *out = "";
	char *list = arena_strdup(a, value), *save = NULL;
	for (char *code = strtok_r(list, " ,\n", &save); code; code = strtok_r(NULL, " ,\n", &save)) {
		const char *label = focus_code_label(code);
		out = arena_printf(a, "%s%s%s", out, *out ? "\n" : "", label ? label : code);
	}
	return out;
}

/* An answer as a reader sees it: codes with their meaning, a role by its
 * label, text as written. */
static void answer_html(req *rq, buf *b, const stage_contents *sc, const cycle_stage *st, const char *key,
			const char *value)
{
	const stage_field *f = stage_field_find(st->stage, key);
	if (!value || !*value) {
		html_printf(b, "<dd class=\"muted\">—</dd>\n");
		return;
	}
	if (f && f->type == FIELD_CLASS) {
		/* By its title when the reader may see the class, else its number. */
		const char *shown = arena_printf(rq->a, "Class %s", value);
		for (size_t i = 1; i < sc->nclasses; i++)
			if (str_eq(sc->classes[i].value, value)) shown = sc->classes[i].label;
		html_printf(b, "<dd>%s</dd>\n", shown);
		return;
	}
	if (f && f->type == FIELD_COACH_ROLE) {
		html_printf(b, "<dd>%s</dd>\n", coach_role_label(value) ? coach_role_label(value) : value);
		return;
	}
	if (f && f->type == FIELD_FOCUS) {
		html_printf(b, "<dd><ul class=\"codes\">");
		char *list = arena_strdup(rq->a, value), *save = NULL;
		for (char *code = strtok_r(list, " ,\n", &save); code; code = strtok_r(NULL, " ,\n", &save)) {
			const char *label = focus_code_label(code);
			html_printf(b, "<li>%s</li>", label ? label : code);
		}
		html_printf(b, "</ul></dd>\n");
		return;
	}
	html_printf(b, "<dd class=\"prewrap\">%s</dd>\n", value);
}

static void answers_read_only(req *rq, buf *b, const stage_contents *sc, const cycle_stage *st)
{
	const cycle_prompt **p = sc->prompts;
	size_t n = sc->nprompts;
	html_printf(b, "<dl class=\"answers\">\n");
	for (size_t i = 0; i < n; i++) {
		html_printf(b, "<dt>%s</dt>\n", p[i]->label);
		answer_html(rq, b, sc, st, p[i]->key, stage_answer(st, p[i]->key));
	}
	html_printf(b, "</dl>\n");
}

/* After a 409, beside a field: what the other person saved there, when it
 * is not what this person sent, so that neither text is lost. */
static void theirs_beside(req *rq, buf *b, const stage_contents *sc, const cycle_stage *theirs,
			  const cycle_prompt *p, const char *mine, const char *stored, bool taken)
{
	const char *who = theirs->updated_by_name ? theirs->updated_by_name : "The other person";
	if (taken) {
		html_printf(b, "<p class=\"theirs-field\">Yours was empty: this is what %s saved.</p>\n",
			    who);
		return;
	}
	if (str_eq(mine ? mine : "", stored ? stored : "")) return;
	if (!stored || !*stored) {
		html_printf(b, "<p class=\"theirs-field\">%s left this empty.</p>\n", who);
		return;
	}
	html_printf(b,
		    "<div class=\"theirs-field\"><p>%s saved:</p>\n<dl class=\"answers\"><dt "
		    "class=\"visually-hidden\">%s</dt>",
		    who, p->label);
	answer_html(rq, b, sc, theirs, p->key, stored);
	html_printf(b, "</dl></div>\n");
}

static void stage_form(req *rq, buf *b, const coaching_cycle *c, const cycle_stage *st,
		       const stage_contents *sc, const stage_view *v)
{
	const cycle_prompt **p = sc->prompts;
	size_t n = sc->nprompts;
	form_begin(b, stage_href(rq->a, c->id, st->id), rq->actor->csrf, &v->answer_errors);
	form_hidden(b, "version", arena_printf(rq->a, "%lld", (long long)v->version));
	for (size_t i = 0; i < n; i++) {
		const char *mine = v->values ? value_of(v->values, v->nvalues, p[i]->key) : NULL;
		const char *stored = stage_answer(st, p[i]->key);
		/* After a conflict a field left empty takes what the other
		 * person wrote, so that saving again keeps it. */
		bool taken = v->theirs && mine && !*mine && stored && *stored;
		prompt_field(rq, b, sc, st, p[i], mine && !taken ? mine : stored, &v->answer_errors);
		if (v->theirs) theirs_beside(rq, b, sc, st, p[i], mine, stored, taken);
	}
	/* A complete stage stays complete: its only button saves. */
	html_printf(b, "<div class=\"actions\">");
	if (st->complete) {
		html_printf(b,
			    "<button type=\"submit\" name=\"action\" value=\"save\">Save changes</button>");
	} else {
		html_printf(b,
			    "<button type=\"submit\" name=\"action\" value=\"save\" class=\"secondary\">Save "
			    "draft</button>"
			    "<button type=\"submit\" name=\"action\" value=\"complete\">Save and mark "
			    "complete</button>");
	}
	html_printf(b, "</div>\n</form>\n");
}

static int note_newest_first(const void *x, const void *y)
{
	const cycle_note *a = x, *b = y;
	if (a->taken_at != b->taken_at) return a->taken_at < b->taken_at ? 1 : -1;
	return a->id < b->id ? 1 : a->id > b->id ? -1 : 0;
}

static void note_buttons(req *rq, buf *b, const coaching_cycle *c, const cycle_stage *st)
{
	const char *to = arena_printf(rq->a, "%s/notes", stage_href(rq->a, c->id, st->id));
	size_t nt;
	const char *const *tags = note_tags(&nt);
	html_printf(b,
		    "<p class=\"hint\" id=\"tap-hint\">One tap adds a note with the time.</p>\n"
		    "<div class=\"note-tags\" role=\"group\" aria-describedby=\"tap-hint\">\n");
	for (size_t i = 0; i < nt; i++) {
		html_printf(b, "<form method=\"post\" action=\"%s\" class=\"note-tag\">", to);
		form_hidden(b, "csrf", rq->actor->csrf);
		form_hidden(b, "tag", tags[i]);
		html_printf(b, "<button type=\"submit\">%s</button></form>\n", note_tag_label(tags[i]));
	}
	html_printf(b, "</div>\n");
}

/* The written note; its fields' ids keep clear of the prompts' keys. */
static void note_form(req *rq, buf *b, const coaching_cycle *c, const cycle_stage *st, const stage_view *v)
{
	size_t nt;
	const char *const *tags = note_tags(&nt);
	const form_errors *e = &v->note_errors;
	const char *berr = form_error_for(e, "body"), *terr = form_error_for(e, "tag");
	const char *hint = arena_printf(rq->a, "at most %d characters; the time is added", CYCLE_NOTE_MAX);
	const char *chosen = e->n ? req_form(rq, "tag") : "";
	html_printf(b, "<details class=\"note-written\"%s><summary>Write a note</summary>\n",
		    e->n ? " open" : "");
	if (e->n)
		html_printf(b, "<div class=\"form-error\" role=\"alert\"><p>%s</p></div>\n",
			    e->items[0].message);
	html_printf(b, "<form method=\"post\" action=\"%s/notes\" novalidate>\n",
		    stage_href(rq->a, c->id, st->id));
	form_hidden(b, "csrf", rq->actor->csrf);
	form_field_open(b, "note-body", "Note", hint, berr);
	html_printf(b, "<textarea id=\"note-body\" name=\"body\"");
	form_control_described(b, "note-body", hint, berr);
	html_printf(b, ">%s</textarea>\n</div>\n", e->n ? req_form(rq, "body") : "");
	form_field_open(b, "note-tag", "Tag", NULL, terr);
	html_printf(b, "<select id=\"note-tag\" name=\"tag\"");
	form_control_described(b, "note-tag", NULL, terr);
	html_printf(b, ">\n<option value=\"\">No tag</option>\n");
	for (size_t i = 0; i < nt; i++)
		html_printf(b, "<option value=\"%s\"%s>%s</option>\n", tags[i],
			    str_eq(chosen, tags[i]) ? " selected" : "", note_tag_label(tags[i]));
	html_printf(b,
		    "</select>\n</div>\n<div class=\"actions\"><button type=\"submit\">Add the "
		    "note</button></div>\n"
		    "</form>\n</details>\n");
}

static void notes_list(req *rq, buf *b, const coaching_cycle *c, const cycle_stage *st,
		       const cycle_note *notes, size_t n, bool editable)
{
	if (!n) {
		html_printf(b, "<p class=\"muted\">No notes yet.</p>\n");
		return;
	}
	html_printf(b, "<ol class=\"notes\" reversed>\n");
	for (size_t i = 0; i < n; i++) {
		const cycle_note *x = &notes[i];
		html_printf(b, "<li><div class=\"note-text\"><p class=\"note-head\">");
		time_html(rq->a, b, x->taken_at, true);
		if (x->tag)
			html_printf(b, " <span class=\"tag\">%s</span>",
				    note_tag_label(x->tag) ? note_tag_label(x->tag) : x->tag);
		html_printf(b, " <span class=\"muted\">%s</span></p>\n",
			    x->author_name ? x->author_name : "");
		if (x->body && *x->body) html_printf(b, "<p class=\"prewrap\">%s</p>\n", x->body);
		html_printf(b, "</div>");
		if (editable && x->author_id == actor_id(rq))
			form_button(b,
				    arena_printf(rq->a, "/cycles/%lld/notes/%lld/remove", (long long)c->id,
						 (long long)x->id),
				    rq->actor->csrf, "Remove", "Remove this note?", "stage_id",
				    arena_printf(rq->a, "%lld", (long long)st->id));
		html_printf(b, "</li>\n");
	}
	html_printf(b, "</ol>\n");
}

static void note_taker(req *rq, buf *b, const coaching_cycle *c, const cycle_stage *st,
		       const stage_contents *sc, const stage_view *v, bool editable)
{
	html_printf(b,
		    "<section class=\"note-taker\" id=\"notes\" aria-labelledby=\"notes-h\">\n"
		    "<h2 id=\"notes-h\">Notes</h2>\n");
	if (editable) {
		note_buttons(rq, b, c, st);
		note_form(rq, b, c, st, v);
	}
	notes_list(rq, b, c, st, sc->notes, sc->nnotes, editable);
	html_printf(b, "</section>\n");
}

/* The counts: those the plan asks for (when the asker may read it), and
 * any kept before the plan stopped asking for them (shown, no longer
 * counted); *asked: how many of the first are the plan's. */
static size_t tally_labels(req *rq, const coaching_cycle *c, const cycle_stage *all, size_t n,
			   const cycle_tally *t, size_t nt, const char ***out, size_t *asked)
{
	const char **wanted = NULL;
	size_t nw = 0;
	for (size_t i = 0; i < n; i++)
		if (all[i].stage == STAGE_PLAN && cycle_stage_readable(c, actor_id(rq), &all[i]))
			nw = plan_tally_labels(rq->a, stage_answer(&all[i], "tallies"), &wanted);
	const char **labels = arena_calloc(rq->a, nw + nt + 1, sizeof *labels);
	size_t k = 0;
	*asked = nw;
	for (size_t i = 0; i < nw; i++) labels[k++] = wanted[i];
	for (size_t i = 0; i < nt; i++) {
		bool seen = false;
		for (size_t j = 0; j < k; j++) seen |= str_eq(labels[j], t[i].label);
		if (!seen) labels[k++] = t[i].label;
	}
	*out = labels;
	return k;
}

static void tally_button(req *rq, buf *b, const char *to, const char *label, int delta)
{
	html_printf(b, "<form method=\"post\" action=\"%s\" class=\"tally-step\">", to);
	form_hidden(b, "csrf", rq->actor->csrf);
	form_hidden(b, "label", label);
	form_hidden(b, "delta", delta > 0 ? "1" : "-1");
	if (delta > 0)
		html_printf(b, "<button type=\"submit\" aria-label=\"One more: %s\">+</button></form>",
			    label);
	else
		html_printf(b,
			    "<button type=\"submit\" class=\"secondary\" aria-label=\"One fewer: "
			    "%s\">−</button></form>",
			    label);
}

static void tally_counter(req *rq, buf *b, const coaching_cycle *c, const cycle_stage *all, size_t n,
			  const cycle_stage *st, const stage_contents *sc, bool editable)
{
	const cycle_tally *t = sc->tallies;
	size_t nt = sc->ntallies;
	html_printf(b,
		    "<section id=\"counts\" class=\"counts\" aria-labelledby=\"counts-h\">\n"
		    "<h2 id=\"counts-h\">Counts</h2>\n");
	const char **labels;
	size_t asked;
	size_t nl = tally_labels(rq, c, all, n, t, nt, &labels, &asked);
	if (!nl)
		html_printf(b,
			    "<p class=\"muted\">The plan asks for no counts: list them in the plan, one per "
			    "line.</p>\n");
	else html_printf(b, "<ul class=\"tallies\">\n");
	const char *to = arena_printf(rq->a, "%s/tally", stage_href(rq->a, c->id, st->id));
	for (size_t i = 0; i < nl; i++) {
		int64_t count = 0;
		for (size_t j = 0; j < nt; j++)
			if (str_eq(t[j].label, labels[i])) count = t[j].count;
		html_printf(b, "<li><span class=\"tally-label\">%s</span>", labels[i]);
		if (editable && i < asked) tally_button(rq, b, to, labels[i], -1);
		html_printf(b, "<span class=\"tally-count\">%lld</span>", (long long)count);
		if (editable && i < asked) tally_button(rq, b, to, labels[i], 1);
		html_printf(b, "</li>\n");
	}
	if (nl) html_printf(b, "</ul>\n");
	html_printf(b, "</section>\n");
}

/* A photo straight from the phone's camera during the lesson; coachd.js
 * sends it as soon as it is taken. */
static void photo_form(req *rq, buf *b, const coaching_cycle *c, const cycle_stage *st)
{
	html_printf(b,
		    "<form method=\"post\" action=\"%s/files\" enctype=\"multipart/form-data\" "
		    "class=\"photo\" novalidate>\n",
		    stage_href(rq->a, c->id, st->id));
	form_hidden(b, "csrf", rq->actor->csrf);
	html_printf(
		b,
		"<div class=\"field\"><label for=\"photo\">Photo of student work</label>"
		"<span class=\"hint\" id=\"photo-hint\">opens the camera on a phone</span>"
		"<input type=\"file\" id=\"photo\" name=\"file\" accept=\"image/*\" capture=\"environment\" "
		"data-autosubmit aria-describedby=\"photo-hint\"></div>\n"
		"<div class=\"actions\"><button type=\"submit\">Add the photo</button></div>\n</form>\n");
}

static void stage_files(req *rq, buf *b, const coaching_cycle *c, const cycle_stage *all, size_t n,
			const cycle_stage *st, const stage_contents *sc, const stage_view *v, bool editable)
{
	html_printf(
		b,
		"<section id=\"stage-files\" aria-labelledby=\"files-h\">\n<h2 id=\"files-h\">Files</h2>\n");
	files_list(rq, b, c, all, n, sc->files, sc->nfiles, st->id, editable, false);
	if (editable && st->stage == STAGE_ENACT) photo_form(rq, b, c, st);
	if (editable) {
		html_printf(b, "<details class=\"add-file\"%s><summary>Add a file</summary>\n",
			    v->file_errors.n ? " open" : "");
		if (v->file_errors.n)
			html_printf(b, "<div class=\"form-error\" role=\"alert\"><p>%s</p></div>\n",
				    v->file_errors.items[0].message);
		upload_form(rq, b, c, st, "up-", &v->file_errors, false);
		html_printf(b, "</details>\n");
	}
	html_printf(b, "</section>\n");
}

static void stage_heading(req *rq, buf *b, const coaching_cycle *c, const cycle_stage *st)
{
	crumbs(rq, b, c);
	html_printf(b, "<h1>%s</h1>\n<p><span class=\"badge badge-%s\">%s</span>", stage_title(rq->a, st),
		    st->complete          ? "complete"
			    : st->version ? "draft"
					  : "new",
		    stage_status(st));
	if (st->version && st->updated_at) {
		html_printf(b, " <span class=\"muted\">last saved by %s, ",
			    st->updated_by_name ? st->updated_by_name : "—");
		time_html(rq->a, b, st->updated_at, false);
		html_printf(b, "</span>");
	}
	html_printf(b, "</p>\n");
	shared_banner(rq, b, c);
}

static bool asks_for_a_class(const stage_contents *sc, stage_kind stage)
{
	for (size_t i = 0; i < sc->nprompts; i++) {
		const stage_field *f = stage_field_find(stage, sc->prompts[i]->key);
		if (f && f->type == FIELD_CLASS) return true;
	}
	return false;
}

static store_rc stage_contents_load(req *rq, const coaching_cycle *c, const cycle_stage *st,
				    stage_contents *sc)
{
	*sc = (stage_contents){0};
	cycle_template t;
	if (!template_of(rq, c, &t)) return STORE_ERROR;
	sc->nprompts = cycle_template_stage(rq->a, &t, st->stage, &sc->prompts);
	store_rc rc = STORE_OK;
	if (asks_for_a_class(sc, st->stage)) rc = class_choices(rq, c, st, &sc->classes, &sc->nclasses);
	if (rc == STORE_OK) rc = cycle_files_get(rq->db, rq->a, c->id, &sc->files, &sc->nfiles);
	if (rc != STORE_OK || st->stage != STAGE_ENACT) return rc;
	rc = cycle_notes_get(rq->db, rq->a, st->id, &sc->notes, &sc->nnotes);
	if (rc == STORE_OK) qsort(sc->notes, sc->nnotes, sizeof *sc->notes, note_newest_first);
	if (rc == STORE_OK) rc = cycle_tallies_get(rq->db, rq->a, st->id, &sc->tallies, &sc->ntallies);
	return rc;
}

static void stage_page(req *rq, resp *rs, const coaching_cycle *c, const cycle_stage *all, size_t n,
		       const cycle_stage *st, const stage_view *v)
{
	stage_contents sc;
	if (stage_contents_load(rq, c, st, &sc) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	bool editable = may_edit_content(rq, c);
	buf *b = resp_html(rs, v->status ? v->status : 200);
	layout l = page_layout(rq, arena_printf(rq->a, "%s · %s", stage_title(rq->a, st), cycle_title(c)),
			       "cycles");
	layout_begin(b, &l);
	stage_heading(rq, b, c, st);
	if (v->conflict)
		html_printf(b, "<div class=\"form-error\" role=\"alert\"><p>%s</p></div>\n", v->conflict);
	if (c->state == CYCLE_CLOSED && cycle_is_member(c, actor_id(rq)))
		html_printf(b,
			    "<p class=\"muted\">This cycle is closed; nothing in it changes until a coach "
			    "reopens it.</p>\n");
	if (st->stage == STAGE_ENACT) {
		note_taker(rq, b, c, st, &sc, v, editable);
		tally_counter(rq, b, c, all, n, st, &sc, editable);
		stage_files(rq, b, c, all, n, st, &sc, v, editable);
	}
	/* The plan's and reflection's answers are the page itself; an
	 * enactment's come after its notes, counts and files. */
	if (st->stage == STAGE_ENACT)
		html_printf(
			b, "<section aria-labelledby=\"answers-h\">\n<h2 id=\"answers-h\">The lesson</h2>\n");
	else html_printf(b, "<section>\n");
	if (editable) {
		stage_form(rq, b, c, st, &sc, v);
	} else {
		answers_read_only(rq, b, &sc, st);
	}
	html_printf(b, "</section>\n");
	if (st->stage != STAGE_ENACT) stage_files(rq, b, c, all, n, st, &sc, v, editable);
	layout_end(b);
}

static stage_view stored_view(const cycle_stage *st)
{
	return (stage_view){.version = st->version};
}

/*
** GET /cycles/{id}/stages/{sid}
** One stage: its template's prompts as fields by type (codes, the coach's
** role, dates, the class, tallies to keep, minutes), "Save draft" and
** "Save and mark complete". An enactment leads with the note taker (one
** tap per tag adds a time-stamped note, or write one), the counts the plan
** asked for with − and +, and its files. Share holders read it only.
** Permissions: may(READ, coaching) and cycle_stage_readable; 404 otherwise.
*/
void page_cycle_stage(req *rq, resp *rs)
{
	coaching_cycle c;
	cycle_stage *all;
	const cycle_stage *st;
	size_t n;
	if (!cycle_find(rq, rs, &c) || !stage_load(rq, rs, &c, &all, &n, &st)) return;
	stage_view v = stored_view(st);
	stage_page(rq, rs, &c, all, n, st, &v);
}

/* A stage's answers as the form sent them: the prompts it carries (a
 * prompt the form did not show, say one added to the template since, is
 * left as it is). */
static cycle_answer *form_answers(req *rq, const cycle_prompt **p, size_t n, size_t *count)
{
	cycle_answer *out = arena_calloc(rq->a, n + 1, sizeof *out);
	*count = 0;
	for (size_t i = 0; i < n; i++) {
		const char *v = req_form(rq, p[i]->key);
		if (v) out[(*count)++] = (cycle_answer){p[i]->key, text_trim(rq->a, v)};
	}
	return out;
}

/* After a conflict: the stage as now stored, so the form names its
 * version and the page shows what the other person saved. */
static store_rc stage_now(req *rq, const coaching_cycle *c, int64_t sid, const cycle_stage **now)
{
	cycle_stage *all;
	size_t n;
	*now = NULL;
	store_rc rc = cycle_stages_get(rq->db, rq->a, c->id, &all, &n);
	if (rc == STORE_OK) *now = stage_by_id(all, n, sid);
	return rc;
}

/*
** POST /cycles/{id}/stages/{sid} (form: the prompts' keys, version,
** action = save | complete, csrf)
** 303 back to the stage (a draft) or to the cycle (complete); the stage
** again with 400 beside the fields, or with 409 when someone saved it
** since it was opened: their version shown, this person's text kept in
** the fields, and the form naming the new version.
** Permissions: may(UPDATE, coaching): the cycle's members.
*/
void page_cycle_stage_save(req *rq, resp *rs)
{
	coaching_cycle c;
	cycle_stage *all;
	const cycle_stage *st;
	size_t n;
	if (!cycle_find(rq, rs, &c) || !stage_load(rq, rs, &c, &all, &n, &st)) return;
	cycle_template t;
	if (!template_of(rq, &c, &t)) {
		resp_store_failed(rq, rs);
		return;
	}
	const cycle_prompt **p;
	size_t np = cycle_template_stage(rq->a, &t, st->stage, &p);
	stage_input in = {.stage_id = st->id, .complete = str_eq(req_form(rq, "action"), "complete")};
	in.answers = form_answers(rq, p, np, &in.nanswers);
	const char *version = req_form(rq, "version");
	stage_view v = {.values = in.answers, .nvalues = in.nanswers, .version = st->version};
	outcome o = {0};
	if (!version || !parse_i64(version, 0, INT64_MAX, &in.version)) {
		form_error_add(&o.errors, NULL,
			       "The form lacks the version it was opened at; open the stage again.");
		outcome_invalid(&o);
	} else {
		v.version = in.version;
		cycle_stage_save(rq, &c, st, &in, &o);
	}
	if (o.status == 409 && str_eq(o.code, "conflict")) {
		v.status = 409;
		v.conflict = o.message;
		if (stage_now(rq, &c, st->id, &v.theirs) != STORE_OK) {
			resp_store_failed(rq, rs);
			return;
		}
		if (v.theirs) {
			v.version = v.theirs->version;
			v.conflict = arena_printf(rq->a,
						  "%s saved this stage at %s, after you opened it, so "
						  "nothing of yours is saved yet. Your text is still in the "
						  "fields below, with what they saved beside each field "
						  "where it differs: keep what you want, and save again.",
						  v.theirs->updated_by_name ? v.theirs->updated_by_name
									    : "Someone",
						  time_text_utc(rq->a, v.theirs->updated_at));
		}
		stage_page(rq, rs, &c, all, n, v.theirs ? v.theirs : st, &v);
	} else if (o.status == 409) {
		/* Not ready to complete, or closed: nothing was saved, so the
		 * text stays in the fields with the reason above them. */
		v.status = 409;
		v.conflict = o.message;
		stage_page(rq, rs, &c, all, n, st, &v);
	} else if (o.status == 400) {
		v.status = 400;
		v.answer_errors = o.errors;
		if (!v.answer_errors.n) form_error_add(&v.answer_errors, NULL, o.message);
		stage_page(rq, rs, &c, all, n, st, &v);
	} else {
		outcome_redirect(
			rq, rs, &o,
			in.complete
				? arena_printf(rq->a, "/cycles/%lld?ok=stage-completed", (long long)c.id)
				: arena_printf(rq->a, "%s?ok=stage-saved", stage_href(rq->a, c.id, st->id)));
	}
}

/*
** POST /cycles/{id}/stages/{sid}/notes (form: tag, body, csrf)
** Adds a note stamped with the time it arrives: a tag alone is one tap.
** 303 back to the notes; the stage again with 400 beside the note.
** Permissions: may(UPDATE, coaching).
*/
void page_cycle_note_add(req *rq, resp *rs)
{
	coaching_cycle c;
	cycle_stage *all;
	const cycle_stage *st;
	size_t n;
	if (!cycle_find(rq, rs, &c) || !stage_load(rq, rs, &c, &all, &n, &st)) return;
	const char *tag = text_trim(rq->a, req_form(rq, "tag"));
	const char *body = text_trim(rq->a, req_form(rq, "body"));
	outcome o = {0};
	cycle_note_add(rq, &c, st, tag && *tag ? tag : NULL, body ? body : "", now_unix(), &o);
	if (o.status == 400) {
		stage_view v = stored_view(st);
		v.status = 400;
		v.note_errors = o.errors;
		if (!v.note_errors.n) form_error_add(&v.note_errors, o.field ? o.field : "body", o.message);
		stage_page(rq, rs, &c, all, n, st, &v);
		return;
	}
	outcome_redirect(rq, rs, &o,
			 arena_printf(rq->a, "%s?ok=note-added#notes", stage_href(rq->a, c.id, st->id)));
}

/* Where to go back to after a change made from a stage: the stage named
 * by the form (one of c's), else the cycle. */
static const char *back_to(req *rq, const coaching_cycle *c, const char *stage_field_name, int64_t stage_id,
			   const char *ok, const char *fragment)
{
	int64_t sid = stage_id;
	const char *given = stage_field_name ? req_form(rq, stage_field_name) : NULL;
	if (!sid && given) parse_i64(given, 1, INT64_MAX, &sid);
	if (sid && !str_eq(req_form(rq, "back"), "cycle")) {
		cycle_stage *all;
		size_t n;
		if (cycle_stages_get(rq->db, rq->a, c->id, &all, &n) == STORE_OK && stage_by_id(all, n, sid))
			return arena_printf(rq->a, "%s?ok=%s%s", stage_href(rq->a, c->id, sid), ok, fragment);
	}
	return arena_printf(rq->a, "/cycles/%lld?ok=%s#evidence", (long long)c->id, ok);
}

/*
** POST /cycles/{id}/notes/{nid}/remove (form: stage_id, csrf)
** Removes one's own note; 303 back to the stage's notes.
** Permissions: may(UPDATE, coaching); only the note's author.
*/
void page_cycle_note_remove(req *rq, resp *rs)
{
	coaching_cycle c;
	int64_t nid;
	if (!cycle_load(rq, rs, &c) || !param_id(rq, rs, "nid", &nid)) return;
	outcome o = {0};
	cycle_note_remove(rq, &c, nid, &o);
	outcome_redirect(rq, rs, &o, back_to(rq, &c, "stage_id", 0, "note-removed", "#notes"));
}

/*
** POST /cycles/{id}/stages/{sid}/tally (form: label, delta = 1 | -1, csrf)
** One more, or one fewer (never below zero); 303 back to the counts.
** Permissions: may(UPDATE, coaching).
*/
void page_cycle_tally(req *rq, resp *rs)
{
	coaching_cycle c;
	cycle_stage *all;
	const cycle_stage *st;
	size_t n;
	if (!cycle_find(rq, rs, &c) || !stage_load(rq, rs, &c, &all, &n, &st)) return;
	const char *label = text_trim(rq->a, req_form(rq, "label")), *delta = req_form(rq, "delta");
	int d = str_eq(delta, "1") ? 1 : str_eq(delta, "-1") ? -1 : 0;
	if (!d) {
		resp_error(rq, rs, 400, "invalid", "delta must be 1 or -1", "delta");
		return;
	}
	if (!label || !*label) {
		resp_error(rq, rs, 400, "invalid", "name the count to change", "label");
		return;
	}
	outcome o = {0};
	cycle_tally_bump(rq, &c, st, label, d, &o);
	outcome_redirect(rq, rs, &o,
			 arena_printf(rq->a, "%s?ok=tally-saved#counts", stage_href(rq->a, c.id, st->id)));
}

/*
** POST /cycles/{id}/stages/{sid}/files (multipart: file, title, back, csrf)
** Adds an evidence file, checked by its content; 303 back to the stage (or
** the cycle, back=cycle); the stage again with the error for 400, 413 (too
** large) and 415 (not an accepted type, or not the type it claims).
** Permissions: may(UPDATE, coaching).
*/
void page_cycle_file_add(req *rq, resp *rs)
{
	coaching_cycle c;
	cycle_stage *all;
	const cycle_stage *st;
	size_t n;
	if (!cycle_find(rq, rs, &c) || !stage_load(rq, rs, &c, &all, &n, &st)) return;
	const upload *u = req_file(rq, "file");
	const char *title = text_trim(rq->a, req_form(rq, "title"));
	outcome o = {0};
	if (!u) {
		form_error_add(&o.errors, "file", "Choose a file to add.");
		outcome_invalid(&o);
	} else {
		cycle_file_add(rq, &c, st, title && *title ? title : NULL, u, &o);
	}
	if (o.status == 400 || o.status == 409 || o.status == 413 || o.status == 415) {
		stage_view v = stored_view(st);
		v.status = o.status;
		v.file_errors = o.errors;
		if (!v.file_errors.n) form_error_add(&v.file_errors, o.field ? o.field : "file", o.message);
		stage_page(rq, rs, &c, all, n, st, &v);
		return;
	}
	outcome_redirect(rq, rs, &o, back_to(rq, &c, NULL, st->id, "file-added", "#stage-files"));
}

/*
** GET /cycles/{id}/files/{fid}
** The file, with Range (video and audio inline so they seek).
** Permissions: may(READ, coaching) and the file's stage readable; 404
** otherwise.
*/
void page_cycle_file(req *rq, resp *rs)
{
	coaching_cycle c;
	cycle_file f;
	if (!cycle_find(rq, rs, &c) || !cycle_file_load(rq, rs, &c, &f)) return;
	cycle_file_send(rq, rs, &f);
}

/*
** POST /cycles/{id}/files/{fid}/remove (form: back, csrf)
** Removes the file and deletes it from disk; 303 back to its stage (or
** the cycle, back=cycle).
** Permissions: may(UPDATE, coaching).
*/
void page_cycle_file_remove(req *rq, resp *rs)
{
	coaching_cycle c;
	cycle_file f;
	if (!cycle_find(rq, rs, &c) || !cycle_file_load(rq, rs, &c, &f)) return;
	outcome o = {0};
	cycle_file_remove(rq, &c, &f, &o);
	outcome_redirect(rq, rs, &o, back_to(rq, &c, NULL, f.stage_id, "file-removed", "#stage-files"));
}
