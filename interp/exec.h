/*
 * exec.h — the contract between the executor (engine/run.c) and the two
 * ways of computing a pass over rows: the interpreter (interp/) and the JIT
 * (jit/). Both compute exactly the same bits; the interpreter defines them.
 *
 * A pass (see parser/tree.h) is run over blocks of rows [begin, end):
 *  1. the fast path (jit kernel or interp_block) computes every output of the
 *     pass for every row of the block, and returns a non-zero fault mask if
 *     anything in the block may have faulted (integer overflow, division by
 *     zero, invalid cast) in any lane, taken branch or not;
 *  2. on a non-zero mask the executor re-runs the block with
 *     interp_precise(), which evaluates row by row with the language's lazy
 *     semantics (if/and/or), writes the same outputs, and reports the first
 *     real fault in row order;
 *  3. outputs of aggregate passes are reduced by interp/reduce.h in a fixed
 *     order (see there), so sums are the same bits whatever the path, ISA or
 *     thread count.
 */
#ifndef JC_INTERP_EXEC_H
#define JC_INTERP_EXEC_H

#include <stddef.h>
#include <stdint.h>

#include "jitcalc.h"
#include "parser/tree.h"

/* Rows per chunk: the unit of work of a thread and of the deterministic
 * summation order (interp/reduce.h). Never depends on the machine. */
#define JC_CHUNK_ROWS 16384u
/* Rows per block for passes whose outputs are reduced (scratch buffers). */
#define JC_BLOCK_ROWS 1024u

/* What a pass reads and writes. */
typedef struct jc_block_io {
    /* per column slot (tree->columns): element 0 is row 0 of the run;
     * f64 = double, i64 = int64_t, bool = uint8_t 0/1 */
    const void *const *cols;
    /* per scalar slot: tree->consts first (nconsts), then one per aggregate
     * (naggs); f64 as its bits, i64 as itself, bool as 0/1 */
    const uint64_t *scalars;
    /* per pass output k (pass_outs order): element 0 is row `begin`;
     * element size by the output node's type (8, 8 or 1 byte) */
    void *const *outs;
} jc_block_io;

/* A fast-path kernel: computes rows [begin, end) of one pass. Returns 0 when
 * no lane faulted, else non-zero (the block must be re-run precisely). */
typedef uint64_t (*jc_kernel_fn)(const jc_block_io *io, size_t begin,
                                 size_t end);

/* The state of a scalar slot, for the precise evaluator. An aggregate whose
 * own computation faulted is "poisoned": the fault is raised only where the
 * aggregate's value is used on a taken path. Null arises only over zero rows. */
enum { SCALAR_VALUE = 0, SCALAR_NULL = 1, SCALAR_FAULT = 2 };
typedef struct jc_scalar_state {
    uint8_t kind;  /* SCALAR_* */
    jc_code code;  /* SCALAR_FAULT: the fault's code */
    int64_t row;   /* SCALAR_FAULT: its row, or -1 */
} jc_scalar_state;

#endif /* JC_INTERP_EXEC_H */
