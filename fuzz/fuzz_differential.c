/*
 * fuzz_differential.c — libFuzzer harness: bytes -> a well-typed expression
 * and small columns (rpn.h) -> the JIT and the interpreter must agree bit
 * for bit (diffcheck.h). A difference aborts with both answers on stderr.
 */
#include <stdio.h>
#include <stdlib.h>

#include "diffcheck.h"
#include "rpn.h"

static diff_engines engines;
static int ready;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ready) {
        jc_error err;
        if (diff_open(&engines, NULL, 1, &err) != 0) {
            fprintf(stderr, "fuzz_differential: no engine: %s\n", err.message);
            abort();
        }
        ready = 1;
    }
    rpn_case c;
    if (rpn_decode(data, size, &c) != 0)
        return 0; /* out of memory in the harness itself */
    char msg[512];
    if (diff_check(&engines, c.expr, c.cols, RPN_NCOLS, c.nrows, msg, sizeof msg, NULL)) {
        fprintf(stderr, "fuzz_differential: JIT and interpreter differ\n  expr: %s\n"
                        "  rows: %zu\n  %s\n", c.expr, c.nrows, msg);
        abort();
    }
    rpn_case_free(&c);
    return 0;
}
