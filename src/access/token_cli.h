/* `coachd token …`: API tokens from the command line, for the first
 * integration before anyone has signed in, and for revoking in a hurry. */
#ifndef COACHD_TOKEN_CLI_H
#define COACHD_TOKEN_CLI_H

/* coachd token create EMAIL [--name N]   prints the token once on stdout
 * coachd token list EMAIL                one line per token
 * coachd token revoke ID
 * Returns 0 on success, 2 for a usage error, 1 when the work failed. */
int cmd_token(int argc, char **argv, const char *dsn);

#endif
