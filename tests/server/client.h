/*
 * client.h — test helpers: start a real jitcalcd on a temporary socket and
 * talk NDJSON to it.
 */
#ifndef JC_TESTS_SERVER_CLIENT_H
#define JC_TESTS_SERVER_CLIENT_H

#include <stddef.h>
#include <sys/types.h>

typedef struct daemon_proc {
    pid_t pid;
    char dir[64];
    char path[128];
    int err_fd; /* its stderr: <dir>/stderr.log */
    int socket_left; /* daemon_stop: the socket file was still there */
} daemon_proc;

/* Starts jitcalcd on a fresh temporary socket with --allow-root plus args
 * (NULL-terminated), and waits until it answers ping. Returns 0 or -1. */
int daemon_start(daemon_proc *d, const char *const *args);
/* Starts it on d->path as set by the caller, without waiting; for daemons
 * expected to fail. Returns its exit status (or -1), stderr in errbuf. */
int daemon_run_expect_exit(const char *path, const char *const *args, char *errbuf,
                           size_t errlen);
/* SIGTERM, wait; returns the exit status (or -1 for a signal death). */
int daemon_stop(daemon_proc *d);
/* Waits for it to end, cleans up; the exit status (or -1), as above. */
int daemon_reap(daemon_proc *d);
/* The daemon's resident memory in KiB. */
long daemon_rss_kib(const daemon_proc *d);

typedef struct conn_t {
    int fd;
    char *buf;
    size_t start, len, cap;
} conn_t;

int conn_open(conn_t *c, const char *path);
void conn_close(conn_t *c);
void conn_send(conn_t *c, const char *data, size_t n);
void conn_sendf(conn_t *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The next response line (NUL-terminated, valid until the next call), or
 * NULL at end of stream. */
char *conn_line(conn_t *c);

/* One request, one answer (a malloc'd copy). */
char *ask(const char *path, const char *request);

#endif
