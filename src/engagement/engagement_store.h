/* Engagements in the store: agreements, their focus codes and service
 * lines, the kinds of service, and the draws of sessions on each line
 * (engagement_store.c). */
#ifndef COACHD_ENGAGEMENT_STORE_H
#define COACHD_ENGAGEMENT_STORE_H

#include "../org/org.h"
#include "../store/store.h"
#include "engagement.h"

store_rc engagement_list(store *s, arena *a, const visibility *v, engagement **out, size_t *n);
store_rc engagement_get(store *s, arena *a, int64_t id, engagement *out, bool *found);
store_rc engagement_insert(store *s, arena *a, const engagement_input *in, int64_t *id);
store_rc engagement_update(store *s, arena *a, int64_t id, const engagement_input *in);
/* Writes the new state; a decision (accepted, declined) also records who
 * made it, when, and the note. */
store_rc engagement_state_save(store *s, arena *a, int64_t id, engagement_state to, int64_t decided_by,
			       const char *note);
/* The active lines, in order, each with its draws. */
store_rc engagement_lines(store *s, arena *a, int64_t engagement_id, service_line **out, size_t *n);
store_rc service_line_insert(store *s, arena *a, int64_t engagement_id, const line_input *in, int64_t *id);
store_rc service_line_update(store *s, arena *a, int64_t line_id, const line_input *in);
store_rc service_line_remove(store *s, arena *a, int64_t line_id);
/* For the sessions: one line (active or not) with its engagement and the
 * draws of its sessions, so that draw_check can be asked about a new one.
 * *found false when there is no such line. */
store_rc engagement_line_usage(store *s, arena *a, int64_t line_id, service_line *line, line_balance *balance,
			       bool *found);
store_rc service_kinds(store *s, arena *a, bool active_only, service_kind **out, size_t *n);
store_rc service_kind_insert(store *s, arena *a, const char *code, const char *label, const char *unit,
			     int64_t *id);
/* The org's kind and parent; "" kind when there is no such active org. */
store_rc engagement_org_kind(store *s, arena *a, int64_t org_id, const char **kind, const char **name);
/* The school year's dates when it belongs to district_id. */
store_rc engagement_school_year(store *s, arena *a, int64_t id, int64_t district_id, const char **starts_on,
				const char **ends_on, bool *found);

#endif
