/* The import command: reads a OneRoster directory or ZIP archive, applies
 * it (or, with --dry-run, only says what it would change) and prints the
 * report: counts per kind of record, then warnings and problems, each
 * naming file, row and column. */
#include "roster_cli.h"

#include <stdio.h>
#include <string.h>

#include "../base/util.h"
#include "roster.h"

static const char usage[] =
	"usage: coachd import oneroster [--db DB] DIR_OR_ZIP [--dry-run] [--district ID]\n"
	"  Imports a district's OneRoster 1.1 or 1.2 CSV export (a folder or a ZIP\n"
	"  archive with manifest.csv): schools, school years and terms, staff and\n"
	"  their roles, classes and their teachers. Students are counted, never\n"
	"  stored. All or nothing: any problem and nothing is written.\n"
	"  --dry-run       say what would change; write nothing\n"
	"  --district ID   the district to import into (an organization id); by\n"
	"                  default the roster's district, found by its sourcedId or\n"
	"                  created\n";

typedef struct import_opts {
	const char *path;
	bool dry_run;
	int64_t district;
} import_opts;

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "coachd import: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n%s", usage);
	return 2;
}

static int parse_opts(int argc, char **argv, import_opts *o)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (str_eq(a, "--dry-run")) {
			o->dry_run = true;
		} else if (str_eq(a, "--district") || str_starts(a, "--district=")) {
			const char *v = a[10] == '=' ? a + 11 : i + 1 < argc ? argv[++i] : NULL;
			if (!v || !parse_i64(v, 1, INT64_MAX, &o->district))
				return usage_error("--district needs an organization id, not \"%s\"",
						   v ? v : "");
		} else if (a[0] == '-') {
			return usage_error("unknown flag %s", a);
		} else if (o->path) {
			return usage_error("unexpected argument \"%s\"", a);
		} else {
			o->path = a;
		}
	}
	if (!o->path) return usage_error("%s", "DIR_OR_ZIP is missing");
	return 0;
}

static void print_counts(const roster_result *r)
{
	printf("  %-22s %8s %8s %12s %10s\n", "", "created", "updated", "deactivated", "unchanged");
	for (int k = 0; k < RK_COUNT; k++) {
		const roster_counts *n = &r->counts[k];
		printf("  %-22s %8lld %8lld %12lld %10lld\n", roster_kind_label((roster_kind)k),
		       (long long)n->created, (long long)n->updated, (long long)n->deactivated,
		       (long long)n->unchanged);
	}
}

static void print_notes(arena *a, const char *heading, const roster_notes *l)
{
	if (!l->n && !l->dropped) return;
	printf("%s (%zu):\n", heading, l->n + l->dropped);
	for (size_t i = 0; i < l->n; i++) printf("  %s\n", roster_note_text(a, &l->items[i]));
	if (l->dropped) printf("  … and %zu more not listed\n", l->dropped);
}

static int64_t changes(const roster_result *r)
{
	int64_t n = 0;
	for (int k = 0; k < RK_COUNT; k++)
		n += r->counts[k].created + r->counts[k].updated + r->counts[k].deactivated;
	return n;
}

static int report(arena *a, const import_opts *o, const roster_plan *p, const roster_result *r)
{
	printf("OneRoster %s from %s%s\n", p->version ? p->version : "(version unknown)", o->path,
	       o->dry_run ? " (dry run)" : "");
	if (r->district_name)
		printf("district: %s%s\n", r->district_name,
		       r->district_id > 0 ? arena_printf(a, " (organization %lld)", (long long)r->district_id)
					  : " (new)");
	print_counts(r);
	printf("students counted, never stored: %lld; users and enrollments skipped "
	       "(parents, aides, proctors …): %lld\n",
	       (long long)p->students, (long long)p->skipped);
	print_notes(a, "warnings", &p->warnings);
	print_notes(a, "problems", &p->problems);
	if (r->store_failed) {
		fprintf(stderr, "coachd import: the database failed; nothing was imported\n");
		return 1;
	}
	if (!roster_clean(p)) {
		fprintf(stderr, "coachd import: %zu problem%s; nothing was imported\n",
			p->problems.n + p->problems.dropped,
			p->problems.n + p->problems.dropped == 1 ? "" : "s");
		return 1;
	}
	if (o->dry_run)
		printf("dry run: %lld changes would be made; nothing was written\n", (long long)changes(r));
	else printf("imported: %lld changes in %.1f s\n", (long long)changes(r), r->seconds);
	return 0;
}

static int run_import(const import_opts *o, const char *dsn)
{
	char err[512];
	store *s;
	if (store_open(dsn, &s, err, sizeof err) != STORE_OK ||
	    store_migrate(s, err, sizeof err) != STORE_OK) {
		fprintf(stderr, "coachd import: cannot open %s: %s\n", dsn, err);
		return 1;
	}
	arena *a = arena_new();
	roster_target t = {.district_id = o->district, .dry_run = o->dry_run};
	roster_result r;
	const char *why = NULL;
	roster_plan *p = roster_import(s, a, o->path, &t, &r, &why);
	int rc;
	if (!p) {
		fprintf(stderr, "coachd import: %s\n", why);
		rc = 1;
	} else {
		if (r.store_failed) fprintf(stderr, "coachd import: store: %s\n", store_errmsg(s));
		rc = report(a, o, p, &r);
	}
	arena_free(a);
	store_close(s);
	return rc;
}

int cmd_import(int argc, char **argv, const char *dsn)
{
	for (int i = 0; i < argc; i++)
		if (str_eq(argv[i], "--help") || str_eq(argv[i], "-h")) {
			fputs(usage, stdout);
			return 0;
		}
	if (argc < 1 || !str_eq(argv[0], "oneroster"))
		return usage_error(
			"%s", argc < 1 ? "say what to import: oneroster" : "only oneroster can be imported");
	import_opts o = {0};
	int rc = parse_opts(argc, argv, &o);
	return rc ? rc : run_import(&o, dsn);
}
