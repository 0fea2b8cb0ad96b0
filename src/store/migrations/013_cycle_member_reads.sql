-- Who put each person into a coaching cycle, and when that person first
-- read it. Reads by a cycle's members are not audited, but a member's first
-- read after someone else added them is, so that the log shows when a
-- person a coach named could first see the cycle. Members already there
-- count as having read it.
ALTER TABLE cycle_member ADD COLUMN added_by BIGINT REFERENCES person(id);
ALTER TABLE cycle_member ADD COLUMN first_read_at BIGINT;
UPDATE cycle_member SET first_read_at = (
	SELECT c.created_at FROM coaching_cycle c WHERE c.id = cycle_member.cycle_id);
