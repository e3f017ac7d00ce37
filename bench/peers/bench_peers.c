/*
 * bench_peers.c — issue 8's peers side by side with the hand-written C loop
 * and with jitcalc itself (timed again here, so that every engine of a row
 * ran in one process on the same buffers): TinyCC, muparser (bulk mode),
 * libgccjit and LLVM ORC, each on E1–E7, the
 * filter and the aggregate, over the same data as bench_engines (same
 * generator and seeds, values in (0,1)). For each: setup/compile latency
 * (cold, median) and ns per row (median), with the ratio to the C loop timed
 * in this same process. A peer whose answer differs from the C loop's by
 * more than 1e-9 (relative) is reported as wrong and not timed.
 *
 * Peers not found at configure time are absent from the build and reported
 * as skipped. Usage: bench_peers [--quick | --smoke] [--sizes N,...] [--offset B] [--json FILE]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench_util.h"
#include "bench/c_loops.h"
#include "bench/peers/peer.h"

#define MAX_REL_ERR 1e-9

static int smoke;

typedef struct driver_expr {
    peer_expr e;
    void (*c_loop)(const bench_cols *);
    double (*c_reduce)(const bench_cols *);
} driver_expr;

static char e7_c[512], e7_rpn[1024];

static driver_expr exprs[] = {
    {{"E1", PEER_COLUMN, "a + b", "a + b", "a b +", "a + b"}, c_e1, NULL},
    {{"E2", PEER_COLUMN, "a*b + c", "a*b + c", "a b * c +", "a*b + c"}, c_e2, NULL},
    {{"E3", PEER_COLUMN, "sqrt(a*a + b*b)", "sqrt(a*a + b*b)", "a a * b b * + sqrt",
      "sqrt(a*a + b*b)"},
     c_e3, NULL},
    {{"E4", PEER_COLUMN, "(a - b) / (a + b + 1)", "(a - b) / (a + b + 1)", "a b - a b + 1 + /",
      "(a - b) / (a + b + 1)"},
     c_e4, NULL},
    {{"E5", PEER_COLUMN, "a > b ? a - b : b - a", "a > b ? a - b : b - a",
      "a b gt a b - b a - sel", "if(a > b, a - b, b - a)"},
     c_e5, NULL},
    {{"E6", PEER_COLUMN, "exp(-a) * sin(b) + log(c + 1)", "exp(-a) * sin(b) + ln(c + 1)",
      "a neg exp b sin * c 1 + log +", "exp(-a) * sin(b) + ln(c + 1)"},
     c_e6, NULL},
    {{"E7", PEER_COLUMN, e7_c, e7_c, e7_rpn, e7_c}, c_e7, NULL},
    {{"filter", PEER_COUNT, "a > 0.5 && b < 0.2", "a > 0.5 && b < 0.2", "a 0.5 gt b 0.2 lt and",
      "a > 0.5 and b < 0.2"},
     NULL, c_filter},
    {{"sum", PEER_SUM, "a*b", "a*b", "a b *", "a*b"}, NULL, c_sum},
};
#define NEXPRS (sizeof exprs / sizeof *exprs)

static const peer_engine *const peers[] = {
    &peer_jitcalc,
#ifdef HAVE_TCC
    &peer_tcc,
#endif
#ifdef HAVE_MUPARSER
    &peer_muparser,
#endif
#ifdef HAVE_GCCJIT
    &peer_gccjit,
#endif
#ifdef HAVE_LLVM
    &peer_llvm,
#endif
};
#define NPEERS (sizeof peers / sizeof *peers)

static const char *const all_peers[] = {"jitcalc-peers", "tcc", "muparser", "gccjit", "llvm"};

double peer_run_col(peer_compiled *p, const double *a, const double *b, const double *c,
                    double *out, long n)
{
    ((peer_col_fn)p->fn)(a, b, c, out, n);
    return 0;
}

double peer_run_red(peer_compiled *p, const double *a, const double *b, const double *c,
                    double *out, long n)
{
    (void)out;
    return ((peer_red_fn)p->fn)(a, b, c, n);
}

static volatile double sink;

static int samples(void)
{
    return smoke ? 1 : BENCH_SAMPLES;
}

static double time_peer(peer_compiled *p, const bench_cols *k, double *out)
{
    double s[BENCH_SAMPLES];
    int reps = bench_reps_for(k->n, smoke);
    for (int i = 0; i < samples(); i++) {
        double t0 = bench_now_ns();
        for (int r = 0; r < reps; r++)
            sink = p->run(p, k->a, k->b, k->c, out, (long)k->n);
        s[i] = (bench_now_ns() - t0) / reps / (double)k->n;
    }
    return bench_median(s, samples());
}

/* Largest relative difference from the C loop (NAN for a NaN answer). */
static double check(peer_compiled *p, const driver_expr *e, const bench_cols *k, double *mine)
{
    if (e->c_loop) {
        e->c_loop(k);
        p->run(p, k->a, k->b, k->c, mine, (long)k->n);
        return bench_worst_rel_err(mine, k->out, k->n);
    }
    return bench_rel_err(p->run(p, k->a, k->b, k->c, mine, (long)k->n), e->c_reduce(k));
}

/* Cold setup: compile + release, median over enough cycles for ~0.3 s
 * (at least 3). NAN when compiling fails. */
static double time_setup(const peer_engine *pe, const peer_expr *e)
{
    char msg[512];
    double s[64];
    int reps = 0;
    double total = 0;
    int want = smoke ? 1 : 3;
    while (reps < 64 && (reps < want || total < 3e8)) {
        peer_compiled p;
        double t0 = bench_now_ns();
        if (pe->compile(e, &p, msg, sizeof msg) != 0)
            return NAN;
        pe->release(&p);
        s[reps] = bench_now_ns() - t0;
        total += s[reps++];
        if (smoke)
            break;
    }
    return bench_median(s, reps);
}

static int is_built(const char *name)
{
    for (size_t i = 0; i < NPEERS; i++)
        if (strcmp(peers[i]->name, name) == 0)
            return 1;
    return 0;
}

int main(int argc, char **argv)
{
    bench_args args;
    if (bench_parse_args(argc, argv, &args) != 0)
        return 2;
    smoke = args.smoke;
    bench_e7_text(e7_c, e7_rpn);
    for (size_t i = 0; i < sizeof all_peers / sizeof *all_peers; i++)
        if (!is_built(all_peers[i]))
            printf("peer %s: skipped (not built: package not found when configured, or no peer file)\n",
                   all_peers[i]);

    FILE *json = args.json_path ? fopen(args.json_path, "w") : NULL;
    if (args.json_path && !json) {
        perror(args.json_path);
        return 1;
    }
    if (json)
        fprintf(json, "{\"rows\":[\n");
    int first_json = 1;
    char msg[512];

    /* Setup latency first, on an idle heap. */
    double setup[NEXPRS][NPEERS + 1];
    printf("\n### Compile/setup latency, cold (median µs)\n\n| expr |");
    for (size_t pi = 0; pi < NPEERS; pi++)
        printf(" %s |", peers[pi]->name);
    printf("\n|---|");
    for (size_t pi = 0; pi < NPEERS; pi++)
        printf("---|");
    printf("\n");
    for (size_t ei = 0; ei < NEXPRS; ei++) {
        printf("| %s |", exprs[ei].e.name);
        for (size_t pi = 0; pi < NPEERS; pi++) {
            setup[ei][pi] = time_setup(peers[pi], &exprs[ei].e);
            printf(" %.1f |", setup[ei][pi] / 1000);
            fflush(stdout);
            if (json) {
                fprintf(json, "%s{\"expr\":\"%s\",\"engine\":\"%s\",\"compile_cold_ns\":%.1f}",
                        first_json ? "" : ",\n", exprs[ei].e.name, peers[pi]->name,
                        isnan(setup[ei][pi]) ? -1.0 : setup[ei][pi]);
                first_json = 0;
            }
        }
        printf("\n");
    }

    for (int si = 0; si < args.nsizes; si++) {
        size_t n = args.sizes[si];
        bench_data d;
        bench_data_init(&d, n, args.offset);
        const bench_cols *k = &d.k;
        printf("\n### %zu rows: ns per row (× the C loop, same process)\n\n| expr | C loop |", n);
        for (size_t pi = 0; pi < NPEERS; pi++)
            printf(" %s |", peers[pi]->name);
        printf(" max rel. error vs C |\n|---|---|");
        for (size_t pi = 0; pi < NPEERS; pi++)
            printf("---|");
        printf("---|\n");
        for (size_t ei = 0; ei < NEXPRS; ei++) {
            const driver_expr *e = &exprs[ei];
            double c_ns = bench_time_c(e->c_loop, e->c_reduce, k, samples(),
                                       bench_reps_for(n, smoke)),
                   worst = 0;
            printf("| %s | %.3f |", e->e.name, c_ns);
            for (size_t pi = 0; pi < NPEERS; pi++) {
                peer_compiled p;
                double err = NAN, ns = NAN;
                int failed = peers[pi]->compile(&e->e, &p, msg, sizeof msg) != 0;
                if (failed) {
                    fprintf(stderr, "%s %s: compile failed: %s\n", peers[pi]->name, e->e.name, msg);
                } else {
                    err = check(&p, e, k, d.mine);
                    if (err <= MAX_REL_ERR)
                        ns = time_peer(&p, k, d.mine);
                    else
                        fprintf(stderr, "%s %s: WRONG (rel. error %.2e), not timed\n",
                                peers[pi]->name, e->e.name, err);
                    peers[pi]->release(&p);
                }
                if (!(err <= worst))
                    worst = err;
                if (isnan(ns))
                    printf(" %s |", failed ? "failed" : "wrong");
                else
                    printf(" %.3f (%.2f×) |", ns, ns / c_ns);
                fflush(stdout);
                if (json) {
                    fprintf(json,
                            "%s{\"expr\":\"%s\",\"rows\":%zu,\"engine\":\"%s\",\"ns_per_row\":%s%.4f,"
                            "\"c_ns_per_row\":%.4f,\"max_rel_err\":%.3e,\"ok\":%s,\"failed\":%s}",
                            first_json ? "" : ",\n", e->e.name, n, peers[pi]->name, "", isnan(ns) ? -1.0 : ns, c_ns,
                            isnan(err) ? 1.0 : err, isnan(ns) ? "false" : "true",
                            failed ? "true" : "false");
                    first_json = 0;
                }
            }
            printf(" %.1e |\n", worst);
        }
        bench_data_free(&d);
    }
    if (json) {
        fprintf(json, "\n]}\n");
        fclose(json);
    }
    return 0;
}
