/* The messages a page shows after a redirect, by code (?ok=CODE). A fixed
 * table: a crafted address can choose among them but never write text. */
#include <string.h>

#include "app.h"

static const struct {
	const char *code;
	const char *message;
} flashes[] = {
	{"created", "Created."},
	{"saved", "Saved."},
	{"deactivated", "Deactivated."},
	{"reactivated", "Reactivated."},
	{"role-added", "Role added."},
	{"role-removed", "Role removed."},
	{"member-added", "Member added."},
	{"member-removed", "Member removed."},
	{"term-added", "Term added."},
	{"term-removed", "Term removed."},
	{"token-revoked", "Token revoked."},
	{"imported", "Import finished."},
	{"feed-revoked", "Calendar feed address revoked."},
	{"material-added", "Material added."},
	{"material-removed", "Material removed."},
	{"signed-out-everywhere", "Signed out on every other device."},
	{"signed-out-all", "Signed out on every device, this one too."},
};

const char *flash_message(const char *code)
{
	for (size_t i = 0; code && i < sizeof flashes / sizeof flashes[0]; i++)
		if (strcmp(flashes[i].code, code) == 0) return flashes[i].message;
	return NULL;
}
