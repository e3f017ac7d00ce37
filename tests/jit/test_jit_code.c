/*
 * test_jit_code.c — properties of compiled code itself: instruction set
 * names, the stencil chain explain shows, literals that are parameters (not
 * code), code memory that is reused and never writable and executable at
 * once (W^X, read from /proc/self/maps while code runs), and perf map
 * entries on request.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "interp/interp.h"
#include "jit/internal.h"
#include "parser/parser.h"

static const jc_column schema[] = {{"a", JC_F64, NULL, 0}, {"b", JC_F64, NULL, 0},
                                   {"c", JC_F64, NULL, 0}, {"price", JC_F64, NULL, 0}};

static void build(jc_tree *t, const char *text)
{
    jc_error err;
    jc_limits lim = {65536, 256, 1024};
    tree_init(t);
    assert_int_equal(parse_expression(t, text, strlen(text), &lim, &err), 0);
    assert_int_equal(typecheck_tree(t, schema, 4, &lim, &err), 0);
    assert_int_equal(fold_constants(t, &err), 0);
}

static jit_isa any_isa(void)
{
    jit_isa isa = jit_isa_best();
    if (isa == JIT_ISA_NONE)
        skip();
    return isa;
}

static void test_isa_names_round_trip(void **state)
{
    (void)state;
    static const char *const names[] = {"none", "sse2", "avx2", "avx512", "neon"};
    for (int i = 0; i < 5; i++) {
        jit_isa isa;
        assert_int_equal(jit_isa_parse(names[i], &isa), 0);
        assert_string_equal(jit_isa_name(isa), names[i]);
    }
    jit_isa isa;
    assert_int_equal(jit_isa_parse("avx3", &isa), -1);
    assert_int_equal(jit_isa_parse(NULL, &isa), -1);
    assert_false(jit_isa_supported(JIT_ISA_NONE));
    jit_isa best = jit_isa_best();
    assert_true(best == JIT_ISA_NONE || jit_isa_supported(best));
#if defined(__x86_64__)
    assert_string_equal(jit_arch(), "x86_64");
    assert_true(jit_isa_supported(JIT_ISA_SSE2)); /* the x86-64 baseline */
    assert_false(jit_isa_supported(JIT_ISA_NEON));
#elif defined(__aarch64__)
    assert_string_equal(jit_arch(), "aarch64");
    assert_int_equal(best, JIT_ISA_NEON); /* Advanced SIMD: every aarch64 */
    assert_int_equal(jit_isa_lanes(JIT_ISA_NEON), 2);
    assert_false(jit_isa_supported(JIT_ISA_SSE2));
#endif
}

static void test_chain_names_the_stencils_in_code_order(void **state)
{
    (void)state;
    jit_isa isa = any_isa();
    jc_error err;
    jit_pool *pool = jit_pool_new(&err);
    jc_tree t;
    build(&t, "a*b + c");
    jit_code *code = jit_compile(pool, &t, isa, &err);
    assert_non_null(code);
    const char *const *names;
    size_t n = jit_code_stencils(code, &names);
    static const char *const want[] = {"ENTRY", "LOADP1_64_0", "MULP2_F64_0", "ADDP3_F64_0",
                                       "STOREP0_F64_0", "TAIL", "EXIT"};
    assert_int_equal(n, 7);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(names[i], want[i]);
    const void *start;
    size_t len;
    assert_int_equal(jit_code_range(code, 0, &start, &len), 0);
    assert_true(len > 0 && len <= jit_code_bytes(code));
    assert_int_equal(jit_code_bytes(code) % CODEMEM_UNIT, 0);
    assert_int_equal(jit_code_range(code, 1, &start, &len), -1);
    jit_code_free(code);
    tree_free(&t);

    /* passes are separated by "|" */
    build(&t, "a / sum(a)");
    code = jit_compile(pool, &t, isa, &err);
    n = jit_code_stencils(code, &names);
    size_t bars = 0;
    for (size_t i = 0; i < n; i++)
        bars += !strcmp(names[i], "|");
    assert_int_equal(bars, t.npasses - 1);
    assert_int_equal(t.npasses, 2);
    jit_code_free(code);
    tree_free(&t);
    jit_pool_free(pool);
}

/* Whether the chain of `text` on isa has a stencil whose name starts with
 * prefix. */
static int chain_has(jit_pool *pool, jit_isa isa, const char *text, const char *prefix)
{
    jc_error err;
    jc_tree t;
    build(&t, text);
    jit_code *code = jit_compile(pool, &t, isa, &err);
    assert_non_null(code);
    const char *const *names;
    size_t n = jit_code_stencils(code, &names);
    int found = 0;
    for (size_t i = 0; i < n; i++)
        found |= !strncmp(names[i], prefix, strlen(prefix));
    jit_code_free(code);
    tree_free(&t);
    return found;
}

static void test_reused_columns_and_scalars_are_pinned(void **state)
{
    (void)state;
    if (!jit_isa_supported(JIT_ISA_AVX512))
        skip();
    jc_error err;
    jit_pool *pool = jit_pool_new(&err);
    /* a column read three times is loaded once per iteration */
    assert_true(chain_has(pool, JIT_ISA_AVX512, "if(a > b, a - b, b - a)", "PINP"));
    assert_false(chain_has(pool, JIT_ISA_AVX512, "if(a > b, a - b, b - a)", "LOADP"));
    /* a scalar right operand is read from its pin */
    assert_true(chain_has(pool, JIT_ISA_AVX512, "(a*0.5 + 0.25)*a + 0.125", "ADDR_F64"));
    assert_true(chain_has(pool, JIT_ISA_AVX512, "(a*0.5 + 0.25)*a + 0.125", "PINS_64"));
    /* a scalar compared with is a broadcast operand, not a pin and a move
     * (outside a conjunction kept in the mask register) */
    assert_true(chain_has(pool, JIT_ISA_AVX512, "(a > 0.5) == (b < 0.2)", "GTS_F64"));
    assert_false(chain_has(pool, JIT_ISA_AVX512, "(a > 0.5) == (b < 0.2)", "PIN"));
    /* a stored conjunction (a filter) is stored from the mask register */
    assert_true(chain_has(pool, JIT_ISA_AVX512, "a > 0.5 and b < 0.2", "GTKR_F64"));
    assert_true(chain_has(pool, JIT_ISA_AVX512, "a > 0.5 and b < 0.2", "STOREKP"));
    assert_false(chain_has(pool, JIT_ISA_AVX512, "a > 0.5 and b < 0.2", "AND"));
    /* an if on a comparison of f64 is one select stencil, unless its
     * then-branch ends in + - * /, which runs under the comparison's mask
     * over the else-branch's value */
    assert_true(chain_has(pool, JIT_ISA_AVX512, "if(a > b, a, b - a)", "SELGT_F64"));
    assert_false(chain_has(pool, JIT_ISA_AVX512, "if(a > b, a, b - a)", "GT_F64"));
    const char *masked = "if(a > b, a - b, b - a)";
    assert_true(chain_has(pool, JIT_ISA_AVX512, masked, "GTK_F64"));
    assert_true(chain_has(pool, JIT_ISA_AVX512, masked, "SUBM_F64"));
    assert_false(chain_has(pool, JIT_ISA_AVX512, masked, "SEL"));
    assert_false(chain_has(pool, JIT_ISA_AVX512, masked, "BLENDK"));
    assert_true(chain_has(pool, JIT_ISA_AVX512, "if(a > 0.5 and b < 1, a * b, a)", "MULM_F64"));
    /* not where the mask is live around the if, nor in a pass that calls
     * out: the select */
    const char *live = "b < 0.2 and if(a > b, a - b, b) > 0.25";
    assert_true(chain_has(pool, JIT_ISA_AVX512, live, "SELGT_F64"));
    assert_false(chain_has(pool, JIT_ISA_AVX512, live, "SUBM_F64"));
    assert_true(chain_has(pool, JIT_ISA_AVX512, "if(a > b, a / b, exp(b))", "SELGT_F64"));
    if (jit_isa_supported(JIT_ISA_AVX2))
        assert_true(chain_has(pool, JIT_ISA_AVX2, masked, "SELGT_F64"));
    /* a column read once is not pinned */
    assert_false(chain_has(pool, JIT_ISA_AVX512, "a*b + c", "PIN"));
    /* a pass that calls out pins nothing: the call would clobber the pins */
    assert_false(chain_has(pool, JIT_ISA_AVX512, "exp(a) * a + a", "PIN"));
    /* sets without pin registers never use them */
    if (jit_isa_supported(JIT_ISA_AVX2))
        assert_false(chain_has(pool, JIT_ISA_AVX2, "if(a > b, a - b, b - a)", "PIN"));
    jit_pool_free(pool);
}

/* Which passes get edge vectors (jit_pass.edges): a short loop body that
 * calls nothing. */
static void test_short_bodies_have_edge_vectors(void **state)
{
    (void)state;
    char many[64 * 8] = "a*b";
    for (int k = 1; k < 60; k++)
        strcat(many, " + a*b");
    const struct {
        const char *text;
        int edges;
    } cases[] = {
        {"a * b + a", 1},
        {"if(a > b, a - b, b - a)", 1},
        {"a > 0.5 and b < 0.2", 1},
        {"exp(a) + b", 0},               /* calls SLEEF */
        {"sum(a > 0.5 and b < 0.2)", 1}, /* counted, edges apart */
        {"sum(exp(a) > b)", 0},          /* counted, but calls SLEEF */
        {many, 0},                       /* a long body */
    };
    static const jit_isa isas[] = {JIT_ISA_SSE2, JIT_ISA_AVX2, JIT_ISA_AVX512, JIT_ISA_NEON};
    jc_error err;
    jit_pool *pool = jit_pool_new(&err);
    for (size_t k = 0; k < sizeof isas / sizeof *isas; k++) {
        if (!jit_isa_supported(isas[k]))
            continue;
        for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
            jc_tree t;
            build(&t, cases[c].text);
            jit_code *code = jit_compile(pool, &t, isas[k], &err);
            assert_non_null(code);
            if (code->passes[0].edges != cases[c].edges)
                fail_msg("%s on %s: edges %d", cases[c].text, jit_isa_name(isas[k]),
                         code->passes[0].edges);
            jit_code_free(code);
            tree_free(&t);
        }
    }
    jit_pool_free(pool);
}

/* Runs `text` (columns a, b) on every ISA over `rows` rows whose columns
 * and output start `offset` bytes past a 64-byte boundary, optionally with
 * the output in a's own buffer, and compares with the interpreter run on
 * copies: long runs may compute rows twice to align their loop (never when
 * the output overlaps an input) and end with an overlapping last vector. */
static void check_layout(const char *text, size_t rows, size_t offset, int into_a)
{
    jc_error err;
    jit_pool *pool = jit_pool_new(&err);
    jc_tree t;
    build(&t, text);
    assert_int_equal(t.npasses, 1);
    size_t bytes = (rows * 8 + 128 + 63) / 64 * 64; /* a multiple of the alignment */
    char *ba = aligned_alloc(64, bytes), *bb = aligned_alloc(64, bytes);
    char *bo = aligned_alloc(64, bytes);
    memset(bo, 0x55, bytes);
    double *a = (double *)(ba + offset), *b = (double *)(bb + offset);
    double *o = into_a ? a : (double *)(bo + offset);
    double *a0 = malloc(rows * 8), *want = malloc(rows * 8);
    for (size_t i = 0; i < rows; i++) {
        a0[i] = (double)(i % 97) * 0.25 - 7.0 + (i % 13 == 0 ? -0.0 : 0.0);
        b[i] = (double)(i % 89) * 0.5 - 11.0;
    }
    uint64_t *sc = calloc(t.nconsts + 1, 8);
    for (uint32_t i = 0; i < t.nconsts; i++)
        sc[i] = t.consts[i].value.bits;
    /* the interpreter on untouched copies */
    const void *cols0[2] = {a0, b};
    void *outs0[1] = {want};
    jc_block_io io0 = {cols0, sc, outs0};
    interp_ws *ws = interp_ws_new(&t);
    assert_int_equal(interp_block(&t, 0, &io0, 0, rows, ws), 0);
    interp_ws_free(ws);
    static const jit_isa isas[] = {JIT_ISA_SSE2, JIT_ISA_AVX2, JIT_ISA_AVX512, JIT_ISA_NEON};
    for (size_t k = 0; k < sizeof isas / sizeof *isas; k++) {
        if (!jit_isa_supported(isas[k]))
            continue;
        jit_code *code = jit_compile(pool, &t, isas[k], &err);
        assert_non_null(code);
        for (size_t begin = 0; begin < 3 && begin < rows; begin += 2) {
            memcpy(a, a0, rows * 8);
            if (!into_a)
                memset(o, 0x55, rows * 8);
            const void *cols[2] = {a, b};
            void *outs[1] = {o + begin};
            jc_block_io io = {cols, sc, outs};
            assert_int_equal(jit_run(code, 0, &io, begin, rows), 0);
            if (memcmp(o + begin, want + begin, (rows - begin) * 8))
                fail_msg("%s on %s, %zu rows from %zu at +%zu%s differs", text,
                         jit_isa_name(isas[k]), rows, begin, offset,
                         into_a ? " into a" : "");
            /* nothing past the last row (edge vectors end at it) */
            for (size_t r = rows; !into_a && r < rows + 8; r++)
                assert_int_equal(((uint64_t *)o)[r], 0x5555555555555555ull);
        }
        /* the direct call (pass 0 from row 0, one output) */
        memcpy(a, a0, rows * 8);
        if (!into_a)
            memset(o, 0x55, rows * 8);
        const void *cols[2] = {a, b};
        assert_int_equal(jit_run_direct(code, cols, sc, o, rows), 0);
        if (memcmp(o, want, rows * 8))
            fail_msg("%s on %s, %zu rows direct at +%zu%s differs", text,
                     jit_isa_name(isas[k]), rows, offset, into_a ? " into a" : "");
        jit_code_free(code);
    }
    free(ba);
    free(bb);
    free(bo);
    free(a0);
    free(want);
    free(sc);
    tree_free(&t);
    jit_pool_free(pool);
}

static void test_aligned_and_overlapping_runs_match_interpreter(void **state)
{
    (void)state;
    static const size_t offsets[] = {0, 8, 16, 40};
    static const size_t counts[] = {1, 7, 9, 63, 64, 72, 255, 256, 259, 1000, 1001, 5003, 20011};
    for (size_t i = 0; i < sizeof offsets / sizeof *offsets; i++)
        for (size_t j = 0; j < sizeof counts / sizeof *counts; j++) {
            check_layout("a * b + a", counts[j], offsets[i], 0);
            /* in place: every row must read a before it is overwritten */
            check_layout("a * b + a", counts[j], offsets[i], 1);
            check_layout("(a - 1) * (a + 1)", counts[j], offsets[i], 1);
            /* ifs on conjunctions pick under the mask; a nested one
             * whose mask would be live across the inner falls back */
            check_layout("if(a > 0 and b < 3, a * b, a - b)", counts[j], offsets[i], 0);
            check_layout("if(a > -2 and b < 0, if(a < 1 and b > -5, a, b), a + b)", counts[j],
                         offsets[i], 1);
            check_layout("if(int(a) > 2, a, b)", counts[j], offsets[i], 0);
        }
}

/* Runs the aggregate pass of `text` (columns a, b) on every ISA over rows
 * [begin, rows) of columns that start `offset` bytes past a 64-byte
 * boundary: the counted output must count every true row once (the runs
 * that align their loop or end with an overlapping vector compute some
 * rows twice), and every other output must be the interpreter's bytes.
 * Column slots follow first use, so `text` must read a before b (b's data
 * has NaN, which int() faults on). */
static void check_count(const char *text, size_t rows, size_t offset)
{
    jc_error err;
    jit_pool *pool = jit_pool_new(&err);
    jc_tree t;
    build(&t, text);
    assert_true(t.npasses >= 1 && !t.passes[0].is_final);
    uint32_t nout = t.passes[0].nout;
    assert_true(nout <= 4);
    size_t bytes = (rows * 8 + 128 + 63) / 64 * 64;
    char *ba = aligned_alloc(64, bytes), *bb = aligned_alloc(64, bytes);
    double *a = (double *)(ba + offset), *b = (double *)(bb + offset);
    for (size_t i = 0; i < rows; i++) {
        a[i] = (double)(i % 97) * 0.25 - 7.0;
        b[i] = (i % 31 == 0) ? __builtin_nan("") : (double)(i % 89) * 0.5 - 11.0;
    }
    uint64_t *sc = calloc(t.nconsts + t.naggs + 1, 8);
    for (uint32_t i = 0; i < t.nconsts; i++)
        sc[i] = t.consts[i].value.bits;
    const void *cols[2] = {a, b};
    void *want[4], *got[4];
    for (uint32_t k = 0; k < nout; k++) {
        want[k] = calloc(rows + 1, 8);
        got[k] = calloc(rows + 1, 8);
    }
    interp_ws *ws = interp_ws_new(&t);
    static const jit_isa isas[] = {JIT_ISA_SSE2, JIT_ISA_AVX2, JIT_ISA_AVX512, JIT_ISA_NEON};
    for (size_t begin = 0; begin < 3 && begin < rows; begin += 2) {
        jc_block_io io0 = {cols, sc, want};
        assert_int_equal(interp_block(&t, 0, &io0, begin, rows, ws), 0);
        for (size_t i = 0; i < sizeof isas / sizeof *isas; i++) {
            if (!jit_isa_supported(isas[i]))
                continue;
            jit_code *code = jit_compile(pool, &t, isas[i], &err);
            assert_non_null(code);
            int counted = -1;
            for (uint32_t k = 0; k < nout; k++)
                if (jit_output_counted(code, 0, k))
                    counted = (int)k;
            assert_true(counted >= 0);
            uint64_t count = 12345; /* added to, not overwritten */
            void *outs[4];
            for (uint32_t k = 0; k < nout; k++)
                outs[k] = (int)k == counted ? (void *)&count : got[k];
            jc_block_io io = {cols, sc, outs};
            if (jit_run(code, 0, &io, begin, rows) != 0)
                fail_msg("%s on %s, rows %zu..%zu at +%zu: a fault", text, jit_isa_name(isas[i]),
                         begin, rows, offset);
            uint64_t trues = 0;
            for (size_t r = 0; r < rows - begin; r++)
                trues += ((const uint8_t *)want[counted])[r] != 0;
            if (count - 12345 != trues)
                fail_msg("%s on %s, rows %zu..%zu at +%zu: counted %llu, want %llu", text,
                         jit_isa_name(isas[i]), begin, rows, offset,
                         (unsigned long long)(count - 12345), (unsigned long long)trues);
            for (uint32_t k = 0; k < nout; k++) {
                size_t size = t.nodes[t.pass_outs[t.passes[0].first_out + k]].type == JC_BOOL
                                  ? 1 : 8;
                if ((int)k != counted && memcmp(got[k], want[k], (rows - begin) * size))
                    fail_msg("%s on %s: output %u differs", text, jit_isa_name(isas[i]), k);
            }
            jit_code_free(code);
        }
    }
    interp_ws_free(ws);
    for (uint32_t k = 0; k < nout; k++) {
        free(want[k]);
        free(got[k]);
    }
    free(ba);
    free(bb);
    free(sc);
    tree_free(&t);
    jit_pool_free(pool);
}

static void test_kernels_count_every_true_row_once(void **state)
{
    (void)state;
    if (jit_isa_best() == JIT_ISA_NONE)
        skip();
    static const size_t offsets[] = {0, 8, 40};
    static const size_t counts[] = {1, 7, 9, 63, 64, 72, 255, 256, 259, 1000, 1001, 5003, 20011};
    for (size_t i = 0; i < sizeof offsets / sizeof *offsets; i++)
        for (size_t j = 0; j < sizeof counts / sizeof *counts; j++) {
            check_count("sum(a > 0.5 and b < 0.2)", counts[j], offsets[i]);
            check_count("avg(b > a)", counts[j], offsets[i]);
            /* beside stored outputs, and above a stack deep enough to spill */
            check_count("sum(a) + sum(isnan(b)) + max(b)", counts[j], offsets[i]);
            check_count("sum(a + (b + (a + (b + (a + (b + (a + (b + 1))))))) > 0)",
                        counts[j], offsets[i]);
            /* conjunctions in the mask register (AVX-512): operands on the
             * stack and scalar, nested either way, NaN in b; an `or` and
             * a second count fall back to bools as lanes */
            check_count("sum(a >= b and b != 0.25 and a <= 0.75)", counts[j], offsets[i]);
            check_count("avg(a < 0.5 and (b > -3 and a == b))", counts[j], offsets[i]);
            check_count("sum(a > 0 and b > 0 or a < -1)", counts[j], offsets[i]);
            check_count("sum(a > 0.5 and b < 0.2) + sum(b > a)", counts[j], offsets[i]);
            check_count("sum(a > 0.5 and b < 0.2 and a < 0.9 and b > -0.5)", counts[j],
                        offsets[i]);
            /* comparisons inside the chain's operands */
            check_count("sum(if(a > b, a, b) > 0.5 and b < 0.2)", counts[j], offsets[i]);
            check_count("sum(a > 0 and if(a > 0.5 and b < 0.5, a, b) > 0.25)", counts[j],
                        offsets[i]);
            /* i64 comparisons, alone and beside f64 ones */
            check_count("sum(int(a * 4) > 3 and b < 0.2)", counts[j], offsets[i]);
            check_count("sum(int(a * 4) <= int(a * 8) - 5 and b >= -3 and int(a) != 2)",
                        counts[j], offsets[i]);
            /* columns read several times take the other pins */
            check_count("sum(a * a > 0.5 and b * b < a * b + a and b != 2.5)", counts[j],
                        offsets[i]);
        }
    /* the chain: a zero accumulator, COUNT in the loop, its lanes stored */
    jit_isa isa = jit_isa_best();
    jc_error err;
    jit_pool *pool = jit_pool_new(&err);
    assert_true(chain_has(pool, isa, "sum(a > b)", "ZERO_64"));
    assert_true(chain_has(pool, isa, "sum(a > b)", "COUNT"));
    assert_true(chain_has(pool, isa, "sum(a > b)", "ACCST"));
    assert_false(chain_has(pool, isa, "sum(a > b)", "STORE"));
    if (jit_isa_supported(JIT_ISA_AVX512)) {
        /* a conjunction of comparisons: one mask, narrowed, then counted;
         * the first two scalars in pins 12 and 13, a third from its slot */
        const char *conj = "sum(a > 0.5 and b < 0.2)";
        assert_true(chain_has(pool, JIT_ISA_AVX512, conj, "GTKR_F64"));
        assert_true(chain_has(pool, JIT_ISA_AVX512, conj, "LTKAR_F64"));
        assert_true(chain_has(pool, JIT_ISA_AVX512, conj, "PINS_64_12"));
        assert_true(chain_has(pool, JIT_ISA_AVX512, conj, "PINS_64_13"));
        assert_true(chain_has(pool, JIT_ISA_AVX512, "sum(a > 0.5 and b < 0.2 and a < 0.9)",
                              "LTKAS_F64"));
        assert_true(chain_has(pool, JIT_ISA_AVX512, conj, "COUNTK"));
        assert_false(chain_has(pool, JIT_ISA_AVX512, conj, "AND"));
        assert_true(chain_has(pool, JIT_ISA_AVX512, "sum(a > b)", "GTK_F64"));
        assert_true(chain_has(pool, JIT_ISA_AVX512, "sum(int(a) > 3 and b < 0.2)", "GTKR_I64"));
        assert_true(chain_has(pool, JIT_ISA_AVX512, "sum(a < 1 and int(a) > int(b))",
                              "GTKA_I64"));
        assert_true(chain_has(pool, JIT_ISA_AVX512, "sum(a > 0 and (b < 1 and b > a))",
                              "GTKA_F64"));
        /* not a conjunction, or a pass that calls out (k7 is not kept
         * across a call): bools as lanes */
        assert_false(chain_has(pool, JIT_ISA_AVX512, "sum(a > 0 or b > 0)", "COUNTK"));
        assert_false(chain_has(pool, JIT_ISA_AVX512, "sum(sin(a) > 0 and b > 0)", "COUNTK"));
        if (jit_isa_supported(JIT_ISA_AVX2))
            assert_false(chain_has(pool, JIT_ISA_AVX2, conj, "COUNTK"));
        /* an if on a conjunction (or an i64 comparison) picks under the
         * mask; the outer of two nested ones keeps its bools as lanes */
        assert_true(chain_has(pool, JIT_ISA_AVX512, "if(a > 0.5 and b < 0.2, a, b)", "BLENDK"));
        assert_false(chain_has(pool, JIT_ISA_AVX512, "if(a > 0.5 and b < 0.2, a, b)", "AND"));
        assert_true(chain_has(pool, JIT_ISA_AVX512, "if(int(a) > 2, a, b)", "BLENDK"));
        const char *nested = "if(a > 0 and b > 0, if(a < 1 and b < 1, a, b), 0)";
        assert_true(chain_has(pool, JIT_ISA_AVX512, nested, "BLENDK"));
        assert_true(chain_has(pool, JIT_ISA_AVX512, nested, "IF"));
        /* nor across a counted chain that is live around it */
        const char *across = "sum(b < 0.2 and if(a > 0.5 and b > 0, a, b) > 0.25)";
        assert_false(chain_has(pool, JIT_ISA_AVX512, across, "BLENDK"));
        assert_true(chain_has(pool, JIT_ISA_AVX512, across, "COUNTK"));
        /* comparisons inside an operand are not the chain's: an if's
         * select keeps its own, a nested conjunction stays lanes */
        const char *sel = "sum(if(a > b, a, b) > 0.5 and b < 0.2)";
        assert_true(chain_has(pool, JIT_ISA_AVX512, sel, "SELGT_F64"));
        assert_true(chain_has(pool, JIT_ISA_AVX512, sel, "COUNTK"));
        const char *nest = "a > 0 and if(a > 0.5 and b < 0.5, a, b) > 0.25";
        assert_true(chain_has(pool, JIT_ISA_AVX512, nest, "STOREKP"));
        assert_true(chain_has(pool, JIT_ISA_AVX512, nest, "AND"));
    }
    /* min and max of a bool are not counts */
    assert_false(chain_has(pool, isa, "max(a > b)", "COUNT"));
    jit_pool_free(pool);
}

static void test_literals_are_not_baked_into_code(void **state)
{
    (void)state;
    jit_isa isa = any_isa();
    jc_error err;
    jit_pool *pool = jit_pool_new(&err);
    jc_tree t1, t2;
    build(&t1, "price > 100");
    build(&t2, "price > 250");
    jit_code *c1 = jit_compile(pool, &t1, isa, &err), *c2 = jit_compile(pool, &t2, isa, &err);
    const void *s1, *s2;
    size_t l1, l2;
    jit_code_range(c1, 0, &s1, &l1);
    jit_code_range(c2, 0, &s2, &l2);
    assert_int_equal(l1, l2);
    /* Same bytes: the literal is read from scalar slot 0 in both. Only a
     * rel32 field to the pool's shared data may differ (the codes sit at
     * different addresses). */
    size_t diff = 0;
    for (size_t i = 0; i < l1; i++)
        diff += ((const uint8_t *)s1)[i] != ((const uint8_t *)s2)[i];
    assert_true(diff <= 8); /* at most two rel32 fields to shared data */
    double x[3] = {99, 150, 300};
    uint8_t o1[3], o2[3];
    const void *cols[1] = {x};
    void *outs1[1] = {o1}, *outs2[1] = {o2};
    jc_block_io io1 = {cols, (const uint64_t *)&t1.consts[0].value.bits, outs1};
    jc_block_io io2 = {cols, (const uint64_t *)&t2.consts[0].value.bits, outs2};
    assert_int_equal(jit_run(c1, 0, &io1, 0, 3), 0);
    assert_int_equal(jit_run(c2, 0, &io2, 0, 3), 0);
    assert_memory_equal(o1, ((uint8_t[]){0, 1, 1}), 3);
    assert_memory_equal(o2, ((uint8_t[]){0, 0, 1}), 3);
    jit_code_free(c1);
    jit_code_free(c2);
    tree_free(&t1);
    tree_free(&t2);
    jit_pool_free(pool);
}

static void test_freed_code_memory_is_reused(void **state)
{
    (void)state;
    jit_isa isa = any_isa();
    jc_error err;
    jit_pool *pool = jit_pool_new(&err);
    jc_tree t;
    build(&t, "sqrt(a*a + b*b) + if(a > b, a - b, b - a)");
    jit_code *first = jit_compile(pool, &t, isa, &err);
    size_t mapped = codemem_mapped(pool->mem);
    for (int i = 0; i < 20000; i++) {
        jit_code *c = jit_compile(pool, &t, isa, &err);
        assert_non_null(c);
        jit_code_free(c);
    }
    /* 20,000 compiles of a few hundred bytes each: no growth */
    assert_int_equal(codemem_mapped(pool->mem), mapped);
    jit_code_free(first);
    tree_free(&t);
    jit_pool_free(pool);
}

/* Code written where other code has run runs as written (issue 11): on
 * aarch64 the caches are flushed after patching, and under qemu-user the
 * executable view of a reused block is re-mapped, or qemu would keep
 * running its translation of the old code. Two codes of the same size take
 * turns in the same block. */
static void test_reused_code_memory_runs_the_new_code(void **state)
{
    (void)state;
    jit_isa isa = any_isa();
    jc_error err;
    jit_pool *pool = jit_pool_new(&err);
    jc_tree ts[2];
    build(&ts[0], "a + b");
    build(&ts[1], "a - b");
    double a[5] = {1, 2, 3, 4, 5}, b[5] = {10, 20, 30, 40, 50}, o[5];
    const void *cols[2] = {a, b};
    void *outs[1] = {o};
    jc_block_io io = {cols, NULL, outs};
    uintptr_t where = 0;
    for (int round = 0; round < 6; round++) {
        jit_code *c = jit_compile(pool, &ts[round & 1], isa, &err);
        assert_non_null(c);
        const void *start;
        size_t len;
        jit_code_range(c, 0, &start, &len);
        if (round == 0)
            where = (uintptr_t)start;
        assert_int_equal((uintptr_t)start, where); /* the same block each time */
        assert_int_equal(jit_run(c, 0, &io, 0, 5), 0);
        for (int i = 0; i < 5; i++)
            assert_true(o[i] == (round & 1 ? a[i] - b[i] : a[i] + b[i]));
        jit_code_free(c);
    }
    tree_free(&ts[0]);
    tree_free(&ts[1]);
    jit_pool_free(pool);
}

/* Every mapping of the process: none may be writable and executable. */
static int count_wx(int *exec_code)
{
    FILE *f = fopen("/proc/self/maps", "r");
    assert_non_null(f);
    char line[512];
    int wx = 0;
    while (fgets(line, sizeof line, f)) {
        char perms[8] = {0};
        if (sscanf(line, "%*s %7s", perms) != 1)
            continue;
        if (perms[1] == 'w' && perms[2] == 'x')
            wx++;
        if (strstr(line, "jitcalc-code") && perms[2] == 'x' && perms[1] != 'w')
            (*exec_code)++;
    }
    fclose(f);
    return wx;
}

typedef struct runner {
    const jit_code *code;
    jc_block_io io;
    size_t rows;
    volatile int stop;
} runner;

static void *run_loop(void *arg)
{
    runner *r = arg;
    while (!r->stop)
        jit_run(r->code, 0, &r->io, 0, r->rows);
    return NULL;
}

static void test_no_mapping_is_writable_and_executable(void **state)
{
    (void)state;
    jit_isa isa = any_isa();
    jc_error err;
    jit_pool *pool = jit_pool_new(&err);
    jc_tree t;
    build(&t, "exp(-a) * sin(b) + ln(c + 1)");
    jit_code *code = jit_compile(pool, &t, isa, &err);
    assert_non_null(code);
    enum { N = 100000 };
    double *a = calloc(N, 8), *o = calloc(N, 8);
    const void *cols[3] = {a, a, a};
    void *outs[1] = {o};
    runner r = {code, {cols, t.nconsts ? (const uint64_t *)&t.consts[0].value.bits : NULL, outs},
                N, 0};
    uint64_t *sc = calloc(t.nconsts + 1, 8);
    for (uint32_t i = 0; i < t.nconsts; i++)
        sc[i] = t.consts[i].value.bits;
    r.io.scalars = sc;
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, run_loop, &r), 0);
    /* while compiled code runs on another thread */
    for (int i = 0; i < 50; i++) {
        int exec_code = 0;
        assert_int_equal(count_wx(&exec_code), 0);
        assert_true(exec_code > 0); /* the code mapping exists, read+exec only */
        usleep(1000);
    }
    r.stop = 1;
    pthread_join(th, NULL);
    free(a);
    free(o);
    free(sc);
    jit_code_free(code);
    tree_free(&t);
    jit_pool_free(pool);
}

static void test_perf_map_names_jitted_code_when_asked(void **state)
{
    (void)state;
    jit_isa isa = any_isa();
    char path[64];
    snprintf(path, sizeof path, "/tmp/perf-%d.map", (int)getpid());
    jc_error err;
    jit_pool *pool = jit_pool_new(&err);
    jc_tree t;
    build(&t, "a + b");
    jit_code *code = jit_compile(pool, &t, isa, &err);
    const void *start;
    size_t len;
    jit_code_range(code, 0, &start, &len);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[256], want[64];
    snprintf(want, sizeof want, "%lx %zx jitcalc_%s_pass0", (unsigned long)(uintptr_t)start,
             len, jit_isa_name(isa));
    int found = 0;
    while (fgets(line, sizeof line, f))
        found |= !strncmp(line, want, strlen(want));
    fclose(f);
    unlink(path);
    assert_true(found);
    jit_code_free(code);
    tree_free(&t);
    jit_pool_free(pool);
}

int main(void)
{
    /* before any compile: the setting is read once */
    setenv("JITCALC_PERF_MAP", "1", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_isa_names_round_trip),
        cmocka_unit_test(test_chain_names_the_stencils_in_code_order),
        cmocka_unit_test(test_reused_columns_and_scalars_are_pinned),
        cmocka_unit_test(test_short_bodies_have_edge_vectors),
        cmocka_unit_test(test_aligned_and_overlapping_runs_match_interpreter),
        cmocka_unit_test(test_kernels_count_every_true_row_once),
        cmocka_unit_test(test_literals_are_not_baked_into_code),
        cmocka_unit_test(test_freed_code_memory_is_reused),
        cmocka_unit_test(test_reused_code_memory_runs_the_new_code),
        cmocka_unit_test(test_no_mapping_is_writable_and_executable),
        cmocka_unit_test(test_perf_map_names_jitted_code_when_asked),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char path[64];
    snprintf(path, sizeof path, "/tmp/perf-%d.map", (int)getpid());
    unlink(path);
    return rc;
}
