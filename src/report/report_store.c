/* What every report reads first: the engagement, its two parties and the
 * district's context fields (type, size band, population flags). */
#include <string.h>

#include "../base/util.h"
#include "report.h"

static bool flag(const store_rows *r, size_t col)
{
	const char *v = rows_get(r, 0, col);
	return v && strcmp(v, "0") != 0;
}

store_rc report_engagement_get(store *s, arena *a, int64_t id, report_engagement *out,
			       bool *found)
{
	sql_arg args[] = {ARG_INT(id)};
	store_rows r;
	store_rc rc = store_query(
		s, a,
		"SELECT e.id, e.partner_id, e.district_id, e.title, e.starts_on, e.ends_on, "
		"e.curriculum, e.pl_type, e.audiences, e.delivery_format, e.state, "
		"p.name, d.name, d.district_type, d.size_band, "
		"d.flag_ell, d.flag_swd, d.flag_econ, d.flag_soc "
		"FROM engagement e JOIN org p ON p.id = e.partner_id JOIN org d ON d.id = e.district_id "
		"WHERE e.id = $1",
		args, COUNT_OF(args), &r);
	*found = rc == STORE_OK && r.nrows == 1;
	if (!*found) return rc;
	*out = (report_engagement){
		.id = rows_int(&r, 0, 0),
		.partner_id = rows_int(&r, 0, 1),
		.district_id = rows_int(&r, 0, 2),
		.title = rows_get(&r, 0, 3),
		.starts_on = rows_get(&r, 0, 4),
		.ends_on = rows_get(&r, 0, 5),
		.curriculum = rows_get(&r, 0, 6),
		.pl_type = rows_get(&r, 0, 7),
		.audiences = rows_get(&r, 0, 8),
		.delivery_format = rows_get(&r, 0, 9),
		.state = rows_get(&r, 0, 10),
		.partner_name = rows_get(&r, 0, 11),
		.district_name = rows_get(&r, 0, 12),
		.district_type = rows_get(&r, 0, 13),
		.size_band = rows_get(&r, 0, 14),
		.flag_ell = flag(&r, 15),
		.flag_swd = flag(&r, 16),
		.flag_econ = flag(&r, 17),
		.flag_soc = flag(&r, 18),
	};
	return STORE_OK;
}
