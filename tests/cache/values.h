/*
 * values.h — counted test values for the cache tests: every build and every
 * free is counted, so a test can say how many values are alive and how many
 * times each key was built.
 */
#ifndef JC_TESTS_CACHE_VALUES_H
#define JC_TESTS_CACHE_VALUES_H

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache/cache.h"
#include "util/error.h"

typedef struct test_value {
    unsigned id; /* the key's number */
    size_t bytes;
} test_value;

static atomic_long live_values;  /* built and not yet freed */
static atomic_long freed_values; /* freed so far */

static void test_value_free(void *v)
{
    atomic_fetch_sub(&live_values, 1);
    atomic_fetch_add(&freed_values, 1);
    free(v);
}

/* What build_value builds: the value for key `id`, of `bytes` bytes. */
typedef struct build_ctx {
    unsigned id;
    size_t bytes;
    int fail;              /* 1: the build fails with JC_LIMIT_EXCEEDED */
    int fail_silently;     /* 1: the build fails without filling err */
    atomic_int *builds;    /* incremented on every build, may be NULL */
} build_ctx;

static int build_value(void *ctx, void **value, size_t *bytes, jc_error *err)
{
    build_ctx *b = ctx;
    if (b->builds)
        atomic_fetch_add(b->builds, 1);
    if (b->fail_silently)
        return -1;
    if (b->fail)
        return error_set(err, JC_LIMIT_EXCEEDED, 0, -1, "no room for key %u", b->id);
    test_value *v = malloc(sizeof *v);
    if (!v)
        return error_set(err, JC_OUT_OF_MEMORY, 0, -1, "test value");
    v->id = b->id;
    v->bytes = b->bytes;
    atomic_fetch_add(&live_values, 1);
    *value = v;
    *bytes = b->bytes;
    return 0;
}

/* The key text of key number id. */
static size_t key_text(char *buf, size_t size, unsigned id)
{
    return (size_t)snprintf(buf, size, "(a + %u) * b|f64,f64|avx512", id);
}

static void reset_counts(void)
{
    atomic_store(&live_values, 0);
    atomic_store(&freed_values, 0);
}

#endif /* JC_TESTS_CACHE_VALUES_H */
