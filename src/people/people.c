/* Rules about people and roles: what an email address and a name must be,
 * which role belongs at which kind of organization, what a new person
 * needs, and where a person sits for the access policy. Pure: no I/O. */
#include "people.h"

#include <string.h>

#include "../access/password.h"
#include "../base/util.h"

static bool ascii_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* One DNS label: letters, digits and inner hyphens, 1 to 63 of them. */
static bool label_ok(const char *s, size_t n)
{
	if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-') return false;
	for (size_t i = 0; i < n; i++)
		if (!ascii_alnum(s[i]) && s[i] != '-') return false;
	return true;
}

/* At least two labels, and a top level that is not a number (a bare IP
 * address is no one's school email). */
static bool domain_ok(const char *d)
{
	size_t labels = 0;
	const char *last = d;
	for (const char *p = d;; p++) {
		if (*p != '.' && *p) continue;
		if (!label_ok(last, (size_t)(p - last))) return false;
		labels++;
		if (!*p) break;
		last = p + 1;
	}
	bool numeric_tld = true;
	for (const char *p = last; *p; p++) numeric_tld &= *p >= '0' && *p <= '9';
	return labels >= 2 && !numeric_tld;
}

/* The part before the @: no spaces (checked already), none of the
 * characters that need quoting, and dots only between other characters. */
static bool local_ok(const char *s, size_t n)
{
	if (n == 0 || s[0] == '.' || s[n - 1] == '.') return false;
	for (size_t i = 0; i < n; i++) {
		if (strchr("()<>[]\\,;:\"@", s[i])) return false;
		if (s[i] == '.' && s[i + 1] == '.') return false;
	}
	return true;
}

const char *email_problem(const char *email)
{
	if (!email || !*email) return "Enter an email address.";
	if (strlen(email) > EMAIL_MAX_BYTES) return "The email address is longer than 254 characters.";
	for (const unsigned char *p = (const unsigned char *)email; *p; p++)
		if (*p <= 0x20 || *p == 0x7f)
			return "The email address has a space or a control character in it.";
	const char *at = strchr(email, '@');
	if (!at || strchr(at + 1, '@') || at == email || !at[1])
		return "An email address has one @ with a name before it and a domain after it, "
		       "like name@school.org.";
	size_t local = (size_t)(at - email);
	if (local > EMAIL_LOCAL_MAX) return "The part before the @ is longer than 64 characters.";
	if (!local_ok(email, local))
		return "The part before the @ has a character or a dot where an address cannot have one.";
	if (!domain_ok(at + 1)) return "The part after the @ is not a domain name like school.org.";
	return NULL;
}

const char *role_org_problem(role r, const char *org_kind)
{
	switch (r) {
	case ROLE_TEACHER: return str_eq(org_kind, "school") ? NULL : "A teacher holds the role at a school.";
	case ROLE_PRINCIPAL:
		return str_eq(org_kind, "school") ? NULL : "A principal holds the role at a school.";
	case ROLE_DISTRICT_LEADER:
		return str_eq(org_kind, "district") ? NULL
						    : "A district leader holds the role at a district.";
	case ROLE_PARTNER_STAFF:
		return str_eq(org_kind, "partner") ? NULL : "Partner staff hold the role at a partner.";
	case ROLE_COACH:
	case ROLE_ADMIN: return org_kind_valid(org_kind) ? NULL : "Choose an organization.";
	default: return "Choose one of the roles.";
	}
}

static void check_name(const char *name, form_errors *e)
{
	const char *problem = name_problem(name);
	if (problem) form_error_add(e, "name", problem);
}

void role_check(const char *role_name, int64_t org_id, bool org_unreadable, form_errors *e)
{
	role r;
	if (!role_name || !*role_name) form_error_add(e, "role", "Choose a role.");
	else if (!role_parse(role_name, &r))
		form_error_add(e, "role",
			       "Choose one of the roles: administrator, district leader, "
			       "principal, coach, teacher or partner staff.");
	if (org_unreadable) form_error_add(e, "org_id", "Choose the organization from the list.");
	else if (!org_id) form_error_add(e, "org_id", "Choose the organization where the role is held.");
}

void person_check_new(const person_input *in, form_errors *e)
{
	check_name(in->name, e);
	const char *problem = email_problem(in->email);
	if (problem) form_error_add(e, "email", problem);
	role_check(in->role, in->org_id, in->org_unreadable, e);
	if (in->password && *in->password) {
		problem = password_problem(in->password);
		if (problem) form_error_add(e, "password", problem);
	}
}

void person_check_edit(const person_input *in, bool email_required, form_errors *e)
{
	check_name(in->name, e);
	if (email_required || (in->email && *in->email)) {
		const char *problem = email_problem(in->email);
		if (problem) form_error_add(e, "email", problem);
	}
}

place held_place(const held *h)
{
	return org_place(h->org_kind, h->org_id, h->org_parent_id);
}

record person_record(arena *a, const person *p)
{
	place *places = arena_calloc(a, p->nroles ? p->nroles : 1, sizeof *places);
	for (size_t i = 0; i < p->nroles; i++) places[i] = held_place(&p->roles[i]);
	return (record){.kind = REC_PERSON, .places = places, .nplaces = p->nroles, .person_id = p->id};
}

record_kind role_grant_kind(role r, bool district_had_leader)
{
	if (r != ROLE_DISTRICT_LEADER) return REC_ROLE;
	return district_had_leader ? REC_LEADER_ROLE : REC_FIRST_LEADER_ROLE;
}

record role_record(record_kind kind, const place *p, int64_t person_id)
{
	return (record){.kind = kind, .places = p, .nplaces = 1, .person_id = person_id};
}

size_t person_admin_roles(const person *p)
{
	size_t n = 0;
	for (size_t i = 0; i < p->nroles; i++) n += p->roles[i].role == ROLE_ADMIN;
	return n;
}
