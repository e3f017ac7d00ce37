/*
 * muparser_peer.c — muparser through its C API (muParserDLL.h) in bulk mode:
 * the columns are bound as bulk variables and mupEvalBulk evaluates every
 * row into a buffer. muparser has no row reductions, so the filter counts
 * the buffer's nonzero rows and the aggregate sums it, both in the timed
 * run. Debian builds muparser with OpenMP: it is held to one thread.
 */
#include <dlfcn.h>
#include <muParserDLL.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench/peers/peer.h"

typedef struct mu_state {
    muParserHandle_t h;
    const double *a, *b, *c; /* the columns bound last */
    peer_kind kind;
} mu_state;

static void ignore_error(muParserHandle_t h)
{
    (void)h; /* errors are read back with mupError */
}

/* libgomp read OMP_NUM_THREADS when it was loaded, before main: set the
 * thread count through its API, found at run time so that a build of
 * muparser without OpenMP works too. */
static void one_thread(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    void (*set)(int) = (void (*)(int))dlsym(RTLD_DEFAULT, "omp_set_num_threads");
    if (set)
        set(1);
}

static void bind(mu_state *m, const double *a, const double *b, const double *c)
{
    if (m->a == a && m->b == b && m->c == c)
        return;
    /* muparser takes non-const pointers; it only reads them. */
    mupDefineBulkVar(m->h, "a", (muFloat_t *)a);
    mupDefineBulkVar(m->h, "b", (muFloat_t *)b);
    mupDefineBulkVar(m->h, "c", (muFloat_t *)c);
    m->a = a, m->b = b, m->c = c;
}

static double mu_run(peer_compiled *p, const double *a, const double *b, const double *c,
                     double *out, long n)
{
    mu_state *m = p->state;
    bind(m, a, b, c);
    mupEvalBulk(m->h, out, (int)n);
    if (m->kind == PEER_COLUMN)
        return 0;
    double s = 0;
    if (m->kind == PEER_COUNT) {
        long count = 0;
        for (long i = 0; i < n; i++)
            count += out[i] != 0;
        return (double)count;
    }
    for (long i = 0; i < n; i++)
        s += out[i];
    return s;
}

static int mu_compile(const peer_expr *e, peer_compiled *out, char *msg, size_t cap)
{
    one_thread();
    mu_state *m = calloc(1, sizeof *m);
    if (!m) {
        snprintf(msg, cap, "out of memory");
        return -1;
    }
    m->kind = e->kind;
    m->h = mupCreate(muBASETYPE_FLOAT);
    mupSetErrorHandler(m->h, ignore_error);
    /* Bind a one-row dummy so the expression parses (muparser parses on
     * the first evaluation; that is part of its setup). */
    static double one[1] = {0.5};
    double r[1];
    bind(m, one, one, one);
    mupSetExpr(m->h, e->muparser);
    mupEvalBulk(m->h, r, 1);
    if (mupError(m->h)) {
        snprintf(msg, cap, "%s", mupGetErrorMsg(m->h));
        mupRelease(m->h);
        free(m);
        return -1;
    }
    out->state = m;
    out->fn = NULL;
    out->run = mu_run;
    return 0;
}

static void mu_release(peer_compiled *p)
{
    mu_state *m = p->state;
    mupRelease(m->h);
    free(m);
}

const peer_engine peer_muparser = {"muparser", mu_compile, mu_release};
