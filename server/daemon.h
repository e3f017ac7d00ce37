/*
 * daemon.h — jitcalcd's parts: options (daemon_options.c), the listening
 * socket (daemon_socket.c), connections and framing (daemon_conn.c), and
 * the process around them (daemon_main.c). Internal to server/.
 *
 * Threads: the libuv loop thread owns every socket, buffer and connection;
 * the only work done elsewhere is service_handle() for large requests, on
 * libuv's thread pool (UV_THREADPOOL_SIZE = --threads), whose result comes
 * back to the loop thread in the work request's after-callback.
 */
#ifndef JC_SERVER_DAEMON_H
#define JC_SERVER_DAEMON_H

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

typedef struct server {
    uv_loop_t *loop;
    uv_pipe_t listener;
    uv_signal_t sigint, sigterm;
    uv_timer_t sweep;        /* idle timeout and shutdown grace */
    jc_service *svc;
    const daemon_opts *opts;
    conn *conns;             /* doubly linked, all open connections */
    int stopping;            /* a signal came: drain and exit */
    uint64_t stop_deadline;  /* uv_now() after which stragglers are cut */
    ino_t socket_ino;
    /* One big input buffer kept from the last large request, so the next
     * one reads into memory that is already mapped (page faults on fresh
     * buffers cost more than decoding base64). */
    char *spare;
    size_t spare_cap;
    atomic_uint_fast64_t nconns, conns_total, conns_refused, offloaded;
} server;

/* Starts accepting on srv->listener (already opened on the socket). */
int server_start(server *srv);

/* Stops accepting, answers what was read, closes connections as they
 * finish. force: close every connection now. */
void server_stop(server *srv, int force);

/* Closes connections idle longer than the timeout; called by the sweep
 * timer. */
void server_sweep(server *srv);

/* Transport counters for `stats`. */
void server_stats(void *ctx, service_transport_stats *out);

#endif /* JC_SERVER_DAEMON_H */
