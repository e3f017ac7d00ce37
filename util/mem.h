/*
 * mem.h — the one allocator every part of libjitcalc uses.
 *
 * It exists so that out-of-memory paths can be tested (SQLite's habit): a
 * test arms mem_fail_after(n) and the (n+1)-th allocation on that thread
 * fails. The countdown is thread-local, so it only ever affects the test
 * thread that armed it; it does not change any result otherwise.
 */
#ifndef JC_UTIL_MEM_H
#define JC_UTIL_MEM_H

#include <stddef.h>

/* `malloc`: new memory aliases nothing, which lets the compiler keep
 * values in registers across stores into it. */
__attribute__((malloc)) void *mem_alloc(size_t size);
__attribute__((malloc)) void *mem_calloc(size_t count, size_t size);
void *mem_realloc(void *ptr, size_t size);
void mem_free(void *ptr);
char *mem_strndup(const char *s, size_t n);

/* Test hook: after n more successful allocations on this thread, every
 * allocation fails until mem_fail_after(-1). */
void mem_fail_after(long n);

#endif /* JC_UTIL_MEM_H */
