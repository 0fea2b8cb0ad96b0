/* Passwords: argon2id hashes (libsodium), a gate that caps how many hashes
 * run at once, and the NIST 800-63B checks a new password must pass. */
#ifndef COACHD_PASSWORD_H
#define COACHD_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

enum {
	PASSWORD_MIN_CHARS = 10, /* characters (code points), not bytes */
	PASSWORD_MAX_BYTES = 256,
	PASSWORD_HASH_MAX = 128, /* crypto_pwhash_STRBYTES, NUL included */
	PASSWORD_GATE_SLOTS = 2  /* hashes at once: 64 MiB each */
};

/* Each argon2id hash takes 64 MiB for a moment; the gate lets at most
 * PASSWORD_GATE_SLOTS run at once so a burst of sign-ins waits instead of
 * exhausting memory. One per server (app->hashing); NULL means ungated
 * (the CLI, which hashes one password). */
typedef struct password_gate password_gate;

password_gate *password_gate_new(void);
void password_gate_free(password_gate *g);
/* Blocks until a slot is free. Exposed for tests; hashing does this. */
void password_gate_enter(password_gate *g);
void password_gate_leave(password_gate *g);
/* The most slots ever taken at once (for tests and metrics). */
unsigned password_gate_peak(password_gate *g);

/* Hashes pw into out (PASSWORD_HASH_MAX bytes); false when out of memory. */
bool password_hash(password_gate *g, const char *pw, char out[PASSWORD_HASH_MAX]);
/* True when pw matches the stored hash; false for a malformed hash too. */
bool password_verify(password_gate *g, const char *stored, const char *pw);
/* Spends the time of one verification against a hash nobody's password
 * matches, so a sign-in for an unknown email takes as long as a known one. */
void password_verify_dummy(password_gate *g, const char *pw);
/* True when stored was made with other parameters than today's. */
bool password_needs_rehash(const char *stored);

/* NULL when pw may be used as a new password, else what is wrong with it,
 * as a sentence for the person choosing it. Length, UTF-8, not one repeated
 * character, not a well-known password; no composition rules (800-63B). */
const char *password_problem(const char *pw);

#endif
