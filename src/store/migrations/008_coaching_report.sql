-- The leaders' coaching report (src/cycle/cycle_report.c) adds up every
-- cycle of a district with its stages and teachers. These indexes hold
-- what it reads of them, so the tables themselves are not visited.
CREATE INDEX cycle_stage_report ON cycle_stage(cycle_id, stage, complete, minutes);
CREATE INDEX cycle_member_report ON cycle_member(cycle_id, member_role, person_id);

-- The report's grouped rows for one filter (the asker's places, the period,
-- the school), kept with a mark of the data they were counted from and
-- used again while it holds and for a few minutes at most. Counts by place
-- and teachers' names only, as the report shows them; the policy still
-- decides on every request which places the asker sees.
CREATE TABLE coaching_report_cache (
	filter_key TEXT PRIMARY KEY,
	mark TEXT NOT NULL,
	built_at BIGINT NOT NULL,
	body TEXT NOT NULL
);
CREATE INDEX coaching_report_cache_built ON coaching_report_cache(built_at);
