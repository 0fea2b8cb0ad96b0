/* Learning walks, their visits and debriefs, and full-lesson observations inside coaching cycles: the handlers routes.c names. */
#ifndef COACHD_WALK_WEB_H
#define COACHD_WALK_WEB_H

#include "../http/http.h"

#endif
