/*
 * cache.h — an LRU cache of built values (compiled programs), keyed by bytes.
 *
 * The cache does not know what it keeps: a value is an opaque pointer with a
 * size in bytes (what the builder reports; the engine reports code bytes
 * including page padding) and a free function. The engine builds the key
 * (canonical text + column types + ISA/JIT flag) and the value; the cache
 * decides what to keep, shares one build between threads that miss on the
 * same key at once, and frees a value only when nobody uses it any more.
 *
 * Policy: least recently used first out, bounded by max_entries and by
 * max_bytes (the sum of the kept values' bytes). get, insert and evict are
 * O(1) (hash table + intrusive doubly linked LRU list).
 *
 * Thread safety: every call may be made from any thread at once, except
 * cache_new/cache_free. A build runs without the cache's lock held, so it
 * may take long and may use other caches; it must not cache_get the same key
 * on the same cache (it would wait for itself).
 *
 * Ownership: cache_get returns a new reference; each one is given back with
 * cache_release. The cache holds one more reference on each entry it keeps.
 */
#ifndef JC_CACHE_CACHE_H
#define JC_CACHE_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "jitcalc.h"

typedef struct cache cache;
typedef struct cache_entry cache_entry;

/* Builds the value for a key: 0 ok (*value and *bytes set), -1 err (err
 * filled). Called without any cache lock held. */
typedef int (*cache_build_fn)(void *ctx, void **value, size_t *bytes, jc_error *err);
/* Frees one built value; called exactly once per successful build, without
 * any cache lock held, on the thread that dropped the last reference. */
typedef void (*cache_free_fn)(void *value);

/* max_entries 0: nothing is kept (every get builds; the value is freed at
 * its last release). Returns NULL when out of memory. */
cache *cache_new(size_t max_entries, size_t max_bytes, cache_free_fn free_value);
/* All entries must have been released. c may be NULL. */
void cache_free(cache *c);

/* The published 64-bit hash the cache uses: xxHash's XXH3_64bits (seed 0,
 * xxHash >= 0.8.0, whose XXH3 output is stable). */
uint64_t cache_hash(const void *key, size_t len);

/* Returns a referenced entry for key (len bytes; the cache keeps its own
 * copy), building it with build(ctx) on a miss, or NULL with err filled.
 * A hit compares the whole key, not only its hash.
 * Two threads that miss on the same key at once build it once: the second
 * waits for the first and shares its value (*hit = 1). If that build fails,
 * the failure is not cached and not shared: every waiter retries, so one of
 * them becomes the next builder (and gets its own build's result or error).
 * *hit (may be NULL) is 1 when this call did not run build. */
cache_entry *cache_get(cache *c, const void *key, size_t len, cache_build_fn build,
                       void *ctx, int *hit, jc_error *err);
/* The built value: valid until the reference is released. */
void *cache_entry_value(const cache_entry *e);
/* Takes one more reference (for another thread, say); lock-free. */
void cache_entry_retain(cache_entry *e);
/* Gives one reference back (e may be NULL). The value is freed when an
 * evicted (or never kept) entry's last reference goes. */
void cache_release(cache *c, cache_entry *e);

/* entries, bytes: what the cache keeps now (not evicted values still in use).
 * hits: gets that did not build (found the entry, or shared a concurrent
 * build). misses: gets that ran build (failed builds included).
 * evictions: entries dropped by the LRU bounds. build_ns: time spent in build
 * (CLOCK_MONOTONIC). */
typedef struct cache_stats { uint64_t entries, bytes, hits, misses, evictions, build_ns; } cache_stats;
void cache_get_stats(cache *c, cache_stats *out);

/* Test hook: replaces the hash of c (NULL restores cache_hash), so a test
 * can force collisions. Call before the first cache_get. */
void cache_set_hash_for_tests(cache *c, uint64_t (*hash)(const void *key, size_t len));

#endif /* JC_CACHE_CACHE_H */
