/* mathfn.c — scalar SLEEF calls and the choice of the widest vector set
 * (the repairs are in mathfn_repair.c). */
#include "interp/mathfn.h"

#include <sleef.h>
#include <stdatomic.h>

extern const mathfn_set mathfn_set_purec;
#if defined(JC_MATHFN_X86)
extern const mathfn_set mathfn_set_sse2, mathfn_set_avx, mathfn_set_avx512;
#endif

int mathfn_of_op(jc_op op)
{
    switch (op) {
    case OP_EXP: return MF_EXP;
    case OP_EXPM1: return MF_EXPM1;
    case OP_LN: return MF_LN;
    case OP_LOG10: return MF_LOG10;
    case OP_LOG2: return MF_LOG2;
    case OP_LOG1P: return MF_LOG1P;
    case OP_SIN: return MF_SIN;
    case OP_COS: return MF_COS;
    case OP_TAN: return MF_TAN;
    case OP_ASIN: return MF_ASIN;
    case OP_ACOS: return MF_ACOS;
    case OP_ATAN: return MF_ATAN;
    case OP_SINH: return MF_SINH;
    case OP_COSH: return MF_COSH;
    case OP_TANH: return MF_TANH;
    case OP_CBRT: return MF_CBRT;
    case OP_ATAN2: return MF_ATAN2;
    case OP_POW: return MF_POW;
    case OP_HYPOT: return MF_HYPOT;
    default: return -1;
    }
}

const char *mathfn_name(enum mathfn_id id)
{
    static const char *const names[MF_COUNT] = {
        [MF_EXP] = "exp", [MF_EXPM1] = "expm1", [MF_LN] = "ln",
        [MF_LOG10] = "log10", [MF_LOG2] = "log2", [MF_LOG1P] = "log1p",
        [MF_SIN] = "sin", [MF_COS] = "cos", [MF_TAN] = "tan",
        [MF_ASIN] = "asin", [MF_ACOS] = "acos", [MF_ATAN] = "atan",
        [MF_SINH] = "sinh", [MF_COSH] = "cosh", [MF_TANH] = "tanh",
        [MF_CBRT] = "cbrt", [MF_ATAN2] = "atan2", [MF_POW] = "pow",
        [MF_HYPOT] = "hypot",
    };
    return (unsigned)id < MF_COUNT ? names[id] : "?";
}

static double sleef1(enum mathfn_id id, double x)
{
    switch (id) {
    case MF_EXP: return Sleef_cinz_expd1_u10purec(x);
    case MF_EXPM1: return Sleef_cinz_expm1d1_u10purec(x);
    case MF_LN: return Sleef_cinz_logd1_u10purec(x);
    case MF_LOG10: return Sleef_cinz_log10d1_u10purec(x);
    case MF_LOG2: return Sleef_cinz_log2d1_u10purec(x);
    case MF_LOG1P: return Sleef_cinz_log1pd1_u10purec(x);
    case MF_SIN: return Sleef_cinz_sind1_u10purec(x);
    case MF_COS: return Sleef_cinz_cosd1_u10purec(x);
    case MF_TAN: return Sleef_cinz_tand1_u10purec(x);
    case MF_ASIN: return Sleef_cinz_asind1_u10purec(x);
    case MF_ACOS: return Sleef_cinz_acosd1_u10purec(x);
    case MF_ATAN: return Sleef_cinz_atand1_u10purec(x);
    case MF_SINH: return Sleef_cinz_sinhd1_u10purec(x);
    case MF_COSH: return Sleef_cinz_coshd1_u10purec(x);
    case MF_TANH: return Sleef_cinz_tanhd1_u10purec(x);
    case MF_CBRT: return Sleef_cinz_cbrtd1_u10purec(x);
    default: return __builtin_nan("");
    }
}

double mathfn1(enum mathfn_id id, double x)
{
    if (mathfn_needs_repair(id, x, 0))
        return mathfn_repaired(id, x, 0);
    return sleef1(id, x);
}

double mathfn2(enum mathfn_id id, double x, double y)
{
    if (mathfn_needs_repair(id, x, y))
        return mathfn_repaired(id, x, y);
    switch (id) {
    case MF_ATAN2: return Sleef_cinz_atan2d1_u10purec(x, y);
    case MF_POW: return Sleef_cinz_powd1_u10purec(x, y);
    case MF_HYPOT: return Sleef_cinz_hypotd1_u05purec(x, y);
    default: return __builtin_nan("");
    }
}

size_t mathfn_sets(const mathfn_set **out, size_t max)
{
    const mathfn_set *all[4];
    size_t n = 0;
    all[n++] = &mathfn_set_purec;
#if defined(JC_MATHFN_X86)
    __builtin_cpu_init();
    all[n++] = &mathfn_set_sse2; /* x86-64 baseline */
    if (__builtin_cpu_supports("avx"))
        all[n++] = &mathfn_set_avx;
    if (__builtin_cpu_supports("avx512f"))
        all[n++] = &mathfn_set_avx512;
#endif
    for (size_t i = 0; i < n && i < max; i++)
        out[i] = all[i];
    return n;
}

const mathfn_set *mathfn_best(void)
{
    /* Every thread computes the same answer, so a race only repeats it. */
    static _Atomic(const mathfn_set *) best;
    const mathfn_set *s = atomic_load_explicit(&best, memory_order_acquire);
    if (!s) {
        const mathfn_set *sets[4];
        size_t n = mathfn_sets(sets, 4);
        s = sets[n - 1];
        atomic_store_explicit(&best, s, memory_order_release);
    }
    return s;
}
