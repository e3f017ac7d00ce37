/*
 * jit.c — compiling a typed tree: lower every pass (lower.c), then emit in
 * two passes over the chains — first add up the sizes, then allocate once
 * from the pool and copy and patch each stencil (linker/patch.h). A
 * stencil's trailing `jmp jc_cont` is dropped when the next stencil follows
 * it directly, so a chain runs straight through.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "jit/internal.h"
#include "linker/patch.h"
#include "util/error.h"
#include "util/mem.h"

/* ---- pool --------------------------------------------------------------- */

jit_pool *jit_pool_new(jc_error *err)
{
    jit_pool *p = mem_calloc(1, sizeof *p);
    if (!p) {
        error_set(err, JC_OUT_OF_MEMORY, 0, -1, "out of memory");
        return NULL;
    }
    p->mem = codemem_new(err);
    if (!p->mem) {
        mem_free(p);
        return NULL;
    }
    pthread_mutex_init(&p->lock, NULL);
    return p;
}

void jit_pool_free(jit_pool *pool)
{
    if (!pool)
        return;
    codemem_free(pool->mem);
    pthread_mutex_destroy(&pool->lock);
    mem_free(pool);
}

/* The set's read-only data and one GOT slot per function it calls, written
 * once per pool: every code of the set addresses them PC-relative (the
 * pool is one reserved range, so they are always within rel32 reach). */
int pool_common(jit_pool *pool, jit_isa isa, uintptr_t *rodata_x, uintptr_t *got_x,
                jc_error *err)
{
    const jc_stencil_set *set = jit_isa_set(isa);
    int rc = 0;
    /* written once: after the first compile of a set, no lock (the release
     * store below publishes the addresses with it) */
    if (__atomic_load_n(&pool->common_x[isa], __ATOMIC_ACQUIRE)) {
        *rodata_x = pool->rodata_x[isa];
        *got_x = pool->got_x[isa];
        return 0;
    }
    pthread_mutex_lock(&pool->lock);
    if (!pool->common_x[isa]) {
        size_t ro = (set->rodata_size + 63) & ~(size_t)63;
        uint8_t *w;
        uintptr_t x;
        size_t held;
        if (codemem_alloc(pool->mem, ro + 8 * (size_t)set->nfuncs, &w, &x, &held) < 0) {
            rc = error_set(err, JC_OUT_OF_MEMORY, 0, -1, "out of code memory");
        } else {
            memcpy(w, set->rodata, set->rodata_size);
            for (unsigned i = 0; i < set->nfuncs; i++) {
                uint64_t a = (uint64_t)(uintptr_t)set->funcs[i];
                memcpy(w + ro + 8 * i, &a, 8);
            }
            pool->rodata_x[isa] = x;
            pool->got_x[isa] = x + ro;
            pool->common_held[isa] = held;
            __atomic_store_n(&pool->common_x[isa], x, __ATOMIC_RELEASE);
        }
    }
    *rodata_x = pool->rodata_x[isa];
    *got_x = pool->got_x[isa];
    pthread_mutex_unlock(&pool->lock);
    return rc;
}

/* ---- support ------------------------------------------------------------ */

int jit_supports(const jc_tree *t, jit_isa isa)
{
    if (!jit_isa_set(isa))
        return 0;
    for (uint32_t n = 0; n < t->nnodes; n++) {
        char shape;
        if (lower_node_stencil(t, n, &shape) < 0)
            return 0;
    }
    return 1;
}

/* ---- emit --------------------------------------------------------------- */

typedef struct emit_ctx {
    const jc_stencil_set *set;
    uint8_t *w;      /* NULL while sizing */
    uintptr_t x;
    uintptr_t rodata_x, got_x;
} emit_ctx;

#define ALIGN_PASS 16u
#define ALIGN_LOOP 16u

/* The bytes stencil `id` takes when another stencil follows it (its
 * trailing jump dropped) or not. */
static size_t stencil_bytes(const jc_stencil_set *set, int id, int followed)
{
    const jc_stencil *st = &set->stencils[id];
    size_t sz = st->size;
    if ((st->flags & JC_STENCIL_TRAILING_JUMP) && followed)
        sz -= patch_trailing_jump_bytes;
    return sz;
}

/* Lays out (and, when e->w is set, writes) one stencil at *at; loop_x is
 * the address of the loop's head (the target of its back edge). Returns
 * 0, or -1 if a hole cannot be patched or the set lacks the stencil. */
/* In line: it runs once per stencil per compile, and a call's frame cost
 * as much as its work. */
static inline __attribute__((always_inline)) int emit_one(const emit_ctx *e,
                                                          const jit_item *item, int followed,
                                                          uintptr_t loop_x, size_t *at)
{
    const jc_stencil_set *set = e->set;
    const jc_stencil *st = &set->stencils[item->id];
    if (st->size == 0)
        return -1; /* not in this set (a pin beyond its registers) */
    size_t sz = stencil_bytes(set, item->id, followed);
    uint8_t *w = e->w; /* a local: bytes written through w may alias anything */
    if (w) {
        const uintptr_t x = e->x;
        memcpy(w + *at, set->code + st->code, sz);
        const jc_hole *h = set->holes + st->holes;
        for (unsigned k = 0, nh = st->nholes; k < nh; k++) {
            if (h[k].offset >= sz)
                continue; /* the dropped trailing jump */
            uint64_t v;
            switch (h[k].sym) {
            case JC_SYM_CONT: v = x + *at + sz; break;
            case JC_SYM_TARGET: v = loop_x; break;
            case JC_SYM_HOLE_A: v = item->hole; break;
            case JC_SYM_RODATA: v = e->rodata_x; break;
            case JC_SYM_FUNC: v = e->got_x + 8u * h[k].index; break;
            default: return -1;
            }
            if (patch_hole(w + *at, x + *at, &h[k], v) < 0)
                return -1;
        }
    }
    *at += sz;
    return 0;
}

/* Lays out (and, when e->w is set, writes) one pass's chain at *pos:
 * items[0, loop) before the loop, then the loop from items[loop] on; its
 * entry is at *pos rounded up to ALIGN_PASS. With edges, a second entry
 * follows (at *edge_entry): items[0, loop) again, the loop's body
 * (items[loop] up to its TAIL) at the head vector, EDGET, the body at the
 * tail vector, and EDGEL, which jumps into the first entry's loop. Apart,
 * so that the plain entry runs the same bytes as code without edges.
 * Returns 0, or -1 if a hole cannot be patched. */
static int emit_pass(const emit_ctx *e, const jit_item *items, size_t n, size_t loop,
                     const jit_pass *ps, size_t *pos, size_t *edge_entry)
{
    int edges = ps->edges;
    size_t at = (*pos + ALIGN_PASS - 1) & ~(size_t)(ALIGN_PASS - 1);
    if (e->w)
        patch_fill_nops(e->w + *pos, at - *pos);
    uintptr_t loop_x = 0;
    for (size_t j = 0; j < n; j++) {
        if (j == loop) {
            size_t head = (at + ALIGN_LOOP - 1) & ~(size_t)(ALIGN_LOOP - 1);
            if (e->w)
                patch_fill_nops(e->w + at, head - at);
            at = head;
            loop_x = e->x + at;
        }
        if (emit_one(e, &items[j], j + 1 < n, loop_x, &at) < 0)
            return -1;
    }
    if (edges) {
        size_t tail = loop;
        while (tail < n && items[tail].id != JC_ST_TAIL)
            tail++;
        size_t entry = (at + ALIGN_PASS - 1) & ~(size_t)(ALIGN_PASS - 1);
        if (tail == n)
            return -1;
        if (e->w)
            patch_fill_nops(e->w + at, entry - at);
        at = entry;
        *edge_entry = entry;
        static const jit_item move_tail = {JC_ST_EDGET, 0}, move_loop = {JC_ST_EDGEL, 0},
                              exit = {JC_ST_EXIT, 0};
        /* a count: the head's and the tail's lanes are stored apart (the
         * chain's ACCST with another slot) and the accumulator zeroed
         * again (its ZERO_64) before the next */
        jit_item zero = {0, 0}, store = {0, 0};
        for (size_t j = 0; ps->counted >= 0 && j < loop; j++)
            if (items[j].id >= JC_ST_ZERO_64 && items[j].id <= JC_ST_ZERO_64_LAST_)
                zero = items[j];
        for (size_t j = tail; ps->counted >= 0 && j < n; j++)
            if (items[j].id >= JC_ST_ACCST && items[j].id <= JC_ST_ACCST_LAST_)
                store = items[j];
        if (ps->counted >= 0 && (!zero.id || !store.id))
            return -1;
        for (size_t j = 0; j < loop; j++)
            if (emit_one(e, &items[j], 1, loop_x, &at) < 0)
                return -1;
        for (int copy = 0; copy < 2; copy++) {
            for (size_t j = loop; j < tail; j++)
                if (emit_one(e, &items[j], 1, loop_x, &at) < 0)
                    return -1;
            if (ps->counted >= 0) {
                store.hole = ps->acc_off + (copy ? JIT_ACC_TAIL : JIT_ACC_HEAD);
                if (emit_one(e, &store, 1, loop_x, &at) < 0 ||
                    emit_one(e, &zero, 1, loop_x, &at) < 0)
                    return -1;
            }
            if (emit_one(e, copy ? &move_loop : &move_tail, 1, loop_x, &at) < 0)
                return -1;
        }
        /* never reached (EDGEL always jumps): an exit, not the next pass */
        if (emit_one(e, &exit, 0, loop_x, &at) < 0)
            return -1;
    }
    *pos = at;
    return 0;
}

/* ---- compile ------------------------------------------------------------ */

static void code_free_arrays(jit_code *c)
{
    /* passes, their arrays, col_type and chain live in c's own block */
    mem_free((void *)atomic_load(&c->names));
}

static size_t round8(size_t n) { return (n + 7) & ~(size_t)7; }

/* jit_compile's scratch up to this size is on the stack: E7, a degree-10
 * polynomial, needs about 2.5 KiB. */
#define SMALL_SCRATCH 8192

/* The code object, its passes, their plan arrays and room for a chain of
 * max_items stencils in one block (one allocation per compile instead of
 * one per array). */
static jit_code *code_new(const jc_tree *t, size_t max_items)
{
    size_t np = t->npasses, nc = t->ncolumns;
    size_t size = round8(sizeof(jit_code)) + round8(np * sizeof(jit_pass)) + round8(nc) +
                  round8((max_items + np) * sizeof(uint16_t));
    for (size_t p = 0; p < np; p++)
        size += round8(t->passes[p].nout) + round8(nc * sizeof(uint32_t)) +
                round8(lower_max_slots(t, (unsigned)p) * sizeof(jit_slot));
    char *b = mem_calloc(1, size);
    if (!b)
        return NULL;
    jit_code *c = (jit_code *)b;
    b += round8(sizeof(jit_code));
    c->passes = (jit_pass *)b;
    b += round8(np * sizeof(jit_pass));
    c->col_type = (uint8_t *)b;
    b += round8(nc);
    c->chain = (uint16_t *)b;
    b += round8((max_items + np) * sizeof(uint16_t));
    for (size_t p = 0; p < np; p++) {
        jit_pass *ps = &c->passes[p];
        uint32_t nout = t->passes[p].nout;
        ps->slots = (jit_slot *)b;
        b += round8(lower_max_slots(t, (unsigned)p) * sizeof(jit_slot));
        ps->cols_used = (uint32_t *)b;
        b += round8(nc * sizeof(uint32_t));
        ps->out_size = (uint8_t *)b;
        b += round8(nout);
        ps->counted = -1;
        for (uint32_t k = 0; k < nout; k++) {
            uint32_t node = t->pass_outs[t->passes[p].first_out + k];
            ps->out_size[k] = t->nodes[node].type == JC_BOOL ? 1 : 8;
            /* one counted output a pass: its accumulator takes a register */
            if (ps->counted < 0 && !t->passes[p].is_final && tree_output_counted(t, node)) {
                ps->counted = (int32_t)k;
                ps->out_size[k] = 0;
            }
        }
    }
    return c;
}

jit_code *jit_compile(jit_pool *pool, const jc_tree *t, jit_isa isa, jc_error *err)
{
    const jc_stencil_set *set = jit_isa_set(isa);
    if (!set || !jit_isa_supported(isa)) {
        error_set(err, JC_INVALID_ARGUMENT, 0, -1, "instruction set %s is not available",
                  jit_isa_name(isa));
        return NULL;
    }
    emit_ctx e = {set, NULL, 0, 0, 0};
    if (pool_common(pool, isa, &e.rodata_x, &e.got_x, err) < 0)
        return NULL;

    /* scratch, one block (on the stack when it fits): items, ranges, every
     * node's stencil, order, marks and keys */
    size_t max_items = lower_max_items(t) + 8 * (size_t)t->npasses;
    size_t nkeys = (size_t)t->ncolumns + t->nconsts + t->naggs + 1;
    size_t norder = (size_t)t->nnodes * 2 + 1;
    size_t bytes = round8(max_items * sizeof(jit_item)) +
                   ((size_t)t->npasses * 3 + 1) * sizeof(size_t) +
                   round8((size_t)t->nnodes * sizeof(jit_node_st)) +
                   (norder + 2 * nkeys) * sizeof(uint32_t);
    _Alignas(16) char small[SMALL_SCRATCH];
    char *scratch = bytes <= sizeof small ? small : mem_alloc(bytes);
    jit_code *c = NULL;
    if (!scratch)
        goto oom;
    jit_item *items = (jit_item *)scratch;
    size_t *ranges = (size_t *)(scratch + round8(max_items * sizeof(jit_item)));
    jit_node_st *st = (jit_node_st *)(ranges + (size_t)t->npasses * 3 + 1);
    uint32_t *order = (uint32_t *)((char *)st + round8((size_t)t->nnodes * sizeof *st));
    uint32_t *marks = order + norder; /* marks, then keys: zero */
    /* every node's stencil, once: none for some node means no JIT code
     * (jit_supports would have said 0) */
    for (uint32_t n = 0; n < t->nnodes; n++) {
        st[n].id = (int16_t)lower_node_stencil(t, n, &st[n].shape);
        if (st[n].id < 0) {
            error_set(err, JC_INTERNAL, t->nodes[n].pos, -1,
                      "the JIT has no stencil for `%s` here", op_name((jc_op)t->nodes[n].op));
            goto fail;
        }
    }
    c = code_new(t, max_items);
    if (!c)
        goto oom;
    memset(marks, 0, 2 * nkeys * sizeof *marks);
    c->pool = pool;
    c->isa = isa;
    c->lanes = set->lanes;
    c->npasses = t->npasses;
    c->ncolumns = t->ncolumns;
    c->nscalars = t->nconsts + t->naggs;
    for (uint32_t s = 0; s < t->ncolumns; s++)
        c->col_type[s] = t->columns[s].type;

    /* lower every pass into one item array */
    size_t nitems = 0;
    for (unsigned p = 0; p < t->npasses; p++) {
        jit_pass *ps = &c->passes[p];
        size_t n, loop;
        if (lower_pass(t, st, set, p, items + nitems, &n, &loop, ps, order, marks,
                       marks + nkeys, err) < 0)
            goto fail;
        ranges[3 * p] = nitems;
        ranges[3 * p + 1] = n;
        ranges[3 * p + 2] = loop;
        nitems += n;
    }

    /* size, allocate once, emit */
    size_t size = 0;
    for (unsigned p = 0; p < t->npasses; p++) {
        size_t unused;
        if (emit_pass(&e, items + ranges[3 * p], ranges[3 * p + 1], ranges[3 * p + 2],
                      &c->passes[p], &size, &unused) < 0) {
            error_set(err, JC_INTERNAL, 0, -1, "pass %u has a stencil its set lacks", p);
            goto fail;
        }
    }
    if (codemem_alloc(pool->mem, size, &c->w, &c->x, &c->held) < 0) {
        error_set(err, JC_OUT_OF_MEMORY, 0, -1, "out of code memory");
        goto fail;
    }
    e.w = c->w;
    e.x = c->x;
    size_t pos = 0;
    for (unsigned p = 0; p < t->npasses; p++) {
        size_t start = (pos + ALIGN_PASS - 1) & ~(size_t)(ALIGN_PASS - 1);
        size_t edge_entry = 0;
        if (emit_pass(&e, items + ranges[3 * p], ranges[3 * p + 1], ranges[3 * p + 2],
                      &c->passes[p], &pos, &edge_entry) < 0) {
            error_set(err, JC_INTERNAL, 0, -1, "a stencil hole could not be patched");
            goto fail;
        }
        c->passes[p].code_off = (uint32_t)start;
        c->passes[p].edge_off = (uint32_t)edge_entry;
        c->passes[p].code_len = (uint32_t)(pos - start);
        perfmap_note(c->x + start, pos - start, set->isa, p);
    }
    /* aarch64 (issue 11): instruction fetch sees the stores above only once
     * the caches are cleaned (dc cvau, ic ivau); a no-op on x86-64. */
    __builtin___clear_cache((char *)c->x, (char *)(c->x + pos));

    /* the chain for explain */
    size_t k = 0;
    for (unsigned p = 0; p < t->npasses; p++) {
        if (p)
            c->chain[k++] = CHAIN_BAR;
        for (size_t j = 0; j < ranges[3 * p + 1]; j++)
            c->chain[k++] = items[ranges[3 * p] + j].id;
    }
    c->nchain = k;
    if (scratch != small)
        mem_free(scratch);
    return c;
oom:
    error_set(err, JC_OUT_OF_MEMORY, 0, -1, "out of memory");
fail:
    if (scratch != small)
        mem_free(scratch);
    if (c) {
        if (c->held)
            codemem_release(pool->mem, c->x, c->held);
        code_free_arrays(c);
        mem_free(c);
    }
    return NULL;
}

void jit_code_free(jit_code *code)
{
    if (!code)
        return;
    codemem_release(code->pool->mem, code->x, code->held);
    code_free_arrays(code);
    mem_free(code);
}

size_t jit_code_bytes(const jit_code *code)
{
    return code ? code->held : 0;
}

/* Made on first use, not on every compile: few callers ask. Threads
 * racing here both make it; one wins, the other frees its copy. */
size_t jit_code_stencils(const jit_code *code, const char *const **names)
{
    jit_code *c = (jit_code *)code;
    const char **made = atomic_load(&c->names);
    if (!made) {
        made = mem_alloc((c->nchain ? c->nchain : 1) * sizeof *made);
        if (!made) {
            *names = NULL;
            return 0;
        }
        for (size_t k = 0; k < c->nchain; k++)
            made[k] = c->chain[k] == CHAIN_BAR ? "|" : jc_stencil_names[c->chain[k]];
        const char **expected = NULL;
        if (!atomic_compare_exchange_strong(&c->names, &expected, made)) {
            mem_free(made);
            made = expected;
        }
    }
    *names = made;
    return c->nchain;
}

int jit_code_range(const jit_code *code, unsigned pass, const void **start, size_t *len)
{
    if (!code || pass >= code->npasses)
        return -1;
    *start = (const void *)(code->x + code->passes[pass].code_off);
    *len = code->passes[pass].code_len;
    return 0;
}
