-- Local sign-in: a password hash per person (argon2id, NULL until one is set)
-- and the sessions that follow a sign-in. Only a hash of a session token is
-- kept, so a copy of the database cannot be used to sign in as anyone.
ALTER TABLE person ADD COLUMN password_hash TEXT;

-- Sign-in looks people up by email without regard to case.
CREATE INDEX person_email_lower ON person (lower(email));

CREATE TABLE signin_session (
	id @ID@,
	person_id BIGINT NOT NULL REFERENCES person(id),
	token_hash TEXT NOT NULL UNIQUE,
	csrf TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	last_seen BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	remote TEXT
);
CREATE INDEX signin_session_person ON signin_session(person_id);
CREATE INDEX signin_session_expires ON signin_session(expires_at);
