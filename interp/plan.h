/*
 * plan.h — one pass of a typed tree (or its scalar-shaped root) compiled
 * into the two instruction lists the interpreter runs:
 *
 *  - `pi`, for the precise evaluator (precise.c): post-order instructions
 *    over a value stack, one row (or the one scalar) at a time, with jumps
 *    so that if/and/or evaluate lazily;
 *  - `bi`, for the block evaluator (block_exec.h): one instruction per node
 *    that computes a whole block of rows into a scratch buffer, both sides
 *    of every if/and/or included, reading columns in place and scalars as
 *    scalars; the last instruction of an output writes the output itself.
 *    Mask instructions around each lazy side let the "checked" mode tell
 *    which rows take it, so that a lane fault on a side a row does not take
 *    is no fault (block_exec.h).
 *
 * Both lists stop at aggregate nodes: inside a pass an aggregate is a
 * scalar read (its value is in the scalar table), never descended into.
 * Building is iterative (an explicit frame stack on the heap), so a
 * 30,000-deep chain costs heap, not C stack. Scratch buffers are assigned
 * by the post-order stack discipline and reused at once: a left chain of
 * any length needs three.
 */
#ifndef JC_INTERP_PLAN_H
#define JC_INTERP_PLAN_H

#include <stdint.h>

#include "parser/tree.h"

/* Precise instructions. */
enum pcode {
    PC_COLUMN, /* push column a's value at the row */
    PC_SCALAR, /* push scalar slot a (a constant or an aggregate's value) */
    PC_OP,     /* pop the node's operands, push op(operands) */
    PC_BRANCH, /* if: pop the condition; false -> jump to a (else branch);
                  null (scalar mode) -> push null, jump to b (the merge) */
    PC_JUMP,   /* if: end of the then branch -> jump to a (the merge) */
    PC_AND,    /* and: left on top; false or null -> keep it, jump to a;
                  else pop it and go on with the right side */
    PC_OR,     /* or: left on top; true or null -> keep it, jump to a */
    PC_MERGE,  /* if/and/or node: the taken side's value is already on top */
    PC_STORE   /* pop into output a */
};

typedef struct pinstr {
    uint8_t code;  /* PC_* */
    uint8_t op;    /* PC_OP: jc_op */
    uint8_t type;  /* jc_type of the pushed value */
    uint8_t ktype; /* PC_OP: jc_type of operand 0 */
    uint32_t node; /* the tree node (for messages) */
    uint32_t a, b; /* see enum pcode */
} pinstr;

/* Block instructions. */
enum bkind {
    BK_FILL, /* dst[0..n) = the scalar src[0] (materialised for a kernel
                that has no scalar form) */
    BK_OP,   /* dst = op(src...) elementwise */
    BK_STORE,/* output = src[0] (a column read in place, or a scalar) */
    BK_PUSH, /* checked mode: rows active inside a lazy branch: the current
                mask and (src[0] != 0) == aux */
    BK_POP   /* checked mode: back to the enclosing mask */
};

/* Fused block ops (binstr.op beyond jc_op), so that the commonest shapes
 * take one pass over the block instead of two. Each computes exactly what
 * its two ops compute (two roundings, no FMA):
 *   BOP_MULADD  x*y + z     (add(mul(x, y), z) or add(z, mul(x, y)))
 *   BOP_MULSUB  x*y - z
 *   BOP_SUBMUL  z - x*y
 *   BOP_SELCMP  (x cmp y) ? a : b   (if(cmp(x, y), a, b); cmp in `aux`,
 *               x and y columns or scalars, a and b 8-byte values) */
enum {
    BOP_MULADD = OP_COUNT_ + 1,
    BOP_MULSUB,
    BOP_SUBMUL,
    BOP_SELCMP
};

/* An operand or result reference: kind in the top two bits, index below.
 * Scratch buffers and outputs are written; columns are read in place;
 * scalars (constants, aggregate values) are read as one value, which the
 * f64 binary kernels take as is (no fill). */
#define REF_BUFFER 0x00000000u
#define REF_COLUMN 0x40000000u
#define REF_SCALAR 0x80000000u
#define REF_OUTPUT 0xC0000000u
#define REF_KIND(r) ((r) & 0xC0000000u)
#define REF_INDEX(r) ((r) & 0x3FFFFFFFu)

typedef struct binstr {
    uint8_t kind;     /* BK_* */
    uint8_t op;       /* BK_OP: jc_op */
    uint8_t type;     /* jc_type of the result (BK_STORE: of the output) */
    uint8_t ktype;    /* jc_type of operand 0 */
    uint8_t nsrc;
    uint8_t canon;    /* dst is an f64 output: canonicalise NaNs */
    uint8_t aux;      /* BOP_SELCMP: the comparison's jc_op; BK_PUSH: 1 for
                         the then side, 0 for the else side */
    uint8_t fused;    /* computed by a later fused instruction: skipped,
                         except in checked mode (its value is a mask) */
    uint32_t out;     /* the output whose code this is */
    uint8_t stype[4]; /* jc_type of each operand */
    uint32_t node;
    uint32_t dst;     /* ref: a buffer or an output */
    uint32_t src[4];  /* refs */
} binstr;

typedef struct pass_plan {
    pinstr *pi;
    uint32_t npi;
    uint32_t *seg;  /* output k's instructions: pi[seg[k] .. seg[k+1]) */
    uint32_t nout;
    uint32_t depth; /* deepest precise value stack */
    binstr *bi;
    uint32_t nbi;
    /* what the unchecked mode runs: bi without its mask instructions and
     * the values fused away, so that the common run skips nothing */
    binstr *ubi;
    uint32_t nubi;
    uint32_t nbufs; /* scratch buffers the block list needs */
    uint32_t nmasks; /* deepest if/and/or nesting + 1 (checked mode) */
} pass_plan;

/* Compiles the subtrees of outs[0..nout) (each ending in a store to output
 * k). Returns 0, -1 when out of memory, -2 when the tree is malformed (a
 * kid after its parent, an unknown op). *plan is always safe to free. */
int plan_build(pass_plan *plan, const jc_tree *t, const uint32_t *outs,
               uint32_t nout);
void plan_free(pass_plan *plan);

/* The plan of pass `pass` of t (its pass_outs). */
int plan_build_pass(pass_plan *plan, const jc_tree *t, unsigned pass);

/* Bytes per value of a jc_type in columns, outputs and scratch buffers. */
static inline size_t type_size(unsigned type) { return type == JC_BOOL ? 1 : 8; }

#endif /* JC_INTERP_PLAN_H */
