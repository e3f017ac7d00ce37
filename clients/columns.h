/*
 * columns.h — the input columns a command sends: names, inferred types and
 * values, built cell by cell from text (CSV fields, --col lists).
 *
 * Type inference follows the protocol's rule for JSON columns: a column of
 * integers only is i64; any decimal, exponent, NaN/Infinity word or integer
 * outside the i64 range makes it f64; all true/false is bool. Mixing bools
 * with numbers, or an empty cell, is an error that names the cell. A column
 * with no cells is f64 (as the protocol's `[]`).
 *
 * A column with a cell that is no value at all ("apple") is a text column:
 * it is not sent (the language has no strings), but it keeps its cells for
 * --with-input and the reason, so that an expression using it gets told
 * why (a CSV file of products has names beside the numbers).
 */
#ifndef JC_CLIENTS_COLUMNS_H
#define JC_CLIENTS_COLUMNS_H

#include <stddef.h>
#include <stdint.h>

#include "jitcalc.h"

/* What one text cell holds. */
typedef enum cell_kind {
    CELL_EMPTY = 0, /* nothing but blanks */
    CELL_INT,       /* an integer that fits in i64 */
    CELL_REAL,      /* any other number, NaN or ±Infinity */
    CELL_BOOL,
    CELL_BAD        /* not a value; `why` says what is wrong */
} cell_kind;

typedef struct cell {
    cell_kind kind;
    int64_t i;  /* CELL_INT; CELL_BOOL: 0 or 1 */
    double f;   /* CELL_REAL */
    const char *why; /* CELL_BAD: static text */
} cell;

/* Types one cell. Surrounding blanks (spaces, tabs, line breaks) are
 * ignored. Numbers are
 * decimal: [+-]digits, [+-]digits.digits, .5, 2., with an optional
 * exponent; words: true/false, NaN, Infinity/Inf (any case, optional sign). */
cell cell_parse(const char *text, size_t len);

/* One column while it is being built. Values are 8-byte slots (int64_t or
 * double, bool as int64_t 0/1) until columns_finish packs bools to bytes. */
typedef struct in_column {
    char *name;
    cell_kind kind;  /* CELL_EMPTY (no cells yet), CELL_INT, CELL_REAL, CELL_BOOL */
    size_t rows;
    size_t cap;
    void *values;    /* int64_t[], double[], or (after finish) uint8_t[];
                        a text column: char *[] (its cells) */
    int finished;
    char *text_why;  /* non-NULL: a text column, and why (the first cell
                        that is no value, with where it is) */
} in_column;

typedef struct incols {
    in_column *cols;
    size_t count;
    size_t cap;
    /* Where the rows came from, for error messages: the CSV file's name and
     * the 1-based line each data row starts on (NULL: line = row + 2). */
    char *source;
    size_t *row_line;
} incols;

/* Frees what one column holds (name, values, text cells). */
void in_column_free(in_column *c);

void incols_init(incols *cs);
void incols_free(incols *cs);

/* Adds an empty column; returns its index, or -1 with msg filled (a name
 * given twice, an empty name, out of memory). */
long incols_add_column(incols *cs, const char *name, size_t name_len,
                       char *msg, size_t msglen);

/* Appends one text cell to column ci. Returns 0, or -1 with msg filled
 * (the caller adds where: row and column). */
int incols_add_cell(incols *cs, size_t ci, const char *text, size_t len,
                    char *msg, size_t msglen);

/* Makes column ci (which has no cells yet) a text column; why says which
 * cell made it one. Returns 0, or -1 when out of memory. */
int incols_make_text(incols *cs, size_t ci, const char *why);

/* Appends one cell to a text column, as it is. Returns 0 or -1 (memory). */
int incols_add_text(incols *cs, size_t ci, const char *text, size_t len);

/* The number of columns that are not text (the ones sent). */
size_t incols_value_count(const incols *cs);

/* Fixes the types: packs bool columns to one byte per row. Idempotent. */
int incols_finish(incols *cs, char *msg, size_t msglen);

long incols_find(const incols *cs, const char *name);
jc_type in_column_type(const in_column *c);

/* Moves every column of src to the end of dst (names must not repeat);
 * src is left empty. Returns 0 or -1 with msg filled. */
int incols_merge(incols *dst, incols *src, char *msg, size_t msglen);

/* The 1-based source line of data row `row`, or 0 when unknown. */
size_t incols_row_line(const incols *cs, int64_t row);

/* Parses a --col argument `NAME=V1,V2,...` into one more column of cs
 * (a text column if some value is no value). */
int incols_add_list(incols *cs, const char *arg, char *msg, size_t msglen);

#endif /* JC_CLIENTS_COLUMNS_H */
