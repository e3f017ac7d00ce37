/* c_loops.c — hand-written C loops for the benchmark expressions (see
 * c_loops.h). Plain loops, as a careful programmer would write them, and
 * left for the compiler to vectorise. */
#include "bench/c_loops.h"

#include <math.h>

const double bench_poly[11] = {0.5, -1.25, 2.0, 0.75, -0.5, 1.5,
                               -2.25, 0.125, 1.0, -0.375, 0.25};

void c_e1(const bench_cols *k)
{
    for (size_t i = 0; i < k->n; i++)
        k->out[i] = k->a[i] + k->b[i];
}

void c_e2(const bench_cols *k)
{
    for (size_t i = 0; i < k->n; i++)
        k->out[i] = k->a[i] * k->b[i] + k->c[i];
}

void c_e3(const bench_cols *k)
{
    for (size_t i = 0; i < k->n; i++)
        k->out[i] = sqrt(k->a[i] * k->a[i] + k->b[i] * k->b[i]);
}

void c_e4(const bench_cols *k)
{
    for (size_t i = 0; i < k->n; i++)
        k->out[i] = (k->a[i] - k->b[i]) / (k->a[i] + k->b[i] + 1);
}

void c_e5(const bench_cols *k)
{
    for (size_t i = 0; i < k->n; i++)
        k->out[i] = k->a[i] > k->b[i] ? k->a[i] - k->b[i] : k->b[i] - k->a[i];
}

void c_e6(const bench_cols *k)
{
    for (size_t i = 0; i < k->n; i++)
        k->out[i] = exp(-k->a[i]) * sin(k->b[i]) + log(k->c[i] + 1);
}

void c_e7(const bench_cols *k)
{
    for (size_t i = 0; i < k->n; i++) {
        double x = k->a[i], y = bench_poly[0];
        for (int d = 1; d < 11; d++)
            y = y * x + bench_poly[d];
        k->out[i] = y;
    }
}

double c_filter(const bench_cols *k)
{
    size_t count = 0;
    for (size_t i = 0; i < k->n; i++)
        count += k->a[i] > 0.5 && k->b[i] < 0.2;
    return (double)count;
}

double c_sum(const bench_cols *k)
{
    double s = 0;
    for (size_t i = 0; i < k->n; i++)
        s += k->a[i] * k->b[i];
    return s;
}

void c_triad(const bench_cols *k)
{
    for (size_t i = 0; i < k->n; i++)
        k->out[i] = k->a[i] + 3.0 * k->b[i];
}
