/* The access policy: one table of rules {kind, action, role, scope}, read by
 * may() for single records and by policy_visibility() for list filters. */
#include "policy.h"

#include <string.h>

/* Who a rule is for: one role, or anybody signed in. */
typedef enum who {
	WHO_ADMIN = ROLE_ADMIN,
	WHO_DISTRICT_LEADER = ROLE_DISTRICT_LEADER,
	WHO_PRINCIPAL = ROLE_PRINCIPAL,
	WHO_COACH = ROLE_COACH,
	WHO_TEACHER = ROLE_TEACHER,
	WHO_PARTNER_STAFF = ROLE_PARTNER_STAFF,
	WHO_ANY = ROLE_COUNT
} who;

/* Where a rule reaches. The first four are satisfied by one of the actor's
 * grants (so an actor without grants gets none of them); the rest by the
 * actor being a person named in the record, which needs no role at all. */
typedef enum scope {
	SC_ALL,            /* any record of the kind */
	SC_DISTRICT,       /* a place in the grant's district or partner */
	SC_ORG,            /* a place at the grant's org */
	SC_UNPLACED,       /* a record with no places: installation-level */
	SC_PARTNER,        /* a place of the grant's partner (not the districts it works in) */
	SC_SELF,           /* the record is about or owned by the actor */
	SC_MEMBER,         /* the actor is one of its coaches or teachers */
	SC_TEACHER_MEMBER, /* the actor is one of its teachers */
	SC_COACH_MEMBER,   /* the actor is one of its coaches */
	SC_SHARED          /* a teacher shared it with the actor */
} scope;

typedef struct rule {
	record_kind kind;
	action act;
	who who;
	scope scope;
} rule;

/* A kind or action constant outside its enum (REC_KIND_COUNT, ACT_COUNT)
 * stops the build here rather than reading past a table at run time. */
#define IN_RANGE(v, n) \
	((v) + 0 * (int)sizeof(struct { \
		       _Static_assert((v) < (n), #v " is out of range"); \
		       int ok; \
	       }))
#define RULE(kind, act, role, where) \
	{ \
		IN_RANGE(REC_##kind, REC_KIND_COUNT), IN_RANGE(ACT_##act, ACT_COUNT), WHO_##role, SC_##where \
	}

/* Everything not written here is denied. Coaching content has no rule that
 * a role reaches by itself: only its members and those a teacher shared it
 * with see it; coaching is confidential and never evaluative. */
static const rule rules[] = {
	RULE(ORG, READ, ANY, ALL), /* the directory of organizations is not confidential */
	RULE(ORG, CREATE, ADMIN, DISTRICT),
	RULE(ORG, CREATE, ADMIN, UNPLACED), /* a new district or partner belongs nowhere yet */
	RULE(ORG, UPDATE, ADMIN, DISTRICT),
	RULE(ORG, DEACTIVATE, ADMIN, DISTRICT),

	RULE(PERSON, READ, ADMIN, DISTRICT),
	RULE(PERSON, READ, DISTRICT_LEADER, DISTRICT),
	RULE(PERSON, READ, PRINCIPAL, ORG),
	RULE(PERSON, READ, COACH, DISTRICT),
	RULE(PERSON, READ, TEACHER, ORG),
	RULE(PERSON, READ, PARTNER_STAFF, DISTRICT),
	RULE(PERSON, READ, ANY, SELF),
	RULE(PERSON, CREATE, ADMIN, DISTRICT),
	RULE(PERSON, UPDATE, ADMIN, DISTRICT),
	RULE(PERSON, UPDATE, ANY, SELF),
	RULE(PERSON, DEACTIVATE, ADMIN, DISTRICT),

	RULE(ROLE, READ, ADMIN, DISTRICT),
	RULE(ROLE, READ, DISTRICT_LEADER, DISTRICT),
	RULE(ROLE, READ, PRINCIPAL, ORG),
	RULE(ROLE, READ, COACH, DISTRICT),
	RULE(ROLE, READ, TEACHER, ORG),
	RULE(ROLE, READ, PARTNER_STAFF, DISTRICT),
	RULE(ROLE, READ, ANY, SELF),
	RULE(ROLE, CREATE, ADMIN, DISTRICT),     /* grant a role */
	RULE(ROLE, DEACTIVATE, ADMIN, DISTRICT), /* revoke it */
	/* Administrators manage accounts, never content: the district-leader
	 * role, which reads the district's walks, reports and audit log, is
	 * given by the district's leaders. An administrator gives it only to
	 * set up a district that has never had a leader; after that, when
	 * every leader is gone, the installation's operator grants it from
	 * the command line. Revoking it is account keeping, as for any role. */
	RULE(LEADER_ROLE, CREATE, DISTRICT_LEADER, DISTRICT),
	RULE(FIRST_LEADER_ROLE, CREATE, DISTRICT_LEADER, DISTRICT),
	RULE(FIRST_LEADER_ROLE, CREATE, ADMIN, DISTRICT),

	RULE(TEAM, READ, ADMIN, DISTRICT),
	RULE(TEAM, READ, DISTRICT_LEADER, DISTRICT),
	RULE(TEAM, READ, PRINCIPAL, ORG),
	RULE(TEAM, READ, COACH, DISTRICT),
	RULE(TEAM, READ, TEACHER, ORG),
	RULE(TEAM, READ, PARTNER_STAFF, DISTRICT),
	RULE(TEAM, READ, ANY, MEMBER), /* a team's members come as record.teachers */
	RULE(TEAM, CREATE, ADMIN, DISTRICT),
	RULE(TEAM, CREATE, DISTRICT_LEADER, DISTRICT),
	RULE(TEAM, CREATE, PRINCIPAL, ORG),
	RULE(TEAM, CREATE, COACH, DISTRICT),
	RULE(TEAM, UPDATE, ADMIN, DISTRICT),
	RULE(TEAM, UPDATE, DISTRICT_LEADER, DISTRICT),
	RULE(TEAM, UPDATE, PRINCIPAL, ORG),
	RULE(TEAM, UPDATE, COACH, DISTRICT),
	RULE(TEAM, DEACTIVATE, ADMIN, DISTRICT),
	RULE(TEAM, DEACTIVATE, DISTRICT_LEADER, DISTRICT),
	RULE(TEAM, DEACTIVATE, PRINCIPAL, ORG),
	RULE(TEAM, DEACTIVATE, COACH, DISTRICT),

	RULE(SCHOOL_YEAR, READ, ANY, DISTRICT),
	RULE(SCHOOL_YEAR, CREATE, ADMIN, DISTRICT),
	RULE(SCHOOL_YEAR, CREATE, DISTRICT_LEADER, DISTRICT),
	RULE(SCHOOL_YEAR, UPDATE, ADMIN, DISTRICT),
	RULE(SCHOOL_YEAR, UPDATE, DISTRICT_LEADER, DISTRICT),
	RULE(SCHOOL_YEAR, DEACTIVATE, ADMIN, DISTRICT),
	RULE(SCHOOL_YEAR, DEACTIVATE, DISTRICT_LEADER, DISTRICT),

	RULE(CLASS, READ, ADMIN, DISTRICT),
	RULE(CLASS, READ, DISTRICT_LEADER, DISTRICT),
	RULE(CLASS, READ, PRINCIPAL, ORG),
	RULE(CLASS, READ, ANY, TEACHER_MEMBER),
	RULE(CLASS, CREATE, ADMIN, DISTRICT),
	RULE(CLASS, UPDATE, ADMIN, DISTRICT),
	RULE(CLASS, DEACTIVATE, ADMIN, DISTRICT),

	/* A token's places are its owner's places. */
	RULE(TOKEN, READ, ANY, SELF),
	RULE(TOKEN, READ, ADMIN, DISTRICT),
	RULE(TOKEN, CREATE, ANY, SELF),
	RULE(TOKEN, DEACTIVATE, ANY, SELF),
	RULE(TOKEN, DEACTIVATE, ADMIN, DISTRICT),

	RULE(AUDIT, READ, ADMIN, DISTRICT),
	RULE(AUDIT, READ, DISTRICT_LEADER, DISTRICT),
	RULE(AUDIT, READ, ADMIN, UNPLACED),
	RULE(AUDIT, EXPORT, ADMIN, DISTRICT),
	RULE(AUDIT, EXPORT, DISTRICT_LEADER, DISTRICT),
	RULE(AUDIT, EXPORT, ADMIN, UNPLACED),

	RULE(ROSTER_IMPORT, READ, ADMIN, DISTRICT),
	RULE(ROSTER_IMPORT, CREATE, ADMIN, DISTRICT),

	RULE(COACHING, READ, ANY, MEMBER),
	RULE(COACHING, READ, ANY, SHARED),
	RULE(COACHING, CREATE, COACH, DISTRICT),
	RULE(COACHING, UPDATE, ANY, MEMBER),
	RULE(COACHING, DEACTIVATE, ANY, COACH_MEMBER),
	RULE(COACHING, SHARE, ANY, TEACHER_MEMBER), /* a coach cannot share for the teacher */
	RULE(COACHING, EXPORT, ANY, MEMBER),

	RULE(COACHING_SUMMARY, READ, DISTRICT_LEADER, DISTRICT),
	RULE(COACHING_SUMMARY, READ, PRINCIPAL, ORG),
	RULE(COACHING_SUMMARY, READ, COACH, DISTRICT),
	RULE(COACHING_SUMMARY, EXPORT, DISTRICT_LEADER, DISTRICT),
	RULE(COACHING_SUMMARY, EXPORT, PRINCIPAL, ORG),
	RULE(COACHING_SUMMARY, EXPORT, COACH, DISTRICT),

	/* Partnerships: both sides of the agreement see and edit it; the
	 * partner's coaches see it; money only the two signing sides. An
	 * engagement and its sessions are placed at the district and at the
	 * partner, so a DISTRICT rule reaches them from either side. */
	RULE(ENGAGEMENT, READ, DISTRICT_LEADER, DISTRICT),
	RULE(ENGAGEMENT, READ, ADMIN, DISTRICT), /* to act for the district on a proposal */
	RULE(ENGAGEMENT, READ, PARTNER_STAFF, DISTRICT),
	RULE(ENGAGEMENT, READ, COACH, DISTRICT),
	RULE(ENGAGEMENT, CREATE, DISTRICT_LEADER, DISTRICT),
	RULE(ENGAGEMENT, CREATE, PARTNER_STAFF, DISTRICT),
	RULE(ENGAGEMENT, UPDATE, DISTRICT_LEADER, DISTRICT),
	RULE(ENGAGEMENT, UPDATE, PARTNER_STAFF, DISTRICT),
	RULE(ENGAGEMENT, DEACTIVATE, DISTRICT_LEADER, DISTRICT),
	RULE(ENGAGEMENT, DEACTIVATE, PARTNER_STAFF, DISTRICT),
	RULE(ENGAGEMENT, EXPORT, DISTRICT_LEADER, DISTRICT),
	RULE(ENGAGEMENT, EXPORT, PARTNER_STAFF, DISTRICT),
	/* Reach is given, never taken: an agreement lets the partner's people
	 * into a district only once the district accepted it, and only the
	 * district decides. Its leaders do; its administrators may act for
	 * it (audited as such). The record is placed at the district alone,
	 * so no grant of the partner's, derived or not, reaches it. */
	RULE(ENGAGEMENT_DECISION, UPDATE, DISTRICT_LEADER, DISTRICT),
	RULE(ENGAGEMENT_DECISION, UPDATE, ADMIN, DISTRICT),
	RULE(MONEY, READ, DISTRICT_LEADER, DISTRICT),
	RULE(MONEY, READ, PARTNER_STAFF, DISTRICT),
	RULE(MONEY, EXPORT, DISTRICT_LEADER, DISTRICT),
	RULE(MONEY, EXPORT, PARTNER_STAFF, DISTRICT),
	/* Sessions: principals see those at their school, people see the
	 * ones they facilitate or take part in; facilitators record
	 * attendance and delivery. */
	RULE(PL_SESSION, READ, DISTRICT_LEADER, DISTRICT),
	RULE(PL_SESSION, READ, PARTNER_STAFF, DISTRICT),
	RULE(PL_SESSION, READ, COACH, DISTRICT),
	RULE(PL_SESSION, READ, PRINCIPAL, ORG),
	RULE(PL_SESSION, READ, ANY, MEMBER),
	RULE(PL_SESSION, CREATE, DISTRICT_LEADER, DISTRICT),
	RULE(PL_SESSION, CREATE, PARTNER_STAFF, DISTRICT),
	RULE(PL_SESSION, CREATE, COACH, DISTRICT),
	RULE(PL_SESSION, UPDATE, DISTRICT_LEADER, DISTRICT),
	RULE(PL_SESSION, UPDATE, PARTNER_STAFF, DISTRICT),
	RULE(PL_SESSION, UPDATE, COACH, DISTRICT),
	RULE(PL_SESSION, UPDATE, ANY, COACH_MEMBER),
	RULE(PL_SESSION, DEACTIVATE, DISTRICT_LEADER, DISTRICT),
	RULE(PL_SESSION, DEACTIVATE, PARTNER_STAFF, DISTRICT),
	RULE(PL_SESSION, DEACTIVATE, COACH, DISTRICT),

	/* Cycle templates hold prompts, no content: everyone in the district
	 * (or at the partner) reads them; its leaders write them. A partner's
	 * staff write their partner's own, never a district's, even where an
	 * agreement lets them work in that district. */
	RULE(CYCLE_TEMPLATE, READ, ANY, DISTRICT),
	RULE(CYCLE_TEMPLATE, CREATE, ADMIN, DISTRICT),
	RULE(CYCLE_TEMPLATE, CREATE, DISTRICT_LEADER, DISTRICT),
	RULE(CYCLE_TEMPLATE, CREATE, PARTNER_STAFF, PARTNER),
	RULE(CYCLE_TEMPLATE, UPDATE, ADMIN, DISTRICT),
	RULE(CYCLE_TEMPLATE, UPDATE, DISTRICT_LEADER, DISTRICT),
	RULE(CYCLE_TEMPLATE, UPDATE, PARTNER_STAFF, PARTNER),
	RULE(CYCLE_TEMPLATE, DEACTIVATE, ADMIN, DISTRICT),
	RULE(CYCLE_TEMPLATE, DEACTIVATE, DISTRICT_LEADER, DISTRICT),
	RULE(CYCLE_TEMPLATE, DEACTIVATE, PARTNER_STAFF, PARTNER),

	/* Rubrics: the built-in frameworks belong nowhere and are read by
	 * anyone holding a role; a district's own by everyone there. Those who
	 * answer for the district's tools write them; a partner's staff write
	 * the partner's own (a district copies one to adopt it). */
	RULE(RUBRIC, READ, ANY, DISTRICT),
	RULE(RUBRIC, READ, ANY, UNPLACED),
	RULE(RUBRIC, CREATE, ADMIN, DISTRICT),
	RULE(RUBRIC, CREATE, DISTRICT_LEADER, DISTRICT),
	RULE(RUBRIC, CREATE, PARTNER_STAFF, PARTNER),
	RULE(RUBRIC, UPDATE, ADMIN, DISTRICT),
	RULE(RUBRIC, UPDATE, DISTRICT_LEADER, DISTRICT),
	RULE(RUBRIC, UPDATE, PARTNER_STAFF, PARTNER),
	RULE(RUBRIC, DEACTIVATE, ADMIN, DISTRICT),
	RULE(RUBRIC, DEACTIVATE, DISTRICT_LEADER, DISTRICT),
	RULE(RUBRIC, DEACTIVATE, PARTNER_STAFF, PARTNER),

	/* Learning walks are about the system, not the teacher (a visit names
	 * a classroom by grade and time): the school's principal, the
	 * district's leaders and coaches, the partner's staff and the walkers
	 * themselves see them. A walk is placed at its school. */
	RULE(WALK, READ, DISTRICT_LEADER, DISTRICT),
	RULE(WALK, READ, PRINCIPAL, ORG),
	RULE(WALK, READ, COACH, DISTRICT),
	RULE(WALK, READ, PARTNER_STAFF, DISTRICT),
	RULE(WALK, READ, ANY, MEMBER),
	RULE(WALK, CREATE, DISTRICT_LEADER, DISTRICT),
	RULE(WALK, CREATE, PRINCIPAL, ORG),
	RULE(WALK, CREATE, COACH, DISTRICT),
	RULE(WALK, CREATE, PARTNER_STAFF, DISTRICT),
	RULE(WALK, UPDATE, DISTRICT_LEADER, DISTRICT),
	RULE(WALK, UPDATE, PRINCIPAL, ORG),
	RULE(WALK, UPDATE, ANY, MEMBER),
	RULE(WALK, UPDATE, ANY, SELF), /* whoever set it up */
	RULE(WALK, DEACTIVATE, DISTRICT_LEADER, DISTRICT),
	RULE(WALK, DEACTIVATE, PRINCIPAL, ORG),
	RULE(WALK, DEACTIVATE, ANY, SELF),
	RULE(WALK, EXPORT, DISTRICT_LEADER, DISTRICT),
	RULE(WALK, EXPORT, PRINCIPAL, ORG),
	RULE(WALK, EXPORT, ANY, MEMBER),
	/* A visit: read as its walk is; written by the walk's walkers, each
	 * changing only their own; removed by its observer or the leaders. */
	RULE(VISIT, READ, DISTRICT_LEADER, DISTRICT),
	RULE(VISIT, READ, PRINCIPAL, ORG),
	RULE(VISIT, READ, COACH, DISTRICT),
	RULE(VISIT, READ, PARTNER_STAFF, DISTRICT),
	RULE(VISIT, READ, ANY, MEMBER),
	RULE(VISIT, CREATE, ANY, MEMBER),
	RULE(VISIT, UPDATE, ANY, SELF),
	RULE(VISIT, DEACTIVATE, ANY, SELF),
	RULE(VISIT, DEACTIVATE, DISTRICT_LEADER, DISTRICT),
	RULE(VISIT, DEACTIVATE, PRINCIPAL, ORG),
	/* The dashboards: counts behind a minimum cell size, never a visit.
	 * Updating it means the district's walk settings (whether visits name
	 * teachers, the minimum cell size): the district's leaders decide,
	 * not its administrators, who manage accounts. */
	RULE(WALK_SUMMARY, READ, DISTRICT_LEADER, DISTRICT),
	RULE(WALK_SUMMARY, READ, PRINCIPAL, ORG),
	RULE(WALK_SUMMARY, READ, COACH, DISTRICT),
	RULE(WALK_SUMMARY, READ, PARTNER_STAFF, DISTRICT),
	RULE(WALK_SUMMARY, EXPORT, DISTRICT_LEADER, DISTRICT),
	RULE(WALK_SUMMARY, EXPORT, PRINCIPAL, ORG),
	RULE(WALK_SUMMARY, EXPORT, COACH, DISTRICT),
	RULE(WALK_SUMMARY, EXPORT, PARTNER_STAFF, DISTRICT),
	RULE(WALK_SUMMARY, UPDATE, DISTRICT_LEADER, DISTRICT),

	/* Calibration is about observers, not teachers: its facilitators
	 * (coaches) and raters (teachers) are inside it, and those who answer
	 * for the district's or partner's observers read the results (partner
	 * staff those their partner runs). Who
	 * sees whose ratings, and when, is the blind rule of
	 * src/calibrate/calibration.c, applied after this. */
	RULE(CALIBRATION, READ, ANY, MEMBER),
	RULE(CALIBRATION, READ, DISTRICT_LEADER, DISTRICT),
	RULE(CALIBRATION, READ, PARTNER_STAFF, PARTNER),
	RULE(CALIBRATION, CREATE, DISTRICT_LEADER, DISTRICT),
	RULE(CALIBRATION, CREATE, COACH, DISTRICT),
	RULE(CALIBRATION, CREATE, PARTNER_STAFF, DISTRICT),
	RULE(CALIBRATION, UPDATE, ANY, COACH_MEMBER),
	RULE(CALIBRATION, UPDATE, DISTRICT_LEADER, DISTRICT),
	RULE(CALIBRATION, UPDATE, PARTNER_STAFF, PARTNER),
	RULE(CALIBRATION, DEACTIVATE, ANY, COACH_MEMBER),
	RULE(CALIBRATION, DEACTIVATE, DISTRICT_LEADER, DISTRICT),
	RULE(CALIBRATION, EXPORT, ANY, COACH_MEMBER),
	RULE(CALIBRATION, EXPORT, DISTRICT_LEADER, DISTRICT),
	RULE(CALIBRATION, EXPORT, PARTNER_STAFF, PARTNER),
	/* A rater's own ratings: only an invited rater rates, only as
	 * themselves, and reads their own before submitting. */
	RULE(CALIBRATION_RATING, READ, ANY, SELF),
	RULE(CALIBRATION_RATING, CREATE, ANY, TEACHER_MEMBER),
	RULE(CALIBRATION_RATING, UPDATE, ANY, SELF),
};

/* What nobody may do, whatever a rule above allows: asked before them. */
typedef enum never_when {
	NEVER_SELF /* the record is about the actor (person_id) */
} never_when;

typedef struct never {
	record_kind kind;
	action act;
	never_when when;
} never;

#define NEVER(kind, act, when) \
	{ \
		IN_RANGE(REC_##kind, REC_KIND_COUNT), IN_RANGE(ACT_##act, ACT_COUNT), NEVER_##when \
	}

/* Reach is given, never taken: nobody grants themselves a role. */
static const never nevers[] = {
	NEVER(ROLE, CREATE, SELF),
	NEVER(LEADER_ROLE, CREATE, SELF),
	NEVER(FIRST_LEADER_ROLE, CREATE, SELF),
};

static bool forbidden(const actor *a, action act, const record *r)
{
	for (size_t i = 0; i < sizeof nevers / sizeof nevers[0]; i++) {
		const never *n = &nevers[i];
		if (n->kind != r->kind || n->act != act) continue;
		if (n->when == NEVER_SELF && a->person_id && r->person_id == a->person_id) return true;
	}
	return false;
}

static bool rule_applies(const rule *ru, record_kind kind, action act)
{
	return ru->kind == kind && ru->act == act;
}

static bool scope_needs_grant(scope sc)
{
	return sc == SC_ALL || sc == SC_DISTRICT || sc == SC_ORG || sc == SC_UNPLACED || sc == SC_PARTNER;
}

static bool grant_is_for(const grant *g, who w)
{
	return w == WHO_ANY || (int)g->role == (int)w;
}

/* A rule about people in the record may still name a role; none does
 * today, but then the actor must hold it somewhere. */
static bool actor_is(const actor *a, who w)
{
	return w == WHO_ANY || actor_has_role(a, (role)w);
}

static bool in_district(const grant *g, const place *p)
{
	return (g->district_id && p->district_id == g->district_id) ||
		(g->partner_id && p->partner_id == g->partner_id);
}

static bool at_org(const grant *g, const place *p)
{
	return g->org_id && p->org_id == g->org_id;
}

/* A grant that names both a district and a partner comes from a
 * partnership (a partner's coach working in a district it has an agreement
 * with). It reaches the district's own records, but never what belongs to
 * another partner there: that partner's agreements, prices and sessions. */
static bool other_partners(const grant *g, const record *r)
{
	if (!(g->district_id && g->partner_id)) return false;
	bool theirs = false;
	for (size_t i = 0; i < r->nplaces; i++) {
		if (r->places[i].partner_id == g->partner_id) return false;
		if (r->places[i].partner_id) theirs = true;
	}
	return theirs;
}

static bool grant_reaches(const grant *g, scope sc, const record *r)
{
	if (sc == SC_ALL) return true;
	if (sc == SC_UNPLACED) return r->nplaces == 0;
	if (other_partners(g, r)) return false;
	for (size_t i = 0; i < r->nplaces; i++) {
		if (sc == SC_DISTRICT && in_district(g, &r->places[i])) return true;
		if (sc == SC_ORG && at_org(g, &r->places[i])) return true;
		if (sc == SC_PARTNER && g->partner_id && r->places[i].partner_id == g->partner_id)
			return true;
	}
	return false;
}

/* Person 0 is nobody: a record listing 0 must not admit an actor without
 * a person behind it. */
static bool among(int64_t person, const int64_t *people, size_t n)
{
	for (size_t i = 0; person && i < n; i++)
		if (people[i] == person) return true;
	return false;
}

static bool person_in_record(int64_t person, scope sc, const record *r)
{
	switch (sc) {
	case SC_SELF: return person && r->person_id == person;
	case SC_MEMBER:
		return among(person, r->coaches, r->ncoaches) || among(person, r->teachers, r->nteachers);
	case SC_TEACHER_MEMBER: return among(person, r->teachers, r->nteachers);
	case SC_COACH_MEMBER: return among(person, r->coaches, r->ncoaches);
	case SC_SHARED: return among(person, r->shared_with, r->nshared);
	default: return false;
	}
}

static bool rule_admits(const rule *ru, const actor *a, const record *r)
{
	if (!scope_needs_grant(ru->scope))
		return actor_is(a, ru->who) && person_in_record(a->person_id, ru->scope, r);
	for (size_t i = 0; i < a->ngrants; i++)
		if (grant_is_for(&a->grants[i], ru->who) && grant_reaches(&a->grants[i], ru->scope, r))
			return true;
	return false;
}

static bool known(record_kind kind, action act)
{
	return (unsigned)kind < REC_KIND_COUNT && (unsigned)act < ACT_COUNT;
}

bool may(const actor *a, action act, const record *r)
{
	if (!a || !r || !known(r->kind, act)) return false;
	if (r->nplaces && !r->places) return false; /* a malformed record admits nobody */
	if (forbidden(a, act, r)) return false;
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
		if (rule_applies(&rules[i], r->kind, act) && rule_admits(&rules[i], a, r)) return true;
	return false;
}

/* Adds id to a list of at most VISIBILITY_MAX once; a list that would grow
 * past that marks the whole answer as overflowing. */
static void add_place_id(int64_t *ids, size_t *n, int64_t id, visibility *out)
{
	if (!id) return;
	for (size_t i = 0; i < *n; i++)
		if (ids[i] == id) return;
	if (*n == VISIBILITY_MAX) {
		out->overflow = true;
		return;
	}
	ids[(*n)++] = id;
}

static void grant_visibility(const grant *g, scope sc, visibility *out)
{
	switch (sc) {
	case SC_ALL: out->all = true; break;
	case SC_DISTRICT:
		add_place_id(out->districts, &out->ndistricts, g->district_id, out);
		add_place_id(out->districts, &out->ndistricts, g->partner_id, out);
		break;
	case SC_ORG: add_place_id(out->orgs, &out->norgs, g->org_id, out); break;
	case SC_PARTNER: add_place_id(out->districts, &out->ndistricts, g->partner_id, out); break;
	case SC_UNPLACED: out->unplaced = true; break;
	default: break;
	}
}

/* Person scopes widen the filter to rows naming the actor; whether the
 * actor is a teacher or a coach there is left to may() on each row. */
static void person_visibility(const actor *a, scope sc, visibility *out)
{
	if (!a->person_id) return;
	if (sc == SC_SELF) out->self = true;
	else out->member = true;
}

void policy_visibility(const actor *a, action act, record_kind kind, visibility *out)
{
	memset(out, 0, sizeof *out);
	if (!a || !known(kind, act)) return;
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		const rule *ru = &rules[i];
		if (!rule_applies(ru, kind, act)) continue;
		if (!scope_needs_grant(ru->scope)) {
			if (actor_is(a, ru->who)) person_visibility(a, ru->scope, out);
			continue;
		}
		for (size_t g = 0; g < a->ngrants; g++)
			if (grant_is_for(&a->grants[g], ru->who))
				grant_visibility(&a->grants[g], ru->scope, out);
	}
}

static const char *const kind_names[REC_KIND_COUNT] = {
	[REC_ORG] = "org",
	[REC_PERSON] = "person",
	[REC_ROLE] = "role",
	[REC_LEADER_ROLE] = "leader_role",
	[REC_FIRST_LEADER_ROLE] = "first_leader_role",
	[REC_TEAM] = "team",
	[REC_SCHOOL_YEAR] = "school_year",
	[REC_CLASS] = "class",
	[REC_TOKEN] = "token",
	[REC_AUDIT] = "audit",
	[REC_ROSTER_IMPORT] = "roster_import",
	[REC_COACHING] = "coaching",
	[REC_COACHING_SUMMARY] = "coaching_summary",
	[REC_ENGAGEMENT] = "engagement",
	[REC_ENGAGEMENT_DECISION] = "engagement_decision",
	[REC_MONEY] = "money",
	[REC_PL_SESSION] = "session",
	[REC_CYCLE_TEMPLATE] = "cycle_template",
	[REC_RUBRIC] = "rubric",
	[REC_WALK] = "walk",
	[REC_VISIT] = "visit",
	[REC_WALK_SUMMARY] = "walk_summary",
	[REC_CALIBRATION] = "calibration",
	[REC_CALIBRATION_RATING] = "calibration_rating",
};

static const char *const action_names[ACT_COUNT] = {
	[ACT_READ] = "read",     [ACT_CREATE] = "create",
	[ACT_UPDATE] = "update", [ACT_DEACTIVATE] = "deactivate",
	[ACT_SHARE] = "share",   [ACT_EXPORT] = "export",
};

const char *record_kind_name(record_kind k)
{
	return (unsigned)k < REC_KIND_COUNT ? kind_names[k] : "unknown";
}

const char *action_name(action act)
{
	return (unsigned)act < ACT_COUNT ? action_names[act] : "unknown";
}
