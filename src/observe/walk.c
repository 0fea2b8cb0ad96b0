/* Learning walks' rules (src/observe/walk.h): days, times and grades as a
 * visit names a classroom, the checks of a walk and of a visit against its
 * rubric version, the records the policy is asked about, and the debrief's
 * counts. No I/O. */
#include "walk.h"

#include <ctype.h>
#include <string.h>

#include "../base/util.h"
#include "walk_tally.h"

static bool digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i])) return false;
	return true;
}

bool walk_date_valid(const char *s)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4) || !digits(s + 5, 2) ||
	    !digits(s + 8, 2))
		return false;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1) return false;
	int yy, mm, dd;
	civil_from_days(days_from_civil(y, m, d), &yy, &mm, &dd);
	return yy == y && mm == m && dd == d;
}

int64_t observed_month_of(const char *date)
{
	if (!walk_date_valid(date)) return 0;
	int64_t y = 0, m = 0;
	for (int i = 0; i < 4; i++) y = y * 10 + (date[i] - '0');
	m = (date[5] - '0') * 10 + (date[6] - '0');
	return y * 100 + m;
}

bool walk_time_parse(const char *s, char out[6])
{
	if (!s) return false;
	size_t n = strlen(s);
	const char *colon = strchr(s, ':');
	if (!colon || (colon - s != 1 && colon - s != 2) || strlen(colon + 1) != 2 || n > 5) return false;
	if (!digits(s, (size_t)(colon - s)) || !digits(colon + 1, 2)) return false;
	int h = colon - s == 1 ? s[0] - '0' : (s[0] - '0') * 10 + (s[1] - '0');
	int m = (colon[1] - '0') * 10 + (colon[2] - '0');
	if (h > 23 || m > 59) return false;
	out[0] = (char)('0' + h / 10);
	out[1] = (char)('0' + h % 10);
	out[2] = ':';
	out[3] = (char)('0' + m / 10);
	out[4] = (char)('0' + m % 10);
	out[5] = '\0';
	return true;
}

const char *walk_grade_normalize(const char *s)
{
	static const char *const grades[] = {"K", "1", "2", "3",  "4",  "5", "6",
					     "7", "8", "9", "10", "11", "12"};
	for (size_t i = 0; s && i < COUNT_OF(grades); i++)
		if (str_ieq(s, grades[i])) return grades[i];
	return NULL;
}

static bool code_in(const char *const *codes, size_t n, const char *code)
{
	for (size_t i = 0; i < n; i++)
		if (str_eq(codes[i], code)) return true;
	return false;
}

size_t walk_indicators(arena *a, const rubric_version *v, const char *const *focus, size_t nfocus,
		       const rubric_indicator ***out)
{
	const rubric_indicator **list = arena_calloc(a, v->nindicators + 1, sizeof *list);
	size_t k = 0;
	for (size_t i = 0; i < v->nindicators; i++)
		if (!nfocus || code_in(focus, nfocus, v->indicators[i].code)) list[k++] = &v->indicators[i];
	/* A focus naming nothing of this version (never, once checked): all. */
	if (!k)
		for (size_t i = 0; i < v->nindicators; i++) list[k++] = &v->indicators[i];
	*out = list;
	return k;
}

void walk_input_check(arena *a, const walk_input *in, const rubric_version *v, form_errors *e)
{
	if (in->school_id <= 0) form_error_add(e, "school_id", "Choose the school the walk visits.");
	if (!in->walked_on || !*in->walked_on) form_error_add(e, "walked_on", "Give the day of the walk.");
	else if (!walk_date_valid(in->walked_on))
		form_error_add(e, "walked_on", "The day of the walk is a date written YYYY-MM-DD.");
	if (in->rubric_id <= 0 && !v) form_error_add(e, "rubric_id", "Choose the rubric the walkers use.");
	if (in->nwalkers == 0) form_error_add(e, "walkers", "Name at least one walker.");
	else if (in->nwalkers > WALK_WALKERS_MAX)
		form_error_add(e, "walkers",
			       arena_printf(a, "A walk has at most %d walkers.", WALK_WALKERS_MAX));
	for (size_t i = 0; i < in->nwalkers; i++)
		if (in->walkers[i] <= 0) {
			form_error_add(e, "walkers", "Each walker is a person's id.");
			break;
		}
	form_error_line(a, e, "purpose", "purpose", in->purpose, WALK_PURPOSE_MAX);
	for (size_t i = 0; v && i < in->nfocus; i++) {
		if (!rubric_indicator_by_code(v, in->focus[i])) {
			form_error_add(
				e, "focus",
				arena_printf(a, "%s is not an indicator of %s.", in->focus[i], v->name));
			break;
		}
		if (code_in(in->focus, i, in->focus[i])) {
			form_error_add(e, "focus",
				       arena_printf(a, "%s is named twice in the focus.", in->focus[i]));
			break;
		}
	}
}

static void check_ratings(arena *a, const rubric_version *v, observation_input *in, form_errors *e)
{
	for (size_t i = 0; i < in->nratings; i++) {
		obs_rating *r = &in->ratings[i];
		const rubric_indicator *ind = r->code ? rubric_indicator_by_code(v, r->code)
						      : rubric_indicator_by_id(v, r->indicator_id);
		const char *name =
			r->code ? r->code : arena_printf(a, "indicator %lld", (long long)r->indicator_id);
		if (!ind) {
			form_error_add(e, arena_printf(a, "rating-%s", name),
				       arena_printf(a, "%s is not an indicator of %s.", name, v->name));
			continue;
		}
		r->indicator_id = ind->id;
		r->code = ind->code;
		const char *field = arena_printf(a, "rating-%s", ind->code);
		if (!rubric_value_valid(v, r->value))
			form_error_add(e, field,
				       arena_printf(a, "The rating of %s is on the scale %lld to %lld.",
						    ind->code, (long long)v->scale_min,
						    (long long)v->scale_max));
		for (size_t j = 0; j < i; j++)
			if (in->ratings[j].indicator_id == ind->id) {
				form_error_add(e, field, arena_printf(a, "%s is rated twice.", ind->code));
				break;
			}
		if (r->evidence && utf8_length(r->evidence) > RATING_EVIDENCE_MAX)
			form_error_add(e, field,
				       arena_printf(a, "The evidence for %s is at most %d characters.",
						    ind->code, RATING_EVIDENCE_MAX));
		if (r->evidence && !*r->evidence) r->evidence = NULL;
	}
}

static bool look_for_in(const rubric_version *v, int64_t id)
{
	for (size_t i = 0; i < v->nlook_fors; i++)
		if (v->look_fors[i].id == id) return true;
	return false;
}

observation observation_of_input(const observation_input *in)
{
	return (observation){.grade = in->grade,
			     .observed_on = in->observed_on,
			     .start_time = in->start_time,
			     .minutes = in->minutes,
			     .teacher_id = in->teacher_id,
			     .evidence = in->evidence,
			     .ratings = in->ratings,
			     .nratings = in->nratings,
			     .look_fors = in->look_fors,
			     .nlook_fors = in->nlook_fors};
}

void observation_input_check(arena *a, const rubric_version *v, observation_input *in, bool grade_required,
			     bool teacher_allowed, form_errors *e)
{
	if (in->grade && *in->grade) {
		const char *g = walk_grade_normalize(in->grade);
		if (g) in->grade = g;
		else form_error_add(e, "grade", "The grade is K or 1 to 12.");
	} else {
		in->grade = NULL;
		if (grade_required) form_error_add(e, "grade", "Choose the grade of the classroom.");
	}
	if (in->start_time && *in->start_time) {
		char hhmm[6];
		if (walk_time_parse(in->start_time, hhmm)) in->start_time = arena_strdup(a, hhmm);
		else
			form_error_add(e, "start_time",
				       "The time is written HH:MM, 24-hour clock (09:05, 13:40).");
	} else {
		in->start_time = NULL;
		if (grade_required) form_error_add(e, "start_time", "Give the time of the visit (HH:MM).");
	}
	if (in->observed_on && *in->observed_on && !walk_date_valid(in->observed_on))
		form_error_add(e, "observed_on", "The day is a date written YYYY-MM-DD.");
	if (in->minutes_unreadable || in->minutes < 0 || in->minutes > VISIT_MINUTES_MAX)
		form_error_add(
			e, "minutes",
			arena_printf(a, "Minutes are a whole number from 1 to %d.", VISIT_MINUTES_MAX));
	if (in->teacher_id && !teacher_allowed)
		form_error_add(e, "teacher_id", "this district does not name teachers on walk visits");
	if (in->evidence && utf8_length(in->evidence) > VISIT_EVIDENCE_MAX)
		form_error_add(e, "evidence",
			       arena_printf(a, "The evidence is at most %d characters.", VISIT_EVIDENCE_MAX));
	if (in->evidence && !*in->evidence) in->evidence = NULL;
	check_ratings(a, v, in, e);
	for (size_t i = 0; i < in->nlook_fors; i++) {
		const obs_look_for *l = &in->look_fors[i];
		const char *field = arena_printf(a, "look_for-%lld", (long long)l->look_for_id);
		if (!look_for_in(v, l->look_for_id))
			form_error_add(e, field,
				       arena_printf(a, "Look-for %lld is not one of %s.",
						    (long long)l->look_for_id, v->name));
		else if (l->count < 0 || l->count > LOOK_FOR_COUNT_MAX)
			form_error_add(e, field,
				       arena_printf(a, "A look-for's count is 0 to %d.", LOOK_FOR_COUNT_MAX));
		for (size_t j = 0; j < i; j++)
			if (in->look_fors[j].look_for_id == l->look_for_id) {
				form_error_add(e, field,
					       arena_printf(a, "Look-for %lld is counted twice.",
							    (long long)l->look_for_id));
				break;
			}
	}
}

record walk_record(place places[1], const walk *w)
{
	places[0] = (place){.org_id = w->school_id, .district_id = w->district_id};
	return (record){.kind = REC_WALK,
			.places = places,
			.nplaces = 1,
			.person_id = w->created_by,
			.coaches = w->walker_ids,
			.ncoaches = w->nwalkers};
}

record visit_record(place places[1], const walk *w, const observation *o, int64_t observer)
{
	places[0] = (place){.org_id = w->school_id, .district_id = w->district_id};
	return (record){.kind = REC_VISIT,
			.places = places,
			.nplaces = 1,
			.person_id = o ? o->observer_id : observer,
			.coaches = w->walker_ids,
			.ncoaches = w->nwalkers};
}

record walk_settings_record(place places[1], int64_t district_id)
{
	places[0] = (place){.org_id = district_id, .district_id = district_id};
	return (record){.kind = REC_WALK_SUMMARY, .places = places, .nplaces = 1};
}

bool walk_is_walker(const walk *w, int64_t person)
{
	for (size_t i = 0; person && i < w->nwalkers; i++)
		if (w->walker_ids[i] == person) return true;
	return false;
}

const obs_rating *observation_rating_of(const observation *o, int64_t indicator_id)
{
	for (size_t i = 0; i < o->nratings; i++)
		if (o->ratings[i].indicator_id == indicator_id) return &o->ratings[i];
	return NULL;
}

int64_t observation_look_for_count(const observation *o, int64_t look_for_id)
{
	for (size_t i = 0; i < o->nlook_fors; i++)
		if (o->look_fors[i].look_for_id == look_for_id) return o->look_fors[i].count;
	return 0;
}

void walk_debrief_compute(arena *a, const rubric_version *v, const rubric_indicator *const *ind, size_t nind,
			  const observation *visits, size_t n, walk_debrief *out)
{
	out->nindicators = nind;
	out->indicators = arena_calloc(a, nind + 1, sizeof *out->indicators);
	out->look_for_totals = arena_calloc(a, v->nlook_fors + 1, sizeof *out->look_for_totals);
	out->visits = (int64_t)n;
	for (size_t k = 0; k < nind; k++) {
		indicator_summary *s = &out->indicators[k];
		s->indicator = ind[k];
		for (size_t i = 0; i < n; i++) {
			const obs_rating *r = observation_rating_of(&visits[i], ind[k]->id);
			if (!r || !rubric_value_valid(v, r->value)) continue;
			s->counts[r->value - v->scale_min]++;
			s->rated++;
			s->total += r->value;
		}
	}
	for (size_t l = 0; l < v->nlook_fors; l++)
		for (size_t i = 0; i < n; i++)
			out->look_for_totals[l] += observation_look_for_count(&visits[i], v->look_fors[l].id);
}

const char *walk_teacher_sentence(arena *a, const walk_settings *s)
{
	const char *d = s->district_name ? s->district_name : "this district";
	return s->teacher_ids
		? arena_printf(a, "Teachers may be named on visits in %s (district setting).", d)
		: arena_printf(a, "Teachers are not named on visits in %s (district setting).", d);
}
