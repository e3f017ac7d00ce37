/* test_errors.c — every parse-time error with its exact position (in code
 * points: a non-ASCII name comes first), and the limits. */
#include "helpers.h"

#include <stdlib.h>

#include "util/mem.h"

/* "größe" is 7 code points with its quotes and 9 bytes: every position
 * below that follows it proves positions count characters, not bytes. */
#define G "\"gr\xc3\xb6\xc3\x9f" "e\""

static void parse_error_positions_count_code_points(void **state)
{
    (void)state;
    expect_error(G " + * 2", JC_PARSE_ERROR, 11);
    expect_error(G " $ 2", JC_PARSE_ERROR, 9);
    expect_error(G " < a < b", JC_PARSE_ERROR, 13);
    expect_error(G " + 0x1", JC_PARSE_ERROR, 11);
    expect_error(G " + \"\"", JC_PARSE_ERROR, 11);
    expect_error(G " )", JC_PARSE_ERROR, 9);
}

static void error_at_end_is_length_plus_one(void **state)
{
    (void)state;
    expect_error("(a + b", JC_PARSE_ERROR, 7);
    expect_error(G " * (a", JC_PARSE_ERROR, 13);
    expect_error("a +", JC_PARSE_ERROR, 4);
    expect_error("a + ", JC_PARSE_ERROR, 5);
    expect_error("", JC_PARSE_ERROR, 1);
    expect_error("   ", JC_PARSE_ERROR, 4);
    expect_error("-", JC_PARSE_ERROR, 2);
    expect_error("sum(", JC_PARSE_ERROR, 5);
}

static void unclosed_parenthesis_message_names_its_position(void **state)
{
    (void)state;
    jc_tree t;
    jc_error err = {0};
    assert_int_equal(parse_expression(&t, "a * (b + c", 10, NULL, &err), -1);
    assert_non_null(strstr(err.message, "position 5"));
}

static void unexpected_characters(void **state)
{
    (void)state;
    expect_error("a $ b", JC_PARSE_ERROR, 3);
    expect_error("a & b", JC_PARSE_ERROR, 3);
    expect_error("a | b", JC_PARSE_ERROR, 3);
    expect_error("'x'", JC_PARSE_ERROR, 1);
    expect_error("a + \xc3\xa9", JC_PARSE_ERROR, 5); /* é outside quotes */
    expect_error("a\x01", JC_PARSE_ERROR, 2);
    expect_error("a b", JC_PARSE_ERROR, 3);
    /* a name before `(` is a call, also with a space between */
    expect_error("a (b)", JC_UNKNOWN_FUNCTION, 1);
    expect_error("1 2", JC_PARSE_ERROR, 3);
}

static void invalid_utf8_is_parse_error_at_its_position(void **state)
{
    (void)state;
    expect_error(G " + \xff", JC_PARSE_ERROR, 11);
    expect_error("\"\xc3\x28\"", JC_PARSE_ERROR, 2);       /* bad continuation */
    expect_error("\"\xc0\xaf\"", JC_PARSE_ERROR, 2);       /* overlong */
    expect_error("\"\xed\xa0\x80\"", JC_PARSE_ERROR, 2);   /* surrogate */
    expect_error("\"\xf4\x90\x80\x80\"", JC_PARSE_ERROR, 2); /* > U+10FFFF */
    expect_error("\"ab\xe2\x82\"", JC_PARSE_ERROR, 4);     /* truncated */
    expect_error_lim("a\xe2\x82", 3, NULL, JC_PARSE_ERROR, 2); /* at the end */
    /* a valid 4-byte character is one position */
    expect_error("\"\xf0\x9f\x98\x80\" $", JC_PARSE_ERROR, 5);
}

static void nul_byte_is_parse_error_at_its_position(void **state)
{
    (void)state;
    expect_error_lim("a + \0b", 6, NULL, JC_PARSE_ERROR, 5);
    expect_error_lim(G "\0", 10, NULL, JC_PARSE_ERROR, 8);
}

/* n copies of `open`, then `mid`, then n copies of `close`. */
static char *nest(const char *open, const char *mid, const char *close,
                  size_t n)
{
    size_t lo = strlen(open), lm = strlen(mid), lc = strlen(close);
    char *s = malloc(n * (lo + lc) + lm + 1), *p = s;
    for (size_t i = 0; i < n; i++, p += lo)
        memcpy(p, open, lo);
    memcpy(p, mid, lm);
    p += lm;
    for (size_t i = 0; i < n; i++, p += lc)
        memcpy(p, close, lc);
    *p = '\0';
    return s;
}

static void parses(const char *text)
{
    jc_tree t;
    jc_error err = {0};
    if (parse_expression(&t, text, strlen(text), NULL, &err) < 0) {
        print_error("%.80s...: %s at %lld\n", text, err.message,
                    (long long)err.position);
        fail();
    }
    tree_free(&t);
}

static void depth_256_is_allowed_and_257_is_limit_exceeded(void **state)
{
    (void)state;
    /* each kind of level: parentheses, calls, prefix minus, not, power */
    struct {
        const char *open, *mid, *close;
        size_t open_chars;
    } kinds[] = {{"(", "1", ")", 1},
                 {"abs(", "1", ")", 4},
                 {"-", "1", "", 1},
                 {"not ", "p", "", 4},
                 {"2^", "2", "", 2}};
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        char *ok = nest(kinds[k].open, kinds[k].mid, kinds[k].close, 256);
        parses(ok);
        free(ok);
        char *deep = nest(kinds[k].open, kinds[k].mid, kinds[k].close, 257);
        /* reported where the 257th level opens */
        int64_t pos = (int64_t)(256 * kinds[k].open_chars + 1);
        if (kinds[k].open[0] == '2')
            pos = 256 * 2 + 2; /* the 257th ^ */
        if (kinds[k].open[0] == 'a')
            pos = 256 * 4 + 1; /* the 257th abs */
        expect_error(deep, JC_LIMIT_EXCEEDED, pos);
        free(deep);
    }
}

static void depth_counts_left_nested_powers(void **state)
{
    (void)state;
    /* (((2^2)))^2 with 254 parens: 254 + 2 powers = 256 */
    char *ok = nest("(", "2^2", ")", 254);
    char *text = malloc(strlen(ok) + 3);
    strcpy(text, ok);
    strcat(text, "^2");
    parses(text);
    free(text);
    free(ok);
    char *deep = nest("(", "2^2", ")", 255);
    text = malloc(strlen(deep) + 3);
    strcpy(text, deep);
    strcat(text, "^2");
    expect_error(text, JC_LIMIT_EXCEEDED, 255 * 2 + 3 + 1);
    free(text);
    free(deep);
}

static void binary_chains_add_no_depth(void **state)
{
    (void)state;
    /* 255 parentheses around a+b*c-d/e, and a call: still 256 */
    char *text = nest("(", "abs(a+b*c-d/e < 1 and p or q)", ")", 255);
    parses(text);
    free(text);
}

static void depth_limit_is_configurable(void **state)
{
    (void)state;
    jc_limits lim = {JC_DEFAULT_MAX_EXPR_BYTES, 3, JC_DEFAULT_MAX_COLUMNS};
    jc_tree t;
    jc_error err = {0};
    assert_int_equal(parse_expression(&t, "((-a))", 6, &lim, &err), 0);
    tree_free(&t);
    expect_error_lim("(((-a)))", 8, &lim, JC_LIMIT_EXCEEDED, 4);
    lim.max_depth = 0;
    assert_int_equal(parse_expression(&t, "a + 1", 5, &lim, &err), 0);
    tree_free(&t);
    expect_error_lim("(a)", 3, &lim, JC_LIMIT_EXCEEDED, 1);
}

static void hundred_thousand_parentheses_are_limit_exceeded(void **state)
{
    (void)state;
    char *text = nest("(", "1", ")", 100000);
    jc_limits lim = {1u << 20, JC_DEFAULT_MAX_DEPTH, JC_DEFAULT_MAX_COLUMNS};
    expect_error_lim(text, strlen(text), &lim, JC_LIMIT_EXCEEDED, 257);
    free(text);
    /* the same with the default length limit: too long first */
    text = nest("(", "1", ")", 100000);
    expect_error(text, JC_LIMIT_EXCEEDED, 0);
    free(text);
    /* and 100,000 prefix minus signs, and unclosed parentheses */
    text = nest("-", "1", "", 100000);
    expect_error_lim(text, strlen(text), &lim, JC_LIMIT_EXCEEDED, 257);
    free(text);
    text = nest("(", "", "", 100000);
    expect_error_lim(text, strlen(text), &lim, JC_LIMIT_EXCEEDED, 257);
    free(text);
}

static void huge_depth_limit_never_recurses(void **state)
{
    (void)state;
    /* an embedder may raise the limit: the parser has no recursion to
     * overflow, so a million levels only cost heap */
    char *text = nest("(", "1", ")", 1000000);
    jc_limits lim = {1u << 22, 2000000, JC_DEFAULT_MAX_COLUMNS};
    jc_tree t;
    jc_error err = {0};
    assert_int_equal(parse_expression(&t, text, strlen(text), &lim, &err), 0);
    char *canon = canonical_text(&t, CANON_TEXT, NULL);
    assert_string_equal(canon, "1");
    free(canon);
    tree_free(&t);
    free(text);
}

static void expression_of_exactly_max_bytes_is_allowed(void **state)
{
    (void)state;
    /* 65,536 bytes: "1" followed by "+1" pairs... then padded with spaces */
    size_t n = JC_DEFAULT_MAX_EXPR_BYTES;
    char *text = malloc(n + 2);
    memset(text, ' ', n + 1);
    text[0] = '1';
    text[n + 1] = '\0';
    jc_tree t;
    jc_error err = {0};
    assert_int_equal(parse_expression(&t, text, n, NULL, &err), 0);
    tree_free(&t);
    expect_error_lim(text, n + 1, NULL, JC_LIMIT_EXCEEDED, 0);
    free(text);
}

static void length_limit_is_configurable(void **state)
{
    (void)state;
    jc_limits lim = {5, JC_DEFAULT_MAX_DEPTH, JC_DEFAULT_MAX_COLUMNS};
    jc_tree t;
    jc_error err = {0};
    assert_int_equal(parse_expression(&t, "a + b", 5, &lim, &err), 0);
    tree_free(&t);
    expect_error_lim("a + bc", 6, &lim, JC_LIMIT_EXCEEDED, 0);
}

static void too_many_distinct_columns_is_limit_exceeded(void **state)
{
    (void)state;
    /* c0 + c1 + ... : 1,024 distinct is fine, the 1,025th is reported */
    char *text = malloc(1100 * 10);
    size_t len = 0;
    for (int i = 0; i < 1024; i++)
        len += (size_t)sprintf(text + len, "%sc%d", i ? "+" : "", i);
    len += (size_t)sprintf(text + len, "+c0+c1023"); /* repeats: no count */
    parses(text);
    size_t pos = len + 2; /* +c1024 starts at len+1; the name at len+2 */
    sprintf(text + len, "+c1024");
    expect_error(text, JC_LIMIT_EXCEEDED, (int64_t)pos);
    free(text);
    jc_limits lim = {JC_DEFAULT_MAX_EXPR_BYTES, JC_DEFAULT_MAX_DEPTH, 2};
    expect_error_lim("a + b + a + " G, strlen("a + b + a + " G), &lim,
                     JC_LIMIT_EXCEEDED, 13);
}

static void thirty_thousand_term_chain_parses_typechecks_and_prints(void **state)
{
    (void)state;
    size_t terms = 30000;
    char *text = malloc(terms * 2);
    for (size_t i = 0; i < terms; i++) {
        text[2 * i] = '1';
        text[2 * i + 1] = '+';
    }
    text[terms * 2 - 1] = '\0';
    jc_tree t;
    typed_tree(&t, text);
    assert_int_equal(t.nnodes, 2 * terms - 1);
    assert_int_equal(t.nodes[t.root].op, OP_ADD);
    assert_int_equal(t.nodes[t.root].type, JC_I64);
    assert_int_equal(tree_subtree_first(&t, t.root), 0);
    char *canon = canonical_text(&t, CANON_TEXT, NULL);
    assert_non_null(canon);
    /* (((1 + 1) + 1) ... + 1): 29,999 opening parentheses */
    assert_int_equal(strspn(canon, "("), terms - 1);
    free(canon);
    char *key = canonical_text(&t, CANON_KEY, NULL);
    assert_non_null(key);
    free(key);
    jc_tree copy;
    assert_int_equal(tree_copy(&copy, &t), 0);
    assert_true(trees_equal(&copy, &t));
    tree_free(&copy);
    tree_free(&t);
    /* the same chain of a column, of ands, of mixed types */
    text[0] = 'a';
    for (size_t i = 1; i < terms; i++)
        text[2 * i] = "ai1"[i % 3];
    typed_tree(&t, text);
    assert_int_equal(t.nodes[t.root].type, JC_F64);
    assert_int_equal(t.npasses, 1);
    tree_free(&t);
    free(text);
}

static void out_of_memory_anywhere_is_an_error_value(void **state)
{
    (void)state;
    const char *text = "least(a, i, 2, p) + clamp(i, 0, 1.5) * sum(a / "
                       "max(b)) + if(p and q, \"unit price\", pi()) ^ 2";
    int succeeded = 0;
    for (long n = 0; n < 400 && !succeeded; n++) {
        jc_tree t;
        jc_error err = {0};
        mem_fail_after(n);
        int rc = parse_expression(&t, text, strlen(text), NULL, &err);
        if (rc == 0)
            rc = typecheck_tree(&t, test_schema, test_schema_len, NULL, &err);
        char *canon = NULL;
        if (rc == 0) {
            canon = canonical_text(&t, CANON_KEY, NULL);
            if (!canon)
                rc = -1, err.code = JC_OUT_OF_MEMORY;
        }
        mem_fail_after(-1);
        if (rc == 0)
            succeeded = 1;
        else
            assert_int_equal(err.code, JC_OUT_OF_MEMORY);
        free(canon);
        tree_free(&t);
    }
    assert_true(succeeded);
}

static void null_text_is_invalid_argument(void **state)
{
    (void)state;
    jc_tree t;
    jc_error err = {0};
    assert_int_equal(parse_expression(&t, NULL, 0, NULL, &err), -1);
    assert_int_equal(err.code, JC_INVALID_ARGUMENT);
    assert_int_equal(t.nnodes, 0);
}

static void nul_terminated_length_reads_to_the_nul(void **state)
{
    (void)state;
    jc_tree t;
    jc_error err = {0};
    assert_int_equal(parse_expression(&t, "a + b", JC_NUL_TERMINATED, NULL, &err), 0);
    assert_int_equal(t.nnodes, 3);
    tree_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_error_positions_count_code_points),
        cmocka_unit_test(error_at_end_is_length_plus_one),
        cmocka_unit_test(unclosed_parenthesis_message_names_its_position),
        cmocka_unit_test(unexpected_characters),
        cmocka_unit_test(invalid_utf8_is_parse_error_at_its_position),
        cmocka_unit_test(nul_byte_is_parse_error_at_its_position),
        cmocka_unit_test(depth_256_is_allowed_and_257_is_limit_exceeded),
        cmocka_unit_test(depth_counts_left_nested_powers),
        cmocka_unit_test(binary_chains_add_no_depth),
        cmocka_unit_test(depth_limit_is_configurable),
        cmocka_unit_test(hundred_thousand_parentheses_are_limit_exceeded),
        cmocka_unit_test(huge_depth_limit_never_recurses),
        cmocka_unit_test(expression_of_exactly_max_bytes_is_allowed),
        cmocka_unit_test(length_limit_is_configurable),
        cmocka_unit_test(too_many_distinct_columns_is_limit_exceeded),
        cmocka_unit_test(thirty_thousand_term_chain_parses_typechecks_and_prints),
        cmocka_unit_test(out_of_memory_anywhere_is_an_error_value),
        cmocka_unit_test(null_text_is_invalid_argument),
        cmocka_unit_test(nul_terminated_length_reads_to_the_nul),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
