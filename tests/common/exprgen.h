/*
 * exprgen.h — seeded random expressions for tests (parser round-trips, the
 * JIT-versus-interpreter differential tests, fuzz seed corpora).
 *
 * Every generated expression is well-typed for the given columns: it parses
 * and type-checks, and its type is the one asked for. It covers every
 * operator, every function (with its aliases), literal forms, quoted
 * column names and, when enabled, aggregates (nested ones included).
 * The same config and seed always give the same text, on every machine.
 *
 *     exprgen_column cols[] = {{"a", JC_F64}, {"n", JC_I64}, {"ok", JC_BOOL}};
 *     exprgen_config cfg = {.columns = cols, .ncolumns = 3, .max_depth = 6,
 *                           .aggregates = 1, .surface = 1};
 *     char *text = exprgen_text(&cfg, EXPRGEN_ANY, seed);
 *     ... parse, compile, compare ...
 *     free(text);
 *
 * Depth: max_depth bounds the operator nesting of the tree (0 = one
 * literal or column). The text's nesting in the language's sense
 * (parentheses, calls, prefix operators, powers) is at most
 * 3 * max_depth + 1, so max_depth <= 85 always fits the default limit of
 * 256. Size grows quickly with depth; 4..12 is the useful range.
 */
#ifndef JC_TESTS_EXPRGEN_H
#define JC_TESTS_EXPRGEN_H

#include <stddef.h>
#include <stdint.h>

#include "jitcalc.h"

typedef struct exprgen_column {
    const char *name; /* any name: quoted in the text when it needs it */
    jc_type type;
} exprgen_column;

typedef struct exprgen_config {
    const exprgen_column *columns; /* may be empty: literals only */
    size_t ncolumns;
    unsigned max_depth;   /* operator nesting of the tree, see above */
    int aggregates;       /* 1: sum avg mean min max count may appear */
    int surface;          /* 1: vary the spelling: keyword and function
                             case, aliases (&& || ! <> = ** log mean pow),
                             spacing, redundant parentheses */
    int edge_literals;    /* 1: literals include extremes (i64 max,
                             1e308, subnormals, 9223372036854775808) */
} exprgen_config;

/* Pass as the type to let the generator choose. */
#define EXPRGEN_ANY (-1)

/* Returns a malloc'd (free()) NUL-terminated expression whose type is
 * `type` (JC_F64, JC_I64, JC_BOOL or EXPRGEN_ANY); NULL when out of
 * memory. */
char *exprgen_text(const exprgen_config *cfg, int type, uint64_t seed);

/* The generator's PRNG (splitmix64), for tests that want to draw their own
 * data from the same seed: advances *state and returns 64 random bits. */
uint64_t exprgen_random(uint64_t *state);

#endif /* JC_TESTS_EXPRGEN_H */
