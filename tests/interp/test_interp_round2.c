/* test_interp_round2.c — round(x, d) (issue 13): 10^|d| is the correctly
 * rounded power of ten, an overflowing x * 10^d gives x, d < -308 gives a
 * zero with x's sign, NaN and ±Infinity come back unchanged. */
#include <mpfr.h>

#include "interp/numeric.h"
#include "opcheck.h"

static const double NaN = __builtin_nan(""), Inf = __builtin_inf();

typedef struct fd { double x; int64_t d; double want; } fd;

static void check_fd(const fd *c, size_t n)
{
    cv *x = calloc(n, sizeof *x), *d = calloc(n, sizeof *d), *w = calloc(n, sizeof *w);
    for (size_t i = 0; i < n; i++) {
        x[i].f = c[i].x;
        d[i].i = c[i].d;
        w[i].f = c[i].want;
    }
    check_cases("round(xx, yy)", JC_F64, x, JC_I64, d, JC_F64, w, n);
    free(x);
    free(d);
    free(w);
}

static void rounds_at_a_power_of_ten_half_away_from_zero(void **state)
{
    (void)state;
    static const fd c[] = {
        {0.125, 2, 0.13}, {-0.125, 2, -0.13}, {1234.5678, -2, 1200.0},
        {1250.0, -2, 1300.0}, {-1250.0, -2, -1300.0}, {2.25, 1, 2.3},
        {1.45, 1, 1.5}, {123.456, 1, 123.5}, {-123.456, -1, -120.0},
        {2.5, 0, 3.0}, {-2.5, 0, -3.0}, {5e307, -308, 1e308},
        /* binary fractions: the product is what f64 gives */
        {1.005, 2, 1.0}, {2.675, 2, 2.68}, {0.285, 2, 0.28},
    };
    check_fd(c, NCASES(c));
}

static void overflowing_product_returns_x(void **state)
{
    (void)state;
    static const fd c[] = {
        {1e300, 10, 1e300}, {-1e300, 10, -1e300}, {123.456, 308, 123.456},
        {1.5, 309, 1.5}, {1.5, 400, 1.5}, {-1.5, INT64_MAX, -1.5},
        /* a zero times an infinite power is still that zero */
        {0.0, 400, 0.0}, {-0.0, 400, -0.0}, {1e-300, 308, 1e-300},
        {1e-320, 5, 0.0},
    };
    check_fd(c, NCASES(c));
}

static void very_negative_digits_give_a_signed_zero(void **state)
{
    (void)state;
    static const fd c[] = {
        {5.5, -309, 0.0}, {-5.5, -309, -0.0}, {5.5, -400, 0.0},
        {-5.5, INT64_MIN, -0.0}, {1e308, -309, 0.0}, {-0.0, -5, -0.0},
        {4.9, -1, 0.0}, {-4.9, -1, -0.0},
        /* d = -308 is still a real rounding: 1.79e308 rounds up past the
         * largest double */
        {1.7976931348623157e308, -308, Inf},
    };
    check_fd(c, NCASES(c));
}

static void nan_and_infinities_are_unchanged(void **state)
{
    (void)state;
    static const fd c[] = {
        {NaN, 2, NaN}, {Inf, 2, Inf}, {-Inf, -2, -Inf}, {Inf, -400, Inf},
        {NaN, -400, NaN}, {-Inf, 400, -Inf},
    };
    check_fd(c, NCASES(c));
}

static void digits_may_be_a_bool_or_a_column(void **state)
{
    (void)state;
    assert_bits(2.3, f64_of("round(2.25, true)"));
    assert_bits(2.0, f64_of("round(2.25, false)"));
    assert_bits(20.0, f64_of("round(15, -1)"));
    double x[] = {3.14159, 3.14159, 3.14159, 3.14159};
    int64_t d[] = {0, 1, 2, -1};
    jc_column cols[] = {col_f64("x", x, 4), col_i64("d", d, 4)};
    drv_result r = eval_both("round(x, d)", cols, 2, 4);
    assert_int_equal(r.rc, 0);
    const double *v = r.values;
    assert_bits(3.0, v[0]);
    assert_bits(3.1, v[1]);
    assert_bits(3.14, v[2]);
    assert_bits(0.0, v[3]);
    drv_result_free(&r);
}

static void power_table_is_correctly_rounded(void **state)
{
    (void)state;
    mpfr_t p;
    mpfr_init2(p, 53);
    for (int k = 0; k <= NUM_POW10_MAX; k++) {
        mpfr_ui_pow_ui(p, 10, (unsigned long)k, MPFR_RNDN);
        double want = mpfr_get_d(p, MPFR_RNDN);
        if (num_bits(want) != num_bits(num_pow10[k]))
            fail_msg("10^%d: table %a, correctly rounded %a", k, num_pow10[k], want);
    }
    mpfr_clear(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rounds_at_a_power_of_ten_half_away_from_zero),
        cmocka_unit_test(overflowing_product_returns_x),
        cmocka_unit_test(very_negative_digits_give_a_signed_zero),
        cmocka_unit_test(nan_and_infinities_are_unchanged),
        cmocka_unit_test(digits_may_be_a_bool_or_a_column),
        cmocka_unit_test(power_table_is_correctly_rounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
