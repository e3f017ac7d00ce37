/*
 * cache_bench.c — what a cache hit costs: cache_get + cache_release on a
 * kept key, in ns, as the median over batches (one batch = BATCH hits timed
 * together, so the clock's own cost is spread out). Also the hash alone, a
 * long key, and two threads hitting one cache at once (its one mutex is
 * shared). Usage: bench_cache [--quick]
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cache/cache.h"

#define NKEYS 1000       /* kept keys, looked up in a scattered order */
#define BATCH 1000       /* hits per timed batch */
#define MAX_KEY 1100

static int batches = 2000;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int build_dummy(void *ctx, void **value, size_t *bytes, jc_error *err)
{
    (void)err;
    *value = ctx;
    *bytes = 4096; /* one page of code, as the engine would report it */
    return 0;
}

/* Keys shaped like the engine's: canonical text | column types | ISA,
 * padded to at least `len` bytes. */
static char keys[NKEYS][MAX_KEY];
static size_t key_len[NKEYS];

static void make_keys(size_t len)
{
    for (int i = 0; i < NKEYS; i++) {
        int n = snprintf(keys[i], MAX_KEY, "((price * qty) > %d) and (region == %d)|f64,i64,i64|avx512",
                         i, i * 7);
        while ((size_t)n < len)
            keys[i][n++] = ' ';
        key_len[i] = (size_t)n;
    }
}

static cache *warm_cache(void)
{
    cache *c = cache_new(2 * NKEYS, SIZE_MAX, NULL);
    for (int i = 0; i < NKEYS; i++)
        cache_release(c, cache_get(c, keys[i], key_len[i], build_dummy, NULL, NULL, NULL));
    return c;
}

typedef struct run {
    cache *c;
    int offset;      /* where this thread starts in the key order */
    double *ns;      /* per batch: ns per hit */
    long misses;
} run;

static void *time_hits(void *arg)
{
    run *r = arg;
    unsigned k = (unsigned)r->offset;
    for (int b = 0; b < batches; b++) {
        uint64_t t0 = now_ns();
        for (int i = 0; i < BATCH; i++) {
            k = (k + 7919) % NKEYS; /* scattered, not one hot key */
            int hit;
            cache_entry *e = cache_get(r->c, keys[k], key_len[k], build_dummy, NULL, &hit, NULL);
            r->misses += !hit;
            cache_release(r->c, e);
        }
        r->ns[b] = (double)(now_ns() - t0) / BATCH;
    }
    return NULL;
}

static void report(const char *what, double *ns, int n)
{
    qsort(ns, (size_t)n, sizeof *ns, cmp_double);
    printf("%-44s %8.1f %8.1f %8.1f\n", what, ns[n / 2], ns[0], ns[n * 99 / 100]);
}

static void bench_hits(const char *what, int threads)
{
    cache *c = warm_cache();
    pthread_t t[2];
    run r[2];
    double *all = malloc(sizeof *all * (size_t)batches * 2);
    for (int i = 0; i < threads; i++) {
        r[i] = (run){.c = c, .offset = i * NKEYS / 2, .ns = all + (size_t)i * batches};
        pthread_create(&t[i], NULL, time_hits, &r[i]);
    }
    long misses = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(t[i], NULL);
        misses += r[i].misses;
    }
    if (misses)
        printf("(unexpected: %ld misses)\n", misses);
    report(what, all, batches * threads);
    free(all);
    cache_free(c);
}

static void bench_hash(const char *what)
{
    double *ns = malloc(sizeof *ns * (size_t)batches);
    volatile uint64_t sink = 0;
    unsigned k = 0;
    for (int b = 0; b < batches; b++) {
        uint64_t t0 = now_ns();
        for (int i = 0; i < BATCH; i++) {
            k = (k + 7919) % NKEYS;
            sink ^= cache_hash(keys[k], key_len[k]);
        }
        ns[b] = (double)(now_ns() - t0) / BATCH;
    }
    (void)sink;
    report(what, ns, batches);
    free(ns);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--quick") == 0)
        batches = 20;
    printf("cache hit = cache_get + cache_release of a kept key; %d keys, %d batches of %d\n",
           NKEYS, batches, BATCH);
    printf("%-44s %8s %8s %8s\n", "ns per operation", "median", "min", "p99");

    make_keys(0);
    char what[64];
    snprintf(what, sizeof what, "hash only (XXH3_64bits), %zu-byte key", key_len[0]);
    bench_hash(what);
    snprintf(what, sizeof what, "hit, 1 thread, %zu-byte key", key_len[0]);
    bench_hits(what, 1);
    snprintf(what, sizeof what, "hit, 2 threads on one cache, %zu-byte key", key_len[0]);
    bench_hits(what, 2);

    make_keys(1024);
    bench_hash("hash only (XXH3_64bits), 1024-byte key");
    bench_hits("hit, 1 thread, 1024-byte key", 1);
    return 0;
}
