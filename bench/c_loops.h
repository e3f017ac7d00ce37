/*
 * c_loops.h — the benchmark expressions written by hand as C loops: the
 * practical speed limit jitcalc is measured against. c_loops.c is compiled
 * with -O3 -march=native -fno-math-errno -ffp-contract=off.
 */
#ifndef JC_BENCH_C_LOOPS_H
#define JC_BENCH_C_LOOPS_H

#include <stddef.h>

typedef struct bench_cols {
    const double *a, *b, *c;
    double *out;
    size_t n;
} bench_cols;

/* Each computes out[i] (or returns a reduction) over n rows. */
void c_e1(const bench_cols *k);  /* a + b */
void c_e2(const bench_cols *k);  /* a*b + c */
void c_e3(const bench_cols *k);  /* sqrt(a*a + b*b) */
void c_e4(const bench_cols *k);  /* (a - b) / (a + b + 1) */
void c_e5(const bench_cols *k);  /* if(a > b, a - b, b - a) */
void c_e6(const bench_cols *k);  /* exp(-a) * sin(b) + ln(c + 1) */
void c_e7(const bench_cols *k);  /* degree-10 polynomial in a, Horner form */
double c_filter(const bench_cols *k); /* count of a > 0.5 and b < 0.2 */
double c_sum(const bench_cols *k);    /* sum(a*b) */
void c_triad(const bench_cols *k);    /* STREAM triad: out = a + 3*b */

/* The polynomial's coefficients, highest degree first (shared with the
 * jitcalc text of E7). */
extern const double bench_poly[11];

#endif
