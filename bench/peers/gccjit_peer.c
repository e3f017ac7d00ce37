/*
 * gccjit_peer.c — libgccjit (GCC 12 as a library): the expression's RPN is
 * built into a GCC function (a loop over the rows) and compiled at -O3
 * for the host CPU (GCCJIT_MARCH, what gcc -march=native means here) with
 * jitcalc's floating-point flags, like the C loop.
 * `sel` has no expression form in libgccjit, so it becomes blocks that
 * assign a local (GCC if-converts them back).
 */
#include <libgccjit.h>
#include <stdio.h>

#include "bench/peers/peer.h"
#include "bench/peers/rpn.h"

#define STACK 64

typedef struct jit_state {
    gcc_jit_context *ctx;
    gcc_jit_result *res;
} jit_state;

static int gccjit_compile(const peer_expr *e, peer_compiled *out, char *msg, size_t cap)
{
    gcc_jit_context *ctx = gcc_jit_context_acquire();
    if (!ctx) {
        snprintf(msg, cap, "gcc_jit_context_acquire failed");
        return -1;
    }
    gcc_jit_context_set_int_option(ctx, GCC_JIT_INT_OPTION_OPTIMIZATION_LEVEL, 3);
    gcc_jit_context_set_bool_print_errors_to_stderr(ctx, 0); /* msg has the first */
#ifdef GCCJIT_MARCH
    gcc_jit_context_add_command_line_option(ctx, "-march=" GCCJIT_MARCH);
#endif
    gcc_jit_context_add_command_line_option(ctx, "-ffp-contract=off");
    gcc_jit_context_add_command_line_option(ctx, "-fno-math-errno");

    gcc_jit_type *dbl = gcc_jit_context_get_type(ctx, GCC_JIT_TYPE_DOUBLE);
    gcc_jit_type *lng = gcc_jit_context_get_type(ctx, GCC_JIT_TYPE_LONG);
    gcc_jit_type *in = gcc_jit_type_get_pointer(gcc_jit_type_get_const(dbl));
    gcc_jit_type *outp = gcc_jit_type_get_pointer(dbl);
    gcc_jit_type *intt = gcc_jit_context_get_type(ctx, GCC_JIT_TYPE_INT);
    int column = e->kind == PEER_COLUMN;
    gcc_jit_param *params[5] = {
        gcc_jit_context_new_param(ctx, NULL, in, "pa"),
        gcc_jit_context_new_param(ctx, NULL, in, "pb"),
        gcc_jit_context_new_param(ctx, NULL, in, "pc"),
        gcc_jit_context_new_param(ctx, NULL, column ? outp : lng, column ? "out" : "n"),
        column ? gcc_jit_context_new_param(ctx, NULL, lng, "n") : NULL,
    };
    gcc_jit_function *f = gcc_jit_context_new_function(
        ctx, NULL, GCC_JIT_FUNCTION_EXPORTED, column ? gcc_jit_context_get_type(ctx, GCC_JIT_TYPE_VOID) : dbl,
        "f", column ? 5 : 4, params, 0);
    gcc_jit_rvalue *n = gcc_jit_param_as_rvalue(params[column ? 4 : 3]);
    gcc_jit_lvalue *i = gcc_jit_function_new_local(f, NULL, lng, "i");
    gcc_jit_lvalue *acc = gcc_jit_function_new_local(f, NULL, dbl, "acc");
    gcc_jit_block *entry = gcc_jit_function_new_block(f, "entry");
    gcc_jit_block *cond = gcc_jit_function_new_block(f, "cond");
    gcc_jit_block *body = gcc_jit_function_new_block(f, "body");
    gcc_jit_block *done = gcc_jit_function_new_block(f, "done");
    gcc_jit_block_add_assignment(entry, NULL, i, gcc_jit_context_zero(ctx, lng));
    gcc_jit_block_add_assignment(entry, NULL, acc, gcc_jit_context_zero(ctx, dbl));
    gcc_jit_block_end_with_jump(entry, NULL, cond);
    gcc_jit_block_end_with_conditional(
        cond, NULL,
        gcc_jit_context_new_comparison(ctx, NULL, GCC_JIT_COMPARISON_LT, gcc_jit_lvalue_as_rvalue(i), n),
        body, done);

    gcc_jit_rvalue *iv = gcc_jit_lvalue_as_rvalue(i), *row[3];
    for (int k = 0; k < 3; k++)
        row[k] = gcc_jit_lvalue_as_rvalue(
            gcc_jit_context_new_array_access(ctx, NULL, gcc_jit_param_as_rvalue(params[k]), iv));
    gcc_jit_function *fsqrt = gcc_jit_context_get_builtin_function(ctx, "__builtin_sqrt");
    gcc_jit_function *fexp = gcc_jit_context_get_builtin_function(ctx, "__builtin_exp");
    gcc_jit_function *fsin = gcc_jit_context_get_builtin_function(ctx, "__builtin_sin");
    gcc_jit_function *flog = gcc_jit_context_get_builtin_function(ctx, "__builtin_log");

    gcc_jit_rvalue *st[STACK];
    int sp = 0, nsel = 0;
    const char *s = e->rpn;
    rpn_op op;
    double num = 0;
    gcc_jit_block *cur = body;
    while (rpn_next(&s, &op, &num)) {
        int need = rpn_arity(op);
        if (op == RPN_BAD || sp < need || sp >= STACK) {
            snprintf(msg, cap, "bad RPN: %s", e->rpn);
            gcc_jit_context_release(ctx);
            return -1;
        }
        gcc_jit_rvalue *x = need >= 1 ? st[sp - need] : NULL, *y = need >= 2 ? st[sp - need + 1] : NULL, *r = NULL;
        gcc_jit_function *fn = NULL;
        switch (op) {
        case RPN_NUM: r = gcc_jit_context_new_rvalue_from_double(ctx, dbl, num); break;
        case RPN_A: case RPN_B: case RPN_C: r = row[op - RPN_A]; break;
        case RPN_ADD: r = gcc_jit_context_new_binary_op(ctx, NULL, GCC_JIT_BINARY_OP_PLUS, dbl, x, y); break;
        case RPN_SUB: r = gcc_jit_context_new_binary_op(ctx, NULL, GCC_JIT_BINARY_OP_MINUS, dbl, x, y); break;
        case RPN_MUL: r = gcc_jit_context_new_binary_op(ctx, NULL, GCC_JIT_BINARY_OP_MULT, dbl, x, y); break;
        case RPN_DIV: r = gcc_jit_context_new_binary_op(ctx, NULL, GCC_JIT_BINARY_OP_DIVIDE, dbl, x, y); break;
        case RPN_NEG: r = gcc_jit_context_new_unary_op(ctx, NULL, GCC_JIT_UNARY_OP_MINUS, dbl, x); break;
        case RPN_SQRT: fn = fsqrt; break;
        case RPN_EXP: fn = fexp; break;
        case RPN_SIN: fn = fsin; break;
        case RPN_LOG: fn = flog; break;
        case RPN_GT: r = gcc_jit_context_new_comparison(ctx, NULL, GCC_JIT_COMPARISON_GT, x, y); break;
        case RPN_LT: r = gcc_jit_context_new_comparison(ctx, NULL, GCC_JIT_COMPARISON_LT, x, y); break;
        case RPN_AND:
            r = gcc_jit_context_new_binary_op(ctx, NULL, GCC_JIT_BINARY_OP_LOGICAL_AND,
                                              gcc_jit_context_get_type(ctx, GCC_JIT_TYPE_BOOL), x, y);
            break;
        case RPN_SEL: {
            char name[16];
            snprintf(name, sizeof name, "t%d", nsel++);
            gcc_jit_lvalue *t = gcc_jit_function_new_local(f, NULL, dbl, name);
            gcc_jit_block *bt = gcc_jit_function_new_block(f, NULL), *bf = gcc_jit_function_new_block(f, NULL),
                          *join = gcc_jit_function_new_block(f, NULL);
            gcc_jit_block_end_with_conditional(cur, NULL, x, bt, bf);
            gcc_jit_block_add_assignment(bt, NULL, t, y);
            gcc_jit_block_end_with_jump(bt, NULL, join);
            gcc_jit_block_add_assignment(bf, NULL, t, st[sp - 1]);
            gcc_jit_block_end_with_jump(bf, NULL, join);
            cur = join;
            r = gcc_jit_lvalue_as_rvalue(t);
            break;
        }
        default: break;
        }
        if (fn)
            r = gcc_jit_context_new_call(ctx, NULL, fn, 1, &x);
        sp -= need;
        st[sp++] = r;
    }
    if (sp != 1) {
        snprintf(msg, cap, "bad RPN: %s", e->rpn);
        gcc_jit_context_release(ctx);
        return -1;
    }
    gcc_jit_rvalue *v = st[0];
    if (column) {
        gcc_jit_block_add_assignment(
            cur, NULL, gcc_jit_context_new_array_access(ctx, NULL, gcc_jit_param_as_rvalue(params[3]), iv), v);
    } else {
        if (e->kind == PEER_COUNT) /* bool → int → double */
            v = gcc_jit_context_new_cast(ctx, NULL, gcc_jit_context_new_cast(ctx, NULL, v, intt), dbl);
        gcc_jit_block_add_assignment_op(cur, NULL, acc, GCC_JIT_BINARY_OP_PLUS, v);
    }
    gcc_jit_block_add_assignment_op(cur, NULL, i, GCC_JIT_BINARY_OP_PLUS, gcc_jit_context_one(ctx, lng));
    gcc_jit_block_end_with_jump(cur, NULL, cond);
    if (column)
        gcc_jit_block_end_with_void_return(done, NULL);
    else
        gcc_jit_block_end_with_return(done, NULL, gcc_jit_lvalue_as_rvalue(acc));

    gcc_jit_result *res = gcc_jit_context_compile(ctx);
    void *code = res ? gcc_jit_result_get_code(res, "f") : NULL;
    if (!code) {
        const char *m = gcc_jit_context_get_first_error(ctx);
        snprintf(msg, cap, "%s", m ? m : "compile failed");
        if (res)
            gcc_jit_result_release(res);
        gcc_jit_context_release(ctx);
        return -1;
    }
    jit_state *js = malloc(sizeof *js);
    if (!js) {
        snprintf(msg, cap, "out of memory");
        gcc_jit_result_release(res);
        gcc_jit_context_release(ctx);
        return -1;
    }
    js->ctx = ctx;
    js->res = res;
    out->state = js;
    out->fn = code;
    out->run = column ? peer_run_col : peer_run_red;
    return 0;
}

static void gccjit_release(peer_compiled *p)
{
    jit_state *js = p->state;
    gcc_jit_result_release(js->res);
    gcc_jit_context_release(js->ctx);
    free(js);
}

const peer_engine peer_gccjit = {"gccjit", gccjit_compile, gccjit_release};
