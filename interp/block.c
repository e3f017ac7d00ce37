/* block.c — the block evaluator's workspace and driver (interp_block). */
#include "interp/block.h"

#include <stdatomic.h>
#include <string.h>

#include "util/mem.h"

uint64_t block_exec_base(const pass_plan *, void *const *, const jc_block_io *,
                         const mathfn_set *, size_t, size_t, size_t);
#if defined(JC_BLOCK_X86)
uint64_t block_exec_avx2(const pass_plan *, void *const *, const jc_block_io *,
                         const mathfn_set *, size_t, size_t, size_t);
uint64_t block_exec_avx512(const pass_plan *, void *const *, const jc_block_io *,
                           const mathfn_set *, size_t, size_t, size_t);
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

static const block_isa *best_isa(void)
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

/* Scratch buffers are 64-byte aligned (one cache line, one AVX-512 vector). */
#define BUF_BYTES ((size_t)JC_BLOCK_ROWS * 8)
#define BUF_ALIGN 64

struct interp_ws {
    const jc_tree *tree;
    uint32_t npasses;
    pass_plan *plans;
    void *mem;   /* unaligned allocation holding the buffers */
    void **bufs; /* max nbufs over the passes */
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
    mem_free(ws->mem);
    mem_free(ws->bufs);
    mem_free(ws);
}

interp_ws *interp_ws_new(const jc_tree *t)
{
    interp_ws *ws = mem_calloc(1, sizeof *ws);
    if (!ws)
        return NULL;
    ws->tree = t;
    ws->exec = best_isa()->exec;
    ws->math = mathfn_best();
    ws->plans = mem_calloc(t->npasses ? t->npasses : 1, sizeof *ws->plans);
    if (!ws->plans)
        goto fail;
    uint32_t nbufs = 0;
    for (uint32_t p = 0; p < t->npasses; p++) {
        ws->npasses = p + 1;
        if (plan_build_pass(&ws->plans[p], t, p) < 0)
            goto fail;
        if (ws->plans[p].nbufs > nbufs)
            nbufs = ws->plans[p].nbufs;
    }
    ws->bufs = mem_calloc(nbufs ? nbufs : 1, sizeof *ws->bufs);
    ws->mem = mem_alloc((size_t)nbufs * BUF_BYTES + BUF_ALIGN);
    if (!ws->bufs || !ws->mem)
        goto fail;
    uintptr_t base = ((uintptr_t)ws->mem + BUF_ALIGN - 1) & ~(uintptr_t)(BUF_ALIGN - 1);
    for (uint32_t i = 0; i < nbufs; i++)
        ws->bufs[i] = (char *)base + (size_t)i * BUF_BYTES;
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
    for (size_t row = begin; row < end; row += JC_BLOCK_ROWS) {
        size_t n = end - row < JC_BLOCK_ROWS ? end - row : JC_BLOCK_ROWS;
        uint64_t fault = ws->exec(plan, ws->bufs, io, ws->math, row, n, row - begin);
        if (fault)
            return fault;
    }
    return 0;
}
