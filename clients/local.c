/* local.c — the in-process backend (see local.h). */
#include "clients/local.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clients/strbuf.h"
#include "jitcalc.h"
#include "server/service.h"

struct local_backend {
    jc_engine *engine;
    jc_service *service;
};

local_backend *local_open(char *msg, size_t msglen)
{
    local_backend *lb = calloc(1, sizeof *lb);
    if (!lb) {
        snprintf(msg, msglen, "out of memory");
        return NULL;
    }
    jc_error err;
    lb->engine = jc_engine_new(NULL, &err);
    if (!lb->engine) {
        snprintf(msg, msglen, "cannot start the engine: %s: %s",
                 jc_code_name(err.code), err.message);
        free(lb);
        return NULL;
    }
    lb->service = service_new(lb->engine, NULL);
    if (!lb->service) {
        snprintf(msg, msglen, "cannot start the service: out of memory");
        jc_engine_free(lb->engine);
        free(lb);
        return NULL;
    }
    return lb;
}

void local_close(local_backend *lb)
{
    if (!lb)
        return;
    service_free(lb->service);
    jc_engine_free(lb->engine);
    free(lb);
}

static const char oom_answer[] =
    "{\"ok\":false,\"error\":{\"code\":\"out_of_memory\","
    "\"message\":\"out of memory while answering the request\"}}";

char *local_answer(local_backend *lb, const char *line, size_t len)
{
    int out_of_memory = 0;
    char *answer = service_handle(lb->service, line, len, &out_of_memory);
    if (!answer && out_of_memory)
        answer = strdup(oom_answer);
    return answer;
}

/* Answers one complete line and hands the answer on. */
static int answer_line(local_backend *lb, const char *line, size_t len,
                       response_fn fn, void *ctx, char *msg, size_t msglen)
{
    char *answer = local_answer(lb, line, len);
    if (!answer)
        return TRANSPORT_OK; /* blank line */
    int rc = fn(ctx, answer, strlen(answer));
    free(answer);
    if (rc < 0) {
        snprintf(msg, msglen, "writing a response: %s", strerror(errno));
        return TRANSPORT_LOCAL;
    }
    return TRANSPORT_OK;
}

int local_stream(local_backend *lb, int in_fd, response_fn fn,
                 void (*before_wait)(void *ctx), void *ctx, char *msg,
                 size_t msglen)
{
    strbuf line;
    strbuf_init(&line);
    char buf[1 << 16];
    int rc = TRANSPORT_OK;
    for (;;) {
        if (before_wait)
            before_wait(ctx);
        ssize_t n = read(in_fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            snprintf(msg, msglen, "reading requests: %s", strerror(errno));
            rc = TRANSPORT_LOCAL;
            break;
        }
        if (n == 0) {
            if (line.len > 0)
                rc = answer_line(lb, line.data, line.len, fn, ctx, msg, msglen);
            break;
        }
        const char *p = buf;
        size_t left = (size_t)n;
        while (rc == TRANSPORT_OK && left > 0) {
            const char *nl = memchr(p, '\n', left);
            size_t part = nl ? (size_t)(nl - p) : left;
            strbuf_add(&line, p, part);
            if (line.failed) {
                snprintf(msg, msglen, "out of memory reading a request");
                rc = TRANSPORT_LOCAL;
                break;
            }
            if (!nl)
                break;
            rc = answer_line(lb, line.data ? line.data : "", line.len, fn, ctx,
                             msg, msglen);
            strbuf_reset(&line);
            p += part + 1;
            left -= part + 1;
        }
        if (rc != TRANSPORT_OK)
            break;
    }
    strbuf_free(&line);
    return rc;
}
