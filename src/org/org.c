/* Organization rules: the kinds there are, the district context partners
 * report (type, size band, four flags), what a valid organization is, and
 * where each one sits for the access policy. Pure: no I/O. */
#include "org.h"

#include <string.h>

#include "../base/util.h"

static const form_option kinds[] = {
	{"partner", "Partner"},
	{"district", "District"},
	{"school", "School"},
};

/* District types as the services overview names them, in its order. */
static const form_option types[] = {
	{"traditional", "Traditional"},
	{"charter", "Charter"},
	{"private", "Private"},
	{"parochial", "Parochial"},
	{"rural", "Rural"},
	{"suburban", "Suburban"},
	{"urban", "Urban"},
};

/* The codes read as their ranges so a report or an export is legible
 * without the labels; "2500-10000" is what the demo has always stored. */
static const form_option bands[] = {
	{"under-2500", "Fewer than 2,500 students"},   {"2500-10000", "2,500–10,000 students"},
	{"10001-50000", "10,001–50,000 students"},     {"50001-100000", "50,001–100,000 students"},
	{"over-100000", "More than 100,000 students"},
};

static const form_option flags[ORG_FLAG_COUNT] = {
	[FLAG_ELL] = {"flag_ell", "More than 20 % English learners"},
	[FLAG_SWD] = {"flag_swd", "More than 20 % students with disabilities"},
	[FLAG_ECON] = {"flag_econ", "More than 60 % economically disadvantaged students"},
	[FLAG_SOC] = {"flag_soc", "More than 80 % students of color"},
};

static const char *label_of(const form_option *opts, size_t n, const char *code)
{
	for (size_t i = 0; code && i < n; i++)
		if (strcmp(opts[i].value, code) == 0) return opts[i].label;
	return NULL;
}

bool org_kind_valid(const char *kind)
{
	return org_kind_label(kind) != NULL;
}

const char *org_kind_label(const char *kind)
{
	return label_of(kinds, COUNT_OF(kinds), kind);
}

const form_option *district_types(size_t *n)
{
	*n = COUNT_OF(types);
	return types;
}

const form_option *size_bands(size_t *n)
{
	*n = COUNT_OF(bands);
	return bands;
}

const char *district_type_label(const char *code)
{
	return label_of(types, COUNT_OF(types), code);
}

const char *size_band_label(const char *code)
{
	return label_of(bands, COUNT_OF(bands), code);
}

const char *org_flag_field(org_flag f)
{
	return (unsigned)f < ORG_FLAG_COUNT ? flags[f].value : "flag";
}

const char *org_flag_label(org_flag f)
{
	return (unsigned)f < ORG_FLAG_COUNT ? flags[f].label : "";
}

const char *name_problem(const char *name)
{
	if (!name || !*name) return "Enter a name.";
	switch (text_line_check(name, NAME_MAX_CHARS)) {
	case TEXT_LINE_BREAKS: return "The name has a control character in it; it is one line of text.";
	case TEXT_LINE_LONG: return "The name is longer than 200 characters.";
	default: return NULL;
	}
}

static bool given(const char *s)
{
	return s && *s;
}

static void check_parent(const org_input *in, bool school, form_errors *e)
{
	if (in->parent_unreadable) form_error_add(e, "parent_id", "Choose the district from the list.");
	else if (school && !in->parent_id)
		form_error_add(e, "parent_id", "A school needs the district it belongs to.");
	else if (!school && in->parent_id)
		form_error_add(e, "parent_id", "Only a school belongs to a district.");
}

/* The district context: valid codes, and only on a district. */
static void check_context(const org_input *in, bool district, form_errors *e)
{
	if (given(in->district_type)) {
		if (!district) form_error_add(e, "district_type", "Only a district has a district type.");
		else if (!district_type_label(in->district_type))
			form_error_add(e, "district_type", "Choose one of the district types.");
	}
	if (given(in->size_band)) {
		if (!district) form_error_add(e, "size_band", "Only a district has a size band.");
		else if (!size_band_label(in->size_band))
			form_error_add(e, "size_band", "Choose one of the size bands.");
	}
	for (int f = 0; f < ORG_FLAG_COUNT; f++)
		if (in->flags[f] && !district)
			form_error_add(e, org_flag_field((org_flag)f),
				       "Only a district carries the context flags.");
}

void org_check(const org_input *in, form_errors *e)
{
	bool kind_ok = org_kind_valid(in->kind);
	if (!kind_ok) form_error_add(e, "kind", "Choose partner, district or school.");
	const char *problem = name_problem(in->name);
	if (problem) form_error_add(e, "name", problem);
	if (!kind_ok) return; /* the rest depends on the kind */
	check_parent(in, str_eq(in->kind, "school"), e);
	check_context(in, str_eq(in->kind, "district"), e);
}

org_input org_input_of(const org *o)
{
	org_input in = {.kind = o->kind,
			.name = o->name,
			.parent_id = o->parent_id,
			.district_type = o->district_type,
			.size_band = o->size_band};
	for (int f = 0; f < ORG_FLAG_COUNT; f++) in.flags[f] = o->flags[f];
	return in;
}

place org_place(const char *kind, int64_t id, int64_t parent_id)
{
	if (str_eq(kind, "school")) return (place){id, parent_id, 0};
	if (str_eq(kind, "partner")) return (place){id, 0, id};
	return (place){id, id, 0};
}

record org_record(const place *p)
{
	return (record){.kind = REC_ORG, .places = p, .nplaces = p ? 1 : 0};
}
