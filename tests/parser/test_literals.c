/* test_literals.c — every literal form, its type and value, and every
 * malformed number. */
#include "helpers.h"

#include <math.h>
#include <stdlib.h>

/* Parses text, which must be one literal; returns its constant. */
static jc_const literal(const char *text)
{
    jc_tree t;
    jc_error err = {0};
    if (parse_expression(&t, text, strlen(text), NULL, &err) < 0) {
        print_error("%s: %s\n", text, err.message);
        fail();
    }
    assert_int_equal(t.nnodes, 1);
    assert_int_equal(t.nodes[0].op, OP_CONST);
    jc_const k = t.consts[t.nodes[0].slot];
    tree_free(&t);
    return k;
}

static void check_i64(const char *text, int64_t want)
{
    jc_const k = literal(text);
    assert_int_equal(k.type, JC_I64);
    assert_int_equal(k.value.i, want);
}

static void check_f64(const char *text, double want)
{
    jc_const k = literal(text);
    assert_int_equal(k.type, JC_F64);
    jc_value w = {.f = want};
    if (k.value.bits != w.bits) {
        print_error("%s: got %.17g, want %.17g\n", text, k.value.f, want);
        fail();
    }
}

static void integers_are_i64(void **state)
{
    (void)state;
    check_i64("0", 0);
    check_i64("42", 42);
    check_i64("9223372036854775807", INT64_MAX);
}

static void leading_zeros_are_decimal(void **state)
{
    (void)state;
    check_i64("007", 7);
    check_i64("0010", 10);
    check_i64("00", 0);
}

static void integer_too_big_for_i64_is_f64_by_value(void **state)
{
    (void)state;
    check_f64("9223372036854775808", 9223372036854775808.0);
    check_f64("18446744073709551617", 18446744073709551616.0);
    check_f64("99999999999999999999999", 1e23);
}

static void minus_the_i64_overflow_literal_is_f64(void **state)
{
    (void)state;
    /* -9223372036854775808 is -(f64 literal) */
    jc_tree t;
    jc_error err = {0};
    assert_int_equal(parse_expression(&t, "-9223372036854775808", 20, NULL, &err), 0);
    assert_int_equal(t.nodes[t.root].op, OP_NEG);
    assert_int_equal(t.consts[0].type, JC_F64);
    tree_free(&t);
}

static void decimal_forms_are_f64(void **state)
{
    (void)state;
    check_f64("1.5", 1.5);
    check_f64(".5", 0.5);
    check_f64("2.", 2.0);
    check_f64("1e-3", 1e-3);
    check_f64("1E3", 1000.0);
    check_f64("1.5E+3", 1500.0);
    check_f64("1.5e-0", 1.5);
    check_f64("2.e2", 200.0);
    check_f64("0.1", 0.1);
    check_f64("1.0", 1.0);
    check_f64("00.5", 0.5);
}

static void decimals_are_correctly_rounded(void **state)
{
    (void)state;
    check_f64("0.30000000000000004", 0.30000000000000004);
    check_i64("9007199254740993", 9007199254740993); /* exact: i64 */
    check_f64("9007199254740993.0", 9007199254740992.0);
    check_f64("2.2250738585072014e-308", 2.2250738585072014e-308);
    check_f64("1.7976931348623157e308", 1.7976931348623157e308);
}

/* The literal's value bit for bit as strtod reads it (the C locale: these
 * tests never call setlocale). */
static void check_as_strtod(const char *text)
{
    check_f64(text, strtod(text, NULL));
}

/* Short literals skip strtod (at most 15 significant digits, exponent
 * within ±22: one exact operation); the rest go through it. Both must give
 * strtod's bits, on both sides of every boundary. */
static void short_and_long_decimals_read_as_strtod_does(void **state)
{
    (void)state;
    static const char *const edges[] = {
        "0.1", "0.2", "0.3", "1.25", ".5", "2.", "1E+3", "1e-0", "0.0",
        "00000000000000000000001.5", "0.000000000000000000000000001",
        "1e22", "1e23", "1e-22", "1e-23", "123456789012345e22",
        "123456789012345e-22", "999999999999999e22", "999999999999999e-22",
        "9999999999999999e22", "9007199254740993.0", "9007199254740992.5",
        "1.000000000000000000", "100000000000000000000000.0", "0.1e-22",
        "1.7976931348623157e308", "4.9e-324", "2.2250738585072014e-308",
        "123456789012345.6", "12345678901234.56", "5e-324", "1e+22",
        "8.98846567431158e307"};
    for (size_t i = 0; i < sizeof edges / sizeof *edges; i++)
        check_as_strtod(edges[i]);
    /* random: 1 to 18 digits, a `.` anywhere (or none, then an exponent),
     * an exponent or not */
    uint64_t rng = 88172645463325252u;
    char text[64];
    for (int n = 0; n < 200000; n++) {
        rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
        uint64_t r = rng;
        int digits = 1 + (int)(r % 18), dot = (int)((r >> 8) % (digits + 2)) - 1;
        int has_exp = dot < 0 || (r >> 16) % 2;
        size_t k = 0;
        uint64_t d = r >> 20;
        for (int j = 0; j < digits; j++) {
            if (j == dot)
                text[k++] = '.';
            text[k++] = (char)('0' + d % 10);
            d = d / 10 ? d / 10 : rng * 2654435761u;
        }
        if (dot == digits)
            text[k++] = '.';
        if (has_exp)
            k += (size_t)sprintf(text + k, "e%s%d", (r >> 40) % 2 ? "-" : "+",
                                 (int)((r >> 41) % 30));
        text[k] = '\0';
        check_as_strtod(text);
    }
}

static void underflow_is_zero_or_subnormal(void **state)
{
    (void)state;
    check_f64("4.9e-324", 4.9e-324);
    check_f64("1e-400", 0.0);
    check_f64("2.5e-320", 2.5e-320);
}

static void bools_are_keywords_in_any_case(void **state)
{
    (void)state;
    jc_const k = literal("true");
    assert_int_equal(k.type, JC_BOOL);
    assert_int_equal(k.value.i, 1);
    k = literal("FALSE");
    assert_int_equal(k.type, JC_BOOL);
    assert_int_equal(k.value.i, 0);
    k = literal("True");
    assert_int_equal(k.value.i, 1);
}

static void overflowing_decimal_is_parse_error(void **state)
{
    (void)state;
    expect_error("1e999999", JC_PARSE_ERROR, 1);
    expect_error("a + 1.8e308", JC_PARSE_ERROR, 5);
    expect_error("1e309", JC_PARSE_ERROR, 1);
    /* a 400-digit integer overflows f64 too */
    char big[402];
    memset(big, '9', 400);
    big[400] = '\0';
    expect_error(big, JC_PARSE_ERROR, 1);
}

static void malformed_numbers_are_parse_errors(void **state)
{
    (void)state;
    expect_error("0x10", JC_PARSE_ERROR, 1);
    expect_error("1_000", JC_PARSE_ERROR, 1);
    expect_error("1e", JC_PARSE_ERROR, 1);
    expect_error("1e+", JC_PARSE_ERROR, 1);
    expect_error("1.5E-", JC_PARSE_ERROR, 1);
    expect_error("1.2.3", JC_PARSE_ERROR, 1);
    expect_error("a * 12abc", JC_PARSE_ERROR, 5);
    expect_error("1..2", JC_PARSE_ERROR, 1);
    expect_error(".", JC_PARSE_ERROR, 1);
    expect_error("a + .e3", JC_PARSE_ERROR, 5);
}

static void a_number_next_to_a_name_is_an_error(void **state)
{
    (void)state;
    expect_error("2 a", JC_PARSE_ERROR, 3);
    expect_error("a 2", JC_PARSE_ERROR, 3);
}

static void literals_print_back_as_their_type(void **state)
{
    (void)state;
    expect_canon("1.0", "1.0");
    expect_canon("1e300", "1e+300");
    expect_canon("0.1", "0.1");
    expect_canon("2.", "2.0");
    expect_canon("1e16", "10000000000000000.0");
    expect_canon("1e17", "1e+17");
    expect_canon("1e-5", "0.00001");
    expect_canon("1e-6", "1e-6");
    expect_canon("123.456", "123.456");
    expect_canon("4.9e-324", "5e-324");
    expect_canon("9223372036854775808", "9.223372036854776e+18");
    expect_canon("007", "7");
    expect_canon("TRUE", "true");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(integers_are_i64),
        cmocka_unit_test(leading_zeros_are_decimal),
        cmocka_unit_test(integer_too_big_for_i64_is_f64_by_value),
        cmocka_unit_test(minus_the_i64_overflow_literal_is_f64),
        cmocka_unit_test(decimal_forms_are_f64),
        cmocka_unit_test(decimals_are_correctly_rounded),
        cmocka_unit_test(short_and_long_decimals_read_as_strtod_does),
        cmocka_unit_test(underflow_is_zero_or_subnormal),
        cmocka_unit_test(bools_are_keywords_in_any_case),
        cmocka_unit_test(overflowing_decimal_is_parse_error),
        cmocka_unit_test(malformed_numbers_are_parse_errors),
        cmocka_unit_test(a_number_next_to_a_name_is_an_error),
        cmocka_unit_test(literals_print_back_as_their_type),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
