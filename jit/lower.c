/*
 * lower.c — a typed tree's pass → a stencil chain.
 *
 * The chain of a pass is
 *     ENTRY, pinned scalars | loop head: pinned columns; for each output,
 *     its subtree in post-order, STORE | TAIL (i += lanes; back to the loop
 *     head while rows remain) | EXIT
 * Values travel on a stack held in the vector registers v0..v6: a node's
 * stencil is the variant for the depth its operands sit at. When an eighth
 * value is pushed, SPILL moves the bottom register to a context slot and
 * shifts the others down; FILL brings it back when an operator needs it.
 * Aggregate nodes are scalar reads (the pass never descends into them), as
 * are constants: no value is ever baked into code, so `a > 100` and
 * `a > 250` compile to the same bytes. On AVX-512, leaves read often live
 * in pin registers (choose_pins), comparisons a bool output or an if
 * consumes whole stay in the mask register (mark_mask_chain), an if on an
 * f64 comparison is one select stencil (select_stencil), and an if whose
 * then-branch ends in + - * / runs that operation under the mask, its
 * else-branch evaluated first (masked_then_stencil). A short loop body that calls nothing
 * gets edges (jit_pass.edges): jit/jit.c pastes it twice more in a second
 * entry, for a head and a tail vector around a loop that starts
 * vector-aligned.
 *
 * Nothing here recurses: subtrees are contiguous ranges of the post-order
 * node array, walked with loops.
 */
#include <string.h>

#include "jit/internal.h"
#include "util/error.h"

/* Stencils in a loop body that may have edge vectors (jit_pass.edges):
 * the edge entry pastes the body twice more, which costs compile time
 * (`a + b`: 0.81 -> 0.96 us cold), and a long body computes long enough
 * per vector that a split load hardly counts (E7, 23 stencils, was not
 * faster with edges, and compiled 20% slower). */
#define EDGE_MAX_ITEMS 16

static int is_aggregate(const jc_node *n)
{
    return n->op == OP_SUM || n->op == OP_AVG || n->op == OP_MIN ||
           n->op == OP_MAX || n->op == OP_COUNT;
}

static const char *node_name(uint8_t op)
{
#define JC_OP_NAME(name, text, kind) #name,
    static const char *const names[] = {JC_OPS(JC_OP_NAME)};
#undef JC_OP_NAME
    return op < OP_COUNT_ ? names[op] : "?";
}

size_t lower_max_items(const jc_tree *t)
{
    /* per node one stencil plus at most a SPILL and two FILLs; per output a
     * store; per pass its pin loads, a count's ZERO_64 and ACCST; ENTRY,
     * TAIL, EXIT */
    return (size_t)t->nnodes * 4 + (size_t)t->npass_outs +
           (size_t)t->npasses * (JC_PIN_REGS + 2) + 8;
}

static uint32_t subtree_first(const jc_tree *t, uint32_t n)
{
    while (t->nodes[n].nargs)
        n = t->args[t->nodes[n].first_arg];
    return n;
}

static uint8_t kid_type(const jc_tree *t, uint32_t n, uint32_t k)
{
    return t->nodes[t->args[t->nodes[n].first_arg + k]].type;
}

/* The ops whose stencil depends only on their own type and arity: the
 * stencil by result type (jc_type: f64, i64, bool; -1 none), and the
 * arity (0: not such an op). A table, not a switch: every node of every
 * compiled tree asks. */
typedef struct by_own_type {
    int16_t st[3];
    uint8_t nargs;
} by_own_type;

#define F64_I64(OP, N) {{JC_ST_##OP##_F64, JC_ST_##OP##_I64, -1}, N}
#define F64_ONLY(ST, N) {{ST, -1, -1}, N}
static const by_own_type own_type[OP_COUNT_] = {
    [OP_NEG] = F64_I64(NEG, 1),     [OP_ABS] = F64_I64(ABS, 1),
    [OP_SIGN] = F64_I64(SIGN, 1),   [OP_ADD] = F64_I64(ADD, 2),
    [OP_SUB] = F64_I64(SUB, 2),     [OP_MUL] = F64_I64(MUL, 2),
    [OP_IDIV] = F64_I64(IDIV, 2),   [OP_MOD] = F64_I64(MOD, 2),
    [OP_LEAST] = F64_I64(LEAST, 2), [OP_GREATEST] = F64_I64(GREATEST, 2),
    [OP_DIV] = F64_ONLY(JC_ST_DIV_F64, 2), [OP_POW] = F64_ONLY(JC_ST_POW, 2),
    [OP_ATAN2] = F64_ONLY(JC_ST_ATAN2, 2), [OP_HYPOT] = F64_ONLY(JC_ST_HYPOT, 2),
    [OP_FMOD] = F64_ONLY(JC_ST_FMOD, 2),
#define F1(OP) [OP_##OP] = F64_ONLY(JC_ST_##OP, 1),
    F1(SQRT) F1(CBRT) F1(EXP) F1(EXPM1) F1(LN) F1(LOG10) F1(LOG2) F1(LOG1P)
    F1(SIN) F1(COS) F1(TAN) F1(ASIN) F1(ACOS) F1(ATAN) F1(SINH) F1(COSH)
    F1(TANH) F1(FLOOR) F1(CEIL) F1(TRUNC) F1(ROUND)
#undef F1
    [OP_NOT] = {{-1, -1, JC_ST_NOT}, 1},
};
#undef F64_I64
#undef F64_ONLY

int lower_node_stencil(const jc_tree *t, uint32_t n, char *shape)
{
    const jc_node *nd = &t->nodes[n];
    uint8_t ty = nd->type;
    int f = ty == JC_F64, i = ty == JC_I64;
#define NEED(k) if (nd->nargs != (k)) return -1
    if (nd->op >= OP_COUNT_)
        return -1;
    if (is_aggregate(nd) || nd->op == OP_CONST || nd->op == OP_COLUMN) {
        *shape = 'P';
        return ty == JC_BOOL ? JC_ST_SCALAR_B : JC_ST_SCALAR_64;
    }
    if (nd->nargs == 1)
        *shape = 'U';
    else if (nd->nargs == 2)
        *shape = 'B';
    else if (nd->nargs == 3)
        *shape = 'T';
    else
        return -1;
    const by_own_type *own = &own_type[nd->op];
    if (own->nargs)
        return own->nargs == nd->nargs && ty <= JC_BOOL ? own->st[ty] : -1;
    uint8_t k0 = kid_type(t, n, 0);
    switch ((jc_op)nd->op) {
    case OP_I64_TO_F64: NEED(1); return k0 == JC_I64 && f ? JC_ST_I64_TO_F64 : -1;
    case OP_BOOL_TO_I64: NEED(1); return k0 == JC_BOOL && i ? JC_ST_BOOL_TO_I64 : -1;
    case OP_BOOL_TO_F64: NEED(1); return k0 == JC_BOOL && f ? JC_ST_BOOL_TO_F64 : -1;
    case OP_F64_TO_I64: NEED(1); return k0 == JC_F64 && i ? JC_ST_F64_TO_I64 : -1;
#define CMP(OP)                                                           \
    case OP_##OP:                                                         \
        NEED(2);                                                          \
        return k0 == JC_F64 ? JC_ST_##OP##_F64 : k0 == JC_I64 ? JC_ST_##OP##_I64 : -1;
    CMP(LT) CMP(LE) CMP(GT) CMP(GE)
#undef CMP
    case OP_AND: NEED(2); return JC_ST_AND;
    case OP_OR: NEED(2); return JC_ST_OR;
    case OP_EQ: NEED(2); return k0 == JC_F64 ? JC_ST_EQ_F64 : JC_ST_EQ_I64;
    case OP_NE: NEED(2); return k0 == JC_F64 ? JC_ST_NE_F64 : JC_ST_NE_I64;
    case OP_ROUND2:
        NEED(2);
        return f && k0 == JC_F64 && kid_type(t, n, 1) == JC_I64 ? JC_ST_ROUND2 : -1;
    case OP_IF: NEED(3); return k0 == JC_BOOL ? JC_ST_IF : -1;
    case OP_ISNAN: NEED(1); return k0 == JC_F64 ? JC_ST_ISNAN : -1;
    case OP_ISINF: NEED(1); return k0 == JC_F64 ? JC_ST_ISINF : -1;
    case OP_ISFINITE: NEED(1); return k0 == JC_F64 ? JC_ST_ISFINITE : -1;
    default:
        return -1;
    }
#undef NEED
}

/* The value stack during lowering: `base` values spilled to the context,
 * `k` in registers v0..v(k-1). */
typedef struct emitter {
    jit_item *items;
    size_t n;
    uint32_t base, k, max_spill;
    uint32_t spill_off;
} emitter;

static void put(emitter *e, int id, uint32_t hole)
{
    e->items[e->n].id = (uint16_t)id;
    e->items[e->n].hole = hole;
    e->n++;
}

/* Spill slots are 64 bytes whatever the vector width (aligned for all). */
static void spill(emitter *e)
{
    put(e, JC_ST_SPILL, e->spill_off + e->base * JC_VEC_BYTES_MAX);
    e->base++;
    e->k--;
    if (e->base > e->max_spill)
        e->max_spill = e->base;
}

static void fill(emitter *e)
{
    e->base--;
    e->k++;
    put(e, JC_ST_FILL, e->spill_off + e->base * JC_VEC_BYTES_MAX);
}

/* Emits a W stencil (ops/stencil_list.h) for pin register `pin`: as a push
 * ('P': LOADR) or as a unary operator on the top of the stack ('U'). */
static inline __attribute__((always_inline)) int apply_pin(emitter *e, int id, char as,
                                                         unsigned pin)
{
    if (as == 'P' && e->k == JC_STACK_REGS)
        spill(e);
    if (as == 'U' && e->k < 1) {
        if (e->base == 0)
            return -1;
        fill(e);
    }
    unsigned d = as == 'P' ? e->k : e->k - 1;
    put(e, id + (int)(d * JC_PIN_REGS + pin), 0);
    if (as == 'P')
        e->k++;
    return 0;
}

/* Emits stencil `id` (first variant) of shape `shape` at the right depth. */
static inline __attribute__((always_inline)) int apply(emitter *e, int id, char shape,
                                                     uint32_t hole)
{
    unsigned need = shape == 'P' ? 0
                    : shape == 'U' || shape == 'O' || shape == 'K' || shape == 'M' ? 1
                    : shape == 'B' || shape == 'J' || shape == 'Y' ? 2
                    : shape == 'T' || shape == 'Z' ? 3 : 4;
    if (shape == 'P' && e->k == JC_STACK_REGS)
        spill(e);
    while (e->k < need) {
        if (e->base == 0)
            return -1; /* malformed tree: an operator without operands */
        fill(e);
    }
    switch (shape) {
    case 'P': put(e, id + (int)e->k, hole); e->k++; break;
    case 'U': case 'M': put(e, id + (int)e->k - 1, hole); break;
    case 'O': case 'K': put(e, id + (int)e->k - 1, hole); e->k--; break;
    case 'J': put(e, id + (int)e->k - 2, hole); e->k -= 2; break;
    case 'B': case 'Y': put(e, id + (int)e->k - 2, hole); e->k--; break;
    case 'T': case 'Z': put(e, id + (int)e->k - 3, hole); e->k -= 2; break;
    case 'Q': put(e, id + (int)e->k - 4, hole); e->k -= 3; break;
    default: return -1;
    }
    return 0;
}

/* Nodes of output `root` computed in this pass, in post-order, into
 * order[0..*count): the subtree minus the insides of aggregates. */
static size_t pass_nodes(const jc_tree *t, uint32_t root, uint32_t *order)
{
    uint32_t first = subtree_first(t, root);
    size_t cnt = 0;
    if (!t->naggs) { /* the whole subtree, in order */
        for (uint32_t j = first; j <= root; j++)
            order[cnt++] = j;
        return cnt;
    }
    int64_t j = root;
    while (j >= (int64_t)first) {
        order[cnt++] = (uint32_t)j;
        if (is_aggregate(&t->nodes[j]))
            j = (int64_t)subtree_first(t, (uint32_t)j) - 1;
        else
            j--;
    }
    /* reverse into evaluation order */
    for (size_t a = 0, b = cnt ? cnt - 1 : 0; a < b; a++, b--) {
        uint32_t x = order[a];
        order[a] = order[b];
        order[b] = x;
    }
    return cnt;
}

static int load_stencil(int preg, uint8_t type)
{
    static const int f64[] = {JC_ST_LOADP0_64, JC_ST_LOADP1_64, JC_ST_LOADP2_64,
                              JC_ST_LOADP3_64};
    static const int b[] = {JC_ST_LOADP0_B, JC_ST_LOADP1_B, JC_ST_LOADP2_B,
                            JC_ST_LOADP3_B};
    if (type == JC_BOOL)
        return preg < 0 ? JC_ST_LOADC_B : b[preg];
    return preg < 0 ? JC_ST_LOADC_64 : f64[preg];
}

static int store_stencil(int preg, uint8_t type)
{
    static const int f[] = {JC_ST_STOREC_F64, JC_ST_STOREP0_F64, JC_ST_STOREP1_F64,
                            JC_ST_STOREP2_F64, JC_ST_STOREP3_F64};
    static const int i[] = {JC_ST_STOREC_I64, JC_ST_STOREP0_I64, JC_ST_STOREP1_I64,
                            JC_ST_STOREP2_I64, JC_ST_STOREP3_I64};
    static const int b[] = {JC_ST_STOREC_B, JC_ST_STOREP0_B, JC_ST_STOREP1_B,
                            JC_ST_STOREP2_B, JC_ST_STOREP3_B};
    const int *tab = type == JC_F64 ? f : type == JC_I64 ? i : b;
    return tab[preg + 1];
}

/* The fused form of binary stencil `base` whose right operand comes from
 * memory: form 0 a scalar slot, 1 a column from a context slot, 2 + k a
 * column in pointer register k. -1 when there is none. */
static int fused_stencil(int base, int form)
{
#define SIX(OP)                                                           \
    {JC_ST_##OP##S_F64, JC_ST_##OP##C_F64, JC_ST_##OP##P0_F64,           \
     JC_ST_##OP##P1_F64, JC_ST_##OP##P2_F64, JC_ST_##OP##P3_F64}
    static const int add[6] = SIX(ADD), sub[6] = SIX(SUB), mul[6] = SIX(MUL),
                     div[6] = SIX(DIV);
#undef SIX
    switch (base) {
    case JC_ST_ADD_F64: return add[form];
    case JC_ST_SUB_F64: return sub[form];
    case JC_ST_MUL_F64: return mul[form];
    case JC_ST_DIV_F64: return div[form];
    default: break;
    }
    if (form != 0)
        return -1;
    switch (base) {
    case JC_ST_EQ_F64: return JC_ST_EQS_F64;
    case JC_ST_NE_F64: return JC_ST_NES_F64;
    case JC_ST_LT_F64: return JC_ST_LTS_F64;
    case JC_ST_LE_F64: return JC_ST_LES_F64;
    case JC_ST_GT_F64: return JC_ST_GTS_F64;
    case JC_ST_GE_F64: return JC_ST_GES_F64;
    case JC_ST_EQ_I64: return JC_ST_EQS_I64;
    case JC_ST_NE_I64: return JC_ST_NES_I64;
    case JC_ST_LT_I64: return JC_ST_LTS_I64;
    case JC_ST_LE_I64: return JC_ST_LES_I64;
    case JC_ST_GT_I64: return JC_ST_GTS_I64;
    case JC_ST_GE_I64: return JC_ST_GES_I64;
    default: return -1;
    }
}

/* A leaf kept in a pin register: a column slot or a scalar slot. */
typedef struct pin_use {
    uint8_t kind; /* PREG_COLUMN or PREG_SCALAR */
    uint32_t index;
} pin_use;

typedef struct lowering {
    const jc_tree *t;
    const jit_node_st *st; /* by node */
    jit_pass *pass;
    uint32_t *marks;
    uint32_t *pin_by_key;  /* while the chain is made: key (choose_pins) ->
                              its pin register + 1, or 0 */
    uint32_t epoch;  /* pass + 1: a mark equal to it is listed already */
    unsigned nreg;
    unsigned npins;
    pin_use pins[JC_PIN_REGS];
} lowering;

static int preg_of(const lowering *L, int kind, uint32_t index)
{
    for (unsigned r = 0; r < L->nreg; r++)
        if (L->pass->preg_kind[r] == kind && L->pass->preg_index[r] == index)
            return (int)r;
    return -1;
}

static uint8_t esize_of(uint8_t type) { return type == JC_BOOL ? 1 : 8; }

/* A pin's key in choose_pins' numbering: columns, then constant slots. */
static uint32_t pin_key(const lowering *L, const pin_use *u)
{
    return u->kind == PREG_COLUMN ? u->index : L->t->ncolumns + u->index;
}

/* The pin register holding leaf n, or -1. Only columns and constants are
 * ever pinned (choose_pins). */
static int pin_of(const lowering *L, uint32_t n)
{
    if (!L->npins)
        return -1;
    const jc_node *nd = &L->t->nodes[n];
    if (nd->nargs || (nd->op != OP_COLUMN && nd->op != OP_CONST))
        return -1;
    uint32_t key = nd->op == OP_COLUMN ? nd->slot : L->t->ncolumns + nd->slot;
    return (int)L->pin_by_key[key] - 1;
}

/* Lists a context slot the runner must fill (once per pass). */
static void use_slot(lowering *L, int kind, uint32_t index, uint32_t off)
{
    if (kind != PREG_OUTPUT) {
        uint32_t m = kind == PREG_COLUMN ? index : L->t->ncolumns + index;
        if (L->marks[m] == L->epoch)
            return;
        L->marks[m] = L->epoch;
    }
    if (kind == PREG_SCALAR) {
        if (L->pass->scalar_lo >= L->pass->scalar_hi) {
            L->pass->scalar_lo = index;
            L->pass->scalar_hi = index + 1;
        } else if (index < L->pass->scalar_lo) {
            L->pass->scalar_lo = index;
        } else if (index >= L->pass->scalar_hi) {
            L->pass->scalar_hi = index + 1;
        }
        return;
    }
    jit_slot *s = &L->pass->slots[L->pass->nslots++];
    s->off = off;
    s->kind = (uint8_t)kind;
    s->esize = kind == PREG_COLUMN ? esize_of(L->t->columns[index].type)
                                   : L->pass->out_size[index];
    s->index = index;
}

/* A leaf as a memory operand: its fused form index (see fused_stencil)
 * and hole. -1 if it cannot be one. */
static int leaf_form(const lowering *L, uint32_t n, uint32_t *hole)
{
    const jc_node *nd = &L->t->nodes[n];
    if (nd->type == JC_BOOL || nd->nargs)
        return -1;
    if (nd->op == OP_COLUMN) {
        int r = preg_of(L, PREG_COLUMN, nd->slot);
        *hole = L->pass->col_off + 8 * nd->slot;
        return r >= 0 ? 2 + r : 1;
    }
    if (nd->op == OP_CONST || is_aggregate(nd)) {
        uint32_t slot = nd->op == OP_CONST ? nd->slot : L->t->nconsts + nd->slot;
        *hole = L->pass->scalar_off + 8 * slot;
        return 0;
    }
    return -1;
}

/* Records the context slot that leaf n read as form `form` (leaf_form)
 * needs filled: a column's when it is not in a pointer register, a
 * scalar's. */
static void note_leaf(lowering *L, uint32_t n, int form, uint32_t hole)
{
    const jc_node *nd = &L->t->nodes[n];
    if (form == 1)
        use_slot(L, PREG_COLUMN, nd->slot, hole);
    else if (form == 0)
        use_slot(L, PREG_SCALAR, nd->op == OP_CONST ? nd->slot : L->t->nconsts + nd->slot,
                 hole);
}

/* The fused stencil for node `op` when its right operand is the leaf
 * `leaf` just before it in evaluation order (*form and *hole: how the
 * leaf is read); -1 if none. */
static int fusion(const lowering *L, uint32_t op, uint32_t leaf, int *form, uint32_t *hole)
{
    const jc_node *nd = &L->t->nodes[op];
    if (nd->nargs != 2 || tree_kid(L->t, op, 1) != leaf)
        return -1;
    int base = L->st[op].id;
    *form = leaf_form(L, leaf, hole);
    if (base < 0 || *form < 0)
        return -1;
    return fused_stencil(base, *form);
}

/* The SEL stencil for if(c, t, e) when its condition c is a comparison
 * of two f64 (computed by the select itself, after both branches); -1
 * otherwise. */
static int select_stencil(const jc_tree *t, uint32_t n)
{
    const jc_node *nd = &t->nodes[n];
    if (nd->op != OP_IF || nd->nargs != 3)
        return -1;
    uint32_t c = tree_kid(t, n, 0);
    const jc_node *cn = &t->nodes[c];
    if (cn->nargs != 2 || kid_type(t, c, 0) != JC_F64 || kid_type(t, c, 1) != JC_F64)
        return -1;
    switch (cn->op) {
    case OP_EQ: return JC_ST_SELEQ_F64;
    case OP_NE: return JC_ST_SELNE_F64;
    case OP_LT: return JC_ST_SELLT_F64;
    case OP_LE: return JC_ST_SELLE_F64;
    case OP_GT: return JC_ST_SELGT_F64;
    case OP_GE: return JC_ST_SELGE_F64;
    default: return -1;
    }
}

/* The stencil that computes if(c, t, e)'s then-branch t, an f64 + - * /
 * of two f64, under c's mask over e's value (ADDM_F64...), where the set
 * has a mask register: no compute-and-blend; -1 for any other if. */
static int masked_then_stencil(const jc_tree *t, uint32_t n)
{
    const jc_node *nd = &t->nodes[n];
    if (nd->op != OP_IF || nd->nargs != 3 || nd->type != JC_F64)
        return -1;
    uint32_t th = tree_kid(t, n, 1);
    const jc_node *tn = &t->nodes[th];
    if (tn->nargs != 2 || tn->type != JC_F64 || kid_type(t, th, 0) != JC_F64 ||
        kid_type(t, th, 1) != JC_F64)
        return -1;
    switch (tn->op) {
    case OP_ADD: return JC_ST_ADDM_F64;
    case OP_SUB: return JC_ST_SUBM_F64;
    case OP_MUL: return JC_ST_MULM_F64;
    case OP_DIV: return JC_ST_DIVM_F64;
    default: return -1;
    }
}

/* Swaps the adjacent ranges a[0, k) and a[k, n) (three reversals). */
static void swap_ranges(uint32_t *a, size_t k, size_t n)
{
    for (size_t lo = 0, hi = k; lo + 1 < hi; lo++, hi--) {
        uint32_t x = a[lo]; a[lo] = a[hi - 1]; a[hi - 1] = x;
    }
    for (size_t lo = k, hi = n; lo + 1 < hi; lo++, hi--) {
        uint32_t x = a[lo]; a[lo] = a[hi - 1]; a[hi - 1] = x;
    }
    for (size_t lo = 0, hi = n; lo + 1 < hi; lo++, hi--) {
        uint32_t x = a[lo]; a[lo] = a[hi - 1]; a[hi - 1] = x;
    }
}

/* Is order[j] the right operand of order[j + 1] (which then follows it
 * directly in evaluation order)? */
static inline int is_right_of_next(const jc_tree *t, const uint32_t *order, size_t j,
                                   size_t cnt)
{
    return j + 1 < cnt && t->nodes[order[j + 1]].nargs == 2 &&
           tree_kid(t, order[j + 1], 1) == order[j];
}

/* The f64 operators whose right operand can be a pin (ADDR_F64...). */
static int pin_fused(const jc_tree *t, uint32_t op)
{
    const jc_node *nd = &t->nodes[op];
    if (nd->nargs != 2 || nd->type != JC_F64)
        return -1;
    switch (nd->op) {
    case OP_ADD: return JC_ST_ADDR_F64;
    case OP_SUB: return JC_ST_SUBR_F64;
    case OP_MUL: return JC_ST_MULR_F64;
    case OP_DIV: return JC_ST_DIVR_F64;
    default: return -1;
    }
}

/* Is order[j], a scalar, read by the next operator as a broadcast memory
 * operand (a > 0.5: GTS_F64) that has no form reading a pin? One
 * instruction, where a pin would take a move and the operator. */
static int scalar_as_operand(const lowering *L, const uint32_t *order, size_t j, size_t cnt)
{
    int form;
    uint32_t hole;
    return is_right_of_next(L->t, order, j, cnt) && pin_fused(L->t, order[j + 1]) < 0 &&
           fusion(L, order[j + 1], order[j], &form, &hole) >= 0;
}

/* How a mask comparison reads its right operand. */
enum { KFORM_STACK, KFORM_SLOT, KFORM_PIN };

/* The mask-register stencil (ops/stencil_list.h) for comparison node n
 * of two f64 or two i64: the first of a chain (sets the mask) or a later
 * one (narrows it), its right operand read as `form`; -1 if n is none. */
static int mask_stencil(const jc_tree *t, uint32_t n, int first, int form)
{
    const jc_node *nd = &t->nodes[n];
    if (nd->nargs != 2)
        return -1;
    uint8_t k0 = kid_type(t, n, 0);
    if ((k0 != JC_F64 && k0 != JC_I64) || kid_type(t, n, 1) != k0)
        return -1;
#define SIX(OP, T)                                                               \
    {JC_ST_##OP##KA_##T, JC_ST_##OP##K_##T, JC_ST_##OP##KAS_##T, JC_ST_##OP##KS_##T, \
     JC_ST_##OP##KAR_##T, JC_ST_##OP##KR_##T}
#define BOTH(OP) {SIX(OP, F64), SIX(OP, I64)}
    static const int eq[2][6] = BOTH(EQ), ne[2][6] = BOTH(NE), lt[2][6] = BOTH(LT),
                     le[2][6] = BOTH(LE), gt[2][6] = BOTH(GT), ge[2][6] = BOTH(GE);
#undef BOTH
#undef SIX
    const int(*f)[6];
    switch (nd->op) {
    case OP_EQ: f = eq; break;
    case OP_NE: f = ne; break;
    case OP_LT: f = lt; break;
    case OP_LE: f = le; break;
    case OP_GT: f = gt; break;
    case OP_GE: f = ge; break;
    default: return -1;
    }
    return f[k0 == JC_I64][2 * form + !!first];
}

/* Does the pass call out (SLEEF, lane helpers)? A call clobbers the pin
 * registers and the mask register. */
static int pass_calls(const lowering *L, const jc_stencil_set *set, const uint32_t *order,
                      size_t cnt)
{
    for (size_t j = 0; j < cnt; j++) {
        int id = L->st[order[j]].id;
        if (L->t->nodes[order[j]].nargs && id >= 0 && (set->stencils[id].flags & JC_STENCIL_CALLS))
            return 1;
    }
    return 0;
}

/* Marks in mark[] (by node id). MARK_IFCOND: the comparison an if's SEL
 * stencil makes. MARK_KCMP, MARK_KAND: the comparisons and `and`s of a
 * bool output or an if's condition kept in the mask register; MARK_KIF:
 * such an if (BLENDK); MARK_KIFM: such an if whose then-branch's last
 * operation, MARK_MOP, runs under the mask (masked_then_stencil), its
 * else-branch evaluated first. MARK_CCMP, MARK_CAND: candidates, while
 * mark_mask_chain has not yet decided; MARK_NCMP, MARK_NAND: the members
 * of the chain it found, until settle_chain keeps or drops them. */
enum { MARK_IFCOND = 1, MARK_KCMP, MARK_KAND, MARK_CCMP, MARK_CAND, MARK_KIF, MARK_NCMP,
       MARK_NAND, MARK_KIFM, MARK_MOP };

static int is_candidate(uint32_t mark) { return mark == MARK_CCMP || mark == MARK_CAND; }

/* Turns candidate n and, through `and`s, the candidates under it into
 * members of the chain. */
static void keep_chain(const jc_tree *t, uint32_t n, uint32_t *mark)
{
    if (mark[n] == MARK_CAND) {
        mark[n] = MARK_NAND;
        keep_chain(t, tree_kid(t, n, 0), mark);
        keep_chain(t, tree_kid(t, n, 1), mark);
    } else {
        mark[n] = MARK_NCMP;
    }
}

/* Marks a bool value that is a conjunction of f64 or i64 comparisons
 * (`a > 0.5 and n < 10`): MARK_NCMP on each of its comparisons, MARK_NAND
 * on each `and` (settle_chain makes them MARK_KCMP, MARK_KAND or nothing);
 * its nodes are order[from..to),
 * the root last. Only what hangs from the root through `and`s is the
 * chain: a comparison inside an operand (`if(a > b, a, b) > 0.5`) is not,
 * and keeps its mark. Returns 1 if the output is such a conjunction. */
static int mark_mask_chain(const jc_tree *t, const uint32_t *order, size_t from, size_t to,
                           uint32_t *mark)
{
    for (size_t j = from; j < to; j++) {
        uint32_t n = order[j];
        const jc_node *nd = &t->nodes[n];
        if (mark[n])
            continue; /* an if's comparison */
        if (nd->op == OP_AND && nd->nargs == 2 && is_candidate(mark[tree_kid(t, n, 0)]) &&
            is_candidate(mark[tree_kid(t, n, 1)]))
            mark[n] = MARK_CAND;
        else if (mask_stencil(t, n, 1, KFORM_STACK) >= 0)
            mark[n] = MARK_CCMP;
    }
    int chain = from < to && is_candidate(mark[order[to - 1]]);
    if (chain)
        keep_chain(t, order[to - 1], mark);
    for (size_t j = from; j < to; j++)
        if (is_candidate(mark[order[j]]))
            mark[order[j]] = 0; /* candidates outside the chain */
    return chain;
}

/* Where the subtree ending at order[pos] starts in order (post-order: a
 * node's kids come right before it; an aggregate's are not in the pass). */
static size_t subtree_start(const jc_tree *t, const uint32_t *order, size_t pos)
{
    size_t need = 1, j = pos;
    for (;;) {
        const jc_node *nd = &t->nodes[order[j]];
        need += (is_aggregate(nd) ? 0 : nd->nargs);
        if (--need == 0 || j == 0)
            return j;
        j--;
    }
}

/* Where the mask register is live: from a chain's first comparison to its
 * consumer (COUNTK, STOREK, BLENDK), as positions in order. */
typedef struct mask_span {
    size_t from, to;
} mask_span;
#define MAX_MASK_SPANS 32

/* The chain mark_mask_chain just found in order[from..to): kept (its
 * marks become MARK_KCMP, MARK_KAND) or dropped. Returns the position of
 * its first comparison, where the mask becomes live. */
static size_t settle_chain(const uint32_t *order, size_t from, size_t to, uint32_t *mark,
                           int keep)
{
    size_t first = to;
    for (size_t j = from; j < to; j++) {
        uint32_t *m = &mark[order[j]];
        if (*m == MARK_NCMP && first == to)
            first = j;
        if (*m == MARK_NCMP || *m == MARK_NAND)
            *m = !keep ? 0 : *m == MARK_NCMP ? MARK_KCMP : MARK_KAND;
    }
    return first;
}

/* Chooses the leaves of pass p to keep in pin registers, at most npins:
 * columns read at least twice (most reads first: each pin saves a load
 * per read but one), then scalars, those that are the right operand of an
 * f64 + - * / first (one stencil reads them from the pin; any other use
 * pushes the pin with a register move, which the CPU eliminates, instead
 * of a broadcast load). A pass that calls out (SLEEF, lane helpers)
 * pins nothing: the call would clobber the pins. keys: scratch of
 * t->ncolumns + t->nconsts + t->naggs entries, all zero (left zero). */
static void choose_pins(lowering *L, const jc_stencil_set *set, const uint32_t *order,
                        size_t cnt, uint32_t *listed, uint32_t *keys, unsigned reserve)
{
    const jc_tree *t = L->t;
    L->npins = 0;
    if (!set->npins)
        return;
    uint32_t ncols = t->ncolumns;
    /* keys[k]: uses of key k (columns, then scalar slots) in the low 16 bits,
     * right-operand uses in the high 16 (saturating); listed in order[] */
    size_t nlisted = 0;
    int calls = 0;
    for (size_t j = 0; j < cnt && !calls; j++) {
        uint32_t n = order[j];
        const jc_node *nd = &t->nodes[n];
        if (nd->nargs) {
            int id = L->st[n].id;
            if (id >= 0 && (set->stencils[id].flags & JC_STENCIL_CALLS))
                calls = 1;
            continue;
        }
        if (nd->type == JC_BOOL)
            continue;
        uint32_t key;
        if (nd->op == OP_COLUMN)
            key = nd->slot;
        else if (nd->op == OP_CONST)
            key = ncols + nd->slot;
        else
            continue;
        if (nd->op == OP_CONST && scalar_as_operand(L, order, j, cnt))
            continue; /* no use for a pin */
        if (keys[key] == 0)
            listed[nlisted++] = key;
        if ((keys[key] & 0xFFFF) < 0xFFFF)
            keys[key]++;
        if (is_right_of_next(t, order, j, cnt) && pin_fused(t, order[j + 1]) >= 0 &&
            (keys[key] >> 16) < 0xFFFF)
            keys[key] += 1u << 16;
    }
    /* the best npins candidates, kept sorted (ties: first use first) */
    uint32_t top_key[JC_PIN_REGS], top_score[JC_PIN_REGS];
    unsigned ntop = 0, want = set->npins < JC_PIN_REGS ? set->npins : JC_PIN_REGS;
    want = want > reserve ? want - reserve : 0;
    for (size_t i = 0; i < nlisted && !calls && want; i++) {
        uint32_t key = listed[i], v = keys[key];
        uint32_t score = key < ncols ? ((v & 0xFFFF) >= 2 ? 0x20000u + (v & 0xFFFF) : 0)
                                     : 0x10000u + (v >> 16);
        if (score == 0 || (ntop == want && score <= top_score[ntop - 1]))
            continue;
        unsigned at = ntop < want ? ntop++ : ntop - 1;
        while (at > 0 && top_score[at - 1] < score) {
            top_score[at] = top_score[at - 1];
            top_key[at] = top_key[at - 1];
            at--;
        }
        top_score[at] = score;
        top_key[at] = key;
    }
    for (unsigned r = 0; r < ntop; r++) {
        pin_use *u = &L->pins[L->npins++];
        u->kind = top_key[r] < ncols ? PREG_COLUMN : PREG_SCALAR;
        u->index = top_key[r] < ncols ? top_key[r] : top_key[r] - ncols;
    }
    for (size_t i = 0; i < nlisted; i++)
        keys[listed[i]] = 0;
}

size_t lower_max_slots(const jc_tree *t, unsigned p)
{
    /* columns and outputs; scalars are a range, not slots */
    return (size_t)t->ncolumns + t->passes[p].nout;
}

int lower_pass(const jc_tree *t, const jit_node_st *st, const jc_stencil_set *set,
               unsigned p, jit_item *items, size_t *nitems, size_t *loop, jit_pass *pass,
               uint32_t *order, uint32_t *marks, uint32_t *keys, jc_error *err)
{
    const jc_pass *ps = &t->passes[p];
    uint32_t nscalars = t->nconsts + t->naggs;
    pass->col_off = (uint32_t)JC_CTX_HEADER;
    pass->out_off = pass->col_off + 8 * t->ncolumns;
    pass->scalar_off = pass->out_off + 8 * ps->nout;
    /* a counted output's lanes, then spill slots, 64-byte aligned */
    pass->acc_off = (pass->scalar_off + 8 * nscalars + 63) & ~63u;
    int counting = pass->counted >= 0;
    /* the loop's lanes, then an edge entry's head and tail vector's
     * (JIT_ACC_HEAD, JIT_ACC_TAIL) */
    uint32_t spill_off = pass->acc_off + (counting ? 3 * JC_VEC_BYTES_MAX : 0);
    pass->nout = ps->nout;
    pass->ncols_used = 0;
    pass->nslots = 0;
    pass->scalar_lo = pass->scalar_hi = 0;
    memset(pass->preg_kind, 0, sizeof pass->preg_kind);
    lowering L = {t, st, pass, marks, keys, p + 1, 0, 0, {{0, 0}}};

    /* Pointer registers: outputs first (not a counted one: it is no
     * memory), then columns by first use. */
    for (uint32_t k = 0; k < ps->nout && L.nreg < JC_PTR_REGS; k++) {
        if ((int32_t)k == pass->counted)
            continue;
        pass->preg_kind[L.nreg] = PREG_OUTPUT;
        pass->preg_esize[L.nreg] = pass->out_size[k];
        pass->preg_index[L.nreg++] = k;
    }
    /* Every output's nodes in evaluation order, one after another (outputs
     * are disjoint subtrees; each list ends with its output's root). */
    size_t cnt = 0;
    for (uint32_t k = 0; k < ps->nout; k++)
        cnt += pass_nodes(t, t->pass_outs[ps->first_out + k], order + cnt);
    int ifs = 0; /* the pass has an if */
    for (size_t j = 0; j < cnt; j++) {
        const jc_node *nd = &t->nodes[order[j]];
        ifs |= nd->op == OP_IF;
        if (nd->op != OP_COLUMN || keys[nd->slot])
            continue;
        keys[nd->slot] = 1; /* listed once; cleared below */
        pass->cols_used[pass->ncols_used++] = nd->slot;
        if (L.nreg < JC_PTR_REGS) {
            pass->preg_kind[L.nreg] = PREG_COLUMN;
            pass->preg_esize[L.nreg] = esize_of(nd->type);
            pass->preg_index[L.nreg++] = nd->slot;
        }
    }

    for (uint32_t u = 0; u < pass->ncols_used; u++)
        keys[pass->cols_used[u]] = 0;
    pass->npregs = L.nreg;

    /* a bool output kept in the mask register (counted or stored) may want
     * pins 12 and 13 for the scalars it compares with (JC_KPIN_FIRST,
     * JC_KPIN_AND) */
    int kpossible = 0;
    for (uint32_t k = 0; k < ps->nout && set->masks && set->npins == JC_PIN_REGS; k++) {
        const jc_node *r = &t->nodes[t->pass_outs[ps->first_out + k]];
        kpossible |= r->type == JC_BOOL && (r->op == OP_AND || mask_stencil(t, (uint32_t)(r - t->nodes), 1, KFORM_STACK) >= 0);
    }
    for (size_t j = 0; j < cnt && !kpossible && set->masks && set->npins == JC_PIN_REGS; j++) {
        uint32_t n = order[j];
        if (t->nodes[n].op != OP_IF ||
            (select_stencil(t, n) >= 0 && masked_then_stencil(t, n) < 0))
            continue;
        const jc_node *c = &t->nodes[tree_kid(t, n, 0)];
        kpossible = c->op == OP_AND || mask_stencil(t, tree_kid(t, n, 0), 1, KFORM_STACK) >= 0;
    }
    kpossible = kpossible && !pass_calls(&L, set, order, cnt);
    choose_pins(&L, set, order, cnt, order + cnt, keys, kpossible ? 2 : 0);
    /* keys, zero again, map each pin's key to it while the chain is made
     * (cleared at the end) */
    for (unsigned r = 0; r < L.npins; r++)
        keys[pin_key(&L, &L.pins[r])] = r + 1;

    /* Comparisons that are the condition of an if are computed by the if's
     * SEL stencil: their two operands stay on the stack (never fused into
     * the comparison). deferred[node], by node id, in the second half of
     * order (room for every node; set for this pass's nodes first), also
     * marks a counted conjunction of comparisons kept in the mask register
     * (MARK_KCMP, MARK_KAND). */
    uint32_t *deferred = NULL; /* none until the pass has such an if */
    int kcount = kpossible;
    if (ifs || kcount) {
        deferred = order + cnt;
        for (size_t i = 0; i < cnt; i++)
            deferred[order[i]] = 0;
    }
    for (size_t j = 0; ifs && j < cnt; j++) {
        if (t->nodes[order[j]].op != OP_IF || select_stencil(t, order[j]) < 0)
            continue;
        if (kcount && masked_then_stencil(t, order[j]) >= 0)
            continue; /* tried as a masked if below (MARK_IFCOND if not) */
        deferred[tree_kid(t, order[j], 0)] = MARK_IFCOND;
    }
    if (kcount) {
        /* each bool output that is a conjunction of comparisons, counted
         * or stored: its nodes run from after the previous output's root */
        mask_span spans[MAX_MASK_SPANS];
        size_t nspans = 0, from = 0, j = 0;
        for (uint32_t k = 0; k < ps->nout && j < cnt; j++) {
            uint32_t root = t->pass_outs[ps->first_out + k];
            if (order[j] != root)
                continue;
            if (t->nodes[root].type == JC_BOOL && mark_mask_chain(t, order, from, j + 1, deferred)) {
                mask_span sp = {settle_chain(order, from, j + 1, deferred, 1), j};
                if (nspans == MAX_MASK_SPANS) /* no room to check ifs against */
                    spans[nspans - 1] = (mask_span){0, cnt};
                else
                    spans[nspans++] = sp;
            }
            from = j + 1;
            k++;
        }
        /* then each if whose condition is one, inner ifs first, when the
         * mask would not be live across another chain's */
        for (j = 0; j < cnt; j++) {
            uint32_t n = order[j];
            if (t->nodes[n].op != OP_IF)
                continue;
            int sel = select_stencil(t, n) >= 0, masked = masked_then_stencil(t, n) >= 0;
            if (sel && !masked)
                continue;
            uint32_t c = tree_kid(t, n, 0);
            /* a masked if that does not keep the mask selects after all */
            uint32_t not_kept = sel ? MARK_IFCOND : 0;
            if (nspans == MAX_MASK_SPANS) {
                deferred[c] = not_kept;
                continue;
            }
            size_t cend = j;
            while (order[cend] != c)
                cend--; /* the condition ends before both branches */
            size_t cstart = subtree_start(t, order, cend);
            if (!mark_mask_chain(t, order, cstart, cend + 1, deferred)) {
                deferred[c] = not_kept;
                continue;
            }
            /* first where its chain would begin; then kept or dropped */
            size_t first = cstart;
            while (deferred[order[first]] != MARK_NCMP)
                first++;
            int clash = 0;
            for (size_t q = 0; q < nspans && !clash; q++)
                clash = first <= spans[q].to && spans[q].from <= j;
            settle_chain(order, cstart, cend + 1, deferred, !clash);
            if (clash) {
                deferred[c] = not_kept;
                continue;
            }
            spans[nspans++] = (mask_span){first, j};
            if (!masked) {
                deferred[n] = MARK_KIF;
                continue;
            }
            /* the else-branch first (into the stack), the then-branch's
             * operands above it, its operation under the mask: swap the
             * two branches' ranges of order (condition, then, else, if) */
            size_t estart = subtree_start(t, order, j - 1);
            size_t tstart = subtree_start(t, order, estart - 1);
            swap_ranges(order + tstart, estart - tstart, j - tstart);
            deferred[n] = MARK_KIFM;
            deferred[tree_kid(t, n, 1)] = MARK_MOP;
        }
    }
    int kfirst = 1; /* the next mask comparison is its chain's first */
    /* scalar slots (holes) loaded into pins 12 and 13 before the loop for
     * the first comparison and for one narrowing comparison; 0: unused */
    uint32_t kpin_hole[2] = {0, 0};

    int rc = 0;
    emitter e = {items, 0, 0, 0, 0, spill_off};
    put(&e, JC_ST_ENTRY, 0);
    /* scalars are pinned once per run, before the loop */
    for (unsigned r = 0; r < L.npins; r++) {
        if (L.pins[r].kind != PREG_SCALAR)
            continue;
        uint32_t hole = pass->scalar_off + 8 * L.pins[r].index;
        use_slot(&L, PREG_SCALAR, L.pins[r].index, hole);
        put(&e, JC_ST_PINS_64 + (int)r, hole);
    }
    size_t kpin_at = e.n; /* where the mask chain's pin loads go, if any */
    /* a count's accumulator: zero, then at the bottom of the stack for the
     * whole loop (every output's values are computed above it) */
    if (counting && apply(&e, JC_ST_ZERO_64, 'P', 0) < 0)
        goto malformed;
    *loop = e.n;
    /* columns once per iteration, at its head */
    for (unsigned r = 0; r < L.npins; r++) {
        if (L.pins[r].kind != PREG_COLUMN)
            continue;
        static const int pinp[JC_PTR_REGS] = {JC_ST_PINP0_64, JC_ST_PINP1_64,
                                              JC_ST_PINP2_64, JC_ST_PINP3_64};
        int preg = preg_of(&L, PREG_COLUMN, L.pins[r].index);
        uint32_t hole = pass->col_off + 8 * L.pins[r].index;
        if (preg < 0)
            use_slot(&L, PREG_COLUMN, L.pins[r].index, hole);
        put(&e, (preg < 0 ? JC_ST_PINC_64 : pinp[preg]) + (int)r, preg < 0 ? hole : 0);
    }
    size_t j = 0;
    for (uint32_t k = 0; k < ps->nout; k++) {
        uint32_t root = t->pass_outs[ps->first_out + k];
        kfirst = 1;
        for (; j < cnt; j++) {
            uint32_t n = order[j];
            const jc_node *nd = &t->nodes[n];
            int id, form;
            uint32_t hole;
            int pin = pin_of(&L, n);
            /* an if's comparison (SEL) and a masked operation take their
             * operands from the stack */
            int right = is_right_of_next(t, order, j, cnt) &&
                        !(deferred && (deferred[order[j + 1]] == MARK_IFCOND ||
                                       deferred[order[j + 1]] == MARK_MOP));
            if (pin >= 0 && right && nd->op == OP_CONST && scalar_as_operand(&L, order, j, cnt))
                pin = -1; /* pinned for its other uses; here an operand */
            if (pin >= 0) {
                /* the next operator takes it from its register, or a push */
                id = right ? pin_fused(t, order[j + 1]) : -1;
                if (id >= 0) {
                    rc = apply_pin(&e, id, 'U', (unsigned)pin);
                    j++;
                    nd = &t->nodes[order[j]];
                } else {
                    rc = apply_pin(&e, JC_ST_LOADR_64, 'P', (unsigned)pin);
                }
            } else if (right && (id = fusion(&L, order[j + 1], n, &form, &hole)) >= 0) {
                /* the next operator reads this leaf from memory */
                note_leaf(&L, n, form, hole);
                if (deferred && deferred[order[j + 1]] == MARK_KCMP && form == 0) {
                    /* the scalar from its pin (loaded once, before the
                     * loop: inserted at the end), or from its slot */
                    uint32_t *ph = &kpin_hole[!kfirst];
                    int pinned = *ph == 0;
                    if (pinned)
                        *ph = hole;
                    rc = apply(&e, mask_stencil(t, order[j + 1], kfirst,
                                                pinned ? KFORM_PIN : KFORM_SLOT),
                               'K', pinned ? 0 : hole);
                    kfirst = 0;
                } else {
                    rc = apply(&e, id, 'U', hole);
                }
                j++;
                nd = &t->nodes[order[j]];
            } else if (nd->op == OP_COLUMN) {
                int preg = preg_of(&L, PREG_COLUMN, nd->slot);
                hole = pass->col_off + 8 * nd->slot;
                if (preg < 0)
                    use_slot(&L, PREG_COLUMN, nd->slot, hole);
                rc = apply(&e, load_stencil(preg, nd->type), 'P', hole);
            } else if (nd->op == OP_CONST || is_aggregate(nd)) {
                uint32_t slot = nd->op == OP_CONST ? nd->slot : t->nconsts + nd->slot;
                hole = pass->scalar_off + 8 * slot;
                use_slot(&L, PREG_SCALAR, slot, hole);
                rc = apply(&e, nd->type == JC_BOOL ? JC_ST_SCALAR_B : JC_ST_SCALAR_64, 'P',
                           hole);
            } else if (deferred && deferred[n] == MARK_MOP) {
                /* over the else-branch's value, below its operands; the
                 * mask is its if's condition (the if is next) */
                rc = apply(&e, masked_then_stencil(t, order[j + 1]), 'Z', 0);
            } else if (deferred && deferred[n] == MARK_KIFM) {
                rc = 0; /* its then-branch's operation did the selecting */
                kfirst = 1;
            } else if (deferred && deferred[n] == MARK_IFCOND) {
                rc = 0; /* the if's SEL stencil compares */
            } else if (deferred && deferred[n] == MARK_KAND) {
                rc = 0; /* the masked comparisons did the `and` */
            } else if (deferred && deferred[n] == MARK_KCMP) {
                rc = apply(&e, mask_stencil(t, n, kfirst, KFORM_STACK), 'J', 0);
                kfirst = 0;
            } else if (deferred && deferred[n] == MARK_KIF) {
                rc = apply(&e, JC_ST_BLENDK, 'Y', 0); /* then, else: the mask picks */
                kfirst = 1;
            } else if ((id = select_stencil(t, n)) >= 0) {
                rc = apply(&e, id, 'Q', 0);
            } else {
                id = st[n].id;
                rc = id < 0 ? -1 : apply(&e, id, st[n].shape, 0);
            }
            if (rc < 0) {
                rc = error_set(err, JC_INTERNAL, nd->pos, -1,
                               "the JIT has no stencil for `%s` here", node_name(nd->op));
                goto done;
            }
            if (order[j] == root) {
                j++;
                break; /* this output is computed */
            }
        }
        int in_mask =
            kcount && (deferred[root] == MARK_KCMP || deferred[root] == MARK_KAND);
        if (e.k + e.base != (unsigned)!in_mask + (unsigned)counting)
            goto malformed;
        if ((int32_t)k == pass->counted) {
            /* the output's value sits right above the accumulator, or is
             * the mask register's lanes */
            if (in_mask ? apply(&e, JC_ST_COUNTK, 'M', 0) < 0
                        : apply(&e, JC_ST_COUNT, 'B', 0) < 0)
                goto malformed;
            continue;
        }
        int preg = preg_of(&L, PREG_OUTPUT, k);
        uint32_t hole = pass->out_off + 8 * k;
        if (preg < 0)
            use_slot(&L, PREG_OUTPUT, k, hole);
        if (in_mask) {
            /* bool bytes straight from the mask; the stack is untouched */
            static const int kst[] = {JC_ST_STOREKC_B, JC_ST_STOREKP0_B, JC_ST_STOREKP1_B,
                                      JC_ST_STOREKP2_B, JC_ST_STOREKP3_B};
            put(&e, kst[preg + 1], preg < 0 ? hole : 0);
        } else if (apply(&e, store_stencil(preg, t->nodes[root].type), 'O', hole) < 0) {
            goto malformed;
        }
    }
    put(&e, JC_ST_TAIL, 0);
    if (counting && apply(&e, JC_ST_ACCST, 'O', pass->acc_off) < 0)
        goto malformed;
    put(&e, JC_ST_EXIT, 0);
    /* the mask chain's scalar pins, loaded before the loop */
    for (unsigned q = 0; q < 2; q++) {
        if (!kpin_hole[q])
            continue;
        memmove(items + kpin_at + 1, items + kpin_at, (e.n - kpin_at) * sizeof *items);
        items[kpin_at].id = (uint16_t)(JC_ST_PINS_64 + (q ? JC_KPIN_AND : JC_KPIN_FIRST));
        items[kpin_at].hole = kpin_hole[q];
        e.n++;
        (*loop)++;
    }
    *nitems = e.n;
    pass->ctx_size = spill_off + e.max_spill * JC_VEC_BYTES_MAX;
    /* Edge vectors (jit_pass.edges) where aligning the loop or running the
     * last rows in the same call pays: a short body that calls nothing (a
     * call's cost dwarfs a split load). A count's head and tail vectors
     * count into accumulators of their own, whose lanes of rows the loop
     * does not count the runner adds. */
    size_t body = 0;
    while (*loop + body < e.n && items[*loop + body].id != JC_ST_TAIL)
        body++;
    pass->edges = body <= EDGE_MAX_ITEMS && !pass_calls(&L, set, order, cnt);
    /* the first two pointer registers of 8-byte streams, and whether a
     * third is a column, for the runner's choice of alignment */
    unsigned pair = 0;
    pass->align_more_columns = 0;
    for (unsigned r = 0; r < pass->npregs; r++) {
        if (pass->preg_esize[r] != 8)
            continue;
        if (pair < 2)
            pass->align_reg[pair++] = (uint8_t)r;
        else
            pass->align_more_columns |= pass->preg_kind[r] == PREG_COLUMN;
    }
    pass->edge_pair = pass->edges && pair == 2;
    rc = 0;
    goto done;
malformed:
    rc = error_set(err, JC_INTERNAL, 0, -1, "malformed pass %u", p);
done:
    for (unsigned r = 0; r < L.npins; r++)
        keys[pin_key(&L, &L.pins[r])] = 0;
    return rc;
}
