/*
 * driver.h — a tiny executor for the interpreter's tests: text -> parse ->
 * typecheck -> fold -> passes (interp_block, falling back to
 * interp_precise_each / interp_precise) -> deterministic reduction ->
 * final column or interp_scalar. It mirrors what engine/run.c does, with
 * knobs the tests turn (call sizes, paths, kernel sets) to prove that the
 * bits never depend on them. Test-only: the real executor is the lead's.
 */
#ifndef JC_TESTS_INTERP_DRIVER_H
#define JC_TESTS_INTERP_DRIVER_H

#include <stddef.h>
#include <stdint.h>

#include "interp/block.h"
#include "interp/mathfn.h"
#include "jitcalc.h"

enum drv_path {
    DRV_FAST = 0,    /* interp_block, precise re-run of faulted calls */
    DRV_PRECISE = 1, /* interp_precise[_each] only */
    DRV_ROWS = 2     /* the row-by-row evaluator only (vm.h): the reference */
};

typedef struct drv_opts {
    enum drv_path path;
    size_t call_rows;           /* rows per interp_block/precise call (0: JC_BLOCK_ROWS) */
    size_t add_rows;            /* rows per agg_add call (0: a whole call's rows) */
    int no_fold;                /* skip fold_constants */
    const block_isa *isa;       /* NULL: the default */
    const mathfn_set *math;     /* NULL: the default */
} drv_opts;

typedef struct drv_result {
    int rc;           /* 0, or -1 with err */
    jc_error err;
    jc_type type;
    int is_column;
    int is_null;
    size_t rows;
    void *values;     /* column: rows values (malloc) */
    jc_value scalar;
} drv_result;

/* Evaluates expr over columns (each nrows long). opts may be NULL. */
void drv_eval(const char *expr, const jc_column *cols, size_t ncols,
              size_t nrows, const drv_opts *opts, drv_result *r);
void drv_result_free(drv_result *r);

/* 1 when both results are the same: rc, code and row on error; type,
 * shape, nullness and value bits otherwise. */
int drv_same(const drv_result *a, const drv_result *b);

#endif
