/* proto.c — protocol errors (see proto.h). */
#include "server/proto.h"

#include <stdarg.h>
#include <stdio.h>

int perr_set(perr *e, const char *code, const char *fmt, ...)
{
    e->code = code;
    e->position = 0;
    e->row = -1;
    e->expr = -1;
    e->in_where = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    return -1;
}

int perr_from_jc(perr *e, const jc_error *err)
{
    perr_set(e, jc_code_name(err->code), "%s", err->message);
    e->position = err->position > 0 ? err->position : 0;
    e->row = err->row >= 0 ? err->row : -1;
    return -1;
}
