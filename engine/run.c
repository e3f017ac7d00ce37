/*
 * run.c — the executor: runs a compiled tree's passes over rows.
 *
 * For each pass (parser/tree.h), rows are cut into chunks of JC_CHUNK_ROWS;
 * chunks are independent units of work, so they can go to several threads,
 * and every chunk's result is kept apart and combined in chunk order: the
 * result never depends on the thread count.
 *
 *   aggregate pass:  chunk ─▶ blocks of JC_BLOCK_ROWS ─fast path─▶ output
 *                    buffers ─▶ agg_add into the chunk's partials
 *                    ─▶ partials merged in chunk order ─▶ scalar slots
 *   final pass:      chunk ─fast path─▶ result column (directly)
 *
 * The fast path is the JIT kernel or interp_block. When it reports a fault
 * mask, the block is re-run by interp_precise, which decides with the
 * language's laziness whether a fault really happened and where. An
 * aggregate that faults is poisoned, not an error: its fault is raised only
 * where its value is used on a taken path (interp_precise/interp_scalar);
 * interp_precise_each re-runs an aggregate pass so that each output faults
 * on its own.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdatomic.h>
#include <string.h>

#include "engine/engine.h"
#include "interp/interp.h"
#include "interp/reduce.h"
#include "util/error.h"
#include "util/mem.h"

/* Below this many chunks a run stays on the caller's thread: starting a
 * thread costs more than it saves. */
#define MIN_CHUNKS_PER_THREAD 2

typedef struct run_ctx {
    const jc_engine *engine;
    const compiled *c;
    const jc_tree *t;
    uint64_t *scalars;        /* consts, then aggregate values */
    jc_scalar_state *states;  /* same slots */
    const void *const *cols;
    size_t nrows;
    size_t nchunks;
    int poisoned;             /* some aggregate is poisoned: precise only */
} run_ctx;

static size_t type_size(jc_type type) { return type == JC_BOOL ? 1 : 8; }

/* Per-thread scratch: the interpreter's workspace, block output buffers. */
/* Outputs a worker keeps inline; a pass with more allocates. Most passes
 * have one or two, and a run's bookkeeping must not cost more mallocs than
 * the run of a small request costs in all. */
#define INLINE_OUTS 4

typedef struct worker {
    interp_ws *ws;
    void **bufs;
    void **outs;
    jc_error *errs;  /* one per output, for interp_precise_each */
    void *bufs_inline[INLINE_OUTS];
    void *outs_inline[INLINE_OUTS];
    jc_error errs_inline[INLINE_OUTS];
    /* the block buffers of a pass with few outputs (32 KiB of stack, on
     * the caller's thread or a worker's): no allocation per run */
    double buf_space[INLINE_OUTS][JC_BLOCK_ROWS];
} worker;

static void worker_free(worker *w, const run_ctx *r, uint32_t nout)
{
    compiled_put_ws(r->c, w->ws);
    if (w->bufs && w->bufs != w->bufs_inline)
        for (uint32_t j = 0; j < nout; j++)
            mem_free(w->bufs[j]);
    if (w->bufs != w->bufs_inline) {
        mem_free(w->bufs);
        mem_free(w->outs);
        mem_free(w->errs);
    }
}

static int worker_init(worker *w, const run_ctx *r, uint32_t nout, int buffers)
{
    memset(w, 0, offsetof(worker, errs_inline));
    if (!r->c->code && !(w->ws = compiled_take_ws(r->c)))
        return -1;
    if (nout <= INLINE_OUTS) {
        w->outs = w->outs_inline;
        w->bufs = w->bufs_inline;
        w->errs = w->errs_inline;
    } else {
        w->outs = mem_calloc(nout, sizeof(void *));
        w->bufs = mem_calloc(nout, sizeof(void *));
        w->errs = mem_calloc(nout, sizeof(jc_error));
        if (!w->outs || !w->bufs || !w->errs)
            return -1;
    }
    for (uint32_t j = 0; buffers && j < nout; j++) {
        if (w->bufs == w->bufs_inline)
            w->bufs[j] = w->buf_space[j];
        else if (!(w->bufs[j] = mem_alloc((size_t)JC_BLOCK_ROWS * 8)))
            return -1;
    }
    return 0;
}

static uint64_t fast_path(const run_ctx *r, worker *w, unsigned pass,
                          const jc_block_io *io, size_t begin, size_t end)
{
#ifdef JC_HAVE_JIT
    if (r->c->code)
        return jit_run(r->c->code, pass, io, begin, end);
#endif
    return interp_block(r->t, pass, io, begin, end, w->ws);
}

/* ---- parallel chunks ---------------------------------------------------- */

typedef struct pass_job pass_job;
typedef void (*chunk_fn)(pass_job *job, worker *w, size_t chunk);

struct pass_job {
    run_ctx *r;
    unsigned pass;
    uint32_t nout;
    int buffers;              /* workers need block buffers */
    chunk_fn fn;
    atomic_size_t next;       /* next chunk to take */
    atomic_int failed;        /* out of memory in a worker */
    /* aggregate pass */
    const uint32_t *agg_of;   /* output j -> aggregate index */
    int32_t counted;          /* the output the JIT kernel counts, or -1 */
    agg_acc *accs;            /* [chunk][j] */
    jc_error *chunk_faults;   /* [chunk][j]: code JC_OK or the first fault */
    /* final pass */
    char *result;
    /* [chunk]: an error that ends the run (final pass: the first fault;
     * any pass: out of memory) */
    jc_error *chunk_errors;
};

static void drain_chunks(pass_job *job, worker *w)
{
    for (;;) {
        size_t chunk = atomic_fetch_add(&job->next, 1);
        if (chunk >= job->r->nchunks)
            return;
        job->fn(job, w, chunk);
    }
}

static void *thread_main(void *arg)
{
    pass_job *job = arg;
    worker w;
    if (worker_init(&w, job->r, job->nout, job->buffers) != 0)
        atomic_store(&job->failed, 1);
    else
        drain_chunks(job, &w);
    worker_free(&w, job->r, job->nout);
    return NULL;
}

/* How many threads (the caller's included) a pass over r's chunks uses. */
static unsigned threads_for(const run_ctx *r)
{
    unsigned nthreads = r->engine->opts.threads;
    size_t useful = r->nchunks / MIN_CHUNKS_PER_THREAD;
    if (nthreads > useful)
        nthreads = useful ? (unsigned)useful : 1;
    return nthreads > 64 ? 64 : nthreads;
}

/* Runs job->fn over every chunk, on up to engine.threads threads (the
 * caller's included). Returns -1 when out of memory. */
static int run_chunks(pass_job *job)
{
    run_ctx *r = job->r;
    unsigned nthreads = threads_for(r);
    if (nthreads == 1) {
        /* The common small run: no atomics, no thread. */
        worker w;
        int rc = worker_init(&w, r, job->nout, job->buffers);
        for (size_t chunk = 0; rc == 0 && chunk < r->nchunks; chunk++)
            job->fn(job, &w, chunk);
        worker_free(&w, r, job->nout);
        return rc;
    }
    pthread_t threads[64];
    unsigned started = 0;
    atomic_init(&job->next, 0);
    atomic_init(&job->failed, 0);
    for (unsigned i = 1; i < nthreads; i++) {
        if (pthread_create(&threads[started], NULL, thread_main, job) != 0)
            break; /* fewer threads: slower, same result */
        started++;
    }
    thread_main(job);
    for (unsigned i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    return atomic_load(&job->failed) ? -1 : 0;
}

/* ---- aggregate passes --------------------------------------------------- */

static void aggregate_chunk(pass_job *job, worker *w, size_t chunk)
{
    run_ctx *r = job->r;
    const jc_tree *t = r->t;
    const jc_pass *pass = &t->passes[job->pass];
    size_t cb = chunk * JC_CHUNK_ROWS;
    size_t ce = cb + JC_CHUNK_ROWS < r->nrows ? cb + JC_CHUNK_ROWS : r->nrows;
    agg_acc *accs = &job->accs[chunk * job->nout];
    jc_error *faults = &job->chunk_faults[chunk * job->nout];
    for (uint32_t j = 0; j < job->nout; j++) {
        uint32_t node = t->pass_outs[pass->first_out + j];
        uint32_t agg = t->aggs[job->agg_of[j]];
        agg_begin(&accs[j], (jc_op)t->nodes[agg].op, (jc_type)t->nodes[node].type);
        error_clear(&faults[j]);
        w->outs[j] = w->bufs[j];
    }
    jc_block_io io = {r->cols, r->scalars, w->outs};
    int32_t counted = job->counted;
    if (counted >= 0 && job->nout == 1 && !r->poisoned) {
        /* Nothing to buffer: the whole chunk in one call (aligned, one
         * setup); the blocks below only when it may have faulted. */
        uint64_t count = 0;
        w->outs[0] = &count;
        uint64_t fault = fast_path(r, w, job->pass, &io, cb, ce);
        w->outs[0] = w->bufs[0];
        if (!fault) {
            agg_add_count(&accs[0], count);
            return;
        }
    }
    for (size_t bb = cb; bb < ce; bb += JC_BLOCK_ROWS) {
        size_t be = bb + JC_BLOCK_ROWS < ce ? bb + JC_BLOCK_ROWS : ce;
        uint64_t count = 0; /* the counted output's true rows */
        if (counted >= 0)
            w->outs[counted] = &count;
        uint64_t fault = r->poisoned ? 1 : fast_path(r, w, job->pass, &io, bb, be);
        if (counted >= 0)
            w->outs[counted] = w->bufs[counted]; /* the precise path's rows */
        if (fault) {
            /* Output by output, so each aggregate faults on its own. */
            if (interp_precise_each(t, job->pass, &io, r->states, bb, be, w->errs) < 0) {
                job->chunk_errors[chunk] = w->errs[0];
                return;
            }
        }
        for (uint32_t j = 0; j < job->nout; j++) {
            if (faults[j].code != JC_OK)
                continue; /* this aggregate already faulted in the chunk */
            if (fault && w->errs[j].code != JC_OK)
                faults[j] = w->errs[j];
            else if ((int32_t)j == counted && !fault)
                agg_add_count(&accs[j], count);
            else
                agg_add(&accs[j], w->bufs[j], be - bb, bb - cb);
        }
    }
}

/* Which aggregate each output of pass p reduces. */
static int map_outputs(const jc_tree *t, unsigned p, uint32_t *agg_of)
{
    const jc_pass *pass = &t->passes[p];
    for (uint32_t j = 0; j < pass->nout; j++) {
        agg_of[j] = tree_output_agg(t, t->pass_outs[pass->first_out + j]);
        if (agg_of[j] == UINT32_MAX)
            return -1;
    }
    return 0;
}

/* Cells (chunk x output) of an aggregate pass's bookkeeping kept on the
 * stack: a run over a few thousand rows allocates none. */
#define INLINE_CELLS 4

/* A pass whose one output the JIT kernel counts, on one thread: counting
 * is exact whatever the grouping, so one kernel call over every row (no
 * chunk bookkeeping, and memory streams that never restart: 4% of a
 * memory-bound count over 10,000,000 rows). 0 when done; 1 when this does
 * not apply or a row may have faulted, and the chunked run must decide. */
static int count_in_one_call(run_ctx *r, unsigned p)
{
#ifdef JC_HAVE_JIT
    const jc_tree *t = r->t;
    const jit_code *code = r->c->code;
    if (r->poisoned || !code || t->passes[p].nout != 1 || !jit_output_counted(code, p, 0) ||
        threads_for(r) > 1)
        return 1;
    uint64_t count = 0;
    void *outs[1] = {&count};
    jc_block_io io = {r->cols, r->scalars, outs};
    if (r->nrows && jit_run(code, p, &io, 0, r->nrows) != 0)
        return 1;
    uint32_t node = t->pass_outs[t->passes[p].first_out];
    uint32_t k = tree_output_agg(t, node);
    uint32_t slot = t->nconsts + k;
    agg_acc acc;
    agg_begin(&acc, (jc_op)t->nodes[t->aggs[k]].op, (jc_type)t->nodes[node].type);
    agg_add_count(&acc, count);
    agg_finish(&acc, r->nrows, &r->scalars[slot], &r->states[slot]);
    if (r->states[slot].kind == SCALAR_FAULT)
        r->poisoned = 1; /* as the chunked run does; a count never faults */
    return 0;
#else
    (void)r, (void)p;
    return 1;
#endif
}

static int run_aggregate_pass(run_ctx *r, unsigned p, jc_error *err)
{
    const jc_tree *t = r->t;
    uint32_t nout = t->passes[p].nout;
    int rc = -1;
    if (count_in_one_call(r, p) == 0)
        return 0;
    pass_job job = {.r = r, .pass = p, .nout = nout, .buffers = 1,
                    .fn = aggregate_chunk};
    uint32_t agg_of_inline[INLINE_CELLS];
    agg_acc accs_inline[INLINE_CELLS];
    jc_error faults_inline[INLINE_CELLS], errors_inline[INLINE_CELLS];
    size_t cells = r->nchunks * nout;
    int inline_cells = nout <= INLINE_CELLS && cells <= INLINE_CELLS &&
                       r->nchunks <= INLINE_CELLS;
    uint32_t *agg_of = agg_of_inline;
    job.accs = accs_inline;
    job.chunk_faults = faults_inline;
    job.chunk_errors = errors_inline;
    if (inline_cells) {
        for (size_t ch = 0; ch < r->nchunks; ch++)
            errors_inline[ch].code = JC_OK;
    } else {
        agg_of = mem_calloc(nout ? nout : 1, sizeof *agg_of);
        job.accs = mem_calloc(cells ? cells : 1, sizeof(agg_acc));
        job.chunk_faults = mem_calloc(cells ? cells : 1, sizeof(jc_error));
        job.chunk_errors = mem_calloc(r->nchunks ? r->nchunks : 1, sizeof(jc_error));
    }
    if (!agg_of || !job.accs || !job.chunk_faults || !job.chunk_errors) {
        error_set(err, JC_OUT_OF_MEMORY, 0, -1, "out of memory running an aggregate");
        goto done;
    }
    if (map_outputs(t, p, agg_of) != 0) {
        error_set(err, JC_INTERNAL, 0, -1, "aggregate pass %u has an output with no aggregate", p);
        goto done;
    }
    job.agg_of = agg_of;
    job.counted = -1;
#ifdef JC_HAVE_JIT
    for (uint32_t j = 0; r->c->code && j < nout; j++)
        if (jit_output_counted(r->c->code, p, j))
            job.counted = (int32_t)j;
#endif
    if (r->nchunks && run_chunks(&job) != 0) {
        error_set(err, JC_OUT_OF_MEMORY, 0, -1, "out of memory running an aggregate");
        goto done;
    }
    for (size_t ch = 0; ch < r->nchunks; ch++)
        if (job.chunk_errors[ch].code != JC_OK) {
            *err = job.chunk_errors[ch];
            goto done;
        }
    /* Combine in chunk order: the first chunk with a fault poisons. */
    for (uint32_t j = 0; j < nout; j++) {
        uint32_t k = agg_of[j];
        uint32_t slot = t->nconsts + k;
        agg_acc total;
        agg_begin(&total, (jc_op)t->nodes[t->aggs[k]].op,
                  (jc_type)t->nodes[t->pass_outs[t->passes[p].first_out + j]].type);
        const jc_error *fault = NULL;
        for (size_t ch = 0; ch < r->nchunks && !fault; ch++) {
            const jc_error *f = &job.chunk_faults[ch * nout + j];
            if (f->code != JC_OK)
                fault = f;
            else
                agg_merge(&total, &job.accs[ch * nout + j]);
        }
        if (fault) {
            r->states[slot].kind = SCALAR_FAULT;
            r->states[slot].code = fault->code;
            r->states[slot].row = fault->row;
            r->scalars[slot] = 0;
            r->poisoned = 1;
        } else {
            agg_finish(&total, r->nrows, &r->scalars[slot], &r->states[slot]);
            if (r->states[slot].kind == SCALAR_FAULT)
                r->poisoned = 1;
        }
    }
    rc = 0;
done:
    if (!inline_cells) {
        mem_free(agg_of);
        mem_free(job.accs);
        mem_free(job.chunk_faults);
        mem_free(job.chunk_errors);
    }
    return rc;
}

/* ---- the final pass ----------------------------------------------------- */

static void final_chunk(pass_job *job, worker *w, size_t chunk)
{
    run_ctx *r = job->r;
    const jc_tree *t = r->t;
    size_t size = type_size((jc_type)t->nodes[t->root].type);
    size_t cb = chunk * JC_CHUNK_ROWS;
    size_t ce = cb + JC_CHUNK_ROWS < r->nrows ? cb + JC_CHUNK_ROWS : r->nrows;
    jc_error *cerr = &job->chunk_errors[chunk];
    error_clear(cerr);
    w->outs[0] = job->result + cb * size;
    jc_block_io io = {r->cols, r->scalars, w->outs};
    if (!r->poisoned && fast_path(r, w, job->pass, &io, cb, ce) == 0)
        return;
    /* Something may have faulted: narrow it down block by block. */
    for (size_t bb = cb; bb < ce; bb += JC_BLOCK_ROWS) {
        size_t be = bb + JC_BLOCK_ROWS < ce ? bb + JC_BLOCK_ROWS : ce;
        w->outs[0] = job->result + bb * size;
        if (!r->poisoned && fast_path(r, w, job->pass, &io, bb, be) == 0)
            continue;
        if (interp_precise(t, job->pass, &io, r->states, bb, be, cerr) != 0)
            return;
    }
}

/* The final pass on one thread with the JIT: one kernel call over every
 * row into result (rows are independent, so chunks only matter to
 * threads; memory streams that restart every chunk cost a few percent of
 * a memory-bound run). 1 when done; 0 when this does not apply or a row
 * may have faulted, and the chunks must run (they rewrite every row). */
static int in_one_call(const run_ctx *r, unsigned p, void *result)
{
#ifdef JC_HAVE_JIT
    if (r->poisoned || !r->c->code || threads_for(r) > 1)
        return 0;
    void *outs[1] = {result};
    jc_block_io io = {r->cols, r->scalars, outs};
    return jit_run(r->c->code, p, &io, 0, r->nrows) == 0;
#else
    (void)r, (void)p, (void)result;
    return 0;
#endif
}

static int run_final_pass(run_ctx *r, unsigned p, void *into, jc_result *out,
                          jc_error *err)
{
    const jc_tree *t = r->t;
    jc_type type = (jc_type)t->nodes[t->root].type;
    int rc = -1;
    pass_job job = {.r = r, .pass = p, .nout = 1, .buffers = 0, .fn = final_chunk};
    jc_error errors_inline[2];
    job.result = into ? into : mem_alloc(r->nrows * type_size(type));
    job.chunk_errors = r->nchunks <= 2 ? errors_inline
                                       : mem_calloc(r->nchunks, sizeof(jc_error));
    if (!job.result || !job.chunk_errors) {
        error_set(err, JC_OUT_OF_MEMORY, 0, -1,
                  "out of memory for a result of %zu rows", r->nrows);
        goto done;
    }
    if (r->nchunks && !in_one_call(r, p, job.result)) {
        if (run_chunks(&job) != 0) {
            error_set(err, JC_OUT_OF_MEMORY, 0, -1, "out of memory running an expression");
            goto done;
        }
        for (size_t ch = 0; ch < r->nchunks; ch++)
            if (job.chunk_errors[ch].code != JC_OK) {
                *err = job.chunk_errors[ch];
                goto done;
            }
    }
    out->type = type;
    out->is_column = 1;
    out->is_null = 0;
    out->rows = r->nrows;
    out->values = into ? NULL : job.result;
    job.result = NULL;
    rc = 0;
done:
    if (!into)
        mem_free(job.result);
    if (job.chunk_errors != errors_inline)
        mem_free(job.chunk_errors);
    return rc;
}

/* ---- the direct call ---------------------------------------------------- */

/* The most common call of all, a row-wise expression over few rows: one
 * pass, no aggregate, rows that fit one chunk (JIT) or one block
 * (interpreter). Its kernel runs straight on the caller's columns and the
 * program's literals, without the executor's bookkeeping, which costs as
 * much as the kernel itself over a thousand rows. Returns 0 when the rows
 * are done; 1 when this call does not apply or the kernel reported a
 * possible fault, and the general path must run (it re-runs the rows and
 * finds the fault exactly). */
static int run_direct(const compiled *c, const uint64_t *consts, const void *const *cols,
                      size_t nrows, void *into, jc_result *out)
{
    if (nrows - 1 >= c->direct_rows) /* no rows, too many, or not direct */
        return 1;
    const jc_tree *t = &c->tree;
    jc_type type = (jc_type)t->nodes[t->root].type;
    void *result = into ? into : mem_alloc(nrows * type_size(type));
    if (!result)
        return 1; /* the general path reports it */
    uint64_t fault = 1;
#ifdef JC_HAVE_JIT
    if (c->code)
        fault = jit_run_direct(c->code, cols, consts, result, nrows);
#endif
    interp_ws *ws;
    if (!c->code && (ws = compiled_take_ws(c)) != NULL) {
        void *outs[1] = {result};
        jc_block_io io = {cols, consts, outs};
        fault = interp_block(t, 0, &io, 0, nrows, ws);
        compiled_put_ws(c, ws);
    }
    if (fault) {
        if (!into)
            mem_free(result);
        return 1;
    }
    out->type = type;
    out->is_column = 1;
    out->is_null = 0;
    out->rows = nrows;
    out->values = into ? NULL : result;
    return 0;
}

/* The most common aggregate, a count: the tree is one sum or avg of a bool
 * that the JIT counts in its kernel (engine.h, direct_count), over rows
 * that fit one chunk. One kernel call adds up the true rows: that is the
 * sum, and the avg is one division. Returns 0 when *out is the answer; 1
 * when this does not apply (no rows, too many, another tree) or a row may
 * have faulted, and the general path must run. */
int run_direct_count(const compiled *c, const uint64_t *consts, const void *const *cols,
                     size_t nrows, jc_result *out)
{
#ifdef JC_HAVE_JIT
    if (!c->direct_count || nrows - 1 >= JC_CHUNK_ROWS)
        return 1;
    const jc_tree *t = &c->tree;
    uint64_t count = 0;
    if (jit_run_direct(c->code, cols, consts, &count, nrows) != 0)
        return 1;
    out->is_column = 0;
    out->is_null = 0;
    out->rows = 0;
    out->values = NULL;
    if (t->nodes[t->root].op == OP_SUM) {
        /* a sum of a bool is its count, an i64 (what agg_finish says) */
        out->type = JC_I64;
        out->scalar.i64 = (int64_t)count;
    } else {
        /* an avg of a bool: count and rows are exact doubles (at most a
         * chunk), so one division rounds their exact quotient once, as
         * agg_finish's agg_div_exact does */
        out->type = JC_F64;
        out->scalar.f64 = (double)count / (double)nrows;
    }
    return 0;
#else
    (void)c, (void)consts, (void)cols, (void)nrows, (void)out;
    return 1;
#endif
}

/* ---- the whole run ------------------------------------------------------ */

static int scalar_result(run_ctx *r, jc_result *out, jc_error *err)
{
    const jc_tree *t = r->t;
    jc_value v;
    int is_null = 0;
    if (interp_scalar(t, r->scalars, r->states, &v, &is_null, err) != 0)
        return -1;
    out->type = (jc_type)t->nodes[t->root].type;
    out->is_column = 0;
    out->is_null = is_null;
    out->rows = 0;
    out->values = NULL;
    if (is_null)
        out->scalar.i64 = 0;
    else if (out->type == JC_F64)
        out->scalar.f64 = v.f;
    else if (out->type == JC_I64)
        out->scalar.i64 = v.i;
    else
        out->scalar.b = v.i != 0;
    return 0;
}

/* Scalar slots (literals and aggregates) kept on the stack. */
#define INLINE_SLOTS 64

/* Out of line: its frame (the inline scalar slots) is a kilobyte and a
 * half that the direct call should not set up. */
__attribute__((noinline)) int run_general(const jc_engine *engine, const compiled *c,
                                          const uint64_t *consts, const void *const *cols,
                                          size_t nrows, void *into, jc_result *out,
                                          jc_error *err)
{
    const jc_tree *t = &c->tree;
    size_t nslots = (size_t)t->nconsts + t->naggs;
    run_ctx r = {.engine = engine, .c = c, .t = t, .cols = cols, .nrows = nrows};
    r.nchunks = (nrows + JC_CHUNK_ROWS - 1) / JC_CHUNK_ROWS;
    uint64_t scalars_inline[INLINE_SLOTS];
    jc_scalar_state states_inline[INLINE_SLOTS];
    if (nslots <= INLINE_SLOTS) {
        r.scalars = scalars_inline;
        r.states = states_inline;
        memset(states_inline, 0, nslots * sizeof *states_inline);
    } else {
        r.scalars = mem_calloc(nslots, sizeof(uint64_t));
        r.states = mem_calloc(nslots, sizeof(jc_scalar_state));
    }
    int rc = -1;
    if (!r.scalars || !r.states) {
        error_set(err, JC_OUT_OF_MEMORY, 0, -1, "out of memory starting a run");
        goto done;
    }
    memcpy(r.scalars, consts, (size_t)t->nconsts * sizeof(uint64_t));
    for (uint32_t k = 0; k < t->naggs; k++)
        if (t->nodes[t->aggs[k]].op == OP_COUNT)
            r.scalars[t->nconsts + k] = (uint64_t)nrows;
    for (uint32_t p = 0; p < t->npasses; p++) {
        if (t->passes[p].is_final)
            rc = run_final_pass(&r, p, into, out, err);
        else if (t->passes[p].nout)
            rc = run_aggregate_pass(&r, p, err);
        else
            rc = 0; /* a level of count() alone: nothing to compute per row */
        if (rc != 0)
            goto done;
    }
    if (!(t->nodes[t->root].flags & NODE_ROWWISE))
        rc = scalar_result(&r, out, err);
    else if (t->npasses == 0 || !t->passes[t->npasses - 1].is_final)
        rc = error_set(err, JC_INTERNAL, 0, -1, "row-wise expression without a final pass");
done:
    if (r.scalars != scalars_inline) {
        mem_free(r.scalars);
        mem_free(r.states);
    }
    return rc;
}

int run_compiled(const jc_engine *engine, const compiled *c,
                 const uint64_t *consts, const void *const *cols,
                 size_t nrows, void *into, jc_result *out, jc_error *err)
{
    if (run_direct(c, consts, cols, nrows, into, out) == 0)
        return 0;
    if (!into && run_direct_count(c, consts, cols, nrows, out) == 0)
        return 0;
    return run_general(engine, c, consts, cols, nrows, into, out, err);
}
