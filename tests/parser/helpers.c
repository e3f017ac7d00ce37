/* helpers.c — see helpers.h. */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const jc_column test_schema[] = {
    {"a", JC_F64, NULL, 0},          {"b", JC_F64, NULL, 0},
    {"c", JC_F64, NULL, 0},          {"i", JC_I64, NULL, 0},
    {"j", JC_I64, NULL, 0},          {"k", JC_I64, NULL, 0},
    {"p", JC_BOOL, NULL, 0},         {"q", JC_BOOL, NULL, 0},
    {"unit price", JC_F64, NULL, 0}, {"gr\xc3\xb6\xc3\x9f" "e", JC_F64, NULL, 0},
};
const size_t test_schema_len = sizeof test_schema / sizeof *test_schema;

static void fail_with(const char *text, const char *what, const jc_error *err)
{
    print_error("expression: %s\n%s: %s at %lld: %s\n", text, what,
                jc_code_name(err->code), (long long)err->position,
                err->message);
    fail();
}

void expect_canon(const char *text, const char *want)
{
    jc_tree t;
    jc_error err = {0};
    if (parse_expression(&t, text, strlen(text), NULL, &err) < 0)
        fail_with(text, "parse failed", &err);
    char *got = canonical_text(&t, CANON_TEXT, NULL);
    assert_non_null(got);
    if (strcmp(got, want) != 0) {
        print_error("expression: %s\n  got: %s\n want: %s\n", text, got, want);
        free(got);
        tree_free(&t);
        fail();
    }
    free(got);
    tree_free(&t);
}

void expect_error_lim(const char *text, size_t len, const jc_limits *lim,
                      jc_code code, int64_t pos)
{
    jc_tree t;
    jc_error err = {0};
    if (parse_expression(&t, text, len, lim, &err) == 0) {
        print_error("expression: %.200s\nparsed, but should fail with %s\n",
                    text, jc_code_name(code));
        tree_free(&t);
        fail();
    }
    assert_int_equal(t.nnodes, 0); /* left empty */
    if (err.code != code || err.position != pos) {
        print_error("expression: %.200s\n  got: %s at %lld (%s)\n want: %s at "
                    "%lld\n",
                    text, jc_code_name(err.code), (long long)err.position,
                    err.message, jc_code_name(code), (long long)pos);
        fail();
    }
    assert_true(strlen(err.message) > 0);
}

void expect_error(const char *text, jc_code code, int64_t pos)
{
    expect_error_lim(text, strlen(text), NULL, code, pos);
}

void typed_tree(jc_tree *t, const char *text)
{
    jc_error err = {0};
    if (parse_expression(t, text, strlen(text), NULL, &err) < 0)
        fail_with(text, "parse failed", &err);
    if (typecheck_tree(t, test_schema, test_schema_len, NULL, &err) < 0) {
        tree_free(t);
        fail_with(text, "typecheck failed", &err);
    }
}

void expect_typed(const char *text, const char *want, jc_type type)
{
    jc_tree t;
    typed_tree(&t, text);
    char *got = canonical_text(&t, CANON_TEXT, NULL);
    assert_non_null(got);
    if (strcmp(got, want) != 0 || t.nodes[t.root].type != type) {
        print_error("expression: %s\n  got: %s (%s)\n want: %s (%s)\n", text,
                    got, jc_type_name(t.nodes[t.root].type), want,
                    jc_type_name(type));
        free(got);
        tree_free(&t);
        fail();
    }
    free(got);
    tree_free(&t);
}

static int type_error_of(const char *text, jc_error *err)
{
    jc_tree t;
    if (parse_expression(&t, text, strlen(text), NULL, err) < 0)
        fail_with(text, "parse failed", err);
    int rc = typecheck_tree(&t, test_schema, test_schema_len, NULL, err);
    tree_free(&t);
    return rc;
}

void expect_type_error(const char *text, jc_code code, int64_t pos)
{
    jc_error err = {0};
    if (type_error_of(text, &err) == 0) {
        print_error("expression: %s\ntype-checked, but should fail with %s\n",
                    text, jc_code_name(code));
        fail();
    }
    if (err.code != code || err.position != pos) {
        print_error("expression: %s\n  got: %s at %lld (%s)\n want: %s at "
                    "%lld\n",
                    text, jc_code_name(err.code), (long long)err.position,
                    err.message, jc_code_name(code), (long long)pos);
        fail();
    }
}

void expect_type_message(const char *text, const char *part)
{
    jc_error err = {0};
    assert_int_equal(type_error_of(text, &err), -1);
    if (!strstr(err.message, part)) {
        print_error("expression: %s\nmessage: %s\nlacks: %s\n", text,
                    err.message, part);
        fail();
    }
}

int trees_equal(const jc_tree *a, const jc_tree *b)
{
    if (a->nnodes != b->nnodes || a->root != b->root)
        return 0;
    for (uint32_t i = 0; i < a->nnodes; i++) {
        const jc_node *x = &a->nodes[i], *y = &b->nodes[i];
        if (x->op != y->op || x->nargs != y->nargs)
            return 0;
        for (uint32_t k = 0; k < x->nargs; k++)
            if (tree_kid(a, i, k) != tree_kid(b, i, k))
                return 0;
        if (x->op == OP_CONST) {
            const jc_const *ca = &a->consts[x->slot], *cb = &b->consts[y->slot];
            if (ca->type != cb->type || ca->value.bits != cb->value.bits)
                return 0;
        }
        if (x->op == OP_COLUMN) {
            const jc_colref *ca = &a->columns[x->slot],
                            *cb = &b->columns[y->slot];
            if (ca->len != cb->len || memcmp(ca->name, cb->name, ca->len) != 0)
                return 0;
        }
    }
    return 1;
}
