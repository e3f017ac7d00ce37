/*
 * vm.h — the precise evaluator's core (precise.c): runs one output's
 * precise instructions (plan.h) for one row, or once for the scalar root,
 * over a value stack, lazily. Shared by interp_precise[_each] and
 * interp_scalar.
 */
#ifndef JC_INTERP_VM_H
#define JC_INTERP_VM_H

#include <stddef.h>
#include <stdint.h>

#include "interp/exec.h"
#include "interp/plan.h"

typedef struct vm {
    const jc_tree *t;
    const pass_plan *plan;
    const void *const *cols;         /* NULL in scalar mode */
    const uint64_t *scalars;
    const jc_scalar_state *states;   /* NULL: all values */
    void *const *outs;               /* row mode: outputs, element 0 = begin */
    size_t begin;
    int scalar_mode;                 /* nulls flow; no columns */
    jc_value *stack;                 /* plan->depth entries */
    uint8_t *nulls;                  /* scalar mode: plan->depth flags */
    /* scalar mode: where PC_STORE puts the result */
    jc_value result;
    int result_null;
} vm;

/* A fault: its code, row (-1: none) and what raised it. */
typedef struct vm_fault {
    jc_code code;
    int64_t row;
    uint32_t node;   /* the node that faulted or read the poisoned slot */
    int poisoned;    /* 1: a SCALAR_FAULT slot was read */
} vm_fault;

/* Runs output k's instructions for `row` (ignored in scalar mode).
 * Returns 0, or -1 with *f. */
int vm_run(vm *m, uint32_t k, size_t row, vm_fault *f);

/* The precise path done row by row only (no block run first): the
 * reference the tests hold interp_precise[_each] to. each: as
 * interp_precise_each, else as interp_precise. */
int interp_precise_rows(const jc_tree *t, unsigned pass, const jc_block_io *io,
                        const jc_scalar_state *states, size_t begin, size_t end,
                        jc_error *errs, int each);

/* Fills err from a fault with a message a person understands. */
void vm_fault_error(const vm *m, const vm_fault *f, jc_error *err);

#endif /* JC_INTERP_VM_H */
