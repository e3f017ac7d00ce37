/*
 * test_jit_random.c — seeded random expressions (tests/common/exprgen.h:
 * every operator, function and aggregate, depth up to 12) evaluated through
 * the public API by an engine per instruction set and by an interpreter-only
 * engine: the same result bits, or the same error code and row. Row counts
 * vary around the vector widths so partial vectors are exercised.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "interp/interp.h"
#include "jit/jit.h"
#include "jitcalc.h"
#include "parser/parser.h"
#include "tests/common/exprgen.h"
#include "tests/jit/diff.h"

#define EXPRESSIONS 2500

static int same(const jc_result *x, int rx, const jc_error *ex, const jc_result *y,
                int ry, const jc_error *ey)
{
    if (rx != ry)
        return 0;
    if (rx)
        return ex->code == ey->code && ex->row == ey->row;
    if (x->type != y->type || x->is_column != y->is_column || x->is_null != y->is_null)
        return 0;
    if (x->is_column) {
        size_t es = x->type == JC_BOOL ? 1 : 8;
        return x->rows == y->rows && (!x->rows || !memcmp(x->values, y->values, x->rows * es));
    }
    if (x->is_null)
        return 1;
    return x->type == JC_BOOL ? x->scalar.b == y->scalar.b
                              : !memcmp(&x->scalar, &y->scalar, 8);
}

/* Should the JIT of `isa` compile `text`: does it have rows to compute
 * (a pass) and a stencil for every operation (jit_supports)? */
static int jit_should_compile(const char *text, const jc_column *schema, size_t n, jit_isa isa)
{
    jc_tree t;
    jc_error err;
    jc_limits lim = {65536, 256, 1024};
    tree_init(&t);
    int yes = parse_expression(&t, text, strlen(text), &lim, &err) == 0 &&
              typecheck_tree(&t, schema, n, &lim, &err) == 0 && fold_constants(&t, &err) == 0 &&
              t.npasses > 0 && jit_supports(&t, isa);
    tree_free(&t);
    return yes;
}

static void test_random_expressions_match_interpreter(void **state)
{
    (void)state;
    static const char *const isas[] = {"sse2", "avx2", "avx512", "neon"};
#define NISAS (int)(sizeof isas / sizeof *isas)
    jc_engine *ref, *eng[NISAS] = {0};
    jc_options o;
    jc_error err;
    jc_options_init(&o);
    o.isa = "none";
    ref = jc_engine_new(&o, &err);
    assert_non_null(ref);
    int neng = 0;
    for (int k = 0; k < NISAS; k++) {
        jit_isa isa;
        if (jit_isa_parse(isas[k], &isa) < 0 || !jit_isa_supported(isa))
            continue;
        o.isa = isas[k];
        eng[k] = jc_engine_new(&o, &err);
        assert_non_null(eng[k]);
        neng++;
    }
    if (!neng)
        skip();

    dt_data d;
    dt_data_edges(&d, 4000, 7);
    exprgen_column gc[DT_NCOLS];
    for (int k = 0; k < DT_NCOLS; k++) {
        gc[k].name = dt_schema[k].name;
        gc[k].type = dt_schema[k].type;
    }
    static const size_t counts[] = {0, 1, 2, 3, 5, 7, 8, 9, 17, 45, 300};
    size_t jitted = 0, compared = 0, errors = 0;
    uint64_t rs = 12345;
    for (uint64_t seed = 1; seed <= EXPRESSIONS; seed++) {
        exprgen_config cfg = {gc, DT_NCOLS, 1 + (unsigned)(seed % 12), (seed % 3) == 0,
                              0, (seed % 4) == 0};
        char *text = exprgen_text(&cfg, EXPRGEN_ANY, seed);
        assert_non_null(text);
        size_t rows = counts[exprgen_random(&rs) % (sizeof counts / sizeof *counts)];
        size_t start = exprgen_random(&rs) % (d.rows - rows);
        jc_column cols[DT_NCOLS];
        for (int k = 0; k < DT_NCOLS; k++) {
            cols[k] = dt_schema[k];
            cols[k].length = rows;
            cols[k].data = (const char *)d.cols[k] + start * (k >= 4 ? 1 : 8);
        }
        jc_result r0 = {0};
        jc_error e0 = {0};
        int rc0 = jc_eval(ref, text, JC_NUL_TERMINATED, cols, DT_NCOLS, rows, &r0, &e0);
        errors += rc0 != 0;
        for (int k = 0; k < NISAS; k++) {
            if (!eng[k])
                continue;
            jc_result r1 = {0};
            jc_error e1 = {0};
            int rc1 = jc_eval(eng[k], text, JC_NUL_TERMINATED, cols, DT_NCOLS, rows, &r1, &e1);
            if (!same(&r0, rc0, &e0, &r1, rc1, &e1))
                fail_msg("seed %llu, %zu rows from %zu, %s: `%s`: interpreter %s (%s row "
                         "%lld), jit %s (%s row %lld)",
                         (unsigned long long)seed, rows, start, isas[k], text,
                         rc0 ? "error" : "value", e0.message, (long long)e0.row,
                         rc1 ? "error" : "value", e1.message, (long long)e1.row);
            compared++;
            /* the program really runs compiled code, whenever the JIT has
             * every stencil it needs (a lowering that fails falls back to
             * the interpreter: right answers, lost speed) */
            jc_program *p = jc_compile(eng[k], text, JC_NUL_TERMINATED, cols, DT_NCOLS, &err);
            if (p) {
                jc_explain ex;
                int code = jc_program_explain(p, &ex, &err) == 0 && ex.code_bytes > 0;
                jitted += code;
                jit_isa isa;
                if (!code && jit_isa_parse(isas[k], &isa) == 0 &&
                    jit_should_compile(text, cols, DT_NCOLS, isa))
                    fail_msg("seed %llu, %s: `%s` has stencils but no code", (unsigned long long)seed,
                             isas[k], text);
                jc_program_free(p);
            }
            jc_result_free(&r1);
        }
        jc_result_free(&r0);
        free(text);
    }
    printf("%zu comparisons, %zu compiled to code, %zu error results\n", compared, jitted,
           errors);
    /* scalar-only expressions have no pass to compile; the rest must */
    assert_true(jitted * 10 >= compared * 7);
    assert_true(errors > 0 && errors * 2 < EXPRESSIONS);
    dt_data_free(&d);
    for (int k = 0; k < NISAS; k++)
        jc_engine_free(eng[k]);
    jc_engine_free(ref);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_expressions_match_interpreter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
