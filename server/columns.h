/*
 * columns.h — request columns (JSON) to engine columns.
 *
 * Takes the "columns" object of a request (with the lifts of prelex.h,
 * whose value buffers it takes over) and gives a colset: named, typed value buffers, all of one length, owned by
 * the set. The inference rules (docs/protocol.md, "Columns"):
 *  - an array of integers only is i64; any number written with a fraction
 *    or exponent, an integer outside int64, or "NaN"/"Infinity"/"-Infinity"
 *    makes it f64; booleans only is bool; [] is f64 with no rows;
 *  - {"type": T, "data": [...]} fixes the type: i64 data must be JSON
 *    integers, bool data booleans, f64 data numbers or the three strings;
 *  - {"type": T, "base64": "..."} is little-endian packed values (bool: one
 *    byte, 0 or 1, each);
 *  - anything else (a mix of booleans and numbers, null, other strings, bad
 *    base64, an unknown type or key) is bad_request naming the column.
 */
#ifndef JC_SERVER_COLUMNS_H
#define JC_SERVER_COLUMNS_H

#include <jansson.h>
#include <stddef.h>

#include "jitcalc.h"
#include "server/prelex.h"
#include "server/proto.h"

typedef struct colset {
    jc_column *cols;  /* names and data owned by the set */
    size_t n, cap;
    size_t bytes;     /* value bytes held */
} colset;

void colset_init(colset *s);
void colset_free(colset *s);

/* Size in bytes of one value of type t. */
size_t type_size(jc_type t);

/* Appends the columns of a "columns" object. Returns 0, or -1 with e
 * filled (bad_request, or out_of_memory). Lengths are not checked here. */
int colset_decode(colset *s, const json_t *columns, prelex *lex, perr *e);

/* The row count shared by all columns: 0 when there are none; -1 with e
 * filled (length_mismatch naming two columns) when they differ. */
int colset_rows(const jc_column *cols, size_t n, size_t *rows, perr *e);

#endif /* JC_SERVER_COLUMNS_H */
