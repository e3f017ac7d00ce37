/*
 * ctx.h — the run context every stencil reads: the one piece of memory that
 * the host (jit/run.c) fills before calling compiled code and that stencils
 * address through their first argument.
 *
 * It is shared by the stencils (compiled for each instruction set) and the
 * host, so its layout must not depend on the vector width: every vector area
 * is sized for the widest set (8 lanes, 64 bytes).
 *
 * Layout: the fixed header below, then a variable area whose parts the
 * compiler (jit/lower.c) places per pass and passes to stencils as byte
 * offsets from the context (holes): spilled value-stack vectors, column
 * pointers, output pointers, scalar slots (constants, then aggregates).
 */
#ifndef JC_OPS_CTX_H
#define JC_OPS_CTX_H

#include <stddef.h>
#include <stdint.h>

#define JC_MAX_LANES 8
#define JC_VEC_BYTES_MAX 64
/* Value-stack vectors passed in registers (the eighth vector argument
 * register carries the fault lanes). */
#define JC_STACK_REGS 7
/* Pointer arguments that hold a column or output base for the whole run. */
#define JC_PTR_REGS 4

typedef struct jc_ctx {
    uint64_t pad0_[2];
    uint64_t fault;          /* lane bits of faults found by lane helpers */
    /* The edge vectors of a pass that has them (jit/lower.c): the row
     * registers of the tail vector and of the loop's start, relative to
     * the loop's end as i is (the head's is the i of the call). */
    int64_t edge_i[2];
    uint64_t pad1_[3];
    /* Lane helpers (jit/lanes.c) read operands from tmp[0..2] and write the
     * result to tmp[3]. */
    _Alignas(64) uint64_t tmp[4][JC_MAX_LANES];
    /* Live stack vectors around a call (SysV keeps no vector register). */
    _Alignas(64) unsigned char save[JC_STACK_REGS + 1][JC_VEC_BYTES_MAX];
} jc_ctx;

/* The compiled code of a pass, as the host calls it. i: the row register,
 * which counts up to zero: it starts at minus the loop's rows (whole
 * vectors), and every column, output and pointer register is passed biased
 * to the loop's end, so `p + i * size` is still row i's element and the
 * loop tail needs no bound in memory (`add; jne`). p0..p3: the pointer
 * registers. Returns the fault lanes. */
typedef uint64_t (*jc_entry_fn)(jc_ctx *c, size_t i, char *p0, char *p1, char *p2,
                                char *p3);

/* Where the variable area starts. */
#define JC_CTX_HEADER ((sizeof(jc_ctx) + 63u) & ~(size_t)63u)

/* A lane helper: computes tmp[3] from tmp[0..2] lane by lane for `lanes`
 * lanes and ORs the lane bits of faulting lanes into fault. */
typedef void (*jc_lane_fn)(jc_ctx *c, unsigned lanes);

#endif /* JC_OPS_CTX_H */
