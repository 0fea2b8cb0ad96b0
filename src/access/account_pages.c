/* The account page and its API twins: who I am and where I hold roles,
 * signing out on every device, and API tokens (made, shown once, listed,
 * revoked). Every read and write of a token asks may() first. */
#include <jansson.h>
#include <string.h>

#include "../base/log.h"
#include "../base/util.h"
#include "../html/html.h"
#include "../ical/ical.h"
#include "../web/app.h"
#include "account.h"
#include "audit.h"
#include "grants.h"
#include "policy.h"
#include "signin_session.h"
#include "token.h"

/* A token as the policy sees it: it belongs wherever its owner holds a
 * role, and it is its owner's. */
typedef struct token_owner {
	int64_t person_id;
	const grant *grants;
	size_t ngrants;
	record rec;
} token_owner;

static token_owner owner_of(arena *a, int64_t person_id, const grant *g, size_t n)
{
	return (token_owner){.person_id = person_id,
			     .grants = g,
			     .ngrants = n,
			     .rec = {.kind = REC_TOKEN,
				     .places = grants_places(a, g, n),
				     .nplaces = n,
				     .person_id = person_id}};
}

static store_rc load_owner(req *rq, int64_t person_id, token_owner *o)
{
	grant *g;
	size_t n;
	store_rc rc = grants_load(rq->db, rq->a, person_id, &g, NULL, &n);
	if (rc == STORE_OK) *o = owner_of(rq->a, person_id, g, n);
	return rc;
}

static int64_t owner_home(const token_owner *o)
{
	return grants_home(o->grants, o->ngrants);
}

/* The actor's own tokens, as the policy sees them: no store read, the
 * grants are on the actor already. */
static token_owner own_tokens(req *rq)
{
	const actor *me = rq->actor;
	return owner_of(rq->a, me->person_id, me->grants, me->ngrants);
}

static void forbidden(req *rq, resp *rs, const char *message)
{
	resp_error(rq, rs, 403, "forbidden", message, NULL);
}

static bool may_or_refuse(req *rq, resp *rs, action act, const record *r, const char *message)
{
	if (may(rq->actor, act, r)) return true;
	forbidden(rq, rs, message);
	return false;
}

/* A token can do what its person can, but not make more of itself: a
 * leaked token must not be able to outlive its own revocation. */
static bool made_by_token(req *rq, resp *rs)
{
	if (!rq->actor->token_id) return false;
	forbidden(rq, rs, "an API token cannot make API tokens; sign in to make one");
	return true;
}

/* ---- writes, each in one transaction with its audit entry ---- */

static store_rc finish(req *rq, store_rc rc)
{
	if (rc == STORE_OK) rc = store_commit(rq->db);
	if (rc != STORE_OK) store_rollback(rq->db);
	return rc;
}

static store_rc create_token(req *rq, const char *name, int64_t *id, const char **secret)
{
	const actor *me = rq->actor;
	store_rc rc = store_begin(rq->db);
	if (rc == STORE_OK) rc = token_create(rq->db, rq->a, me->person_id, name, now_unix(), id, secret);
	if (rc == STORE_OK) {
		audit_event e = {.action = "token.create",
				 .kind = "token",
				 .object_id = *id,
				 .district_id = grants_home(me->grants, me->ngrants),
				 .detail = name};
		rc = audit_record(rq->db, me, rq->remote, &e);
	}
	return finish(rq, rc);
}

static store_rc revoke_token(req *rq, const api_token *t, const token_owner *o, bool *changed)
{
	store_rc rc = store_begin(rq->db);
	if (rc == STORE_OK) rc = token_revoke(rq->db, rq->a, t->id, now_unix(), changed);
	if (rc == STORE_OK && *changed) {
		/* Someone else's token: say whose, so its owner's log reads right. */
		const char *detail = t->person_id == rq->actor->person_id
			? t->name
			: arena_printf(rq->a, "%s (owner: %s)", t->name,
				       t->person_email ? t->person_email : t->person_name);
		audit_event e = {.action = "token.revoke",
				 .kind = "token",
				 .object_id = t->id,
				 .district_id = owner_home(o),
				 .detail = detail};
		rc = audit_record(rq->db, rq->actor, rq->remote, &e);
	}
	return finish(rq, rc);
}

/* Finds token {id} and checks the actor may revoke it. 404 when it does
 * not exist or may not even be seen (its existence is not told). */
static bool revocable_token(req *rq, resp *rs, api_token *t, token_owner *o)
{
	int64_t id;
	if (!param_id(rq, rs, "id", &id)) return false;
	bool found;
	if (token_get(rq->db, rq->a, id, t, &found) != STORE_OK ||
	    (found && load_owner(rq, t->person_id, o) != STORE_OK)) {
		resp_store_failed(rq, rs);
		return false;
	}
	if (!found || !may(rq->actor, ACT_READ, &o->rec)) {
		resp_error(rq, rs, 404, "not_found", "there is no such API token", NULL);
		return false;
	}
	return may_or_refuse(rq, rs, ACT_DEACTIVATE, &o->rec, "you may not revoke this API token");
}

/* ---- the page ---- */

static void facts_html(buf *b, const actor *me)
{
	html_printf(b, "<dl class=\"facts\">\n<dt>Name</dt><dd>%s</dd>\n", me->name);
	html_printf(b, "<dt>Email</dt><dd>%s</dd>\n</dl>\n", me->email ? me->email : "none");
}

static void roles_html(buf *b, const held_role *roles, size_t n)
{
	html_RAW(b, "<h2>Your roles</h2>\n");
	if (!n) {
		html_RAW(b, "<p>You hold no role at any organization yet.</p>\n");
		return;
	}
	html_table_open(b);
	html_RAW(b,
		 "\n<thead><tr><th scope=\"col\">Role</th>"
		 "<th scope=\"col\">Organization</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < n; i++)
		html_printf(b, "<tr><td>%s</td><td><a href=\"/orgs/%lld\">%s</a></td></tr>\n",
			    role_label(roles[i].g.role), (long long)roles[i].g.org_id, roles[i].org_name);
	html_RAW(b, "</tbody></table></div>\n");
}

static void signout_everywhere_html(buf *b, const actor *me)
{
	html_RAW(b,
		 "<h2>Devices</h2>\n<p>Signed in on a shared or lost device? Signing out "
		 "everywhere ends every session of yours, this one too. API tokens stay in "
		 "force; revoke them below.</p>\n");
	form_button(b, "/account/signout-everywhere", me->csrf, "Sign out everywhere",
		    "Sign out on every device, this one too?", NULL, NULL);
}

static void token_row_html(buf *b, arena *a, const actor *me, const api_token *t)
{
	html_printf(b, "<tr><td>%s</td><td>%s</td><td>%s</td>", t->name, time_text_utc(a, t->created_at),
		    t->last_used_at ? time_text_utc(a, t->last_used_at) : "never");
	if (t->revoked_at) {
		html_printf(b, "<td>revoked %s</td><td></td></tr>\n", time_text_utc(a, t->revoked_at));
		return;
	}
	html_RAW(b, "<td>in force</td><td>");
	form_button(b, arena_printf(a, "/account/tokens/%lld/revoke", (long long)t->id), me->csrf, "Revoke",
		    "Revoke this token? Whatever uses it stops working.", NULL, NULL);
	html_RAW(b, "</td></tr>\n");
}

static void tokens_html(buf *b, arena *a, const actor *me, const api_token *list, size_t n, const char *name,
			const form_errors *e)
{
	html_RAW(b,
		 "<h2 id=\"tokens\">API tokens</h2>\n<p>A token lets a script use the JSON API "
		 "as you, with your rights, by sending <code>Authorization: Bearer</code> and the "
		 "token. Revoke one as soon as it is no longer needed.</p>\n");
	if (n) {
		html_table_open(b);
		html_RAW(b,
			 "\n<thead><tr><th scope=\"col\">Name</th>"
			 "<th scope=\"col\">Created</th><th scope=\"col\">Last used</th>"
			 "<th scope=\"col\">State</th><th scope=\"col\"><span class=\"visually-hidden\">"
			 "Actions</span></th></tr></thead>\n<tbody>\n");
		for (size_t i = 0; i < n; i++) token_row_html(b, a, me, &list[i]);
		html_RAW(b, "</tbody></table></div>\n");
	} else {
		html_RAW(b, "<p>You have no API tokens.</p>\n");
	}
	html_RAW(b, "<h3>Make a token</h3>\n");
	form_begin(b, "/account/tokens", me->csrf, e);
	form_input(b, "text", "name", "Name", name, true,
		   "What will use it, such as \xE2\x80\x9C"
		   "data warehouse export\xE2\x80\x9D.",
		   e);
	form_end(b, "Make token");
}

/* What the account page shows, read before it is written. */
typedef struct account_view {
	held_role *roles;
	size_t nroles;
	bool see_tokens; /* may(READ, own token) */
	api_token *tokens;
	size_t ntokens;
	feed_block feed; /* my calendar feed (src/ical) */
} account_view;

static store_rc account_load(req *rq, account_view *v)
{
	const actor *me = rq->actor;
	*v = (account_view){0};
	token_owner self = own_tokens(rq);
	v->see_tokens = may(me, ACT_READ, &self.rec);
	grant *g;
	store_rc rc = grants_load(rq->db, rq->a, me->person_id, &g, &v->roles, &v->nroles);
	if (rc == STORE_OK && v->see_tokens)
		rc = token_list(rq->db, rq->a, me->person_id, &v->tokens, &v->ntokens);
	if (rc == STORE_OK) rc = ical_account_block_load(rq, &v->feed);
	return rc;
}

/* The whole page; status 400 with the errors beside the name field when
 * a token could not be made. */
static void account_page(req *rq, resp *rs, int status, const char *name, const form_errors *e)
{
	const actor *me = rq->actor;
	account_view v;
	if (account_load(rq, &v) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	buf *b = resp_html(rs, status);
	layout l = page_layout(rq, "Your account", "account");
	layout_begin(b, &l);
	html_RAW(b, "<h1>Your account</h1>\n");
	facts_html(b, me);
	roles_html(b, v.roles, v.nroles);
	signout_everywhere_html(b, me);
	if (v.see_tokens) tokens_html(b, rq->a, me, v.tokens, v.ntokens, name, e);
	ical_account_block(rq, b, &v.feed);
	layout_end(b);
}

/*
** GET /account
** Who I am, my roles and their organizations, "Sign out everywhere", my
** API tokens with a form to make one and a revoke button for each.
** Permissions: signed in; tokens shown when may(READ, own token).
*/
void page_account(req *rq, resp *rs)
{
	account_page(rq, rs, 200, NULL, NULL);
}

/*
** POST /account/signout-everywhere   (form: csrf)
** Ends every session of mine, this one too, clears the cookie and goes to
** /signin?ok=signed-out-all. API tokens are not touched.
** Audit: signout.everywhere.
** Permissions: signed in; CSRF token required.
*/
void page_account_signout_everywhere(req *rq, resp *rs)
{
	const actor *me = rq->actor;
	audit_event e = {.action = "signout.everywhere", .district_id = grants_home(me->grants, me->ngrants)};
	store_rc rc = store_begin(rq->db);
	if (rc == STORE_OK) rc = session_end_all(rq->db, me->person_id);
	if (rc == STORE_OK) rc = audit_record(rq->db, me, rq->remote, &e);
	if (finish(rq, rc) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	log_line("signout person=%lld everywhere=1", (long long)me->person_id);
	resp_header_add(rs, "Set-Cookie", session_cookie_clear(rq->a, rq->app && rq->app->secure_cookies));
	resp_redirect(rs, 303, "/signin?ok=signed-out-all");
}

/* Trimmed of the spaces a paste brings along. */
static const char *token_name(arena *a, const char *s)
{
	if (!s) return NULL;
	while (*s == ' ' || *s == '\t') s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
	return arena_strndup(a, s, n);
}

static void new_token_page(req *rq, resp *rs, const char *name, const char *secret)
{
	buf *b = resp_html(rs, 200);
	layout l = page_layout(rq, "Your new API token", "account");
	layout_begin(b, &l);
	html_printf(b,
		    "<h1>Your new API token</h1>\n"
		    "<div class=\"flash flash-error\" role=\"alert\"><p><strong>Copy it now.</strong> "
		    "coachd keeps only a fingerprint of it and cannot show it to you again.</p></div>\n"
		    "<div class=\"field\"><label for=\"token\">Token \xE2\x80\x9C%s\xE2\x80\x9D</label>\n"
		    "<input id=\"token\" type=\"text\" readonly value=\"%s\" autocomplete=\"off\" "
		    "spellcheck=\"false\"></div>\n"
		    "<p>Send it as <code>Authorization: Bearer %s</code>.</p>\n"
		    "<p><a href=\"/account#tokens\">Back to your account</a></p>\n",
		    name, secret, secret);
	layout_end(b);
}

/*
** POST /account/tokens   (form: csrf, name)
** Makes an API token and shows it once (200), with a warning to copy it.
** 400 with the account page and the message beside the name field when
** the name is missing, too long (100 characters) or has control characters.
** Audit: token.create (detail: the name).
** Permissions: may(CREATE, own token); CSRF token required.
*/
void page_account_token_create(req *rq, resp *rs)
{
	token_owner self = own_tokens(rq);
	if (!may_or_refuse(rq, rs, ACT_CREATE, &self.rec, "you may not make API tokens")) return;
	const char *name = token_name(rq->a, req_form(rq, "name"));
	const char *problem = token_name_problem(name);
	if (problem) {
		form_errors e = {0};
		form_error_add(&e, "name", problem);
		account_page(rq, rs, 400, name, &e);
		return;
	}
	int64_t id;
	const char *secret;
	if (create_token(rq, name, &id, &secret) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	new_token_page(rq, rs, name, secret);
}

/*
** POST /account/tokens/{id}/revoke   (form: csrf)
** Revokes the token; 303 to /account?ok=token-revoked. Revoking a revoked
** token changes nothing. 404 for a token I may not see.
** Audit: token.revoke.
** Permissions: may(DEACTIVATE, the token); CSRF token required.
*/
void page_account_token_revoke(req *rq, resp *rs)
{
	api_token t;
	token_owner o;
	if (!revocable_token(rq, rs, &t, &o)) return;
	bool changed;
	if (revoke_token(rq, &t, &o, &changed) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	resp_redirect(rs, 303, "/account?ok=token-revoked#tokens");
}

/* ---- the API ---- */

static json_t *optional_time(arena *a, int64_t at)
{
	return at ? json_string(time_iso_utc(a, at)) : json_null();
}

static json_t *token_json(arena *a, const api_token *t)
{
	json_t *j = json_pack("{s:I, s:I, s:s, s:s}", "id", (json_int_t)t->id, "person_id",
			      (json_int_t)t->person_id, "name", t->name, "created_at",
			      time_iso_utc(a, t->created_at));
	json_object_set_new(j, "last_used_at", optional_time(a, t->last_used_at));
	json_object_set_new(j, "revoked_at", optional_time(a, t->revoked_at));
	return j;
}

static json_t *grants_json(const held_role *roles, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		const grant *g = &roles[i].g;
		json_t *j = json_pack("{s:s, s:I, s:s, s:s}", "role", role_name(g->role), "org_id",
				      (json_int_t)g->org_id, "org_name", roles[i].org_name, "org_kind",
				      roles[i].org_kind);
		json_object_set_new(j, "district_id",
				    g->district_id ? json_integer(g->district_id) : json_null());
		json_object_set_new(j, "partner_id",
				    g->partner_id ? json_integer(g->partner_id) : json_null());
		json_array_append_new(arr, j);
	}
	return arr;
}

/*
** GET /api/me
** {"person":{id,name,email},"grants":[{role,org_id,org_name,org_kind,
** district_id,partner_id}],"auth":"session"|"token","csrf":TOKEN (a
** session's, for the X-CSRF-Token header; absent for a token)}
** Permissions: signed in (session or API token).
*/
void api_me(req *rq, resp *rs)
{
	const actor *me = rq->actor;
	grant *g;
	held_role *roles;
	size_t n;
	if (grants_load(rq->db, rq->a, me->person_id, &g, &roles, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	json_t *person = json_pack("{s:I, s:s, s:o}", "id", (json_int_t)me->person_id, "name", me->name,
				   "email", me->email ? json_string(me->email) : json_null());
	json_t *j = json_pack("{s:o, s:o, s:s}", "person", person, "grants", grants_json(roles, n), "auth",
			      me->token_id ? "token" : "session");
	if (me->csrf) json_object_set_new(j, "csrf", json_string(me->csrf));
	resp_json(rs, 200, j);
}

/*
** GET /api/tokens?person=ID
** {"tokens":[{id,person_id,name,created_at,last_used_at,revoked_at}]}:
** my tokens, or with person=ID that person's (administrators, for the
** people of their district). 400 naming person when it is not an id;
** 404 when there is no such person or I may not see their tokens.
** Permissions: may(READ, the tokens).
*/
void api_tokens(req *rq, resp *rs)
{
	const char *person = req_query(rq, "person");
	int64_t pid = rq->actor->person_id;
	if (person && *person && !parse_i64(person, 1, INT64_MAX, &pid)) {
		resp_error(rq, rs, 400, "bad_person", "person must be a person's id (a whole number)",
			   "person");
		return;
	}
	token_owner o;
	api_token *list;
	size_t n;
	if (load_owner(rq, pid, &o) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	if (!may(rq->actor, ACT_READ, &o.rec)) {
		resp_error(rq, rs, 404, "not_found",
			   "there is no such person, or their tokens are not yours to see", "person");
		return;
	}
	if (token_list(rq->db, rq->a, pid, &list, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) json_array_append_new(arr, token_json(rq->a, &list[i]));
	resp_json(rs, 200, json_pack("{s:o}", "tokens", arr));
}

static bool is_json(const req *rq)
{
	return rq->body && rq->content_type && str_starts(rq->content_type, "application/json");
}

/* The name from {"name":...} or a form field; false (answered) when the
 * body is not a JSON object. */
static bool read_name(req *rq, resp *rs, const char **name)
{
	if (!is_json(rq)) {
		*name = token_name(rq->a, req_form(rq, "name"));
		return true;
	}
	json_t *o = json_loadb(rq->body, rq->body_len, 0, NULL);
	if (!json_is_object(o)) {
		json_decref(o);
		resp_error(rq, rs, 400, "bad_json", "the body must be a JSON object with a name", NULL);
		return false;
	}
	json_t *v = json_object_get(o, "name");
	*name = json_is_string(v) ? token_name(rq->a, json_string_value(v)) : NULL;
	json_decref(o);
	return true;
}

/*
** POST /api/tokens   ({"name":...} or form: name)
** 201 {"token":"cd_...","id":N,"name":...}: the secret, this once.
** 400 {"error":{"code":"invalid","field":"name",...}} for a bad name.
** 403 when the request itself came with an API token.
** Audit: token.create.
** Permissions: may(CREATE, own token); session with X-CSRF-Token.
*/
void api_token_create(req *rq, resp *rs)
{
	token_owner self = own_tokens(rq);
	if (made_by_token(rq, rs) ||
	    !may_or_refuse(rq, rs, ACT_CREATE, &self.rec, "you may not make API tokens"))
		return;
	const char *name;
	if (!read_name(rq, rs, &name)) return;
	const char *problem = token_name_problem(name);
	if (problem) {
		form_errors e = {0};
		form_error_add(&e, "name", problem);
		resp_form_invalid(rq, rs, &e);
		return;
	}
	int64_t id;
	const char *secret;
	if (create_token(rq, name, &id, &secret) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	resp_json(rs, 201, json_pack("{s:s, s:I, s:s}", "token", secret, "id", (json_int_t)id, "name", name));
}

/*
** DELETE /api/tokens/{id}
** Revokes the token: 200 with the token (revoked_at set); again is the
** same answer and changes nothing. 404 for a token I may not see; 403 for
** one I may see but not revoke.
** Audit: token.revoke.
** Permissions: may(DEACTIVATE, the token): its owner, or an administrator
** of a district the owner belongs to; CSRF header for a session.
*/
void api_token_delete(req *rq, resp *rs)
{
	api_token t;
	token_owner o;
	if (!revocable_token(rq, rs, &t, &o)) return;
	bool changed;
	bool found;
	if (revoke_token(rq, &t, &o, &changed) != STORE_OK ||
	    token_get(rq->db, rq->a, t.id, &t, &found) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	resp_json(rs, 200, token_json(rq->a, &t));
}
