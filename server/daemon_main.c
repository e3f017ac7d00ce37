/*
 * daemon_main.c — jitcalcd: options, the root check, the engine and the
 * service, the socket, signals, and the loop until a signal ends it.
 */
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server/daemon.h"

static void on_signal(uv_signal_t *h, int signum)
{
    server *srv = h->data;
    log_msg(LOG_INFO, "%s received", signum == SIGINT ? "SIGINT" : "SIGTERM");
    /* a second signal means "now": stop waiting for slow clients */
    server_stop(srv, srv->stopping);
}

static void on_sweep(uv_timer_t *t) { server_sweep(t->data); }

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

    static server srv; /* static: the loop's handles point into it */
    srv.loop = uv_default_loop();
    srv.svc = svc;
    srv.opts = &o;
    service_set_transport_stats(svc, server_stats, &srv);

    char why[512];
    int fd = activated_socket();
    if (fd >= 0)
        o.socket_path = "(systemd socket)";
    else
        fd = socket_listen(o.socket_path, o.socket_mode, &srv.socket_ino, why, sizeof why);
    if (fd < 0) {
        log_msg(LOG_ERROR, "%s", why);
        service_free(svc);
        jc_engine_free(engine);
        return 1;
    }
    uv_pipe_init(srv.loop, &srv.listener, 0);
    int err = uv_pipe_open(&srv.listener, fd);
    if (!err)
        err = server_start(&srv);
    if (err) {
        log_msg(LOG_ERROR, "cannot listen on '%s': %s", o.socket_path, uv_strerror(err));
        socket_remove(o.socket_path, srv.socket_ino);
        return 1;
    }
    uv_signal_init(srv.loop, &srv.sigint);
    uv_signal_init(srv.loop, &srv.sigterm);
    srv.sigint.data = srv.sigterm.data = &srv;
    uv_signal_start(&srv.sigint, on_signal, SIGINT);
    uv_signal_start(&srv.sigterm, on_signal, SIGTERM);
    uv_timer_init(srv.loop, &srv.sweep);
    srv.sweep.data = &srv;
    uv_timer_start(&srv.sweep, on_sweep, 1000, 1000);

    jc_stats st;
    jc_engine_stats(engine, &st);
    log_msg(LOG_INFO, "jitcalcd %s listening on %s (jit %s, isa %s, %u threads)",
            JITCALC_VERSION, o.socket_path, st.jit ? "on" : "off", st.isa ? st.isa : "none",
            o.threads);

    uv_run(srv.loop, UV_RUN_DEFAULT);

    /* the loop is not closed: its signal watchers stay caught to the end
     * (see server_maybe_done) */
    service_free(svc);
    jc_engine_free(engine);
    log_msg(LOG_INFO, "stopped");
    return 0;
}
