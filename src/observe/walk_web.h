/* Learning walks, their visits and debriefs: the handlers routes.c names. */
#ifndef COACHD_WALK_WEB_H
#define COACHD_WALK_WEB_H

#include "../http/http.h"

/* pages (walk_pages.c) */
handler_fn page_walks, page_walk_new, page_walk_create, page_walk, page_walk_update, page_walk_close,
	page_walk_visit_new, page_walk_visit_create, page_walk_visit, page_walk_visit_update,
	page_walk_visit_remove, page_walk_debrief, page_walk_debrief_save, page_walk_settings,
	page_walk_settings_save;
/* API (walk_api.c) */
handler_fn api_walks, api_walk_create, api_walk, api_walk_visit_add, api_walk_visit_save,
	api_walk_visit_remove, api_walk_debrief, api_walk_settings_save;

#endif
