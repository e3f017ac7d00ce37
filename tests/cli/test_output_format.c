/* What answers and errors look like: values, the lines and csv formats,
 * --with-input, CSV quoting, and carets under code point positions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clients/output.h"

/* Captures what a printer writes. */
typedef struct capture {
    FILE *f;
    char *text;
    size_t len;
} capture;

static void open_capture(capture *c)
{
    c->text = NULL;
    c->len = 0;
    c->f = open_memstream(&c->text, &c->len);
    assert_non_null(c->f);
}

static void expect(capture *c, const char *want)
{
    fclose(c->f);
    if (strcmp(c->text, want) != 0)
        print_error("got:\n%s\nwanted:\n%s\n", c->text, want);
    assert_string_equal(c->text, want);
    free(c->text);
}

static response parse(const char *line)
{
    response r;
    assert_int_equal(response_parse(line, strlen(line), &r), 0);
    return r;
}

static void values_print_as_the_protocol_writes_them(void **state)
{
    (void)state;
    const char *line = "{\"ok\":true,\"type\":\"f64\",\"rows\":5,"
                       "\"result\":[0.1,\"NaN\",\"-Infinity\",1e+300,-0]}";
    response r = parse(line);
    eval_view v = {.format = FORMAT_LINES, .expr = "a/b"};
    capture c;
    open_capture(&c);
    assert_int_equal(output_eval(c.f, &v, &r), 0);
    expect(&c, "0.1\nNaN\n-Infinity\n1e+300\n-0\n");
}

static void scalars_print_one_value(void **state)
{
    (void)state;
    response r = parse("{\"ok\":true,\"type\":\"i64\",\"result\":42}");
    eval_view v = {.format = FORMAT_LINES, .expr = "sum(a)"};
    capture c;
    open_capture(&c);
    assert_int_equal(output_eval(c.f, &v, &r), 0);
    expect(&c, "42\n");
    response null = parse("{\"ok\":true,\"type\":\"f64\",\"result\":null}");
    open_capture(&c);
    assert_int_equal(output_eval(c.f, &v, &null), 0);
    expect(&c, "null\n");
    v.format = FORMAT_CSV;
    open_capture(&c);
    assert_int_equal(output_eval(c.f, &v, &null), 0);
    expect(&c, "sum(a)\n\n");
}

static void csv_format_has_the_expression_as_header(void **state)
{
    (void)state;
    response r = parse("{\"ok\":true,\"type\":\"bool\",\"rows\":2,\"result\":[true,false]}");
    eval_view v = {.format = FORMAT_CSV, .expr = "a > 1, really"};
    capture c;
    open_capture(&c);
    assert_int_equal(output_eval(c.f, &v, &r), 0);
    expect(&c, "\"a > 1, really\"\ntrue\nfalse\n");
}

static void json_format_prints_the_answer_as_is(void **state)
{
    (void)state;
    const char *line = "{\"ok\":true,\"type\":\"i64\",\"result\":[1, 2]}";
    response r = parse(line);
    eval_view v = {.format = FORMAT_JSON, .expr = "a"};
    capture c;
    open_capture(&c);
    assert_int_equal(output_eval(c.f, &v, &r), 0);
    expect(&c, "{\"ok\":true,\"type\":\"i64\",\"result\":[1, 2]}\n");
}

static void with_input_puts_inputs_first_and_result_last(void **state)
{
    (void)state;
    response r = parse("{\"ok\":true,\"results\":["
                       "{\"type\":\"f64\",\"rows\":2,\"result\":[2.5,\"Infinity\"]},"
                       "{\"type\":\"i64\",\"rows\":2,\"result\":[5,7]},"
                       "{\"type\":\"f64\",\"rows\":2,\"result\":[2,0]}]}");
    const view_input inputs[] = {{"a", NULL, 0}, {"b,c", NULL, 0}};
    eval_view v = {.format = FORMAT_CSV, .expr = "a / \"b,c\"", .inputs = inputs,
                   .ninputs = 2, .with_input = 1};
    capture c;
    open_capture(&c);
    assert_int_equal(output_eval(c.f, &v, &r), 0);
    expect(&c, "a,\"b,c\",\"a / \"\"b,c\"\"\"\n5,2,2.5\n7,0,Infinity\n");
}

static void with_input_of_a_scalar_prints_the_scalar(void **state)
{
    (void)state;
    response r = parse("{\"ok\":true,\"results\":[{\"type\":\"i64\",\"result\":12},"
                       "{\"type\":\"i64\",\"rows\":2,\"result\":[5,7]}]}");
    const view_input inputs[] = {{"a", NULL, 0}};
    eval_view v = {.format = FORMAT_CSV, .expr = "sum(a)", .inputs = inputs,
                   .ninputs = 1, .with_input = 1};
    capture c;
    open_capture(&c);
    assert_int_equal(output_eval(c.f, &v, &r), 0);
    expect(&c, "sum(a)\n12\n");
}

static void filters_print_row_indices(void **state)
{
    (void)state;
    response r = parse("{\"ok\":true,\"rows\":2,\"indices\":[0,3]}");
    eval_view v = {.format = FORMAT_LINES};
    capture c;
    open_capture(&c);
    assert_int_equal(output_eval(c.f, &v, &r), 0);
    expect(&c, "0\n3\n");
    v.format = FORMAT_CSV;
    open_capture(&c);
    assert_int_equal(output_eval(c.f, &v, &r), 0);
    expect(&c, "row\n0\n3\n");
}

static void filters_with_input_print_the_selected_rows(void **state)
{
    (void)state;
    response r = parse("{\"ok\":true,\"results\":[{\"type\":\"i64\",\"rows\":1,"
                       "\"result\":[4]},{\"type\":\"bool\",\"rows\":1,\"result\":[true]}]}");
    const view_input inputs[] = {{"q", NULL, 0}, {"flag", NULL, 0}};
    eval_view v = {.format = FORMAT_CSV, .inputs = inputs, .ninputs = 2,
                   .with_input = 1};
    capture c;
    open_capture(&c);
    assert_int_equal(output_eval(c.f, &v, &r), 0);
    expect(&c, "q,flag\n4,true\n");
}

static void text_columns_print_their_selected_cells(void **state)
{
    (void)state;
    const char *items[] = {"apple", "melon, large", "pear"};
    const view_input inputs[] = {{"item", items, 3}, {"qty", NULL, 0}};
    /* Rows 1 and 2 selected: the text column follows the indices. */
    response r = parse("{\"ok\":true,\"rows\":2,\"indices\":[1,2],\"results\":["
                       "{\"type\":\"i64\",\"rows\":2,\"result\":[4,6]},"
                       "{\"type\":\"i64\",\"rows\":2,\"result\":[2,3]}]}");
    eval_view v = {.format = FORMAT_CSV, .expr = "qty * 2", .inputs = inputs,
                   .ninputs = 2, .with_input = 1};
    capture c;
    open_capture(&c);
    assert_int_equal(output_eval(c.f, &v, &r), 0);
    expect(&c, "item,qty,qty * 2\n\"melon, large\",2,4\npear,3,6\n");
    /* A filter over text columns only: the indices are the rows. */
    const view_input only_text[] = {{"item", items, 3}};
    response sel = parse("{\"ok\":true,\"rows\":2,\"indices\":[0,2]}");
    eval_view w = {.format = FORMAT_CSV, .inputs = only_text, .ninputs = 1,
                   .with_input = 1};
    open_capture(&c);
    assert_int_equal(output_eval(c.f, &w, &sel), 0);
    expect(&c, "item\napple\npear\n");
    /* An index past the text column is not our answer. */
    response far = parse("{\"ok\":true,\"rows\":1,\"indices\":[3]}");
    open_capture(&c);
    assert_int_equal(output_eval(c.f, &w, &far), -1);
    fclose(c.f);
    free(c.text);
}

static void max_rows_cuts_long_columns(void **state)
{
    (void)state;
    response r = parse("{\"ok\":true,\"rows\":4,\"result\":[1,2,3,4]}");
    eval_view v = {.format = FORMAT_LINES, .expr = "a", .max_rows = 2};
    capture c;
    open_capture(&c);
    assert_int_equal(output_eval(c.f, &v, &r), 0);
    expect(&c, "1\n2\n... 2 more rows (4 in all)\n");
}

static void answers_of_the_wrong_shape_are_refused(void **state)
{
    (void)state;
    response r = parse("{\"ok\":true}");
    eval_view v = {.format = FORMAT_LINES, .expr = "a"};
    capture c;
    open_capture(&c);
    assert_int_equal(output_eval(c.f, &v, &r), -1);
    fclose(c.f);
    free(c.text);
    response ragged = parse("{\"ok\":true,\"results\":[{\"result\":[1,2]},"
                            "{\"result\":[1]}]}");
    const view_input inputs[] = {{"a", NULL, 0}};
    eval_view w = {.format = FORMAT_CSV, .expr = "a", .inputs = inputs,
                   .ninputs = 1, .with_input = 1};
    open_capture(&c);
    assert_int_equal(output_eval(c.f, &w, &ragged), -1);
    fclose(c.f);
    free(c.text);
}

static void csv_fields_quote_only_when_needed(void **state)
{
    (void)state;
    capture c;
    open_capture(&c);
    output_csv_field(c.f, "plain");
    fputc('|', c.f);
    output_csv_field(c.f, "a,b");
    fputc('|', c.f);
    output_csv_field(c.f, "say \"x\"");
    fputc('|', c.f);
    output_csv_field(c.f, " pad");
    fputc('|', c.f);
    output_csv_field(c.f, "two\nlines");
    expect(&c, "plain|\"a,b\"|\"say \"\"x\"\"\"|\" pad\"|\"two\nlines\"");
}

static void caret_sits_under_the_code_point(void **state)
{
    (void)state;
    capture c;
    open_capture(&c);
    output_caret(c.f, "a + )", 5, "  ");
    expect(&c, "  a + )\n      ^\n");
    /* Multi-byte characters count as one position each. */
    open_capture(&c);
    output_caret(c.f, "\"d\xc3\xa9j\xc3\xa0\" + )", 10, "");
    expect(&c, "\"d\xc3\xa9j\xc3\xa0\" + )\n         ^\n");
    /* The end of the input is length + 1. */
    open_capture(&c);
    output_caret(c.f, "(a + b", 7, "");
    expect(&c, "(a + b\n      ^\n");
    /* Tabs stay tabs so the caret lines up. */
    open_capture(&c);
    output_caret(c.f, "\ta +", 5, "");
    expect(&c, "\ta +\n\t   ^\n");
    /* Only the line holding the position is shown. */
    open_capture(&c);
    output_caret(c.f, "a +\nb *\n)", 9, "");
    expect(&c, ")\n^\n");
}

static void errors_show_code_message_caret_and_row(void **state)
{
    (void)state;
    response r = parse("{\"ok\":false,\"error\":{\"code\":\"parse_error\","
                       "\"message\":\"unexpected ')'\",\"position\":5}}");
    capture c;
    open_capture(&c);
    output_error(c.f, "jitcalc: ", &r, "a + )", NULL, NULL);
    expect(&c, "jitcalc: parse_error: unexpected ')'\n    a + )\n        ^\n");
    response_free(&r);

    response w = parse("{\"ok\":false,\"error\":{\"code\":\"type_error\","
                       "\"message\":\"m\",\"position\":3,\"in\":\"where\"}}");
    open_capture(&c);
    output_error(c.f, "", &w, "a and 1", "--where", NULL);
    expect(&c, "type_error: m\n  in --where, at position 3:\n    a and 1\n      ^\n");
    response_free(&w);

    incols cs;
    char msg[128];
    incols_init(&cs);
    assert_int_equal(incols_add_list(&cs, "a=1,2,0", msg, sizeof msg), 0);
    response z = parse("{\"ok\":false,\"error\":{\"code\":\"division_by_zero\","
                       "\"message\":\"division by zero\",\"row\":2}}");
    open_capture(&c);
    output_error(c.f, "jitcalc: ", &z, "10 // a", NULL, &cs);
    expect(&c, "jitcalc: division_by_zero: division by zero\n  at row 2\n");
    cs.source = strdup("data.csv");
    open_capture(&c);
    output_error(c.f, "jitcalc: ", &z, "10 // a", NULL, &cs);
    expect(&c, "jitcalc: division_by_zero: division by zero\n"
               "  at row 2 (data.csv line 4)\n");
    response_free(&z);
    incols_free(&cs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(values_print_as_the_protocol_writes_them),
        cmocka_unit_test(scalars_print_one_value),
        cmocka_unit_test(csv_format_has_the_expression_as_header),
        cmocka_unit_test(json_format_prints_the_answer_as_is),
        cmocka_unit_test(with_input_puts_inputs_first_and_result_last),
        cmocka_unit_test(with_input_of_a_scalar_prints_the_scalar),
        cmocka_unit_test(filters_print_row_indices),
        cmocka_unit_test(filters_with_input_print_the_selected_rows),
        cmocka_unit_test(text_columns_print_their_selected_cells),
        cmocka_unit_test(max_rows_cuts_long_columns),
        cmocka_unit_test(answers_of_the_wrong_shape_are_refused),
        cmocka_unit_test(csv_fields_quote_only_when_needed),
        cmocka_unit_test(caret_sits_under_the_code_point),
        cmocka_unit_test(errors_show_code_message_caret_and_row),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
