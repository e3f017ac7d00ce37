/*
 * load.c — a load generator for jitcalcd (issue 8, "the daemon under load").
 *
 * Opens N connections to a running daemon (or one it starts with --spawn),
 * keeps up to P requests in flight on each (pipelining; P = 1 is
 * request-response), and reports requests/s, payload MB/s and latency
 * percentiles for one request mix:
 *   small  a*b+c over 16 rows, four distinct expressions (cache hits)
 *   cold   every request a new expression shape (cache misses)
 *   large  two 1,000,000-row f64 columns as base64, result as base64
 *   json   the same columns as JSON arrays (100,000 rows), for JSON ingest
 * One thread, epoll, prebuilt request bytes: the client costs little next to
 * the daemon, but it shares the machine with it; say so when quoting.
 *
 *   load [--socket PATH | --spawn JITCALCD] [--mix M] [--connections N]
 *        [--pipeline P] [--seconds S] [--rows R] [--threads T]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "server/b64.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *msg)
{
    perror(msg);
    exit(1);
}

/* ---- requests ---- */

typedef struct reqset {
    char **text; /* prebuilt request lines, with newline */
    size_t *len;
    size_t n;
    int cold;    /* build a fresh one for every request instead */
} reqset;

static char *xasprintf(size_t *len, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *xasprintf(size_t *len, const char *fmt, ...)
{
    char *s;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0)
        die("vasprintf");
    *len = (size_t)n;
    return s;
}

/* 16 rows of prices, quantities and discounts: short decimals, as a
 * spreadsheet holds. */
static const char small_cols[] =
    "\"columns\":{\"a\":[12.5,3,7.25,100,0.5,19.99,4,8,2.5,60,1,33.3,9.5,15,70,5.75],"
    "\"b\":[2,4,1,3,10,2,6,1,8,2,20,3,4,2,1,12],"
    "\"c\":[0.1,0.2,0,0.15,0.05,0.1,0,0.25,0.1,0,0.3,0.1,0.2,0,0.05,0.1]}";

static void build_small(reqset *r)
{
    static const char *exprs[] = {"a*b+c", "a*b-c", "(a+b)*c", "a/b+c"};
    r->n = 4;
    r->text = calloc(4, sizeof *r->text);
    r->len = calloc(4, sizeof *r->len);
    for (size_t i = 0; i < 4; i++)
        r->text[i] = xasprintf(&r->len[i], "{\"expr\":\"%s\",%s}\n", exprs[i], small_cols);
}

/* The k-th cold request: twelve operators chosen by the base-4 digits of k
 * between a, b, c: a new shape (and cache key) for every k < 4^12. */
static char *cold_request(uint64_t k, size_t *len)
{
    static const char ops[] = "+-*/";
    static const char cols[] = "abc";
    char expr[128];
    size_t n = 0;
    expr[n++] = 'a';
    for (int i = 0; i < 12; i++) {
        expr[n++] = ops[k % 4];
        k /= 4;
        expr[n++] = cols[(i + 1) % 3];
    }
    expr[n] = '\0';
    return xasprintf(len, "{\"expr\":\"%s\",%s}\n", expr, small_cols);
}

static void build_large(reqset *r, size_t rows, int json)
{
    double *a = malloc(rows * 8), *b = malloc(rows * 8);
    uint64_t x = 0x9E3779B97F4A7C15ull;
    for (size_t i = 0; i < rows; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        a[i] = (double)(x >> 11) / 9007199254740992.0;
        b[i] = (double)(i % 1000) / 8.0;
    }
    size_t cap = json ? rows * 2 * 26 + 256 : b64_encoded_len(rows * 8) * 2 + 256;
    char *s = malloc(cap);
    size_t n = 0;
    if (json) {
        n += (size_t)sprintf(s + n, "{\"expr\":\"a*b\",\"encoding\":\"base64\",\"columns\":{\"a\":[");
        for (size_t i = 0; i < rows; i++)
            n += (size_t)sprintf(s + n, i ? ",%.17g" : "%.17g", a[i]);
        n += (size_t)sprintf(s + n, "],\"b\":[");
        for (size_t i = 0; i < rows; i++)
            n += (size_t)sprintf(s + n, i ? ",%g" : "%g", b[i]);
        n += (size_t)sprintf(s + n, "]}}\n");
    } else {
        n += (size_t)sprintf(s + n, "{\"expr\":\"a*b\",\"encoding\":\"base64\",\"columns\":{"
                                    "\"a\":{\"type\":\"f64\",\"base64\":\"");
        b64_encode((const uint8_t *)a, rows * 8, s + n);
        n += b64_encoded_len(rows * 8);
        n += (size_t)sprintf(s + n, "\"},\"b\":{\"type\":\"f64\",\"base64\":\"");
        b64_encode((const uint8_t *)b, rows * 8, s + n);
        n += b64_encoded_len(rows * 8);
        n += (size_t)sprintf(s + n, "\"}}}\n");
    }
    free(a);
    free(b);
    r->n = 1;
    r->text = calloc(1, sizeof *r->text);
    r->len = calloc(1, sizeof *r->len);
    r->text[0] = s;
    r->len[0] = n;
}

/* ---- connections ---- */

typedef struct conn {
    int fd;
    /* the request being written: text[off..len) */
    const char *out;
    size_t out_len, out_off;
    char *owned;         /* a cold request's text */
    int inflight;
    double *sent;        /* send times, a FIFO of pipeline slots */
    size_t head, tail;   /* ring indices */
    char *in;
    size_t in_len, in_cap;
    uint64_t next;       /* requests started on this connection */
} conn;

typedef struct stats {
    double *lat;
    size_t n, cap;
    uint64_t errors, bytes_out, bytes_in;
} stats;

static void record(stats *st, double us)
{
    if (st->n == st->cap) {
        st->cap = st->cap ? st->cap * 2 : 1 << 16;
        st->lat = realloc(st->lat, st->cap * sizeof *st->lat);
    }
    st->lat[st->n++] = us;
}

static int dial(const char *path)
{
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    strncpy(addr.sun_path, path, sizeof addr.sun_path - 1);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        close(fd);
        return -1;
    }
    fcntl(fd, F_SETFL, O_NONBLOCK);
    return fd;
}

static uint64_t cold_counter;

/* Starts the next request on c when a pipeline slot is free. */
static int start_request(conn *c, const reqset *r, int pipeline, size_t slots)
{
    if (c->out || c->inflight >= pipeline)
        return 0;
    if (r->cold) {
        free(c->owned);
        c->owned = cold_request(cold_counter++, &c->out_len);
        c->out = c->owned;
    } else {
        size_t k = c->next % r->n;
        c->out = r->text[k];
        c->out_len = r->len[k];
    }
    c->out_off = 0;
    c->next++;
    c->inflight++;
    c->sent[c->tail] = now_s();
    c->tail = (c->tail + 1) % slots;
    return 1;
}

/* Writes what it can; 0, or -1 when the connection failed. */
static int pump_out(conn *c, stats *st)
{
    while (c->out) {
        ssize_t w = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);
        if (w < 0)
            return errno == EAGAIN ? 0 : -1;
        c->out_off += (size_t)w;
        st->bytes_out += (uint64_t)w;
        if (c->out_off == c->out_len)
            c->out = NULL;
    }
    return 0;
}

/* Reads answers; returns how many completed, or -1 at EOF/error. */
static int pump_in(conn *c, stats *st, size_t slots, int measuring)
{
    int done = 0;
    for (;;) {
        if (c->in_cap - c->in_len < 65536) {
            c->in_cap = c->in_cap ? c->in_cap * 2 : 1 << 20;
            c->in = realloc(c->in, c->in_cap);
        }
        ssize_t r = recv(c->fd, c->in + c->in_len, c->in_cap - c->in_len, 0);
        if (r == 0)
            return -1;
        if (r < 0)
            return errno == EAGAIN ? done : -1;
        st->bytes_in += (uint64_t)r;
        size_t scan = c->in_len;
        c->in_len += (size_t)r;
        size_t start = 0;
        char *nl;
        while ((nl = memchr(c->in + scan, '\n', c->in_len - scan))) {
            double t = now_s();
            if (measuring)
                record(st, (t - c->sent[c->head]) * 1e6);
            if (memcmp(c->in + start, "{\"ok\":true", 10) != 0)
                st->errors++;
            c->head = (c->head + 1) % slots;
            c->inflight--;
            done++;
            start = scan = (size_t)(nl - c->in) + 1;
        }
        memmove(c->in, c->in + start, c->in_len - start);
        c->in_len -= start;
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double pct(const stats *st, double p)
{
    if (!st->n)
        return 0;
    size_t i = (size_t)(p / 100.0 * (double)(st->n - 1) + 0.5);
    return st->lat[i];
}

/* ---- spawning a daemon ---- */

static pid_t spawned;
static char spawned_path[128];

static const char *spawn_daemon(const char *bin, const char *threads)
{
    snprintf(spawned_path, sizeof spawned_path, "/tmp/jitcalc-load-%d.sock", (int)getpid());
    spawned = fork();
    if (spawned == 0) {
        execl(bin, bin, "--socket", spawned_path, "--allow-root", "--log-level", "warn",
              "--max-request-bytes", "512M", "--threads", threads, (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 500; i++) {
        int fd = dial(spawned_path);
        if (fd >= 0) {
            close(fd);
            return spawned_path;
        }
        usleep(10000);
    }
    fprintf(stderr, "load: %s did not start\n", bin);
    exit(1);
}

static void stop_daemon(void)
{
    if (spawned > 0) {
        kill(spawned, SIGTERM);
        waitpid(spawned, NULL, 0);
    }
}

int main(int argc, char **argv)
{
    const char *path = getenv("JITCALC_SOCKET"), *spawn = NULL, *mix = "small";
    const char *threads = "2";
    int nconn = 16, pipeline = 32;
    double seconds = 3;
    size_t rows = 0;
    static const struct option opts[] = {
        {"socket", required_argument, NULL, 's'},  {"spawn", required_argument, NULL, 'S'},
        {"mix", required_argument, NULL, 'm'},     {"connections", required_argument, NULL, 'c'},
        {"pipeline", required_argument, NULL, 'p'}, {"seconds", required_argument, NULL, 't'},
        {"rows", required_argument, NULL, 'r'},    {"threads", required_argument, NULL, 'T'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
    int o;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case 's': path = optarg; break;
        case 'S': spawn = optarg; break;
        case 'm': mix = optarg; break;
        case 'c': nconn = atoi(optarg); break;
        case 'p': pipeline = atoi(optarg); break;
        case 't': seconds = atof(optarg); break;
        case 'r': rows = (size_t)atoll(optarg); break;
        case 'T': threads = optarg; break;
        default:
            fprintf(stderr, "usage: load [--socket PATH | --spawn JITCALCD] [--mix "
                            "small|cold|large|json] [--connections N] [--pipeline P] "
                            "[--seconds S] [--rows R] [--threads T]\n");
            return o == 'h' ? 0 : 2;
        }
    }
    if (nconn < 1 || pipeline < 1 || seconds <= 0)
        return 2;
    signal(SIGPIPE, SIG_IGN);
    if (spawn)
        path = spawn_daemon(spawn, threads);
    if (!path) {
        fprintf(stderr, "load: give --socket PATH (or JITCALC_SOCKET) or --spawn JITCALCD\n");
        return 2;
    }
    atexit(stop_daemon);

    reqset r = {0};
    if (strcmp(mix, "small") == 0)
        build_small(&r);
    else if (strcmp(mix, "cold") == 0)
        r.cold = 1;
    else if (strcmp(mix, "large") == 0)
        build_large(&r, rows ? rows : 1000000, 0);
    else if (strcmp(mix, "json") == 0)
        build_large(&r, rows ? rows : 100000, 1);
    else {
        fprintf(stderr, "load: unknown mix '%s'\n", mix);
        return 2;
    }

    int ep = epoll_create1(EPOLL_CLOEXEC);
    conn *cs = calloc((size_t)nconn, sizeof *cs);
    size_t slots = (size_t)pipeline + 1;
    for (int i = 0; i < nconn; i++) {
        cs[i].fd = dial(path);
        if (cs[i].fd < 0)
            die("connect");
        cs[i].sent = calloc(slots, sizeof(double));
        struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLET, .data.ptr = &cs[i]};
        epoll_ctl(ep, EPOLL_CTL_ADD, cs[i].fd, &ev);
    }
    stats st = {0};
    /* a tenth of the time (at most a second) warms the cache and the pool */
    double warm = seconds / 10 > 1 ? 1 : seconds / 10;
    double t0 = now_s(), t_measure = t0 + warm, t_end = t_measure + seconds;
    uint64_t done_measured = 0, bytes_out_at = 0, bytes_in_at = 0;
    int measuring = 0, stopping = 0;
    for (int i = 0; i < nconn; i++) {
        while (start_request(&cs[i], &r, pipeline, slots) && pump_out(&cs[i], &st) == 0 &&
               !cs[i].out)
            ;
    }
    struct epoll_event evs[256];
    int open = nconn;
    while (open > 0) {
        double t = now_s();
        if (!measuring && t >= t_measure) {
            measuring = 1;
            bytes_out_at = st.bytes_out;
            bytes_in_at = st.bytes_in;
        }
        if (!stopping && t >= t_end) {
            stopping = 1;
            bytes_out_at = st.bytes_out - bytes_out_at; /* now: bytes while measuring */
            bytes_in_at = st.bytes_in - bytes_in_at;
        }
        int n = epoll_wait(ep, evs, 256, 100);
        for (int k = 0; k < n; k++) {
            conn *c = evs[k].data.ptr;
            if (c->fd < 0)
                continue;
            int got = pump_in(c, &st, slots, measuring && !stopping);
            if (got < 0) {
                fprintf(stderr, "load: connection lost\n");
                close(c->fd);
                c->fd = -1;
                open--;
                continue;
            }
            if (measuring && !stopping)
                done_measured += (uint64_t)got;
            if (pump_out(c, &st) != 0) {
                close(c->fd);
                c->fd = -1;
                open--;
                continue;
            }
            while (!stopping && start_request(c, &r, pipeline, slots) && pump_out(c, &st) == 0 &&
                   !c->out)
                ;
            if (stopping && c->inflight == 0) {
                close(c->fd);
                c->fd = -1;
                open--;
            }
        }
    }
    qsort(st.lat, st.n, sizeof *st.lat, cmp_double);
    double rps = (double)done_measured / seconds;
    printf("mix=%s connections=%d pipeline=%d seconds=%.1f\n", mix, nconn, pipeline, seconds);
    printf("  requests/s  %12.0f   (%llu answered, %llu errors)\n", rps,
           (unsigned long long)done_measured, (unsigned long long)st.errors);
    printf("  latency us  p50 %.1f   p99 %.1f   p99.9 %.1f   max %.1f\n", pct(&st, 50),
           pct(&st, 99), pct(&st, 99.9), st.n ? st.lat[st.n - 1] : 0.0);
    printf("  MB/s        in (requests) %.1f   out (answers) %.1f\n",
           (double)bytes_out_at / seconds / 1e6, (double)bytes_in_at / seconds / 1e6);
    printf("JSON {\"mix\":\"%s\",\"connections\":%d,\"pipeline\":%d,\"rps\":%.0f,\"p50_us\":%.1f,"
           "\"p99_us\":%.1f,\"p999_us\":%.1f,\"request_mb_s\":%.1f,\"errors\":%llu}\n",
           mix, nconn, pipeline, rps, pct(&st, 50), pct(&st, 99), pct(&st, 99.9),
           (double)bytes_out_at / seconds / 1e6, (unsigned long long)st.errors);
    return st.errors ? 1 : 0;
}
