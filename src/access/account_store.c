/* Accounts in the store (account_store.h). */
#include "account_store.h"

#include "../base/util.h"

store_rc account_by_email(store *s, arena *a, const char *email, account *out, bool *found)
{
	*found = false;
	sql_arg args[] = {ARG_TEXT(email)};
	store_rows r;
	store_rc rc = store_query(s, a,
				  "SELECT id, name, email, password_hash, active FROM person "
				  "WHERE lower(email) = lower($1) "
				  "ORDER BY password_hash IS NULL, id LIMIT 1",
				  args, 1, &r);
	if (rc != STORE_OK || r.nrows == 0) return rc;
	*out = (account){rows_int(&r, 0, 0), rows_get(&r, 0, 1), rows_get(&r, 0, 2), rows_get(&r, 0, 3),
			 rows_int(&r, 0, 4) == 1};
	*found = true;
	return STORE_OK;
}

store_rc account_password_save(store *s, arena *a, int64_t person_id, const char *hash)
{
	sql_arg args[] = {ARG_TEXT(hash), ARG_INT(person_id)};
	return store_query(s, a, "UPDATE person SET password_hash = $1 WHERE id = $2", args, COUNT_OF(args),
			   NULL);
}

store_rc account_insert(store *s, arena *a, const char *name, const char *email, int64_t now, int64_t *id)
{
	sql_arg args[] = {ARG_TEXT(name), ARG_TEXT(email), ARG_INT(now)};
	store_rows r;
	store_rc rc = store_query(
		s, a, "INSERT INTO person (name, email, created_at) VALUES ($1, $2, $3) RETURNING id", args,
		COUNT_OF(args), &r);
	*id = rc == STORE_OK && r.nrows == 1 ? rows_int(&r, 0, 0) : 0;
	return rc == STORE_OK && !*id ? STORE_ERROR : rc;
}

store_rc account_role_give(store *s, arena *a, int64_t person_id, int64_t org_id, const char *role_name)
{
	sql_arg args[] = {ARG_INT(person_id), ARG_INT(org_id), ARG_TEXT(role_name)};
	return store_query(s, a,
			   "INSERT INTO person_role (person_id, org_id, role) VALUES ($1, $2, $3) "
			   "ON CONFLICT DO NOTHING",
			   args, COUNT_OF(args), NULL);
}

store_rc account_orgs_named(store *s, arena *a, const char *id_or_name, store_rows *out)
{
	int64_t id = 0;
	if (parse_i64(id_or_name, 1, INT64_MAX, &id)) {
		sql_arg args[] = {ARG_INT(id)};
		store_rc rc = store_query(s, a, "SELECT id FROM org WHERE id = $1", args, 1, out);
		if (rc != STORE_OK || out->nrows) return rc;
	}
	sql_arg args[] = {ARG_TEXT(id_or_name)};
	return store_query(s, a, "SELECT id FROM org WHERE name = $1 ORDER BY id", args, 1, out);
}
