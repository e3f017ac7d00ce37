/*
 * test_differential.c — the JIT against the interpreter on generated
 * expressions (tests/common/exprgen.h), bit for bit, at scale.
 *
 *     hardening_differential [--count N] [--seed S] [--isa ISA]
 *                            [--threads T] [--big]
 *
 * Each expression is well-typed by construction (the generator's promise,
 * checked here too), runs over columns with edge values (NaN, ±0, ±Inf,
 * i64 extremes) and row counts around the vector, block and chunk sizes
 * (--big adds counts past one 16,384-row chunk), and must give the same
 * result or the same error and row on both engines (fuzz/diffcheck.h:
 * jc_run, jc_filter for bool columns, jc_run_selected).
 * ctest runs a few thousand; the nightly_differential target 100,000+.
 * Exit 0: all agree; 1: differences (the first ten are printed with their
 * seeds); 77: the requested ISA is not available here (ctest: skipped).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diffcheck.h"
#include "exprgen.h"

#define NCOLS 7
#define SKIP 77

static const exprgen_column gen_cols[NCOLS] = {
    {"a", JC_F64}, {"b", JC_F64},  {"n", JC_I64},          {"m", JC_I64},
    {"p", JC_BOOL}, {"q", JC_BOOL}, {"unit price", JC_F64},
};

typedef struct data {
    size_t nrows;
    jc_column cols[NCOLS];
    void *buf[NCOLS];
} data;

static double f64_value(uint64_t *rng)
{
    static const double edge[] = {0.0,  -0.0,    1.0,       -1.0,      0.5,   NAN,
                                  INFINITY, -INFINITY, 1e308, -1e308, 5e-324, 1e-300,
                                  2.5,  -2.5,    1e16,      3.0};
    uint64_t r = exprgen_random(rng);
    switch (r % 8) {
    case 0:
        return edge[(r >> 8) % (sizeof edge / sizeof edge[0])];
    case 1:
        return (double)((int64_t)((r >> 8) % 41) - 20);
    default: /* uniform in (-100, 100) with a full mantissa */
        return ((double)(r >> 11) / 9007199254740992.0) * 200.0 - 100.0;
    }
}

static int64_t i64_value(uint64_t *rng)
{
    static const int64_t edge[] = {0, 1, -1, INT64_MAX, INT64_MIN, INT64_MAX - 1,
                                   INT64_MIN + 1, (int64_t)1 << 32, 3037000499,
                                   -3037000499, (int64_t)1 << 62};
    uint64_t r = exprgen_random(rng);
    if (r % 16 == 0)
        return edge[(r >> 8) % (sizeof edge / sizeof edge[0])];
    return (int64_t)((r >> 8) % 41) - 20;
}

static size_t row_count(uint64_t *rng, int big)
{
    static const size_t small[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17,
                                   31, 33, 63, 64, 65, 100, 1023, 1024, 1025};
    static const size_t large[] = {16383, 16384, 16385, 32768, 40000};
    uint64_t r = exprgen_random(rng);
    if (big && r % 8 == 0)
        return large[(r >> 8) % (sizeof large / sizeof large[0])];
    return small[(r >> 8) % (sizeof small / sizeof small[0])];
}

static int make_data(data *d, uint64_t seed, int big)
{
    uint64_t rng = seed ^ 0x5DEECE66Dull;
    d->nrows = row_count(&rng, big);
    for (size_t k = 0; k < NCOLS; k++) {
        jc_type t = gen_cols[k].type;
        size_t w = t == JC_BOOL ? 1 : 8;
        d->buf[k] = malloc((d->nrows ? d->nrows : 1) * w);
        if (!d->buf[k])
            return -1;
        for (size_t r = 0; r < d->nrows; r++) {
            if (t == JC_F64)
                ((double *)d->buf[k])[r] = f64_value(&rng);
            else if (t == JC_I64)
                ((int64_t *)d->buf[k])[r] = i64_value(&rng);
            else
                ((uint8_t *)d->buf[k])[r] = exprgen_random(&rng) & 1;
        }
        d->cols[k] = (jc_column){gen_cols[k].name, t, d->buf[k], d->nrows};
    }
    return 0;
}

static void free_data(data *d)
{
    for (size_t k = 0; k < NCOLS; k++)
        free(d->buf[k]);
}

int main(int argc, char **argv)
{
    size_t count = 1000;
    uint64_t seed = 1;
    const char *isa = NULL;
    unsigned threads = 1;
    int big = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--count") == 0 && i + 1 < argc)
            count = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--isa") == 0 && i + 1 < argc)
            isa = argv[++i];
        else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
            threads = (unsigned)strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--big") == 0)
            big = 1;
        else {
            fprintf(stderr, "usage: %s [--count N] [--seed S] [--isa ISA] "
                            "[--threads T] [--big]\n", argv[0]);
            return 2;
        }
    }
    diff_engines eng;
    jc_error err;
    if (diff_open(&eng, isa, threads, &err) != 0) {
        printf("skipped: isa %s: %s\n", isa ? isa : "auto", err.message);
        return err.code == JC_INVALID_ARGUMENT ? SKIP : 1;
    }
    jc_stats st;
    jc_engine_stats(eng.jit, &st);
    printf("differential: %zu expressions, seed %llu, jit %s (isa %s), threads %u%s\n",
           count, (unsigned long long)seed, st.jit ? "on" : "OFF: interpreter only",
           st.isa, threads, big ? ", big row counts" : "");

    diff_counts counts = {0, 0};
    size_t failures = 0, not_compiled = 0;
    for (size_t i = 0; i < count; i++) {
        uint64_t s = seed * 1000003u + i;
        uint64_t rng = s;
        exprgen_config cfg = {.columns = gen_cols, .ncolumns = NCOLS,
                              .max_depth = 1 + (unsigned)(exprgen_random(&rng) % 7),
                              .aggregates = 1, .surface = 1, .edge_literals = 1};
        char *expr = exprgen_text(&cfg, EXPRGEN_ANY, s);
        data d;
        memset(&d, 0, sizeof d);
        if (!expr || make_data(&d, s, big) != 0) {
            fprintf(stderr, "out of memory\n");
            return 1;
        }
        char msg[512];
        size_t before = counts.compiled;
        if (diff_check(&eng, expr, d.cols, NCOLS, d.nrows, msg, sizeof msg, &counts)) {
            if (++failures <= 10)
                printf("DIFFERENCE (seed %llu, %zu rows)\n  expr: %s\n  %s\n",
                       (unsigned long long)s, d.nrows, expr, msg);
        } else if (counts.compiled == before && ++not_compiled <= 10) {
            /* exprgen promises well-typed text: a refusal is a bug somewhere */
            jc_program *p = jc_compile(eng.interp, expr, JC_NUL_TERMINATED, d.cols, NCOLS,
                                       &err);
            printf("NOT COMPILED (seed %llu)\n  expr: %s\n  %s at %lld: %s\n",
                   (unsigned long long)s, expr, jc_code_name(err.code),
                   (long long)err.position, err.message);
            jc_program_free(p);
        }
        free_data(&d);
        free(expr);
    }
    printf("%zu compiled (%zu ran as machine code), %zu differences, %zu refused\n",
           counts.compiled, counts.jitted, failures, not_compiled);
    diff_close(&eng);
    return failures || not_compiled ? 1 : 0;
}
