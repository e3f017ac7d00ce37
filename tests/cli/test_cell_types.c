/* Typing one text cell, and columns that widen from i64 to f64: the
 * protocol's inference rules applied to CSV and --col text. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "clients/columns.h"

static cell parse(const char *s) { return cell_parse(s, strlen(s)); }

static void integers_are_i64(void **state)
{
    (void)state;
    cell c = parse("42");
    assert_int_equal(c.kind, CELL_INT);
    assert_int_equal(c.i, 42);
    assert_int_equal(parse("-7").i, -7);
    assert_int_equal(parse("+7").i, 7);
    assert_int_equal(parse("007").i, 7); /* leading zeros are decimal */
    assert_int_equal(parse("  12\t").i, 12);
    c = parse("9223372036854775807");
    assert_int_equal(c.kind, CELL_INT);
    assert_true(c.i == INT64_MAX);
    c = parse("-9223372036854775808");
    assert_int_equal(c.kind, CELL_INT);
    assert_true(c.i == INT64_MIN);
}

static void integers_beyond_i64_are_f64(void **state)
{
    (void)state;
    cell c = parse("9223372036854775808");
    assert_int_equal(c.kind, CELL_REAL);
    assert_true(c.f == 9223372036854775808.0);
    c = parse("-9223372036854775809");
    assert_int_equal(c.kind, CELL_REAL);
    assert_true(c.f == -9223372036854775808.0);
}

static void decimals_and_exponents_are_f64(void **state)
{
    (void)state;
    const char *texts[] = {"1.5", ".5", "2.", "1e-3", "1.5E+3", "-0.0", "1e3"};
    const double values[] = {1.5, 0.5, 2.0, 1e-3, 1500.0, -0.0, 1000.0};
    for (size_t i = 0; i < 7; i++) {
        cell c = parse(texts[i]);
        assert_int_equal(c.kind, CELL_REAL);
        assert_true(c.f == values[i]);
    }
    assert_true(signbit(parse("-0.0").f));
    assert_true(parse("0.1").f == 0.1);
}

static void nan_and_infinity_words_are_f64(void **state)
{
    (void)state;
    assert_true(isnan(parse("NaN").f));
    assert_true(isnan(parse("nan").f));
    cell c = parse("Infinity");
    assert_int_equal(c.kind, CELL_REAL);
    assert_true(c.f == INFINITY);
    assert_true(parse("-Infinity").f == -INFINITY);
    assert_true(parse("+inf").f == INFINITY);
    assert_true(parse("-INF").f == -INFINITY);
}

static void true_and_false_are_bool(void **state)
{
    (void)state;
    cell c = parse("true");
    assert_int_equal(c.kind, CELL_BOOL);
    assert_int_equal(c.i, 1);
    c = parse("FALSE");
    assert_int_equal(c.kind, CELL_BOOL);
    assert_int_equal(c.i, 0);
    assert_int_equal(parse("True ").i, 1);
}

static void blanks_are_empty(void **state)
{
    (void)state;
    assert_int_equal(parse("").kind, CELL_EMPTY);
    assert_int_equal(parse(" \t ").kind, CELL_EMPTY);
}

static void other_texts_are_not_values(void **state)
{
    (void)state;
    const char *bad[] = {"0x10", "1_000", "1e", "1.2.3", "abc", "1,5", "--1",
                         ".", "+", "e5", "1e+", "truex", "1 2", "1e999",
                         "-1e400"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cell c = parse(bad[i]);
        if (c.kind != CELL_BAD)
            print_error("'%s' was accepted\n", bad[i]);
        assert_int_equal(c.kind, CELL_BAD);
        assert_non_null(c.why);
    }
    assert_string_equal(parse("1e999").why, "is out of the f64 range");
}

static void tiny_numbers_underflow_quietly(void **state)
{
    (void)state;
    cell c = parse("1e-400");
    assert_int_equal(c.kind, CELL_REAL);
    assert_true(c.f == 0.0);
}

static void a_decimal_widens_an_integer_column(void **state)
{
    (void)state;
    incols cs;
    char msg[256];
    incols_init(&cs);
    assert_int_equal(incols_add_list(&cs, "a=1,2,3.5,9007199254740993", msg,
                                     sizeof msg), 0);
    assert_int_equal(incols_finish(&cs, msg, sizeof msg), 0);
    assert_int_equal(in_column_type(&cs.cols[0]), JC_F64);
    const double *v = cs.cols[0].values;
    assert_true(v[0] == 1.0 && v[1] == 2.0 && v[2] == 3.5);
    /* Rounded as reading the text as a double would round it. */
    assert_true(v[3] == 9007199254740992.0);
    incols_free(&cs);
}

static void bools_pack_to_one_byte(void **state)
{
    (void)state;
    incols cs;
    char msg[256];
    incols_init(&cs);
    assert_int_equal(incols_add_list(&cs, "b=true,false,true", msg, sizeof msg), 0);
    assert_int_equal(incols_finish(&cs, msg, sizeof msg), 0);
    assert_int_equal(in_column_type(&cs.cols[0]), JC_BOOL);
    const uint8_t *v = cs.cols[0].values;
    assert_int_equal(v[0], 1);
    assert_int_equal(v[1], 0);
    assert_int_equal(v[2], 1);
    incols_free(&cs);
}

static void col_lists_report_the_bad_value(void **state)
{
    (void)state;
    incols cs;
    char msg[256];
    incols_init(&cs);
    assert_int_equal(incols_add_list(&cs, "a=1,,3", msg, sizeof msg), -1);
    assert_string_equal(msg, "--col a: value 2: empty cell");
    incols_free(&cs);
    incols_init(&cs);
    assert_int_equal(incols_add_list(&cs, "a=true,1", msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "--col a: value 2: '1' mixes a number with the bools"));
    incols_free(&cs);
    incols_init(&cs);
    assert_int_equal(incols_add_list(&cs, "a=,1", msg, sizeof msg), -1);
    assert_string_equal(msg, "--col a: value 1: empty cell");
    incols_free(&cs);
    incols_init(&cs);
    assert_int_equal(incols_add_list(&cs, "noequals", msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "NAME=V1,V2"));
    incols_free(&cs);
}

static void col_lists_with_text_are_text_columns(void **state)
{
    (void)state;
    incols cs;
    char msg[256];
    incols_init(&cs);
    assert_int_equal(incols_add_list(&cs, "name=ann,,bob", msg, sizeof msg), 0);
    assert_int_equal(incols_finish(&cs, msg, sizeof msg), 0);
    assert_string_equal(cs.cols[0].text_why,
                        "--col name: value 1: 'ann' is not a number or true/false");
    assert_int_equal(cs.cols[0].rows, 3);
    assert_string_equal(((char **)cs.cols[0].values)[2], "bob");
    assert_int_equal(incols_value_count(&cs), 0);
    incols_free(&cs);
}

static void empty_col_list_is_an_empty_f64_column(void **state)
{
    (void)state;
    incols cs;
    char msg[256];
    incols_init(&cs);
    assert_int_equal(incols_add_list(&cs, "a=", msg, sizeof msg), 0);
    assert_int_equal(incols_finish(&cs, msg, sizeof msg), 0);
    assert_int_equal(cs.cols[0].rows, 0);
    assert_int_equal(in_column_type(&cs.cols[0]), JC_F64);
    incols_free(&cs);
}

static void merging_refuses_a_name_twice(void **state)
{
    (void)state;
    incols a, b;
    char msg[256];
    incols_init(&a);
    incols_init(&b);
    assert_int_equal(incols_add_list(&a, "x=1", msg, sizeof msg), 0);
    assert_int_equal(incols_add_list(&b, "x=2", msg, sizeof msg), 0);
    assert_int_equal(incols_merge(&a, &b, msg, sizeof msg), -1);
    assert_string_equal(msg, "column \"x\" is given twice");
    incols_free(&b);
    incols_init(&b);
    assert_int_equal(incols_add_list(&b, "y=2", msg, sizeof msg), 0);
    assert_int_equal(incols_merge(&a, &b, msg, sizeof msg), 0);
    assert_int_equal(a.count, 2);
    assert_string_equal(a.cols[1].name, "y");
    incols_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(integers_are_i64),
        cmocka_unit_test(integers_beyond_i64_are_f64),
        cmocka_unit_test(decimals_and_exponents_are_f64),
        cmocka_unit_test(nan_and_infinity_words_are_f64),
        cmocka_unit_test(true_and_false_are_bool),
        cmocka_unit_test(blanks_are_empty),
        cmocka_unit_test(other_texts_are_not_values),
        cmocka_unit_test(tiny_numbers_underflow_quietly),
        cmocka_unit_test(a_decimal_widens_an_integer_column),
        cmocka_unit_test(bools_pack_to_one_byte),
        cmocka_unit_test(col_lists_report_the_bad_value),
        cmocka_unit_test(col_lists_with_text_are_text_columns),
        cmocka_unit_test(empty_col_list_is_an_empty_f64_column),
        cmocka_unit_test(merging_refuses_a_name_twice),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
