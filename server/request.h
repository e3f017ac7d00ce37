/*
 * request.h — one request being answered: what service.c (dispatch, small
 * ops) and eval.c (eval, explain) share. Internal to server/.
 */
#ifndef JC_SERVER_REQUEST_H
#define JC_SERVER_REQUEST_H

#include <jansson.h>
#include <stdatomic.h>

#include "server/columns.h"
#include "server/jbuf.h"
#include "server/prelex.h"
#include "server/proto.h"
#include "server/service.h"
#include "server/tables.h"

struct jc_service {
    jc_engine *engine;
    service_options opts;
    tables *tables;
    atomic_uint_fast64_t requests, errors;
    uint64_t start_ns; /* CLOCK_MONOTONIC at service_new */
    void (*transport_stats)(void *ctx, service_transport_stats *out);
    void *transport_ctx;
};

typedef struct request {
    jc_service *svc;
    prelex lex;
    json_t *root;
    const json_t *id; /* NULL: no "id" field */
    jbuf out;
    perr err;
} request;

/* Writes the opening of a success: {"id":…,"ok":true (the caller adds
 * fields and the closing brace). */
void response_ok(request *r);

/* A string field: 0 with *s and *n set, 1 when absent, -1 (bad_request) when
 * not a string. */
int field_string(request *r, const char *name, const char **s, size_t *n);

/* Rejects (bad_request naming it) any field of the request not in allowed
 * (NULL-terminated); "id" and "op" are always allowed. */
int check_fields(request *r, const char *op, const char *const *allowed);

/* The columns of a request: a stored table's (borrowed, referenced) followed
 * by the request's own (decoded). */
typedef struct inputs {
    table *table;
    colset own;
    jc_column *cols; /* all of them */
    size_t ncols;
    size_t rows;
} inputs;

/* Reads "table" and "columns" (either may be absent) into in. rows_check: 0
 * to skip the length check (explain only needs the schema). */
int inputs_read(request *r, inputs *in, int rows_check);
void inputs_free(inputs *in);

/* Compiles with the engine's cache; *cached says whether it was a hit. */
jc_program *service_compile(jc_service *svc, const char *expr, size_t len,
                            const jc_column *schema, size_t n, int *cached,
                            jc_error *err);

int op_eval(request *r);
int op_explain(request *r);

#endif /* JC_SERVER_REQUEST_H */
