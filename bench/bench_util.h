/*
 * bench_util.h — what bench_engines and bench_peers share, so both time,
 * generate data and check answers the same way: the clock, the median, the
 * repetition count per sample, the random columns, the C-loop timing, the
 * relative error, E7's text and the command line.
 */
#ifndef JC_BENCH_UTIL_H
#define JC_BENCH_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "bench/c_loops.h"

#define BENCH_MAX_SIZES 8
#define BENCH_SAMPLES 7 /* timed samples per figure; the median is kept */

/* Monotonic time in ns. */
double bench_now_ns(void);

/* Sorts v and returns its middle value. */
double bench_median(double *v, int n);

/* Repetitions of an n-row pass so that one sample takes about 20 ms (1 in
 * smoke mode, and for a million rows or more). */
int bench_reps_for(size_t n, int smoke);

/* One size's data: in k the columns a, b, c (values in (0, 1) from a fixed
 * generator, seeds 1, 2, 3: every engine sees the same data) and the C
 * loop's output; mine, a second n-row buffer for the engine under test.
 * Every buffer starts `offset` bytes past a cache line (bench_args). */
typedef struct bench_data {
    bench_cols k;
    double *mine;
    size_t offset;
} bench_data;

void bench_data_init(bench_data *d, size_t n, size_t offset);
void bench_data_free(bench_data *d);

/* ns per row of the C loop (loop, or reduce when loop is NULL), the median
 * of `samples` (at most BENCH_SAMPLES) samples of `reps` passes each. */
double bench_time_c(void (*loop)(const bench_cols *), double (*reduce)(const bench_cols *),
                    const bench_cols *k, int samples, int reps);

/* |got - ref| relative to |ref| (absolute when ref is 0). */
double bench_rel_err(double got, double ref);

/* The largest bench_rel_err over n rows; NAN as soon as one is NaN. */
double bench_worst_rel_err(const double *got, const double *ref, size_t n);

/* E7, the degree-10 polynomial of bench_poly in Horner form, as infix text
 * (((c0*a + c1)*a + ...)*a + c10; 512 bytes suffice) and, when rpn is not
 * NULL, as RPN (1024 bytes). */
void bench_e7_text(char *infix, char *rpn);

/* The common command line:
 * [--quick | --smoke] [--sizes N,N,...] [--offset BYTES] [--json FILE]. */
typedef struct bench_args {
    size_t sizes[BENCH_MAX_SIZES]; /* 1,000, 100,000 and 10,000,000 rows by default */
    int nsizes;
    int smoke;             /* one short sample of everything, to prove it runs */
    /* where every column and output starts in its cache line: 16 bytes in
     * by default, as malloc's blocks usually do (a multiple of 8 below 64;
     * 0: aligned) */
    size_t offset;
    const char *json_path; /* NULL: no JSON */
} bench_args;

/* Fills *out from argv; 0, or 2 after printing the usage. */
int bench_parse_args(int argc, char **argv, bench_args *out);

#endif
