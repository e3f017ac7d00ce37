/*
 * peer.h — the contract between bench_peers (the driver) and each peer
 * engine it measures against jitcalc: TinyCC, muparser, libgccjit, LLVM ORC.
 *
 * Every expression comes in three spellings so each peer gets it in its own
 * language: C (TinyCC), muparser syntax, and RPN (builders for the IR
 * peers). Row values are the names a, b, c.
 */
#ifndef JC_BENCH_PEER_H
#define JC_BENCH_PEER_H

#include <stddef.h>

typedef enum peer_kind {
    PEER_COLUMN, /* out[i] = expr */
    PEER_COUNT,  /* number of rows where expr (a condition) holds */
    PEER_SUM,    /* sum of expr in row order */
} peer_kind;

typedef struct peer_expr {
    const char *name;
    peer_kind kind;
    const char *c;        /* C expression over doubles a, b, c */
    const char *muparser; /* muparser syntax */
    /* RPN, space separated: a b c, numbers, + - * / neg sqrt exp sin log
     * gt lt and sel (cond x y sel = cond ? x : y). */
    const char *rpn;
    const char *jitcalc; /* jitcalc's language (a condition for PEER_COUNT,
                            the summand for PEER_SUM) */
} peer_expr;

/* The signatures of generated code: a column kernel, or a reduction (a
 * count is returned as a double). */
typedef void (*peer_col_fn)(const double *a, const double *b, const double *c, double *out,
                            long n);
typedef double (*peer_red_fn)(const double *a, const double *b, const double *c, long n);

/* A compiled expression. run() does one whole pass: for PEER_COLUMN it fills
 * out and returns 0; otherwise it returns the reduction (out is scratch of n
 * rows the peer may use, as muparser's bulk mode must). */
typedef struct peer_compiled {
    void *state; /* the peer's own handle, freed by release */
    void *fn;    /* generated code, for the JIT peers */
    double (*run)(struct peer_compiled *p, const double *a, const double *b, const double *c,
                  double *out, long n);
} peer_compiled;

/* run() for peers whose fn is generated code of the signatures above. */
double peer_run_col(peer_compiled *p, const double *a, const double *b, const double *c,
                    double *out, long n);
double peer_run_red(peer_compiled *p, const double *a, const double *b, const double *c,
                    double *out, long n);

typedef struct peer_engine {
    const char *name;
    /* Compile e; 0 on success, else nonzero with a message in msg. */
    int (*compile)(const peer_expr *e, peer_compiled *out, char *msg, size_t cap);
    void (*release)(peer_compiled *p);
} peer_engine;

/* Each peer file defines its engine; the driver lists those that were found
 * by CMake (HAVE_TCC, HAVE_MUPARSER, HAVE_GCCJIT, HAVE_LLVM), and jitcalc
 * itself first. */
extern const peer_engine peer_jitcalc, peer_tcc, peer_muparser, peer_gccjit, peer_llvm;

#endif
