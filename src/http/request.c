/* Request accessors for handlers (req_header lives with the server). */
#include "http.h"

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
