/* test_interp_i64.c — i64 arithmetic: limits, overflow faults, floored
 * // and %, division by zero, int() casts, and bools counted as 0/1. */
#include "opcheck.h"

#define MAX INT64_MAX
#define MIN INT64_MIN

static jc_code fault_ii(const char *expr, int64_t x, int64_t y)
{
    return fault_of(expr, JC_I64, (cv){.i = x}, (cv){.i = y});
}

static void arithmetic_at_the_limits_is_exact(void **state)
{
    (void)state;
    static const ii add[] = {{MAX, 0, MAX}, {MAX, MIN, -1}, {MIN, 0, MIN}, {-5, 3, -2}, {MAX - 1, 1, MAX}};
    check_ii("xx + yy", add, NCASES(add), 1);
    static const ii sub[] = {{MIN, -1, MIN + 1}, {0, MAX, -MAX}, {-1, MAX, MIN}, {5, 7, -2}};
    check_ii("xx - yy", sub, NCASES(sub), 1);
    static const ii mul[] = {{MIN, 1, MIN}, {MAX, -1, -MAX}, {3037000499, 3037000499, 9223372030926249001}, {-4, 5, -20}, {MIN / 2, 2, MIN}};
    check_ii("xx * yy", mul, NCASES(mul), 1);
    static const ii neg[] = {{MAX, 0, -MAX}, {0, 0, 0}, {-7, 0, 7}};
    check_ii("-xx", neg, NCASES(neg), 0);
    static const ii abs_[] = {{MAX, 0, MAX}, {-MAX, 0, MAX}, {0, 0, 0}, {-7, 0, 7}};
    check_ii("abs(xx)", abs_, NCASES(abs_), 0);
    static const ii sign[] = {{MAX, 0, 1}, {MIN, 0, -1}, {0, 0, 0}, {-7, 0, -1}};
    check_ii("sign(xx)", sign, NCASES(sign), 0);
    static const ii least[] = {{MAX, MIN, MIN}, {3, 2, 2}, {-1, -1, -1}};
    check_ii("least(xx, yy)", least, NCASES(least), 1);
    static const ii greatest[] = {{MAX, MIN, MAX}, {3, 2, 3}};
    check_ii("greatest(xx, yy)", greatest, NCASES(greatest), 1);
}

static void overflow_is_a_fault_never_a_wrap(void **state)
{
    (void)state;
    assert_int_equal(JC_INTEGER_OVERFLOW, fault_ii("xx + yy", MAX, 1));
    assert_int_equal(JC_INTEGER_OVERFLOW, fault_ii("xx + yy", MIN, -1));
    assert_int_equal(JC_INTEGER_OVERFLOW, fault_ii("xx - yy", MIN, 1));
    assert_int_equal(JC_INTEGER_OVERFLOW, fault_ii("xx - yy", 0, MIN));
    assert_int_equal(JC_INTEGER_OVERFLOW, fault_ii("xx * yy", MIN, -1));
    assert_int_equal(JC_INTEGER_OVERFLOW, fault_ii("xx * yy", 3037000500, 3037000500));
    assert_int_equal(JC_INTEGER_OVERFLOW, fault_ii("-xx", MIN, 0));
    assert_int_equal(JC_INTEGER_OVERFLOW, fault_ii("abs(xx)", MIN, 0));
    assert_int_equal(JC_INTEGER_OVERFLOW, fault_ii("xx // yy", MIN, -1));
}

static void floored_division_and_modulo(void **state)
{
    (void)state;
    static const ii idiv[] = {
        {7, 2, 3}, {-7, 2, -4}, {7, -2, -4}, {-7, -2, 3}, {6, 3, 2}, {-6, 3, -2},
        {0, -5, 0}, {MIN, 1, MIN}, {MIN, 2, MIN / 2}, {MAX, -1, -MAX}, {MIN, MAX, -2},
        {MAX, MIN, -1}, {-1, MAX, -1},
    };
    check_ii("xx // yy", idiv, NCASES(idiv), 1);
    static const ii mod[] = {
        {7, 2, 1}, {-7, 2, 1}, {7, -2, -1}, {-7, -2, -1}, {6, -3, 0}, {-6, 3, 0},
        {MIN, -1, 0}, {MAX, -1, 0}, {MIN, MAX, MAX - 1}, {MAX, MIN, -1}, {-1, MAX, MAX - 1},
        {5, 1, 0},
    };
    check_ii("xx % yy", mod, NCASES(mod), 1);
}

static void floored_identity_holds_on_random_values(void **state)
{
    (void)state;
    enum { N = 5000 };
    static int64_t a[N], b[N];
    uint64_t s = 0x9E3779B97F4A7C15u;
    for (int i = 0; i < N; i++) {
        s = s * 6364136223846793005u + 1442695040888963407u;
        a[i] = (int64_t)s >> (s % 60);
        s = s * 6364136223846793005u + 1442695040888963407u;
        b[i] = (int64_t)s >> (s % 62 + 1);
        if (b[i] == 0 || (a[i] == MIN && b[i] == -1))
            b[i] = 3;
    }
    jc_column c[] = {col_i64("a", a, N), col_i64("b", b, N)};
    drv_result q = eval_both("a // b", c, 2, N), r = eval_both("a % b", c, 2, N);
    assert_int_equal(q.rc, 0);
    assert_int_equal(r.rc, 0);
    for (int i = 0; i < N; i++) {
        int64_t qi = ((int64_t *)q.values)[i], ri = ((int64_t *)r.values)[i];
        /* a == q*b + r exactly (in 128 bits), and r has b's sign, |r| < |b| */
        assert_true((__int128)qi * b[i] + ri == a[i]);
        assert_true(ri == 0 || (ri < 0) == (b[i] < 0));
        assert_true((__int128)(ri < 0 ? -(__int128)ri : ri) <
                    (b[i] < 0 ? -(__int128)b[i] : b[i]));
    }
    drv_result_free(&q);
    drv_result_free(&r);
}

static void integer_division_by_zero_faults(void **state)
{
    (void)state;
    assert_int_equal(JC_DIVISION_BY_ZERO, fault_ii("xx // yy", 7, 0));
    assert_int_equal(JC_DIVISION_BY_ZERO, fault_ii("xx % yy", 7, 0));
    assert_int_equal(JC_DIVISION_BY_ZERO, fault_ii("xx % yy", MIN, 0));
    assert_int_equal(JC_DIVISION_BY_ZERO, fault_ii("xx // yy", 0, 0));
    /* true division is f64 even on integers */
    assert_true(isinf(f64_of("7 / 0")));
}

static void int_cast_truncates_and_checks_the_range(void **state)
{
    (void)state;
    double x[] = {2.9, -2.9, -0.0, -9223372036854775808.0, 9223372036854774784.0, 0.5};
    int64_t want[] = {2, -2, 0, MIN, 9223372036854774784, 0};
    cv xs[6], w[6];
    for (int i = 0; i < 6; i++) {
        xs[i].f = x[i];
        w[i].i = want[i];
    }
    check_cases("int(xx)", JC_F64, xs, JC_F64, NULL, JC_I64, w, 6);
    double bad[] = {__builtin_nan(""), __builtin_inf(), -__builtin_inf(),
                    9223372036854775808.0, -9223372036854777856.0, 1e300};
    for (int i = 0; i < 6; i++)
        assert_int_equal(JC_INVALID_CAST,
                         fault_of("int(xx)", JC_F64, (cv){.f = bad[i]}, (cv){0}));
}

static void bools_count_as_zero_and_one(void **state)
{
    (void)state;
    assert_int_equal(2, i64_of("true + true"));
    assert_int_equal(-1, i64_of("-true"));
    assert_int_equal(1, i64_of("int(true)"));
    assert_int_equal(0, i64_of("abs(false)"));
    assert_int_equal(1, i64_of("least(true, 2)"));
    assert_int_equal(1, i64_of("sign(true)"));
    assert_int_equal(1, i64_of("round(true)"));
    assert_int_equal(3, i64_of("true * 3"));
    uint8_t b[] = {1, 0, 1, 1};
    jc_column c = col_bool("b", b, 4);
    drv_result r = eval_both("b + 1", &c, 1, 4);
    assert_int_equal(r.type, JC_I64);
    assert_int_equal(((int64_t *)r.values)[0], 2);
    assert_int_equal(((int64_t *)r.values)[1], 1);
    drv_result_free(&r);
    r = eval_both("sum(b)", &c, 1, 4);
    assert_int_equal(r.type, JC_I64);
    assert_int_equal(r.scalar.i, 3);
    r = eval_both("avg(b)", &c, 1, 4);
    assert_bits(0.75, r.scalar.f);
    r = eval_both("max(b)", &c, 1, 4);
    assert_int_equal(r.type, JC_I64);
    assert_int_equal(r.scalar.i, 1);
}

static void bool_operators(void **state)
{
    (void)state;
    uint8_t x[] = {0, 0, 1, 1}, y[] = {0, 1, 0, 1};
    static const struct { const char *e; uint8_t w[4]; } c[] = {
        {"xx and yy", {0, 0, 0, 1}}, {"xx or yy", {0, 1, 1, 1}},
        {"not xx", {1, 1, 0, 0}}, {"xx == yy", {1, 0, 0, 1}},
        {"xx != yy", {0, 1, 1, 0}}, {"if(xx, yy, not yy)", {1, 0, 0, 1}},
    };
    for (size_t k = 0; k < NCASES(c); k++) {
        cv xs[4], ys[4], w[4];
        for (int i = 0; i < 4; i++) {
            xs[i].i = x[i];
            ys[i].i = y[i];
            w[i].i = c[k].w[i];
        }
        check_cases(c[k].e, JC_BOOL, xs, JC_BOOL, ys, JC_BOOL, w, 4);
    }
}

/* The API says bool bytes are 0 or 1; any other byte is read as true by
 * both paths alike, and results are always 0 or 1. */
static void bool_bytes_other_than_one_count_as_true(void **state)
{
    (void)state;
    uint8_t p[] = {2, 255, 0, 1, 128}, q[] = {1, 3, 0, 0, 2};
    jc_column c[] = {col_bool("p", p, 5), col_bool("q", q, 5)};
    static const struct { const char *e; uint8_t w[5]; } t[] = {
        {"p", {1, 1, 0, 1, 1}}, {"not p", {0, 0, 1, 0, 0}}, {"p and q", {1, 1, 0, 0, 1}},
        {"p == q", {1, 1, 1, 0, 1}}, {"if(q, p, false)", {1, 1, 0, 0, 1}},
        {"p or false", {1, 1, 0, 1, 1}},
    };
    for (size_t k = 0; k < NCASES(t); k++) {
        drv_result r = eval_both(t[k].e, c, 2, 5);
        assert_int_equal(r.rc, 0);
        if (memcmp(r.values, t[k].w, 5) != 0)
            fail_msg("`%s`", t[k].e);
        drv_result_free(&r);
    }
    drv_result r = eval_both("sum(p) + int(q)", c, 2, 5);
    assert_int_equal(((int64_t *)r.values)[0], 4 + 1);
    drv_result_free(&r);

    /* aggregates count bool bytes in words of eight, 255 words at a time:
     * lengths around those edges, any byte values */
    enum { N = 20000 };
    static uint8_t big[N];
    uint64_t x = 88172645463325252u;
    for (size_t i = 0; i < N; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        big[i] = (uint8_t)(x % 3 ? x >> 24 : 0);
    }
    static const size_t lens[] = {1, 7, 8, 9, 2039, 2040, 2041, 2047, 4081, N};
    for (size_t k = 0; k < NCASES(lens); k++) {
        int64_t want = 0, lo = 1, hi = 0;
        for (size_t i = 0; i < lens[k]; i++) {
            want += big[i] != 0;
            lo = big[i] ? lo : 0;
            hi = big[i] ? 1 : hi;
        }
        jc_column b = col_bool("b", big, lens[k]);
        r = eval_both("sum(b)", &b, 1, lens[k]);
        assert_int_equal(r.scalar.i, want);
        r = eval_both("min(b)", &b, 1, lens[k]);
        assert_int_equal(r.scalar.i, lo);
        r = eval_both("max(b)", &b, 1, lens[k]);
        assert_int_equal(r.scalar.i, hi);
        r = eval_both("sum(b or b)", &b, 1, lens[k]);
        assert_int_equal(r.scalar.i, want);
    }
}

static void mixed_i64_and_f64_compare_as_f64(void **state)
{
    (void)state;
    /* 2^53 + 1 as i64 becomes 2^53 as f64 */
    assert_true(bool_of("9007199254740993 == 9007199254740992.0"));
    assert_true(bool_of("1 < 1.5"));
    assert_false(bool_of("1 > 0.0/0.0"));
    int64_t a[] = {1, 2, 3};
    double b[] = {1.0, 2.5, 2.0};
    jc_column c[] = {col_i64("a", a, 3), col_f64("b", b, 3)};
    drv_result r = eval_both("a >= b", c, 2, 3);
    assert_memory_equal(r.values, ((uint8_t[]){1, 0, 1}), 3);
    drv_result_free(&r);
    r = eval_both("if(a > 1, a, b)", c, 2, 3);
    assert_int_equal(r.type, JC_F64);
    assert_bits(3.0, ((double *)r.values)[2]);
    drv_result_free(&r);
}

static void integer_results_keep_their_type(void **state)
{
    (void)state;
    assert_int_equal(5, i64_of("floor(5)"));
    assert_int_equal(-5, i64_of("ceil(-5)"));
    assert_int_equal(7, i64_of("trunc(7)"));
    assert_int_equal(7, i64_of("round(7)"));
    assert_int_equal(-9223372036854775807 - 1, i64_of("-9223372036854775807 - 1"));
    /* the literal 9223372036854775808 is f64 */
    assert_bits(-9223372036854775808.0, f64_of("-9223372036854775808"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(arithmetic_at_the_limits_is_exact),
        cmocka_unit_test(overflow_is_a_fault_never_a_wrap),
        cmocka_unit_test(floored_division_and_modulo),
        cmocka_unit_test(floored_identity_holds_on_random_values),
        cmocka_unit_test(integer_division_by_zero_faults),
        cmocka_unit_test(int_cast_truncates_and_checks_the_range),
        cmocka_unit_test(bools_count_as_zero_and_one),
        cmocka_unit_test(bool_operators),
        cmocka_unit_test(bool_bytes_other_than_one_count_as_true),
        cmocka_unit_test(mixed_i64_and_f64_compare_as_f64),
        cmocka_unit_test(integer_results_keep_their_type),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
