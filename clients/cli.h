/*
 * cli.h — what every command of the jitcalc CLI shares: exit statuses and
 * the command entry points (one file per command family).
 */
#ifndef JC_CLIENTS_CLI_H
#define JC_CLIENTS_CLI_H

#include "clients/args.h"

/* Exit statuses (docs/cli.md). */
enum cli_status {
    CLI_OK = 0,          /* done */
    CLI_ERROR = 1,       /* the request was answered with an error */
    CLI_USAGE = 2,       /* bad options or input files: no request was made */
    CLI_UNREACHABLE = 3  /* the daemon could not be reached (or went away) */
};

#define CLI_MSG_SIZE 1024

int cmd_eval(const cli_args *a);
int cmd_send(const cli_args *a);
int cmd_load(const cli_args *a);
int cmd_drop(const cli_args *a);
int cmd_tables(const cli_args *a);
int cmd_stats(const cli_args *a);
int cmd_ping(const cli_args *a);
int cmd_repl(const cli_args *a);

/* Prints "jitcalc: <msg>" and "Try 'jitcalc CMD --help'." to stderr;
 * returns CLI_USAGE. */
int cli_usage_error(const char *command, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif /* JC_CLIENTS_CLI_H */
