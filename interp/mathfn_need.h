/*
 * mathfn_need.h — the tests of mathfn.h's repairs in vector form, for the
 * code that computes SLEEF's functions a vector at a time: the
 * interpreter's array sets (mathfn_vec.h) and the JIT's stencils
 * (ops/stencils.c). One definition, so the two cannot drift apart.
 *
 * The includer first provides the vector types V (double lanes), VI (int64
 * lanes; a mask is all ones where true) and VU (uint64 lanes), and
 * splat(double), vabs(V) and blend(VI m, V a, V b), as ops/vec.h does.
 *
 * NEED_<f> is true in at least every lane where mathfn_needs_repair() is:
 * the same formula (every step exact or the same IEEE operation), or for
 * pow only its cheap first half. The scalar test then decides lane by
 * lane, so a lane gets the same value here as through mathfn1/mathfn2.
 */
#ifndef JC_INTERP_MATHFN_NEED_H
#define JC_INTERP_MATHFN_NEED_H

#include "interp/mathfn.h"

#define NEED_NONE(...) ((VI){0})
#define NEED_TINY(x) ((vabs(x) < splat(MF_TINY)) & ((x) != splat(0.0)))
#define NEED_EXP(x) (((x) > splat(MF_EXP_BIG)) & ((x) <= splat(MF_LN_DBL_MAX)))
#define NEED_POW(x, y) need_pow(x, y)
#define NEED_SINH(x) ((vabs(x) > splat(MF_LN_DBL_MAX)) & (vabs(x) < splat(MF_SINH_BIG)))
#define NEED_COSH(x) NEED_SINH(x)
#define NEED_ATAN2(y, x) ((vabs(y) * splat(MF_ATAN2_SCALE) < (x)) & ((y) != splat(0.0)))
#define NEED_TAN(x) NEED_TINY(x)
#define NEED_LOG1P(x) (((x) > splat(MF_LOG1P_BIG)) | NEED_TINY(x))
#define NEED_HYPOT(x, y) ((vabs(x) < splat(MF_HYPOT_TINY)) & (vabs(y) < splat(MF_HYPOT_TINY)))

/* mf_pow_maybe (mathfn.h) lane by lane, by the same exact steps: the
 * exponent field e as a double (the bits of 2^52 + e, minus 2^52), the
 * bound |e - 1022.5| + 0.5 (1075 where e = 0), then the product and the
 * threshold it is compared with. */
static inline __attribute__((always_inline)) VI need_pow(V x, V y)
{
    V e = (V)((((VU)x >> 52) & 0x7ff) | 0x4330000000000000ull) - splat(0x1p52);
    V b = blend(e == splat(0.0), splat(1075.0), vabs(e - splat(1022.5)) + splat(0.5));
    return vabs(y) * b >= blend(b == splat(1.0), splat(MF_POW_NEAR1), splat(MF_POW_BOUND));
}

#endif /* JC_INTERP_MATHFN_NEED_H */
