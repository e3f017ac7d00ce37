/* test_interp_f64.c — f64 operators and exact functions: NaN, ±Infinity,
 * -0.0, and the language's rules for //, %, sign, least/greatest, round. */
#include "opcheck.h"

static const double NaN = __builtin_nan(""), Inf = __builtin_inf();

static void add_sub_mul_follow_ieee(void **state)
{
    (void)state;
    static const ff add[] = {
        {1, 2, 3}, {-0.0, -0.0, -0.0}, {-0.0, 0.0, 0.0}, {Inf, -Inf, NaN},
        {Inf, 1, Inf}, {NaN, 1, NaN}, {1e308, 1e308, Inf}, {0.1, 0.2, 0.1 + 0.2},
    };
    check_ff("xx + yy", add, NCASES(add), 1);
    static const ff sub[] = {
        {1, 2, -1}, {0.0, 0.0, 0.0}, {-0.0, 0.0, -0.0}, {Inf, Inf, NaN}, {NaN, NaN, NaN},
    };
    check_ff("xx - yy", sub, NCASES(sub), 1);
    static const ff mul[] = {
        {3, 4, 12}, {-0.0, 5, -0.0}, {0.0, -5, -0.0}, {Inf, 0, NaN}, {-Inf, -2, Inf},
        {1e200, 1e200, Inf}, {1e-200, 1e-200, 0.0}, {-1e-200, 1e-200, -0.0},
    };
    check_ff("xx * yy", mul, NCASES(mul), 1);
    static const ff neg[] = {{1, 0, -1}, {0.0, 0, -0.0}, {-0.0, 0, 0.0}, {-Inf, 0, Inf}, {NaN, 0, NaN}};
    check_ff("-xx", neg, NCASES(neg), 0);
}

static void division_is_ieee(void **state)
{
    (void)state;
    static const ff div[] = {
        {1, 0.0, Inf}, {-1, 0.0, -Inf}, {1, -0.0, -Inf}, {0.0, 0.0, NaN},
        {Inf, Inf, NaN}, {1, Inf, 0.0}, {-1, Inf, -0.0}, {7, 2, 3.5}, {1, 3, 1.0 / 3},
    };
    check_ff("xx / yy", div, NCASES(div), 1);
}

static void floor_division_of_f64_is_floor_of_quotient(void **state)
{
    (void)state;
    static const ff c[] = {
        {7, 2, 3}, {-7, 2, -4}, {7, -2, -4}, {-7, -2, 3}, {7.5, -2, -4},
        {1, 0.0, Inf}, {-1, 0.0, -Inf}, {0.0, 0.0, NaN}, {-0.0, 5, -0.0},
        {0.0, -5, -0.0}, {Inf, 2, Inf}, {NaN, 2, NaN}, {6, 3, 2}, {-6, 3, -2},
    };
    check_ff("xx // yy", c, NCASES(c), 1);
}

static void modulo_of_f64_has_the_divisors_sign(void **state)
{
    (void)state;
    static const ff c[] = {
        {7, 3, 1}, {-7, 3, 2}, {7, -3, -2}, {-7, -3, -1}, {5.5, 2, 1.5},
        {-5.5, 2, 0.5}, {6, -3, -0.0}, {-6, 3, 0.0}, {0.0, -3, -0.0},
        {-0.0, 3, 0.0}, {5, 0.0, NaN}, {5, -0.0, NaN}, {Inf, 3, NaN},
        {NaN, 3, NaN}, {1, Inf, 1}, {-1, Inf, Inf}, {1, -Inf, -Inf}, {-1, -Inf, -1},
        {0.0, Inf, 0.0},
    };
    check_ff("xx % yy", c, NCASES(c), 1);
}

static void fmod_is_c_fmod(void **state)
{
    (void)state;
    const ff c[] = { /* not static: fmod() below is not a constant */
        {-7, 3, -1}, {7, -3, 1}, {-0.0, 3, -0.0}, {5, 0.0, NaN}, {Inf, 1, NaN},
        {1, Inf, 1}, {5.5, 2, 1.5}, {1e300, 3, fmod(1e300, 3)},
    };
    check_ff("fmod(xx, yy)", c, NCASES(c), 1);
}

static void comparisons_with_nan_are_false_except_ne(void **state)
{
    (void)state;
    double x[] = {NaN, 1, NaN, -0.0, Inf, 2};
    double y[] = {NaN, NaN, 1, 0.0, Inf, 1};
    static const char *ops[] = {"==", "!=", "<", "<=", ">", ">="};
    static const uint8_t want[6][6] = {
        /* NaN,NaN  1,NaN  NaN,1  -0,0  Inf,Inf  2,1 */
        {0, 0, 0, 1, 1, 0}, /* == */
        {1, 1, 1, 0, 0, 1}, /* != */
        {0, 0, 0, 0, 0, 0}, /* <  */
        {0, 0, 0, 1, 1, 0}, /* <= */
        {0, 0, 0, 0, 0, 1}, /* >  */
        {0, 0, 0, 1, 1, 1}, /* >= */
    };
    for (int o = 0; o < 6; o++) {
        cv xs[6], ys[6], w[6];
        for (int i = 0; i < 6; i++) {
            xs[i].f = x[i];
            ys[i].f = y[i];
            w[i].i = want[o][i];
        }
        char expr[32];
        snprintf(expr, sizeof expr, "xx %s yy", ops[o]);
        check_cases(expr, JC_F64, xs, JC_F64, ys, JC_BOOL, w, 6);
    }
}

static void least_and_greatest_order_zeros_and_propagate_nan(void **state)
{
    (void)state;
    static const ff least[] = {
        {1, 2, 1}, {2, 1, 1}, {-0.0, 0.0, -0.0}, {0.0, -0.0, -0.0}, {0.0, 0.0, 0.0},
        {NaN, 1, NaN}, {1, NaN, NaN}, {-Inf, NaN, NaN}, {-Inf, 5, -Inf},
    };
    check_ff("least(xx, yy)", least, NCASES(least), 1);
    static const ff greatest[] = {
        {1, 2, 2}, {2, 1, 2}, {-0.0, 0.0, 0.0}, {0.0, -0.0, 0.0}, {-0.0, -0.0, -0.0},
        {NaN, 1, NaN}, {1, NaN, NaN}, {Inf, NaN, NaN}, {Inf, 5, Inf},
    };
    check_ff("greatest(xx, yy)", greatest, NCASES(greatest), 1);
    /* n-ary and clamp fold left through the same rule */
    assert_bits(-0.0, f64_of("least(0.0, 1.0, -0.0)"));
    assert_bits(3.0, f64_of("clamp(7.0, 1, 3)"));
    assert_bits(1.0, f64_of("clamp(-7.0, 1, 3)"));
    assert_true(isnan(f64_of("clamp(0.0/0.0, 1, 3)")));
}

static void sign_keeps_zeros_and_nan(void **state)
{
    (void)state;
    static const ff c[] = {
        {-3, 0, -1}, {3, 0, 1}, {0.0, 0, 0.0}, {-0.0, 0, -0.0}, {NaN, 0, NaN},
        {-Inf, 0, -1}, {Inf, 0, 1}, {4.9e-324, 0, 1}, {-4.9e-324, 0, -1},
    };
    check_ff("sign(xx)", c, NCASES(c), 0);
}

static void abs_and_sqrt(void **state)
{
    (void)state;
    static const ff a[] = {{-3, 0, 3}, {-0.0, 0, 0.0}, {-Inf, 0, Inf}, {NaN, 0, NaN}};
    check_ff("abs(xx)", a, NCASES(a), 0);
    static const ff s[] = {
        {4, 0, 2}, {-1, 0, NaN}, {-0.0, 0, -0.0}, {Inf, 0, Inf}, {2, 0, 1.4142135623730951},
    };
    check_ff("sqrt(xx)", s, NCASES(s), 0);
}

static void floor_ceil_trunc_are_exact(void **state)
{
    (void)state;
    static const ff fl[] = {{1.5, 0, 1}, {-1.5, 0, -2}, {-0.0, 0, -0.0}, {-0.5, 0, -1}, {Inf, 0, Inf}, {NaN, 0, NaN}, {4503599627370497.0, 0, 4503599627370497.0}};
    check_ff("floor(xx)", fl, NCASES(fl), 0);
    static const ff ce[] = {{1.5, 0, 2}, {-1.5, 0, -1}, {-0.5, 0, -0.0}, {0.5, 0, 1}, {-Inf, 0, -Inf}};
    check_ff("ceil(xx)", ce, NCASES(ce), 0);
    static const ff tr[] = {{1.9, 0, 1}, {-1.9, 0, -1}, {-0.5, 0, -0.0}, {NaN, 0, NaN}};
    check_ff("trunc(xx)", tr, NCASES(tr), 0);
}

static void round_halves_go_away_from_zero(void **state)
{
    (void)state;
    static const ff c[] = {
        {0.5, 0, 1}, {-0.5, 0, -1}, {1.5, 0, 2}, {2.5, 0, 3}, {-2.5, 0, -3},
        {0.49999999999999994, 0, 0.0}, {-0.4, 0, -0.0}, {-0.0, 0, -0.0},
        {4503599627370497.0, 0, 4503599627370497.0}, {1e300, 0, 1e300},
        {Inf, 0, Inf}, {NaN, 0, NaN},
    };
    check_ff("round(xx)", c, NCASES(c), 0);
}

static void predicates_classify_values(void **state)
{
    (void)state;
    double x[] = {NaN, Inf, -Inf, 0.0, -0.0, 4.9e-324, 1e308, -NaN};
    static const uint8_t want[3][8] = {
        {1, 0, 0, 0, 0, 0, 0, 1}, /* isnan */
        {0, 1, 1, 0, 0, 0, 0, 0}, /* isinf */
        {0, 0, 0, 1, 1, 1, 1, 0}, /* isfinite */
    };
    static const char *fn[] = {"isnan(xx)", "isinf(xx)", "isfinite(xx)"};
    for (int f = 0; f < 3; f++) {
        cv xs[8], w[8];
        for (int i = 0; i < 8; i++) {
            xs[i].f = x[i];
            w[i].i = want[f][i];
        }
        check_cases(fn[f], JC_F64, xs, JC_F64, NULL, JC_BOOL, w, 8);
    }
}

static void every_stored_nan_is_canonical(void **state)
{
    (void)state;
    /* a negative NaN and one with a payload, passed through */
    double x[3] = {num_from_bits(UINT64_C(0xFFF8000000000000)),
                   num_from_bits(UINT64_C(0x7FF0000000000123)),
                   num_from_bits(UINT64_C(0xFFF4000000000001))};
    jc_column c = col_f64("a", x, 3);
    static const char *exprs[] = {"a", "a + 1", "-a", "abs(a)", "sign(a)", "a * 0", "exp(a)"};
    for (size_t e = 0; e < NCASES(exprs); e++) {
        drv_result r = eval_both(exprs[e], &c, 1, 3);
        assert_int_equal(r.rc, 0);
        for (int i = 0; i < 3; i++)
            assert_int_equal(num_bits(((double *)r.values)[i]), NUM_CANON_NAN_BITS);
        drv_result_free(&r);
    }
    drv_result r = eval_both("sum(a)", &c, 1, 3);
    assert_int_equal(num_bits(r.scalar.f), NUM_CANON_NAN_BITS);
    r = eval_both("max(a)", &c, 1, 3);
    assert_int_equal(num_bits(r.scalar.f), NUM_CANON_NAN_BITS);
    assert_int_equal(num_bits(f64_of("-(0.0/0.0)")), NUM_CANON_NAN_BITS);
    assert_int_equal(num_bits(f64_of("(1.0/0.0) - (1.0/0.0)")), NUM_CANON_NAN_BITS);
}

static void transcendental_special_values(void **state)
{
    (void)state;
    assert_bits(1.0, f64_of("exp(0.0)"));
    assert_bits(0.0, f64_of("ln(1.0)"));
    assert_bits(-Inf, f64_of("ln(0.0)"));
    assert_true(isnan(f64_of("ln(-1.0)")));
    assert_bits(-0.0, f64_of("sin(-0.0)"));
    assert_bits(-2.0, f64_of("cbrt(-8.0)"));
    assert_bits(3.0, f64_of("log10(1000.0)"));
    assert_bits(10.0, f64_of("log2(1024.0)"));
    assert_bits(Inf, f64_of("hypot(1.0/0.0, 0.0/0.0)"));
    assert_bits(1.0, f64_of("pow(0.0/0.0, 0.0)"));
    assert_bits(Inf, f64_of("0.0 ^ -1"));
    assert_true(isnan(f64_of("(-8.0) ^ (1.0/3)")));
    assert_bits(0.5, f64_of("2 ^ -1"));
    assert_bits(512.0, f64_of("2^3^2"));
    assert_bits(4.0, f64_of("-2^2"));
    assert_bits(f64_of("atan(1.0) * 4"), f64_of("atan2(0.0, -1.0)"));
    assert_bits(0.0, f64_of("expm1(0.0)"));
    assert_bits(-0.0, f64_of("log1p(-0.0)"));
    assert_bits(Inf, f64_of("cosh(1000.0)"));
    assert_bits(1.0, f64_of("tanh(1000.0)"));
    assert_true(isnan(f64_of("asin(2.0)")));
    /* log is base 10, e() and pi() are the correctly rounded constants */
    assert_bits(2.0, f64_of("log(100.0)"));
    assert_bits(3.141592653589793, f64_of("pi()"));
    assert_bits(2.718281828459045, f64_of("e()"));
}

static void conversions_round_to_nearest(void **state)
{
    (void)state;
    assert_bits(9007199254740992.0, f64_of("float(9007199254740993)"));
    assert_bits(-9223372036854775808.0, f64_of("float(-9223372036854775807 - 1)"));
    assert_bits(1.0, f64_of("float(true)"));
    assert_bits(1.0, f64_of("sqrt(true)"));
    assert_bits(3.5, f64_of("1 + 2.5"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(add_sub_mul_follow_ieee),
        cmocka_unit_test(division_is_ieee),
        cmocka_unit_test(floor_division_of_f64_is_floor_of_quotient),
        cmocka_unit_test(modulo_of_f64_has_the_divisors_sign),
        cmocka_unit_test(fmod_is_c_fmod),
        cmocka_unit_test(comparisons_with_nan_are_false_except_ne),
        cmocka_unit_test(least_and_greatest_order_zeros_and_propagate_nan),
        cmocka_unit_test(sign_keeps_zeros_and_nan),
        cmocka_unit_test(abs_and_sqrt),
        cmocka_unit_test(floor_ceil_trunc_are_exact),
        cmocka_unit_test(round_halves_go_away_from_zero),
        cmocka_unit_test(predicates_classify_values),
        cmocka_unit_test(every_stored_nan_is_canonical),
        cmocka_unit_test(transcendental_special_values),
        cmocka_unit_test(conversions_round_to_nearest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
