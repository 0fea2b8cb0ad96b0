/* The organizations JSON API, the twin of the pages: list, one org, create,
 * partial update and deactivate. Errors have the one shape (resp_error,
 * resp_form_invalid). */
#include <jansson.h>
#include <string.h>

#include "../base/util.h"
#include "../web/app.h"
#include "org.h"

static json_t *org_json(const org *o)
{
	json_t *j = json_pack("{s:I, s:s, s:s, s:I, s:b}", "id", (json_int_t)o->id, "kind", o->kind, "name",
			      o->name, "people", (json_int_t)o->people, "active", o->active);
	json_object_set_new(j, "parent_id", o->parent_id ? json_integer(o->parent_id) : json_null());
	json_object_set_new(j, "parent_name", json_text_or_null(o->parent_name));
	json_object_set_new(j, "district_type", json_text_or_null(o->district_type));
	json_object_set_new(j, "district_type_label",
			    json_text_or_null(district_type_label(o->district_type)));
	json_object_set_new(j, "size_band", json_text_or_null(o->size_band));
	json_object_set_new(j, "size_band_label", json_text_or_null(size_band_label(o->size_band)));
	for (int f = 0; f < ORG_FLAG_COUNT; f++)
		json_object_set_new(j, org_flag_field((org_flag)f), json_boolean(o->flags[f]));
	return j;
}

/*
** GET /api/orgs?kind=K&q=TEXT
** {"orgs":[{id,kind,name,parent_id,parent_name,people,active,district_type,
** district_type_label,size_band,size_band_label,flag_ell,flag_swd,flag_econ,
** flag_soc}]}: active organizations, in the order of the page.
** Permissions: signed in (else 401); rows the policy lets the person read.
*/
void api_orgs(req *rq, resp *rs)
{
	org_filter f;
	if (!org_filter_read(rq, rs, &f)) return;
	org *list;
	size_t n;
	if (org_visible(rq, &f, &list, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) json_array_append_new(arr, org_json(&list[i]));
	resp_json(rs, 200, json_pack("{s:o}", "orgs", arr));
}

/* One org as JSON, with a district's active schools; answers status. */
static void answer_org(req *rq, resp *rs, int status, int64_t id)
{
	org o;
	bool found;
	org *kids = NULL;
	size_t nkids = 0;
	if (org_get(rq->db, rq->a, id, &o, &found) != STORE_OK ||
	    (found && org_children(rq->db, rq->a, id, &kids, &nkids) != STORE_OK)) {
		resp_store_failed(rq, rs);
		return;
	}
	if (!found) {
		resp_error(rq, rs, 404, "not_found", "there is no such organization", NULL);
		return;
	}
	json_t *j = org_json(&o);
	if (str_eq(o.kind, "district")) {
		json_t *schools = json_array();
		for (size_t i = 0; i < nkids; i++)
			json_array_append_new(
				schools,
				json_pack("{s:I, s:s}", "id", (json_int_t)kids[i].id, "name", kids[i].name));
		json_object_set_new(j, "schools", schools);
	}
	if (status == 201)
		resp_header_add(rs, "Location", arena_printf(rq->a, "/api/orgs/%lld", (long long)id));
	resp_json(rs, status, j);
}

/*
** GET /api/orgs/{id}
** One organization (as in the list), with "schools":[{id,name}] for a
** district; 404 when there is none.
** Permissions: signed in; read the org.
*/
void api_org(req *rq, resp *rs)
{
	org o;
	if (!org_load(rq, rs, &o)) return;
	answer_org(rq, rs, 200, o.id);
}

static const char *const org_members[] = {
	"kind",     "name",     "parent_id", "district_type", "size_band",
	"flag_ell", "flag_swd", "flag_econ", "flag_soc",      NULL,
};

/* Applies the members present in j to in; type errors go to e. */
static void read_org_json(req *rq, json_t *j, org_input *in, form_errors *e)
{
	json_known_members(rq->a, j, org_members, e);
	json_member_text(rq->a, j, "kind", &in->kind, e);
	json_member_text(rq->a, j, "name", &in->name, e);
	json_member_id(j, "parent_id", &in->parent_id, e);
	json_member_text(rq->a, j, "district_type", &in->district_type, e);
	json_member_text(rq->a, j, "size_band", &in->size_band, e);
	for (int f = 0; f < ORG_FLAG_COUNT; f++)
		json_member_flag(j, org_flag_field((org_flag)f), &in->flags[f], e);
}

/* Runs a change whose input failed to read as 400, else as given. */
static bool input_readable(req *rq, resp *rs, const form_errors *e)
{
	if (!e->n) return true;
	resp_form_invalid(rq, rs, e);
	return false;
}

/*
** POST /api/orgs   (JSON: kind, name, parent_id, district_type, size_band,
**                   flag_ell, flag_swd, flag_econ, flag_soc)
** Creates the organization: 201 with it and Location. 400 {"error":
** {code:"invalid",field,fields}} for bad input, nothing written.
** Permissions: signed in, CSRF (cookie sessions); may(CREATE) as for the page.
*/
void api_org_create(req *rq, resp *rs)
{
	if (!may_act_somewhere(rq, REC_ORG, ACT_CREATE)) {
		resp_error(rq, rs, 403, "forbidden", "You may not create organizations.", NULL);
		return;
	}
	json_t *j = json_body_object(rq, rs);
	if (!j) return;
	org_input in = {0};
	form_errors e = {0};
	read_org_json(rq, j, &in, &e);
	outcome out = {0};
	if (input_readable(rq, rs, &e)) {
		org_create(rq, &in, &out);
		if (!outcome_answered(rq, rs, &out)) answer_org(rq, rs, 201, out.id);
	}
	json_decref(j);
}

/*
** PATCH /api/orgs/{id}   (JSON: any of name, parent_id, district_type,
**                         size_band, flag_*; kind only unchanged)
** Changes the members given and keeps the rest; 200 with the org.
** Permissions: signed in, CSRF (cookie sessions); may(UPDATE) the org.
*/
void api_org_update(req *rq, resp *rs)
{
	org o;
	if (!org_load(rq, rs, &o)) return;
	if (!may_org(rq, ACT_UPDATE, &o)) {
		resp_error(rq, rs, 403, "forbidden", "You may not change this organization.", NULL);
		return;
	}
	json_t *j = json_body_object(rq, rs);
	if (!j) return;
	org_input in = org_input_of(&o);
	form_errors e = {0};
	read_org_json(rq, j, &in, &e);
	outcome out = {0};
	if (input_readable(rq, rs, &e)) {
		org_change(rq, &o, &in, &out);
		if (!outcome_answered(rq, rs, &out)) answer_org(rq, rs, 200, o.id);
	}
	json_decref(j);
}

/*
** POST /api/orgs/{id}/deactivate
** Deactivates the org; 200 with it ("active":false). 409 "has_schools"
** while a district has active schools.
** Permissions: signed in, CSRF (cookie sessions); may(DEACTIVATE) the org.
*/
void api_org_deactivate(req *rq, resp *rs)
{
	org o;
	if (!org_load(rq, rs, &o)) return;
	outcome out;
	org_retire(rq, &o, &out);
	if (!outcome_answered(rq, rs, &out)) answer_org(rq, rs, 200, o.id);
}
