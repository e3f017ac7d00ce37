/*
 * ab_bench.c — two or more builds of libjitcalc, one expression, timed in
 * turn in one process: the way to tell whether a change to the JIT is
 * faster. Separate runs of separate binaries on this machine move by tens
 * of percent from minute to minute (and settle in one of two speeds for a
 * whole run); samples of the builds taken one after another, over the same
 * buffers, drift together.
 *
 *   bench_ab [--rows N] [--offset B] [--samples K] EXPR LIB.so LIB.so...
 *
 * Each library is loaded with its own symbols (RTLD_DEEPBIND), compiles
 * EXPR over f64 columns a, b, c (fixed values; rows N, each buffer B bytes
 * past a cache line) and runs it with jc_run_slots_into. Prints the median
 * and 10th percentile of ns per call for each library, and the ratio of its
 * median to the first's. Results must be bit-identical between the
 * libraries (the same language), else it says which differ.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench_util.h"
#include "jitcalc.h"

#define MAX_LIBS 8

/* The entry points of one loaded library. */
typedef struct build {
    const char *path;
    jc_engine *(*engine_new)(const jc_options *, jc_error *);
    void (*engine_free)(jc_engine *);
    jc_program *(*compile)(jc_engine *, const char *, size_t, const jc_column *, size_t,
                           jc_error *);
    void (*program_free)(jc_program *);
    size_t (*column_count)(const jc_program *);
    const char *(*column_name)(const jc_program *, size_t);
    int (*run_into)(const jc_program *, const void *const *, size_t, size_t, void *,
                    jc_error *);
    jc_engine *engine;
    jc_program *program;
    const void *data[3]; /* the program's columns, by position */
    size_t ncols;
    double *out;
    double *samples;
} build;

static int load(build *b, const char *path)
{
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
    if (!h) {
        fprintf(stderr, "bench_ab: %s\n", dlerror());
        return -1;
    }
    b->path = path;
    *(void **)&b->engine_new = dlsym(h, "jc_engine_new");
    *(void **)&b->engine_free = dlsym(h, "jc_engine_free");
    *(void **)&b->compile = dlsym(h, "jc_compile");
    *(void **)&b->program_free = dlsym(h, "jc_program_free");
    *(void **)&b->column_count = dlsym(h, "jc_program_column_count");
    *(void **)&b->column_name = dlsym(h, "jc_program_column_name");
    *(void **)&b->run_into = dlsym(h, "jc_run_slots_into");
    if (!b->engine_new || !b->engine_free || !b->compile || !b->program_free ||
        !b->column_count || !b->column_name || !b->run_into) {
        fprintf(stderr, "bench_ab: %s is not a libjitcalc\n", path);
        return -1;
    }
    return 0;
}

/* Compiles expr over a, b, c and resolves its columns' positions. */
static int prepare(build *b, const char *expr, double *const cols[3], size_t rows)
{
    jc_error err;
    b->engine = b->engine_new(NULL, &err);
    if (!b->engine) {
        fprintf(stderr, "bench_ab: %s: %s\n", b->path, err.message);
        return -1;
    }
    jc_column schema[3] = {{"a", JC_F64, cols[0], rows},
                           {"b", JC_F64, cols[1], rows},
                           {"c", JC_F64, cols[2], rows}};
    b->program = b->compile(b->engine, expr, JC_NUL_TERMINATED, schema, 3, &err);
    if (!b->program) {
        fprintf(stderr, "bench_ab: %s: %s\n", b->path, err.message);
        return -1;
    }
    b->ncols = b->column_count(b->program);
    for (size_t k = 0; k < b->ncols; k++)
        b->data[k] = cols[b->column_name(b->program, k)[0] - 'a'];
    return 0;
}

static int by_value(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

static void usage(void)
{
    fprintf(stderr, "usage: bench_ab [--rows N] [--offset B] [--samples K] EXPR LIB.so "
                    "LIB.so...\n");
}

int main(int argc, char **argv)
{
    size_t rows = 1000, offset = 16;
    int nsamples = 201;
    static const struct option opts[] = {{"rows", required_argument, NULL, 'r'},
                                         {"offset", required_argument, NULL, 'o'},
                                         {"samples", required_argument, NULL, 's'},
                                         {NULL, 0, NULL, 0}};
    for (int c; (c = getopt_long(argc, argv, "", opts, NULL)) != -1;) {
        if (c == 'r')
            rows = strtoull(optarg, NULL, 10);
        else if (c == 'o')
            offset = strtoull(optarg, NULL, 10);
        else if (c == 's')
            nsamples = atoi(optarg);
        else
            return usage(), 2;
    }
    int nlibs = argc - optind - 1;
    if (nlibs < 1 || nlibs > MAX_LIBS || rows == 0 || offset % 8 || offset >= 64 ||
        nsamples < 1) {
        usage();
        return 2;
    }
    const char *expr = argv[optind];
    bench_data d;
    bench_data_init(&d, rows, offset);
    double *cols[3] = {(double *)d.k.a, (double *)d.k.b, (double *)d.k.c};
    build b[MAX_LIBS];
    memset(b, 0, sizeof b);
    int status = 0;
    for (int l = 0; l < nlibs && status == 0; l++) {
        if (load(&b[l], argv[optind + 1 + l]) < 0 || prepare(&b[l], expr, cols, rows) < 0)
            status = 1;
        b[l].out = l == 0 ? d.mine : d.k.out; /* the others' compared in turn */
        b[l].samples = malloc((size_t)nsamples * sizeof *b[l].samples);
        if (!b[l].samples)
            status = 1;
    }
    /* enough calls per sample for about 50 us */
    int reps = rows >= 100000 ? 1 : (int)(50000 / rows) + 1;
    jc_error err;
    for (int s = 0; s < nsamples && status == 0; s++)
        for (int l = 0; l < nlibs; l++) {
            double t0 = bench_now_ns();
            for (int r = 0; r < reps; r++)
                if (b[l].run_into(b[l].program, b[l].data, b[l].ncols, rows, b[l].out, &err)) {
                    fprintf(stderr, "bench_ab: %s: %s\n", b[l].path, err.message);
                    status = 1;
                }
            b[l].samples[s] = (bench_now_ns() - t0) / reps;
            if (s == 0 && l > 0 && memcmp(b[l].out, b[0].out, rows * sizeof(double)) != 0) {
                fprintf(stderr, "bench_ab: %s and %s give different results\n", b[0].path,
                        b[l].path);
                status = 1;
            }
        }
    if (status == 0) {
        printf("%s, %zu rows, buffers %zu bytes past a cache line, %d samples\n", expr, rows,
               offset, nsamples);
        double first = 0;
        for (int l = 0; l < nlibs; l++) {
            qsort(b[l].samples, (size_t)nsamples, sizeof(double), by_value);
            double med = b[l].samples[nsamples / 2], p10 = b[l].samples[nsamples / 10];
            if (l == 0)
                first = med;
            printf("  [%d] median %9.1f ns  p10 %9.1f ns  %.3fx  %s\n", l, med, p10,
                   med / first, b[l].path);
        }
    }
    for (int l = 0; l < nlibs; l++) {
        if (b[l].program)
            b[l].program_free(b[l].program);
        if (b[l].engine)
            b[l].engine_free(b[l].engine);
        free(b[l].samples);
    }
    bench_data_free(&d);
    return status;
}
