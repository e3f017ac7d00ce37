/* test_names.c — column names (bare and quoted), function calls, aliases
 * and how a name is resolved. */
#include "helpers.h"

static void parse_ok(jc_tree *t, const char *text)
{
    jc_error err = {0};
    if (parse_expression(t, text, strlen(text), NULL, &err) < 0) {
        print_error("%s: %s\n", text, err.message);
        fail();
    }
}

static void columns_are_distinct_in_first_use_order(void **state)
{
    (void)state;
    jc_tree t;
    parse_ok(&t, "b + a * b - \"a\" + _x9");
    assert_int_equal(t.ncolumns, 3);
    assert_string_equal(t.columns[0].name, "b");
    assert_string_equal(t.columns[1].name, "a");
    assert_string_equal(t.columns[2].name, "_x9");
    assert_int_equal(t.columns[2].len, 3);
    /* COLUMN.slot is the index in columns[] */
    int seen = 0;
    for (uint32_t i = 0; i < t.nnodes; i++)
        if (t.nodes[i].op == OP_COLUMN) {
            static const uint32_t want[] = {0, 1, 0, 1, 2};
            assert_int_equal(t.nodes[i].slot, want[seen++]);
        }
    assert_int_equal(seen, 5);
    tree_free(&t);
}

static void names_are_case_sensitive(void **state)
{
    (void)state;
    jc_tree t;
    parse_ok(&t, "a + A");
    assert_int_equal(t.ncolumns, 2);
    tree_free(&t);
}

static void quoted_names_allow_any_text(void **state)
{
    (void)state;
    jc_tree t;
    parse_ok(&t, "\"unit price\" * \"say \"\"hi\"\"\" + \"gr\xc3\xb6\xc3\x9f" "e\"");
    assert_int_equal(t.ncolumns, 3);
    assert_string_equal(t.columns[0].name, "unit price");
    assert_string_equal(t.columns[1].name, "say \"hi\"");
    assert_int_equal(t.columns[1].len, 8);
    assert_string_equal(t.columns[2].name, "gr\xc3\xb6\xc3\x9f" "e");
    tree_free(&t);
    expect_canon("\"unit price\"", "\"unit price\"");
    expect_canon("\"a\"\"b\"", "\"a\"\"b\"");
    expect_canon("\"plain\"", "plain");
}

static void keywords_as_column_names_need_quotes(void **state)
{
    (void)state;
    expect_canon("\"and\" + \"True\"", "(\"and\" + \"True\")");
    expect_error("and + 1", JC_PARSE_ERROR, 1);
}

static void empty_quoted_name_is_parse_error(void **state)
{
    (void)state;
    expect_error("\"\"", JC_PARSE_ERROR, 1);
    expect_error("a + \"\" * 2", JC_PARSE_ERROR, 5);
}

static void unterminated_quote_is_error_at_the_end(void **state)
{
    (void)state;
    expect_error("a + \"unit price", JC_PARSE_ERROR, 16);
    expect_error("\"\xc3\xa9", JC_PARSE_ERROR, 3);
}

static void name_before_parenthesis_is_a_function(void **state)
{
    (void)state;
    expect_canon("sum(a)", "sum(a)");
    expect_canon("sum (a)", "sum(a)");
    /* without ( the same name is a column */
    expect_canon("sum + max", "(sum + max)");
    expect_canon("pi", "pi");
    expect_canon("e * e()", "(e * e())");
    /* a quoted name is always a column: "sum"(a) is an operand then `(` */
    expect_error("\"sum\"(a)", JC_PARSE_ERROR, 6);
}

static void function_names_are_case_insensitive(void **state)
{
    (void)state;
    expect_canon("SUM(a) + Sum(b) + sQrT(c)", "((sum(a) + sum(b)) + sqrt(c))");
    expect_canon("IF(p, 1, 2)", "if(p, 1, 2)");
}

static void aliases_resolve_at_parse_time(void **state)
{
    (void)state;
    expect_canon("log(a)", "log10(a)");
    expect_canon("mean(a)", "avg(a)");
    expect_canon("pow(a, 2)", "(a ^ 2)");
    expect_canon("a ** 2", "(a ^ 2)");
}

static void every_function_parses(void **state)
{
    (void)state;
    static const char *const one[] = {
        "abs", "sign", "sqrt", "cbrt", "exp", "expm1", "ln", "log10", "log2",
        "log1p", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh",
        "tanh", "floor", "ceil", "trunc", "round", "isnan", "isinf",
        "isfinite", "float", "int", "sum", "avg", "min", "max", "least",
        "greatest"};
    for (size_t i = 0; i < sizeof one / sizeof *one; i++) {
        char text[64], want[64];
        snprintf(text, sizeof text, "%s(a)", one[i]);
        snprintf(want, sizeof want, "%s(a)", one[i]);
        expect_canon(text, want);
    }
    expect_canon("atan2(a, b)", "atan2(a, b)");
    expect_canon("hypot(a, b)", "hypot(a, b)");
    expect_canon("fmod(a, b)", "fmod(a, b)");
    expect_canon("round(a, 2)", "round(a, 2)");
    expect_canon("least(a, b, c)", "least(a, b, c)");
    expect_canon("greatest(a, b)", "greatest(a, b)");
    expect_canon("clamp(a, 0, 1)", "clamp(a, 0, 1)");
    expect_canon("if(p, a, b)", "if(p, a, b)");
    expect_canon("pi() + e() + count()", "((pi() + e()) + count())");
}

static void round_with_two_arguments_is_round2(void **state)
{
    (void)state;
    jc_tree t;
    parse_ok(&t, "round(a) + round(a, 1)");
    assert_int_equal(t.nodes[1].op, OP_ROUND);
    assert_int_equal(t.nodes[4].op, OP_ROUND2);
    tree_free(&t);
}

static void unknown_function_is_reported_at_its_name(void **state)
{
    (void)state;
    expect_error("foo(1)", JC_UNKNOWN_FUNCTION, 1);
    expect_error("\"gr\xc3\xb6\xc3\x9f" "e\" + median(a)", JC_UNKNOWN_FUNCTION, 11);
    expect_error("sqrtt(a)", JC_UNKNOWN_FUNCTION, 1);
}

static void wrong_argument_count_is_type_error_at_the_name(void **state)
{
    (void)state;
    expect_error("sqrt(a, b)", JC_TYPE_ERROR, 1);
    expect_error("a + sqrt()", JC_TYPE_ERROR, 5);
    expect_error("atan2(a)", JC_TYPE_ERROR, 1);
    expect_error("round(a, 1, 2)", JC_TYPE_ERROR, 1);
    expect_error("least()", JC_TYPE_ERROR, 1);
    expect_error("clamp(a, b)", JC_TYPE_ERROR, 1);
    expect_error("if(p, a)", JC_TYPE_ERROR, 1);
    expect_error("count(a)", JC_TYPE_ERROR, 1);
    expect_error("pi(1)", JC_TYPE_ERROR, 1);
    expect_error("\"\xc3\xa9\" * sum(a, b)", JC_TYPE_ERROR, 7);
}

static void call_syntax_errors(void **state)
{
    (void)state;
    expect_error("sqrt(a,)", JC_PARSE_ERROR, 8);
    expect_error("sqrt(,a)", JC_PARSE_ERROR, 6);
    expect_error("sqrt(a", JC_PARSE_ERROR, 7);
    expect_error("a, b", JC_PARSE_ERROR, 2);
    expect_error("(a, b)", JC_PARSE_ERROR, 3);
    expect_error("()", JC_PARSE_ERROR, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(columns_are_distinct_in_first_use_order),
        cmocka_unit_test(names_are_case_sensitive),
        cmocka_unit_test(quoted_names_allow_any_text),
        cmocka_unit_test(keywords_as_column_names_need_quotes),
        cmocka_unit_test(empty_quoted_name_is_parse_error),
        cmocka_unit_test(unterminated_quote_is_error_at_the_end),
        cmocka_unit_test(name_before_parenthesis_is_a_function),
        cmocka_unit_test(function_names_are_case_insensitive),
        cmocka_unit_test(aliases_resolve_at_parse_time),
        cmocka_unit_test(every_function_parses),
        cmocka_unit_test(round_with_two_arguments_is_round2),
        cmocka_unit_test(unknown_function_is_reported_at_its_name),
        cmocka_unit_test(wrong_argument_count_is_type_error_at_the_name),
        cmocka_unit_test(call_syntax_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
