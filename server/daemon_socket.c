/*
 * daemon_socket.c — the listening Unix socket: never steal a live one,
 * replace a stale one, create it with exactly the requested mode.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "server/daemon.h"

static int fill_addr(struct sockaddr_un *addr, const char *path)
{
    memset(addr, 0, sizeof *addr);
    addr->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof addr->sun_path)
        return -1;
    strcpy(addr->sun_path, path);
    return 0;
}

/* 1 when something accepts connections at path. */
static int is_live(const struct sockaddr_un *addr)
{
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    int live = connect(fd, (const struct sockaddr *)addr, sizeof *addr) == 0 ||
               errno == EAGAIN; /* a full backlog is still a live listener */
    close(fd);
    return live;
}

int socket_listen(const char *path, unsigned mode, ino_t *ino, char *why, size_t why_len)
{
    struct sockaddr_un addr;
    if (fill_addr(&addr, path) != 0) {
        snprintf(why, why_len, "socket path '%s' is longer than %zu bytes", path,
                 sizeof addr.sun_path - 1);
        return -1;
    }
    struct stat st;
    if (lstat(path, &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) {
            snprintf(why, why_len, "'%s' exists and is not a socket; not touching it", path);
            return -1;
        }
        if (is_live(&addr)) {
            snprintf(why, why_len,
                     "another server is listening on '%s' (stop it, or use --socket)", path);
            return -1;
        }
        /* stale: nothing listens, the file is left from a crash */
        if (unlink(path) != 0 && errno != ENOENT) {
            snprintf(why, why_len, "cannot remove stale socket '%s': %s", path, strerror(errno));
            return -1;
        }
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        snprintf(why, why_len, "socket: %s", strerror(errno));
        return -1;
    }
    /* Bind under a umask that leaves no other bits, so the file is never
     * more open than asked, not even between bind and chmod. */
    mode_t old = umask(0777 & ~(mode_t)mode);
    int rc = bind(fd, (const struct sockaddr *)&addr, sizeof addr);
    int err = errno;
    umask(old);
    if (rc != 0) {
        snprintf(why, why_len, "cannot bind '%s': %s", path, strerror(err));
        close(fd);
        return -1;
    }
    if (chmod(path, (mode_t)mode) != 0 || listen(fd, SOMAXCONN) != 0 || stat(path, &st) != 0) {
        snprintf(why, why_len, "cannot set up '%s': %s", path, strerror(errno));
        unlink(path);
        close(fd);
        return -1;
    }
    *ino = st.st_ino;
    return fd;
}

void socket_remove(const char *path, ino_t ino)
{
    struct stat st;
    /* another daemon may have replaced a file we thought stale: only ours
     * is removed */
    if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode) && st.st_ino == ino)
        unlink(path);
}
