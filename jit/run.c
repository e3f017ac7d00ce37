/*
 * run.c — running a compiled pass over rows [begin, end): fill the context
 * slots and pointer registers the pass reads (column and output pointers,
 * scalar slots), run the loop over whole vectors, then run the rows that do
 * not fill a vector through the same code on padded scratch copies and copy
 * their results back. Faults are lane bits; those of padding lanes are
 * dropped.
 *
 * The loop's row register counts up to zero (ops/ctx.h): it starts at
 * minus the loop's rows, and every pointer is passed biased so that
 * `p + i * size` addresses row (end_of_loop + i).
 */
#include <string.h>

#include "jit/internal.h"
#include "util/mem.h"

typedef uint64_t (*entry_fn)(jc_ctx *c);

/* Vectors of tail scratch kept on the stack (one per column read and per
 * output); more go to the heap. */
#define TAIL_STACK_VECTORS 32

/* Pointer arithmetic in integers: biased bases may point outside. */
static char *bias(const void *base, size_t rows, size_t esize)
{
    return (char *)((uintptr_t)base + (uintptr_t)(rows * esize));
}

/* Fills the pointer registers and context slots for a loop that ends at
 * row `stop` (exclusive); io's outputs start at row `begin`. */
static void fill(jc_ctx *c, const jit_pass *ps, const void *const *cols,
                 void *const *outs, const uint64_t *scalars, size_t begin, size_t stop)
{
    for (unsigned r = 0; r < JC_PTR_REGS; r++) {
        uint32_t x = ps->preg_index[r];
        if (ps->preg_kind[r] == PREG_COLUMN)
            c->preg[r] = bias(cols[x], stop, ps->preg_esize[r]);
        else if (ps->preg_kind[r] == PREG_OUTPUT)
            c->preg[r] = bias(outs[x], stop - begin, ps->preg_esize[r]);
    }
    for (uint32_t k = 0; k < ps->nslots; k++) {
        const jit_slot *s = &ps->slots[k];
        char **at = (char **)((char *)c + s->off);
        if (s->kind == PREG_COLUMN)
            *at = bias(cols[s->index], stop, s->esize);
        else
            *at = bias(outs[s->index], stop - begin, s->esize);
    }
    if (ps->scalar_hi > ps->scalar_lo)
        memcpy((char *)c + ps->scalar_off + 8 * ps->scalar_lo, scalars + ps->scalar_lo,
               8 * (size_t)(ps->scalar_hi - ps->scalar_lo));
}

static uint64_t call(const jit_code *code, const jit_pass *ps, jc_ctx *c)
{
    entry_fn f = (entry_fn)(code->x + ps->code_off);
    uint64_t m = f(c);
#if defined(__x86_64__)
    /* AVX code leaves the upper halves dirty; SSE code after it would pay */
    if (code->isa == JIT_ISA_AVX2 || code->isa == JIT_ISA_AVX512)
        __asm__ volatile("vzeroupper" ::: "memory");
#endif
    return m;
}

/* Out of line: its scratch would otherwise make every call's frame large. */
__attribute__((noinline)) static uint64_t run_tail(const jit_code *code, const jit_pass *ps, jc_ctx *c,
                         const jc_block_io *io, size_t begin, size_t t0, size_t r)
{
    unsigned L = code->lanes;
    size_t nvec = (size_t)ps->ncols_used + ps->nout;
    size_t nptr = (size_t)code->ncolumns + ps->nout;
    _Alignas(64) unsigned char stackbuf[TAIL_STACK_VECTORS * JC_VEC_BYTES_MAX];
    const void *stackptr[TAIL_STACK_VECTORS];
    unsigned char *buf = stackbuf, *heap = NULL;
    const void **ptrs = stackptr;
    if (nvec > TAIL_STACK_VECTORS || nptr > TAIL_STACK_VECTORS) {
        heap = mem_alloc(nvec * JC_VEC_BYTES_MAX + nptr * sizeof(void *) + 64);
        if (!heap)
            return ~(uint64_t)0; /* the executor re-runs the block exactly */
        buf = (unsigned char *)(((uintptr_t)heap + 63) & ~(uintptr_t)63);
        ptrs = (const void **)(buf + nvec * JC_VEC_BYTES_MAX);
    }
    const void **cols = ptrs;
    void **outs = (void **)(ptrs + code->ncolumns);
    memcpy(cols, io->cols, code->ncolumns * sizeof *cols);
    for (uint32_t u = 0; u < ps->ncols_used; u++) {
        uint32_t s = ps->cols_used[u];
        unsigned char *v = buf + (size_t)u * JC_VEC_BYTES_MAX;
        uint8_t type = code->col_type[s];
        size_t es = type == JC_BOOL ? 1 : 8;
        memcpy(v, (const char *)io->cols[s] + t0 * es, r * es);
        /* padding that no operation faults on: 1, 1.0, false */
        for (size_t k = r; k < L; k++) {
            if (type == JC_F64) {
                double one = 1.0;
                memcpy(v + k * 8, &one, 8);
            } else if (type == JC_I64) {
                int64_t one = 1;
                memcpy(v + k * 8, &one, 8);
            } else {
                v[k] = 0;
            }
        }
        /* element 0 stands for row 0, as io->cols */
        cols[s] = (const void *)((uintptr_t)v - (uintptr_t)(t0 * es));
    }
    unsigned char *ob = buf + (size_t)ps->ncols_used * JC_VEC_BYTES_MAX;
    for (uint32_t k = 0; k < ps->nout; k++)
        outs[k] = ob + (size_t)k * JC_VEC_BYTES_MAX;
    fill(c, ps, cols, outs, io->scalars, t0, t0 + L);
    c->begin = (size_t)0 - L;
    c->fault = 0;
    uint64_t m = call(code, ps, c) & ((1ull << r) - 1);
    for (uint32_t k = 0; k < ps->nout; k++)
        memcpy((char *)io->outs[k] + (t0 - begin) * ps->out_size[k],
               ob + (size_t)k * JC_VEC_BYTES_MAX, r * ps->out_size[k]);
    if (heap)
        mem_free(heap);
    return m;
}

uint64_t jit_run(const jit_code *code, unsigned pass, const jc_block_io *io,
                 size_t begin, size_t end)
{
    if (end <= begin || pass >= code->npasses)
        return 0;
    const jit_pass *ps = &code->passes[pass];
    if (ps->nout == 0)
        return 0;
    _Alignas(64) unsigned char stackbuf[2048]; /* under a page: no stack probes */
    unsigned char *heap = NULL;
    jc_ctx *c = (jc_ctx *)stackbuf;
    if (ps->ctx_size > sizeof stackbuf) {
        heap = mem_alloc(ps->ctx_size + 63);
        if (!heap)
            return ~(uint64_t)0; /* the executor re-runs the block exactly */
        c = (jc_ctx *)(((uintptr_t)heap + 63) & ~(uintptr_t)63);
    }
    c->fault = 0;
    /* lanes is a power of two */
    size_t nfull = (end - begin) & ~(size_t)(code->lanes - 1);
    uint64_t mask = 0;
    if (nfull) {
        fill(c, ps, io->cols, io->outs, io->scalars, begin, begin + nfull);
        c->begin = (size_t)0 - nfull;
        mask = call(code, ps, c);
    }
    if (end - begin > nfull)
        mask |= run_tail(code, ps, c, io, begin, begin + nfull, end - begin - nfull);
    if (heap)
        mem_free(heap);
    return mask;
}
