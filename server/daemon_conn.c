/*
 * daemon_conn.c — connections: newline framing, in-order answers, worker
 * offload for large requests, back-pressure, idle timeout and shutdown.
 *
 * A connection executes its requests strictly in order, one at a time: a
 * small one right here on the loop thread, a large one (service_is_heavy) on
 * a worker, during which the connection reads nothing more. So pipelined
 * requests see each other's effects in order (a `load` then an `eval` of
 * that table), responses need no reordering, and one client's work never
 * delays another's beyond the CPU it uses.
 *
 * Bounds per connection: the input buffer holds at most one request line
 * (max_request_bytes; a longer one is answered limit_exceeded and skipped to
 * its newline) plus one read; reading stops while a request runs on a
 * worker and while more than OUT_HIGH bytes of answers are unsent.
 */
#include <stdlib.h>
#include <string.h>

#include "server/daemon.h"

#define READ_CHUNK ((size_t)64 * 1024)
/* Unsent answer bytes past which a connection is not read (back-pressure),
 * and below which it is read again. */
#define OUT_HIGH ((size_t)4 << 20)
#define OUT_LOW ((size_t)1 << 20)
/* A line at least this long is handed to its worker in place (the buffer
 * changes hands) instead of being copied. */
#define STEAL_MIN ((size_t)1 << 20)
/* Answers per writev. */
#define WRITE_BATCH 512
/* How long a stopping daemon waits for clients to take their answers. */
#define STOP_GRACE_MS 30000

static const char oom_line[] =
    "{\"ok\":false,\"error\":{\"code\":\"out_of_memory\",\"message\":\"out of memory\"}}\n";

typedef struct out {
    char *data;
    size_t len;
    int owned; /* 0: a static string */
} out;

struct conn {
    uv_pipe_t pipe;
    server *srv;
    conn *prev, *next;
    uint64_t id; /* for the log */
    /* input: buf[start..len) is unconsumed; [start..start+scanned) holds no
     * newline */
    char *buf;
    size_t start, len, cap, scanned;
    int skipping;  /* inside an oversized line: drop bytes to its newline */
    int reading, eof, busy, closing;
    int refs;      /* the handle + a job in flight */
    /* output: queued answers wq[wq_head..wq_n), then those being written */
    out *wq;
    size_t wq_head, wq_n, wq_cap;
    out fly[WRITE_BATCH];
    size_t fly_n;
    uv_write_t wreq;
    int writing;
    size_t out_bytes; /* queued + being written */
    int close_after_write;
    uint64_t last_active;
};

typedef struct job {
    uv_work_t work;
    conn *c;
    char *mem; /* the allocation that holds the line */
    size_t mem_cap; /* when it was the connection's buffer, else 0 */
    const char *line;
    size_t len;
    char *resp;
    int oom;
} job;

static void process(conn *c);

/* ---- lifetime ---- */

static void conn_unref(conn *c)
{
    if (--c->refs > 0)
        return;
    for (size_t i = c->wq_head; i < c->wq_n; i++)
        if (c->wq[i].owned)
            free(c->wq[i].data);
    free(c->wq);
    free(c->buf);
    free(c);
}

static void on_close(uv_handle_t *h)
{
    conn *c = h->data;
    conn_unref(c);
}

static void server_maybe_done(server *srv)
{
    if (!srv->stopping || srv->conns)
        return;
    /* nothing left to answer: let uv_run return (jobs of closed
     * connections still keep it alive until they end) */
    if (!uv_is_closing((uv_handle_t *)&srv->sweep)) {
        uv_close((uv_handle_t *)&srv->sweep, NULL);
        if (!srv->primary) {
            /* the primary may be about to wake us: not once closing */
            pthread_mutex_lock(&srv->wake_lock);
            srv->wake_closed = 1;
            uv_close((uv_handle_t *)&srv->wake, NULL);
            pthread_mutex_unlock(&srv->wake_lock);
            return;
        }
        /* The signal watchers stay started, only unreferenced: closing them
         * would put back the default action, and a stop signal arriving
         * during the last clean-up would turn exit 0 into a death by signal.
         * They are never closed; the process ends with them caught. */
        uv_unref((uv_handle_t *)&srv->sigint);
        uv_unref((uv_handle_t *)&srv->sigterm);
    }
}

static void conn_close(conn *c, const char *why)
{
    if (c->closing)
        return;
    c->closing = 1;
    server *srv = c->srv;
    if (c->prev)
        c->prev->next = c->next;
    else
        srv->conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    atomic_fetch_sub(&srv->counters->nconns, 1);
    log_msg(LOG_DEBUG, "connection %llu closed (%s)", (unsigned long long)c->id, why);
    uv_close((uv_handle_t *)&c->pipe, on_close);
    server_maybe_done(srv);
}

/* Closes c once it has nothing left to do and will get nothing more. */
static void maybe_finish(conn *c)
{
    if (c->closing || c->busy || c->writing || c->wq_head < c->wq_n)
        return;
    if (c->close_after_write || c->eof || c->srv->stopping)
        conn_close(c, c->close_after_write ? "refused" : c->eof ? "client done" : "stopping");
}

/* ---- output ---- */

/* Queues one answer (with its newline) behind the others. */
static void push(conn *c, out o)
{
    if (c->wq_n == c->wq_cap) {
        if (c->wq_head > 0) {
            memmove(c->wq, c->wq + c->wq_head, (c->wq_n - c->wq_head) * sizeof *c->wq);
            c->wq_n -= c->wq_head;
            c->wq_head = 0;
        }
        if (c->wq_n == c->wq_cap) {
            size_t cap = c->wq_cap ? c->wq_cap * 2 : 16;
            out *wq = realloc(c->wq, cap * sizeof *wq);
            if (!wq) {
                /* cannot even queue the answer: the client would wait
                 * forever for it, so end the connection */
                if (o.owned)
                    free(o.data);
                conn_close(c, "out of memory");
                return;
            }
            c->wq = wq;
            c->wq_cap = cap;
        }
    }
    c->wq[c->wq_n++] = o;
    c->out_bytes += o.len;
}

/* Queues a service answer (NULL: the out-of-memory answer). */
static void enqueue(conn *c, char *resp)
{
    if (!resp) {
        push(c, (out){(char *)oom_line, sizeof oom_line - 1, 0});
        return;
    }
    size_t n = strlen(resp);
    resp[n] = '\n'; /* over the NUL: the newline costs no copy */
    push(c, (out){resp, n + 1, 1});
}

static void flush(conn *c);

static void update_reading(conn *c);

/* Lets go of the first k answers of fly[0..n): written out, or dropped
 * with a connection that failed. */
static void release_written(conn *c, size_t k, size_t n)
{
    for (size_t i = 0; i < k; i++) {
        c->out_bytes -= c->fly[i].len;
        if (c->fly[i].owned)
            free(c->fly[i].data);
    }
    memmove(c->fly, c->fly + k, (n - k) * sizeof *c->fly);
}

static void on_write(uv_write_t *req, int status)
{
    conn *c = req->data;
    c->writing = 0;
    release_written(c, c->fly_n, c->fly_n);
    c->fly_n = 0;
    if (c->closing)
        return;
    if (status < 0) {
        conn_close(c, uv_strerror(status));
        return;
    }
    c->last_active = uv_now(c->srv->loop);
    flush(c);
    if (c->out_bytes <= OUT_LOW)
        process(c); /* lines held back by back-pressure */
    update_reading(c);
    maybe_finish(c);
}


static void flush(conn *c)
{
again:
    if (c->writing || c->closing || c->wq_head == c->wq_n)
        return;
    uv_buf_t bufs[WRITE_BATCH];
    size_t n = 0;
    while (c->wq_head < c->wq_n && n < WRITE_BATCH) {
        c->fly[n] = c->wq[c->wq_head++];
        bufs[n] = uv_buf_init(c->fly[n].data, (unsigned)c->fly[n].len);
        n++;
    }
    if (c->wq_head == c->wq_n)
        c->wq_head = c->wq_n = 0;
    /* Answers that fit the socket's buffer (most) are written now, without
     * a write request: its completion would cost libuv an epoll_ctl per
     * answer. What does not fit goes on as a request. */
    int w = uv_try_write((uv_stream_t *)&c->pipe, bufs, (unsigned)n);
    if (w < 0 && w != UV_EAGAIN) {
        release_written(c, n, n);
        conn_close(c, uv_strerror(w));
        return;
    }
    if (w > 0) {
        size_t left = (size_t)w, k = 0;
        while (k < n && left >= bufs[k].len)
            left -= bufs[k++].len;
        release_written(c, k, n);
        if (k == n) {
            c->last_active = uv_now(c->srv->loop);
            goto again; /* the next batch, if any */
        }
        /* the rest of answer k on; its bytes are counted until written */
        memmove(bufs, bufs + k, (n - k) * sizeof *bufs);
        n -= k;
        bufs[0].base += left;
        bufs[0].len -= (unsigned)left;
    }
    c->fly_n = n;
    c->wreq.data = c;
    c->writing = 1;
    int rc = uv_write(&c->wreq, (uv_stream_t *)&c->pipe, bufs, (unsigned)n, on_write);
    if (rc < 0) {
        c->writing = 0;
        release_written(c, n, n);
        c->fly_n = 0;
        conn_close(c, uv_strerror(rc));
    }
}

/* ---- input ---- */

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)suggested;
    conn *c = h->data;
    if (c->start > 0 && (c->start == c->len || c->cap - c->len < READ_CHUNK)) {
        memmove(c->buf, c->buf + c->start, c->len - c->start);
        c->len -= c->start;
        c->start = 0;
    }
    server *srv = c->srv;
    if (c->cap - c->len < READ_CHUNK && c->cap >= 4 * READ_CHUNK && srv->spare &&
        srv->spare_cap - c->len >= READ_CHUNK) {
        /* a large line is arriving: continue it in the spare big buffer */
        memcpy(srv->spare, c->buf, c->len);
        free(c->buf);
        c->buf = srv->spare;
        c->cap = srv->spare_cap;
        srv->spare = NULL;
        srv->spare_cap = 0;
    }
    if (c->cap - c->len < READ_CHUNK) {
        /* geometric growth: a 100 MB line costs a few reallocs, not one per
         * read */
        size_t cap = c->cap ? c->cap * 2 : 2 * READ_CHUNK;
        while (cap - c->len < READ_CHUNK)
            cap *= 2;
        char *b = realloc(c->buf, cap);
        if (!b) {
            *buf = uv_buf_init(NULL, 0); /* read_cb gets UV_ENOBUFS */
            return;
        }
        c->buf = b;
        c->cap = cap;
    }
    *buf = uv_buf_init(c->buf + c->len, (unsigned)(c->cap - c->len > (size_t)1 << 30
                                                      ? (size_t)1 << 30
                                                      : c->cap - c->len));
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    (void)buf;
    conn *c = s->data;
    if (nread > 0) {
        c->len += (size_t)nread;
        c->last_active = uv_now(c->srv->loop);
        process(c);
    } else if (nread == UV_EOF) {
        /* the client finished sending; it still wants its answers */
        c->eof = 1;
        update_reading(c);
        process(c);
    } else if (nread < 0) {
        conn_close(c, uv_strerror((int)nread));
    }
}

static void update_reading(conn *c)
{
    int want = !c->eof && !c->closing && !c->busy && !c->srv->stopping &&
               !c->close_after_write && c->out_bytes <= OUT_HIGH;
    if (want && !c->reading) {
        if (uv_read_start((uv_stream_t *)&c->pipe, on_alloc, on_read) == 0)
            c->reading = 1;
    } else if (!want && c->reading) {
        uv_read_stop((uv_stream_t *)&c->pipe);
        c->reading = 0;
    }
}

static void work_cb(uv_work_t *req)
{
    job *j = req->data;
    j->resp = service_handle(j->c->srv->svc, j->line, j->len, &j->oom);
}

static void after_work_cb(uv_work_t *req, int status)
{
    (void)status; /* jobs are never cancelled */
    job *j = req->data;
    conn *c = j->c;
    server *srv = c->srv;
    if (j->mem_cap > srv->spare_cap && !srv->stopping) {
        free(srv->spare);
        srv->spare = j->mem;
        srv->spare_cap = j->mem_cap;
    } else {
        free(j->mem);
    }
    c->busy = 0;
    if (c->closing) {
        free(j->resp); /* the client left: only its own work was lost */
    } else {
        if (j->resp || j->oom)
            enqueue(c, j->resp);
        process(c);
    }
    free(j);
    conn_unref(c);
}

/* Answers the line buf[off..off+n) and consumes it (and its newline). */
static void handle_line(conn *c, size_t off, size_t n)
{
    server *srv = c->srv;
    const char *line = c->buf + off;
    size_t next = off + n + 1 <= c->len ? off + n + 1 : c->len;
    if (!service_is_heavy(srv->svc, line, n)) {
        int oom = 0;
        char *resp = service_handle(srv->svc, line, n, &oom);
        c->start = next;
        if (resp || oom)
            enqueue(c, resp);
        return;
    }
    job *j = calloc(1, sizeof *j);
    if (!j)
        goto oom;
    j->c = c;
    j->len = n;
    size_t rest = c->len - next;
    if (n >= STEAL_MIN && rest < STEAL_MIN) {
        /* the big line keeps its buffer; the connection starts a new one */
        size_t cap = rest + 2 * READ_CHUNK;
        char *fresh = malloc(cap);
        if (!fresh)
            goto oom;
        memcpy(fresh, c->buf + next, rest);
        j->mem = c->buf;
        j->mem_cap = c->cap;
        j->line = c->buf + off;
        c->buf = fresh;
        c->cap = cap;
        c->start = 0;
        c->len = rest;
    } else {
        j->mem = malloc(n ? n : 1);
        if (!j->mem)
            goto oom;
        memcpy(j->mem, line, n);
        j->line = j->mem;
        c->start = next;
    }
    c->scanned = 0;
    j->work.data = j;
    c->busy = 1;
    c->refs++;
    atomic_fetch_add(&srv->counters->offloaded, 1);
    if (uv_queue_work(srv->loop, &j->work, work_cb, after_work_cb) != 0) {
        c->busy = 0;
        c->refs--;
        free(j->mem);
        free(j);
        enqueue(c, NULL);
    }
    return;
oom:
    free(j);
    c->start = next;
    enqueue(c, NULL);
}

static void oversized(conn *c)
{
    char msg[128];
    snprintf(msg, sizeof msg, "request line longer than the limit of %zu bytes (--max-request-bytes)",
             c->srv->opts->max_request_bytes);
    enqueue(c, service_error(c->srv->svc, "limit_exceeded", msg, NULL));
    log_msg(LOG_INFO, "connection %llu: oversized request line skipped",
            (unsigned long long)c->id);
}

/* Answers every complete line it may (see the bounds at the top). */
static void process(conn *c)
{
    size_t max = c->srv->opts->max_request_bytes;
again:
    while (!c->busy && !c->closing && c->out_bytes <= OUT_HIGH) {
        size_t avail = c->len - c->start - c->scanned;
        /* c->buf is NULL until the first read: no pointer arithmetic on it */
        char *nl = avail ? memchr(c->buf + c->start + c->scanned, '\n', avail) : NULL;
        if (!nl) {
            size_t pending = c->len - c->start;
            c->scanned = pending;
            if (c->skipping) {
                c->len = c->start; /* still inside the oversized line */
                c->scanned = 0;
            } else if (pending > max) {
                oversized(c);
                c->skipping = 1;
                c->len = c->start;
                c->scanned = 0;
            } else if (c->eof && pending > 0 && !c->srv->stopping) {
                handle_line(c, c->start, pending); /* a last line without newline */
                c->scanned = 0;
                continue;
            }
            break;
        }
        size_t n = (size_t)(nl - (c->buf + c->start));
        if (c->skipping) {
            c->skipping = 0;
            c->start += n + 1;
            c->scanned = 0;
            continue;
        }
        if (n > max) {
            oversized(c);
            c->start += n + 1;
            c->scanned = 0;
            continue;
        }
        c->scanned = 0;
        handle_line(c, c->start, n);
    }
    if (c->start == c->len)
        c->start = c->len = c->scanned = 0;
    if (c->closing)
        return;
    int held = c->out_bytes > OUT_HIGH && !c->busy; /* lines wait for room */
    flush(c);
    if (held && !c->closing && !c->writing && c->out_bytes <= OUT_HIGH)
        goto again; /* written at once: no write callback will come back */
    if (c->closing)
        return;
    update_reading(c);
    maybe_finish(c);
}

/* ---- accepting ---- */

static void on_connection(uv_stream_t *listener, int status)
{
    server *srv = listener->data;
    if (status < 0) {
        log_msg(LOG_WARN, "accept: %s", uv_strerror(status));
        return;
    }
    conn *c = calloc(1, sizeof *c);
    if (!c) {
        log_msg(LOG_ERROR, "out of memory accepting a connection");
        return;
    }
    static uint64_t next_id;
    c->id = ++next_id;
    c->srv = srv;
    c->refs = 1;
    uv_pipe_init(srv->loop, &c->pipe, 0);
    c->pipe.data = c;
    if (uv_accept(listener, (uv_stream_t *)&c->pipe) != 0) {
        uv_close((uv_handle_t *)&c->pipe, on_close);
        return;
    }
    c->next = srv->conns;
    if (srv->conns)
        srv->conns->prev = c;
    srv->conns = c;
    atomic_fetch_add(&srv->counters->nconns, 1);
    atomic_fetch_add(&srv->counters->conns_total, 1);
    c->last_active = uv_now(srv->loop);
    if (atomic_load(&srv->counters->nconns) > srv->opts->max_connections) {
        static const char refused[] =
            "{\"ok\":false,\"error\":{\"code\":\"limit_exceeded\",\"message\":\"too many "
            "connections (--max-connections)\"}}\n";
        atomic_fetch_add(&srv->counters->conns_refused, 1);
        log_msg(LOG_WARN, "connection refused: %zu open (--max-connections)",
                srv->opts->max_connections);
        push(c, (out){(char *)refused, sizeof refused - 1, 0});
        c->close_after_write = 1;
        flush(c);
        maybe_finish(c); /* written at once: no write callback closes it */
        return;
    }
    log_msg(LOG_DEBUG, "connection %llu opened", (unsigned long long)c->id);
    update_reading(c);
}

int server_start(server *srv)
{
    srv->listener.data = srv;
    return uv_listen((uv_stream_t *)&srv->listener, SOMAXCONN, on_connection);
}

void server_stop(server *srv, int force)
{
    if (!srv->stopping) {
        srv->stopping = 1;
        srv->stop_deadline = uv_now(srv->loop) + STOP_GRACE_MS;
        uv_close((uv_handle_t *)&srv->listener, NULL);
        if (srv->primary)
            socket_remove(srv->opts->socket_path, srv->socket_ino);
        free(srv->spare);
        srv->spare = NULL;
        srv->spare_cap = 0;
        log_msg(LOG_INFO, "stopping: answering requests already read, then exiting");
    }
    conn *next;
    for (conn *c = srv->conns; c; c = next) {
        next = c->next;
        if (force) {
            conn_close(c, "forced stop");
            continue;
        }
        update_reading(c); /* reads nothing more */
        process(c);        /* answers the complete lines it holds */
    }
    server_maybe_done(srv);
}

void server_sweep(server *srv)
{
    uint64_t now = uv_now(srv->loop);
    if (srv->stopping) {
        if (now >= srv->stop_deadline && srv->conns) {
            log_msg(LOG_WARN, "clients did not take their answers within %d s: closing",
                    STOP_GRACE_MS / 1000);
            server_stop(srv, 1);
        }
        return;
    }
    unsigned idle = srv->opts->idle_timeout;
    if (!idle)
        return;
    conn *next;
    for (conn *c = srv->conns; c; c = next) {
        next = c->next;
        if (!c->busy && !c->writing && c->wq_head == c->wq_n &&
            now - c->last_active >= (uint64_t)idle * 1000)
            conn_close(c, "idle timeout");
    }
}

void server_stats(void *ctx, service_transport_stats *out)
{
    server_counters *n = ctx;
    out->connections = atomic_load(&n->nconns);
    out->connections_total = atomic_load(&n->conns_total);
    out->connections_refused = atomic_load(&n->conns_refused);
    out->requests_offloaded = atomic_load(&n->offloaded);
}
