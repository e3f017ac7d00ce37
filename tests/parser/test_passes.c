/* test_passes.c — aggregates, levels, row-wise flags and passes of typed
 * trees (tree.h, "Passes"). */
#include "helpers.h"

/* The nodes pass p lists, as a list of their ops' names: "SUB,ADD". */
static void pass_ops(const jc_tree *t, uint32_t p, char *out, size_t size)
{
    out[0] = '\0';
    for (uint32_t k = 0; k < t->passes[p].nout; k++) {
        uint32_t n = t->pass_outs[t->passes[p].first_out + k];
        if (k)
            strncat(out, ",", size - strlen(out) - 1);
        strncat(out, op_name(t->nodes[n].op), size - strlen(out) - 1);
    }
}

static void expect_pass(const jc_tree *t, uint32_t p, const char *ops,
                        int is_final)
{
    char got[256];
    assert_true(p < t->npasses);
    pass_ops(t, p, got, sizeof got);
    assert_string_equal(got, ops);
    assert_int_equal(t->passes[p].is_final, is_final);
}

static void elementwise_expression_has_one_final_pass(void **state)
{
    (void)state;
    jc_tree t;
    typed_tree(&t, "a + 1");
    assert_int_equal(t.naggs, 0);
    assert_int_equal(t.npasses, 1);
    expect_pass(&t, 0, "ADD", 1);
    assert_int_equal(t.pass_outs[0], t.root);
    assert_true(t.nodes[t.root].flags & NODE_ROWWISE);
    tree_free(&t);
}

static void constant_expression_has_no_pass(void **state)
{
    (void)state;
    jc_tree t;
    typed_tree(&t, "1 + 2 * pi()");
    assert_int_equal(t.npasses, 0);
    assert_false(t.nodes[t.root].flags & NODE_ROWWISE);
    tree_free(&t);
}

static void aggregate_pass_lists_the_arguments(void **state)
{
    (void)state;
    jc_tree t;
    typed_tree(&t, "sum(a * b) + max(i) + count()");
    assert_int_equal(t.naggs, 3);
    assert_int_equal(t.npasses, 1);
    expect_pass(&t, 0, "MUL,COLUMN", 0); /* count() has no argument */
    for (uint32_t k = 0; k < t.naggs; k++) {
        assert_int_equal(t.nodes[t.aggs[k]].slot, k);
        assert_int_equal(t.nodes[t.aggs[k]].agg_level, 1);
    }
    assert_int_equal(t.nodes[t.aggs[0]].op, OP_SUM);
    assert_int_equal(t.nodes[t.aggs[2]].op, OP_COUNT);
    assert_false(t.nodes[t.root].flags & NODE_ROWWISE);
    tree_free(&t);
}

static void count_alone_has_an_empty_pass(void **state)
{
    (void)state;
    jc_tree t;
    typed_tree(&t, "count()");
    assert_int_equal(t.naggs, 1);
    assert_int_equal(t.npasses, 1);
    assert_int_equal(t.passes[0].nout, 0);
    tree_free(&t);
}

static void aggregate_inside_elementwise_expression(void **state)
{
    (void)state;
    jc_tree t;
    typed_tree(&t, "a / sum(a)");
    assert_int_equal(t.npasses, 2);
    expect_pass(&t, 0, "COLUMN", 0);
    expect_pass(&t, 1, "DIV", 1);
    /* the aggregate and what only depends on it are not row-wise */
    assert_false(t.nodes[t.aggs[0]].flags & NODE_ROWWISE);
    assert_true(t.nodes[0].flags & NODE_ROWWISE);
    tree_free(&t);
}

static void nested_aggregates_run_inner_first(void **state)
{
    (void)state;
    jc_tree t;
    typed_tree(&t, "avg((a - avg(a)) ^ 2)");
    assert_int_equal(t.naggs, 2);
    /* aggs in post-order: the inner avg first */
    assert_true(t.aggs[0] < t.aggs[1]);
    assert_int_equal(t.nodes[t.aggs[0]].agg_level, 1);
    assert_int_equal(t.nodes[t.aggs[1]].agg_level, 2);
    assert_int_equal(t.npasses, 2);
    expect_pass(&t, 0, "COLUMN", 0);
    expect_pass(&t, 1, "POW", 0);
    assert_int_equal(t.root, t.aggs[1]);
    tree_free(&t);
}

static void levels_and_passes_of_a_mixed_tree(void **state)
{
    (void)state;
    jc_tree t;
    typed_tree(&t, "sum(a) * b + sum(sum(a) * c) + max(max(max(i)))");
    /* sum(a) L1, sum(a) L1, sum(...*c) L2, max(i) L1, max L2, max L3 */
    assert_int_equal(t.naggs, 6);
    static const int levels[] = {1, 1, 2, 1, 2, 3};
    for (uint32_t k = 0; k < 6; k++)
        assert_int_equal(t.nodes[t.aggs[k]].agg_level, levels[k]);
    assert_int_equal(t.npasses, 4);
    expect_pass(&t, 0, "COLUMN,COLUMN,COLUMN", 0);
    expect_pass(&t, 1, "MUL,MAX", 0);
    expect_pass(&t, 2, "MAX", 0);
    expect_pass(&t, 3, "ADD", 1);
    /* sum(a) * c is row-wise although it sits inside an aggregate */
    uint32_t mul = t.pass_outs[t.passes[1].first_out];
    assert_true(t.nodes[mul].flags & NODE_ROWWISE);
    tree_free(&t);
}

static void only_the_row_wise_root_gets_a_final_pass(void **state)
{
    (void)state;
    jc_tree t;
    typed_tree(&t, "sum(a) / count()");
    assert_int_equal(t.npasses, 1);
    assert_int_equal(t.passes[0].is_final, 0);
    tree_free(&t);
    typed_tree(&t, "if(sum(a) > 0, a, 0.0)");
    assert_int_equal(t.npasses, 2);
    expect_pass(&t, 1, "IF", 1);
    tree_free(&t);
}

static void planning_again_gives_the_same_passes(void **state)
{
    (void)state;
    jc_tree t, copy;
    typed_tree(&t, "a / sum(a) + avg(b - avg(b))");
    assert_int_equal(tree_copy(&copy, &t), 0);
    jc_error err = {0};
    assert_int_equal(tree_plan_passes(&t, &err), 0);
    assert_int_equal(t.naggs, copy.naggs);
    assert_int_equal(t.npasses, copy.npasses);
    assert_int_equal(t.npass_outs, copy.npass_outs);
    assert_memory_equal(t.aggs, copy.aggs, t.naggs * sizeof *t.aggs);
    assert_memory_equal(t.passes, copy.passes, t.npasses * sizeof *t.passes);
    assert_memory_equal(t.pass_outs, copy.pass_outs,
                        t.npass_outs * sizeof *t.pass_outs);
    tree_free(&t);
    tree_free(&copy);
}

static void expect_same_plan(const jc_tree *t, const jc_tree *want)
{
    assert_int_equal(t->naggs, want->naggs);
    assert_int_equal(t->npasses, want->npasses);
    assert_int_equal(t->npass_outs, want->npass_outs);
    if (t->naggs)
        assert_memory_equal(t->aggs, want->aggs, t->naggs * sizeof *t->aggs);
    else
        assert_null(t->aggs);
    if (t->npasses)
        assert_memory_equal(t->passes, want->passes, t->npasses * sizeof *t->passes);
    else
        assert_null(t->passes);
    if (t->npass_outs)
        assert_memory_equal(t->pass_outs, want->pass_outs,
                            t->npass_outs * sizeof *t->pass_outs);
}

/* Swaps the plans (aggs, passes, pass_outs and their counts) of x and y. */
static void swap_plans(jc_tree *x, jc_tree *y)
{
    jc_tree tmp = *x;
    x->aggs = y->aggs, x->naggs = y->naggs;
    x->passes = y->passes, x->npasses = y->npasses;
    x->pass_outs = y->pass_outs, x->npass_outs = y->npass_outs;
    y->aggs = tmp.aggs, y->naggs = tmp.naggs;
    y->passes = tmp.passes, y->npasses = tmp.npasses;
    y->pass_outs = tmp.pass_outs, y->npass_outs = tmp.npass_outs;
}

/* Planning again keeps the plan's arrays when they are large enough: a
 * stale plan of any size, larger or smaller, must give the right one. */
static void planning_over_a_plan_of_another_size(void **state)
{
    (void)state;
    const char *texts[] = {"a", "1 + 2", "sum(a) + max(b) * count()",
                           "a / sum(a) + avg(b - avg(b))", "count()"};
    size_t n = sizeof texts / sizeof *texts;
    jc_error err = {0};
    for (size_t x = 0; x < n; x++)
        for (size_t y = 0; y < n; y++) {
            jc_tree tx, ty, want;
            typed_tree(&tx, texts[x]);
            typed_tree(&ty, texts[y]);
            assert_int_equal(tree_copy(&want, &tx), 0);
            swap_plans(&tx, &ty);
            assert_int_equal(tree_plan_passes(&tx, &err), 0);
            expect_same_plan(&tx, &want);
            tree_free(&tx);
            tree_free(&ty);
            tree_free(&want);
        }
}

static void deeply_nested_aggregates_up_to_255_levels(void **state)
{
    (void)state;
    /* 255 nested sums are fine; 256 cannot be numbered in a byte */
    char text[256 * 5 + 16];
    size_t n = 0;
    for (int k = 0; k < 255; k++)
        n += (size_t)sprintf(text + n, "sum(");
    n += (size_t)sprintf(text + n, "a");
    for (int k = 0; k < 255; k++)
        text[n++] = ')';
    text[n] = '\0';
    jc_tree t;
    typed_tree(&t, text);
    assert_int_equal(t.npasses, 255);
    tree_free(&t);
    memmove(text + 4, text, n + 1);
    memcpy(text, "sum(", 4);
    strcat(text, ")");
    jc_error err = {0};
    assert_int_equal(parse_expression(&t, text, strlen(text), NULL, &err), 0);
    assert_int_equal(typecheck_tree(&t, test_schema, test_schema_len, NULL, &err), -1);
    assert_int_equal(err.code, JC_LIMIT_EXCEEDED);
    assert_int_equal(err.position, 1);
    tree_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(elementwise_expression_has_one_final_pass),
        cmocka_unit_test(planning_over_a_plan_of_another_size),
        cmocka_unit_test(constant_expression_has_no_pass),
        cmocka_unit_test(aggregate_pass_lists_the_arguments),
        cmocka_unit_test(count_alone_has_an_empty_pass),
        cmocka_unit_test(aggregate_inside_elementwise_expression),
        cmocka_unit_test(nested_aggregates_run_inner_first),
        cmocka_unit_test(levels_and_passes_of_a_mixed_tree),
        cmocka_unit_test(only_the_row_wise_root_gets_a_final_pass),
        cmocka_unit_test(planning_again_gives_the_same_passes),
        cmocka_unit_test(deeply_nested_aggregates_up_to_255_levels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
