/*
 * mathfn_repair.c — the values of mathfn.h's repairs: the inputs where
 * SLEEF 3.5.1's deterministic functions are more than 1 ulp off. Scalar
 * code only, called by every width (interp/mathfn_vec.h), by mathfn1/2 and
 * by the JIT's lane helpers, so each repaired value has one definition.
 */
#include "interp/mathfn.h"

#include <mpfr.h>
#include <sleef.h>

/*
 * f(x[, y]) correctly rounded to a double, by MPFR: 53 bits in double's
 * exponent range (emin -1073: 2^-1074 is 0.1b * 2^-1073), then
 * subnormalised, so overflow, underflow and subnormal results round as
 * IEEE does. The caller's MPFR state (exponent range, flags) is restored,
 * and the thread's constant cache (ln 2) is freed again: the inputs are
 * rare, and a library must not leave per-thread allocations behind.
 */
static double mpfr_rounded(enum mathfn_id id, double x, double y)
{
    mpfr_flags_t flags = mpfr_flags_save();
    mpfr_exp_t emin = mpfr_get_emin(), emax = mpfr_get_emax();
    mpfr_set_emin(-1073);
    mpfr_set_emax(1024);
    MPFR_DECL_INIT(r, 53);
    MPFR_DECL_INIT(a, 53);
    MPFR_DECL_INIT(b, 53);
    mpfr_set_d(a, x, MPFR_RNDN); /* exact: any double fits */
    mpfr_set_d(b, y, MPFR_RNDN);
    int t;
    switch (id) {
    case MF_SINH: t = mpfr_sinh(r, a, MPFR_RNDN); break;
    case MF_COSH: t = mpfr_cosh(r, a, MPFR_RNDN); break;
    case MF_POW: t = mpfr_pow(r, a, b, MPFR_RNDN); break;
    default: t = 0, mpfr_set_nan(r); break;
    }
    mpfr_subnormalize(r, t, MPFR_RNDN);
    double d = mpfr_get_d(r, MPFR_RNDN);
    mpfr_set_emin(emin);
    mpfr_set_emax(emax);
    mpfr_flags_restore(flags, MPFR_FLAGS_ALL);
    mpfr_free_cache2(MPFR_FREE_LOCAL_CACHE);
    return d;
}

int mathfn_pow_hard(double x, double y)
{
    double a = __builtin_fabs(x);
    if (!(a > 0 && a <= __DBL_MAX__) || !(__builtin_fabs(y) <= __DBL_MAX__))
        return 0; /* zeros, infinities, NaN: SLEEF's special values */
    if (x < 0 && y != __builtin_trunc(y))
        return 0; /* NaN either way */
    /* log2 within 1 ulp (< 2^-42 below 1075), the product within 2^-53:
     * p is within 2^-41 of y log2|x|. SLEEF overflows from y ln|x| >
     * 709.78271114955742909 (y log2|x| > 1023.99999748), so the window
     * below 1024 takes it with room to spare; above 1024 + 2^-41 the exact
     * result overflows too and SLEEF's ±Inf is right. */
    double p = y * Sleef_cinz_log2d1_u10purec(a);
    if (p > 1024 + 0x1p-30)
        return 0;
    if (a >= 0.5 && a < 2) /* SLEEF's log is weakest here (mathfn.h) */
        return __builtin_fabs(p) >= 256 && p >= -1076;
    return p >= 1024 - 0x1p-17;
}

double mathfn_repaired(enum mathfn_id id, double x, double y)
{
    switch (id) {
    case MF_EXP: {
        /* 2^1024 e^t as 2^1023 (2 (1 + expm1(t))): both scalings exact */
        double t = (x - MF_LN_DBL_MAX) - MF_LN2_1024_LO;
        double e = Sleef_cinz_expm1d1_u10purec(t);
        return ((1.0 + e) * 2.0) * 0x1p1023;
    }
    case MF_POW:
    case MF_SINH:
    case MF_COSH:
        return mpfr_rounded(id, x, y);
    case MF_ATAN2:
        return x / y; /* mathfn2(MF_ATAN2, y, x): here x is atan2's y */
    case MF_TAN:
        return x;
    case MF_LOG1P:
        return x > MF_LOG1P_BIG ? Sleef_cinz_logd1_u10purec(x) : x;
    case MF_HYPOT:
        return Sleef_cinz_hypotd1_u05purec(x * 0x1p600, y * 0x1p600) * 0x1p-600;
    default:
        return __builtin_nan("");
    }
}
