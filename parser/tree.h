/*
 * tree.h — the expression tree every stage shares: the parser builds it, the
 * type checker types and desugars it, the interpreter and the JIT run it.
 *
 * Layout: nodes live in one array in post-order (children before parents,
 * operands left to right before their operator), so every pass over the tree
 * is a loop, never a recursion: a chain of 30,000 `+` is a 30,000-deep tree
 * and must not cost 30,000 stack frames anywhere. A node's children are
 * listed in `args` (kids of node n: args[n.first_arg .. n.first_arg+n.nargs)),
 * always at smaller node indices. A node's subtree is the contiguous range
 * [subtree_first(n), n] of the array.
 *
 * Two forms share this layout:
 *  - the parse tree (parser.c): syntax ops, untyped, may contain sugar
 *    (OP_POS, OP_CLAMP, OP_FLOAT, n-ary OP_LEAST...);
 *  - the typed tree (typecheck.c): every node has its type, operands carry
 *    explicit conversion nodes so each op sees the operand types the op table
 *    below gives, sugar is gone, constants are folded, and `passes` says how
 *    the tree is run (see "Passes").
 */
#ifndef JC_PARSER_TREE_H
#define JC_PARSER_TREE_H

#include <stddef.h>
#include <stdint.h>

#include "jitcalc.h"

/* Every op. X(name, text, kind). kind: 'l' leaf, 'u' unary, 'b' binary,
 * 'f' function call, 'a' aggregate, 'c' conversion (typed tree only),
 * 's' sugar (parse tree only). */
#define JC_OPS(X)                                                        \
    /* leaves */                                                         \
    X(CONST, "const", 'l')   /* literal: value in tree->consts[slot] */ \
    X(COLUMN, "column", 'l') /* column: tree->columns[slot] */          \
    /* conversions inserted by the type checker */                      \
    X(I64_TO_F64, "float", 'c')                                          \
    X(BOOL_TO_I64, "int", 'c')                                           \
    X(BOOL_TO_F64, "float", 'c')                                         \
    X(F64_TO_I64, "int", 'c') /* int(x): truncating, invalid_cast */     \
    /* prefix operators */                                               \
    X(NEG, "-", 'u')                                                     \
    X(POS, "+", 's')                                                     \
    X(NOT, "not", 'u')                                                   \
    /* binary operators */                                               \
    X(ADD, "+", 'b')                                                     \
    X(SUB, "-", 'b')                                                     \
    X(MUL, "*", 'b')                                                     \
    X(DIV, "/", 'b')                                                     \
    X(IDIV, "//", 'b')                                                   \
    X(MOD, "%", 'b')                                                     \
    X(POW, "^", 'b')                                                     \
    X(EQ, "==", 'b')                                                     \
    X(NE, "!=", 'b')                                                     \
    X(LT, "<", 'b')                                                      \
    X(LE, "<=", 'b')                                                     \
    X(GT, ">", 'b')                                                      \
    X(GE, ">=", 'b')                                                     \
    X(AND, "and", 'b')                                                   \
    X(OR, "or", 'b')                                                     \
    /* functions */                                                      \
    X(ABS, "abs", 'f')                                                   \
    X(SIGN, "sign", 'f')                                                 \
    X(SQRT, "sqrt", 'f')                                                 \
    X(CBRT, "cbrt", 'f')                                                 \
    X(EXP, "exp", 'f')                                                   \
    X(EXPM1, "expm1", 'f')                                               \
    X(LN, "ln", 'f')                                                     \
    X(LOG10, "log10", 'f')                                               \
    X(LOG2, "log2", 'f')                                                 \
    X(LOG1P, "log1p", 'f')                                               \
    X(SIN, "sin", 'f')                                                   \
    X(COS, "cos", 'f')                                                   \
    X(TAN, "tan", 'f')                                                   \
    X(ASIN, "asin", 'f')                                                 \
    X(ACOS, "acos", 'f')                                                 \
    X(ATAN, "atan", 'f')                                                 \
    X(SINH, "sinh", 'f')                                                 \
    X(COSH, "cosh", 'f')                                                 \
    X(TANH, "tanh", 'f')                                                 \
    X(ATAN2, "atan2", 'f')                                               \
    X(HYPOT, "hypot", 'f')                                               \
    X(FMOD, "fmod", 'f')                                                 \
    X(FLOOR, "floor", 'f')                                               \
    X(CEIL, "ceil", 'f')                                                 \
    X(TRUNC, "trunc", 'f')                                               \
    X(ROUND, "round", 'f')   /* round(x) */                             \
    X(ROUND2, "round", 'f')  /* round(x, d) */                          \
    X(LEAST, "least", 'f')   /* n-ary in the parse tree, binary typed */ \
    X(GREATEST, "greatest", 'f')                                         \
    X(CLAMP, "clamp", 's')                                               \
    X(IF, "if", 'f')                                                     \
    X(ISNAN, "isnan", 'f')                                               \
    X(ISINF, "isinf", 'f')                                               \
    X(ISFINITE, "isfinite", 'f')                                         \
    X(FLOAT, "float", 's')                                               \
    X(INT, "int", 's')                                                   \
    X(PI, "pi", 's')                                                     \
    X(E, "e", 's')                                                       \
    /* aggregates */                                                     \
    X(SUM, "sum", 'a')                                                   \
    X(AVG, "avg", 'a')                                                   \
    X(MIN, "min", 'a')                                                   \
    X(MAX, "max", 'a')                                                   \
    X(COUNT, "count", 'a')

typedef enum jc_op {
#define JC_OP_ENUM(name, text, kind) OP_##name,
    JC_OPS(JC_OP_ENUM)
#undef JC_OP_ENUM
    OP_COUNT_
} jc_op;

/* The op's text as the canonical printer writes it, and its kind letter. */
const char *op_text(jc_op op);
char op_kind(jc_op op);
const char *op_name(jc_op op); /* "ADD", for dumps and stencil names */

/* node.flags */
enum {
    NODE_ROWWISE = 1u << 0, /* depends on a column outside every aggregate */
    NODE_PAREN = 1u << 1    /* parse tree: was written in parentheses */
};

typedef struct jc_node {
    uint8_t op;        /* jc_op */
    uint8_t type;      /* jc_type of the value; typed tree only */
    uint8_t flags;     /* NODE_* */
    uint8_t agg_level; /* typed tree: 0, or for an aggregate 1 + the deepest
                          aggregate level inside its argument */
    uint32_t pos;      /* 1-based code point of the token (operator, function
                          name, literal or column) for error messages */
    uint32_t first_arg; /* kids: args[first_arg .. first_arg + nargs) */
    uint32_t nargs;
    uint32_t slot;     /* CONST: index in consts; COLUMN: index in columns;
                          aggregate (typed tree): index in aggs */
} jc_node;

/* A literal's value. Bools are 0/1 in i. */
typedef union jc_value {
    double f;
    int64_t i;
    uint64_t bits;
} jc_value;

typedef struct jc_const {
    jc_value value;
    uint8_t type; /* jc_type */
} jc_const;

typedef struct jc_colref {
    char *name;   /* owned, NUL-terminated (names never contain NUL) */
    size_t len;
    uint8_t type; /* jc_type, from the schema (typed tree) */
} jc_colref;

/*
 * Passes: how the typed tree runs over rows.
 * Aggregates are numbered in post-order (inner before outer) in aggs[];
 * aggregate k's value lives in the run's scalar table at slot
 * nconsts + k. Pass p (0 <= p < npasses) computes, for every row, the values
 * of the nodes listed in pass_outs[passes[p].first_out ..+ nout]:
 *  - an aggregate pass lists the argument node of each aggregate of level
 *    p + 1 (COUNT has no argument and is never listed);
 *  - the last pass, when the root is row-wise, lists the root alone
 *    (passes[npasses-1].is_final = 1).
 * While computing a pass, an aggregate node is a scalar read (its value is
 * already in the scalar table); the pass never descends into it.
 * A scalar-shaped root is evaluated once after all aggregate passes.
 */
typedef struct jc_pass {
    uint32_t first_out;
    uint32_t nout;
    uint8_t is_final;
} jc_pass;

typedef struct jc_tree {
    jc_node *nodes;
    uint32_t nnodes, nodes_cap;
    uint32_t *args;
    uint32_t nargs, args_cap;
    jc_const *consts;
    uint32_t nconsts, consts_cap;
    jc_colref *columns;   /* distinct columns in first-use order */
    uint32_t ncolumns, columns_cap;
    uint32_t root;        /* index of the root node (the last node) */
    /* typed tree only: */
    uint32_t *aggs;       /* aggregate node indices, post-order */
    uint32_t naggs;
    jc_pass *passes;
    uint32_t npasses;
    uint32_t *pass_outs;
    uint32_t npass_outs;
    /* 1: the arrays and column names live in memory the tree does not own
     * (tree_copy_packed); tree_free leaves them, and the tree must not
     * grow */
    uint8_t borrowed;
} jc_tree;

/* Limits the parser enforces (from jc_options). */
typedef struct jc_limits {
    size_t max_expr_bytes;
    unsigned max_depth;
    unsigned max_columns;
} jc_limits;

void tree_init(jc_tree *t);
void tree_free(jc_tree *t); /* frees all arrays; t itself is the caller's */

/* Makes room for at least `nodes` nodes and `args` kid entries in all, so
 * that appending up to those counts never reallocates (a stage that knows
 * a bound sizes the arrays once). Returns 0, or -1 when out of memory. */
int tree_reserve(jc_tree *t, uint32_t nodes, uint32_t args);

/* Grows the arrays for one more node with nkids kids (tree_add's slow
 * path). Returns 0, or -1 when out of memory. */
int tree_grow(jc_tree *t, uint32_t nkids);

/* Appends a node whose kids are kids[0..nkids) (already in the tree).
 * Returns its index, or UINT32_MAX when out of memory. Inline: the parser
 * adds every node through it, and its arrays are sized once, so the check
 * is all it usually costs. */
static inline uint32_t tree_add(jc_tree *t, jc_op op, uint32_t pos,
                                const uint32_t *kids, uint32_t nkids)
{
    if ((t->nnodes >= t->nodes_cap || nkids > t->args_cap - t->nargs) &&
        tree_grow(t, nkids) < 0)
        return UINT32_MAX;
    t->nodes[t->nnodes] = (jc_node){.op = (uint8_t)op, .pos = pos,
                                    .first_arg = t->nargs, .nargs = nkids};
    for (uint32_t k = 0; k < nkids; k++)
        t->args[t->nargs + k] = kids[k];
    t->nargs += nkids;
    t->root = t->nnodes;
    return t->nnodes++;
}

static inline uint32_t tree_kid(const jc_tree *t, uint32_t node, uint32_t k)
{
    return t->args[t->nodes[node].first_arg + k];
}

/* What an aggregate pass computes per row for aggregate node `agg` (with
 * one argument): the argument, except that a bool widened to i64 for the
 * aggregate (sum(a > b)) is computed as the bool itself, one byte a row
 * instead of eight, and counted as 0/1 by the aggregate (interp/reduce.h). */
static inline uint32_t tree_agg_input(const jc_tree *t, uint32_t agg)
{
    uint32_t arg = tree_kid(t, agg, 0);
    return t->nodes[arg].op == OP_BOOL_TO_I64 ? tree_kid(t, arg, 0) : arg;
}

/* The aggregate (an index into t->aggs) that reduces node `out`, an output
 * of an aggregate pass: the first whose tree_agg_input it is (count() has
 * no input); UINT32_MAX if none. */
uint32_t tree_output_agg(const jc_tree *t, uint32_t out);

/* Does the aggregate of output `out` only count its true rows (sum or avg
 * of a bool)? Then a kernel may count them instead of storing them. */
int tree_output_counted(const jc_tree *t, uint32_t out);

/* First index of node n's subtree (computed by walking leftmost kids). */
uint32_t tree_subtree_first(const jc_tree *t, uint32_t n);

/* Deep copy (same layout, new arrays). Returns 0, or -1 when out of memory. */
int tree_copy(jc_tree *dst, const jc_tree *src);

/* The same copy for a tree that never changes again (a compiled entry's),
 * all in one block the caller allocates: tree_packed_size(src) bytes at
 * mem, 8-byte aligned, freed by the caller after tree_free(dst). One
 * allocation per copy instead of one per array and column name. */
size_t tree_packed_size(const jc_tree *src);
void tree_copy_packed(jc_tree *dst, const jc_tree *src, void *mem);

#endif /* JC_PARSER_TREE_H */
