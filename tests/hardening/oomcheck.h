/*
 * oomcheck.h — out-of-memory sweeps with util/mem.h's failing allocator.
 *
 * For n = 0, 1, 2, ...: set up (allocations work), arm mem_fail_after(n),
 * make the call (its (n+1)-th allocation and every later one fail), disarm,
 * check the outcome, tear down — until a call runs without meeting a
 * failed allocation. Each call must end in success (the right answer) or
 * a clean out-of-memory error, never another error, a crash or a leak
 * (glibc's count of bytes in use must be back where it was after the
 * teardown; under ASan, LeakSanitizer checks the same at exit).
 */
#ifndef JC_TESTS_HARDENING_OOMCHECK_H
#define JC_TESTS_HARDENING_OOMCHECK_H

#include <stddef.h>

#include "jitcalc.h"

/* What a call reports. */
enum oom_outcome {
    OOM_DONE = 0,    /* it did its job (or gave the error it gives unarmed) */
    OOM_REPORTED = 1, /* it reported out of memory, cleanly */
    OOM_WRONG = -1   /* anything else: a bug (the callback says what) */
};

typedef struct oom_case {
    const char *name;          /* for messages */
    void *ctx;
    int (*setup)(void *ctx);   /* 0 or -1; allocations work */
    enum oom_outcome (*call)(void *ctx, char *why, size_t whylen); /* armed */
    void (*teardown)(void *ctx);
} oom_case;

/* Call first in main: glibc's per-thread cache (tcache) holds freed
 * blocks that its statistics still count as in use, so the leak check is
 * exact only with the cache off. Unless GLIBC_TUNABLES already turns it
 * off (as ctest does), the program re-executes itself with it off. */
void oom_init(char **argv);

/* Runs the sweep. Returns the number of allocations the call makes
 * (the n at which it first ran without a failure), or -1 after printing
 * what went wrong. max_n bounds the sweep. */
long oom_sweep(const oom_case *c, long max_n);

/* Bytes in use by malloc (glibc's main arena plus mmapped chunks). */
size_t oom_bytes_in_use(void);

/* 1 when two results have the same type, shape, nullness and bits. */
int oom_same_result(const jc_result *a, const jc_result *b);

#endif /* JC_TESTS_HARDENING_OOMCHECK_H */
