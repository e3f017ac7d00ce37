/* Building request lines: JSON strings, shortest doubles, base64, and the
 * typed column forms. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clients/request.h"

static const char *text(strbuf *sb)
{
    const char *s = strbuf_cstr(sb);
    assert_non_null(s);
    return s;
}

static void doubles_print_shortest_and_look_real(void **state)
{
    (void)state;
    char buf[32];
    const struct {
        double v;
        const char *want;
    } cases[] = {
        {0.1, "0.1"},       {2.0, "2.0"},       {-0.0, "-0.0"},
        {1e300, "1e+300"},  {1.5, "1.5"},       {123456789.0, "123456789.0"},
        {5e-324, "5e-324"},
        {0.30000000000000004, "0.30000000000000004"},
        {1.7976931348623157e308, "1.7976931348623157e+308"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        format_double(buf, cases[i].v);
        assert_string_equal(buf, cases[i].want);
        assert_true(strtod(buf, NULL) == cases[i].v);
    }
}

static void json_strings_escape_quotes_backslashes_and_controls(void **state)
{
    (void)state;
    strbuf sb;
    strbuf_init(&sb);
    const char raw[] = "a\"b\\c\n\t\x01\0z\xc3\xa9";
    strbuf_add_json_string(&sb, raw, sizeof raw - 1);
    assert_string_equal(text(&sb), "\"a\\\"b\\\\c\\n\\t\\u0001\\u0000z\xc3\xa9\"");
    strbuf_free(&sb);
}

static void base64_matches_rfc_4648(void **state)
{
    (void)state;
    const char *in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    const char *out[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=",
                         "Zm9vYmFy"};
    for (size_t i = 0; i < 7; i++) {
        strbuf sb;
        strbuf_init(&sb);
        strbuf_add_base64(&sb, in[i], strlen(in[i]));
        assert_string_equal(text(&sb), out[i]);
        strbuf_free(&sb);
    }
}

static incols columns(const char *const *lists, size_t n)
{
    incols cs;
    char msg[256];
    incols_init(&cs);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(incols_add_list(&cs, lists[i], msg, sizeof msg), 0);
    assert_int_equal(incols_finish(&cs, msg, sizeof msg), 0);
    return cs;
}

/* (Text columns, like t below, are never sent.) */
static void small_columns_travel_as_typed_json(void **state)
{
    (void)state;
    const char *lists[] = {"a=1,-2", "t=x,y", "b=0.5,3", "c=true,false", "e="};
    incols cs = columns(lists, 5);
    strbuf sb;
    strbuf_init(&sb);
    request_begin(&sb, "eval");
    request_add_string(&sb, "expr", "a + b");
    request_add_columns(&sb, "columns", &cs);
    request_end(&sb);
    assert_string_equal(text(&sb),
                        "{\"op\":\"eval\",\"expr\":\"a + b\",\"columns\":{"
                        "\"a\":{\"type\":\"i64\",\"data\":[1,-2]},"
                        "\"b\":{\"type\":\"f64\",\"data\":[0.5,3.0]},"
                        "\"c\":{\"type\":\"bool\",\"data\":[true,false]},"
                        "\"e\":{\"type\":\"f64\",\"data\":[]}}}");
    strbuf_free(&sb);
    incols_free(&cs);
}

static void non_finite_f64_columns_travel_as_base64(void **state)
{
    (void)state;
    const char *lists[] = {"x=NaN,1.0"};
    incols cs = columns(lists, 1);
    strbuf sb;
    strbuf_init(&sb);
    request_begin(&sb, "load");
    request_add_columns(&sb, "columns", &cs);
    request_end(&sb);
    /* NaN = 00 00 00 00 00 00 f8 7f, 1.0 = 00 .. f0 3f (little-endian). */
    assert_string_equal(text(&sb), "{\"op\":\"load\",\"columns\":{\"x\":{\"type\":"
                                   "\"f64\",\"base64\":\"AAAAAAAA+H8AAAAAAADwPw==\"}}}");
    strbuf_free(&sb);
    incols_free(&cs);
}

static void large_columns_travel_as_base64(void **state)
{
    (void)state;
    strbuf list;
    strbuf_init(&list);
    strbuf_adds(&list, "n=");
    for (int i = 0; i <= REQUEST_JSON_MAX_ROWS; i++)
        strbuf_addf(&list, "%s%d", i ? "," : "", i % 2);
    const char *lists[] = {text(&list)};
    incols cs = columns(lists, 1);
    assert_int_equal(cs.cols[0].rows, REQUEST_JSON_MAX_ROWS + 1);
    strbuf sb;
    strbuf_init(&sb);
    request_begin(&sb, "eval");
    request_add_columns(&sb, "columns", &cs);
    request_end(&sb);
    const char *prefix = "{\"op\":\"eval\",\"columns\":{\"n\":{\"type\":\"i64\","
                         "\"base64\":\"AAAAAAAAAAABAAAAAAAAAA";
    assert_memory_equal(text(&sb), prefix, strlen(prefix));
    /* 1001 values of 8 bytes: 8008 bytes -> 10680 base64 characters. */
    assert_int_equal(sb.len, strlen("{\"op\":\"eval\",\"columns\":{\"n\":{\"type\":"
                                    "\"i64\",\"base64\":\"\"}}}") + 10680);
    strbuf_free(&sb);
    strbuf_free(&list);
    incols_free(&cs);
}

static void string_lists_and_raw_values(void **state)
{
    (void)state;
    strbuf sb;
    strbuf_init(&sb);
    const char *exprs[] = {"a", "\"x y\""};
    request_begin(&sb, "eval");
    request_add_strings(&sb, "exprs", exprs, 2);
    request_add_raw(&sb, "indices", "true");
    request_end(&sb);
    assert_string_equal(text(&sb), "{\"op\":\"eval\",\"exprs\":[\"a\",\"\\\"x y\\\"\"],"
                                   "\"indices\":true}");
    strbuf_free(&sb);
}

static void column_names_quote_as_identifiers(void **state)
{
    (void)state;
    strbuf sb;
    strbuf_init(&sb);
    quote_identifier(&sb, "unit \"price\"");
    assert_string_equal(text(&sb), "\"unit \"\"price\"\"\"");
    strbuf_free(&sb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(doubles_print_shortest_and_look_real),
        cmocka_unit_test(json_strings_escape_quotes_backslashes_and_controls),
        cmocka_unit_test(base64_matches_rfc_4648),
        cmocka_unit_test(small_columns_travel_as_typed_json),
        cmocka_unit_test(non_finite_f64_columns_travel_as_base64),
        cmocka_unit_test(large_columns_travel_as_base64),
        cmocka_unit_test(string_lists_and_raw_values),
        cmocka_unit_test(column_names_quote_as_identifiers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
