/* Password hashing (argon2id, libsodium's interactive limits) behind a gate
 * that bounds memory, and the checks a new password must pass. */
#include "password.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../base/util.h"
#include "../http/parse_utf8.h"

_Static_assert(PASSWORD_HASH_MAX == crypto_pwhash_STRBYTES, "hash buffers are libsodium's size");

struct password_gate {
	pthread_mutex_t lock;
	pthread_cond_t freed;
	unsigned in_use;
	unsigned peak;
};

/* A hash of 48 random bytes nobody kept, made with today's parameters, so
 * that verifying against it costs exactly what a real verification costs. */
static const char dummy_hash[] = "$argon2id$v=19$m=65536,t=2,p=1$zMbXY2e/WdT3tiatvIMSfg$"
				 "nZEDvXLKx0g1bcyeiSa0YvZCfWLwoUeDpXV5nhKeUpI";

/* Well-known passwords long enough to pass the length rule, from public
 * breach-corpus top lists plus words of this service. Shorter ones are
 * already refused by length. Compared without regard to ASCII case. */
static const char *const common_passwords[] = {
	"0123456789",   "0987654321",    "1111111111",    "1122334455",   "1234512345",   "1234567890",
	"12345678910",  "1234567891",    "123456789a",    "123456789q",   "1234qwerty",   "12345qwert",
	"123qweasdzxc", "1q2w3e4r5t",    "1q2w3e4r5t6y",  "1qaz2wsx3edc", "9876543210",   "a123456789",
	"abc1234567",   "abcd123456",    "abcdefghij",    "admin12345",   "admin123456",  "administrator",
	"asdfghjkl1",   "asdfghjkl123",  "baseball123",   "changeme123",  "coachd1234",   "coachd12345",
	"coaching123",  "dragon1234",    "football123",   "iloveyou12",   "iloveyou123",  "letmein123",
	"monkey1234",   "passw0rd123",   "password01",    "password1!",   "password12",   "password123",
	"password123!", "password1234",  "password12345", "password2023", "password2024", "password2025",
	"password2026", "princess123",   "qazwsxedcrfv",  "qwerty1234",   "qwerty12345",  "qwerty123456",
	"qwertyuiop",   "qwertyuiop123", "student123",    "sunshine123",  "superman123",  "teacher123",
	"teacher1234",  "welcome123",    "welcome1234",   "welcome2024",  "welcome2025",  "zxcvbnm123",
	"zxcvbnm1234",
};

/* libsodium must be initialized once before use; sodium_init is
 * idempotent and thread-safe, so every entry point just asks. */
static bool sodium_ready(void)
{
	return sodium_init() >= 0;
}

password_gate *password_gate_new(void)
{
	if (!sodium_ready()) return NULL;
	password_gate *g = calloc(1, sizeof *g);
	if (!g) return NULL;
	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->freed, NULL);
	return g;
}

void password_gate_free(password_gate *g)
{
	if (!g) return;
	pthread_cond_destroy(&g->freed);
	pthread_mutex_destroy(&g->lock);
	free(g);
}

void password_gate_enter(password_gate *g)
{
	if (!g) return;
	pthread_mutex_lock(&g->lock);
	while (g->in_use >= PASSWORD_GATE_SLOTS) pthread_cond_wait(&g->freed, &g->lock);
	g->in_use++;
	if (g->in_use > g->peak) g->peak = g->in_use;
	pthread_mutex_unlock(&g->lock);
}

void password_gate_leave(password_gate *g)
{
	if (!g) return;
	pthread_mutex_lock(&g->lock);
	if (ALWAYS(g->in_use > 0)) g->in_use--;
	pthread_cond_signal(&g->freed);
	pthread_mutex_unlock(&g->lock);
}

unsigned password_gate_peak(password_gate *g)
{
	if (!g) return 0;
	pthread_mutex_lock(&g->lock);
	unsigned peak = g->peak;
	pthread_mutex_unlock(&g->lock);
	return peak;
}

bool password_hash(password_gate *g, const char *pw, char out[PASSWORD_HASH_MAX])
{
	out[0] = '\0';
	if (!pw || !sodium_ready()) return false;
	password_gate_enter(g);
	int rc = crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
				   crypto_pwhash_MEMLIMIT_INTERACTIVE);
	password_gate_leave(g);
	return rc == 0;
}

/* libsodium's prototypes take a full crypto_pwhash_STRBYTES array; a hash
 * read from the store is shorter, so it is copied into one, NUL-padded.
 * False for anything longer than the format allows: not one of ours. */
static bool padded_hash(const char *stored, char out[PASSWORD_HASH_MAX])
{
	size_t n = strnlen(stored, PASSWORD_HASH_MAX);
	if (n >= PASSWORD_HASH_MAX) return false;
	memset(out, 0, PASSWORD_HASH_MAX);
	memcpy(out, stored, n);
	return true;
}

bool password_verify(password_gate *g, const char *stored, const char *pw)
{
	char hash[PASSWORD_HASH_MAX];
	if (!stored || !pw || !sodium_ready() || !padded_hash(stored, hash)) return false;
	password_gate_enter(g);
	int rc = crypto_pwhash_str_verify(hash, pw, strlen(pw));
	password_gate_leave(g);
	return rc == 0;
}

void password_verify_dummy(password_gate *g, const char *pw)
{
	(void)password_verify(g, dummy_hash, pw ? pw : "");
}

bool password_needs_rehash(const char *stored)
{
	char hash[PASSWORD_HASH_MAX];
	if (!stored || !sodium_ready() || !padded_hash(stored, hash)) return false;
	return crypto_pwhash_str_needs_rehash(hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
					      crypto_pwhash_MEMLIMIT_INTERACTIVE) == 1;
}

/* Code points in a valid UTF-8 string: every byte but continuations. */
/* True when s is its first character repeated ("aaaaaaaaaa", "ééééé…"). */
static bool one_character_repeated(const char *s, size_t len)
{
	size_t first = 1;
	while (first < len && ((unsigned char)s[first] & 0xC0) == 0x80) first++;
	for (size_t i = first; i < len; i += first)
		if (len - i < first || memcmp(s + i, s, first) != 0) return false;
	return true;
}

static bool well_known(const char *pw)
{
	for (size_t i = 0; i < COUNT_OF(common_passwords); i++)
		if (strcasecmp(pw, common_passwords[i]) == 0) return true;
	return false;
}

const char *password_problem(const char *pw)
{
	if (!pw || !*pw) return "Choose a password.";
	size_t len = strlen(pw);
	if (len > PASSWORD_MAX_BYTES)
		return "The password is too long: use at most 256 bytes (about 256 letters).";
	if (!parse_utf8_valid(pw, len))
		return "The password contains bytes that are not text (invalid UTF-8).";
	if (utf8_length(pw) < PASSWORD_MIN_CHARS)
		return "The password is too short: use at least 10 characters. "
		       "A few unrelated words make a long password that is easy to remember.";
	if (one_character_repeated(pw, len))
		return "The password is one character repeated; choose something harder to guess.";
	if (well_known(pw))
		return "That password is on the list of the most common passwords; choose another.";
	return NULL;
}
