/*
 * fuzz_parser.c — libFuzzer harness for the parser and the type checker.
 *
 * bytes -> parse_expression (default limits). A failure must be a parse
 * error, unknown function, wrong argument count (type_error) or limit, with a position inside the text (or
 * just past it), and leave the tree empty. A success must print back:
 * parse(canonical(t)) succeeds and gives the same tree (ops, shape,
 * literal bits, column names) and the same canonical text. Then
 * typecheck_tree against a fixed schema (names that look like functions
 * and keywords included): a failure is a type, column, function or limit
 * error; a success is a well-formed typed tree whose canonical text
 * parses and type-checks again to the same canonical text.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parser/parser.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond, ...)                                                     \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "fuzz_parser: check failed: %s\n  ", #cond);     \
            fprintf(stderr, __VA_ARGS__);                                    \
            fprintf(stderr, "\n");                                           \
            abort();                                                         \
        }                                                                    \
    } while (0)

static const jc_column schema[] = {
    {"a", JC_F64, NULL, 0},          {"b", JC_F64, NULL, 0},
    {"x", JC_F64, NULL, 0},          {"n", JC_I64, NULL, 0},
    {"m", JC_I64, NULL, 0},          {"p", JC_BOOL, NULL, 0},
    {"q", JC_BOOL, NULL, 0},         {"unit price", JC_F64, NULL, 0},
    {"sum", JC_F64, NULL, 0},        {"min", JC_I64, NULL, 0},
    {"if", JC_BOOL, NULL, 0},        {"and", JC_F64, NULL, 0},
    {"say \"hi\"", JC_I64, NULL, 0}, {"\xc3\xa9t\xc3\xa9", JC_F64, NULL, 0},
};
#define NSCHEMA (sizeof schema / sizeof schema[0])

/* Limits for re-parsing printed text: fully parenthesised text nests
 * deeper and runs longer than its source, and the parser is iterative. */
static const jc_limits relaxed = {SIZE_MAX, 1u << 30, 1u << 30};

static void same_tree(const jc_tree *a, const jc_tree *b, const char *text)
{
    CHECK(a->nnodes == b->nnodes && a->nargs == b->nargs && a->nconsts == b->nconsts &&
              a->ncolumns == b->ncolumns && a->root == b->root,
          "re-parse changed the tree's size: %u/%u nodes, %u/%u consts, %u/%u columns\n"
          "  canonical: %s",
          a->nnodes, b->nnodes, a->nconsts, b->nconsts, a->ncolumns, b->ncolumns, text);
    for (uint32_t i = 0; i < a->nnodes; i++) {
        const jc_node *x = &a->nodes[i], *y = &b->nodes[i];
        CHECK(x->op == y->op && x->nargs == y->nargs && x->slot == y->slot &&
                  x->type == y->type,
              "re-parse changed node %u: %s/%s\n  canonical: %s", i,
              op_name((jc_op)x->op), op_name((jc_op)y->op), text);
        for (uint32_t k = 0; k < x->nargs; k++)
            CHECK(tree_kid(a, i, k) == tree_kid(b, i, k),
                  "re-parse changed kid %u of node %u\n  canonical: %s", k, i, text);
    }
    for (uint32_t i = 0; i < a->nconsts; i++)
        CHECK(a->consts[i].type == b->consts[i].type &&
                  a->consts[i].value.bits == b->consts[i].value.bits,
              "re-parse changed literal %u: 0x%016llx -> 0x%016llx\n  canonical: %s", i,
              (unsigned long long)a->consts[i].value.bits,
              (unsigned long long)b->consts[i].value.bits, text);
    for (uint32_t i = 0; i < a->ncolumns; i++)
        CHECK(a->columns[i].len == b->columns[i].len &&
                  memcmp(a->columns[i].name, b->columns[i].name, a->columns[i].len) == 0,
              "re-parse changed column %u: '%s' -> '%s'", i, a->columns[i].name,
              b->columns[i].name);
}

/* Post-order, kids before parents, root last, types in range. */
static void well_formed(const jc_tree *t)
{
    CHECK(t->nnodes > 0 && t->root == t->nnodes - 1, "root %u of %u nodes", t->root,
          t->nnodes);
    for (uint32_t i = 0; i < t->nnodes; i++) {
        const jc_node *n = &t->nodes[i];
        CHECK(n->op < OP_COUNT_ && n->type <= JC_BOOL, "node %u: op %u type %u", i, n->op,
              n->type);
        CHECK((uint64_t)n->first_arg + n->nargs <= t->nargs, "node %u: kids out of range",
              i);
        for (uint32_t k = 0; k < n->nargs; k++)
            CHECK(tree_kid(t, i, k) < i, "node %u: kid %u is not before it", i, k);
        if (n->op == OP_CONST)
            CHECK(n->slot < t->nconsts, "node %u: const slot %u", i, n->slot);
        if (n->op == OP_COLUMN)
            CHECK(n->slot < t->ncolumns, "node %u: column slot %u", i, n->slot);
    }
}

static void check_parse_failure(const jc_tree *t, const jc_error *err, size_t size)
{
    /* a wrong argument count is found while parsing: a type_error */
    CHECK(err->code == JC_PARSE_ERROR || err->code == JC_UNKNOWN_FUNCTION ||
              err->code == JC_TYPE_ERROR || err->code == JC_LIMIT_EXCEEDED,
          "parse failed with %s: %s", jc_code_name(err->code), err->message);
    CHECK(err->code == JC_LIMIT_EXCEEDED ||
              (err->position >= 1 && (uint64_t)err->position <= size + 1),
          "%s at position %lld of a %zu-byte text", jc_code_name(err->code),
          (long long)err->position, size);
    CHECK(err->message[0] != '\0', "an error without a message");
    CHECK(t->nnodes == 0, "a failed parse left %u nodes", t->nnodes);
}

/* The typed tree prints to text that type-checks to the same text. */
static void typed_round_trip(const jc_tree *t)
{
    size_t len;
    char *key = canonical_text(t, CANON_KEY, &len);
    CHECK(key != NULL, "no CANON_KEY for a typed tree");
    free(key);
    char *text = canonical_text(t, CANON_TEXT, &len);
    CHECK(text != NULL, "no CANON_TEXT for a typed tree");
    jc_tree again;
    jc_error err;
    CHECK(parse_expression(&again, text, len, &relaxed, &err) == 0,
          "typed canonical text does not parse: %s at %lld\n  text: %s", err.message,
          (long long)err.position, text);
    CHECK(typecheck_tree(&again, schema, NSCHEMA, &relaxed, &err) == 0,
          "typed canonical text does not type-check: %s: %s at %lld\n  text: %s",
          jc_code_name(err.code), err.message, (long long)err.position, text);
    char *text2 = canonical_text(&again, CANON_TEXT, NULL);
    CHECK(text2 && strcmp(text, text2) == 0,
          "typed canonical text is not a fixed point\n  first:  %s\n  second: %s", text,
          text2 ? text2 : "(null)");
    free(text2);
    tree_free(&again);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const jc_limits limits = {JC_DEFAULT_MAX_EXPR_BYTES, JC_DEFAULT_MAX_DEPTH,
                              JC_DEFAULT_MAX_COLUMNS};
    jc_tree t;
    jc_error err;
    if (parse_expression(&t, (const char *)data, size, &limits, &err) != 0) {
        check_parse_failure(&t, &err, size);
        tree_free(&t);
        return 0;
    }
    well_formed(&t);

    size_t len;
    char *text = canonical_text(&t, CANON_TEXT, &len);
    CHECK(text != NULL, "canonical_text failed on a parse tree");
    CHECK(strlen(text) == len, "canonical text has an embedded NUL");
    jc_tree again;
    CHECK(parse_expression(&again, text, len, &relaxed, &err) == 0,
          "canonical text does not parse: %s: %s at %lld\n  text: %s",
          jc_code_name(err.code), err.message, (long long)err.position, text);
    same_tree(&t, &again, text);
    char *text2 = canonical_text(&again, CANON_TEXT, NULL);
    CHECK(text2 && strcmp(text, text2) == 0,
          "canonical text is not a fixed point\n  first:  %s\n  second: %s", text,
          text2 ? text2 : "(null)");
    free(text2);
    tree_free(&again);
    free(text);

    if (typecheck_tree(&t, schema, NSCHEMA, &limits, &err) != 0) {
        CHECK(err.code == JC_TYPE_ERROR || err.code == JC_UNKNOWN_COLUMN ||
                  err.code == JC_UNKNOWN_FUNCTION || err.code == JC_LIMIT_EXCEEDED,
              "typecheck failed with %s: %s", jc_code_name(err.code), err.message);
        CHECK(err.code == JC_LIMIT_EXCEEDED ||
                  (err.position >= 1 && (uint64_t)err.position <= size + 1),
              "%s at position %lld of a %zu-byte text", jc_code_name(err.code),
              (long long)err.position, size);
        tree_free(&t);
        return 0;
    }
    well_formed(&t);
    typed_round_trip(&t);
    tree_free(&t);
    return 0;
}
