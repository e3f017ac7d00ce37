/* block.c — the block evaluator's workspace and driver (interp_block). */
#include "interp/block.h"

#include <stdatomic.h>
#include <string.h>

#include "util/mem.h"

uint64_t block_exec_base(const pass_plan *, void *const *, const jc_block_io *,
                         const mathfn_set *, size_t, size_t, size_t, block_check *);
#if defined(JC_BLOCK_X86)
uint64_t block_exec_avx2(const pass_plan *, void *const *, const jc_block_io *,
                         const mathfn_set *, size_t, size_t, size_t, block_check *);
uint64_t block_exec_avx512(const pass_plan *, void *const *, const jc_block_io *,
                           const mathfn_set *, size_t, size_t, size_t, block_check *);
#endif

static const block_isa isa_base = {"base", block_exec_base};
#if defined(JC_BLOCK_X86)
static const block_isa isa_avx2 = {"avx2", block_exec_avx2};
static const block_isa isa_avx512 = {"avx512", block_exec_avx512};
#endif

size_t block_isas(const block_isa **out, size_t max)
{
    const block_isa *all[3];
    size_t n = 0;
    all[n++] = &isa_base;
#if defined(JC_BLOCK_X86)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2"))
        all[n++] = &isa_avx2;
    /* block_exec_avx512.c is built with F, DQ, BW and VL */
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
        __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl"))
        all[n++] = &isa_avx512;
#endif
    for (size_t i = 0; i < n && i < max; i++)
        out[i] = all[i];
    return n;
}

const block_isa *block_best(void)
{
    /* every thread computes the same answer: a race only repeats it */
    static _Atomic(const block_isa *) best;
    const block_isa *b = atomic_load_explicit(&best, memory_order_acquire);
    if (!b) {
        const block_isa *all[3];
        size_t n = block_isas(all, 3);
        b = all[n - 1];
        atomic_store_explicit(&best, b, memory_order_release);
    }
    return b;
}

/* Scratch buffers are 64-byte aligned (one cache line, one AVX-512 vector)
 * and spaced 8 KiB + 192 bytes apart: at exactly 8 KiB, a kernel's loads
 * and stores at the same index would share their low 12 address bits and
 * stall on 4K aliasing (measured: E7 ran 1.6x slower). */
#define BUF_BYTES ((size_t)JC_BLOCK_ROWS * 8)
#define BUF_STRIDE (BUF_BYTES + 192)
#define BUF_ALIGN 64

int block_scratch_init(block_scratch *s, uint32_t nbufs, uint32_t nmasks, uint32_t nout)
{
    memset(s, 0, sizeof *s);
    size_t bytes = (size_t)nbufs * BUF_STRIDE + (size_t)nmasks * JC_BLOCK_ROWS;
    s->mem = mem_alloc(bytes + BUF_ALIGN);
    s->bufs = mem_calloc(nbufs ? nbufs : 1, sizeof *s->bufs);
    s->first = mem_calloc(nout ? nout : 1, sizeof *s->first);
    if (!s->mem || !s->bufs || !s->first) {
        block_scratch_free(s);
        return -1;
    }
    uintptr_t base = ((uintptr_t)s->mem + BUF_ALIGN - 1) & ~(uintptr_t)(BUF_ALIGN - 1);
    for (uint32_t i = 0; i < nbufs; i++)
        s->bufs[i] = (char *)base + (size_t)i * BUF_STRIDE;
    s->masks = (uint8_t *)base + (size_t)nbufs * BUF_STRIDE;
    return 0;
}

void block_scratch_free(block_scratch *s)
{
    mem_free(s->mem);
    mem_free(s->bufs);
    mem_free(s->first);
    memset(s, 0, sizeof *s);
}

struct interp_ws {
    const jc_tree *tree;
    uint32_t npasses;
    pass_plan *plans;
    block_scratch scratch; /* for the largest plan */
    block_exec_fn exec;
    const mathfn_set *math;
};

void interp_ws_free(interp_ws *ws)
{
    if (!ws)
        return;
    for (uint32_t p = 0; p < ws->npasses; p++)
        plan_free(&ws->plans[p]);
    mem_free(ws->plans);
    block_scratch_free(&ws->scratch);
    mem_free(ws);
}

interp_ws *interp_ws_new(const jc_tree *t)
{
    interp_ws *ws = mem_calloc(1, sizeof *ws);
    if (!ws)
        return NULL;
    ws->tree = t;
    ws->exec = block_best()->exec;
    ws->math = mathfn_best();
    ws->plans = mem_calloc(t->npasses ? t->npasses : 1, sizeof *ws->plans);
    if (!ws->plans)
        goto fail;
    uint32_t nbufs = 0, nmasks = 1, nout = 1;
    for (uint32_t p = 0; p < t->npasses; p++) {
        ws->npasses = p + 1;
        const pass_plan *pl = &ws->plans[p];
        if (plan_build_pass(&ws->plans[p], t, p) < 0)
            goto fail;
        nbufs = pl->nbufs > nbufs ? pl->nbufs : nbufs;
        nmasks = pl->nmasks > nmasks ? pl->nmasks : nmasks;
        nout = pl->nout > nout ? pl->nout : nout;
    }
    if (block_scratch_init(&ws->scratch, nbufs, nmasks, nout) < 0)
        goto fail;
    return ws;
fail:
    interp_ws_free(ws);
    return NULL;
}

void interp_ws_force(interp_ws *ws, const block_isa *isa, const mathfn_set *math)
{
    if (isa)
        ws->exec = isa->exec;
    if (math)
        ws->math = math;
}

uint64_t interp_block(const jc_tree *t, unsigned pass, const jc_block_io *io,
                      size_t begin, size_t end, interp_ws *ws)
{
    if (!ws || ws->tree != t || pass >= ws->npasses)
        return UINT64_C(1) << JC_INTERNAL; /* the precise path reports it */
    const pass_plan *plan = &ws->plans[pass];
    block_check chk = {NULL, ws->scratch.masks, ws->scratch.first};
    for (size_t row = begin; row < end; row += JC_BLOCK_ROWS) {
        size_t n = end - row < JC_BLOCK_ROWS ? end - row : JC_BLOCK_ROWS;
        void *const *bufs = ws->scratch.bufs;
        uint64_t fault = ws->exec(plan, bufs, io, ws->math, row, n, row - begin, NULL);
        if (!fault)
            continue;
        /* Some lane faulted: again with masks, so that a fault in a lazy
         * side the row does not take (`b != 0 and a // b > 1`) is none. */
        for (uint32_t k = 0; k < plan->nout; k++)
            chk.first[k] = SIZE_MAX;
        fault = ws->exec(plan, bufs, io, ws->math, row, n, row - begin, &chk);
        if (fault)
            return fault;
    }
    return 0;
}
