/*
 * daemon_main.c — jitcalcd: options, the root check, the engine and the
 * service, the socket, signals, and the event loops (the primary on the
 * main thread, --io-threads - 1 more on threads of their own) until a
 * signal ends them.
 */
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server/daemon.h"

/* The event loops: loops[0] is the primary (the default loop, the main
 * thread, the signals); the others run in threads of their own. */
static server loops[DAEMON_MAX_IO_THREADS];
static unsigned nloops;

static void on_signal(uv_signal_t *h, int signum)
{
    server *srv = h->data;
    log_msg(LOG_INFO, "%s received", signum == SIGINT ? "SIGINT" : "SIGTERM");
    /* a second signal means "now": stop waiting for slow clients */
    int force = srv->stopping;
    server_stop(srv, force);
    for (unsigned i = 1; i < nloops; i++) {
        server *other = &loops[i];
        atomic_store(&other->stop_asked, force ? 2 : 1);
        pthread_mutex_lock(&other->wake_lock);
        if (!other->wake_closed) /* a loop that is done needs no telling */
            uv_async_send(&other->wake);
        pthread_mutex_unlock(&other->wake_lock);
    }
}

/* A secondary loop, told by the primary to stop. */
static void on_wake(uv_async_t *a)
{
    server *srv = a->data;
    int asked = atomic_load(&srv->stop_asked);
    if (asked)
        server_stop(srv, asked == 2);
}

static void on_sweep(uv_timer_t *t) { server_sweep(t->data); }

static void *loop_thread(void *arg)
{
    server *srv = arg;
    uv_run(srv->loop, UV_RUN_DEFAULT);
    return NULL;
}

/* Sets up loop srv to accept on its own descriptor of the listening
 * socket. 0, or a libuv error. */
static int loop_open(server *srv, int fd)
{
    uv_pipe_init(srv->loop, &srv->listener, 0);
    int err = uv_pipe_open(&srv->listener, fd);
    if (!err)
        err = server_start(srv);
    if (err)
        return err;
    uv_timer_init(srv->loop, &srv->sweep);
    srv->sweep.data = srv;
    uv_timer_start(&srv->sweep, on_sweep, 1000, 1000);
    return 0;
}

/* Starts loops 1..n-1 in threads of their own; fewer when the system
 * gives fewer (the daemon runs on, on the loops it has). */
static void start_threads(unsigned n, int fd, const server *proto, pthread_t *threads)
{
    for (unsigned i = 1; i < n; i++) {
        server *srv = &loops[i];
        *srv = (server){.svc = proto->svc, .opts = proto->opts, .counters = proto->counters};
        srv->loop = malloc(sizeof *srv->loop);
        int dupfd = dup(fd);
        if (!srv->loop || dupfd < 0 || uv_loop_init(srv->loop) != 0) {
            log_msg(LOG_WARN, "could not start event loop %u: serving on %u", i, nloops);
            if (dupfd >= 0)
                close(dupfd);
            free(srv->loop);
            return;
        }
        pthread_mutex_init(&srv->wake_lock, NULL);
        uv_async_init(srv->loop, &srv->wake, on_wake);
        srv->wake.data = srv;
        int err = loop_open(srv, dupfd);
        if (err || pthread_create(&threads[i], NULL, loop_thread, srv) != 0) {
            log_msg(LOG_WARN, "could not start event loop %u (%s): serving on %u", i,
                    err ? uv_strerror(err) : "no thread", nloops);
            /* its handles die with the process; the loop is never run */
            return;
        }
        nloops++;
    }
}

/* start_threads with the stop signals blocked in the new threads. */
static void start_secondaries(unsigned n, int fd, const server *proto, pthread_t *threads)
{
    nloops = 1;
    /* Stop signals are the primary's: the other loops' threads block them
     * (a new thread inherits the mask), so a signal always lands on the
     * main thread, whatever state the others are in. */
    sigset_t stops, old;
    sigemptyset(&stops);
    sigaddset(&stops, SIGINT);
    sigaddset(&stops, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stops, &old);
    start_threads(n, fd, proto, threads);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/* The listening socket systemd passes with socket activation (fd 3, see
 * sd_listen_fds(3)), or -1. systemd owns that socket file: it is neither
 * created nor removed here. */
static int activated_socket(void)
{
    const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
    if (!pid || !fds || atol(pid) != (long)getpid() || atoi(fds) < 1)
        return -1;
    unsetenv("LISTEN_PID");
    unsetenv("LISTEN_FDS");
    unsetenv("LISTEN_FDNAMES");
    return 3;
}

static jc_engine *make_engine(const daemon_opts *o)
{
    jc_options eo;
    jc_options_init(&eo);
    eo.jit = !o->no_jit;
    eo.cache_entries = o->cache_entries;
    eo.cache_bytes = o->cache_bytes;
    eo.threads = o->threads;
    jc_error err;
    jc_engine *engine = jc_engine_new(&eo, &err);
    if (!engine)
        log_msg(LOG_ERROR, "cannot start the engine: %s", err.message);
    return engine;
}

int main(int argc, char **argv)
{
    daemon_opts o;
    int rc = options_parse(&o, argc, argv);
    if (rc != 0)
        return rc > 0 ? 0 : 2;
    log_set_level(o.log_level);
    if (geteuid() == 0 && !o.allow_root) {
        log_msg(LOG_ERROR, "refusing to run as root: jitcalcd runs generated machine code for "
                           "its clients; start it as an ordinary user (or pass --allow-root)");
        return 1;
    }
    /* Keep freed memory for the next request instead of handing it back
     * to the kernel: large requests allocate tens of MB each, and faulting
     * fresh pages in costs more than the work on them (measured with
     * bench/load --mix large). Allocations past 32 MiB are still mmapped. */
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    /* a client that hangs up must cost a write error, not the process */
    signal(SIGPIPE, SIG_IGN);
    /* libuv sizes its thread pool from this at the first uv_queue_work */
    char threads[16];
    snprintf(threads, sizeof threads, "%u", o.threads);
    setenv("UV_THREADPOOL_SIZE", threads, 1);

    jc_engine *engine = make_engine(&o);
    if (!engine)
        return 1;
    service_options so;
    service_options_init(&so);
    so.max_request_bytes = o.max_request_bytes;
    so.max_table_bytes = o.max_table_bytes;
    jc_service *svc = service_new(engine, &so);
    if (!svc) {
        log_msg(LOG_ERROR, "out of memory starting the service");
        jc_engine_free(engine);
        return 1;
    }

    static server_counters counters;
    server *srv = &loops[0]; /* static: the loop's handles point into it */
    srv->loop = uv_default_loop();
    srv->primary = 1;
    srv->svc = svc;
    srv->opts = &o;
    srv->counters = &counters;
    service_set_transport_stats(svc, server_stats, &counters);

    char why[512];
    int fd = activated_socket();
    if (fd >= 0)
        o.socket_path = "(systemd socket)";
    else
        fd = socket_listen(o.socket_path, o.socket_mode, &srv->socket_ino, why, sizeof why);
    if (fd < 0) {
        log_msg(LOG_ERROR, "%s", why);
        service_free(svc);
        jc_engine_free(engine);
        return 1;
    }
    /* Stop signals are caught before any loop accepts: a client that got
     * an answer may stop the daemon at once (they wait in libuv's pipe
     * until the primary runs). */
    uv_signal_init(srv->loop, &srv->sigint);
    uv_signal_init(srv->loop, &srv->sigterm);
    srv->sigint.data = srv->sigterm.data = srv;
    uv_signal_start(&srv->sigint, on_signal, SIGINT);
    uv_signal_start(&srv->sigterm, on_signal, SIGTERM);
    /* the other loops, each on its own descriptor of the socket */
    static pthread_t loop_threads[DAEMON_MAX_IO_THREADS];
    start_secondaries(o.io_threads, fd, srv, loop_threads);
    int err = loop_open(srv, fd);
    if (err) {
        log_msg(LOG_ERROR, "cannot listen on '%s': %s", o.socket_path, uv_strerror(err));
        socket_remove(o.socket_path, srv->socket_ino);
        return 1;
    }

    jc_stats st;
    jc_engine_stats(engine, &st);
    log_msg(LOG_INFO, "jitcalcd %s listening on %s (jit %s, isa %s, %u event loops, %u threads)",
            JITCALC_VERSION, o.socket_path, st.jit ? "on" : "off", st.isa ? st.isa : "none",
            nloops, o.threads);

    uv_run(srv->loop, UV_RUN_DEFAULT);
    for (unsigned i = 1; i < nloops; i++)
        pthread_join(loop_threads[i], NULL);

    /* the loop is not closed: its signal watchers stay caught to the end
     * (see server_maybe_done) */
    service_free(svc);
    jc_engine_free(engine);
    log_msg(LOG_INFO, "stopped");
    return 0;
}
