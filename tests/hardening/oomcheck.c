/* oomcheck.c — out-of-memory sweeps (see oomcheck.h). */
#include "oomcheck.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/mem.h"

#define TCACHE_OFF "glibc.malloc.tcache_count=0"

void oom_init(char **argv)
{
    /* ctest sets it (tests/hardening/CMakeLists.txt): no re-exec, which
     * an emulator (qemu-user) could not do */
    const char *tunables = getenv("GLIBC_TUNABLES");
    if (tunables && strstr(tunables, TCACHE_OFF))
        return;
    setenv("GLIBC_TUNABLES", TCACHE_OFF, 1);
    execv("/proc/self/exe", argv);
    perror("oomcheck: re-exec without tcache (run with GLIBC_TUNABLES=" TCACHE_OFF ")");
    exit(1);
}

size_t oom_bytes_in_use(void)
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}

long oom_sweep(const oom_case *c, long max_n)
{
    char why[512];
    /* One unarmed round first: one-time allocations (stdio buffers, lazy
     * tables) happen here, not in the measured rounds. */
    if (c->setup(c->ctx) != 0) {
        printf("%s: setup failed\n", c->name);
        return -1;
    }
    why[0] = '\0';
    if (c->call(c->ctx, why, sizeof why) != OOM_DONE) {
        printf("%s: fails without any allocation failure: %s\n", c->name, why);
        c->teardown(c->ctx);
        return -1;
    }
    c->teardown(c->ctx);

    for (long n = 0; n <= max_n; n++) {
        size_t before = oom_bytes_in_use();
        if (c->setup(c->ctx) != 0) {
            printf("%s: setup failed\n", c->name);
            return -1;
        }
        why[0] = '\0';
        mem_fail_after(n);
        enum oom_outcome got = c->call(c->ctx, why, sizeof why);
        /* Did the countdown run out during the call? The next allocation
         * says: it fails only if the hook is still failing. */
        void *probe = mem_alloc(1);
        int injected = probe == NULL;
        mem_fail_after(-1);
        mem_free(probe);
        c->teardown(c->ctx);
        size_t after = oom_bytes_in_use();
        if (got == OOM_WRONG) {
            printf("%s: allocation %ld failing: %s\n", c->name, n, why);
            return -1;
        }
        if (got == OOM_REPORTED && !injected) {
            printf("%s: reports out of memory with no allocation failing (n=%ld)\n",
                   c->name, n);
            return -1;
        }
        if (after != before) {
            printf("%s: allocation %ld failing: %lld bytes not freed\n", c->name, n,
                   (long long)after - (long long)before);
            return -1;
        }
        if (!injected)
            return n;
    }
    printf("%s: still meeting failures after %ld allocations\n", c->name, max_n);
    return -1;
}

int oom_same_result(const jc_result *a, const jc_result *b)
{
    if (a->type != b->type || a->is_column != b->is_column || a->is_null != b->is_null ||
        a->rows != b->rows)
        return 0;
    if (a->is_column) {
        size_t w = a->type == JC_BOOL ? 1 : 8;
        return a->rows == 0 || memcmp(a->values, b->values, a->rows * w) == 0;
    }
    if (a->is_null)
        return 1;
    if (a->type == JC_BOOL)
        return a->scalar.b == b->scalar.b;
    return memcmp(&a->scalar, &b->scalar, 8) == 0;
}
