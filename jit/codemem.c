/*
 * codemem.c — the dual-mapped code pool (see codemem.h). The free list is
 * an array of extents sorted by offset, first fit, coalesced on release;
 * it stays short because the cache bounds the number of live codes.
 */
#define _GNU_SOURCE
#include "jit/codemem.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#if defined(__aarch64__)
#include <sys/auxv.h>
#endif

#include "util/error.h"
#include "util/mem.h"

/* Address space reserved per view (nothing is committed until used). */
#define RESERVE ((size_t)1 << 30)
/* The file grows by at least this much at a time. */
#define GROW ((size_t)1 << 20)

typedef struct extent {
    size_t off, len;
} extent;

struct codemem {
    pthread_mutex_t lock;
    int fd;
    uint8_t *rw; /* writable view */
    uint8_t *rx; /* executable view */
    size_t size; /* bytes of the file, mapped in both views */
    extent *free;
    size_t nfree, free_cap;
    size_t used_end; /* end of the highest block ever handed out */
};

codemem *codemem_new(jc_error *err)
{
    codemem *m = mem_calloc(1, sizeof *m);
    if (!m) {
        error_set(err, JC_OUT_OF_MEMORY, 0, -1, "out of memory");
        return NULL;
    }
    m->fd = -1;
    m->rw = m->rx = MAP_FAILED;
    pthread_mutex_init(&m->lock, NULL);
    m->fd = memfd_create("jitcalc-code", MFD_CLOEXEC);
    if (m->fd < 0)
        goto fail;
    m->rw = mmap(NULL, RESERVE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                 -1, 0);
    if (m->rw == MAP_FAILED)
        goto fail;
    m->rx = mmap(NULL, RESERVE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                 -1, 0);
    if (m->rx == MAP_FAILED)
        goto fail;
    return m;
fail:
    error_set(err, JC_INTERNAL, 0, -1, "cannot set up code memory: %s",
              strerror(errno));
    codemem_free(m);
    return NULL;
}

void codemem_free(codemem *m)
{
    if (!m)
        return;
    if (m->rw != MAP_FAILED)
        munmap(m->rw, RESERVE);
    if (m->rx != MAP_FAILED)
        munmap(m->rx, RESERVE);
    if (m->fd >= 0)
        close(m->fd);
    pthread_mutex_destroy(&m->lock);
    mem_free(m->free);
    mem_free(m);
}

/* Inserts [off, off+len) into the sorted free list, merging neighbours.
 * Returns -1 only when the list cannot grow. */
static int free_insert(codemem *m, size_t off, size_t len)
{
    size_t i = 0;
    while (i < m->nfree && m->free[i].off < off)
        i++;
    int prev = i > 0 && m->free[i - 1].off + m->free[i - 1].len == off;
    int next = i < m->nfree && off + len == m->free[i].off;
    if (prev && next) {
        m->free[i - 1].len += len + m->free[i].len;
        memmove(&m->free[i], &m->free[i + 1], (m->nfree - i - 1) * sizeof(extent));
        m->nfree--;
        return 0;
    }
    if (prev) {
        m->free[i - 1].len += len;
        return 0;
    }
    if (next) {
        m->free[i].off = off;
        m->free[i].len += len;
        return 0;
    }
    if (m->nfree == m->free_cap) {
        size_t cap = m->free_cap ? m->free_cap * 2 : 64;
        extent *e = mem_realloc(m->free, cap * sizeof *e);
        if (!e)
            return -1;
        m->free = e;
        m->free_cap = cap;
    }
    memmove(&m->free[i + 1], &m->free[i], (m->nfree - i) * sizeof(extent));
    m->free[i].off = off;
    m->free[i].len = len;
    m->nfree++;
    return 0;
}

/* Grows the file and both views by at least need bytes (lock held). */
static int grow(codemem *m, size_t need)
{
    size_t add = need > GROW ? (need + GROW - 1) / GROW * GROW : GROW;
    if (m->size + add > RESERVE)
        return -1;
    if (ftruncate(m->fd, (off_t)(m->size + add)) < 0)
        return -1;
    if (mmap(m->rw + m->size, add, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
             m->fd, (off_t)m->size) == MAP_FAILED)
        return -1;
    if (mmap(m->rx + m->size, add, PROT_READ | PROT_EXEC, MAP_SHARED | MAP_FIXED,
             m->fd, (off_t)m->size) == MAP_FAILED)
        return -1;
    size_t off = m->size;
    m->size += add;
    return free_insert(m, off, add);
}

#if defined(__aarch64__)
/* aarch64 under qemu-user (issue 11; docs/porting.md, section 4): qemu
 * notices code being rewritten only through the address it runs at, so new
 * code written through the writable view over old code that has run would
 * run stale translations. Re-mapping the executable pages (same file, same
 * protection; other threads' code in them is unaffected) makes qemu drop
 * them. Real CPUs need only the cache flush after patching (jit/jit.c):
 * the re-map is done when the CPU is an emulator's, i.e. its MIDR_EL1
 * implementer is 0 ("software use": qemu), or when MIDR cannot be read. */
static int stale_code_risk(void)
{
    static int risk = -1;
    int r = __atomic_load_n(&risk, __ATOMIC_RELAXED);
    if (r < 0) {
        r = 1;
        if (getauxval(AT_HWCAP) & (1ul << 11)) { /* HWCAP_CPUID: mrs is emulated */
            uint64_t midr;
            __asm__ volatile("mrs %0, midr_el1" : "=r"(midr));
            r = ((midr >> 24) & 0xff) == 0;
        }
        __atomic_store_n(&risk, r, __ATOMIC_RELAXED);
    }
    return r;
}

/* Re-maps the executable view over [off, end) (whole pages). */
static int remap_exec(codemem *m, size_t off, size_t end)
{
    size_t pg = (size_t)sysconf(_SC_PAGESIZE);
    size_t a = off / pg * pg, b = (end + pg - 1) / pg * pg;
    return mmap(m->rx + a, b - a, PROT_READ | PROT_EXEC, MAP_SHARED | MAP_FIXED, m->fd,
                (off_t)a) == MAP_FAILED ? -1 : 0;
}
#endif

int codemem_alloc(codemem *m, size_t size, uint8_t **w, uintptr_t *x, size_t *held)
{
    size_t len = (size + CODEMEM_UNIT - 1) / CODEMEM_UNIT * CODEMEM_UNIT;
    if (len == 0)
        len = CODEMEM_UNIT;
    pthread_mutex_lock(&m->lock);
    for (int attempt = 0; attempt < 2; attempt++) {
        for (size_t i = 0; i < m->nfree; i++) {
            if (m->free[i].len < len)
                continue;
            size_t off = m->free[i].off;
            m->free[i].off += len;
            m->free[i].len -= len;
            if (m->free[i].len == 0) {
                memmove(&m->free[i], &m->free[i + 1],
                        (m->nfree - i - 1) * sizeof(extent));
                m->nfree--;
            }
            /* the part that may have held code before (issue 11) */
            size_t reused = m->used_end < off + len ? m->used_end : off + len;
            if (off + len > m->used_end)
                m->used_end = off + len;
            pthread_mutex_unlock(&m->lock);
#if defined(__aarch64__)
            if (reused > off && stale_code_risk() && remap_exec(m, off, reused) < 0) {
                codemem_release(m, (uintptr_t)(m->rx + off), len);
                return -1;
            }
#else
            (void)reused;
#endif
            *w = m->rw + off;
            *x = (uintptr_t)(m->rx + off);
            *held = len;
            return 0;
        }
        if (attempt == 0 && grow(m, len) < 0)
            break;
    }
    pthread_mutex_unlock(&m->lock);
    return -1;
}

void codemem_release(codemem *m, uintptr_t x, size_t held)
{
    if (!m || !held)
        return;
    size_t off = (size_t)(x - (uintptr_t)m->rx);
    pthread_mutex_lock(&m->lock);
    /* If the list cannot grow the block is leaked, never reused wrongly. */
    (void)free_insert(m, off, held);
    pthread_mutex_unlock(&m->lock);
}

size_t codemem_mapped(const codemem *m)
{
    return m->size;
}
