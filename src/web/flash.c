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
	{"engagement-proposed", "Proposed: the district's leaders can accept or decline it now."},
	{"engagement-draft", "Back to a draft: the district no longer sees it as waiting."},
	{"engagement-accepted", "Accepted: the partner's people can work in the district now."},
	{"engagement-declined", "Declined: the partner's people have no reach into the district through it."},
	{"engagement-active", "The engagement is active."},
	{"engagement-ended", "The engagement has ended: the partner's reach through it ends too."},
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
	{"cycle-started", "The coaching cycle is started."},
	{"stage-saved", "Draft saved."},
	{"stage-completed", "Saved and marked complete."},
	{"note-added", "Note added."},
	{"note-removed", "Note removed."},
	{"tally-saved", "Count saved."},
	{"file-added", "File added."},
	{"file-removed", "File removed."},
	{"cycle-closed", "The cycle is closed."},
	{"cycle-reopened", "The cycle is reopened."},
	{"next-cycle", "The next cycle is open; its plan starts from the last one's next steps."},
	{"session-linked", "Linked to the coaching session."},
	{"session-unlinked", "No longer linked to a coaching session."},
	{"shared", "Shared: they can read it now, and never edit it."},
	{"share-revoked", "Share taken back."},
	{"template-saved", "Template saved."},
	{"signed-out-everywhere", "Signed out on every other device."},
	{"signed-out-all", "Signed out on every device, this one too."},
};

const char *flash_message(const char *code)
{
	for (size_t i = 0; code && i < sizeof flashes / sizeof flashes[0]; i++)
		if (strcmp(flashes[i].code, code) == 0) return flashes[i].message;
	return NULL;
}
