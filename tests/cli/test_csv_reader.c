/* The CSV reader: RFC 4180 quoting, line ends, header, and the errors that
 * name the file, line, column and row. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "clients/csv.h"
#include "util/mem.h"

static char msg[512];

static incols parse_ok(const char *text)
{
    incols cs;
    incols_init(&cs);
    int rc = csv_parse(text, strlen(text), "t.csv", &cs, msg, sizeof msg);
    if (rc != 0)
        print_error("unexpected failure: %s\n", msg);
    assert_int_equal(rc, 0);
    return cs;
}

static void parse_fails(const char *text, size_t len, const char *expected)
{
    incols cs;
    incols_init(&cs);
    assert_int_equal(csv_parse(text, len, "t.csv", &cs, msg, sizeof msg), -1);
    if (!strstr(msg, expected))
        print_error("message '%s' lacks '%s'\n", msg, expected);
    assert_non_null(strstr(msg, expected));
    assert_int_equal(cs.count, 0);
}

static const int64_t *ints(const incols *cs, size_t i)
{
    assert_int_equal(in_column_type(&cs->cols[i]), JC_I64);
    return cs->cols[i].values;
}

static const double *reals(const incols *cs, size_t i)
{
    assert_int_equal(in_column_type(&cs->cols[i]), JC_F64);
    return cs->cols[i].values;
}

static void lf_and_crlf_line_ends_read_the_same(void **state)
{
    (void)state;
    const char *texts[] = {"a,b\n1,2\n3,4\n", "a,b\r\n1,2\r\n3,4\r\n",
                           "a,b\r1,2\r3,4", "a,b\n1,2\r\n3,4"};
    for (size_t t = 0; t < 4; t++) {
        incols cs = parse_ok(texts[t]);
        assert_int_equal(cs.count, 2);
        assert_string_equal(cs.cols[0].name, "a");
        assert_string_equal(cs.cols[1].name, "b");
        assert_int_equal(cs.cols[0].rows, 2);
        assert_int_equal(ints(&cs, 0)[1], 3);
        assert_int_equal(ints(&cs, 1)[1], 4);
        incols_free(&cs);
    }
}

static void quoted_fields_hold_commas_quotes_and_line_breaks(void **state)
{
    (void)state;
    incols cs = parse_ok("\"unit, price\",\"say \"\"hi\"\"\",\"two\nlines\"\n"
                         "\"1.5\",\"2\",\"3\"\r\n");
    assert_int_equal(cs.count, 3);
    assert_string_equal(cs.cols[0].name, "unit, price");
    assert_string_equal(cs.cols[1].name, "say \"hi\"");
    assert_string_equal(cs.cols[2].name, "two\nlines");
    assert_true(reals(&cs, 0)[0] == 1.5);
    assert_int_equal(ints(&cs, 1)[0], 2);
    incols_free(&cs);
}

static void unquoted_header_names_lose_surrounding_blanks(void **state)
{
    (void)state;
    incols cs = parse_ok("a , b,\" c \"\n1,2,3\n");
    assert_string_equal(cs.cols[0].name, "a");
    assert_string_equal(cs.cols[1].name, "b");
    assert_string_equal(cs.cols[2].name, " c ");
    incols_free(&cs);
}

static void byte_order_mark_is_skipped(void **state)
{
    (void)state;
    incols cs = parse_ok("\xEF\xBB\xBFx\n1\n");
    assert_string_equal(cs.cols[0].name, "x");
    incols_free(&cs);
}

static void header_only_gives_empty_f64_columns(void **state)
{
    (void)state;
    incols cs = parse_ok("a,b\n");
    assert_int_equal(cs.count, 2);
    assert_int_equal(cs.cols[0].rows, 0);
    assert_int_equal(in_column_type(&cs.cols[0]), JC_F64);
    incols_free(&cs);
}

static void blank_lines_at_the_end_are_ignored(void **state)
{
    (void)state;
    incols cs = parse_ok("a\n1\n2\n\n\r\n");
    assert_int_equal(cs.cols[0].rows, 2);
    incols_free(&cs);
}

static void last_record_without_line_end_counts(void **state)
{
    (void)state;
    incols cs = parse_ok("a,b\n1,2\n3,4");
    assert_int_equal(cs.cols[0].rows, 2);
    incols_free(&cs);
}

static void types_are_inferred_per_column(void **state)
{
    (void)state;
    incols cs = parse_ok("i,f,b,w\n1,1,true,NaN\n-2,2.5,FALSE,-Infinity\n");
    assert_int_equal(in_column_type(&cs.cols[0]), JC_I64);
    assert_int_equal(in_column_type(&cs.cols[1]), JC_F64);
    assert_int_equal(in_column_type(&cs.cols[2]), JC_BOOL);
    assert_int_equal(in_column_type(&cs.cols[3]), JC_F64);
    const double *f = cs.cols[1].values;
    assert_true(f[0] == 1.0 && f[1] == 2.5);
    const uint8_t *b = cs.cols[2].values;
    assert_int_equal(b[0], 1);
    assert_int_equal(b[1], 0);
    incols_free(&cs);
}

static void empty_cell_names_line_column_and_row(void **state)
{
    (void)state;
    const char *text = "a,price\n1,2\n3,\n";
    parse_fails(text, strlen(text), "t.csv:3: column \"price\": empty cell (row 1)");
    const char *quoted = "a\n\"\"\n";
    parse_fails(quoted, strlen(quoted), "t.csv:2: column \"a\": empty cell (row 0)");
}

static void blank_line_inside_the_data_is_an_error(void **state)
{
    (void)state;
    const char *text = "a\n1\n\n2\n";
    parse_fails(text, strlen(text), "t.csv:3: blank line (row 1)");
}

static void wrong_field_count_is_an_error(void **state)
{
    (void)state;
    const char *few = "a,b,c\n1,2\n";
    parse_fails(few, strlen(few), "t.csv:2: 2 fields, but the header has 3 (row 0)");
    const char *many = "a\n1,2\n";
    parse_fails(many, strlen(many), "t.csv:2: 2 fields, but the header has 1");
}

static void quote_errors_are_reported(void **state)
{
    (void)state;
    const char *open = "a\n\"1\n2\n";
    parse_fails(open, strlen(open), "t.csv:2: a quoted field is not closed");
    const char *after = "a\n\"1\"x\n";
    parse_fails(after, strlen(after), "t.csv:2: unexpected 'x' after a closing quote");
}

static void header_errors_are_reported(void **state)
{
    (void)state;
    parse_fails("", 0, "no header row");
    parse_fails("\r\n\n", 3, "no header row");
    const char *dup = "a,b,a\n1,2,3\n";
    parse_fails(dup, strlen(dup), "column \"a\" is given twice");
    const char *empty = "a,,b\n1,2,3\n";
    parse_fails(empty, strlen(empty), "empty name");
    const char nul[] = "a\0b\n1\n";
    parse_fails(nul, sizeof nul - 1, "NUL");
    const char *bad_utf8 = "a\xff\n1\n";
    parse_fails(bad_utf8, strlen(bad_utf8), "not valid UTF-8");
}

static void bools_mixed_with_numbers_are_errors(void **state)
{
    (void)state;
    const char *mixed = "a\n1\ntrue\n";
    parse_fails(mixed, strlen(mixed), "t.csv:3: column \"a\": 'true' mixes a bool "
                                      "with the numbers above it (row 1)");
}

static void cells_that_are_no_value_make_text_columns(void **state)
{
    (void)state;
    incols cs = parse_ok("item,price,note\napple,0.5,\n\"melon, large\",3,1.2.3\n");
    assert_int_equal(cs.count, 3);
    assert_int_equal(incols_value_count(&cs), 1);
    assert_non_null(cs.cols[0].text_why);
    assert_string_equal(cs.cols[0].text_why,
                        "t.csv:2: 'apple' is not a number or true/false (row 0)");
    const char *const *items = cs.cols[0].values;
    assert_int_equal(cs.cols[0].rows, 2);
    assert_string_equal(items[0], "apple");
    assert_string_equal(items[1], "melon, large");
    assert_null(cs.cols[1].text_why);
    assert_true(reals(&cs, 1)[1] == 3.0);
    /* An empty cell is fine in a text column: text may be missing. */
    assert_string_equal(cs.cols[2].text_why,
                        "t.csv:3: '1.2.3' is not a number or true/false (row 1)");
    assert_string_equal(((const char *const *)cs.cols[2].values)[0], "");
    incols_free(&cs);
}

static void rows_map_back_to_source_lines(void **state)
{
    (void)state;
    incols plain = parse_ok("a\n1\n2\n3\n");
    assert_int_equal(incols_row_line(&plain, 0), 2);
    assert_int_equal(incols_row_line(&plain, 2), 4);
    incols_free(&plain);
}

static void quoted_line_breaks_shift_row_lines(void **state)
{
    (void)state;
    incols cs = parse_ok("a,b\n1,\"2\"\n3,\"\n4\"\n5,6\n");
    assert_int_equal(cs.cols[0].rows, 3);
    assert_int_equal(incols_row_line(&cs, 0), 2);
    assert_int_equal(incols_row_line(&cs, 1), 3);
    assert_int_equal(incols_row_line(&cs, 2), 5);
    assert_int_equal(incols_row_line(&cs, 3), 0); /* no such row */
    incols_free(&cs);
}

static void running_out_of_memory_fails_cleanly(void **state)
{
    (void)state;
    /* Fail the n-th allocation, for every n until the parse needs no more:
     * each failure is an error saying so, never a crash or a leak. */
    const char *good = "a,\"b \"\"q\"\"\"\n1,\"2.5\"\n3,4\n5,\"\n6\"\n";
    int succeeded = 0;
    for (long n = 0; n < 1000 && !succeeded; n++) {
        incols cs;
        incols_init(&cs);
        mem_fail_after(n);
        int rc = csv_parse(good, strlen(good), "t.csv", &cs, msg, sizeof msg);
        mem_fail_after(-1);
        if (rc == 0) {
            succeeded = 1;
            assert_int_equal(cs.cols[0].rows, 3);
            incols_free(&cs);
        } else {
            if (!strstr(msg, "out of memory"))
                print_error("allocation %ld: %s\n", n, msg);
            assert_non_null(strstr(msg, "out of memory"));
            assert_int_equal(cs.count, 0);
        }
    }
    assert_true(succeeded);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lf_and_crlf_line_ends_read_the_same),
        cmocka_unit_test(quoted_fields_hold_commas_quotes_and_line_breaks),
        cmocka_unit_test(unquoted_header_names_lose_surrounding_blanks),
        cmocka_unit_test(byte_order_mark_is_skipped),
        cmocka_unit_test(header_only_gives_empty_f64_columns),
        cmocka_unit_test(blank_lines_at_the_end_are_ignored),
        cmocka_unit_test(last_record_without_line_end_counts),
        cmocka_unit_test(types_are_inferred_per_column),
        cmocka_unit_test(empty_cell_names_line_column_and_row),
        cmocka_unit_test(blank_line_inside_the_data_is_an_error),
        cmocka_unit_test(wrong_field_count_is_an_error),
        cmocka_unit_test(quote_errors_are_reported),
        cmocka_unit_test(header_errors_are_reported),
        cmocka_unit_test(bools_mixed_with_numbers_are_errors),
        cmocka_unit_test(cells_that_are_no_value_make_text_columns),
        cmocka_unit_test(rows_map_back_to_source_lines),
        cmocka_unit_test(quoted_line_breaks_shift_row_lines),
        cmocka_unit_test(running_out_of_memory_fails_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
