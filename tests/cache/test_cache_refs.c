/* test_cache_refs.c — reference counting: an entry evicted while in use
 * keeps its value until the last reference goes, on any thread. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "values.h"

static cache_entry *get_key(cache *c, unsigned id, size_t bytes, int *hit)
{
    char key[64];
    size_t len = key_text(key, sizeof key, id);
    build_ctx ctx = {.id = id, .bytes = bytes};
    jc_error err;
    cache_entry *e = cache_get(c, key, len, build_value, &ctx, hit, &err);
    assert_non_null(e);
    return e;
}

static void test_evicted_entry_in_use_is_freed_at_its_last_release(void **state)
{
    (void)state;
    reset_counts();
    cache *c = cache_new(1, 1000, test_value_free);
    int hit;
    cache_entry *a = get_key(c, 1, 10, &hit);
    cache_entry_retain(a); /* a second user of the same entry */
    cache_release(c, get_key(c, 2, 10, &hit)); /* evicts key 1 */

    cache_stats s;
    cache_get_stats(c, &s);
    assert_int_equal(s.evictions, 1);
    assert_int_equal(s.entries, 1);
    assert_int_equal(s.bytes, 10);
    assert_int_equal(atomic_load(&freed_values), 0);
    assert_int_equal(((test_value *)cache_entry_value(a))->id, 1); /* still usable */

    /* The key is gone from the cache: a new get builds a second value. */
    cache_entry *a2 = get_key(c, 1, 10, &hit);
    assert_int_equal(hit, 0);
    assert_ptr_not_equal(cache_entry_value(a2), cache_entry_value(a));
    assert_int_equal(atomic_load(&freed_values), 1); /* key 2, unused, evicted by a2 */

    cache_release(c, a);
    assert_int_equal(atomic_load(&freed_values), 1); /* one user left */
    cache_release(c, a);
    assert_int_equal(atomic_load(&freed_values), 2); /* the old key 1 */
    cache_release(c, a2);
    assert_int_equal(atomic_load(&live_values), 1); /* a2, kept */
    cache_free(c);
    assert_int_equal(atomic_load(&live_values), 0);
}

typedef struct holder {
    cache *c;
    cache_entry *e;
} holder;

static void *release_later(void *arg)
{
    holder *h = arg;
    cache_release(h->c, h->e);
    return NULL;
}

static void test_last_release_on_another_thread_frees_the_value(void **state)
{
    (void)state;
    reset_counts();
    cache *c = cache_new(1, 1000, test_value_free);
    int hit;
    holder h = {c, get_key(c, 1, 10, &hit)};
    cache_entry_retain(h.e); /* handed to the thread */
    cache_release(c, h.e);
    cache_release(c, get_key(c, 2, 10, &hit)); /* evicts key 1 */
    assert_int_equal(atomic_load(&live_values), 2);

    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, release_later, &h), 0);
    pthread_join(t, NULL);
    assert_int_equal(atomic_load(&live_values), 1);
    cache_free(c);
    assert_int_equal(atomic_load(&live_values), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_evicted_entry_in_use_is_freed_at_its_last_release),
        cmocka_unit_test(test_last_release_on_another_thread_frees_the_value),
    };
    return cmocka_run_group_tests_name("cache_refs", tests, NULL, NULL);
}
