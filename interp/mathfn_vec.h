/*
 * mathfn_vec.h — template of one mathfn_set (mathfn.h), included once per
 * instruction set by mathfn_<isa>.c, which first defines:
 *   MF_LANES        lanes per vector
 *   MF_LOAD(p)      unaligned load of MF_LANES doubles
 *   MF_STORE(p, v)  unaligned store
 *   MF_FN(f, u)     the SLEEF entry point of function f with accuracy u
 *   MF_SET          the name of the mathfn_set to define
 *   MF_ISA          its name as a string
 * One source for every width, so the sets cannot differ except in width.
 */
#include <stdint.h>
#include <string.h>

#include "interp/mathfn.h"

/* The vector types and helpers interp/mathfn_need.h asks for, in GCC's
 * generic vectors of this width (a repair test is a few lane operations). */
typedef double V __attribute__((vector_size(MF_LANES * 8)));
typedef int64_t VI __attribute__((vector_size(MF_LANES * 8)));
typedef uint64_t VU __attribute__((vector_size(MF_LANES * 8)));
static inline V splat(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return (V)((VU){0} + u);
}
static inline V vabs(V x) { return (V)((VU)x & 0x7fffffffffffffffull); }
static inline V blend(VI m, V a, V b) { return (V)((m & (VI)a) | (~m & (VI)b)); }
static inline V vload(const double *p)
{
    V v;
    memcpy(&v, p, sizeof v);
    return v;
}
static inline int any_lane(VI m)
{
    int64_t l[MF_LANES], o = 0;
    memcpy(l, &m, sizeof l);
    for (int k = 0; k < MF_LANES; k++)
        o |= l[k];
    return o != 0;
}
#include "interp/mathfn_need.h"

/* Whole vectors in place; the last partial vector through a padded copy
 * (lanes are independent, so the padding never changes a result). Then
 * the lanes SLEEF gets wrong are repaired (mathfn.h): the vector test
 * NEED (mathfn_need.h) over the whole vectors says whether any lane may
 * need it; if so, and on the partial vector, the scalar test decides.
 * `fix` is a mathfn_id, or -1 (and NEED_NONE) for a function that needs
 * none. */
#define MF_UNARY(name, f, u, NEED, fix)                                    \
    static void mf_##name(double *r, const double *x, size_t n)            \
    {                                                                      \
        size_t i = 0;                                                      \
        VI any = {0};                                                      \
        for (; i + MF_LANES <= n; i += MF_LANES) {                         \
            MF_STORE(r + i, MF_FN(f, u)(MF_LOAD(x + i)));                  \
            any |= NEED(vload(x + i));                                     \
        }                                                                  \
        size_t whole = i;                                                  \
        if (i < n) {                                                       \
            double tx[MF_LANES] = {0}, tr[MF_LANES];                       \
            memcpy(tx, x + i, (n - i) * sizeof *x);                        \
            MF_STORE(tr, MF_FN(f, u)(MF_LOAD(tx)));                        \
            memcpy(r + i, tr, (n - i) * sizeof *r);                        \
        }                                                                  \
        if ((fix) >= 0)                                                    \
            for (i = any_lane(any) ? 0 : whole; i < n; i++)                \
                if (mathfn_needs_repair((fix), x[i], 0))                   \
                    r[i] = mathfn_repaired((fix), x[i], 0);                \
    }

#define MF_BINARY(name, f, u, NEED, fix)                                   \
    static void mf_##name(double *r, const double *x, const double *y,     \
                          size_t n)                                        \
    {                                                                      \
        size_t i = 0;                                                      \
        VI any = {0};                                                      \
        for (; i + MF_LANES <= n; i += MF_LANES) {                         \
            MF_STORE(r + i, MF_FN(f, u)(MF_LOAD(x + i), MF_LOAD(y + i)));  \
            any |= NEED(vload(x + i), vload(y + i));                       \
        }                                                                  \
        size_t whole = i;                                                  \
        if (i < n) {                                                       \
            double tx[MF_LANES] = {0}, ty[MF_LANES] = {0}, tr[MF_LANES];   \
            memcpy(tx, x + i, (n - i) * sizeof *x);                        \
            memcpy(ty, y + i, (n - i) * sizeof *y);                        \
            MF_STORE(tr, MF_FN(f, u)(MF_LOAD(tx), MF_LOAD(ty)));           \
            memcpy(r + i, tr, (n - i) * sizeof *r);                        \
        }                                                                  \
        if ((fix) >= 0)                                                    \
            for (i = any_lane(any) ? 0 : whole; i < n; i++)                \
                if (mathfn_needs_repair((fix), x[i], y[i]))                \
                    r[i] = mathfn_repaired((fix), x[i], y[i]);             \
    }

MF_UNARY(exp, exp, u10, NEED_EXP, MF_EXP)
MF_UNARY(expm1, expm1, u10, NEED_NONE, -1)
MF_UNARY(ln, log, u10, NEED_NONE, -1)
MF_UNARY(log10, log10, u10, NEED_NONE, -1)
MF_UNARY(log2, log2, u10, NEED_NONE, -1)
MF_UNARY(log1p, log1p, u10, NEED_LOG1P, MF_LOG1P)
MF_UNARY(sin, sin, u10, NEED_NONE, -1)
MF_UNARY(cos, cos, u10, NEED_NONE, -1)
MF_UNARY(tan, tan, u10, NEED_TAN, MF_TAN)
MF_UNARY(asin, asin, u10, NEED_NONE, -1)
MF_UNARY(acos, acos, u10, NEED_NONE, -1)
MF_UNARY(atan, atan, u10, NEED_NONE, -1)
MF_UNARY(sinh, sinh, u10, NEED_SINH, MF_SINH)
MF_UNARY(cosh, cosh, u10, NEED_COSH, MF_COSH)
MF_UNARY(tanh, tanh, u10, NEED_NONE, -1)
MF_UNARY(cbrt, cbrt, u10, NEED_NONE, -1)
MF_BINARY(atan2, atan2, u10, NEED_ATAN2, MF_ATAN2)
MF_BINARY(pow, pow, u10, NEED_POW, MF_POW)
MF_BINARY(hypot, hypot, u05, NEED_HYPOT, MF_HYPOT)

const mathfn_set MF_SET = {
    .isa = MF_ISA,
    .lanes = MF_LANES,
    .unary = {
        [MF_EXP] = mf_exp, [MF_EXPM1] = mf_expm1, [MF_LN] = mf_ln,
        [MF_LOG10] = mf_log10, [MF_LOG2] = mf_log2, [MF_LOG1P] = mf_log1p,
        [MF_SIN] = mf_sin, [MF_COS] = mf_cos, [MF_TAN] = mf_tan,
        [MF_ASIN] = mf_asin, [MF_ACOS] = mf_acos, [MF_ATAN] = mf_atan,
        [MF_SINH] = mf_sinh, [MF_COSH] = mf_cosh, [MF_TANH] = mf_tanh,
        [MF_CBRT] = mf_cbrt,
    },
    .binary = {
        [MF_ATAN2 - MF_NUNARY] = mf_atan2,
        [MF_POW - MF_NUNARY] = mf_pow,
        [MF_HYPOT - MF_NUNARY] = mf_hypot,
    },
};
