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
 * Repairs. SLEEF 3.5.1 is wrong in three corners; there the language
 * defines the function by another construction from SLEEF's own exact-width
 * parts (so every width still gives the same bits). The JIT must apply the
 * same repairs, lane by lane, wherever mathfn_needs_repair() is true:
 *  - log1p(x), x > 1e307: SLEEF returns +Inf. Defined as log(x) (the two
 *    differ by less than 1e-307 relatively).
 *  - sinh(x), cosh(x), |x| > MF_LN_DBL_MAX (= ln(DBL_MAX), 709.78...):
 *    SLEEF overflows to Inf although the result is finite up to 710.47...
 *    Defined as s * c * 2^63, where a = |x|, E = exp(a - MF_SHIFT_HI)
 *    (a - MF_SHIFT_HI is exact), c = E - E * MF_SHIFT_LO (one rounding),
 *    s = sign of x for sinh and 1 for cosh; MF_SHIFT_HI + MF_SHIFT_LO =
 *    64 ln 2, and e^-a is below the last bit.
 *  - hypot(x, y), |x| and |y| both < 2^-1000: SLEEF loses up to 2 ulp on
 *    subnormal results. Defined as hypot(x * 2^600, y * 2^600) * 2^-600.
 */
#define MF_LOG1P_BIG 1e307
#define MF_LN_DBL_MAX 0x1.62e42fefa39efp+9
#define MF_SHIFT_HI 0x1.62e42fefa3a00p+5  /* 64 ln 2 to 40 bits */
#define MF_SHIFT_LO -0x1.0ca86c3898d00p-43 /* 64 ln 2 - MF_SHIFT_HI */
#define MF_HYPOT_TINY 0x1p-1000

static inline int mathfn_needs_repair(enum mathfn_id id, double x, double y)
{
    switch (id) {
    case MF_LOG1P: return x > MF_LOG1P_BIG;
    case MF_SINH: case MF_COSH: return __builtin_fabs(x) > MF_LN_DBL_MAX;
    case MF_HYPOT:
        return __builtin_fabs(x) < MF_HYPOT_TINY && __builtin_fabs(y) < MF_HYPOT_TINY;
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
