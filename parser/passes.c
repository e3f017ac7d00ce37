/*
 * passes.c — how a typed tree runs over rows: which nodes are aggregates
 * (aggs[], post-order, slot = index), their levels, which nodes are
 * row-wise, and the passes (tree.h, "Passes"). One linear pass over the
 * post-order array computes everything bottom-up.
 *
 * Level of an aggregate = 1 + the deepest aggregate level inside its
 * argument; pass p computes, for every row, the arguments of the level-p+1
 * aggregates, so inner aggregates are reduced before outer ones read them.
 * A level whose aggregates are all count() still gets its (empty) pass, so
 * pass p always means level p+1; a runner may skip a pass with no outputs.
 */
#include <string.h>

#include "parser/parser.h"
#include "util/error.h"
#include "util/mem.h"

int tree_plan_passes(jc_tree *t, jc_error *err)
{
    mem_free(t->aggs);
    mem_free(t->passes);
    mem_free(t->pass_outs);
    t->aggs = NULL;
    t->passes = NULL;
    t->pass_outs = NULL;
    t->naggs = t->npasses = t->npass_outs = 0;

    /* inner[n]: the deepest aggregate level in n's subtree (itself
     * included) */
    uint8_t *inner = mem_calloc(t->nnodes ? t->nnodes : 1, 1);
    if (!inner)
        return error_set(err, JC_OUT_OF_MEMORY, 0, -1, "out of memory");
    uint32_t naggs = 0;
    unsigned maxlevel = 0;
    for (uint32_t i = 0; i < t->nnodes; i++) {
        jc_node *n = &t->nodes[i];
        unsigned deepest = 0;
        int rowwise = n->op == OP_COLUMN;
        for (uint32_t k = 0; k < n->nargs; k++) {
            uint32_t kid = tree_kid(t, i, k);
            if (inner[kid] > deepest)
                deepest = inner[kid];
            rowwise |= t->nodes[kid].flags & NODE_ROWWISE;
        }
        n->flags &= (uint8_t)~(NODE_ROWWISE | NODE_PAREN);
        n->agg_level = 0;
        if (op_kind((jc_op)n->op) == 'a') {
            unsigned level = deepest + 1;
            if (level > 255) { /* agg_level is a byte */
                mem_free(inner);
                return error_set(err, JC_LIMIT_EXCEEDED, n->pos, -1,
                                 "aggregates nested more than 255 deep");
            }
            n->agg_level = (uint8_t)level;
            n->slot = naggs++;
            deepest = level;
            if (level > maxlevel)
                maxlevel = level;
            rowwise = 0;
        }
        inner[i] = (uint8_t)deepest;
        if (rowwise)
            n->flags |= NODE_ROWWISE;
    }
    mem_free(inner);

    int final = t->nnodes && (t->nodes[t->root].flags & NODE_ROWWISE);
    uint32_t npasses = maxlevel + (final ? 1u : 0u);
    if (naggs) {
        t->aggs = mem_alloc(naggs * sizeof *t->aggs);
        if (!t->aggs)
            goto oom;
    }
    if (npasses) {
        t->passes = mem_calloc(npasses, sizeof *t->passes);
        t->pass_outs = mem_alloc((naggs + 1) * sizeof *t->pass_outs);
        if (!t->passes || !t->pass_outs)
            goto oom;
    }
    for (uint32_t i = 0; i < t->nnodes; i++)
        if (op_kind((jc_op)t->nodes[i].op) == 'a')
            t->aggs[t->naggs++] = i;
    /* one pass per level, outputs in aggs[] order */
    for (unsigned level = 1; level <= maxlevel; level++) {
        jc_pass *p = &t->passes[level - 1];
        p->first_out = t->npass_outs;
        for (uint32_t k = 0; k < t->naggs; k++) {
            const jc_node *a = &t->nodes[t->aggs[k]];
            if (a->agg_level == level && a->nargs == 1)
                t->pass_outs[t->npass_outs++] = tree_kid(t, t->aggs[k], 0);
        }
        p->nout = t->npass_outs - p->first_out;
    }
    if (final) {
        jc_pass *p = &t->passes[maxlevel];
        p->first_out = t->npass_outs;
        p->nout = 1;
        p->is_final = 1;
        t->pass_outs[t->npass_outs++] = t->root;
    }
    t->npasses = npasses;
    return 0;
oom:
    mem_free(t->aggs);
    mem_free(t->passes);
    mem_free(t->pass_outs);
    t->aggs = NULL;
    t->passes = NULL;
    t->pass_outs = NULL;
    t->naggs = t->npasses = t->npass_outs = 0;
    return error_set(err, JC_OUT_OF_MEMORY, 0, -1, "out of memory");
}
