/*
 * test_hostile_api.c — hostile expressions and columns through the public
 * API: each gets a clear error (or the right value), never a crash, a
 * stack overflow or a hang. Deep nesting, oversized text, chains that are
 * deep trees, invalid UTF-8, NUL bytes, extreme literals, columns named
 * like functions and keywords, thousands of columns, API misuse.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jitcalc.h"
#include "textbuf.h"

static jc_engine *engine;      /* defaults */
static jc_engine *long_engine; /* expressions up to 4 MiB: reaches the depth limit */

static int setup(void **state)
{
    (void)state;
    jc_error err;
    engine = jc_engine_new(NULL, &err);
    jc_options o;
    jc_options_init(&o);
    o.max_expr_bytes = 4u << 20;
    long_engine = jc_engine_new(&o, &err);
    return engine && long_engine ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    jc_engine_free(engine);
    jc_engine_free(long_engine);
    return 0;
}

static double a_data[] = {1.5, -2.0, 0.0, 4.0};
static int64_t n_data[] = {1, 2, 3, 4};
static uint8_t p_data[] = {1, 0, 1, 1};
static jc_column cols[] = {{"a", JC_F64, a_data, 4},
                           {"n", JC_I64, n_data, 4},
                           {"p", JC_BOOL, p_data, 4}};

/* Evaluates text (len bytes) over cols; returns the error code. */
static jc_code eval_code(jc_engine *e, const char *text, size_t len, jc_result *r,
                         jc_error *err)
{
    memset(r, 0, sizeof *r);
    if (jc_eval(e, text, len, cols, 3, 4, r, err) == 0) {
        err->code = JC_OK;
        return JC_OK;
    }
    assert_true(err->code != JC_OK);
    assert_true(err->message[0] != '\0');
    return err->code;
}

static void expect_code(jc_engine *e, const char *text, size_t len, jc_code want)
{
    jc_result r;
    jc_error err;
    jc_code got = eval_code(e, text, len, &r, &err);
    if (got != want)
        fail_msg("'%.60s%s' (%zu bytes): got %s (%s), want %s", text, len > 60 ? "..." : "",
                 len, jc_code_name(got), got ? err.message : "", jc_code_name(want));
    jc_result_free(&r);
}

static void expect_parse_error_at(const char *text, size_t len, int64_t pos)
{
    jc_result r;
    jc_error err;
    jc_code got = eval_code(engine, text, len, &r, &err);
    if (got != JC_PARSE_ERROR || err.position != pos)
        fail_msg("'%.*s': got %s at %lld (%s), want parse_error at %lld", (int)len, text,
                 jc_code_name(got), (long long)err.position, err.message, (long long)pos);
    jc_result_free(&r);
}

static void expect_scalar_bits(const char *text, jc_type type, uint64_t bits)
{
    jc_result r;
    jc_error err;
    if (eval_code(engine, text, JC_NUL_TERMINATED, &r, &err) != JC_OK)
        fail_msg("'%s': %s", text, err.message);
    assert_false(r.is_column);
    assert_false(r.is_null);
    assert_int_equal(r.type, type);
    uint64_t got = 0;
    if (type == JC_BOOL)
        got = r.scalar.b;
    else
        memcpy(&got, &r.scalar, 8);
    if (got != bits)
        fail_msg("'%s' = 0x%016llx, want 0x%016llx", text, (unsigned long long)got,
                 (unsigned long long)bits);
}

static uint64_t f64_bits(double x)
{
    uint64_t b;
    memcpy(&b, &x, 8);
    return b;
}

/* ---- nesting ---- */

static void hundred_thousand_parentheses_are_limit_exceeded(void **state)
{
    (void)state;
    textbuf t;
    tb_init(&t);
    tb_repeat(&t, "(", 100000);
    tb_add(&t, "a");
    tb_repeat(&t, ")", 100000);
    /* over the length limit first; with a longer limit, the depth limit */
    expect_code(engine, t.s, t.len, JC_LIMIT_EXCEEDED);
    expect_code(long_engine, t.s, t.len, JC_LIMIT_EXCEEDED);
    /* unclosed: the same, not a parse error found after 100,000 levels */
    expect_code(long_engine, t.s, 100000, JC_LIMIT_EXCEEDED);
    tb_free(&t);
}

static void hundred_thousand_prefix_operators_are_limit_exceeded(void **state)
{
    (void)state;
    static const char *const prefixes[] = {"-", "+", "!", "not ", "sqrt(", "abs(",
                                           "if(p, ", "sum(", "2^"};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        textbuf t;
        tb_init(&t);
        tb_repeat(&t, prefixes[i], 100000);
        tb_add(&t, prefixes[i][0] == 'n' || prefixes[i][0] == '!' ? "p" : "a");
        expect_code(long_engine, t.s, t.len, JC_LIMIT_EXCEEDED);
        tb_free(&t);
    }
}

static void depth_256_is_allowed_and_257_is_not(void **state)
{
    (void)state;
    for (unsigned depth = 255; depth <= 257; depth++) {
        textbuf t;
        tb_init(&t);
        tb_repeat(&t, "(", depth);
        tb_add(&t, "a");
        tb_repeat(&t, ")", depth);
        expect_code(engine, t.s, t.len, depth <= 256 ? JC_OK : JC_LIMIT_EXCEEDED);
        tb_free(&t);
        tb_init(&t);
        tb_repeat(&t, "-", depth);
        tb_add(&t, "n");
        expect_code(engine, t.s, t.len, depth <= 256 ? JC_OK : JC_LIMIT_EXCEEDED);
        tb_free(&t);
    }
}

/* A 30,000-term chain is a 30,000-deep tree: every stage must walk it
 * without recursion, in the interpreter and the JIT alike. */
static void long_left_chains_evaluate(void **state)
{
    (void)state;
    static const struct {
        const char *term, *op;
        size_t terms;
    } chains[] = {
        {"1", "+", 30000}, {"a", "+", 30000}, {"n", "-", 20000}, {"a", "*", 30000},
        {"p", " and ", 10000}, {"p", " or ", 10000}, {"n", "//", 20000},
        {"sum(a)", "+", 7000},
    };
    for (size_t i = 0; i < sizeof chains / sizeof chains[0]; i++) {
        textbuf t;
        tb_init(&t);
        for (size_t k = 0; k < chains[i].terms; k++) {
            if (k)
                tb_add(&t, chains[i].op);
            tb_add(&t, chains[i].term);
        }
        assert_true(t.len <= JC_DEFAULT_MAX_EXPR_BYTES);
        jc_result r;
        jc_error err;
        jc_code code = eval_code(engine, t.s, t.len, &r, &err);
        /* n // n // ... is 1 // n ... and faults nowhere: rows are 1..4 */
        if (code != JC_OK)
            fail_msg("chain of %zu '%s%s': %s: %s", chains[i].terms, chains[i].term,
                     chains[i].op, jc_code_name(code), err.message);
        if (i == 0)
            assert_true(!r.is_column && r.type == JC_I64 && r.scalar.i64 == 30000);
        if (i == 1) {
            assert_true(r.is_column && r.rows == 4);
            assert_true(((double *)r.values)[0] == 1.5 * 30000);
        }
        if (i == 7)
            assert_true(!r.is_column && r.scalar.f64 == 3.5 * 7000);
        jc_result_free(&r);
        tb_free(&t);
    }
}

/* sum(sum(...sum(a)...)): 255 aggregate levels, one pass each. */
static void deeply_nested_aggregates_evaluate(void **state)
{
    (void)state;
    double ones[] = {1.0, 1.0};
    jc_column c = {"a", JC_F64, ones, 2};
    textbuf t;
    tb_init(&t);
    tb_repeat(&t, "sum(", 255);
    tb_add(&t, "a");
    tb_repeat(&t, ")", 255);
    jc_result r;
    jc_error err;
    if (jc_eval(engine, t.s, t.len, &c, 1, 2, &r, &err) != 0)
        fail_msg("255 nested sums: %s", err.message);
    /* each level multiplies by the row count */
    assert_true(r.scalar.f64 == ldexp(1.0, 255));
    jc_result_free(&r);
    tb_free(&t);
}

/* ---- length ---- */

static void expression_of_64_kib_plus_one_is_limit_exceeded(void **state)
{
    (void)state;
    size_t limit = JC_DEFAULT_MAX_EXPR_BYTES;
    char *s = malloc(limit + 2);
    assert_non_null(s);
    /* "1+1+...+1" then blanks: exactly `limit` bytes is allowed */
    size_t len = 0;
    while (len + 2 < limit - 16) {
        memcpy(s + len, "1+", 2);
        len += 2;
    }
    s[len++] = '1';
    memset(s + len, ' ', limit - len);
    expect_code(engine, s, limit, JC_OK);
    s[limit] = ' ';
    expect_code(engine, s, limit + 1, JC_LIMIT_EXCEEDED);
    s[limit + 1] = '\0';
    expect_code(engine, s, JC_NUL_TERMINATED, JC_LIMIT_EXCEEDED);
    /* a 64 KiB quoted column name, over the limit too */
    memset(s, 'x', limit + 1);
    s[0] = '"';
    s[limit] = '"';
    expect_code(engine, s, limit + 1, JC_LIMIT_EXCEEDED);
    free(s);
}

static void a_long_column_name_within_the_limit_works(void **state)
{
    (void)state;
    size_t n = 60000;
    char *name = malloc(n + 1);
    assert_non_null(name);
    memset(name, 'z', n);
    name[n] = '\0';
    char *expr = malloc(n + 8);
    assert_non_null(expr);
    snprintf(expr, n + 8, "%s * 2", name);
    double v[] = {21.0};
    jc_column c = {name, JC_F64, v, 1};
    jc_result r;
    jc_error err;
    assert_int_equal(jc_eval(engine, expr, JC_NUL_TERMINATED, &c, 1, 1, &r, &err), 0);
    assert_true(((double *)r.values)[0] == 42.0);
    jc_result_free(&r);
    free(expr);
    free(name);
}

/* ---- bytes that are not text ---- */

static void invalid_utf8_is_a_parse_error_with_its_position(void **state)
{
    (void)state;
    expect_parse_error_at("a + \xff", 5, 5);
    expect_parse_error_at("a + \"\xc0\xaf\"", 8, 6);    /* overlong '/' */
    expect_parse_error_at("\"\xed\xa0\x80\" + 1", 9, 2); /* a surrogate */
    expect_parse_error_at("\"\xe2\x82\" + 1", 8, 2);     /* truncated */
    expect_parse_error_at("\"\xf4\x90\x80\x80\"", 6, 2); /* beyond U+10FFFF */
    expect_parse_error_at("1 + \x80", 5, 5);             /* a lone continuation */
    /* positions count code points: the 2-byte character counts once */
    expect_parse_error_at("\"\xc3\xa9\" + \xff", 8, 7);
}

static void nul_bytes_are_parse_errors(void **state)
{
    (void)state;
    expect_parse_error_at("a\0+1", 4, 2);
    expect_parse_error_at("\"a\0b\" + 1", 9, 3);
    expect_parse_error_at("\0", 1, 1);
    expect_parse_error_at("1 + 2\0", 6, 6);
}

/* ---- numbers ---- */

static void overflowing_literals_are_parse_errors(void **state)
{
    (void)state;
    expect_parse_error_at("1e999999", 8, 1);
    expect_parse_error_at("a + 1e309", 9, 5);
    textbuf t;
    tb_init(&t);
    tb_add(&t, "1");
    tb_repeat(&t, "0", 400);
    tb_add(&t, ".0");
    expect_parse_error_at(t.s, t.len, 1);
    tb_free(&t);
    /* a literal that underflows is a number, not an error */
    expect_scalar_bits("1e-999999", JC_F64, 0);
    expect_scalar_bits("1e-320 > 0", JC_BOOL, 1);
}

static void negative_zero_keeps_its_type_and_sign(void **state)
{
    (void)state;
    expect_scalar_bits("-0", JC_I64, 0);
    expect_scalar_bits("-0.0", JC_F64, f64_bits(-0.0));
    expect_scalar_bits("1 / -0.0", JC_F64, f64_bits(-INFINITY));
    expect_scalar_bits("1 / -0", JC_F64, f64_bits(INFINITY)); /* i64 -0 is 0 */
    expect_scalar_bits("-0.0 == 0.0", JC_BOOL, 1);
    expect_scalar_bits("sign(-0.0)", JC_F64, f64_bits(-0.0));
}

static void i64_boundary_literals_follow_the_literal_rule(void **state)
{
    (void)state;
    expect_scalar_bits("9223372036854775807", JC_I64, (uint64_t)INT64_MAX);
    expect_scalar_bits("9223372036854775808", JC_F64, f64_bits(9223372036854775808.0));
    expect_scalar_bits("-9223372036854775808", JC_F64, f64_bits(-9223372036854775808.0));
    expect_scalar_bits("-9223372036854775807 - 1", JC_I64, (uint64_t)INT64_MIN);
    expect_scalar_bits("99999999999999999999999", JC_F64, f64_bits(1e23));
    expect_code(engine, "9223372036854775807 + 1", JC_NUL_TERMINATED,
                JC_INTEGER_OVERFLOW);
    expect_code(engine, "-(-9223372036854775807 - 1)", JC_NUL_TERMINATED,
                JC_INTEGER_OVERFLOW);
    expect_code(engine, "abs(-9223372036854775807 - 1)", JC_NUL_TERMINATED,
                JC_INTEGER_OVERFLOW);
    expect_code(engine, "(-9223372036854775807 - 1) // -1", JC_NUL_TERMINATED,
                JC_INTEGER_OVERFLOW);
    expect_scalar_bits("(-9223372036854775807 - 1) % -1", JC_I64, 0);
    expect_code(engine, "int(9223372036854775808)", JC_NUL_TERMINATED, JC_INVALID_CAST);
    expect_scalar_bits("int(-9223372036854775808)", JC_I64, (uint64_t)INT64_MIN);
}

/* ---- names ---- */

static void columns_named_like_functions_resolve_by_call_syntax(void **state)
{
    (void)state;
    double sum_v[] = {1.0, 2.0};
    int64_t min_v[] = {5, 7};
    uint8_t if_v[] = {1, 0};
    double pi_v[] = {10.0, 20.0};
    jc_column c[] = {{"sum", JC_F64, sum_v, 2}, {"min", JC_I64, min_v, 2},
                     {"if", JC_BOOL, if_v, 2},  {"pi", JC_F64, pi_v, 2}};
    jc_result r;
    jc_error err;
    if (jc_eval(engine, "sum(sum) + min(min) + if(if, sum, pi) + pi + pi() * 0",
                JC_NUL_TERMINATED, c, 4, 2, &r, &err) != 0)
        fail_msg("%s", err.message);
    assert_true(r.is_column && r.rows == 2);
    /* row 0: 3 + 5 + 1 + 10; row 1: 3 + 5 + 20 + 20 */
    assert_true(((double *)r.values)[0] == 19.0);
    assert_true(((double *)r.values)[1] == 48.0);
    jc_result_free(&r);
    /* keywords are names only when quoted */
    double and_v[] = {3.0, 4.0};
    jc_column k[] = {{"and", JC_F64, and_v, 2}, {"true", JC_F64, and_v, 2}};
    assert_int_equal(jc_eval(engine, "\"and\" + \"true\"", JC_NUL_TERMINATED, k, 2, 2, &r,
                             &err), 0);
    assert_true(((double *)r.values)[1] == 8.0);
    jc_result_free(&r);
    assert_int_equal(jc_eval(engine, "and + 1", JC_NUL_TERMINATED, k, 2, 2, &r, &err), -1);
    assert_int_equal(err.code, JC_PARSE_ERROR);
}

static void empty_and_odd_column_names(void **state)
{
    (void)state;
    expect_code(engine, "\"\" + 1", JC_NUL_TERMINATED, JC_PARSE_ERROR);
    expect_code(engine, "\"unclosed + 1", JC_NUL_TERMINATED, JC_PARSE_ERROR);
    double v[] = {2.0};
    jc_column c[] = {{"say \"hi\"", JC_F64, v, 1}, {"\xc3\xa9t\xc3\xa9", JC_F64, v, 1}};
    jc_result r;
    jc_error err;
    assert_int_equal(jc_eval(engine, "\"say \"\"hi\"\"\" * \"\xc3\xa9t\xc3\xa9\"",
                             JC_NUL_TERMINATED, c, 2, 1, &r, &err), 0);
    assert_true(((double *)r.values)[0] == 4.0);
    jc_result_free(&r);
}

/* ---- many columns ---- */

static jc_column *wide_schema(size_t n, double *data)
{
    jc_column *c = calloc(n, sizeof *c);
    assert_non_null(c);
    for (size_t i = 0; i < n; i++) {
        char *name = malloc(16);
        assert_non_null(name);
        snprintf(name, 16, "c%zu", i);
        c[i] = (jc_column){name, JC_F64, data, 1};
    }
    return c;
}

static void free_schema(jc_column *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free((char *)c[i].name);
    free(c);
}

/* "c0 + c1 + ... + c(k-1)" */
static void sum_of_columns(textbuf *t, size_t k)
{
    tb_init(t);
    char num[24];
    for (size_t i = 0; i < k; i++) {
        snprintf(num, sizeof num, "%sc%zu", i ? "+" : "", i);
        tb_add(t, num);
    }
}

static void the_column_limit_counts_used_columns_not_given_ones(void **state)
{
    (void)state;
    double one = 1.0;
    size_t n = 3000;
    jc_column *c = wide_schema(n, &one);
    jc_error err;
    jc_result r;
    textbuf t;

    sum_of_columns(&t, 1025);
    jc_program *p = jc_compile(engine, t.s, t.len, c, n, &err);
    assert_null(p);
    assert_int_equal(err.code, JC_LIMIT_EXCEEDED);
    tb_free(&t);

    sum_of_columns(&t, 1024);
    p = jc_compile(engine, t.s, t.len, c, n, &err);
    if (!p)
        fail_msg("1,024 columns: %s", err.message);
    assert_int_equal(jc_run(p, c, n, 1, &r, &err), 0);
    assert_true(((double *)r.values)[0] == 1024.0);
    jc_result_free(&r);
    jc_program_free(p);
    tb_free(&t);

    /* 3,000 given, 3 used */
    assert_int_equal(jc_eval(engine, "c0 + c1500 + c2999", JC_NUL_TERMINATED, c, n, 1, &r,
                             &err), 0);
    assert_true(((double *)r.values)[0] == 3.0);
    jc_result_free(&r);

    /* the same column used 5,000 times is one column */
    tb_init(&t);
    for (int i = 0; i < 5000; i++)
        tb_add(&t, i ? "+c7" : "c7");
    assert_int_equal(jc_eval(engine, t.s, t.len, c, n, 1, &r, &err), 0);
    assert_true(((double *)r.values)[0] == 5000.0);
    jc_result_free(&r);
    tb_free(&t);
    free_schema(c, n);
}

/* ---- code memory ---- */

/* 2,000 distinct programs alive at once on an engine whose code cache
 * holds 16 KiB: entries in use cannot be evicted, so code memory runs out;
 * each compile must still work (evicting, or on the interpreter) and give
 * the interpreter's answer. */
static void code_memory_exhaustion_never_fails_a_compile(void **state)
{
    (void)state;
    jc_options o;
    jc_options_init(&o);
    o.cache_bytes = 16384;
    o.cache_entries = 4;
    jc_error err;
    jc_engine *tiny = jc_engine_new(&o, &err);
    assert_non_null(tiny);
    jc_options_init(&o);
    o.isa = "none";
    jc_engine *interp = jc_engine_new(&o, &err);
    assert_non_null(interp);
    enum { N = 2000 };
    jc_program **progs = calloc(N, sizeof *progs);
    assert_non_null(progs);
    for (int i = 0; i < N; i++) {
        textbuf e;
        tb_init(&e);
        tb_add(&e, "a");
        for (int k = 0; k < i % 50 + 1; k++)
            tb_add(&e, (i >> (k % 11)) & 1 ? " + n" : " * a");
        progs[i] = jc_compile(tiny, e.s, e.len, cols, 3, &err);
        if (!progs[i])
            fail_msg("program %d of %d: %s: %s", i, N, jc_code_name(err.code), err.message);
        jc_result r, want;
        assert_int_equal(jc_run(progs[i], cols, 3, 4, &r, &err), 0);
        assert_int_equal(jc_eval(interp, e.s, e.len, cols, 3, 4, &want, &err), 0);
        assert_int_equal(r.type, want.type);
        assert_memory_equal(r.values, want.values, 4 * 8);
        jc_result_free(&r);
        jc_result_free(&want);
        tb_free(&e);
    }
    jc_stats st;
    jc_engine_stats(tiny, &st);
    print_message("# %d programs alive: cache %llu entries, %llu code bytes, %llu evictions\n",
                  N, (unsigned long long)st.cache_entries,
                  (unsigned long long)st.cache_code_bytes,
                  (unsigned long long)st.cache_evictions);
    for (int i = 0; i < N; i++)
        jc_program_free(progs[i]);
    free(progs);
    jc_engine_free(tiny);
    jc_engine_free(interp);
}

/* ---- API misuse: errors, not crashes ---- */

static void api_misuse_is_an_error_not_a_crash(void **state)
{
    (void)state;
    jc_error err;
    jc_result r;
    memset(&r, 0, sizeof r);
    assert_null(jc_compile(engine, NULL, 3, cols, 3, &err));
    assert_int_equal(err.code, JC_INVALID_ARGUMENT);
    assert_null(jc_compile(NULL, "a", JC_NUL_TERMINATED, cols, 3, &err));
    assert_int_equal(err.code, JC_INVALID_ARGUMENT);
    assert_null(jc_compile(engine, "a", JC_NUL_TERMINATED, NULL, 3, &err));
    assert_true(err.code == JC_INVALID_ARGUMENT || err.code == JC_UNKNOWN_COLUMN);
    jc_program *p = jc_compile(engine, "a + n", JC_NUL_TERMINATED, cols, 3, &err);
    assert_non_null(p);
    /* a used column missing, too short, of another type, without data */
    assert_int_equal(jc_run(p, cols + 1, 2, 4, &r, &err), -1);
    assert_int_equal(jc_run(p, cols, 3, 5, &r, &err), -1);
    assert_int_equal(err.code, JC_LENGTH_MISMATCH);
    jc_column wrong[] = {{"a", JC_I64, n_data, 4}, {"n", JC_I64, n_data, 4}};
    assert_int_equal(jc_run(p, wrong, 2, 4, &r, &err), -1);
    assert_int_equal(err.code, JC_TYPE_ERROR);
    jc_column nodata[] = {{"a", JC_F64, NULL, 4}, {"n", JC_I64, n_data, 4}};
    assert_int_equal(jc_run(p, nodata, 2, 4, &r, &err), -1);
    jc_column badtype[] = {{"a", (jc_type)7, a_data, 4}, {"n", JC_I64, n_data, 4}};
    assert_int_equal(jc_run(p, badtype, 2, 4, &r, &err), -1);
    assert_int_equal(jc_run(p, cols, 3, 4, NULL, &err), -1);
    assert_int_equal(err.code, JC_INVALID_ARGUMENT);
    /* a selection out of range is an error; one out of order is the
     * caller's business (no promise), but must not crash either */
    size_t bad_sel[] = {2, 1, 1};
    if (jc_run_selected(p, cols, 3, 4, bad_sel, 3, &r, &err) == 0)
        jc_result_free(&r);
    size_t far_sel[] = {0, 4};
    assert_int_equal(jc_run_selected(p, cols, 3, 4, far_sel, 2, &r, &err), -1);
    jc_program_free(p);
    /* frees of nothing */
    jc_program_free(NULL);
    jc_result_free(NULL);
    jc_selection_free(NULL);
    jc_engine_free(NULL);
    /* an unknown instruction set */
    jc_options o;
    jc_options_init(&o);
    o.isa = "z80";
    assert_null(jc_engine_new(&o, &err));
    assert_int_equal(err.code, JC_INVALID_ARGUMENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hundred_thousand_parentheses_are_limit_exceeded),
        cmocka_unit_test(hundred_thousand_prefix_operators_are_limit_exceeded),
        cmocka_unit_test(depth_256_is_allowed_and_257_is_not),
        cmocka_unit_test(long_left_chains_evaluate),
        cmocka_unit_test(deeply_nested_aggregates_evaluate),
        cmocka_unit_test(expression_of_64_kib_plus_one_is_limit_exceeded),
        cmocka_unit_test(a_long_column_name_within_the_limit_works),
        cmocka_unit_test(invalid_utf8_is_a_parse_error_with_its_position),
        cmocka_unit_test(nul_bytes_are_parse_errors),
        cmocka_unit_test(overflowing_literals_are_parse_errors),
        cmocka_unit_test(negative_zero_keeps_its_type_and_sign),
        cmocka_unit_test(i64_boundary_literals_follow_the_literal_rule),
        cmocka_unit_test(columns_named_like_functions_resolve_by_call_syntax),
        cmocka_unit_test(empty_and_odd_column_names),
        cmocka_unit_test(the_column_limit_counts_used_columns_not_given_ones),
        cmocka_unit_test(code_memory_exhaustion_never_fails_a_compile),
        cmocka_unit_test(api_misuse_is_an_error_not_a_crash),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
