/*
 * engine.c — the engine: options, the choice of instruction set, the code
 * pool and the cache every program of the engine shares, and its counters.
 */
#include "engine/engine.h"

#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/mem.h"

const char *jc_version(void) { return JITCALC_VERSION; }

const char *engine_arch(void)
{
#ifdef JC_HAVE_JIT
    return jit_arch();
#elif defined(__x86_64__)
    return "x86_64";
#elif defined(__aarch64__)
    return "aarch64";
#elif defined(__riscv) && __riscv_xlen == 64
    return "riscv64";
#else
    return "unknown";
#endif
}

void jc_options_init(jc_options *opts)
{
    if (!opts)
        return;
    memset(opts, 0, sizeof *opts);
    opts->jit = 1;
    opts->isa = NULL;
    opts->cache_entries = JC_DEFAULT_CACHE_ENTRIES;
    opts->cache_bytes = JC_DEFAULT_CACHE_BYTES;
    opts->max_expr_bytes = JC_DEFAULT_MAX_EXPR_BYTES;
    opts->max_depth = JC_DEFAULT_MAX_DEPTH;
    opts->max_columns = JC_DEFAULT_MAX_COLUMNS;
    opts->threads = 1;
}

/* Picks the instruction set: explicit option, else $JITCALC_ISA, else the
 * best the CPU has. "none" (or jit = 0) selects the interpreter. */
static int choose_isa(jc_engine *e, jc_error *err)
{
    const char *want = e->opts.isa;
    if (!want || strcmp(want, "auto") == 0) {
        const char *env = getenv("JITCALC_ISA");
        want = (env && *env) ? env : "auto";
    }
    e->use_jit = 0;
    e->isa = 0;
    e->isa_name = "none";
    if (!e->opts.jit || strcmp(want, "none") == 0)
        return 0;
#ifdef JC_HAVE_JIT
    jit_isa isa;
    if (strcmp(want, "auto") == 0) {
        isa = jit_isa_best();
    } else {
        if (jit_isa_parse(want, &isa) != 0)
            return error_set(err, JC_INVALID_ARGUMENT, 0, -1,
                             "unknown instruction set '%s' (use none, sse2, "
                             "avx2, avx512, neon or auto)", want);
        if (!jit_isa_supported(isa))
            return error_set(err, JC_INVALID_ARGUMENT, 0, -1,
                             "instruction set '%s' is not supported by this "
                             "CPU or build", want);
    }
    if (isa == JIT_ISA_NONE)
        return 0;
    e->use_jit = 1;
    e->isa = (int)isa;
    e->isa_name = jit_isa_name(isa);
    return 0;
#else
    if (strcmp(want, "auto") == 0)
        return 0;
    return error_set(err, JC_INVALID_ARGUMENT, 0, -1,
                     "instruction set '%s' requested, but this build of "
                     "jitcalc has no JIT for %s", want, engine_arch());
#endif
}

jc_engine *jc_engine_new(const jc_options *opts, jc_error *err)
{
    error_clear(err);
    jc_engine *e = mem_calloc(1, sizeof *e);
    if (!e) {
        error_set(err, JC_OUT_OF_MEMORY, 0, -1, "out of memory creating an engine");
        return NULL;
    }
    if (opts)
        e->opts = *opts;
    else
        jc_options_init(&e->opts);
    if (e->opts.threads == 0)
        e->opts.threads = 1;
    e->limits.max_expr_bytes = e->opts.max_expr_bytes;
    e->limits.max_depth = e->opts.max_depth;
    e->limits.max_columns = e->opts.max_columns;
    if (choose_isa(e, err) != 0)
        goto fail;
#ifdef JC_HAVE_JIT
    if (e->use_jit && !(e->pool = jit_pool_new(err)))
        goto fail;
#endif
    e->cache = cache_new(e->opts.cache_entries, e->opts.cache_bytes, compiled_free);
    if (!e->cache) {
        error_set(err, JC_OUT_OF_MEMORY, 0, -1, "out of memory creating the cache");
        goto fail;
    }
    return e;
fail:
    jc_engine_free(e);
    return NULL;
}

void jc_engine_free(jc_engine *e)
{
    if (!e)
        return;
    if (e->cache)
        cache_free(e->cache);
#ifdef JC_HAVE_JIT
    if (e->pool)
        jit_pool_free(e->pool);
#endif
    mem_free(e);
}

void jc_engine_stats(const jc_engine *e, jc_stats *out)
{
    if (!out)
        return;
    memset(out, 0, sizeof *out);
    if (!e)
        return;
    cache_stats cs;
    cache_get_stats(e->cache, &cs);
    out->cache_entries = cs.entries;
    out->cache_code_bytes = cs.bytes;
    out->cache_hits = cs.hits;
    out->cache_misses = cs.misses;
    out->cache_evictions = cs.evictions;
    out->compile_ns = cs.build_ns;
    out->jit = e->use_jit;
    out->isa = e->isa_name;
    out->arch = engine_arch();
}
