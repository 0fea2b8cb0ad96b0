/* The route table: every address coachd answers, read top to bottom.
 * Method, pattern ({name} is one path segment), handler, flags. The first
 * route that matches answers, so a literal segment ("/cycles/new") comes
 * before a parameter in the same place ("/cycles/{id}"); the server
 * refuses to start if a route could never be reached (route_shadowed).
 * It lives beside main.c because it is where the features meet the web
 * kit, and belongs to neither. */
#include "routes.h"

#include "access/account.h"
#include "agreement/agreement.h"
#include "access/audit_pages.h"
#include "access/signin.h"
#include "calendar/session.h"
#include "calibrate/calibration.h"
#include "cycle/cycle_web.h"
#include "engagement/engagement_web.h"
#include "ical/ical.h"
#include "observe/dashboard.h"
#include "observe/rubric_web.h"
#include "observe/walk_web.h"
#include "org/org.h"
#include "people/people.h"
#include "report/report.h"
#include "roster/roster.h"
#include "schoolyear/schoolyear.h"
#include "team/team.h"
#include "web/app.h"
#include "web/pages.h"

static const route routes[] = {
	/* machinery */
	{"GET", "/", page_home, 0},
	{"GET", "/healthz", page_healthz, 0},
	{"GET", "/metrics", page_metrics, 0},
	{"GET", "/static/{name}", page_static, 0},
	{"POST", "/csp-report", page_csp_report, ROUTE_RAW},

	/* signing in and out */
	{"GET", "/signin", page_signin, 0},
	{"POST", "/signin", page_signin_post, ROUTE_FORM},
	{"POST", "/signout", page_signout, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/api/signin", page_signin_post, ROUTE_FORM | ROUTE_JSON},
	{"POST", "/api/signout", page_signout, ROUTE_FORM | ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},

	/* account: API tokens, signing out everywhere (src/access) */
	{"GET", "/account", page_account, ROUTE_SIGNIN},
	{"POST", "/account/signout-everywhere", page_account_signout_everywhere,
	 ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/account/tokens", page_account_token_create, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/account/tokens/{id}/revoke", page_account_token_revoke,
	 ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/api/me", api_me, ROUTE_SIGNIN},
	{"GET", "/api/tokens", api_tokens, ROUTE_SIGNIN},
	{"POST", "/api/tokens", api_token_create, ROUTE_FORM | ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"DELETE", "/api/tokens/{id}", api_token_delete, ROUTE_SIGNIN | ROUTE_CSRF},

	/* audit log (src/access) */
	/* Append-only: there is no route that edits or deletes an entry. */
	{"GET", "/audit", page_audit, ROUTE_SIGNIN},
	{"GET", "/api/audit", api_audit, ROUTE_SIGNIN},

	/* organizations (src/org) */
	{"GET", "/orgs", page_orgs, ROUTE_SIGNIN},
	{"GET", "/orgs/new", page_org_new, ROUTE_SIGNIN},
	{"POST", "/orgs", page_org_create, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/orgs/{id}", page_org, ROUTE_SIGNIN},
	{"POST", "/orgs/{id}", page_org_update, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/orgs/{id}/edit", page_org_edit, ROUTE_SIGNIN},
	{"POST", "/orgs/{id}/deactivate", page_org_deactivate, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/api/orgs", api_orgs, ROUTE_SIGNIN},
	{"POST", "/api/orgs", api_org_create, ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/api/orgs/{id}", api_org, ROUTE_SIGNIN},
	{"PATCH", "/api/orgs/{id}", api_org_update, ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/api/orgs/{id}/deactivate", api_org_deactivate, ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},

	/* people and their roles (src/people) */
	{"GET", "/people", page_people, ROUTE_SIGNIN},
	{"GET", "/people/new", page_person_new, ROUTE_SIGNIN},
	{"POST", "/people", page_person_create, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/people/{id}", page_person, ROUTE_SIGNIN},
	{"POST", "/people/{id}", page_person_update, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/people/{id}/edit", page_person_edit, ROUTE_SIGNIN},
	{"POST", "/people/{id}/deactivate", page_person_deactivate, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/people/{id}/reactivate", page_person_reactivate, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/people/{id}/roles", page_person_role_add, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/people/{id}/roles/{rid}/remove", page_person_role_remove,
	 ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/api/people", api_people, ROUTE_SIGNIN},
	{"POST", "/api/people", api_person_create, ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/api/people/{id}", api_person, ROUTE_SIGNIN},
	{"PATCH", "/api/people/{id}", api_person_update, ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/api/people/{id}/deactivate", api_person_deactivate,
	 ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/api/people/{id}/reactivate", api_person_reactivate,
	 ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/api/people/{id}/roles", api_person_role_add, ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"DELETE", "/api/people/{id}/roles/{rid}", api_person_role_remove, ROUTE_SIGNIN | ROUTE_CSRF},

	/* teams (src/team) */
	{"GET", "/teams", page_teams, ROUTE_SIGNIN},
	{"GET", "/teams/new", page_team_new, ROUTE_SIGNIN},
	{"POST", "/teams", page_team_create, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/teams/{id}", page_team, ROUTE_SIGNIN},
	{"POST", "/teams/{id}", page_team_update, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/teams/{id}/edit", page_team_edit, ROUTE_SIGNIN},
	{"POST", "/teams/{id}/deactivate", page_team_deactivate, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/teams/{id}/members", page_team_member_add, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/teams/{id}/members/{pid}/remove", page_team_member_remove,
	 ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/api/teams", api_teams, ROUTE_SIGNIN},
	{"POST", "/api/teams", api_team_create, ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/api/teams/{id}", api_team, ROUTE_SIGNIN},
	{"PATCH", "/api/teams/{id}", api_team_update, ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/api/teams/{id}/deactivate", api_team_deactivate, ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/api/teams/{id}/members", api_team_member_add, ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"DELETE", "/api/teams/{id}/members/{pid}", api_team_member_remove, ROUTE_SIGNIN | ROUTE_CSRF},

	/* school years and terms (src/schoolyear) */
	{"GET", "/school-years", page_school_years, ROUTE_SIGNIN},
	{"GET", "/school-years/new", page_school_year_new, ROUTE_SIGNIN},
	{"POST", "/school-years", page_school_year_create, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/school-years/{id}", page_school_year, ROUTE_SIGNIN},
	{"POST", "/school-years/{id}", page_school_year_update, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/school-years/{id}/edit", page_school_year_edit, ROUTE_SIGNIN},
	{"POST", "/school-years/{id}/deactivate", page_school_year_deactivate,
	 ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/school-years/{id}/terms", page_term_add, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/school-years/{id}/terms/{tid}/remove", page_term_remove,
	 ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/api/school-years", api_school_years, ROUTE_SIGNIN},
	{"POST", "/api/school-years", api_school_year_create, ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/api/school-years/{id}", api_school_year, ROUTE_SIGNIN},
	{"PATCH", "/api/school-years/{id}", api_school_year_update, ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/api/school-years/{id}/deactivate", api_school_year_deactivate,
	 ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/api/school-years/{id}/terms", api_term_add, ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"DELETE", "/api/school-years/{id}/terms/{tid}", api_term_remove, ROUTE_SIGNIN | ROUTE_CSRF},

	/* roster import (src/roster) */
	{"GET", "/admin/import", page_import, ROUTE_SIGNIN},
	{"POST", "/admin/import", page_import_post, ROUTE_SIGNIN | ROUTE_CSRF | ROUTE_FORM | ROUTE_FILES},
	{"POST", "/api/imports/oneroster", api_import_oneroster,
	 ROUTE_SIGNIN | ROUTE_CSRF | ROUTE_FORM | ROUTE_FILES},
	{"GET", "/classes", page_classes, ROUTE_SIGNIN},
	{"GET", "/api/classes", api_classes, ROUTE_SIGNIN},

	/* engagements (src/engagement) */
	{"GET", "/engagements", page_engagements, ROUTE_SIGNIN},
	{"GET", "/engagements/new", page_engagement_new, ROUTE_SIGNIN},
	{"POST", "/engagements", page_engagement_create, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/engagements/{id}", page_engagement, ROUTE_SIGNIN},
	{"POST", "/engagements/{id}", page_engagement_update, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/engagements/{id}/edit", page_engagement_edit, ROUTE_SIGNIN},
	{"POST", "/engagements/{id}/state", page_engagement_state, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/engagements/{id}/lines", page_engagement_line_add, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/engagements/{id}/lines/{lid}", page_engagement_line_update,
	 ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/engagements/{id}/lines/{lid}/remove", page_engagement_line_remove,
	 ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/admin/service-kinds", page_service_kinds, ROUTE_SIGNIN},
	{"POST", "/admin/service-kinds", page_service_kind_add, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/api/engagements", api_engagements, ROUTE_SIGNIN},
	{"POST", "/api/engagements", api_engagement_create, ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/api/engagements/{id}", api_engagement, ROUTE_SIGNIN},
	{"PATCH", "/api/engagements/{id}", api_engagement_update, ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/api/engagements/{id}/state", api_engagement_state, ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/api/engagements/{id}/summary", api_engagement_summary, ROUTE_SIGNIN},
	{"POST", "/api/engagements/{id}/lines", api_engagement_line_add,
	 ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"PATCH", "/api/engagements/{id}/lines/{lid}", api_engagement_line_update,
	 ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"DELETE", "/api/engagements/{id}/lines/{lid}", api_engagement_line_remove,
	 ROUTE_SIGNIN | ROUTE_CSRF},

	/* sessions and the calendar (src/calendar) */
	{"GET", "/calendar", page_calendar, ROUTE_SIGNIN},
	{"GET", "/sessions/new", page_session_new, ROUTE_SIGNIN},
	{"POST", "/sessions", page_session_create, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/sessions/{id}", page_session, ROUTE_SIGNIN},
	{"POST", "/sessions/{id}", page_session_update, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/sessions/{id}/edit", page_session_edit, ROUTE_SIGNIN},
	{"POST", "/sessions/{id}/deliver", page_session_deliver, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/sessions/{id}/cancel", page_session_cancel, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/sessions/{id}/attendance", page_session_attendance, ROUTE_SIGNIN},
	{"POST", "/sessions/{id}/attendance", page_session_attendance_save,
	 ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/engagements/{id}/grid", page_grid, ROUTE_SIGNIN},
	{"POST", "/engagements/{id}/grid", page_grid_create, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/engagements/{id}/grid/move", page_grid_move, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/api/sessions", api_sessions, ROUTE_SIGNIN},
	{"POST", "/api/sessions", api_session_create, ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/api/sessions/{id}", api_session, ROUTE_SIGNIN},
	{"PATCH", "/api/sessions/{id}", api_session_update, ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/api/sessions/{id}/deliver", api_session_deliver, ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/api/sessions/{id}/cancel", api_session_cancel, ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"PUT", "/api/sessions/{id}/attendance", api_session_attendance,
	 ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/api/engagements/{id}/grid", api_grid_create, ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	/* Materials: links and files (checked by content, 20 MB at most). */
	{"POST", "/sessions/{id}/materials", page_material_add,
	 ROUTE_FORM | ROUTE_FILES | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/sessions/{id}/materials/{mid}", page_material, ROUTE_SIGNIN},
	{"POST", "/sessions/{id}/materials/{mid}/remove", page_material_remove,
	 ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/api/sessions/{id}/materials", api_materials, ROUTE_SIGNIN},
	{"POST", "/api/sessions/{id}/materials", api_material_add,
	 ROUTE_JSON | ROUTE_FORM | ROUTE_FILES | ROUTE_SIGNIN | ROUTE_CSRF},
	{"DELETE", "/api/sessions/{id}/materials/{mid}", api_material_remove, ROUTE_SIGNIN | ROUTE_CSRF},

	/* coaching cycles: pages (src/cycle/cycle_pages.c) */
	/* /cycles/new before /cycles/{id}, which would take "new" as an id. */
	{"GET", "/cycles", page_cycles, ROUTE_SIGNIN},
	{"GET", "/cycles/new", page_cycle_new, ROUTE_SIGNIN},
	{"POST", "/cycles", page_cycle_create, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/cycles/{id}", page_cycle, ROUTE_SIGNIN},
	{"GET", "/cycles/{id}/stages/{sid}", page_cycle_stage, ROUTE_SIGNIN},
	{"POST", "/cycles/{id}/stages/{sid}", page_cycle_stage_save, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/cycles/{id}/stages/{sid}/notes", page_cycle_note_add,
	 ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/cycles/{id}/notes/{nid}/remove", page_cycle_note_remove,
	 ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/cycles/{id}/stages/{sid}/tally", page_cycle_tally, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/cycles/{id}/stages/{sid}/files", page_cycle_file_add,
	 ROUTE_FORM | ROUTE_FILES | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/cycles/{id}/files/{fid}", page_cycle_file, ROUTE_SIGNIN},
	{"POST", "/cycles/{id}/files/{fid}/remove", page_cycle_file_remove,
	 ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/cycles/{id}/close", page_cycle_close, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/cycles/{id}/reopen", page_cycle_reopen, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/cycles/{id}/next", page_cycle_next, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/cycles/{id}/session", page_cycle_session, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/cycles/{id}/shares", page_cycle_shares, ROUTE_SIGNIN},
	{"POST", "/cycles/{id}/shares", page_cycle_share_add, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/cycles/{id}/shares/{shid}/revoke", page_cycle_share_revoke,
	 ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/cycles/{id}/export", page_cycle_export, ROUTE_SIGNIN},
	{"GET", "/people/{id}/cycles", page_teacher_cycles, ROUTE_SIGNIN},

	/* coaching cycles: templates (src/cycle/template_pages.c) */
	{"GET", "/cycle-templates", page_cycle_templates, ROUTE_SIGNIN},
	{"GET", "/cycle-templates/new", page_cycle_template_new, ROUTE_SIGNIN},
	{"POST", "/cycle-templates", page_cycle_template_create, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/cycle-templates/{id}/edit", page_cycle_template_edit, ROUTE_SIGNIN},
	{"POST", "/cycle-templates/{id}", page_cycle_template_update, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},

	/* frameworks and rubrics (src/observe/rubric_pages.c, rubric_api.c) */
	/* /rubrics/new before /rubrics/{id}, which would take "new" as an id. */
	{"GET", "/rubrics", page_rubrics, ROUTE_SIGNIN},
	{"GET", "/rubrics/new", page_rubric_new, ROUTE_SIGNIN},
	{"POST", "/rubrics", page_rubric_create, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/rubrics/{id}", page_rubric, ROUTE_SIGNIN},
	{"POST", "/rubrics/{id}", page_rubric_update, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/rubrics/{id}/edit", page_rubric_edit, ROUTE_SIGNIN},
	{"GET", "/rubrics/{id}/versions/{n}", page_rubric_version, ROUTE_SIGNIN},
	{"POST", "/rubrics/{id}/copy", page_rubric_copy, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/rubrics/{id}/retire", page_rubric_retire, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/rubrics/{id}/restore", page_rubric_restore, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/api/rubrics", api_rubrics, ROUTE_SIGNIN},
	{"POST", "/api/rubrics", api_rubric_create, ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/api/rubrics/{id}", api_rubric, ROUTE_SIGNIN},
	{"PUT", "/api/rubrics/{id}", api_rubric_update, ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/api/rubrics/{id}/versions/{n}", api_rubric_version, ROUTE_SIGNIN},
	{"POST", "/api/rubrics/{id}/copy", api_rubric_copy, ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/api/rubrics/{id}/retire", api_rubric_retire, ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/api/rubrics/{id}/restore", api_rubric_restore, ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},

	/* coaching cycles: API (src/cycle/cycle_api.c); the same policy */
	/* Literal addresses first: /api/cycles/{id}/{stage} takes whatever is left. */
	{"GET", "/api/cycles", api_cycles, ROUTE_SIGNIN},
	{"POST", "/api/cycles", api_cycle_create, ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/api/cycles/{id}", api_cycle, ROUTE_SIGNIN},
	{"GET", "/api/cycles/{id}/notes", api_cycle_notes, ROUTE_SIGNIN},
	{"POST", "/api/cycles/{id}/notes", api_cycle_note_add, ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	/* Evidence: checked by content; video and audio up to --max-upload-mb, others --max-file-mb. */
	{"GET", "/api/cycles/{id}/files", api_cycle_files, ROUTE_SIGNIN},
	{"POST", "/api/cycles/{id}/files", api_cycle_file_add,
	 ROUTE_FORM | ROUTE_FILES | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/api/cycles/{id}/files/{fid}", api_cycle_files, ROUTE_SIGNIN},
	{"DELETE", "/api/cycles/{id}/files/{fid}", api_cycle_file_remove, ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/api/cycles/{id}/shares", api_cycle_shares, ROUTE_SIGNIN},
	{"POST", "/api/cycles/{id}/shares", api_cycle_share_add, ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"DELETE", "/api/cycles/{id}/shares/{shid}", api_cycle_share_revoke, ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/api/cycles/{id}/close", api_cycle_close, ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/api/cycles/{id}/reopen", api_cycle_reopen, ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	/* Observations inside the cycle (src/cycle/cycle_observation_web.c): before {stage}. */
	{"GET", "/api/cycles/{id}/observations", api_cycle_observations, ROUTE_SIGNIN},
	{"POST", "/api/cycles/{id}/observations", api_cycle_observation_add,
	 ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/api/cycles/{id}/observations/{oid}", api_cycle_observation, ROUTE_SIGNIN},
	{"PUT", "/api/cycles/{id}/observations/{oid}", api_cycle_observation_save,
	 ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"DELETE", "/api/cycles/{id}/observations/{oid}", api_cycle_observation_remove,
	 ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/api/cycles/{id}/{stage}", api_cycle_stage, ROUTE_SIGNIN},
	{"PUT", "/api/cycles/{id}/{stage}", api_cycle_stage_save, ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},

	/* coaching: the leaders' aggregate report, counts only (src/cycle/cycle_report.c) */
	/* ?format=csv|xlsx downloads (audited); no reach anywhere answers 404. */
	{"GET", "/reports/coaching", page_coaching_report, ROUTE_SIGNIN},
	{"GET", "/api/reports/coaching", api_coaching_report, ROUTE_SIGNIN},

	/* learning walks, visits, debriefs (src/observe/walk_*.c); lesson observations in cycles (src/cycle) */
	/* /walks/new and /visits/new before the {id} and {vid} they would be taken for. */
	{"GET", "/walks", page_walks, ROUTE_SIGNIN},
	{"GET", "/walks/new", page_walk_new, ROUTE_SIGNIN},
	{"POST", "/walks", page_walk_create, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/walks/{id}", page_walk, ROUTE_SIGNIN},
	{"POST", "/walks/{id}", page_walk_update, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/walks/{id}/close", page_walk_close, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/walks/{id}/visits/new", page_walk_visit_new, ROUTE_SIGNIN},
	{"POST", "/walks/{id}/visits", page_walk_visit_create, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/walks/{id}/visits/{vid}", page_walk_visit, ROUTE_SIGNIN},
	{"POST", "/walks/{id}/visits/{vid}", page_walk_visit_update, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/walks/{id}/visits/{vid}/remove", page_walk_visit_remove,
	 ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/walks/{id}/debrief", page_walk_debrief, ROUTE_SIGNIN},
	{"POST", "/walks/{id}/debrief", page_walk_debrief_save, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/districts/{id}/walk-settings", page_walk_settings, ROUTE_SIGNIN},
	{"POST", "/districts/{id}/walk-settings", page_walk_settings_save,
	 ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/cycles/{id}/observations/new", page_cycle_observation_new, ROUTE_SIGNIN},
	{"POST", "/cycles/{id}/observations", page_cycle_observation_create,
	 ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/cycles/{id}/observations/{oid}", page_cycle_observation, ROUTE_SIGNIN},
	{"POST", "/cycles/{id}/observations/{oid}", page_cycle_observation_update,
	 ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/cycles/{id}/observations/{oid}/remove", page_cycle_observation_remove,
	 ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/api/walks", api_walks, ROUTE_SIGNIN},
	{"POST", "/api/walks", api_walk_create, ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/api/walks/{id}", api_walk, ROUTE_SIGNIN},
	{"POST", "/api/walks/{id}/visits", api_walk_visit_add, ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"PUT", "/api/walks/{id}/visits/{vid}", api_walk_visit_save, ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"DELETE", "/api/walks/{id}/visits/{vid}", api_walk_visit_remove, ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/api/walks/{id}/debrief", api_walk_debrief, ROUTE_SIGNIN},
	{"PUT", "/api/districts/{id}/walk-settings", api_walk_settings_save,
	 ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},

	/* agreement statistics (src/agreement): computed on the caller's own ratings */
	{"POST", "/api/agreement", api_agreement, ROUTE_JSON | ROUTE_RAW | ROUTE_SIGNIN | ROUTE_CSRF},

	/* implementation dashboards over learning walks (src/observe/dashboard*.c) */
	/* ?format=csv|xlsx downloads (audited); no reach anywhere answers 404. */
	{"GET", "/reports/walks", page_walk_dashboard, ROUTE_SIGNIN},
	{"GET", "/api/reports/walks", api_walk_dashboard, ROUTE_SIGNIN},

	/* reports and calendar feeds (src/report, src/ical) */
	/* Reports: ?format=csv|xlsx|pdf downloads (audited); the page prints. */
	{"GET", "/engagements/{id}/scope-and-sequence", page_scope_sequence, ROUTE_SIGNIN},
	{"GET", "/engagements/{id}/services-overview", page_services_overview, ROUTE_SIGNIN},
	{"GET", "/api/engagements/{id}/scope-and-sequence", api_scope_sequence, ROUTE_SIGNIN},
	{"GET", "/api/engagements/{id}/services-overview", api_services_overview, ROUTE_SIGNIN},
	/* Feeds: no session; the secret in the address is the credential. */
	{"GET", "/ical/{file}", page_ical_feed, 0},
	{"POST", "/account/calendar-feed", page_account_feed_create, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/account/calendar-feed/revoke", page_account_feed_revoke,
	 ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/engagements/{id}/calendar-feed", page_engagement_feed_create,
	 ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/engagements/{id}/calendar-feed/revoke", page_engagement_feed_revoke,
	 ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/api/engagements/{id}/calendar-feed", api_engagement_feed_create,
	 ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},

	/* calibration sessions and observers' history (src/calibrate) */
	/* /calibrations/new before /calibrations/{id}, which would take "new" as an id. */
	{"GET", "/calibrations", page_calibrations, ROUTE_SIGNIN},
	{"GET", "/calibrations/new", page_calibration_new, ROUTE_SIGNIN},
	{"POST", "/calibrations", page_calibration_create,
	 ROUTE_FORM | ROUTE_FILES | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/calibrations/{id}", page_calibration, ROUTE_SIGNIN},
	{"POST", "/calibrations/{id}", page_calibration_update,
	 ROUTE_FORM | ROUTE_FILES | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/calibrations/{id}/anchors", page_calibration_anchors,
	 ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	/* The lesson's video with Range; only for those who may read the session. */
	{"GET", "/calibrations/{id}/video", page_calibration_video, ROUTE_SIGNIN},
	{"GET", "/calibrations/{id}/rate", page_calibration_rate, ROUTE_SIGNIN},
	{"POST", "/calibrations/{id}/rate", page_calibration_rate_save,
	 ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/calibrations/{id}/rounds", page_calibration_round, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/calibrations/{id}/close", page_calibration_close, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	/* Blind: a rater sees a round's results only after submitting their own. */
	{"GET", "/calibrations/{id}/results", page_calibration_results, ROUTE_SIGNIN},
	{"GET", "/observers/{id}/calibration", page_observer_calibration, ROUTE_SIGNIN},
	{"GET", "/api/calibrations", api_calibrations, ROUTE_SIGNIN},
	{"POST", "/api/calibrations", api_calibration_create, ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/api/calibrations/{id}", api_calibration, ROUTE_SIGNIN},
	{"PUT", "/api/calibrations/{id}/anchors", api_calibration_anchors,
	 ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"PUT", "/api/calibrations/{id}/ratings", api_calibration_ratings,
	 ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/api/calibrations/{id}/submit", api_calibration_submit,
	 ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/api/calibrations/{id}/rounds", api_calibration_round,
	 ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
	{"GET", "/api/calibrations/{id}/results", api_calibration_results, ROUTE_SIGNIN},
	{"GET", "/api/observers/{id}/calibration", api_observer_calibration, ROUTE_SIGNIN},
};

const route *app_routes(size_t *n)
{
	*n = sizeof routes / sizeof routes[0];
	return routes;
}
