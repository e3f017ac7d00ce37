/*
 * daemon.h — jitcalcd's parts: options (daemon_options.c), the listening
 * socket (daemon_socket.c), connections and framing (daemon_conn.c), and
 * the process around them (daemon_main.c). Internal to server/.
 *
 * Threads: --io-threads event loops, each in its own thread, all accepting
 * on the one listening socket (each through its own descriptor of it;
 * whichever wakes first takes a connection). A loop owns every socket,
 * buffer and connection it accepted: a connection never changes loops, so
 * its requests stay in order without locks. The only work done elsewhere
 * is service_handle() for large requests, on libuv's thread pool
 * (UV_THREADPOOL_SIZE = --threads, shared by the loops), whose result comes
 * back to the connection's loop in the work request's after-callback. The
 * first loop (the primary) also owns the signals and the socket file, and
 * tells the others to stop through their async handles.
 */
#ifndef JC_SERVER_DAEMON_H
#define JC_SERVER_DAEMON_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <uv.h>

#include "server/service.h"

/* ---- options ---- */

enum log_level { LOG_ERROR = 0, LOG_WARN, LOG_INFO, LOG_DEBUG };

typedef struct daemon_opts {
    const char *socket_path; /* resolved (never NULL after options_parse) */
    unsigned socket_mode;    /* 0600 */
    size_t cache_entries;    /* 1024 */
    size_t cache_bytes;      /* 64 MiB */
    unsigned threads;        /* cores */
    unsigned io_threads;     /* half the cores, at most 4 */
    int no_jit;
    size_t max_request_bytes;  /* 64 MiB */
    size_t max_connections;    /* 1024 */
    size_t max_table_bytes;    /* 1 GiB */
    unsigned idle_timeout;     /* seconds, 0 = never; 300 */
    enum log_level log_level;  /* info */
    int allow_root;
} daemon_opts;

/* Parses argv into o (defaults first). Returns 0 to run, 1 when it printed
 * --help or --version (exit 0), -1 on a usage error (message printed; exit
 * 2). */
int options_parse(daemon_opts *o, int argc, char **argv);

/* ---- logging: one line per event on stderr ---- */

void log_set_level(enum log_level level);
void log_msg(enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- the socket ---- */

/* Creates the listening socket at path with mode: replaces a stale socket
 * file, refuses a live one or a non-socket. Returns the fd, or -1 with a
 * message in why. *ino gets the socket file's inode (to remove only our own
 * file at exit). */
int socket_listen(const char *path, unsigned mode, ino_t *ino, char *why, size_t why_len);

/* Removes path if it is still the socket file we created. */
void socket_remove(const char *path, ino_t ino);

/* ---- the server ---- */

typedef struct conn conn;

#define DAEMON_MAX_IO_THREADS 64

/* What the event loops share: the counters of `stats`, and the number of
 * open connections that --max-connections bounds. */
typedef struct server_counters {
    atomic_uint_fast64_t nconns, conns_total, conns_refused, offloaded;
} server_counters;

/* One event loop and the connections it accepted. */
typedef struct server {
    uv_loop_t *loop;
    uv_pipe_t listener;
    int primary;             /* owns the signals and the socket file */
    uv_signal_t sigint, sigterm; /* the primary's */
    uv_async_t wake;         /* the others': the primary asks them to stop */
    atomic_int stop_asked;   /* 1: stop, 2: stop now (forced) */
    pthread_mutex_t wake_lock; /* wake is not sent once closing */
    int wake_closed;
    uv_timer_t sweep;        /* idle timeout and shutdown grace */
    jc_service *svc;
    const daemon_opts *opts;
    server_counters *counters;
    conn *conns;             /* doubly linked, this loop's open connections */
    int stopping;            /* a signal came: drain and exit */
    uint64_t stop_deadline;  /* uv_now() after which stragglers are cut */
    ino_t socket_ino;
    /* One big input buffer kept from the last large request, so the next
     * one reads into memory that is already mapped (page faults on fresh
     * buffers cost more than decoding base64). */
    char *spare;
    size_t spare_cap;
} server;

/* Starts accepting on srv->listener (already opened on the socket). */
int server_start(server *srv);

/* Stops accepting, answers what was read, closes connections as they
 * finish. force: close every connection now. */
void server_stop(server *srv, int force);

/* Closes connections idle longer than the timeout; called by the sweep
 * timer. */
void server_sweep(server *srv);

/* Transport counters for `stats`; ctx is the server_counters. */
void server_stats(void *ctx, service_transport_stats *out);

#endif /* JC_SERVER_DAEMON_H */
