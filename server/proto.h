/*
 * proto.h — what the files of the protocol (service*.c, columns.c,
 * tables.c) share: the error a request answers with.
 *
 * Protocol error codes are the language's (jc_code_name) plus bad_json,
 * bad_request and unknown_table; `code` always points at a static string.
 */
#ifndef JC_SERVER_PROTO_H
#define JC_SERVER_PROTO_H

#include <stdint.h>

#include "jitcalc.h"

typedef struct perr {
    const char *code;
    char message[JC_ERROR_MESSAGE_SIZE];
    int64_t position; /* 1-based in the expression; 0 = none */
    int64_t row;      /* 0-based input row; -1 = none */
    int64_t expr;     /* index in exprs; -1 = none */
    int in_where;     /* the error is the where filter's */
} perr;

/* Fills e (code is a static string) and returns -1. */
int perr_set(perr *e, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Fills e from an engine error. Returns -1. */
int perr_from_jc(perr *e, const jc_error *err);

#endif /* JC_SERVER_PROTO_H */
