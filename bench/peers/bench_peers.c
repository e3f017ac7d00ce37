/*
 * bench_peers.c — issue 8's peers side by side with the hand-written C loop:
 * TinyCC, muparser (bulk mode), libgccjit and LLVM ORC, each on E1–E7, the
 * filter and the aggregate, over the same data as bench_engines (same
 * generator and seeds, values in (0,1)). For each: setup/compile latency
 * (cold, median) and ns per row (median), with the ratio to the C loop timed
 * in this same process. A peer whose answer differs from the C loop's by
 * more than 1e-9 (relative) is reported as wrong and not timed.
 *
 * Peers not found at configure time are absent from the build and reported
 * as skipped. Usage: bench_peers [--quick | --smoke] [--sizes N,...] [--json FILE]
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench/c_loops.h"
#include "bench/peers/peer.h"

#define SAMPLES 7
#define MAX_REL_ERR 1e-9

static int smoke;

typedef struct driver_expr {
    peer_expr e;
    void (*c_loop)(const bench_cols *);
    double (*c_reduce)(const bench_cols *);
} driver_expr;

static char e7_c[512], e7_rpn[1024];

static driver_expr exprs[] = {
    {{"E1", PEER_COLUMN, "a + b", "a + b", "a b +"}, c_e1, NULL},
    {{"E2", PEER_COLUMN, "a*b + c", "a*b + c", "a b * c +"}, c_e2, NULL},
    {{"E3", PEER_COLUMN, "sqrt(a*a + b*b)", "sqrt(a*a + b*b)", "a a * b b * + sqrt"}, c_e3, NULL},
    {{"E4", PEER_COLUMN, "(a - b) / (a + b + 1)", "(a - b) / (a + b + 1)", "a b - a b + 1 + /"},
     c_e4, NULL},
    {{"E5", PEER_COLUMN, "a > b ? a - b : b - a", "a > b ? a - b : b - a",
      "a b gt a b - b a - sel"},
     c_e5, NULL},
    {{"E6", PEER_COLUMN, "exp(-a) * sin(b) + log(c + 1)", "exp(-a) * sin(b) + ln(c + 1)",
      "a neg exp b sin * c 1 + log +"},
     c_e6, NULL},
    {{"E7", PEER_COLUMN, e7_c, e7_c, e7_rpn}, c_e7, NULL},
    {{"filter", PEER_COUNT, "a > 0.5 && b < 0.2", "a > 0.5 && b < 0.2", "a 0.5 gt b 0.2 lt and"},
     NULL, c_filter},
    {{"sum", PEER_SUM, "a*b", "a*b", "a b *"}, NULL, c_sum},
};
#define NEXPRS (sizeof exprs / sizeof *exprs)

static const peer_engine *const peers[] = {
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

static const char *const all_peers[] = {"tcc", "muparser", "gccjit", "llvm"};

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

/* Repetitions so that one sample takes about 20 ms (as bench_engines). */
static int reps_for(size_t n)
{
    if (smoke)
        return 1;
    return n >= 1000000 ? 1 : (int)(20000000 / (n + 1000)) + 1;
}

static int samples(void)
{
    return smoke ? 1 : SAMPLES;
}

static double time_c(const driver_expr *e, const bench_cols *k)
{
    double s[SAMPLES];
    int reps = reps_for(k->n);
    for (int i = 0; i < samples(); i++) {
        double t0 = now_ns();
        for (int r = 0; r < reps; r++) {
            if (e->c_loop)
                e->c_loop(k);
            else
                sink = e->c_reduce(k);
        }
        s[i] = (now_ns() - t0) / reps / (double)k->n;
    }
    return median(s, samples());
}

static double time_peer(peer_compiled *p, const bench_cols *k, double *out)
{
    double s[SAMPLES];
    int reps = reps_for(k->n);
    for (int i = 0; i < samples(); i++) {
        double t0 = now_ns();
        for (int r = 0; r < reps; r++)
            sink = p->run(p, k->a, k->b, k->c, out, (long)k->n);
        s[i] = (now_ns() - t0) / reps / (double)k->n;
    }
    return median(s, samples());
}

static double rel(double got, double ref)
{
    return fabs(got - ref) / (fabs(ref) > 1e-300 ? fabs(ref) : 1);
}

/* Largest relative difference from the C loop (NAN for a NaN answer). */
static double check(peer_compiled *p, const driver_expr *e, const bench_cols *k, double *mine)
{
    double worst = 0;
    if (e->c_loop) {
        e->c_loop(k);
        p->run(p, k->a, k->b, k->c, mine, (long)k->n);
        for (size_t i = 0; i < k->n; i++) {
            double d = rel(mine[i], k->out[i]);
            if (!(d <= worst))
                worst = d;
        }
        return worst;
    }
    return rel(p->run(p, k->a, k->b, k->c, mine, (long)k->n), e->c_reduce(k));
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
        double t0 = now_ns();
        if (pe->compile(e, &p, msg, sizeof msg) != 0)
            return NAN;
        pe->release(&p);
        s[reps] = now_ns() - t0;
        total += s[reps++];
        if (smoke)
            break;
    }
    return median(s, reps);
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

static void make_e7(void)
{
    /* Horner form with the C loop's coefficients: ((c0*a + c1)*a + ...) + c10. */
    char *p = e7_c, *q = e7_rpn;
    for (int d = 1; d < 10; d++)
        *p++ = '(';
    p += sprintf(p, "%.17g", bench_poly[0]);
    q += sprintf(q, "%.17g", bench_poly[0]);
    for (int d = 1; d < 11; d++) {
        p += sprintf(p, "*a + %.17g%s", bench_poly[d], d < 10 ? ")" : "");
        q += sprintf(q, " a * %.17g +", bench_poly[d]);
    }
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
    size_t sizes[8] = {1000, 100000, 10000000};
    int nsizes = 3;
    const char *json_path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0) {
            sizes[1] = 20000;
            nsizes = 2;
        } else if (strcmp(argv[i], "--smoke") == 0) {
            smoke = 1;
            sizes[1] = 20011;
            nsizes = 2;
        } else if (strcmp(argv[i], "--sizes") == 0 && i + 1 < argc) {
            nsizes = 0;
            for (char *t = strtok(argv[++i], ","); t && nsizes < 8; t = strtok(NULL, ","))
                sizes[nsizes++] = strtoull(t, NULL, 10);
        } else if (strcmp(argv[i], "--json") == 0 && i + 1 < argc) {
            json_path = argv[++i];
        } else {
            fprintf(stderr, "usage: %s [--quick | --smoke] [--sizes N,N,...] [--json FILE]\n",
                    argv[0]);
            return 2;
        }
    }
    make_e7();
    for (size_t i = 0; i < sizeof all_peers / sizeof *all_peers; i++)
        if (!is_built(all_peers[i]))
            printf("peer %s: skipped (not built: package not found when configured, or no peer file)\n",
                   all_peers[i]);

    FILE *json = json_path ? fopen(json_path, "w") : NULL;
    if (json_path && !json) {
        perror(json_path);
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

    for (int si = 0; si < nsizes; si++) {
        size_t n = sizes[si];
        double *a = random_column(n, 1), *b = random_column(n, 2), *c = random_column(n, 3);
        double *out = malloc(n * sizeof *out), *mine = malloc(n * sizeof *mine);
        bench_cols k = {a, b, c, out, n};
        printf("\n### %zu rows: ns per row (× the C loop, same process)\n\n| expr | C loop |", n);
        for (size_t pi = 0; pi < NPEERS; pi++)
            printf(" %s |", peers[pi]->name);
        printf(" max rel. error vs C |\n|---|---|");
        for (size_t pi = 0; pi < NPEERS; pi++)
            printf("---|");
        printf("---|\n");
        for (size_t ei = 0; ei < NEXPRS; ei++) {
            const driver_expr *e = &exprs[ei];
            double c_ns = time_c(e, &k), worst = 0;
            printf("| %s | %.3f |", e->e.name, c_ns);
            for (size_t pi = 0; pi < NPEERS; pi++) {
                peer_compiled p;
                double err = NAN, ns = NAN;
                int failed = peers[pi]->compile(&e->e, &p, msg, sizeof msg) != 0;
                if (failed) {
                    fprintf(stderr, "%s %s: compile failed: %s\n", peers[pi]->name, e->e.name, msg);
                } else {
                    err = check(&p, e, &k, mine);
                    if (err <= MAX_REL_ERR)
                        ns = time_peer(&p, &k, mine);
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
        free(a);
        free(b);
        free(c);
        free(out);
        free(mine);
    }
    if (json) {
        fprintf(json, "\n]}\n");
        fclose(json);
    }
    return 0;
}
