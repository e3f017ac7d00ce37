/* Scanning response lines in place: members, arrays, strings with escapes,
 * malformed or truncated text, and the fields of a response. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clients/response.h"

static jspan span(const char *s)
{
    jspan v = {s, strlen(s)};
    return v;
}

static void members_are_found_past_nested_values(void **state)
{
    (void)state;
    jspan v;
    const char *obj = "{\"a\":{\"ok\":false,\"x\":[1,{\"y\":\"]}\"}]},"
                      " \"s\":\"q\\\"}\" , \"ok\" : true }";
    assert_int_equal(jscan_member(span(obj), "ok", &v), 1);
    assert_true(jspan_is(v, "true"));
    assert_int_equal(jscan_member(span(obj), "s", &v), 1);
    assert_true(jspan_is(v, "\"q\\\"}\""));
    assert_int_equal(jscan_member(span(obj), "missing", &v), 0);
    assert_int_equal(jscan_member(span("[1]"), "a", &v), -1);
}

static void arrays_iterate_in_order(void **state)
{
    (void)state;
    jiter it;
    jspan v;
    assert_int_equal(jscan_array_begin(span(" [1, \"NaN\" ,true,null,[2,3], -0.5e3]"), &it), 0);
    const char *want[] = {"1", "\"NaN\"", "true", "null", "[2,3]", "-0.5e3"};
    for (size_t i = 0; i < 6; i++) {
        assert_int_equal(jscan_array_next(&it, &v), 1);
        assert_true(jspan_is(v, want[i]));
    }
    assert_int_equal(jscan_array_next(&it, &v), 0);
    assert_int_equal(jscan_array_begin(span("[]"), &it), 0);
    assert_int_equal(jscan_array_next(&it, &v), 0);
    assert_int_equal(jscan_array_begin(span("{}"), &it), -1);
}

static void truncated_or_malformed_text_is_refused(void **state)
{
    (void)state;
    jspan v;
    jiter it;
    const char *bad[] = {"{\"ok\":tr", "{\"ok\" true}", "{\"a\":[1,2}", "{\"a\":\"x",
                         "{\"a\":1,,}", "{", "", "{\"a\":}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(jscan_member(span(bad[i]), "ok", &v), -1);
    assert_int_equal(jscan_array_begin(span("[1,"), &it), 0);
    assert_int_equal(jscan_array_next(&it, &v), 1);
    assert_int_equal(jscan_array_next(&it, &v), -1);
    const char cut[] = "\"abc";
    assert_null(jscan_skip(cut, cut + 4));
}

static void strings_and_integers_decode(void **state)
{
    (void)state;
    int64_t x;
    assert_int_equal(jspan_int(span("-42"), &x), 0);
    assert_int_equal(x, -42);
    assert_int_equal(jspan_int(span("4.5"), &x), -1);
    char *s = jspan_string(span("\"a\\u00e9\\n\""));
    assert_string_equal(s, "a\xc3\xa9\n");
    free(s);
    assert_null(jspan_string(span("12")));
}

static void ok_responses_expose_their_parts(void **state)
{
    (void)state;
    const char *line = "{\"id\":{\"ok\":false},\"ok\":true,\"type\":\"f64\","
                       "\"rows\":2,\"result\":[1.5,\"NaN\"],\"cached\":false}";
    response r;
    assert_int_equal(response_parse(line, strlen(line), &r), 0);
    assert_int_equal(r.ok, 1);
    assert_true(jspan_is(r.type, "\"f64\""));
    assert_int_equal(r.rows, 2);
    assert_true(jspan_is(r.result, "[1.5,\"NaN\"]"));
    assert_null(r.results.p);
    response_free(&r);
}

static void error_responses_expose_code_message_position_row(void **state)
{
    (void)state;
    const char *line = "{\"ok\":false,\"error\":{\"code\":\"parse_error\","
                       "\"message\":\"expected \\\")\\\"\",\"position\":7,"
                       "\"expr\":1,\"in\":\"where\"}}";
    response r;
    assert_int_equal(response_parse(line, strlen(line), &r), 0);
    assert_int_equal(r.ok, 0);
    assert_string_equal(r.code, "parse_error");
    assert_string_equal(r.message, "expected \")\"");
    assert_int_equal(r.position, 7);
    assert_int_equal(r.row, -1);
    assert_int_equal(r.expr, 1);
    assert_int_equal(r.in_where, 1);
    response_free(&r);
    const char *row = "{\"ok\":false,\"error\":{\"code\":\"division_by_zero\","
                      "\"message\":\"m\",\"row\":2}}";
    assert_int_equal(response_parse(row, strlen(row), &r), 0);
    assert_int_equal(r.row, 2);
    assert_int_equal(r.position, 0);
    assert_int_equal(r.in_where, 0);
    response_free(&r);
}

static void lines_without_boolean_ok_are_not_responses(void **state)
{
    (void)state;
    response r;
    const char *lines[] = {"[1]", "{\"ok\":1}", "{}", "hello", "{\"ok\":true"};
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(response_parse(lines[i], strlen(lines[i]), &r), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(members_are_found_past_nested_values),
        cmocka_unit_test(arrays_iterate_in_order),
        cmocka_unit_test(truncated_or_malformed_text_is_refused),
        cmocka_unit_test(strings_and_integers_decode),
        cmocka_unit_test(ok_responses_expose_their_parts),
        cmocka_unit_test(error_responses_expose_code_message_position_row),
        cmocka_unit_test(lines_without_boolean_ok_are_not_responses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
