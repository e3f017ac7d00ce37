/*
 * testutil.h — small helpers shared by the interpreter's tests: column
 * builders and one-call evaluation through the test driver (driver.h).
 */
#ifndef JC_TESTS_INTERP_TESTUTIL_H
#define JC_TESTS_INTERP_TESTUTIL_H

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "driver.h"
#include "interp/numeric.h"

static inline jc_column col_f64(const char *name, const double *data, size_t n)
{
    return (jc_column){name, JC_F64, data, n};
}
static inline jc_column col_i64(const char *name, const int64_t *data, size_t n)
{
    return (jc_column){name, JC_I64, data, n};
}
static inline jc_column col_bool(const char *name, const uint8_t *data, size_t n)
{
    return (jc_column){name, JC_BOOL, data, n};
}

/* Evaluates through every path (block, precise, row by row), checks they
 * agree bit for bit, and returns the block path's result. */
static inline drv_result eval_both(const char *expr, const jc_column *cols,
                                   size_t ncols, size_t nrows)
{
    drv_result fast;
    drv_eval(expr, cols, ncols, nrows, NULL, &fast);
    for (int path = DRV_PRECISE; path <= DRV_ROWS; path++) {
        drv_opts po = {.path = (enum drv_path)path};
        drv_result other;
        drv_eval(expr, cols, ncols, nrows, &po, &other);
        if (!drv_same(&fast, &other))
            fail_msg("block and %s paths differ for `%s` (rc %d/%d, %s/%s)",
                     path == DRV_PRECISE ? "precise" : "row-by-row", expr, fast.rc, other.rc,
                     fast.err.message, other.err.message);
        drv_result_free(&other);
    }
    return fast;
}

/* A scalar expression over no columns (nrows rows). */
static inline drv_result eval0(const char *expr)
{
    return eval_both(expr, NULL, 0, 0);
}

/* The f64 scalar value of expr, which must succeed and not be null. */
static inline double f64_of(const char *expr)
{
    drv_result r = eval0(expr);
    if (r.rc != 0 || r.is_null || r.is_column || r.type != JC_F64)
        fail_msg("`%s`: rc %d (%s), null %d, column %d, type %d", expr, r.rc,
                 r.err.message, r.is_null, r.is_column, r.type);
    return r.scalar.f;
}

static inline int64_t i64_of(const char *expr)
{
    drv_result r = eval0(expr);
    if (r.rc != 0 || r.is_null || r.is_column || r.type != JC_I64)
        fail_msg("`%s`: rc %d (%s), null %d, column %d, type %d", expr, r.rc,
                 r.err.message, r.is_null, r.is_column, r.type);
    return r.scalar.i;
}

static inline int bool_of(const char *expr)
{
    drv_result r = eval0(expr);
    if (r.rc != 0 || r.is_null || r.is_column || r.type != JC_BOOL)
        fail_msg("`%s`: rc %d (%s), null %d, column %d, type %d", expr, r.rc,
                 r.err.message, r.is_null, r.is_column, r.type);
    return (int)r.scalar.i;
}

/* The error code of expr (which must fail), its row in *row. */
static inline jc_code error_of(const char *expr, const jc_column *cols,
                               size_t ncols, size_t nrows, int64_t *row)
{
    drv_result r = eval_both(expr, cols, ncols, nrows);
    if (r.rc == 0)
        fail_msg("`%s` succeeded but must fail", expr);
    if (row)
        *row = r.err.row;
    drv_result_free(&r);
    return r.err.code;
}

/* Bit equality that names both values on failure. */
#define assert_bits(expected, actual)                                        \
    do {                                                                     \
        double e_ = (expected), a_ = (actual);                               \
        if (num_bits(e_) != num_bits(a_))                                    \
            fail_msg("expected %a (%016llx), got %a (%016llx)", e_,          \
                     (unsigned long long)num_bits(e_), a_,                   \
                     (unsigned long long)num_bits(a_));                      \
    } while (0)

#endif
