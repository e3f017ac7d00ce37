/* functions.c — the function names of the language and their arities.
 * Names resolve at parse time, case-insensitively; aliases map to the op
 * they mean (log is base 10, mean is avg, pow is ^). */
#include "parser/internal.h"

#include <string.h>
#include <strings.h>

/* The length is measured by the compiler: the lookup compares it first. */
#define F(name, op, min_args, max_args) {name, sizeof name - 1, op, min_args, max_args}

static const func_info funcs[] = {
    F("abs", OP_ABS, 1, 1),
    F("sign", OP_SIGN, 1, 1),
    F("sqrt", OP_SQRT, 1, 1),
    F("cbrt", OP_CBRT, 1, 1),
    F("exp", OP_EXP, 1, 1),
    F("expm1", OP_EXPM1, 1, 1),
    F("ln", OP_LN, 1, 1),
    F("log", OP_LOG10, 1, 1),
    F("log10", OP_LOG10, 1, 1),
    F("log2", OP_LOG2, 1, 1),
    F("log1p", OP_LOG1P, 1, 1),
    F("sin", OP_SIN, 1, 1),
    F("cos", OP_COS, 1, 1),
    F("tan", OP_TAN, 1, 1),
    F("asin", OP_ASIN, 1, 1),
    F("acos", OP_ACOS, 1, 1),
    F("atan", OP_ATAN, 1, 1),
    F("sinh", OP_SINH, 1, 1),
    F("cosh", OP_COSH, 1, 1),
    F("tanh", OP_TANH, 1, 1),
    F("atan2", OP_ATAN2, 2, 2),
    F("hypot", OP_HYPOT, 2, 2),
    F("fmod", OP_FMOD, 2, 2),
    F("pow", OP_POW, 2, 2),
    F("floor", OP_FLOOR, 1, 1),
    F("ceil", OP_CEIL, 1, 1),
    F("trunc", OP_TRUNC, 1, 1),
    F("round", OP_ROUND, 1, 2), /* two arguments: OP_ROUND2 */
    F("least", OP_LEAST, 1, FUNC_VARIADIC),
    F("greatest", OP_GREATEST, 1, FUNC_VARIADIC),
    F("clamp", OP_CLAMP, 3, 3),
    F("if", OP_IF, 3, 3),
    F("isnan", OP_ISNAN, 1, 1),
    F("isinf", OP_ISINF, 1, 1),
    F("isfinite", OP_ISFINITE, 1, 1),
    F("float", OP_FLOAT, 1, 1),
    F("int", OP_INT, 1, 1),
    F("pi", OP_PI, 0, 0),
    F("e", OP_E, 0, 0),
    F("sum", OP_SUM, 1, 1),
    F("avg", OP_AVG, 1, 1),
    F("mean", OP_AVG, 1, 1),
    F("min", OP_MIN, 1, 1),
    F("max", OP_MAX, 1, 1),
    F("count", OP_COUNT, 0, 0),
};

const func_info *func_lookup(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof funcs / sizeof *funcs; i++)
        if (funcs[i].len == len && strncasecmp(funcs[i].name, name, len) == 0)
            return &funcs[i];
    return NULL;
}
