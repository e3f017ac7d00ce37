/*
 * test_jit_ops.c — every operator and function, every type combination,
 * every instruction set this CPU runs: compiled code gives the
 * interpreter's bits, and faults in the same calls. Rows pair edge values
 * (NaN, ±Inf, -0.0, subnormals, i64 extremes) with each other; each
 * expression is compared one vector at a time (so a faulting row hides
 * only its own vector), then over whole ranges of 0, 1, lanes-1, lanes,
 * lanes+1 and 10,007 rows, from row 0 and from row 5 (padded tails).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "tests/jit/diff.h"

#define ROWS 10007

static jit_pool *pool;
static dt_data data;

static int setup(void **state)
{
    (void)state;
    jc_error err;
    pool = jit_pool_new(&err);
    dt_data_edges(&data, ROWS, 42);
    return pool ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    jit_pool_free(pool);
    dt_data_free(&data);
    return 0;
}

static void check_all(const char *const *exprs)
{
    static const jit_isa isas[] = {JIT_ISA_SSE2, JIT_ISA_AVX2, JIT_ISA_AVX512,
                                   JIT_ISA_NEON};
    int ran = 0;
    for (size_t s = 0; s < sizeof isas / sizeof *isas; s++) {
        jit_isa isa = isas[s];
        if (!jit_isa_supported(isa))
            continue;
        size_t L = jit_isa_lanes(isa);
        size_t counts[] = {0, 1, L - 1, L, L + 1, ROWS};
        for (size_t e = 0; exprs[e]; e++) {
            size_t faulted = 0;
            int bad = dt_compare(pool, isa, exprs[e], &data, 0, ROWS, L, &faulted);
            for (size_t c = 0; c < sizeof counts / sizeof *counts && bad == 0; c++) {
                bad += dt_compare(pool, isa, exprs[e], &data, 0, counts[c], 0, NULL);
                if (counts[c] + 5 <= ROWS)
                    bad += dt_compare(pool, isa, exprs[e], &data, 5, 5 + counts[c], 0, NULL);
            }
            if (bad)
                fail_msg("%s differs on %s", exprs[e], jit_isa_name(isa));
            /* most vectors must be compared, not skipped as faulting */
            if (faulted * 2 > ROWS / L)
                fail_msg("%s: %zu of %zu vectors faulted", exprs[e], faulted, ROWS / L);
            ran++;
        }
    }
    if (!ran)
        skip();
}

static void test_f64_arithmetic_matches_interpreter(void **state)
{
    (void)state;
    static const char *const e[] = {
        "a + b", "a - b", "a * b", "a / b", "a // b", "a % b", "a ^ b", "-a",
        "(a - b) / (a + b + 1)", "a*b + a", "a - (b * a)", "(a + b) / (a * b)",
        "(a + b) // (a - b)", "(a * b) % (a + b)", "(a + b) ^ (b - a)", NULL};
    check_all(e);
}

static void test_i64_arithmetic_matches_interpreter(void **state)
{
    (void)state;
    static const char *const e[] = {
        "n + m", "n - m", "n * m", "n // m", "n % m", "-n", "abs(n)", "sign(n)",
        "least(n, m)", "greatest(n, m)", "n * 3 + m", "n / m", "n ^ m",
        "n - (m * n)", "(n + m) // (m - n)", "(n * m) % (m + 1)", NULL};
    check_all(e);
}

static void test_mixed_types_convert_like_interpreter(void **state)
{
    (void)state;
    static const char *const e[] = {
        "n + a", "a * n", "a - m", "n < a", "a == n", "float(n)", "int(a)",
        "int(p)", "float(p)", "p + n", "p * a", "n + (a > b)", "int(a) // 3",
        "least(a, n)", NULL};
    check_all(e);
}

static void test_comparisons_and_logic_match_interpreter(void **state)
{
    (void)state;
    static const char *const e[] = {
        "a == b", "a != b", "a < b", "a <= b", "a > b", "a >= b",
        "n == m", "n != m", "n < m", "n <= m", "n > m", "n >= m",
        "p == q", "p != q", "p and q", "p or q", "not p", "not (a < b) or p",
        "a > 0.5 and b < 0.2", NULL};
    check_all(e);
}

static void test_functions_match_interpreter(void **state)
{
    (void)state;
    static const char *const e[] = {
        "abs(a)", "sign(a)", "sqrt(a)", "cbrt(a)", "exp(a)", "expm1(a)", "ln(a)",
        "log10(a)", "log2(a)", "log1p(a)", "sin(a)", "cos(a)", "tan(a)",
        "asin(a)", "acos(a)", "atan(a)", "sinh(a)", "cosh(a)", "tanh(a)",
        "atan2(a, b)", "hypot(a, b)", "pow(a, b)", "fmod(a, b)", "floor(a)",
        "ceil(a)", "trunc(a)", "round(a)", "round(a, m)", "round(a, 2)",
        "round(a, -1)", "least(a, b)", "greatest(a, b)", "clamp(a, b, 1.5)",
        "isnan(a)", "isinf(a)", "isfinite(a)", "floor(n)", "round(n)", NULL};
    check_all(e);
}

static void test_if_selects_like_interpreter(void **state)
{
    (void)state;
    static const char *const e[] = {
        "if(p, a, b)", "if(p, n, m)", "if(p, p, q)", "if(a > b, a - b, b - a)",
        "if(m != 0, n // m, 0)", "if(a > b, n, a)", "if(q, 1, 2.5)",
        /* a comparison of f64 as the condition: one SEL stencil */
        "if(a < b, a, b)", "if(a <= 0.5, 1.5, b)", "if(a == b, a * b, a + b)",
        "if(a != b, n, m)", "if(a >= b, p, q)", "if(a > 1, if(b < a, a - b, b), -a)",
        "if(if(p, a, b) > a * b, a, 2.5)", "if(n > m, a, b)",
        "a+(b+(a+(b+(a+(b+if(a > b+(a+b), b+(a*(b+a)), a-(b-(a+b))))))))",
        /* the then-branch's operation under the mask (AVX-512): each
         * operator, a conjunction, an i64 comparison, nested, and where
         * the mask is live around the if (the select instead) */
        "if(a < b, a / b, a * 2)", "if(a >= b, a * b, b / a)", "if(a == b, a + 1, b)",
        "if(a > 0 and b < 1, a + b, b - a)", "if(n > m, a - b, a + b)",
        "if(a > b, a - b, if(b > 1, b * a, a))", "if(a > b, if(b > 1, b * a, a) - b, a)",
        "b < 0.2 and if(a > b, a - b, b) > 0.25", "if(a != b, a - b, exp(b))", NULL};
    check_all(e);
}

static void test_memory_operands_match_interpreter(void **state)
{
    (void)state;
    /* scalar slots and columns read as the right operand (fused stencils) */
    static const char *const e[] = {
        "a + 2.5", "a - 1", "a * -0.0", "a / 3", "1 - a", "a > 0.5", "a <= -0.0",
        "n > 3", "n == 7", "n != -1", "a * b * a * b", "a + b + a + b + a",
        "((((a*0.1+0.2)*a+0.3)*a+0.4)*a+0.5)", NULL};
    check_all(e);
}

static void test_aggregate_reads_and_passes_match_interpreter(void **state)
{
    (void)state;
    static const char *const e[] = {
        "a / sum(a)", "n - max(n)", "sum(a * b)", "avg((a - avg(a)) ^ 2)",
        "count() + n", "sum(n * 2) + min(a)", "a > avg(b) and p",
        "sum(a) + sum(b) + sum(n) + sum(m) + sum(a * b) + max(p)", NULL};
    check_all(e);
}

static void test_columns_beyond_pointer_registers_match_interpreter(void **state)
{
    (void)state;
    /* more columns than pointer registers: read through context slots */
    static const char *const e[] = {
        "a + b + n + m", "a * b - n * m + (p and q)", "if(q, n, m) + a - b",
        "if(p and q, a, b) + n - m", "(a > b) != (p or q) and n < m", NULL};
    check_all(e);
}

static void test_register_spills_match_interpreter(void **state)
{
    (void)state;
    /* right-nested trees deeper than the 7 stack registers */
    static const char *const e[] = {
        "a+(b+(a+(b+(a+(b+(a+(b+(a+(b+(a+b))))))))))",
        "n-(m-(n-(m-(n-(m-(n-(m-(n-(m-(n*m))))))))))",
        "if(p, a+(b*(a-(b/(a+(b*(a-(b+1))))))), b-(a*(b+(a-(b*(a+(b-2)))))))",
        "(a+b)*((a-b)*((a*b)*((a/b)*((a+1)*((b+1)*((a+2)*((b+2)*(a+3))))))))",
        NULL};
    check_all(e);
}

static void test_pinned_leaves_match_interpreter(void **state)
{
    (void)state;
    /* On AVX-512, columns read twice or more and scalars live in pin
     * registers: as right operands of + - * /, pushed for everything else
     * (comparisons, i64, if), more candidates than pins, pins below
     * spilled stacks, a pinned column read through a context slot, and
     * aggregate passes with several outputs. */
    static const char *const e[] = {
        "a*a + a*b + b*b - a/b", "b - a*b", "a / (b / a)",
        "n * n + m - n", "n > 3 and n < m or n == m", "if(a > b, a - b, b - a)",
        "a > 0.5 and b < 0.2 or a < 0.5 and b > 0.2",
        "a*1.5 + b*2.5 - a*3.5 + b*4.5 - a*5.5 + b*6.5 - a*7.5 + b*8.5 - a*9.5"
        " + b*10.5 - a*11.5 + b*12.5 - a*13.5 + b*14.5 - a*15.5 + b*16.5",
        "a+(b+(a+(b+(a+(b+(a+(b+(a+(b+(a+b*a))))))))))",
        "2.5-(a-(1.5-(b-(0.5-(a-(3.5-(b-(4.5-(a-2.5)))))))))",
        "(a*a + b*b) + float(n*n + m*m) - a*b",
        "if(p, a*a, b*b) - if(q, a, b) * a",
        "sum(a*a) + sum(a*b) + max(a*b - a)", "a / sum(a*a) - b / sum(b*b)",
        NULL};
    check_all(e);
}

static void test_passes_that_call_out_match_interpreter(void **state)
{
    (void)state;
    /* a call clobbers every vector register: such passes pin nothing and
     * set the fixed registers (the canonical NaN) again after the call */
    static const char *const e[] = {
        "exp(a) * a + a", "a*a - sin(a) * b*b", "n * m + n * m", "fmod(a, b) + a*a",
        NULL};
    check_all(e);
}

static void test_context_offsets_beyond_64_kib_match_interpreter(void **state)
{
    (void)state;
    /* 9,000 constants: scalar slots (and the spill slots after them) lie
     * more than 64 KiB into the context. On aarch64 a context offset is
     * built by movz + movk (linker/patch_aarch64.c), not by an adrp page. */
    enum { TERMS = 9000 };
    char *text = malloc(TERMS * 16);
    assert_non_null(text);
    size_t n = 0;
    for (int k = 1; k <= TERMS; k++)
        n += (size_t)sprintf(text + n, "%sa*%d", k > 1 ? "+" : "", k);
    n += (size_t)sprintf(text + n, "+(b+(a+(b+(a+(b+(a+(b+(a+b))))))))");
    assert_true(n < 65536);
    static const jit_isa isas[] = {JIT_ISA_SSE2, JIT_ISA_AVX2, JIT_ISA_AVX512,
                                   JIT_ISA_NEON};
    int ran = 0;
    for (size_t s = 0; s < sizeof isas / sizeof *isas; s++) {
        if (!jit_isa_supported(isas[s]))
            continue;
        if (dt_compare(pool, isas[s], text, &data, 5, 72, 0, NULL) != 0)
            fail_msg("a 9,000-constant sum differs (or does not compile) on %s",
                     jit_isa_name(isas[s]));
        ran++;
    }
    free(text);
    if (!ran)
        skip();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_f64_arithmetic_matches_interpreter),
        cmocka_unit_test(test_i64_arithmetic_matches_interpreter),
        cmocka_unit_test(test_mixed_types_convert_like_interpreter),
        cmocka_unit_test(test_comparisons_and_logic_match_interpreter),
        cmocka_unit_test(test_functions_match_interpreter),
        cmocka_unit_test(test_if_selects_like_interpreter),
        cmocka_unit_test(test_memory_operands_match_interpreter),
        cmocka_unit_test(test_aggregate_reads_and_passes_match_interpreter),
        cmocka_unit_test(test_columns_beyond_pointer_registers_match_interpreter),
        cmocka_unit_test(test_register_spills_match_interpreter),
        cmocka_unit_test(test_context_offsets_beyond_64_kib_match_interpreter),
        cmocka_unit_test(test_pinned_leaves_match_interpreter),
        cmocka_unit_test(test_passes_that_call_out_match_interpreter),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
