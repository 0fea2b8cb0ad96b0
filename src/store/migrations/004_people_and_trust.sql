-- People, rosters and the trust contract: school years and terms, classes
-- from the roster (students only counted, never named), API tokens, sign-in
-- throttling and the append-only audit log.
ALTER TABLE org ADD COLUMN updated_at BIGINT;
ALTER TABLE person ADD COLUMN updated_at BIGINT;
ALTER TABLE person_role ADD COLUMN sourced_id TEXT;
ALTER TABLE person_role ADD COLUMN active BIGINT NOT NULL DEFAULT 1;
ALTER TABLE team_member ADD COLUMN active BIGINT NOT NULL DEFAULT 1;

CREATE TABLE school_year (
	id @ID@,
	district_id BIGINT REFERENCES org(id),
	name TEXT NOT NULL,
	starts_on TEXT NOT NULL,
	ends_on TEXT NOT NULL,
	sourced_id TEXT UNIQUE,
	active BIGINT NOT NULL DEFAULT 1,
	created_at BIGINT NOT NULL,
	CHECK (starts_on < ends_on)
);

CREATE TABLE term (
	id @ID@,
	school_year_id BIGINT NOT NULL REFERENCES school_year(id),
	name TEXT NOT NULL,
	starts_on TEXT NOT NULL,
	ends_on TEXT NOT NULL,
	sourced_id TEXT UNIQUE,
	active BIGINT NOT NULL DEFAULT 1,
	CHECK (starts_on < ends_on)
);
CREATE INDEX term_year ON term(school_year_id);

CREATE TABLE class (
	id @ID@,
	school_id BIGINT NOT NULL REFERENCES org(id),
	title TEXT NOT NULL,
	grade TEXT,
	term_id BIGINT REFERENCES term(id),
	student_count BIGINT NOT NULL DEFAULT 0,
	sourced_id TEXT UNIQUE,
	active BIGINT NOT NULL DEFAULT 1,
	created_at BIGINT NOT NULL
);
CREATE INDEX class_school ON class(school_id);

CREATE TABLE class_teacher (
	class_id BIGINT NOT NULL REFERENCES class(id),
	person_id BIGINT NOT NULL REFERENCES person(id),
	sourced_id TEXT UNIQUE,
	active BIGINT NOT NULL DEFAULT 1,
	PRIMARY KEY (class_id, person_id)
);
CREATE INDEX class_teacher_person ON class_teacher(person_id);

-- Student enrollments are counted per class from the roster; the student
-- rows themselves are never stored. Only the enrollment's sourcedId is
-- kept, so a delta import can find and remove it.
CREATE TABLE class_enrollment (
	sourced_id TEXT PRIMARY KEY,
	class_id BIGINT NOT NULL REFERENCES class(id),
	active BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX class_enrollment_class ON class_enrollment(class_id);

CREATE TABLE api_token (
	id @ID@,
	person_id BIGINT NOT NULL REFERENCES person(id),
	name TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	created_at BIGINT NOT NULL,
	last_used_at BIGINT,
	revoked_at BIGINT
);
CREATE INDEX api_token_person ON api_token(person_id);

-- Failed sign-ins by key ("email:..." or "addr:..."), for throttling.
CREATE TABLE signin_failure (
	id @ID@,
	key TEXT NOT NULL,
	at BIGINT NOT NULL
);
CREATE INDEX signin_failure_key ON signin_failure(key, at);

-- Append-only: the product has no path that updates or deletes a row.
CREATE TABLE audit (
	id @ID@,
	at BIGINT NOT NULL,
	actor_id BIGINT REFERENCES person(id),
	actor_name TEXT,
	action TEXT NOT NULL,
	kind TEXT,
	object_id BIGINT,
	district_id BIGINT,
	detail TEXT,
	remote TEXT
);
CREATE INDEX audit_at ON audit(at);
CREATE INDEX audit_district ON audit(district_id, at);
CREATE INDEX audit_actor ON audit(actor_id, at);
