/*
 * test_math_widths.c — the determinism promise of issue 12 at its source:
 * every vector width mathfn_sets() returns on this CPU (purec, sse2, avx,
 * avx512fnofma) gives the same bits as the scalar mathfn1/mathfn2, for
 * every function, over the edge cases and 10^5 random inputs, also for
 * array lengths that leave partial vectors (1, lanes-1, lanes+1, 1001) at
 * unaligned addresses, without writing outside the output. NaN results
 * must be NaN at every width; a different NaN payload is reported, not
 * failed (the engine canonicalises NaNs on output).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/math/inputs.h"

#define MAX_SETS 8

static const mathfn_set *sets[MAX_SETS];
static size_t nsets;
static size_t nrandom;
static size_t payload_diffs[MF_COUNT];
/* The first payload difference per function, for the summary. */
static struct { const char *isa; double x, y, got, want; } payload_example[MF_COUNT];

static void run_set(const mathfn_set *s, enum mathfn_id id, double *r,
                    const double *x, const double *y, size_t n)
{
    if (math_is_binary(id))
        s->binary[id - MF_NUNARY](r, x, y, n);
    else
        s->unary[id](r, x, n);
}

static double scalar(enum mathfn_id id, double x, double y)
{
    return math_is_binary(id) ? mathfn2(id, x, y) : mathfn1(id, x);
}

static void print_input(enum mathfn_id id, double x, double y)
{
    if (math_is_binary(id))
        printf("%s(%a, %a)", mathfn_name(id), x, y);
    else
        printf("%s(%a)", mathfn_name(id), x);
}

/* Same bits, or both NaN (counting payload differences). */
static int same(double a, double b, size_t *payload)
{
    if (math_bits(a) == math_bits(b))
        return 1;
    if (isnan(a) && isnan(b)) {
        ++*payload;
        return 1;
    }
    return 0;
}

static void whole_arrays_match_the_scalar_function(enum mathfn_id id)
{
    math_inputs in;
    assert_int_equal(math_inputs_make(id, nrandom, MATH_DEFAULT_SEED, &in), 0);
    double *want = malloc(in.n * sizeof *want), *got = malloc(in.n * sizeof *got);
    assert_non_null(want);
    assert_non_null(got);
    for (size_t i = 0; i < in.n; i++)
        want[i] = scalar(id, in.x[i], in.y ? in.y[i] : 0);
    size_t bad = 0;
    for (size_t k = 0; k < nsets; k++) {
        run_set(sets[k], id, got, in.x, in.y, in.n);
        for (size_t i = 0; i < in.n; i++) {
            size_t before = payload_diffs[id];
            if (same(got[i], want[i], &payload_diffs[id])) {
                if (before == 0 && payload_diffs[id] == 1)
                    payload_example[id].isa = sets[k]->isa,
                    payload_example[id].x = in.x[i],
                    payload_example[id].y = in.y ? in.y[i] : 0,
                    payload_example[id].got = got[i], payload_example[id].want = want[i];
                continue;
            }
            if (bad++ < 8) {
                printf("  DIFF %s: ", sets[k]->isa);
                print_input(id, in.x[i], in.y ? in.y[i] : 0);
                printf(" = %a, scalar %a\n", got[i], want[i]);
            }
        }
    }
    free(want);
    free(got);
    math_inputs_free(&in);
    fflush(stdout);
    if (bad)
        fail_msg("%s: %zu results differ between widths", mathfn_name(id), bad);
}

/* Every width over short arrays: the padded last vector gives the same
 * bits as the whole-array run, and nothing outside r[0..n) is written. */
static void partial_vectors_match(enum mathfn_id id)
{
    math_inputs in;
    assert_int_equal(math_inputs_make(id, 2000, MATH_DEFAULT_SEED, &in), 0);
    const size_t guard = 16, maxn = 1001, offsets[] = {0, 1, 3};
    double *want = malloc(in.n * sizeof *want);
    double *buf = malloc((maxn + 2 * guard + 8) * sizeof *buf);
    double *xb = malloc((maxn + 8) * sizeof *xb), *yb = malloc((maxn + 8) * sizeof *yb);
    assert_true(want && buf && xb && yb);
    for (size_t i = 0; i < in.n; i++)
        want[i] = scalar(id, in.x[i], in.y ? in.y[i] : 0);
    const double canary = -0x1.deadbeefp-3;
    size_t bad = 0, payload = 0;
    for (size_t k = 0; k < nsets; k++) {
        size_t L = sets[k]->lanes;
        size_t lens[] = {0, 1, L - 1, L, L + 1, 2 * L + 1, maxn};
        for (size_t li = 0; li < sizeof lens / sizeof *lens; li++)
            for (size_t oi = 0; oi < 3; oi++) {
                size_t n = lens[li], off = offsets[oi];
                /* windows over the inputs, edge cases included */
                size_t start = (li * 131 + oi * 17) % (in.n - maxn);
                memcpy(xb + off, in.x + start, n * sizeof *xb);
                if (in.y)
                    memcpy(yb + off, in.y + start, n * sizeof *yb);
                for (size_t i = 0; i < maxn + 2 * guard + 8; i++)
                    buf[i] = canary;
                double *r = buf + guard + off;
                run_set(sets[k], id, r, xb + off, in.y ? yb + off : NULL, n);
                for (size_t i = 0; i < n; i++)
                    if (!same(r[i], want[start + i], &payload) && bad++ < 8)
                        printf("  DIFF %s n=%zu lane %zu: %a, scalar %a\n",
                               sets[k]->isa, n, i, r[i], want[start + i]);
                for (size_t i = 0; i < guard + off; i++)
                    if (math_bits(buf[i]) != math_bits(canary) && bad++ < 8)
                        printf("  %s n=%zu wrote before the output\n", sets[k]->isa, n);
                for (size_t i = guard + off + n; i < maxn + 2 * guard + 8; i++)
                    if (math_bits(buf[i]) != math_bits(canary) && bad++ < 8)
                        printf("  %s n=%zu wrote past the output\n", sets[k]->isa, n);
            }
    }
    free(want);
    free(buf);
    free(xb);
    free(yb);
    math_inputs_free(&in);
    fflush(stdout);
    if (bad)
        fail_msg("%s: %zu partial-vector results differ or stray writes", mathfn_name(id), bad);
}

static void check_function(enum mathfn_id id)
{
    whole_arrays_match_the_scalar_function(id);
    partial_vectors_match(id);
}

#define WIDTHS_TEST(fn, ID) \
    static void fn##_is_the_same_at_every_width(void **state) { (void)state; check_function(ID); }
WIDTHS_TEST(exp, MF_EXP)
WIDTHS_TEST(expm1, MF_EXPM1)
WIDTHS_TEST(ln, MF_LN)
WIDTHS_TEST(log10, MF_LOG10)
WIDTHS_TEST(log2, MF_LOG2)
WIDTHS_TEST(log1p, MF_LOG1P)
WIDTHS_TEST(sin, MF_SIN)
WIDTHS_TEST(cos, MF_COS)
WIDTHS_TEST(tan, MF_TAN)
WIDTHS_TEST(asin, MF_ASIN)
WIDTHS_TEST(acos, MF_ACOS)
WIDTHS_TEST(atan, MF_ATAN)
WIDTHS_TEST(sinh, MF_SINH)
WIDTHS_TEST(cosh, MF_COSH)
WIDTHS_TEST(tanh, MF_TANH)
WIDTHS_TEST(cbrt, MF_CBRT)
WIDTHS_TEST(atan2, MF_ATAN2)
WIDTHS_TEST(pow, MF_POW)
WIDTHS_TEST(hypot, MF_HYPOT)

/* The sets themselves: purec first, widths growing, every entry filled,
 * and on an x86-64 CPU the widths its features allow. */
static void sets_cover_the_cpu_narrowest_first(void **state)
{
    (void)state;
    assert_true(nsets >= 1);
    assert_string_equal(sets[0]->isa, "purec");
    assert_int_equal(sets[0]->lanes, 1);
    for (size_t k = 0; k < nsets; k++) {
        if (k > 0)
            assert_true(sets[k]->lanes > sets[k - 1]->lanes);
        for (int f = 0; f < MF_NUNARY; f++)
            assert_non_null(sets[k]->unary[f]);
        for (int f = 0; f < MF_NBINARY; f++)
            assert_non_null(sets[k]->binary[f]);
    }
    assert_ptr_equal(mathfn_best(), sets[nsets - 1]);
#if defined(__x86_64__)
    __builtin_cpu_init();
    size_t want = 2 + (__builtin_cpu_supports("avx") != 0) +
                  (__builtin_cpu_supports("avx512f") != 0);
    assert_int_equal(nsets, want);
#endif
}

static int print_summary(void **state)
{
    (void)state;
    printf("widths compared:");
    for (size_t k = 0; k < nsets; k++)
        printf(" %s(%u)", sets[k]->isa, sets[k]->lanes);
    printf("\nNaN payloads that differ from the scalar function (all NaN, not a failure):");
    size_t total = 0;
    for (int f = 0; f < MF_COUNT; f++)
        if (payload_diffs[f]) {
            printf(" %s %zu", mathfn_name(f), payload_diffs[f]);
            total += payload_diffs[f];
        }
    printf("%s\n", total ? "" : " none");
    for (int f = 0; f < MF_COUNT; f++)
        if (payload_diffs[f]) {
            printf("  e.g. ");
            print_input(f, payload_example[f].x, payload_example[f].y);
            printf(": %s 0x%016llx, scalar 0x%016llx\n", payload_example[f].isa,
                   (unsigned long long)math_bits(payload_example[f].got),
                   (unsigned long long)math_bits(payload_example[f].want));
        }
    return 0;
}

int main(void)
{
    nsets = mathfn_sets(sets, MAX_SETS);
    nrandom = math_env_size("JITCALC_MATH_N", 100000);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sets_cover_the_cpu_narrowest_first),
        cmocka_unit_test(exp_is_the_same_at_every_width),
        cmocka_unit_test(expm1_is_the_same_at_every_width),
        cmocka_unit_test(ln_is_the_same_at_every_width),
        cmocka_unit_test(log10_is_the_same_at_every_width),
        cmocka_unit_test(log2_is_the_same_at_every_width),
        cmocka_unit_test(log1p_is_the_same_at_every_width),
        cmocka_unit_test(sin_is_the_same_at_every_width),
        cmocka_unit_test(cos_is_the_same_at_every_width),
        cmocka_unit_test(tan_is_the_same_at_every_width),
        cmocka_unit_test(asin_is_the_same_at_every_width),
        cmocka_unit_test(acos_is_the_same_at_every_width),
        cmocka_unit_test(atan_is_the_same_at_every_width),
        cmocka_unit_test(sinh_is_the_same_at_every_width),
        cmocka_unit_test(cosh_is_the_same_at_every_width),
        cmocka_unit_test(tanh_is_the_same_at_every_width),
        cmocka_unit_test(cbrt_is_the_same_at_every_width),
        cmocka_unit_test(atan2_is_the_same_at_every_width),
        cmocka_unit_test(pow_is_the_same_at_every_width),
        cmocka_unit_test(hypot_is_the_same_at_every_width),
    };
    return cmocka_run_group_tests(tests, NULL, print_summary);
}
