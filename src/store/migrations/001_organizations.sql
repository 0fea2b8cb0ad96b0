-- Organizations (partner, district, school), people and their scoped roles.
-- @ID@ expands to each backend's auto-increment primary key.
CREATE TABLE org (
	id @ID@,
	kind TEXT NOT NULL CHECK (kind IN ('partner', 'district', 'school')),
	name TEXT NOT NULL,
	parent_id BIGINT REFERENCES org(id),
	sourced_id TEXT UNIQUE,
	district_type TEXT,
	size_band TEXT,
	flag_ell BIGINT NOT NULL DEFAULT 0,
	flag_swd BIGINT NOT NULL DEFAULT 0,
	flag_econ BIGINT NOT NULL DEFAULT 0,
	flag_soc BIGINT NOT NULL DEFAULT 0,
	active BIGINT NOT NULL DEFAULT 1,
	created_at BIGINT NOT NULL
);
CREATE INDEX org_parent ON org(parent_id);

CREATE TABLE person (
	id @ID@,
	name TEXT NOT NULL,
	email TEXT UNIQUE,
	sourced_id TEXT UNIQUE,
	active BIGINT NOT NULL DEFAULT 1,
	created_at BIGINT NOT NULL
);

CREATE TABLE person_role (
	id @ID@,
	person_id BIGINT NOT NULL REFERENCES person(id),
	org_id BIGINT NOT NULL REFERENCES org(id),
	role TEXT NOT NULL CHECK (role IN ('admin', 'district_leader', 'principal',
		'coach', 'teacher', 'partner_staff')),
	UNIQUE (person_id, org_id, role)
);
CREATE INDEX person_role_org ON person_role(org_id);
