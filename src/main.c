/* coachd: command dispatch. Every command that touches data takes --db DB
 * (a SQLite file, or a postgres:// URL). Exit codes: 0 ok, 2 usage error,
 * 1 runtime failure with a one-line cause. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "access/guard.h"
#include "access/token_cli.h"
#include "access/user_cli.h"
#include "agreement/agreement.h"
#include "base/arena.h"
#include "base/util.h"
#include "demo/demo.h"
#include "http/server.h"
#include "roster/roster_cli.h"
#include "routes.h"
#include "store/store.h"
#include "web/app.h"

#ifndef COACHD_VERSION
#define COACHD_VERSION "0.1.0"
#endif

#define DEFAULT_DB "./coachd.db"
#define DEFAULT_LISTEN "127.0.0.1:8080"

/* What the flags of one command invocation said. */
typedef struct options {
	const char *db;
	const char *listen;
	const char *threads;
	const char *data_dir;
	const char *max_upload_mb;
	const char *max_file_mb;
	uint64_t media_max, file_max; /* from the two flags above, in bytes */
	const char *max_connections;
	const char *max_per_address;
	const char *header_timeout_ms;
	const char *min_body_kbps;
	const char *trusted_proxy[16]; /* each a comma-separated list */
	size_t ntrusted_proxy;
	int secure_cookies;
	int quiet;
	const char *args[4]; /* positional arguments */
	size_t nargs;
} options;

typedef enum flag_kind { FLAG_VALUE, FLAG_SWITCH, FLAG_LIST } flag_kind;

typedef struct flag {
	const char *name;
	size_t offset; /* of a const char * (value), an int (switch), or an
			 * array of 16 const char * followed by its count (list) */
	flag_kind kind;
} flag;

#define VALUE(n, field) \
	{ \
		n, offsetof(options, field), FLAG_VALUE \
	}
#define SWITCH(n, field) \
	{ \
		n, offsetof(options, field), FLAG_SWITCH \
	}
/* A flag that may be given more than once: each value is kept. */
#define LIST(n, field) \
	{ \
		n, offsetof(options, field), FLAG_LIST \
	}

static const flag serve_flags[] = {VALUE("--db", db),
				   VALUE("--listen", listen),
				   VALUE("--threads", threads),
				   VALUE("--data-dir", data_dir),
				   VALUE("--max-upload-mb", max_upload_mb),
				   VALUE("--max-file-mb", max_file_mb),
				   VALUE("--max-connections", max_connections),
				   VALUE("--max-per-address", max_per_address),
				   VALUE("--header-timeout-ms", header_timeout_ms),
				   VALUE("--min-body-kbps", min_body_kbps),
				   LIST("--trusted-proxy", trusted_proxy),
				   SWITCH("--secure-cookies", secure_cookies),
				   SWITCH("--quiet", quiet),
				   {NULL, 0, 0}};
static const flag db_flags[] = {VALUE("--db", db), {NULL, 0, 0}};
static const flag no_flags[] = {{NULL, 0, 0}};
_Static_assert(offsetof(options, ntrusted_proxy) ==
		       offsetof(options, trusted_proxy) + 16 * sizeof(const char *),
	       "a list flag's count follows its 16 values");

typedef int command_fn(const char *name, options *o);

typedef struct command {
	const char *name;
	command_fn *run;
	const flag *flags;
	size_t min_args, max_args;
	const char *usage;
} command;

static command_fn cmd_serve, cmd_demo, cmd_migrate, cmd_backup, cmd_version;

/* The command table, read top to bottom. `user` has subcommands of its
 * own and is dispatched before this table. */
static const command commands[] = {
	{"serve", cmd_serve, serve_flags, 0, 0,
	 "coachd serve [--db DB] [--listen HOST:PORT] [--threads N] [--data-dir DIR]\n"
	 "             [--max-upload-mb N] [--max-file-mb N] [--secure-cookies] [--quiet]\n"
	 "             [--max-connections N] [--max-per-address N] [--header-timeout-ms MS]\n"
	 "             [--min-body-kbps N] [--trusted-proxy ADDR[,ADDR...]]...\n"
	 "  Serves the web UI and the JSON API. DB is a SQLite file (created if\n"
	 "  missing; default " DEFAULT_DB ") or a postgres:// URL. Default listen\n"
	 "  " DEFAULT_LISTEN "; port 0 picks a free port. Migrations are applied first.\n"
	 "  Uploads: video and audio evidence up to --max-upload-mb (default 200),\n"
	 "  other files up to --max-file-mb (default 20). Files live under --data-dir.\n"
	 "  Connections: at most --max-connections open (default 4096) and\n"
	 "  --max-per-address from one address (default 1024); past either, the\n"
	 "  longest-idle connection is closed for the newcomer. A request's headers\n"
	 "  must be in within --header-timeout-ms of the connection opening or its\n"
	 "  previous response (default 15000); a body must then average at least\n"
	 "  --min-body-kbps KB/s (default 8). --trusted-proxy: X-Forwarded-For from\n"
	 "  these addresses names the client.\n"},
	{"demo", cmd_demo, serve_flags, 0, 0,
	 "coachd demo [--db DB] [--listen HOST:PORT] [serve flags]\n"
	 "  Like serve; if the database is empty, first loads the demo district and\n"
	 "  prints the demo sign-ins.\n"},
	{"migrate", cmd_migrate, db_flags, 0, 0,
	 "coachd migrate [--db DB]\n  Applies the embedded migrations not yet applied.\n"},
	{"backup", cmd_backup, db_flags, 1, 1,
	 "coachd backup [--db DB] FILE\n"
	 "  Copies a SQLite database to FILE while it is in use. For PostgreSQL use pg_dump.\n"},
	{"version", cmd_version, no_flags, 0, 0, "coachd version\n  Prints the version.\n"},
};

static void usage_all(FILE *f)
{
	fprintf(f, "coachd %s — mathematics instructional coaching\n\nCommands:\n", COACHD_VERSION);
	for (size_t i = 0; i < COUNT_OF(commands); i++) fprintf(f, "%s", commands[i].usage);
	fprintf(f,
		"coachd user add|password ...\n  Creates accounts and sets passwords "
		"(coachd user add --help).\n"
		"coachd token create|list|revoke ...\n  API tokens for scripts and integrations "
		"(coachd token --help).\n"
		"coachd import oneroster DIR_OR_ZIP [--dry-run] [--district ID]\n"
		"  Imports a district's OneRoster CSV export (coachd import --help).\n"
		"coachd agreement [--scale MIN..MAX] [--anchor RATER] FILE.csv\n"
		"  Agreement statistics of raters' ratings (coachd agreement --help).\n"
		"\nRun coachd COMMAND --help for one command.\n");
}

static int usage_error(const command *c, const char *msg)
{
	fprintf(stderr, "coachd %s: %s\nusage: %s", c->name, msg, c->usage);
	return 2;
}

static int parse_flags(const command *c, int argc, char **argv, options *o)
{
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] != '-' || a[1] == 0) {
			if (o->nargs >= c->max_args) {
				char msg[160];
				snprintf(msg, sizeof msg, "unexpected argument '%s'", a);
				return usage_error(c, msg);
			}
			o->args[o->nargs++] = a;
			continue;
		}
		const flag *f = c->flags;
		const char *eq = strchr(a, '=');
		size_t len = eq ? (size_t)(eq - a) : strlen(a);
		while (f->name && !(strlen(f->name) == len && !strncmp(f->name, a, len))) f++;
		char msg[200];
		if (!f->name) {
			snprintf(msg, sizeof msg, "unknown flag %.*s", (int)len, a);
			return usage_error(c, msg);
		}
		if (f->kind == FLAG_SWITCH) {
			*(int *)((char *)o + f->offset) = 1;
			continue;
		}
		const char *v = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
		if (!v || !*v) {
			snprintf(msg, sizeof msg, "%s needs a value", f->name);
			return usage_error(c, msg);
		}
		if (f->kind == FLAG_LIST) {
			const char **values = (const char **)(void *)((char *)o + f->offset);
			size_t *n = (size_t *)(void *)(values + 16);
			if (*n == 16) {
				snprintf(msg, sizeof msg, "%s is given more than 16 times", f->name);
				return usage_error(c, msg);
			}
			values[(*n)++] = v;
			continue;
		}
		*(const char **)((char *)o + f->offset) = v;
	}
	if (o->nargs < c->min_args) return usage_error(c, "missing argument");
	return 0;
}

static int open_migrated(const char *db, store **s)
{
	char err[512];
	if (store_open(db, s, err, sizeof err) != STORE_OK) {
		fprintf(stderr, "coachd: cannot open %s: %s\n", db, err);
		return 1;
	}
	if (store_migrate(*s, err, sizeof err) != STORE_OK) {
		fprintf(stderr, "coachd: migration failed: %s\n", err);
		store_close(*s);
		return 1;
	}
	return 0;
}

static int make_dir(const char *path)
{
	if (mkdir(path, 0700) == 0 || errno == EEXIST) return 0;
	fprintf(stderr, "coachd: cannot create %s: %s\n", path, strerror(errno));
	return 1;
}

/* Checks serve flags; fills the parts of cfg they decide. */
static int serve_config(const command *c, options *o, server_config *cfg, arena *a)
{
	const char *why = listen_check(o->listen);
	char msg[200];
	if (why) {
		snprintf(msg, sizeof msg, "--listen %s: %s", o->listen, why);
		return usage_error(c, msg);
	}
	int64_t threads = 0, upload_mb = 200, file_mb = 20;
	if (o->threads && !parse_i64(o->threads, 1, 256, &threads))
		return usage_error(c, "--threads must be a whole number from 1 to 256");
	if (o->max_upload_mb && !parse_i64(o->max_upload_mb, 1, 100000, &upload_mb))
		return usage_error(c, "--max-upload-mb must be a whole number from 1 to 100000");
	if (o->max_file_mb && !parse_i64(o->max_file_mb, 1, 100000, &file_mb))
		return usage_error(c, "--max-file-mb must be a whole number from 1 to 100000");
	int64_t max_conn = 0, per_address = 0, header_ms = 0, body_kbps = 0;
	if (o->max_connections && !parse_i64(o->max_connections, 16, 1000000, &max_conn))
		return usage_error(c, "--max-connections must be a whole number from 16 to 1000000");
	if (o->max_per_address && !parse_i64(o->max_per_address, 1, 1000000, &per_address))
		return usage_error(c, "--max-per-address must be a whole number from 1 to 1000000");
	if (per_address && per_address > (max_conn ? max_conn : SERVER_MAX_CONNECTIONS))
		return usage_error(c, "--max-per-address must not be more than --max-connections");
	if (o->header_timeout_ms && !parse_i64(o->header_timeout_ms, 100, 600000, &header_ms))
		return usage_error(c, "--header-timeout-ms must be a whole number from 100 to 600000");
	if (o->min_body_kbps && !parse_i64(o->min_body_kbps, 1, 1000000, &body_kbps))
		return usage_error(c, "--min-body-kbps must be a whole number from 1 to 1000000");
	for (size_t i = 0; i < o->ntrusted_proxy; i++) {
		char bad[120];
		if (!server_trust_proxies(cfg, o->trusted_proxy[i], bad, sizeof bad)) {
			snprintf(msg, sizeof msg, "--trusted-proxy %.60s: %s", o->trusted_proxy[i], bad);
			return usage_error(c, msg);
		}
	}
	cfg->max_connections = (unsigned)max_conn;
	cfg->max_connections_given = max_conn != 0;
	cfg->max_per_address = (unsigned)per_address;
	cfg->header_timeout_ms = (unsigned)header_ms;
	cfg->min_body_kbps = (unsigned)body_kbps;
	if (file_mb > upload_mb) upload_mb = file_mb; /* the HTTP cap covers both */
	o->media_max = (uint64_t)upload_mb << 20;
	o->file_max = (uint64_t)file_mb << 20;
	if (!o->data_dir)
		o->data_dir =
			store_dsn_is_postgres(o->db) ? "./coachd-files" : arena_printf(a, "%s-files", o->db);
	cfg->listen = o->listen;
	cfg->threads = (unsigned)threads;
	cfg->max_form = 1u << 20;
	cfg->max_json = 2u << 20;
	cfg->max_upload = (size_t)upload_mb << 20;
	cfg->upload_dir = arena_printf(a, "%s/tmp", o->data_dir);
	cfg->access_log = !o->quiet;
	return 0;
}

static int run_server(options *o, server_config *cfg)
{
	if (make_dir(o->data_dir) || make_dir(cfg->upload_dir)) return 1;
	app ap = {.secure_cookies = o->secure_cookies, .media_max = o->media_max, .file_max = o->file_max};
	cfg->routes = app_routes(&cfg->nroutes);
	app_init(&ap, o->db, o->data_dir, cfg->routes, cfg->nroutes);
	cfg->app = &ap;
	cfg->thread_store = app_thread_store;
	cfg->authenticate = access_authenticate;
	cfg->guard = access_guard;
	cfg->metrics = &ap.metrics;
	char err[256];
	int rc = server_run(cfg, err, sizeof err);
	if (rc) fprintf(stderr, "coachd: %s\n", err);
	app_destroy(&ap);
	return rc;
}

static int cmd_serve(const char *name, options *o)
{
	(void)name;
	arena *a = arena_new();
	server_config cfg = {0};
	int rc = serve_config(&commands[0], o, &cfg, a);
	store *s = NULL;
	if (!rc) rc = open_migrated(o->db, &s);
	if (!rc) {
		store_close(s);
		rc = run_server(o, &cfg);
	}
	arena_free(a);
	return rc;
}

static void print_demo_signins(void)
{
	size_t n;
	const demo_account *acc = demo_accounts(&n);
	printf("coachd demo: sign in with any of these (password %s):\n", demo_account_password());
	for (size_t i = 0; i < n; i++) printf("  %-24s %s\n", acc[i].email, acc[i].description);
}

static int cmd_demo(const char *name, options *o)
{
	(void)name;
	arena *a = arena_new();
	server_config cfg = {0};
	int rc = serve_config(&commands[1], o, &cfg, a);
	store *s = NULL;
	if (!rc) rc = open_migrated(o->db, &s);
	if (!rc) {
		bool empty = false;
		char err[512] = "";
		if (demo_is_empty(s, a, &empty) || (empty && demo_load(s, a, err, sizeof err))) {
			fprintf(stderr, "coachd: cannot load the demo: %s\n", *err ? err : store_errmsg(s));
			rc = 1;
		}
		store_close(s);
	}
	if (!rc) {
		print_demo_signins();
		rc = run_server(o, &cfg);
	}
	arena_free(a);
	return rc;
}

static int cmd_migrate(const char *name, options *o)
{
	(void)name;
	store *s;
	if (open_migrated(o->db, &s)) return 1;
	printf("coachd: %s is at schema version %d\n", o->db, store_schema_version(s));
	store_close(s);
	return 0;
}

static int cmd_backup(const char *name, options *o)
{
	(void)name;
	store *s;
	char err[512];
	if (store_open(o->db, &s, err, sizeof err) != STORE_OK) {
		fprintf(stderr, "coachd: cannot open %s: %s\n", o->db, err);
		return 1;
	}
	int rc = store_backup(s, o->args[0], err, sizeof err) == STORE_OK ? 0 : 1;
	if (rc) fprintf(stderr, "coachd: backup failed: %s\n", err);
	else printf("coachd: backed up %s to %s\n", o->db, o->args[0]);
	store_close(s);
	return rc;
}

static int cmd_version(const char *name, options *o)
{
	(void)name;
	(void)o;
	printf("coachd %s\n", COACHD_VERSION);
	return 0;
}

static bool wants_help(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) return true;
	return false;
}

/* Commands with subcommands of their own (coachd user add ...). Each gets
 * its arguments after the command name, --db already taken out. */
typedef struct subcommand {
	const char *name;
	int (*run)(int argc, char **argv, const char *dsn);
} subcommand;

static const subcommand subcommands[] = {
	{"user", cmd_user},
	{"import", cmd_import},
	{"token", cmd_token},
	{"agreement", cmd_agreement},
};

/* These take --db like every other command; the rest of their flags
 * belong to the subcommands. */
static int run_subcommand(const subcommand *sc, int argc, char **argv)
{
	const char *db = DEFAULT_DB;
	char **rest = calloc((size_t)argc + 1, sizeof *rest);
	if (!rest) return 1;
	int n = 0;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--db")) {
			if (i + 1 >= argc || !*argv[i + 1]) {
				fprintf(stderr, "coachd %s: --db needs a value\n", sc->name);
				free(rest);
				return 2;
			}
			db = argv[++i];
		} else if (!strncmp(argv[i], "--db=", 5)) {
			db = argv[i] + 5;
		} else {
			rest[n++] = argv[i];
		}
	}
	int rc = sc->run(n, rest, db);
	free(rest);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "help") || !strcmp(argv[1], "--help")) {
		usage_all(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "--version")) argv[1] = "version";
	for (size_t i = 0; i < COUNT_OF(subcommands); i++)
		if (!strcmp(argv[1], subcommands[i].name))
			return run_subcommand(&subcommands[i], argc - 2, argv + 2);
	for (size_t i = 0; i < COUNT_OF(commands); i++) {
		const command *c = &commands[i];
		if (strcmp(argv[1], c->name)) continue;
		if (wants_help(argc - 2, argv + 2)) {
			printf("usage: %s", c->usage);
			return 0;
		}
		options o = {.db = DEFAULT_DB, .listen = DEFAULT_LISTEN};
		int rc = parse_flags(c, argc - 2, argv + 2, &o);
		return rc ? rc : c->run(c->name, &o);
	}
	fprintf(stderr, "coachd: unknown command '%s'\n\n", argv[1]);
	usage_all(stderr);
	return 2;
}
