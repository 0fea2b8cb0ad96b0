/* Logging: one line per event on stderr, written with a single write(2)
 * so lines from different threads never interleave. */
#ifndef COACHD_LOG_H
#define COACHD_LOG_H

void log_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
