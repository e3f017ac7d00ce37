/*
 * transport.h — NDJSON over the daemon's Unix socket.
 *
 * transport_pipeline is the one exchange loop: it writes request bytes and
 * reads response bytes at the same time (poll), so any number of requests
 * are in flight at once and neither side can block the other. It counts
 * the non-blank request lines it sends and stops when as many response
 * lines have come back. A request line is blank when it holds only spaces,
 * tabs and CRs: the daemon answers those with nothing.
 */
#ifndef JC_CLIENTS_TRANSPORT_H
#define JC_CLIENTS_TRANSPORT_H

#include <stddef.h>

#include "clients/strbuf.h"

enum transport_status {
    TRANSPORT_OK = 0,
    TRANSPORT_LOST = -1,  /* the daemon closed the connection or failed */
    TRANSPORT_LOCAL = -2  /* reading input or writing output failed */
};

/* Connects to the socket at path. Returns the fd, or -1 with msg filled. */
int transport_connect(const char *path, char *msg, size_t msglen);

/* Called with each complete response line (without its newline). Return
 * 0 to go on, -1 to stop with TRANSPORT_LOCAL. */
typedef int (*response_fn)(void *ctx, const char *line, size_t len);

typedef struct pipeline {
    int in_fd;             /* read requests from this fd until EOF, or -1 */
    const char *in_mem;    /* ... or send these bytes (in_fd == -1) */
    size_t in_len;
    response_fn on_response;
    void (*before_wait)(void *ctx); /* NULL, or called before blocking */
    void *ctx;
} pipeline;

/* Runs the exchange to the end. A last request line without a newline
 * gets one. Returns a transport_status, with msg filled on failure. */
int transport_pipeline(int fd, const pipeline *pl, char *msg, size_t msglen);

#endif /* JC_CLIENTS_TRANSPORT_H */
