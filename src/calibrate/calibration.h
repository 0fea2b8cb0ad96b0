/* Calibration sessions: the handlers routes.c names. */
#ifndef COACHD_CALIBRATION_H
#define COACHD_CALIBRATION_H

#include "../http/http.h"

#endif
