/* mpfr_ref.c — exact values, correct rounding and ulp errors (mpfr_ref.h). */
#include "tests/math/mpfr_ref.h"

#include <math.h>

#include "tests/math/inputs.h"

void math_ref_init(math_ref *R)
{
    /* The widest exponent range MPFR has: no double argument makes the
     * exact value of these functions overflow it, except pow and sinh/cosh
     * of huge arguments, which are handled below. */
    mpfr_set_emin(mpfr_get_emin_min());
    mpfr_set_emax(mpfr_get_emax_max());
    mpfr_init2(R->x, 53);
    mpfr_init2(R->y, 53);
    mpfr_init2(R->r, REF_PREC);
    mpfr_init2(R->d, REF_PREC);
    mpfr_init2(R->c, 53);
}

void math_ref_clear(math_ref *R)
{
    mpfr_clears(R->x, R->y, R->r, R->d, R->c, (mpfr_ptr)0);
    mpfr_free_cache();
}

static int eval(enum mathfn_id id, mpfr_ptr r, mpfr_srcptr x, mpfr_srcptr y,
                mpfr_rnd_t rnd)
{
    switch (id) {
    case MF_EXP: return mpfr_exp(r, x, rnd);
    case MF_EXPM1: return mpfr_expm1(r, x, rnd);
    case MF_LN: return mpfr_log(r, x, rnd);
    case MF_LOG10: return mpfr_log10(r, x, rnd);
    case MF_LOG2: return mpfr_log2(r, x, rnd);
    case MF_LOG1P: return mpfr_log1p(r, x, rnd);
    case MF_SIN: return mpfr_sin(r, x, rnd);
    case MF_COS: return mpfr_cos(r, x, rnd);
    case MF_TAN: return mpfr_tan(r, x, rnd);
    case MF_ASIN: return mpfr_asin(r, x, rnd);
    case MF_ACOS: return mpfr_acos(r, x, rnd);
    case MF_ATAN: return mpfr_atan(r, x, rnd);
    case MF_SINH: return mpfr_sinh(r, x, rnd);
    case MF_COSH: return mpfr_cosh(r, x, rnd);
    case MF_TANH: return mpfr_tanh(r, x, rnd);
    case MF_CBRT: return mpfr_cbrt(r, x, rnd);
    case MF_ATAN2: return mpfr_atan2(r, x, y, rnd);
    case MF_POW: return mpfr_pow(r, x, y, rnd);
    case MF_HYPOT: return mpfr_hypot(r, x, y, rnd);
    default: mpfr_set_nan(r); return 0;
    }
}

/* R->r = f(x, y) rounded to odd: truncate, then set the last bit when
 * inexact. Rounding that to nearest at any precision up to REF_PREC - 2
 * bits gives the correct rounding of the exact value (no double
 * rounding), which is what the 53-bit and subnormal roundings need. */
static void exact_value(math_ref *R, enum mathfn_id id)
{
    mpfr_clear_flags();
    int t = eval(id, R->r, R->x, R->y, MPFR_RNDZ);
    if (mpfr_overflow_p()) {
        /* Beyond MPFR's own range, so far beyond double's: infinite. */
        mpfr_set_inf(R->r, mpfr_signbit(R->r) ? -1 : 1);
        return;
    }
    if (mpfr_underflow_p() && mpfr_zero_p(R->r)) {
        /* A nonzero value below MPFR's range: the smallest it has, with
         * the right sign, stands in for it (both round to a zero). */
        int neg = mpfr_signbit(R->r);
        mpfr_set_ui_2exp(R->r, 1, mpfr_get_emin() - 1, MPFR_RNDN);
        if (neg)
            mpfr_neg(R->r, R->r, MPFR_RNDN);
        return;
    }
    if (t != 0 && mpfr_regular_p(R->r) && mpfr_min_prec(R->r) < REF_PREC) {
        if (mpfr_sgn(R->r) > 0)
            mpfr_nextabove(R->r);
        else
            mpfr_nextbelow(R->r);
    }
}

/* R->c = the exact value rounded as a double would be, subnormals and
 * overflow included. */
static double correctly_rounded(math_ref *R)
{
    mpfr_exp_t emin = mpfr_get_emin(), emax = mpfr_get_emax();
    int t = mpfr_set(R->c, R->r, MPFR_RNDN);
    mpfr_set_emin(-1073); /* 2^-1074 = 0.1b * 2^-1073 in MPFR's convention */
    mpfr_set_emax(1024);
    t = mpfr_check_range(R->c, t, MPFR_RNDN);
    mpfr_subnormalize(R->c, t, MPFR_RNDN);
    double cr = mpfr_get_d(R->c, MPFR_RNDN);
    mpfr_set_emin(emin);
    mpfr_set_emax(emax);
    return cr;
}

void math_ref_check(math_ref *R, enum mathfn_id id, double x, double y,
                    double got, math_check *out)
{
    out->ulps = 0;
    out->problem = NULL;
    out->zero_sign = 0;
    mpfr_set_d(R->x, x, MPFR_RNDN);
    mpfr_set_d(R->y, math_is_binary(id) ? y : 0.0, MPFR_RNDN);
    exact_value(R, id);
    out->cr = correctly_rounded(R);

    if (mpfr_nan_p(R->r)) {
        if (!isnan(got))
            out->ulps = INFINITY, out->problem = "a number where NaN is required";
        return;
    }
    if (isnan(got)) {
        out->ulps = INFINITY, out->problem = "NaN where a number is required";
        return;
    }
    if (mpfr_inf_p(R->r)) {
        if (!isinf(got) || (signbit(got) != 0) != (mpfr_signbit(R->r) != 0))
            out->ulps = INFINITY, out->problem = "not the required infinity";
        return;
    }
    if (mpfr_zero_p(R->r)) {
        if (got != 0)
            out->ulps = INFINITY, out->problem = "not the required exact zero";
        else if ((signbit(got) != 0) != (mpfr_signbit(R->r) != 0))
            out->ulps = INFINITY, out->problem = "wrong sign of an exact zero";
        return;
    }
    if (isinf(got)) {
        if ((signbit(got) != 0) != (mpfr_signbit(R->r) != 0)) {
            out->ulps = INFINITY, out->problem = "infinity of the wrong sign";
            return;
        }
        if (isinf(out->cr))
            return; /* overflow, correctly rounded */
        mpfr_set_si_2exp(R->d, signbit(got) ? -1 : 1, 1024, MPFR_RNDN);
    } else {
        mpfr_set_d(R->d, got, MPFR_RNDN);
        if (got == 0 && (signbit(got) != 0) != (mpfr_signbit(R->r) != 0))
            out->zero_sign = 1;
    }
    mpfr_sub(R->d, R->d, R->r, MPFR_RNDN);
    mpfr_exp_t e = mpfr_get_exp(R->r);
    long ue = e - 53 > -1074 ? (long)(e - 53) : -1074;
    mpfr_mul_2si(R->d, R->d, -ue, MPFR_RNDN);
    out->ulps = fabs(mpfr_get_d(R->d, MPFR_RNDN));
}
