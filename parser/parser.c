/*
 * parser.c — tokens to the parse tree, without recursion.
 *
 * An operator-precedence (shunting-yard) parser: operands go straight into
 * the post-order node array, operators wait on an explicit, heap-allocated
 * frame stack until an operator of lower precedence (or a `)`, `,` or the
 * end) pops them. Post-order is exactly the order in which the shunting yard
 * emits, so the tree is built as the text is read. Nothing here recurses,
 * so neither a 30,000-term chain nor 100,000 parentheses can touch the C
 * stack; the nesting limit is a language rule, checked when a level opens.
 *
 * Binding levels (issue 3's table), lowest first:
 *   1 or ||   2 and &&   3 not ! (prefix)   4 comparisons (non-associative)
 *   5 + -     6 * / // %  7 - + (prefix)     8 ^ ** (right-associative)
 * Prefix - and + bind tighter than anything binary, also than ^: -2^2 is
 * (-2)^2 = 4, while 2^-1 reads the prefix minus as the power's operand.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "parser/internal.h"
#include "parser/parser.h"
#include "util/error.h"
#include "util/mem.h"

enum { LV_OR = 1, LV_AND, LV_NOT, LV_CMP, LV_ADD, LV_MUL, LV_PREFIX, LV_POW };

enum { FR_BINARY, FR_PREFIX, FR_PAREN, FR_CALL };

typedef struct frame {
    uint8_t kind;  /* FR_* */
    uint8_t op;    /* jc_op (binary and prefix) */
    uint8_t level; /* LV_* (binary and prefix) */
    uint32_t pos;
    uint32_t argc;  /* call: arguments completed */
    uint32_t vbase; /* call: value stack height at its `(` */
    const func_info *fn;
} frame;

/* An operand waiting for its operator: its node and nesting depth. */
typedef struct value {
    uint32_t node;
    uint32_t depth;
} value;

/* The operator and operand stacks start in the parser itself and move to
 * the heap only when an expression outgrows them: most never do, and a
 * parse is then one allocation fewer each. */
#define INLINE_FRAMES 32
#define INLINE_VALS 64

/* Up to this many distinct columns are found by a linear scan; more get a
 * hash table. */
#define LINEAR_COLUMNS 8

/* The parse tree has at most one node per byte of text (every node has a
 * token of its own); texts up to this many bytes get their node arrays
 * sized once, longer ones grow from there. */
#define RESERVE_NODES 4096

typedef struct parser {
    lexer lx;
    token tok;
    token ahead;
    int have_ahead;
    jc_tree *t;
    jc_limits lim;
    jc_error *err;
    frame *frames;
    size_t nframes, frames_cap;
    value *vals;
    size_t nvals, vals_cap;
    unsigned nest;     /* open levels: parens, calls, prefixes, powers */
    uint32_t *colhash; /* open addressing: column slot + 1, 0 = empty */
    size_t colhash_cap;
    frame frames_inline[INLINE_FRAMES];
    value vals_inline[INLINE_VALS];
} parser;

static int oom(parser *p)
{
    return error_set(p->err, JC_OUT_OF_MEMORY, 0, -1, "out of memory");
}

/* Grows *arr (capacity *cap, elements of `size` bytes) to hold `need`,
 * doubling. An array still in its inline buffer `inl` is copied out to the
 * heap; the buffer itself is never freed. */
static int grow(void **arr, size_t *cap, size_t need, size_t size,
                const void *inl)
{
    if (need <= *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : 32;
    while (ncap < need)
        ncap *= 2;
    void *q;
    if (*arr == inl) {
        q = mem_alloc(ncap * size);
        if (q && *cap)
            memcpy(q, *arr, *cap * size);
    } else {
        q = mem_realloc(*arr, ncap * size);
    }
    if (!q)
        return -1;
    *arr = q;
    *cap = ncap;
    return 0;
}

/* "`<token text>`" or "the end of the expression", for messages. */
static const char *describe(const parser *p, const token *tok, char *buf,
                            size_t size)
{
    if (tok->kind == TOK_END)
        return "the end of the expression";
    size_t n = tok->len > 40 ? 40 : tok->len;
    snprintf(buf, size, "`%.*s%s`", (int)n, p->lx.text + tok->start,
             tok->len > n ? "..." : "");
    return buf;
}

static inline int next(parser *p)
{
    if (p->have_ahead) {
        p->tok = p->ahead;
        p->have_ahead = 0;
        return 0;
    }
    return lexer_next(&p->lx, &p->tok, p->err);
}

/* The stacks' slow path: moves one to the heap or doubles it. */
static int grow_stack(parser *p, int frames)
{
    if (frames ? grow((void **)&p->frames, &p->frames_cap, p->nframes + 1,
                      sizeof *p->frames, p->frames_inline) < 0
               : grow((void **)&p->vals, &p->vals_cap, p->nvals + 1,
                      sizeof *p->vals, p->vals_inline) < 0)
        return oom(p);
    return 0;
}

static inline int push_value(parser *p, uint32_t node, uint32_t depth)
{
    if (node == UINT32_MAX)
        return oom(p);
    if (p->nvals == p->vals_cap && grow_stack(p, 0) < 0)
        return -1;
    p->vals[p->nvals++] = (value){node, depth};
    return 0;
}

static int too_deep(parser *p, uint32_t pos)
{
    return error_set(p->err, JC_LIMIT_EXCEEDED, pos, -1,
                     "expression nested deeper than %u levels (each "
                     "parenthesis, function call, prefix operator and "
                     "power adds a level)",
                     p->lim.max_depth);
}

/* Opens a frame (its other fields zero); a frame that nests (anything but
 * a left-associative binary operator) counts against the depth limit right
 * here, before anything inside it is read. NULL on error. */
static inline frame *push_frame(parser *p, uint8_t kind, uint8_t op, uint8_t level,
                                uint32_t pos)
{
    int nests = kind != FR_BINARY || op == OP_POW;
    if (nests && p->nest + 1 > p->lim.max_depth) {
        too_deep(p, pos);
        return NULL;
    }
    if (p->nframes == p->frames_cap && grow_stack(p, 1) < 0)
        return NULL;
    frame *f = &p->frames[p->nframes++];
    f->kind = kind;
    f->op = op;
    f->level = level;
    f->pos = pos;
    f->argc = 0;
    f->vbase = 0;
    f->fn = NULL;
    p->nest += nests;
    return f;
}

static inline int check_depth(parser *p, uint32_t depth, uint32_t pos)
{
    return depth > p->lim.max_depth ? too_deep(p, pos) : 0;
}

/* The first constant, or a constant past the array's end (its slow
 * path). */
static int grow_consts(parser *p)
{
    jc_tree *t = p->t;
    size_t cap = t->consts_cap;
    if (grow((void **)&t->consts, &cap, (size_t)t->nconsts + 1, sizeof *t->consts, NULL) < 0)
        return oom(p);
    t->consts_cap = (uint32_t)cap;
    return 0;
}

static inline int add_const(parser *p, jc_type type, jc_value v, uint32_t pos)
{
    jc_tree *t = p->t;
    if (t->nconsts == t->consts_cap && grow_consts(p) < 0)
        return -1;
    t->consts[t->nconsts] = (jc_const){.value = v, .type = (uint8_t)type};
    uint32_t node = tree_add(t, OP_CONST, pos, NULL, 0);
    if (node == UINT32_MAX)
        return oom(p);
    t->nodes[node].slot = t->nconsts++;
    return push_value(p, node, 0);
}

static uint64_t hash_name(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

static int rehash_columns(parser *p)
{
    size_t cap = p->colhash_cap ? p->colhash_cap * 2 : 64;
    uint32_t *h = mem_calloc(cap, sizeof *h);
    if (!h)
        return oom(p);
    for (uint32_t i = 0; i < p->t->ncolumns; i++) {
        const jc_colref *c = &p->t->columns[i];
        size_t at = hash_name(c->name, c->len) & (cap - 1);
        while (h[at])
            at = (at + 1) & (cap - 1);
        h[at] = i + 1;
    }
    mem_free(p->colhash);
    p->colhash = h;
    p->colhash_cap = cap;
    return 0;
}

/* memcmp(a, b, n) == 0 without a call: names are mostly a few bytes. */
static int same_bytes(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

/* The slot of the column called name, or UINT32_MAX; *at gets the hash
 * table position where it is or would go (when there is a table). */
static uint32_t find_column(const parser *p, const char *name, size_t len,
                            size_t *at)
{
    const jc_tree *t = p->t;
    if (!p->colhash) {
        for (uint32_t i = 0; i < t->ncolumns; i++)
            if (t->columns[i].len == len && same_bytes(t->columns[i].name, name, len))
                return i;
        return UINT32_MAX;
    }
    size_t mask = p->colhash_cap - 1;
    for (*at = hash_name(name, len) & mask; p->colhash[*at]; *at = (*at + 1) & mask) {
        const jc_colref *c = &t->columns[p->colhash[*at] - 1];
        if (c->len == len && same_bytes(c->name, name, len))
            return p->colhash[*at] - 1;
    }
    return UINT32_MAX;
}

/* Lists a column not seen before; *slot gets its slot. `owned` as in
 * add_column. */
static int new_column(parser *p, const char *name, size_t len, char *owned, size_t at,
                      uint32_t pos, uint32_t *slot)
{
    jc_tree *t = p->t;
    if (t->ncolumns >= p->lim.max_columns) {
        mem_free(owned);
        return error_set(p->err, JC_LIMIT_EXCEEDED, pos, -1,
                         "more than %u distinct columns in one expression",
                         p->lim.max_columns);
    }
    size_t cap = t->columns_cap;
    char *copy = owned ? owned : mem_strndup(name, len);
    if (!copy ||
        grow((void **)&t->columns, &cap, (size_t)t->ncolumns + 1,
             sizeof *t->columns, NULL) < 0) {
        mem_free(copy);
        return oom(p);
    }
    t->columns_cap = (uint32_t)cap;
    *slot = t->ncolumns++;
    t->columns[*slot] = (jc_colref){.name = copy, .len = len, .type = 0};
    if (p->colhash)
        p->colhash[at] = *slot + 1;
    /* keep the table at most half full; start one past the linear
     * scan's reach */
    if ((p->colhash || t->ncolumns > LINEAR_COLUMNS) &&
        t->ncolumns * 2 > p->colhash_cap && rehash_columns(p) < 0)
        return -1;
    return 0;
}

/* Adds a COLUMN node for name (len bytes); a name seen before reuses its
 * slot, so columns[] lists distinct names in order of first use. `owned` is
 * NULL when name points into the text, else name itself, allocated (a
 * decoded quoted name): taken over or freed here. */
static inline int add_column(parser *p, const char *name, size_t len, char *owned,
                             uint32_t pos)
{
    size_t at = 0;
    uint32_t slot = find_column(p, name, len, &at);
    if (slot == UINT32_MAX) {
        if (new_column(p, name, len, owned, at, pos, &slot) < 0)
            return -1;
    } else if (owned) {
        mem_free(owned);
    }
    uint32_t node = tree_add(p->t, OP_COLUMN, pos, NULL, 0);
    if (node == UINT32_MAX)
        return oom(p);
    p->t->nodes[node].slot = slot;
    return push_value(p, node, 0);
}

/* Pops the operator frame on top and builds its node from the operands,
 * which it replaces on the value stack. */
static inline __attribute__((always_inline)) int reduce(parser *p)
{
    const frame *f = &p->frames[--p->nframes];
    uint32_t k = f->kind == FR_BINARY ? 2 : 1;
    value *v = &p->vals[p->nvals - k];
    uint32_t kids[2] = {v[0].node, v[k - 1].node};
    uint32_t depth = v[0].depth > v[k - 1].depth ? v[0].depth : v[k - 1].depth;
    if (f->kind == FR_PREFIX || f->op == OP_POW) {
        p->nest--;
        depth++;
        if (check_depth(p, depth, f->pos) < 0)
            return -1;
    }
    uint32_t node = tree_add(p->t, (jc_op)f->op, f->pos, kids, k);
    if (node == UINT32_MAX)
        return oom(p);
    p->nvals -= k - 1;
    v[0] = (value){node, depth};
    return 0;
}

/* Pops operators that bind tighter than an incoming binary operator of
 * binding level `level`; a second comparison at the same level is the one
 * error that this detects (comparisons do not chain). */
static int reduce_for(parser *p, unsigned level, const token *op)
{
    while (p->nframes) {
        const frame *f = &p->frames[p->nframes - 1];
        if (f->kind == FR_PREFIX) {
            if (f->level == LV_NOT && level > LV_NOT)
                break; /* not a < b is not (a < b) */
        } else if (f->kind == FR_BINARY) {
            if (f->level < level)
                break;
            if (f->level == level && level == LV_POW)
                break; /* right-associative */
            if (f->level == level && level == LV_CMP)
                return error_set(
                    p->err, JC_PARSE_ERROR, op->pos, -1,
                    "comparisons do not chain: `a < b < c` is an error; "
                    "write `a < b and b < c`");
        } else {
            break; /* ( or a call */
        }
        if (reduce(p) < 0)
            return -1;
    }
    return 0;
}

/* Pops every operator down to the innermost `(` or call. */
static int reduce_group(parser *p)
{
    while (p->nframes && (p->frames[p->nframes - 1].kind == FR_BINARY ||
                          p->frames[p->nframes - 1].kind == FR_PREFIX))
        if (reduce(p) < 0)
            return -1;
    return 0;
}

/* Binary operators by token: op and binding level (0: not one). */
static const struct binary {
    uint8_t op, level;
} binary[TOK_POW + 1] = {
    [TOK_OR] = {OP_OR, LV_OR},       [TOK_AND] = {OP_AND, LV_AND},
    [TOK_EQ] = {OP_EQ, LV_CMP},      [TOK_NE] = {OP_NE, LV_CMP},
    [TOK_LT] = {OP_LT, LV_CMP},      [TOK_LE] = {OP_LE, LV_CMP},
    [TOK_GT] = {OP_GT, LV_CMP},      [TOK_GE] = {OP_GE, LV_CMP},
    [TOK_PLUS] = {OP_ADD, LV_ADD},   [TOK_MINUS] = {OP_SUB, LV_ADD},
    [TOK_STAR] = {OP_MUL, LV_MUL},   [TOK_SLASH] = {OP_DIV, LV_MUL},
    [TOK_DSLASH] = {OP_IDIV, LV_MUL}, [TOK_PERCENT] = {OP_MOD, LV_MUL},
    [TOK_POW] = {OP_POW, LV_POW},
};

/* Closes the call frame on top: checks the argument count and builds the
 * function node from the last argc values. */
static int close_call(parser *p)
{
    frame f = p->frames[--p->nframes];
    p->nest--;
    const func_info *fn = f.fn;
    if (f.argc < fn->min_args ||
        (fn->max_args != FUNC_VARIADIC && f.argc > fn->max_args)) {
        char want[40];
        if (fn->max_args == FUNC_VARIADIC)
            snprintf(want, sizeof want, "at least %u argument%s",
                     fn->min_args, fn->min_args == 1 ? "" : "s");
        else if (fn->min_args != fn->max_args)
            snprintf(want, sizeof want, "%u or %u arguments", fn->min_args,
                     fn->max_args);
        else
            snprintf(want, sizeof want, "%u argument%s", fn->min_args,
                     fn->min_args == 1 ? "" : "s");
        return error_set(p->err, JC_TYPE_ERROR, f.pos, -1,
                         "%s() takes %s, got %u", fn->name, want, f.argc);
    }
    jc_op op = fn->op;
    if (op == OP_ROUND && f.argc == 2)
        op = OP_ROUND2;
    uint32_t depth = 0;
    value *v = &p->vals[f.vbase];
    uint32_t small[8];
    uint32_t *kids = small;
    if (f.argc > sizeof small / sizeof *small &&
        !(kids = mem_alloc(f.argc * sizeof *kids)))
        return oom(p);
    for (uint32_t i = 0; i < f.argc; i++) {
        kids[i] = v[i].node;
        if (v[i].depth > depth)
            depth = v[i].depth;
    }
    uint32_t node = tree_add(p->t, op, f.pos, f.argc ? kids : NULL, f.argc);
    if (kids != small)
        mem_free(kids);
    if (node == UINT32_MAX)
        return oom(p);
    if (check_depth(p, depth + 1, f.pos) < 0)
        return -1;
    p->nvals = f.vbase;
    return push_value(p, node, depth + 1);
}

/* A name followed by `(`: opens a call. The `(` has been read. */
static int open_call(parser *p, const token *name)
{
    const func_info *fn = func_lookup(p->lx.text + name->start, name->len);
    if (!fn)
        return error_set(p->err, JC_UNKNOWN_FUNCTION, name->pos, -1,
                         "unknown function `%.*s`",
                         (int)(name->len > 60 ? 60 : name->len),
                         p->lx.text + name->start);
    frame *f = push_frame(p, FR_CALL, 0, 0, name->pos);
    if (!f)
        return -1;
    f->fn = fn;
    f->vbase = (uint32_t)p->nvals;
    return 0;
}

/* The operand side: a literal, a name, `(`, a prefix operator, or the `)`
 * of a call with no arguments. Sets *operand when a full operand was read. */
static int expect_operand(parser *p, int *operand)
{
    token *tok = &p->tok;
    char buf[64];
    *operand = 1;
    switch (tok->kind) {
    case TOK_INT:
        return add_const(p, JC_I64, tok->value, tok->pos);
    case TOK_FLOAT:
        return add_const(p, JC_F64, tok->value, tok->pos);
    case TOK_TRUE:
    case TOK_FALSE:
        return add_const(p, JC_BOOL, (jc_value){.i = tok->kind == TOK_TRUE},
                         tok->pos);
    case TOK_QNAME: {
        size_t len;
        char *name = unquote_name(p->lx.text + tok->start, tok->len, &len);
        if (!name)
            return oom(p);
        return add_column(p, name, len, name, tok->pos);
    }
    case TOK_NAME:
        /* a call when `(` follows; the look-ahead goes to p->ahead, so
         * *tok stays the name */
        if (lexer_next(&p->lx, &p->ahead, p->err) < 0)
            return -1;
        if (p->ahead.kind == TOK_LPAREN) {
            *operand = 0;
            return open_call(p, tok);
        }
        p->have_ahead = 1;
        return add_column(p, p->lx.text + tok->start, tok->len, NULL, tok->pos);
    case TOK_LPAREN:
        *operand = 0;
        return push_frame(p, FR_PAREN, 0, 0, tok->pos) ? 0 : -1;
    case TOK_MINUS:
    case TOK_PLUS:
        *operand = 0;
        return push_frame(p, FR_PREFIX, tok->kind == TOK_MINUS ? OP_NEG : OP_POS,
                          LV_PREFIX, tok->pos) ? 0 : -1;
    case TOK_NOT:
        *operand = 0;
        if (p->nframes) {
            const frame *f = &p->frames[p->nframes - 1];
            if ((f->kind == FR_BINARY && f->level > LV_NOT) ||
                (f->kind == FR_PREFIX && f->level > LV_NOT))
                return error_set(p->err, JC_PARSE_ERROR, tok->pos, -1,
                                 "%s binds more loosely than the operator "
                                 "before it: put it in parentheses, e.g. "
                                 "`a == (not b)`",
                                 describe(p, tok, buf, sizeof buf));
        }
        return push_frame(p, FR_PREFIX, OP_NOT, LV_NOT, tok->pos) ? 0 : -1;
    case TOK_RPAREN:
        if (p->nframes && p->frames[p->nframes - 1].kind == FR_CALL &&
            p->frames[p->nframes - 1].argc == 0 &&
            p->nvals == p->frames[p->nframes - 1].vbase)
            return close_call(p);
        break;
    default:
        break;
    }
    return error_set(p->err, JC_PARSE_ERROR, tok->pos, -1,
                     "expected a number, a name, `(` or a prefix operator, "
                     "found %s",
                     describe(p, tok, buf, sizeof buf));
}

/* The operator side: a binary operator, `)`, `,` or the end. Sets *done at
 * the end of the expression, and *operand when what follows must be an
 * operand (after a binary operator or `,`; not after a `)`). */
static int expect_operator(parser *p, int *done, int *operand)
{
    token *tok = &p->tok;
    char buf[64];
    *operand = tok->kind != TOK_RPAREN;
    unsigned level = binary[tok->kind].level;
    jc_op op = (jc_op)binary[tok->kind].op;
    if (level) {
        if (reduce_for(p, level, tok) < 0)
            return -1;
        return push_frame(p, FR_BINARY, (uint8_t)op, (uint8_t)level, tok->pos) ? 0 : -1;
    }
    switch (tok->kind) {
    case TOK_RPAREN:
        if (reduce_group(p) < 0)
            return -1;
        if (!p->nframes)
            return error_set(p->err, JC_PARSE_ERROR, tok->pos, -1,
                             "`)` without a matching `(`");
        if (p->frames[p->nframes - 1].kind == FR_CALL) {
            p->frames[p->nframes - 1].argc++;
            return close_call(p);
        } else {
            frame f = p->frames[--p->nframes];
            p->nest--;
            value *v = &p->vals[p->nvals - 1];
            p->t->nodes[v->node].flags |= NODE_PAREN;
            v->depth++;
            return check_depth(p, v->depth, f.pos);
        }
    case TOK_COMMA:
        if (reduce_group(p) < 0)
            return -1;
        if (!p->nframes || p->frames[p->nframes - 1].kind != FR_CALL)
            return error_set(p->err, JC_PARSE_ERROR, tok->pos, -1,
                             "`,` outside a function call's arguments");
        p->frames[p->nframes - 1].argc++;
        return 0;
    case TOK_END:
        if (reduce_group(p) < 0)
            return -1;
        if (p->nframes) {
            const frame *f = &p->frames[p->nframes - 1];
            if (f->kind == FR_CALL)
                return error_set(p->err, JC_PARSE_ERROR, tok->pos, -1,
                                 "missing `)` to close the call of %s() at "
                                 "position %u",
                                 f->fn->name, f->pos);
            return error_set(p->err, JC_PARSE_ERROR, tok->pos, -1,
                             "missing `)` to close the `(` at position %u",
                             f->pos);
        }
        *done = 1;
        return 0;
    default:
        return error_set(p->err, JC_PARSE_ERROR, tok->pos, -1,
                         "expected an operator, `)`, `,` or the end, found "
                         "%s",
                         describe(p, tok, buf, sizeof buf));
    }
}

int parse_expression(jc_tree *out, const char *text, size_t len,
                     const jc_limits *limits, jc_error *err)
{
    tree_init(out);
    if (!text)
        return error_set(err, JC_INVALID_ARGUMENT, 0, -1,
                         "the expression is NULL");
    if (len == JC_NUL_TERMINATED)
        len = strlen(text);
    jc_limits lim = {JC_DEFAULT_MAX_EXPR_BYTES, JC_DEFAULT_MAX_DEPTH,
                     JC_DEFAULT_MAX_COLUMNS};
    if (limits)
        lim = *limits;
    if (len > lim.max_expr_bytes)
        return error_set(err, JC_LIMIT_EXCEEDED, 0, -1,
                         "the expression is %zu bytes long; the limit is %zu",
                         len, lim.max_expr_bytes);
    const char *why = NULL;
    uint32_t bad = utf8_check(text, len, &why);
    if (bad)
        return error_set(err, JC_PARSE_ERROR, bad, -1, "%s in the expression",
                         why);

    parser p;
    memset(&p, 0, offsetof(parser, frames_inline)); /* not the buffers */
    p.t = out;
    p.lim = lim;
    p.err = err;
    p.frames = p.frames_inline;
    p.frames_cap = INLINE_FRAMES;
    p.vals = p.vals_inline;
    p.vals_cap = INLINE_VALS;
    lexer_init(&p.lx, text, len);
    uint32_t reserve = len < RESERVE_NODES ? (uint32_t)len + 1 : RESERVE_NODES;
    if (tree_reserve(out, reserve, reserve) < 0) {
        tree_free(out);
        return oom(&p);
    }
    int rc = -1, operand_state = 1, done = 0;
    while (!done) {
        if (next(&p) < 0)
            goto out;
        if (operand_state) {
            int got;
            if (expect_operand(&p, &got) < 0)
                goto out;
            operand_state = !got;
        } else {
            if (expect_operator(&p, &done, &operand_state) < 0)
                goto out;
        }
    }
    /* A finished parse holds exactly one value: the root (the last node). */
    out->root = p.vals[0].node;
    rc = 0;
out:
    if (p.frames != p.frames_inline)
        mem_free(p.frames);
    if (p.vals != p.vals_inline)
        mem_free(p.vals);
    mem_free(p.colhash);
    if (rc < 0)
        tree_free(out);
    return rc;
}
