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

/* Checked mode (interp_precise, and interp_block after a lane fault): the
 * block is run with masks of the rows that take each lazy side, a lane
 * fault counts only where its row takes the side it is on (and poisoned
 * scalars fault where read), and it runs to the end: first[k] is output k's
 * first faulting lane in the block (SIZE_MAX: none). */
typedef struct block_check {
    const jc_scalar_state *states; /* NULL: every scalar is a value */
    uint8_t *masks;                /* plan->nmasks * JC_BLOCK_ROWS bytes */
    size_t *first;                 /* plan->nout */
} block_check;

/* Runs plan's block instructions over rows [row, row + n) (n <=
 * JC_BLOCK_ROWS), writing outputs at element out_row. bufs: plan->nbufs
 * scratch buffers of JC_BLOCK_ROWS * 8 bytes. Returns fault bits (bit c:
 * a row may have faulted with code c). Unchecked (chk NULL), any lane's
 * fault counts and stops the run early (outputs then unspecified). Checked,
 * only real faults count (chk->first says where), every output is
 * computed, and rows before an output's first fault are right. */
typedef uint64_t (*block_exec_fn)(const pass_plan *plan, void *const *bufs,
                                  const jc_block_io *io, const mathfn_set *math,
                                  size_t row, size_t n, size_t out_row,
                                  block_check *chk);

/* Scratch for running plans: buffers (spaced to avoid 4K aliasing), masks
 * and per-output fault lanes, sized for the largest plan it serves. */
typedef struct block_scratch {
    void *mem;
    void **bufs;
    uint8_t *masks;
    size_t *first;
} block_scratch;

int block_scratch_init(block_scratch *s, uint32_t nbufs, uint32_t nmasks, uint32_t nout);
void block_scratch_free(block_scratch *s);

typedef struct block_isa {
    const char *name; /* "base", "avx2", "avx512" */
    block_exec_fn exec;
} block_isa;

/* Every kernel set this CPU runs, narrowest first; returns the count. */
size_t block_isas(const block_isa **out, size_t max);
/* The widest of them (chosen once). */
const block_isa *block_best(void);

/* Makes ws use kernel set `isa` and math set `math` (tests compare them);
 * the defaults are the widest of each. */
void interp_ws_force(interp_ws *ws, const block_isa *isa, const mathfn_set *math);

#endif /* JC_INTERP_BLOCK_H */
