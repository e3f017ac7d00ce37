/* args.c — option parsing for the commands (see args.h). */
#include "clients/args.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

typedef struct option_spec {
    const char *name;
    unsigned bit;
    int takes_value;
} option_spec;

static const option_spec options[] = {
    {"col", OPT_COL, 1},       {"csv", OPT_CSV, 1},
    {"where", OPT_WHERE, 1},   {"table", OPT_TABLE, 1},
    {"format", OPT_FORMAT, 1}, {"with-input", OPT_WITH_INPUT, 0},
    {"socket", OPT_SOCKET, 1}, {"local", OPT_LOCAL, 0},
};

static const option_spec *find_option(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++)
        if (strlen(options[i].name) == len && memcmp(options[i].name, name, len) == 0)
            return &options[i];
    return NULL;
}

/* Stores one option's value; -1 with msg on a repeat or a bad value. */
static int store(cli_args *a, const option_spec *o, const char *value,
                 unsigned *seen, char *msg, size_t msglen)
{
    if ((*seen & o->bit) && o->bit != OPT_COL) {
        snprintf(msg, msglen, "--%s is given twice", o->name);
        return -1;
    }
    *seen |= o->bit;
    switch (o->bit) {
    case OPT_COL: {
        const char **grown = mem_realloc(a->cols, (a->ncols + 1) * sizeof *grown);
        if (!grown) {
            snprintf(msg, msglen, "out of memory");
            return -1;
        }
        a->cols = grown;
        a->cols[a->ncols++] = value;
        return 0;
    }
    case OPT_CSV: a->csv = value; return 0;
    case OPT_WHERE: a->where = value; return 0;
    case OPT_TABLE: a->table = value; return 0;
    case OPT_SOCKET: a->socket = value; return 0;
    case OPT_WITH_INPUT: a->with_input = 1; return 0;
    case OPT_LOCAL: a->local = 1; return 0;
    case OPT_FORMAT:
        a->format_given = 1;
        if (format_parse(value, &a->format) < 0) {
            snprintf(msg, msglen, "--format wants lines, csv or json (got '%s')",
                     value);
            return -1;
        }
        return 0;
    }
    return 0;
}

int args_parse(cli_args *a, const char *command, unsigned allowed,
               size_t max_operands, int argc, char **argv, char *msg,
               size_t msglen)
{
    memset(a, 0, sizeof *a);
    a->command = command;
    unsigned seen = 0;
    int options_done = 0;
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        int is_long = !options_done && arg[0] == '-' && arg[1] == '-';
        if (!options_done && strcmp(arg, "--") == 0) {
            options_done = 1;
            continue;
        }
        if (!options_done && (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0)) {
            a->help = 1;
            continue;
        }
        if (!is_long) {
            if (a->noperands == max_operands || a->noperands == ARGS_MAX_OPERANDS) {
                snprintf(msg, msglen, "unexpected argument '%s'", arg);
                return -1;
            }
            a->operands[a->noperands++] = arg;
            continue;
        }
        const char *name = arg + 2;
        const char *eq = strchr(name, '=');
        size_t name_len = eq ? (size_t)(eq - name) : strlen(name);
        const option_spec *o = find_option(name, name_len);
        if (!o || !(allowed & o->bit)) {
            if (!o)
                snprintf(msg, msglen, "unknown option --%.*s", (int)name_len, name);
            else
                snprintf(msg, msglen, "'jitcalc %s' takes no option --%.*s",
                         command, (int)name_len, name);
            return -1;
        }
        const char *value = NULL;
        if (o->takes_value) {
            if (eq)
                value = eq + 1;
            else if (i + 1 < argc)
                value = argv[++i];
            else {
                snprintf(msg, msglen, "--%s needs a value", o->name);
                return -1;
            }
        } else if (eq) {
            snprintf(msg, msglen, "--%s takes no value", o->name);
            return -1;
        }
        if (store(a, o, value, &seen, msg, msglen) < 0)
            return -1;
    }
    if (a->local && a->socket) {
        snprintf(msg, msglen, "--socket and --local exclude each other");
        return -1;
    }
    return 0;
}

void args_free(cli_args *a)
{
    mem_free(a->cols);
    a->cols = NULL;
    a->ncols = 0;
}
