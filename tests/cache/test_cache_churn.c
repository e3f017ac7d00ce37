/* test_cache_churn.c — a million distinct keys through a small cache: the
 * values alive and the cache's own heap stay bounded. (The engine-level test
 * of mapped code memory comes with the JIT's code pool.) */
#include <malloc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "values.h"

#define CHURN_KEYS 1000000u
#define MAX_ENTRIES 256u
#define MAX_BYTES (64u * 1024u)

/* Bytes the process has malloc'ed, large (mmap'ed) blocks included. */
static size_t heap_in_use(void)
{
    struct mallinfo2 m = mallinfo2();
    return m.uordblks + m.hblkhd;
}

static void test_a_million_distinct_keys_keep_memory_bounded(void **state)
{
    (void)state;
    reset_counts();
    cache *c = cache_new(MAX_ENTRIES, MAX_BYTES, test_value_free);
    long most_live = 0;
    size_t heap_after_warmup = 0;
    for (unsigned id = 0; id < CHURN_KEYS; id++) {
        char key[64];
        size_t len = key_text(key, sizeof key, id);
        build_ctx ctx = {.id = id, .bytes = 100 + id % 500};
        jc_error err;
        cache_entry *e = cache_get(c, key, len, build_value, &ctx, NULL, &err);
        assert_non_null(e);
        cache_release(c, e);
        long live = atomic_load(&live_values);
        if (live > most_live)
            most_live = live;
        if (id == CHURN_KEYS / 10)
            heap_after_warmup = heap_in_use();
    }
    assert_true(most_live <= (long)MAX_ENTRIES);

    /* Table and entries are recycled: the heap does not grow with the keys
     * seen (ASan's allocator reports 0 here, which proves nothing but does
     * not fail). */
    size_t heap_at_end = heap_in_use();
    assert_true(heap_at_end <= heap_after_warmup + 64 * 1024);

    cache_stats s;
    cache_get_stats(c, &s);
    assert_true(s.entries <= MAX_ENTRIES);
    assert_true(s.bytes <= MAX_BYTES);
    assert_int_equal(s.misses, CHURN_KEYS);
    assert_int_equal(s.evictions, CHURN_KEYS - s.entries);
    assert_int_equal(atomic_load(&live_values), (long)s.entries);
    cache_free(c);
    assert_int_equal(atomic_load(&live_values), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_million_distinct_keys_keep_memory_bounded),
    };
    return cmocka_run_group_tests_name("cache_churn", tests, NULL, NULL);
}
