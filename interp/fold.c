/*
 * fold.c — constant folding of a typed tree (fold_constants, interp.h).
 *
 * Three linear passes over the post-order array, no recursion:
 *  1. up (kids first): each node either stays, becomes a constant (all its
 *     operands constant and it evaluates without a fault), or forwards to
 *     another node (if/and/or with a constant condition: the taken branch);
 *  2. down (parents first): which nodes the root still reaches;
 *  3. up: the reached nodes are copied into fresh arrays, in the same
 *     order, so the result is again a post-order tree with operands left
 *     to right; constants get slots in post-order, columns in first-use
 *     order.
 * Then tree_plan_passes recomputes aggregates and passes.
 */
#include <string.h>

#include "interp/evalop.h"
#include "interp/interp.h"
#include "parser/parser.h"
#include "util/error.h"
#include "util/mem.h"

enum { KEEP = 0, FOLDED = 1, FORWARD = 2 };

typedef struct fold_state {
    uint8_t *how;     /* KEEP / FOLDED / FORWARD */
    uint8_t *isconst; /* the node's value is a known constant */
    uint8_t *live;
    uint8_t *rowwise; /* a column outside every aggregate in the subtree */
    uint32_t *rep;    /* the node standing for this one's value */
    uint32_t *newidx;
    jc_value *val;    /* value when isconst */
} fold_state;

static void fold_state_free(fold_state *s)
{
    mem_free(s->how);
    mem_free(s->isconst);
    mem_free(s->live);
    mem_free(s->rowwise);
    mem_free(s->rep);
    mem_free(s->newidx);
    mem_free(s->val);
}

/* Pass 1 for node i (its kids already decided). Returns -1 on a malformed tree. */
static int decide(const jc_tree *t, fold_state *s, uint32_t i)
{
    const jc_node *nd = &t->nodes[i];
    jc_op op = (jc_op)nd->op;
    s->rep[i] = i;
    s->how[i] = KEEP;
    s->isconst[i] = 0;
    if (nd->nargs > 3 || op >= OP_COUNT_)
        return -1;
    uint32_t kid[3];
    for (uint32_t k = 0; k < nd->nargs; k++) {
        kid[k] = tree_kid(t, i, k);
        if (kid[k] >= i)
            return -1;
    }
    s->rowwise[i] = op == OP_COLUMN;
    if (op_kind(op) != 'a')
        for (uint32_t k = 0; k < nd->nargs; k++)
            s->rowwise[i] |= s->rowwise[kid[k]];
    if (op == OP_CONST) {
        if (nd->slot >= t->nconsts)
            return -1;
        s->isconst[i] = 1;
        s->val[i] = t->consts[nd->slot].value;
        return 0;
    }
    char kind = op_kind(op);
    if (kind == 'l' || kind == 'a' || nd->nargs == 0)
        return 0;

    uint32_t target = UINT32_MAX; /* forward to this node */
    int decided = 0, value = 0;   /* or fold to this bool */
    if ((op == OP_IF || op == OP_AND || op == OP_OR) && s->isconst[kid[0]]) {
        int c = s->val[kid[0]].i != 0;
        if (op == OP_IF)
            target = c ? kid[1] : kid[2];
        else if (op == OP_AND)
            c ? (void)(target = kid[1]) : (void)(decided = 1, value = 0);
        else
            c ? (void)(decided = 1, value = 1) : (void)(target = kid[1]);
    }
    /* Folding must not change the result's shape: a row-wise if/and/or
     * (it reads a column) only becomes a row-wise branch, never a
     * constant, so `if(true, 1, a)` stays a column of 1s. */
    if (s->rowwise[i] && (decided || (target != UINT32_MAX && !s->rowwise[s->rep[target]]))) {
        target = UINT32_MAX;
        decided = 0;
    }
    if (target != UINT32_MAX) {
        uint32_t r = s->rep[target];
        s->how[i] = FORWARD;
        s->rep[i] = r;
        s->isconst[i] = s->isconst[r];
        s->val[i] = s->val[r];
        return 0;
    }
    if (decided) {
        s->how[i] = FOLDED;
        s->isconst[i] = 1;
        s->val[i].bits = 0;
        s->val[i].i = value;
        return 0;
    }
    jc_value args[3];
    for (uint32_t k = 0; k < nd->nargs; k++) {
        if (!s->isconst[kid[k]])
            return 0;
        args[k] = s->val[kid[k]];
    }
    jc_type ktype = (jc_type)t->nodes[kid[0]].type;
    jc_value r = {0};
    if (eval_op(op, (jc_type)nd->type, ktype, args, &r) != JC_OK)
        return 0; /* a fault stays, to fault at run time */
    if (nd->type == JC_BOOL)
        r.bits = r.i != 0;
    s->how[i] = FOLDED;
    s->isconst[i] = 1;
    s->val[i] = r;
    return 0;
}

int fold_constants(jc_tree *t, jc_error *err)
{
    uint32_t n = t->nnodes;
    if (n == 0 || t->root >= n)
        return error_set(err, JC_INTERNAL, 0, -1, "fold_constants: empty tree");
    fold_state s = {0};
    jc_node *nodes = NULL;
    uint32_t *args = NULL, *colmap = NULL;
    jc_const *consts = NULL;
    jc_colref *columns = NULL;
    s.how = mem_alloc(n);
    s.isconst = mem_alloc(n);
    s.live = mem_calloc(n, 1);
    s.rowwise = mem_alloc(n);
    s.rep = mem_alloc((size_t)n * sizeof *s.rep);
    s.newidx = mem_alloc((size_t)n * sizeof *s.newidx);
    s.val = mem_alloc((size_t)n * sizeof *s.val);
    colmap = mem_alloc(((size_t)t->ncolumns + 1) * sizeof *colmap);
    if (!s.how || !s.isconst || !s.live || !s.rowwise || !s.rep || !s.newidx || !s.val ||
        !colmap)
        goto oom;

    /* 1. decide, kids first */
    for (uint32_t i = 0; i < n; i++) {
        if (decide(t, &s, i) < 0) {
            fold_state_free(&s);
            mem_free(colmap);
            return error_set(err, JC_INTERNAL, 0, -1, "fold_constants: malformed tree");
        }
    }

    /* 2. reachability, parents first */
    s.live[s.rep[t->root]] = 1;
    uint32_t nlive = 0, nlive_args = 0, nlive_consts = 0;
    for (uint32_t i = n; i-- > 0;) {
        if (!s.live[i])
            continue;
        nlive++;
        const jc_node *nd = &t->nodes[i];
        if (s.how[i] == FOLDED || nd->op == OP_CONST) {
            nlive_consts++;
            continue;
        }
        nlive_args += nd->nargs;
        for (uint32_t k = 0; k < nd->nargs; k++)
            s.live[s.rep[tree_kid(t, i, k)]] = 1;
    }

    /* 3. copy the reached nodes, in order */
    nodes = mem_alloc((size_t)nlive * sizeof *nodes);
    args = mem_alloc(((size_t)nlive_args + 1) * sizeof *args);
    consts = mem_alloc(((size_t)nlive_consts + 1) * sizeof *consts);
    columns = mem_calloc((size_t)t->ncolumns + 1, sizeof *columns);
    if (!nodes || !args || !consts || !columns)
        goto oom;
    for (uint32_t c = 0; c < t->ncolumns; c++)
        colmap[c] = UINT32_MAX;
    uint32_t nn = 0, na = 0, nc = 0, ncol = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (!s.live[i])
            continue;
        const jc_node *nd = &t->nodes[i];
        jc_node *o = &nodes[nn];
        *o = *nd;
        if (s.how[i] == FOLDED || nd->op == OP_CONST) {
            o->op = OP_CONST;
            o->nargs = 0;
            o->first_arg = na;
            o->slot = nc;
            consts[nc].value = s.val[i];
            consts[nc].type = nd->type;
            nc++;
        } else {
            o->first_arg = na;
            for (uint32_t k = 0; k < nd->nargs; k++)
                args[na++] = s.newidx[s.rep[tree_kid(t, i, k)]];
            if (nd->op == OP_COLUMN) {
                if (nd->slot >= t->ncolumns)
                    goto malformed;
                if (colmap[nd->slot] == UINT32_MAX) {
                    colmap[nd->slot] = ncol;
                    columns[ncol++] = t->columns[nd->slot];
                }
                o->slot = colmap[nd->slot];
            }
        }
        s.newidx[i] = nn++;
    }

    /* swap in; names of dropped columns go, the others moved */
    for (uint32_t c = 0; c < t->ncolumns; c++)
        if (colmap[c] == UINT32_MAX)
            mem_free(t->columns[c].name);
    mem_free(t->nodes);
    mem_free(t->args);
    mem_free(t->consts);
    mem_free(t->columns);
    t->root = s.newidx[s.rep[t->root]];
    t->nodes = nodes;
    t->nnodes = t->nodes_cap = nn;
    t->args = args;
    t->nargs = na;
    t->args_cap = nlive_args + 1;
    t->consts = consts;
    t->nconsts = nc;
    t->consts_cap = nlive_consts + 1;
    t->columns_cap = t->ncolumns + 1; /* what `columns` was allocated for */
    t->columns = columns;
    t->ncolumns = ncol;
    fold_state_free(&s);
    mem_free(colmap);
    return tree_plan_passes(t, err);

malformed:
    fold_state_free(&s);
    mem_free(colmap);
    mem_free(nodes);
    mem_free(args);
    mem_free(consts);
    mem_free(columns);
    return error_set(err, JC_INTERNAL, 0, -1, "fold_constants: malformed tree");
oom:
    fold_state_free(&s);
    mem_free(colmap);
    mem_free(nodes);
    mem_free(args);
    mem_free(consts);
    mem_free(columns);
    return error_set(err, JC_OUT_OF_MEMORY, 0, -1, "out of memory folding constants");
}
