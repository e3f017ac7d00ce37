/*
 * test_oom_api.c — every allocation of jc_engine_new, jc_compile (cold and
 * cache hit), jc_run, jc_eval, jc_filter and jc_run_selected fails in turn
 * (util/mem.h's mem_fail_after): each call gives the right answer or
 * JC_OUT_OF_MEMORY, and frees what it took (oomcheck.h).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jitcalc.h"
#include "oomcheck.h"

#define ROWS 3000 /* three blocks of the interpreter, many vectors */
#define MAX_ALLOCATIONS 20000

static double a_v[ROWS], b_v[ROWS], price_v[ROWS];
static int64_t n_v[ROWS], m_v[ROWS];
static uint8_t p_v[ROWS];
static jc_column cols[] = {
    {"a", JC_F64, a_v, ROWS},  {"b", JC_F64, b_v, ROWS},
    {"n", JC_I64, n_v, ROWS},  {"m", JC_I64, m_v, ROWS},
    {"p", JC_BOOL, p_v, ROWS}, {"unit price", JC_F64, price_v, ROWS},
};
#define NCOLS (sizeof cols / sizeof cols[0])

static const char *const exprs[] = {
    "a + b",
    "a * b + 1 > 0 and p",
    "sum(a * b)",
    "avg((a - avg(a))^2)",
    "if(p, n // m, -1)",
    "least(a, b, n, 2.5) + greatest(n, m)",
    "round(a, 2) + int(b) + sqrt(abs(a))",
    "\"unit price\" * 2",
    "count() + max(n) + min(m)",
    "1 + 2 * 3",
    "exp(a) + sin(b) + ln(abs(a) + 1) + atan2(a, b) + a ^ 0.5",
    "a / sum(a) + min(b)",
    "n // (m - m)",                 /* division_by_zero at row 0 */
    "sum(n * 4611686018427387904)", /* integer_overflow */
    "a +",                          /* parse_error */
    "a + zz",                       /* unknown_column */
    "p + 1 == true",                /* type_error */
    ("a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a"
     "+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+a"),
};
#define NEXPRS (sizeof exprs / sizeof exprs[0])

static void fill_columns(void)
{
    for (int r = 0; r < ROWS; r++) {
        a_v[r] = (r % 17) * 0.75 - 5.0;
        b_v[r] = r % 5 == 0 ? NAN : (r % 11) - 3.5;
        price_v[r] = r * 0.01;
        n_v[r] = r % 23 - 11;
        m_v[r] = r % 7 + 1;
        p_v[r] = r % 3 == 0;
    }
}

/* The unarmed answer of one call: a result, or an error code and row. */
typedef struct answer {
    int failed;
    jc_error err;
    jc_result res;
    jc_selection sel;
} answer;

static int same_answer(const answer *want, int failed, const jc_error *err,
                       const jc_result *res, char *why, size_t whylen)
{
    if (want->failed != failed) {
        snprintf(why, whylen, "%s where the unarmed call %s",
                 failed ? jc_code_name(err->code) : "succeeded",
                 want->failed ? jc_code_name(want->err.code) : "succeeded");
        return 0;
    }
    if (failed && (want->err.code != err->code || want->err.row != err->row)) {
        snprintf(why, whylen, "%s at row %lld, where the unarmed call gave %s at row %lld",
                 jc_code_name(err->code), (long long)err->row,
                 jc_code_name(want->err.code), (long long)want->err.row);
        return 0;
    }
    if (!failed && res && !oom_same_result(&want->res, res)) {
        snprintf(why, whylen, "a result that differs from the unarmed call's");
        return 0;
    }
    return 1;
}

/* Classifies a failed call: out of memory, or the unarmed answer. */
static enum oom_outcome outcome(const answer *want, int failed, const jc_error *err,
                                const jc_result *res, char *why, size_t whylen)
{
    if (failed && err->code == JC_OUT_OF_MEMORY)
        return OOM_REPORTED;
    return same_answer(want, failed, err, res, why, whylen) ? OOM_DONE : OOM_WRONG;
}

/* ---- the cases ---- */

typedef struct ctx {
    const char *expr;
    int warm;              /* compile once before arming: the call is a cache hit */
    jc_engine *engine;
    jc_program *program;   /* compiled in setup for run/filter cases */
    answer want;
    size_t *selection;
    size_t nselected;
} ctx;

static int setup_engine(void *p)
{
    ctx *c = p;
    jc_error err;
    c->engine = jc_engine_new(NULL, &err);
    if (!c->engine)
        return -1;
    if (c->warm) {
        jc_program *pr = jc_compile(c->engine, c->expr, JC_NUL_TERMINATED, cols, NCOLS, &err);
        jc_program_free(pr);
    }
    return 0;
}

static int setup_program(void *p)
{
    ctx *c = p;
    if (setup_engine(p) != 0)
        return -1;
    jc_error err;
    c->program = jc_compile(c->engine, c->expr, JC_NUL_TERMINATED, cols, NCOLS, &err);
    return c->program ? 0 : -1;
}

static void teardown(void *p)
{
    ctx *c = p;
    jc_program_free(c->program);
    jc_engine_free(c->engine);
    c->program = NULL;
    c->engine = NULL;
}

static enum oom_outcome call_engine_new(void *p, char *why, size_t whylen)
{
    (void)p;
    jc_error err;
    jc_engine *e = jc_engine_new(NULL, &err);
    if (e) {
        jc_engine_free(e);
        return OOM_DONE;
    }
    if (err.code == JC_OUT_OF_MEMORY)
        return OOM_REPORTED;
    snprintf(why, whylen, "jc_engine_new: %s: %s", jc_code_name(err.code), err.message);
    return OOM_WRONG;
}

static enum oom_outcome call_compile(void *p, char *why, size_t whylen)
{
    ctx *c = p;
    jc_error err;
    jc_program *pr = jc_compile(c->engine, c->expr, JC_NUL_TERMINATED, cols, NCOLS, &err);
    enum oom_outcome o;
    if (pr) {
        /* compiled: it must run as the unarmed program does */
        jc_result res;
        jc_error rerr;
        memset(&res, 0, sizeof res);
        int failed = jc_run(pr, cols, NCOLS, ROWS, &res, &rerr) != 0;
        o = outcome(&c->want, failed, &rerr, &res, why, whylen);
        jc_result_free(&res);
        jc_program_free(pr);
        return o;
    }
    if (err.code == JC_OUT_OF_MEMORY)
        return OOM_REPORTED;
    /* a compile error must be the unarmed one */
    if (c->want.failed && c->want.err.code == err.code)
        return OOM_DONE;
    snprintf(why, whylen, "jc_compile: %s: %s", jc_code_name(err.code), err.message);
    return OOM_WRONG;
}

static enum oom_outcome call_run(void *p, char *why, size_t whylen)
{
    ctx *c = p;
    jc_result res;
    jc_error err;
    memset(&res, 0, sizeof res);
    int failed = jc_run(c->program, cols, NCOLS, ROWS, &res, &err) != 0;
    enum oom_outcome o = outcome(&c->want, failed, &err, &res, why, whylen);
    jc_result_free(&res);
    return o;
}

static enum oom_outcome call_eval(void *p, char *why, size_t whylen)
{
    ctx *c = p;
    jc_result res;
    jc_error err;
    memset(&res, 0, sizeof res);
    int failed =
        jc_eval(c->engine, c->expr, JC_NUL_TERMINATED, cols, NCOLS, ROWS, &res, &err) != 0;
    enum oom_outcome o = outcome(&c->want, failed, &err, &res, why, whylen);
    jc_result_free(&res);
    return o;
}

static enum oom_outcome call_selected(void *p, char *why, size_t whylen)
{
    ctx *c = p;
    jc_result res;
    jc_error err;
    memset(&res, 0, sizeof res);
    int failed = jc_run_selected(c->program, cols, NCOLS, ROWS, c->selection, c->nselected,
                                 &res, &err) != 0;
    enum oom_outcome o = outcome(&c->want, failed, &err, &res, why, whylen);
    jc_result_free(&res);
    return o;
}

static enum oom_outcome call_filter(void *p, char *why, size_t whylen)
{
    ctx *c = p;
    jc_selection sel = {0, NULL};
    jc_error err;
    int failed = jc_filter(c->program, cols, NCOLS, ROWS, &sel, &err) != 0;
    enum oom_outcome o;
    if (failed && err.code == JC_OUT_OF_MEMORY)
        o = OOM_REPORTED;
    else if (failed != c->want.failed ||
             (!failed && (sel.count != c->want.sel.count ||
                          (sel.count && memcmp(sel.indices, c->want.sel.indices,
                                               sel.count * sizeof *sel.indices) != 0)))) {
        snprintf(why, whylen, "jc_filter: %s", failed ? err.message : "another selection");
        o = OOM_WRONG;
    } else {
        o = OOM_DONE;
    }
    jc_selection_free(&sel);
    return o;
}

/* The unarmed answer of expr through jc_eval on a fresh engine. */
static void reference(const char *expr, answer *want)
{
    memset(want, 0, sizeof *want);
    jc_engine *e = jc_engine_new(NULL, &want->err);
    assert_non_null(e);
    want->failed = jc_eval(e, expr, JC_NUL_TERMINATED, cols, NCOLS, ROWS, &want->res,
                           &want->err) != 0;
    jc_engine_free(e);
}

static int failures;

static void sweep(const char *name, ctx *c, int (*setup)(void *),
                  enum oom_outcome (*call)(void *, char *, size_t))
{
    char label[256];
    snprintf(label, sizeof label, "%s of '%.60s'", name, c->expr ? c->expr : "");
    oom_case oc = {label, c, setup, call, teardown};
    if (oom_sweep(&oc, MAX_ALLOCATIONS) < 0)
        failures++; /* printed; the other sweeps still run */
}

/* Ends a test: it fails if any sweep in it did. */
static void no_failures(void)
{
    int n = failures;
    failures = 0;
    if (n)
        fail_msg("%d sweep(s) failed (see above)", n);
}

static void engine_creation_survives_every_allocation_failure(void **state)
{
    (void)state;
    ctx c;
    memset(&c, 0, sizeof c);
    sweep("jc_engine_new", &c, setup_engine, call_engine_new);
    no_failures();
}

static void compile_survives_every_allocation_failure(void **state)
{
    (void)state;
    for (size_t i = 0; i < NEXPRS; i++) {
        ctx c = {.expr = exprs[i]};
        reference(exprs[i], &c.want);
        sweep("jc_compile (cold)", &c, setup_engine, call_compile);
        c.warm = 1;
        sweep("jc_compile (cache hit)", &c, setup_engine, call_compile);
        jc_result_free(&c.want.res);
    }
    no_failures();
}

static void run_survives_every_allocation_failure(void **state)
{
    (void)state;
    for (size_t i = 0; i < NEXPRS; i++) {
        ctx c = {.expr = exprs[i]};
        reference(exprs[i], &c.want);
        /* only expressions that compile can run */
        jc_engine *e = jc_engine_new(NULL, NULL);
        jc_error err;
        jc_program *pr = jc_compile(e, exprs[i], JC_NUL_TERMINATED, cols, NCOLS, &err);
        jc_program_free(pr);
        jc_engine_free(e);
        if (pr)
            sweep("jc_run", &c, setup_program, call_run);
        jc_result_free(&c.want.res);
    }
    no_failures();
}

static void eval_survives_every_allocation_failure(void **state)
{
    (void)state;
    for (size_t i = 0; i < NEXPRS; i++) {
        ctx c = {.expr = exprs[i]};
        reference(exprs[i], &c.want);
        sweep("jc_eval", &c, setup_engine, call_eval);
        jc_result_free(&c.want.res);
    }
    no_failures();
}

static void filter_and_selected_runs_survive_every_allocation_failure(void **state)
{
    (void)state;
    ctx c = {.expr = "a * b + 1 > 0 and p"};
    jc_engine *e = jc_engine_new(NULL, NULL);
    jc_error err;
    jc_program *pr = jc_compile(e, c.expr, JC_NUL_TERMINATED, cols, NCOLS, &err);
    assert_non_null(pr);
    c.want.failed = jc_filter(pr, cols, NCOLS, ROWS, &c.want.sel, &err) != 0;
    assert_false(c.want.failed);
    assert_true(c.want.sel.count > 0);
    sweep("jc_filter", &c, setup_program, call_filter);

    /* the selection drives jc_run_selected of other expressions */
    static const char *const sel_exprs[] = {"sum(a) + a", "n // m", "avg(b)"};
    for (size_t i = 0; i < 3; i++) {
        ctx s = {.expr = sel_exprs[i], .selection = c.want.sel.indices,
                 .nselected = c.want.sel.count};
        jc_program *q = jc_compile(e, s.expr, JC_NUL_TERMINATED, cols, NCOLS, &err);
        assert_non_null(q);
        s.want.failed = jc_run_selected(q, cols, NCOLS, ROWS, s.selection, s.nselected,
                                        &s.want.res, &s.want.err) != 0;
        jc_program_free(q);
        sweep("jc_run_selected", &s, setup_program, call_selected);
        jc_result_free(&s.want.res);
    }
    jc_selection_free(&c.want.sel);
    jc_program_free(pr);
    jc_engine_free(e);
    no_failures();
}

int main(int argc, char **argv)
{
    (void)argc;
    oom_init(argv);
    fill_columns();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(engine_creation_survives_every_allocation_failure),
        cmocka_unit_test(compile_survives_every_allocation_failure),
        cmocka_unit_test(run_survives_every_allocation_failure),
        cmocka_unit_test(eval_survives_every_allocation_failure),
        cmocka_unit_test(filter_and_selected_runs_survive_every_allocation_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
