-- Coaching cycles: plan, enact, reflect, with a coach and a
-- teacher (individual) or a team (collaborative). Everything below except
-- the template tables is confidential to the cycle's members and to those
-- a teacher shared it with (coaching is never evaluative); leaders see
-- only counts, drawn from the cycle row, its stages' status and minutes,
-- and its focus codes, never from answers, notes or files.

-- The prompts of each stage, written by a district or partner (org_id).
-- The built-in default (plan, enact, reflect) lives in the code
-- (cycle_template_default) and is what a cycle without one uses.
CREATE TABLE cycle_template (
	id @ID@,
	org_id BIGINT NOT NULL REFERENCES org(id),
	name TEXT NOT NULL,
	active BIGINT NOT NULL DEFAULT 1,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX cycle_template_org ON cycle_template(org_id);

-- One prompt of one stage: a built-in field (goal, task, ...) with the
-- template's own wording, or an extra free-text question.
CREATE TABLE cycle_template_prompt (
	template_id BIGINT NOT NULL REFERENCES cycle_template(id),
	stage TEXT NOT NULL CHECK (stage IN ('plan', 'enact', 'reflect')),
	position BIGINT NOT NULL,
	field TEXT NOT NULL,
	label TEXT NOT NULL,
	help TEXT,
	PRIMARY KEY (template_id, stage, field)
);

CREATE TABLE coaching_cycle (
	id @ID@,
	kind TEXT NOT NULL CHECK (kind IN ('individual', 'collaborative')),
	title TEXT NOT NULL,
	state TEXT NOT NULL DEFAULT 'planning'
		CHECK (state IN ('planning', 'enacted', 'reflected', 'closed')),
	district_id BIGINT NOT NULL REFERENCES org(id),
	school_id BIGINT REFERENCES org(id),
	team_id BIGINT REFERENCES team(id),
	partner_id BIGINT REFERENCES org(id),
	grade TEXT,
	template_id BIGINT REFERENCES cycle_template(id),  -- NULL: the default
	session_id BIGINT REFERENCES pl_session(id),
	previous_id BIGINT REFERENCES coaching_cycle(id),
	started_on TEXT NOT NULL,       -- YYYY-MM-DD, the day it started
	lesson_on TEXT,                 -- the planned lesson's date, from the plan
	created_by BIGINT NOT NULL REFERENCES person(id),
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	closed_at BIGINT
);
CREATE INDEX coaching_cycle_district ON coaching_cycle(district_id, created_at);
CREATE INDEX coaching_cycle_school ON coaching_cycle(school_id, created_at);
CREATE INDEX coaching_cycle_previous ON coaching_cycle(previous_id);
CREATE INDEX coaching_cycle_session ON coaching_cycle(session_id);

-- Coaches and teachers of a cycle. A collaborative cycle copies its team's
-- members when it starts, so a later team change does not open old cycles.
CREATE TABLE cycle_member (
	cycle_id BIGINT NOT NULL REFERENCES coaching_cycle(id),
	person_id BIGINT NOT NULL REFERENCES person(id),
	member_role TEXT NOT NULL CHECK (member_role IN ('coach', 'teacher')),
	PRIMARY KEY (cycle_id, person_id)
);
CREATE INDEX cycle_member_person ON cycle_member(person_id);

-- A stage: one plan, one enactment per teacher's classroom, one reflection.
-- version counts saves, so two people editing at once cannot lose a write.
CREATE TABLE cycle_stage (
	id @ID@,
	cycle_id BIGINT NOT NULL REFERENCES coaching_cycle(id),
	stage TEXT NOT NULL CHECK (stage IN ('plan', 'enact', 'reflect')),
	teacher_id BIGINT REFERENCES person(id),
	complete BIGINT NOT NULL DEFAULT 0,
	minutes BIGINT NOT NULL DEFAULT 0 CHECK (minutes >= 0),
	version BIGINT NOT NULL DEFAULT 0,
	updated_by BIGINT REFERENCES person(id),
	updated_at BIGINT,
	completed_at BIGINT
);
CREATE INDEX cycle_stage_cycle ON cycle_stage(cycle_id);

CREATE TABLE cycle_answer (
	stage_id BIGINT NOT NULL REFERENCES cycle_stage(id),
	field TEXT NOT NULL,
	value TEXT NOT NULL,
	PRIMARY KEY (stage_id, field)
);

-- The plan's focus indicators (MP3, TP2, TRU2), for the leaders' counts.
CREATE TABLE cycle_focus (
	cycle_id BIGINT NOT NULL REFERENCES coaching_cycle(id),
	code TEXT NOT NULL,
	PRIMARY KEY (cycle_id, code)
);
CREATE INDEX cycle_focus_code ON cycle_focus(code);

-- Time-stamped notes taken during the lesson: the hot write.
CREATE TABLE cycle_note (
	id @ID@,
	stage_id BIGINT NOT NULL REFERENCES cycle_stage(id),
	author_id BIGINT NOT NULL REFERENCES person(id),
	taken_at BIGINT NOT NULL,
	tag TEXT,
	body TEXT NOT NULL DEFAULT ''
);
CREATE INDEX cycle_note_stage ON cycle_note(stage_id, taken_at);

-- Counts the plan asked for ("students who explained their reasoning").
CREATE TABLE cycle_tally (
	stage_id BIGINT NOT NULL REFERENCES cycle_stage(id),
	label TEXT NOT NULL,
	count BIGINT NOT NULL DEFAULT 0 CHECK (count >= 0),
	PRIMARY KEY (stage_id, label)
);

-- Evidence files kept under data_dir/evidence/ by a random name.
CREATE TABLE cycle_file (
	id @ID@,
	stage_id BIGINT NOT NULL REFERENCES cycle_stage(id),
	title TEXT NOT NULL,
	file_path TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size_bytes BIGINT NOT NULL,
	created_by BIGINT NOT NULL REFERENCES person(id),
	created_at BIGINT NOT NULL
);
CREATE INDEX cycle_file_stage ON cycle_file(stage_id);

-- A teacher's share of the whole cycle (stage NULL) or of one stage with a
-- named person, read-only; revoked_at ends it and keeps the record.
CREATE TABLE cycle_share (
	id @ID@,
	cycle_id BIGINT NOT NULL REFERENCES coaching_cycle(id),
	stage TEXT CHECK (stage IN ('plan', 'enact', 'reflect')),
	person_id BIGINT NOT NULL REFERENCES person(id),
	shared_by BIGINT NOT NULL REFERENCES person(id),
	created_at BIGINT NOT NULL,
	revoked_at BIGINT
);
CREATE INDEX cycle_share_cycle ON cycle_share(cycle_id);
CREATE INDEX cycle_share_person ON cycle_share(person_id);

-- Every change to a cycle: who, when, what (field names, never content).
CREATE TABLE cycle_event (
	id @ID@,
	cycle_id BIGINT NOT NULL REFERENCES coaching_cycle(id),
	person_id BIGINT REFERENCES person(id),
	at BIGINT NOT NULL,
	what TEXT NOT NULL,
	detail TEXT
);
CREATE INDEX cycle_event_cycle ON cycle_event(cycle_id, at);
