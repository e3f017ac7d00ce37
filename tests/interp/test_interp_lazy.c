/* test_interp_lazy.c — which fault is reported (issue 13), laziness of
 * if/and/or (issue 10), poisoned aggregates and nulls over zero rows. */
#include "testutil.h"

#define MAX INT64_MAX

static void if_hides_faults_of_the_branch_not_taken(void **state)
{
    (void)state;
    int64_t a[] = {10, 20, 30, 40}, b[] = {2, 0, 3, 0};
    jc_column c[] = {col_i64("a", a, 4), col_i64("b", b, 4)};
    drv_result r = eval_both("if(b != 0, a // b, 0)", c, 2, 4);
    assert_int_equal(r.rc, 0);
    assert_memory_equal(r.values, ((int64_t[]){5, 0, 10, 0}), 32);
    drv_result_free(&r);
    r = eval_both("if(b == 0, -1, a % b)", c, 2, 4);
    assert_int_equal(r.rc, 0);
    assert_memory_equal(r.values, ((int64_t[]){0, -1, 0, -1}), 32);
    drv_result_free(&r);
    /* the taken branch still faults */
    int64_t row;
    assert_int_equal(JC_DIVISION_BY_ZERO, error_of("if(b == 0, a // b, 0)", c, 2, 4, &row));
    assert_int_equal(row, 1);
}

static void and_or_hide_faults_of_their_right_side(void **state)
{
    (void)state;
    int64_t a[] = {10, 20, 30, 40}, b[] = {2, 0, 3, 0};
    jc_column c[] = {col_i64("a", a, 4), col_i64("b", b, 4)};
    drv_result r = eval_both("b != 0 and a // b > 4", c, 2, 4);
    assert_int_equal(r.rc, 0);
    assert_memory_equal(r.values, ((uint8_t[]){1, 0, 1, 0}), 4);
    drv_result_free(&r);
    r = eval_both("b == 0 or a // b > 5", c, 2, 4);
    assert_int_equal(r.rc, 0);
    assert_memory_equal(r.values, ((uint8_t[]){0, 1, 1, 1}), 4);
    drv_result_free(&r);
    int64_t row;
    assert_int_equal(JC_DIVISION_BY_ZERO, error_of("b == 0 and a // b > 4", c, 2, 4, &row));
    assert_int_equal(row, 1);
    assert_int_equal(JC_DIVISION_BY_ZERO, error_of("a // b > 4 or b == 0", c, 2, 4, &row));
    assert_int_equal(row, 1);
}

static void the_first_fault_in_row_order_is_reported(void **state)
{
    (void)state;
    enum { N = 40000 }; /* three chunks, many blocks */
    static int64_t a[N], b[N];
    static double x[N];
    for (int i = 0; i < N; i++) {
        a[i] = i;
        b[i] = 1;
        x[i] = i;
    }
    jc_column c[] = {col_i64("a", a, N), col_i64("b", b, N), col_f64("x", x, N)};
    int64_t row;
    static const int rows[] = {0, 5, 1023, 1024, 1500, 16383, 16384, 20000, N - 1};
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
        b[rows[k]] = 0;
        assert_int_equal(JC_DIVISION_BY_ZERO, error_of("a // b", c, 3, N, &row));
        assert_int_equal(row, rows[k]);
        /* inside an aggregate, the row where the argument faulted */
        assert_int_equal(JC_DIVISION_BY_ZERO, error_of("sum(a // b)", c, 3, N, &row));
        assert_int_equal(row, rows[k]);
        b[rows[k]] = 1;
    }
    /* two faults: the smaller row wins whatever the evaluation order */
    b[30000] = 0;
    x[20000] = __builtin_nan("");
    assert_int_equal(JC_INVALID_CAST, error_of("a // b + int(x)", c, 3, N, &row));
    assert_int_equal(row, 20000);
    assert_int_equal(JC_INVALID_CAST, error_of("int(x) + a // b", c, 3, N, &row));
    assert_int_equal(row, 20000);
    /* in one row: the first in evaluation order (operands left to right) */
    x[30000] = __builtin_inf();
    x[20000] = 1;
    assert_int_equal(JC_DIVISION_BY_ZERO, error_of("a // b + int(x)", c, 3, N, &row));
    assert_int_equal(row, 30000);
    assert_int_equal(JC_INVALID_CAST, error_of("int(x) + a // b", c, 3, N, &row));
    assert_int_equal(row, 30000);
    assert_int_equal(JC_INVALID_CAST, error_of("-(int(x) + a // b)", c, 3, N, &row));
}

static void an_aggregate_in_a_branch_not_taken_does_not_fault(void **state)
{
    (void)state;
    int64_t a[] = {1, 2}, b[] = {1, 0};
    jc_column c[] = {col_i64("a", a, 2), col_i64("b", b, 2)};
    drv_result r = eval_both("if(count() > 100, sum(a // b), -1)", c, 2, 2);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.scalar.i, -1);
    int64_t row;
    assert_int_equal(JC_DIVISION_BY_ZERO,
                     error_of("if(count() > 1, sum(a // b), -1)", c, 2, 2, &row));
    assert_int_equal(row, 1);
    /* one pass, two aggregates: only the faulting one is poisoned */
    r = eval_both("if(count() > 100, sum(a // b), sum(a))", c, 2, 2);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.scalar.i, 3);
    r = eval_both("if(count() > 100, max(a // b), min(a))", c, 2, 2);
    assert_int_equal(r.scalar.i, 1);
    /* row-wise use of a poisoned aggregate only where it is taken */
    drv_result rr = eval_both("if(a > 5, a + sum(a // b), a)", c, 2, 2);
    assert_int_equal(rr.rc, 0);
    assert_memory_equal(rr.values, ((int64_t[]){1, 2}), 16);
    drv_result_free(&rr);
    assert_int_equal(JC_DIVISION_BY_ZERO,
                     error_of("if(a > 1, a + sum(a // b), a)", c, 2, 2, &row));
    assert_int_equal(row, 1);
    /* a poisoned inner aggregate poisons the outer one */
    assert_int_equal(JC_DIVISION_BY_ZERO, error_of("sum(a - avg(a // b))", c, 2, 2, &row));
    assert_int_equal(row, 1);
}

static void exact_i64_sum_faults_only_when_the_total_overflows(void **state)
{
    (void)state;
    int64_t a[] = {MAX, 1, -1};
    jc_column c = col_i64("a", a, 3);
    drv_result r = eval_both("sum(a)", &c, 1, 3);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.scalar.i, MAX);
    int64_t row;
    assert_int_equal(JC_INTEGER_OVERFLOW, error_of("sum(a)", &c, 1, 2, &row));
    assert_int_equal(row, -1);
    /* used row-wise: the fault still has no row */
    assert_int_equal(JC_INTEGER_OVERFLOW, error_of("a + sum(a)", &c, 1, 2, &row));
    assert_int_equal(row, -1);
    /* not used: no fault */
    r = eval_both("if(count() > 5, sum(a), 0)", &c, 1, 2);
    assert_int_equal(r.rc, 0);
    assert_int_equal(r.scalar.i, 0);
    /* avg never overflows */
    int64_t big[] = {MAX, MAX, MAX};
    jc_column cb = col_i64("a", big, 3);
    r = eval_both("avg(a)", &cb, 1, 3);
    assert_int_equal(r.rc, 0);
    assert_bits(9223372036854775808.0, r.scalar.f);
}

static void false_and_null_is_false(void **state)
{
    (void)state;
    double a[1] = {0};
    jc_column c = col_f64("a", a, 0);
    drv_result r = eval_both("count() > 0 and max(a) > 0", &c, 1, 0);
    assert_int_equal(r.rc, 0);
    assert_false(r.is_null);
    assert_int_equal(r.scalar.i, 0);
    r = eval_both("count() == 0 or max(a) > 0", &c, 1, 0);
    assert_false(r.is_null);
    assert_int_equal(r.scalar.i, 1);
    r = eval_both("if(count() > 0, avg(a), 1.0)", &c, 1, 0);
    assert_false(r.is_null);
    assert_bits(1.0, r.scalar.f);
    r = eval_both("false and max(a) > 0", &c, 1, 0);
    assert_false(r.is_null);
    assert_int_equal(r.scalar.i, 0);
    r = eval_both("if(false, avg(a), 1.0)", &c, 1, 0);
    assert_false(r.is_null);
    assert_bits(1.0, r.scalar.f);
    /* the left side decides first: null on the left is null */
    r = eval_both("max(a) > 0 and false", &c, 1, 0);
    assert_true(r.is_null);
    r = eval_both("max(a) > 0 or true", &c, 1, 0);
    assert_true(r.is_null);
}

static void null_flows_through_everything(void **state)
{
    (void)state;
    double a[1] = {0};
    int64_t i[1] = {0};
    jc_column c[] = {col_f64("a", a, 0), col_i64("i", i, 0)};
    static const struct { const char *e; jc_type t; } nulls[] = {
        {"avg(a) + 1", JC_F64}, {"max(a) > 0", JC_BOOL}, {"if(max(a) > 0, 1, 2)", JC_I64},
        {"min(a) + sum(a)", JC_F64}, {"avg(a - avg(a))", JC_F64}, {"-min(i)", JC_I64},
        {"int(avg(a))", JC_I64}, {"max(i) // 0", JC_I64}, {"sqrt(avg(a))", JC_F64},
        {"isnan(avg(a))", JC_BOOL}, {"not (max(a) > 0)", JC_BOOL},
        {"least(min(i), 3)", JC_I64}, {"round(avg(a), 2)", JC_F64},
        {"if(true, avg(a), 1.0)", JC_F64}, {"avg(i)", JC_F64},
    };
    for (size_t k = 0; k < sizeof nulls / sizeof nulls[0]; k++) {
        drv_result r = eval_both(nulls[k].e, c, 2, 0);
        if (r.rc != 0 || !r.is_null || r.is_column || r.type != nulls[k].t)
            fail_msg("`%s`: rc %d (%s), null %d, type %d", nulls[k].e, r.rc,
                     r.err.message, r.is_null, r.type);
    }
    /* sum and count of zero rows are 0, not null */
    drv_result r = eval_both("sum(a)", c, 2, 0);
    assert_false(r.is_null);
    assert_bits(0.0, r.scalar.f);
    r = eval_both("sum(i) + count()", c, 2, 0);
    assert_false(r.is_null);
    assert_int_equal(r.scalar.i, 0);
    r = eval_both("if(count() == 0, 5, max(i))", c, 2, 0);
    assert_false(r.is_null);
    assert_int_equal(r.scalar.i, 5);
    /* a row-wise result over zero rows is an empty column */
    r = eval_both("a + avg(a)", c, 2, 0);
    assert_int_equal(r.rc, 0);
    assert_true(r.is_column);
    assert_int_equal(r.rows, 0);
    drv_result_free(&r);
}

static void aggregate_fault_used_before_a_rowwise_fault(void **state)
{
    (void)state;
    /* The aggregate pass runs first; its fault is raised at the first row
     * that reads it, with the aggregate's own row (docs: interp/README). */
    int64_t a[] = {1, 2, 3, 4}, b[] = {1, 1, 1, 0}, d[] = {1, 1, 0, 1};
    jc_column c[] = {col_i64("a", a, 4), col_i64("b", b, 4), col_i64("d", d, 4)};
    int64_t row;
    assert_int_equal(JC_DIVISION_BY_ZERO, error_of("a // d + sum(a // b)", c, 3, 4, &row));
    assert_int_equal(row, 3);
    assert_int_equal(JC_DIVISION_BY_ZERO, error_of("sum(a // b) + a // d", c, 3, 4, &row));
    assert_int_equal(row, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(if_hides_faults_of_the_branch_not_taken),
        cmocka_unit_test(and_or_hide_faults_of_their_right_side),
        cmocka_unit_test(the_first_fault_in_row_order_is_reported),
        cmocka_unit_test(an_aggregate_in_a_branch_not_taken_does_not_fault),
        cmocka_unit_test(exact_i64_sum_faults_only_when_the_total_overflows),
        cmocka_unit_test(false_and_null_is_false),
        cmocka_unit_test(null_flows_through_everything),
        cmocka_unit_test(aggregate_fault_used_before_a_rowwise_fault),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
