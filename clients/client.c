/* client.c — choosing and using the backend (see client.h). */
#include "clients/client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clients/cli.h"

void client_socket_path(const char *option, char *buf, size_t size)
{
    const char *env = getenv("JITCALC_SOCKET");
    const char *xdg = getenv("XDG_RUNTIME_DIR");
    if (option)
        snprintf(buf, size, "%s", option);
    else if (env && *env)
        snprintf(buf, size, "%s", env);
    else if (xdg && *xdg)
        snprintf(buf, size, "%s/jitcalc.sock", xdg);
    else
        snprintf(buf, size, "/tmp/jitcalc-%u.sock", (unsigned)getuid());
}

static void print_unreachable(const char *path, const char *why)
{
    fprintf(stderr,
            "jitcalc: cannot reach jitcalcd at %s: %s\n"
            "  start the daemon:    jitcalcd --socket %s\n"
            "  or answer in-process: add --local to the command\n",
            path, why, path);
}

static int connect_socket(client *c)
{
    char msg[CLI_MSG_SIZE];
    c->fd = transport_connect(c->path, msg, sizeof msg);
    if (c->fd < 0) {
        print_unreachable(c->path, msg);
        return CLI_UNREACHABLE;
    }
    return CLI_OK;
}

int client_open(client *c, const char *socket_option, int local)
{
    memset(c, 0, sizeof *c);
    c->fd = -1;
    c->local = local;
    if (local) {
        char msg[CLI_MSG_SIZE];
        c->lb = local_open(msg, sizeof msg);
        if (!c->lb) {
            fprintf(stderr, "jitcalc: %s\n", msg);
            return CLI_ERROR;
        }
        return CLI_OK;
    }
    client_socket_path(socket_option, c->path, sizeof c->path);
    return connect_socket(c);
}

void client_close(client *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    local_close(c->lb);
    c->lb = NULL;
}

static int keep_line(void *ctx, const char *line, size_t len)
{
    strbuf *sb = ctx;
    strbuf_reset(sb);
    strbuf_add(sb, line, len);
    return sb->failed ? -1 : 0;
}

/* Maps a failed exchange to a status, printing why. */
static int exchange_failed(const client *c, int rc, const char *msg)
{
    if (rc == TRANSPORT_LOST) {
        fprintf(stderr, "jitcalc: lost the daemon at %s: %s\n", c->path, msg);
        return CLI_UNREACHABLE;
    }
    fprintf(stderr, "jitcalc: %s\n", msg);
    return CLI_ERROR;
}

int client_request(client *c, const char *line, size_t len, strbuf *response)
{
    strbuf_reset(response);
    if (c->local) {
        char *answer = local_answer(c->lb, line, len);
        if (!answer) {
            fprintf(stderr, "jitcalc: the request was blank\n");
            return CLI_USAGE;
        }
        strbuf_adds(response, answer);
        free(answer);
        if (response->failed) {
            fprintf(stderr, "jitcalc: out of memory\n");
            return CLI_ERROR;
        }
        return CLI_OK;
    }
    char msg[CLI_MSG_SIZE];
    for (int attempt = 0;; attempt++) {
        if (c->fd < 0 && connect_socket(c) != CLI_OK)
            return CLI_UNREACHABLE;
        pipeline pl = {.in_fd = -1, .in_mem = line, .in_len = len,
                       .on_response = keep_line, .ctx = response};
        int rc = transport_pipeline(c->fd, &pl, msg, sizeof msg);
        if (rc == TRANSPORT_OK)
            return CLI_OK;
        close(c->fd);
        c->fd = -1;
        /* Nothing came back: the daemon may have timed out an idle
         * connection (repl); one fresh try is safe for the requests the
         * CLI makes. */
        if (rc != TRANSPORT_LOST || attempt > 0 || response->len > 0)
            return exchange_failed(c, rc, msg);
    }
}

int client_stream(client *c, int in_fd, response_fn fn,
                  void (*before_wait)(void *ctx), void *ctx)
{
    char msg[CLI_MSG_SIZE];
    int rc;
    if (c->local) {
        rc = local_stream(c->lb, in_fd, fn, before_wait, ctx, msg, sizeof msg);
    } else {
        pipeline pl = {.in_fd = in_fd, .on_response = fn,
                       .before_wait = before_wait, .ctx = ctx};
        rc = transport_pipeline(c->fd, &pl, msg, sizeof msg);
    }
    return rc == TRANSPORT_OK ? CLI_OK : exchange_failed(c, rc, msg);
}
