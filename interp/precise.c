/* precise.c — the precise evaluator: row by row, lazy, exact first fault
 * (interp_precise, interp_precise_each; the core vm_run also serves
 * interp_scalar). */
#include "interp/vm.h"

#include <string.h>

#include "interp/block.h"
#include "interp/evalop.h"
#include "interp/interp.h"
#include "interp/numeric.h"
#include "util/error.h"
#include "util/mem.h"

static int fault_at(vm_fault *f, jc_code code, int64_t row, uint32_t node,
                    int poisoned)
{
    f->code = code;
    f->row = row;
    f->node = node;
    f->poisoned = poisoned;
    return -1;
}

static jc_value read_column(const vm *m, uint32_t slot, unsigned type, size_t row)
{
    jc_value v;
    const void *col = m->cols[slot];
    if (type == JC_BOOL)
        v.i = ((const uint8_t *)col)[row] != 0;
    else
        memcpy(&v, (const char *)col + row * 8, 8);
    return v;
}

static void store(vm *m, uint32_t k, unsigned type, size_t row, jc_value v,
                  int is_null)
{
    if (type == JC_F64)
        v.f = num_canon(v.f);
    if (m->scalar_mode) {
        m->result = v;
        m->result_null = is_null;
        return;
    }
    char *out = (char *)m->outs[k];
    size_t at = row - m->begin;
    if (type == JC_BOOL)
        ((uint8_t *)out)[at] = (uint8_t)(v.i != 0);
    else
        memcpy(out + at * 8, &v, 8);
}

int vm_run(vm *m, uint32_t k, size_t row, vm_fault *f)
{
    const pinstr *code = m->plan->pi;
    uint32_t pc = m->plan->seg[k], stop = m->plan->seg[k + 1];
    jc_value *st = m->stack;
    uint8_t *nl = m->nulls; /* NULL in row mode: nothing is ever null there */
    uint32_t sp = 0;
    int64_t frow = m->scalar_mode ? -1 : (int64_t)row;

    while (pc < stop) {
        const pinstr *in = &code[pc++];
        switch (in->code) {
        case PC_COLUMN:
            if (m->scalar_mode) /* a scalar root has no row-wise column */
                return fault_at(f, JC_INTERNAL, -1, in->node, 0);
            if (nl)
                nl[sp] = 0;
            st[sp++] = read_column(m, in->a, in->type, row);
            break;
        case PC_SCALAR: {
            const jc_scalar_state *s = m->states ? &m->states[in->a] : NULL;
            if (s && s->kind == SCALAR_FAULT)
                return fault_at(f, s->code, s->row, in->node, 1);
            int is_null = s && s->kind == SCALAR_NULL;
            if (is_null && !nl) /* null only exists over zero rows */
                return fault_at(f, JC_INTERNAL, frow, in->node, 0);
            if (nl)
                nl[sp] = (uint8_t)is_null;
            st[sp++].bits = m->scalars[in->a];
            break;
        }
        case PC_OP: {
            uint32_t nargs = m->t->nodes[in->node].nargs;
            sp -= nargs;
            int any_null = 0;
            if (nl)
                for (uint32_t i = 0; i < nargs; i++)
                    any_null |= nl[sp + i];
            if (any_null) {
                nl[sp] = 1;
                st[sp++].bits = 0;
                break;
            }
            jc_value r;
            jc_code c = eval_op((jc_op)in->op, (jc_type)in->type,
                                (jc_type)in->ktype, &st[sp], &r);
            if (c != JC_OK)
                return fault_at(f, c, frow, in->node, 0);
            if (nl)
                nl[sp] = 0;
            st[sp++] = r;
            break;
        }
        case PC_BRANCH:
            sp--;
            if (nl && nl[sp]) { /* null condition: null, no branch taken */
                sp++;
                pc = in->b;
            } else if (!st[sp].i) {
                pc = in->a;
            }
            break;
        case PC_JUMP:
            pc = in->a;
            break;
        case PC_AND:
            if ((nl && nl[sp - 1]) || !st[sp - 1].i)
                pc = in->a; /* false (or null) decides */
            else
                sp--;
            break;
        case PC_OR:
            if ((nl && nl[sp - 1]) || st[sp - 1].i)
                pc = in->a; /* true (or null) decides */
            else
                sp--;
            break;
        case PC_MERGE:
            break;
        case PC_STORE:
            sp--;
            store(m, in->a, in->type, row, st[sp], nl ? nl[sp] : 0);
            break;
        default:
            return fault_at(f, JC_INTERNAL, frow, in->node, 0);
        }
    }
    return 0;
}

void vm_fault_error(const vm *m, const vm_fault *f, jc_error *err)
{
    const jc_node *nd = &m->t->nodes[f->node];
    const char *what = op_text((jc_op)nd->op);
    if (f->poisoned) {
        if (f->row >= 0)
            error_set(err, f->code, 0, f->row,
                      "%s at row %lld in the argument of aggregate `%s`",
                      jc_code_name(f->code), (long long)f->row, what);
        else
            error_set(err, f->code, 0, -1,
                      "%s: the exact total of aggregate `%s` is out of range",
                      jc_code_name(f->code), what);
        return;
    }
    switch (f->code) {
    case JC_INTEGER_OVERFLOW:
        error_set(err, f->code, 0, f->row, "integer overflow in `%s` at row %lld",
                  what, (long long)f->row);
        break;
    case JC_DIVISION_BY_ZERO:
        error_set(err, f->code, 0, f->row,
                  "integer division by zero in `%s` at row %lld", what,
                  (long long)f->row);
        break;
    case JC_INVALID_CAST:
        error_set(err, f->code, 0, f->row,
                  "int() of NaN, Infinity or a value outside the i64 range at row %lld",
                  (long long)f->row);
        break;
    default:
        error_set(err, f->code, 0, f->row, "internal error: malformed program at node %u",
                  (unsigned)f->node);
        break;
    }
}

/* The plan of a pass, or -1 with err. */
static int plan_or_error(pass_plan *plan, const jc_tree *t, unsigned pass, jc_error *err)
{
    int rc = plan_build_pass(plan, t, pass);
    if (rc == 0)
        return 0;
    plan_free(plan);
    if (rc == -1)
        return error_set(err, JC_OUT_OF_MEMORY, 0, -1, "out of memory compiling pass %u",
                         pass);
    return error_set(err, JC_INTERNAL, 0, -1, "malformed tree in pass %u", pass);
}

/* Row-by-row evaluation of rows [begin, end) of outputs [k0, k1); each mode:
 * errs[k] per output, and outputs in done[] are skipped and set when they
 * fault; else errs[0] gets the first fault. Returns the number of outputs
 * that faulted (each mode), or -1 on a fault (else) or an internal one. */
static int run_rows(vm *m, size_t begin, size_t end, uint32_t k0, uint32_t k1,
                    jc_error *errs, uint8_t *done)
{
    int nfaulted = 0;
    for (size_t row = begin; row < end; row++) {
        for (uint32_t k = k0; k < k1; k++) {
            if (done && done[k])
                continue;
            vm_fault f;
            if (vm_run(m, k, row, &f) == 0)
                continue;
            if (!done || f.code == JC_INTERNAL) {
                vm_fault_error(m, &f, errs);
                return -1;
            }
            vm_fault_error(m, &f, &errs[k]);
            done[k] = 1;
            nfaulted++;
        }
    }
    return nfaulted;
}

int interp_precise_rows(const jc_tree *t, unsigned pass, const jc_block_io *io,
                        const jc_scalar_state *states, size_t begin, size_t end,
                        jc_error *errs, int each)
{
    pass_plan plan;
    if (plan_or_error(&plan, t, pass, errs) < 0)
        return -1;
    vm m = {.t = t, .plan = &plan, .cols = io->cols, .scalars = io->scalars,
            .states = states, .outs = io->outs, .begin = begin};
    m.stack = mem_alloc(((size_t)plan.depth + 1) * sizeof *m.stack);
    uint8_t *done = each ? mem_calloc(plan.nout + 1, 1) : NULL;
    int rc;
    if (!m.stack || (each && !done)) {
        rc = error_set(errs, JC_OUT_OF_MEMORY, 0, -1, "out of memory");
    } else {
        if (each)
            for (uint32_t k = 0; k < plan.nout; k++)
                error_clear(&errs[k]);
        rc = run_rows(&m, begin, end, 0, plan.nout, errs, done);
    }
    mem_free(m.stack);
    mem_free(done);
    plan_free(&plan);
    return rc;
}

/*
 * The precise path: each block of rows runs through the block kernels in
 * checked mode (block.h), which computes every output and says, per output,
 * the first row where a fault really happens (on a side that row takes).
 * Only at such a row does the row-by-row evaluator run, to find which fault
 * comes first in evaluation order. So a guarded expression whose guard
 * fires in every block (`if(b != 0, a // b, 0)`) costs two block runs, not
 * a walk per row.
 */
static int run_precise(const jc_tree *t, unsigned pass, const jc_block_io *io,
                       const jc_scalar_state *states, size_t begin, size_t end,
                       jc_error *errs, int each)
{
    pass_plan plan;
    if (plan_or_error(&plan, t, pass, errs) < 0)
        return -1;
    block_scratch sc = {0};
    vm m = {.t = t, .plan = &plan, .cols = io->cols, .scalars = io->scalars,
            .states = states, .outs = io->outs, .begin = begin};
    m.stack = mem_alloc(((size_t)plan.depth + 1) * sizeof *m.stack);
    uint8_t *done = mem_calloc(plan.nout + 1, 1);
    int nfaulted = 0;
    if (!m.stack || !done || block_scratch_init(&sc, plan.nbufs, plan.nmasks, plan.nout) < 0) {
        nfaulted = error_set(errs, JC_OUT_OF_MEMORY, 0, -1, "out of memory");
        goto out;
    }
    if (each)
        for (uint32_t k = 0; k < plan.nout; k++)
            error_clear(&errs[k]);
    block_exec_fn exec = block_best()->exec;
    const mathfn_set *math = mathfn_best();
    block_check chk = {states, sc.masks, sc.first};
    for (size_t row = begin; row < end; row += JC_BLOCK_ROWS) {
        size_t n = end - row < JC_BLOCK_ROWS ? end - row : JC_BLOCK_ROWS;
        for (uint32_t k = 0; k < plan.nout; k++)
            sc.first[k] = SIZE_MAX;
        if (exec(&plan, sc.bufs, io, math, row, n, row - begin, &chk) == 0)
            continue;
        if (!each) {
            size_t first = SIZE_MAX;
            for (uint32_t k = 0; k < plan.nout; k++)
                first = sc.first[k] < first ? sc.first[k] : first;
            /* the evaluator meets the fault at that row (and would go on
             * if it did not, to stay right whatever) */
            if (first != SIZE_MAX &&
                run_rows(&m, row + first, row + n, 0, plan.nout, errs, NULL) < 0) {
                nfaulted = -1;
                goto out;
            }
            continue;
        }
        for (uint32_t k = 0; k < plan.nout; k++) {
            if (done[k] || sc.first[k] == SIZE_MAX)
                continue;
            /* this output alone, from its first faulting row */
            int rc = run_rows(&m, row + sc.first[k], row + n, k, k + 1, errs, done);
            if (rc < 0) {
                nfaulted = -1;
                goto out;
            }
            nfaulted += rc;
        }
    }
out:
    block_scratch_free(&sc);
    mem_free(m.stack);
    mem_free(done);
    plan_free(&plan);
    return nfaulted;
}

int interp_precise(const jc_tree *t, unsigned pass, const jc_block_io *io,
                   const jc_scalar_state *states, size_t begin, size_t end,
                   jc_error *err)
{
    return run_precise(t, pass, io, states, begin, end, err, 0) < 0 ? -1 : 0;
}

int interp_precise_each(const jc_tree *t, unsigned pass, const jc_block_io *io,
                        const jc_scalar_state *states, size_t begin, size_t end,
                        jc_error *errs)
{
    return run_precise(t, pass, io, states, begin, end, errs, 1);
}
