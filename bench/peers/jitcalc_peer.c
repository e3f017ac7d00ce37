/*
 * jitcalc_peer.c — jitcalc itself among the peers: timed in the same process,
 * on the same buffers and right after the same C loop, so that its ratios and
 * the peers' differ by the engines only (bench_engines times jitcalc per
 * instruction set and the interpreter, in a process of its own). Compiled
 * with the cache off: the setup column is a cold compile, as the peers'.
 * Programs run through the public API's quickest call, as an embedder that
 * runs one program over batch after batch would: columns by position
 * (resolved from their names once, at compile), into the caller's buffer
 * (jc_run_slots_into), or jc_run_slots for a scalar.
 */
#include <stdio.h>

#include "bench/peers/peer.h"
#include "jitcalc.h"

typedef struct jc_state {
    jc_engine *engine;
    jc_program *program;
    size_t nslots;
    int column_of_slot[3]; /* 0, 1, 2: the driver's a, b, c */
} jc_state;

/* The driver's columns in the program's slot order. */
static void slots(const jc_state *s, const void *data[3], const double *a, const double *b,
                  const double *c)
{
    const double *abc[3] = {a, b, c};
    for (size_t k = 0; k < s->nslots; k++)
        data[k] = abc[s->column_of_slot[k]];
}

static double run_column(peer_compiled *p, const double *a, const double *b, const double *c,
                         double *out, long n)
{
    const jc_state *s = p->state;
    const void *data[3];
    slots(s, data, a, b, c);
    jc_error err;
    return jc_run_slots_into(s->program, data, s->nslots, (size_t)n, out, &err) == 0 ? 0 : -1;
}

static double run_scalar(peer_compiled *p, const double *a, const double *b, const double *c,
                         double *out, long n)
{
    (void)out;
    const jc_state *s = p->state;
    const void *data[3];
    slots(s, data, a, b, c);
    jc_result r;
    jc_error err;
    if (jc_run_slots(s->program, data, s->nslots, (size_t)n, &r, &err) != 0)
        return -1;
    return r.type == JC_I64 ? (double)r.scalar.i64 : r.scalar.f64;
}

static int jitcalc_compile(const peer_expr *e, peer_compiled *out, char *msg, size_t cap)
{
    char text[1024];
    if (e->kind == PEER_COLUMN)
        snprintf(text, sizeof text, "%s", e->jitcalc);
    else
        snprintf(text, sizeof text, "sum(%s)", e->jitcalc); /* a count sums a bool */
    static jc_state s; /* one program at a time: the driver releases each */
    jc_options opts;
    jc_options_init(&opts);
    opts.cache_entries = 0;
    opts.threads = 1;
    jc_error err;
    if (!s.engine && !(s.engine = jc_engine_new(&opts, &err))) {
        snprintf(msg, cap, "%s", err.message);
        return -1;
    }
    jc_column schema[3] = {{"a", JC_F64, NULL, 0}, {"b", JC_F64, NULL, 0}, {"c", JC_F64, NULL, 0}};
    if (!(s.program = jc_compile(s.engine, text, JC_NUL_TERMINATED, schema, 3, &err))) {
        snprintf(msg, cap, "%s", err.message);
        return -1;
    }
    s.nslots = jc_program_column_count(s.program);
    for (size_t k = 0; k < s.nslots && k < 3; k++)
        s.column_of_slot[k] = jc_program_column_name(s.program, k)[0] - 'a';
    out->state = &s;
    out->fn = NULL;
    out->run = e->kind == PEER_COLUMN ? run_column : run_scalar;
    return 0;
}

static void jitcalc_release(peer_compiled *p)
{
    jc_state *s = p->state;
    jc_program_free(s->program);
    s->program = NULL;
}

const peer_engine peer_jitcalc = {"jitcalc-peers", jitcalc_compile, jitcalc_release};
