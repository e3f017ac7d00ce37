/*
 * inplace.c — the common case of typing: a tree without sugar whose kid
 * lists are packed in node order (what the parser makes). Its typed tree
 * is the parse tree with a conversion node right after some nodes, so it
 * is made in place rather than emitted anew (measured on E7, a degree-10
 * polynomial: a quarter of the type checker's instructions, and no
 * allocation). Typing (typecheck.c) has found the conversions; one pass in
 * order writes each node, its kid list pointing at its kids' values and
 * its conversion after it into scratch, which is then copied over the
 * tree's arrays. Kid lists stay in node order, as the rewrite lays them
 * out.
 *
 * For jc_compile the same pass also folds constants (jc_fold_fn, from the
 * interpreter), which saves fold_constants a pass of its own: a node whose
 * kids are all constants by then takes their place as one CONST (they are
 * the last nodes written, one CONST each), and a conversion of a CONST
 * changes the CONST. Typing allows it only where that is all that
 * fold_constants would do (in_place.settled): no if/and/or with a
 * constant condition (fold_constants forwards those, and may drop
 * columns), constants numbered in post-order (so each is read before its
 * slot is written again) and columns in first-use order (they keep their
 * slots).
 */
#include <string.h>

#include "parser/internal.h"
#include "util/error.h"
#include "util/mem.h"

/* Scratch for up to this many nodes lives on the stack. */
#define SMALL_TREE 128

int convert_in_place(jc_tree *t, const in_place *ip, jc_fold_fn fold, jc_error *err)
{
    const uint32_t n = t->nnodes, nconv = ip->nconv, nargs = ip->nargs + nconv;
    const uint8_t *to = ip->to, *cand = ip->cand;
    if (!nconv && !(fold && ip->nfold))
        return 0; /* the parse tree is the typed tree */
    /* scratch: val[] (where each node's value is), then the typed tree's
     * nodes and kid entries */
    size_t bytes = (size_t)n * sizeof(uint32_t) + (size_t)(n + nconv) * sizeof(jc_node) +
                   (size_t)nargs * sizeof(uint32_t);
    _Alignas(jc_node) char small[SMALL_TREE * (sizeof(jc_node) + 2 * sizeof(uint32_t)) * 2];
    char *scratch = bytes <= sizeof small ? small : mem_alloc(bytes);
    if (!scratch || tree_reserve(t, n + nconv, nargs) < 0) {
        if (scratch != small)
            mem_free(scratch);
        return error_set(err, JC_OUT_OF_MEMORY, 0, -1, "out of memory");
    }
    jc_node *on = (jc_node *)scratch;
    uint32_t *oa = (uint32_t *)(on + n + nconv), *val = oa + nargs;
    const jc_node *nodes = t->nodes;
    const uint32_t *args = t->args;
    jc_const *consts = t->consts;
    uint32_t nn = 0, na = 0, nc = 0; /* nodes, kid entries, constants written */
    for (uint32_t i = 0; i < n; i++) {
        const jc_node *nd = &nodes[i];
        const uint32_t nk = nd->nargs, first = nd->first_arg;
        int folded = 0;
        if (fold && cand[i] && nk && nk <= 3) {
            jc_value vals[3], v;
            uint32_t k = 0;
            for (; k < nk && on[val[args[first + k]]].op == OP_CONST; k++)
                vals[k] = consts[on[val[args[first + k]]].slot].value;
            folded = k == nk && fold((jc_op)nd->op, (jc_type)nd->type,
                                     (jc_type)on[val[args[first]]].type, vals, &v);
            if (folded) { /* in place of its kids, the last nk CONSTs */
                nn -= nk;
                nc -= nk;
                on[nn] = *nd;
                on[nn].op = OP_CONST;
                on[nn].nargs = 0;
                on[nn].first_arg = na;
                on[nn].slot = nc;
                consts[nc++] = (jc_const){.value = v, .type = nd->type};
            }
        } /* else (or when it faults: it faults at run time) it stays */
        if (!folded) {
            on[nn] = *nd;
            on[nn].first_arg = na;
            for (uint32_t k = 0; k < nk; k++)
                oa[na + k] = val[args[first + k]];
            na += nk;
            if (fold && nd->op == OP_CONST) { /* renumbered: some before it folded */
                consts[nc] = consts[nd->slot];
                on[nn].slot = nc++;
            }
        }
        val[i] = nn++;
        if (to[i] == nd->type)
            continue;
        jc_op op = type_conversion((jc_type)nd->type, (jc_type)to[i]);
        if (op == OP_COUNT_) {
            if (scratch != small)
                mem_free(scratch);
            return error_set(err, JC_INTERNAL, nd->pos, -1, "type checker: no conversion to %s",
                             jc_type_name((jc_type)to[i]));
        }
        jc_node *c = &on[val[i]];
        jc_value v;
        if (fold && c->op == OP_CONST &&
            fold(op, (jc_type)to[i], (jc_type)nd->type, &consts[c->slot].value, &v)) {
            consts[c->slot] = (jc_const){.value = v, .type = to[i]};
            c->type = to[i];
            continue;
        }
        oa[na] = val[i];
        on[nn] = (jc_node){.op = (uint8_t)op, .type = to[i], .pos = nd->pos, .first_arg = na++,
                           .nargs = 1};
        val[i] = nn++;
    }
    memcpy(t->nodes, on, nn * sizeof *on);
    memcpy(t->args, oa, na * sizeof *oa);
    t->root = val[t->root]; /* the root has no parent: no conversion */
    t->nargs = na;
    t->nnodes = nn;
    if (fold)
        t->nconsts = nc;
    if (scratch != small)
        mem_free(scratch);
    return 0;
}
