/* plan.c — compiles a pass into precise and block instruction lists (plan.h). */
#include "interp/plan.h"

#include <string.h>

#include "util/mem.h"

/* A growable array of fixed-size items: grows by doubling. */
static int grow(void **items, uint32_t *cap, uint32_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    uint32_t ncap = *cap ? *cap : 16;
    while (ncap < need) {
        if (ncap > UINT32_MAX / 2)
            return -1;
        ncap *= 2;
    }
    void *p = mem_realloc(*items, (size_t)ncap * size);
    if (!p)
        return -1;
    *items = p;
    *cap = ncap;
    return 0;
}

/* One node being compiled: its next kid, and the jumps to patch. */
typedef struct frame {
    uint32_t node;
    uint32_t next;   /* next kid to compile */
    uint32_t branch; /* PC_BRANCH / PC_AND / PC_OR instruction index */
    uint32_t jump;   /* PC_JUMP instruction index */
} frame;

typedef struct builder {
    const jc_tree *t;
    pass_plan *plan;
    uint32_t pi_cap, bi_cap;
    /* precise value stack height, simulated */
    uint32_t sp;
    /* block operand stack (refs) and its element types */
    uint32_t *refs;
    uint8_t *rtypes;
    uint32_t nrefs, refs_cap, rtypes_cap;
    /* free scratch buffers, most recently released last */
    uint32_t *free_bufs;
    uint32_t nfree, free_cap;
} builder;

static pinstr *emit_p(builder *b, uint8_t code, uint32_t node)
{
    pass_plan *p = b->plan;
    if (grow((void **)&p->pi, &b->pi_cap, p->npi + 1, sizeof *p->pi) < 0)
        return NULL;
    pinstr *in = &p->pi[p->npi++];
    memset(in, 0, sizeof *in);
    in->code = code;
    in->node = node;
    return in;
}

static binstr *emit_b(builder *b, uint8_t kind, uint32_t node)
{
    pass_plan *p = b->plan;
    if (grow((void **)&p->bi, &b->bi_cap, p->nbi + 1, sizeof *p->bi) < 0)
        return NULL;
    binstr *in = &p->bi[p->nbi++];
    memset(in, 0, sizeof *in);
    in->kind = kind;
    in->node = node;
    return in;
}

static void push_sp(builder *b)
{
    if (++b->sp > b->plan->depth)
        b->plan->depth = b->sp;
}

static int push_ref(builder *b, uint32_t ref, uint8_t type)
{
    if (grow((void **)&b->refs, &b->refs_cap, b->nrefs + 1, sizeof *b->refs) < 0 ||
        grow((void **)&b->rtypes, &b->rtypes_cap, b->nrefs + 1, 1) < 0)
        return -1;
    b->refs[b->nrefs] = ref;
    b->rtypes[b->nrefs] = type;
    b->nrefs++;
    return 0;
}

/* A scratch buffer not in use: the most recently freed (still in cache). */
static uint32_t alloc_buf(builder *b)
{
    if (b->nfree)
        return b->free_bufs[--b->nfree];
    return b->plan->nbufs++;
}

static int release_ref(builder *b, uint32_t ref)
{
    if (ref & REF_COLUMN)
        return 0;
    if (grow((void **)&b->free_bufs, &b->free_cap, b->nfree + 1,
             sizeof *b->free_bufs) < 0)
        return -1;
    b->free_bufs[b->nfree++] = ref;
    return 0;
}

/* A leaf or an aggregate (a scalar read inside a pass). */
static int compile_leaf(builder *b, uint32_t n)
{
    const jc_tree *t = b->t;
    const jc_node *nd = &t->nodes[n];
    int is_column = nd->op == OP_COLUMN;
    uint32_t slot = nd->slot;
    if (is_column) {
        if (slot >= t->ncolumns)
            return -2;
    } else if (nd->op == OP_CONST) {
        if (slot >= t->nconsts)
            return -2;
    } else {
        if (slot >= t->naggs)
            return -2;
        slot += t->nconsts;
    }
    pinstr *p = emit_p(b, is_column ? PC_COLUMN : PC_SCALAR, n);
    if (!p)
        return -1;
    p->type = nd->type;
    p->a = slot;
    push_sp(b);

    if (is_column)
        return push_ref(b, REF_COLUMN | slot, nd->type);
    binstr *f = emit_b(b, BK_FILL, n);
    if (!f)
        return -1;
    f->type = nd->type;
    f->src[0] = slot;
    f->dst = alloc_buf(b);
    return push_ref(b, f->dst, nd->type);
}

/* The node's own instruction, once all its kids are compiled. */
static int compile_node(builder *b, const frame *f)
{
    const jc_tree *t = b->t;
    const jc_node *nd = &t->nodes[f->node];
    pass_plan *p = b->plan;
    uint32_t nargs = nd->nargs;
    jc_op op = (jc_op)nd->op;
    int lazy = op == OP_IF || op == OP_AND || op == OP_OR;

    pinstr *in = emit_p(b, lazy ? PC_MERGE : PC_OP, f->node);
    if (!in)
        return -1;
    uint32_t here = p->npi - 1;
    in->op = (uint8_t)op;
    in->type = nd->type;
    in->ktype = nargs ? t->nodes[tree_kid(t, f->node, 0)].type : nd->type;
    if (op == OP_IF) {
        p->pi[f->jump].a = here;
        p->pi[f->branch].b = here;
    } else if (lazy) {
        p->pi[f->branch].a = here;
    } else {
        b->sp -= nargs;
        push_sp(b);
    }

    if (nargs > 3 || nargs > b->nrefs)
        return -2;
    binstr *bi = emit_b(b, BK_OP, f->node);
    if (!bi)
        return -1;
    bi->op = (uint8_t)op;
    bi->type = nd->type;
    bi->ktype = in->ktype;
    bi->nsrc = (uint8_t)nargs;
    uint32_t base = b->nrefs - nargs;
    for (uint32_t k = 0; k < nargs; k++) {
        bi->src[k] = b->refs[base + k];
        bi->stype[k] = b->rtypes[base + k];
    }
    /* the result never shares a buffer with an operand, so kernels may
     * assume no aliasing (restrict) */
    bi->dst = alloc_buf(b);
    b->nrefs = base;
    for (uint32_t k = 0; k < nargs; k++)
        if (release_ref(b, bi->src[k]) < 0)
            return -1;
    return push_ref(b, bi->dst, nd->type);
}

/* The jump emitted between kid `k - 1` and kid `k` of an if/and/or. */
static int compile_control(builder *b, frame *f, jc_op op, uint32_t k)
{
    pass_plan *p = b->plan;
    pinstr *in;
    if (op == OP_IF && k == 1) {
        if (!(in = emit_p(b, PC_BRANCH, f->node)))
            return -1;
        f->branch = p->npi - 1;
        b->sp--;
    } else if (op == OP_IF && k == 2) {
        if (!(in = emit_p(b, PC_JUMP, f->node)))
            return -1;
        f->jump = p->npi - 1;
        p->pi[f->branch].a = p->npi; /* the else branch starts here */
        b->sp--; /* the then value is not on the stack in the else branch */
    } else if ((op == OP_AND || op == OP_OR) && k == 1) {
        if (!(in = emit_p(b, op == OP_AND ? PC_AND : PC_OR, f->node)))
            return -1;
        f->branch = p->npi - 1;
        b->sp--;
    }
    return 0;
}

static int compile_output(builder *b, uint32_t out, uint32_t k, frame **frames,
                          uint32_t *frames_cap)
{
    const jc_tree *t = b->t;
    if (out >= t->nnodes)
        return -2;
    uint32_t nframes = 0;
    if (grow((void **)frames, frames_cap, 1, sizeof **frames) < 0)
        return -1;
    (*frames)[nframes++] = (frame){out, 0, 0, 0};
    while (nframes) {
        frame *f = &(*frames)[nframes - 1];
        const jc_node *nd = &t->nodes[f->node];
        if (nd->op >= OP_COUNT_)
            return -2;
        char kind = op_kind((jc_op)nd->op);
        int rc;
        if (kind == 'l' || kind == 'a') {
            if ((rc = compile_leaf(b, f->node)) < 0)
                return rc;
            nframes--;
            continue;
        }
        if (f->next < nd->nargs) {
            uint32_t k2 = f->next++;
            if (k2 > 0 && (rc = compile_control(b, f, (jc_op)nd->op, k2)) < 0)
                return rc;
            uint32_t kid = tree_kid(t, f->node, k2);
            if (kid >= f->node) /* post-order: kids come first */
                return -2;
            if (grow((void **)frames, frames_cap, nframes + 1, sizeof **frames) < 0)
                return -1;
            (*frames)[nframes++] = (frame){kid, 0, 0, 0};
            continue;
        }
        if ((rc = compile_node(b, f)) < 0)
            return rc;
        nframes--;
    }

    pinstr *st = emit_p(b, PC_STORE, out);
    if (!st)
        return -1;
    st->type = t->nodes[out].type;
    st->a = k;
    b->sp--;
    binstr *bs = emit_b(b, BK_STORE, out);
    if (!bs || b->nrefs != 1)
        return bs ? -2 : -1;
    bs->type = t->nodes[out].type;
    bs->dst = k;
    bs->nsrc = 1;
    bs->src[0] = b->refs[0];
    bs->stype[0] = b->rtypes[0];
    b->nrefs = 0;
    return release_ref(b, bs->src[0]);
}

int plan_build(pass_plan *plan, const jc_tree *t, const uint32_t *outs,
               uint32_t nout)
{
    memset(plan, 0, sizeof *plan);
    builder b = {.t = t, .plan = plan};
    frame *frames = NULL;
    uint32_t frames_cap = 0;
    int rc = 0;

    plan->seg = mem_alloc(((size_t)nout + 1) * sizeof *plan->seg);
    if (!plan->seg) {
        rc = -1;
        goto done;
    }
    plan->nout = nout;
    for (uint32_t k = 0; k < nout; k++) {
        plan->seg[k] = plan->npi;
        if ((rc = compile_output(&b, outs[k], k, &frames, &frames_cap)) < 0)
            goto done;
    }
    plan->seg[nout] = plan->npi;
done:
    mem_free(frames);
    mem_free(b.refs);
    mem_free(b.rtypes);
    mem_free(b.free_bufs);
    return rc;
}

int plan_build_pass(pass_plan *plan, const jc_tree *t, unsigned pass)
{
    memset(plan, 0, sizeof *plan);
    if (pass >= t->npasses)
        return -2;
    const jc_pass *ps = &t->passes[pass];
    if ((uint64_t)ps->first_out + ps->nout > t->npass_outs)
        return -2;
    return plan_build(plan, t, t->pass_outs + ps->first_out, ps->nout);
}

void plan_free(pass_plan *plan)
{
    mem_free(plan->pi);
    mem_free(plan->seg);
    mem_free(plan->bi);
    memset(plan, 0, sizeof *plan);
}
