/* test_api_run.c — the public API end to end: compile, run, filter, run over
 * a selection, errors with codes, positions and rows, limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jitcalc.h"

static jc_engine *engine;

static int setup(void **state)
{
    (void)state;
    jc_error err;
    engine = jc_engine_new(NULL, &err);
    return engine ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    jc_engine_free(engine);
    return 0;
}

static void compile_once_run_many_gives_a_column(void **state)
{
    (void)state;
    double a[] = {1.5, 2.0, -3.0};
    double b[] = {2.0, 0.5, 4.0};
    jc_column cols[] = {{"a", JC_F64, a, 3}, {"b", JC_F64, b, 3}};
    jc_error err;
    jc_program *p = jc_compile(engine, "a * b + 1", JC_NUL_TERMINATED, cols, 2, &err);
    assert_non_null(p);
    assert_int_equal(jc_program_type(p), JC_F64);
    assert_true(jc_program_is_column(p));
    for (int run = 0; run < 3; run++) {
        jc_result r;
        assert_int_equal(jc_run(p, cols, 2, 3, &r, &err), 0);
        assert_true(r.is_column);
        assert_int_equal(r.rows, 3);
        const double *v = r.values;
        assert_true(v[0] == 4.0 && v[1] == 2.0 && v[2] == -11.0);
        jc_result_free(&r);
    }
    jc_program_free(p);
}

static void run_into_writes_the_callers_buffer(void **state)
{
    (void)state;
    int64_t a[] = {1, 2, 3, 4, 5};
    jc_column cols[] = {{"a", JC_I64, a, 5}};
    jc_error err;
    jc_program *p = jc_compile(engine, "a * a > 4", JC_NUL_TERMINATED, cols, 1, &err);
    jc_program *s = jc_compile(engine, "sum(a)", JC_NUL_TERMINATED, cols, 1, &err);
    assert_non_null(p);
    assert_non_null(s);
    uint8_t out[5] = {9, 9, 9, 9, 9};
    assert_int_equal(jc_run_into(p, cols, 1, 5, out, &err), 0);
    assert_true(out[0] == 0 && out[1] == 0 && out[2] == 1 && out[3] == 1 && out[4] == 1);
    assert_int_equal(jc_run_into(s, cols, 1, 5, out, &err), -1);
    assert_int_equal(err.code, JC_INVALID_ARGUMENT);
    jc_program_free(p);
    jc_program_free(s);
}

static void aggregate_gives_a_scalar_and_null_over_zero_rows(void **state)
{
    (void)state;
    double a[] = {1.0, 2.0, 3.0, 4.0};
    jc_column cols[] = {{"a", JC_F64, a, 4}};
    jc_error err;
    jc_result r;
    assert_int_equal(jc_eval(engine, "avg((a - avg(a))^2)", JC_NUL_TERMINATED, cols, 1, 4, &r, &err), 0);
    assert_false(r.is_column);
    assert_false(r.is_null);
    assert_true(r.scalar.f64 == 1.25);
    cols[0].length = 0;
    assert_int_equal(jc_eval(engine, "avg(a) + 1", JC_NUL_TERMINATED, cols, 1, 0, &r, &err), 0);
    assert_true(r.is_null);
    assert_int_equal(jc_eval(engine, "sum(a)", JC_NUL_TERMINATED, cols, 1, 0, &r, &err), 0);
    assert_false(r.is_null);
    assert_true(r.scalar.f64 == 0.0);
}

static void errors_carry_code_position_and_row(void **state)
{
    (void)state;
    int64_t a[] = {4, 2, 0, 5};
    jc_column cols[] = {{"a", JC_I64, a, 4}};
    jc_error err;
    jc_result r;
    assert_int_equal(jc_eval(engine, "a +* 2", JC_NUL_TERMINATED, cols, 1, 4, &r, &err), -1);
    assert_int_equal(err.code, JC_PARSE_ERROR);
    assert_int_equal(err.position, 4);
    assert_int_equal(jc_eval(engine, "nope + 1", JC_NUL_TERMINATED, cols, 1, 4, &r, &err), -1);
    assert_int_equal(err.code, JC_UNKNOWN_COLUMN);
    assert_int_equal(err.position, 1);
    assert_int_equal(jc_eval(engine, "10 // a", JC_NUL_TERMINATED, cols, 1, 4, &r, &err), -1);
    assert_int_equal(err.code, JC_DIVISION_BY_ZERO);
    assert_int_equal(err.row, 2);
    assert_string_equal(jc_code_name(err.code), "division_by_zero");
    /* The guard decides: no fault where the branch is not taken. */
    assert_int_equal(jc_eval(engine, "if(a != 0, 10 // a, -1)", JC_NUL_TERMINATED, cols, 1, 4, &r, &err), 0);
    const int64_t *v = r.values;
    assert_true(v[0] == 2 && v[1] == 5 && v[2] == -1 && v[3] == 2);
    jc_result_free(&r);
}

/* Counts (sum or avg of a bool) are kept in the JIT kernel and a chunk
 * runs in one call: exact over several chunks and a ragged tail, and a
 * fault in the counted expression still poisons the count (an error where
 * it is used, nothing where it is not). */
static void counts_are_exact_across_chunks_and_faults_poison_them(void **state)
{
    (void)state;
    enum { N = 40003, BAD = 25000 };
    int64_t *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b);
    int64_t trues = 0, ratio_trues = 0;
    for (int i = 0; i < N; i++) {
        a[i] = i % 7 - 3;
        b[i] = i % 5 + 1;
        trues += a[i] > 0;
        ratio_trues += a[i] / b[i] > 0;
    }
    jc_column cols[] = {{"a", JC_I64, a, N}, {"b", JC_I64, b, N}};
    jc_error err;
    jc_result r;
    assert_int_equal(jc_eval(engine, "sum(a > 0)", JC_NUL_TERMINATED, cols, 2, N, &r, &err), 0);
    assert_int_equal(r.type, JC_I64);
    assert_int_equal(r.scalar.i64, trues);
    assert_int_equal(jc_eval(engine, "avg(a > 0)", JC_NUL_TERMINATED, cols, 2, N, &r, &err), 0);
    assert_true(r.scalar.f64 == (double)trues / N);
    assert_int_equal(
        jc_eval(engine, "sum(a // b > 0)", JC_NUL_TERMINATED, cols, 2, N, &r, &err), 0);
    assert_int_equal(r.scalar.i64, ratio_trues);
    b[BAD] = 0;
    assert_int_equal(
        jc_eval(engine, "sum(a // b > 0)", JC_NUL_TERMINATED, cols, 2, N, &r, &err), -1);
    assert_int_equal(err.code, JC_DIVISION_BY_ZERO);
    assert_int_equal(err.row, BAD);
    assert_int_equal(jc_eval(engine, "if(count() > 100000, sum(a // b > 0), -1)",
                             JC_NUL_TERMINATED, cols, 2, N, &r, &err), 0);
    assert_int_equal(r.scalar.i64, -1);
    free(a);
    free(b);
}

/* For the tests of what the JIT keeps in the mask register: columns a and
 * b of MASK_ROWS rows (past a chunk), b NaN every 29th row; and an engine
 * that only interprets, to compare with. */
#define MASK_ROWS (16385 + 8)
static void mask_test_columns(double **a, double **b)
{
    *a = malloc(MASK_ROWS * sizeof **a);
    *b = malloc(MASK_ROWS * sizeof **b);
    for (int i = 0; i < MASK_ROWS; i++) {
        (*a)[i] = (double)(i * 37 % 101) / 100.0;
        (*b)[i] = i % 29 == 0 ? __builtin_nan("") : (double)(i * 53 % 97) / 96.0;
    }
}

static jc_engine *interpreter_engine(void)
{
    jc_options o;
    jc_options_init(&o);
    o.jit = 0;
    jc_error err;
    return jc_engine_new(&o, &err);
}

/* A count that the JIT answers in one kernel call (a conjunction of f64
 * comparisons in the mask register, no executor) gives the interpreter's
 * answer, bit for bit, at every size around a vector and a chunk; NaN
 * compares false (or true for !=); an avg of no rows is null. */
static void counts_in_one_call_are_the_interpreters(void **state)
{
    (void)state;
    enum { N = MASK_ROWS };
    double *a, *b;
    mask_test_columns(&a, &b);
    jc_error err;
    jc_engine *interp = interpreter_engine();
    assert_non_null(interp);
    static const char *const texts[] = {"sum(a > 0.5 and b < 0.2)", "avg(a >= b and b != 0.25)",
                                        "sum(b > a)", "avg(a < 0.75 and (b == b and a <= b))"};
    static const size_t sizes[] = {0, 1, 7, 8, 9, 1000, 16384, 16385, N};
    for (size_t k = 0; k < sizeof texts / sizeof *texts; k++) {
        jc_column schema[] = {{"a", JC_F64, NULL, 0}, {"b", JC_F64, NULL, 0}};
        jc_program *p = jc_compile(engine, texts[k], JC_NUL_TERMINATED, schema, 2, &err);
        jc_program *q = jc_compile(interp, texts[k], JC_NUL_TERMINATED, schema, 2, &err);
        assert_non_null(p);
        assert_non_null(q);
        for (size_t j = 0; j < sizeof sizes / sizeof *sizes; j++) {
            const void *cols[] = {a, b};
            jc_result got, want;
            assert_int_equal(jc_run_slots(p, cols, 2, sizes[j], &got, &err), 0);
            assert_int_equal(jc_run_slots(q, cols, 2, sizes[j], &want, &err), 0);
            if (got.type != want.type || got.is_null != want.is_null ||
                memcmp(&got.scalar, &want.scalar, sizeof got.scalar))
                fail_msg("%s over %zu rows differs from the interpreter", texts[k], sizes[j]);
        }
        jc_program_free(p);
        jc_program_free(q);
    }
    jc_engine_free(interp);
    free(a);
    free(b);
}

/* Bool columns and filters whose conjunction the JIT keeps in the mask
 * register (stored as bytes from it) are the interpreter's, byte for
 * byte and row for row, at every size around a vector, 64 rows and a
 * chunk, NaN included. */
static void filters_from_the_mask_are_the_interpreters(void **state)
{
    (void)state;
    enum { N = MASK_ROWS };
    double *a, *b;
    mask_test_columns(&a, &b);
    jc_error err;
    jc_engine *interp = interpreter_engine();
    /* an engine of its own: the shared one's cache stays as the other
     * tests expect it */
    jc_engine *jit = jc_engine_new(NULL, &err);
    assert_non_null(interp);
    assert_non_null(jit);
    static const char *const texts[] = {"a > 0.5 and b < 0.2", "a >= b and b != 0.25 and a <= 0.75",
                                        "int(a * 4) > 1 and b < 0.5", "a > 0.3",
                                        "(a > 0.5 and b < 0.2) == (b > a)",
                                        "if(a > b, a, b) > 0.5 and b < 0.2",
                                        "a > 0 and if(a > 0.5 and b < 0.5, a, b) > 0.25",
                                        "if(a > 0.5 and b < 0.5, a > b, b > a)"};
    static const size_t sizes[] = {1, 7, 8, 9, 63, 64, 65, 1000, 16385, N};
    for (size_t k = 0; k < sizeof texts / sizeof *texts; k++)
        for (size_t j = 0; j < sizeof sizes / sizeof *sizes; j++) {
            size_t n = sizes[j];
            jc_column cols[] = {{"a", JC_F64, a, n}, {"b", JC_F64, b, n}};
            jc_result got, want;
            assert_int_equal(jc_eval(jit, texts[k], JC_NUL_TERMINATED, cols, 2, n, &got, &err), 0);
            assert_int_equal(jc_eval(interp, texts[k], JC_NUL_TERMINATED, cols, 2, n, &want, &err), 0);
            assert_true(got.is_column && want.is_column && got.rows == n);
            if (memcmp(got.values, want.values, n))
                fail_msg("%s over %zu rows differs from the interpreter", texts[k], n);
            jc_result_free(&got);
            jc_result_free(&want);
            jc_program *p = jc_compile(jit, texts[k], JC_NUL_TERMINATED, cols, 2, &err);
            jc_program *q = jc_compile(interp, texts[k], JC_NUL_TERMINATED, cols, 2, &err);
            jc_selection sg, sw;
            assert_int_equal(jc_filter(p, cols, 2, n, &sg, &err), 0);
            assert_int_equal(jc_filter(q, cols, 2, n, &sw, &err), 0);
            assert_int_equal(sg.count, sw.count);
            if (sg.count && memcmp(sg.indices, sw.indices, sg.count * sizeof *sg.indices))
                fail_msg("%s over %zu rows selects other rows", texts[k], n);
            jc_selection_free(&sg);
            jc_selection_free(&sw);
            jc_program_free(p);
            jc_program_free(q);
        }
    jc_engine_free(interp);
    jc_engine_free(jit);
    free(a);
    free(b);
}

static void filter_then_selected_run_reports_the_callers_row(void **state)
{
    (void)state;
    int64_t a[] = {1, 2, 0, 5};
    jc_column cols[] = {{"a", JC_I64, a, 4}};
    jc_error err;
    jc_program *where = jc_compile(engine, "a != 1", JC_NUL_TERMINATED, cols, 1, &err);
    jc_program *p = jc_compile(engine, "10 // a", JC_NUL_TERMINATED, cols, 1, &err);
    assert_non_null(where);
    assert_non_null(p);
    jc_selection sel;
    assert_int_equal(jc_filter(where, cols, 1, 4, &sel, &err), 0);
    assert_int_equal(sel.count, 3);
    assert_true(sel.indices[0] == 1 && sel.indices[1] == 2 && sel.indices[2] == 3);
    jc_result r;
    assert_int_equal(jc_run_selected(p, cols, 1, 4, sel.indices, sel.count, &r, &err), -1);
    assert_int_equal(err.code, JC_DIVISION_BY_ZERO);
    assert_int_equal(err.row, 2);
    assert_non_null(strstr(err.message, "at row 2"));
    assert_null(strstr(err.message, "at row 1"));
    jc_selection_free(&sel);
    jc_program_free(where);
    jc_program_free(p);
}

static void run_checks_lengths_and_types(void **state)
{
    (void)state;
    double a[] = {1, 2, 3};
    double b[] = {1, 2};
    jc_column cols[] = {{"a", JC_F64, a, 3}, {"b", JC_F64, b, 2}};
    jc_error err;
    jc_program *p = jc_compile(engine, "a + b", JC_NUL_TERMINATED, cols, 2, &err);
    assert_non_null(p);
    jc_result r;
    assert_int_equal(jc_run(p, cols, 2, 3, &r, &err), -1);
    assert_int_equal(err.code, JC_LENGTH_MISMATCH);
    jc_column wrong[] = {{"a", JC_I64, a, 3}, {"b", JC_F64, a, 3}};
    assert_int_equal(jc_run(p, wrong, 2, 3, &r, &err), -1);
    assert_int_equal(err.code, JC_TYPE_ERROR);
    jc_program_free(p);
}

/* Binding is by name, whatever the order: the in-order shortcut must fall
 * back to a search, and a repeated name binds its first column. */
static void columns_are_bound_by_name_in_any_order(void **state)
{
    (void)state;
    double a[] = {1, 2}, b[] = {10, 20}, c[] = {100, 200}, junk[] = {-1, -1};
    jc_column schema[] = {{"a", JC_F64, a, 2}, {"b", JC_F64, b, 2}, {"c", JC_F64, c, 2}};
    jc_error err;
    jc_program *p = jc_compile(engine, "a * 2 + b - c", JC_NUL_TERMINATED, schema, 3, &err);
    assert_non_null(p);
    double out[2];
    jc_column shuffled[] = {{"c", JC_F64, c, 2}, {"x", JC_F64, junk, 2},
                            {"a", JC_F64, a, 2}, {"b", JC_F64, b, 2}};
    assert_int_equal(jc_run_into(p, shuffled, 4, 2, out, &err), 0);
    assert_true(out[0] == -88 && out[1] == -176);
    jc_column twice[] = {{"a", JC_F64, a, 2}, {"b", JC_F64, b, 2},
                         {"b", JC_F64, junk, 2}, {"c", JC_F64, c, 2}};
    assert_int_equal(jc_run_into(p, twice, 4, 2, out, &err), 0);
    assert_true(out[0] == -88 && out[1] == -176);
    jc_column first_wins[] = {{"b", JC_F64, junk, 2}, {"a", JC_F64, a, 2},
                              {"b", JC_F64, b, 2}, {"c", JC_F64, c, 2}};
    assert_int_equal(jc_run_into(p, first_wins, 4, 2, out, &err), 0);
    assert_true(out[0] == -99 && out[1] == -197);
    jc_column missing[] = {{"a", JC_F64, a, 2}, {"b", JC_F64, b, 2}};
    assert_int_equal(jc_run_into(p, missing, 2, 2, out, &err), -1);
    assert_int_equal(err.code, JC_UNKNOWN_COLUMN);
    assert_non_null(strstr(err.message, "'c'"));
    jc_program_free(p);
}

/* The positional calls: columns in the program's slot order (the names
 * say which is which), the same results as by name on both the direct
 * path (few rows) and the chunked one, errors with their rows. */
static void columns_by_position_give_what_columns_by_name_give(void **state)
{
    (void)state;
    enum { ROWS = 40000 }; /* more than one chunk */
    double *a = malloc(ROWS * sizeof *a), *b = malloc(ROWS * sizeof *b);
    int64_t *k = malloc(ROWS * sizeof *k);
    double *by_name = malloc(ROWS * sizeof *by_name), *by_slot = malloc(ROWS * sizeof *by_slot);
    assert_true(a && b && k && by_name && by_slot);
    for (size_t i = 0; i < ROWS; i++) {
        a[i] = (double)(i % 97) / 7.0 - 3.0;
        b[i] = (double)(i % 13) - 6.5;
        k[i] = (int64_t)(i % 5);
    }
    jc_column cols[] = {{"k", JC_I64, k, ROWS}, {"b", JC_F64, b, ROWS}, {"a", JC_F64, a, ROWS}};
    jc_error err;
    jc_program *p = jc_compile(engine, "if(a > b, a - b, b / k)", JC_NUL_TERMINATED, cols, 3, &err);
    jc_program *s = jc_compile(engine, "sum(a * b)", JC_NUL_TERMINATED, cols, 3, &err);
    assert_non_null(p);
    assert_non_null(s);
    const void *data[3];
    assert_int_equal(jc_program_column_count(p), 3);
    for (size_t i = 0; i < 3; i++) {
        const char *name = jc_program_column_name(p, i);
        data[i] = name[0] == 'a' ? (const void *)a : name[0] == 'b' ? (const void *)b : k;
    }
    size_t sizes[] = {0, 1, 7, 8, 9, 1000, ROWS};
    for (size_t t = 0; t < sizeof sizes / sizeof *sizes; t++) {
        size_t n = sizes[t];
        for (size_t c = 0; c < 3; c++)
            cols[c].length = n;
        memset(by_slot, 0xAB, ROWS * sizeof *by_slot);
        assert_int_equal(jc_run_into(p, cols, 3, n, by_name, &err), 0);
        assert_int_equal(jc_run_slots_into(p, data, 3, n, by_slot, &err), 0);
        assert_memory_equal(by_name, by_slot, n * sizeof *by_name);
        jc_result r;
        assert_int_equal(jc_run_slots(p, data, 3, n, &r, &err), 0);
        assert_int_equal(r.rows, n);
        if (n)
            assert_memory_equal(r.values, by_name, n * sizeof *by_name);
        jc_result_free(&r);
    }
    /* a scalar result */
    jc_result want, got;
    const void *sdata[2];
    for (size_t i = 0; i < 2; i++)
        sdata[i] = jc_program_column_name(s, i)[0] == 'a' ? a : b;
    assert_int_equal(jc_run(s, cols, 3, ROWS, &want, &err), 0);
    assert_int_equal(jc_run_slots(s, sdata, 2, ROWS, &got, &err), 0);
    assert_false(got.is_column);
    assert_memory_equal(&want.scalar.f64, &got.scalar.f64, sizeof(double));
    assert_int_equal(jc_run_slots_into(s, sdata, 2, ROWS, by_slot, &err), -1);
    assert_int_equal(err.code, JC_INVALID_ARGUMENT);
    /* the wrong number of columns, a column without data, NULLs */
    assert_int_equal(jc_run_slots_into(p, data, 2, ROWS, by_slot, &err), -1);
    assert_int_equal(err.code, JC_INVALID_ARGUMENT);
    assert_non_null(strstr(err.message, "3 columns"));
    const void *hole[3] = {data[0], NULL, data[2]};
    assert_int_equal(jc_run_slots_into(p, hole, 3, ROWS, by_slot, &err), -1);
    assert_int_equal(err.code, JC_INVALID_ARGUMENT);
    assert_non_null(strstr(err.message, jc_program_column_name(p, 1)));
    assert_int_equal(jc_run_slots_into(p, hole, 3, 0, by_slot, &err), 0);
    assert_int_equal(jc_run_slots_into(p, NULL, 3, ROWS, by_slot, &err), -1);
    assert_int_equal(jc_run_slots(NULL, data, 3, ROWS, &got, &err), -1);
    assert_int_equal(err.code, JC_INVALID_ARGUMENT);
    /* an error names the caller's row */
    jc_program *q = jc_compile(engine, "k // (k - 3)", JC_NUL_TERMINATED, cols, 3, &err);
    assert_non_null(q);
    const void *kdata[1] = {k};
    int64_t iout[8];
    assert_int_equal(jc_run_slots_into(q, kdata, 1, 8, iout, &err), -1);
    assert_int_equal(err.code, JC_DIVISION_BY_ZERO);
    assert_int_equal(err.row, 3);
    jc_program_free(q);
    jc_program_free(p);
    jc_program_free(s);
    free(a);
    free(b);
    free(k);
    free(by_name);
    free(by_slot);
}

static void deep_nesting_and_long_text_are_limit_exceeded(void **state)
{
    (void)state;
    size_t n = 100000;
    char *text = malloc(2 * n + 2);
    memset(text, '(', n);
    text[n] = '1';
    memset(text + n + 1, ')', n);
    text[2 * n + 1] = '\0';
    jc_error err;
    jc_result r;
    jc_options opts;
    jc_options_init(&opts);
    opts.max_expr_bytes = 4 * n;
    jc_engine *big = jc_engine_new(&opts, &err);
    assert_non_null(big);
    assert_int_equal(jc_eval(big, text, JC_NUL_TERMINATED, NULL, 0, 0, &r, &err), -1);
    assert_int_equal(err.code, JC_LIMIT_EXCEEDED);
    jc_engine_free(big);
    assert_int_equal(jc_eval(engine, text, JC_NUL_TERMINATED, NULL, 0, 0, &r, &err), -1);
    assert_int_equal(err.code, JC_LIMIT_EXCEEDED);
    free(text);
}

static void long_chain_of_additions_evaluates(void **state)
{
    (void)state;
    size_t terms = 30000;
    char *text = malloc(2 * terms);
    for (size_t i = 0; i < terms; i++) {
        text[2 * i] = '1';
        text[2 * i + 1] = '+';
    }
    text[2 * terms - 1] = '\0';
    jc_error err;
    jc_result r;
    assert_int_equal(jc_eval(engine, text, JC_NUL_TERMINATED, NULL, 0, 0, &r, &err), 0);
    assert_int_equal(r.type, JC_I64);
    assert_int_equal(r.scalar.i64, 30000);
    free(text);
}

static void literals_share_one_cache_entry(void **state)
{
    (void)state;
    double price[] = {50, 150, 300};
    jc_column cols[] = {{"price", JC_F64, price, 3}};
    jc_error err;
    jc_stats before, after;
    jc_engine_stats(engine, &before);
    jc_program *p1 = jc_compile(engine, "price > 100", JC_NUL_TERMINATED, cols, 1, &err);
    assert_false(jc_program_cached(p1));
    jc_program *p2 = jc_compile(engine, "PRICE > 250", JC_NUL_TERMINATED, cols, 1, &err);
    assert_non_null(p1);
    assert_null(p2); /* columns are case-sensitive */
    p2 = jc_compile(engine, "(price)>250.0", JC_NUL_TERMINATED, cols, 1, &err);
    assert_non_null(p2);
    assert_true(jc_program_cached(p2));
    jc_engine_stats(engine, &after);
    assert_int_equal(after.cache_misses - before.cache_misses, 1);
    assert_int_equal(after.cache_hits - before.cache_hits, 1);
    jc_result r1, r2;
    assert_int_equal(jc_run(p1, cols, 1, 3, &r1, &err), 0);
    assert_int_equal(jc_run(p2, cols, 1, 3, &r2, &err), 0);
    const uint8_t *v1 = r1.values, *v2 = r2.values;
    assert_true(v1[0] == 0 && v1[1] == 1 && v1[2] == 1);
    assert_true(v2[0] == 0 && v2[1] == 0 && v2[2] == 1);
    jc_result_free(&r1);
    jc_result_free(&r2);
    jc_program_free(p1);
    jc_program_free(p2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(compile_once_run_many_gives_a_column),
        cmocka_unit_test(run_into_writes_the_callers_buffer),
        cmocka_unit_test(aggregate_gives_a_scalar_and_null_over_zero_rows),
        cmocka_unit_test(errors_carry_code_position_and_row),
        cmocka_unit_test(counts_are_exact_across_chunks_and_faults_poison_them),
        cmocka_unit_test(counts_in_one_call_are_the_interpreters),
        cmocka_unit_test(filters_from_the_mask_are_the_interpreters),
        cmocka_unit_test(filter_then_selected_run_reports_the_callers_row),
        cmocka_unit_test(run_checks_lengths_and_types),
        cmocka_unit_test(columns_are_bound_by_name_in_any_order),
        cmocka_unit_test(columns_by_position_give_what_columns_by_name_give),
        cmocka_unit_test(deep_nesting_and_long_text_are_limit_exceeded),
        cmocka_unit_test(long_chain_of_additions_evaluates),
        cmocka_unit_test(literals_share_one_cache_entry),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
