/* scalar.c — the scalar-shaped root, evaluated once after the aggregate
 * passes, with nulls (interp_scalar). */
#include "interp/interp.h"

#include "interp/numeric.h"
#include "interp/vm.h"
#include "util/error.h"
#include "util/mem.h"

int interp_scalar(const jc_tree *t, const uint64_t *scalars,
                  const jc_scalar_state *states, jc_value *out, int *is_null,
                  jc_error *err)
{
    if (t->nnodes == 0 || (t->npasses && t->passes[t->npasses - 1].is_final))
        return error_set(err, JC_INTERNAL, 0, -1,
                         "interp_scalar called on a row-wise expression");
    /* The commonest scalar root is one slot read as it is: an aggregate
     * alone (sum(x)) or a folded constant. No plan for it; a poisoned slot
     * still goes the long way, which words its error. */
    const jc_node *r = &t->nodes[t->root];
    int64_t slot = r->op == OP_CONST ? (int64_t)r->slot : -1;
    for (uint32_t k = 0; k < t->naggs && slot < 0; k++)
        if (t->aggs[k] == t->root)
            slot = (int64_t)t->nconsts + k;
    if (slot >= 0 && (!states || states[slot].kind != SCALAR_FAULT)) {
        *is_null = states && states[slot].kind == SCALAR_NULL;
        out->bits = *is_null ? 0 : scalars[slot];
        if (r->type == JC_F64 && !*is_null)
            out->f = num_canon(out->f);
        return 0;
    }
    pass_plan plan;
    uint32_t root = t->root;
    int rc = plan_build(&plan, t, &root, 1);
    if (rc < 0) {
        plan_free(&plan);
        return error_set(err, rc == -1 ? JC_OUT_OF_MEMORY : JC_INTERNAL, 0, -1,
                         rc == -1 ? "out of memory" : "malformed tree");
    }
    vm m = {.t = t, .plan = &plan, .scalars = scalars, .states = states,
            .scalar_mode = 1};
    m.stack = mem_alloc(((size_t)plan.depth + 1) * sizeof *m.stack);
    m.nulls = mem_alloc((size_t)plan.depth + 1);
    rc = 0;
    if (!m.stack || !m.nulls) {
        rc = error_set(err, JC_OUT_OF_MEMORY, 0, -1, "out of memory");
    } else {
        vm_fault f;
        if (vm_run(&m, 0, 0, &f) < 0) {
            vm_fault_error(&m, &f, err);
            rc = -1;
        } else {
            *out = m.result;
            *is_null = m.result_null;
            if (m.result_null)
                out->bits = 0;
        }
    }
    mem_free(m.stack);
    mem_free(m.nulls);
    plan_free(&plan);
    return rc;
}
