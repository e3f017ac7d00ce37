/*
 * test_xarch_bits.c — cross-architecture determinism (issue 11): a fixed
 * set of expressions over fixed data gives the same result bits on every
 * architecture and instruction set. The results (a digest per column, the
 * bits of a scalar, or the error code and row) are checked in as
 * tests/jit/xarch-bits.txt, generated on x86-64; the same test compares
 * every engine of the machine it runs on (the interpreter and each JIT
 * instruction set) with that file: x86-64 natively, aarch64 and riscv64
 * under qemu.
 *
 * Covered: + - * / sqrt, comparisons, integer operations and their faults,
 * rounding, the deterministic sums and the other aggregates (over more than
 * one 16,384-row chunk), and SLEEF's deterministic functions, which give
 * the same bits on x86-64 (SSE2/AVX/AVX-512) and aarch64 (Advanced SIMD);
 * NaNs are canonical in every result, so NaN signs cannot differ.
 *
 * To regenerate after a deliberate change of results (on x86-64):
 *   JITCALC_UPDATE_XARCH=1 build/tests/jit/jit_xarch_bits
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jitcalc.h"

#define NEDGE 64
#define NBULK 40000 /* more than two sum chunks (JC_CHUNK_ROWS = 16384) */
#define NCOLS 6

static const char *const exprs[] = {
    /* arithmetic, exact rounding */
    "a + b", "a - b", "a * b", "a / b", "-a", "abs(a)", "sqrt(a)", "sqrt(c)",
    "a*b + c", "(a - b) / (a + b + 1)", "a // b", "a % b", "fmod(a, b)",
    "floor(a)", "ceil(a)", "trunc(a)", "round(a)", "round(a, 3)", "round(a, -2)",
    "sign(a)", "least(a, b)", "greatest(a, b)", "clamp(a, -1, 1)",
    "if(a > b, a - b, b - a)", "((((a*0.1+0.2)*a+0.3)*a+0.4)*a+0.5)",
    /* comparisons and logic */
    "a < b", "a <= b", "a == b", "a != b", "a > 0.5 and b < 0.2", "n >= m",
    "isnan(a)", "isinf(a)", "isfinite(a)", "p and a > 0 or not p and b < 0",
    /* integers, conversions and their faults */
    "n + m", "n - m", "n * m", "n // m", "n % m", "-n", "abs(n)", "sign(n)",
    "least(n, m)", "n * 3 + m", "int(a)", "int(a * 1000) // 7", "float(n)",
    "n + a", "float(n) / 3", "if(m != 0, n // m, 0)",
    /* SLEEF's deterministic functions */
    "exp(a)", "expm1(a)", "ln(c)", "ln(a)", "log10(c)", "log2(c)", "log1p(a)",
    "sin(a)", "cos(a)", "tan(a)", "asin(c)", "acos(c)", "atan(a)", "sinh(a)",
    "cosh(a)", "tanh(a)", "atan2(a, b)", "hypot(a, b)", "pow(c, b)", "a ^ 3",
    "cbrt(a)", "exp(-a) * sin(b) + ln(c + 1)",
    /* deterministic sums and aggregates */
    "sum(a)", "sum(a * b)", "sum(c)", "avg(a)", "avg(c)", "sum(n)", "avg(n)",
    "min(a)", "max(b)", "min(n)", "count()", "a / sum(c)", "sum(a) + sum(b)",
    "avg((c - avg(c)) ^ 2)", "sum(exp(c))", "sum(p)",
};
#define NEXPRS (sizeof exprs / sizeof *exprs)

typedef struct dataset {
    const char *name;
    size_t rows;
    double *a, *b, *c;
    int64_t *n, *m;
    uint8_t *p;
    jc_column cols[NCOLS];
} dataset;

static uint64_t rnd(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* (0, 1) with 53 random bits: exact, so the same double everywhere */
static double unit(uint64_t *s) { return ((double)(rnd(s) >> 11) + 0.5) / 9007199254740992.0; }

static const double f_edges[] = {
    0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.5, -2.5, 0.1, 1e-310, -5e-324, 1e308,
    -1.7976931348623157e308, __builtin_inf(), -__builtin_inf(), __builtin_nan(""),
    -__builtin_nan("0x42"), 4503599627370495.5, 9223372036854775808.0, 710.0,
    -745.5, 1e-7, 3.141592653589793, 700.0, 0.49999999999999994, -1e-300,
    9007199254740993.0, 123.456, 1e19, -7.75, 2.0, 0.75,
};
static const int64_t i_edges[] = {
    0, 1, -1, 2, -3, 7, INT64_MAX, INT64_MIN, INT64_MIN + 1, INT64_MAX - 1,
    3037000499LL, -3037000500LL, 9007199254740993LL, 4294967297LL, 308, -309,
};
#define NF (sizeof f_edges / sizeof *f_edges)
#define NI (sizeof i_edges / sizeof *i_edges)

static void make(dataset *d, const char *name, size_t rows, int edges, uint64_t seed)
{
    d->name = name;
    d->rows = rows;
    d->a = malloc(rows * 8);
    d->b = malloc(rows * 8);
    d->c = malloc(rows * 8);
    d->n = malloc(rows * 8);
    d->m = malloc(rows * 8);
    d->p = malloc(rows);
    uint64_t s = seed;
    for (size_t i = 0; i < rows; i++) {
        if (edges) {
            d->a[i] = f_edges[i % NF];
            d->b[i] = f_edges[(i * 7 + 3) % NF];
            d->c[i] = f_edges[(i * 5 + 1) % NF];
            d->n[i] = i_edges[i % NI];
            d->m[i] = i_edges[(i * 3 + 1) % NI];
        } else {
            d->a[i] = (unit(&s) - 0.5) * 20.0;
            d->b[i] = (unit(&s) - 0.5) * 8.0;
            d->c[i] = unit(&s);
            d->n[i] = (int64_t)(rnd(&s) % 2000001) - 1000000;
            int64_t m = (int64_t)(rnd(&s) % 10) + 1; /* never 0 */
            d->m[i] = rnd(&s) & 1 ? m : -m;
        }
        d->p[i] = (uint8_t)(rnd(&s) & 1);
    }
    jc_column c[NCOLS] = {{"a", JC_F64, d->a, rows}, {"b", JC_F64, d->b, rows},
                          {"c", JC_F64, d->c, rows}, {"n", JC_I64, d->n, rows},
                          {"m", JC_I64, d->m, rows}, {"p", JC_BOOL, d->p, rows}};
    memcpy(d->cols, c, sizeof c);
}

static void unmake(dataset *d)
{
    free(d->a);
    free(d->b);
    free(d->c);
    free(d->n);
    free(d->m);
    free(d->p);
}

/* FNV-1a over the result bytes (little-endian on every target) */
static uint64_t digest(const void *p, size_t n)
{
    const uint8_t *b = p;
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3ull;
    return h;
}

/* One line: "<set>\t<expr>\t<what>" */
static void describe(jc_engine *e, const dataset *d, const char *expr, char *out, size_t cap)
{
    jc_result r = {0};
    jc_error err = {0};
    int n = snprintf(out, cap, "%s\t%s\t", d->name, expr);
    if (jc_eval(e, expr, JC_NUL_TERMINATED, d->cols, NCOLS, d->rows, &r, &err) != 0) {
        snprintf(out + n, cap - (size_t)n, "error %s row %lld", jc_code_name(err.code),
                 (long long)err.row);
        return;
    }
    if (r.is_column) {
        size_t es = r.type == JC_BOOL ? 1 : 8;
        snprintf(out + n, cap - (size_t)n, "column %s rows %zu fnv %016llx",
                 jc_type_name(r.type), r.rows,
                 (unsigned long long)digest(r.values, r.rows * es));
    } else if (r.is_null) {
        snprintf(out + n, cap - (size_t)n, "null %s", jc_type_name(r.type));
    } else {
        uint64_t bits = 0;
        memcpy(&bits, &r.scalar, r.type == JC_BOOL ? 1 : 8);
        snprintf(out + n, cap - (size_t)n, "scalar %s %016llx", jc_type_name(r.type),
                 (unsigned long long)bits);
    }
    jc_result_free(&r);
}

#define LINE 256

/* All lines for one engine: NSETS * NEXPRS lines of LINE bytes. */
static char *compute(jc_engine *e, dataset *sets, size_t nsets)
{
    char *lines = calloc(nsets * NEXPRS, LINE);
    assert_non_null(lines);
    for (size_t s = 0; s < nsets; s++)
        for (size_t k = 0; k < NEXPRS; k++)
            describe(e, &sets[s], exprs[k], lines + (s * NEXPRS + k) * LINE, LINE);
    return lines;
}

static void test_results_have_the_same_bits_on_every_architecture(void **state)
{
    (void)state;
    dataset sets[2];
    make(&sets[0], "edge", NEDGE, 1, 1);
    make(&sets[1], "bulk", NBULK, 0, 2026);
    const size_t nlines = 2 * NEXPRS;

    /* every engine of this machine: the interpreter, then each JIT set */
    static const char *const isas[] = {"none", "sse2", "avx2", "avx512", "neon"};
    char *ref = NULL;
    const char *ref_isa = NULL;
    int bad = 0, engines = 0;
    for (size_t i = 0; i < sizeof isas / sizeof *isas; i++) {
        jc_options o;
        jc_options_init(&o);
        o.isa = isas[i];
        jc_error err;
        jc_engine *e = jc_engine_new(&o, &err);
        if (!e)
            continue; /* not this CPU's or build's */
        engines++;
        char *lines = compute(e, sets, 2);
        jc_engine_free(e);
        if (!ref) {
            ref = lines;
            ref_isa = isas[i];
            continue;
        }
        for (size_t l = 0; l < nlines; l++)
            if (strcmp(ref + l * LINE, lines + l * LINE)) {
                printf("%s: %s\n%s: %s\n", ref_isa, ref + l * LINE, isas[i], lines + l * LINE);
                bad++;
            }
        free(lines);
    }
    assert_true(engines >= 1);
    if (bad)
        fail_msg("%d results differ between this machine's engines", bad);

    const char *upd = getenv("JITCALC_UPDATE_XARCH");
    if (upd && !strcmp(upd, "1")) {
        FILE *f = fopen(JC_XARCH_FILE, "w");
        assert_non_null(f);
        fprintf(f, "# tests/jit/test_xarch_bits.c: expected results on every "
                   "architecture (generated on %s)\n",
#if defined(__x86_64__)
                "x86_64"
#elif defined(__aarch64__)
                "aarch64"
#else
                "another architecture"
#endif
        );
        for (size_t l = 0; l < nlines; l++)
            fprintf(f, "%s\n", ref + l * LINE);
        fclose(f);
    } else {
        FILE *f = fopen(JC_XARCH_FILE, "r");
        if (!f)
            fail_msg("no %s (generate it with JITCALC_UPDATE_XARCH=1)", JC_XARCH_FILE);
        char want[LINE + 2];
        size_t l = 0;
        while (fgets(want, sizeof want, f)) {
            want[strcspn(want, "\n")] = 0;
            if (want[0] == '#')
                continue;
            if (l == nlines || strcmp(want, ref + l * LINE)) {
                printf("expected: %s\n     got: %s\n", want, l < nlines ? ref + l * LINE : "");
                bad++;
            }
            l++;
        }
        fclose(f);
        if (l != nlines)
            bad++;
        if (bad)
            fail_msg("%d results differ from %s", bad, JC_XARCH_FILE);
    }
    free(ref);
    unmake(&sets[0]);
    unmake(&sets[1]);
}

/* explain through the engine names the machine: arch, instruction set, and
 * the stencil chain when the JIT runs the program. */
static void test_explain_names_the_architecture_and_instruction_set(void **state)
{
    (void)state;
    jc_error err;
    jc_engine *e = jc_engine_new(NULL, &err);
    assert_non_null(e);
    jc_column schema[] = {{"a", JC_F64, NULL, 0}, {"b", JC_F64, NULL, 0}};
    jc_program *p = jc_compile(e, "a*b + 1", JC_NUL_TERMINATED, schema, 2, &err);
    assert_non_null(p);
    jc_explain ex;
    assert_int_equal(jc_program_explain(p, &ex, &err), 0);
    const char *isa = getenv("JITCALC_ISA");
#if defined(__x86_64__)
    assert_string_equal(ex.arch, "x86_64");
#elif defined(__aarch64__)
    assert_string_equal(ex.arch, "aarch64");
    if (!isa || !*isa || !strcmp(isa, "auto"))
        assert_string_equal(ex.isa, "neon"); /* the JIT is on by default */
#elif defined(__riscv)
    assert_string_equal(ex.arch, "riscv64");
    assert_string_equal(ex.isa, "none"); /* interpreter only */
#endif
    (void)isa;
    if (strcmp(ex.isa, "none")) {
        assert_true(ex.code_bytes > 0);
        assert_true(ex.nstencils >= 3);
        assert_string_equal(ex.stencils[0], "ENTRY");
    }
    jc_program_free(p);
    jc_engine_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_results_have_the_same_bits_on_every_architecture),
        cmocka_unit_test(test_explain_names_the_architecture_and_instruction_set),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
