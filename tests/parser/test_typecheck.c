/* test_typecheck.c — each typing rule of the brief: the typed tree's
 * conversions, removed sugar, result types, and every type error with its
 * position and advice. Expected texts are the typed tree's CANON_TEXT, in
 * which I64_TO_F64 and BOOL_TO_F64 print as float() and BOOL_TO_I64 and
 * F64_TO_I64 as int(). Schema: a b c f64, i j k i64, p q bool. */
#include "helpers.h"

#include <stdlib.h>

#include "tests/common/exprgen.h"
#include "util/mem.h"

#define G "\"gr\xc3\xb6\xc3\x9f" "e\""

static void arithmetic_keeps_i64_and_promotes_to_f64(void **state)
{
    (void)state;
    expect_typed("i + j", "(i + j)", JC_I64);
    expect_typed("i - a", "(float(i) - a)", JC_F64);
    expect_typed("a * i", "(a * float(i))", JC_F64);
    expect_typed("a + b", "(a + b)", JC_F64);
    expect_typed("1 + 2", "(1 + 2)", JC_I64);
    expect_typed("1 + 2.5", "(float(1) + 2.5)", JC_F64);
}

static void bools_count_as_i64_in_arithmetic(void **state)
{
    (void)state;
    expect_typed("p + i", "(int(p) + i)", JC_I64);
    expect_typed("p * q", "(int(p) * int(q))", JC_I64);
    expect_typed("p - a", "(float(p) - a)", JC_F64);
    expect_typed("-p", "(-int(p))", JC_I64);
    expect_typed("-true", "(-int(true))", JC_I64);
    expect_typed("+p", "int(p)", JC_I64);
    expect_typed("+a", "a", JC_F64);
    expect_typed("-i", "(-i)", JC_I64);
}

static void bool_to_f64_is_one_conversion(void **state)
{
    (void)state;
    jc_tree t;
    typed_tree(&t, "p - a");
    assert_int_equal(t.nodes[1].op, OP_BOOL_TO_F64);
    assert_int_equal(t.nodes[1].type, JC_F64);
    tree_free(&t);
}

static void division_and_power_are_f64(void **state)
{
    (void)state;
    expect_typed("i / j", "(float(i) / float(j))", JC_F64);
    expect_typed("i ^ 2", "(float(i) ^ float(2))", JC_F64);
    expect_typed("pow(p, a)", "(float(p) ^ a)", JC_F64);
}

static void floor_division_and_modulo_follow_their_operands(void **state)
{
    (void)state;
    expect_typed("i // j", "(i // j)", JC_I64);
    expect_typed("i % p", "(i % int(p))", JC_I64);
    expect_typed("i // a", "(float(i) // a)", JC_F64);
    expect_typed("a % 2", "(a % float(2))", JC_F64);
}

static void comparisons_give_bool(void **state)
{
    (void)state;
    expect_typed("i < j", "(i < j)", JC_BOOL);
    expect_typed("i <= a", "(float(i) <= a)", JC_BOOL);
    expect_typed("a > 1", "(a > float(1))", JC_BOOL);
    expect_typed("a >= b", "(a >= b)", JC_BOOL);
    expect_typed("i == j", "(i == j)", JC_BOOL);
    expect_typed("i != a", "(float(i) != a)", JC_BOOL);
    expect_typed("p == q", "(p == q)", JC_BOOL);
    expect_typed("p <> true", "(p != true)", JC_BOOL);
}

static void bool_compared_with_number_is_type_error(void **state)
{
    (void)state;
    expect_type_error("p == 1", JC_TYPE_ERROR, 3);
    expect_type_error("a != q", JC_TYPE_ERROR, 3);
    expect_type_error(G " < p", JC_TYPE_ERROR, 9);
    expect_type_error("i >= true", JC_TYPE_ERROR, 3);
    expect_type_message("true == 1", "int(");
}

static void ordering_bools_is_type_error(void **state)
{
    (void)state;
    expect_type_error("p < q", JC_TYPE_ERROR, 3);
    expect_type_error("true >= false", JC_TYPE_ERROR, 6);
    expect_type_message("p > q", "no order");
}

static void logic_takes_bools_only(void **state)
{
    (void)state;
    expect_typed("p and q or not p", "((p and q) or (not p))", JC_BOOL);
    expect_type_error("a and p", JC_TYPE_ERROR, 3);
    expect_type_error(G " + 1 > 0 or i", JC_TYPE_ERROR, 17);
    expect_type_error("not i", JC_TYPE_ERROR, 1);
    expect_type_error("p && 1", JC_TYPE_ERROR, 3);
    expect_type_message("a and p", "x != 0");
    expect_type_message("p or 1", "x != 0");
    expect_type_message("!i", "x != 0");
}

static void abs_and_sign_keep_the_number_type(void **state)
{
    (void)state;
    expect_typed("abs(i)", "abs(i)", JC_I64);
    expect_typed("abs(a)", "abs(a)", JC_F64);
    expect_typed("abs(false)", "abs(int(false))", JC_I64);
    expect_typed("sign(i)", "sign(i)", JC_I64);
    expect_typed("sign(p)", "sign(int(p))", JC_I64);
    expect_typed("sign(a)", "sign(a)", JC_F64);
}

static void rounding_is_removed_on_integers(void **state)
{
    (void)state;
    expect_typed("floor(a)", "floor(a)", JC_F64);
    expect_typed("ceil(a) + trunc(a) + round(a)",
                 "((ceil(a) + trunc(a)) + round(a))", JC_F64);
    expect_typed("floor(i)", "i", JC_I64);
    expect_typed("ceil(i) + trunc(j)", "(i + j)", JC_I64);
    expect_typed("round(p)", "int(p)", JC_I64);
    expect_typed("floor(i) + a", "(float(i) + a)", JC_F64);
}

static void round_with_digits_takes_an_integer(void **state)
{
    (void)state;
    expect_typed("round(a, 2)", "round(a, 2)", JC_F64);
    expect_typed("round(i, j)", "round(float(i), j)", JC_F64);
    expect_typed("round(p, p)", "round(float(p), int(p))", JC_F64);
    expect_type_error("round(a, 1.5)", JC_TYPE_ERROR, 1);
    expect_type_error("a + round(a, b)", JC_TYPE_ERROR, 5);
}

static void math_functions_take_f64(void **state)
{
    (void)state;
    static const char *const one[] = {
        "sqrt", "cbrt", "exp", "expm1", "ln", "log10", "log2", "log1p",
        "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh"};
    for (size_t f = 0; f < sizeof one / sizeof *one; f++) {
        char text[64], want[64];
        snprintf(text, sizeof text, "%s(i)", one[f]);
        snprintf(want, sizeof want, "%s(float(i))", one[f]);
        expect_typed(text, want, JC_F64);
        snprintf(text, sizeof text, "%s(a)", one[f]);
        expect_typed(text, text, JC_F64);
    }
    expect_typed("sqrt(true)", "sqrt(float(true))", JC_F64);
    expect_typed("log(i)", "log10(float(i))", JC_F64);
    expect_typed("atan2(i, a)", "atan2(float(i), a)", JC_F64);
    expect_typed("hypot(a, p)", "hypot(a, float(p))", JC_F64);
    expect_typed("fmod(i, j)", "fmod(float(i), float(j))", JC_F64);
}

static void nan_tests_give_bool(void **state)
{
    (void)state;
    expect_typed("isnan(a)", "isnan(a)", JC_BOOL);
    expect_typed("isinf(i)", "isinf(float(i))", JC_BOOL);
    expect_typed("isfinite(p)", "isfinite(float(p))", JC_BOOL);
}

static void least_and_greatest_fold_left(void **state)
{
    (void)state;
    expect_typed("least(i, j)", "least(i, j)", JC_I64);
    expect_typed("least(i, a)", "least(float(i), a)", JC_F64);
    expect_typed("least(true, 2)", "least(int(true), 2)", JC_I64);
    expect_typed("least(a)", "a", JC_F64);
    expect_typed("greatest(p)", "int(p)", JC_I64);
    expect_typed("least(i, j, a)", "least(float(least(i, j)), a)", JC_F64);
    expect_typed("greatest(a, b, c, i)",
                 "greatest(greatest(greatest(a, b), c), float(i))", JC_F64);
    expect_typed("least(i, p, 3, k)", "least(least(least(i, int(p)), 3), k)",
                 JC_I64);
    expect_typed("least(a, i, j)", "least(least(a, float(i)), float(j))",
                 JC_F64);
}

static void clamp_is_least_of_greatest_with_one_type(void **state)
{
    (void)state;
    expect_typed("clamp(i, 0, 10)", "least(greatest(i, 0), 10)", JC_I64);
    expect_typed("clamp(i, 0, 1.5)", "least(greatest(float(i), float(0)), 1.5)",
                 JC_F64);
    expect_typed("clamp(a, p, 1)",
                 "least(greatest(a, float(p)), float(1))", JC_F64);
}

static void if_takes_a_bool_and_two_like_branches(void **state)
{
    (void)state;
    expect_typed("if(p, i, j)", "if(p, i, j)", JC_I64);
    expect_typed("if(a > 0, i, a)", "if((a > float(0)), float(i), a)", JC_F64);
    expect_typed("if(p, p, q)", "if(p, p, q)", JC_BOOL);
    expect_type_error("if(p, p, 1)", JC_TYPE_ERROR, 1);
    expect_type_error("a + if(p, i, q)", JC_TYPE_ERROR, 5);
    expect_type_error("if(i, 1, 2)", JC_TYPE_ERROR, 1);
    expect_type_message("if(a, 1, 2)", "x != 0");
    expect_type_message("if(p, true, 2)", "both");
}

static void float_and_int_are_conversions(void **state)
{
    (void)state;
    expect_typed("float(a)", "a", JC_F64);
    expect_typed("float(i)", "float(i)", JC_F64);
    expect_typed("float(p)", "float(p)", JC_F64);
    expect_typed("int(a)", "int(a)", JC_I64);
    expect_typed("int(i)", "i", JC_I64);
    expect_typed("int(true)", "int(true)", JC_I64);
    jc_tree t;
    typed_tree(&t, "int(a) + float(p)");
    assert_int_equal(t.nodes[1].op, OP_F64_TO_I64);
    assert_int_equal(t.nodes[4].op, OP_BOOL_TO_F64);
    tree_free(&t);
}

static void pi_and_e_are_constants(void **state)
{
    (void)state;
    expect_typed("pi()", "3.141592653589793", JC_F64);
    expect_typed("e() * 2.0", "(2.718281828459045 * 2.0)", JC_F64);
}

static void aggregates_have_their_types(void **state)
{
    (void)state;
    expect_typed("sum(a)", "sum(a)", JC_F64);
    expect_typed("sum(i)", "sum(i)", JC_I64);
    expect_typed("sum(a > 0)", "sum(int((a > float(0))))", JC_I64);
    expect_typed("avg(i)", "avg(i)", JC_F64);
    expect_typed("mean(p)", "avg(int(p))", JC_F64);
    expect_typed("min(p)", "min(int(p))", JC_I64);
    expect_typed("max(a)", "max(a)", JC_F64);
    expect_typed("max(i)", "max(i)", JC_I64);
    expect_typed("count()", "count()", JC_I64);
    expect_typed("a / sum(a)", "(a / sum(a))", JC_F64);
}

static void unknown_column_is_reported_at_its_first_use(void **state)
{
    (void)state;
    expect_type_error("x", JC_UNKNOWN_COLUMN, 1);
    expect_type_error(G " + zz * zz", JC_UNKNOWN_COLUMN, 11);
    expect_type_error("sum(a) + \"Unit Price\"", JC_UNKNOWN_COLUMN, 10);
    expect_type_message("A + 1", "did you mean `a`");
    /* columns are checked before types: the unknown column wins */
    expect_type_error("(p + true == 1) or nope", JC_UNKNOWN_COLUMN, 20);
}

static void columns_get_their_schema_types(void **state)
{
    (void)state;
    jc_tree t;
    typed_tree(&t, "p or i > a");
    assert_int_equal(t.ncolumns, 3);
    assert_int_equal(t.columns[0].type, JC_BOOL);
    assert_int_equal(t.columns[1].type, JC_I64);
    assert_int_equal(t.columns[2].type, JC_F64);
    tree_free(&t);
}

static void constants_are_renumbered_in_post_order(void **state)
{
    (void)state;
    jc_tree t;
    typed_tree(&t, "pi() + 1 + e() + 2.5");
    uint32_t next = 0;
    for (uint32_t i = 0; i < t.nnodes; i++)
        if (t.nodes[i].op == OP_CONST)
            assert_int_equal(t.nodes[i].slot, next++);
    assert_int_equal(next, 4);
    assert_int_equal(t.nconsts, 4);
    assert_true(t.consts[0].value.f == 3.141592653589793);
    assert_int_equal(t.consts[1].value.i, 1);
    tree_free(&t);
}

static void typed_tree_is_in_post_order_with_typed_operands(void **state)
{
    (void)state;
    /* every kid precedes its parent and the subtrees are contiguous */
    jc_tree t;
    typed_tree(&t, "least(i, p, a, 2, k) + clamp(p, i, 2.5) * "
                   "if(q, round(i), floor(b)) - int(sqrt(p)) // 3");
    for (uint32_t n = 0; n < t.nnodes; n++) {
        uint32_t first = tree_subtree_first(&t, n), prev_end = first;
        for (uint32_t k = 0; k < t.nodes[n].nargs; k++) {
            uint32_t kid = tree_kid(&t, n, k);
            assert_true(kid < n);
            assert_int_equal(tree_subtree_first(&t, kid), prev_end);
            prev_end = kid + 1;
        }
        if (t.nodes[n].nargs)
            assert_int_equal(prev_end, n);
        assert_true(op_kind(t.nodes[n].op) != 's');
    }
    assert_int_equal(t.root, t.nnodes - 1);
    tree_free(&t);
}

/* Every kid precedes its parent, subtrees are contiguous, and the kid
 * lists are laid out in node order. */
static void expect_well_formed(const jc_tree *t)
{
    uint32_t nargs = 0;
    for (uint32_t n = 0; n < t->nnodes; n++) {
        uint32_t first = tree_subtree_first(t, n), prev_end = first;
        for (uint32_t k = 0; k < t->nodes[n].nargs; k++) {
            uint32_t kid = tree_kid(t, n, k);
            assert_true(kid < n);
            assert_int_equal(tree_subtree_first(t, kid), prev_end);
            prev_end = kid + 1;
        }
        if (t->nodes[n].nargs)
            assert_int_equal(prev_end, n);
        assert_int_equal(t->nodes[n].first_arg, nargs);
        nargs += t->nodes[n].nargs;
    }
    assert_int_equal(t->nargs, nargs);
    assert_int_equal(t->root, t->nnodes - 1);
}

/* Sugar sends a tree to the rewrite; without it, conversions are inserted
 * in place. */
static int has_sugar(const jc_tree *t)
{
    for (uint32_t i = 0; i < t->nnodes; i++) {
        jc_op op = (jc_op)t->nodes[i].op;
        if (op_kind(op) == 's' || op == OP_FLOOR || op == OP_CEIL ||
            op == OP_TRUNC || op == OP_ROUND ||
            ((op == OP_LEAST || op == OP_GREATEST) && t->nodes[i].nargs != 2))
            return 1;
    }
    return 0;
}

/* `+(x)` is x with sugar on top, which the rewrite removes: the in-place
 * path on x and the rewrite on +(x) must give the same typed tree. */
static void conversions_in_place_match_the_rewrite(void **state)
{
    (void)state;
    static const exprgen_column cols[] = {
        {"a", JC_F64}, {"b", JC_F64}, {"i", JC_I64}, {"j", JC_I64},
        {"p", JC_BOOL}, {"q", JC_BOOL}};
    exprgen_config cfg = {.columns = cols, .ncolumns = 6, .aggregates = 1};
    int in_place = 0;
    for (uint64_t seed = 1; seed <= 3000; seed++) {
        cfg.max_depth = 1 + (unsigned)(seed % 6);
        char *text = exprgen_text(&cfg, seed % 2 ? JC_F64 : JC_I64, seed);
        size_t len = strlen(text);
        char *wrapped = malloc(len + 4);
        snprintf(wrapped, len + 4, "+(%s)", text);
        jc_tree x, y;
        jc_error err = {0};
        assert_int_equal(parse_expression(&x, text, len, NULL, &err), 0);
        in_place += !has_sugar(&x);
        tree_free(&x);
        typed_tree(&x, text);
        typed_tree(&y, wrapped);
        if (!trees_equal(&x, &y)) {
            print_error("typed trees differ: %s\n", text);
            fail();
        }
        expect_well_formed(&x);
        expect_well_formed(&y);
        size_t kx, ky;
        char *key_x = canonical_text(&x, CANON_KEY, &kx);
        char *key_y = canonical_text(&y, CANON_KEY, &ky);
        assert_int_equal(kx, ky);
        assert_memory_equal(key_x, key_y, kx);
        free(key_x);
        free(key_y);
        tree_free(&x);
        tree_free(&y);
        free(wrapped);
        free(text);
    }
    assert_true(in_place > 300); /* the in-place path was exercised */
}

static void kid_lists_out_of_node_order_still_type(void **state)
{
    (void)state;
    /* i + a * b with ADD's kid list stored before MUL's */
    jc_tree t;
    jc_error err = {0};
    assert_int_equal(parse_expression(&t, "i + a * b", 9, NULL, &err), 0);
    assert_int_equal(t.nodes[3].op, OP_MUL);
    assert_int_equal(t.nodes[4].op, OP_ADD);
    uint32_t mul_kids[2] = {tree_kid(&t, 3, 0), tree_kid(&t, 3, 1)};
    uint32_t add_kids[2] = {tree_kid(&t, 4, 0), tree_kid(&t, 4, 1)};
    t.args[0] = add_kids[0];
    t.args[1] = add_kids[1];
    t.args[2] = mul_kids[0];
    t.args[3] = mul_kids[1];
    t.nodes[4].first_arg = 0;
    t.nodes[3].first_arg = 2;
    assert_int_equal(typecheck_tree(&t, test_schema, test_schema_len, NULL, &err), 0);
    char *text = canonical_text(&t, CANON_TEXT, NULL);
    assert_string_equal(text, "(float(i) + (a * b))");
    free(text);
    expect_well_formed(&t);
    tree_free(&t);
}

/* A schema of 3,000 columns col0..col2999 (types in turn f64, i64, bool),
 * then a second col5 of another type, which must not win. */
enum { WIDE = 3000 };
static jc_column wide_schema[WIDE + 1];
static char wide_names[WIDE + 1][12];

static void make_wide_schema(void)
{
    for (int i = 0; i < WIDE; i++) {
        snprintf(wide_names[i], sizeof wide_names[i], "col%d", i);
        wide_schema[i] = (jc_column){wide_names[i], (jc_type)(i % 3), NULL, 0};
    }
    snprintf(wide_names[WIDE], sizeof wide_names[WIDE], "col5");
    wide_schema[WIDE] = (jc_column){wide_names[WIDE], JC_F64, NULL, 0};
}

/* `int(colA) + int(colB) + ...` over 60 columns spread over the schema
 * (int() accepts every type). */
static char *wide_text(void)
{
    char *text = malloc(60 * 20);
    size_t n = 0;
    for (int k = 0; k < 60; k++)
        n += (size_t)sprintf(text + n, "%sint(col%d)", k ? " + " : "", k * 47 + 5);
    return text;
}

static void wide_schemas_bind_like_narrow_ones(void **state)
{
    (void)state;
    /* 60 columns x 3,001 schema entries: the hash table's way */
    make_wide_schema();
    char *text = wide_text();
    jc_tree t;
    jc_error err = {0};
    assert_int_equal(parse_expression(&t, text, strlen(text), NULL, &err), 0);
    assert_int_equal(typecheck_tree(&t, wide_schema, WIDE + 1, NULL, &err), 0);
    assert_int_equal(t.ncolumns, 60);
    for (uint32_t c = 0; c < t.ncolumns; c++) {
        int i = atoi(t.columns[c].name + 3);
        assert_int_equal(t.columns[c].type, i % 3); /* col5: the first one */
    }
    tree_free(&t);
    /* an unknown column among them, reported at its use */
    const char *bad = "int(col1) + int(col2999) + int(COL7) + int(col3000)";
    char *many = malloc(strlen(text) + strlen(bad) + 8);
    sprintf(many, "%s + %s", text, bad);
    assert_int_equal(parse_expression(&t, many, strlen(many), NULL, &err), 0);
    assert_int_equal(typecheck_tree(&t, wide_schema, WIDE + 1, NULL, &err), -1);
    assert_int_equal(err.code, JC_UNKNOWN_COLUMN);
    assert_int_equal(err.position, (int64_t)(strlen(text) + 3 + 32)); /* COL7 */
    assert_non_null(strstr(err.message, "did you mean `col7`"));
    tree_free(&t);
    free(many);
    free(text);
}

static void wide_schema_out_of_memory_is_an_error_value(void **state)
{
    (void)state;
    make_wide_schema();
    char *text = wide_text();
    int succeeded = 0;
    for (long n = 0; n < 200 && !succeeded; n++) {
        jc_tree t;
        jc_error err = {0};
        assert_int_equal(parse_expression(&t, text, strlen(text), NULL, &err), 0);
        mem_fail_after(n);
        int rc = typecheck_tree(&t, wide_schema, WIDE + 1, NULL, &err);
        mem_fail_after(-1);
        if (rc == 0)
            succeeded = 1;
        else
            assert_int_equal(err.code, JC_OUT_OF_MEMORY);
        tree_free(&t);
    }
    assert_true(succeeded);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(arithmetic_keeps_i64_and_promotes_to_f64),
        cmocka_unit_test(bools_count_as_i64_in_arithmetic),
        cmocka_unit_test(bool_to_f64_is_one_conversion),
        cmocka_unit_test(division_and_power_are_f64),
        cmocka_unit_test(floor_division_and_modulo_follow_their_operands),
        cmocka_unit_test(comparisons_give_bool),
        cmocka_unit_test(bool_compared_with_number_is_type_error),
        cmocka_unit_test(ordering_bools_is_type_error),
        cmocka_unit_test(logic_takes_bools_only),
        cmocka_unit_test(abs_and_sign_keep_the_number_type),
        cmocka_unit_test(rounding_is_removed_on_integers),
        cmocka_unit_test(round_with_digits_takes_an_integer),
        cmocka_unit_test(math_functions_take_f64),
        cmocka_unit_test(nan_tests_give_bool),
        cmocka_unit_test(least_and_greatest_fold_left),
        cmocka_unit_test(clamp_is_least_of_greatest_with_one_type),
        cmocka_unit_test(if_takes_a_bool_and_two_like_branches),
        cmocka_unit_test(float_and_int_are_conversions),
        cmocka_unit_test(pi_and_e_are_constants),
        cmocka_unit_test(aggregates_have_their_types),
        cmocka_unit_test(unknown_column_is_reported_at_its_first_use),
        cmocka_unit_test(columns_get_their_schema_types),
        cmocka_unit_test(constants_are_renumbered_in_post_order),
        cmocka_unit_test(typed_tree_is_in_post_order_with_typed_operands),
        cmocka_unit_test(conversions_in_place_match_the_rewrite),
        cmocka_unit_test(kid_lists_out_of_node_order_still_type),
        cmocka_unit_test(wide_schemas_bind_like_narrow_ones),
        cmocka_unit_test(wide_schema_out_of_memory_is_an_error_value),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
