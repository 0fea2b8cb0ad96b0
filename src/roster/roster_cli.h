/* `coachd import oneroster DIR_OR_ZIP [--dry-run] [--district ID] [--db DB]`:
 * a district's OneRoster export from the command line. */
#ifndef COACHD_ROSTER_CLI_H
#define COACHD_ROSTER_CLI_H

/* argv[0] is "oneroster". Returns 0 when the roster was imported (or a
 * dry run found nothing wrong), 1 when it had problems or the work
 * failed (nothing is written then), 2 for a usage error. */
int cmd_import(int argc, char **argv, const char *dsn);

#endif
