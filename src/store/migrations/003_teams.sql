-- Teams: grade-level, grade band, vertical, PLC and role-diverse leadership
-- teams, with their members and each member's role in the team.
CREATE TABLE team (
	id @ID@,
	org_id BIGINT NOT NULL REFERENCES org(id),
	name TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('grade_level', 'grade_band', 'vertical',
		'plc', 'leadership')),
	grade TEXT,
	active BIGINT NOT NULL DEFAULT 1,
	created_at BIGINT NOT NULL,
	UNIQUE (org_id, name)
);

CREATE TABLE team_member (
	team_id BIGINT NOT NULL REFERENCES team(id),
	person_id BIGINT NOT NULL REFERENCES person(id),
	team_role TEXT NOT NULL DEFAULT 'member',
	PRIMARY KEY (team_id, person_id)
);
CREATE INDEX team_member_person ON team_member(person_id);
