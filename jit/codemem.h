/*
 * codemem.h — executable memory for compiled code, never writable and
 * executable at once (W^X).
 *
 * One memfd is mapped twice into two reserved address ranges: a writable
 * view (rw-s) where code is written and an executable view (r-xs) where it
 * runs. Space is handed out in 64-byte units from a free list and returned
 * for reuse, so in the steady state compiling makes no system call; the
 * file grows (ftruncate + two fixed mmaps) only when the free list cannot
 * serve a request. Everything lives inside one reserved range, so any two
 * addresses of a pool are within rel32 reach (PC-relative data, GOT slots).
 */
#ifndef JC_JIT_CODEMEM_H
#define JC_JIT_CODEMEM_H

#include <stddef.h>
#include <stdint.h>

#include "jitcalc.h"

typedef struct codemem codemem;

#define CODEMEM_UNIT 64u

codemem *codemem_new(jc_error *err);
void codemem_free(codemem *m);

/* Allocates size bytes (rounded up to CODEMEM_UNIT). *w is the writable
 * view, *x the executable address of the same bytes, *held the rounded
 * size. Returns 0, or -1 when the reservation is exhausted or the system
 * refuses memory. Thread-safe. */
int codemem_alloc(codemem *m, size_t size, uint8_t **w, uintptr_t *x,
                  size_t *held);
/* Returns a block (its executable address and held size). Thread-safe. */
void codemem_release(codemem *m, uintptr_t x, size_t held);

/* Bytes currently mapped (both views count once). */
size_t codemem_mapped(const codemem *m);

#endif /* JC_JIT_CODEMEM_H */
