/*
 * fold.c — constant folding of a typed tree (fold_constants, interp.h).
 *
 * Three linear passes over the post-order array, no recursion:
 *  1. up (kids first): each node stays, becomes a constant (all its
 *     operands constant and it evaluates without a fault), or forwards to
 *     another node (if/and/or with a constant condition: the taken branch).
 *     On the way it checks whether the tree is already what steps 2 and 3
 *     would make of it: nothing folds, every node is used, constants and
 *     columns are numbered as step 3 numbers them, kid lists are packed in
 *     node order. Then it leaves the tree untouched (`a + b`, a sum of
 *     columns and decimal literals);
 *  2. down (parents first): which nodes the root still reaches;
 *  3. up: the reached nodes, their kid lists and their constants are packed
 *     in place, in the same order, so the result is again a post-order tree
 *     with operands left to right; constants get slots in post-order,
 *     columns in first-use order.
 * Then tree_plan_passes (re)computes aggregates and passes, changed or not.
 * (jc_compile folds while typing instead, with fold_node, this file's rule
 * for one node, and comes here only when that is not all there is to do.)
 *
 * Packing in place never overwrites what is still to be read: node i moves
 * to an index <= i; constants are written from the table (step 1 read
 * their values); a kid list moves to a position <= its own when kid lists
 * are in node order, as the type checker lays them out (else they go to a
 * new array). Every allocation (the table beyond SMALL_TREE nodes, that kid
 * array, a larger constant array when a shared constant becomes several)
 * comes before the first write, so out of memory leaves the tree as it
 * was. On a planned tree (typecheck_tree plans), tree_plan_passes then
 * allocates nothing either: folding never adds an aggregate, a pass or a
 * pass output, and it keeps arrays that are large enough.
 */
#include "interp/evalop.h"
#include "interp/interp.h"
#include "parser/parser.h"
#include "util/error.h"
#include "util/mem.h"

enum { KEEP = 0, CONSTANT = 1, FORWARD = 2 };

/* What the passes know about node i; row i also holds column slot i's new
 * slot (the table has max(nodes, columns) rows). */
typedef struct fold_row {
    jc_value val;    /* the value, when how == CONSTANT */
    uint32_t rep;    /* the node carrying this one's value: itself, or
                        the taken branch when FORWARD (never a FORWARD) */
    uint32_t newidx; /* step 3: its index in the packed tree */
    uint32_t newcol; /* column slot i's new slot, UINT32_MAX if dropped */
    uint8_t how;     /* KEEP, CONSTANT (a CONST or folded), FORWARD */
    uint8_t rowwise; /* a column outside every aggregate in the subtree */
    uint8_t parented; /* some node has it as a kid */
    uint8_t live;     /* step 2: the root reaches it */
} fold_row;

/* What step 1 learns about the tree as a whole. */
typedef struct fold_scan {
    uint32_t nconsts;  /* CONST nodes so far */
    uint32_t ncolumns; /* distinct columns so far */
    uint32_t nargs;    /* kid entries so far */
    uint32_t args_end; /* end of the last kid list */
    uint32_t nparented;
    int changed;   /* some node folds or forwards */
    int renumber;  /* constant slots, columns or kid lists not as step 3
                      leaves them */
    int unordered; /* a kid list starts before the previous one ends */
} fold_scan;

/* Scratch for up to this many nodes lives on the stack (3 KiB); E7, a
 * degree-10 polynomial, has 47. */
#define SMALL_TREE 128

/* op -> kind letter (tree.h), here rather than op_kind()'s call per node */
static const char kind_of[OP_COUNT_] = {
#define JC_OP_KIND(name, text, kind) [OP_##name] = kind,
    JC_OPS(JC_OP_KIND)
#undef JC_OP_KIND
};

int fold_node(jc_op op, jc_type type, jc_type ktype, const jc_value *args, jc_value *out)
{
    jc_value v = {0};
    if (eval_op(op, type, ktype, args, &v) != JC_OK)
        return 0;
    if (type == JC_BOOL)
        v.bits = v.i != 0;
    *out = v;
    return 1;
}

static int is_constant(const fold_row *fr, uint32_t n)
{
    return fr[fr[n].rep].how == CONSTANT;
}

/* Step 1 for node i, its kids already decided. Returns -1 on a malformed
 * tree. */
static int decide(const jc_tree *t, fold_row *fr, fold_scan *sc, uint32_t i)
{
    const jc_node *nd = &t->nodes[i];
    jc_op op = (jc_op)nd->op;
    fold_row *r = &fr[i];
    r->rep = i;
    r->how = KEEP;
    r->parented = 0;
    r->live = 0;
    if (op >= OP_COUNT_ || nd->nargs > 3 ||
        (nd->nargs && (nd->first_arg > t->nargs || nd->nargs > t->nargs - nd->first_arg)))
        return -1;
    uint32_t kid[3];
    for (uint32_t k = 0; k < nd->nargs; k++) {
        kid[k] = tree_kid(t, i, k);
        if (kid[k] >= i)
            return -1;
        if (!fr[kid[k]].parented) {
            fr[kid[k]].parented = 1;
            sc->nparented++;
        }
    }
    if (nd->first_arg != sc->nargs)
        sc->renumber = 1;
    sc->nargs += nd->nargs;
    if (nd->nargs) {
        if (nd->first_arg < sc->args_end)
            sc->unordered = 1;
        sc->args_end = nd->first_arg + nd->nargs;
    }

    char kind = kind_of[op];
    r->rowwise = op == OP_COLUMN;
    if (kind != 'a')
        for (uint32_t k = 0; k < nd->nargs; k++)
            r->rowwise |= fr[kid[k]].rowwise;
    if (op == OP_CONST) {
        if (nd->slot >= t->nconsts)
            return -1;
        if (nd->slot != sc->nconsts || t->consts[nd->slot].type != nd->type)
            sc->renumber = 1;
        sc->nconsts++;
        r->how = CONSTANT;
        r->val = t->consts[nd->slot].value;
        return 0;
    }
    if (op == OP_COLUMN) {
        if (nd->slot >= t->ncolumns)
            return -1;
        if (nd->slot == sc->ncolumns)
            sc->ncolumns++; /* first use */
        else if (nd->slot > sc->ncolumns)
            sc->renumber = 1;
        return 0;
    }
    if (kind == 'l' || kind == 'a' || nd->nargs == 0)
        return 0;

    uint32_t target = UINT32_MAX; /* forward to this node */
    int decided = 0, value = 0;   /* or fold to this bool */
    if ((op == OP_IF || op == OP_AND || op == OP_OR) && is_constant(fr, kid[0])) {
        int c = fr[fr[kid[0]].rep].val.i != 0;
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
    if (r->rowwise && (decided || (target != UINT32_MAX && !fr[fr[target].rep].rowwise))) {
        target = UINT32_MAX;
        decided = 0;
    }
    if (target != UINT32_MAX) {
        r->how = FORWARD;
        r->rep = fr[target].rep;
        sc->changed = 1;
        return 0;
    }
    if (decided) {
        r->how = CONSTANT;
        r->val.bits = 0;
        r->val.i = value;
        sc->changed = 1;
        return 0;
    }
    jc_value args[3];
    for (uint32_t k = 0; k < nd->nargs; k++) {
        if (!is_constant(fr, kid[k]))
            return 0;
        args[k] = fr[fr[kid[k]].rep].val;
    }
    jc_type ktype = (jc_type)t->nodes[kid[0]].type;
    jc_value v;
    if (!fold_node(op, (jc_type)nd->type, ktype, args, &v))
        return 0; /* a fault stays, to fault at run time */
    r->how = CONSTANT;
    r->val = v;
    sc->changed = 1;
    return 0;
}

/* Step 3's column renumbering, applied to t->columns: the dropped columns
 * lose their names and go after the kept ones, which makes newcol a
 * permutation, applied in place by following its cycles. */
static void move_columns(jc_tree *t, fold_row *fr, uint32_t nkept)
{
    uint32_t next = nkept;
    for (uint32_t c = 0; c < t->ncolumns; c++)
        if (fr[c].newcol == UINT32_MAX) {
            mem_free(t->columns[c].name);
            t->columns[c].name = NULL;
            fr[c].newcol = next++;
        }
    for (uint32_t c = 0; c < t->ncolumns; c++)
        while (fr[c].newcol != c) {
            uint32_t d = fr[c].newcol;
            jc_colref col = t->columns[c];
            t->columns[c] = t->columns[d];
            t->columns[d] = col;
            fr[c].newcol = fr[d].newcol;
            fr[d].newcol = d;
        }
    t->ncolumns = nkept;
}

/* Steps 1 to 3 for any tree. Returns 0, or -1 with *err. */
static int fold_any(jc_tree *t, jc_error *err)
{
    uint32_t n = t->nnodes;
    size_t rows = n > t->ncolumns ? n : t->ncolumns;
    fold_row small[SMALL_TREE], *fr = small;
    if (rows > SMALL_TREE && !(fr = mem_alloc(rows * sizeof *fr)))
        goto oom;

    /* 1. decide, kids first */
    fold_scan sc = {0};
    for (uint32_t i = 0; i < n; i++)
        if (decide(t, fr, &sc, i) < 0)
            goto malformed;
    if (!sc.changed && !sc.renumber && sc.nparented == n - 1 && t->root == n - 1 &&
        sc.nconsts == t->nconsts && sc.ncolumns == t->ncolumns && sc.nargs == t->nargs) {
        if (fr != small)
            mem_free(fr);
        return 0;
    }

    /* 2. reachability, parents first */
    uint32_t root = fr[t->root].rep, nlive_args = 0, nlive_consts = 0;
    fr[root].live = 1;
    for (uint32_t i = n; i-- > 0;) {
        if (!fr[i].live)
            continue;
        const jc_node *nd = &t->nodes[i];
        if (fr[i].how == CONSTANT) {
            nlive_consts++;
            continue;
        }
        nlive_args += nd->nargs;
        for (uint32_t k = 0; k < nd->nargs; k++)
            fr[fr[tree_kid(t, i, k)].rep].live = 1;
    }

    /* Every allocation before the first write. Kid lists out of node order
     * could be overwritten before they are read: those go to a new array.
     * A constant shared by several nodes can become several constants. */
    uint32_t *args = t->args;
    if (sc.unordered && !(args = mem_alloc(((size_t)nlive_args + 1) * sizeof *args)))
        goto oom;
    if (nlive_consts > t->consts_cap) {
        jc_const *consts = mem_realloc(t->consts, (size_t)nlive_consts * sizeof *consts);
        if (!consts) {
            if (args != t->args)
                mem_free(args);
            goto oom;
        }
        t->consts = consts; /* same contents, more room */
        t->consts_cap = nlive_consts;
    }

    /* 3. pack the reached nodes in place, in order */
    for (uint32_t c = 0; c < t->ncolumns; c++)
        fr[c].newcol = UINT32_MAX;
    jc_node *nodes = t->nodes;
    const uint32_t *kids = t->args;
    jc_const *consts = t->consts;
    uint32_t nn = 0, na = 0, nc = 0, ncol = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (!fr[i].live)
            continue;
        jc_node *o = &nodes[nn];
        if (nn != i)
            *o = nodes[i];
        uint32_t first = o->first_arg;
        o->first_arg = na;
        if (fr[i].how == CONSTANT) {
            consts[nc] = (jc_const){.value = fr[i].val, .type = o->type};
            o->op = OP_CONST;
            o->nargs = 0;
            o->slot = nc++;
        } else {
            for (uint32_t k = 0; k < o->nargs; k++)
                args[na++] = fr[fr[kids[first + k]].rep].newidx;
            if (o->op == OP_COLUMN) {
                if (fr[o->slot].newcol == UINT32_MAX)
                    fr[o->slot].newcol = ncol++;
                o->slot = fr[o->slot].newcol;
            }
        }
        fr[i].newidx = nn++;
    }
    move_columns(t, fr, ncol);
    if (args != t->args) {
        mem_free(t->args);
        t->args = args;
        t->args_cap = nlive_args + 1;
    }
    t->root = fr[root].newidx;
    t->nnodes = nn;
    t->nargs = na;
    t->nconsts = nc;
    if (fr != small)
        mem_free(fr);
    return 0;

malformed:
    if (fr != small)
        mem_free(fr);
    return error_set(err, JC_INTERNAL, 0, -1, "fold_constants: malformed tree");
oom:
    if (fr != small)
        mem_free(fr);
    return error_set(err, JC_OUT_OF_MEMORY, 0, -1, "out of memory folding constants");
}

int fold_constants(jc_tree *t, jc_error *err)
{
    if (t->nnodes == 0 || t->root >= t->nnodes)
        return error_set(err, JC_INTERNAL, 0, -1, "fold_constants: empty tree");
    if (fold_any(t, err) < 0)
        return -1;
    return tree_plan_passes(t, err);
}
