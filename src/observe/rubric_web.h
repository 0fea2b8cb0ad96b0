/* Rubric pages and API (src/observe/rubric_pages.c, rubric_api.c): the handlers routes.c names. */
#ifndef COACHD_RUBRIC_WEB_H
#define COACHD_RUBRIC_WEB_H

#include "../http/http.h"

#endif
