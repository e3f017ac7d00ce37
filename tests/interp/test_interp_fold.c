/* test_interp_fold.c — constant folding (fold_constants): what folds, what
 * stays, shapes kept, slots renumbered, and out-of-memory. */
#include <stdlib.h>

#include "interp/interp.h"
#include "parser/parser.h"
#include "testutil.h"
#include "util/mem.h"

static double A[] = {1.5, -2.0, 4.0};
static int64_t I[] = {3, 0, -4};
static jc_column schema[] = {{"a", JC_F64, A, 3}, {"b", JC_F64, A, 3}, {"i", JC_I64, I, 3}};

/* Parses, types and folds expr into *t (which must succeed). */
static void folded(const char *expr, jc_tree *t)
{
    jc_error err;
    assert_int_equal(parse_expression(t, expr, strlen(expr), NULL, &err), 0);
    assert_int_equal(typecheck_tree(t, schema, 3, NULL, &err), 0);
    if (fold_constants(t, &err) != 0)
        fail_msg("fold `%s`: %s", expr, err.message);
}

static void constant_subtrees_become_one_constant(void **state)
{
    (void)state;
    jc_tree t;
    folded("1 + 2 * 3 - abs(-4)", &t);
    assert_int_equal(t.nnodes, 1);
    assert_int_equal(t.nodes[0].op, OP_CONST);
    assert_int_equal(t.nconsts, 1);
    assert_int_equal(t.consts[0].value.i, 3);
    assert_int_equal(t.consts[0].type, JC_I64);
    assert_int_equal(t.npasses, 0);
    tree_free(&t);
    folded("sqrt(2.0) * exp(1.0) > 3 and not false", &t);
    assert_int_equal(t.nnodes, 1);
    assert_int_equal(t.consts[0].type, JC_BOOL);
    assert_int_equal(t.consts[0].value.i, 1);
    tree_free(&t);
}

static void a_faulting_subtree_stays_and_faults_at_run_time(void **state)
{
    (void)state;
    jc_tree t;
    folded("(1 // 0) + (2 * 3)", &t);
    /* 1, 0, //, 6, + */
    assert_int_equal(t.nnodes, 5);
    assert_int_equal(t.nodes[2].op, OP_IDIV);
    assert_int_equal(t.nodes[3].op, OP_CONST);
    assert_int_equal(t.consts[t.nodes[3].slot].value.i, 6);
    tree_free(&t);
    int64_t row;
    assert_int_equal(JC_DIVISION_BY_ZERO, error_of("(1 // 0) + (2 * 3)", NULL, 0, 0, &row));
    assert_int_equal(row, -1);
    assert_int_equal(JC_INVALID_CAST, error_of("int(0.0/0.0) + 1", NULL, 0, 0, NULL));
    assert_int_equal(JC_INTEGER_OVERFLOW,
                     error_of("9223372036854775807 + 1", NULL, 0, 0, NULL));
    /* a faulting constant in a branch folded away is gone */
    folded("if(1 < 2, 5, 1 // 0)", &t);
    assert_int_equal(t.nnodes, 1);
    assert_int_equal(t.consts[0].value.i, 5);
    tree_free(&t);
}

static void constant_conditions_choose_their_branch(void **state)
{
    (void)state;
    jc_tree t;
    folded("if(1 > 2, sum(a), 5.0)", &t);
    assert_int_equal(t.nnodes, 1);
    assert_int_equal(t.naggs, 0);
    assert_int_equal(t.ncolumns, 0); /* `a` is no longer used */
    tree_free(&t);
    folded("if(true, a, b)", &t);
    assert_int_equal(t.nnodes, 1);
    assert_int_equal(t.nodes[0].op, OP_COLUMN);
    assert_int_equal(t.ncolumns, 1);
    assert_string_equal(t.columns[0].name, "a");
    assert_int_equal(t.npasses, 1);
    assert_true(t.passes[0].is_final);
    tree_free(&t);
    folded("true and a > 1", &t); /* the right side */
    assert_int_equal(t.nodes[t.root].op, OP_GT);
    tree_free(&t);
    folded("false or a > 1", &t);
    assert_int_equal(t.nodes[t.root].op, OP_GT);
    tree_free(&t);
    folded("false and sum(a) > 1", &t); /* scalar: the constant */
    assert_int_equal(t.nnodes, 1);
    assert_int_equal(t.consts[0].value.i, 0);
    tree_free(&t);
    folded("true or sum(a) > 1", &t);
    assert_int_equal(t.nnodes, 1);
    assert_int_equal(t.consts[0].value.i, 1);
    tree_free(&t);
}

static void folding_keeps_a_column_result_a_column(void **state)
{
    (void)state;
    jc_tree t;
    folded("if(true, 1, i)", &t);
    assert_int_equal(t.nodes[t.root].op, OP_IF);
    tree_free(&t);
    jc_column c = schema[2];
    drv_result r = eval_both("if(true, 1, i)", &c, 1, 3);
    assert_true(r.is_column);
    assert_memory_equal(r.values, ((int64_t[]){1, 1, 1}), 24);
    drv_result_free(&r);
    r = eval_both("false and i > 1", &c, 1, 3);
    assert_true(r.is_column);
    assert_memory_equal(r.values, ((uint8_t[]){0, 0, 0}), 3);
    drv_result_free(&r);
    r = eval_both("true or i > 1", &c, 1, 3);
    assert_true(r.is_column);
    assert_memory_equal(r.values, ((uint8_t[]){1, 1, 1}), 3);
    drv_result_free(&r);
}

static void constants_and_columns_are_renumbered_in_post_order(void **state)
{
    (void)state;
    jc_tree t;
    folded("a + 1 + b * (2 + 3) + 4 * 5", &t);
    uint32_t expect_slot = 0;
    double values[] = {1, 5, 20};
    for (uint32_t n = 0; n < t.nnodes; n++)
        if (t.nodes[n].op == OP_CONST) {
            assert_int_equal(t.nodes[n].slot, expect_slot);
            assert_bits(values[expect_slot], t.consts[expect_slot].value.f);
            expect_slot++;
        }
    assert_int_equal(expect_slot, 3);
    assert_int_equal(t.nconsts, 3);
    tree_free(&t);
    /* first use moves: b is now used before a */
    folded("if(false, a, b) + a", &t);
    assert_int_equal(t.ncolumns, 2);
    assert_string_equal(t.columns[0].name, "b");
    assert_string_equal(t.columns[1].name, "a");
    for (uint32_t n = 0; n < t.nnodes; n++)
        if (t.nodes[n].op == OP_COLUMN)
            assert_int_equal(t.nodes[n].slot, n == 0 ? 0 : 1);
    tree_free(&t);
    double b[] = {10, 20, 30};
    jc_column cols[] = {col_f64("a", A, 3), col_f64("b", b, 3)};
    drv_result r = eval_both("if(false, a, b) + a", cols, 2, 3);
    assert_bits(11.5, ((double *)r.values)[0]);
    assert_bits(18.0, ((double *)r.values)[1]);
    drv_result_free(&r);
}

static void a_long_constant_chain_folds_without_recursion(void **state)
{
    (void)state;
    enum { TERMS = 30000 };
    char *text = malloc(2 * TERMS + 1);
    for (int k = 0; k < TERMS; k++) {
        text[2 * k] = '1';
        text[2 * k + 1] = '+';
    }
    text[2 * TERMS - 1] = '\0';
    assert_int_equal(i64_of(text), TERMS);
    jc_tree t;
    folded(text, &t);
    assert_int_equal(t.nnodes, 1);
    tree_free(&t);
    free(text);
}

/* Folding allocates only for a tree too large for its stack scratch (over
 * 128 nodes), and before it changes anything: a failure is an error value
 * and leaves the tree as it was. */
static void out_of_memory_leaves_the_tree_as_it_was(void **state)
{
    (void)state;
    char expr[1024] = "if(false, a, b) + 2 * 3 + sum(i) + 1";
    for (int k = 0; k < 60; k++)
        strcat(expr, " + a");
    int failures = 0;
    for (long k = 0;; k++) {
        jc_tree t, before;
        jc_error err;
        assert_int_equal(parse_expression(&t, expr, strlen(expr), NULL, &err), 0);
        assert_int_equal(typecheck_tree(&t, schema, 3, NULL, &err), 0);
        assert_true(t.nnodes > 128);
        assert_int_equal(tree_copy(&before, &t), 0);
        mem_fail_after(k);
        int rc = fold_constants(&t, &err);
        mem_fail_after(-1);
        if (rc != 0) {
            assert_int_equal(err.code, JC_OUT_OF_MEMORY);
            char *now = canonical_text(&t, CANON_TEXT, NULL);
            char *was = canonical_text(&before, CANON_TEXT, NULL);
            assert_string_equal(now, was);
            mem_free(now);
            mem_free(was);
            assert_int_equal(t.nnodes, before.nnodes);
            assert_int_equal(t.nconsts, before.nconsts);
            assert_int_equal(t.ncolumns, before.ncolumns);
            assert_int_equal(fold_constants(&t, &err), 0); /* usable as it is */
            failures++;
        }
        tree_free(&before);
        tree_free(&t);
        if (rc == 0)
            break;
    }
    assert_true(failures >= 1);
}

static void a_small_tree_folds_without_allocating(void **state)
{
    (void)state;
    jc_tree t;
    jc_error err;
    const char *expr = "if(false, a, b) + 2 * 3 + sum(i) + 1";
    assert_int_equal(parse_expression(&t, expr, strlen(expr), NULL, &err), 0);
    assert_int_equal(typecheck_tree(&t, schema, 3, NULL, &err), 0);
    mem_fail_after(0);
    int rc = fold_constants(&t, &err);
    mem_fail_after(-1);
    assert_int_equal(rc, 0);
    assert_int_equal(t.ncolumns, 2); /* b and i: it did fold */
    tree_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(constant_subtrees_become_one_constant),
        cmocka_unit_test(a_faulting_subtree_stays_and_faults_at_run_time),
        cmocka_unit_test(constant_conditions_choose_their_branch),
        cmocka_unit_test(folding_keeps_a_column_result_a_column),
        cmocka_unit_test(constants_and_columns_are_renumbered_in_post_order),
        cmocka_unit_test(a_long_constant_chain_folds_without_recursion),
        cmocka_unit_test(out_of_memory_leaves_the_tree_as_it_was),
        cmocka_unit_test(a_small_tree_folds_without_allocating),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
