/* The main navigation: which features a person sees, decided by the access
 * policy (a link shows when the person may reach records of its kind). */
#include "../access/policy.h"
#include "app.h"

typedef struct nav_entry {
	nav_link link;
	record_kind kind;
	action act;
	/* Besides place-based reach: the role whose own records alone earn
	 * the link (a teacher's own classes), ROLE_COUNT for none, NAV_ANY_ROLE
	 * for everyone (each person has a calendar of their own). */
	int own_records_role;
} nav_entry;

enum { NAV_ANY_ROLE = ROLE_COUNT + 1 };

/* In display order. */
static const nav_entry entries[] = {
	{{"orgs", "/orgs", "Organizations"}, REC_ORG, ACT_READ, ROLE_COUNT},
	{{"engagements", "/engagements", "Engagements"}, REC_ENGAGEMENT, ACT_READ, ROLE_COUNT},
	{{"people", "/people", "People"}, REC_PERSON, ACT_READ, ROLE_COUNT},
	{{"teams", "/teams", "Teams"}, REC_TEAM, ACT_READ, ROLE_COUNT},
	{{"classes", "/classes", "Classes"}, REC_CLASS, ACT_READ, ROLE_TEACHER},
	{{"calendar", "/calendar", "Calendar"}, REC_PL_SESSION, ACT_READ, NAV_ANY_ROLE},
	/* Everyone: members find their cycles, and anyone a teacher shared
	 * one with finds it there. */
	{{"cycles", "/cycles", "Cycles"}, REC_COACHING, ACT_READ, NAV_ANY_ROLE},
	{{"coaching-report", "/reports/coaching", "Coaching report"},
	 REC_COACHING_SUMMARY,
	 ACT_READ,
	 ROLE_COUNT},
	/* Teachers reach walks they walked on, and sessions they rate in. */
	{{"walks", "/walks", "Learning walks"}, REC_WALK, ACT_READ, ROLE_TEACHER},
	{{"walk-dashboard", "/reports/walks", "Walk dashboard"}, REC_WALK_SUMMARY, ACT_READ, ROLE_COUNT},
	{{"calibration", "/calibrations", "Calibration"}, REC_CALIBRATION, ACT_READ, NAV_ANY_ROLE},
	{{"school-years", "/school-years", "School years"}, REC_SCHOOL_YEAR, ACT_CREATE, ROLE_COUNT},
	{{"cycle-templates", "/cycle-templates", "Cycle templates"},
	 REC_CYCLE_TEMPLATE,
	 ACT_CREATE,
	 ROLE_COUNT},
	{{"rubrics", "/rubrics", "Rubrics"}, REC_RUBRIC, ACT_CREATE, ROLE_COUNT},
	{{"import", "/admin/import", "Roster import"}, REC_ROSTER_IMPORT, ACT_CREATE, ROLE_COUNT},
	{{"audit", "/audit", "Audit log"}, REC_AUDIT, ACT_READ, ROLE_COUNT},
};

static bool reachable(const actor *a, const nav_entry *e)
{
	visibility v;
	policy_visibility(a, e->act, e->kind, &v);
	if (v.all || v.ndistricts || v.norgs || v.overflow) return true;
	if (e->own_records_role == ROLE_COUNT) return false;
	bool role_ok = e->own_records_role == NAV_ANY_ROLE || actor_has_role(a, (role)e->own_records_role);
	return role_ok && (v.self || v.member);
}

size_t nav_for(const actor *a, arena *ar, const nav_link **out)
{
	*out = NULL;
	if (!a) return 0;
	nav_link *links = arena_calloc(ar, sizeof entries / sizeof entries[0], sizeof *links);
	size_t n = 0;
	for (size_t i = 0; i < sizeof entries / sizeof entries[0]; i++)
		if (reachable(a, &entries[i])) links[n++] = entries[i].link;
	*out = links;
	return n;
}
