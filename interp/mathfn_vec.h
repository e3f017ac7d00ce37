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
#include <string.h>

#include "interp/mathfn.h"

/* Whole vectors in place; the last partial vector through a padded copy
 * (lanes are independent, so the padding never changes a result). Then
 * the lanes SLEEF gets wrong are repaired (mathfn.h); `fix` is a
 * mathfn_id, or -1 for a function that needs none. */
#define MF_UNARY(name, f, u, fix)                                          \
    static void mf_##name(double *r, const double *x, size_t n)            \
    {                                                                      \
        size_t i = 0;                                                      \
        for (; i + MF_LANES <= n; i += MF_LANES)                           \
            MF_STORE(r + i, MF_FN(f, u)(MF_LOAD(x + i)));                  \
        if (i < n) {                                                       \
            double tx[MF_LANES] = {0}, tr[MF_LANES];                       \
            memcpy(tx, x + i, (n - i) * sizeof *x);                        \
            MF_STORE(tr, MF_FN(f, u)(MF_LOAD(tx)));                        \
            memcpy(r + i, tr, (n - i) * sizeof *r);                        \
        }                                                                  \
        if ((fix) >= 0)                                                    \
            for (i = 0; i < n; i++)                                        \
                if (mathfn_needs_repair((fix), x[i], 0))                   \
                    r[i] = mathfn_repaired((fix), x[i], 0);                \
    }

#define MF_BINARY(name, f, u, fix)                                              \
    static void mf_##name(double *r, const double *x, const double *y,     \
                          size_t n)                                        \
    {                                                                      \
        size_t i = 0;                                                      \
        for (; i + MF_LANES <= n; i += MF_LANES)                           \
            MF_STORE(r + i, MF_FN(f, u)(MF_LOAD(x + i), MF_LOAD(y + i)));  \
        if (i < n) {                                                       \
            double tx[MF_LANES] = {0}, ty[MF_LANES] = {0}, tr[MF_LANES];   \
            memcpy(tx, x + i, (n - i) * sizeof *x);                        \
            memcpy(ty, y + i, (n - i) * sizeof *y);                        \
            MF_STORE(tr, MF_FN(f, u)(MF_LOAD(tx), MF_LOAD(ty)));           \
            memcpy(r + i, tr, (n - i) * sizeof *r);                        \
        }                                                                  \
        if ((fix) >= 0)                                                    \
            for (i = 0; i < n; i++)                                        \
                if (mathfn_needs_repair((fix), x[i], y[i]))                \
                    r[i] = mathfn_repaired((fix), x[i], y[i]);             \
    }

MF_UNARY(exp, exp, u10, -1)
MF_UNARY(expm1, expm1, u10, -1)
MF_UNARY(ln, log, u10, -1)
MF_UNARY(log10, log10, u10, -1)
MF_UNARY(log2, log2, u10, -1)
MF_UNARY(log1p, log1p, u10, MF_LOG1P)
MF_UNARY(sin, sin, u10, -1)
MF_UNARY(cos, cos, u10, -1)
MF_UNARY(tan, tan, u10, -1)
MF_UNARY(asin, asin, u10, -1)
MF_UNARY(acos, acos, u10, -1)
MF_UNARY(atan, atan, u10, -1)
MF_UNARY(sinh, sinh, u10, MF_SINH)
MF_UNARY(cosh, cosh, u10, MF_COSH)
MF_UNARY(tanh, tanh, u10, -1)
MF_UNARY(cbrt, cbrt, u10, -1)
MF_BINARY(atan2, atan2, u10, -1)
MF_BINARY(pow, pow, u10, -1)
MF_BINARY(hypot, hypot, u05, MF_HYPOT)

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
