/* `coachd user add` and `coachd user password`: local accounts from the
 * command line, for the first administrator and for resetting a password. */
#include "actor.h"
#include "user_cli.h"

#include <ctype.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "../base/util.h"
#include "account_store.h"
#include "password.h"
#include "signin_session.h"

enum { EMAIL_MAX = 254, NAME_MAX_BYTES = 200 };

static const char usage_add[] =
	"usage: coachd user add [--db DB] EMAIL --name NAME --role ROLE --org ORG [--password-stdin]\n"
	"  Creates the person with EMAIL unless there is one, and gives them ROLE at ORG.\n"
	"  --name NAME        the person's name (needed when the person is new)\n"
	"  --role ROLE        admin, district_leader, principal, coach, teacher or partner_staff\n"
	"  --org ORG          the organization's id or exact name\n"
	"  --password-stdin   also set the password, read from the first line of stdin\n";

static const char usage_password[] =
	"usage: coachd user password [--db DB] EMAIL\n"
	"  Sets the password of the person with EMAIL, read from the first line of\n"
	"  stdin, and signs them out everywhere. A weak password is refused (status 2).\n";

static const char usage_user[] = "usage: coachd user add|password ...\n"
				 "  coachd user add --help       creates an account or adds a role\n"
				 "  coachd user password --help  sets a password\n";

static void set_err(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || !errlen) return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static bool role_valid(const char *name)
{
	role r;
	return role_parse(name, &r) != 0;
}

/* Enough to catch a slip (a name where the email goes); the address is
 * proven when its owner signs in, not here. */
static bool email_plausible(const char *email)
{
	size_t n = email ? strlen(email) : 0;
	const char *at = n ? strchr(email, '@') : NULL;
	if (!at || at == email || !at[1] || strchr(at + 1, '@') || n > EMAIL_MAX) return false;
	for (const char *p = email; *p; p++)
		if (isspace((unsigned char)*p) || iscntrl((unsigned char)*p)) return false;
	return true;
}

/* Puts the store's complaint in err; returns 1, the status of a failure. */
static int store_failed(store *s, char *err, size_t errlen)
{
	set_err(err, errlen, "store: %s", store_errmsg(s));
	return 1;
}

int64_t person_add_with_role(store *s, arena *a, const char *email, const char *name, const char *role_text,
			     int64_t org_id, char *err, size_t errlen)
{
	if (!email_plausible(email)) {
		set_err(err, errlen, "\"%s\" is not an email address", email ? email : "");
		return 0;
	}
	if (!role_valid(role_text)) {
		set_err(err, errlen,
			"role must be one of admin, district_leader, principal, coach, "
			"teacher, partner_staff (not \"%s\")",
			role_text ? role_text : "");
		return 0;
	}
	store_rows orgs;
	if (account_orgs_named(s, a, arena_printf(a, "%lld", (long long)org_id), &orgs) != STORE_OK) {
		store_failed(s, err, errlen);
		return 0;
	}
	if (!orgs.nrows || rows_int(&orgs, 0, 0) != org_id) {
		set_err(err, errlen, "there is no organization with id %lld", (long long)org_id);
		return 0;
	}
	account acct = {0};
	bool found;
	if (account_by_email(s, a, email, &acct, &found) != STORE_OK) {
		store_failed(s, err, errlen);
		return 0;
	}
	int64_t id = acct.id;
	if (!found) {
		if (!name || !*name || strlen(name) > NAME_MAX_BYTES) {
			set_err(err, errlen, "a new person needs a name of 1 to %d bytes", NAME_MAX_BYTES);
			return 0;
		}
		if (account_insert(s, a, name, email, now_unix(), &id) != STORE_OK) {
			store_failed(s, err, errlen);
			return 0;
		}
	}
	if (account_role_give(s, a, id, org_id, role_text) != STORE_OK) {
		store_failed(s, err, errlen);
		return 0;
	}
	return id;
}

/* Stores an already-made hash and ends the person's sessions: whoever
 * knew the old password is signed out with it. */
static int store_password(store *s, arena *a, const char *email, const char *hash, char *err, size_t errlen)
{
	account acct;
	bool found;
	if (account_by_email(s, a, email, &acct, &found) != STORE_OK) return store_failed(s, err, errlen);
	if (!found) {
		set_err(err, errlen, "there is no person with email %s", email);
		return 1;
	}
	if (account_password_save(s, a, acct.id, hash) != STORE_OK || session_end_all(s, acct.id) != STORE_OK)
		return store_failed(s, err, errlen);
	return 0;
}

/* Checks and hashes a new password; 0, or 2 with the problem in err. */
static int hash_new_password(const char *password, char hash[PASSWORD_HASH_MAX], char *err, size_t errlen)
{
	const char *problem = password_problem(password);
	if (problem) {
		set_err(err, errlen, "%s", problem);
		return 2;
	}
	if (!password_hash(NULL, password, hash)) {
		set_err(err, errlen, "cannot hash the password (out of memory?)");
		return 1;
	}
	return 0;
}

int account_set_password(store *s, arena *a, const char *email, const char *password, char *err,
			 size_t errlen)
{
	char hash[PASSWORD_HASH_MAX];
	int rc = hash_new_password(password, hash, err, errlen);
	if (rc) return rc;
	return store_password(s, a, email, hash, err, errlen);
}

/* ---- the command line ---- */

/* Reads the first line of stdin (a prompt without echo on a terminal).
 * The line ending goes; everything else is the password, spaces too. */
static bool read_password_line(char *line, size_t size)
{
	bool tty = isatty(STDIN_FILENO);
	struct termios saved, quiet;
	if (tty && tcgetattr(STDIN_FILENO, &saved) == 0) {
		fprintf(stderr, "New password: ");
		quiet = saved;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	} else {
		tty = false;
	}
	bool ok = fgets(line, (int)size, stdin) != NULL;
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
		fputc('\n', stderr);
	}
	if (!ok) {
		line[0] = '\0';
		return true; /* no line: password_problem says what is missing */
	}
	size_t n = strlen(line);
	if (n && line[n - 1] != '\n' && !feof(stdin)) return false; /* longer than size */
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
	return true;
}

typedef struct add_opts {
	const char *email, *name, *role, *org;
	bool password_stdin;
} add_opts;

static int usage_error(const char *cmd, const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int usage_error(const char *cmd, const char *usage, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "coachd user %s: ", cmd);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%s", usage);
	return 2;
}

/* A one-line cause on stderr; returns status (1, or 2 for a weak password). */
static int failed(const char *cmd, const char *cause, int status)
{
	fprintf(stderr, "coachd user %s: %s\n", cmd, cause);
	return status;
}

static bool wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (str_eq(argv[i], "--help") || str_eq(argv[i], "-h")) return true;
	return false;
}

/* --flag VALUE or --flag=VALUE; -1 (after a message) when it is missing. */
static int flag_value(int argc, char **argv, int *i, const char *flag, const char **out)
{
	const char *a = argv[*i];
	size_t n = strlen(flag);
	if (a[n] == '=') {
		*out = a + n + 1;
	} else if (*i + 1 < argc) {
		*out = argv[++*i];
	} else {
		*out = NULL;
	}
	if (!*out || !**out) {
		usage_error("add", usage_add, "%s needs a value", flag);
		return -1;
	}
	return 0;
}

static bool flag_is(const char *arg, const char *flag)
{
	size_t n = strlen(flag);
	return strncmp(arg, flag, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

static int parse_add(int argc, char **argv, add_opts *o)
{
	static const char *const valued[] = {"--name", "--role", "--org"};
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **slot[] = {&o->name, &o->role, &o->org};
		bool known = false;
		for (size_t k = 0; k < COUNT_OF(valued) && !known; k++) {
			if (!flag_is(a, valued[k])) continue;
			if (flag_value(argc, argv, &i, valued[k], slot[k])) return 2;
			known = true;
		}
		if (known) continue;
		if (str_eq(a, "--password-stdin")) {
			o->password_stdin = true;
		} else if (a[0] == '-') {
			return usage_error("add", usage_add, "unknown flag %s", a);
		} else if (!o->email) {
			o->email = a;
		} else {
			return usage_error("add", usage_add, "unexpected argument \"%s\"", a);
		}
	}
	if (!o->email) return usage_error("add", usage_add, "EMAIL is missing");
	if (!email_plausible(o->email))
		return usage_error("add", usage_add, "\"%s\" is not an email address", o->email);
	if (!o->role) return usage_error("add", usage_add, "--role is missing");
	if (!role_valid(o->role))
		return usage_error("add", usage_add, "--role \"%s\" is not one of the roles", o->role);
	if (!o->org) return usage_error("add", usage_add, "--org is missing");
	return 0;
}

/* ORG as an id, else as an exact name that only one organization has. */
static int org_named(store *s, arena *a, const char *org, int64_t *id, char *err, size_t errlen)
{
	store_rows r;
	if (account_orgs_named(s, a, org, &r) != STORE_OK) return store_failed(s, err, errlen);
	if (r.nrows == 1) {
		*id = rows_int(&r, 0, 0);
		return 0;
	}
	if (r.nrows == 0) set_err(err, errlen, "there is no organization with id or name \"%s\"", org);
	else
		set_err(err, errlen, "%zu organizations are named \"%s\" (ids %s, %s%s); give the id",
			r.nrows, org, rows_get(&r, 0, 0), rows_get(&r, 1, 0), r.nrows > 2 ? ", …" : "");
	return 1;
}

static store *open_store(const char *cmd, const char *dsn)
{
	char err[512];
	store *s;
	if (store_open(dsn, &s, err, sizeof err) != STORE_OK) {
		failed(cmd, err, 1);
		return NULL;
	}
	if (store_migrate(s, err, sizeof err) != STORE_OK) {
		failed(cmd, err, 1);
		store_close(s);
		return NULL;
	}
	return s;
}

/* The writes of one command, all or nothing. */
static int add_in_store(store *s, arena *a, const add_opts *o, const char *hash, char *err, size_t errlen,
			int64_t *person_id)
{
	int64_t org_id;
	int rc = org_named(s, a, o->org, &org_id, err, errlen);
	if (rc) return rc;
	*person_id = person_add_with_role(s, a, o->email, o->name, o->role, org_id, err, errlen);
	if (!*person_id) return 1;
	return hash ? store_password(s, a, o->email, hash, err, errlen) : 0;
}

static int in_transaction(store *s, arena *a, const add_opts *o, const char *hash, char *err, size_t errlen,
			  int64_t *person_id)
{
	if (store_begin(s) != STORE_OK) return store_failed(s, err, errlen);
	int rc = add_in_store(s, a, o, hash, err, errlen, person_id);
	if (rc == 0 && store_commit(s) != STORE_OK) rc = store_failed(s, err, errlen);
	if (rc) store_rollback(s);
	return rc;
}

static int user_add(int argc, char **argv, const char *dsn)
{
	if (wants_help(argc, argv)) {
		fputs(usage_add, stdout);
		return 0;
	}
	add_opts o = {0};
	int rc = parse_add(argc, argv, &o);
	if (rc) return rc;
	char err[512] = "";
	char hash[PASSWORD_HASH_MAX] = "";
	/* Hashed before the transaction so no lock is held while argon2 runs. */
	if (o.password_stdin) {
		char line[PASSWORD_MAX_BYTES + 3];
		if (!read_password_line(line, sizeof line))
			return failed("add", "the password is longer than 256 bytes", 2);
		rc = hash_new_password(line, hash, err, sizeof err);
		sodium_memzero(line, sizeof line);
		if (rc) return failed("add", err, rc);
	}
	store *s = open_store("add", dsn);
	if (!s) return 1;
	arena *a = arena_new();
	int64_t person_id = 0;
	rc = in_transaction(s, a, &o, o.password_stdin ? hash : NULL, err, sizeof err, &person_id);
	if (rc) failed("add", err, rc);
	else
		printf("person %lld (%s) is %s at organization %s%s\n", (long long)person_id, o.email, o.role,
		       o.org, o.password_stdin ? "; password set" : "");
	arena_free(a);
	store_close(s);
	return rc;
}

static int user_password(int argc, char **argv, const char *dsn)
{
	if (wants_help(argc, argv)) {
		fputs(usage_password, stdout);
		return 0;
	}
	const char *email = NULL;
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-')
			return usage_error("password", usage_password, "unknown flag %s", argv[i]);
		if (email)
			return usage_error("password", usage_password, "unexpected argument \"%s\"", argv[i]);
		email = argv[i];
	}
	if (!email) return usage_error("password", usage_password, "EMAIL is missing");
	char line[PASSWORD_MAX_BYTES + 3];
	if (!read_password_line(line, sizeof line))
		return failed("password", "the password is longer than 256 bytes", 2);
	char err[512] = "";
	char hash[PASSWORD_HASH_MAX];
	int rc = hash_new_password(line, hash, err, sizeof err);
	sodium_memzero(line, sizeof line);
	if (rc) return failed("password", err, rc);
	store *s = open_store("password", dsn);
	if (!s) return 1;
	arena *a = arena_new();
	if (store_begin(s) != STORE_OK) {
		rc = store_failed(s, err, sizeof err);
	} else {
		rc = store_password(s, a, email, hash, err, sizeof err);
		if (rc == 0 && store_commit(s) != STORE_OK) rc = store_failed(s, err, sizeof err);
		if (rc) store_rollback(s);
	}
	if (rc) failed("password", err, rc);
	else printf("password set for %s; their sessions are ended\n", email);
	arena_free(a);
	store_close(s);
	return rc;
}

int cmd_user(int argc, char **argv, const char *dsn)
{
	if (argc < 1) {
		fputs(usage_user, stderr);
		return 2;
	}
	if (str_eq(argv[0], "--help") || str_eq(argv[0], "-h") || str_eq(argv[0], "help")) {
		fputs(usage_user, stdout);
		return 0;
	}
	if (str_eq(argv[0], "add")) return user_add(argc, argv, dsn);
	if (str_eq(argv[0], "password")) return user_password(argc, argv, dsn);
	fprintf(stderr, "coachd user: unknown subcommand \"%s\"\n%s", argv[0], usage_user);
	return 2;
}
