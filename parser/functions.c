/* functions.c — the function names of the language and their arities.
 * Names resolve at parse time, case-insensitively; aliases map to the op
 * they mean (log is base 10, mean is avg, pow is ^). */
#include "parser/internal.h"

#include <string.h>
#include <strings.h>

static const func_info funcs[] = {
    {"abs", OP_ABS, 1, 1},
    {"sign", OP_SIGN, 1, 1},
    {"sqrt", OP_SQRT, 1, 1},
    {"cbrt", OP_CBRT, 1, 1},
    {"exp", OP_EXP, 1, 1},
    {"expm1", OP_EXPM1, 1, 1},
    {"ln", OP_LN, 1, 1},
    {"log", OP_LOG10, 1, 1},
    {"log10", OP_LOG10, 1, 1},
    {"log2", OP_LOG2, 1, 1},
    {"log1p", OP_LOG1P, 1, 1},
    {"sin", OP_SIN, 1, 1},
    {"cos", OP_COS, 1, 1},
    {"tan", OP_TAN, 1, 1},
    {"asin", OP_ASIN, 1, 1},
    {"acos", OP_ACOS, 1, 1},
    {"atan", OP_ATAN, 1, 1},
    {"sinh", OP_SINH, 1, 1},
    {"cosh", OP_COSH, 1, 1},
    {"tanh", OP_TANH, 1, 1},
    {"atan2", OP_ATAN2, 2, 2},
    {"hypot", OP_HYPOT, 2, 2},
    {"fmod", OP_FMOD, 2, 2},
    {"pow", OP_POW, 2, 2},
    {"floor", OP_FLOOR, 1, 1},
    {"ceil", OP_CEIL, 1, 1},
    {"trunc", OP_TRUNC, 1, 1},
    {"round", OP_ROUND, 1, 2}, /* two arguments: OP_ROUND2 */
    {"least", OP_LEAST, 1, FUNC_VARIADIC},
    {"greatest", OP_GREATEST, 1, FUNC_VARIADIC},
    {"clamp", OP_CLAMP, 3, 3},
    {"if", OP_IF, 3, 3},
    {"isnan", OP_ISNAN, 1, 1},
    {"isinf", OP_ISINF, 1, 1},
    {"isfinite", OP_ISFINITE, 1, 1},
    {"float", OP_FLOAT, 1, 1},
    {"int", OP_INT, 1, 1},
    {"pi", OP_PI, 0, 0},
    {"e", OP_E, 0, 0},
    {"sum", OP_SUM, 1, 1},
    {"avg", OP_AVG, 1, 1},
    {"mean", OP_AVG, 1, 1},
    {"min", OP_MIN, 1, 1},
    {"max", OP_MAX, 1, 1},
    {"count", OP_COUNT, 0, 0},
};

const func_info *func_lookup(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof funcs / sizeof *funcs; i++)
        if (strlen(funcs[i].name) == len &&
            strncasecmp(funcs[i].name, name, len) == 0)
            return &funcs[i];
    return NULL;
}
