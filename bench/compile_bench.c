/*
 * compile_bench.c — what jc_compile costs, text to runnable program: the
 * median ns of one jc_compile + jc_program_free, on a cache hit (an engine
 * with the default cache, warmed) and cold (an engine with cache_entries 0,
 * so every compile parses, checks, folds, keys and JIT-compiles), for a
 * short expression, E7 (degree-10 Horner polynomial), a 30-term sum and a
 * 1,000-term sum, all in one process.
 *
 * One sample times a batch of compiles (enough for about 100 µs: long
 * enough to spread the clock's own cost, short enough that most batches
 * run without being preempted on a busy machine); the median of the
 * samples is printed. Usage:
 *   bench_compile                      the table
 *   bench_compile --loop NAME hit|cold SECONDS
 *                                      compile one expression in a loop, for
 *                                      `perf record`
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jitcalc.h"

#define SAMPLES 201

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* term i of a sum: a column (a, b, c in turn) on even i, a decimal literal
 * on odd i, so both names and numbers are read. */
static char *make_sum(int terms)
{
    size_t cap = (size_t)terms * 16 + 1, n = 0;
    char *s = malloc(cap);
    for (int i = 0; i < terms; i++) {
        if (i)
            n += (size_t)snprintf(s + n, cap - n, " + ");
        if (i % 2 == 0)
            n += (size_t)snprintf(s + n, cap - n, "%c", "abc"[(i / 2) % 3]);
        else
            n += (size_t)snprintf(s + n, cap - n, "%d.25", i);
    }
    return s;
}

typedef struct bexpr {
    const char *name;
    char *text;
} bexpr;

static const jc_column schema[3] = {
    {"a", JC_F64, NULL, 0}, {"b", JC_F64, NULL, 0}, {"c", JC_F64, NULL, 0}};

static int compile_once(jc_engine *e, const char *text, size_t len)
{
    jc_error err;
    jc_program *p = jc_compile(e, text, len, schema, 3, &err);
    if (!p) {
        fprintf(stderr, "compile failed: %s\n", err.message);
        return -1;
    }
    jc_program_free(p);
    return 0;
}

/* Median ns per compile + free. */
static double time_compiles(jc_engine *e, const char *text)
{
    size_t len = strlen(text);
    if (compile_once(e, text, len) != 0) /* warms the cache, or fails */
        return -1;
    /* size a batch to about 100 µs */
    uint64_t t0 = now_ns();
    int probe = 0;
    while (now_ns() - t0 < 100000 && probe < 100000) {
        compile_once(e, text, len);
        probe++;
    }
    int reps = probe;
    double s[SAMPLES];
    for (int i = 0; i < SAMPLES; i++) {
        t0 = now_ns();
        for (int r = 0; r < reps; r++)
            compile_once(e, text, len);
        s[i] = (double)(now_ns() - t0) / reps;
    }
    qsort(s, SAMPLES, sizeof *s, cmp_double);
    return s[SAMPLES / 2];
}

static jc_engine *make_engine(int cached)
{
    jc_options o;
    jc_options_init(&o);
    if (!cached)
        o.cache_entries = 0;
    jc_error err;
    jc_engine *e = jc_engine_new(&o, &err);
    if (!e)
        fprintf(stderr, "jc_engine_new: %s\n", err.message);
    return e;
}

int main(int argc, char **argv)
{
    bexpr exprs[] = {
        {"short", strdup("a + b")},
        {"E7", strdup("(((((((((0.5*a + -1.25)*a + 2)*a + 0.75)*a + -0.5)*a + "
                      "1.5)*a + -2.25)*a + 0.125)*a + 1)*a + -0.375)*a + 0.25")},
        {"sum30", make_sum(30)},
        {"sum1000", make_sum(1000)},
    };
    size_t nexprs = sizeof exprs / sizeof *exprs;
    jc_engine *hit = make_engine(1), *cold = make_engine(0);
    if (!hit || !cold)
        return 1;

    if (argc == 5 && strcmp(argv[1], "--loop") == 0) {
        jc_engine *e = strcmp(argv[3], "cold") == 0 ? cold : hit;
        for (size_t i = 0; i < nexprs; i++) {
            if (strcmp(exprs[i].name, argv[2]) != 0)
                continue;
            size_t len = strlen(exprs[i].text);
            uint64_t end = now_ns() + (uint64_t)(atof(argv[4]) * 1e9);
            long n = 0;
            while (now_ns() < end) {
                for (int r = 0; r < 100; r++)
                    compile_once(e, exprs[i].text, len);
                n += 100;
            }
            printf("%ld compiles\n", n);
            return 0;
        }
        fprintf(stderr, "no expression named %s\n", argv[2]);
        return 2;
    }

    jc_stats st;
    jc_engine_stats(cold, &st);
    printf("jc_compile + jc_program_free, median ns (isa %s)\n", st.isa);
    printf("| expr | bytes | hit ns | cold ns |\n|---|---|---|---|\n");
    for (size_t i = 0; i < nexprs; i++) {
        double h = time_compiles(hit, exprs[i].text);
        double c = time_compiles(cold, exprs[i].text);
        printf("| %s | %zu | %.0f | %.0f |\n", exprs[i].name, strlen(exprs[i].text), h, c);
    }
    jc_engine_free(hit);
    jc_engine_free(cold);
    for (size_t i = 0; i < nexprs; i++)
        free(exprs[i].text);
    return 0;
}
