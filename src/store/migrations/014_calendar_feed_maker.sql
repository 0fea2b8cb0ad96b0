-- A calendar feed address is a credential: only its hash is kept, and the
-- address is shown once, when it is made, as an API token is. An
-- engagement's feed answers only while the person who made it may still
-- read the engagement, so it stops for someone who loses their access.
ALTER TABLE calendar_feed ADD COLUMN made_by BIGINT REFERENCES person(id);
UPDATE calendar_feed SET made_by = person_id WHERE person_id IS NOT NULL;
-- Engagement addresses made before were kept in clear, by nobody known:
-- they stop, and whoever needs one makes a new one.
UPDATE calendar_feed SET revoked_at = created_at WHERE engagement_id IS NOT NULL AND revoked_at IS NULL;
ALTER TABLE calendar_feed DROP COLUMN secret;
