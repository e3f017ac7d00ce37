/* transport.c — the Unix socket and the pipelined exchange (see
 * transport.h). */
#include "clients/transport.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int transport_connect(const char *path, char *msg, size_t msglen)
{
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof addr.sun_path) {
        snprintf(msg, msglen, "socket path is too long (%zu bytes, at most %zu)",
                 strlen(path), sizeof addr.sun_path - 1);
        return -1;
    }
    memcpy(addr.sun_path, path, strlen(path) + 1);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(msg, msglen, "socket: %s", strerror(errno));
        return -1;
    }
    int rc;
    do
        rc = connect(fd, (struct sockaddr *)&addr, sizeof addr);
    while (rc < 0 && errno == EINTR);
    if (rc < 0) {
        snprintf(msg, msglen, "%s", strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

#define CHUNK (1 << 16)

typedef struct exchange {
    const pipeline *pl;
    /* Requests: bytes read from the input but not yet sent. */
    char in_buf[CHUNK];
    const char *out_p;      /* next byte to send */
    size_t out_left;
    int input_done;         /* input at EOF (and final newline queued) */
    int line_has_text;      /* the current request line is not blank */
    char last_byte;         /* last input byte seen ('\n' initially) */
    size_t expected;        /* non-blank request lines */
    size_t answered;        /* response lines received */
    strbuf line;            /* the response line being received */
} exchange;

static int is_blank_byte(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/* Counts the request lines in bytes about to be sent. */
static void count_requests(exchange *x, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\n') {
            x->expected += x->line_has_text;
            x->line_has_text = 0;
        } else if (!is_blank_byte(p[i]))
            x->line_has_text = 1;
    }
    if (n)
        x->last_byte = p[n - 1];
}

/* Input is over: a last line without its newline gets one. */
static void end_input(exchange *x)
{
    static const char newline = '\n';
    x->input_done = 1;
    if (x->last_byte != '\n') {
        count_requests(x, &newline, 1);
        x->out_p = &newline;
        x->out_left = 1;
    }
}

/* Reads more requests from the input fd. */
static int fill_from_fd(exchange *x, char *msg, size_t msglen)
{
    ssize_t n;
    do
        n = read(x->pl->in_fd, x->in_buf, sizeof x->in_buf);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
        snprintf(msg, msglen, "reading requests: %s", strerror(errno));
        return TRANSPORT_LOCAL;
    }
    if (n == 0) {
        end_input(x);
        return TRANSPORT_OK;
    }
    count_requests(x, x->in_buf, (size_t)n);
    x->out_p = x->in_buf;
    x->out_left = (size_t)n;
    return TRANSPORT_OK;
}

static int send_some(int fd, exchange *x, char *msg, size_t msglen)
{
    ssize_t n = send(fd, x->out_p, x->out_left, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
            return TRANSPORT_OK;
        snprintf(msg, msglen, "sending to the daemon: %s", strerror(errno));
        return TRANSPORT_LOST;
    }
    x->out_p += n;
    x->out_left -= (size_t)n;
    return TRANSPORT_OK;
}

/* Splits received bytes into response lines. */
static int take_responses(exchange *x, const char *p, size_t n, char *msg,
                          size_t msglen)
{
    while (n > 0) {
        const char *nl = memchr(p, '\n', n);
        size_t part = nl ? (size_t)(nl - p) : n;
        strbuf_add(&x->line, p, part);
        if (x->line.failed) {
            snprintf(msg, msglen, "out of memory reading a response");
            return TRANSPORT_LOCAL;
        }
        if (!nl)
            return TRANSPORT_OK;
        x->answered++;
        if (x->pl->on_response(x->pl->ctx, x->line.data ? x->line.data : "",
                               x->line.len) < 0) {
            snprintf(msg, msglen, "writing a response: %s", strerror(errno));
            return TRANSPORT_LOCAL;
        }
        strbuf_reset(&x->line);
        p += part + 1;
        n -= part + 1;
    }
    return TRANSPORT_OK;
}

static int receive_some(int fd, exchange *x, char *msg, size_t msglen)
{
    char buf[CHUNK];
    ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
            return TRANSPORT_OK;
        snprintf(msg, msglen, "reading from the daemon: %s", strerror(errno));
        return TRANSPORT_LOST;
    }
    if (n == 0) {
        snprintf(msg, msglen,
                 "the daemon closed the connection with %zu request%s unanswered",
                 x->expected - x->answered,
                 x->expected - x->answered == 1 ? "" : "s");
        return TRANSPORT_LOST;
    }
    return take_responses(x, buf, (size_t)n, msg, msglen);
}

static int finished(const exchange *x)
{
    return x->input_done && x->out_left == 0 && x->answered >= x->expected;
}

int transport_pipeline(int fd, const pipeline *pl, char *msg, size_t msglen)
{
    exchange storage;
    exchange *x = &storage;
    memset(x, 0, sizeof *x);
    x->pl = pl;
    x->last_byte = '\n';
    strbuf_init(&x->line);
    if (pl->in_fd < 0) {
        count_requests(x, pl->in_mem, pl->in_len);
        x->out_p = pl->in_mem;
        x->out_left = pl->in_len;
    }
    int rc = TRANSPORT_OK;
    while (rc == TRANSPORT_OK && !finished(x)) {
        if (pl->in_fd < 0 && x->out_left == 0 && !x->input_done) {
            end_input(x);
            continue;
        }
        struct pollfd fds[2] = {
            {.fd = fd, .events = POLLIN | (x->out_left ? POLLOUT : 0)},
            {.fd = -1, .events = POLLIN},
        };
        if (pl->in_fd >= 0 && !x->input_done && x->out_left == 0)
            fds[1].fd = pl->in_fd;
        if (pl->before_wait)
            pl->before_wait(pl->ctx); /* e.g. flush answers so far */
        int n = poll(fds, 2, -1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            snprintf(msg, msglen, "poll: %s", strerror(errno));
            rc = TRANSPORT_LOCAL;
            break;
        }
        /* Read answers first: the daemon may wait for us to read them
         * before it reads more of our requests. */
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR))
            rc = receive_some(fd, x, msg, msglen);
        if (rc == TRANSPORT_OK && x->out_left && (fds[0].revents & POLLOUT))
            rc = send_some(fd, x, msg, msglen);
        if (rc == TRANSPORT_OK && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)))
            rc = fill_from_fd(x, msg, msglen);
    }
    strbuf_free(&x->line);
    return rc;
}
