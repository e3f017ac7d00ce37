/* test_cache_threads.c — many threads at once: concurrent misses on one key
 * build it once, a failed build is retried by a waiter, and 4 threads
 * hammering overlapping keys through evictions never build a key twice at
 * the same time and leave nothing behind. */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#include "values.h"

#define THREADS 4

static void sleep_us(long us)
{
    struct timespec ts = {us / 1000000, (us % 1000000) * 1000};
    nanosleep(&ts, NULL);
}

/* ---- concurrent misses share one build ---- */

#define SHARED_KEYS 64
#define SHARED_ROUNDS 40

static atomic_int shared_builds[SHARED_KEYS];
static pthread_barrier_t start_line;

/* A slow build widens the window in which the other threads miss too. */
static int build_slowly(void *ctx, void **value, size_t *bytes, jc_error *err)
{
    build_ctx *b = ctx;
    atomic_fetch_add(&shared_builds[b->id], 1);
    sleep_us(200);
    return build_value(ctx, value, bytes, err);
}

typedef struct worker {
    cache *c;
    unsigned seed;
    long gets, hits, wrong_values, failures;
} worker;

static void *get_every_key_in_order(void *arg)
{
    worker *w = arg;
    pthread_barrier_wait(&start_line);
    for (int round = 0; round < SHARED_ROUNDS; round++) {
        for (unsigned id = 0; id < SHARED_KEYS; id++) { /* same order in every thread */
            char key[64];
            size_t len = key_text(key, sizeof key, id);
            build_ctx ctx = {.id = id, .bytes = 16};
            int hit;
            jc_error err;
            cache_entry *e = cache_get(w->c, key, len, build_slowly, &ctx, &hit, &err);
            w->gets++;
            if (!e) {
                w->failures++;
                continue;
            }
            w->hits += hit;
            if (((test_value *)cache_entry_value(e))->id != id)
                w->wrong_values++;
            cache_release(w->c, e);
        }
    }
    return NULL;
}

static void test_concurrent_misses_on_a_key_build_it_once(void **state)
{
    (void)state;
    reset_counts();
    for (int k = 0; k < SHARED_KEYS; k++)
        atomic_store(&shared_builds[k], 0);
    cache *c = cache_new(1024, 1 << 20, test_value_free);
    pthread_barrier_init(&start_line, NULL, THREADS);
    pthread_t t[THREADS];
    worker w[THREADS] = {0};
    for (int i = 0; i < THREADS; i++) {
        w[i].c = c;
        assert_int_equal(pthread_create(&t[i], NULL, get_every_key_in_order, &w[i]), 0);
    }
    long gets = 0, hits = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(w[i].failures, 0);
        assert_int_equal(w[i].wrong_values, 0);
        gets += w[i].gets;
        hits += w[i].hits;
    }
    pthread_barrier_destroy(&start_line);
    for (int k = 0; k < SHARED_KEYS; k++)
        assert_int_equal(atomic_load(&shared_builds[k]), 1);

    cache_stats s;
    cache_get_stats(c, &s);
    assert_int_equal(s.misses, SHARED_KEYS);
    assert_int_equal(s.hits, gets - SHARED_KEYS);
    assert_int_equal(hits, gets - SHARED_KEYS);
    assert_int_equal(s.entries, SHARED_KEYS);
    assert_true(s.build_ns >= SHARED_KEYS * 200000ull); /* each build sleeps 200 us */
    cache_free(c);
    assert_int_equal(atomic_load(&live_values), 0);
}

/* ---- a waiter and the first build, with a gate ---- */

typedef struct gated {
    build_ctx ctx;
    atomic_int entered; /* the build has started */
    atomic_int open;    /* the build may finish */
} gated;

static int build_at_gate(void *arg, void **value, size_t *bytes, jc_error *err)
{
    gated *g = arg;
    atomic_store(&g->entered, 1);
    while (!atomic_load(&g->open))
        sleep_us(100);
    return build_value(&g->ctx, value, bytes, err);
}

typedef struct getter {
    cache *c;
    cache_build_fn build;
    void *ctx;
    cache_entry *e;
    int hit;
    jc_error err;
} getter;

static void *get_key_1(void *arg)
{
    getter *g = arg;
    char key[64];
    size_t len = key_text(key, sizeof key, 1);
    g->e = cache_get(g->c, key, len, g->build, g->ctx, &g->hit, &g->err);
    return NULL;
}

/* First thread builds key 1 at the gate (failing or not); the second gets
 * key 1 while the first is building (it waits, if it arrives in time). */
static void race_two_getters(cache *c, gated *first, build_ctx *second_ctx, getter *a,
                             getter *b)
{
    *a = (getter){.c = c, .build = build_at_gate, .ctx = first};
    *b = (getter){.c = c, .build = build_value, .ctx = second_ctx};
    pthread_t ta, tb;
    assert_int_equal(pthread_create(&ta, NULL, get_key_1, a), 0);
    while (!atomic_load(&first->entered))
        sleep_us(100);
    assert_int_equal(pthread_create(&tb, NULL, get_key_1, b), 0);
    sleep_us(20000); /* lets b reach the wait; the outcome is the same if not */
    atomic_store(&first->open, 1);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
}

static void test_waiter_shares_the_first_build(void **state)
{
    (void)state;
    reset_counts();
    atomic_int builds = 0;
    cache *c = cache_new(8, 1000, test_value_free);
    gated first = {.ctx = {.id = 1, .bytes = 10, .builds = &builds}};
    build_ctx second = {.id = 1, .bytes = 10, .builds = &builds};
    getter a, b;
    race_two_getters(c, &first, &second, &a, &b);
    assert_non_null(a.e);
    assert_non_null(b.e);
    assert_int_equal(a.hit, 0);
    assert_int_equal(b.hit, 1);
    assert_ptr_equal(a.e, b.e);
    assert_int_equal(atomic_load(&builds), 1);
    cache_release(c, a.e);
    cache_release(c, b.e);
    cache_free(c);
    assert_int_equal(atomic_load(&live_values), 0);
}

static void test_waiter_retries_after_a_failed_build(void **state)
{
    (void)state;
    reset_counts();
    atomic_int builds = 0;
    cache *c = cache_new(8, 1000, test_value_free);
    gated first = {.ctx = {.id = 1, .bytes = 10, .fail = 1, .builds = &builds}};
    build_ctx second = {.id = 1, .bytes = 10, .builds = &builds};
    getter a, b;
    race_two_getters(c, &first, &second, &a, &b);
    assert_null(a.e);
    assert_int_equal(a.err.code, JC_LIMIT_EXCEEDED);
    assert_non_null(b.e); /* the failure was not handed on: b built it */
    assert_int_equal(b.hit, 0);
    assert_int_equal(atomic_load(&builds), 2);
    cache_stats s;
    cache_get_stats(c, &s);
    assert_int_equal(s.entries, 1);
    assert_int_equal(s.misses, 2);
    cache_release(c, b.e);
    cache_free(c);
    assert_int_equal(atomic_load(&live_values), 0);
}

/* ---- hammering through evictions ---- */

#define HAMMER_KEYS 32
#define HAMMER_GETS 50000
#define HAMMER_MAX_ENTRIES 8
#define HAMMER_MAX_BYTES 600

static atomic_int building[HAMMER_KEYS];
static atomic_int double_builds;

static size_t hammer_bytes(unsigned id) { return 50 + 5 * id; }

static int build_alone(void *ctx, void **value, size_t *bytes, jc_error *err)
{
    build_ctx *b = ctx;
    if (atomic_fetch_add(&building[b->id], 1) != 0)
        atomic_fetch_add(&double_builds, 1);
    sched_yield();
    int rc = build_value(ctx, value, bytes, err);
    atomic_fetch_sub(&building[b->id], 1);
    return rc;
}

static unsigned next_random(unsigned *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static void *hammer(void *arg)
{
    worker *w = arg;
    cache_entry *held = NULL; /* kept across the next get, so evictions hit used entries */
    pthread_barrier_wait(&start_line);
    for (int i = 0; i < HAMMER_GETS; i++) {
        unsigned id = next_random(&w->seed) % HAMMER_KEYS;
        char key[64];
        size_t len = key_text(key, sizeof key, id);
        build_ctx ctx = {.id = id, .bytes = hammer_bytes(id)};
        int hit;
        jc_error err;
        cache_entry *e = cache_get(w->c, key, len, build_alone, &ctx, &hit, &err);
        w->gets++;
        if (!e) {
            w->failures++;
            continue;
        }
        w->hits += hit;
        test_value *v = cache_entry_value(e);
        if (v->id != id || v->bytes != hammer_bytes(id))
            w->wrong_values++;
        cache_release(w->c, held);
        held = e;
    }
    cache_release(w->c, held);
    return NULL;
}

static void test_four_threads_hammering_never_build_a_key_twice_at_once(void **state)
{
    (void)state;
    reset_counts();
    atomic_store(&double_builds, 0);
    cache *c = cache_new(HAMMER_MAX_ENTRIES, HAMMER_MAX_BYTES, test_value_free);
    pthread_barrier_init(&start_line, NULL, THREADS);
    pthread_t t[THREADS];
    worker w[THREADS] = {0};
    for (int i = 0; i < THREADS; i++) {
        w[i].c = c;
        w[i].seed = 2463534242u + 977u * (unsigned)i;
        assert_int_equal(pthread_create(&t[i], NULL, hammer, &w[i]), 0);
    }
    long gets = 0, hits = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(w[i].failures, 0);
        assert_int_equal(w[i].wrong_values, 0);
        gets += w[i].gets;
        hits += w[i].hits;
    }
    pthread_barrier_destroy(&start_line);
    assert_int_equal(atomic_load(&double_builds), 0);

    cache_stats s;
    cache_get_stats(c, &s);
    assert_int_equal(s.hits + s.misses, gets);
    assert_int_equal(s.hits, hits);
    assert_true(s.evictions > 0);
    assert_true(s.entries <= HAMMER_MAX_ENTRIES);
    assert_true(s.bytes <= HAMMER_MAX_BYTES);
    assert_int_equal(atomic_load(&live_values), (long)s.entries); /* all released */
    cache_free(c);
    assert_int_equal(atomic_load(&live_values), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_concurrent_misses_on_a_key_build_it_once),
        cmocka_unit_test(test_waiter_shares_the_first_build),
        cmocka_unit_test(test_waiter_retries_after_a_failed_build),
        cmocka_unit_test(test_four_threads_hammering_never_build_a_key_twice_at_once),
    };
    return cmocka_run_group_tests_name("cache_threads", tests, NULL, NULL);
}
