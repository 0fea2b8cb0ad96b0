-- An engagement's state: the partner drafts an agreement and proposes it,
-- the district accepts or declines it, then it is active until it ends.
-- Only an engagement the district accepted (accepted or active) lets the
-- partner's people reach into the district, and partner_reach is the one
-- place that says so: every query asking "which districts does a partner
-- work in" reads it.
--
-- The state replaces the old status (draft, active, closed). Agreements
-- that were active before the district could accept them wait for the
-- district's answer again: nobody can tell whose side made them.
ALTER TABLE engagement ADD COLUMN state TEXT NOT NULL DEFAULT 'draft'
	CHECK (state IN ('draft', 'proposed', 'accepted', 'active', 'ended', 'declined'));
ALTER TABLE engagement ADD COLUMN decided_by BIGINT REFERENCES person(id);
ALTER TABLE engagement ADD COLUMN decided_at BIGINT;
ALTER TABLE engagement ADD COLUMN decision_note TEXT;
UPDATE engagement SET state = CASE status
	WHEN 'active' THEN 'proposed' WHEN 'closed' THEN 'ended' ELSE 'draft' END;
ALTER TABLE engagement DROP COLUMN status;
CREATE INDEX engagement_state ON engagement(state, partner_id, district_id);

CREATE VIEW partner_reach AS
	SELECT DISTINCT partner_id, district_id FROM engagement
	WHERE state IN ('accepted', 'active');
