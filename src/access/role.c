/* Roles: their names as stored and as shown. */
#include <string.h>

#include "actor.h"

static const struct {
	const char *name;
	const char *label;
} roles[ROLE_COUNT] = {
	[ROLE_ADMIN] = {"admin", "Administrator"},
	[ROLE_DISTRICT_LEADER] = {"district_leader", "District leader"},
	[ROLE_PRINCIPAL] = {"principal", "Principal"},
	[ROLE_COACH] = {"coach", "Coach"},
	[ROLE_TEACHER] = {"teacher", "Teacher"},
	[ROLE_PARTNER_STAFF] = {"partner_staff", "Partner staff"},
};

const char *role_name(role r)
{
	return (unsigned)r < ROLE_COUNT ? roles[r].name : "unknown";
}

const char *role_label(role r)
{
	return (unsigned)r < ROLE_COUNT ? roles[r].label : "Unknown";
}

int role_parse(const char *name, role *out)
{
	for (int i = 0; name && i < ROLE_COUNT; i++) {
		if (strcmp(roles[i].name, name) == 0) {
			*out = (role)i;
			return 1;
		}
	}
	return 0;
}

int actor_has_role(const actor *a, role r)
{
	for (size_t i = 0; a && i < a->ngrants; i++)
		if (a->grants[i].role == r) return 1;
	return 0;
}
