/* test_columns.c — the pre-lexer and the column decoder: request JSON to
 * typed columns, by the fast (lifted) path and by jansson, with the same
 * answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/b64.h"
#include "server/columns.h"
#include "server/prelex.h"
#include "server/tables.h"

/* Decodes the "columns" of a request line. slow: make prelex leave the
 * columns to jansson (a \u0000 anywhere in the line turns lifting off). */
typedef struct decoded {
    prelex lex;
    json_t *root;
    colset cols;
    perr err;
    int rc;
} decoded;

static void decode(decoded *d, const char *line, int slow)
{
    char text[4096];
    if (slow) {
        snprintf(text, sizeof text, "{\"id\":\"\\u0000\",%s", line + 1);
        line = text;
    }
    memset(d, 0, sizeof *d);
    colset_init(&d->cols);
    assert_int_equal(prelex_run(&d->lex, line, strlen(line)), 0);
    assert_int_equal(d->lex.lifting, 0 == slow && d->lex.owned != NULL);
    json_error_t jerr;
    d->root = json_loadb(d->lex.line, d->lex.len,
                         JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL | JSON_DECODE_ANY, &jerr);
    if (!d->root)
        fail_msg("jansson: %s in %.*s", jerr.text, (int)d->lex.len, d->lex.line);
    d->rc = colset_decode(&d->cols, json_object_get(d->root, "columns"), &d->lex, &d->err);
}

static void undecode(decoded *d)
{
    colset_free(&d->cols);
    json_decref(d->root);
    prelex_free(&d->lex);
}

/* Both paths give exactly these columns (types and bytes). */
static void expect_columns(const char *line, size_t n, const jc_type *types,
                           const size_t *rows, const void *const *data)
{
    for (int slow = 0; slow < 2; slow++) {
        decoded d;
        decode(&d, line, slow);
        if (d.rc != 0)
            fail_msg("%s (slow=%d): %s %s", line, slow, d.err.code, d.err.message);
        assert_int_equal(d.cols.n, n);
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(d.cols.cols[i].type, types[i]);
            assert_int_equal(d.cols.cols[i].length, rows[i]);
            if (rows[i])
                assert_memory_equal(d.cols.cols[i].data, data[i], rows[i] * type_size(types[i]));
        }
        undecode(&d);
    }
}

static void expect_error(const char *line, const char *code, const char *in_message)
{
    for (int slow = 0; slow < 2; slow++) {
        decoded d;
        decode(&d, line, slow);
        if (d.rc == 0)
            fail_msg("%s (slow=%d) was accepted", line, slow);
        assert_string_equal(d.err.code, code);
        if (!strstr(d.err.message, in_message))
            fail_msg("%s: message \"%s\" lacks \"%s\"", line, d.err.message, in_message);
        undecode(&d);
    }
}

static void arrays_infer_i64_f64_and_bool(void **state)
{
    (void)state;
    int64_t a[] = {1, -2, 3};
    double b[] = {1.0, 2.5, -0.0};
    uint8_t c[] = {1, 0, 1};
    double e[] = {NAN, INFINITY, -INFINITY};
    jc_type types[] = {JC_I64, JC_F64, JC_BOOL, JC_F64, JC_F64};
    size_t rows[] = {3, 3, 3, 0, 3};
    const void *data[] = {a, b, c, NULL, e};
    expect_columns("{\"columns\":{\"a\":[1,-2,3],\"b\":[1, 2.5, -0.0],\"c\":[true,false,true],"
                   "\"d\":[],\"e\":[\"NaN\",\"Infinity\",\"-Infinity\"]}}",
                   5, types, rows, data);
}

static void integers_outside_int64_make_the_column_f64(void **state)
{
    (void)state;
    double a[] = {1.0, 9223372036854775808.0};
    int64_t b[] = {INT64_MIN, INT64_MAX};
    double c[] = {1e3, 0.0}; /* -0 is an integer token: i64 0, then 0.0 */
    jc_type types[] = {JC_F64, JC_I64, JC_F64};
    size_t rows[] = {2, 2, 2};
    const void *data[] = {a, b, c};
    expect_columns("{\"columns\":{\"a\":[1, 9223372036854775808],"
                   "\"b\":[-9223372036854775808, 9223372036854775807],\"c\":[1e3, -0]}}",
                   3, types, rows, data);
}

static void typed_columns_fix_the_type(void **state)
{
    (void)state;
    double a[] = {1.0, 2.0};
    int64_t b[] = {7};
    uint8_t c[] = {0, 1};
    jc_type types[] = {JC_F64, JC_I64, JC_BOOL, JC_I64};
    size_t rows[] = {2, 1, 2, 0};
    const void *data[] = {a, b, c, NULL};
    expect_columns("{\"columns\":{\"a\":{\"type\":\"f64\",\"data\":[1,2]},"
                   "\"b\":{\"data\":[7],\"type\":\"i64\"},\"c\":{\"type\":\"bool\",\"data\":[false,true]},"
                   "\"d\":{\"type\":\"i64\",\"data\":[]}}}",
                   4, types, rows, data);
}

static void base64_columns_are_little_endian_packed(void **state)
{
    (void)state;
    double a[] = {1.5, -2.0, NAN};
    int64_t b[] = {-1, 42};
    uint8_t c[] = {1, 0, 1, 1};
    char ta[64], tb[64], tc[64], line[512];
    b64_encode((const uint8_t *)a, sizeof a, ta);
    ta[b64_encoded_len(sizeof a)] = '\0';
    b64_encode((const uint8_t *)b, sizeof b, tb);
    tb[b64_encoded_len(sizeof b)] = '\0';
    b64_encode(c, sizeof c, tc);
    tc[b64_encoded_len(sizeof c)] = '\0';
    snprintf(line, sizeof line,
             "{\"columns\":{\"a\":{\"type\":\"f64\",\"base64\":\"%s\"},\"b\":{\"type\":\"i64\","
             "\"base64\":\"%s\"},\"c\":{\"type\":\"bool\",\"base64\":\"%s\"},"
             "\"d\":{\"type\":\"f64\",\"base64\":\"\"}}}",
             ta, tb, tc);
    jc_type types[] = {JC_F64, JC_I64, JC_BOOL, JC_F64};
    size_t rows[] = {3, 2, 4, 0};
    const void *data[] = {a, b, c, NULL};
    expect_columns(line, 4, types, rows, data);
}

static void bad_columns_are_bad_requests_naming_the_column(void **state)
{
    (void)state;
    expect_error("{\"columns\":{\"mix\":[1,true]}}", "bad_request", "\"mix\"");
    expect_error("{\"columns\":{\"n\":[1,null]}}", "bad_request", "\"n\"");
    expect_error("{\"columns\":{\"s\":[\"nan\"]}}", "bad_request", "\"s\"");
    expect_error("{\"columns\":{\"o\":[[1]]}}", "bad_request", "\"o\"");
    expect_error("{\"columns\":{\"x\":5}}", "bad_request", "\"x\"");
    expect_error("{\"columns\":{\"t\":{\"type\":\"f32\",\"data\":[1]}}}", "bad_request", "unknown type");
    expect_error("{\"columns\":{\"t\":{\"type\":\"i64\",\"data\":[1.0]}}}", "bad_request", "\"t\"");
    expect_error("{\"columns\":{\"t\":{\"type\":\"i64\",\"data\":[9223372036854775808]}}}",
                 "bad_request", "\"t\"");
    expect_error("{\"columns\":{\"t\":{\"type\":\"i64\",\"data\":[\"NaN\"]}}}", "bad_request", "\"t\"");
    expect_error("{\"columns\":{\"t\":{\"type\":\"bool\",\"data\":[1]}}}", "bad_request", "\"t\"");
    expect_error("{\"columns\":{\"t\":{\"type\":\"f64\",\"data\":[true]}}}", "bad_request", "\"t\"");
    expect_error("{\"columns\":{\"t\":{\"type\":\"f64\"}}}", "bad_request", "\"t\"");
    expect_error("{\"columns\":{\"t\":{\"type\":\"f64\",\"data\":[],\"base64\":\"\"}}}",
                 "bad_request", "\"t\"");
    expect_error("{\"columns\":{\"t\":{\"type\":\"f64\",\"dta\":[]}}}", "bad_request", "dta");
    expect_error("{\"columns\":{\"t\":{\"type\":\"f64\",\"base64\":\"AAAA\"}}}", "bad_request",
                 "whole number");
    expect_error("{\"columns\":{\"t\":{\"type\":\"f64\",\"base64\":\"AA-AAAAAAAA=\"}}}",
                 "bad_request", "does not decode");
    expect_error("{\"columns\":{\"t\":{\"type\":\"bool\",\"base64\":\"Ag==\"}}}", "bad_request",
                 "0 or 1");
    expect_error("{\"columns\":[1]}", "bad_request", "object");
}

static void column_lengths_must_agree(void **state)
{
    (void)state;
    decoded d;
    decode(&d, "{\"columns\":{\"a\":[1,2],\"b\":[1,2,3]}}", 0);
    assert_int_equal(d.rc, 0);
    size_t rows;
    perr e;
    assert_int_equal(colset_rows(d.cols.cols, d.cols.n, &rows, &e), -1);
    assert_string_equal(e.code, "length_mismatch");
    undecode(&d);
}

/* Parses line both as is and after prelex; jansson must agree on validity. */
static void same_validity(const char *line)
{
    prelex p;
    assert_int_equal(prelex_run(&p, line, strlen(line)), 0);
    json_t *a = json_loadb(line, strlen(line), JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, NULL);
    json_t *b = json_loadb(p.line, p.len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, NULL);
    if (!a != !b)
        fail_msg("validity differs for %s", line);
    json_decref(a);
    json_decref(b);
    prelex_free(&p);
}

static void prelex_keeps_validity_and_lifts_only_columns(void **state)
{
    (void)state;
    static const char *lines[] = {
        "{\"columns\":{\"a\":[1,2]}}",
        "{\"columns\":{\"a\":[1,2]}",
        "{\"columns\":{\"a\":[1,2],}}",
        "{\"columns\":{\"a\":[1,2]]}}",
        "{\"columns\":{\"a\":[1,,2]}}",
        "{\"columns\":{\"a\":[01]}}",
        "{\"columns\":{\"a\":[1.]}}",
        "{\"columns\":{\"a\":[1e999]}}",
        "{\"columns\":{\"a\":[tru]}}",
        "{\"columns\":{\"a\":[1,2]} \"x\"}",
        "{\"columns\":{\"a\":{\"type\":\"f64\",\"base64\":\"AAAA\xff\"}}}",
        "{\"columns\":{\"a\":{\"type\":\"f64\",\"base64\":\"AA\x01\"}}}",
        "{\"columns\":{\"a\":[1],\"a\":[2]}}",
        "{\"id\":[1,2,3],\"columns\":{}}",
        "[1,2]",
        "",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        same_validity(lines[i]);

    /* only column payloads are lifted: an id array stays as sent */
    prelex p;
    const char *line = "{\"id\":[1,2],\"columns\":{\"a\":[1,2]},\"exprs\":[\"NaN\"]}";
    assert_int_equal(prelex_run(&p, line, strlen(line)), 0);
    assert_int_equal(p.nlifts, 1);
    assert_non_null(strstr(p.line, "\"id\":[1,2]"));
    assert_non_null(strstr(p.line, "\"exprs\":[\"NaN\"]"));
    prelex_free(&p);

    /* integers jansson cannot hold become f64 everywhere */
    line = "{\"id\":-99999999999999999999}";
    assert_int_equal(prelex_run(&p, line, strlen(line)), 0);
    assert_string_equal(p.line, "{\"id\":-99999999999999999999.0}");
    prelex_free(&p);
}

static void a_nul_escape_turns_lifting_off(void **state)
{
    (void)state;
    prelex p;
    /* the placeholder text itself, sent by a client, stays a plain string */
    const char *line = "{\"columns\":{\"a\":\"\\u0000L0\",\"b\":[1]}}";
    assert_int_equal(prelex_run(&p, line, strlen(line)), 0);
    assert_int_equal(p.lifting, 0);
    assert_int_equal(p.nlifts, 0);
    assert_null(prelex_lookup(&p, "\0L0", 3));
    prelex_free(&p);
}

static void stored_tables_replace_and_bound_bytes(void **state)
{
    (void)state;
    tables *ts = tables_new(64);
    decoded d;
    perr e;
    decode(&d, "{\"columns\":{\"a\":[1,2,3,4]}}", 0); /* 32 bytes */
    assert_int_equal(tables_put(ts, "t", 1, &d.cols, 4, &e), 0);
    assert_int_equal(d.cols.n, 0);
    undecode(&d);
    table *held = tables_get(ts, "t", 1);
    assert_non_null(held);

    decode(&d, "{\"columns\":{\"a\":[1,2,3,4,5],\"b\":[1,2,3,4,5]}}", 0); /* 80 bytes */
    assert_int_equal(tables_put(ts, "u", 1, &d.cols, 5, &e), -1);
    assert_string_equal(e.code, "limit_exceeded");
    assert_int_equal(d.cols.n, 2); /* nothing taken */
    undecode(&d);

    /* replacing counts the old table's bytes as freed */
    decode(&d, "{\"columns\":{\"a\":[1,2,3,4,5,6,7,8]}}", 0); /* 64 bytes */
    assert_int_equal(tables_put(ts, "t", 1, &d.cols, 8, &e), 0);
    undecode(&d);
    /* the reference taken before still reads the old columns */
    assert_int_equal(held->rows, 4);
    assert_int_equal(((const int64_t *)held->cols.cols[0].data)[3], 4);
    table_release(held);

    assert_int_equal(tables_drop(ts, "t", 1), 0);
    assert_int_equal(tables_drop(ts, "t", 1), -1);
    assert_null(tables_get(ts, "t", 1));
    tables_free(ts);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(arrays_infer_i64_f64_and_bool),
        cmocka_unit_test(integers_outside_int64_make_the_column_f64),
        cmocka_unit_test(typed_columns_fix_the_type),
        cmocka_unit_test(base64_columns_are_little_endian_packed),
        cmocka_unit_test(bad_columns_are_bad_requests_naming_the_column),
        cmocka_unit_test(column_lengths_must_agree),
        cmocka_unit_test(prelex_keeps_validity_and_lifts_only_columns),
        cmocka_unit_test(a_nul_escape_turns_lifting_off),
        cmocka_unit_test(stored_tables_replace_and_bound_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
