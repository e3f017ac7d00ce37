/*
 * tcc_peer.c — TinyCC as an in-process C compiler: the expression becomes a
 * C function (a loop over the rows), compiled from a string into memory,
 * relocated and called. No headers and no libc are linked in (-nostdlib):
 * the four libm functions the expressions use are handed to TinyCC as
 * symbols, so a compile is the compiler's own work only.
 */
#include <libtcc.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bench/peers/peer.h"

typedef struct tcc_err {
    char *msg;
    size_t cap;
} tcc_err;

static void on_error(void *opaque, const char *msg)
{
    tcc_err *e = opaque;
    if (e->cap && !e->msg[0])
        snprintf(e->msg, e->cap, "%s", msg);
}

static int tcc_compile_expr(const peer_expr *e, peer_compiled *out, char *msg, size_t cap)
{
    char src[2048];
    const char *head = "double sqrt(double); double exp(double); double sin(double);"
                       " double log(double);\n";
    if (e->kind == PEER_COLUMN)
        snprintf(src, sizeof src,
                 "%svoid f(const double *pa, const double *pb, const double *pc, double *out,"
                 " long n) {\n for (long i = 0; i < n; i++) {\n"
                 "  double a = pa[i], b = pb[i], c = pc[i];\n  out[i] = %s;\n }\n}\n",
                 head, e->c);
    else
        snprintf(src, sizeof src,
                 "%sdouble f(const double *pa, const double *pb, const double *pc, long n) {\n"
                 " double s = 0;\n for (long i = 0; i < n; i++) {\n"
                 "  double a = pa[i], b = pb[i], c = pc[i];\n  s += %s;\n }\n return s;\n}\n",
                 head, e->c);
    msg[0] = 0;
    tcc_err te = {msg, cap};
    TCCState *s = tcc_new();
    if (!s) {
        snprintf(msg, cap, "tcc_new failed");
        return -1;
    }
    tcc_set_error_func(s, &te, on_error);
    tcc_set_options(s, "-nostdlib");
    tcc_set_output_type(s, TCC_OUTPUT_MEMORY);
    tcc_add_symbol(s, "sqrt", (const void *)sqrt);
    tcc_add_symbol(s, "exp", (const void *)exp);
    tcc_add_symbol(s, "sin", (const void *)sin);
    tcc_add_symbol(s, "log", (const void *)log);
    void *fn = NULL;
    if (tcc_compile_string(s, src) == 0 && tcc_relocate(s, TCC_RELOCATE_AUTO) == 0)
        fn = tcc_get_symbol(s, "f");
    if (!fn) {
        if (!msg[0])
            snprintf(msg, cap, "no symbol f");
        tcc_delete(s);
        return -1;
    }
    out->state = s;
    out->fn = fn;
    out->run = e->kind == PEER_COLUMN ? peer_run_col : peer_run_red;
    return 0;
}

static void tcc_release(peer_compiled *p)
{
    tcc_delete(p->state);
}

const peer_engine peer_tcc = {"tcc", tcc_compile_expr, tcc_release};
