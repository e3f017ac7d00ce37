/* tree.c — the post-order node array: growth, copy, free (see tree.h). */
#include "parser/tree.h"

#include <string.h>

#include "util/mem.h"

void tree_init(jc_tree *t)
{
    memset(t, 0, sizeof *t);
}

void tree_free(jc_tree *t)
{
    if (!t)
        return;
    if (t->borrowed) {
        tree_init(t);
        return;
    }
    for (uint32_t i = 0; i < t->ncolumns; i++)
        mem_free(t->columns[i].name);
    mem_free(t->nodes);
    mem_free(t->args);
    mem_free(t->consts);
    mem_free(t->columns);
    mem_free(t->aggs);
    mem_free(t->passes);
    mem_free(t->pass_outs);
    tree_init(t);
}

/* Makes room for `need` elements of `size` bytes in *arr (capacity *cap),
 * doubling so that appends are amortised O(1). Returns -1 when out of
 * memory or when the count would not fit in 32 bits. */
static int grow(void **arr, uint32_t *cap, uint64_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    if (need > UINT32_MAX - 1)
        return -1;
    uint64_t ncap = *cap ? (uint64_t)*cap * 2 : 16;
    while (ncap < need)
        ncap *= 2;
    if (ncap > UINT32_MAX - 1)
        ncap = UINT32_MAX - 1;
    void *p = mem_realloc(*arr, (size_t)ncap * size);
    if (!p)
        return -1;
    *arr = p;
    *cap = (uint32_t)ncap;
    return 0;
}

/* Sets the capacity of *arr to exactly `want` elements when it is smaller. */
static int reserve(void **arr, uint32_t *cap, uint32_t want, size_t size)
{
    if (want <= *cap)
        return 0;
    void *p = mem_realloc(*arr, (size_t)want * size);
    if (!p)
        return -1;
    *arr = p;
    *cap = want;
    return 0;
}

int tree_reserve(jc_tree *t, uint32_t nodes, uint32_t args)
{
    if (nodes > UINT32_MAX - 1 || args > UINT32_MAX - 1 ||
        reserve((void **)&t->nodes, &t->nodes_cap, nodes, sizeof *t->nodes) < 0 ||
        reserve((void **)&t->args, &t->args_cap, args, sizeof *t->args) < 0)
        return -1;
    return 0;
}

int tree_grow(jc_tree *t, uint32_t nkids)
{
    if (grow((void **)&t->nodes, &t->nodes_cap, (uint64_t)t->nnodes + 1,
             sizeof *t->nodes) < 0 ||
        grow((void **)&t->args, &t->args_cap, (uint64_t)t->nargs + nkids,
             sizeof *t->args) < 0)
        return -1;
    return 0;
}

uint32_t tree_subtree_first(const jc_tree *t, uint32_t n)
{
    while (t->nodes[n].nargs)
        n = t->args[t->nodes[n].first_arg];
    return n;
}

uint32_t tree_output_agg(const jc_tree *t, uint32_t out)
{
    for (uint32_t k = 0; k < t->naggs; k++) {
        const jc_node *a = &t->nodes[t->aggs[k]];
        if (a->nargs == 1 && a->op != OP_COUNT && tree_agg_input(t, t->aggs[k]) == out)
            return k;
    }
    return UINT32_MAX;
}

int tree_output_counted(const jc_tree *t, uint32_t out)
{
    uint32_t k = tree_output_agg(t, out);
    if (k == UINT32_MAX || t->nodes[out].type != JC_BOOL)
        return 0;
    uint8_t op = t->nodes[t->aggs[k]].op;
    return op == OP_SUM || op == OP_AVG;
}

/* Copies count elements of size bytes; NULL source stays NULL. */
static int dup_array(void **dst, const void *src, size_t count, size_t size)
{
    *dst = NULL;
    if (!src || !count)
        return 0;
    *dst = mem_alloc(count * size);
    if (!*dst)
        return -1;
    memcpy(*dst, src, count * size);
    return 0;
}

/* The counts of a copy of src whose arrays are set (an empty array is NULL
 * and counts 0); columns are the caller's. */
static void copy_counts(jc_tree *t, const jc_tree *src)
{
    t->nnodes = t->nodes_cap = t->nodes ? src->nnodes : 0;
    t->nargs = t->args_cap = t->args ? src->nargs : 0;
    t->nconsts = t->consts_cap = t->consts ? src->nconsts : 0;
    t->naggs = t->aggs ? src->naggs : 0;
    t->npasses = t->passes ? src->npasses : 0;
    t->npass_outs = t->pass_outs ? src->npass_outs : 0;
    t->root = src->root;
}

int tree_copy(jc_tree *dst, const jc_tree *src)
{
    jc_tree t;
    tree_init(&t);
    if (dup_array((void **)&t.nodes, src->nodes, src->nnodes,
                  sizeof *src->nodes) < 0 ||
        dup_array((void **)&t.args, src->args, src->nargs, sizeof *src->args) < 0 ||
        dup_array((void **)&t.consts, src->consts, src->nconsts,
                  sizeof *src->consts) < 0 ||
        dup_array((void **)&t.aggs, src->aggs, src->naggs, sizeof *src->aggs) < 0 ||
        dup_array((void **)&t.passes, src->passes, src->npasses,
                  sizeof *src->passes) < 0 ||
        dup_array((void **)&t.pass_outs, src->pass_outs, src->npass_outs,
                  sizeof *src->pass_outs) < 0)
        goto fail;
    copy_counts(&t, src);
    if (src->ncolumns) {
        t.columns = mem_calloc(src->ncolumns, sizeof *t.columns);
        if (!t.columns)
            goto fail;
        t.columns_cap = src->ncolumns;
        for (uint32_t i = 0; i < src->ncolumns; i++) {
            t.columns[i] = src->columns[i];
            t.columns[i].name = mem_strndup(src->columns[i].name,
                                            src->columns[i].len);
            if (!t.columns[i].name)
                goto fail;
            t.ncolumns = i + 1;
        }
    }
    *dst = t;
    return 0;
fail:
    tree_free(&t);
    tree_init(dst);
    return -1;
}

static size_t round8(size_t n) { return (n + 7) & ~(size_t)7; }

size_t tree_packed_size(const jc_tree *src)
{
    size_t bytes = round8((size_t)src->nnodes * sizeof *src->nodes) +
                   round8((size_t)src->nargs * sizeof *src->args) +
                   round8((size_t)src->nconsts * sizeof *src->consts) +
                   round8((size_t)src->ncolumns * sizeof *src->columns) +
                   round8((size_t)src->naggs * sizeof *src->aggs) +
                   round8((size_t)src->npasses * sizeof *src->passes) +
                   round8((size_t)src->npass_outs * sizeof *src->pass_outs);
    for (uint32_t i = 0; i < src->ncolumns; i++)
        bytes += src->columns[i].len + 1;
    return bytes;
}

/* Copies count elements of size bytes to *at (moved on, 8-aligned); NULL
 * for none, as tree_copy leaves an empty array. */
static void *pack_array(char **at, const void *src, size_t count, size_t size)
{
    if (!src || !count)
        return NULL;
    void *dst = *at;
    memcpy(dst, src, count * size);
    *at += round8(count * size);
    return dst;
}

void tree_copy_packed(jc_tree *dst, const jc_tree *src, void *mem)
{
    char *at = mem;
    jc_tree t;
    tree_init(&t);
    t.nodes = pack_array(&at, src->nodes, src->nnodes, sizeof *src->nodes);
    t.args = pack_array(&at, src->args, src->nargs, sizeof *src->args);
    t.consts = pack_array(&at, src->consts, src->nconsts, sizeof *src->consts);
    t.columns = pack_array(&at, src->columns, src->ncolumns, sizeof *src->columns);
    t.aggs = pack_array(&at, src->aggs, src->naggs, sizeof *src->aggs);
    t.passes = pack_array(&at, src->passes, src->npasses, sizeof *src->passes);
    t.pass_outs = pack_array(&at, src->pass_outs, src->npass_outs, sizeof *src->pass_outs);
    copy_counts(&t, src);
    t.ncolumns = t.columns_cap = t.columns ? src->ncolumns : 0;
    for (uint32_t i = 0; i < t.ncolumns; i++) {
        t.columns[i].name = memcpy(at, src->columns[i].name, src->columns[i].len);
        at[src->columns[i].len] = '\0';
        at += src->columns[i].len + 1;
    }
    t.borrowed = 1;
    *dst = t;
}
