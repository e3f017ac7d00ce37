/* test_daemon.c — the real jitcalcd over its Unix socket: the protocol
 * cases pipelined, many connections, a 10-million-row request while pings
 * are answered, oversized lines, disconnects, back-pressure, SIGTERM,
 * socket permissions, a second daemon, the root refusal. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cases.h"
#include "client.h"
#include "server/b64.h"
#include "tests/common/runner.h"

static daemon_proc shared; /* one daemon for the tests that need no options */

static int setup(void **state)
{
    (void)state;
    signal(SIGPIPE, SIG_IGN);
    /* three event loops: connections land on any of them */
    static const char *const args[] = {"--max-request-bytes", "256M", "--threads", "2",
                                       "--io-threads", "3", NULL};
    return daemon_start(&shared, args);
}

static int teardown(void **state)
{
    (void)state;
    return daemon_stop(&shared) == 0 ? 0 : -1;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* A number field of a response ("key":123), or -1. */
static long long field(const char *resp, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = resp ? strstr(resp, pat) : NULL;
    return p ? atoll(p + strlen(pat)) : -1;
}

/* ---- the protocol ---- */

static void protocol_cases_pipelined_on_one_connection(void **state)
{
    (void)state;
    pcase *cases;
    int n = cases_load(CASES_DIR "/protocol.txt", &cases);
    assert_true(n > 50);
    conn_t c;
    assert_int_equal(conn_open(&c, shared.path), 0);
    for (int i = 0; i < n; i++) {
        conn_send(&c, cases[i].request, strlen(cases[i].request));
        conn_send(&c, "\n", 1);
    }
    int failures = 0;
    for (int i = 0; i < n; i++) {
        if (!cases[i].expected)
            continue; /* blank lines get no answer */
        char *line = conn_line(&c);
        if (!cases_match(&cases[i], line)) {
            print_error("protocol.txt:%d: %s\n  got      %s\n  expected %s\n", cases[i].line,
                        cases[i].request, line ? line : "(eof)", cases[i].expected);
            failures++;
        }
    }
    conn_close(&c);
    cases_free(cases, n);
    assert_int_equal(failures, 0);
}

/* `a` over the f64 values `in` (bytes of them), sent and answered in
 * base64: the answer must be the bytes `want`. */
static void expect_identity_base64(const void *in, const void *want, size_t bytes)
{
    char in64[128], want64[128], req[256], expect[160];
    assert_true(b64_encoded_len(bytes) < sizeof in64);
    b64_encode((const uint8_t *)in, bytes, in64);
    in64[b64_encoded_len(bytes)] = '\0';
    b64_encode((const uint8_t *)want, bytes, want64);
    want64[b64_encoded_len(bytes)] = '\0';
    snprintf(req, sizeof req,
             "{\"expr\":\"a\",\"encoding\":\"base64\",\"columns\":{\"a\":{\"type\":\"f64\","
             "\"base64\":\"%s\"}}}", in64);
    char *r = ask(shared.path, req);
    assert_non_null(r);
    snprintf(expect, sizeof expect, "\"result\":\"%s\"", want64);
    assert_non_null(strstr(r, expect));
    free(r);
}

static void shortest_floats_and_special_values_round_trip(void **state)
{
    (void)state;
    /* what goes in as text comes back as the same text */
    char *r = ask(shared.path, "{\"expr\":\"a\",\"columns\":{\"a\":[0.1,1e-7,123.456,"
                               "5e-324,1.7976931348623157e+308,\"NaN\",\"-Infinity\",2.5e+20]}}");
    assert_non_null(r);
    assert_non_null(strstr(r, "\"result\":[0.1,1e-07,123.456,5e-324,1.7976931348623157e+308,"
                              "\"NaN\",\"-Infinity\",2.5e+20]"));
    free(r);
    /* and the same values through base64 both ways (the NaN is the
     * canonical one, bits 0xFFF8000000000000) */
    double v[] = {0.1, -0.0, -__builtin_nan(""), __builtin_inf(), 1e300};
    expect_identity_base64(v, v, sizeof v);
    /* any other NaN (C's NAN, a signalling one) comes back canonical */
    uint64_t other[2] = {0x7FF8000000000000u, 0x7FF0000000000123u};
    uint64_t canon[2] = {0xFFF8000000000000u, 0xFFF8000000000000u};
    expect_identity_base64(other, canon, sizeof other);
}

/* ---- load ---- */

static void ten_thousand_pipelined_requests_answer_in_order(void **state)
{
    (void)state;
    conn_t c;
    assert_int_equal(conn_open(&c, shared.path), 0);
    size_t cap = 10000 * 80, len = 0;
    char *all = malloc(cap);
    for (int i = 0; i < 10000; i++)
        len += (size_t)snprintf(all + len, cap - len,
                                i % 2 ? "{\"id\":%d,\"op\":\"ping\"}\n"
                                      : "{\"id\":%d,\"expr\":\"a*%d\",\"columns\":{\"a\":[1,2]}}\n",
                                i, i);
    conn_send(&c, all, len);
    free(all);
    for (int i = 0; i < 10000; i++) {
        char *line = conn_line(&c);
        assert_non_null(line);
        assert_int_equal(field(line, "id"), i);
        if (i % 2 == 0) {
            char want[64];
            snprintf(want, sizeof want, "\"result\":[%d,%d]", i, 2 * i);
            assert_non_null(strstr(line, want));
        }
    }
    conn_close(&c);
}

static void two_hundred_connections_get_every_answer(void **state)
{
    (void)state;
    enum { NCONN = 200, NREQ = 25 };
    conn_t *c = calloc(NCONN, sizeof *c);
    for (int k = 0; k < NCONN; k++) {
        assert_int_equal(conn_open(&c[k], shared.path), 0);
        for (int i = 0; i < NREQ; i++)
            conn_sendf(&c[k], "{\"id\":%d,\"expr\":\"a + %d\",\"columns\":{\"a\":[%d]}}\n", i, k, i);
    }
    /* read them all, whichever answers first */
    int *got = calloc(NCONN, sizeof *got);
    int left = NCONN * NREQ;
    struct pollfd *pfd = calloc(NCONN, sizeof *pfd);
    while (left > 0) {
        for (int k = 0; k < NCONN; k++)
            pfd[k] = (struct pollfd){c[k].fd, got[k] < NREQ ? POLLIN : 0, 0};
        assert_true(poll(pfd, NCONN, 30000) > 0);
        for (int k = 0; k < NCONN; k++) {
            if (!(pfd[k].revents & POLLIN))
                continue;
            /* conn_line blocks only until one line: answers come whole */
            char *line = conn_line(&c[k]);
            assert_non_null(line);
            assert_int_equal(field(line, "id"), got[k]);
            char want[64];
            snprintf(want, sizeof want, "\"result\":[%d]", got[k] + k);
            assert_non_null(strstr(line, want));
            got[k]++;
            left--;
            /* drain what is already buffered */
            while (got[k] < NREQ && memchr(c[k].buf + c[k].start, '\n', c[k].len - c[k].start)) {
                line = conn_line(&c[k]);
                assert_int_equal(field(line, "id"), got[k]);
                got[k]++;
                left--;
            }
        }
    }
    for (int k = 0; k < NCONN; k++)
        conn_close(&c[k]);
    free(pfd);
    free(got);
    free(c);
}

typedef struct big_request {
    const char *path;
    size_t rows;
    char *response;
    atomic_int sent, done;
} big_request;

/* Sends rows f64 values 0..rows-1 as base64 and asks for their sum and max. */
static void *send_big(void *arg)
{
    big_request *b = arg;
    size_t bytes = b->rows * 8;
    double *v = malloc(bytes);
    for (size_t i = 0; i < b->rows; i++)
        v[i] = (double)i;
    static const char head[] = "{\"id\":\"big\",\"exprs\":[\"sum(a)\",\"max(a)\"],"
                               "\"columns\":{\"a\":{\"type\":\"f64\",\"base64\":\"";
    static const char tail[] = "\"}}}\n";
    size_t len = sizeof head - 1 + b64_encoded_len(bytes) + sizeof tail - 1;
    char *req = malloc(len);
    memcpy(req, head, sizeof head - 1);
    b64_encode((const uint8_t *)v, bytes, req + sizeof head - 1);
    memcpy(req + len - (sizeof tail - 1), tail, sizeof tail - 1);
    free(v);
    conn_t c;
    if (conn_open(&c, b->path) == 0) {
        conn_send(&c, req, len);
        atomic_store(&b->sent, 1);
        char *line = conn_line(&c);
        b->response = line ? strdup(line) : NULL;
        conn_close(&c);
    }
    free(req);
    atomic_store(&b->done, 1);
    return NULL;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void pings_are_answered_while_a_ten_million_row_request_runs(void **state)
{
    (void)state;
    big_request b = {.path = shared.path, .rows = 10000000};
    pthread_t t;
    pthread_create(&t, NULL, send_big, &b);
    conn_t c;
    assert_int_equal(conn_open(&c, shared.path), 0);
    int during = 0;
    double worst = 0;
    while (!atomic_load(&b.done)) {
        int after_upload = atomic_load(&b.sent);
        double t0 = now_ms();
        conn_send(&c, "{\"op\":\"ping\"}\n", 14);
        char *line = conn_line(&c);
        assert_non_null(line);
        assert_string_equal(line, "{\"ok\":true}");
        double dt = now_ms() - t0;
        if (after_upload && !atomic_load(&b.done)) {
            during++;
            if (dt > worst)
                worst = dt;
        }
    }
    pthread_join(t, NULL);
    conn_close(&c);
    assert_non_null(b.response);
    assert_non_null(strstr(b.response, "\"result\":49999995000000"));
    assert_non_null(strstr(b.response, "\"result\":9999999"));
    free(b.response);
    print_message("pings answered while the 10M-row request ran: %d (slowest %.2f ms)\n",
                  during, worst);
    assert_true(during >= 1);
}

static void a_client_leaving_mid_request_costs_only_its_request(void **state)
{
    (void)state;
    /* start a large request and hang up without reading */
    big_request b = {.path = shared.path, .rows = 3000000};
    size_t bytes = b.rows * 8;
    double *v = calloc(b.rows, 8);
    char *req = malloc(b64_encoded_len(bytes) + 200);
    int n = sprintf(req, "{\"expr\":\"a + 1\",\"columns\":{\"a\":{\"type\":\"f64\",\"base64\":\"");
    b64_encode((const uint8_t *)v, bytes, req + n);
    n += (int)b64_encoded_len(bytes);
    n += sprintf(req + n, "\"}}}\n");
    free(v);
    for (int k = 0; k < 3; k++) {
        conn_t c;
        assert_int_equal(conn_open(&c, shared.path), 0);
        /* half a line, then the whole of one: both are abandoned */
        conn_send(&c, req, k == 0 ? (size_t)n / 2 : (size_t)n);
        conn_close(&c);
    }
    free(req);
    /* the daemon keeps serving and forgets those connections */
    long long conns = -1;
    for (int i = 0; i < 500 && conns != 1; i++) {
        char *r = ask(shared.path, "{\"op\":\"stats\"}");
        assert_non_null(r);
        conns = field(r, "connections");
        free(r);
        if (conns != 1)
            sleep_ms(20);
    }
    assert_int_equal(conns, 1); /* the one asking */
    char *r = ask(shared.path, "{\"expr\":\"2 + 2\"}");
    assert_non_null(strstr(r, "\"result\":4"));
    free(r);
}

typedef struct sender {
    conn_t *c;
    int n;
} sender;

static void *send_many(void *arg)
{
    sender *s = arg;
    for (int i = 0; i < s->n; i++)
        conn_sendf(s->c, "{\"id\":%d,\"table\":\"bp\",\"expr\":\"a\"}\n", i);
    return NULL;
}

static void a_client_that_does_not_read_is_not_buffered_without_bound(void **state)
{
    (void)state;
    /* answers of about 10 KB each; 20,000 of them would be 200 MB */
    char *load = malloc(20000);
    int n = sprintf(load, "{\"op\":\"load\",\"table\":\"bp\",\"columns\":{\"a\":[");
    for (int i = 0; i < 2000; i++)
        n += sprintf(load + n, i ? ",%d" : "%d", 10000 + i);
    sprintf(load + n, "]}}");
    char *r = ask(shared.path, load);
    assert_non_null(strstr(r, "\"ok\":true"));
    free(r);
    free(load);

    long before = daemon_rss_kib(&shared);
    conn_t c;
    assert_int_equal(conn_open(&c, shared.path), 0);
    sender s = {&c, 20000};
    pthread_t t;
    pthread_create(&t, NULL, send_many, &s);
    sleep_ms(500); /* let the daemon fill what it may */
    long during = daemon_rss_kib(&shared);
    /* others are still served meanwhile */
    r = ask(shared.path, "{\"op\":\"ping\"}");
    assert_string_equal(r, "{\"ok\":true}");
    free(r);
    /* now read: every answer arrives, in order */
    for (int i = 0; i < s.n; i++) {
        char *line = conn_line(&c);
        assert_non_null(line);
        assert_int_equal(field(line, "id"), i);
    }
    pthread_join(t, NULL);
    conn_close(&c);
    print_message("daemon RSS: %ld KiB before, %ld KiB while the client did not read\n", before,
                  during);
    assert_true(during - before < 64 * 1024); /* far below the 200 MB of answers */
}

/* ---- framing ---- */

static void oversized_lines_are_answered_and_skipped(void **state)
{
    (void)state;
    daemon_proc d;
    static const char *const args[] = {"--max-request-bytes", "1000", NULL};
    assert_int_equal(daemon_start(&d, args), 0);
    conn_t c;
    assert_int_equal(conn_open(&c, d.path), 0);
    char big[5000];
    memset(big, 'x', sizeof big);
    /* one oversized line sent whole, one in small pieces, then a good one */
    conn_send(&c, big, sizeof big);
    conn_send(&c, "\n", 1);
    for (int i = 0; i < 10; i++)
        conn_send(&c, big, 500);
    conn_sendf(&c, "\n{\"op\":\"ping\",\"id\":1}\n");
    /* exactly at the limit is fine */
    char edge[1001];
    memset(edge, ' ', 1000);
    memcpy(edge, "{\"op\":\"ping\",\"id\":2}", 20);
    edge[1000] = '\n';
    conn_send(&c, edge, sizeof edge);
    for (int i = 0; i < 2; i++) {
        char *line = conn_line(&c);
        assert_non_null(line);
        assert_non_null(strstr(line, "\"code\":\"limit_exceeded\""));
    }
    assert_string_equal(conn_line(&c), "{\"id\":1,\"ok\":true}");
    assert_string_equal(conn_line(&c), "{\"id\":2,\"ok\":true}");
    conn_close(&c);
    assert_int_equal(daemon_stop(&d), 0);
}

static void malformed_json_leaves_the_connection_usable(void **state)
{
    (void)state;
    conn_t c;
    assert_int_equal(conn_open(&c, shared.path), 0);
    conn_sendf(&c, "{\"expr\": oops\n\n{\"op\":\"ping\",\"id\":9}\r\n");
    assert_non_null(strstr(conn_line(&c), "\"code\":\"bad_json\""));
    assert_string_equal(conn_line(&c), "{\"id\":9,\"ok\":true}");
    /* a last request without its newline is answered when the client
     * finishes sending */
    conn_sendf(&c, "{\"op\":\"ping\",\"id\":10}");
    shutdown(c.fd, SHUT_WR);
    assert_string_equal(conn_line(&c), "{\"id\":10,\"ok\":true}");
    assert_null(conn_line(&c));
    conn_close(&c);
}

/* ---- the process ---- */

static void sigterm_answers_every_request_already_read(void **state)
{
    (void)state;
    daemon_proc d;
    static const char *const args[] = {"--threads", "2", "--io-threads", "2", NULL};
    assert_int_equal(daemon_start(&d, args), 0);
    /* a stored table large enough that a request over it takes a while */
    size_t rows = 4000000, bytes = rows * 8;
    double *v = malloc(bytes);
    for (size_t i = 0; i < rows; i++)
        v[i] = (double)(i % 1000) + 0.5;
    char *load = malloc(b64_encoded_len(bytes) + 200);
    int n = sprintf(load, "{\"op\":\"load\",\"table\":\"big\",\"columns\":{\"a\":{\"type\":\"f64\","
                          "\"base64\":\"");
    b64_encode((const uint8_t *)v, bytes, load + n);
    n += (int)b64_encoded_len(bytes);
    sprintf(load + n, "\"}}}");
    free(v);
    char *r = ask(d.path, load);
    free(load);
    assert_non_null(r);
    assert_non_null(strstr(r, "\"rows\":4000000"));
    free(r);

    conn_t c;
    assert_int_equal(conn_open(&c, d.path), 0);
    char batch[8192];
    int len = sprintf(batch, "{\"op\":\"ping\",\"id\":0}\n"
                             "{\"id\":1,\"table\":\"big\",\"exprs\":[\"sum(sqrt(a) * exp(a / 1000))\","
                             "\"sum(a)\",\"max(sin(a))\"]}\n");
    for (int i = 2; i < 52; i++)
        len += sprintf(batch + len, "{\"op\":\"ping\",\"id\":%d}\n", i);
    conn_send(&c, batch, (size_t)len); /* one write: read by the daemon at once */
    assert_string_equal(conn_line(&c), "{\"id\":0,\"ok\":true}");
    kill(d.pid, SIGTERM);
    char *line = conn_line(&c);
    assert_non_null(line);
    assert_int_equal(field(line, "id"), 1);
    assert_non_null(strstr(line, "\"result\":2000000000"));
    for (int i = 2; i < 52; i++) {
        line = conn_line(&c);
        assert_non_null(line);
        assert_int_equal(field(line, "id"), i);
    }
    assert_null(conn_line(&c)); /* then the daemon closes */
    conn_close(&c);
    assert_int_equal(daemon_stop(&d), 0);
    assert_int_equal(d.socket_left, 0);
}

/* Stop signals keep coming while the daemon winds down (a supervisor
 * repeating itself): every one of them must find a handler, so the exit
 * status stays 0 and the socket file is removed. */
static void a_storm_of_stop_signals_still_ends_in_a_clean_exit(void **state)
{
    (void)state;
    static const char *const args[] = {"--io-threads", "3", NULL};
    for (int round = 0; round < 20; round++) {
        daemon_proc d;
        /* odd rounds with three event loops, which the primary stops */
        assert_int_equal(daemon_start(&d, round % 2 ? args : NULL), 0);
        siginfo_t info = {0};
        while (info.si_pid == 0) { /* until it has ended, not yet reaped */
            kill(d.pid, round % 2 ? SIGINT : SIGTERM);
            assert_int_equal(waitid(P_PID, (id_t)d.pid, &info, WEXITED | WNOHANG | WNOWAIT), 0);
            usleep(20);
        }
        assert_int_equal(daemon_reap(&d), 0);
        assert_int_equal(d.socket_left, 0);
    }
}

/* A bad option or value is a usage error: exit status 2, a message naming
 * it, and no socket. */
static void bad_options_exit_2_and_say_which(void **state)
{
    (void)state;
    static const struct {
        const char *args[3];
        const char *says;
    } cases[] = {
        {{"--threads", "0", NULL}, "--threads: '0'"},
        {{"--io-threads", "0", NULL}, "--io-threads: '0'"},
        {{"--io-threads", "65", NULL}, "--io-threads: '65'"},
        {{"--io-threads", "two", NULL}, "--io-threads: 'two'"},
        {{"--socket-mode", "999", NULL}, "--socket-mode"},
        {{"--frobnicate", NULL, NULL}, "unknown option"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char dir[] = "/tmp/jitcalcd-test-XXXXXX", path[64], err[4096];
        assert_non_null(mkdtemp(dir));
        snprintf(path, sizeof path, "%s/s.sock", dir);
        assert_int_equal(daemon_run_expect_exit(path, cases[i].args, err, sizeof err), 2);
        if (!strstr(err, cases[i].says))
            fail_msg("%s: no '%s' in: %s", cases[i].args[0], cases[i].says, err);
        assert_int_not_equal(access(path, F_OK), 0);
        rmdir(dir);
    }
}

static void the_socket_is_private_unless_configured(void **state)
{
    (void)state;
    struct stat st;
    assert_int_equal(stat(shared.path, &st), 0);
    assert_true(S_ISSOCK(st.st_mode));
    assert_int_equal(st.st_mode & 0777, 0600);
    daemon_proc d;
    static const char *const args[] = {"--socket-mode", "0660", NULL};
    assert_int_equal(daemon_start(&d, args), 0);
    assert_int_equal(stat(d.path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0660);
    assert_int_equal(daemon_stop(&d), 0);
}

static void a_second_daemon_on_a_live_socket_refuses_a_stale_one_is_replaced(void **state)
{
    (void)state;
    char err[4096];
    static const char *const args[] = {"--allow-root", NULL};
    assert_int_equal(daemon_run_expect_exit(shared.path, args, err, sizeof err), 1);
    assert_non_null(strstr(err, "another server is listening"));
    char *r = ask(shared.path, "{\"op\":\"ping\"}");
    assert_string_equal(r, "{\"ok\":true}"); /* the first one is untouched */
    free(r);

    /* a socket file nobody listens on (left by a crash) */
    daemon_proc d;
    memset(&d, 0, sizeof d);
    strcpy(d.dir, "/tmp/jitcalcd-test-XXXXXX");
    assert_non_null(mkdtemp(d.dir));
    snprintf(d.path, sizeof d.path, "%s/s.sock", d.dir);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    strcpy(addr.sun_path, d.path);
    assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
    close(fd);
    char dir[64];
    strcpy(dir, d.dir);
    pid_t pid = fork();
    if (pid == 0) {
        const char *argv[] = {JITCALCD, "--socket", d.path, "--allow-root", "--log-level",
                              "error", NULL};
        runner_exec(argv); /* through the emulator of a cross build */
        _exit(127);
    }
    char *pong = NULL;
    for (int i = 0; i < 500 && !pong; i++) {
        pong = ask(d.path, "{\"op\":\"ping\"}");
        if (!pong)
            sleep_ms(10);
    }
    assert_non_null(pong);
    assert_string_equal(pong, "{\"ok\":true}");
    free(pong);
    kill(pid, SIGTERM);
    int status;
    waitpid(pid, &status, 0);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_int_not_equal(access(d.path, F_OK), 0); /* removed on exit */
    rmdir(dir);

    /* a path that is not a socket is never touched */
    char file[128];
    snprintf(file, sizeof file, "%s/plain", dir);
    mkdir(dir, 0700);
    FILE *f = fopen(file, "w");
    fclose(f);
    assert_int_equal(daemon_run_expect_exit(file, args, err, sizeof err), 1);
    assert_non_null(strstr(err, "not a socket"));
    assert_int_equal(access(file, F_OK), 0);
    unlink(file);
    rmdir(dir);
}

static void root_is_refused_without_allow_root(void **state)
{
    (void)state;
    if (geteuid() != 0) {
        skip();
        return;
    }
    char err[4096];
    static const char *const none[] = {NULL};
    assert_int_equal(daemon_run_expect_exit("/tmp/jitcalcd-test-root.sock", none, err, sizeof err),
                     1);
    assert_non_null(strstr(err, "--allow-root"));
    assert_int_not_equal(access("/tmp/jitcalcd-test-root.sock", F_OK), 0);
}

static void idle_connections_close_and_the_connection_limit_holds(void **state)
{
    (void)state;
    daemon_proc d;
    static const char *const args[] = {"--idle-timeout", "1", "--max-connections", "2", NULL};
    assert_int_equal(daemon_start(&d, args), 0);
    conn_t a, b, c;
    assert_int_equal(conn_open(&a, d.path), 0);
    assert_int_equal(conn_open(&b, d.path), 0);
    conn_send(&a, "{\"op\":\"ping\"}\n", 14);
    assert_string_equal(conn_line(&a), "{\"ok\":true}");
    conn_send(&b, "{\"op\":\"ping\"}\n", 14);
    assert_string_equal(conn_line(&b), "{\"ok\":true}");
    /* a third is told why, then closed */
    assert_int_equal(conn_open(&c, d.path), 0);
    char *line = conn_line(&c);
    assert_non_null(line);
    assert_non_null(strstr(line, "\"code\":\"limit_exceeded\""));
    assert_null(conn_line(&c));
    conn_close(&c);
    /* idle ones are closed by the daemon (conn_line returns at EOF) */
    assert_null(conn_line(&a));
    assert_null(conn_line(&b));
    conn_close(&a);
    conn_close(&b);
    assert_int_equal(daemon_stop(&d), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(protocol_cases_pipelined_on_one_connection),
        cmocka_unit_test(shortest_floats_and_special_values_round_trip),
        cmocka_unit_test(ten_thousand_pipelined_requests_answer_in_order),
        cmocka_unit_test(two_hundred_connections_get_every_answer),
        cmocka_unit_test(pings_are_answered_while_a_ten_million_row_request_runs),
        cmocka_unit_test(a_client_leaving_mid_request_costs_only_its_request),
        cmocka_unit_test(a_client_that_does_not_read_is_not_buffered_without_bound),
        cmocka_unit_test(oversized_lines_are_answered_and_skipped),
        cmocka_unit_test(malformed_json_leaves_the_connection_usable),
        cmocka_unit_test(sigterm_answers_every_request_already_read),
        cmocka_unit_test(a_storm_of_stop_signals_still_ends_in_a_clean_exit),
        cmocka_unit_test(bad_options_exit_2_and_say_which),
        cmocka_unit_test(the_socket_is_private_unless_configured),
        cmocka_unit_test(a_second_daemon_on_a_live_socket_refuses_a_stale_one_is_replaced),
        cmocka_unit_test(root_is_refused_without_allow_root),
        cmocka_unit_test(idle_connections_close_and_the_connection_limit_holds),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
