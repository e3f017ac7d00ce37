/*
 * typecheck.c — parse tree to typed tree (the rules are in the team brief
 * and docs/language.md; tree.h describes both forms).
 *
 * Two linear passes over the post-order array:
 *  1. types: every node's type from its kids' types, or a type_error at the
 *     operator or function name (columns are bound to the schema first);
 *  2. in the common case (no sugar), conversions are inserted, and for
 *     jc_compile constants folded, in place (inplace.c); otherwise
 *     rewrite: the nodes are emitted again into a new array, in the same
 *     post-order, with a conversion node written right after any kid whose
 *     type is not the one its parent's op takes, sugar removed (+x, float,
 *     int on integers, floor/ceil/trunc/round on integers, one-argument
 *     least/greatest: their value is their converted kid), pi()/e() turned
 *     into constants, n-ary least/greatest folded left and clamp turned
 *     into least(greatest(x, lo), hi). A fold step is emitted right after
 *     the kid that completes it, so post-order holds without ever moving a
 *     node: the rewrite is one pass.
 * Constants are renumbered in post-order on the way (slot = order of
 * appearance), so equal canonical keys mean equal slot layouts.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "parser/internal.h"
#include "parser/parser.h"
#include "util/error.h"
#include "util/mem.h"

/* What the rewrite knows about one node of the parse tree. */
typedef struct old_node {
    uint32_t parent; /* UINT32_MAX for the root */
    uint32_t kidx;   /* its index among the parent's kids */
    uint32_t val;    /* the new node of its value, converted */
    uint32_t acc;    /* least/greatest/clamp: the fold so far (new node) */
    uint8_t fold;    /* least/greatest: type of the next fold step */
} old_node;

typedef struct checker {
    jc_tree *t; /* the parse tree, typed in place by pass 1 */
    jc_tree nt; /* the typed tree being emitted */
    jc_error *err;
    old_node *old; /* by node of t, one allocation */
} checker;

static jc_type as_number(jc_type t) { return t == JC_BOOL ? JC_I64 : t; }

/* The common numeric type: i64 when both are integers (bools count as
 * i64), else f64. */
static jc_type join(jc_type a, jc_type b)
{
    return as_number(a) == JC_I64 && as_number(b) == JC_I64 ? JC_I64 : JC_F64;
}

static jc_type kid_type(const jc_tree *t, uint32_t n, uint32_t k)
{
    return (jc_type)t->nodes[tree_kid(t, n, k)].type;
}

static const char *tn(jc_type t) { return jc_type_name(t); }

/* ---- columns ---- */

/* True when the schema name (NUL-terminated) is exactly col's name. No
 * strlen: strncmp stops at the schema name's end. */
static int same_name(const char *name, const jc_colref *col)
{
    return strncmp(name, col->name, col->len) == 0 && name[col->len] == '\0';
}

static uint64_t hash_name(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

/* Up to this many name comparisons, columns are looked up by scanning the
 * schema; beyond, through a hash table of the schema (a wide table and a
 * wide expression would otherwise cost columns x schema comparisons:
 * measured 8 ms for 1,024 columns against a schema of 3,000). */
#define SCAN_COMPARISONS 4096

/* The first schema entry named like col, or SIZE_MAX. `table` (NULL to
 * scan) maps hash positions to schema index + 1. */
static size_t find_in_schema(const jc_column *schema, size_t nschema,
                             const uint32_t *table, size_t cap,
                             const jc_colref *col)
{
    if (!table) {
        for (size_t s = 0; s < nschema; s++)
            if (schema[s].name && same_name(schema[s].name, col))
                return s;
        return SIZE_MAX;
    }
    for (size_t at = hash_name(col->name, col->len) & (cap - 1); table[at];
         at = (at + 1) & (cap - 1))
        if (same_name(schema[table[at] - 1].name, col))
            return table[at] - 1;
    return SIZE_MAX;
}

/* The hash table over the schema's names (the first of equal names wins,
 * as in the scan); *cap gets its size. NULL when out of memory. */
static uint32_t *schema_table(const jc_column *schema, size_t nschema,
                              size_t *cap)
{
    size_t n = 16;
    while (n < 2 * nschema)
        n *= 2;
    uint32_t *table = mem_calloc(n, sizeof *table);
    if (!table)
        return NULL;
    for (size_t s = 0; s < nschema; s++) {
        const char *name = schema[s].name;
        if (!name)
            continue;
        size_t len = strlen(name), at = hash_name(name, len) & (n - 1);
        for (; table[at]; at = (at + 1) & (n - 1))
            if (strcmp(schema[table[at] - 1].name, name) == 0)
                break;
        if (!table[at])
            table[at] = (uint32_t)s + 1;
    }
    *cap = n;
    return table;
}

static int bind_columns(jc_tree *t, const jc_column *schema, size_t nschema,
                        jc_error *err)
{
    uint32_t *table = NULL;
    size_t cap = 0;
    if (nschema > UINT32_MAX - 1)
        return error_set(err, JC_INVALID_ARGUMENT, 0, -1, "schema too large");
    if ((uint64_t)t->ncolumns * nschema > SCAN_COMPARISONS &&
        !(table = schema_table(schema, nschema, &cap)))
        return error_set(err, JC_OUT_OF_MEMORY, 0, -1, "out of memory");
    int unbound = 0;
    for (uint32_t c = 0; c < t->ncolumns; c++) {
        jc_colref *col = &t->columns[c];
        size_t s = find_in_schema(schema, nschema, table, cap, col);
        col->type = 0xFF; /* unbound */
        if (s == SIZE_MAX) {
            unbound = 1;
            continue;
        }
        if ((unsigned)schema[s].type > JC_BOOL) {
            mem_free(table);
            return error_set(err, JC_INVALID_ARGUMENT, 0, -1,
                             "column `%s` has an unknown type (%d)",
                             schema[s].name, (int)schema[s].type);
        }
        col->type = (uint8_t)schema[s].type;
    }
    mem_free(table);
    if (!unbound)
        return 0;
    /* Report the leftmost use of an unknown column. */
    for (uint32_t i = 0; i < t->nnodes; i++) {
        const jc_node *n = &t->nodes[i];
        if (n->op != OP_COLUMN || t->columns[n->slot].type != 0xFF)
            continue;
        const jc_colref *col = &t->columns[n->slot];
        for (size_t s = 0; s < nschema; s++)
            if (schema[s].name && strlen(schema[s].name) == col->len &&
                strncasecmp(schema[s].name, col->name, col->len) == 0)
                return error_set(err, JC_UNKNOWN_COLUMN, n->pos, -1,
                                 "unknown column `%.100s` (names are "
                                 "case-sensitive: did you mean `%.100s`?)",
                                 col->name, schema[s].name);
        return error_set(err, JC_UNKNOWN_COLUMN, n->pos, -1,
                         "unknown column `%.100s`", col->name);
    }
    return 0;
}

/* ---- pass 1: types ---- */

static int type_error(const jc_node *n, jc_error *err, const char *fmt,
                      const char *a, const char *b)
{
    char msg[JC_ERROR_MESSAGE_SIZE];
    snprintf(msg, sizeof msg, fmt, a, b);
    return error_set(err, JC_TYPE_ERROR, n->pos, -1, "%s", msg);
}

/* Types node i (its kids are typed). Returns -1 with a type_error. */
static int type_node(jc_tree *t, uint32_t i, jc_error *err)
{
    jc_node *n = &t->nodes[i];
    jc_type a = n->nargs > 0 ? kid_type(t, i, 0) : JC_F64;
    jc_type b = n->nargs > 1 ? kid_type(t, i, 1) : JC_F64;
    jc_type r = JC_F64;
    switch ((jc_op)n->op) {
    case OP_CONST: r = (jc_type)t->consts[n->slot].type; break;
    case OP_COLUMN: r = (jc_type)t->columns[n->slot].type; break;
    case OP_NEG: case OP_POS: case OP_ABS: case OP_SIGN:
    case OP_SUM: case OP_MIN: case OP_MAX:
        r = as_number(a);
        break;
    case OP_NOT:
        if (a != JC_BOOL)
            return type_error(n, err,
                              "`not` takes a bool, got %s%s; to test a number "
                              "write `x != 0`",
                              tn(a), "");
        r = JC_BOOL;
        break;
    case OP_AND: case OP_OR:
        if (a != JC_BOOL || b != JC_BOOL)
            return type_error(n, err,
                              n->op == OP_AND
                                  ? "`and` takes bools, got %s and %s; to "
                                    "test a number write `x != 0`"
                                  : "`or` takes bools, got %s and %s; to "
                                    "test a number write `x != 0`",
                              tn(a), tn(b));
        r = JC_BOOL;
        break;
    case OP_ADD: case OP_SUB: case OP_MUL: case OP_IDIV: case OP_MOD:
        r = join(a, b);
        break;
    case OP_DIV: case OP_POW:
        r = JC_F64;
        break;
    case OP_EQ: case OP_NE:
        if ((a == JC_BOOL) != (b == JC_BOOL))
            return type_error(n, err,
                              "cannot compare %s with %s: a bool equals only "
                              "a bool (write `int(b)` to use a bool as 0/1, "
                              "or `x != 0` to test a number)",
                              tn(a), tn(b));
        r = JC_BOOL;
        break;
    case OP_LT: case OP_LE: case OP_GT: case OP_GE:
        if (a == JC_BOOL && b == JC_BOOL)
            return type_error(n, err,
                              "bools have no order: `%s` needs numbers%s "
                              "(only == and != compare bools)",
                              op_text((jc_op)n->op), "");
        if (a == JC_BOOL || b == JC_BOOL)
            return type_error(n, err,
                              "cannot compare %s with %s: write `int(b)` to "
                              "use a bool as 0/1",
                              tn(a), tn(b));
        r = JC_BOOL;
        break;
    case OP_SQRT: case OP_CBRT: case OP_EXP: case OP_EXPM1: case OP_LN:
    case OP_LOG10: case OP_LOG2: case OP_LOG1P: case OP_SIN: case OP_COS:
    case OP_TAN: case OP_ASIN: case OP_ACOS: case OP_ATAN: case OP_SINH:
    case OP_COSH: case OP_TANH: case OP_ATAN2: case OP_HYPOT: case OP_FMOD:
    case OP_FLOAT: case OP_PI: case OP_E: case OP_AVG: case OP_ROUND2:
        r = JC_F64;
        if (n->op == OP_ROUND2 && b == JC_F64)
            return type_error(n, err,
                              "round(x, d) needs an integer number of digits "
                              "d (i64 or bool), got %s%s; write `int(d)`",
                              tn(b), "");
        break;
    case OP_ISNAN: case OP_ISINF: case OP_ISFINITE:
        r = JC_BOOL;
        break;
    case OP_FLOOR: case OP_CEIL: case OP_TRUNC: case OP_ROUND:
        r = as_number(a);
        break;
    case OP_INT: case OP_COUNT:
        r = JC_I64;
        break;
    case OP_LEAST: case OP_GREATEST:
        r = as_number(a);
        for (uint32_t k = 1; k < n->nargs; k++)
            r = join(r, kid_type(t, i, k));
        break;
    case OP_CLAMP:
        r = join(join(a, b), kid_type(t, i, 2));
        break;
    case OP_IF: {
        jc_type c = a;
        a = b;
        b = kid_type(t, i, 2);
        if (c != JC_BOOL)
            return type_error(n, err,
                              "if() needs a bool condition, got %s%s; to test "
                              "a number write `x != 0`",
                              tn(c), "");
        if ((a == JC_BOOL) != (b == JC_BOOL))
            return type_error(n, err,
                              "if() branches must both be bools or both be "
                              "numbers, got %s and %s",
                              tn(a), tn(b));
        r = a == JC_BOOL ? JC_BOOL : join(a, b);
        break;
    }
    case OP_I64_TO_F64: case OP_BOOL_TO_F64: r = JC_F64; break;
    case OP_BOOL_TO_I64: case OP_F64_TO_I64: r = JC_I64; break;
    default:
        return error_set(err, JC_INTERNAL, n->pos, -1,
                         "type checker: unexpected op %s", op_name(n->op));
    }
    n->type = (uint8_t)r;
    return 0;
}

/* ---- pass 2: rewrite ---- */

static int oom(checker *c)
{
    return error_set(c->err, JC_OUT_OF_MEMORY, 0, -1, "out of memory");
}

static uint32_t emit(checker *c, jc_op op, jc_type type, uint32_t pos,
                     const uint32_t *kids, uint32_t nkids)
{
    uint32_t n = tree_add(&c->nt, op, pos, kids, nkids);
    if (n != UINT32_MAX)
        c->nt.nodes[n].type = (uint8_t)type;
    return n;
}

jc_op type_conversion(jc_type from, jc_type to)
{
    if (from == JC_I64 && to == JC_F64)
        return OP_I64_TO_F64;
    if (from == JC_BOOL && to == JC_I64)
        return OP_BOOL_TO_I64;
    if (from == JC_BOOL && to == JC_F64)
        return OP_BOOL_TO_F64;
    return OP_COUNT_;
}

/* Wraps new node v in the conversion to type `to` (none when it already
 * has that type). */
static uint32_t convert(checker *c, uint32_t v, jc_type to, uint32_t pos)
{
    jc_type from = (jc_type)c->nt.nodes[v].type;
    if (from == to)
        return v;
    jc_op op = type_conversion(from, to);
    if (op == OP_COUNT_)
        return UINT32_MAX - 1;
    return emit(c, op, to, pos, &v, 1);
}

/* The type kid k of old node p must have when p's op reads it. (Inline:
 * typing asks it for nearly every kid.) */
static inline __attribute__((always_inline)) jc_type kid_target(const checker *c, uint32_t p,
                                                                uint32_t k)
{
    const jc_tree *t = c->t;
    const jc_node *n = &t->nodes[p];
    jc_type a = kid_type(t, p, k);
    switch ((jc_op)n->op) {
    case OP_NEG: case OP_POS: case OP_ABS: case OP_SIGN: case OP_SUM:
    case OP_MIN: case OP_MAX: case OP_AVG: case OP_FLOOR: case OP_CEIL:
    case OP_TRUNC: case OP_ROUND: case OP_INT:
        return as_number(a);
    case OP_ADD: case OP_SUB: case OP_MUL: case OP_IDIV: case OP_MOD:
    case OP_CLAMP:
        return (jc_type)n->type;
    case OP_ROUND2:
        return k == 0 ? JC_F64 : JC_I64;
    case OP_EQ: case OP_NE: case OP_LT: case OP_LE: case OP_GT: case OP_GE:
        if (a == JC_BOOL)
            return JC_BOOL;
        return join(kid_type(t, p, 0), kid_type(t, p, 1));
    case OP_NOT: case OP_AND: case OP_OR:
        return JC_BOOL;
    case OP_IF:
        return k == 0 ? JC_BOOL : (jc_type)n->type;
    case OP_I64_TO_F64: case OP_BOOL_TO_I64: case OP_BOOL_TO_F64:
    case OP_F64_TO_I64:
        return a; /* a typed tree checked again keeps its conversions */
    case OP_LEAST: case OP_GREATEST:
        if (n->nargs == 1)
            return as_number(a);
        if (k <= 1)
            return join(kid_type(t, p, 0), kid_type(t, p, 1));
        return (jc_type)c->old[p].fold;
    default:
        return JC_F64; /* every other op reads f64 */
    }
}

/* After kid k of old node p has been emitted: emits the fold steps that kid
 * completes (least/greatest with 3+ arguments, clamp). */
static int after_kid(checker *c, uint32_t p, uint32_t k)
{
    const jc_tree *t = c->t;
    const jc_node *n = &t->nodes[p];
    if (n->op == OP_CLAMP && k == 1) {
        uint32_t kids[2] = {c->old[tree_kid(t, p, 0)].val, c->old[tree_kid(t, p, 1)].val};
        c->old[p].acc = emit(c, OP_GREATEST, (jc_type)n->type, n->pos, kids, 2);
        return c->old[p].acc == UINT32_MAX ? oom(c) : 0;
    }
    if ((n->op != OP_LEAST && n->op != OP_GREATEST) || n->nargs < 3 || k < 1 ||
        k > n->nargs - 2)
        return 0;
    uint32_t kids[2];
    jc_type step;
    if (k == 1) {
        kids[0] = c->old[tree_kid(t, p, 0)].val;
        step = join(kid_type(t, p, 0), kid_type(t, p, 1));
    } else {
        kids[0] = c->old[p].acc;
        step = (jc_type)c->old[p].fold;
    }
    kids[1] = c->old[tree_kid(t, p, k)].val;
    uint32_t v = emit(c, (jc_op)n->op, step, n->pos, kids, 2);
    if (v == UINT32_MAX)
        return oom(c);
    jc_type next = join(step, kid_type(t, p, k + 1));
    v = convert(c, v, next, n->pos);
    if (v == UINT32_MAX)
        return oom(c);
    c->old[p].acc = v;
    c->old[p].fold = (uint8_t)next;
    return 0;
}

/* Emits old node i (its kids are emitted and converted). Returns the new
 * node that carries its value, or UINT32_MAX when out of memory. */
static uint32_t emit_node(checker *c, uint32_t i)
{
    const jc_tree *t = c->t;
    const jc_node *n = &t->nodes[i];
    jc_type type = (jc_type)n->type;
    uint32_t kids[3];
    uint32_t nk = n->nargs <= 3 ? n->nargs : 0;
    for (uint32_t k = 0; k < nk; k++)
        kids[k] = c->old[tree_kid(t, i, k)].val;
    switch ((jc_op)n->op) {
    case OP_CONST:
    case OP_PI:
    case OP_E: {
        jc_tree *nt = &c->nt;
        if (nt->nconsts == nt->consts_cap) {
            uint32_t cap = nt->consts_cap ? nt->consts_cap * 2 : 16;
            jc_const *q = mem_realloc(nt->consts, cap * sizeof *q);
            if (!q)
                return UINT32_MAX;
            nt->consts = q;
            nt->consts_cap = cap;
        }
        jc_const k = {.type = JC_F64};
        if (n->op == OP_CONST)
            k = t->consts[n->slot];
        else
            k.value.f = n->op == OP_PI ? 3.141592653589793 : 2.718281828459045;
        uint32_t v = emit(c, OP_CONST, (jc_type)k.type, n->pos, NULL, 0);
        if (v != UINT32_MAX) {
            nt->consts[nt->nconsts] = k;
            nt->nodes[v].slot = nt->nconsts++;
        }
        return v;
    }
    case OP_COLUMN: {
        uint32_t v = emit(c, OP_COLUMN, type, n->pos, NULL, 0);
        if (v != UINT32_MAX)
            c->nt.nodes[v].slot = n->slot;
        return v;
    }
    case OP_POS:
    case OP_FLOAT:
        return kids[0]; /* the kid, converted to the node's type */
    case OP_FLOOR: case OP_CEIL: case OP_TRUNC: case OP_ROUND:
        if (type != JC_F64)
            return kids[0]; /* identity on integers */
        break;
    case OP_INT:
        if (kid_type(t, i, 0) != JC_F64)
            return kids[0];
        return emit(c, OP_F64_TO_I64, JC_I64, n->pos, kids, 1);
    case OP_LEAST: case OP_GREATEST:
        if (n->nargs == 1)
            return kids[0];
        if (n->nargs > 2) {
            kids[0] = c->old[i].acc;
            kids[1] = c->old[tree_kid(t, i, n->nargs - 1)].val;
        }
        return emit(c, (jc_op)n->op, type, n->pos, kids, 2);
    case OP_CLAMP:
        kids[0] = c->old[i].acc;
        kids[1] = kids[2];
        return emit(c, OP_LEAST, type, n->pos, kids, 2);
    default:
        break;
    }
    return emit(c, (jc_op)n->op, type, n->pos, kids, nk);
}

static int rewrite(checker *c)
{
    jc_tree *t = c->t;
    for (uint32_t i = 0; i < t->nnodes; i++) {
        uint32_t v = emit_node(c, i);
        if (v == UINT32_MAX)
            return oom(c);
        uint32_t p = c->old[i].parent;
        if (p != UINT32_MAX) {
            jc_type want = kid_target(c, p, c->old[i].kidx);
            v = convert(c, v, want, t->nodes[i].pos);
            if (v == UINT32_MAX)
                return oom(c);
            if (v == UINT32_MAX - 1)
                return error_set(c->err, JC_INTERNAL, t->nodes[i].pos, -1,
                                 "type checker: no conversion to %s",
                                 jc_type_name(want));
        }
        c->old[i].val = v;
        if (p != UINT32_MAX && after_kid(c, p, c->old[i].kidx) < 0)
            return -1;
    }
    return 0;
}

/* ---- pass 2, the common case: conversions in place ---- */

/* Nodes the in-place path leaves to the rewrite: they vanish, change op or
 * add constants. */
static int is_sugar(const jc_node *n)
{
    switch ((jc_op)n->op) {
    case OP_POS: case OP_FLOAT: case OP_INT: case OP_CLAMP: case OP_PI:
    case OP_E:
        return 1;
    case OP_FLOOR: case OP_CEIL: case OP_TRUNC: case OP_ROUND:
        return n->type != JC_F64;
    case OP_LEAST: case OP_GREATEST:
        return n->nargs != 2;
    default:
        return 0;
    }
}

/* Scratch for up to this many nodes lives on the stack. */
#define SMALL_TREE 128

/* op -> kind letter (tree.h), a table rather than op_kind()'s call per node */
static const char kind_of[OP_COUNT_] = {
#define JC_OP_KIND(name, text, kind) [OP_##name] = kind,
    JC_OPS(JC_OP_KIND)
#undef JC_OP_KIND
};

/* The ops whose typing rule is one line (quick_type). */
enum { Q_NONE = 0, Q_CONST, Q_COLUMN, Q_JOIN, Q_F64, Q_NUMBER };

static const uint8_t quick_rule[OP_COUNT_] = {
    [OP_CONST] = Q_CONST, [OP_COLUMN] = Q_COLUMN,
    [OP_ADD] = Q_JOIN, [OP_SUB] = Q_JOIN, [OP_MUL] = Q_JOIN, [OP_IDIV] = Q_JOIN,
    [OP_MOD] = Q_JOIN,
    [OP_DIV] = Q_F64, [OP_POW] = Q_F64, [OP_SQRT] = Q_F64, [OP_CBRT] = Q_F64,
    [OP_EXP] = Q_F64, [OP_EXPM1] = Q_F64, [OP_LN] = Q_F64, [OP_LOG10] = Q_F64,
    [OP_LOG2] = Q_F64, [OP_LOG1P] = Q_F64, [OP_SIN] = Q_F64, [OP_COS] = Q_F64,
    [OP_TAN] = Q_F64, [OP_ASIN] = Q_F64, [OP_ACOS] = Q_F64, [OP_ATAN] = Q_F64,
    [OP_SINH] = Q_F64, [OP_COSH] = Q_F64, [OP_TANH] = Q_F64, [OP_ATAN2] = Q_F64,
    [OP_HYPOT] = Q_F64, [OP_FMOD] = Q_F64,
    [OP_NEG] = Q_NUMBER, [OP_ABS] = Q_NUMBER, [OP_SIGN] = Q_NUMBER,
    [OP_SUM] = Q_NUMBER, [OP_MIN] = Q_NUMBER, [OP_MAX] = Q_NUMBER,
};

/* Types node nd (its kids are typed) by the rules of the commonest ops,
 * none of which can fail or is sugar, and writes the types its kids are
 * read as to to[]: what type_node and kid_target say at greater length
 * (and still say for every other op). Returns how many kids convert, or
 * -1 when the op is not one of these. */
static inline int quick_type(jc_tree *t, jc_node *nd, uint8_t *to)
{
    const uint32_t *kids = t->args + nd->first_arg;
    const jc_node *nodes = t->nodes;
    jc_type r;
    int conv = 0;
    switch (nd->op < OP_COUNT_ ? quick_rule[nd->op] : Q_NONE) {
    case Q_CONST:
        nd->type = t->consts[nd->slot].type;
        return 0;
    case Q_COLUMN:
        nd->type = t->columns[nd->slot].type;
        return 0;
    case Q_JOIN: /* the common numeric type, for both */
        if (nd->nargs != 2)
            return -1;
        r = join((jc_type)nodes[kids[0]].type, (jc_type)nodes[kids[1]].type);
        break;
    case Q_F64:
        r = JC_F64;
        break;
    case Q_NUMBER: /* bools count as i64 */
        if (nd->nargs != 1)
            return -1;
        r = as_number((jc_type)nodes[kids[0]].type);
        break;
    default:
        return -1;
    }
    nd->type = (uint8_t)r;
    for (uint32_t k = 0; k < nd->nargs; k++) {
        conv += nodes[kids[k]].type != r;
        to[kids[k]] = (uint8_t)r;
    }
    return conv;
}

/* Pass 1: types every node, kids first, and while the in-place path is
 * possible, the type each kid is read as (a node's kids all come before
 * it, so when it is typed, so are they), and what folding in place needs
 * to know (in_place in internal.h). Returns -1 with a type_error. */
static int type_nodes(jc_tree *t, in_place *ip, jc_error *err)
{
    checker c = {.t = t, .err = err};
    uint8_t *to = ip->to, *cand = ip->cand;
    const uint32_t n = t->nnodes;
    uint32_t nargs = 0, nconv = 0, nfold = 0, nconsts = 0, ncolumns = 0;
    int possible = 1, settled = t->root == n - 1;
    for (uint32_t i = 0; i < n; i++) {
        jc_node *nd = &t->nodes[i];
        int quick = possible && nd->first_arg == nargs ? quick_type(t, nd, to) : -1;
        uint32_t conv = quick >= 0 ? (uint32_t)quick : 0;
        if (quick < 0) {
            if (type_node(t, i, err) < 0)
                return -1;
            if (possible && (is_sugar(nd) || nd->first_arg != nargs))
                possible = 0;
            for (uint32_t k = 0; possible && k < nd->nargs; k++) {
                uint32_t kid = t->args[nargs + k];
                uint8_t want = (uint8_t)kid_target(&c, i, k);
                conv += want != t->nodes[kid].type;
                to[kid] = want;
            }
        }
        to[i] = nd->type; /* the root's; its parent overwrites the others' */
        if (!possible)
            continue;
        const uint32_t nk = nd->nargs, *kids = t->args + nargs;
        const jc_op op = (jc_op)nd->op;
        nconv += conv;
        nargs += nk;
        int all = nk > 0;
        for (uint32_t k = 0; k < nk; k++)
            all &= cand[kids[k]];
        /* as fold_constants numbers them: constants in post-order,
         * columns in first-use order */
        if (op == OP_CONST) {
            settled &= nd->slot == nconsts++;
        } else if (op == OP_COLUMN) {
            settled &= nd->slot <= ncolumns;
            ncolumns += nd->slot == ncolumns; /* first use */
        }
        /* a constant condition of if/and/or is fold_constants' to decide */
        if ((op == OP_IF || op == OP_AND || op == OP_OR) && cand[kids[0]])
            settled = 0;
        cand[i] = op == OP_CONST || (all && kind_of[op] != 'l' && kind_of[op] != 'a');
        nfold += cand[i] && op != OP_CONST;
    }
    ip->possible = possible;
    ip->nargs = nargs;
    ip->nconv = nconv;
    ip->nfold = nfold;
    ip->settled = possible && settled && nargs == n - 1 && nconsts == t->nconsts &&
                  ncolumns == t->ncolumns;
    return 0;
}

/* The general case, through a second tree (see the top of this file). */
static int rewrite_tree(jc_tree *t, jc_error *err)
{
    checker c = {.t = t, .err = err};
    tree_init(&c.nt);
    int rc = -1;
    c.old = mem_alloc(t->nnodes * sizeof *c.old);
    /* The typed tree is the parse tree plus a few conversions and fold
     * steps: sized once for a quarter more, it rarely grows. */
    uint32_t extra = t->nnodes / 4 + 16;
    if (!c.old || tree_reserve(&c.nt, t->nnodes + extra, t->nargs + extra) < 0) {
        oom(&c);
        goto out;
    }
    for (uint32_t i = 0; i < t->nnodes; i++)
        c.old[i].parent = UINT32_MAX;
    for (uint32_t i = 0; i < t->nnodes; i++)
        for (uint32_t k = 0; k < t->nodes[i].nargs; k++) {
            c.old[tree_kid(t, i, k)].parent = i;
            c.old[tree_kid(t, i, k)].kidx = k;
        }
    if (rewrite(&c) < 0)
        goto out;

    /* The typed tree takes over the columns (now with their types). */
    c.nt.columns = t->columns;
    c.nt.ncolumns = t->ncolumns;
    c.nt.columns_cap = t->columns_cap;
    t->columns = NULL;
    t->ncolumns = t->columns_cap = 0;
    tree_free(t);
    *t = c.nt;
    tree_init(&c.nt);
    rc = 0;
out:
    tree_free(&c.nt);
    mem_free(c.old);
    return rc;
}

/* fold: NULL to fold nothing. Returns 1 when the tree is folded as
 * fold_constants would fold it, 0 when not (or not asked), -1 on error. */
static int check_tree(jc_tree *t, const jc_column *schema, size_t nschema,
                      jc_fold_fn fold, jc_error *err)
{
    if (!t->nnodes)
        return error_set(err, JC_INVALID_ARGUMENT, 0, -1, "empty tree");
    if (nschema && !schema)
        return error_set(err, JC_INVALID_ARGUMENT, 0, -1, "schema is NULL");
    if (bind_columns(t, schema, nschema, err) < 0)
        return -1;
    /* to[], then cand[] */
    uint8_t small[2 * SMALL_TREE];
    uint8_t *scratch = t->nnodes <= SMALL_TREE ? small : mem_alloc(2 * (size_t)t->nnodes);
    if (!scratch)
        return error_set(err, JC_OUT_OF_MEMORY, 0, -1, "out of memory");
    in_place ip = {.to = scratch, .cand = scratch + t->nnodes};
    int rc = type_nodes(t, &ip, err);
    if (rc == 0 && ip.possible) {
        fold = ip.settled ? fold : NULL;
        rc = convert_in_place(t, &ip, fold, err);
        if (rc == 0 && fold)
            rc = 1;
    } else if (rc == 0) {
        rc = rewrite_tree(t, err);
    }
    if (scratch != small)
        mem_free(scratch);
    return rc;
}

int typecheck_tree(jc_tree *t, const jc_column *schema, size_t nschema,
                   const jc_limits *limits, jc_error *err)
{
    (void)limits; /* the parser enforced them; nothing here grows them */
    if (check_tree(t, schema, nschema, NULL, err) < 0)
        return -1;
    return tree_plan_passes(t, err);
}

int typecheck_tree_folding(jc_tree *t, const jc_column *schema, size_t nschema,
                           const jc_limits *limits, jc_fold_fn fold, jc_error *err)
{
    (void)limits;
    return check_tree(t, schema, nschema, fold, err);
}
