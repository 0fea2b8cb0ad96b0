/* Application setup, the per-thread store connections, and the answers
 * and readers every handler shares. */
#include "app.h"

#include "../access/actor.h"
#include "../access/password.h"
#include "../base/log.h"
#include "../base/util.h"

#include <jansson.h>
#include <string.h>

static void close_thread_store(void *p)
{
	store_close(p);
}

void app_init(app *ap, const char *dsn, const char *data_dir, const route *routes, size_t n)
{
	ap->dsn = dsn;
	ap->data_dir = data_dir;
	pthread_key_create(&ap->store_key, close_thread_store);
	metrics_init(&ap->metrics, routes, n);
	ap->hashing = password_gate_new();
}

void app_destroy(app *ap)
{
	metrics_destroy(&ap->metrics);
	password_gate_free(ap->hashing);
	pthread_key_delete(ap->store_key);
}

store *app_thread_store(app *ap)
{
	store *s = pthread_getspecific(ap->store_key);
	if (s) return s;
	char err[256];
	if (store_open(ap->dsn, &s, err, sizeof err) != STORE_OK) {
		log_line("store: cannot open: %s", err);
		return NULL;
	}
	pthread_setspecific(ap->store_key, s);
	return s;
}

void resp_store_failed(req *rq, resp *rs)
{
	metrics_store_error(&rq->app->metrics);
	log_line("store: %s %s: %s", rq->method, rq->path, rq->db ? store_errmsg(rq->db) : "no connection");
	resp_error(rq, rs, 500, "store_failed",
		   "something went wrong while reading or saving; nothing was changed", NULL);
}

bool req_form_ids(req *rq, const char *field, size_t max, int64_t **out, size_t *n)
{
	*out = arena_calloc(rq->a, max + 1, sizeof **out);
	*n = 0;
	for (size_t i = 0; i < rq->form.n; i++) {
		if (!str_eq(rq->form.items[i].key, field)) continue;
		char *list = arena_strdup(rq->a, rq->form.items[i].value), *save = NULL;
		for (char *tok = strtok_r(list, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
			int64_t id;
			if (!parse_i64(tok, 1, INT64_MAX, &id) || *n == max) return false;
			(*out)[(*n)++] = id;
		}
	}
	return true;
}

int64_t actor_id(const req *rq)
{
	return rq && rq->actor ? rq->actor->person_id : 0;
}

bool param_id(req *rq, resp *rs, const char *name, int64_t *id)
{
	const char *v = req_param(rq, name);
	if (v && parse_i64(v, 1, INT64_MAX, id)) return true;
	resp_error(rq, rs, 404, "not_found",
		   arena_printf(rq->a, "there is no record with %s \"%s\"", name, v ? v : ""), name);
	return false;
}

void resp_form_invalid(req *rq, resp *rs, const form_errors *e)
{
	const char *field = e->n ? e->items[0].field : NULL;
	const char *message = e->n ? e->items[0].message : "the form is not valid";
	json_t *fields = json_object();
	for (size_t i = 0; i < e->n; i++)
		if (e->items[i].field && !json_object_get(fields, e->items[i].field))
			json_object_set_new(fields, e->items[i].field, json_string(e->items[i].message));
	json_t *err = json_pack("{s:s, s:s, s:o}", "code", "invalid", "message", message, "fields", fields);
	if (field) json_object_set_new(err, "field", json_string(field));
	(void)rq;
	resp_json(rs, 400, json_pack("{s:o}", "error", err));
}

layout page_layout(const req *rq, const char *title, const char *active)
{
	layout l = {.title = title, .active = active, .flash = flash_message(req_query(rq, "ok"))};
	if (rq->actor) {
		l.user_name = rq->actor->name;
		l.csrf = rq->actor->csrf;
		l.nnav = nav_for(rq->actor, rq->a, &l.nav);
	}
	return l;
}
