-- Observation and calibration (seeds 003 and 004): frameworks and rubrics,
-- learning walks and their visits, full-lesson observations inside coaching
-- cycles, calibration sessions, and the kept counts the dashboards read.

-- District settings for learning walks. A visit names a classroom by
-- school, grade and time; it names the teacher only where the district
-- switched teacher identification on. Dashboard cells behind fewer visits
-- than walk_min_cell are hidden, so no single classroom can be picked out.
ALTER TABLE org ADD COLUMN walk_teacher_ids BIGINT NOT NULL DEFAULT 0;
ALTER TABLE org ADD COLUMN walk_min_cell BIGINT NOT NULL DEFAULT 5;

-- A framework or a district's own tool. org_id NULL: built in (migration
-- 010), offered everywhere and never edited; a district copies it to make
-- its own. builtin_key names a built-in ('tru', 'tp', 'mp').
CREATE TABLE rubric (
	id @ID@,
	org_id BIGINT REFERENCES org(id),
	builtin_key TEXT UNIQUE,
	name TEXT NOT NULL,
	current_version_id BIGINT,
	active BIGINT NOT NULL DEFAULT 1,
	created_by BIGINT REFERENCES person(id),
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX rubric_org ON rubric(org_id);

-- A rubric's content is versioned: a version that any observation, walk
-- or calibration uses is never changed; editing the rubric then writes a
-- new version and moves rubric.current_version_id to it.
CREATE TABLE rubric_version (
	id @ID@,
	rubric_id BIGINT NOT NULL REFERENCES rubric(id),
	version BIGINT NOT NULL,
	description TEXT,
	scale_min BIGINT NOT NULL,
	scale_max BIGINT NOT NULL CHECK (scale_max > scale_min AND scale_max - scale_min <= 9),
	created_by BIGINT REFERENCES person(id),
	created_at BIGINT NOT NULL,
	UNIQUE (rubric_id, version)
);

-- A label and a descriptor for each level of the scale ("1 Beginning").
CREATE TABLE rubric_level (
	version_id BIGINT NOT NULL REFERENCES rubric_version(id),
	level BIGINT NOT NULL,
	label TEXT NOT NULL,
	descriptor TEXT,
	PRIMARY KEY (version_id, level)
);

-- Indicators keep their code across versions: the dashboards follow an
-- indicator through the years by (rubric_id, code).
CREATE TABLE rubric_indicator (
	id @ID@,
	version_id BIGINT NOT NULL REFERENCES rubric_version(id),
	position BIGINT NOT NULL,
	code TEXT NOT NULL,
	name TEXT NOT NULL,
	description TEXT,
	UNIQUE (version_id, code)
);

-- What a level of one indicator looks like (optional).
CREATE TABLE rubric_indicator_level (
	indicator_id BIGINT NOT NULL REFERENCES rubric_indicator(id),
	level BIGINT NOT NULL,
	descriptor TEXT NOT NULL,
	PRIMARY KEY (indicator_id, level)
);

-- Look-fors: checklist items an observer counts as tallies.
CREATE TABLE rubric_look_for (
	id @ID@,
	version_id BIGINT NOT NULL REFERENCES rubric_version(id),
	indicator_id BIGINT REFERENCES rubric_indicator(id),
	position BIGINT NOT NULL,
	text TEXT NOT NULL
);
CREATE INDEX rubric_look_for_version ON rubric_look_for(version_id);

-- A learning walk: a role-diverse team visits several classrooms of one
-- school with one rubric, looking at a few focus indicators. About the
-- system, not the teacher.
CREATE TABLE walk (
	id @ID@,
	district_id BIGINT NOT NULL REFERENCES org(id),
	school_id BIGINT NOT NULL REFERENCES org(id),
	rubric_version_id BIGINT NOT NULL REFERENCES rubric_version(id),
	walked_on TEXT NOT NULL,          -- YYYY-MM-DD
	purpose TEXT,
	debrief TEXT,                     -- the walkers' notes after the walk
	state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
	created_by BIGINT NOT NULL REFERENCES person(id),
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX walk_school ON walk(school_id, walked_on);
CREATE INDEX walk_district ON walk(district_id, walked_on);

CREATE TABLE walk_walker (
	walk_id BIGINT NOT NULL REFERENCES walk(id),
	person_id BIGINT NOT NULL REFERENCES person(id),
	PRIMARY KEY (walk_id, person_id)
);
CREATE INDEX walk_walker_person ON walk_walker(person_id);

-- Focus indicators of a walk, by code within its rubric version.
CREATE TABLE walk_focus (
	walk_id BIGINT NOT NULL REFERENCES walk(id),
	code TEXT NOT NULL,
	PRIMARY KEY (walk_id, code)
);

-- One observer's record of one classroom: a learning-walk visit (walk_id)
-- or a full lesson inside a coaching cycle (cycle_id), which is the
-- cycle's confidential content. Place, grade band and month are copied
-- from the walk or cycle so the dashboards need no join.
CREATE TABLE observation (
	id @ID@,
	walk_id BIGINT REFERENCES walk(id),
	cycle_id BIGINT REFERENCES coaching_cycle(id),
	rubric_version_id BIGINT NOT NULL REFERENCES rubric_version(id),
	observer_id BIGINT NOT NULL REFERENCES person(id),
	district_id BIGINT NOT NULL REFERENCES org(id),
	school_id BIGINT REFERENCES org(id),
	grade TEXT,                       -- K, 1 .. 12
	grade_band TEXT,                  -- K-2, 3-5, 6-8, 9-12
	observed_on TEXT NOT NULL,        -- YYYY-MM-DD
	observed_month BIGINT NOT NULL,   -- YYYYMM
	start_time TEXT,                  -- HH:MM, how a walk names the classroom
	minutes BIGINT,
	teacher_id BIGINT REFERENCES person(id), -- only where the district allows it, or in a cycle
	evidence TEXT,
	version BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	CHECK ((walk_id IS NULL) <> (cycle_id IS NULL))
);
CREATE INDEX observation_walk ON observation(walk_id);
CREATE INDEX observation_cycle ON observation(cycle_id);
CREATE INDEX observation_observer ON observation(observer_id, observed_on);

CREATE TABLE observation_rating (
	observation_id BIGINT NOT NULL REFERENCES observation(id),
	indicator_id BIGINT NOT NULL REFERENCES rubric_indicator(id),
	value BIGINT NOT NULL,
	evidence TEXT,
	PRIMARY KEY (observation_id, indicator_id)
);

CREATE TABLE observation_look_for (
	observation_id BIGINT NOT NULL REFERENCES observation(id),
	look_for_id BIGINT NOT NULL REFERENCES rubric_look_for(id),
	count BIGINT NOT NULL DEFAULT 0 CHECK (count >= 0),
	PRIMARY KEY (observation_id, look_for_id)
);

-- The dashboards' kept counts: for each rubric, indicator code, school,
-- month and grade band, how many learning-walk visits rated it and the
-- sum of their ratings, plus a count per rating value (value - scale_min
-- indexes n0..n9). walk_tally_apply() (src/observe/walk_tally.c) changes
-- them in the transaction of every visit save or removal. Observations
-- inside coaching cycles are never counted here.
CREATE TABLE walk_tally (
	rubric_id BIGINT NOT NULL,
	code TEXT NOT NULL,
	district_id BIGINT NOT NULL,
	school_id BIGINT NOT NULL,
	month BIGINT NOT NULL,
	grade_band TEXT NOT NULL,
	visits BIGINT NOT NULL DEFAULT 0,
	total BIGINT NOT NULL DEFAULT 0,
	n0 BIGINT NOT NULL DEFAULT 0, n1 BIGINT NOT NULL DEFAULT 0,
	n2 BIGINT NOT NULL DEFAULT 0, n3 BIGINT NOT NULL DEFAULT 0,
	n4 BIGINT NOT NULL DEFAULT 0, n5 BIGINT NOT NULL DEFAULT 0,
	n6 BIGINT NOT NULL DEFAULT 0, n7 BIGINT NOT NULL DEFAULT 0,
	n8 BIGINT NOT NULL DEFAULT 0, n9 BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (district_id, rubric_id, month, school_id, code, grade_band)
);

-- A calibration session: raters rate the same lesson with the same rubric,
-- blind, in rounds; the results compare them with each other and with the
-- anchor ratings. org_id: the district (or partner) that runs it.
CREATE TABLE calibration (
	id @ID@,
	org_id BIGINT NOT NULL REFERENCES org(id),
	district_id BIGINT REFERENCES org(id),
	title TEXT NOT NULL,
	rubric_version_id BIGINT NOT NULL REFERENCES rubric_version(id),
	facilitator_id BIGINT NOT NULL REFERENCES person(id),
	held_on TEXT NOT NULL,            -- YYYY-MM-DD
	video_file TEXT,                  -- stored file name under DATA_DIR/calibration
	video_type TEXT,
	video_name TEXT,
	video_size BIGINT,
	video_url TEXT,
	transcript TEXT,
	pass_share REAL NOT NULL DEFAULT 0.8 CHECK (pass_share > 0 AND pass_share <= 1),
	pass_distance BIGINT NOT NULL DEFAULT 1 CHECK (pass_distance >= 0),
	round BIGINT NOT NULL DEFAULT 1 CHECK (round >= 1),
	state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX calibration_org ON calibration(org_id, held_on);

CREATE TABLE calibration_rater (
	calibration_id BIGINT NOT NULL REFERENCES calibration(id),
	person_id BIGINT NOT NULL REFERENCES person(id),
	invited_at BIGINT NOT NULL,
	PRIMARY KEY (calibration_id, person_id)
);
CREATE INDEX calibration_rater_person ON calibration_rater(person_id);

-- The anchor ("master") rating of each indicator, when there is one.
CREATE TABLE calibration_anchor (
	calibration_id BIGINT NOT NULL REFERENCES calibration(id),
	indicator_id BIGINT NOT NULL REFERENCES rubric_indicator(id),
	value BIGINT NOT NULL,
	PRIMARY KEY (calibration_id, indicator_id)
);

CREATE TABLE calibration_rating (
	calibration_id BIGINT NOT NULL REFERENCES calibration(id),
	round BIGINT NOT NULL,
	rater_id BIGINT NOT NULL REFERENCES person(id),
	indicator_id BIGINT NOT NULL REFERENCES rubric_indicator(id),
	value BIGINT NOT NULL,
	evidence TEXT,
	PRIMARY KEY (calibration_id, round, rater_id, indicator_id)
);

-- A rater's submission of a round: until it exists, the rater sees no one
-- else's ratings of that round; after it, the rater's own are final.
CREATE TABLE calibration_submission (
	calibration_id BIGINT NOT NULL REFERENCES calibration(id),
	round BIGINT NOT NULL,
	rater_id BIGINT NOT NULL REFERENCES person(id),
	submitted_at BIGINT NOT NULL,
	PRIMARY KEY (calibration_id, round, rater_id)
);
CREATE INDEX calibration_submission_rater ON calibration_submission(rater_id, submitted_at);
