/*
 * args.h — command-line options of the jitcalc commands.
 *
 * GNU style: `--name VALUE` or `--name=VALUE`, flags without a value, `--`
 * ends the options. The only short option is -h; any other argument that
 * starts with a single '-' is an operand, so `jitcalc eval -a*2` works
 * without `--`. Each command says which options it takes.
 */
#ifndef JC_CLIENTS_ARGS_H
#define JC_CLIENTS_ARGS_H

#include <stddef.h>

#include "clients/output.h"

enum opt_bit {
    OPT_COL = 1 << 0,        /* --col NAME=V1,V2,...   (repeatable) */
    OPT_CSV = 1 << 1,        /* --csv FILE|- */
    OPT_WHERE = 1 << 2,      /* --where EXPR */
    OPT_TABLE = 1 << 3,      /* --table NAME */
    OPT_FORMAT = 1 << 4,     /* --format lines|csv|json */
    OPT_WITH_INPUT = 1 << 5, /* --with-input */
    OPT_SOCKET = 1 << 6,     /* --socket PATH */
    OPT_LOCAL = 1 << 7       /* --local */
};

#define ARGS_MAX_OPERANDS 4

typedef struct cli_args {
    const char *command;
    const char *operands[ARGS_MAX_OPERANDS];
    size_t noperands;
    const char **cols; /* --col values, in order (the array is malloc'd) */
    size_t ncols;
    const char *csv, *where, *table, *socket;
    out_format format;
    int format_given;
    int with_input;
    int local;
    int help;
} cli_args;

/* Parses argv[0..argc) (the arguments after the command name). Returns 0,
 * or -1 with msg filled (unknown option, option not taken by the command,
 * missing value, repeated option, too many operands, bad --format). */
int args_parse(cli_args *a, const char *command, unsigned allowed,
               size_t max_operands, int argc, char **argv, char *msg,
               size_t msglen);
void args_free(cli_args *a);

#endif /* JC_CLIENTS_ARGS_H */
