/* error.c — error values and the stable names of codes and types. */
#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int error_set(jc_error *err, jc_code code, int64_t position, int64_t row,
              const char *fmt, ...)
{
    if (!err)
        return -1;
    err->code = code;
    err->position = position;
    err->row = row;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return -1;
}

const char *jc_code_name(jc_code code)
{
    switch (code) {
    case JC_OK: return "ok";
    case JC_PARSE_ERROR: return "parse_error";
    case JC_TYPE_ERROR: return "type_error";
    case JC_UNKNOWN_COLUMN: return "unknown_column";
    case JC_UNKNOWN_FUNCTION: return "unknown_function";
    case JC_INTEGER_OVERFLOW: return "integer_overflow";
    case JC_DIVISION_BY_ZERO: return "division_by_zero";
    case JC_INVALID_CAST: return "invalid_cast";
    case JC_LENGTH_MISMATCH: return "length_mismatch";
    case JC_LIMIT_EXCEEDED: return "limit_exceeded";
    case JC_OUT_OF_MEMORY: return "out_of_memory";
    case JC_INVALID_ARGUMENT: return "invalid_argument";
    case JC_INTERNAL: return "internal";
    }
    return "internal";
}

const char *jc_type_name(jc_type type)
{
    switch (type) {
    case JC_F64: return "f64";
    case JC_I64: return "i64";
    case JC_BOOL: return "bool";
    }
    return "unknown";
}
