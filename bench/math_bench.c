/*
 * math_bench.c — issue 12's table: the transcendental functions per row.
 * For E6 (`exp(-a) * sin(b) + ln(c + 1)`) and one row per function, ns per
 * row at each size for
 *   - jitcalc through the public API, one engine per instruction set
 *     ("none" = the interpreter, then each JIT set the engine accepts),
 *     with jc_run_into; and the widest one again with jc_run, which
 *     allocates its result column on every run;
 *   - the scalar glibc C loop (this file is built -O2 -fno-math-errno
 *     -ffp-contract=off, calling exp/sin/log... one row at a time);
 *   - SLEEF's deterministic functions called directly at the widest width
 *     the CPU has (d8 avx512fnofma, d4 avx or d2 sse2; d1 purec elsewhere):
 *     the ceiling for a JIT that calls SLEEF.
 * The C and SLEEF loops and jc_run_into write into one buffer allocated
 * once.
 * Every figure is the median of several timed samples in this one process,
 * in CPU time of the calling thread (so a busy machine inflates it less).
 * jitcalc's results are checked against the direct SLEEF results (same
 * bits expected, NaN aside); a mismatch is flagged in the table and makes
 * the exit status 1. numpy's row of the table comes from numpy_math.py.
 *
 * Usage: math_bench [--quick] [--sizes N,N,...] [--samples K]
 * (--quick: 1,000 and 20,000 rows, one sample each: a smoke run.)
 */
#include <math.h>
#include <sleef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "jitcalc.h"

/* ---- the functions, their glibc loops and their direct SLEEF loops ---- */

typedef struct cols3 {
    const double *a, *b, *c;
    double *out;
    size_t n;
} cols3;

typedef void (*loop_fn)(const cols3 *k);

/* X(name, expression, glibc call, sleef name, sleef accuracy, arity) */
#define MATH_FUNCTIONS(X)                                  \
    X(exp, "exp(a)", exp(a), exp, u10, 1)                  \
    X(expm1, "expm1(a)", expm1(a), expm1, u10, 1)          \
    X(ln, "ln(a)", log(a), log, u10, 1)                    \
    X(log10, "log10(a)", log10(a), log10, u10, 1)          \
    X(log2, "log2(a)", log2(a), log2, u10, 1)              \
    X(log1p, "log1p(a)", log1p(a), log1p, u10, 1)          \
    X(sin, "sin(a)", sin(a), sin, u10, 1)                  \
    X(cos, "cos(a)", cos(a), cos, u10, 1)                  \
    X(tan, "tan(a)", tan(a), tan, u10, 1)                  \
    X(asin, "asin(a)", asin(a), asin, u10, 1)              \
    X(acos, "acos(a)", acos(a), acos, u10, 1)              \
    X(atan, "atan(a)", atan(a), atan, u10, 1)              \
    X(sinh, "sinh(a)", sinh(a), sinh, u10, 1)              \
    X(cosh, "cosh(a)", cosh(a), cosh, u10, 1)              \
    X(tanh, "tanh(a)", tanh(a), tanh, u10, 1)              \
    X(cbrt, "cbrt(a)", cbrt(a), cbrt, u10, 1)              \
    X(atan2, "atan2(a, b)", atan2(a, b), atan2, u10, 2)    \
    X(pow, "pow(a, b)", pow(a, b), pow, u10, 2)            \
    X(hypot, "hypot(a, b)", hypot(a, b), hypot, u05, 2)

/* glibc, one row at a time. */
#define GLIBC_LOOP(name, text, call, sf, u, arity)                         \
    static void glibc_##name(const cols3 *k)                               \
    {                                                                      \
        for (size_t i = 0; i < k->n; i++) {                                \
            double a = k->a[i], b = k->b[i];                               \
            (void)b;                                                       \
            k->out[i] = call;                                              \
        }                                                                  \
    }
MATH_FUNCTIONS(GLIBC_LOOP)

static void glibc_e6(const cols3 *k)
{
    for (size_t i = 0; i < k->n; i++)
        k->out[i] = exp(-k->a[i]) * sin(k->b[i]) + log(k->c[i] + 1);
}

/* SLEEF at one width: whole vectors, then the scalar d1 purec function for
 * the tail (same bits: the deterministic variants agree at every width). */
#define SLEEF_CALL1(sf, u, W, isa) Sleef_cinz_##sf##d##W##_##u##isa
#define SLEEF_LOOPS(W, isa, VT, LOAD, STORE, ATTR)                               \
    MATH_FUNCTIONS(SLEEF_LOOP_##W)                                               \
    ATTR static void sleef##W##_e6(const cols3 *k)                               \
    {                                                                            \
        size_t i = 0;                                                            \
        for (; i + W <= k->n; i += W) {                                          \
            VT a = LOAD(k->a + i), b = LOAD(k->b + i), c = LOAD(k->c + i);       \
            VT e = SLEEF_CALL1(exp, u10, W, isa)(-a);                            \
            VT s = SLEEF_CALL1(sin, u10, W, isa)(b);                             \
            VT l = SLEEF_CALL1(log, u10, W, isa)(c + 1.0);                       \
            STORE(k->out + i, e * s + l);                                        \
        }                                                                        \
        for (; i < k->n; i++)                                                    \
            k->out[i] = Sleef_cinz_expd1_u10purec(-k->a[i]) *                    \
                            Sleef_cinz_sind1_u10purec(k->b[i]) +                  \
                        Sleef_cinz_logd1_u10purec(k->c[i] + 1);                  \
    }

#define SLEEF_LOOP_BODY(name, sf, u, arity, W, isa, VT, LOAD, STORE, ATTR)       \
    ATTR static void sleef##W##_##name(const cols3 *k)                           \
    {                                                                            \
        size_t i = 0;                                                            \
        for (; i + W <= k->n; i += W) {                                          \
            VT a = LOAD(k->a + i);                                               \
            if (arity == 1)                                                      \
                STORE(k->out + i, SLEEF_UNARY_##arity(sf, u, W, isa, a));        \
            else                                                                 \
                STORE(k->out + i, SLEEF_BINARY_##arity(sf, u, W, isa, a,          \
                                                       LOAD(k->b + i)));          \
        }                                                                        \
        for (; i < k->n; i++)                                                    \
            k->out[i] = SLEEF_SCALAR_##arity(sf, u, k->a[i], k->b[i]);           \
    }
/* Only the call that matches the arity is ever expanded with arguments. */
#define SLEEF_UNARY_1(sf, u, W, isa, a) SLEEF_CALL1(sf, u, W, isa)(a)
#define SLEEF_UNARY_2(sf, u, W, isa, a) (a)
#define SLEEF_BINARY_1(sf, u, W, isa, a, b) (a)
#define SLEEF_BINARY_2(sf, u, W, isa, a, b) SLEEF_CALL1(sf, u, W, isa)(a, b)
#define SLEEF_SCALAR_1(sf, u, a, b) Sleef_cinz_##sf##d1_##u##purec(a)
#define SLEEF_SCALAR_2(sf, u, a, b) Sleef_cinz_##sf##d1_##u##purec(a, b)

#define LOAD1(p) (*(p))
#define STORE1(p, v) (*(p) = (v))
#define SLEEF_LOOP_1(name, text, call, sf, u, arity) \
    SLEEF_LOOP_BODY(name, sf, u, arity, 1, purec, double, LOAD1, STORE1, )
SLEEF_LOOPS(1, purec, double, LOAD1, STORE1, )

#if defined(__x86_64__)
/* sleef.h declares the AVX and AVX-512 variants only when the file is
 * built for them; this file is not (the glibc loop must stay plain
 * x86-64), so their prototypes are written here, and only functions built
 * for the set (target attribute) call them, when the CPU has it. */
#define ATTR_AVX __attribute__((target("avx")))
#define ATTR_AVX512 __attribute__((target("avx512f")))
/* (clang wants the target on the callee's declaration too) */
#define SLEEF_PROTO_1(A, VT, sf, u, W, isa) A VT Sleef_cinz_##sf##d##W##_##u##isa(VT);
#define SLEEF_PROTO_2(A, VT, sf, u, W, isa) A VT Sleef_cinz_##sf##d##W##_##u##isa(VT, VT);
#define SLEEF_PROTO_AVX(name, text, call, sf, u, arity) \
    SLEEF_PROTO_##arity(ATTR_AVX, __m256d, sf, u, 4, avx)
#define SLEEF_PROTO_AVX512(name, text, call, sf, u, arity) \
    SLEEF_PROTO_##arity(ATTR_AVX512, __m512d, sf, u, 8, avx512fnofma)
#if !defined(__AVX__)
MATH_FUNCTIONS(SLEEF_PROTO_AVX)
#endif
#if !defined(__AVX512F__)
MATH_FUNCTIONS(SLEEF_PROTO_AVX512)
#endif

#define SLEEF_LOOP_2(name, text, call, sf, u, arity) \
    SLEEF_LOOP_BODY(name, sf, u, arity, 2, sse2, __m128d, _mm_loadu_pd, _mm_storeu_pd, )
SLEEF_LOOPS(2, sse2, __m128d, _mm_loadu_pd, _mm_storeu_pd, )

#define SLEEF_LOOP_4(name, text, call, sf, u, arity) \
    SLEEF_LOOP_BODY(name, sf, u, arity, 4, avx, __m256d, _mm256_loadu_pd, _mm256_storeu_pd, ATTR_AVX)
SLEEF_LOOPS(4, avx, __m256d, _mm256_loadu_pd, _mm256_storeu_pd, ATTR_AVX)

#define SLEEF_LOOP_8(name, text, call, sf, u, arity)                               \
    SLEEF_LOOP_BODY(name, sf, u, arity, 8, avx512fnofma, __m512d, _mm512_loadu_pd, \
                    _mm512_storeu_pd, ATTR_AVX512)
SLEEF_LOOPS(8, avx512fnofma, __m512d, _mm512_loadu_pd, _mm512_storeu_pd, ATTR_AVX512)
#endif

typedef struct bench_row {
    const char *name, *text;
    loop_fn glibc, sleef[4]; /* sleef: d1, d2, d4, d8 */
} bench_row;

#if defined(__x86_64__)
#define SLEEF_WIDTHS(name) {sleef1_##name, sleef2_##name, sleef4_##name, sleef8_##name}
#else
#define SLEEF_WIDTHS(name) {sleef1_##name, NULL, NULL, NULL}
#endif
#define ROW(name, text, call, sf, u, arity) \
    {#name, text, glibc_##name, SLEEF_WIDTHS(name)},

static bench_row rows[] = {
    {"E6", "exp(-a) * sin(b) + ln(c + 1)", glibc_e6, SLEEF_WIDTHS(e6)},
    MATH_FUNCTIONS(ROW)
};
#define NROWS (sizeof rows / sizeof *rows)

/* ---- data -------------------------------------------------------------- */

/* Uniform in (lo, hi), never an endpoint; a fixed sequence per seed. */
static double *column(size_t n, uint64_t seed, double lo, double hi)
{
    double *v = malloc(n * sizeof *v);
    if (!v)
        return NULL;
    uint64_t s = seed;
    for (size_t i = 0; i < n; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        double u = ((double)(s >> 11) + 0.5) * 0x1p-53;
        v[i] = lo + (hi - lo) * u;
    }
    return v;
}

/* The columns of a row: (0, 1) everywhere, except pow: a in (0, 2) and
 * b in (-4, 4), so results both grow and shrink. */
static void domain_of(const bench_row *r, double *alo, double *ahi, double *blo,
                      double *bhi)
{
    *alo = 0, *ahi = 1, *blo = 0, *bhi = 1;
    if (strcmp(r->name, "pow") == 0)
        *ahi = 2, *blo = -4, *bhi = 4;
}

/* ---- timing ------------------------------------------------------------ */

/* CPU time of this thread, not wall time: on a shared (CI) machine other
 * processes' time slices do not count. jitcalc runs single-threaded here,
 * in this thread, so nothing of its work is missed; page faults count (as
 * the thread's system time). */
static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return v[n / 2];
}

/* Repetitions so that one sample takes about 20 ms (one with --quick: a
 * smoke run, not a measurement). */
static int quick;
static int reps_for(size_t n)
{
    return quick || n >= 1000000 ? 1 : (int)(2000000 / (n + 100)) + 1;
}

static volatile double sink;
/* memset through a volatile pointer: the compiler cannot see that the
 * writes die at free() and drop them. */
static void *(*volatile fill)(void *, int, size_t) = memset;

static double time_loop(loop_fn f, const cols3 *k, int samples)
{
    double s[64];
    int reps = reps_for(k->n);
    f(k); /* warm: pages touched, code paged in */
    for (int i = 0; i < samples; i++) {
        double t0 = now_ns();
        for (int r = 0; r < reps; r++)
            f(k);
        s[i] = (now_ns() - t0) / reps / (double)k->n;
    }
    sink = k->out[0];
    return median(s, samples);
}

/* ns per row of a jitcalc run, or NAN when it failed: into the reused
 * buffer out (jc_run_into), or allocating the result (jc_run, out NULL). */
static double time_jc(const jc_program *p, const jc_column *cols, size_t n,
                      int samples, double *out)
{
    double s[64];
    int reps = reps_for(n);
    jc_error err;
    for (int i = -1; i < samples; i++) { /* i = -1: warm-up */
        double t0 = now_ns();
        for (int r = 0; r < reps; r++) {
            if (out) {
                if (jc_run_into(p, cols, 3, n, out, &err) != 0)
                    return NAN;
                continue;
            }
            jc_result res;
            if (jc_run(p, cols, 3, n, &res, &err) != 0)
                return NAN;
            sink = ((double *)res.values)[0];
            jc_result_free(&res);
        }
        if (i >= 0)
            s[i] = (now_ns() - t0) / reps / (double)n;
    }
    return median(s, samples);
}

/* 1 when jitcalc's column has the bits of SLEEF's (any NaN equals any). */
static int same_bits(const jc_program *p, const jc_column *cols, size_t n, const double *want)
{
    jc_result res;
    jc_error err;
    if (jc_run(p, cols, 3, n, &res, &err) != 0)
        return 0;
    int same = 1;
    const double *got = res.values;
    for (size_t i = 0; i < n && same; i++)
        same = memcmp(&got[i], &want[i], sizeof *got) == 0 || (isnan(got[i]) && isnan(want[i]));
    jc_result_free(&res);
    return same;
}

/* ---- main -------------------------------------------------------------- */

static const char *const isas[] = {"none", "sse2", "avx2", "avx512"};
#define NISAS (sizeof isas / sizeof *isas)

static int widest_sleef(const char **name)
{
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f"))
        return *name = "d8 avx512fnofma", 3;
    if (__builtin_cpu_supports("avx"))
        return *name = "d4 avx", 2;
    return *name = "d2 sse2", 1;
#else
    return *name = "d1 purec", 0;
#endif
}

int main(int argc, char **argv)
{
    size_t sizes[8] = {100000, 10000000};
    int nsizes = 2, samples = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0) {
            sizes[0] = 1000, sizes[1] = 20000, nsizes = 2;
            samples = 1, quick = 1;
        } else if (strcmp(argv[i], "--sizes") == 0 && i + 1 < argc) {
            nsizes = 0;
            for (char *t = strtok(argv[++i], ","); t && nsizes < 8; t = strtok(NULL, ","))
                sizes[nsizes++] = strtoull(t, NULL, 10);
        } else if (strcmp(argv[i], "--samples") == 0 && i + 1 < argc) {
            samples = atoi(argv[++i]);
        } else {
            fprintf(stderr, "usage: %s [--quick] [--sizes N,N,...] [--samples K]\n", argv[0]);
            return 2;
        }
    }
    if (samples < 0 || samples > 64)
        samples = 0;

    jc_engine *engines[NISAS] = {0};
    for (size_t i = 0; i < NISAS; i++) {
        jc_options o;
        jc_options_init(&o);
        o.isa = isas[i];
        o.threads = 1;
        jc_error err;
        engines[i] = jc_engine_new(&o, &err);
        if (!engines[i])
            printf("jitcalc isa %s: skipped (%s)\n", isas[i], err.message);
    }
    const char *sleef_name;
    int sw = widest_sleef(&sleef_name);

    printf("\nns per row (thread CPU time), single thread; columns uniform in (0, 1) except pow: "
           "a in (0, 2), b in (-4, 4).\n");
    size_t widest = 0;
    for (size_t i = 0; i < NISAS; i++)
        if (engines[i])
            widest = i;
    printf("jitcalc per isa: jc_run_into, into one reused buffer as the C and "
           "SLEEF loops; the jc_run column allocates its result per run (as "
           "numpy does). * = the engine ran the interpreter for this "
           "expression; ! = bits differ from direct SLEEF.\n\n");
    printf("| expr | rows |");
    for (size_t i = 0; i < NISAS; i++)
        if (engines[i])
            printf(" jitcalc %s |", strcmp(isas[i], "none") ? isas[i] : "interp");
    printf(" jitcalc %s jc_run | glibc loop | SLEEF %s | best jitcalc / glibc |\n|---|---:|",
           strcmp(isas[widest], "none") ? isas[widest] : "interp", sleef_name);
    for (size_t i = 0; i < NISAS; i++)
        if (engines[i])
            printf("---:|");
    printf("---:|---:|---:|---:|\n");
    fflush(stdout);

    int status = 0;
    for (int si = 0; si < nsizes; si++) {
        size_t n = sizes[si];
        if (n == 0)
            continue;
        int ns_samples = samples ? samples : (n >= 1000000 ? 3 : 7);
        double *out = malloc(n * sizeof *out), *ref = malloc(n * sizeof *ref);
        if (!out || !ref) {
            fprintf(stderr, "out of memory at %zu rows\n", n);
            return 1;
        }
        for (size_t ri = 0; ri < NROWS; ri++) {
            const bench_row *r = &rows[ri];
            double alo, ahi, blo, bhi;
            domain_of(r, &alo, &ahi, &blo, &bhi);
            double *a = column(n, 1, alo, ahi), *b = column(n, 2, blo, bhi),
                   *c = column(n, 3, 0, 1);
            if (!a || !b || !c) {
                fprintf(stderr, "out of memory at %zu rows\n", n);
                return 1;
            }
            cols3 k = {a, b, c, ref, n};
            r->sleef[sw](&k); /* the reference bits */
            k.out = out;
            jc_column cols[3] = {{"a", JC_F64, a, n}, {"b", JC_F64, b, n}, {"c", JC_F64, c, n}};

            printf("| %s | %zu |", r->name, n);
            double best = INFINITY, alloc_ns = NAN;
            for (size_t i = 0; i < NISAS; i++) {
                if (!engines[i])
                    continue;
                jc_error err;
                jc_program *p = jc_compile(engines[i], r->text, JC_NUL_TERMINATED, cols, 3, &err);
                if (!p) {
                    printf(" error |");
                    status = 1;
                    continue;
                }
                jc_explain ex;
                int interp = i > 0 && jc_program_explain(p, &ex, &err) == 0 &&
                             strcmp(ex.isa, "none") == 0;
                int ok = same_bits(p, cols, n, ref);
                double ns = time_jc(p, cols, n, ns_samples, out);
                if (i == widest)
                    alloc_ns = time_jc(p, cols, n, ns_samples, NULL);
                jc_program_free(p);
                printf(" %.2f%s%s |", ns, interp ? "*" : "", ok ? "" : "!");
                if (!ok)
                    status = 1;
                if (ns < best)
                    best = ns;
            }
            double g = time_loop(r->glibc, &k, ns_samples);
            double s = time_loop(r->sleef[sw], &k, ns_samples);
            printf(" %.2f | %.2f | %.2f | %.2f |\n", alloc_ns, g, s, best / g);
            fflush(stdout);
            free(a);
            free(b);
            free(c);
        }
        if (n >= 1000000) {
            /* What a fresh result column (jc_run) costs by itself: pages
             * mapped and first written on every run. */
            double s[64];
            for (int i = 0; i < ns_samples; i++) {
                double t0 = now_ns();
                double *col = malloc(n * sizeof *col);
                if (!col)
                    break;
                fill(col, 0, n * sizeof *col); /* not elided: see fill */
                free(col);
                s[i] = (now_ns() - t0) / (double)n;
            }
            printf("\nA fresh %zu-row result column (malloc, first write, free) costs "
                   "%.2f ns/row by itself.\n\n", n, median(s, ns_samples));
        }
        free(out);
        free(ref);
    }
    for (size_t i = 0; i < NISAS; i++)
        jc_engine_free(engines[i]);
    return status;
}
