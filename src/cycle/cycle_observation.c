/* Full-lesson observations inside a coaching cycle: the same observation
 * rows as a walk's visits, but the cycle's confidential content. Only its
 * members write them (may(UPDATE, coaching)); reading them is reading the
 * enactment (cycle_stage_readable). They are never counted in the
 * dashboards (walk_tally_apply adds nothing for them). Each change is a
 * line of the cycle's history, as the cycle's own changes are. */
#include <string.h>

#include "../base/util.h"
#include "../html/html.h"
#include "../web/app.h"
#include "../web/change.h"
#include "cycle_web.h"

static store_rc history(req *rq, int64_t cycle_id, const char *what, const char *detail)
{
	return cycle_history_add(rq->db, rq->a, cycle_id, actor_id(rq), what, detail, now_unix());
}

static void commit(req *rq, store_rc rc, outcome *out)
{
	if (rc != STORE_OK || store_commit(rq->db) != STORE_OK) outcome_store_failed(rq, out, true);
}

/* Members write, and not in a closed cycle. */
static bool writable(req *rq, const coaching_cycle *c, outcome *out)
{
	if (!may_cycle(rq, ACT_UPDATE, c)) {
		outcome_fail(out, 403, "forbidden",
			     "Only the cycle's coaches and teachers observe its lessons.", NULL);
		return false;
	}
	if (c->state == CYCLE_CLOSED) {
		outcome_fail(out, 409, "closed", "This cycle is closed; a coach can reopen it to change it.",
			     NULL);
		return false;
	}
	return true;
}

/* The teacher whose lesson it is: an individual cycle's (first) teacher;
 * a team's lesson names none. */
static int64_t cycle_teacher(const coaching_cycle *c)
{
	return c->kind == CYCLE_INDIVIDUAL && c->nteachers ? c->teachers[0] : 0;
}

static observation observation_in_cycle(const coaching_cycle *c, int64_t version_id,
					const observation_input *in, int64_t observer)
{
	observation o = observation_of_input(in);
	o.cycle_id = c->id;
	o.rubric_version_id = version_id;
	o.observer_id = observer;
	o.district_id = c->district_id;
	o.school_id = c->school_id;
	o.teacher_id = cycle_teacher(c);
	return o;
}

static bool checked(req *rq, const rubric_version *v, observation_input *in, outcome *out)
{
	/* The grade is the cycle's, given or not: a lesson has no grade chips. */
	const char *grade = in->grade;
	in->grade = NULL;
	in->teacher_id = 0;
	if (!in->observed_on || !*in->observed_on)
		form_error_add(&out->errors, "observed_on", "Give the day of the lesson.");
	observation_input_check(rq->a, v, in, false, false, &out->errors);
	in->grade = grade;
	if (out->errors.n) {
		outcome_invalid(out);
		return false;
	}
	return true;
}

void cycle_observation_add(req *rq, const coaching_cycle *c, int64_t rubric_id, observation_input *in,
			   outcome *out)
{
	*out = (outcome){0};
	if (!writable(rq, c, out)) return;
	int64_t version_id = 0;
	rubric_version v;
	bool found = false;
	if (rubric_current_version(rq->db, rq->a, rubric_id, &version_id) != STORE_OK ||
	    (version_id && rubric_version_load(rq->db, rq->a, version_id, &v, &found) != STORE_OK)) {
		outcome_store_failed(rq, out, false);
		return;
	}
	if (!found || !rubric_offered_in(&v, c->district_id, c->partner_id)) {
		outcome_invalid_field(out, "rubric_id", "Choose a rubric offered in this district.");
		return;
	}
	in->grade = c->grade && walk_grade_normalize(c->grade) ? walk_grade_normalize(c->grade) : NULL;
	if (!checked(rq, &v, in, out)) return;
	observation o = observation_in_cycle(c, v.id, in, actor_id(rq));
	if (!change_begin(rq, out)) return;
	store_rc rc = observation_insert(rq->db, rq->a, &o, &out->id);
	if (rc == STORE_OK) rc = history(rq, c->id, "enact.observation.add", v.name);
	commit(rq, rc, out);
}

void cycle_observation_save(req *rq, const coaching_cycle *c, const observation *old, observation_input *in,
			    outcome *out)
{
	*out = (outcome){.id = old->id};
	if (!writable(rq, c, out)) return;
	rubric_version v;
	bool found = false;
	if (rubric_version_load(rq->db, rq->a, old->rubric_version_id, &v, &found) != STORE_OK || !found) {
		outcome_store_failed(rq, out, false);
		return;
	}
	in->grade = old->grade;
	if (!checked(rq, &v, in, out)) return;
	observation o = observation_in_cycle(c, old->rubric_version_id, in, old->observer_id);
	o.id = old->id;
	o.teacher_id = old->teacher_id;
	store_rc rc;
	if (!observation_update_fresh(rq, &o, old, in->version, "this observation", &rc, out)) return;
	if (rc == STORE_OK) rc = history(rq, c->id, "enact.observation.save", v.name);
	commit(rq, rc, out);
}

void cycle_observation_remove(req *rq, const coaching_cycle *c, const observation *o, outcome *out)
{
	*out = (outcome){.id = o->id};
	if (!writable(rq, c, out)) return;
	if (!change_begin(rq, out)) return;
	store_rc rc = observation_delete(rq->db, rq->a, o->id);
	if (rc == STORE_OK) rc = history(rq, c->id, "enact.observation.remove", NULL);
	commit(rq, rc, out);
}

void cycle_observation_links(req *rq, buf *b, const coaching_cycle *c, const observation *list, size_t n,
			     bool editable)
{
	size_t shown = 0;
	for (size_t i = 0; i < n; i++) {
		/* A share holder sees the lessons of the classrooms shared with them. */
		if (!cycle_part_readable(c, rq->actor->person_id, STAGE_ENACT, list[i].teacher_id)) continue;
		if (!shown++) html_printf(b, "<ul class=\"observations\">");
		html_printf(b,
			    "<li><a href=\"/cycles/%lld/observations/%lld\">Observation of %s by %s</a></li>",
			    (long long)c->id, (long long)list[i].id, list[i].observed_on,
			    list[i].observer_name ? list[i].observer_name : "—");
	}
	if (shown) html_printf(b, "</ul>");
	if (editable && c->state != CYCLE_CLOSED)
		html_printf(b,
			    "<p><a class=\"button button-secondary\" "
			    "href=\"/cycles/%lld/observations/new\">Observe with a "
			    "rubric</a></p>\n",
			    (long long)c->id);
}
