/*
 * helpers.h — shared by the parser tests: parse/typecheck one text and
 * compare what comes out, with cmocka assertions that print the text.
 */
#ifndef JC_TESTS_PARSER_HELPERS_H
#define JC_TESTS_PARSER_HELPERS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "parser/parser.h"

/* The test schema: a b c (f64), i j k (i64), p q (bool), "unit price"
 * (f64), "größe" (f64). */
extern const jc_column test_schema[];
extern const size_t test_schema_len;

/* Parses text (default limits) and checks its CANON_TEXT. */
void expect_canon(const char *text, const char *want);
/* Parses with the given limits (NULL: defaults) and checks the error code
 * and 1-based position. */
void expect_error_lim(const char *text, size_t len, const jc_limits *lim,
                      jc_code code, int64_t pos);
void expect_error(const char *text, jc_code code, int64_t pos);
/* Parses and type-checks over test_schema; checks the typed CANON_TEXT and
 * the root's type. */
void expect_typed(const char *text, const char *want, jc_type type);
/* Parses (must succeed), type-checks (must fail with code at pos). */
void expect_type_error(const char *text, jc_code code, int64_t pos);
/* Checks that the type error's message contains `part`. */
void expect_type_message(const char *text, const char *part);

/* Parse + typecheck over test_schema; asserts success. */
void typed_tree(jc_tree *t, const char *text);

/* 1 when the trees have the same ops, kids, constants (type and bits) and
 * column names: positions and NODE_PAREN are ignored. */
int trees_equal(const jc_tree *a, const jc_tree *b);

#endif
