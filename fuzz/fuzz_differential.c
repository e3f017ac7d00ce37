/*
 * fuzz_differential.c — libFuzzer harness: bytes -> a well-typed expression
 * and small columns (rpn.h) -> the JIT and the interpreter must agree bit
 * for bit (diffcheck.h). A difference aborts with both answers on stderr.
 *
 * Every instruction set the machine has gets its own JIT engine (sse2,
 * avx2, avx512, or just "auto" where those are not known); the input's
 * last byte picks which one runs it, so one fuzzing run covers them all.
 * $JITCALC_ISA, when set, pins them all to one set.
 */
#include <stdio.h>
#include <stdlib.h>

#include "diffcheck.h"
#include "rpn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static diff_engines engines[4];
static const char *names[4];
static size_t nengines;

static void open_engines(void)
{
    static const char *const isas[] = {"sse2", "avx2", "avx512"};
    jc_error err;
    const char *pinned = getenv("JITCALC_ISA");
    for (size_t i = 0; i < 3 && !(pinned && *pinned); i++)
        if (diff_open(&engines[nengines], isas[i], 1, &err) == 0)
            names[nengines++] = isas[i];
    if (nengines == 0) {
        if (diff_open(&engines[0], NULL, 1, &err) != 0) {
            fprintf(stderr, "fuzz_differential: no engine: %s\n", err.message);
            abort();
        }
        names[nengines++] = "auto";
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (nengines == 0)
        open_engines();
    size_t which = size ? data[size - 1] % nengines : 0;
    rpn_case c;
    if (rpn_decode(data, size, &c) != 0)
        return 0; /* out of memory in the harness itself */
    char msg[512];
    if (diff_check(&engines[which], c.expr, c.cols, RPN_NCOLS, c.nrows, msg, sizeof msg,
                   NULL)) {
        fprintf(stderr, "fuzz_differential: JIT (%s) and interpreter differ\n  expr: %s\n"
                        "  rows: %zu\n  %s\n", names[which], c.expr, c.nrows, msg);
        abort();
    }
    rpn_case_free(&c);
    return 0;
}
