/* client.c — a real jitcalcd and NDJSON connections for tests. */
#define _GNU_SOURCE
#include "client.h"
#include "tests/common/runner.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Runs jitcalcd with its stderr on err (an open fd). */
static pid_t spawn(const char *path, const char *const *args, int err)
{
    const char *argv[64];
    int n = 0;
    argv[n++] = JITCALCD;
    argv[n++] = "--socket";
    argv[n++] = path;
    for (int i = 0; args && args[i] && n < 60; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(err, STDERR_FILENO);
        runner_exec(argv); /* through the emulator of a cross build */
        _exit(127);
    }
    return pid;
}

int daemon_start(daemon_proc *d, const char *const *args)
{
    memset(d, 0, sizeof *d);
    strcpy(d->dir, "/tmp/jitcalcd-test-XXXXXX");
    if (!mkdtemp(d->dir))
        return -1;
    snprintf(d->path, sizeof d->path, "%s/s.sock", d->dir);
    const char *all[32];
    int n = 0;
    all[n++] = "--allow-root";
    all[n++] = "--log-level";
    all[n++] = "warn";
    for (int i = 0; args && args[i] && n < 30; i++)
        all[n++] = args[i];
    all[n] = NULL;
    /* its log goes to a file, so it can never block on a full pipe */
    char log[128];
    snprintf(log, sizeof log, "%s/stderr.log", d->dir);
    d->err_fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    d->pid = spawn(d->path, all, d->err_fd);
    if (d->pid < 0)
        return -1;
    for (int i = 0; i < 1000; i++) {
        conn_t c;
        if (conn_open(&c, d->path) == 0) {
            conn_send(&c, "{\"op\":\"ping\"}\n", 14);
            char *line = conn_line(&c);
            int ok = line && strcmp(line, "{\"ok\":true}") == 0;
            conn_close(&c);
            if (ok)
                return 0;
        }
        int status;
        if (waitpid(d->pid, &status, WNOHANG) == d->pid)
            return -1; /* it exited */
        sleep_ms(10);
    }
    return -1;
}

int daemon_run_expect_exit(const char *path, const char *const *args, char *errbuf,
                           size_t errlen)
{
    int pipefd[2];
    if (pipe2(pipefd, O_CLOEXEC) != 0)
        return -1;
    pid_t pid = spawn(path, args, pipefd[1]);
    close(pipefd[1]);
    int err_fd = pipefd[0];
    if (pid < 0) {
        close(err_fd);
        return -1;
    }
    size_t got = 0;
    ssize_t r;
    while (got + 1 < errlen && (r = read(err_fd, errbuf + got, errlen - 1 - got)) > 0)
        got += (size_t)r;
    errbuf[got] = '\0';
    close(err_fd);
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int daemon_stop(daemon_proc *d)
{
    kill(d->pid, SIGTERM);
    return daemon_reap(d);
}

int daemon_reap(daemon_proc *d)
{
    int status;
    waitpid(d->pid, &status, 0);
    close(d->err_fd);
    d->socket_left = access(d->path, F_OK) == 0;
    char log[128];
    snprintf(log, sizeof log, "%s/stderr.log", d->dir);
    unlink(log);
    unlink(d->path);
    rmdir(d->dir);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

long daemon_rss_kib(const daemon_proc *d)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)d->pid);
    FILE *f = fopen(path, "r");
    long kib = -1;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
            break;
    if (f)
        fclose(f);
    return kib;
}

int conn_open(conn_t *c, const char *path)
{
    memset(c, 0, sizeof *c);
    c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    strncpy(addr.sun_path, path, sizeof addr.sun_path - 1);
    if (connect(c->fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        close(c->fd);
        c->fd = -1;
        return -1;
    }
    return 0;
}

void conn_close(conn_t *c)
{
    if (c->fd >= 0)
        close(c->fd);
    free(c->buf);
    memset(c, 0, sizeof *c);
    c->fd = -1;
}

void conn_send(conn_t *c, const char *data, size_t n)
{
    while (n) {
        ssize_t w = send(c->fd, data, n, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return; /* the test sees the missing answers */
        }
        data += w;
        n -= (size_t)w;
    }
}

void conn_sendf(conn_t *c, const char *fmt, ...)
{
    char *s;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n >= 0) {
        conn_send(c, s, (size_t)n);
        free(s);
    }
}

char *conn_line(conn_t *c)
{
    for (;;) {
        char *nl = c->len > c->start ? memchr(c->buf + c->start, '\n', c->len - c->start) : NULL;
        if (nl) {
            *nl = '\0';
            char *line = c->buf + c->start;
            c->start = (size_t)(nl - c->buf) + 1;
            return line;
        }
        if (c->start > 0) {
            memmove(c->buf, c->buf + c->start, c->len - c->start);
            c->len -= c->start;
            c->start = 0;
        }
        if (c->cap - c->len < 65536) {
            c->cap = c->cap ? c->cap * 2 : 1 << 20;
            c->buf = realloc(c->buf, c->cap);
        }
        ssize_t r = recv(c->fd, c->buf + c->len, c->cap - c->len, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return NULL;
        c->len += (size_t)r;
    }
}

char *ask(const char *path, const char *request)
{
    conn_t c;
    if (conn_open(&c, path) != 0)
        return NULL;
    conn_send(&c, request, strlen(request));
    conn_send(&c, "\n", 1);
    char *line = conn_line(&c);
    char *copy = line ? strdup(line) : NULL;
    conn_close(&c);
    return copy;
}
