/* test_canonical.c — canonical text and cache keys: their shapes, the
 * round-trip property parse(canonical(parse(s))) == parse(s) on generated
 * expressions, and key equality under formatting and literal changes. */
#include "helpers.h"

#include <math.h>
#include <stdlib.h>

#include "tests/common/exprgen.h"

/* A key (CANON_KEY bytes or CANON_KEY_TEXT) and its length. */
typedef struct key {
    char *s;
    size_t len;
} key;

static key key_in(const jc_tree *t, enum canon_mode mode)
{
    key k;
    k.s = canonical_text(t, mode, &k.len);
    assert_non_null(k.s);
    return k;
}

static int keys_equal(key x, key y)
{
    return x.len == y.len && memcmp(x.s, y.s, x.len) == 0;
}

static key key_of_mode(const char *text, const jc_column *schema, size_t n,
                       enum canon_mode mode)
{
    jc_tree t;
    jc_error err = {0};
    if (parse_expression(&t, text, strlen(text), NULL, &err) < 0 ||
        typecheck_tree(&t, schema, n, NULL, &err) < 0) {
        print_error("%s: %s\n", text, err.message);
        fail();
    }
    key k = key_in(&t, mode);
    tree_free(&t);
    return k;
}

static key key_of(const char *text, const jc_column *schema, size_t n)
{
    return key_of_mode(text, schema, n, CANON_KEY);
}

static void expect_same_key(const char *x, const char *y, int same)
{
    key kx = key_of(x, test_schema, test_schema_len);
    key ky = key_of(y, test_schema, test_schema_len);
    if (keys_equal(kx, ky) != same) {
        key tx = key_of_mode(x, test_schema, test_schema_len, CANON_KEY_TEXT);
        key ty = key_of_mode(y, test_schema, test_schema_len, CANON_KEY_TEXT);
        print_error("%s\n  -> %s\n%s\n  -> %s\nshould %sbe equal\n", x, tx.s, y,
                    ty.s, same ? "" : "not ");
        fail();
    }
    free(kx.s);
    free(ky.s);
}

static void text_is_fully_parenthesised(void **state)
{
    (void)state;
    expect_canon("a+b*c", "(a + (b * c))");
    expect_canon("(a + b) * c", "((a + b) * c)");
    expect_canon("-a", "(-a)");
    expect_canon("sqrt(a)", "sqrt(a)");
    expect_canon("least(a,b,  c)", "least(a, b, c)");
    expect_canon("not p and (q)", "((not p) and q)");
    expect_canon("count()", "count()");
}

static void text_quotes_names_that_need_it(void **state)
{
    (void)state;
    expect_canon("\"a b\" + \"x\"\"y\" + \"or\" + \"NOT\" + \"1a\" + _a1",
                 "(((((\"a b\" + \"x\"\"y\") + \"or\") + \"NOT\") + \"1a\") + "
                 "_a1)");
    expect_canon("\"gr\xc3\xb6\xc3\x9f" "e\"", "\"gr\xc3\xb6\xc3\x9f" "e\"");
    /* function names and pi/e are fine as bare column names */
    expect_canon("\"sum\" + \"pi\"", "(sum + pi)");
}

/* A one-constant typed tree, printed. */
static char *const_text(jc_type type, jc_value v)
{
    jc_tree t;
    tree_init(&t);
    t.consts = malloc(sizeof *t.consts);
    t.consts[0] = (jc_const){.value = v, .type = (uint8_t)type};
    t.nconsts = t.consts_cap = 1;
    assert_int_equal(tree_add(&t, OP_CONST, 1, NULL, 0), 0);
    char *s = canonical_text(&t, CANON_TEXT, NULL);
    tree_free(&t);
    return s;
}

static void expect_const_text(jc_type type, jc_value v, const char *want)
{
    char *s = const_text(type, v);
    assert_string_equal(s, want);
    free(s);
}

static void values_no_literal_spells_print_as_expressions(void **state)
{
    (void)state;
    /* folded constants can be negative, NaN or infinite */
    expect_const_text(JC_I64, (jc_value){.i = -5}, "(-5)");
    expect_const_text(JC_I64, (jc_value){.i = INT64_MIN},
                      "(-9223372036854775807 - 1)");
    expect_const_text(JC_F64, (jc_value){.f = -1.5}, "(-1.5)");
    expect_const_text(JC_F64, (jc_value){.f = -0.0}, "(-0.0)");
    expect_const_text(JC_F64, (jc_value){.f = 0.0}, "0.0");
    expect_const_text(JC_F64, (jc_value){.f = INFINITY}, "(1.0 / 0.0)");
    expect_const_text(JC_F64, (jc_value){.f = -INFINITY}, "(-(1.0 / 0.0))");
    expect_const_text(JC_F64, (jc_value){.f = NAN}, "(0.0 / 0.0)");
    expect_const_text(JC_F64, (jc_value){.f = 1e-310}, "1e-310");
    expect_const_text(JC_F64, (jc_value){.f = 1.7976931348623157e308},
                      "1.7976931348623157e+308");
    expect_const_text(JC_BOOL, (jc_value){.i = 1}, "true");
}

static void f64_text_reads_back_to_the_same_bits(void **state)
{
    (void)state;
    uint64_t rng = 12345;
    for (int n = 0; n < 20000; n++) {
        jc_value v;
        v.bits = exprgen_random(&rng);
        if (n % 4 == 0) /* also ordinary magnitudes */
            v.f = (double)(v.bits >> 11) / (double)(1ull << (v.bits % 64));
        v.bits &= ~(1ull << 63);
        if (isnan(v.f) || isinf(v.f))
            continue;
        char *s = const_text(JC_F64, v);
        jc_tree t;
        jc_error err = {0};
        assert_int_equal(parse_expression(&t, s, strlen(s), NULL, &err), 0);
        assert_int_equal(t.consts[0].type, JC_F64);
        if (t.consts[0].value.bits != v.bits) {
            print_error("%.17g printed as %s\n", v.f, s);
            fail();
        }
        /* shortest: no more than 17 significant digits */
        assert_true(strlen(s) <= 26);
        tree_free(&t);
        free(s);
    }
}

static void typed_text_spells_conversions(void **state)
{
    (void)state;
    expect_typed("i + a", "(float(i) + a)", JC_F64);
    expect_typed("int(a) + p", "(int(a) + int(p))", JC_I64);
}

static void key_ignores_literal_values(void **state)
{
    (void)state;
    expect_same_key("a > 100", "a > 250", 1);
    expect_same_key("a > 1.5", "a > 0.25", 1);
    expect_same_key("p and true", "p and false", 1);
    expect_same_key("a > 100", "a > 100.0", 0); /* i64 literal: converted */
}

static void key_ignores_formatting_case_and_aliases(void **state)
{
    (void)state;
    expect_same_key("a+b*c", " ( a ) + ( b*c ) ", 1);
    expect_same_key("p AND NOT q", "p && !q", 1);
    expect_same_key("SQRT(a) + Log(b)", "sqrt(a) + log10(b)", 1);
    expect_same_key("a ** 2", "pow(a, 2)", 1);
    expect_same_key("a <> b", "a != b", 1);
    expect_same_key("mean(a)", "avg(a)", 1);
}

static void key_uses_slots_and_types_not_names(void **state)
{
    (void)state;
    expect_same_key("a + b", "b + c", 1);
    expect_same_key("a + b", "a + a", 0);
    expect_same_key("a + b", "i + j", 0);
    expect_same_key("a + b", "a - b", 0);
    const jc_column s1[] = {{"x", JC_F64, NULL, 0}};
    const jc_column s2[] = {{"x", JC_I64, NULL, 0}};
    key k1 = key_of("x * 2", s1, 1), k2 = key_of("x * 2", s2, 1);
    assert_false(keys_equal(k1, k2));
    free(k1.s);
    free(k2.s);
}

static void key_text_spells_ops_types_and_placeholders(void **state)
{
    (void)state;
    key k = key_of_mode("a > 100 and p", test_schema, test_schema_len,
                        CANON_KEY_TEXT);
    assert_string_equal(k.s, "AND:bool(GT:bool(#0:f64,I64_TO_F64:f64($i64)),"
                             "#1:bool)");
    assert_int_equal(k.len, strlen(k.s));
    free(k.s);
}

static void key_is_nodes_in_post_order_as_bytes(void **state)
{
    (void)state;
    /* per node: op, type << 6 | arity, a column's slot */
    key k = key_of("a + b * 2.5", test_schema, test_schema_len);
    const unsigned char want[] = {OP_COLUMN, JC_F64 << 6, 0,
                                  OP_COLUMN, JC_F64 << 6, 1,
                                  OP_CONST, JC_F64 << 6,
                                  OP_MUL, JC_F64 << 6 | 2,
                                  OP_ADD, JC_F64 << 6 | 2};
    assert_int_equal(k.len, sizeof want);
    assert_memory_equal(k.s, want, sizeof want);
    free(k.s);
    k = key_of("count() > i", test_schema, test_schema_len);
    const unsigned char want2[] = {OP_COUNT, JC_I64 << 6,
                                   OP_COLUMN, JC_I64 << 6, 0,
                                   OP_GT, JC_BOOL << 6 | 2};
    assert_int_equal(k.len, sizeof want2);
    assert_memory_equal(k.s, want2, sizeof want2);
    free(k.s);
}

/* A varint of the key at *at (LEB128). */
static uint32_t read_varint(const unsigned char *s, size_t len, size_t *at)
{
    uint32_t v = 0;
    for (unsigned shift = 0; *at < len; shift += 7) {
        unsigned char b = s[(*at)++];
        v |= (uint32_t)(b & 0x7F) << shift;
        if (!(b & 0x80))
            return v;
    }
    fail_msg("key ends inside a varint");
    return 0;
}

/* Decodes a key with a stack, as a post-order reader would, and checks that
 * it rebuilds t exactly: every node's op, type, arity, column slot, and
 * which nodes are its kids. This is why the key is injective: the bytes
 * alone determine the tree. */
static void expect_key_decodes_to(const jc_tree *t, key k)
{
    const unsigned char *s = (const unsigned char *)k.s;
    uint32_t *stack = malloc((t->nnodes + 1) * sizeof *stack);
    size_t at = 0, top = 0;
    uint32_t n = 0;
    while (at < k.len) {
        assert_true(n < t->nnodes);
        const jc_node *nd = &t->nodes[n];
        uint8_t op = s[at++];
        assert_true(at < k.len);
        uint8_t tb = s[at++];
        uint32_t nargs = tb & 63u;
        if (nargs == 63)
            nargs = read_varint(s, k.len, &at);
        assert_int_equal(op, nd->op);
        assert_int_equal(tb >> 6, nd->type);
        assert_int_equal(nargs, nd->nargs);
        if (op == OP_COLUMN)
            assert_int_equal(read_varint(s, k.len, &at), nd->slot);
        assert_true(top >= nargs);
        top -= nargs;
        for (uint32_t j = 0; j < nargs; j++)
            assert_int_equal(stack[top + j], tree_kid(t, n, j));
        stack[top++] = n++;
    }
    assert_int_equal(n, t->nnodes);
    assert_int_equal(top, 1);
    assert_int_equal(stack[0], t->root);
    free(stack);
}

static void key_decodes_back_to_its_tree(void **state)
{
    (void)state;
    const char *texts[] = {"a", "a + b * c", "least(a, i, 2, p) + clamp(i, 0, 1.5)",
                           "if(p and q, sum(a / max(b)), pi()) ^ 2", "count()"};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        jc_tree t;
        typed_tree(&t, texts[i]);
        key k = key_in(&t, CANON_KEY);
        expect_key_decodes_to(&t, k);
        free(k.s);
        tree_free(&t);
    }
    /* a node of 63 or more kids and a column slot of two bytes: the
     * varints */
    jc_tree t;
    tree_init(&t);
    uint32_t kids[300];
    for (uint32_t i = 0; i < 300; i++) {
        kids[i] = tree_add(&t, OP_COLUMN, 1, NULL, 0);
        t.nodes[kids[i]].slot = i;
    }
    tree_add(&t, OP_LEAST, 1, kids, 300);
    key k = key_in(&t, CANON_KEY);
    expect_key_decodes_to(&t, k);
    free(k.s);
    tree_free(&t);
}

static const exprgen_column gen_columns[] = {
    {"a", JC_F64}, {"b", JC_F64}, {"n", JC_I64}, {"m", JC_I64},
    {"ok", JC_BOOL}, {"unit price", JC_F64}, {"gr\xc3\xb6\xc3\x9f" "e", JC_I64},
    {"and", JC_BOOL}, {"say \"x\"", JC_F64}};

static jc_column gen_schema[sizeof gen_columns / sizeof *gen_columns];

static void make_gen_schema(void)
{
    for (size_t i = 0; i < sizeof gen_columns / sizeof *gen_columns; i++)
        gen_schema[i] = (jc_column){gen_columns[i].name, gen_columns[i].type,
                                    NULL, 0};
}

/* One round-trip case: returns 0 on success, prints and fails otherwise. */
static void round_trip(const char *text, int want_type)
{
    jc_tree t1, t2;
    jc_error err = {0};
    if (parse_expression(&t1, text, strlen(text), NULL, &err) < 0) {
        print_error("generated text does not parse: %s\n%s at %lld\n", text,
                    err.message, (long long)err.position);
        fail();
    }
    char *c1 = canonical_text(&t1, CANON_TEXT, NULL);
    assert_non_null(c1);
    if (parse_expression(&t2, c1, strlen(c1), NULL, &err) < 0) {
        print_error("canonical text does not parse: %s\n-> %s\n%s\n", text, c1,
                    err.message);
        fail();
    }
    if (!trees_equal(&t1, &t2)) {
        print_error("round trip changed the tree:\n%s\n-> %s\n", text, c1);
        fail();
    }
    char *c2 = canonical_text(&t2, CANON_TEXT, NULL);
    assert_string_equal(c1, c2);
    /* both type-check to the generator's type, with equal keys */
    size_t ns = sizeof gen_schema / sizeof *gen_schema;
    if (typecheck_tree(&t1, gen_schema, ns, NULL, &err) < 0) {
        print_error("generated text does not type-check: %s at %lld: %s\n",
                    err.message, (long long)err.position, text);
        fail();
    }
    assert_int_equal(typecheck_tree(&t2, gen_schema, ns, NULL, &err), 0);
    if (want_type != EXPRGEN_ANY)
        assert_int_equal(t1.nodes[t1.root].type, want_type);
    key k1 = key_in(&t1, CANON_KEY), k2 = key_in(&t2, CANON_KEY);
    assert_true(keys_equal(k1, k2));
    expect_key_decodes_to(&t1, k1);
    /* the typed tree prints, and that text parses and type-checks again */
    char *c3 = canonical_text(&t1, CANON_TEXT, NULL);
    jc_tree t3;
    assert_int_equal(parse_expression(&t3, c3, strlen(c3), NULL, &err), 0);
    assert_int_equal(typecheck_tree(&t3, gen_schema, ns, NULL, &err), 0);
    assert_int_equal(t3.nodes[t3.root].type, t1.nodes[t1.root].type);
    tree_free(&t3);
    free(c1);
    free(c2);
    free(c3);
    free(k1.s);
    free(k2.s);
    tree_free(&t1);
    tree_free(&t2);
}

static void canonical_text_round_trips_on_generated_expressions(void **state)
{
    (void)state;
    make_gen_schema();
    exprgen_config cfg = {.columns = gen_columns,
                          .ncolumns = sizeof gen_columns / sizeof *gen_columns};
    for (uint64_t seed = 1; seed <= 6000; seed++) {
        cfg.max_depth = 1 + (unsigned)(seed % 10);
        cfg.aggregates = seed % 3 != 0;
        cfg.surface = seed % 2 == 0;
        cfg.edge_literals = seed % 5 == 0;
        int type = (int)(seed % 4) - 1; /* EXPRGEN_ANY, f64, i64, bool */
        char *text = exprgen_text(&cfg, type, seed);
        assert_non_null(text);
        round_trip(text, type);
        free(text);
    }
}

static void generator_is_deterministic_and_covers_the_language(void **state)
{
    (void)state;
    exprgen_config cfg = {.columns = gen_columns,
                          .ncolumns = sizeof gen_columns / sizeof *gen_columns,
                          .max_depth = 8, .aggregates = 1, .surface = 1,
                          .edge_literals = 1};
    char *x = exprgen_text(&cfg, JC_F64, 99), *y = exprgen_text(&cfg, JC_F64, 99);
    assert_string_equal(x, y);
    free(x);
    free(y);
    /* over many seeds, every op of the parse tree shows up */
    int seen[OP_COUNT_] = {0};
    for (uint64_t seed = 1; seed <= 3000; seed++) {
        char *text = exprgen_text(&cfg, EXPRGEN_ANY, seed);
        jc_tree t;
        jc_error err = {0};
        assert_int_equal(parse_expression(&t, text, strlen(text), NULL, &err), 0);
        for (uint32_t i = 0; i < t.nnodes; i++)
            seen[t.nodes[i].op] = 1;
        tree_free(&t);
        free(text);
    }
    for (int op = 0; op < OP_COUNT_; op++) {
        if (op_kind((jc_op)op) == 'c')
            continue; /* conversions exist only in typed trees */
        if (!seen[op]) {
            print_error("generator never produced %s\n", op_name((jc_op)op));
            fail();
        }
    }
}

/* Code points in a valid UTF-8 text (bytes that do not continue one). */
static int64_t code_points(const char *s, size_t n)
{
    int64_t cp = 0;
    for (size_t i = 0; i < n; i++)
        cp += ((unsigned char)s[i] & 0xC0) != 0x80;
    return cp;
}

static void mutated_text_never_crashes_and_round_trips_when_accepted(void **state)
{
    (void)state;
    make_gen_schema();
    static const char pieces[][4] = {"(", ")", ",", "\"", "-", "^", "*", "/",
                                     "<", "=", "!", "1", ".", "e", "a", " ",
                                     "\xc3", "\xa9", "\xff", "n", "_", "%"};
    exprgen_config cfg = {.columns = gen_columns,
                          .ncolumns = sizeof gen_columns / sizeof *gen_columns,
                          .max_depth = 4, .aggregates = 1, .surface = 1};
    uint64_t rng = 7;
    int accepted = 0;
    for (uint64_t seed = 1; seed <= 4000; seed++) {
        char *text = exprgen_text(&cfg, EXPRGEN_ANY, seed);
        size_t len = strlen(text);
        char *m = malloc(len + 16);
        memcpy(m, text, len + 1);
        for (int k = 0; k < 3; k++) { /* replace, insert or delete a byte */
            size_t at = len ? exprgen_random(&rng) % len : 0;
            unsigned what = (unsigned)(exprgen_random(&rng) % 3);
            const char *piece = pieces[exprgen_random(&rng) % 22];
            if (what == 0 && len)
                m[at] = piece[0];
            else if (what == 1) {
                memmove(m + at + 1, m + at, len - at + 1);
                m[at] = piece[0];
                len++;
            } else if (len) {
                memmove(m + at, m + at + 1, len - at);
                len--;
            }
        }
        m[len] = '\0';
        jc_tree t1, t2;
        jc_error err = {0};
        if (parse_expression(&t1, m, len, NULL, &err) < 0) {
            /* a parse-time error points inside the text or just after it */
            assert_true(err.code == JC_PARSE_ERROR ||
                        err.code == JC_UNKNOWN_FUNCTION ||
                        err.code == JC_TYPE_ERROR);
            assert_true(err.position >= 1);
            assert_true(err.position <= (int64_t)len + 1);
        } else {
            accepted++;
            int64_t cps = code_points(m, len);
            char *c = canonical_text(&t1, CANON_TEXT, NULL);
            assert_int_equal(parse_expression(&t2, c, strlen(c), NULL, &err), 0);
            assert_true(trees_equal(&t1, &t2));
            size_t ns = sizeof gen_schema / sizeof *gen_schema;
            if (typecheck_tree(&t1, gen_schema, ns, NULL, &err) < 0) {
                assert_true(err.code == JC_TYPE_ERROR ||
                            err.code == JC_UNKNOWN_COLUMN);
                assert_true(err.position >= 1 && err.position <= cps);
            }
            free(c);
            tree_free(&t2);
        }
        tree_free(&t1);
        free(m);
        free(text);
    }
    assert_true(accepted > 100); /* the property was exercised */
}

/* Two generated expressions have equal keys exactly when their readable
 * key texts are equal: the byte key neither merges nor splits what the text
 * keeps apart. Small depths, so that equal keys happen often. */
static void key_and_key_text_agree_on_generated_pairs(void **state)
{
    (void)state;
    make_gen_schema();
    exprgen_config cfg = {.columns = gen_columns,
                          .ncolumns = sizeof gen_columns / sizeof *gen_columns,
                          .max_depth = 2, .aggregates = 1, .surface = 1};
    enum { N = 300 };
    key bytes[N], text[N];
    size_t ns = sizeof gen_schema / sizeof *gen_schema;
    for (int i = 0; i < N; i++) {
        cfg.max_depth = 1 + (unsigned)(i % 2);
        char *src = exprgen_text(&cfg, i % 3, (uint64_t)i + 1);
        bytes[i] = key_of_mode(src, gen_schema, ns, CANON_KEY);
        text[i] = key_of_mode(src, gen_schema, ns, CANON_KEY_TEXT);
        free(src);
    }
    int equal_pairs = 0;
    for (int i = 0; i < N; i++)
        for (int j = i + 1; j < N; j++) {
            int same = keys_equal(bytes[i], bytes[j]);
            assert_int_equal(same, keys_equal(text[i], text[j]));
            equal_pairs += same;
        }
    assert_true(equal_pairs > 10); /* the property was exercised */
    for (int i = 0; i < N; i++) {
        free(bytes[i].s);
        free(text[i].s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text_is_fully_parenthesised),
        cmocka_unit_test(text_quotes_names_that_need_it),
        cmocka_unit_test(values_no_literal_spells_print_as_expressions),
        cmocka_unit_test(f64_text_reads_back_to_the_same_bits),
        cmocka_unit_test(typed_text_spells_conversions),
        cmocka_unit_test(key_ignores_literal_values),
        cmocka_unit_test(key_ignores_formatting_case_and_aliases),
        cmocka_unit_test(key_uses_slots_and_types_not_names),
        cmocka_unit_test(key_text_spells_ops_types_and_placeholders),
        cmocka_unit_test(key_is_nodes_in_post_order_as_bytes),
        cmocka_unit_test(key_decodes_back_to_its_tree),
        cmocka_unit_test(key_and_key_text_agree_on_generated_pairs),
        cmocka_unit_test(canonical_text_round_trips_on_generated_expressions),
        cmocka_unit_test(generator_is_deterministic_and_covers_the_language),
        cmocka_unit_test(mutated_text_never_crashes_and_round_trips_when_accepted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
