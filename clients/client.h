/*
 * client.h — one way to get answers, chosen once per command: the daemon
 * over its socket, or the in-process service (--local). Commands call
 * client_request / client_stream and never care which.
 *
 * The socket path: --socket, else $JITCALC_SOCKET, else the daemon's own
 * default ($XDG_RUNTIME_DIR/jitcalc.sock, else /tmp/jitcalc-<uid>.sock).
 */
#ifndef JC_CLIENTS_CLIENT_H
#define JC_CLIENTS_CLIENT_H

#include <stddef.h>

#include "clients/local.h"
#include "clients/strbuf.h"
#include "clients/transport.h"

typedef struct client {
    int local;
    int fd;              /* socket, -1 when closed */
    char path[4096];
    local_backend *lb;
} client;

/* Fills buf with the socket path the rules above give for `option`
 * (the --socket value or NULL). */
void client_socket_path(const char *option, char *buf, size_t size);

/* Opens the backend. Returns CLI_OK, or CLI_UNREACHABLE / CLI_ERROR after
 * printing why (for an unreachable daemon: how to start it or use --local)
 * to stderr. */
int client_open(client *c, const char *socket_option, int local);
void client_close(client *c);

/* One request line (no newline) → one response line in *response.
 * Returns a cli_status, printing the reason to stderr on failure. A lost
 * connection is retried once on a fresh one (the daemon may have closed an
 * idle connection). */
int client_request(client *c, const char *line, size_t len, strbuf *response);

/* Pipelines every request line of in_fd; each answer goes to fn, and
 * before_wait (may be NULL) runs whenever the exchange would block.
 * Returns a cli_status, printing the reason on failure. */
int client_stream(client *c, int in_fd, response_fn fn,
                  void (*before_wait)(void *ctx), void *ctx);

#endif /* JC_CLIENTS_CLIENT_H */
