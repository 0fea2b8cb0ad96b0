/* The demo's rubrics (see demo.h): the district's own "Prairie Glen math
 * walk", built on TRU's dimensions with a code of its own, in two
 * versions so that versioning shows: version 1 as the district first
 * wrote it, version 2 (current) with representations added and the
 * descriptors reworded. Written through the rubric store's own calls. */
#include "../base/util.h"
#include "../observe/rubric.h"
#include "demo.h"

static const char DISTRICT[] = "Prairie Glen School District 41";
static const char AUTHOR[] = "lead@example.org";

static rubric_level levels[] = {
	{1, "Not yet", "Little of it was seen during the visit."},
	{2, "Emerging", "Seen briefly, or led mostly by the teacher."},
	{3, "Developing", "Seen in several moments, involving some students."},
	{4, "Strong", "Shapes the lesson for most students most of the time."},
};

static rubric_cell tru2_v1[] = {{1, "Students follow steps the teacher gives."},
				{4, "Students make sense of a rich task before being shown a way."}};
static rubric_cell tru2_v2[] = {
	{1, "Students follow steps the teacher shows."},
	{3, "Students try their own ways before the teacher steps in."},
	{4, "Students wrestle with the central idea; the teacher keeps the thinking theirs."}};
static rubric_cell pg1_cells[] = {{1, "Talk is teacher to student, one answer at a time."},
				  {4, "Students explain, question and build on each other's reasoning."}};

static rubric_indicator_input indicators_v1[] = {
	{"TRU2", "Cognitive demand", "Room to make sense of important ideas, with productive struggle.",
	 tru2_v1, 2},
	{"TRU3", "Equitable access", "Every student takes an active part in the central mathematics.", NULL,
	 0},
	{"TRU4", "Agency, ownership and identity", "Students see themselves as doers of mathematics.", NULL,
	 0},
	{"PG1", "Student discourse", "Students talk about the mathematics with each other.", pg1_cells, 2},
};

static rubric_indicator_input indicators_v2[] = {
	{"TRU2", "Cognitive demand", "Room to make sense of important ideas, with productive struggle.",
	 tru2_v2, 3},
	{"TRU3", "Equitable access", "Every student takes an active part in the central mathematics.", NULL,
	 0},
	{"TRU4", "Agency, ownership and identity", "Students see themselves as doers of mathematics.", NULL,
	 0},
	{"PG1", "Student discourse", "Students talk about the mathematics with each other.", pg1_cells, 2},
	{"PG2", "Representations", "Students use and connect pictures, tables, symbols and words.", NULL, 0},
};

static rubric_look_for_input look_fors_v1[] = {
	{"PG1", "Students explain their reasoning to a peer"},
	{NULL, "Multiple representations displayed"},
	{"TRU2", "Teacher asks 'why' or 'how'"},
	{"TRU3", "Every student has a way into the task"},
};

static rubric_look_for_input look_fors_v2[] = {
	{"PG1", "Students explain their reasoning to a peer"},
	{"PG2", "Multiple representations displayed"},
	{"TRU2", "Teacher asks 'why' or 'how'"},
	{"TRU3", "Every student has a way into the task"},
	{"TRU4", "Students choose their own strategy"},
	{NULL, "Student work is posted and referred to"},
};

store_rc demo_rubrics(store *s, arena *a)
{
	int64_t district = demo_org(s, a, DISTRICT);
	int64_t lead = demo_id(s, a, "SELECT id FROM person WHERE email = $1", AUTHOR);
	if (!district) return STORE_ERROR;
	rubric_input in = {
		.org_id = district,
		.name = "Prairie Glen math walk",
		.description =
			"The district's learning-walk tool: three TRU dimensions and what our classrooms are "
			"working on, rated in a ten-minute visit.",
		.scale_min = 1,
		.scale_max = 4,
		.levels = levels,
		.nlevels = COUNT_OF(levels),
		.indicators = indicators_v1,
		.nindicators = COUNT_OF(indicators_v1),
		.look_fors = look_fors_v1,
		.nlook_fors = COUNT_OF(look_fors_v1),
	};
	rubric_saved saved;
	store_rc rc = rubric_create(s, a, &in, lead, &saved);
	if (rc != STORE_OK) return rc;
	int64_t rubric_id = saved.rubric_id;
	in.indicators = indicators_v2;
	in.nindicators = COUNT_OF(indicators_v2);
	in.look_fors = look_fors_v2;
	in.nlook_fors = COUNT_OF(look_fors_v2);
	saved = (rubric_saved){0};
	return rubric_add_version(s, a, rubric_id, &in, lead, &saved);
}
