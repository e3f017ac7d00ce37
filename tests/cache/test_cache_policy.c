/* test_cache_policy.c — single-threaded behaviour of the cache: hits and
 * misses, LRU order, the count and byte bounds, whole-key comparison, the
 * disabled cache, and failures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "util/mem.h"
#include "values.h"

static atomic_int builds;

/* Gets key id (value of `bytes` bytes) and checks it is that key's value. */
static cache_entry *get_key(cache *c, unsigned id, size_t bytes, int *hit)
{
    char key[64];
    size_t len = key_text(key, sizeof key, id);
    build_ctx ctx = {.id = id, .bytes = bytes, .builds = &builds};
    jc_error err;
    cache_entry *e = cache_get(c, key, len, build_value, &ctx, hit, &err);
    assert_non_null(e);
    assert_int_equal(((test_value *)cache_entry_value(e))->id, id);
    return e;
}

/* 1 when key id is kept (a probe is a get, so it also counts as a use). */
static int is_kept(cache *c, unsigned id)
{
    int hit;
    cache_release(c, get_key(c, id, 10, &hit));
    return hit;
}

static cache_stats stats_of(cache *c)
{
    cache_stats s;
    cache_get_stats(c, &s);
    return s;
}

static int setup(void **state)
{
    (void)state;
    reset_counts();
    atomic_store(&builds, 0);
    return 0;
}

static void test_miss_builds_and_hit_returns_the_same_value(void **state)
{
    (void)state;
    cache *c = cache_new(8, 1000, test_value_free);
    int hit = -1;
    cache_entry *e1 = get_key(c, 1, 10, &hit);
    assert_int_equal(hit, 0);
    cache_entry *e2 = get_key(c, 1, 10, &hit);
    assert_int_equal(hit, 1);
    assert_ptr_equal(cache_entry_value(e1), cache_entry_value(e2));
    assert_int_equal(atomic_load(&builds), 1);

    cache_stats s = stats_of(c);
    assert_int_equal(s.entries, 1);
    assert_int_equal(s.bytes, 10);
    assert_int_equal(s.hits, 1);
    assert_int_equal(s.misses, 1);
    assert_int_equal(s.evictions, 0);
    cache_release(c, e1);
    cache_release(c, e2);
    assert_int_equal(atomic_load(&live_values), 1); /* still kept */
    cache_free(c);
    assert_int_equal(atomic_load(&live_values), 0);
}

static void test_lru_evicts_the_least_recently_used(void **state)
{
    (void)state;
    cache *c = cache_new(3, 1000, test_value_free);
    int hit;
    for (unsigned id = 1; id <= 3; id++)
        cache_release(c, get_key(c, id, 10, &hit));
    cache_release(c, get_key(c, 1, 10, &hit)); /* order, most recent first: 1 3 2 */
    assert_int_equal(hit, 1);
    cache_release(c, get_key(c, 4, 10, &hit)); /* evicts 2: 4 1 3 */
    assert_int_equal(hit, 0);
    assert_int_equal(stats_of(c).evictions, 1);
    assert_int_equal(atomic_load(&freed_values), 1);

    assert_true(is_kept(c, 3)); /* 3 4 1 */
    assert_true(is_kept(c, 1)); /* 1 3 4 */
    assert_true(is_kept(c, 4)); /* 4 1 3 */
    assert_false(is_kept(c, 2)); /* rebuilt, evicts 3: 2 4 1 */
    assert_false(is_kept(c, 3));
    assert_int_equal(stats_of(c).evictions, 3);
    assert_int_equal(stats_of(c).entries, 3);
    cache_free(c);
}

static void test_count_bound_keeps_at_most_max_entries(void **state)
{
    (void)state;
    cache *c = cache_new(4, 1000000, test_value_free);
    int hit;
    for (unsigned id = 0; id < 10; id++)
        cache_release(c, get_key(c, id, 10, &hit));
    cache_stats s = stats_of(c);
    assert_int_equal(s.entries, 4);
    assert_int_equal(s.bytes, 40);
    assert_int_equal(s.evictions, 6);
    assert_int_equal(atomic_load(&live_values), 4);
    for (unsigned id = 6; id < 10; id++)
        assert_true(is_kept(c, id));
    cache_free(c);
}

static void test_byte_bound_evicts_until_the_new_value_fits(void **state)
{
    (void)state;
    cache *c = cache_new(100, 100, test_value_free);
    int hit;
    cache_release(c, get_key(c, 1, 40, &hit));
    cache_release(c, get_key(c, 2, 40, &hit));
    assert_int_equal(stats_of(c).bytes, 80);
    cache_release(c, get_key(c, 3, 40, &hit)); /* 120 > 100: 1 goes */
    cache_stats s = stats_of(c);
    assert_int_equal(s.entries, 2);
    assert_int_equal(s.bytes, 80);
    assert_int_equal(s.evictions, 1);

    cache_release(c, get_key(c, 4, 100, &hit)); /* exactly the bound: all others go */
    s = stats_of(c);
    assert_int_equal(s.entries, 1);
    assert_int_equal(s.bytes, 100);
    assert_int_equal(s.evictions, 3);
    assert_int_equal(atomic_load(&live_values), 1);
    cache_free(c);
}

static void test_value_larger_than_max_bytes_is_returned_but_not_kept(void **state)
{
    (void)state;
    cache *c = cache_new(8, 100, test_value_free);
    int hit;
    cache_release(c, get_key(c, 1, 50, &hit));
    cache_entry *big = get_key(c, 2, 101, &hit);
    assert_int_equal(hit, 0);
    cache_stats s = stats_of(c);
    assert_int_equal(s.entries, 1); /* only key 1; nothing was evicted for it */
    assert_int_equal(s.bytes, 50);
    assert_int_equal(s.evictions, 0);
    assert_int_equal(atomic_load(&live_values), 2);
    cache_release(c, big);
    assert_int_equal(atomic_load(&live_values), 1);

    cache_release(c, get_key(c, 2, 101, &hit));
    assert_int_equal(hit, 0);
    assert_int_equal(atomic_load(&builds), 3);
    assert_true(is_kept(c, 1));
    cache_free(c);
}

/* Every key hashes to 42, so only the key comparison tells them apart. */
static uint64_t colliding_hash(const void *key, size_t len)
{
    (void)key;
    (void)len;
    return 42;
}

static void test_equal_hashes_are_told_apart_by_the_whole_key(void **state)
{
    (void)state;
    cache *c = cache_new(16, 1000, test_value_free);
    cache_set_hash_for_tests(c, colliding_hash);
    /* Same length differing in the last byte, a prefix, and the empty key. */
    const char *keys[] = {"a < 1", "a < 2", "a <", ""};
    for (int round = 0; round < 2; round++) {
        for (unsigned i = 0; i < 4; i++) {
            build_ctx ctx = {.id = i, .bytes = 1, .builds = &builds};
            int hit;
            jc_error err;
            cache_entry *e = cache_get(c, keys[i], strlen(keys[i]), build_value, &ctx, &hit, &err);
            assert_non_null(e);
            assert_int_equal(hit, round);
            assert_int_equal(((test_value *)cache_entry_value(e))->id, i);
            cache_release(c, e);
        }
    }
    assert_int_equal(atomic_load(&builds), 4);
    assert_int_equal(stats_of(c).entries, 4);
    cache_free(c);
}

static void test_max_entries_zero_builds_every_get_and_frees_at_release(void **state)
{
    (void)state;
    cache *c = cache_new(0, 1000, test_value_free);
    int hit1, hit2;
    cache_entry *e1 = get_key(c, 1, 10, &hit1);
    cache_entry *e2 = get_key(c, 1, 10, &hit2);
    assert_int_equal(hit1, 0);
    assert_int_equal(hit2, 0);
    assert_ptr_not_equal(cache_entry_value(e1), cache_entry_value(e2));
    assert_int_equal(atomic_load(&builds), 2);
    cache_stats s = stats_of(c);
    assert_int_equal(s.entries, 0);
    assert_int_equal(s.bytes, 0);
    assert_int_equal(s.misses, 2);
    assert_int_equal(atomic_load(&live_values), 2);
    cache_release(c, e1);
    assert_int_equal(atomic_load(&live_values), 1);
    cache_entry_retain(e2);
    cache_release(c, e2);
    assert_int_equal(atomic_load(&live_values), 1); /* the retained reference */
    cache_release(c, e2);
    assert_int_equal(atomic_load(&live_values), 0);
    cache_free(c);
}

static void test_failed_build_returns_its_error_and_is_not_cached(void **state)
{
    (void)state;
    cache *c = cache_new(8, 1000, test_value_free);
    char key[64];
    size_t len = key_text(key, sizeof key, 7);
    build_ctx ctx = {.id = 7, .bytes = 10, .fail = 1, .builds = &builds};
    jc_error err;
    int hit = -1;
    assert_null(cache_get(c, key, len, build_value, &ctx, &hit, &err));
    assert_int_equal(hit, 0);
    assert_int_equal(err.code, JC_LIMIT_EXCEEDED);
    assert_string_equal(err.message, "no room for key 7");
    cache_stats s = stats_of(c);
    assert_int_equal(s.entries, 0);
    assert_int_equal(s.misses, 1);

    ctx.fail = 0; /* the next get builds again, and this time succeeds */
    cache_entry *e = cache_get(c, key, len, build_value, &ctx, &hit, &err);
    assert_non_null(e);
    assert_int_equal(hit, 0);
    assert_int_equal(atomic_load(&builds), 2);
    cache_release(c, e);
    cache_free(c);
    assert_int_equal(atomic_load(&live_values), 0);
}

static void test_failed_build_without_an_error_is_internal(void **state)
{
    (void)state;
    cache *c = cache_new(8, 1000, test_value_free);
    build_ctx ctx = {.id = 1, .fail_silently = 1};
    jc_error err;
    assert_null(cache_get(c, "k", 1, build_value, &ctx, NULL, &err));
    assert_int_equal(err.code, JC_INTERNAL);
    assert_null(cache_get(c, "k", 1, build_value, &ctx, NULL, NULL)); /* err may be NULL */
    cache_free(c);
}

static void test_out_of_memory_for_an_entry_is_an_error(void **state)
{
    (void)state;
    cache *c = cache_new(8, 1000, test_value_free);
    build_ctx ctx = {.id = 1, .bytes = 1, .builds = &builds};
    jc_error err;
    mem_fail_after(0);
    cache_entry *e = cache_get(c, "k", 1, build_value, &ctx, NULL, &err);
    mem_fail_after(-1);
    assert_null(e);
    assert_int_equal(err.code, JC_OUT_OF_MEMORY);
    assert_int_equal(atomic_load(&builds), 0);
    cache_free(c);

    mem_fail_after(0);
    assert_null(cache_new(8, 1000, test_value_free));
    mem_fail_after(1); /* the cache, not its table */
    assert_null(cache_new(8, 1000, test_value_free));
    mem_fail_after(-1);
}

static void test_table_that_cannot_grow_still_finds_every_key(void **state)
{
    (void)state;
    cache *c = cache_new(64, 100000, test_value_free);
    int hit;
    for (unsigned id = 0; id < 40; id++) {
        /* The table starts at 16 buckets: from the 17th key on, each insert
         * tries to grow it, and the allocation after the entry's fails. */
        mem_fail_after(id >= 16 ? 1 : -1);
        cache_entry *e = get_key(c, id, 10, &hit);
        mem_fail_after(-1);
        assert_int_equal(hit, 0);
        cache_release(c, e);
    }
    for (unsigned id = 0; id < 40; id++)
        assert_true(is_kept(c, id));
    assert_int_equal(atomic_load(&builds), 40);
    cache_free(c);
}

static void test_missing_arguments_are_invalid(void **state)
{
    (void)state;
    cache *c = cache_new(8, 1000, test_value_free);
    jc_error err;
    assert_null(cache_get(c, "k", 1, NULL, NULL, NULL, &err));
    assert_int_equal(err.code, JC_INVALID_ARGUMENT);
    assert_null(cache_get(c, NULL, 1, build_value, NULL, NULL, &err));
    assert_int_equal(err.code, JC_INVALID_ARGUMENT);
    cache_release(c, NULL);
    cache_free(c);
    cache_free(NULL);
}

static void test_hash_is_xxh3_64(void **state)
{
    (void)state;
    /* XXH3_64bits of the empty input, seed 0, as published with xxHash. */
    assert_true(cache_hash("", 0) == UINT64_C(0x2D06800538D394C2));
    assert_true(cache_hash("a + b", 5) != cache_hash("a + c", 5));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_miss_builds_and_hit_returns_the_same_value, setup),
        cmocka_unit_test_setup(test_lru_evicts_the_least_recently_used, setup),
        cmocka_unit_test_setup(test_count_bound_keeps_at_most_max_entries, setup),
        cmocka_unit_test_setup(test_byte_bound_evicts_until_the_new_value_fits, setup),
        cmocka_unit_test_setup(test_value_larger_than_max_bytes_is_returned_but_not_kept, setup),
        cmocka_unit_test_setup(test_equal_hashes_are_told_apart_by_the_whole_key, setup),
        cmocka_unit_test_setup(test_max_entries_zero_builds_every_get_and_frees_at_release, setup),
        cmocka_unit_test_setup(test_failed_build_returns_its_error_and_is_not_cached, setup),
        cmocka_unit_test_setup(test_failed_build_without_an_error_is_internal, setup),
        cmocka_unit_test_setup(test_out_of_memory_for_an_entry_is_an_error, setup),
        cmocka_unit_test_setup(test_table_that_cannot_grow_still_finds_every_key, setup),
        cmocka_unit_test_setup(test_missing_arguments_are_invalid, setup),
        cmocka_unit_test(test_hash_is_xxh3_64),
    };
    return cmocka_run_group_tests_name("cache_policy", tests, NULL, NULL);
}
