/*
 * reduce.h — the aggregate reducers: SUM AVG MIN MAX over a pass's output
 * column, in an order fixed by the language so the result is the same bits
 * whatever the path (interpreter or JIT), instruction set, block size or
 * thread count.
 *
 * The order (f64 SUM and AVG): the run's rows (positions in the selection
 * when filtered) are cut into chunks of JC_CHUNK_ROWS counted from the
 * run's first row. In a chunk, 8 lane partials start at -0.0 and lane j
 * adds, in row order, the rows at positions p (0-based in the chunk) with
 * p % 8 == j. The chunk's total is ((l0+l1)+(l2+l3))+((l4+l5)+(l6+l7)). The
 * run's total is the chunk totals added in chunk order (total = c0;
 * total += c1; ...). Zero rows give +0.0. AVG(f64) = that total / count.
 * i64 SUM is exact (__int128): it faults only when the exact total is out
 * of range. A bool argument (tree_agg_input) is summed as i64 0/1. AVG(i64) is the exact sum / count rounded once to f64.
 * MIN/MAX: any NaN gives NaN; -0.0 is below +0.0. Exact in any order.
 *
 * Use: one agg_acc per (aggregate, chunk), fed by agg_add in any pieces
 * (each piece says where it starts in the chunk); then a running total
 * made by agg_begin and agg_merge of the chunk accumulators in chunk
 * order; then agg_finish on the total. agg_finish on a chunk accumulator
 * that was never merged into anything treats it as the only chunk.
 */
#ifndef JC_INTERP_REDUCE_H
#define JC_INTERP_REDUCE_H

#include <stddef.h>
#include <stdint.h>

#include "interp/exec.h"
#include "parser/tree.h"

typedef struct agg_acc {
    uint8_t op;       /* OP_SUM, OP_AVG, OP_MIN, OP_MAX */
    uint8_t type;     /* argument type: JC_F64 or JC_I64 */
    uint64_t nchunks; /* chunks merged into this one (a running total) */
    double lane[8];   /* f64 SUM/AVG: this chunk's lane partials */
    double total;     /* f64 SUM/AVG: the merged chunks' total */
    __int128 isum;    /* i64 SUM/AVG: exact */
    double fbest;     /* f64 MIN/MAX so far */
    int64_t ibest;    /* i64 MIN/MAX so far */
} agg_acc;

/* op SUM AVG MIN MAX; arg_type JC_F64, JC_I64 or JC_BOOL (counted as
 * i64 0/1). */
void agg_begin(agg_acc *acc, jc_op op, jc_type arg_type);

/* Adds n consecutive values (double or int64_t per the argument type), the
 * first at position pos (0-based) in the current chunk. */
void agg_add(agg_acc *acc, const void *values, size_t n, size_t pos);

/* Adds n true rows of a bool argument of SUM or AVG counted elsewhere (by
 * a kernel that counts them, jit_output_counted). */
void agg_add_count(agg_acc *acc, uint64_t n);
/* How many of the n bool bytes are true (non-zero), for aggregates of a
 * bool and for jc_filter's count. */
uint64_t bool_count(const uint8_t *v, size_t n);

/* Adds a chunk's partial to a running total; chunks in chunk order. */
void agg_merge(agg_acc *total, const agg_acc *chunk);

/* The result over count rows: writes the value's bits (f64 canonical NaN)
 * and state SCALAR_VALUE, or state SCALAR_NULL (AVG MIN MAX of zero rows),
 * or state SCALAR_FAULT (i64 SUM out of range: integer_overflow, row -1). */
void agg_finish(const agg_acc *acc, uint64_t count, uint64_t *bits,
                jc_scalar_state *state);

/* The exact quotient s / count rounded to nearest (ties to even) f64, as
 * AVG(i64) needs: one rounding. count > 0. */
double agg_div_exact(__int128 s, uint64_t count);

#endif /* JC_INTERP_REDUCE_H */
