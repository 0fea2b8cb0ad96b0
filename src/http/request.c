/* Request accessors for handlers (req_header lives with the server). */
#include "http.h"

#include <string.h>

const char *req_query(const req *rq, const char *key)
{
	return kv_get(&rq->query, key);
}

const char *req_form(const req *rq, const char *key)
{
	return kv_get(&rq->form, key);
}

const char *req_param(const req *rq, const char *name)
{
	return route_param(&rq->params, name);
}

const char *req_cookie(const req *rq, const char *name)
{
	return kv_get(&rq->cookies, name);
}

const upload *req_file(const req *rq, const char *field)
{
	for (size_t i = 0; i < rq->nfiles; i++)
		if (strcmp(rq->files[i].field, field) == 0 && (rq->files[i].size || *rq->files[i].filename))
			return &rq->files[i];
	return NULL;
}
