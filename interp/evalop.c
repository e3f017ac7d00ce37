/* evalop.c — one operation on scalar values (evalop.h). */
#include "interp/evalop.h"

#include <math.h>

#include "interp/mathfn.h"
#include "interp/numeric.h"

/* Comparisons: NaN compares false except for != (IEEE, as C does). */
#define COMPARE(cmp)                                                      \
    do {                                                                  \
        if (ktype == JC_F64)                                              \
            out->i = a.f cmp b.f;                                         \
        else /* i64, and bool 0/1 for == and != */                        \
            out->i = a.i cmp b.i;                                         \
        return JC_OK;                                                     \
    } while (0)

static jc_code eval_i64(jc_op op, jc_value a, jc_value b, jc_value *out)
{
    uint64_t fault = 0;
    switch (op) {
    case OP_NEG: out->i = num_neg_i64(a.i, &fault); break;
    case OP_ABS: out->i = num_abs_i64(a.i, &fault); break;
    case OP_ADD: out->i = num_add_i64(a.i, b.i, &fault); break;
    case OP_SUB: out->i = num_sub_i64(a.i, b.i, &fault); break;
    case OP_MUL: out->i = num_mul_i64(a.i, b.i, &fault); break;
    case OP_IDIV:
        out->i = num_idiv_i64(a.i, b.i, &fault);
        if (fault)
            return num_idiv_is_overflow(a.i, b.i) ? JC_INTEGER_OVERFLOW
                                                  : JC_DIVISION_BY_ZERO;
        return JC_OK;
    case OP_MOD:
        out->i = num_mod_i64(a.i, b.i, &fault);
        return fault ? JC_DIVISION_BY_ZERO : JC_OK;
    case OP_SIGN: out->i = num_sign_i64(a.i); break;
    case OP_LEAST: out->i = num_least_i64(a.i, b.i); break;
    case OP_GREATEST: out->i = num_greatest_i64(a.i, b.i); break;
    default: return JC_INTERNAL;
    }
    return fault ? JC_INTEGER_OVERFLOW : JC_OK;
}

static jc_code eval_f64(jc_op op, jc_value a, jc_value b, jc_value *out)
{
    double x = a.f, y = b.f;
    int id = mathfn_of_op(op);
    if (id >= MF_NUNARY) {
        out->f = mathfn2((enum mathfn_id)id, x, y);
        return JC_OK;
    }
    if (id >= 0) {
        out->f = mathfn1((enum mathfn_id)id, x);
        return JC_OK;
    }
    switch (op) {
    case OP_NEG: out->f = -x; break;
    case OP_ABS: out->f = fabs(x); break;
    case OP_ADD: out->f = x + y; break;
    case OP_SUB: out->f = x - y; break;
    case OP_MUL: out->f = x * y; break;
    case OP_DIV: out->f = x / y; break;
    case OP_IDIV: out->f = num_idiv_f64(x, y); break;
    case OP_MOD: out->f = num_mod_f64(x, y); break;
    case OP_FMOD: out->f = fmod(x, y); break;
    case OP_SIGN: out->f = num_sign_f64(x); break;
    case OP_SQRT: out->f = sqrt(x); break;
    case OP_FLOOR: out->f = floor(x); break;
    case OP_CEIL: out->f = ceil(x); break;
    case OP_TRUNC: out->f = trunc(x); break;
    case OP_ROUND: out->f = num_round(x); break;
    case OP_LEAST: out->f = num_least_f64(x, y); break;
    case OP_GREATEST: out->f = num_greatest_f64(x, y); break;
    default: return JC_INTERNAL;
    }
    return JC_OK;
}

jc_code eval_op(jc_op op, jc_type type, jc_type ktype, const jc_value *args,
                jc_value *out)
{
    jc_value a = args[0], b = {0};
    uint64_t fault = 0;
    switch (op) {
    /* conversions */
    case OP_I64_TO_F64: out->f = (double)a.i; return JC_OK;
    case OP_BOOL_TO_I64: out->i = a.i != 0; return JC_OK;
    case OP_BOOL_TO_F64: out->f = a.i != 0 ? 1.0 : 0.0; return JC_OK;
    case OP_F64_TO_I64:
        out->i = num_f64_to_i64(a.f, &fault);
        return fault ? JC_INVALID_CAST : JC_OK;
    /* bools */
    case OP_NOT: out->i = !a.i; return JC_OK;
    case OP_AND: out->i = a.i && args[1].i; return JC_OK;
    case OP_OR: out->i = a.i || args[1].i; return JC_OK;
    case OP_IF: *out = a.i ? args[1] : args[2]; return JC_OK;
    /* f64 predicates */
    case OP_ISNAN: out->i = isnan(a.f) != 0; return JC_OK;
    case OP_ISINF: out->i = isinf(a.f) != 0; return JC_OK;
    case OP_ISFINITE: out->i = isfinite(a.f) != 0; return JC_OK;
    case OP_ROUND2: out->f = num_round2(a.f, args[1].i); return JC_OK;
    default: break;
    }
    switch (op) {
    case OP_EQ: b = args[1]; COMPARE(==);
    case OP_NE: b = args[1]; COMPARE(!=);
    case OP_LT: b = args[1]; COMPARE(<);
    case OP_LE: b = args[1]; COMPARE(<=);
    case OP_GT: b = args[1]; COMPARE(>);
    case OP_GE: b = args[1]; COMPARE(>=);
    default: break;
    }
    char kind = op_kind(op);
    if (kind == 'b' || op == OP_ATAN2 || op == OP_HYPOT || op == OP_FMOD ||
        op == OP_LEAST || op == OP_GREATEST)
        b = args[1];
    if (type == JC_I64 && ktype == JC_I64)
        return eval_i64(op, a, b, out);
    if (type == JC_F64 && ktype == JC_F64)
        return eval_f64(op, a, b, out);
    return JC_INTERNAL;
}
