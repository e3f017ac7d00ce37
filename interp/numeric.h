/*
 * numeric.h — the exact scalar rules of the language, one inline function
 * per rule, shared by the interpreter's block path (block.c), its precise
 * path (evalop.c) and constant folding, so the three cannot drift apart.
 * The JIT mirrors each function in vector form; every comment says the rule
 * precisely enough to do that without reading the code.
 *
 * Fault reporting: functions that can fault take `uint64_t *fault` and OR
 * 1 into it (never clear it), so a loop can accumulate faults over a block
 * without branching; their return value is then unspecified but defined
 * (never a trap, never undefined behaviour).
 *
 * Not here: the transcendental functions (interp/mathfn.h, SLEEF) and the
 * aggregate reductions (interp/reduce.h).
 */
#ifndef JC_INTERP_NUMERIC_H
#define JC_INTERP_NUMERIC_H

#include <math.h>
#include <stdint.h>
#include <string.h>

/* The canonical NaN: every f64 a pass writes (outputs, aggregate inputs and
 * results, scalar results) is canonicalised to these bits, so results never
 * depend on which NaN an operation produced. They are x86-64's default NaN
 * (what 0.0 / 0.0 gives there), which AVX-512 can put in place of a NaN
 * with one instruction and no register copy (ops/vec.h, canon). */
#define NUM_CANON_NAN_BITS UINT64_C(0xFFF8000000000000)
#define NUM_CANON_NAN (-__builtin_nan(""))

static inline double num_canon_nan(void) { return NUM_CANON_NAN; }

/* x, or the canonical NaN when x is any NaN. */
static inline double num_canon(double x) { return x != x ? num_canon_nan() : x; }

static inline uint64_t num_bits(double x)
{
    uint64_t b;
    memcpy(&b, &x, sizeof b);
    return b;
}

static inline double num_from_bits(uint64_t b)
{
    double x;
    memcpy(&x, &b, sizeof x);
    return x;
}

/* ---- i64 arithmetic: overflow is a fault, never a wrap-around ---- */

/* a + b; fault when the exact sum is outside [INT64_MIN, INT64_MAX].
 * Vector form: r = a + b (wrapping); overflow iff ((a ^ r) & (b ^ r)) < 0. */
static inline int64_t num_add_i64(int64_t a, int64_t b, uint64_t *fault)
{
    uint64_t r = (uint64_t)a + (uint64_t)b;
    *fault |= (((uint64_t)a ^ r) & ((uint64_t)b ^ r)) >> 63;
    return (int64_t)r;
}

/* a - b; overflow iff ((a ^ b) & (a ^ r)) < 0 with r = a - b wrapping. */
static inline int64_t num_sub_i64(int64_t a, int64_t b, uint64_t *fault)
{
    uint64_t r = (uint64_t)a - (uint64_t)b;
    *fault |= (((uint64_t)a ^ (uint64_t)b) & ((uint64_t)a ^ r)) >> 63;
    return (int64_t)r;
}

/* a * b; fault when the exact product does not fit. */
static inline int64_t num_mul_i64(int64_t a, int64_t b, uint64_t *fault)
{
    int64_t r;
    *fault |= (uint64_t)__builtin_mul_overflow(a, b, &r);
    return r;
}

/* -a; fault for INT64_MIN. */
static inline int64_t num_neg_i64(int64_t a, uint64_t *fault)
{
    *fault |= (uint64_t)(a == INT64_MIN);
    return (int64_t)(0 - (uint64_t)a);
}

/* |a|; fault for INT64_MIN. */
static inline int64_t num_abs_i64(int64_t a, uint64_t *fault)
{
    *fault |= (uint64_t)(a == INT64_MIN);
    return a < 0 ? (int64_t)(0 - (uint64_t)a) : a;
}

/* Floored division a // b (the quotient rounded toward -Infinity).
 * Faults: b == 0 (division_by_zero, see num_idiv_fault_code) and
 * INT64_MIN // -1 (integer_overflow). Never executes a trapping divide. */
static inline int64_t num_idiv_i64(int64_t a, int64_t b, uint64_t *fault)
{
    int bad = b == 0 || (a == INT64_MIN && b == -1);
    *fault |= (uint64_t)bad;
    if (bad)
        return 0;
    int64_t q = a / b, r = a % b;
    /* C truncates; step down when the remainder's sign differs from b's */
    if (r != 0 && ((r ^ b) < 0))
        q -= 1;
    return q;
}

/* Floored modulo a % b: the result has the sign of b (or is 0), and
 * a == (a // b) * b + a % b. Faults: b == 0 (division_by_zero).
 * INT64_MIN % -1 is 0 (no fault). */
static inline int64_t num_mod_i64(int64_t a, int64_t b, uint64_t *fault)
{
    *fault |= (uint64_t)(b == 0);
    if (b == 0 || b == -1) /* x % -1 == 0, and avoids the INT64_MIN trap */
        return 0;
    int64_t r = a % b;
    if (r != 0 && ((r ^ b) < 0))
        r += b;
    return r;
}

/* Which code a faulting i64 `//` has: division_by_zero when b == 0, else
 * (INT64_MIN // -1) integer_overflow. `%` only faults for b == 0. */
static inline int num_idiv_is_overflow(int64_t a, int64_t b)
{
    return b != 0 && a == INT64_MIN && b == -1;
}

/* -1, 0 or 1. */
static inline int64_t num_sign_i64(int64_t a) { return (a > 0) - (a < 0); }

static inline int64_t num_least_i64(int64_t a, int64_t b) { return a < b ? a : b; }
static inline int64_t num_greatest_i64(int64_t a, int64_t b) { return a > b ? a : b; }

/* ---- f64 ---- */

/* f64 floor division: floor(a / b) (IEEE division, then floor). */
static inline double num_idiv_f64(double a, double b) { return floor(a / b); }

/* f64 floored modulo (Python's float %): r = fmod(a, b) (exact); if r != 0
 * and (r < 0) != (b < 0), r += b; then if r == 0, r = copysign(0, b).
 * b == 0 or a infinite gives NaN (from fmod); b = ±Inf gives a or a + b. */
static inline double num_mod_f64(double a, double b)
{
    double r = fmod(a, b);
    if (r != 0 && ((r < 0) != (b < 0)))
        r += b;
    if (r == 0)
        r = copysign(0.0, b);
    return r;
}

/* sign: -1.0 for x < 0, +1.0 for x > 0; ±0.0 and NaN are returned as they
 * are (the NaN is canonicalised only when stored). */
static inline double num_sign_f64(double x) { return x > 0 ? 1.0 : x < 0 ? -1.0 : x; }

/* least(a, b): the canonical NaN when either is NaN; else the smaller,
 * where -0.0 counts as smaller than +0.0 (so the result never depends on
 * the operand order). Also the MIN aggregate's step. */
static inline double num_least_f64(double a, double b)
{
    if (a != a || b != b)
        return num_canon_nan();
    if (a < b)
        return a;
    if (b < a)
        return b;
    return signbit(a) ? a : b; /* equal: only ±0 can differ in bits */
}

/* greatest(a, b): as least, mirrored: +0.0 counts as greater than -0.0. */
static inline double num_greatest_f64(double a, double b)
{
    if (a != a || b != b)
        return num_canon_nan();
    if (a > b)
        return a;
    if (b > a)
        return b;
    return signbit(a) ? b : a;
}

/* round(x): half away from zero, exactly C's round(). */
static inline double num_round(double x) { return round(x); }

/* 10^k correctly rounded to a double, for k = 0..308 (the compiler converts
 * the decimal literals 1e0..1e308, which GCC and clang round correctly;
 * tests/interp checks every entry against MPFR). */
#define NUM_POW10_MAX 308
extern const double num_pow10[NUM_POW10_MAX + 1];

/* round(x, d), rounding half away from zero at 10^-d:
 *  - x NaN or ±Inf: x unchanged;
 *  - p = 10^|d| from num_pow10 (|d| > 308: p = +Inf);
 *  - d >= 0: y = x * p; if y is not finite (x * p overflowed; or x = ±0
 *    and p = +Inf) the result is x, else round(y) / p;
 *  - d < 0: d < -308 gives copysign(0, x); else round(x / p) * p. */
static inline double num_round2(double x, int64_t d)
{
    if (!isfinite(x))
        return x;
    if (d >= 0) {
        double p = d > NUM_POW10_MAX ? __builtin_inf() : num_pow10[d];
        double y = x * p;
        if (!isfinite(y))
            return x;
        return round(y) / p;
    }
    if (d < -NUM_POW10_MAX)
        return copysign(0.0, x);
    double p = num_pow10[-d];
    return round(x / p) * p;
}

/* int(x) for f64: truncation toward zero; fault (invalid_cast) when x is
 * NaN, ±Inf or outside [-2^63, 2^63). The result is 0 on a fault. */
static inline int64_t num_f64_to_i64(double x, uint64_t *fault)
{
    int ok = x >= -0x1p63 && x < 0x1p63; /* false for NaN */
    *fault |= (uint64_t)!ok;
    return ok ? (int64_t)x : 0;
}

#endif /* JC_INTERP_NUMERIC_H */
