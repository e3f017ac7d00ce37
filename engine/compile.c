/*
 * compile.c — jc_compile: text to a runnable program, through the cache.
 *
 * Every compile parses, type-checks and folds (that is how the key is
 * found: the canonical key of the folded typed tree, with literals as typed
 * placeholders, plus the instruction set). Only a cache miss goes on to the
 * JIT. The program keeps its own literal values and column names, so
 * `price > 100` and `qty > 250` over f64 columns share one compiled entry.
 */
#include <stdatomic.h>
#include <string.h>

#include "engine/engine.h"
#include "interp/interp.h"
#include "parser/parser.h"
#include "util/error.h"
#include "util/mem.h"

void compiled_free(void *value)
{
    compiled *c = value;
    if (!c)
        return;
    mem_free((void *)c->chain);
#ifdef JC_HAVE_JIT
    if (c->code)
        jit_code_free(c->code);
#endif
    for (size_t i = 0; i < WS_POOL_SIZE; i++)
        interp_ws_free(atomic_load(&c->ws_pool[i]));
    tree_free(&c->tree); /* its arrays are in c's block */
    mem_free(c);
}

/* Names for explain when the interpreter runs the program: its ops in
 * post-order. (The JIT's stencil chain is the code's, made when explain
 * first asks.) */
static int make_chain(compiled *c)
{
    if (c->code)
        return 0;
    c->chain = mem_calloc(c->tree.nnodes ? c->tree.nnodes : 1, sizeof(char *));
    if (!c->chain)
        return -1;
    for (uint32_t i = 0; i < c->tree.nnodes; i++)
        c->chain[i] = op_name((jc_op)c->tree.nodes[i].op);
    c->nchain = c->tree.nnodes;
    return 0;
}

/* The pool is a few atomic slots, not a locked list: a small run takes and
 * gives back a workspace on every call, and two atomic operations cost
 * less than a mutex's lock and unlock twice. */
struct interp_ws *compiled_take_ws(const compiled *cc)
{
    compiled *c = (compiled *)cc;
    for (size_t i = 0; i < WS_POOL_SIZE; i++) {
        if (!atomic_load_explicit(&c->ws_pool[i], memory_order_relaxed))
            continue;
        interp_ws *ws = atomic_exchange_explicit(&c->ws_pool[i], NULL, memory_order_acquire);
        if (ws)
            return ws;
    }
    return interp_ws_new(&c->tree);
}

void compiled_put_ws(const compiled *cc, struct interp_ws *ws)
{
    compiled *c = (compiled *)cc;
    if (!ws)
        return;
    for (size_t i = 0; i < WS_POOL_SIZE; i++) {
        interp_ws *empty = NULL;
        if (atomic_compare_exchange_strong_explicit(&c->ws_pool[i], &empty, ws,
                                                    memory_order_release,
                                                    memory_order_relaxed))
            return;
    }
    interp_ws_free(ws);
}

typedef struct build_ctx {
    const jc_engine *engine;
    const jc_tree *tree;
} build_ctx;

/* The cache's builder: runs only on a miss. */
static int build_compiled(void *ctx, void **value, size_t *bytes, jc_error *err)
{
    const build_ctx *b = ctx;
    /* the entry and its copy of the tree: one block */
    compiled *c = mem_alloc(sizeof *c + tree_packed_size(b->tree));
    if (!c)
        return error_set(err, JC_OUT_OF_MEMORY, 0, -1, "out of memory compiling");
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < WS_POOL_SIZE; i++)
        atomic_init(&c->ws_pool[i], NULL);
    tree_copy_packed(&c->tree, b->tree, c + 1);
#ifdef JC_HAVE_JIT
    const jc_engine *e = b->engine;
    if (e->use_jit) {
        jc_error jerr;
        c->code = jit_compile(e->pool, &c->tree, (jit_isa)e->isa, &jerr);
        /* A program the JIT cannot compile (an op without a stencil: what
         * jit_supports says) or place (code memory exhausted) still runs,
         * on the interpreter: slower, never wrong. */
    }
#endif
    if (make_chain(c) != 0)
        goto oom;
    const jc_tree *t = &c->tree;
    if (t->npasses == 1 && t->passes[0].is_final && t->naggs == 0)
        c->direct_rows = c->code ? JC_CHUNK_ROWS : JC_BLOCK_ROWS;
#ifdef JC_HAVE_JIT
    c->direct_count = c->code && t->npasses == 1 && !t->passes[0].is_final &&
                      t->passes[0].nout == 1 && t->naggs == 1 && t->root == t->aggs[0] &&
                      (t->nodes[t->root].op == OP_SUM || t->nodes[t->root].op == OP_AVG) &&
                      jit_output_counted(c->code, 0, 0);
#endif
    c->bytes = sizeof *c + (size_t)c->tree.nnodes * sizeof(jc_node) +
               (size_t)c->tree.nargs * sizeof(uint32_t);
#ifdef JC_HAVE_JIT
    if (c->code)
        c->bytes += jit_code_bytes(c->code);
#endif
    *value = c;
    *bytes = c->bytes;
    return 0;
oom:
    compiled_free(c);
    return error_set(err, JC_OUT_OF_MEMORY, 0, -1, "out of memory compiling");
}

/* Keys up to this many bytes are made on the stack (cache_get keeps its
 * own copy): E7, a degree-10 polynomial, has one of about 100. */
#define KEY_ON_STACK 1024

/* A program for the typed tree t: one block holds it, its literal values,
 * its column names' pointers (both filled by take_parameters) and a copy
 * of its text (for explain). NULL when out of memory. */
static jc_program *program_new(jc_engine *e, const char *expr, size_t len, const jc_tree *t)
{
    size_t params = (size_t)t->nconsts * sizeof(uint64_t) + (size_t)t->ncolumns * sizeof(char *);
    jc_program *p = mem_alloc(sizeof *p + params + len + 1);
    if (!p)
        return NULL;
    memset(p, 0, sizeof *p);
    p->consts = (uint64_t *)(p + 1);
    p->column_names = (char **)(p->consts + t->nconsts);
    p->source = (char *)(p->column_names + t->ncolumns);
    memcpy(p->source, expr, len);
    p->source[len] = '\0';
    p->source_len = len;
    p->engine = e;
    return p;
}

/* Takes what belongs to this program alone out of its typed tree: the
 * literal values (copied) and the column names (moved: the tree is freed
 * next). Called after cache_get, whose builder copies the tree whole. */
static void take_parameters(jc_program *p, jc_tree *t)
{
    for (uint32_t i = 0; i < t->nconsts; i++)
        p->consts[i] = t->consts[i].value.bits;
    for (uint32_t i = 0; i < t->ncolumns; i++) {
        p->column_names[i] = t->columns[i].name;
        t->columns[i].name = NULL;
    }
    p->ncolumns = t->ncolumns;
}

jc_program *jc_compile(jc_engine *e, const char *expr, size_t len,
                       const jc_column *schema, size_t ncols, jc_error *err)
{
    error_clear(err);
    if (!e || !expr || (ncols && !schema)) {
        error_set(err, JC_INVALID_ARGUMENT, 0, -1, "jc_compile: NULL argument");
        return NULL;
    }
    if (len == JC_NUL_TERMINATED)
        len = strlen(expr);
    jc_tree t;
    jc_program *p = NULL;
    char small_key[KEY_ON_STACK];
    char *key = small_key;
    if (parse_expression(&t, expr, len, &e->limits, err) != 0)
        return NULL;
    /* Typing folds the constants as it goes when that is all folding would
     * do (else fold_constants does), and either way the passes are
     * planned once, after folding. */
    int folded = typecheck_tree_folding(&t, schema, ncols, &e->limits, fold_node, err);
    if (folded < 0 || (folded ? tree_plan_passes(&t, err) : fold_constants(&t, err)) != 0)
        goto fail;
    /* The cache key: the instruction set, a newline, then the canonical
     * key of the typed tree. */
    size_t ilen = strlen(e->isa_name), bound = ilen + 1 + canonical_key_bound(&t);
    if (bound > sizeof small_key && !(key = mem_alloc(bound)))
        goto oom;
    memcpy(key, e->isa_name, ilen);
    key[ilen] = '\n';
    size_t klen = ilen + 1 + canonical_key_write(&t, key + ilen + 1);
    if (!(p = program_new(e, expr, len, &t)))
        goto oom;
    build_ctx ctx = {e, &t};
    int hit = 0;
    p->entry = cache_get(e->cache, key, klen, build_compiled, &ctx, &hit, err);
    p->cached = hit;
    if (!p->entry)
        goto fail;
    p->code = cache_entry_value(p->entry);
    take_parameters(p, &t);
    if (key != small_key)
        mem_free(key);
    tree_free(&t);
    return p;
oom:
    error_set(err, JC_OUT_OF_MEMORY, 0, -1, "out of memory compiling");
fail:
    if (key != small_key)
        mem_free(key);
    tree_free(&t);
    jc_program_free(p);
    return NULL;
}

void jc_program_free(jc_program *p)
{
    if (!p)
        return;
    if (p->entry)
        cache_release(p->engine->cache, p->entry);
    for (uint32_t i = 0; i < p->ncolumns; i++)
        mem_free(p->column_names[i]);
    mem_free(atomic_load(&p->canonical));
    mem_free(p); /* and its literal values, name pointers and text */
}

jc_type jc_program_type(const jc_program *p)
{
    const jc_tree *t = &p->code->tree;
    return (jc_type)t->nodes[t->root].type;
}

int jc_program_is_column(const jc_program *p)
{
    const jc_tree *t = &p->code->tree;
    return (t->nodes[t->root].flags & NODE_ROWWISE) != 0;
}

/* Made on first use, not on every compile: printing floats shortest is a
 * large part of a compile's cost, and few callers ask. Threads racing here
 * both print; one wins, the other frees its copy. */
int jc_program_cached(const jc_program *p) { return p->cached; }

const char *jc_program_canonical(const jc_program *p)
{
    jc_program *mp = (jc_program *)p;
    char *text = atomic_load(&mp->canonical);
    if (text)
        return text;
    jc_tree t;
    jc_error err;
    if (parse_expression(&t, p->source, p->source_len, &p->engine->limits, &err) != 0)
        return NULL; /* it parsed at compile time: only out of memory */
    text = canonical_text(&t, CANON_TEXT, NULL);
    tree_free(&t);
    char *expected = NULL;
    if (text && !atomic_compare_exchange_strong(&mp->canonical, &expected, text)) {
        mem_free(text);
        text = expected;
    }
    return text;
}

size_t jc_program_column_count(const jc_program *p) { return p->code->tree.ncolumns; }

const char *jc_program_column_name(const jc_program *p, size_t i)
{
    return i < p->code->tree.ncolumns ? p->column_names[i] : NULL;
}

jc_type jc_program_column_type(const jc_program *p, size_t i)
{
    return i < p->code->tree.ncolumns ? (jc_type)p->code->tree.columns[i].type : JC_F64;
}

int jc_program_explain(const jc_program *p, jc_explain *out, jc_error *err)
{
    if (!p || !out)
        return error_set(err, JC_INVALID_ARGUMENT, 0, -1, "jc_program_explain: NULL argument");
    out->arch = engine_arch();
    out->isa = p->code->code ? p->engine->isa_name : "none";
    out->code_bytes = 0;
#ifdef JC_HAVE_JIT
    if (p->code->code)
        out->code_bytes = jit_code_bytes(p->code->code);
#endif
    out->nstencils = p->code->nchain;
    out->stencils = p->code->chain;
#ifdef JC_HAVE_JIT
    if (p->code->code) {
        const char *const *names;
        out->nstencils = jit_code_stencils(p->code->code, &names);
        out->stencils = names;
        if (!names)
            return error_set(err, JC_OUT_OF_MEMORY, 0, -1, "out of memory");
    }
#endif
    return 0;
}

int jc_program_code(const jc_program *p, unsigned pass, const void **code, size_t *len)
{
    *code = NULL;
    *len = 0;
#ifdef JC_HAVE_JIT
    if (p->code->code)
        return jit_code_range(p->code->code, pass, code, len);
#else
    (void)p;
    (void)pass;
#endif
    return 0;
}
