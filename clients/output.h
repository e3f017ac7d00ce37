/*
 * output.h — how answers look: values, the three formats of `eval`, and
 * errors with a caret under the position.
 *
 * Values print exactly as the protocol writes them (shortest round-trip
 * decimals, i64 integers, true/false), except that the strings "NaN",
 * "Infinity" and "-Infinity" lose their JSON quotes. Errors go to the
 * stream the caller gives (stderr for commands).
 */
#ifndef JC_CLIENTS_OUTPUT_H
#define JC_CLIENTS_OUTPUT_H

#include <stdio.h>

#include "clients/columns.h"
#include "clients/response.h"

typedef enum out_format { FORMAT_LINES = 0, FORMAT_CSV, FORMAT_JSON } out_format;

/* "lines", "csv" or "json"; returns -1 for anything else. */
int format_parse(const char *name, out_format *out);

/* One value span: numbers, true/false, null as they are; a string without
 * its quotes. `empty_null`: print null as nothing (CSV). */
void output_value(FILE *f, jspan v, int empty_null);

/* A CSV field, quoted when it holds a comma, quote, line break or
 * surrounding blanks. */
void output_csv_field(FILE *f, const char *s);

/* One input column printed by --with-input. A value column's values come
 * back in the answer, as one of "exprs" after the expression (so they
 * print exactly as the daemon formats results, and only the selected
 * rows); a text column is never sent, and prints its own cells (the
 * selected ones, by the answer's "indices"). */
typedef struct view_input {
    const char *name;
    const char *const *texts; /* a text column's cells, or NULL */
    size_t ntexts;
} view_input;

/* What an eval answer holds and how to print it. */
typedef struct eval_view {
    out_format format;
    const char *expr;   /* NULL: a filter-only query (rows are indices) */
    const view_input *inputs; /* --with-input: the input columns, in order */
    size_t ninputs;
    int with_input;
    size_t max_rows;    /* stop after this many rows (0 = all); repl */
} eval_view;

/* Prints an eval answer (r->ok must be 1). Returns 0, or -1 when the
 * answer does not have the expected shape. */
int output_eval(FILE *f, const eval_view *v, const response *r);

/* Prints an error answer: "<prefix><code>: <message>", then, with a
 * position, the line of `expr` holding it and a caret line under it, and
 * with a row, the row (and its line in the CSV file, from input). */
void output_error(FILE *f, const char *prefix, const response *r,
                  const char *expr, const char *expr_label,
                  const incols *input);

/* The caret display on its own: the line of text holding 1-based code
 * point `position` (tabs kept, other control bytes shown as '?') and a
 * line with '^' under it, both indented by `indent`. */
void output_caret(FILE *f, const char *text, long long position,
                  const char *indent);

#endif /* JC_CLIENTS_OUTPUT_H */
