/* Pages that belong to no feature: start page, health, metrics, static
 * assets, CSP reports. */
#ifndef COACHD_PAGES_H
#define COACHD_PAGES_H

#include "../http/http.h"

handler_fn page_home, page_healthz, page_metrics, page_static, page_csp_report;

#endif
