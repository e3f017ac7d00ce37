/*
 * passes.c — how a typed tree runs over rows: which nodes are aggregates
 * (aggs[], post-order, slot = index), their levels, which nodes are
 * row-wise, and the passes (tree.h, "Passes"). A few linear loops over the
 * post-order array, and no allocation but the plan's own arrays, which are
 * kept when they are large enough (typecheck_tree plans, and fold_constants
 * plans again, mostly with the same sizes; jc_compile plans once).
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

static void clear_plan(jc_tree *t)
{
    mem_free(t->aggs);
    mem_free(t->passes);
    mem_free(t->pass_outs);
    t->aggs = NULL;
    t->passes = NULL;
    t->pass_outs = NULL;
    t->naggs = t->npasses = t->npass_outs = 0;
}

/* Makes *arr hold `want` elements of `size` bytes, keeping the array it
 * has when that holds at least `have` >= want (the plan is made again
 * after folding, mostly with the same sizes); NULL when want is 0. */
static int resize(void **arr, uint32_t have, uint32_t want, size_t size)
{
    if (want && *arr && have >= want)
        return 0;
    mem_free(*arr);
    *arr = want ? mem_alloc((size_t)want * size) : NULL;
    return want && !*arr ? -1 : 0;
}

/* op -> 1 for an aggregate, from the op table */
static const uint8_t is_aggregate[OP_COUNT_] = {
#define JC_OP_AGG(name, text, kind) [OP_##name] = kind == 'a',
    JC_OPS(JC_OP_AGG)
#undef JC_OP_AGG
};

int tree_plan_passes(jc_tree *t, jc_error *err)
{
    /* 1. Bottom-up: row-wise flags and aggregate levels. While this loop
     * runs, agg_level of every node holds the deepest aggregate level in
     * its subtree (for an aggregate, its own level), so no side array is
     * needed; step 2 puts 0 back on the nodes that are not aggregates. */
    uint32_t naggs = 0, nouts = 0;
    unsigned maxlevel = 0;
    /* locals: a byte stored through a node may alias anything, t too */
    jc_node *nodes = t->nodes;
    const uint32_t *args = t->args;
    for (uint32_t i = 0, nn = t->nnodes; i < nn; i++) {
        jc_node *n = &nodes[i];
        const uint32_t *kids = args + n->first_arg;
        unsigned deepest = 0, rowwise = n->op == OP_COLUMN ? NODE_ROWWISE : 0;
        for (uint32_t k = 0, nk = n->nargs; k < nk; k++) {
            const jc_node *kid = &nodes[kids[k]];
            deepest = kid->agg_level > deepest ? kid->agg_level : deepest;
            rowwise |= kid->flags;
        }
        rowwise &= NODE_ROWWISE;
        if (n->op < OP_COUNT_ && is_aggregate[n->op]) {
            if (deepest + 1 > 255) { /* agg_level is a byte */
                for (uint32_t j = 0; j <= i; j++)
                    nodes[j].agg_level = 0;
                clear_plan(t);
                return error_set(err, JC_LIMIT_EXCEEDED, n->pos, -1,
                                 "aggregates nested more than 255 deep");
            }
            deepest++;
            n->slot = naggs++;
            nouts += n->nargs == 1; /* count() has no argument to list */
            if (deepest > maxlevel)
                maxlevel = deepest;
            rowwise = 0;
        }
        n->agg_level = (uint8_t)deepest;
        n->flags = (uint8_t)((n->flags & ~(NODE_ROWWISE | NODE_PAREN)) | rowwise);
    }

    int final = t->nnodes && (t->nodes[t->root].flags & NODE_ROWWISE);
    uint32_t npasses = maxlevel + (final ? 1u : 0u);
    nouts += final ? 1u : 0u;
    if (resize((void **)&t->aggs, t->naggs, naggs, sizeof *t->aggs) < 0 ||
        resize((void **)&t->passes, t->npasses, npasses, sizeof *t->passes) < 0 ||
        resize((void **)&t->pass_outs, t->npass_outs, nouts, sizeof *t->pass_outs) < 0)
        goto oom;
    t->naggs = t->npasses = t->npass_outs = 0;
    if (npasses)
        memset(t->passes, 0, npasses * sizeof *t->passes);

    /* 2. Aggregates in post-order, and each level's number of outputs. */
    if (naggs) {
        for (uint32_t i = 0; i < t->nnodes; i++) {
            jc_node *n = &t->nodes[i];
            if (n->op >= OP_COUNT_ || !is_aggregate[n->op]) {
                n->agg_level = 0;
                continue;
            }
            t->aggs[t->naggs++] = i;
            if (n->nargs == 1)
                t->passes[n->agg_level - 1].nout++;
        }
    }

    /* 3. One pass per level, outputs in aggs[] order: each level's outputs
     * start where the previous level's end. */
    uint32_t at = 0;
    for (unsigned level = 1; level <= maxlevel; level++) {
        t->passes[level - 1].first_out = at;
        at += t->passes[level - 1].nout;
        t->passes[level - 1].nout = 0; /* counted again while placing */
    }
    for (uint32_t k = 0; k < t->naggs; k++) {
        const jc_node *a = &t->nodes[t->aggs[k]];
        if (a->nargs == 1) {
            jc_pass *p = &t->passes[a->agg_level - 1];
            t->pass_outs[p->first_out + p->nout++] = tree_agg_input(t, t->aggs[k]);
        }
    }
    t->npass_outs = at;
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
    clear_plan(t);
    for (uint32_t i = 0; i < t->nnodes; i++)
        if (t->nodes[i].op >= OP_COUNT_ || !is_aggregate[t->nodes[i].op])
            t->nodes[i].agg_level = 0;
    return error_set(err, JC_OUT_OF_MEMORY, 0, -1, "out of memory");
}
