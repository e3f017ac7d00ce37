/* test_operators.c — every operator parses to its op, with issue 3's
 * precedence and associativity (checked through the fully parenthesised
 * canonical text). */
#include "helpers.h"

static void every_binary_operator_and_its_spellings(void **state)
{
    (void)state;
    expect_canon("a or b", "(a or b)");
    expect_canon("a || b", "(a or b)");
    expect_canon("a OR b", "(a or b)");
    expect_canon("a and b", "(a and b)");
    expect_canon("a && b", "(a and b)");
    expect_canon("a AnD b", "(a and b)");
    expect_canon("a == b", "(a == b)");
    expect_canon("a = b", "(a == b)");
    expect_canon("a != b", "(a != b)");
    expect_canon("a <> b", "(a != b)");
    expect_canon("a < b", "(a < b)");
    expect_canon("a <= b", "(a <= b)");
    expect_canon("a > b", "(a > b)");
    expect_canon("a >= b", "(a >= b)");
    expect_canon("a + b", "(a + b)");
    expect_canon("a - b", "(a - b)");
    expect_canon("a * b", "(a * b)");
    expect_canon("a / b", "(a / b)");
    expect_canon("a // b", "(a // b)");
    expect_canon("a % b", "(a % b)");
    expect_canon("a ^ b", "(a ^ b)");
    expect_canon("a ** b", "(a ^ b)");
    expect_canon("a**b", "(a ^ b)");
    expect_canon("a<=b", "(a <= b)");
}

static void every_prefix_operator(void **state)
{
    (void)state;
    expect_canon("-a", "(-a)");
    expect_canon("+a", "(+a)");
    expect_canon("not a", "(not a)");
    expect_canon("NOT a", "(not a)");
    expect_canon("!a", "(not a)");
    expect_canon("- -a", "(-(-a))");
    expect_canon("--a", "(-(-a))");
    expect_canon("not not a", "(not (not a))");
    expect_canon("-+-a", "(-(+(-a)))");
}

static void or_binds_looser_than_and(void **state)
{
    (void)state;
    expect_canon("a or b and c", "(a or (b and c))");
    expect_canon("a and b or c", "((a and b) or c)");
}

static void and_binds_looser_than_not(void **state)
{
    (void)state;
    expect_canon("not a and b", "((not a) and b)");
    expect_canon("a and not b", "(a and (not b))");
    expect_canon("not a or not b", "((not a) or (not b))");
}

static void not_binds_looser_than_comparison(void **state)
{
    (void)state;
    expect_canon("not a < b", "(not (a < b))");
    expect_canon("not a == b and c", "((not (a == b)) and c)");
    expect_canon("! a + 1 > b", "(not ((a + 1) > b))");
}

static void comparison_binds_looser_than_addition(void **state)
{
    (void)state;
    expect_canon("a + b < c - 1", "((a + b) < (c - 1))");
    expect_canon("a == b + c", "(a == (b + c))");
    expect_canon("a < b and b < c", "((a < b) and (b < c))");
}

static void addition_binds_looser_than_multiplication(void **state)
{
    (void)state;
    expect_canon("a + b * c", "(a + (b * c))");
    expect_canon("a * b + c", "((a * b) + c)");
    expect_canon("a - b / c", "(a - (b / c))");
    expect_canon("a + b // c", "(a + (b // c))");
    expect_canon("a - b % c", "(a - (b % c))");
}

static void multiplication_binds_looser_than_prefix_minus(void **state)
{
    (void)state;
    expect_canon("-a * b", "((-a) * b)");
    expect_canon("a * -b", "(a * (-b))");
    expect_canon("-a + b", "((-a) + b)");
    expect_canon("a - -b", "(a - (-b))");
}

static void prefix_minus_binds_tighter_than_power(void **state)
{
    (void)state;
    /* -2^2 = 4 as in spreadsheets; 2^-1 = 0.5 */
    expect_canon("-2^2", "((-2) ^ 2)");
    expect_canon("2^-1", "(2 ^ (-1))");
    expect_canon("-a**b", "((-a) ^ b)");
    expect_canon("a * b ^ c", "(a * (b ^ c))");
    expect_canon("a ^ b * c", "((a ^ b) * c)");
}

static void left_associative_levels_group_to_the_left(void **state)
{
    (void)state;
    expect_canon("a or b or c", "((a or b) or c)");
    expect_canon("a and b and c", "((a and b) and c)");
    expect_canon("a - b - c", "((a - b) - c)");
    expect_canon("a - b + c", "((a - b) + c)");
    expect_canon("a / b / c", "((a / b) / c)");
    expect_canon("a // b * c % 2", "(((a // b) * c) % 2)");
}

static void power_is_right_associative(void **state)
{
    (void)state;
    expect_canon("2^3^2", "(2 ^ (3 ^ 2))");
    expect_canon("2**3^2", "(2 ^ (3 ^ 2))");
    expect_canon("(2^3)^2", "((2 ^ 3) ^ 2)");
    expect_canon("2^-3^2", "(2 ^ ((-3) ^ 2))");
}

static void comparisons_do_not_chain(void **state)
{
    (void)state;
    /* the position is the second comparison operator */
    expect_error("a < b < c", JC_PARSE_ERROR, 7);
    expect_error("a == b == c", JC_PARSE_ERROR, 8);
    expect_error("a < b + 1 >= c", JC_PARSE_ERROR, 11);
    expect_error("not a < b < c", JC_PARSE_ERROR, 11);
    /* parentheses make it a comparison of a bool (legal syntax) */
    expect_canon("(a < b) == p", "((a < b) == p)");
    expect_canon("a < (b < c)", "(a < (b < c))");
}

static void chained_comparison_message_says_and(void **state)
{
    (void)state;
    jc_tree t;
    jc_error err = {0};
    assert_int_equal(parse_expression(&t, "a<b<c", 5, NULL, &err), -1);
    assert_non_null(strstr(err.message, "and"));
}

static void not_after_a_tighter_operator_needs_parentheses(void **state)
{
    (void)state;
    expect_error("a == not b", JC_PARSE_ERROR, 6);
    expect_error("1 + not p", JC_PARSE_ERROR, 5);
    expect_error("-not p", JC_PARSE_ERROR, 2);
    expect_canon("a == (not b)", "(a == (not b))");
}

static void parentheses_override_precedence(void **state)
{
    (void)state;
    expect_canon("(a + b) * c", "((a + b) * c)");
    expect_canon("((a))", "a");
    expect_canon("-(a ^ b)", "(-(a ^ b))");
    expect_canon("(a or b) and c", "((a or b) and c)");
}

static void whitespace_is_ignored(void **state)
{
    (void)state;
    expect_canon(" \t\na\r\n+\fb\v ", "(a + b)");
    expect_canon("a+b*c", "(a + (b * c))");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_binary_operator_and_its_spellings),
        cmocka_unit_test(every_prefix_operator),
        cmocka_unit_test(or_binds_looser_than_and),
        cmocka_unit_test(and_binds_looser_than_not),
        cmocka_unit_test(not_binds_looser_than_comparison),
        cmocka_unit_test(comparison_binds_looser_than_addition),
        cmocka_unit_test(addition_binds_looser_than_multiplication),
        cmocka_unit_test(multiplication_binds_looser_than_prefix_minus),
        cmocka_unit_test(prefix_minus_binds_tighter_than_power),
        cmocka_unit_test(left_associative_levels_group_to_the_left),
        cmocka_unit_test(power_is_right_associative),
        cmocka_unit_test(comparisons_do_not_chain),
        cmocka_unit_test(chained_comparison_message_says_and),
        cmocka_unit_test(not_after_a_tighter_operator_needs_parentheses),
        cmocka_unit_test(parentheses_override_precedence),
        cmocka_unit_test(whitespace_is_ignored),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
