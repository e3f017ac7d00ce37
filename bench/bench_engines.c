/*
 * bench_engines.c — jitcalc against the hand-written C loop (issue 4's
 * table): for each expression and size, ns per row for the C loop, the
 * interpreter and the JIT per instruction set, and the JIT / C ratio; and
 * compile time, cold (no cache) and on a cache hit.
 *
 * Every figure is the median of several timed repetitions, each long enough
 * to be measured, all in this one process; a ratio to the C loop is the
 * median of ratios of samples taken back to back, so ratios hold when the
 * machine's speed drifts. Usage: bench_engines [--quick | --smoke] [--sizes N,N,...]
 * [--offset B] [--json FILE]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench_util.h"
#include "bench/c_loops.h"
#include "jitcalc.h"

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
    /* the same rows counted in the language, as the C loop and the peers
     * count them (the filter above lists them: jc_filter's selection) */
    {"count", "sum(a > 0.5 and b < 0.2)", NULL, c_filter, 0},
    {"sum", "sum(a*b)", NULL, c_sum, 0},
};
#define NEXPRS (sizeof exprs / sizeof *exprs)

static const char *isas[] = {"none", "sse2", "avx2", "avx512"};
#define NISAS (sizeof isas / sizeof *isas)

static volatile double sink;

/* A scalar result as a double (sum of a bool is an i64 count). */
static double scalar_value(const jc_result *r)
{
    return r->type == JC_I64 ? (double)r->scalar.i64 : r->scalar.f64;
}

/* One timed sample of a jitcalc run: ns per row, or NAN when it failed.
 * Row-wise results go into a buffer made once, as the C loop's do; the
 * columns are passed by position (jc_run_slots*), the quickest documented
 * call, so that the figure is the JIT's and not the name lookup's. */
static double sample_jc(jc_program *p, const bench_expr *e, const jc_column *cols,
                        const void *const *slots, size_t n, int reps, double *out)
{
    jc_error err;
    size_t nslots = jc_program_column_count(p);
    double t0 = bench_now_ns();
    for (int r = 0; r < reps; r++) {
        if (e->is_filter) {
            jc_selection sel;
            if (jc_filter(p, cols, 3, n, &sel, &err) != 0)
                return NAN;
            sink = (double)sel.count;
            jc_selection_free(&sel);
        } else if (jc_program_is_column(p)) {
            if (jc_run_slots_into(p, slots, nslots, n, out, &err) != 0)
                return NAN;
            sink = out[0];
        } else {
            jc_result res;
            if (jc_run_slots(p, slots, nslots, n, &res, &err) != 0)
                return NAN;
            sink = scalar_value(&res);
            jc_result_free(&res);
        }
    }
    return (bench_now_ns() - t0) / reps / (double)n;
}

/* ns per row of a jitcalc run (the median), or NAN when it failed; and in
 * *ratio its time over the C loop's: each sample follows a sample of the C
 * loop, and the median of those pairs' ratios is kept, so that the ratio
 * holds while the machine's speed drifts between samples. */
static double time_jc(jc_program *p, const bench_expr *e, const jc_column *cols, size_t n,
                      const bench_cols *k, double *ratio)
{
    double s[BENCH_SAMPLES], r[BENCH_SAMPLES];
    int reps = bench_reps_for(n, smoke);
    const void *slots[3];
    for (size_t i = 0; i < jc_program_column_count(p) && i < 3; i++)
        slots[i] = cols[jc_program_column_name(p, i)[0] - 'a'].data;
    for (int i = 0; i < BENCH_SAMPLES; i++) {
        double c = bench_time_c(e->c_loop, e->c_reduce, k, 1, reps);
        s[i] = sample_jc(p, e, cols, slots, n, reps, k->out);
        if (isnan(s[i]))
            return *ratio = NAN;
        r[i] = s[i] / c;
    }
    *ratio = bench_median(r, BENCH_SAMPLES);
    return bench_median(s, BENCH_SAMPLES);
}

static double time_compile(jc_engine *engine, const char *text, const jc_column *cols)
{
    double s[BENCH_SAMPLES];
    jc_error err;
    for (int i = 0; i < BENCH_SAMPLES; i++) {
        int reps = smoke ? 2 : 2000;
        double t0 = bench_now_ns();
        for (int r = 0; r < reps; r++) {
            jc_program *p = jc_compile(engine, text, JC_NUL_TERMINATED, cols, 3, &err);
            if (!p)
                return NAN;
            jc_program_free(p);
        }
        s[i] = (bench_now_ns() - t0) / reps;
    }
    return bench_median(s, BENCH_SAMPLES);
}

/* The largest relative difference between jitcalc's answer and the C
 * loop's (a wrong engine is reported, not timed: NAN when it fails). */
static double check_against_c(jc_program *p, const bench_expr *e, const bench_cols *k,
                              const jc_column *cols, double *mine)
{
    jc_error err;
    if (e->c_loop) {
        e->c_loop(k);
        if (jc_run_into(p, cols, 3, k->n, mine, &err) != 0)
            return NAN;
        return bench_worst_rel_err(mine, k->out, k->n);
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
        got = scalar_value(&r);
        jc_result_free(&r);
    }
    return bench_rel_err(got, ref);
}

int main(int argc, char **argv)
{
    bench_args args;
    if (bench_parse_args(argc, argv, &args) != 0)
        return 2;
    smoke = args.smoke;
    bench_e7_text(e7_text, NULL);
    FILE *json = args.json_path ? fopen(args.json_path, "w") : NULL;
    if (json)
        fprintf(json, "{\"rows\":[\n");
    int first_json = 1;

    jc_engine *engines[NISAS] = {0};
    jc_error err;
    for (size_t i = 0; i < NISAS; i++) {
        jc_options o;
        jc_options_init(&o);
        o.isa = isas[i];
        o.threads = 1; /* single thread, as the C loop and every peer */
        engines[i] = jc_engine_new(&o, &err);
    }

    printf("| expr | rows | C ns/row |");
    for (size_t i = 0; i < NISAS; i++)
        if (engines[i])
            printf(" %s ns/row |", strcmp(isas[i], "none") ? isas[i] : "interp");
    printf(" best JIT / C | interp / C | max rel. error vs C |\n|---|---|---|");
    for (size_t i = 0; i < NISAS; i++)
        if (engines[i])
            printf("---|");
    printf("---|---|---|\n");

    for (int si = 0; si < args.nsizes; si++) {
        size_t n = args.sizes[si];
        bench_data d;
        bench_data_init(&d, n, args.offset);
        const bench_cols *k = &d.k;
        jc_column cols[3] = {
            {"a", JC_F64, k->a, n}, {"b", JC_F64, k->b, n}, {"c", JC_F64, k->c, n}};
        for (size_t ei = 0; ei < NEXPRS; ei++) {
            const bench_expr *e = &exprs[ei];
            double c_ns = bench_time_c(e->c_loop, e->c_reduce, k, BENCH_SAMPLES,
                                       bench_reps_for(n, smoke));
            printf("| %s | %zu | %.3f |", e->name, n, c_ns);
            double best = INFINITY, interp = NAN, worst_rel = 0;
            for (size_t i = 0; i < NISAS; i++) {
                if (!engines[i])
                    continue;
                jc_program *p = jc_compile(engines[i], e->text, JC_NUL_TERMINATED, cols, 3, &err);
                double rel = p ? check_against_c(p, e, k, cols, d.mine) : NAN;
                double ratio = NAN;
                double ns = p && rel < 1e-9 ? time_jc(p, e, cols, n, k, &ratio) : NAN;
                jc_program_free(p);
                if (rel > worst_rel || rel != rel)
                    worst_rel = rel;
                printf(" %.3f |", ns);
                if (i > 0 && ratio < best)
                    best = ratio;
                if (i == 0)
                    interp = ratio;
                if (json) {
                    fprintf(json, "%s{\"expr\":\"%s\",\"rows\":%zu,\"engine\":\"jitcalc-%s\",\"ns_per_row\":%.4f,\"c_ns_per_row\":%.4f,\"ratio_to_c\":%.4f}",
                            first_json ? "" : ",\n", e->name, n, isas[i], ns, c_ns, ratio);
                    first_json = 0;
                }
            }
            printf(" %.2f | %.2f | %.1e |\n", best, interp, worst_rel);
        }
        if (n >= 1000000) {
            double s[BENCH_SAMPLES];
            for (int i = 0; i < BENCH_SAMPLES; i++) {
                double t0 = bench_now_ns();
                c_triad(k);
                s[i] = (bench_now_ns() - t0) / n;
            }
            printf("\nSTREAM triad (out = a + 3*b) at %zu rows: %.3f ns/row (memory floor)\n\n", n,
                   bench_median(s, BENCH_SAMPLES));
        }
        bench_data_free(&d);
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
