/* Codes that engagements, coaching cycles and (soon) resources and
 * student work name: the framework indicators a plan or an agreement
 * focuses on, and the CCSS mathematics standards. Pure: no I/O. */
#include "standards.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../base/util.h"

static bool blank(const char *s)
{
	for (; s && *s; s++)
		if (!isspace((unsigned char)*s)) return false;
	return true;
}

/* ---- focus codes ---- */

typedef struct code_label {
	const char *code, *text;
} code_label;

/* Standards for Mathematical Practice; NCTM's eight effective mathematics
 * teaching practices (Principles to Actions); the five dimensions of
 * Teaching for Robust Understanding. */
static const code_label focus_codes[] = {
	{"MP1", "MP1 Make sense of problems and persevere in solving them"},
	{"MP2", "MP2 Reason abstractly and quantitatively"},
	{"MP3", "MP3 Construct viable arguments and critique the reasoning of others"},
	{"MP4", "MP4 Model with mathematics"},
	{"MP5", "MP5 Use appropriate tools strategically"},
	{"MP6", "MP6 Attend to precision"},
	{"MP7", "MP7 Look for and make use of structure"},
	{"MP8", "MP8 Look for and express regularity in repeated reasoning"},
	{"TP1", "TP1 Establish mathematics goals to focus learning"},
	{"TP2", "TP2 Implement tasks that promote reasoning and problem solving"},
	{"TP3", "TP3 Use and connect mathematical representations"},
	{"TP4", "TP4 Facilitate meaningful mathematical discourse"},
	{"TP5", "TP5 Pose purposeful questions"},
	{"TP6", "TP6 Build procedural fluency from conceptual understanding"},
	{"TP7", "TP7 Support productive struggle in learning mathematics"},
	{"TP8", "TP8 Elicit and use evidence of student thinking"},
	{"TRU1", "TRU1 The mathematics"},
	{"TRU2", "TRU2 Cognitive demand"},
	{"TRU3", "TRU3 Equitable access to mathematics"},
	{"TRU4", "TRU4 Agency, ownership and identity"},
	{"TRU5", "TRU5 Formative assessment"},
};

static const char *label_of(const code_label *l, size_t n, const char *code)
{
	for (size_t i = 0; code && i < n; i++)
		if (!strcmp(l[i].code, code)) return l[i].text;
	return NULL;
}

bool focus_code_valid(const char *code)
{
	return label_of(focus_codes, COUNT_OF(focus_codes), code) != NULL;
}

const char *focus_code_label(const char *code)
{
	return label_of(focus_codes, COUNT_OF(focus_codes), code);
}

enum { CODE_MAX = 32 }; /* bytes of a normalized code, NUL included */

static bool focus_canonical(const char *in, char out[CODE_MAX])
{
	size_t n = strlen(in);
	if (n >= CODE_MAX) return false;
	for (size_t i = 0; i <= n; i++) out[i] = (char)toupper((unsigned char)in[i]);
	return focus_code_valid(out);
}

/* ---- CCSS codes: a grammar, not a list ---- */

static const char *const domains_k[] = {"CC", "OA", "NBT", "MD", "G", NULL};
static const char *const domains_1_2[] = {"OA", "NBT", "MD", "G", NULL};
static const char *const domains_3_5[] = {"OA", "NBT", "NF", "MD", "G", NULL};
static const char *const domains_6_7[] = {"RP", "NS", "EE", "G", "SP", NULL};
static const char *const domains_8[] = {"NS", "EE", "F", "G", "SP", NULL};
/* High school: conceptual category, then domain. */
static const char *const domains_hs[] = {"N-RN",  "N-Q",  "N-CN", "N-VM", "A-SSE", "A-APR", "A-CED", "A-REI",
					 "F-IF",  "F-BF", "F-LE", "F-TF", "G-CO",  "G-SRT", "G-C",   "G-GPE",
					 "G-GMD", "G-MG", "S-ID", "S-IC", "S-CP",  "S-MD",  NULL};

static const char *const grades[] = {"K", "1", "2", "3", "4", "5", "6", "7", "8"};

static const char *const *grade_domains(const char *grade)
{
	switch (grade[0]) {
	case 'K': return domains_k;
	case '1':
	case '2': return domains_1_2;
	case '3':
	case '4':
	case '5': return domains_3_5;
	case '6':
	case '7': return domains_6_7;
	default: return domains_8;
	}
}

/* The entry of list equal to s, or NULL. */
static const char *listed(const char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; list && i < n && list[i]; i++)
		if (!strcmp(list[i], s)) return list[i];
	return NULL;
}

/* "1".."20" without a leading zero, then at most one letter. */
static bool standard_number(const char *s, int *number, char *sub)
{
	if (!isdigit((unsigned char)s[0]) || s[0] == '0') return false;
	int v = s[0] - '0';
	size_t i = 1;
	if (isdigit((unsigned char)s[1])) v = v * 10 + (s[i++] - '0');
	if (v < 1 || v > 20) return false;
	*sub = 0;
	if (s[i]) {
		if (s[i] < 'A' || s[i] > 'H' || s[i + 1]) return false;
		*sub = (char)tolower((unsigned char)s[i]);
	}
	*number = v;
	return true;
}

static bool cluster_letter(const char *s)
{
	return s[0] >= 'A' && s[0] <= 'D' && !s[1];
}

static const char *strip_prefix(const char *s)
{
	static const char *const prefixes[] = {"CCSS.MATH.CONTENT.", "CCSS.MATH.PRACTICE."};
	for (size_t i = 0; i < COUNT_OF(prefixes); i++)
		if (!strncasecmp(s, prefixes[i], strlen(prefixes[i]))) return s + strlen(prefixes[i]);
	return s;
}

/* The display form of a CCSS code (4.NF.A.1, K.CC.B.4a, HSA-SSE.A.1), or
 * false. Also reads the identifiers the standards' own site uses:
 * CCSS.MATH.CONTENT.HSA.SSE.A.1 and CCSS.MATH.CONTENT.K.CC.B.4.A. */
static bool ccss_canonical(const char *in, char out[CODE_MAX])
{
	if (!in) return false;
	const char *s = strip_prefix(in);
	size_t n = strlen(s);
	if (!n || n > 24) return false;
	char u[CODE_MAX];
	for (size_t i = 0; i <= n; i++) u[i] = (char)toupper((unsigned char)s[i]);
	if (!strncmp(u, "MP", 2)) {
		if (u[2] < '1' || u[2] > '8' || u[3]) return false;
		memcpy(out, u, 4);
		return true;
	}
	char *part[6];
	size_t np = 0;
	for (char *p = u;; p++) {
		if (np == COUNT_OF(part)) return false;
		part[np++] = p;
		p = strchr(p, '.');
		if (!p) break;
		*p = '\0';
	}
	for (size_t i = 0; i < np; i++)
		if (!*part[i]) return false;
	/* The grade or "HS", and the domain, as their entries in the lists. */
	const char *grade = NULL, *domain = NULL;
	char hs_domain[CODE_MAX];
	size_t at = 2;
	if (!strncmp(part[0], "HS", 2)) {
		if (strchr(part[0], '-')) {
			snprintf(hs_domain, sizeof hs_domain, "%s", part[0] + 2);
			at = 1;
		} else if (strlen(part[0]) == 3 && np > 1) {
			snprintf(hs_domain, sizeof hs_domain, "%c-%s", part[0][2], part[1]);
		} else return false;
		grade = "HS";
		domain = listed(domains_hs, COUNT_OF(domains_hs), hs_domain);
	} else if (np > 1 && (grade = listed(grades, COUNT_OF(grades), part[0]))) {
		domain = listed(grade_domains(grade), 8, part[1]);
	}
	if (!grade || !domain) return false;
	if (at >= np || !cluster_letter(part[at])) return false;
	char cluster = part[at++][0];
	const char *sep = strcmp(grade, "HS") ? "." : "";
	if (at == np) {
		snprintf(out, CODE_MAX, "%s%s%s.%c", grade, sep, domain, cluster);
		return true;
	}
	int number;
	char sub;
	if (!standard_number(part[at++], &number, &sub)) return false;
	/* The site's form writes the sub-standard as its own part: 4.A. */
	if (at < np && !sub) {
		const char *x = part[at++];
		if (x[0] < 'A' || x[0] > 'H' || x[1]) return false;
		sub = (char)tolower((unsigned char)x[0]);
	}
	if (at != np) return false;
	if (sub) snprintf(out, CODE_MAX, "%s%s%s.%c.%d%c", grade, sep, domain, cluster, number, sub);
	else snprintf(out, CODE_MAX, "%s%s%s.%c.%d", grade, sep, domain, cluster, number);
	return true;
}

bool ccss_code_valid(const char *code)
{
	char out[CODE_MAX];
	return ccss_canonical(code, out);
}

typedef bool (*canonical_fn)(const char *in, char out[CODE_MAX]);

static bool code_separator(char c)
{
	return c == ',' || c == ';' || c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static const char *codes_normalize(arena *a, const char *text, const char *field, form_errors *e,
				   canonical_fn canonical, const char *bad, const char *too_many)
{
	if (blank(text)) return "";
	const char *kept[STANDARDS_CODES_MAX];
	size_t nkept = 0;
	char *out = arena_calloc(a, (size_t)STANDARDS_CODES_MAX * CODE_MAX, 1);
	for (const char *p = text; *p;) {
		while (*p && code_separator(*p)) p++;
		if (!*p) break;
		size_t len = 0;
		while (p[len] && !code_separator(p[len])) len++;
		const char *token = arena_strndup(a, p, len);
		p += len;
		char code[CODE_MAX];
		if (!canonical(token, code)) {
			form_error_add(e, field, arena_printf(a, bad, utf8_cut(a, token, 40, true)));
			return text;
		}
		bool seen = false;
		for (size_t i = 0; i < nkept && !seen; i++) seen = !strcmp(kept[i], code);
		if (seen) continue;
		if (nkept == STANDARDS_CODES_MAX) {
			form_error_add(e, field, too_many);
			return text;
		}
		kept[nkept++] = arena_strdup(a, code);
		if (*out) strcat(out, " ");
		strcat(out, code);
	}
	return out;
}

const char *focus_codes_normalize(arena *a, const char *text, const char *field, form_errors *e)
{
	return codes_normalize(a, text, field, e, focus_canonical,
			       "“%s” is not a focus practice: use MP1 to MP8, TP1 to TP8 or TRU1 to TRU5.",
			       "Name at most 24 focus practices.");
}

const char *ccss_codes_normalize(arena *a, const char *text, const char *field, form_errors *e)
{
	return codes_normalize(a, text, field, e, ccss_canonical,
			       "“%s” is not a CCSS code such as 4.NF.A.1, K.CC.B.4a or HSA-SSE.A.1.",
			       "Name at most 24 standards.");
}
