/*
 * service.h — the jitcalc protocol, independent of any transport.
 *
 * One request line (NDJSON, docs/protocol.md) in, one response line out.
 * The daemon (server/daemon*.c) calls it from its worker threads; the CLI's
 * `--local` mode calls it in-process, so both answer the same bytes.
 * A service owns the stored tables; it is thread-safe.
 */
#ifndef JC_SERVER_SERVICE_H
#define JC_SERVER_SERVICE_H

#include <stddef.h>
#include <stdint.h>

#include "jitcalc.h"

typedef struct jc_service jc_service;

typedef struct service_options {
    size_t max_request_bytes; /* default 64 MiB */
    size_t max_table_bytes;   /* all stored tables together; default 1 GiB */
    /* What service_is_heavy calls large (the daemon answers those on worker
     * threads): lines of at least heavy_bytes (default 32 KiB), or naming a
     * stored table while one of at least heavy_rows rows exists (default
     * 65536). */
    size_t heavy_bytes;
    size_t heavy_rows;
    /* Columns one request may send (limit_exceeded past it), checked
     * before the JSON is built. Default SIZE_MAX: only max_request_bytes
     * bounds them (a million tiny columns in 16 MiB are answered). */
    size_t max_request_columns;
} service_options;

void service_options_init(service_options *opts);

/* The engine is borrowed and must outlive the service. The first call also
 * routes jansson's allocations through util/mem.h (so out-of-memory
 * injection reaches JSON parsing too); that allocator is malloc-compatible. */
jc_service *service_new(jc_engine *engine, const service_options *opts);
void service_free(jc_service *svc);

/* Answers one request line (len bytes, without its newline). Returns a
 * malloc'd response (one JSON object, no newline; free with free()), or NULL
 * for a blank line, which gets no response. Never fails otherwise: errors
 * are error responses; when even that cannot be allocated, returns NULL and
 * sets *out_of_memory (if non-NULL) to 1. */
char *service_handle(jc_service *svc, const char *line, size_t len,
                     int *out_of_memory);

/* --- for transports (additive; the CLI's --local needs none of it) --- */

/* An error response ({"ok":false,"error":{"code":code,"message":message}})
 * for a request the transport refused itself, e.g. a line longer than
 * max_request_bytes (code "limit_exceeded"). Counted in stats like any
 * answered request. Same ownership and failure rule as service_handle. */
char *service_error(jc_service *svc, const char *code, const char *message,
                    int *out_of_memory);

/* 1 when the request had better run off the event loop (see heavy_bytes,
 * heavy_rows); a cheap look at the bytes, not a parse. Thread-safe. */
int service_is_heavy(jc_service *svc, const char *line, size_t len);

/* Counters a transport adds to the `stats` response. */
typedef struct service_transport_stats {
    uint64_t connections;         /* open now */
    uint64_t connections_total;   /* accepted since start */
    uint64_t connections_refused; /* turned away (connection limit) */
    uint64_t requests_offloaded;  /* answered on worker threads */
} service_transport_stats;

/* Registers fn, called (from the thread answering a `stats` request) to fill
 * the transport's counters; fn must be thread-safe. Set it before serving. */
void service_set_transport_stats(jc_service *svc,
                                 void (*fn)(void *ctx, service_transport_stats *out),
                                 void *ctx);

#endif /* JC_SERVER_SERVICE_H */
