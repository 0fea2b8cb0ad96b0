/* The sign-in and sign-out pages (and their JSON shape under /api/): a
 * local account's email and password open a fresh session. Failed
 * attempts are throttled, and every attempt goes into the audit log. */
#include <jansson.h>
#include <string.h>

#include "../base/log.h"
#include "../base/util.h"
#include "../html/html.h"
#include "../web/app.h"
#include "account_store.h"
#include "audit.h"
#include "grants.h"
#include "password.h"
#include "signin_session.h"
#include "signin.h"
#include "throttle.h"

static const char wrong_credentials[] = "Email or password is wrong.";

/* What the sign-in form shows: the email typed (never the password) and
 * what was wrong, beside the field it concerns. */
typedef struct signin_form {
	const char *email;
	const char *next;
	const char *email_error;
	const char *password_error;
	const char *error; /* about the whole attempt */
} signin_form;

/* A return address we will redirect to: a path on this site. "//host" and
 * "/\host" are other sites to a browser, so they (and anything not
 * starting with "/") become the start page. Bytes a Location header must
 * not carry raw (controls, space, non-ASCII) are percent-encoded, which
 * also rules out header splitting. */
static const char *local_next(arena *a, const char *next)
{
	if (!next || next[0] != '/' || next[1] == '/' || strchr(next, '\\')) return "/";
	size_t n = strlen(next);
	char *out = arena_alloc(a, n * 3 + 1);
	char *w = out;
	for (const unsigned char *p = (const unsigned char *)next; *p; p++) {
		if (*p > 0x20 && *p < 0x7f) {
			*w++ = (char)*p;
		} else {
			static const char hex[] = "0123456789ABCDEF";
			*w++ = '%';
			*w++ = hex[*p >> 4];
			*w++ = hex[*p & 15];
		}
	}
	*w = '\0';
	return out;
}

static password_gate *hashing_gate(const req *rq)
{
	return rq->app ? rq->app->hashing : NULL;
}

static bool secure_cookies(const req *rq)
{
	return rq->app && rq->app->secure_cookies;
}

/* One field with its label and, when it was wrong, the message beside it
 * (tied to the input by aria-describedby so a screen reader reads both). */
static void field_html(buf *b, const char *id, const char *label, const char *type, const char *autocomplete,
		       const char *value, const char *error)
{
	form_field_open(b, id, label, NULL, error);
	html_printf(b, "<input id=\"%s\" name=\"%s\" type=\"%s\" autocomplete=\"%s\" required", id, id, type,
		    autocomplete);
	if (value) html_printf(b, " value=\"%s\"", value);
	form_control_described(b, id, NULL, error);
	html_RAW(b, ">\n");
	form_field_close(b);
}

static void signin_form_html(buf *b, const signin_form *f)
{
	if (f->error) html_printf(b, "<div class=\"form-error\" role=\"alert\"><p>%s</p></div>\n", f->error);
	html_RAW(b, "<form class=\"signin\" method=\"post\" action=\"/signin\">\n");
	html_printf(b, "<input type=\"hidden\" name=\"next\" value=\"%s\">\n", f->next ? f->next : "/");
	field_html(b, "email", "Email", "email", "username", f->email ? f->email : "", f->email_error);
	field_html(b, "password", "Password", "password", "current-password", NULL, f->password_error);
	html_RAW(b,
		 "<button type=\"submit\">Sign in</button>\n</form>\n"
		 "<p class=\"hint\">Forgot your password? Your coachd administrator can set "
		 "a new one.</p>\n");
}

static void signin_page(req *rq, resp *rs, int status, const signin_form *f)
{
	buf *b = resp_html(rs, status);
	layout l = page_layout(rq, "Sign in", NULL);
	layout_begin(b, &l);
	html_RAW(b, "<h1>Sign in</h1>\n");
	signin_form_html(b, f);
	layout_end(b);
}

/* Signed in already: say as whom, and offer to sign out (here or on every
 * device) rather than a second sign-in. */
static void signed_in_page(req *rq, resp *rs, const char *next)
{
	const actor *who = rq->actor;
	buf *b = resp_html(rs, 200);
	layout l = page_layout(rq, "Signed in", NULL);
	layout_begin(b, &l);
	html_RAW(b, "<h1>You are signed in</h1>\n");
	if (who->email)
		html_printf(b, "<p>Signed in as <strong>%s</strong> (%s).</p>\n", who->name, who->email);
	else html_printf(b, "<p>Signed in as <strong>%s</strong>.</p>\n", who->name);
	html_printf(b, "<p><a href=\"%s\">Continue</a></p>\n", local_next(rq->a, next));
	html_printf(b,
		    "<form method=\"post\" action=\"/signout\" class=\"inline\">\n"
		    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n"
		    "<button type=\"submit\">Sign out</button>\n</form>\n"
		    "<form method=\"post\" action=\"/signout\" class=\"inline\">\n"
		    "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n"
		    "<input type=\"hidden\" name=\"everywhere\" value=\"1\">\n"
		    "<button type=\"submit\" class=\"secondary\">Sign out on every device</button>\n"
		    "</form>\n",
		    who->csrf, who->csrf);
	layout_end(b);
}

/*
** GET /signin?next=PATH
** The sign-in form (email, password; next is where to go afterwards).
** Signed in already: who, a Continue link and the sign-out buttons.
** Permissions: anyone.
*/
void page_signin(req *rq, resp *rs)
{
	const char *next = local_next(rq->a, req_query(rq, "next"));
	if (rq->actor) {
		signed_in_page(rq, rs, next);
		return;
	}
	signin_form f = {.next = next};
	signin_page(rq, rs, 200, &f);
}

/* The attempt, from a form or (under /api/) a JSON object. */
typedef struct signin_attempt {
	const char *email;
	const char *password;
	const char *next;
} signin_attempt;

static const char *json_text(arena *a, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? arena_strdup(a, json_string_value(v)) : NULL;
}

static bool is_json(const req *rq)
{
	return rq->body && rq->content_type && str_starts(rq->content_type, "application/json");
}

/* False (with the response filled) when a JSON body does not parse. */
static bool read_attempt(req *rq, resp *rs, signin_attempt *t)
{
	if (!is_json(rq)) {
		*t = (signin_attempt){req_form(rq, "email"), req_form(rq, "password"), req_form(rq, "next")};
		return true;
	}
	json_t *o = json_loadb(rq->body, rq->body_len, 0, NULL);
	if (!json_is_object(o)) {
		json_decref(o);
		resp_error(rq, rs, 400, "bad_json", "the body must be a JSON object with email and password",
			   NULL);
		return false;
	}
	*t = (signin_attempt){json_text(rq->a, o, "email"), json_text(rq->a, o, "password"),
			      json_text(rq->a, o, "next")};
	json_decref(o);
	return true;
}

/* Phones add a space after an autocompleted address. */
static const char *trimmed(arena *a, const char *s)
{
	if (!s) return NULL;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n')) n--;
	return arena_strndup(a, s, n);
}

/* Answers a failed attempt: JSON under /api/, else the form again with the
 * email kept and the message where it belongs. */
static void refuse(req *rq, resp *rs, int status, const char *code, const signin_form *f, const char *message,
		   const char *field)
{
	if (rq->api) {
		resp_error(rq, rs, status, code, message, field);
		return;
	}
	signin_page(rq, rs, status, f);
}

/* Checks the password; every path costs one argon2id verification so the
 * time taken does not tell whether the email has an account. */
static bool password_opens(req *rq, const account *acct, bool found, const char *password)
{
	if (!found || !acct->password_hash) {
		password_verify_dummy(hashing_gate(rq), password);
		return false;
	}
	return password_verify(hashing_gate(rq), acct->password_hash, password);
}

/* Hashes made with weaker parameters are upgraded while the password is
 * at hand; failing to do so is no reason to refuse the sign-in. */
static void upgrade_hash(req *rq, const account *acct, const char *password)
{
	if (!password_needs_rehash(acct->password_hash)) return;
	char hash[PASSWORD_HASH_MAX];
	if (!password_hash(hashing_gate(rq), password, hash)) return;
	(void)account_password_save(rq->db, rq->a, acct->id, hash);
}

/* A browser marks a request another site made it send; signing someone
 * into an account of the attacker's choosing is refused on that mark
 * (there is no session yet whose CSRF token could guard this form). */
static bool sent_from_another_site(const req *rq)
{
	return str_eq(req_header(rq, "Sec-Fetch-Site"), "cross-site");
}

/* The account as the audit log names it; NULL for an email without one. */
static const actor *claimed(req *rq, const account *acct, bool found)
{
	if (!found) return NULL;
	actor *who = arena_alloc(rq->a, sizeof *who);
	*who = (actor){.person_id = acct->id, .name = acct->name, .email = acct->email};
	return who;
}

/* The rest of an attempt's writes, and its audit entry, land together or
 * not at all. */
static store_rc finish_attempt(req *rq, store_rc rc)
{
	if (rc == STORE_OK) rc = store_commit(rq->db);
	if (rc != STORE_OK) store_rollback(rq->db);
	return rc;
}

static void signed_in(req *rq, resp *rs, const account *acct, const char *typed, int64_t home,
		      const char *next)
{
	/* Rotate: whatever token the browser brought is ended, never reused. */
	const char *old = req_cookie(rq, SESSION_COOKIE);
	const char *token = NULL, *csrf = NULL;
	int64_t now = now_unix();
	audit_event e = {.action = "signin.ok", .kind = "person", .object_id = acct->id, .district_id = home};
	store_rc rc = store_begin(rq->db);
	if (rc == STORE_OK && old) rc = session_end(rq->db, old);
	if (rc == STORE_OK) rc = session_create(rq->db, rq->a, acct->id, rq->remote, now, &token, &csrf);
	/* Forgive the failures counted under the email as typed. */
	if (rc == STORE_OK) rc = throttle_forgive(rq->db, rq->a, typed);
	if (rc == STORE_OK) rc = audit_record(rq->db, claimed(rq, acct, true), rq->remote, &e);
	if (finish_attempt(rq, rc) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	log_line("signin person=%lld remote=%s", (long long)acct->id, rq->remote ? rq->remote : "-");
	resp_header_add(rs, "Set-Cookie", session_cookie(rq->a, token, secure_cookies(rq)));
	if (rq->api) {
		json_t *person = json_pack("{s:I, s:s, s:o}", "id", (json_int_t)acct->id, "name", acct->name,
					   "email", acct->email ? json_string(acct->email) : json_null());
		resp_json(rs, 200, json_pack("{s:o, s:s}", "person", person, "csrf", csrf));
		return;
	}
	resp_redirect(rs, 303, local_next(rq->a, next));
}

/* Too many failures lately for this email or this address: refused
 * before the password is looked at, with the same words whichever it
 * was and whether or not the account exists. */
static void throttled(req *rq, resp *rs, signin_form *f, const actor *who, int64_t home, int64_t wait)
{
	audit_event e = {.action = "signin.throttled", .district_id = home, .detail = f->email};
	store_rc rc = store_begin(rq->db);
	if (rc == STORE_OK) rc = audit_record(rq->db, who, rq->remote, &e);
	if (finish_attempt(rq, rc) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	log_line("signin_throttled remote=%s", rq->remote ? rq->remote : "-");
	resp_header_add(rs, "Retry-After", arena_printf(rq->a, "%lld", (long long)wait));
	f->error = throttle_message(rq->a, wait);
	refuse(rq, rs, 429, "throttled", f, f->error, NULL);
}

/* A wrong password (or no such account): counted for throttling and
 * logged with the email typed, never the password. */
static void failed(req *rq, resp *rs, signin_form *f, const actor *who, int64_t home)
{
	audit_event e = {.action = "signin.fail", .district_id = home, .detail = f->email};
	store_rc rc = store_begin(rq->db);
	if (rc == STORE_OK) rc = throttle_failed(rq->db, rq->a, f->email, rq->remote, now_unix());
	if (rc == STORE_OK) rc = audit_record(rq->db, who, rq->remote, &e);
	if (finish_attempt(rq, rc) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	log_line("signin_failed remote=%s", rq->remote ? rq->remote : "-");
	f->error = wrong_credentials;
	refuse(rq, rs, 401, "signin_failed", f, wrong_credentials, NULL);
}

/* The right password for a switched-off account: logged, not counted
 * (nobody is guessing), and told only to someone who knew the password. */
static void switched_off(req *rq, resp *rs, signin_form *f, const actor *who, int64_t home)
{
	audit_event e = {.action = "signin.fail",
			 .district_id = home,
			 .detail = arena_printf(rq->a, "%s (account switched off)", f->email)};
	store_rc rc = store_begin(rq->db);
	if (rc == STORE_OK) rc = audit_record(rq->db, who, rq->remote, &e);
	if (finish_attempt(rq, rc) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	f->error = "This account is switched off. Ask your coachd administrator.";
	refuse(rq, rs, 403, "deactivated", f, f->error, NULL);
}

/*
** POST /signin   (form: email, password, next)
** POST /api/signin   (the same as a form or a JSON object)
** Checks the password and starts a new session: Set-Cookie, then 303 to
** next when it is a local path, else to "/". Under /api/ the answer is
** {"person":{id,name,email},"csrf":TOKEN} instead.
** 400 names the missing field; 401 says only "Email or password is
** wrong." whichever it was; 403 for a deactivated account (told only to
** someone who knows its password) or a request another site sent; 429
** with Retry-After after 5 failures for the email (or 30 from the
** address) within 15 minutes, without checking the password.
** Audit: signin.ok, signin.fail (the email typed), signin.throttled.
** Permissions: anyone.
*/
void page_signin_post(req *rq, resp *rs)
{
	if (sent_from_another_site(rq)) {
		resp_error(rq, rs, 403, "csrf",
			   "the form did not come from coachd; open the sign-in page and try again", NULL);
		return;
	}
	signin_attempt t;
	if (!read_attempt(rq, rs, &t)) return;
	const char *email = trimmed(rq->a, t.email);
	signin_form f = {.email = email, .next = local_next(rq->a, t.next)};
	if (!email || !*email) f.email_error = "Enter your email address.";
	if (!t.password || !*t.password) f.password_error = "Enter your password.";
	if (f.email_error || f.password_error) {
		bool email_missing = f.email_error != NULL;
		refuse(rq, rs, 400, "missing_field", &f, email_missing ? f.email_error : f.password_error,
		       email_missing ? "email" : "password");
		return;
	}
	/* The same queries run whether or not the email has an account, so
	 * neither the answer nor its timing tells. */
	account acct = {0};
	bool found;
	grant *grants;
	size_t ngrants;
	int64_t wait;
	if (account_by_email(rq->db, rq->a, email, &acct, &found) != STORE_OK ||
	    grants_load(rq->db, rq->a, found ? acct.id : 0, &grants, NULL, &ngrants) != STORE_OK ||
	    throttle_wait(rq->db, rq->a, email, rq->remote, now_unix(), &wait) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	const actor *who = claimed(rq, &acct, found);
	int64_t home = grants_home(grants, ngrants);
	if (wait > 0) {
		throttled(rq, rs, &f, who, home, wait);
		return;
	}
	if (!password_opens(rq, &acct, found, t.password)) {
		failed(rq, rs, &f, who, home);
		return;
	}
	if (!acct.active) {
		switched_off(rq, rs, &f, who, home);
		return;
	}
	upgrade_hash(rq, &acct, t.password);
	signed_in(rq, rs, &acct, email, home, t.next);
}

/*
** POST /signout   (form: csrf, everywhere=1 optional)
** POST /api/signout   (header X-CSRF-Token; everywhere=1 optional)
** Ends this session, or with everywhere=1 every session of the person;
** clears the cookie; 303 to /signin (204 under /api/).
** Audit: signout or signout.everywhere.
** Permissions: signed in; CSRF token required.
*/
void page_signout(req *rq, resp *rs)
{
	if (NEVER(!rq->actor)) {
		resp_error(rq, rs, 401, "signin_required", "you are not signed in", NULL);
		return;
	}
	const actor *who = rq->actor;
	bool everywhere = str_eq(req_form(rq, "everywhere"), "1") || str_eq(req_query(rq, "everywhere"), "1");
	audit_event e = {.action = everywhere ? "signout.everywhere" : "signout",
			 .district_id = grants_home(who->grants, who->ngrants)};
	store_rc rc = store_begin(rq->db);
	if (rc == STORE_OK)
		rc = everywhere ? session_end_all(rq->db, who->person_id)
				: session_end(rq->db, req_cookie(rq, SESSION_COOKIE));
	if (rc == STORE_OK) rc = audit_record(rq->db, who, rq->remote, &e);
	if (finish_attempt(rq, rc) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	log_line("signout person=%lld everywhere=%d", (long long)who->person_id, everywhere);
	resp_header_add(rs, "Set-Cookie", session_cookie_clear(rq->a, secure_cookies(rq)));
	if (rq->api) {
		rs->status = 204;
		return;
	}
	resp_redirect(rs, 303, "/signin");
}
