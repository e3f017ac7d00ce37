/* test_interp_api.c — interp.h called directly: hand-built trees, row
 * offsets, per-output faults, buffer reuse on deep trees, out-of-memory. */
#include <stdlib.h>

#include "interp/interp.h"
#include "interp/plan.h"
#include "parser/parser.h"
#include "testutil.h"
#include "util/mem.h"

/* a + 2.0, typed by hand (no parser). */
static void build_a_plus_two(jc_tree *t)
{
    tree_init(t);
    t->columns = mem_calloc(1, sizeof *t->columns);
    t->columns[0] = (jc_colref){mem_strndup("a", 1), 1, JC_F64};
    t->ncolumns = t->columns_cap = 1;
    t->consts = mem_alloc(sizeof *t->consts);
    t->consts[0] = (jc_const){{.f = 2.0}, JC_F64};
    t->nconsts = t->consts_cap = 1;
    uint32_t a = tree_add(t, OP_COLUMN, 1, NULL, 0);
    t->nodes[a].type = JC_F64;
    uint32_t two = tree_add(t, OP_CONST, 5, NULL, 0);
    t->nodes[two].type = JC_F64;
    uint32_t add = tree_add(t, OP_ADD, 3, (uint32_t[]){a, two}, 2);
    t->nodes[add].type = JC_F64;
    jc_error err;
    assert_int_equal(tree_plan_passes(t, &err), 0);
}

static void parse_typed(const char *expr, const jc_column *schema, size_t n, jc_tree *t)
{
    jc_error err;
    assert_int_equal(parse_expression(t, expr, strlen(expr), NULL, &err), 0);
    assert_int_equal(typecheck_tree(t, schema, n, NULL, &err), 0);
    assert_int_equal(fold_constants(t, &err), 0);
}

/* The scalar table's constants, from the tree. */
static void load_consts(const jc_tree *t, uint64_t *scalars)
{
    for (uint32_t k = 0; k < t->nconsts; k++)
        scalars[k] = t->consts[k].value.bits;
}

static void a_hand_built_tree_runs_on_both_paths(void **state)
{
    (void)state;
    enum { N = 3000, BEGIN = 5, END = 2500 };
    jc_tree t;
    build_a_plus_two(&t);
    assert_int_equal(t.npasses, 1);
    double *a = malloc(N * sizeof *a), *out = malloc(N * sizeof *out);
    for (int i = 0; i < N; i++)
        a[i] = i * 0.5;
    const void *cols[] = {a};
    uint64_t scalars[] = {num_bits(2.0)};
    void *outs[] = {out};
    jc_block_io io = {cols, scalars, outs};
    interp_ws *ws = interp_ws_new(&t);
    assert_non_null(ws);
    assert_int_equal(interp_block(&t, 0, &io, BEGIN, END, ws), 0);
    for (int i = BEGIN; i < END; i++) /* element 0 is row BEGIN */
        assert_bits(i * 0.5 + 2.0, out[i - BEGIN]);
    memset(out, 0, N * sizeof *out);
    jc_error err;
    assert_int_equal(interp_precise(&t, 0, &io, NULL, BEGIN, END, &err), 0);
    for (int i = BEGIN; i < END; i++)
        assert_bits(i * 0.5 + 2.0, out[i - BEGIN]);
    /* an empty range writes nothing */
    out[0] = -1;
    assert_int_equal(interp_block(&t, 0, &io, 7, 7, ws), 0);
    assert_int_equal(interp_precise(&t, 0, &io, NULL, 7, 7, &err), 0);
    assert_bits(-1.0, out[0]);
    interp_ws_free(ws);
    free(a);
    free(out);
    tree_free(&t);
}

static void one_faulting_output_poisons_only_itself(void **state)
{
    (void)state;
    enum { N = 100 };
    int64_t a[N], b[N], o0[N], o1[N];
    for (int i = 0; i < N; i++) {
        a[i] = i;
        b[i] = i == 40 || i == 70 ? 0 : 2;
    }
    jc_column schema[] = {col_i64("a", a, N), col_i64("b", b, N)};
    jc_tree t;
    parse_typed("sum(a // b) + sum(a * 3)", schema, 2, &t);
    assert_int_equal(t.passes[0].nout, 2);
    const void *cols[] = {a, b};
    uint64_t scalars[4] = {0};
    load_consts(&t, scalars);
    void *outs[] = {o0, o1};
    jc_block_io io = {cols, scalars, outs};
    interp_ws *ws = interp_ws_new(&t);
    assert_int_not_equal(interp_block(&t, 0, &io, 0, N, ws), 0); /* some lane faulted */
    jc_error errs[2];
    assert_int_equal(interp_precise_each(&t, 0, &io, NULL, 0, N, errs), 1);
    assert_int_equal(errs[0].code, JC_DIVISION_BY_ZERO);
    assert_int_equal(errs[0].row, 40);
    assert_int_equal(errs[0].position, 0);
    assert_non_null(strstr(errs[0].message, "//"));
    assert_int_equal(errs[1].code, JC_OK);
    for (int i = 0; i < N; i++)
        assert_int_equal(o1[i], 3 * i);
    for (int i = 0; i < 40; i++)
        assert_int_equal(o0[i], i / 2);
    /* interp_precise stops at the first fault of any output */
    jc_error err;
    assert_int_equal(interp_precise(&t, 0, &io, NULL, 50, N, &err), -1);
    assert_int_equal(err.code, JC_DIVISION_BY_ZERO);
    assert_int_equal(err.row, 70);
    interp_ws_free(ws);
    tree_free(&t);
}

static void a_poisoned_scalar_faults_where_it_is_read(void **state)
{
    (void)state;
    enum { N = 10 };
    double a[N], out[N];
    for (int i = 0; i < N; i++)
        a[i] = i;
    jc_column schema[] = {col_f64("a", a, N)};
    jc_tree t;
    parse_typed("if(a > 6, a + max(a), a)", schema, 1, &t);
    const void *cols[] = {a};
    uint64_t scalars[8] = {0};
    jc_scalar_state states[8] = {{0}};
    uint32_t slot = t.nconsts + t.nodes[t.aggs[0]].slot;
    states[slot] = (jc_scalar_state){SCALAR_FAULT, JC_INTEGER_OVERFLOW, 1234};
    load_consts(&t, scalars);
    void *outs[] = {out};
    jc_block_io io = {cols, scalars, outs};
    unsigned final = t.npasses - 1;
    jc_error err;
    assert_int_equal(interp_precise(&t, final, &io, states, 0, 6, &err), 0);
    assert_int_equal(interp_precise(&t, final, &io, states, 0, N, &err), -1);
    assert_int_equal(err.code, JC_INTEGER_OVERFLOW);
    assert_int_equal(err.row, 1234); /* the aggregate's row, as the state says */
    jc_value v;
    int is_null;
    /* and the scalar root reports it too, when it reads it */
    tree_free(&t);
    parse_typed("if(count() > 100, max(a), 0.0)", schema, 1, &t);
    uint64_t sc[4] = {0};
    jc_scalar_state st[4] = {{0}};
    load_consts(&t, sc);
    for (uint32_t k = 0; k < t.naggs; k++) {
        uint32_t s = t.nconsts + k;
        if (t.nodes[t.aggs[k]].op == OP_COUNT)
            sc[s] = 200;
        else
            st[s] = (jc_scalar_state){SCALAR_FAULT, JC_DIVISION_BY_ZERO, 3};
    }
    assert_int_equal(interp_scalar(&t, sc, st, &v, &is_null, &err), -1);
    assert_int_equal(err.code, JC_DIVISION_BY_ZERO);
    assert_int_equal(err.row, 3);
    tree_free(&t);
}

static char *chain(const char *first, const char *term, int n)
{
    size_t lf = strlen(first), lt = strlen(term);
    char *s = malloc(lf + (size_t)n * lt + 1), *p = s;
    memcpy(p, first, lf);
    p += lf;
    for (int k = 0; k < n; k++, p += lt)
        memcpy(p, term, lt);
    *p = '\0';
    return s;
}

static void a_thirty_thousand_term_chain_reuses_three_buffers(void **state)
{
    (void)state;
    enum { N = 2000, TERMS = 30000 };
    double *a = malloc(N * sizeof *a);
    for (int i = 0; i < N; i++)
        a[i] = i;
    jc_column c = col_f64("a", a, N);
    char *text = chain("a", "+1", TERMS - 1); /* 60,000 bytes */
    jc_tree t;
    parse_typed(text, &c, 1, &t);
    pass_plan plan;
    assert_int_equal(plan_build_pass(&plan, &t, 0), 0);
    assert_true(plan.nbufs <= 3);
    assert_true(plan.depth <= 3);
    plan_free(&plan);
    tree_free(&t);
    drv_result r = eval_both(text, &c, 1, N);
    assert_int_equal(r.rc, 0);
    for (int i = 0; i < N; i++)
        assert_bits(i + (double)(TERMS - 1), ((double *)r.values)[i]);
    drv_result_free(&r);
    free(text);
    /* and with if-chains (lazy jumps) and aggregates all along */
    text = chain("a", " + if(a > 3, 1, 0)", 3000); /* 57,000 bytes */
    r = eval_both(text, &c, 1, N);
    assert_int_equal(r.rc, 0);
    assert_bits(1999.0 + 3000, ((double *)r.values)[N - 1]);
    assert_bits(3.0, ((double *)r.values)[3]);
    drv_result_free(&r);
    free(text);
    text = chain("sum(a)", " + sum(a)", 3000);
    r = eval_both(text, &c, 1, N);
    assert_int_equal(r.rc, 0);
    assert_bits(3001.0 * 1999000.0, r.scalar.f);
    free(text);
    free(a);
}

static void nesting_at_the_depth_limit_evaluates(void **state)
{
    (void)state;
    /* 255 prefix minuses and one power: depth 256, the default limit */
    char text[1024];
    size_t n = 0;
    for (int k = 0; k < 255; k++)
        text[n++] = '-';
    strcpy(text + n, "2^2");
    assert_bits(4.0, f64_of(text));
    /* right-nested powers: operand stack as deep as the nesting */
    double a[] = {1.0, 1.0000001};
    jc_column c = col_f64("a", a, 2);
    char *pw = chain("a", "^a", 200);
    drv_result r = eval_both(pw, &c, 1, 2);
    assert_int_equal(r.rc, 0);
    assert_bits(1.0, ((double *)r.values)[0]);
    drv_result_free(&r);
    free(pw);
}

static void out_of_memory_is_an_error_value(void **state)
{
    (void)state;
    double a[] = {1, 2, 3};
    jc_column c = col_f64("a", a, 3);
    jc_tree t;
    parse_typed("a * sum(a) + if(a > 1, avg(a), 2.0)", &c, 1, &t);
    int failed = 0;
    for (long k = 0;; k++) {
        mem_fail_after(k);
        interp_ws *ws = interp_ws_new(&t);
        mem_fail_after(-1);
        if (ws) {
            interp_ws_free(ws);
            break;
        }
        failed++;
    }
    assert_true(failed > 3);
    const void *cols[] = {a};
    uint64_t scalars[8] = {0};
    double out[3];
    void *outs[] = {out};
    jc_block_io io = {cols, scalars, outs};
    jc_error err;
    int rc;
    for (int each = 0; each < 2; each++) {
        failed = 0;
        for (long k = 0;; k++) {
            jc_error errs[2];
            mem_fail_after(k);
            rc = each ? interp_precise_each(&t, 1, &io, NULL, 0, 3, errs)
                      : interp_precise(&t, 1, &io, NULL, 0, 3, errs);
            mem_fail_after(-1);
            if (rc >= 0)
                break;
            assert_int_equal(errs[0].code, JC_OUT_OF_MEMORY);
            failed++;
        }
        assert_true(failed >= 3);
    }
    tree_free(&t);
    parse_typed("sum(a) + 1", &c, 1, &t);
    jc_value v;
    int is_null;
    mem_fail_after(0);
    rc = interp_scalar(&t, scalars, NULL, &v, &is_null, &err);
    mem_fail_after(-1);
    assert_int_equal(rc, -1);
    assert_int_equal(err.code, JC_OUT_OF_MEMORY);
    assert_int_equal(interp_scalar(&t, scalars, NULL, &v, &is_null, &err), 0);
    tree_free(&t);
}

static void interp_scalar_refuses_a_rowwise_root(void **state)
{
    (void)state;
    jc_tree t;
    build_a_plus_two(&t);
    uint64_t scalars[1] = {num_bits(2.0)};
    jc_value v;
    int is_null;
    jc_error err;
    assert_int_equal(interp_scalar(&t, scalars, NULL, &v, &is_null, &err), -1);
    assert_int_equal(err.code, JC_INTERNAL);
    tree_free(&t);
}

/* A lane fault on a lazy side the row does not take is no fault: the
 * block path re-checks with masks and says so itself. */
static void the_block_path_ignores_faults_on_sides_not_taken(void **state)
{
    (void)state;
    enum { N = 3000 };
    int64_t *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b), *out = malloc(N * 8);
    for (int i = 0; i < N; i++) {
        a[i] = 3 * i;
        b[i] = i % 10 == 0 ? 0 : i % 7 + 1;
    }
    jc_column schema[] = {col_i64("a", a, N), col_i64("b", b, N)};
    static const char *guarded[] = {"if(b != 0, a // b, 0)", "b == 0 or a % b > 1",
                                    "if(b == 0, -1, if(b > 3, a // b, a % b))",
                                    "not (b != 0 and a // b > 5)"};
    for (size_t k = 0; k < sizeof guarded / sizeof *guarded; k++) {
        jc_tree t;
        parse_typed(guarded[k], schema, 2, &t);
        const void *cols[] = {a, b};
        uint64_t scalars[8] = {0};
        load_consts(&t, scalars);
        void *outs[] = {out};
        jc_block_io io = {cols, scalars, outs};
        interp_ws *ws = interp_ws_new(&t);
        if (interp_block(&t, 0, &io, 0, N, ws) != 0)
            fail_msg("`%s`: the block path reports a fault", guarded[k]);
        interp_ws_free(ws);
        tree_free(&t);
        drv_result r = eval_both(guarded[k], schema, 2, N); /* same values */
        assert_int_equal(r.rc, 0);
        drv_result_free(&r);
    }
    jc_tree t;
    parse_typed("b == 0 and a // b > 1", schema, 2, &t);
    const void *cols[] = {a, b};
    uint64_t scalars[8] = {0};
    load_consts(&t, scalars);
    void *outs[] = {out};
    jc_block_io io = {cols, scalars, outs};
    interp_ws *ws = interp_ws_new(&t);
    assert_int_not_equal(interp_block(&t, 0, &io, 0, N, ws), 0);
    interp_ws_free(ws);
    tree_free(&t);
    free(a);
    free(b);
    free(out);
}

/* The fused block instructions (plan.h) give the bits of their two ops. */
static void fused_instructions_compute_both_ops(void **state)
{
    (void)state;
    enum { N = 37 };
    double a[N], b[N], c[N];
    int64_t i[N], j[N];
    static const double sp[] = {0.0, -0.0, 1.0, -1.0, 1e308, -1e308, 0.1, 3.0,
                                __builtin_inf(), -__builtin_inf(), __builtin_nan("")};
    for (int r = 0; r < N; r++) {
        a[r] = sp[r % 11];
        b[r] = sp[(r * 7 + 3) % 11];
        c[r] = sp[(r * 5 + 1) % 11];
        i[r] = r - 18;
        j[r] = 18 - 2 * r;
    }
    jc_column cols[] = {col_f64("a", a, N), col_f64("b", b, N), col_f64("c", c, N),
                        col_i64("i", i, N), col_i64("j", j, N)};
    static const struct { const char *e; int fused_op; } cases[] = {
        {"a*b + c", BOP_MULADD}, {"c + a*b", BOP_MULADD}, {"a*b - c", BOP_MULSUB},
        {"c - a*b", BOP_SUBMUL}, {"2*a + 1", BOP_MULADD}, {"a*2 - b", BOP_MULSUB},
        {"1 - a*b", BOP_SUBMUL}, {"a*b + c*a", BOP_MULADD},
        {"if(a > b, a, b)", BOP_SELCMP}, {"if(a > 0.5, a - b, b)", BOP_SELCMP},
        {"if(i < 3, i, j)", BOP_SELCMP}, {"if(0.5 <= a, 1.0, b)", BOP_SELCMP},
        {"if(a != c, c, -a)", BOP_SELCMP}, {"if(i == j, 1.5, a)", BOP_SELCMP},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        jc_tree t;
        parse_typed(cases[k].e, cols, 5, &t);
        pass_plan plan;
        assert_int_equal(plan_build_pass(&plan, &t, 0), 0);
        int found = 0;
        for (uint32_t q = 0; q < plan.nbi; q++)
            found |= plan.bi[q].kind == BK_OP && plan.bi[q].op == cases[k].fused_op;
        if (!found)
            fail_msg("`%s` is not fused", cases[k].e);
        plan_free(&plan);
        tree_free(&t);
        drv_result r = eval_both(cases[k].e, cols, 5, N); /* = the precise path */
        assert_int_equal(r.rc, 0);
        drv_result_free(&r);
    }
    /* spot checks against C */
    drv_result r = eval_both("c - a*b", cols, 5, N);
    for (int q = 0; q < N; q++)
        assert_bits(num_canon(c[q] - a[q] * b[q]), ((double *)r.values)[q]);
    drv_result_free(&r);
    r = eval_both("if(a > b, a, b)", cols, 5, N);
    for (int q = 0; q < N; q++)
        assert_bits(num_canon(a[q] > b[q] ? a[q] : b[q]), ((double *)r.values)[q]);
    drv_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_hand_built_tree_runs_on_both_paths),
        cmocka_unit_test(one_faulting_output_poisons_only_itself),
        cmocka_unit_test(a_poisoned_scalar_faults_where_it_is_read),
        cmocka_unit_test(a_thirty_thousand_term_chain_reuses_three_buffers),
        cmocka_unit_test(nesting_at_the_depth_limit_evaluates),
        cmocka_unit_test(out_of_memory_is_an_error_value),
        cmocka_unit_test(interp_scalar_refuses_a_rowwise_root),
        cmocka_unit_test(fused_instructions_compute_both_ops),
        cmocka_unit_test(the_block_path_ignores_faults_on_sides_not_taken),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
