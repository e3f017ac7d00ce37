/*
 * rpn.h — walks a peer_expr's RPN text for the IR-building peers (libgccjit,
 * LLVM): tokens are read left to right and handed to a callback that keeps
 * its own value stack. No recursion, no allocation.
 */
#ifndef JC_BENCH_RPN_H
#define JC_BENCH_RPN_H

#include <stdlib.h>
#include <string.h>

typedef enum rpn_op {
    RPN_NUM, RPN_A, RPN_B, RPN_C, RPN_ADD, RPN_SUB, RPN_MUL, RPN_DIV, RPN_NEG,
    RPN_SQRT, RPN_EXP, RPN_SIN, RPN_LOG, RPN_GT, RPN_LT, RPN_AND, RPN_SEL, RPN_BAD
} rpn_op;

/* The next token of *s (advancing it): its op, and its value for RPN_NUM.
 * Returns 0 at the end of the text. */
static inline int rpn_next(const char **s, rpn_op *op, double *num)
{
    static const char *const names[] = {"", "a", "b", "c", "+", "-", "*", "/", "neg", "sqrt",
                                        "exp", "sin", "log", "gt", "lt", "and", "sel"};
    const char *p = *s;
    while (*p == ' ')
        p++;
    if (!*p)
        return 0;
    size_t len = strcspn(p, " ");
    *s = p + len;
    for (int i = 1; i < RPN_BAD; i++)
        if (strlen(names[i]) == len && memcmp(names[i], p, len) == 0) {
            *op = (rpn_op)i;
            return 1;
        }
    char *end;
    *num = strtod(p, &end);
    *op = end == p + len ? RPN_NUM : RPN_BAD;
    return 1;
}

/* How many values op takes off the stack (it always pushes one). */
static inline int rpn_arity(rpn_op op)
{
    switch (op) {
    case RPN_NEG:
    case RPN_SQRT:
    case RPN_EXP:
    case RPN_SIN:
    case RPN_LOG: return 1;
    case RPN_ADD:
    case RPN_SUB:
    case RPN_MUL:
    case RPN_DIV:
    case RPN_GT:
    case RPN_LT:
    case RPN_AND: return 2;
    case RPN_SEL: return 3;
    default: return 0;
    }
}

#endif
