/* bench_util.c — the helpers bench_engines and bench_peers share (see
 * bench_util.h). */
#include "bench/bench_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Keeps a reduction's result alive, so the timed call is not optimised away. */
static volatile double sink;

double bench_now_ns(void)
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

double bench_median(double *v, int n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return v[n / 2];
}

int bench_reps_for(size_t n, int smoke)
{
    if (smoke)
        return 1;
    return n >= 1000000 ? 1 : (int)(20000000 / (n + 1000)) + 1;
}

/* An n-row buffer that starts `offset` bytes past a cache line: where a
 * stream starts in its cache line moves a 1,000-row run by a third (a
 * vector load or store split across two lines costs about two), so every
 * engine gets the same placement, and the same in every build (malloc's
 * would move with the allocations before it). */
static double *placed_column(size_t n, size_t offset)
{
    char *block = aligned_alloc(64, (n * sizeof(double) + offset + 63) / 64 * 64);
    return block ? (double *)(block + offset) : NULL;
}

static void placed_free(double *v, size_t offset)
{
    if (v)
        free((char *)v - offset);
}

/* n values in (0, 1); the caller frees them with placed_free. */
static double *random_column(size_t n, uint64_t seed, size_t offset)
{
    double *v = placed_column(n, offset);
    uint64_t s = seed;
    for (size_t i = 0; v && i < n; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        v[i] = ((double)(s >> 11) + 0.5) / 9007199254740992.0; /* in (0, 1) */
    }
    return v;
}

void bench_data_init(bench_data *d, size_t n, size_t offset)
{
    d->offset = offset;
    d->k = (bench_cols){random_column(n, 1, offset), random_column(n, 2, offset),
                        random_column(n, 3, offset), placed_column(n, offset), n};
    d->mine = placed_column(n, offset);
}

void bench_data_free(bench_data *d)
{
    placed_free((double *)d->k.a, d->offset);
    placed_free((double *)d->k.b, d->offset);
    placed_free((double *)d->k.c, d->offset);
    placed_free(d->k.out, d->offset);
    placed_free(d->mine, d->offset);
}

double bench_time_c(void (*loop)(const bench_cols *), double (*reduce)(const bench_cols *),
                    const bench_cols *k, int samples, int reps)
{
    double s[BENCH_SAMPLES];
    if (samples > BENCH_SAMPLES)
        samples = BENCH_SAMPLES;
    for (int i = 0; i < samples; i++) {
        double t0 = bench_now_ns();
        for (int r = 0; r < reps; r++) {
            if (loop)
                loop(k);
            else
                sink = reduce(k);
        }
        s[i] = (bench_now_ns() - t0) / reps / (double)k->n;
    }
    return bench_median(s, samples);
}

double bench_rel_err(double got, double ref)
{
    return fabs(got - ref) / (fabs(ref) > 1e-300 ? fabs(ref) : 1);
}

double bench_worst_rel_err(const double *got, const double *ref, size_t n)
{
    double worst = 0;
    for (size_t i = 0; i < n; i++) {
        double d = bench_rel_err(got[i], ref[i]);
        if (!(d <= worst))
            worst = d;
    }
    return worst;
}

void bench_e7_text(char *infix, char *rpn)
{
    char *p = infix;
    for (int d = 1; d < 10; d++)
        *p++ = '(';
    p += sprintf(p, "%.17g", bench_poly[0]);
    for (int d = 1; d < 11; d++)
        p += sprintf(p, "*a + %.17g%s", bench_poly[d], d < 10 ? ")" : "");
    if (rpn) {
        char *q = rpn + sprintf(rpn, "%.17g", bench_poly[0]);
        for (int d = 1; d < 11; d++)
            q += sprintf(q, " a * %.17g +", bench_poly[d]);
    }
}

int bench_parse_args(int argc, char **argv, bench_args *out)
{
    *out = (bench_args){.sizes = {1000, 100000, 10000000}, .nsizes = 3, .offset = 16};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0) {
            out->sizes[0] = 1000;
            out->sizes[1] = 20000;
            out->nsizes = 2;
        } else if (strcmp(argv[i], "--smoke") == 0) {
            out->smoke = 1;
            out->sizes[0] = 1000;
            out->sizes[1] = 20011; /* not a multiple of any vector width */
            out->nsizes = 2;
        } else if (strcmp(argv[i], "--sizes") == 0 && i + 1 < argc) {
            out->nsizes = 0;
            for (char *t = strtok(argv[++i], ","); t && out->nsizes < BENCH_MAX_SIZES;
                 t = strtok(NULL, ","))
                out->sizes[out->nsizes++] = strtoull(t, NULL, 10);
        } else if (strcmp(argv[i], "--offset") == 0 && i + 1 < argc &&
                   (out->offset = strtoull(argv[i + 1], NULL, 10)) % 8 == 0 &&
                   out->offset < 64) {
            i++;
        } else if (strcmp(argv[i], "--json") == 0 && i + 1 < argc) {
            out->json_path = argv[++i];
        } else {
            fprintf(stderr,
                    "usage: %s [--quick | --smoke] [--sizes N,N,...] [--offset 0|8|...|56]"
                    " [--json FILE]\n",
                    argv[0]);
            return 2;
        }
    }
    return 0;
}
