/*
 * run.c — running a compiled pass over rows [begin, end): fill the context
 * slots and pointer registers the pass reads (column and output pointers,
 * scalar slots), run the loop over whole vectors, then run the rows that do
 * not fill a vector through the same code on padded scratch copies and copy
 * their results back. Faults are lane bits; those of padding lanes are
 * dropped.
 *
 * The loop's row register counts up to zero (ops/ctx.h, jc_entry_fn): it
 * starts at minus the loop's rows, and every pointer is passed biased so
 * that `p + i * size` addresses row (end_of_loop + i).
 */
#include <string.h>

#include "jit/internal.h"
#include "util/mem.h"

/* Runs of at least this many rows start with one vector at their first
 * row and then loop from the row where most streams are vector-aligned
 * (split loads and stores cost about twice as much). Below it the two more
 * kernel calls cost more than they save: measured at 1,000 rows, where an
 * aligned cheap loop runs 1.4-1.7x faster, each extra call still cost
 * about 15 ns (its own loop exit and return), and E1 and E5 ran slower. */
#define ALIGN_MIN_ROWS 4096

/* With edge vectors (jit_pass.edges) no extra call is needed to align,
 * only one more vector of work: runs of this many rows start their loop
 * where most streams are aligned. */
#define EDGE_ALIGN_MIN_ROWS 256

/* Vectors of tail scratch kept on the stack (one per column read and per
 * output); more go to the heap. */
#define TAIL_STACK_VECTORS 32

/* Pointer arithmetic in integers: biased bases may point outside. */
static char *bias(const void *base, size_t rows, size_t esize)
{
    return (char *)((uintptr_t)base + (uintptr_t)(rows * esize));
}

/* Inlined into jit_run: for a small run they are most of its cost. */
#define ALWAYS_INLINE static inline __attribute__((always_inline))

/* The arguments of one call of a pass's code: the pointer registers, and
 * the context slots filled, for a loop that ends at row `stop` (exclusive);
 * io's outputs start at row `begin`. */
typedef struct call_args {
    char *p[JC_PTR_REGS];
} call_args;

ALWAYS_INLINE void fill(jc_ctx *c, call_args *a, const jit_pass *ps, const void *const *cols,
                        void *const *outs, const uint64_t *scalars, size_t begin, size_t stop)
{
    /* registers past npregs are never read (the caller zeroes them) */
    for (unsigned r = 0; r < ps->npregs; r++) {
        uint32_t x = ps->preg_index[r];
        if (ps->preg_kind[r] == PREG_COLUMN)
            a->p[r] = bias(cols[x], stop, ps->preg_esize[r]);
        else
            a->p[r] = bias(outs[x], stop - begin, ps->preg_esize[r]);
    }
    for (uint32_t k = 0; k < ps->nslots; k++) {
        const jit_slot *s = &ps->slots[k];
        char **at = (char **)((char *)c + s->off);
        if (s->kind == PREG_COLUMN)
            *at = bias(cols[s->index], stop, s->esize);
        else
            *at = bias(outs[s->index], stop - begin, s->esize);
    }
    /* a few scalars as a rule: a loop costs less than a call of memcpy */
    uint64_t *to = (uint64_t *)((char *)c + ps->scalar_off);
    for (uint32_t k = ps->scalar_lo; k < ps->scalar_hi; k++)
        to[k] = scalars[k];
}

/* Calls the code at entry `off` with the row register i: the plain
 * entry (code_off) runs the loop over whole vectors from i; the edge entry
 * (edge_off) runs the head vector at i first. */
ALWAYS_INLINE uint64_t call_at(const jit_code *code, uint32_t off, jc_ctx *c, const call_args *a,
                               size_t i)
{
    jc_entry_fn f = (jc_entry_fn)(code->x + off);
    uint64_t m = f(c, i, a->p[0], a->p[1], a->p[2], a->p[3]);
#if defined(__x86_64__)
    /* AVX code leaves the upper halves dirty; SSE code after it would pay */
    if (code->isa == JIT_ISA_AVX2 || code->isa == JIT_ISA_AVX512)
        __asm__ volatile("vzeroupper" ::: "memory");
#endif
    return m;
}

/* Runs the loop over `rows` rows (whole vectors) ending where a was
 * filled for. Whole vectors, at least one: the loop's back edge tests
 * i != 0 (ops/stencils.c, TAIL). */
ALWAYS_INLINE uint64_t call(const jit_code *code, const jit_pass *ps, jc_ctx *c, const call_args *a,
                            size_t rows)
{
    return call_at(code, ps->code_off, c, a, (size_t)0 - rows);
}

/* A counted output (jit_pass.counted) after a call: adds the counts of
 * accumulator lanes [lo, hi), the lanes of rows no other call counts, to
 * the output's counter. Lane k of a call's accumulator counts the rows at
 * k, k + L, k + 2L... from the row the call started at. */
ALWAYS_INLINE void harvest_at(const jit_pass *ps, const jc_ctx *c, const jc_block_io *io,
                              uint32_t acc, size_t lo, size_t hi)
{
    if (ps->counted < 0)
        return;
    const uint64_t *lane = (const uint64_t *)((const char *)c + ps->acc_off + acc);
    uint64_t n = 0;
    for (size_t k = lo; k < hi; k++)
        n += lane[k];
    *(uint64_t *)io->outs[ps->counted] += n;
}

/* The same for the loop's accumulator. */
ALWAYS_INLINE void harvest(const jit_pass *ps, const jc_ctx *c, const jc_block_io *io,
                           size_t lo, size_t hi)
{
    harvest_at(ps, c, io, 0, lo, hi);
}

/* Out of line: its scratch would otherwise make every call's frame large. */
__attribute__((noinline)) static uint64_t run_tail(const jit_code *code, const jit_pass *ps,
                                                   jc_ctx *c, const jc_block_io *io, size_t begin,
                                                   size_t t0, size_t r)
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
    call_args a = {{NULL}};
    fill(c, &a, ps, cols, outs, io->scalars, t0, t0 + L);
    c->fault = 0;
    uint64_t m = call(code, ps, c, &a, L) & ((1ull << r) - 1);
    harvest(ps, c, io, 0, r);
    for (uint32_t k = 0; k < ps->nout; k++)
        memcpy((char *)io->outs[k] + (t0 - begin) * ps->out_size[k],
               ob + (size_t)k * JC_VEC_BYTES_MAX, r * ps->out_size[k]);
    if (heap)
        mem_free(heap);
    return m;
}

/* Does an output of rows [begin, end) overlap a column the pass reads (the
 * caller may run `a + 1` into a's own buffer)? Then no row may be computed
 * twice. */
static int aliased(const jit_code *code, const jit_pass *ps, const jc_block_io *io, size_t begin,
                   size_t end)
{
    for (uint32_t k = 0; k < ps->nout; k++) {
        if ((int32_t)k == ps->counted)
            continue; /* a counter, not rows */
        uintptr_t o0 = (uintptr_t)io->outs[k];
        uintptr_t o1 = o0 + (end - begin) * ps->out_size[k];
        for (uint32_t u = 0; u < ps->ncols_used; u++) {
            uint32_t s = ps->cols_used[u];
            size_t es = code->col_type[s] == JC_BOOL ? 1 : 8;
            uintptr_t c0 = (uintptr_t)io->cols[s] + begin * es;
            uintptr_t c1 = (uintptr_t)io->cols[s] + end * es;
            if (o0 < c1 && c0 < o1)
                return 1;
        }
    }
    return 0;
}

/* Streams align_shift counts (their votes must fit a byte). */
#define ALIGN_STREAMS 100

/* Rows to skip from begin so that the most 8-byte streams start
 * vector-aligned: outputs and columns read vote for their shift, two votes
 * each, one more for the first output (a tie goes to it: a store split
 * across cache lines costs the most); 0 when begin is as good as any, or no
 * stream can be aligned. The votes are byte counters in one register. For
 * runs of ALIGN_MIN_ROWS or more, where a census costs nothing; short runs
 * use common_shift. */
static size_t align_shift(const jit_code *code, const jit_pass *ps, const jc_block_io *io,
                          size_t begin)
{
    size_t L = code->lanes;
    uintptr_t vmask = L * 8 - 1; /* vector bytes: a power of two */
    uint64_t votes = 0, weight = 3;
    uint32_t no = ps->nout < ALIGN_STREAMS ? ps->nout : ALIGN_STREAMS;
    uint32_t nc = ps->ncols_used < ALIGN_STREAMS - no ? ps->ncols_used : ALIGN_STREAMS - no;
    for (uint32_t k = 0; k < no; k++) {
        uintptr_t at = (uintptr_t)io->outs[k];
        if (ps->out_size[k] == 8 && at % 8 == 0) {
            votes += weight << (((0 - at) & vmask) / 8 * 8);
            weight = 2;
        }
    }
    for (uint32_t u = 0; u < nc; u++) {
        uint32_t s = ps->cols_used[u];
        uintptr_t at = (uintptr_t)io->cols[s] + begin * 8;
        if (code->col_type[s] != JC_BOOL && at % 8 == 0)
            votes += 2ull << (((0 - at) & vmask) / 8 * 8);
    }
    unsigned most = votes & 0xff;
    size_t best = 0;
    for (size_t h = 1; h < L; h++) {
        unsigned v = (votes >> (8 * h)) & 0xff;
        best = v > most ? h : best;
        most = v > most ? v : most;
    }
    return best;
}

int jit_output_counted(const jit_code *code, unsigned pass, uint32_t out)
{
    return pass < code->npasses && code->passes[pass].counted == (int32_t)out;
}

/* Context bytes kept on the stack (under a page: no stack probes). */
#define STACK_CTX 2048

/* The common call: rows that fill whole vectors, too few to be worth
 * aligning, a context that fits the stack: one call, nothing else. Kept
 * apart from the general case so that its frame and its setup stay small
 * (a call over a few rows costs about its own instructions). */
__attribute__((noinline)) static uint64_t run_whole(const jit_code *code, const jit_pass *ps,
                                                    const jc_block_io *io, size_t begin,
                                                    size_t end)
{
    _Alignas(64) unsigned char stackbuf[STACK_CTX];
    jc_ctx *c = (jc_ctx *)stackbuf;
    c->fault = 0;
    call_args a = {{NULL}};
    fill(c, &a, ps, io->cols, io->outs, io->scalars, begin, end);
    uint64_t mask = call(code, ps, c, &a, end - begin);
    harvest(ps, c, io, 0, code->lanes);
    return mask;
}

/* Any other run: a loop from row begin + h (h > 0: the row where most
 * streams are vector-aligned, after one vector at begin), overlapping or
 * padded tails, a context on the heap. */
__attribute__((noinline)) static uint64_t run_split(const jit_code *code, const jit_pass *ps,
                                                    const jc_block_io *io, size_t begin,
                                                    size_t end, size_t h)
{
    _Alignas(64) unsigned char stackbuf[STACK_CTX];
    unsigned char *heap = NULL;
    jc_ctx *c = (jc_ctx *)stackbuf;
    if (ps->ctx_size > sizeof stackbuf) {
        heap = mem_alloc(ps->ctx_size + 63);
        if (!heap)
            return ~(uint64_t)0; /* the executor re-runs the block exactly */
        c = (jc_ctx *)(((uintptr_t)heap + 63) & ~(uintptr_t)63);
    }
    c->fault = 0;
    size_t L = code->lanes; /* a power of two */
    size_t n = end - begin;
    uint64_t mask = 0;
    call_args a = {{NULL}};
    size_t m0 = begin;
    if (h) {
        /* rows may be computed twice (same inputs, same bits): one vector
         * at begin, then the loop from begin + h */
        fill(c, &a, ps, io->cols, io->outs, io->scalars, begin, begin + L);
        mask |= call(code, ps, c, &a, L);
        harvest(ps, c, io, 0, h); /* the loop counts from begin + h */
        m0 = begin + h;
    }
    size_t nfull = (end - m0) & ~(L - 1);
    if (nfull) {
        fill(c, &a, ps, io->cols, io->outs, io->scalars, begin, m0 + nfull);
        mask |= call(code, ps, c, &a, nfull);
        harvest(ps, c, io, 0, L);
    }
    size_t rest = end - m0 - nfull;
    if (rest && n >= L && (h || !aliased(code, ps, io, begin, end))) {
        /* the last vector again, ending at end: no scratch copies */
        fill(c, &a, ps, io->cols, io->outs, io->scalars, begin, end);
        mask |= call(code, ps, c, &a, L);
        harvest(ps, c, io, L - rest, L); /* the rows before were counted */
    } else if (rest) {
        mask |= run_tail(code, ps, c, io, begin, m0 + nfull, rest);
    }
    if (heap)
        mem_free(heap);
    return mask;
}

/* Where the stream in pointer register r starts at row begin. */
ALWAYS_INLINE uintptr_t stream_at(const jit_pass *ps, const jc_block_io *io, unsigned r,
                                  size_t begin)
{
    uint32_t x = ps->preg_index[r];
    return ps->preg_kind[r] == PREG_COLUMN ? (uintptr_t)io->cols[x] + begin * 8
                                           : (uintptr_t)io->outs[x];
}

/* Rows to skip from begin so that the loop's streams start
 * vector-aligned, from two pointers (the first two pointer registers of
 * 8-byte streams, jit_pass.align_reg: an output, if the pass stores one,
 * and the first column): none when the first is aligned; where they
 * agree, theirs; where they do not, the
 * second's when another column follows (one caller's columns come from one
 * allocator and are misaligned alike, and two split loads cost more than a
 * split store), else the first's if it is an output (a split store costs
 * more than a split load), else none (of two columns one splits either
 * way). No census of every stream: a run of a thousand rows paid more for
 * it than for a split stream (right after the last call's stores, a load
 * may wait on one whose address matches it in its low bits). */
static size_t common_shift(const jit_code *code, const jit_pass *ps, const jc_block_io *io,
                           size_t begin)
{
    if (!ps->edge_pair)
        return 0;
    uintptr_t vmask = code->lanes * 8 - 1; /* vector bytes: a power of two */
    uintptr_t first = stream_at(ps, io, ps->align_reg[0], begin);
    if (!(first & vmask))
        return 0; /* aligned already: the others are taken to be too */
    uintptr_t second = stream_at(ps, io, ps->align_reg[1], begin);
    uintptr_t pick = first;
    if ((first ^ second) & vmask) {
        if (ps->align_more_columns)
            pick = second;
        else if (ps->preg_kind[ps->align_reg[0]] == PREG_COLUMN)
            return 0; /* two loads, one split either way: not worth the edges */
    }
    return pick % 8 ? 0 : ((0 - pick) & vmask) / 8;
}

/* A pass with edge vectors (jit_pass.edges) over rows that do not fill
 * whole vectors, or whose streams are best aligned at begin + h: one
 * call, whose code runs the body once at the head vector (rows from
 * begin), once at the tail vector (rows up to end), then the loop over
 * whole vectors from begin + h. Rows may be computed twice (same inputs,
 * same bits): the caller checked that no output overlaps a column read. */
__attribute__((noinline)) static uint64_t run_edges(const jit_code *code, const jit_pass *ps,
                                                    const jc_block_io *io, size_t begin,
                                                    size_t end, size_t h)
{
    _Alignas(64) unsigned char stackbuf[STACK_CTX];
    jc_ctx *c = (jc_ctx *)stackbuf;
    size_t L = code->lanes;
    size_t nfull = (end - begin - h) & ~(L - 1);
    size_t stop = begin + h + nfull;
    size_t rest = end - stop;
    c->fault = 0;
    /* no rest: the tail is the head again */
    c->edge_i[0] = rest ? (int64_t)(rest - L) : (int64_t)(begin - stop);
    c->edge_i[1] = -(int64_t)nfull;
    call_args a = {{NULL}};
    fill(c, &a, ps, io->cols, io->outs, io->scalars, begin, stop);
    uint64_t mask = call_at(code, ps->edge_off, c, &a, begin - stop);
    /* a count: the loop's lanes, the head's rows before the loop, the
     * tail's rows after it */
    harvest(ps, c, io, 0, L);
    harvest_at(ps, c, io, JIT_ACC_HEAD, 0, h);
    harvest_at(ps, c, io, JIT_ACC_TAIL, L - rest, L);
    return mask;
}

/* Edge vectors for rows [begin, end) of a pass that has them: the row to
 * start the loop at (from begin), or -1 when one plain loop over whole
 * vectors does as well (rows that fill whole vectors, aligned already or
 * too few to care) or edges may not be used (an output overlaps a column,
 * too big a context). */
static ptrdiff_t edge_shift(const jit_code *code, const jit_pass *ps, const jc_block_io *io,
                            size_t begin, size_t end)
{
    size_t L = code->lanes, n = end - begin;
    if (!ps->edges || n <= L || ps->ctx_size > STACK_CTX)
        return -1;
    size_t h = n >= EDGE_ALIGN_MIN_ROWS ? common_shift(code, ps, io, begin) : 0;
    if (n - h < L)
        h = 0;
    if (!h && !(n & (L - 1)))
        return -1;
    return aliased(code, ps, io, begin, end) ? -1 : (ptrdiff_t)h;
}

/* Rows [begin, end) of a pass, once edge_shift has said no: one plain
 * call (run_whole) or the split run. */
static uint64_t run_plain(const jit_code *code, const jit_pass *ps, const jc_block_io *io,
                          size_t begin, size_t end)
{
    size_t n = end - begin;
    size_t h = 0;
    if (n >= ALIGN_MIN_ROWS && (h = align_shift(code, ps, io, begin)) &&
        aliased(code, ps, io, begin, end))
        h = 0;
    if (!h && !(n & (code->lanes - 1)) && ps->ctx_size <= STACK_CTX)
        return run_whole(code, ps, io, begin, end);
    return run_split(code, ps, io, begin, end, h);
}

uint64_t jit_run(const jit_code *code, unsigned pass, const jc_block_io *io, size_t begin,
                 size_t end)
{
    if (end <= begin || pass >= code->npasses)
        return 0;
    const jit_pass *ps = &code->passes[pass];
    if (ps->nout == 0)
        return 0;
    ptrdiff_t eh = edge_shift(code, ps, io, begin, end);
    if (eh >= 0)
        return run_edges(code, ps, io, begin, end, (size_t)eh);
    return run_plain(code, ps, io, begin, end);
}

uint64_t jit_run_direct(const jit_code *code, const void *const *cols, const uint64_t *scalars,
                        void *out, size_t n)
{
    const jit_pass *ps = &code->passes[0];
    void *outs[1] = {out};
    jc_block_io io = {cols, scalars, outs};
    if (n == 0 || ps->nout != 1)
        return jit_run(code, 0, &io, 0, n);
    /* whole vectors, too few to align: edge_shift would say no */
    if (n < EDGE_ALIGN_MIN_ROWS && !(n & (code->lanes - 1)) && ps->ctx_size <= STACK_CTX)
        return run_whole(code, ps, &io, 0, n);
    ptrdiff_t eh = edge_shift(code, ps, &io, 0, n);
    if (eh >= 0)
        return run_edges(code, ps, &io, 0, n, (size_t)eh);
    if (n < ALIGN_MIN_ROWS && !(n & (code->lanes - 1)) && ps->ctx_size <= STACK_CTX)
        return run_whole(code, ps, &io, 0, n);
    return run_plain(code, ps, &io, 0, n);
}
