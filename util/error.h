/*
 * error.h — filling a jc_error (include/jitcalc.h) with words and a place.
 */
#ifndef JC_UTIL_ERROR_H
#define JC_UTIL_ERROR_H

#include <stdint.h>

#include "jitcalc.h"

/* Sets every field of *err (err may be NULL) and returns -1, so that a
 * failing function can `return error_set(...)`. position 0 = none,
 * row -1 = none. */
int error_set(jc_error *err, jc_code code, int64_t position, int64_t row,
              const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Resets *err to JC_OK with no position, no row and an empty message.
 * Inline: every run call starts with it. */
static inline void error_clear(jc_error *err)
{
    if (!err)
        return;
    err->code = JC_OK;
    err->position = 0;
    err->row = -1;
    err->message[0] = '\0';
}

#endif /* JC_UTIL_ERROR_H */
