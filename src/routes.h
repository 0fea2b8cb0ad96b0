/* The route table (src/routes.c): the composition root's list of every
 * address coachd answers, handed to the server and the metrics at start. */
#ifndef COACHD_ROUTES_H
#define COACHD_ROUTES_H

#include <stddef.h>

#include "http/http.h"

const route *app_routes(size_t *n);

#endif
