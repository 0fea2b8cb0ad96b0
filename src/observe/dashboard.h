/* The implementation dashboards over learning-walk ratings: handlers routes.c names. */
#ifndef COACHD_DASHBOARD_H
#define COACHD_DASHBOARD_H

#include "../http/http.h"

#endif
