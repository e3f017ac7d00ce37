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
 */
#include <math.h>
#include <string.h>

#include "interp/block.h"
#include "interp/mathfn.h"
#include "interp/numeric.h"

#define R restrict

/* ---- f64 ---- */
#define F64_UN(name, expr)                                                 \
    static void name(double *R r, const double *R x, size_t n)             \
    {                                                                      \
        for (size_t i = 0; i < n; i++) {                                   \
            double a = x[i];                                               \
            r[i] = (expr);                                                 \
        }                                                                  \
    }
#define F64_BIN(name, expr)                                                \
    static void name(double *R r, const double *R x, const double *R y,    \
                     size_t n)                                             \
    {                                                                      \
        for (size_t i = 0; i < n; i++) {                                   \
            double a = x[i], b = y[i];                                     \
            r[i] = (expr);                                                 \
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
#define CMP(name, T, op)                                                   \
    static void name(uint8_t *R r, const T *R x, const T *R y, size_t n)   \
    {                                                                      \
        for (size_t i = 0; i < n; i++)                                     \
            r[i] = x[i] op y[i];                                           \
    }
CMP(k_eq_f64, double, ==)
CMP(k_ne_f64, double, !=)
CMP(k_lt_f64, double, <)
CMP(k_le_f64, double, <=)
CMP(k_gt_f64, double, >)
CMP(k_ge_f64, double, >=)
CMP(k_eq_i64, int64_t, ==)
CMP(k_ne_i64, int64_t, !=)
CMP(k_lt_i64, int64_t, <)
CMP(k_le_i64, int64_t, <=)
CMP(k_gt_i64, int64_t, >)
CMP(k_ge_i64, int64_t, >=)
CMP(k_eq_bool, uint8_t, ==)
CMP(k_ne_bool, uint8_t, !=)
CMP(k_and, uint8_t, &)
CMP(k_or, uint8_t, |)

static void k_not(uint8_t *R r, const uint8_t *R x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        r[i] = x[i] ^ 1;
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

/* ---- if: both sides computed, one chosen per row ---- */
static void k_select8(uint64_t *R r, const uint8_t *R c, const uint64_t *R a,
                      const uint64_t *R b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        r[i] = c[i] ? a[i] : b[i];
}
static void k_select1(uint8_t *R r, const uint8_t *R c, const uint8_t *R a,
                      const uint8_t *R b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        r[i] = c[i] ? a[i] : b[i];
}

/* ---- leaves and stores ---- */
static void k_fill8(uint64_t *R r, uint64_t v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        r[i] = v;
}
static void k_store_f64(double *R r, const double *R x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        r[i] = num_canon(x[i]);
}

#define FAULT_BIT(code) (UINT64_C(1) << (code))

/* One BK_OP instruction. Returns the fault bits (0: no lane faulted). */
static uint64_t run_op(const binstr *b, void *d, const void *const *s,
                       const mathfn_set *math, size_t n)
{
    const uint64_t ovf = FAULT_BIT(JC_INTEGER_OVERFLOW);
    int f64 = b->ktype == JC_F64, i64 = b->ktype == JC_I64;
    switch ((jc_op)b->op) {
    case OP_I64_TO_F64: k_i64_to_f64(d, s[0], n); return 0;
    case OP_BOOL_TO_I64: k_bool_to_i64(d, s[0], n); return 0;
    case OP_BOOL_TO_F64: k_bool_to_f64(d, s[0], n); return 0;
    case OP_F64_TO_I64:
        return k_f64_to_i64(d, s[0], n) ? FAULT_BIT(JC_INVALID_CAST) : 0;
    case OP_NEG:
        if (f64) { k_neg_f64(d, s[0], n); return 0; }
        return k_neg_i64(d, s[0], n) ? ovf : 0;
    case OP_NOT: k_not(d, s[0], n); return 0;
    case OP_ADD:
        if (f64) { k_add_f64(d, s[0], s[1], n); return 0; }
        return k_add_i64(d, s[0], s[1], n) ? ovf : 0;
    case OP_SUB:
        if (f64) { k_sub_f64(d, s[0], s[1], n); return 0; }
        return k_sub_i64(d, s[0], s[1], n) ? ovf : 0;
    case OP_MUL:
        if (f64) { k_mul_f64(d, s[0], s[1], n); return 0; }
        return k_mul_i64(d, s[0], s[1], n) ? ovf : 0;
    case OP_DIV: k_div_f64(d, s[0], s[1], n); return 0;
    case OP_IDIV:
        if (f64) { k_idiv_f64(d, s[0], s[1], n); return 0; }
        return k_idiv_i64(d, s[0], s[1], n)
                   ? FAULT_BIT(JC_DIVISION_BY_ZERO) | ovf : 0;
    case OP_MOD:
        if (f64) { k_mod_f64(d, s[0], s[1], n); return 0; }
        return k_mod_i64(d, s[0], s[1], n) ? FAULT_BIT(JC_DIVISION_BY_ZERO) : 0;
    case OP_EQ:
        if (f64) k_eq_f64(d, s[0], s[1], n);
        else if (i64) k_eq_i64(d, s[0], s[1], n);
        else k_eq_bool(d, s[0], s[1], n);
        return 0;
    case OP_NE:
        if (f64) k_ne_f64(d, s[0], s[1], n);
        else if (i64) k_ne_i64(d, s[0], s[1], n);
        else k_ne_bool(d, s[0], s[1], n);
        return 0;
    case OP_LT: if (f64) k_lt_f64(d, s[0], s[1], n); else k_lt_i64(d, s[0], s[1], n); return 0;
    case OP_LE: if (f64) k_le_f64(d, s[0], s[1], n); else k_le_i64(d, s[0], s[1], n); return 0;
    case OP_GT: if (f64) k_gt_f64(d, s[0], s[1], n); else k_gt_i64(d, s[0], s[1], n); return 0;
    case OP_GE: if (f64) k_ge_f64(d, s[0], s[1], n); else k_ge_i64(d, s[0], s[1], n); return 0;
    case OP_AND: k_and(d, s[0], s[1], n); return 0;
    case OP_OR: k_or(d, s[0], s[1], n); return 0;
    case OP_ABS:
        if (f64) { k_abs_f64(d, s[0], n); return 0; }
        return k_abs_i64(d, s[0], n) ? ovf : 0;
    case OP_SIGN:
        if (f64) k_sign_f64(d, s[0], n); else k_sign_i64(d, s[0], n);
        return 0;
    case OP_SQRT: k_sqrt_f64(d, s[0], n); return 0;
    case OP_FMOD: k_fmod_f64(d, s[0], s[1], n); return 0;
    case OP_FLOOR: k_floor_f64(d, s[0], n); return 0;
    case OP_CEIL: k_ceil_f64(d, s[0], n); return 0;
    case OP_TRUNC: k_trunc_f64(d, s[0], n); return 0;
    case OP_ROUND: k_round_f64(d, s[0], n); return 0;
    case OP_ROUND2: k_round2(d, s[0], s[1], n); return 0;
    case OP_LEAST:
        if (f64) k_least_f64(d, s[0], s[1], n); else k_least_i64(d, s[0], s[1], n);
        return 0;
    case OP_GREATEST:
        if (f64) k_greatest_f64(d, s[0], s[1], n); else k_greatest_i64(d, s[0], s[1], n);
        return 0;
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

uint64_t BLOCK_EXEC(const pass_plan *plan, void *const *bufs,
                    const jc_block_io *io, const mathfn_set *math, size_t row,
                    size_t n, size_t out_row)
{
    for (uint32_t i = 0; i < plan->nbi; i++) {
        const binstr *b = &plan->bi[i];
        const void *s[3] = {0};
        for (unsigned k = 0; k < b->nsrc; k++) {
            uint32_t ref = b->src[k];
            s[k] = (ref & REF_COLUMN)
                       ? (const char *)io->cols[ref & ~REF_COLUMN] +
                             row * type_size(b->stype[k])
                       : bufs[ref];
        }
        switch (b->kind) {
        case BK_FILL:
            if (b->type == JC_BOOL)
                memset(bufs[b->dst], io->scalars[b->src[0]] != 0, n);
            else
                k_fill8(bufs[b->dst], io->scalars[b->src[0]], n);
            break;
        case BK_STORE: {
            char *out = (char *)io->outs[b->dst] + out_row * type_size(b->type);
            if (b->type == JC_F64)
                k_store_f64((double *)out, s[0], n);
            else
                memcpy(out, s[0], n * type_size(b->type));
            break;
        }
        default: {
            uint64_t fault = run_op(b, bufs[b->dst], s, math, n);
            if (fault) /* the block is re-run precisely: stop here */
                return fault;
        }
        }
    }
    return 0;
}
