-- Partnerships: what a partner and a district agreed (engagements and their
-- service lines), the sessions that deliver it, who facilitates and takes
-- part, attendance, materials, and calendar feed tokens. Quantities are in
-- thousandths of a unit (a half day is 500) and money in integer cents, so
-- nothing is ever rounded in storage.
CREATE TABLE service_kind (
	id @ID@,
	code TEXT NOT NULL UNIQUE,
	label TEXT NOT NULL,
	default_unit TEXT NOT NULL,
	active BIGINT NOT NULL DEFAULT 1
);
INSERT INTO service_kind (code, label, default_unit) VALUES
	('coaching_day', 'Coaching day', 'day'),
	('pd_half_day', 'Professional development, half day', 'half day'),
	('pd_full_day', 'Professional development, full day', 'day'),
	('plc_session', 'PLC session', 'session'),
	('institute_seat', 'Institute seat', 'seat'),
	('leadership_institute_seat', 'Leadership institute seat', 'seat'),
	('summer_institute_registration', 'Summer institute registration', 'registration'),
	('retreat', 'Retreat', 'day'),
	('learning_walk', 'Learning walk', 'walk'),
	('consultation', 'Consultation', 'hour'),
	('resource_access', 'Access to resources', 'year');

CREATE TABLE engagement (
	id @ID@,
	partner_id BIGINT NOT NULL REFERENCES org(id),
	district_id BIGINT NOT NULL REFERENCES org(id),
	title TEXT NOT NULL,
	school_year_id BIGINT REFERENCES school_year(id),
	starts_on TEXT NOT NULL,
	ends_on TEXT NOT NULL,
	goals TEXT,
	focus TEXT,
	curriculum TEXT,
	pl_type TEXT,
	audiences TEXT,
	delivery_format TEXT,
	status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'closed')),
	created_at BIGINT NOT NULL,
	updated_at BIGINT,
	CHECK (starts_on <= ends_on)
);
CREATE INDEX engagement_partner ON engagement(partner_id);
CREATE INDEX engagement_district ON engagement(district_id);

-- Framework indicators an engagement focuses on (e.g. MP3, TP2), by code.
CREATE TABLE engagement_focus (
	engagement_id BIGINT NOT NULL REFERENCES engagement(id),
	code TEXT NOT NULL,
	PRIMARY KEY (engagement_id, code)
);

CREATE TABLE service_line (
	id @ID@,
	engagement_id BIGINT NOT NULL REFERENCES engagement(id),
	kind_id BIGINT NOT NULL REFERENCES service_kind(id),
	description TEXT,
	quantity_milli BIGINT NOT NULL CHECK (quantity_milli >= 0),
	unit TEXT NOT NULL,
	unit_price_cents BIGINT NOT NULL CHECK (unit_price_cents >= 0),
	minutes BIGINT,
	position BIGINT NOT NULL DEFAULT 0,
	active BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX service_line_engagement ON service_line(engagement_id);

CREATE TABLE pl_session (
	id @ID@,
	engagement_id BIGINT REFERENCES engagement(id),
	service_line_id BIGINT REFERENCES service_line(id),
	draw_milli BIGINT NOT NULL DEFAULT 0 CHECK (draw_milli >= 0),
	over_commit BIGINT NOT NULL DEFAULT 0,
	kind TEXT NOT NULL,
	title TEXT NOT NULL,
	on_date TEXT NOT NULL,
	block TEXT CHECK (block IN ('am', 'pm', 'full')),
	starts_at TEXT,
	ends_at TEXT,
	time_zone TEXT NOT NULL DEFAULT 'America/Chicago',
	format TEXT NOT NULL DEFAULT 'in_person' CHECK (format IN ('in_person', 'virtual', 'hybrid')),
	place TEXT,
	link TEXT,
	school_id BIGINT REFERENCES org(id),
	district_id BIGINT REFERENCES org(id),
	agenda TEXT,
	description TEXT,
	status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'delivered', 'cancelled')),
	cancel_reason TEXT,
	series_id BIGINT,
	grid_id BIGINT,
	grid_day BIGINT,
	uid TEXT NOT NULL UNIQUE,
	sequence BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX pl_session_engagement ON pl_session(engagement_id, on_date);
CREATE INDEX pl_session_line ON pl_session(service_line_id);
CREATE INDEX pl_session_date ON pl_session(on_date);
CREATE INDEX pl_session_school ON pl_session(school_id, on_date);

CREATE TABLE session_facilitator (
	session_id BIGINT NOT NULL REFERENCES pl_session(id),
	person_id BIGINT NOT NULL REFERENCES person(id),
	PRIMARY KEY (session_id, person_id)
);
CREATE INDEX session_facilitator_person ON session_facilitator(person_id);

CREATE TABLE session_participant (
	id @ID@,
	session_id BIGINT NOT NULL REFERENCES pl_session(id),
	person_id BIGINT REFERENCES person(id),
	team_id BIGINT REFERENCES team(id),
	CHECK ((person_id IS NULL) <> (team_id IS NULL))
);
CREATE INDEX session_participant_session ON session_participant(session_id);
CREATE INDEX session_participant_person ON session_participant(person_id);
CREATE INDEX session_participant_team ON session_participant(team_id);

CREATE TABLE session_attendance (
	session_id BIGINT NOT NULL REFERENCES pl_session(id),
	person_id BIGINT NOT NULL REFERENCES person(id),
	present BIGINT NOT NULL,
	recorded_by BIGINT REFERENCES person(id),
	recorded_at BIGINT NOT NULL,
	PRIMARY KEY (session_id, person_id)
);

CREATE TABLE session_material (
	id @ID@,
	session_id BIGINT NOT NULL REFERENCES pl_session(id),
	title TEXT NOT NULL,
	url TEXT,
	file_path TEXT,
	content_type TEXT,
	size_bytes BIGINT,
	created_at BIGINT NOT NULL
);
CREATE INDEX session_material_session ON session_material(session_id);

-- Calendar subscriptions: a secret in the feed's address, stored hashed,
-- for one person's sessions or one engagement's; revocable.
CREATE TABLE calendar_feed (
	id @ID@,
	person_id BIGINT REFERENCES person(id),
	engagement_id BIGINT REFERENCES engagement(id),
	token_hash TEXT NOT NULL UNIQUE,
	created_at BIGINT NOT NULL,
	revoked_at BIGINT,
	CHECK ((person_id IS NULL) <> (engagement_id IS NULL))
);
