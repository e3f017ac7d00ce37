/*
 * internal.h — what the files of jit/ share: the stencil chain a pass is
 * lowered to, the per-pass plan the runner needs (context layout, pointer
 * registers, columns read), and the compiled code object.
 *
 * Data flow: lower.c (typed tree → chain + plan) → emit.c (chain → patched
 * code in the pool) → run.c (context, loop over whole vectors, padded tail).
 */
#ifndef JC_JIT_INTERNAL_H
#define JC_JIT_INTERNAL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "jit/codemem.h"
#include "jit/jit.h"
#include "linker/stencil.h"
#include "ops/ctx.h"

/* A counted pass's accumulators in its context: the loop's at acc_off,
 * then an edge entry's head vector's and tail vector's. */
#define JIT_ACC_HEAD JC_VEC_BYTES_MAX
#define JIT_ACC_TAIL (2 * JC_VEC_BYTES_MAX)

/* One stencil of a chain and the value of its JC_HOLE_A (context offset). */
typedef struct jit_item {
    uint16_t id;
    uint32_t hole;
} jit_item;

/* What a pointer register or context slot holds for the whole run. */
enum { PREG_NONE = 0, PREG_COLUMN, PREG_OUTPUT, PREG_SCALAR };

/* A context slot a pass reads, filled by the runner. */
typedef struct jit_slot {
    uint32_t off;   /* byte offset in the context */
    uint8_t kind;   /* PREG_COLUMN or PREG_OUTPUT */
    uint8_t esize;  /* element bytes of a column or output (8 or 1) */
    uint32_t index; /* column slot, output, or scalar slot */
} jit_slot;

typedef struct jit_pass {
    /* code */
    uint32_t code_off;  /* entry, from the code block's start */
    uint32_t code_len;
    /* context layout (byte offsets from the context) */
    uint32_t col_off;    /* column pointers, one per tree column slot */
    uint32_t out_off;    /* output pointers (adjusted to row 0) */
    uint32_t scalar_off; /* scalar slots: constants, then aggregates */
    uint32_t ctx_size;   /* spill slots end the context */
    uint8_t preg_kind[JC_PTR_REGS];  /* the first npregs are used */
    uint8_t preg_esize[JC_PTR_REGS]; /* element bytes (8 or 1) */
    uint32_t preg_index[JC_PTR_REGS];
    uint32_t npregs;
    /* outputs: element sizes (8, or 1 for bool; 0 for the counted one) */
    uint32_t nout;
    uint8_t *out_size;
    /* The output whose true rows the kernel counts itself (a bool that an
     * aggregate only counts, tree_output_counted), or -1. Its count is a
     * vector at the bottom of the value stack through the loop, stored to
     * the context at acc_off after it: one 8-byte count per lane. */
    int32_t counted;
    uint32_t acc_off;
    /* columns this pass reads (for the padded tail copy) */
    uint32_t ncols_used;
    uint32_t *cols_used;
    /* context slots of columns and outputs this pass reads (not the
     * pointer registers) */
    uint32_t nslots;
    jit_slot *slots;
    /* scalar slots it reads lie in [scalar_lo, scalar_hi): the runner
     * copies that range in one go */
    uint32_t scalar_lo, scalar_hi;
    /* The code has edge vectors (ops/stencils.c, EDGET): a second entry
     * at edge_off runs the loop's body at a head vector (i as called) and
     * at a tail vector (jc_ctx.edge_i[0]), then the loop from its start
     * (edge_i[1]), so that one call covers any number of rows from a
     * vector up, its loop vector-aligned. */
    uint8_t edges;
    uint32_t edge_off;
    /* The runner aligns an edge entry's loop for the 8-byte streams in
     * pointer registers align_reg[0] and [1], when there are two
     * (edge_pair), and whether another column of 8-byte values follows
     * them (jit/run.c, common_shift). */
    uint8_t edge_pair;
    uint8_t align_reg[2];
    uint8_t align_more_columns;
} jit_pass;

/* The pool: code memory plus, per stencil set, the read-only data and GOT
 * slots every code of that set addresses PC-relative (written once). */
#define JIT_NSETS 5 /* indexed by jit_isa: NONE..NEON */
struct jit_pool {
    codemem *mem;
    pthread_mutex_t lock;
    const jc_stencil_set *set_of[JIT_NSETS];
    uintptr_t rodata_x[JIT_NSETS];
    uintptr_t got_x[JIT_NSETS];
    uintptr_t common_x[JIT_NSETS];
    size_t common_held[JIT_NSETS];
};

struct jit_code {
    jit_pool *pool;
    jit_isa isa;
    unsigned lanes;
    uint8_t *w;   /* writable view of the block */
    uintptr_t x;  /* executable address of the block */
    size_t held;  /* bytes of the block */
    unsigned npasses;
    jit_pass *passes;
    uint32_t ncolumns;
    uint8_t *col_type; /* per column slot: jc_type */
    uint32_t nscalars;
    /* the chain for explain: stencil ids in code order, CHAIN_BAR between
     * passes; their names are made on first use (jit_code_stencils) */
    uint16_t *chain;
    size_t nchain;
    _Atomic(const char **) names;
};

#define CHAIN_BAR UINT16_MAX /* in jit_code.chain: "|" */

/* isa.c */
const jc_stencil_set *jit_isa_set(jit_isa isa);

/* The stencil that computes a node (its first depth variant) and its
 * shape letter (lower_node_stencil), found once per compile: a chain asks
 * for it several times per node. id < 0: none. */
typedef struct jit_node_st {
    int16_t id;
    char shape;
} jit_node_st;

/* lower.c: the stencil chain of pass p for stencil set `set`, st[] the
 * stencil of every node of t. items must
 * have room for lower_max_items(t) entries; *nitems receives the count and
 * *loop the index of the loop head. Fills the plan fields of *pass (not
 * code_*); pass->cols_used must have room for t->ncolumns entries and
 * pass->slots for lower_max_slots(t, p). order: 2 * t->nnodes entries of
 * scratch; marks: t->ncolumns + t->nconsts + t->naggs entries, zero before
 * the first pass and kept between passes; keys: as many, zero (and left
 * zero). */
size_t lower_max_items(const jc_tree *t);
size_t lower_max_slots(const jc_tree *t, unsigned p);
int lower_pass(const jc_tree *t, const jit_node_st *st, const jc_stencil_set *set,
               unsigned p, jit_item *items, size_t *nitems, size_t *loop, jit_pass *pass,
               uint32_t *order, uint32_t *marks, uint32_t *keys, jc_error *err);
/* The stencil that computes node n (the first depth variant), and its shape
 * letter ('P', 'U', 'B', 'T'); -1 when none exists. */
int lower_node_stencil(const jc_tree *t, uint32_t n, char *shape);

/* pool.c: the set's common area (read-only data, GOT slots). */
int pool_common(jit_pool *pool, jit_isa isa, uintptr_t *rodata_x, uintptr_t *got_x,
                jc_error *err);

/* perfmap.c */
void perfmap_note(uintptr_t start, size_t len, const char *isa, unsigned pass);

#endif /* JC_JIT_INTERNAL_H */
