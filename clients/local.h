/*
 * local.h — the protocol answered in-process (`--local`): an engine and a
 * service (server/service.h) in this process, so local answers are the
 * same bytes the daemon would send, without a daemon.
 */
#ifndef JC_CLIENTS_LOCAL_H
#define JC_CLIENTS_LOCAL_H

#include <stddef.h>

#include "clients/transport.h"

typedef struct local_backend local_backend;

/* NULL with msg filled when the engine cannot start. */
local_backend *local_open(char *msg, size_t msglen);
void local_close(local_backend *lb);

/* Answers one request line (without its newline). Returns a malloc'd
 * response line (free with free()), or NULL for a blank line. Running out
 * of memory gives an out_of_memory answer when even that is possible. */
char *local_answer(local_backend *lb, const char *line, size_t len);

/* Reads request lines from in_fd to EOF and hands each answer to fn.
 * before_wait (may be NULL) runs before each read that may block.
 * Returns a transport_status (TRANSPORT_LOCAL on an I/O failure). */
int local_stream(local_backend *lb, int in_fd, response_fn fn,
                 void (*before_wait)(void *ctx), void *ctx, char *msg,
                 size_t msglen);

#endif /* JC_CLIENTS_LOCAL_H */
