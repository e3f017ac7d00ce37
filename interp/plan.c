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
    /* per buffer: the block instruction that last wrote it */
    uint32_t *producer;
    uint32_t producer_cap;
    uint32_t out;    /* the output being compiled */
    uint32_t masks;  /* lazy sides open around the code being compiled */
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
    in->out = b->out;
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

/* A scratch buffer not in use: the most recently freed (still in cache).
 * The instruction emitted last will write it. */
static int alloc_buf(builder *b, uint32_t *buf)
{
    *buf = b->nfree ? b->free_bufs[--b->nfree] : b->plan->nbufs++;
    if (grow((void **)&b->producer, &b->producer_cap, *buf + 1, sizeof *b->producer) < 0)
        return -1;
    b->producer[*buf] = b->plan->nbi - 1;
    return 0;
}

static int release_ref(builder *b, uint32_t ref)
{
    if (REF_KIND(ref) != REF_BUFFER)
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

    /* nothing to run for a leaf: columns are read in place, scalars are
     * filled into a buffer only for a kernel that needs a vector */
    return push_ref(b, (is_column ? REF_COLUMN : REF_SCALAR) | slot, nd->type);
}

static int is_comparison(unsigned op)
{
    return op == OP_EQ || op == OP_NE || op == OP_LT || op == OP_LE || op == OP_GT ||
           op == OP_GE;
}

/* Whether the block kernel of `op` (operand type ktype) takes one scalar
 * operand as it is (block_exec.h: the f64 binary and comparison kernels). */
static int takes_scalar(jc_op op, unsigned ktype)
{
    if ((ktype == JC_F64 || ktype == JC_I64) && is_comparison(op))
        return 1;
    if (ktype != JC_F64)
        return 0;
    switch (op) {
    case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV: case OP_IDIV: case OP_MOD:
    case OP_FMOD: case OP_LEAST: case OP_GREATEST:
        return 1;
    default:
        return 0;
    }
}


/* Operand k of an instruction: a scalar the kernel cannot take is filled
 * into a buffer first. */
static int operand(builder *b, binstr **bi, uint32_t k, int scalar_ok)
{
    uint32_t ref = (*bi)->src[k];
    if (REF_KIND(ref) != REF_SCALAR || scalar_ok)
        return 0;
    uint32_t node = (*bi)->node;
    binstr saved = **bi;
    b->plan->nbi--; /* emit the fill before the instruction */
    binstr *f = emit_b(b, BK_FILL, node);
    if (!f)
        return -1;
    f->type = saved.stype[k];
    f->nsrc = 1;
    f->src[0] = ref;
    f->stype[0] = saved.stype[k];
    if (alloc_buf(b, &f->dst) < 0)
        return -1;
    saved.src[k] = f->dst;
    if (!(*bi = emit_b(b, BK_OP, node)))
        return -1;
    **bi = saved;
    return 0;
}

/* Checked mode: the rows that take a lazy side (the condition is the
 * value `depth` below the top of the operand stack). */
static int push_mask(builder *b, uint32_t node, uint32_t depth, int side)
{
    binstr *m = emit_b(b, BK_PUSH, node);
    if (!m)
        return -1;
    m->nsrc = 1;
    m->src[0] = b->refs[b->nrefs - 1 - depth];
    m->stype[0] = b->rtypes[b->nrefs - 1 - depth];
    m->aux = (uint8_t)side;
    if (++b->masks + 1 > b->plan->nmasks)
        b->plan->nmasks = b->masks + 1;
    return 0;
}

static int pop_mask(builder *b, uint32_t node)
{
    b->masks--;
    return emit_b(b, BK_POP, node) ? 0 : -1;
}

/* add/sub of the product just computed (nothing ran since, so the
 * product's operands are intact): the product's instruction becomes the
 * fused one and writes the sum into the product's buffer. */
static int fuse_muladd(builder *b, jc_op op)
{
    pass_plan *p = b->plan;
    binstr *m = &p->bi[p->nbi - 1];
    if (m->kind != BK_OP || m->op != OP_MUL || m->type != JC_F64)
        return 0;
    uint32_t base = b->nrefs - 2, l = b->refs[base], r = b->refs[base + 1];
    int k;
    if (REF_KIND(l) == REF_BUFFER && l == m->dst)
        k = 0;
    else if (REF_KIND(r) == REF_BUFFER && r == m->dst)
        k = 1;
    else
        return 0;
    if (REF_KIND(m->src[0]) == REF_SCALAR) { /* the scalar factor second */
        uint32_t s = m->src[0];
        m->src[0] = m->src[1];
        m->src[1] = s;
    }
    uint32_t z = k ? l : r;
    m->op = op == OP_ADD ? BOP_MULADD : k == 0 ? BOP_MULSUB : BOP_SUBMUL;
    m->src[2] = z;
    m->stype[2] = JC_F64;
    m->nsrc = 3;
    b->nrefs = base;
    if (release_ref(b, z) < 0 || push_ref(b, m->dst, JC_F64) < 0)
        return -1;
    return 1;
}

/* if(x cmp y, a, b) with x and y read in place (columns or scalars, so the
 * branches' code cannot have overwritten them): the comparison is dropped
 * and one select-by-comparison instruction computes the if. */
static int fuse_select(builder *b, uint32_t node, unsigned type)
{
    pass_plan *p = b->plan;
    uint32_t base = b->nrefs - 3, c = b->refs[base];
    if (type == JC_BOOL || REF_KIND(c) != REF_BUFFER)
        return 0;
    binstr *cm = &p->bi[b->producer[c]];
    if (cm->kind != BK_OP || !is_comparison(cm->op) || cm->ktype == JC_BOOL ||
        REF_KIND(cm->src[0]) == REF_BUFFER || REF_KIND(cm->src[1]) == REF_BUFFER)
        return 0;
    binstr sel = {.kind = BK_OP, .op = BOP_SELCMP, .aux = cm->op, .type = (uint8_t)type,
                  .ktype = cm->ktype, .nsrc = 4, .node = node, .out = b->out};
    sel.src[0] = cm->src[0];
    sel.src[1] = cm->src[1];
    sel.stype[0] = sel.stype[1] = cm->ktype;
    cm->fused = 1;
    for (uint32_t k = 1; k < 3; k++) {
        uint32_t ref = b->refs[base + k];
        if (REF_KIND(ref) == REF_SCALAR) { /* the branches must be vectors */
            binstr *f = emit_b(b, BK_FILL, node);
            if (!f)
                return -1;
            f->type = b->rtypes[base + k];
            f->nsrc = 1;
            f->src[0] = ref;
            f->stype[0] = f->type;
            if (alloc_buf(b, &ref) < 0)
                return -1;
            f->dst = ref;
        }
        sel.src[k + 1] = ref;
        sel.stype[k + 1] = b->rtypes[base + k];
    }
    binstr *in = emit_b(b, BK_OP, node);
    if (!in)
        return -1;
    *in = sel;
    if (alloc_buf(b, &in->dst) < 0)
        return -1;
    b->nrefs = base;
    for (uint32_t k = 0; k < 3; k++)
        if (release_ref(b, k ? in->src[k + 1] : c) < 0)
            return -1;
    return push_ref(b, in->dst, (uint8_t)type) < 0 ? -1 : 1;
}

/* 1 when a fused instruction computed the node, 0 when none applies. */
static int fuse(builder *b, jc_op op, unsigned type, uint32_t node)
{
    if (!b->plan->nbi)
        return 0;
    if ((op == OP_ADD || op == OP_SUB) && type == JC_F64)
        return fuse_muladd(b, op);
    if (op == OP_IF)
        return fuse_select(b, node, type);
    return 0;
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
    if (lazy && pop_mask(b, f->node) < 0)
        return -1;
    int fused = fuse(b, op, nd->type, f->node);
    if (fused)
        return fused < 0 ? -1 : 0;
    binstr *bi = emit_b(b, BK_OP, f->node);
    if (!bi)
        return -1;
    bi->op = (uint8_t)op;
    bi->type = nd->type;
    bi->ktype = in->ktype;
    bi->nsrc = (uint8_t)nargs;
    uint32_t base = b->nrefs - nargs;
    int nscalar = 0;
    for (uint32_t k = 0; k < nargs; k++) {
        bi->src[k] = b->refs[base + k];
        bi->stype[k] = b->rtypes[base + k];
        nscalar += REF_KIND(bi->src[k]) == REF_SCALAR;
    }
    /* one scalar operand goes to the kernels that take one as it is */
    int scalar_ok = nargs == 2 && nscalar == 1 && takes_scalar(op, in->ktype);
    for (uint32_t k = 0; k < nargs; k++)
        if (operand(b, &bi, k, scalar_ok) < 0)
            return -1;
    /* the result never shares a buffer with an operand, so kernels may
     * assume no aliasing (restrict) */
    if (alloc_buf(b, &bi->dst) < 0)
        return -1;
    b->nrefs = base;
    for (uint32_t k = 0; k < nargs; k++)
        if (release_ref(b, bi->src[k]) < 0)
            return -1;
    return push_ref(b, bi->dst, nd->type);
}

/* The jump emitted between kid `k - 1` and kid `k` of an if/and/or, and
 * the masks of its lazy sides. */
static int compile_control(builder *b, frame *f, jc_op op, uint32_t k)
{
    pass_plan *p = b->plan;
    pinstr *in;
    if (op == OP_IF && k == 1 && push_mask(b, f->node, 0, 1) < 0)
        return -1;
    if (op == OP_IF && k == 2 && (pop_mask(b, f->node) < 0 || push_mask(b, f->node, 1, 0) < 0))
        return -1;
    if ((op == OP_AND || op == OP_OR) && k == 1 && push_mask(b, f->node, 0, op == OP_AND) < 0)
        return -1;
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
    pass_plan *p = b->plan;
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
    if (b->nrefs != 1)
        return -2;
    uint32_t ref = b->refs[0];
    b->nrefs = 0;
    binstr *last = p->nbi ? &p->bi[p->nbi - 1] : NULL;
    if (REF_KIND(ref) == REF_BUFFER && last && last->kind == BK_OP && last->dst == ref) {
        /* the output's own instruction writes the output */
        last->dst = REF_OUTPUT | k;
        last->canon = last->type == JC_F64;
        return release_ref(b, ref);
    }
    binstr *bs = emit_b(b, BK_STORE, out);
    if (!bs)
        return -1;
    bs->type = t->nodes[out].type;
    bs->dst = REF_OUTPUT | k;
    bs->canon = bs->type == JC_F64;
    bs->nsrc = 1;
    bs->src[0] = ref;
    bs->stype[0] = b->rtypes[0];
    return release_ref(b, ref);
}

/* The unchecked list (plan.h): a copy, in order, of the instructions that
 * compute something. */
static int keep_unchecked(pass_plan *p)
{
    p->ubi = mem_alloc((p->nbi ? p->nbi : 1) * sizeof *p->ubi);
    if (!p->ubi)
        return -1;
    for (uint32_t i = 0; i < p->nbi; i++)
        if (p->bi[i].kind != BK_PUSH && p->bi[i].kind != BK_POP && !p->bi[i].fused)
            p->ubi[p->nubi++] = p->bi[i];
    return 0;
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
    plan->nmasks = 1;
    for (uint32_t k = 0; k < nout; k++) {
        plan->seg[k] = plan->npi;
        b.out = k;
        if ((rc = compile_output(&b, outs[k], k, &frames, &frames_cap)) < 0)
            goto done;
    }
    plan->seg[nout] = plan->npi;
    rc = keep_unchecked(plan);
done:
    mem_free(frames);
    mem_free(b.refs);
    mem_free(b.rtypes);
    mem_free(b.free_bufs);
    mem_free(b.producer);
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
    /* a level of count() alone has no outputs, and then maybe no array */
    const uint32_t *outs = ps->nout ? t->pass_outs + ps->first_out : NULL;
    return plan_build(plan, t, outs, ps->nout);
}

void plan_free(pass_plan *plan)
{
    mem_free(plan->pi);
    mem_free(plan->seg);
    mem_free(plan->bi);
    mem_free(plan->ubi);
    memset(plan, 0, sizeof *plan);
}
