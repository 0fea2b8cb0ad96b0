/* `coachd agreement`: the agreement statistics of a CSV file of ratings,
 * printed as JSON, for a facilitator with a spreadsheet or a script. It
 * needs no database: the numbers are the ones POST /api/agreement and the
 * calibration pages give for the same ratings. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../base/util.h"
#include "agreement.h"

static const char usage[] =
	"usage: coachd agreement [--scale MIN..MAX] [--anchor RATER] [--resamples N] [--seed N]\n"
	"                        FILE.csv\n"
	"  Agreement among raters who rated the same units, from a CSV file with the\n"
	"  header unit,rater,value (an empty value is a rating not given; FILE - reads\n"
	"  standard input). Prints JSON: percent exact and within one point, Cohen's\n"
	"  kappa (two raters), Fleiss' kappa, Krippendorff's alpha (nominal, ordinal,\n"
	"  interval, ratio) with a bootstrap 95% interval for ordinal alpha, and each\n"
	"  rater against the anchor. A statistic that cannot be computed is null, with\n"
	"  the reason under \"reasons\". Exit 2 names the row of bad input.\n"
	"  --scale MIN..MAX  the rubric's scale (default: lowest to highest value given)\n"
	"  --anchor RATER    compare every rater with this one; passing is at least 80%\n"
	"                    of ratings within one point of the anchor's\n"
	"  --resamples N     bootstrap resamples (default 1000; 0: no interval)\n"
	"  --seed N          the bootstrap's seed (default 20110326): same seed, same\n"
	"                    interval\n";

typedef struct cli_opts {
	const char *path;
	agreement_settings settings;
	agreement_options options;
} cli_opts;

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("coachd agreement: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%s", usage);
	return 2;
}

/* The value of flag name at argv[*i] (--name V or --name=V), or NULL. */
static const char *flag_value(int argc, char **argv, int *i, const char *name)
{
	const char *a = argv[*i];
	size_t n = strlen(name);
	if (strncmp(a, name, n)) return NULL;
	if (a[n] == '=') return a + n + 1;
	if (a[n] == '\0' && *i + 1 < argc) return argv[++*i];
	return a[n] == '\0' ? "" : NULL;
}

static int parse_opts(int argc, char **argv, cli_opts *o)
{
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v;
		int64_t n;
		if ((v = flag_value(argc, argv, &i, "--scale"))) {
			const char *why =
				agreement_parse_scale(v, &o->settings.scale_min, &o->settings.scale_max);
			if (why) return usage_error("--scale %s: %s", v, why);
			o->settings.scale_declared = true;
		} else if ((v = flag_value(argc, argv, &i, "--anchor"))) {
			if (!*v) return usage_error("--anchor needs a rater's name");
			o->settings.anchor = v;
		} else if ((v = flag_value(argc, argv, &i, "--resamples"))) {
			if (!parse_i64(v, 0, AGREEMENT_RESAMPLES_MAX, &n))
				return usage_error("--resamples must be a whole number from 0 to %d",
						   AGREEMENT_RESAMPLES_MAX);
			o->options.resamples = (uint32_t)n;
		} else if ((v = flag_value(argc, argv, &i, "--seed"))) {
			if (!parse_i64(v, 0, INT64_MAX, &n))
				return usage_error("--seed must be a whole number of 0 or more");
			o->options.seed = (uint64_t)n;
		} else if (a[0] == '-' && a[1]) {
			return usage_error("unknown flag %s", a);
		} else if (o->path) {
			return usage_error("unexpected argument \"%s\"", a);
		} else {
			o->path = a;
		}
	}
	if (!o->path) return usage_error("FILE.csv is missing");
	return 0;
}

typedef struct fd_source {
	int fd;
	int err; /* errno of a failed read, 0 when none */
} fd_source;

static long fd_read(void *ctx, char *out, size_t n)
{
	fd_source *f = ctx;
	for (;;) {
		ssize_t got = read(f->fd, out, n);
		if (got >= 0) return (long)got;
		if (errno == EINTR) continue;
		f->err = errno;
		return -1;
	}
}

static const char *fd_error(void *ctx)
{
	return strerror(((fd_source *)ctx)->err);
}

static int run(const cli_opts *o)
{
	bool std_in = str_eq(o->path, "-");
	fd_source f = {std_in ? STDIN_FILENO : open(o->path, O_RDONLY | O_CLOEXEC), 0};
	if (f.fd < 0) {
		fprintf(stderr, "coachd agreement: cannot open %s: %s\n", o->path, strerror(errno));
		return 1;
	}
	arena *a = arena_new();
	agreement_data d;
	const char *why =
		agreement_read_csv(a, o->path, (csv_source){&f, fd_read, fd_error}, &o->settings, &d);
	if (!std_in) close(f.fd);
	int rc = 0;
	if (why) {
		fprintf(stderr, "coachd agreement: %s: %s\n", std_in ? "standard input" : o->path, why);
		rc = f.err ? 1 : 2;
	} else {
		agreement_result r;
		agreement_compute(a, &d, &o->options, &r);
		buf out = BUF_INIT;
		agreement_write_json(a, &out, &d, &r);
		buf_putc(&out, '\n');
		if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout)) {
			fprintf(stderr, "coachd agreement: cannot write the result: %s\n", strerror(errno));
			rc = 1;
		}
		buf_free(&out);
	}
	arena_free(a);
	return rc;
}

int cmd_agreement(int argc, char **argv, const char *dsn)
{
	(void)dsn; /* the statistics need no database */
	for (int i = 0; i < argc; i++)
		if (str_eq(argv[i], "--help") || str_eq(argv[i], "-h")) {
			fputs(usage, stdout);
			return 0;
		}
	cli_opts o = {.settings = {.origin = AGREEMENT_FROM_CSV}, .options = AGREEMENT_OPTIONS_DEFAULT};
	int rc = parse_opts(argc, argv, &o);
	return rc ? rc : run(&o);
}
