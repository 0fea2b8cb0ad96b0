-- The leaders' coaching report (src/cycle/cycle_report.c) adds up every
-- cycle of a district. So that it reads one index entry per cycle, per
-- teacher and per focus code, and no stage, each cycle keeps its own
-- totals, and its teachers' and focus codes' rows keep the cycle's place,
-- grade and day. cycle_counts_keep() (src/cycle/cycle_store.c) writes them,
-- in the transaction of every change that alters them.

-- The day a cycle counts on: its lesson's, or its start's while no lesson
-- is planned, as the number YYYYMMDD, and its month as YYYYMM: integers
-- keep the indexes below small and their comparisons cheap. The totals are
-- its completed stages and the minutes recorded on its stages.
ALTER TABLE coaching_cycle ADD COLUMN held_day BIGINT;
ALTER TABLE coaching_cycle ADD COLUMN held_month BIGINT;
ALTER TABLE coaching_cycle ADD COLUMN plans_done BIGINT NOT NULL DEFAULT 0;
ALTER TABLE coaching_cycle ADD COLUMN enactments_done BIGINT NOT NULL DEFAULT 0;
ALTER TABLE coaching_cycle ADD COLUMN reflections_done BIGINT NOT NULL DEFAULT 0;
ALTER TABLE coaching_cycle ADD COLUMN minutes BIGINT NOT NULL DEFAULT 0;

-- Copies of the cycle's place, grade and day.
ALTER TABLE cycle_member ADD COLUMN district_id BIGINT;
ALTER TABLE cycle_member ADD COLUMN school_id BIGINT;
ALTER TABLE cycle_member ADD COLUMN grade TEXT;
ALTER TABLE cycle_member ADD COLUMN held_day BIGINT;
ALTER TABLE cycle_focus ADD COLUMN district_id BIGINT;
ALTER TABLE cycle_focus ADD COLUMN school_id BIGINT;
ALTER TABLE cycle_focus ADD COLUMN held_day BIGINT;

-- Cycles made before this migration: the statements of
-- cycle_counts_keep(), for every cycle at once.
UPDATE coaching_cycle SET
	held_day = CAST(replace(COALESCE(lesson_on, started_on), '-', '') AS BIGINT),
	held_month = CAST(replace(COALESCE(lesson_on, started_on), '-', '') AS BIGINT) / 100,
	plans_done = (SELECT COUNT(*) FROM cycle_stage s
		WHERE s.cycle_id = coaching_cycle.id AND s.stage = 'plan' AND s.complete = 1),
	enactments_done = (SELECT COUNT(*) FROM cycle_stage s
		WHERE s.cycle_id = coaching_cycle.id AND s.stage = 'enact' AND s.complete = 1),
	reflections_done = (SELECT COUNT(*) FROM cycle_stage s
		WHERE s.cycle_id = coaching_cycle.id AND s.stage = 'reflect' AND s.complete = 1),
	minutes = (SELECT CAST(COALESCE(SUM(s.minutes), 0) AS BIGINT) FROM cycle_stage s
		WHERE s.cycle_id = coaching_cycle.id);
UPDATE cycle_member SET (district_id, school_id, grade, held_day) =
	(SELECT c.district_id, c.school_id, c.grade, c.held_day FROM coaching_cycle c
	 WHERE c.id = cycle_member.cycle_id);
UPDATE cycle_focus SET (district_id, school_id, held_day) =
	(SELECT c.district_id, c.school_id, c.held_day FROM coaching_cycle c
	 WHERE c.id = cycle_focus.cycle_id);

-- Each of the report's three queries seeks its districts in one of these
-- and reads on in the order of its grouping (place, then grade or code),
-- so it neither visits a table nor sorts. Only teachers are counted, so
-- only their rows are indexed; member_role is there for the covering.
CREATE INDEX coaching_cycle_report ON coaching_cycle(district_id, school_id, grade, held_month,
	held_day, plans_done, enactments_done, reflections_done, minutes);
CREATE INDEX cycle_member_report ON cycle_member(district_id, school_id, grade, person_id,
	held_day, member_role) WHERE member_role = 'teacher';
CREATE INDEX cycle_focus_report ON cycle_focus(district_id, school_id, code, held_day);
