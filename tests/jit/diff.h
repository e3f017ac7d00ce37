/*
 * diff.h — the JIT-versus-interpreter differential harness for tests/jit:
 * builds a typed, folded tree from text, then runs every pass of it on the
 * interpreter's fast path (interp_block) and on compiled code (jit_run) over
 * the same rows and compares: a fault the interpreter finds must be flagged
 * by the JIT too (the JIT may also flag lanes a lazy branch does not take),
 * and where the interpreter found none every output byte must be equal.
 */
#ifndef JC_TESTS_JIT_DIFF_H
#define JC_TESTS_JIT_DIFF_H

#include <stddef.h>
#include <stdint.h>

#include "jit/jit.h"
#include "jitcalc.h"

/* The test table: columns a, b (f64), n, m (i64), p, q (bool). */
#define DT_NCOLS 6
extern const jc_column dt_schema[DT_NCOLS];

typedef struct dt_data {
    size_t rows;
    double *a, *b;
    int64_t *n, *m;
    uint8_t *p, *q;
    const void *cols[DT_NCOLS]; /* by schema order */
} dt_data;

/* Rows that pair edge values (NaN, ±Inf, -0.0, i64 extremes, ...) with
 * each other, then seeded random values. */
void dt_data_edges(dt_data *d, size_t rows, uint64_t seed);
void dt_data_free(dt_data *d);

/* Compares isa's code with the interpreter for `text` over rows
 * [begin, end), calling both once per `block` rows (0: one call).
 * Returns the number of mismatching calls (details printed); -1 when the
 * text does not compile. *faulted counts calls where both faulted. */
int dt_compare(jit_pool *pool, jit_isa isa, const char *text, const dt_data *d,
               size_t begin, size_t end, size_t block, size_t *faulted);

#endif
