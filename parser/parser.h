/*
 * parser.h — text to typed tree: the surface of parser/.
 *
 * parse_expression:  text  -> parse tree   (lexer.c, parser.c)
 * typecheck_tree:    parse tree + schema -> typed tree (typecheck.c, fold.c,
 *                    passes.c)
 * canonical_text:    tree -> canonical text (canonical.c)
 *
 * Knows nothing of machine code, rows or caches.
 */
#ifndef JC_PARSER_PARSER_H
#define JC_PARSER_PARSER_H

#include <stddef.h>

#include "jitcalc.h"
#include "parser/tree.h"

/* Parses len bytes of text into *out (initialised by the call). On failure
 * returns -1, fills err (parse_error / unknown_function / limit_exceeded /
 * out_of_memory, with a 1-based code point position) and leaves *out empty. */
int parse_expression(jc_tree *out, const char *text, size_t len,
                     const jc_limits *limits, jc_error *err);

/* Turns a parse tree into a typed tree in place: binds columns to the schema
 * (unknown_column), types every node (type_error), inserts conversions,
 * removes sugar, and computes the passes. Constant folding is the
 * interpreter's (interp/interp.h: fold_constants), which knows the values.
 * On failure returns -1 and fills err; *t must then only be freed. */
int typecheck_tree(jc_tree *t, const jc_column *schema, size_t nschema,
                   const jc_limits *limits, jc_error *err);

/* Folds one node whose operands args[] are all constants (types as the
 * typed tree gives them: `type` the result's, `ktype` operand 0's): 1 with
 * its value in *out, or 0 when it stays (it faults, and must fault at run
 * time). interp/interp.h's fold_node is fold_constants' own rule. */
typedef int (*jc_fold_fn)(jc_op op, jc_type type, jc_type ktype, const jc_value *args,
                          jc_value *out);

/* typecheck_tree for a caller that folds constants next (jc_compile): the
 * passes are not planned, and in the common case (no sugar, no if/and/or
 * with a constant condition) the constant subtrees are folded on the way
 * with `fold`, where folding them is all that fold_constants would do.
 * Returns 1 when the tree is then what fold_constants would make of it
 * (tree_plan_passes is left to do), 0 when fold_constants is still to run,
 * -1 with *err as typecheck_tree. */
int typecheck_tree_folding(jc_tree *t, const jc_column *schema, size_t nschema,
                           const jc_limits *limits, jc_fold_fn fold, jc_error *err);

/* (Re)computes t->aggs, agg levels, NODE_ROWWISE flags and t->passes for a
 * typed tree; typecheck_tree calls it, and so does anything that rewrites a
 * typed tree afterwards (constant folding; jc_compile after
 * typecheck_tree_folding). Returns -1 when out of memory. */
int tree_plan_passes(jc_tree *t, jc_error *err);

enum canon_mode {
    /* Fully parenthesised text with literal values: parses back to the same
     * parse tree. For users (explain) and for round-trip tests. */
    CANON_TEXT = 0,
    /* The cache key of a typed tree, as bytes (they may include NUL: use
     * *len): every node in post-order with its op, type and arity, columns
     * by slot, literals not at all (their values are parameters). Equal
     * keys mean the same ops, types and column slots in the same shape:
     * the same compiled code. */
    CANON_KEY = 1,
    /* The same information as CANON_KEY as readable prefix text, for tests
     * and debugging: `GT:bool(#0:f64,$f64)`. */
    CANON_KEY_TEXT = 2
};

/* Returns a malloc'd text (CANON_KEY: bytes), NUL-terminated, its length in
 * *len if len != NULL; NULL when out of memory. Iterative: safe on any
 * depth. */
char *canonical_text(const jc_tree *t, enum canon_mode mode, size_t *len);

/* CANON_KEY into the caller's memory (jc_compile keeps it on its stack):
 * canonical_key_write writes the key and a NUL at out, which must hold
 * canonical_key_bound(t) bytes, and returns the key's length. */
size_t canonical_key_bound(const jc_tree *t);
size_t canonical_key_write(const jc_tree *t, char *out);

#endif /* JC_PARSER_PARSER_H */
