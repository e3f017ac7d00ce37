/*
 * block_exec.h — template of the block evaluator's inner loop: runs a
 * plan's block instructions (plan.h) over one block of at most
 * JC_BLOCK_ROWS rows, one tight loop per node that the compiler
 * vectorises. Included by block_exec_<isa>.c, which defines BLOCK_EXEC
 * (the function's name) and is compiled with that ISA's flags and -O3:
 * one source, several widths, the same bits (every kernel is exact IEEE
 * arithmetic or a numeric.h rule, and FMA contraction is off).
 *
 * No instruction's result shares a buffer with its operands (plan.c sees
 * to it), so kernels take restrict pointers.
 *
 * Two modes (block.h): unchecked, the first lane fault stops the block;
 * checked, byte masks of the rows taking each lazy side decide which lane
 * faults count, and the block runs to its end.
 */
#include <math.h>
#include <string.h>

#include "interp/block.h"
#include "interp/mathfn.h"
#include "interp/numeric.h"

#define R restrict

/* Kernel forms: which operand is one scalar (read once, not a vector),
 * and whether the result is canonicalised (it is an f64 output). */
#define FORM_X_SCALAR 1u
#define FORM_Y_SCALAR 2u
#define FORM_CANON 4u

/* ---- f64 ---- */
#define F64_UN(name, expr)                                                 \
    static void name(double *R r, const double *R x, size_t n, unsigned form) \
    {                                                                      \
        if (form & FORM_CANON) {                                           \
            for (size_t i = 0; i < n; i++) {                               \
                double a = x[i];                                           \
                r[i] = num_canon(expr);                                    \
            }                                                              \
        } else {                                                           \
            for (size_t i = 0; i < n; i++) {                               \
                double a = x[i];                                           \
                r[i] = (expr);                                             \
            }                                                              \
        }                                                                  \
    }
#define F64_BIN_LOOP(A, B, WRAP, expr)                                     \
    for (size_t i = 0; i < n; i++) {                                       \
        double a = (A), b = (B);                                           \
        r[i] = WRAP(expr);                                                 \
    }
#define F64_PLAIN(v) (v)
#define F64_BIN(name, expr)                                                \
    static void name(double *R r, const double *R x, const double *R y,    \
                     size_t n, unsigned form)                              \
    {                                                                      \
        const double xs = *x, ys = *y;                                     \
        switch (form) {                                                    \
        case 0: F64_BIN_LOOP(x[i], y[i], F64_PLAIN, expr) break;           \
        case FORM_CANON: F64_BIN_LOOP(x[i], y[i], num_canon, expr) break;  \
        case FORM_X_SCALAR: F64_BIN_LOOP(xs, y[i], F64_PLAIN, expr) break; \
        case FORM_X_SCALAR | FORM_CANON:                                   \
            F64_BIN_LOOP(xs, y[i], num_canon, expr) break;                 \
        case FORM_Y_SCALAR: F64_BIN_LOOP(x[i], ys, F64_PLAIN, expr) break; \
        default: F64_BIN_LOOP(x[i], ys, num_canon, expr) break;            \
        }                                                                  \
    }
F64_UN(k_neg_f64, -a)
F64_UN(k_abs_f64, fabs(a))
F64_UN(k_sign_f64, num_sign_f64(a))
F64_UN(k_sqrt_f64, sqrt(a))
F64_UN(k_floor_f64, floor(a))
F64_UN(k_ceil_f64, ceil(a))
F64_UN(k_trunc_f64, trunc(a))
F64_UN(k_round_f64, num_round(a))
F64_BIN(k_add_f64, a + b)
F64_BIN(k_sub_f64, a - b)
F64_BIN(k_mul_f64, a * b)
F64_BIN(k_div_f64, a / b)
F64_BIN(k_idiv_f64, num_idiv_f64(a, b))
F64_BIN(k_mod_f64, num_mod_f64(a, b))
F64_BIN(k_fmod_f64, fmod(a, b))
F64_BIN(k_least_f64, num_least_f64(a, b))
F64_BIN(k_greatest_f64, num_greatest_f64(a, b))

static void k_round2(double *R r, const double *R x, const int64_t *R d, size_t n)
{
    for (size_t i = 0; i < n; i++)
        r[i] = num_round2(x[i], d[i]);
}

/* ---- i64: each returns non-zero when any lane faulted ---- */
#define I64_UN_F(name, fn)                                                 \
    static uint64_t name(int64_t *R r, const int64_t *R x, size_t n)       \
    {                                                                      \
        uint64_t f = 0;                                                    \
        for (size_t i = 0; i < n; i++)                                     \
            r[i] = fn(x[i], &f);                                           \
        return f;                                                          \
    }
#define I64_BIN_F(name, fn)                                                \
    static uint64_t name(int64_t *R r, const int64_t *R x,                 \
                         const int64_t *R y, size_t n)                     \
    {                                                                      \
        uint64_t f = 0;                                                    \
        for (size_t i = 0; i < n; i++)                                     \
            r[i] = fn(x[i], y[i], &f);                                     \
        return f;                                                          \
    }
#define I64_BIN(name, fn)                                                  \
    static void name(int64_t *R r, const int64_t *R x, const int64_t *R y, \
                     size_t n)                                             \
    {                                                                      \
        for (size_t i = 0; i < n; i++)                                     \
            r[i] = fn(x[i], y[i]);                                         \
    }
I64_UN_F(k_neg_i64, num_neg_i64)
I64_UN_F(k_abs_i64, num_abs_i64)
I64_BIN_F(k_add_i64, num_add_i64)
I64_BIN_F(k_sub_i64, num_sub_i64)
I64_BIN_F(k_mul_i64, num_mul_i64)
I64_BIN_F(k_idiv_i64, num_idiv_i64)
I64_BIN_F(k_mod_i64, num_mod_i64)
I64_BIN(k_least_i64, num_least_i64)
I64_BIN(k_greatest_i64, num_greatest_i64)

static void k_sign_i64(int64_t *R r, const int64_t *R x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        r[i] = num_sign_i64(x[i]);
}

/* ---- conversions ---- */
static void k_i64_to_f64(double *R r, const int64_t *R x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        r[i] = (double)x[i];
}
static void k_bool_to_i64(int64_t *R r, const uint8_t *R x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        r[i] = x[i] != 0;
}
static void k_bool_to_f64(double *R r, const uint8_t *R x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        r[i] = x[i] != 0 ? 1.0 : 0.0;
}
static uint64_t k_f64_to_i64(int64_t *R r, const double *R x, size_t n)
{
    uint64_t f = 0;
    for (size_t i = 0; i < n; i++)
        r[i] = num_f64_to_i64(x[i], &f);
    return f;
}

/* ---- bool results ---- */
/* f64 and i64 comparisons also take one scalar operand */
#define CMPS(name, T, op)                                                  \
    static void name(uint8_t *R r, const T *R x, const T *R y, size_t n,   \
                     unsigned form)                                        \
    {                                                                      \
        const T xs = *x, ys = *y;                                          \
        if (form & FORM_X_SCALAR)                                          \
            for (size_t i = 0; i < n; i++)                                 \
                r[i] = xs op y[i];                                         \
        else if (form & FORM_Y_SCALAR)                                     \
            for (size_t i = 0; i < n; i++)                                 \
                r[i] = x[i] op ys;                                         \
        else                                                               \
            for (size_t i = 0; i < n; i++)                                 \
                r[i] = x[i] op y[i];                                       \
    }
#define CMPF(name, op) CMPS(name, double, op)
CMPS(k_eq_i64, int64_t, ==)
CMPS(k_ne_i64, int64_t, !=)
CMPS(k_lt_i64, int64_t, <)
CMPS(k_le_i64, int64_t, <=)
CMPS(k_gt_i64, int64_t, >)
CMPS(k_ge_i64, int64_t, >=)
CMPF(k_eq_f64, ==)
CMPF(k_ne_f64, !=)
CMPF(k_lt_f64, <)
CMPF(k_le_f64, <=)
CMPF(k_gt_f64, >)
CMPF(k_ge_f64, >=)

/* Bools: a column byte other than 0 counts as true (as in the precise
 * path), and every bool the kernels produce is 0 or 1. */
#define B(v) ((v) != 0)
#define BOOL2(name, expr)                                                  \
    static void name(uint8_t *R r, const uint8_t *R x, const uint8_t *R y, \
                     size_t n)                                             \
    {                                                                      \
        for (size_t i = 0; i < n; i++)                                     \
            r[i] = (uint8_t)(expr);                                        \
    }
BOOL2(k_eq_bool, B(x[i]) == B(y[i]))
BOOL2(k_ne_bool, B(x[i]) != B(y[i]))
BOOL2(k_and, B(x[i]) & B(y[i]))
BOOL2(k_or, B(x[i] | y[i]))

static void k_not(uint8_t *R r, const uint8_t *R x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        r[i] = x[i] == 0;
}

static void k_bool_copy(uint8_t *R r, const uint8_t *R x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        r[i] = B(x[i]);
}

#define F64_PRED(name, expr)                                               \
    static void name(uint8_t *R r, const double *R x, size_t n)            \
    {                                                                      \
        for (size_t i = 0; i < n; i++) {                                   \
            double a = x[i];                                               \
            r[i] = (expr);                                                 \
        }                                                                  \
    }
/* by bits, so that the loops vectorise and no FP exception matters */
F64_PRED(k_isnan, (num_bits(a) & ~(UINT64_C(1) << 63)) > UINT64_C(0x7FF0000000000000))
F64_PRED(k_isinf, (num_bits(a) & ~(UINT64_C(1) << 63)) == UINT64_C(0x7FF0000000000000))
F64_PRED(k_isfinite, (num_bits(a) & ~(UINT64_C(1) << 63)) < UINT64_C(0x7FF0000000000000))

/* ---- if: both sides computed, one chosen per row ----
 * By a mask, with both sides loaded unconditionally: written as `c ? a : b`
 * the compiler uses merge-masked loads that chain every iteration to the
 * previous one (measured 3x slower). */
static inline uint64_t blend8(int c, uint64_t a, uint64_t b)
{
    uint64_t m = -(uint64_t)(c != 0);
    return (a & m) | (b & ~m);
}
static void k_select8(uint64_t *R r, const uint8_t *R c, const uint64_t *R a,
                      const uint64_t *R b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t va = a[i], vb = b[i];
        r[i] = blend8(c[i], va, vb);
    }
}
static void k_select1(uint8_t *R r, const uint8_t *R c, const uint8_t *R a,
                      const uint8_t *R b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t m = (uint8_t)-(c[i] != 0), va = B(a[i]), vb = B(b[i]);
        r[i] = (uint8_t)((va & m) | (vb & ~m));
    }
}

/* ---- leaves and stores ---- */
static void k_fill8(uint64_t *R r, uint64_t v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        r[i] = v;
}

/* ---- fused pairs (plan.h, BOP_*): exactly the two ops, two roundings ---- */
#define MADD_LOOP(YV, ZV, WRAP, expr)                                      \
    for (size_t i = 0; i < n; i++) {                                       \
        double t = x[i] * (YV), z_ = (ZV);                                 \
        r[i] = WRAP(expr);                                                 \
    }
#define MADD(name, expr)                                                   \
    static void name(double *R r, const double *R x, const double *R y,    \
                     const double *R z, size_t n, unsigned form)           \
    {                                                                      \
        const double ys = *y, zs = *z;                                     \
        switch (form & 7u) {                                               \
        case 0: MADD_LOOP(y[i], z[i], F64_PLAIN, expr) break;              \
        case 1: MADD_LOOP(ys, z[i], F64_PLAIN, expr) break;                \
        case 2: MADD_LOOP(y[i], zs, F64_PLAIN, expr) break;                \
        case 3: MADD_LOOP(ys, zs, F64_PLAIN, expr) break;                  \
        case 4: MADD_LOOP(y[i], z[i], num_canon, expr) break;              \
        case 5: MADD_LOOP(ys, z[i], num_canon, expr) break;                \
        case 6: MADD_LOOP(y[i], zs, num_canon, expr) break;                \
        default: MADD_LOOP(ys, zs, num_canon, expr) break;                 \
        }                                                                  \
    }
MADD(k_muladd, t + z_)
MADD(k_mulsub, t - z_)
MADD(k_submul, z_ - t)

/* r = (x cmp y) ? a : b on 8-byte values; f64 results canonicalised by
 * bits when they are an output. */
static inline uint64_t canon_bits(uint64_t v)
{
    return (v << 1) > (UINT64_C(0x7FF0000000000000) << 1) ? NUM_CANON_NAN_BITS : v;
}
#define SEL_LOOP(XV, YV, op, WRAP)                                         \
    for (size_t i = 0; i < n; i++) {                                       \
        uint64_t va = a[i], vb = b[i];                                     \
        r[i] = WRAP(blend8((XV) op (YV), va, vb));                         \
    }
#define SEL_PLAIN(v) (v)
#define SEL_FORMS(op, WRAP)                                                \
    if (form & FORM_X_SCALAR)                                              \
        SEL_LOOP(xs, y[i], op, WRAP)                                       \
    else if (form & FORM_Y_SCALAR)                                         \
        SEL_LOOP(x[i], ys, op, WRAP)                                       \
    else                                                                   \
        SEL_LOOP(x[i], y[i], op, WRAP)
#define SEL_OPS(WRAP)                                                      \
    switch (cmp) {                                                         \
    case OP_EQ: SEL_FORMS(==, WRAP) break;                                 \
    case OP_NE: SEL_FORMS(!=, WRAP) break;                                 \
    case OP_LT: SEL_FORMS(<, WRAP) break;                                  \
    case OP_LE: SEL_FORMS(<=, WRAP) break;                                 \
    case OP_GT: SEL_FORMS(>, WRAP) break;                                  \
    default: SEL_FORMS(>=, WRAP) break;                                    \
    }
#define SELCMP(name, T)                                                    \
    static void name(uint64_t *R r, const T *R x, const T *R y,            \
                     const uint64_t *R a, const uint64_t *R b, size_t n,   \
                     unsigned form, unsigned cmp)                          \
    {                                                                      \
        const T xs = *x, ys = *y;                                          \
        if (form & FORM_CANON) {                                           \
            SEL_OPS(canon_bits)                                            \
        } else {                                                           \
            SEL_OPS(SEL_PLAIN)                                             \
        }                                                                  \
    }
SELCMP(k_selcmp_f64, double)
SELCMP(k_selcmp_i64, int64_t)

static void k_canon(double *R r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        r[i] = num_canon(r[i]);
}

static void k_canon_copy(double *R r, const double *R x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        r[i] = num_canon(x[i]);
}

#define FAULT_BIT(code) (UINT64_C(1) << (code))

/* One BK_OP instruction. `form` says which operand is a scalar and whether
 * the result is canonical; *canon_done is set when the kernel did it.
 * Returns the fault bits (0: no lane faulted). */
static uint64_t run_op(const binstr *b, void *d, const void *const *s,
                       const mathfn_set *math, size_t n, unsigned form,
                       int *canon_done)
{
    const uint64_t ovf = FAULT_BIT(JC_INTEGER_OVERFLOW);
    int f64 = b->ktype == JC_F64, i64 = b->ktype == JC_I64;
    *canon_done = 1;
    switch ((jc_op)b->op) {
    /* f64 kernels with forms */
    case OP_ADD: if (f64) { k_add_f64(d, s[0], s[1], n, form); return 0; } break;
    case OP_SUB: if (f64) { k_sub_f64(d, s[0], s[1], n, form); return 0; } break;
    case OP_MUL: if (f64) { k_mul_f64(d, s[0], s[1], n, form); return 0; } break;
    case OP_DIV: k_div_f64(d, s[0], s[1], n, form); return 0;
    case OP_IDIV: if (f64) { k_idiv_f64(d, s[0], s[1], n, form); return 0; } break;
    case OP_MOD: if (f64) { k_mod_f64(d, s[0], s[1], n, form); return 0; } break;
    case OP_FMOD: k_fmod_f64(d, s[0], s[1], n, form); return 0;
    case OP_LEAST: if (f64) { k_least_f64(d, s[0], s[1], n, form); return 0; } break;
    case OP_GREATEST: if (f64) { k_greatest_f64(d, s[0], s[1], n, form); return 0; } break;
    case OP_NEG: if (f64) { k_neg_f64(d, s[0], n, form); return 0; } break;
    case OP_ABS: if (f64) { k_abs_f64(d, s[0], n, form); return 0; } break;
    case OP_SIGN: if (f64) { k_sign_f64(d, s[0], n, form); return 0; } break;
    case OP_SQRT: k_sqrt_f64(d, s[0], n, form); return 0;
    case OP_FLOOR: k_floor_f64(d, s[0], n, form); return 0;
    case OP_CEIL: k_ceil_f64(d, s[0], n, form); return 0;
    case OP_TRUNC: k_trunc_f64(d, s[0], n, form); return 0;
    case OP_ROUND: k_round_f64(d, s[0], n, form); return 0;
    case OP_EQ: if (f64) { k_eq_f64(d, s[0], s[1], n, form); return 0; } break;
    case OP_NE: if (f64) { k_ne_f64(d, s[0], s[1], n, form); return 0; } break;
    case OP_LT: if (f64) { k_lt_f64(d, s[0], s[1], n, form); return 0; } break;
    case OP_LE: if (f64) { k_le_f64(d, s[0], s[1], n, form); return 0; } break;
    case OP_GT: if (f64) { k_gt_f64(d, s[0], s[1], n, form); return 0; } break;
    case OP_GE: if (f64) { k_ge_f64(d, s[0], s[1], n, form); return 0; } break;
    default: break;
    }
    /* fused pairs: form bit 0 = the second factor is a scalar, bit 1 = the
     * addend is, bit 2 = canonical */
    if (b->op >= BOP_MULADD && b->op <= BOP_SUBMUL) {
        unsigned mform = (REF_KIND(b->src[1]) == REF_SCALAR ? 1u : 0u) |
                         (REF_KIND(b->src[2]) == REF_SCALAR ? 2u : 0u) |
                         (form & FORM_CANON ? 4u : 0u);
        if (b->op == BOP_MULADD)
            k_muladd(d, s[0], s[1], s[2], n, mform);
        else if (b->op == BOP_MULSUB)
            k_mulsub(d, s[0], s[1], s[2], n, mform);
        else
            k_submul(d, s[0], s[1], s[2], n, mform);
        return 0;
    }
    if (b->op == BOP_SELCMP) {
        unsigned sform = form & (FORM_X_SCALAR | FORM_Y_SCALAR);
        if (b->type == JC_F64 && (form & FORM_CANON))
            sform |= FORM_CANON;
        if (f64)
            k_selcmp_f64(d, s[0], s[1], s[2], s[3], n, sform, b->aux);
        else
            k_selcmp_i64(d, s[0], s[1], s[2], s[3], n, sform, b->aux);
        return 0;
    }
    /* the rest: vectors only (plan.c fills scalars), canonicalised after */
    *canon_done = 0;
    switch ((jc_op)b->op) {
    case OP_I64_TO_F64: k_i64_to_f64(d, s[0], n); return 0;
    case OP_BOOL_TO_I64: k_bool_to_i64(d, s[0], n); return 0;
    case OP_BOOL_TO_F64: k_bool_to_f64(d, s[0], n); return 0;
    case OP_F64_TO_I64:
        return k_f64_to_i64(d, s[0], n) ? FAULT_BIT(JC_INVALID_CAST) : 0;
    case OP_NEG: return k_neg_i64(d, s[0], n) ? ovf : 0;
    case OP_NOT: k_not(d, s[0], n); return 0;
    case OP_ADD: return k_add_i64(d, s[0], s[1], n) ? ovf : 0;
    case OP_SUB: return k_sub_i64(d, s[0], s[1], n) ? ovf : 0;
    case OP_MUL: return k_mul_i64(d, s[0], s[1], n) ? ovf : 0;
    case OP_IDIV:
        return k_idiv_i64(d, s[0], s[1], n) ? FAULT_BIT(JC_DIVISION_BY_ZERO) | ovf : 0;
    case OP_MOD:
        return k_mod_i64(d, s[0], s[1], n) ? FAULT_BIT(JC_DIVISION_BY_ZERO) : 0;
    case OP_EQ: if (i64) k_eq_i64(d, s[0], s[1], n, form); else k_eq_bool(d, s[0], s[1], n); return 0;
    case OP_NE: if (i64) k_ne_i64(d, s[0], s[1], n, form); else k_ne_bool(d, s[0], s[1], n); return 0;
    case OP_LT: k_lt_i64(d, s[0], s[1], n, form); return 0;
    case OP_LE: k_le_i64(d, s[0], s[1], n, form); return 0;
    case OP_GT: k_gt_i64(d, s[0], s[1], n, form); return 0;
    case OP_GE: k_ge_i64(d, s[0], s[1], n, form); return 0;
    case OP_AND: k_and(d, s[0], s[1], n); return 0;
    case OP_OR: k_or(d, s[0], s[1], n); return 0;
    case OP_ABS: return k_abs_i64(d, s[0], n) ? ovf : 0;
    case OP_SIGN: k_sign_i64(d, s[0], n); return 0;
    case OP_ROUND2: k_round2(d, s[0], s[1], n); return 0;
    case OP_LEAST: k_least_i64(d, s[0], s[1], n); return 0;
    case OP_GREATEST: k_greatest_i64(d, s[0], s[1], n); return 0;
    case OP_IF:
        if (b->type == JC_BOOL) k_select1(d, s[0], s[1], s[2], n);
        else k_select8(d, s[0], s[1], s[2], n);
        return 0;
    case OP_ISNAN: k_isnan(d, s[0], n); return 0;
    case OP_ISINF: k_isinf(d, s[0], n); return 0;
    case OP_ISFINITE: k_isfinite(d, s[0], n); return 0;
    default: break;
    }
    int id = mathfn_of_op((jc_op)b->op);
    if (id >= MF_NUNARY) {
        math->binary[id - MF_NUNARY](d, s[0], s[1], n);
        return 0;
    }
    if (id >= 0) {
        math->unary[id](d, s[0], n);
        return 0;
    }
    return FAULT_BIT(JC_INTERNAL); /* the precise path will say what */
}

/* A scalar operand, copied out of the table so kernels read it with its
 * own type. */
typedef union scalar_value {
    double f;
    int64_t i;
    uint64_t u;
} scalar_value;

/* Where a reference points for rows [row, row + n). */
static inline void *ref_ptr(uint32_t ref, unsigned type, void *const *bufs,
                            const jc_block_io *io, size_t row, size_t out_row,
                            scalar_value *scalar)
{
    uint32_t i = REF_INDEX(ref);
    switch (REF_KIND(ref)) {
    case REF_BUFFER: return bufs[i];
    case REF_COLUMN: return (char *)io->cols[i] + row * type_size(type);
    case REF_SCALAR: memcpy(scalar, &io->scalars[i], sizeof *scalar); return scalar;
    default: return (char *)io->outs[i] + out_row * type_size(type);
    }
}

/* Checked mode: whether lane i of a faulting instruction faults (the
 * kernels only say whether any lane did). */
static int lane_faults(const binstr *b, const void *const *s, size_t i)
{
    uint64_t f = 0;
    const int64_t *x = s[0], *y = s[1];
    switch ((jc_op)b->op) {
    case OP_F64_TO_I64: num_f64_to_i64(((const double *)s[0])[i], &f); break;
    case OP_NEG: num_neg_i64(x[i], &f); break;
    case OP_ABS: num_abs_i64(x[i], &f); break;
    case OP_ADD: num_add_i64(x[i], y[i], &f); break;
    case OP_SUB: num_sub_i64(x[i], y[i], &f); break;
    case OP_MUL: num_mul_i64(x[i], y[i], &f); break;
    case OP_IDIV: num_idiv_i64(x[i], y[i], &f); break;
    case OP_MOD: num_mod_i64(x[i], y[i], &f); break;
    default: f = 1; break; /* unknown: let the row-by-row evaluator say */
    }
    return f != 0;
}

/* Checked mode: records a fault of the instruction's output at the first
 * active lane for which `faults` holds (all active lanes when NULL). */
static uint64_t check_lanes(block_check *chk, const binstr *b, const uint8_t *active,
                            const void *const *s, size_t n, uint64_t bits)
{
    for (size_t i = 0; i < n; i++) {
        if (active[i] && (!s || lane_faults(b, s, i))) {
            if (i < chk->first[b->out])
                chk->first[b->out] = i;
            return bits;
        }
    }
    return 0;
}

/* Points s at b's operands for rows [row, row + n) (scalars copied into
 * sv) and returns the kernel form they make. */
static inline unsigned operands(const binstr *b, const void **s, scalar_value *sv,
                                void *const *bufs, const jc_block_io *io, size_t row,
                                size_t out_row)
{
    unsigned form = b->canon ? FORM_CANON : 0;
    for (unsigned k = 0; k < b->nsrc; k++) {
        s[k] = ref_ptr(b->src[k], b->stype[k], bufs, io, row, out_row, &sv[k]);
        if (REF_KIND(b->src[k]) == REF_SCALAR && k < 2)
            form |= k ? FORM_Y_SCALAR : FORM_X_SCALAR;
    }
    return form;
}

/* Runs one BK_FILL, BK_STORE or BK_OP instruction into d; returns the
 * fault bits (0: no lane faulted). */
static inline uint64_t compute(const binstr *b, void *d, const void *const *s,
                               const scalar_value *sv, const mathfn_set *math, size_t n,
                               unsigned form)
{
    size_t size = type_size(b->type);
    if (b->kind == BK_OP) {
        int done;
        uint64_t fault = run_op(b, d, s, math, n, form, &done);
        if (b->canon && !done)
            k_canon(d, n);
        return fault;
    }
    if (REF_KIND(b->src[0]) == REF_SCALAR) {
        if (size == 1)
            memset(d, sv[0].u != 0, n);
        else
            k_fill8(d, sv[0].u, n);
        if (b->canon)
            k_canon(d, n);
    } else if (b->canon) {
        k_canon_copy(d, s[0], n);
    } else if (size == 1) {
        k_bool_copy(d, s[0], n);
    } else {
        memcpy(d, s[0], n * size);
    }
    return 0;
}

/* The common run: the unchecked list, stopping at the first fault (the
 * block is then re-run checked). */
static uint64_t exec_unchecked(const pass_plan *plan, void *const *bufs,
                               const jc_block_io *io, const mathfn_set *math, size_t row,
                               size_t n, size_t out_row)
{
    for (uint32_t i = 0; i < plan->nubi; i++) {
        const binstr *b = &plan->ubi[i];
        const void *s[4];
        scalar_value sv[4], dummy;
        unsigned form = operands(b, s, sv, bufs, io, row, out_row);
        void *d = ref_ptr(b->dst, b->type, bufs, io, row, out_row, &dummy);
        uint64_t fault = compute(b, d, s, sv, math, n, form);
        if (fault)
            return fault;
    }
    return 0;
}

uint64_t BLOCK_EXEC(const pass_plan *plan, void *const *bufs,
                    const jc_block_io *io, const mathfn_set *math, size_t row,
                    size_t n, size_t out_row, block_check *chk)
{
    if (!chk)
        return exec_unchecked(plan, bufs, io, math, row, n, out_row);
    uint64_t real = 0;               /* faults on rows that count */
    uint8_t *active = chk->masks;    /* the current mask */
    memset(active, 1, n);
    for (uint32_t i = 0; i < plan->nbi; i++) {
        const binstr *b = &plan->bi[i];
        const void *s[4] = {0};
        scalar_value sv[4];
        unsigned form = operands(b, s, sv, bufs, io, row, out_row);
        for (unsigned k = 0; k < b->nsrc; k++)
            if (chk->states && REF_KIND(b->src[k]) == REF_SCALAR &&
                chk->states[REF_INDEX(b->src[k])].kind == SCALAR_FAULT)
                real |= check_lanes(chk, b, active, NULL, n,
                                    FAULT_BIT(chk->states[REF_INDEX(b->src[k])].code));
        if (b->kind == BK_PUSH) {
            uint8_t *inner = active + JC_BLOCK_ROWS;
            const uint8_t *c = s[0];
            uint8_t side = b->aux;
            if (REF_KIND(b->src[0]) == REF_SCALAR)
                for (size_t r = 0; r < n; r++)
                    inner[r] = active[r] & ((sv[0].u != 0) == side);
            else
                for (size_t r = 0; r < n; r++)
                    inner[r] = active[r] & ((c[r] != 0) == side);
            active = inner;
            continue;
        }
        if (b->kind == BK_POP) {
            active -= JC_BLOCK_ROWS;
            continue;
        }
        scalar_value dummy;
        void *d = ref_ptr(b->dst, b->type, bufs, io, row, out_row, &dummy);
        uint64_t fault = compute(b, d, s, sv, math, n, form);
        if (fault)
            real |= check_lanes(chk, b, active, s, n, fault);
    }
    return real;
}
