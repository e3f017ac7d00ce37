/*
 * block.h — internals of the block evaluator shared by block.c and the
 * per-ISA copies of its inner loop (block_exec.h): the kernels are
 * compiled once per instruction set (baseline, AVX2, AVX-512) from one
 * template and chosen once by CPU; all give the same bits.
 */
#ifndef JC_INTERP_BLOCK_H
#define JC_INTERP_BLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "interp/exec.h"
#include "interp/interp.h"
#include "interp/mathfn.h"
#include "interp/plan.h"

/* Runs plan's block instructions over rows [row, row + n) (n <=
 * JC_BLOCK_ROWS), writing outputs at element out_row. bufs: plan->nbufs
 * scratch buffers of JC_BLOCK_ROWS * 8 bytes. Returns fault bits (bit c:
 * a lane may have faulted with code c); on a fault it stops early and the
 * outputs of the block are unspecified. */
typedef uint64_t (*block_exec_fn)(const pass_plan *plan, void *const *bufs,
                                  const jc_block_io *io, const mathfn_set *math,
                                  size_t row, size_t n, size_t out_row);

typedef struct block_isa {
    const char *name; /* "base", "avx2", "avx512" */
    block_exec_fn exec;
} block_isa;

/* Every kernel set this CPU runs, narrowest first; returns the count. */
size_t block_isas(const block_isa **out, size_t max);

/* Makes ws use kernel set `isa` and math set `math` (tests compare them);
 * the defaults are the widest of each. */
void interp_ws_force(interp_ws *ws, const block_isa *isa, const mathfn_set *math);

#endif /* JC_INTERP_BLOCK_H */
