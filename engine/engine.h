/*
 * engine.h — libjitcalc's own internals: what an engine, a compiled
 * expression and a program are, shared by the files of engine/.
 *
 *   jc_compile:  text ─parse─▶ parse tree ─typecheck+fold─▶ typed tree
 *                ─canonical key─▶ cache ─(miss: JIT or interpreter)─▶ compiled
 *   jc_run:      program + columns ─bind─▶ executor (run.c) ─▶ jc_result
 *
 * A `compiled` is what the cache keeps: the typed tree and its machine code,
 * shared by every program whose expression has the same canonical key. A
 * `jc_program` adds what differs between such expressions: the literal
 * values (literals are parameters) and the column names.
 */
#ifndef JC_ENGINE_ENGINE_H
#define JC_ENGINE_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "cache/cache.h"
#include "interp/exec.h"
#include "jitcalc.h"
#include "parser/tree.h"

#ifdef JC_HAVE_JIT
#include "jit/jit.h"
#else
typedef struct jit_pool jit_pool;
typedef struct jit_code jit_code;
#endif

struct jc_engine {
    jc_options opts;
    jc_limits limits;
    int use_jit;         /* 1 when programs are compiled to machine code */
    int isa;             /* jit_isa when use_jit */
    const char *isa_name;
    jit_pool *pool;
    cache *cache;
};

/* Workspaces kept per compiled entry: about the number of threads that run
 * one program at the same time. */
#define WS_POOL_SIZE 8

/* What the cache keeps for one canonical key. Immutable once built, but for
 * its pool of interpreter workspaces. */
typedef struct compiled {
    jc_tree tree;        /* typed, folded; its const values are the first
                            compiler's and are never read at run time */
    jit_code *code;      /* NULL: the interpreter runs it */
    size_t bytes;        /* what the entry holds, for the cache's bound */
    const char **chain;  /* explain without JIT code: the interpreter's op names */
    size_t nchain;
    /* Most rows the executor may run straight through the kernel
     * (run.c, run_direct): a row-wise tree of one pass and no aggregate;
     * 0 for any other tree. Decided once here, not on every run. */
    size_t direct_rows;
    /* 1 when the whole tree is one sum or avg of a bool that the JIT
     * counts in its kernel (`sum(a > 0.5 and b < 0.2)`): run.c's
     * run_direct_count answers it with one kernel call. */
    int direct_count;
    /* Interpreter workspaces kept between runs: making one prepares the
     * block program of every pass, which would otherwise be paid per run.
     * A slot is empty (NULL) or holds one; compiled_take_ws and
     * compiled_put_ws swap them atomically. */
    _Atomic(struct interp_ws *) ws_pool[WS_POOL_SIZE];
} compiled;

/* Takes a workspace for c's tree from its pool (or makes one); NULL when
 * out of memory. Give it back with compiled_put_ws. */
struct interp_ws *compiled_take_ws(const compiled *c);
void compiled_put_ws(const compiled *c, struct interp_ws *ws);

struct jc_program {
    jc_engine *engine;
    cache_entry *entry;
    const compiled *code;
    uint64_t *consts;    /* this expression's literal values, by slot */
    char **column_names; /* by slot */
    uint32_t ncolumns;
    int cached;          /* this compile was a cache hit */
    char *source;        /* the expression as given, for explain */
    size_t source_len;
    _Atomic(char *) canonical; /* CANON_TEXT of the parse tree, made lazily */
};

/* engine.c */
const char *engine_arch(void);

/* compile.c */
void compiled_free(void *value);

/* run.c: runs a compiled tree over bound columns (cols by slot, all nrows
 * long) with the literal values consts; fills out. A column result goes
 * into `into` when it is not NULL (nrows elements), else into a new array.
 * Errors carry rows of the bound columns. */
int run_compiled(const jc_engine *engine, const compiled *c,
                 const uint64_t *consts, const void *const *cols,
                 size_t nrows, void *into, jc_result *out, jc_error *err);
/* A tree that is one count the JIT keeps in its kernel (direct_count),
 * over rows that fit one chunk: one kernel call. 0 when *out is the
 * answer; 1 when this does not apply or a row may have faulted, and
 * run_compiled must decide. */
int run_direct_count(const compiled *c, const uint64_t *consts, const void *const *cols,
                     size_t nrows, jc_result *out);
/* run_compiled without its direct calls: what runs when those said no. */
int run_general(const jc_engine *engine, const compiled *c, const uint64_t *consts,
                const void *const *cols, size_t nrows, void *into, jc_result *out,
                jc_error *err);

/* The direct call of a row-wise expression into the caller's buffer, in
 * line for jc_run_slots_into (a call over a thousand rows costs about its
 * instructions): 0 when the JIT ran the rows without a possible fault; 1
 * when a row may have faulted (run_general decides); -1 when it does not
 * apply (run_compiled). */
static inline int run_direct_jit_into(const compiled *c, const uint64_t *consts,
                                      const void *const *cols, size_t nrows, void *into)
{
#ifdef JC_HAVE_JIT
    if (c->code && nrows - 1 < c->direct_rows)
        return jit_run_direct(c->code, cols, consts, into, nrows) != 0;
#else
    (void)c, (void)consts, (void)cols, (void)nrows, (void)into;
#endif
    return -1;
}

#endif /* JC_ENGINE_ENGINE_H */
