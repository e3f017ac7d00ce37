/*
 * mathfn.h — the transcendental functions of the language, from SLEEF's
 * deterministic ("cinz": no FMA) 1-ulp entry points, which return the same
 * bits at every vector width: d1 purec, d2 sse2, d4 avx, d8 avx512fnofma
 * (hypot: the u05 variants). Never glibc's libm for these.
 *
 * Two ways in:
 *  - mathfn1/mathfn2: one value, through the scalar d1 purec functions
 *    (the precise evaluator, the scalar root, constant folding);
 *  - a mathfn_set: the same functions over arrays, one set per vector
 *    width, each built from one template (mathfn_vec.h) compiled once per
 *    instruction set; mathfn_best() picks the widest the CPU runs, once.
 * Lanes are independent, so a partial vector is padded and computed whole.
 */
#ifndef JC_INTERP_MATHFN_H
#define JC_INTERP_MATHFN_H

#include <stddef.h>
#include <stdint.h>

#include "parser/tree.h"

enum mathfn_id {
    /* one argument */
    MF_EXP, MF_EXPM1, MF_LN, MF_LOG10, MF_LOG2, MF_LOG1P,
    MF_SIN, MF_COS, MF_TAN, MF_ASIN, MF_ACOS, MF_ATAN,
    MF_SINH, MF_COSH, MF_TANH, MF_CBRT,
    MF_NUNARY,
    /* two arguments: atan2(y, x), pow(x, y), hypot(x, y) */
    MF_ATAN2 = MF_NUNARY, MF_POW, MF_HYPOT,
    MF_COUNT
};
#define MF_NBINARY (MF_COUNT - MF_NUNARY)

/*
 * Repairs. SLEEF 3.5.1 is more than 1 ulp off (or overflows early, or
 * loses a zero's sign) in a few corners. There the language defines the
 * function by another construction, listed here, computed by the scalar
 * mathfn_repaired() whatever the width, so every path still gives the same
 * bits. Each is within 1 ulp of the exact value (most are correctly
 * rounded). Code that works a vector at a time (the array sets here, the
 * JIT's stencils) first asks the vector form of the test (mathfn_need.h),
 * which selects at least every lane this one does, and then this test,
 * lane by lane, only where the vector test held (jit/lanes.c for the JIT).
 *  - exp(x), MF_EXP_BIG < x <= MF_LN_DBL_MAX: SLEEF returns +Inf although
 *    the result is finite. Defined as 2^1024 (1 + expm1(t)), with t =
 *    (x - MF_LN_DBL_MAX) - MF_LN2_1024_LO = x - 1024 ln 2 to 2^-68
 *    (|t| < 2^-15; the first subtraction is exact). The one rounding of
 *    1 + expm1(t) is 0.5 ulp; expm1's own error (1 ulp of a value below
 *    2^-15) and t's are below 2^-12 ulp of the result: <= 0.5002 ulp.
 *  - pow(x, y), mf_pow_maybe(x, y) and then mathfn_pow_hard(x, y): x
 *    finite and nonzero, y finite, x > 0 or y an integer, and p = y log2|x|
 *    (SLEEF's log2, within 2^-41 of the exact product) either
 *     - in [1024 - 2^-17, 1024 + 2^-30]: SLEEF returns ±Inf from
 *       y log2|x| > 1023.9999975 although the result is finite below 1024;
 *     - or, for 0.5 <= |x| < 2, with 256 <= |p|, -1076 <= p <= 1024 +
 *       2^-30: there SLEEF's log (reduced to m near 1.5, where |ln x| is
 *       small) loses enough that results far from 1 are up to 1.15 ulp off
 *       (measured: x in [0.72, 0.75), |y ln x| > 450); below |p| = 256 it
 *       stays under 0.7 ulp, and for other x under 0.8 ulp at any p.
 *    Defined as the correctly rounded value (MPFR).
 *  - sinh(x), cosh(x), MF_LN_DBL_MAX < |x| < MF_SINH_BIG: SLEEF overflows
 *    to ±Inf although the result is finite up to 710.4758600739439.
 *    Defined as the correctly rounded value (MPFR).
 *  - atan2(y, x), |y| * 2^1000 < x (the product is exact) and y != 0:
 *    SLEEF is up to 1.7 ulp off near and below DBL_MIN. Defined as y / x:
 *    atan(z) = z (1 - z^2/3 + ...) and z^2 < 2^-2000, so the one rounding
 *    of y / x is within 0.5 ulp (plus nothing measurable). For x < 0 the
 *    result is ±pi rounded and SLEEF gets it right.
 *  - tan(x), log1p(x), 0 < |x| < MF_TINY: SLEEF returns +0 for -2^-1074.
 *    Defined as x, which is correctly rounded there: tan(x) - x and
 *    x - log1p(x) are below x^2 < 2^-2042, far below half of 2^-1074.
 *  - log1p(x), x > MF_LOG1P_BIG: SLEEF returns +Inf. Defined as log(x)
 *    (the two differ by less than 1e-307 relatively).
 *  - hypot(x, y), |x| and |y| both < 2^-1000: SLEEF loses up to 2 ulp on
 *    subnormal results. Defined as hypot(x * 2^600, y * 2^600) * 2^-600.
 * Why MPFR for pow, sinh and cosh: there the result needs e^u for u up to
 * ln 2 (sinh, cosh) or y ln|x| to 2^-60 (pow), and every construction from
 * SLEEF's 1-ulp parts adds a rounding on top of an error that may already
 * be 1 ulp. MPFR (a run-time dependency of libjitcalc) gives the correct
 * rounding outright, on the stack (MPFR_DECL_INIT), only for these inputs:
 * results beyond 2^±256 from bases in [0.5, 2), or near DBL_MAX.
 */
#define MF_LOG1P_BIG 1e307
#define MF_TINY 0x1p-1021
#define MF_EXP_BIG 0x1.62e42fe102c83p+9 /* SLEEF's exp is +Inf above */
#define MF_LN_DBL_MAX 0x1.62e42fefa39efp+9 /* ln(DBL_MAX) = 1024 ln 2, rounded */
#define MF_LN2_1024_LO 0x1.abc9e3b39803fp-46 /* 1024 ln 2 - MF_LN_DBL_MAX */
#define MF_SINH_BIG 711.0 /* sinh, cosh overflow from 710.4758600739439 */
#define MF_ATAN2_SCALE 0x1p1000
#define MF_POW_NEAR1 255.0 /* mf_pow_maybe for 0.5 <= |x| < 2 */
#define MF_POW_BOUND 1023.0 /* ... and for the other x */
#define MF_HYPOT_TINY 0x1p-1000

/* An upper bound of |log2|x|| for finite x, from x's exponent field e
 * alone: |e - 1022.5| + 0.5 (1 exactly for 0.5 <= |x| < 2), and 1075 for
 * zeros and subnormals (e = 0). Every step is exact, and the vector form
 * (mathfn_need.h) takes the same steps. */
static inline double mf_log2_bound(double x)
{
    uint64_t b;
    __builtin_memcpy(&b, &x, sizeof b);
    double e = (double)((b >> 52) & 0x7ff);
    return e == 0 ? 1075.0 : __builtin_fabs(e - 1022.5) + 0.5;
}

/* pow's cheap first test: |y log2|x|| may reach 256 (0.5 <= |x| < 2) or
 * 1023 (other x), so mathfn_pow_hard may hold. */
static inline int mf_pow_maybe(double x, double y)
{
    double b = mf_log2_bound(x);
    return __builtin_fabs(y) * b >= (b == 1.0 ? MF_POW_NEAR1 : MF_POW_BOUND);
}

/* pow's second test (see above); only where mf_pow_maybe holds. */
int mathfn_pow_hard(double x, double y);

static inline int mathfn_needs_repair(enum mathfn_id id, double x, double y)
{
    double a = __builtin_fabs(x);
    switch (id) {
    case MF_EXP: return x > MF_EXP_BIG && x <= MF_LN_DBL_MAX;
    case MF_POW:
        return mf_pow_maybe(x, y) && mathfn_pow_hard(x, y);
    case MF_SINH: case MF_COSH: return a > MF_LN_DBL_MAX && a < MF_SINH_BIG;
    case MF_ATAN2: /* mathfn2(MF_ATAN2, y, x): here x is atan2's y */
        return a * MF_ATAN2_SCALE < y && x != 0;
    case MF_TAN: return a < MF_TINY && x != 0;
    case MF_LOG1P: return x > MF_LOG1P_BIG || (a < MF_TINY && x != 0);
    case MF_HYPOT:
        return a < MF_HYPOT_TINY && __builtin_fabs(y) < MF_HYPOT_TINY;
    default: return 0;
    }
}

/* The repaired value (only where mathfn_needs_repair is true). */
double mathfn_repaired(enum mathfn_id id, double x, double y);

/* r must not overlap x or y. */
typedef void (*mathfn_array1)(double *r, const double *x, size_t n);
typedef void (*mathfn_array2)(double *r, const double *x, const double *y,
                              size_t n);

typedef struct mathfn_set {
    const char *isa; /* SLEEF's suffix: "purec", "sse2", "avx", "avx512fnofma" */
    unsigned lanes;
    mathfn_array1 unary[MF_NUNARY];
    mathfn_array2 binary[MF_NBINARY];
} mathfn_set;

/* The function an op computes (MF_*), or -1 when the op is not one. */
int mathfn_of_op(jc_op op);
/* Its name in the language ("exp", "ln", "pow", ...). */
const char *mathfn_name(enum mathfn_id id);

/* One value through the scalar (d1 purec) functions. */
double mathfn1(enum mathfn_id id, double x);
double mathfn2(enum mathfn_id id, double x, double y);

/* The widest set this CPU runs; chosen on the first call (thread-safe). */
const mathfn_set *mathfn_best(void);

/* Every set this CPU runs, narrowest first (purec always first): stores up
 * to max pointers and returns how many there are. For tests and benches. */
size_t mathfn_sets(const mathfn_set **out, size_t max);

#endif /* JC_INTERP_MATHFN_H */
