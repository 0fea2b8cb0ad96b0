/* The frame every HTML page shares: head, skip link, header with the main
 * navigation and account area, flash message, <main> and footer. */
#ifndef COACHD_LAYOUT_H
#define COACHD_LAYOUT_H

#include "../base/buf.h"

/* One link of the main navigation. */
typedef struct nav_link {
	const char *key; /* what a page passes as layout.active */
	const char *href;
	const char *label;
} nav_link;

typedef struct layout {
	const char *title;      /* page title, without the product name */
	const char *active;     /* key of the current nav item ("orgs"), or NULL */
	const char *flash;      /* one-off message after a redirect, or NULL */
	const char *flash_kind; /* "ok" (default) or "error" */
	const char *user_name;  /* signed-in person's name; NULL when signed out */
	const char *csrf;       /* token for the sign-out form; NULL when signed out */
	const nav_link *nav;    /* the links this person may use (web/nav.c) */
	size_t nnav;
} layout;

/* Writes everything up to and including the opening <main> (and the flash
 * message inside it); the page then writes its content, starting with its
 * <h1>, and calls layout_end. */
void layout_begin(buf *b, const layout *l);
void layout_end(buf *b);

#endif
