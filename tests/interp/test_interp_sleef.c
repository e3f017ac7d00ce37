/* test_interp_sleef.c — the transcendental functions (issue 12): every
 * SLEEF width this CPU runs gives the same bits as the scalar one, on many
 * inputs and every partial-vector length, and each is within 1 ulp of the
 * correctly rounded result (MPFR). */
#include <float.h>
#include <mpfr.h>
#include <stdlib.h>

#include "interp/mathfn.h"
#include "testutil.h"
#include "tests/common/emulated.h"

static uint64_t rng = 0x9E3779B97F4A7C15u;
static uint64_t next64(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}
static double uniform(double lo, double hi)
{
    return lo + (hi - lo) * ((double)(next64() >> 11) / 9007199254740992.0);
}
/* Any finite double, log-uniform in magnitude, either sign. */
static double any_finite(void)
{
    double m = 1 + (double)(next64() >> 12) / 4503599627370496.0;
    double x = ldexp(m, (int)(next64() % 2098) - 1074);
    return next64() & 1 ? -x : x;
}
static double any_positive(void) { return fabs(any_finite()); }

static const double specials[] = {
    0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, 10.0, 1e-310, -1e-310, DBL_MIN, DBL_MAX,
    -DBL_MAX, 710.0, -745.0, 1e22, 3.141592653589793, -1.5707963267948966,
    __builtin_inf(), -__builtin_inf(), __builtin_nan(""),
};
#define NSPECIAL (sizeof specials / sizeof specials[0])

/* Inputs in the function's interesting domain. */
static void inputs(enum mathfn_id id, double *x, double *y, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i < NSPECIAL * NSPECIAL && id >= MF_NUNARY) {
            x[i] = specials[i % NSPECIAL];
            y[i] = specials[i / NSPECIAL];
            continue;
        }
        if (i < NSPECIAL) {
            x[i] = specials[i];
            y[i] = 1.0;
            continue;
        }
        int wide = i % 4 == 0; /* a quarter anywhere, the rest in domain */
        switch (id) {
        case MF_EXP: x[i] = wide ? any_finite() : uniform(-745, 710); break;
        case MF_EXPM1: x[i] = wide ? any_finite() : uniform(-40, 710); break;
        case MF_LN: case MF_LOG10: case MF_LOG2: case MF_CBRT: case MF_ATAN:
            x[i] = wide ? any_finite() : any_positive();
            break;
        case MF_LOG1P: x[i] = wide ? any_positive() : uniform(-1, 10); break;
        case MF_HYPOT: /* tiny pairs too: subnormal results */
            x[i] = any_finite();
            y[i] = i % 4 == 0 ? any_finite() : x[i] * uniform(-4, 4);
            if (i % 8 == 3) {
                x[i] = ldexp(uniform(1, 2), -1100 + (int)(next64() % 90));
                y[i] = ldexp(uniform(-2, 2), -1100 + (int)(next64() % 90));
            }
            break;
        case MF_SIN: case MF_COS: case MF_TAN:
            x[i] = wide ? any_finite() : uniform(-1e4, 1e4);
            break;
        case MF_ASIN: case MF_ACOS: x[i] = uniform(-1, 1); break;
        case MF_SINH: case MF_COSH: /* an eighth near the overflow edge */
            x[i] = i % 8 == 1 ? (i & 16 ? -1 : 1) * uniform(709, 711) : uniform(-710, 710);
            break;
        case MF_TANH: x[i] = wide ? any_finite() : uniform(-20, 20); break;
        case MF_ATAN2:
            x[i] = any_finite();
            y[i] = wide ? any_finite() : x[i] * uniform(-4, 4);
            break;
        case MF_POW:
            if (i % 3 == 0) { /* negative bases with integer exponents */
                x[i] = -uniform(0, 20);
                y[i] = (double)((int64_t)(next64() % 41) - 20);
            } else {
                x[i] = uniform(0, 100);
                y[i] = uniform(-100, 100);
            }
            break;
        default: x[i] = any_finite(); break;
        }
    }
}

static int same_or_both_nan(double a, double b)
{
    return num_bits(a) == num_bits(b) || (a != a && b != b);
}

static void call(const mathfn_set *s, enum mathfn_id id, double *r, const double *x,
                 const double *y, size_t n)
{
    if (id >= MF_NUNARY)
        s->binary[id - MF_NUNARY](r, x, y, n);
    else
        s->unary[id](r, x, n);
}

static void every_width_gives_the_scalar_bits(void **state)
{
    (void)state;
    enum { N = TEST_SIZE(100003, 10007) }; /* not a multiple of any width */
    double *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y);
    double *want = malloc(N * sizeof *want), *got = malloc(N * sizeof *got);
    const mathfn_set *sets[8];
    size_t nsets = mathfn_sets(sets, 8);
    assert_true(nsets >= 1);
    assert_string_equal(sets[0]->isa, "purec");
    assert_ptr_equal(mathfn_best(), sets[nsets - 1]);
    print_message("SLEEF sets on this CPU:");
    for (size_t s = 0; s < nsets; s++)
        print_message(" %s", sets[s]->isa);
    print_message("\n");
    for (int id = 0; id < MF_COUNT; id++) {
        inputs((enum mathfn_id)id, x, y, N);
        for (size_t i = 0; i < N; i++)
            want[i] = id >= MF_NUNARY ? mathfn2((enum mathfn_id)id, x[i], y[i])
                                      : mathfn1((enum mathfn_id)id, x[i]);
        for (size_t s = 0; s < nsets; s++) {
            call(sets[s], (enum mathfn_id)id, got, x, y, N);
            for (size_t i = 0; i < N; i++)
                if (!same_or_both_nan(want[i], got[i]))
                    fail_msg("%s(%a, %a): scalar %a, %s %a", mathfn_name(id), x[i], y[i],
                             want[i], sets[s]->isa, got[i]);
            /* every partial-vector length, at every offset */
            for (size_t len = 1; len <= 17; len++) {
                for (size_t off = 0; off < 3; off++) {
                    call(sets[s], (enum mathfn_id)id, got, x + off, y + off, len);
                    for (size_t i = 0; i < len; i++)
                        if (!same_or_both_nan(want[off + i], got[i]))
                            fail_msg("%s %s len %zu", mathfn_name(id), sets[s]->isa, len);
                }
            }
        }
    }
    free(x);
    free(y);
    free(want);
    free(got);
}

/* Distance in representable doubles (ordered bit patterns). */
static uint64_t ulps(double a, double b)
{
    int64_t ia = (int64_t)num_bits(a), ib = (int64_t)num_bits(b);
    if (ia < 0)
        ia = INT64_MIN - ia;
    if (ib < 0)
        ib = INT64_MIN - ib;
    return ia > ib ? (uint64_t)ia - (uint64_t)ib : (uint64_t)ib - (uint64_t)ia;
}

typedef int (*mpfr1)(mpfr_ptr, mpfr_srcptr, mpfr_rnd_t);
typedef int (*mpfr2)(mpfr_ptr, mpfr_srcptr, mpfr_srcptr, mpfr_rnd_t);

static double correctly_rounded(enum mathfn_id id, double x, double y)
{
    static const mpfr1 f1[MF_NUNARY] = {
        [MF_EXP] = mpfr_exp, [MF_EXPM1] = mpfr_expm1, [MF_LN] = mpfr_log,
        [MF_LOG10] = mpfr_log10, [MF_LOG2] = mpfr_log2, [MF_LOG1P] = mpfr_log1p,
        [MF_SIN] = mpfr_sin, [MF_COS] = mpfr_cos, [MF_TAN] = mpfr_tan,
        [MF_ASIN] = mpfr_asin, [MF_ACOS] = mpfr_acos, [MF_ATAN] = mpfr_atan,
        [MF_SINH] = mpfr_sinh, [MF_COSH] = mpfr_cosh, [MF_TANH] = mpfr_tanh,
        [MF_CBRT] = mpfr_cbrt,
    };
    mpfr_t mx, my, r;
    mpfr_inits2(53, mx, my, r, (mpfr_ptr)0);
    mpfr_set_d(mx, x, MPFR_RNDN);
    mpfr_set_d(my, y, MPFR_RNDN);
    int t;
    if (id == MF_ATAN2)
        t = mpfr_atan2(r, mx, my, MPFR_RNDN);
    else if (id == MF_POW)
        t = mpfr_pow(r, mx, my, MPFR_RNDN);
    else if (id == MF_HYPOT)
        t = mpfr_hypot(r, mx, my, MPFR_RNDN);
    else
        t = f1[id](r, mx, MPFR_RNDN);
    mpfr_subnormalize(r, t, MPFR_RNDN); /* double's subnormal range */
    double d = mpfr_get_d(r, MPFR_RNDN);
    mpfr_clears(mx, my, r, (mpfr_ptr)0);
    return d;
}

static void every_function_is_within_one_ulp(void **state)
{
    (void)state;
    enum { N = TEST_SIZE(100000, 10000) };
    mpfr_set_emin(-1073);
    mpfr_set_emax(1024);
    double *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y);
    size_t bad_total = 0;
    for (int id = 0; id < MF_COUNT; id++) {
        inputs((enum mathfn_id)id, x, y, N);
        size_t bad = 0, exact = 0;
        for (size_t i = 0; i < N; i++) {
            double got = id >= MF_NUNARY ? mathfn2((enum mathfn_id)id, x[i], y[i])
                                         : mathfn1((enum mathfn_id)id, x[i]);
            double want = correctly_rounded((enum mathfn_id)id, x[i], y[i]);
            int wrong;
            if (want != want || got != got)
                wrong = (want != want) != (got != got);
            else
                wrong = ulps(want, got) > 1;
            exact += num_bits(want) == num_bits(got);
            if (wrong && bad++ < 3)
                print_message("%s(%a, %a): want %a, got %a\n", mathfn_name(id), x[i],
                              y[i], want, got);
        }
        print_message("%-6s %zu inputs: %.4f%% correctly rounded, %zu beyond 1 ulp\n",
                      mathfn_name(id), (size_t)N, 100.0 * (double)exact / N, bad);
        bad_total += bad;
    }
    free(x);
    free(y);
    assert_int_equal(bad_total, 0);
}

/* Through whole expressions: the interpreter's bits do not depend on the
 * SLEEF width or the kernel set it runs. */
static void expressions_give_the_same_bits_with_every_set(void **state)
{
    (void)state;
    enum { N = 10007 };
    double *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b), *c = malloc(N * sizeof *c);
    for (size_t i = 0; i < N; i++) {
        a[i] = uniform(0, 1);
        b[i] = uniform(-10, 10);
        c[i] = uniform(0, 1);
    }
    jc_column cols[] = {col_f64("a", a, N), col_f64("b", b, N), col_f64("c", c, N)};
    static const char *exprs[] = {
        "exp(-a) * sin(b) + ln(c + 1)", "a ^ b", "atan2(b, a) + hypot(a, b)",
        "sum(cbrt(b) * tanh(a))", "log10(c) - log2(a) + log1p(b)", "cosh(a) - sinh(c) + expm1(b)",
        "asin(a) + acos(c) + atan(b) + tan(b) + cos(a)",
    };
    const mathfn_set *sets[8];
    size_t nsets = mathfn_sets(sets, 8);
    const block_isa *isas[4];
    size_t nisas = block_isas(isas, 4);
    for (size_t e = 0; e < sizeof exprs / sizeof exprs[0]; e++) {
        drv_result base;
        drv_opts po = {.path = DRV_PRECISE};
        drv_eval(exprs[e], cols, 3, N, &po, &base);
        assert_int_equal(base.rc, 0);
        for (size_t s = 0; s < nsets; s++)
            for (size_t k = 0; k < nisas; k++) {
                for (size_t calls = 0; calls < 2; calls++) {
                    drv_opts o = {.math = sets[s], .isa = isas[k],
                                  .call_rows = calls ? 13 : 0};
                    drv_result r;
                    drv_eval(exprs[e], cols, 3, N, &o, &r);
                    if (!drv_same(&base, &r))
                        fail_msg("`%s`: %s/%s differs from the precise path", exprs[e],
                                 sets[s]->isa, isas[k]->name);
                    drv_result_free(&r);
                }
            }
        drv_result_free(&base);
    }
    free(a);
    free(b);
    free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_width_gives_the_scalar_bits),
        cmocka_unit_test(every_function_is_within_one_ulp),
        cmocka_unit_test(expressions_give_the_same_bits_with_every_set),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
