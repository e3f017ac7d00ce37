/*
 * bench_engines.c — jitcalc against the hand-written C loop (issue 4's
 * table): for each expression and size, ns per row for the C loop, the
 * interpreter and the JIT per instruction set, and the JIT / C ratio; and
 * compile time, cold (no cache) and on a cache hit.
 *
 * Every figure is the median of several timed repetitions, each long enough
 * to be measured, all in this one process, so ratios hold when the machine's
 * speed drifts. Usage: bench_engines [--quick | --smoke] [--sizes N,N,...] [--json FILE]
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench/c_loops.h"
#include "jitcalc.h"

#define SAMPLES 7

/* --smoke: one short sample of everything, to prove the program runs. */
static int smoke;

typedef struct bench_expr {
    const char *name;
    const char *text;
    void (*c_loop)(const bench_cols *);
    double (*c_reduce)(const bench_cols *);
    int is_filter;
} bench_expr;

static char e7_text[512];

static const bench_expr exprs[] = {
    {"E1", "a + b", c_e1, NULL, 0},
    {"E2", "a*b + c", c_e2, NULL, 0},
    {"E3", "sqrt(a*a + b*b)", c_e3, NULL, 0},
    {"E4", "(a - b) / (a + b + 1)", c_e4, NULL, 0},
    {"E5", "if(a > b, a - b, b - a)", c_e5, NULL, 0},
    {"E6", "exp(-a) * sin(b) + ln(c + 1)", c_e6, NULL, 0},
    {"E7", e7_text, c_e7, NULL, 0},
    {"filter", "a > 0.5 and b < 0.2", NULL, c_filter, 1},
    {"sum", "sum(a*b)", NULL, c_sum, 0},
};
#define NEXPRS (sizeof exprs / sizeof *exprs)

static const char *isas[] = {"none", "sse2", "avx2", "avx512"};
#define NISAS (sizeof isas / sizeof *isas)

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

static double median(double *v, int n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return v[n / 2];
}

static volatile double sink;

/* Repetitions so that one sample takes about 20 ms. */
static int reps_for(size_t n)
{
    if (smoke)
        return 1;
    return n >= 1000000 ? 1 : (int)(20000000 / (n + 1000)) + 1;
}

static double time_c(const bench_expr *e, const bench_cols *k)
{
    double s[SAMPLES];
    int reps = reps_for(k->n);
    for (int i = 0; i < SAMPLES; i++) {
        double t0 = now_ns();
        for (int r = 0; r < reps; r++) {
            if (e->c_loop)
                e->c_loop(k);
            else
                sink = e->c_reduce(k);
        }
        s[i] = (now_ns() - t0) / reps / (double)k->n;
    }
    return median(s, SAMPLES);
}

/* ns per row of a jitcalc run, or NAN when it failed. */
static double time_jc(jc_program *p, const bench_expr *e, const jc_column *cols, size_t n,
                      double *out)
{
    double s[SAMPLES];
    int reps = reps_for(n);
    jc_error err;
    for (int i = 0; i < SAMPLES; i++) {
        double t0 = now_ns();
        for (int r = 0; r < reps; r++) {
            if (e->is_filter) {
                jc_selection sel;
                if (jc_filter(p, cols, 3, n, &sel, &err) != 0)
                    return NAN;
                sink = (double)sel.count;
                jc_selection_free(&sel);
            } else if (jc_program_is_column(p)) {
                /* Into a buffer made once, as the C loop does. */
                if (jc_run_into(p, cols, 3, n, out, &err) != 0)
                    return NAN;
                sink = out[0];
            } else {
                jc_result res;
                if (jc_run(p, cols, 3, n, &res, &err) != 0)
                    return NAN;
                sink = res.scalar.f64;
                jc_result_free(&res);
            }
        }
        s[i] = (now_ns() - t0) / reps / (double)n;
    }
    return median(s, SAMPLES);
}

static double time_compile(jc_engine *engine, const char *text, const jc_column *cols)
{
    double s[SAMPLES];
    jc_error err;
    for (int i = 0; i < SAMPLES; i++) {
        int reps = smoke ? 2 : 2000;
        double t0 = now_ns();
        for (int r = 0; r < reps; r++) {
            jc_program *p = jc_compile(engine, text, JC_NUL_TERMINATED, cols, 3, &err);
            if (!p)
                return NAN;
            jc_program_free(p);
        }
        s[i] = (now_ns() - t0) / reps;
    }
    return median(s, SAMPLES);
}

/* The largest relative difference between jitcalc's answer and the C
 * loop's (a wrong engine is reported, not timed: NAN when it fails). */
static double check_against_c(jc_program *p, const bench_expr *e, const bench_cols *k,
                              const jc_column *cols, double *mine)
{
    jc_error err;
    double worst = 0;
    if (e->c_loop) {
        e->c_loop(k);
        if (jc_run_into(p, cols, 3, k->n, mine, &err) != 0)
            return NAN;
        for (size_t i = 0; i < k->n; i++) {
            double ref = k->out[i], d = fabs(mine[i] - ref) / (fabs(ref) > 1e-300 ? fabs(ref) : 1);
            if (!(d <= worst))
                worst = d;
        }
        return worst;
    }
    double ref = e->c_reduce(k), got;
    if (e->is_filter) {
        jc_selection sel;
        if (jc_filter(p, cols, 3, k->n, &sel, &err) != 0)
            return NAN;
        got = (double)sel.count;
        jc_selection_free(&sel);
    } else {
        jc_result r;
        if (jc_run(p, cols, 3, k->n, &r, &err) != 0)
            return NAN;
        got = r.scalar.f64;
        jc_result_free(&r);
    }
    return fabs(got - ref) / (fabs(ref) > 1e-300 ? fabs(ref) : 1);
}

static double *random_column(size_t n, uint64_t seed)
{
    double *v = malloc(n * sizeof *v);
    uint64_t s = seed;
    for (size_t i = 0; i < n; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        v[i] = ((double)(s >> 11) + 0.5) / 9007199254740992.0; /* in (0, 1) */
    }
    return v;
}

static void make_e7_text(void)
{
    /* (((c0*a + c1)*a + c2)...)*a + c10 with the C loop's coefficients. */
    char *p = e7_text;
    for (int d = 1; d < 10; d++)
        *p++ = '(';
    p += sprintf(p, "%.17g", bench_poly[0]);
    for (int d = 1; d < 11; d++)
        p += sprintf(p, "*a + %.17g%s", bench_poly[d], d < 10 ? ")" : "");
}

int main(int argc, char **argv)
{
    size_t sizes[8] = {1000, 100000, 10000000};
    int nsizes = 3;
    const char *json_path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0) {
            sizes[0] = 1000;
            sizes[1] = 20000;
            nsizes = 2;
        } else if (strcmp(argv[i], "--smoke") == 0) {
            smoke = 1;
            sizes[0] = 1000;
            sizes[1] = 20011;
            nsizes = 2;
        } else if (strcmp(argv[i], "--sizes") == 0 && i + 1 < argc) {
            nsizes = 0;
            for (char *t = strtok(argv[++i], ","); t && nsizes < 8; t = strtok(NULL, ","))
                sizes[nsizes++] = strtoull(t, NULL, 10);
        } else if (strcmp(argv[i], "--json") == 0 && i + 1 < argc) {
            json_path = argv[++i];
        } else {
            fprintf(stderr, "usage: %s [--quick | --smoke] [--sizes N,N,...] [--json FILE]\n", argv[0]);
            return 2;
        }
    }
    make_e7_text();
    FILE *json = json_path ? fopen(json_path, "w") : NULL;
    if (json)
        fprintf(json, "{\"rows\":[\n");
    int first_json = 1;

    jc_engine *engines[NISAS] = {0};
    jc_error err;
    for (size_t i = 0; i < NISAS; i++) {
        jc_options o;
        jc_options_init(&o);
        o.isa = isas[i];
        engines[i] = jc_engine_new(&o, &err);
    }

    printf("| expr | rows | C ns/row |");
    for (size_t i = 0; i < NISAS; i++)
        if (engines[i])
            printf(" %s ns/row |", strcmp(isas[i], "none") ? isas[i] : "interp");
    printf(" best JIT / C | max rel. error vs C |\n|---|---|---|");
    for (size_t i = 0; i < NISAS; i++)
        if (engines[i])
            printf("---|");
    printf("---|---|\n");

    for (int si = 0; si < nsizes; si++) {
        size_t n = sizes[si];
        double *a = random_column(n, 1), *b = random_column(n, 2), *c = random_column(n, 3);
        double *out = malloc(n * sizeof *out), *mine = malloc(n * sizeof *mine);
        bench_cols k = {a, b, c, out, n};
        jc_column cols[3] = {{"a", JC_F64, a, n}, {"b", JC_F64, b, n}, {"c", JC_F64, c, n}};
        for (size_t ei = 0; ei < NEXPRS; ei++) {
            const bench_expr *e = &exprs[ei];
            double c_ns = time_c(e, &k);
            printf("| %s | %zu | %.3f |", e->name, n, c_ns);
            double best = INFINITY, worst_rel = 0;
            for (size_t i = 0; i < NISAS; i++) {
                if (!engines[i])
                    continue;
                jc_program *p = jc_compile(engines[i], e->text, JC_NUL_TERMINATED, cols, 3, &err);
                double rel = p ? check_against_c(p, e, &k, cols, mine) : NAN;
                double ns = p && rel < 1e-9 ? time_jc(p, e, cols, n, out) : NAN;
                jc_program_free(p);
                if (rel > worst_rel || rel != rel)
                    worst_rel = rel;
                printf(" %.3f |", ns);
                if (i > 0 && ns < best)
                    best = ns;
                if (json) {
                    fprintf(json, "%s{\"expr\":\"%s\",\"rows\":%zu,\"engine\":\"jitcalc-%s\",\"ns_per_row\":%.4f,\"c_ns_per_row\":%.4f}",
                            first_json ? "" : ",\n", e->name, n, isas[i], ns, c_ns);
                    first_json = 0;
                }
            }
            printf(" %.2f | %.1e |\n", best / c_ns, worst_rel);
        }
        if (n >= 1000000) {
            double s[SAMPLES];
            for (int i = 0; i < SAMPLES; i++) {
                double t0 = now_ns();
                c_triad(&k);
                s[i] = (now_ns() - t0) / n;
            }
            printf("\nSTREAM triad (out = a + 3*b) at %zu rows: %.3f ns/row (memory floor)\n\n", n, median(s, SAMPLES));
        }
        free(a);
        free(b);
        free(c);
        free(out);
        free(mine);
    }

    /* Compile time: cold (no cache: every compile is a full compile) and on
     * a cache hit, with the best instruction set. */
    jc_options cold;
    jc_options_init(&cold);
    cold.cache_entries = 0;
    jc_engine *cold_engine = jc_engine_new(&cold, &err);
    double dummy[1] = {0};
    jc_column schema[3] = {{"a", JC_F64, dummy, 1}, {"b", JC_F64, dummy, 1}, {"c", JC_F64, dummy, 1}};
    jc_stats st;
    jc_engine_stats(cold_engine, &st);
    printf("\n| expr | compile cold µs (%s) | compile cache hit µs |\n|---|---|---|\n", st.isa);
    jc_engine *warm = jc_engine_new(NULL, &err);
    for (size_t ei = 0; ei < NEXPRS; ei++) {
        double cold_ns = time_compile(cold_engine, exprs[ei].text, schema);
        double hit_ns = time_compile(warm, exprs[ei].text, schema);
        printf("| %s | %.3f | %.3f |\n", exprs[ei].name, cold_ns / 1000, hit_ns / 1000);
        if (json)
            fprintf(json, ",\n{\"expr\":\"%s\",\"compile_cold_ns\":%.1f,\"compile_hit_ns\":%.1f}",
                    exprs[ei].name, cold_ns, hit_ns);
    }
    if (json) {
        fprintf(json, "\n]}\n");
        fclose(json);
    }
    jc_engine_free(cold_engine);
    jc_engine_free(warm);
    for (size_t i = 0; i < NISAS; i++)
        jc_engine_free(engines[i]);
    return 0;
}
