/* Team rules: the kinds of team, the roles inside a team, grades and grade
 * bands, and how role-diverse a team is. Pure: no I/O. */
#include "team.h"

#include <stdio.h>
#include <string.h>

#include "../base/util.h"

static const struct {
	const char *kind;
	const char *label;
} kinds[] = {
	{"grade_level", "Grade-level team"}, {"grade_band", "Grade-band team"},
	{"vertical", "Vertical team"},       {"plc", "PLC"},
	{"leadership", "Leadership team"},
};

static const struct {
	const char *role;
	const char *label;
} team_role_names[] = {
	{"member", "Member"},
	{"facilitator", "Facilitator"},
	{"lead", "Lead"},
};

bool team_kind_valid(const char *kind)
{
	return team_kind_label(kind) != NULL;
}

const char *team_kind_label(const char *kind)
{
	for (size_t i = 0; kind && i < COUNT_OF(kinds); i++)
		if (strcmp(kinds[i].kind, kind) == 0) return kinds[i].label;
	return NULL;
}

const char *const *team_kinds(size_t *n)
{
	static const char *const names[] = {"grade_level", "grade_band", "vertical", "plc", "leadership"};
	*n = COUNT_OF(names);
	return names;
}

bool team_role_valid(const char *team_role)
{
	return team_role_label(team_role) != NULL;
}

const char *team_role_label(const char *team_role)
{
	for (size_t i = 0; team_role && i < COUNT_OF(team_role_names); i++)
		if (strcmp(team_role_names[i].role, team_role) == 0) return team_role_names[i].label;
	return NULL;
}

const char *const *team_roles(size_t *n)
{
	static const char *const names[] = {"member", "facilitator", "lead"};
	*n = COUNT_OF(names);
	return names;
}

/* One grade as a number for ordering bands: K is 0, then 1 to 12. Reads
 * from s up to end; -1 when it is not a grade. */
static int grade_number(const char *s, const char *end)
{
	size_t n = (size_t)(end - s);
	if (n == 1 && (*s == 'K' || *s == 'k')) return 0;
	if (n < 1 || n > 2 || s[0] < '1' || s[0] > '9') return -1;
	int g = s[0] - '0';
	if (n == 2) {
		if (s[1] < '0' || s[1] > '9') return -1;
		g = g * 10 + (s[1] - '0');
	}
	return g <= 12 ? g : -1;
}

static int grade_text(char *out, size_t outlen, int g)
{
	return g == 0 ? snprintf(out, outlen, "K") : snprintf(out, outlen, "%d", g);
}

bool team_grade_parse(const char *s, char *out, size_t outlen, bool *is_band)
{
	if (!s || outlen < 8) return false;
	if (*s == 'G' || *s == 'g') s++; /* "G4" is how teams are named in schools */
	const char *end = s + strlen(s);
	/* An en dash is what word processors turn "6-8" into. */
	const char *dash = strchr(s, '-');
	size_t dash_len = 1;
	const char *en = strstr(s, "\xE2\x80\x93");
	if (!dash && en) {
		dash = en;
		dash_len = 3;
	}
	if (!dash) {
		int g = grade_number(s, end);
		if (g < 0) return false;
		*is_band = false;
		grade_text(out, outlen, g);
		return true;
	}
	int lo = grade_number(s, dash), hi = grade_number(dash + dash_len, end);
	if (lo < 0 || hi < 0 || lo >= hi) return false;
	*is_band = true;
	int w = grade_text(out, outlen, lo);
	out[w++] = '-';
	grade_text(out + w, outlen - (size_t)w, hi);
	return true;
}

const char *team_grade_label(arena *a, const char *grade)
{
	return grade && *grade ? arena_printf(a, "G%s", grade) : NULL;
}

/* A grade-level team is one grade and a grade-band team spans several;
 * the others may name a grade or band, or none (a district leadership
 * team has no grade). */
static void check_grade(arena *a, team_input *in, form_errors *e)
{
	const char *g = in->grade && *in->grade ? in->grade : NULL;
	bool level = str_eq(in->kind, "grade_level"), band = str_eq(in->kind, "grade_band");
	if (!g) {
		if (level) form_error_add(e, "grade", "Enter the team's grade (K, 1 … 12).");
		if (band) form_error_add(e, "grade", "Enter the team's grade band, such as 6-8.");
		in->grade = NULL;
		return;
	}
	char norm[16];
	bool is_band = false;
	if (!team_grade_parse(g, norm, sizeof norm, &is_band)) {
		form_error_add(e, "grade", "The grade must be K or 1 to 12, or a band such as 6-8.");
		return;
	}
	if (level && is_band) {
		form_error_add(e, "grade", "A grade-level team has one grade; for a band choose grade band.");
		return;
	}
	if (band && !is_band) {
		form_error_add(e, "grade", "A grade-band team spans grades, such as 6-8.");
		return;
	}
	in->grade = arena_strdup(a, norm);
}

void team_check(arena *a, team_input *in, form_errors *e)
{
	const char *problem = name_problem(in->name);
	if (problem) form_error_add(e, "name", problem);
	if (!in->kind || !*in->kind) form_error_add(e, "kind", "Choose the kind of team.");
	else if (!team_kind_valid(in->kind))
		form_error_add(e, "kind",
			       "The kind must be grade_level, grade_band, vertical, plc or leadership.");
	if (in->org_unreadable || in->org_id <= 0)
		form_error_add(e, "org_id", "Choose the school or district of the team.");
	check_grade(a, in, e);
}

unsigned team_distinct_roles(const team_member *m, size_t n)
{
	unsigned all = 0, count = 0;
	for (size_t i = 0; i < n; i++) all |= m[i].roles;
	for (int r = 0; r < ROLE_COUNT; r++) count += (all >> r) & 1u;
	return count;
}

bool team_is_role_diverse(unsigned distinct_roles)
{
	return distinct_roles >= TEAM_DIVERSE_ROLES;
}

/* A district's own team sits at the district; a school's at the school
 * and, through it, its district. */
place team_place(int64_t org_id, int64_t district_id)
{
	return (place){.org_id = org_id, .district_id = district_id, .partner_id = 0};
}

record team_record(const place *p, const int64_t *members, size_t nmembers)
{
	return (record){
		.kind = REC_TEAM, .places = p, .nplaces = 1, .teachers = members, .nteachers = nmembers};
}
