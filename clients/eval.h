/*
 * eval.h — one evaluation from start to end: build the eval request, get
 * the answer, print it (or the error with its caret). Used by the `eval`
 * command and by every line of the repl.
 */
#ifndef JC_CLIENTS_EVAL_H
#define JC_CLIENTS_EVAL_H

#include <stdio.h>

#include "clients/client.h"
#include "clients/columns.h"
#include "clients/output.h"

typedef struct eval_spec {
    const char *expr;     /* NULL: a filter-only query (needs where) */
    const char *where;    /* NULL: all rows */
    const char *table;    /* NULL: no stored table */
    const incols *input;  /* the columns to send (may have none) */
    out_format format;
    int with_input;       /* print the input columns beside the result */
    size_t max_rows;      /* lines format: stop after this many (0 = all) */
    const char *error_prefix; /* "jitcalc: " for commands, "" in the repl */
} eval_spec;

/* Returns a cli_status: CLI_OK, CLI_ERROR (answered with an error, printed
 * to stderr), CLI_UNREACHABLE. */
int eval_run(client *c, const eval_spec *spec, FILE *out);

#endif /* JC_CLIENTS_EVAL_H */
