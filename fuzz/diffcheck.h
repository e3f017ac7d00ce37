/*
 * diffcheck.h — one expression over one set of columns, run by two engines
 * that must agree bit for bit: the JIT (isa "auto", or $JITCALC_ISA) and
 * the reference interpreter (isa "none").
 *
 * Used by fuzz_differential (libFuzzer) and by the differential tests of
 * tests/hardening (generated expressions, ctest and nightly sizes).
 * Agreeing means: both compile or both fail with the same code and
 * position; both runs succeed with the same type, shape, nullness and value
 * bits, or fail with the same code and row; the same for jc_filter (bool
 * column results) and for jc_run_selected over the rows where column "p" is
 * true (when there is such a column).
 */
#ifndef JC_FUZZ_DIFFCHECK_H
#define JC_FUZZ_DIFFCHECK_H

#include <stddef.h>

#include "jitcalc.h"

typedef struct diff_engines {
    jc_engine *jit;    /* may run the interpreter too, when the build or
                          the machine has no JIT */
    jc_engine *interp; /* the oracle */
} diff_engines;

/* Creates both engines. isa: the JIT engine's instruction set (NULL or
 * "auto": the best, or $JITCALC_ISA); threads: its run threads (>= 1).
 * Returns 0, or -1 with err filled (an isa the machine lacks is
 * JC_INVALID_ARGUMENT). */
int diff_open(diff_engines *d, const char *isa, unsigned threads, jc_error *err);
void diff_close(diff_engines *d);

/* 1 when the JIT engine really compiles to machine code. */
int diff_has_jit(const diff_engines *d);

/* What diff_check saw, for the caller's counts (added to). */
typedef struct diff_counts {
    size_t compiled; /* expressions that compiled */
    size_t jitted;   /* ... of which the JIT engine ran as machine code */
} diff_counts;

/* Runs the checks. Returns 0 when the engines agree, else 1 with a
 * description of the first difference in msg. counts may be NULL. */
int diff_check(diff_engines *d, const char *expr, const jc_column *cols,
               size_t ncols, size_t nrows, char *msg, size_t msglen,
               diff_counts *counts);

#endif /* JC_FUZZ_DIFFCHECK_H */
