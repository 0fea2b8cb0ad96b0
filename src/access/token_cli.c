/* `coachd token create|list|revoke`: the command line's way to API tokens.
 * The secret goes to stdout alone (so `$(coachd token create …)` captures
 * it) and everything said about it to stderr. Each write is audited as
 * done by "(command line)": no person signed in to do it. */
#include "token_cli.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "../base/arena.h"
#include "../base/util.h"
#include "../store/store.h"
#include "account_store.h"
#include "audit.h"
#include "grants.h"
#include "token.h"

#define DEFAULT_NAME "command line"

/* clang-format off */
static const char usage_token[] =
	"usage: coachd token create|list|revoke ...\n"
	"  coachd token create [--db DB] EMAIL [--name NAME]\n"
	"      makes an API token for the person with EMAIL and prints it once\n"
	"      (NAME says what will use it; default \"" DEFAULT_NAME "\")\n"
	"  coachd token list [--db DB] EMAIL\n"
	"      lists the person's tokens: id, state, created, last used, name\n"
	"  coachd token revoke [--db DB] ID\n"
	"      revokes token ID; whatever uses it gets 401 from then on\n";
/* clang-format on */

/* The audit log's name for whoever ran the command: the shell gives no
 * person, only the installation's operator. */
static const actor command_line = {.name = "(command line)"};

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("coachd token: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%s", usage_token);
	return 2;
}

static int failed(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int failed(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("coachd token: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

static int store_failed(store *s)
{
	return failed("store: %s", store_errmsg(s));
}

/* What the arguments after create/list/revoke said. */
typedef struct token_args {
	const char *subject; /* EMAIL or ID */
	const char *name;
} token_args;

static int parse_args(int argc, char **argv, bool takes_name, const char *what, token_args *t)
{
	*t = (token_args){0};
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (takes_name && str_starts(a, "--name")) {
			if (a[6] == '=') t->name = a + 7;
			else if (a[6] == '\0' && i + 1 < argc) t->name = argv[++i];
			else if (a[6] != '\0') return usage_error("unknown flag %s", a);
			if (!t->name) return usage_error("--name needs a value");
		} else if (a[0] == '-' && a[1]) {
			return usage_error("unknown flag %s", a);
		} else if (!t->subject) {
			t->subject = a;
		} else {
			return usage_error("unexpected argument \"%s\"", a);
		}
	}
	if (!t->subject) return usage_error("%s is missing", what);
	return 0;
}

static store *open_store(const char *dsn)
{
	char err[512];
	store *s;
	if (store_open(dsn, &s, err, sizeof err) != STORE_OK) {
		failed("cannot open %s: %s", dsn, err);
		return NULL;
	}
	if (store_migrate(s, err, sizeof err) != STORE_OK) {
		failed("migration failed: %s", err);
		store_close(s);
		return NULL;
	}
	return s;
}

/* The person with this email (any case) and whether they are active; 0
 * when there is none. */
static store_rc person_by_email(store *s, arena *a, const char *email, int64_t *id, bool *active)
{
	account acct = {0};
	bool found;
	store_rc rc = account_by_email(s, a, email, &acct, &found);
	*id = found ? acct.id : 0;
	*active = found && acct.active;
	return rc;
}

static store_rc home_of(store *s, arena *a, int64_t person_id, int64_t *home)
{
	grant *g;
	size_t n;
	store_rc rc = grants_load(s, a, person_id, &g, NULL, &n);
	*home = rc == STORE_OK ? grants_home(g, n) : 0;
	return rc;
}

static store_rc create_in_store(store *s, arena *a, int64_t person_id, const char *name, int64_t *id,
				const char **secret)
{
	int64_t home;
	store_rc rc = home_of(s, a, person_id, &home);
	if (rc == STORE_OK) rc = store_begin(s);
	if (rc != STORE_OK) return rc;
	rc = token_create(s, a, person_id, name, now_unix(), id, secret);
	if (rc == STORE_OK) {
		audit_event e = {.action = "token.create",
				 .kind = "token",
				 .object_id = *id,
				 .district_id = home,
				 .detail = name};
		rc = audit_record(s, &command_line, NULL, &e);
	}
	if (rc == STORE_OK) rc = store_commit(s);
	if (rc != STORE_OK) store_rollback(s);
	return rc;
}

static int token_create_cmd(store *s, arena *a, const token_args *t)
{
	const char *name = t->name ? t->name : DEFAULT_NAME;
	const char *problem = token_name_problem(name);
	if (problem) return usage_error("--name: %s", problem);
	int64_t person_id, id;
	bool active;
	const char *secret;
	if (person_by_email(s, a, t->subject, &person_id, &active) != STORE_OK) return store_failed(s);
	if (!person_id) return failed("there is no person with email %s", t->subject);
	if (!active) return failed("%s is deactivated; a token would not work", t->subject);
	if (create_in_store(s, a, person_id, name, &id, &secret) != STORE_OK) return store_failed(s);
	printf("%s\n", secret);
	fflush(stdout);
	fprintf(stderr,
		"coachd token: made token %lld \"%s\" for %s. It is shown this once: "
		"store it now.\n",
		(long long)id, name, t->subject);
	return 0;
}

static int token_list_cmd(store *s, arena *a, const token_args *t)
{
	int64_t person_id;
	bool active;
	api_token *list;
	size_t n;
	if (person_by_email(s, a, t->subject, &person_id, &active) != STORE_OK) return store_failed(s);
	if (!person_id) return failed("there is no person with email %s", t->subject);
	if (token_list(s, a, person_id, &list, &n) != STORE_OK) return store_failed(s);
	if (!n) fprintf(stderr, "coachd token: %s has no API tokens\n", t->subject);
	for (size_t i = 0; i < n; i++)
		printf("%lld\t%s\tcreated %s\tlast used %s\t%s\n", (long long)list[i].id,
		       list[i].revoked_at ? "revoked" : "active", time_iso_utc(a, list[i].created_at),
		       list[i].last_used_at ? time_iso_utc(a, list[i].last_used_at) : "never", list[i].name);
	return 0;
}

static int token_revoke_cmd(store *s, arena *a, const token_args *t)
{
	int64_t id, home;
	if (!parse_i64(t->subject, 1, INT64_MAX, &id))
		return usage_error("ID must be a token's id (a whole number), not \"%s\"", t->subject);
	api_token tok;
	bool found, changed = false;
	if (token_get(s, a, id, &tok, &found) != STORE_OK) return store_failed(s);
	if (!found) return failed("there is no token %lld", (long long)id);
	if (home_of(s, a, tok.person_id, &home) != STORE_OK || store_begin(s) != STORE_OK)
		return store_failed(s);
	store_rc rc = token_revoke(s, a, id, now_unix(), &changed);
	if (rc == STORE_OK && changed) {
		audit_event e = {.action = "token.revoke",
				 .kind = "token",
				 .object_id = id,
				 .district_id = home,
				 .detail =
					 arena_printf(a, "%s (owner: %s)", tok.name,
						      tok.person_email ? tok.person_email : tok.person_name)};
		rc = audit_record(s, &command_line, NULL, &e);
	}
	if (rc == STORE_OK) rc = store_commit(s);
	if (rc != STORE_OK) {
		store_rollback(s);
		return store_failed(s);
	}
	printf("coachd token: token %lld %s\n", (long long)id, changed ? "revoked" : "was revoked already");
	return 0;
}

int cmd_token(int argc, char **argv, const char *dsn)
{
	if (argc < 1) return usage_error("say create, list or revoke");
	for (int i = 0; i < argc; i++)
		if (str_eq(argv[i], "--help") || str_eq(argv[i], "-h")) {
			fputs(usage_token, stdout);
			return 0;
		}
	int (*run)(store *, arena *, const token_args *);
	bool takes_name = false;
	const char *what = "EMAIL";
	if (str_eq(argv[0], "create")) {
		run = token_create_cmd;
		takes_name = true;
	} else if (str_eq(argv[0], "list")) {
		run = token_list_cmd;
	} else if (str_eq(argv[0], "revoke")) {
		run = token_revoke_cmd;
		what = "ID";
	} else {
		return usage_error("unknown subcommand \"%s\"", argv[0]);
	}
	token_args t;
	int rc = parse_args(argc, argv, takes_name, what, &t);
	if (rc) return rc;
	store *s = open_store(dsn);
	if (!s) return 1;
	arena *a = arena_new();
	rc = run(s, a, &t);
	arena_free(a);
	store_close(s);
	return rc;
}
