/* ops.c — names and kinds of the ops, straight from the JC_OPS table. */
#include "parser/tree.h"

static const char *const op_texts[OP_COUNT_] = {
#define JC_OP_TEXT(name, text, kind) text,
    JC_OPS(JC_OP_TEXT)
#undef JC_OP_TEXT
};

static const char op_kinds[OP_COUNT_] = {
#define JC_OP_KIND(name, text, kind) kind,
    JC_OPS(JC_OP_KIND)
#undef JC_OP_KIND
};

static const char *const op_names[OP_COUNT_] = {
#define JC_OP_NAME(name, text, kind) #name,
    JC_OPS(JC_OP_NAME)
#undef JC_OP_NAME
};

const char *op_text(jc_op op)
{
    return (unsigned)op < OP_COUNT_ ? op_texts[op] : "?";
}

char op_kind(jc_op op)
{
    return (unsigned)op < OP_COUNT_ ? op_kinds[op] : '?';
}

const char *op_name(jc_op op)
{
    return (unsigned)op < OP_COUNT_ ? op_names[op] : "?";
}
