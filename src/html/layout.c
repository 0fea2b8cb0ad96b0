/* The shared page frame. No inline script or style anywhere: the Content
 * Security Policy forbids them, so behaviour lives in /static/coachd.js. */
#include "layout.h"

#include <stddef.h>

#include "../base/util.h"
#include "html.h"

static void head(buf *b, const layout *l)
{
	html_RAW(b,
		 "<!doctype html>\n<html lang=\"en\">\n<head>\n"
		 "<meta charset=\"utf-8\">\n"
		 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		 "<meta name=\"color-scheme\" content=\"light\">\n");
	if (l->title && *l->title) html_printf(b, "<title>%s · coachd</title>\n", l->title);
	else html_RAW(b, "<title>coachd</title>\n");
	html_RAW(b,
		 "<link rel=\"icon\" href=\"/static/icon.svg\" type=\"image/svg+xml\">\n"
		 "<link rel=\"stylesheet\" href=\"/static/coachd.css\">\n"
		 "<script src=\"/static/coachd.js\" defer></script>\n"
		 "</head>\n");
}

/* The links come from the caller, already cut to what this person may
 * use; signed out there are none. */
static void navigation(buf *b, const layout *l)
{
	if (!l->nnav) return;
	html_RAW(b, "<nav class=\"site-nav\" aria-label=\"Main\"><ul>");
	for (size_t i = 0; i < l->nnav; i++) {
		const nav_link *n = &l->nav[i];
		const char *current = str_eq(n->key, l->active) ? " aria-current=\"page\"" : "";
		html_printf(b, "<li><a href=\"%s\"", n->href);
		html_RAW(b, current);
		html_printf(b, ">%s</a></li>", n->label);
	}
	html_RAW(b, "</ul></nav>\n");
}

/* Signing out changes state, so it is a POST form carrying the CSRF token,
 * never a link a prefetcher could follow. */
static void account(buf *b, const layout *l)
{
	html_RAW(b, "<div class=\"account\">");
	if (l->user_name) {
		html_printf(b,
			    "<a class=\"account-name\" href=\"/account\">%s</a>"
			    "<form method=\"post\" action=\"/signout\" class=\"inline\">"
			    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
			    "<button type=\"submit\" class=\"button-link\">Sign out</button>"
			    "</form>",
			    l->user_name, l->csrf);
	} else {
		html_RAW(b, "<a href=\"/signin\">Sign in</a>");
	}
	html_RAW(b, "</div>\n");
}

static void header(buf *b, const layout *l)
{
	html_RAW(b,
		 "<header class=\"site-header\"><div class=\"wrap header-inner\">\n"
		 "<a class=\"brand\" href=\"/\">coachd</a>\n");
	navigation(b, l);
	account(b, l);
	html_RAW(b, "</div></header>\n");
}

/* The flash sits first inside <main> so that the skip link lands on it. */
static void flash(buf *b, const layout *l)
{
	if (!l->flash || !*l->flash) return;
	const char *kind = str_eq(l->flash_kind, "error") ? "error" : "ok";
	html_printf(b, "<div class=\"flash flash-%s\" role=\"status\"><p>%s</p></div>\n", kind, l->flash);
}

void layout_begin(buf *b, const layout *l)
{
	static const layout none = {0};
	if (!l) l = &none;
	head(b, l);
	html_RAW(b, "<body>\n<a class=\"skip-link\" href=\"#main\">Skip to main content</a>\n");
	header(b, l);
	html_RAW(b, "<main id=\"main\" class=\"wrap\" tabindex=\"-1\">\n");
	flash(b, l);
}

void layout_end(buf *b)
{
	html_RAW(b,
		 "</main>\n<footer class=\"site-footer\"><div class=\"wrap\">"
		 "<p>coachd · mathematics instructional coaching</p>"
		 "</div></footer>\n</body>\n</html>\n");
}
