/*
 * test_hostile_service.c — hostile request lines through the protocol
 * service (server/service.h), the code every daemon connection and
 * `jitcalc --local` runs: each gets one well-formed error response (or the
 * right answer), and the service keeps answering afterwards.
 */
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jitcalc.h"
#include "server/service.h"
#include "textbuf.h"

#define MIB ((size_t)1 << 20)

static jc_engine *engine;
static jc_service *svc;

static int setup(void **state)
{
    (void)state;
    jc_error err;
    engine = jc_engine_new(NULL, &err);
    if (!engine)
        return -1;
    service_options o;
    service_options_init(&o);
    o.max_table_bytes = 64 * MIB;
    svc = service_new(engine, &o);
    return svc ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    service_free(svc);
    jc_engine_free(engine);
    return 0;
}

/* Sends one line to s; the response must be one JSON object on one line
 * with a boolean "ok". Returns it (json_decref it). */
static json_t *ask_on(jc_service *s, const char *line, size_t len)
{
    int oom = 0;
    char *text = service_handle(s, line, len, &oom);
    assert_false(oom);
    if (!text)
        fail_msg("no response to '%.80s'", line);
    assert_null(strchr(text, '\n'));
    json_error_t jerr;
    json_t *r = json_loads(text, 0, &jerr);
    if (!r || !json_is_object(r) || !json_is_boolean(json_object_get(r, "ok")))
        fail_msg("not a response: %.200s", text);
    free(text);
    return r;
}

static json_t *ask(const char *line, size_t len) { return ask_on(svc, line, len); }

static const char *error_code(const json_t *r)
{
    return json_string_value(json_object_get(json_object_get(r, "error"), "code"));
}

/* The service still answers after whatever came before. */
static void still_serving(void)
{
    json_t *r = ask("{\"op\":\"ping\"}", 13);
    assert_true(json_is_true(json_object_get(r, "ok")));
    json_decref(r);
}

static void expect_error_on(jc_service *s, const char *line, size_t len, const char *code)
{
    json_t *r = ask_on(s, line, len);
    const char *got = error_code(r);
    if (!json_is_false(json_object_get(r, "ok")) || !got || strcmp(got, code) != 0) {
        char *text = json_dumps(r, 0);
        fail_msg("'%.80s%s' (%zu bytes): want %s, got %.300s", line, len > 80 ? "..." : "",
                 len, code, text);
    }
    json_decref(r);
    still_serving();
}

static void expect_error(const char *line, const char *code)
{
    expect_error_on(svc, line, strlen(line), code);
}

/* Asks and returns the successful response (json_decref it). */
static json_t *expect_ok_n(const char *line, size_t len)
{
    json_t *r = ask(line, len);
    if (!json_is_true(json_object_get(r, "ok"))) {
        char *text = json_dumps(r, 0);
        fail_msg("'%.80s%s': %.300s", line, len > 80 ? "..." : "", text);
    }
    return r;
}

static json_t *expect_ok(const char *line) { return expect_ok_n(line, strlen(line)); }

/* The text of the response's "result" value, exactly as the service
 * printed it (results are flat: a scalar or an array of scalars). */
static char *raw_result(const char *resp)
{
    const char *p = strstr(resp, "\"result\":");
    if (!p)
        return NULL;
    p += 9;
    const char *q = p;
    if (*q == '[')
        q = strchr(q, ']') + 1;
    else
        q += strcspn(q, ",}");
    return strndup(p, (size_t)(q - p));
}

/* The request succeeds with this type and this result text. */
static void expect_result(const char *line, const char *type, const char *want)
{
    int oom = 0;
    char *text = service_handle(svc, line, strlen(line), &oom);
    assert_non_null(text);
    json_t *r = json_loads(text, 0, NULL);
    if (!r || !json_is_true(json_object_get(r, "ok")))
        fail_msg("'%.80s': %.300s", line, text);
    assert_string_equal(json_string_value(json_object_get(r, "type")), type);
    char *got = raw_result(text);
    if (!got || strcmp(got, want) != 0)
        fail_msg("'%.80s': result %s, want %s", line, got ? got : "(none)", want);
    free(got);
    json_decref(r);
    free(text);
}

/* {"expr":"<expr>"} with expr JSON-escaped by jansson. */
static char *expr_request(const char *expr, size_t len, const char *extra)
{
    json_t *req = json_pack("{s:s%}", "expr", expr, len);
    assert_non_null(req);
    char *body = json_dumps(req, JSON_COMPACT);
    json_decref(req);
    textbuf t;
    tb_init(&t);
    tb_add(&t, body);
    t.len--; /* drop the closing brace, add the extra fields */
    tb_add(&t, extra);
    tb_add(&t, "}");
    free(body);
    return t.s;
}

/* ---- expressions ---- */

static void deep_nesting_is_limit_exceeded(void **state)
{
    (void)state;
    textbuf e;
    tb_init(&e);
    tb_repeat(&e, "(", 100000);
    tb_add(&e, "a");
    tb_repeat(&e, ")", 100000);
    char *line = expr_request(e.s, e.len, ",\"columns\":{\"a\":[1]}");
    expect_error(line, "limit_exceeded");
    free(line);
    tb_free(&e);
    /* deep but within the length limit: 30,000 prefix minus signs */
    tb_init(&e);
    tb_repeat(&e, "-", 30000);
    tb_add(&e, "a");
    line = expr_request(e.s, e.len, ",\"columns\":{\"a\":[1]}");
    expect_error(line, "limit_exceeded");
    free(line);
    tb_free(&e);
}

static void an_expression_of_64_kib_plus_one_is_limit_exceeded(void **state)
{
    (void)state;
    size_t limit = JC_DEFAULT_MAX_EXPR_BYTES;
    char *e = malloc(limit + 1);
    assert_non_null(e);
    memset(e, ' ', limit + 1);
    e[0] = 'a';
    char *line = expr_request(e, limit, ",\"columns\":{\"a\":[7]}");
    json_t *r = expect_ok(line);
    json_decref(r);
    free(line);
    line = expr_request(e, limit + 1, ",\"columns\":{\"a\":[7]}");
    expect_error(line, "limit_exceeded");
    free(line);
    free(e);
}

static void a_30000_term_chain_evaluates(void **state)
{
    (void)state;
    textbuf e;
    tb_init(&e);
    for (int i = 0; i < 30000; i++)
        tb_add(&e, i ? "+a" : "a");
    char *line = expr_request(e.s, e.len, ",\"columns\":{\"a\":[1,2]}");
    expect_result(line, "i64", "[30000,60000]");
    free(line);
    tb_free(&e);
}

static void bytes_that_are_not_text(void **state)
{
    (void)state;
    /* invalid UTF-8 anywhere in the line: bad_json */
    expect_error("{\"expr\":\"a\xff\",\"columns\":{\"a\":[1]}}", "bad_json");
    expect_error("{\"expr\":\"a\",\"columns\":{\"\xc0\xaf\":[1]}}", "bad_json");
    expect_error("{\"op\":\"ping\"}\xed\xa0\x80", "bad_json");
    /* NUL escaped in the expression: it reaches the parser */
    json_t *r = ask("{\"expr\":\"a\\u0000+1\",\"columns\":{\"a\":[1]}}", 40);
    assert_string_equal(error_code(r), "parse_error");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(r, "error"),
                                                        "position")), 2);
    json_decref(r);
    /* a raw NUL byte in the line is not JSON */
    expect_error_on(svc, "{\"op\":\"ping\"}\0", 14, "bad_json");
    expect_error_on(svc, "{\"expr\":\"a\0\"}", 13, "bad_json");
    /* NUL in a key (a column name) */
    expect_error("{\"expr\":\"a\",\"columns\":{\"a\\u0000b\":[1],\"a\":[2]}}", "bad_json");
    /* a lone surrogate escape */
    expect_error("{\"expr\":\"a\\ud800\",\"columns\":{\"a\":[1]}}", "bad_json");
    still_serving();
}

static void extreme_numbers(void **state)
{
    (void)state;
    expect_error("{\"expr\":\"1e999999\"}", "parse_error");
    expect_result("{\"expr\":\"-0\"}", "i64", "0");
    expect_result("{\"expr\":\"9223372036854775808\"}", "f64", "9.223372036854776e+18");
    expect_result("{\"expr\":\"1 / a\",\"columns\":{\"a\":[-0]}}", "f64", "[\"Infinity\"]");
    expect_result("{\"expr\":\"1 / a\",\"columns\":{\"a\":[-0.0]}}", "f64",
                  "[\"-Infinity\"]");
    expect_result("{\"expr\":\"a\",\"columns\":{\"a\":[1,9223372036854775808]}}", "f64",
                  "[1,9.223372036854776e+18]");
    expect_result("{\"expr\":\"a\",\"columns\":{\"a\":[-9223372036854775808]}}", "i64",
                  "[-9223372036854775808]");
    json_t *r = ask("{\"expr\":\"a + 1\",\"columns\":{\"a\":[1,9223372036854775807]}}", 56);
    assert_string_equal(error_code(r), "integer_overflow");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(r, "error"), "row")),
                     1);
    json_decref(r);
}

static void duplicate_keys_are_bad_json(void **state)
{
    (void)state;
    expect_error("{\"expr\":\"a\",\"expr\":\"b\",\"columns\":{\"a\":[1],\"b\":[2]}}",
                 "bad_json");
    expect_error("{\"expr\":\"a\",\"columns\":{\"a\":[1],\"a\":[2]}}", "bad_json");
    expect_error("{\"op\":\"ping\",\"op\":\"ping\"}", "bad_json");
    expect_error("{\"expr\":\"a\",\"columns\":{\"a\":{\"type\":\"f64\",\"type\":\"i64\","
                 "\"data\":[1]}}}", "bad_json");
}

static void columns_named_like_functions(void **state)
{
    (void)state;
    expect_result("{\"expr\":\"sum(sum) + min(min) + if(if, max, 0)\",\"columns\":"
                  "{\"sum\":[1,2],\"min\":[5,6],\"if\":[true,false],\"max\":[10,20]}}",
                  "i64", "[18,8]");
    expect_result("{\"expr\":\"\\\"and\\\" * 2\",\"columns\":{\"and\":[1.5]}}", "f64",
                  "[3]");
}

static void deeply_nested_json_is_bad_json(void **state)
{
    (void)state;
    textbuf t;
    tb_init(&t);
    tb_add(&t, "{\"op\":\"ping\",\"id\":");
    tb_repeat(&t, "[", 100000);
    tb_repeat(&t, "]", 100000);
    tb_add(&t, "}");
    expect_error_on(svc, t.s, t.len, "bad_json");
    tb_free(&t);
    tb_init(&t);
    tb_add(&t, "{\"expr\":\"a\",\"columns\":{\"a\":");
    tb_repeat(&t, "{\"x\":", 50000);
    tb_repeat(&t, "}", 50000);
    tb_add(&t, "}}");
    expect_error_on(svc, t.s, t.len, "bad_json");
    tb_free(&t);
}

/* ---- many columns ---- */

/* {"expr":EXPR,"columns":{"c0":[1],...,"c(n-1)":[1]}} */
static void wide_request(textbuf *t, const char *expr, size_t n)
{
    tb_init(t);
    tb_add(t, "{\"expr\":\"");
    tb_add(t, expr);
    tb_add(t, "\",\"columns\":{");
    char cell[40];
    for (size_t i = 0; i < n; i++) {
        int len = snprintf(cell, sizeof cell, "%s\"c%zu\":[1]", i ? "," : "", i);
        tb_addn(t, cell, (size_t)len);
    }
    tb_add(t, "}}");
}

static void huge_column_counts(void **state)
{
    (void)state;
    textbuf expr, t;
    /* 3,000 sent, 1,025 distinct used: limit_exceeded */
    tb_init(&expr);
    char name[24];
    for (int i = 0; i < 1025; i++) {
        snprintf(name, sizeof name, "%sc%d", i ? "+" : "", i * 2);
        tb_add(&expr, name);
    }
    wide_request(&t, expr.s, 3000);
    expect_error_on(svc, t.s, t.len, "limit_exceeded");
    tb_free(&t);
    /* 1,024 used: fine */
    expr.len = (size_t)(strrchr(expr.s, '+') - expr.s);
    expr.s[expr.len] = '\0';
    wide_request(&t, expr.s, 3000);
    expect_result(t.s, "i64", "[1024]");
    tb_free(&t);
    tb_free(&expr);
    /* 3,000 sent, 3 used */
    wide_request(&t, "c0 + c1500 + c2999", 3000);
    expect_result(t.s, "i64", "[3]");
    tb_free(&t);
}

/* A request of a million tiny columns, as many as a 16 MiB request
 * limit lets through: answered, and one byte more is refused before
 * it is parsed. */
static void millions_of_tiny_columns_are_bounded_by_the_request_limit(void **state)
{
    (void)state;
    service_options o;
    service_options_init(&o);
    o.max_request_bytes = 16 * MIB;
    jc_service *small = service_new(engine, &o);
    assert_non_null(small);
    textbuf t;
    wide_request(&t, "c0 + c1099999", 1100000);
    assert_true(t.len <= o.max_request_bytes);
    char *text = service_handle(small, t.s, t.len, NULL);
    assert_non_null(text);
    char *got = raw_result(text);
    if (!got || strcmp(got, "[2]") != 0)
        fail_msg("a million columns: %.300s", text);
    free(got);
    free(text);
    json_t *r;
    tb_free(&t);

    /* exactly the limit is read; the limit + 1 is refused */
    char *big = malloc(o.max_request_bytes + 1);
    assert_non_null(big);
    memset(big, ' ', o.max_request_bytes + 1);
    memcpy(big, "{\"op\":\"ping\"}", 13);
    r = ask_on(small, big, o.max_request_bytes);
    assert_true(json_is_true(json_object_get(r, "ok")));
    json_decref(r);
    expect_error_on(small, big, o.max_request_bytes + 1, "limit_exceeded");
    free(big);
    service_free(small);
}

/* The default limit, 64 MiB: a line one byte longer is limit_exceeded. */
static void a_line_of_64_mib_plus_one_is_limit_exceeded(void **state)
{
    (void)state;
    size_t n = 64 * MIB + 1;
    char *line = malloc(n);
    assert_non_null(line);
    memset(line, ' ', n);
    memcpy(line, "{\"op\":\"ping\"}", 13);
    expect_error_on(svc, line, n, "limit_exceeded");
    free(line);
}

/* ---- stored tables ---- */

static void a_failed_load_stores_nothing(void **state)
{
    (void)state;
    expect_error("{\"op\":\"load\",\"table\":\"t\",\"columns\":{\"a\":[1,2],\"b\":[1]}}",
                 "length_mismatch");
    expect_error("{\"op\":\"load\",\"table\":\"t\",\"columns\":{\"a\":[1,true]}}",
                 "bad_request");
    expect_error("{\"op\":\"load\",\"table\":\"t\\u0000x\",\"columns\":{\"a\":[1]}}",
                 "bad_request");
    expect_error("{\"expr\":\"a\",\"table\":\"t\"}", "unknown_table");
    json_t *r = expect_ok("{\"op\":\"tables\"}");
    assert_int_equal(json_array_size(json_object_get(r, "tables")), 0);
    json_decref(r);
}

static void a_table_past_the_byte_limit_is_refused(void **state)
{
    (void)state;
    service_options o;
    service_options_init(&o);
    o.max_table_bytes = 1000;
    jc_service *small = service_new(engine, &o);
    assert_non_null(small);
    textbuf t;
    tb_init(&t);
    tb_add(&t, "{\"op\":\"load\",\"table\":\"big\",\"columns\":{\"a\":[");
    for (int i = 0; i < 200; i++)
        tb_add(&t, i ? ",1.5" : "1.5");
    tb_add(&t, "]}}");
    expect_error_on(small, t.s, t.len, "limit_exceeded");
    json_t *r = ask_on(small, "{\"op\":\"tables\"}", 15);
    assert_int_equal(json_array_size(json_object_get(r, "tables")), 0);
    json_decref(r);
    tb_free(&t);
    service_free(small);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(deep_nesting_is_limit_exceeded),
        cmocka_unit_test(an_expression_of_64_kib_plus_one_is_limit_exceeded),
        cmocka_unit_test(a_30000_term_chain_evaluates),
        cmocka_unit_test(bytes_that_are_not_text),
        cmocka_unit_test(extreme_numbers),
        cmocka_unit_test(duplicate_keys_are_bad_json),
        cmocka_unit_test(columns_named_like_functions),
        cmocka_unit_test(deeply_nested_json_is_bad_json),
        cmocka_unit_test(huge_column_counts),
        cmocka_unit_test(millions_of_tiny_columns_are_bounded_by_the_request_limit),
        cmocka_unit_test(a_line_of_64_mib_plus_one_is_limit_exceeded),
        cmocka_unit_test(a_failed_load_stores_nothing),
        cmocka_unit_test(a_table_past_the_byte_limit_is_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
