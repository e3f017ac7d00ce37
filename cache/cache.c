/*
 * cache.c — the LRU cache of cache.h: one mutex guards the table, the list
 * and the counters; one condition variable wakes threads waiting for a
 * concurrent build of their key. Reference counts are atomic so that retain
 * and release never take the lock.
 *
 * An entry is in one of three states:
 *   PENDING  in the table, not in the LRU list: its first getter is building
 *            it; later getters wait on the condition variable.
 *   READY    built. In the table and the LRU list while kept; only
 *            referenced by its users after eviction (or when not kept).
 *   FAILED   its build failed; out of the table, no value, freed when its
 *            builder and waiters have dropped their references.
 * Invariant: an entry in the table holds one reference for the cache, so a
 * hit (made under the lock on a table entry) never revives a count of 0.
 */
#include "cache/cache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include <xxhash.h>

#include "util/error.h"
#include "util/mem.h"

enum entry_state { PENDING, READY, FAILED };

/* Links of the circular LRU list; the list's sentinel is a bare link. */
typedef struct lru_link {
    struct lru_link *prev;
    struct lru_link *next; /* towards the least recently used */
} lru_link;

struct cache_entry {
    cache_entry *chain_next;   /* hash bucket chain */
    cache_entry **chain_pprev; /* the pointer that points at this entry */
    lru_link lru;              /* in the LRU list while kept and READY */
    atomic_size_t refs;
    enum entry_state state;
    int in_table;
    uint64_t hash;
    void *value;
    size_t bytes;
    size_t len;
    unsigned char key[];
};

struct cache {
    pthread_mutex_t lock;
    pthread_cond_t built; /* broadcast whenever a build ends */
    size_t max_entries;
    size_t max_bytes;
    cache_free_fn free_value;
    uint64_t (*hash)(const void *key, size_t len);

    cache_entry **buckets; /* nbuckets is a power of two */
    size_t nbuckets;
    size_t in_table; /* PENDING + kept READY entries */
    lru_link lru; /* sentinel: lru.next is the most recently used */

    cache_stats stats;
};

/* Small on purpose: the table doubles as entries arrive, up to about
 * max_entries + the builds in flight, and never shrinks. */
#define INITIAL_BUCKETS 16

uint64_t cache_hash(const void *key, size_t len) { return XXH3_64bits(key, len); }

cache *cache_new(size_t max_entries, size_t max_bytes, cache_free_fn free_value)
{
    cache *c = mem_calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->buckets = mem_calloc(INITIAL_BUCKETS, sizeof *c->buckets);
    if (!c->buckets) {
        mem_free(c);
        return NULL;
    }
    c->nbuckets = INITIAL_BUCKETS;
    c->max_entries = max_entries;
    c->max_bytes = max_bytes;
    c->free_value = free_value;
    c->hash = cache_hash;
    c->lru.prev = c->lru.next = &c->lru;
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->built, NULL);
    return c;
}

void cache_set_hash_for_tests(cache *c, uint64_t (*hash)(const void *key, size_t len))
{
    c->hash = hash ? hash : cache_hash;
}

/* ---- the hash table (lock held) ---- */

static cache_entry *table_find(const cache *c, uint64_t hash, const void *key, size_t len)
{
    for (cache_entry *e = c->buckets[hash & (c->nbuckets - 1)]; e; e = e->chain_next)
        if (e->hash == hash && e->len == len && (len == 0 || memcmp(e->key, key, len) == 0))
            return e;
    return NULL;
}

static void bucket_push(cache_entry **bucket, cache_entry *e)
{
    e->chain_next = *bucket;
    if (*bucket)
        (*bucket)->chain_pprev = &e->chain_next;
    e->chain_pprev = bucket;
    *bucket = e;
}

/* Doubles the bucket array. On allocation failure the table keeps its size:
 * chains get longer, nothing is lost. */
static void table_grow(cache *c)
{
    size_t n = c->nbuckets * 2;
    cache_entry **b = mem_calloc(n, sizeof *b);
    if (!b)
        return;
    for (size_t i = 0; i < c->nbuckets; i++) {
        cache_entry *e = c->buckets[i];
        while (e) {
            cache_entry *next = e->chain_next;
            bucket_push(&b[e->hash & (n - 1)], e);
            e = next;
        }
    }
    mem_free(c->buckets);
    c->buckets = b;
    c->nbuckets = n;
}

static void table_insert(cache *c, cache_entry *e)
{
    if (c->in_table >= c->nbuckets)
        table_grow(c);
    bucket_push(&c->buckets[e->hash & (c->nbuckets - 1)], e);
    e->in_table = 1;
    c->in_table++;
}

static void table_remove(cache *c, cache_entry *e)
{
    *e->chain_pprev = e->chain_next;
    if (e->chain_next)
        e->chain_next->chain_pprev = e->chain_pprev;
    e->chain_next = NULL;
    e->chain_pprev = NULL;
    e->in_table = 0;
    c->in_table--;
}

/* ---- the LRU list (lock held) ---- */

static cache_entry *entry_of(lru_link *l)
{
    return (cache_entry *)((char *)l - offsetof(cache_entry, lru));
}

static void lru_unlink(cache_entry *e)
{
    e->lru.prev->next = e->lru.next;
    e->lru.next->prev = e->lru.prev;
}

static void lru_push_front(cache *c, cache_entry *e)
{
    e->lru.prev = &c->lru;
    e->lru.next = c->lru.next;
    c->lru.next->prev = &e->lru;
    c->lru.next = &e->lru;
}

/* ---- references ---- */

/* Drops one reference; returns 1 when it was the last. */
static int unref(cache_entry *e)
{
    return atomic_fetch_sub_explicit(&e->refs, 1, memory_order_acq_rel) == 1;
}

/* Frees an entry whose last reference is gone (no lock needed: nobody else
 * can reach it). */
static void entry_destroy(cache *c, cache_entry *e)
{
    if (e->state == READY && c->free_value)
        c->free_value(e->value);
    mem_free(e);
}

void cache_entry_retain(cache_entry *e)
{
    /* Relaxed: the caller already holds a reference, so the count is >= 1. */
    atomic_fetch_add_explicit(&e->refs, 1, memory_order_relaxed);
}

void cache_release(cache *c, cache_entry *e)
{
    if (e && unref(e))
        entry_destroy(c, e);
}

void *cache_entry_value(const cache_entry *e) { return e->value; }

/* ---- get ---- */

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static cache_entry *entry_new(uint64_t hash, const void *key, size_t len, size_t refs)
{
    if (len > SIZE_MAX - sizeof(cache_entry))
        return NULL;
    cache_entry *e = mem_alloc(sizeof *e + len);
    if (!e)
        return NULL;
    memset(e, 0, sizeof *e);
    atomic_init(&e->refs, refs);
    e->state = PENDING;
    e->hash = hash;
    e->len = len;
    if (len)
        memcpy(e->key, key, len);
    return e;
}

/* Runs build for e (no lock held); fills e's value on success and *spent
 * with the time the build took. */
static int run_build(cache_entry *e, cache_build_fn build, void *ctx, uint64_t *spent,
                     jc_error *err)
{
    error_clear(err);
    void *value = NULL;
    size_t bytes = 0;
    uint64_t t0 = now_ns();
    int rc = build(ctx, &value, &bytes, err);
    *spent = now_ns() - t0;
    if (rc != 0) {
        if (err && err->code == JC_OK)
            error_set(err, JC_INTERNAL, 0, -1, "building a cache entry failed without an error");
        return -1;
    }
    e->value = value;
    e->bytes = bytes;
    return 0;
}

/* Evicts from the LRU tail until one more entry of `bytes` fits; the
 * evicted entries whose last reference goes are chained on *dead (through
 * chain_next, unused once out of the table) to be freed once the lock is
 * dropped. */
static void make_room(cache *c, size_t bytes, cache_entry **dead)
{
    while (c->lru.prev != &c->lru &&
           ((size_t)c->stats.entries >= c->max_entries ||
            (size_t)c->stats.bytes > c->max_bytes - bytes)) {
        cache_entry *victim = entry_of(c->lru.prev);
        lru_unlink(victim);
        table_remove(c, victim);
        c->stats.entries--;
        c->stats.bytes -= victim->bytes;
        c->stats.evictions++;
        if (unref(victim)) {
            victim->chain_next = *dead;
            *dead = victim;
        }
    }
}

/* The builder's half of a miss on the PENDING entry e (refs: cache +
 * builder). Keeps e if it fits, wakes the waiters. */
static cache_entry *finish_build(cache *c, cache_entry *e, cache_build_fn build, void *ctx,
                                 jc_error *err)
{
    uint64_t spent;
    int rc = run_build(e, build, ctx, &spent, err);
    cache_entry *dead = NULL;

    pthread_mutex_lock(&c->lock);
    c->stats.misses++;
    c->stats.build_ns += spent;
    if (rc != 0) {
        table_remove(c, e);
        e->state = FAILED;
        unref(e); /* the cache's; the builder's keeps e alive */
    } else if (e->bytes <= c->max_bytes) {
        e->state = READY;
        make_room(c, e->bytes, &dead); /* e is not in the LRU list yet */
        lru_push_front(c, e);
        c->stats.entries++;
        c->stats.bytes += e->bytes;
    } else {
        table_remove(c, e);
        e->state = READY;
        unref(e); /* too big to keep: its users share it, then it goes */
    }
    pthread_cond_broadcast(&c->built);
    pthread_mutex_unlock(&c->lock);

    while (dead) {
        cache_entry *next = dead->chain_next;
        entry_destroy(c, dead);
        dead = next;
    }
    if (rc != 0) {
        cache_release(c, e);
        return NULL;
    }
    return e;
}

/* max_entries 0: no table, no sharing; the caller owns the only reference. */
static cache_entry *get_uncached(cache *c, cache_build_fn build, void *ctx, jc_error *err)
{
    cache_entry *e = entry_new(0, NULL, 0, 1); /* no table: no hash, no key copy */
    if (!e) {
        error_set(err, JC_OUT_OF_MEMORY, 0, -1, "out of memory for a cache entry");
        return NULL;
    }
    uint64_t spent;
    int rc = run_build(e, build, ctx, &spent, err);
    pthread_mutex_lock(&c->lock);
    c->stats.misses++;
    c->stats.build_ns += spent;
    pthread_mutex_unlock(&c->lock);
    if (rc != 0) {
        mem_free(e);
        return NULL;
    }
    e->state = READY;
    return e;
}

cache_entry *cache_get(cache *c, const void *key, size_t len, cache_build_fn build,
                       void *ctx, int *hit, jc_error *err)
{
    if (hit)
        *hit = 0;
    if (!c || !build || (!key && len)) {
        error_set(err, JC_INVALID_ARGUMENT, 0, -1, "cache_get: missing cache, key or build");
        return NULL;
    }
    if (c->max_entries == 0)
        return get_uncached(c, build, ctx, err);
    uint64_t hash = c->hash(key, len); /* outside the lock */

    pthread_mutex_lock(&c->lock);
    for (;;) {
        cache_entry *e = table_find(c, hash, key, len);
        if (!e)
            break;
        cache_entry_retain(e); /* ours, whatever happens to e meanwhile */
        while (e->state == PENDING)
            pthread_cond_wait(&c->built, &c->lock);
        if (e->state == READY) {
            if (e->in_table) {
                lru_unlink(e);
                lru_push_front(c, e);
            }
            c->stats.hits++;
            pthread_mutex_unlock(&c->lock);
            if (hit)
                *hit = 1;
            return e;
        }
        /* Its build failed: the failure is the builder's; look again (the
         * key may be PENDING for another waiter by now, or absent). */
        if (unref(e))
            mem_free(e); /* FAILED: no value to free */
    }

    cache_entry *e = entry_new(hash, key, len, 2); /* the cache's + ours */
    if (!e) {
        pthread_mutex_unlock(&c->lock);
        error_set(err, JC_OUT_OF_MEMORY, 0, -1, "out of memory for a cache entry");
        return NULL;
    }
    table_insert(c, e);
    pthread_mutex_unlock(&c->lock);
    return finish_build(c, e, build, ctx, err);
}

void cache_get_stats(cache *c, cache_stats *out)
{
    pthread_mutex_lock(&c->lock);
    *out = c->stats;
    pthread_mutex_unlock(&c->lock);
}

void cache_free(cache *c)
{
    if (!c)
        return;
    /* Every entry is released, so each kept one holds only the cache's
     * reference, and none is PENDING. */
    lru_link *l = c->lru.next;
    while (l != &c->lru) {
        lru_link *next = l->next;
        cache_entry *e = entry_of(l);
        if (unref(e))
            entry_destroy(c, e);
        l = next;
    }
    mem_free(c->buckets);
    pthread_cond_destroy(&c->built);
    pthread_mutex_destroy(&c->lock);
    mem_free(c);
}
