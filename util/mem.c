/* mem.c — allocation with a per-thread failure-injection hook (see mem.h). */
#include "util/mem.h"

#include <stdlib.h>
#include <string.h>

static _Thread_local long allocations_left = -1;

void mem_fail_after(long n) { allocations_left = n; }

/* True when the test hook says this allocation must fail. */
static int injected_failure(void)
{
    if (allocations_left < 0)
        return 0;
    if (allocations_left == 0)
        return 1;
    allocations_left--;
    return 0;
}

void *mem_alloc(size_t size)
{
    if (injected_failure())
        return NULL;
    return malloc(size ? size : 1);
}

void *mem_calloc(size_t count, size_t size)
{
    if (injected_failure())
        return NULL;
    return calloc(count ? count : 1, size ? size : 1);
}

void *mem_realloc(void *ptr, size_t size)
{
    if (injected_failure())
        return NULL;
    return realloc(ptr, size ? size : 1);
}

void mem_free(void *ptr) { free(ptr); }

char *mem_strndup(const char *s, size_t n)
{
    char *copy = mem_alloc(n + 1);
    if (!copy)
        return NULL;
    memcpy(copy, s, n);
    copy[n] = '\0';
    return copy;
}
