/*
 * jit.h — the copy-and-patch compiler's whole surface, as the engine uses it.
 *
 * Takes a typed tree (parser/tree.h) and compiles each of its passes into a
 * loop of stencils (ops/) pasted and patched (linker/) into executable
 * memory from a pool; runs a pass over rows with the executor's contract
 * (interp/exec.h). Results are the interpreter's bits; faults are only
 * detected (a non-zero mask), the interpreter finds the exact one.
 *
 * Thread safety: a jit_pool may be used from many threads at once; a
 * jit_code is immutable once compiled and may run on many threads at once.
 * Free a code before its pool.
 */
#ifndef JC_JIT_JIT_H
#define JC_JIT_JIT_H

#include <stddef.h>
#include <stdint.h>

#include "interp/exec.h"
#include "jitcalc.h"
#include "parser/tree.h"

typedef enum jit_isa {
    JIT_ISA_NONE = 0,
    JIT_ISA_SSE2,
    JIT_ISA_AVX2,
    JIT_ISA_AVX512,
    JIT_ISA_NEON /* aarch64 Advanced SIMD, 2 lanes (issue 11) */
} jit_isa;

const char *jit_arch(void);                        /* "x86_64" */
const char *jit_isa_name(jit_isa isa);             /* "sse2", "none" */
int jit_isa_parse(const char *name, jit_isa *out); /* -1 for an unknown name */
jit_isa jit_isa_best(void);   /* best the CPU supports and this build has, NONE if none */
int jit_isa_supported(jit_isa isa); /* CPU and build */
unsigned jit_isa_lanes(jit_isa isa); /* rows per vector, 0 for NONE */

/* Executable memory of one engine; thread-safe. */
typedef struct jit_pool jit_pool;
jit_pool *jit_pool_new(jc_error *err);
void jit_pool_free(jit_pool *pool);

/* The compiled kernels of every pass of one typed tree; immutable,
 * shareable between threads. */
typedef struct jit_code jit_code;

/* 0: some op has no stencil yet → the engine uses the interpreter. */
int jit_supports(const jc_tree *t, jit_isa isa);
/* NULL with *err when out of (code) memory, or when jit_supports would say
 * 0 (JC_INTERNAL: no stencil for a node). */
jit_code *jit_compile(jit_pool *pool, const jc_tree *t, jit_isa isa, jc_error *err);

/* Runs pass `pass` over rows [begin,end) with the exec.h contract
 * (io->cols element 0 = row 0, io->outs element 0 = row begin, io->scalars =
 * constants then aggregate values); returns the fault mask. Thread-safe.
 * Handles the tail (rows not filling a vector) on a padded scratch copy, and
 * vzeroupper after AVX code. */
uint64_t jit_run(const jit_code *code, unsigned pass, const jc_block_io *io,
                 size_t begin, size_t end);

/* jit_run of pass 0 over rows [0, n) into one output `out` (element 0 =
 * row 0): the engine's direct call, whose common case (whole vectors, too
 * few rows to align) goes straight to the kernel. */
uint64_t jit_run_direct(const jit_code *code, const void *const *cols, const uint64_t *scalars,
                        void *out, size_t n);

/* Is output `out` of pass `pass` counted by the kernel (a bool whose
 * aggregate only counts its true rows, tree_output_counted)? Then
 * io->outs[out] of jit_run is a uint64_t to which it adds the count of
 * true rows in [begin, end), and no row is written. */
int jit_output_counted(const jit_code *code, unsigned pass, uint32_t out);

/* Code memory really held, padding included (cache accounting). */
size_t jit_code_bytes(const jit_code *code);
/* The chain for explain: stencil names in code order, passes separated by
 * "|". The array and names live as long as the code; *names is NULL when
 * out of memory (the array is made on the first call). */
size_t jit_code_stencils(const jit_code *code, const char *const **names);
/* The machine code of one pass (for disassembly). 0, or -1 if no such pass. */
int jit_code_range(const jit_code *code, unsigned pass, const void **start,
                   size_t *len);
/* Returns its memory to the pool for reuse. NULL is fine. */
void jit_code_free(jit_code *code);

#endif /* JC_JIT_JIT_H */
