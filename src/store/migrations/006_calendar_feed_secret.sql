-- A calendar subscription address must be shown again whenever someone
-- opens the engagement or their account (GET /api/engagements/{id} carries
-- it as ical_url), so its secret is kept, not only its hash. It opens a
-- read-only list of session times and titles, never coaching content, and
-- is revoked by replacing it.
ALTER TABLE calendar_feed ADD COLUMN secret TEXT;
