/*
 * perfmap.c — /tmp/perf-<pid>.map entries for jitted code, so that `perf
 * report` names it, when JITCALC_PERF_MAP=1. Off by default: no system call
 * on the compile path unless asked for.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jit/internal.h"

void perfmap_note(uintptr_t start, size_t len, const char *isa, unsigned pass)
{
    static int enabled = -1;
    int on = __atomic_load_n(&enabled, __ATOMIC_RELAXED);
    if (on < 0) {
        const char *v = getenv("JITCALC_PERF_MAP");
        on = v && !strcmp(v, "1");
        __atomic_store_n(&enabled, on, __ATOMIC_RELAXED);
    }
    if (!on)
        return;
    char path[64], line[128];
    snprintf(path, sizeof path, "/tmp/perf-%d.map", (int)getpid());
    int n = snprintf(line, sizeof line, "%lx %zx jitcalc_%s_pass%u\n",
                     (unsigned long)start, len, isa, pass);
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return;
    /* one write with O_APPEND: lines from several threads never interleave */
    if (write(fd, line, (size_t)n) < 0) {
    }
    close(fd);
}
