/* daemon_options.c — jitcalcd's command line and its logging. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "jitcalc.h"
#include "server/daemon.h"

#define MIB ((size_t)1024 * 1024)

static const char usage_text[] =
    "Usage: jitcalcd [OPTION]...\n"
    "Serve jitcalc's JSON protocol (docs/protocol.md) on a Unix socket, in the\n"
    "foreground, logging to stderr. Ready when it answers {\"op\":\"ping\"}.\n"
    "\n"
    "  --socket PATH           socket path (default: $JITCALC_SOCKET, else\n"
    "                          $XDG_RUNTIME_DIR/jitcalc.sock, else\n"
    "                          /tmp/jitcalc-<uid>.sock)\n"
    "  --socket-mode MODE      permissions of the socket file, octal (0600)\n"
    "  --cache-entries N       compiled expressions kept (1024; 0 = no cache)\n"
    "  --cache-bytes N         machine code kept, bytes (64M)\n"
    "  --threads N             worker threads for evaluation (number of cores)\n"
    "  --io-threads N          event loops serving connections (half the\n"
    "                          cores, at most 4)\n"
    "  --no-jit                interpreter only\n"
    "  --max-request-bytes N   longest request line (64M)\n"
    "  --max-connections N     open connections at once (1024)\n"
    "  --max-table-bytes N     all stored tables together (1G)\n"
    "  --idle-timeout S        close a connection idle for S seconds (300; 0 = never)\n"
    "  --log-level LEVEL       error, warn, info or debug (info)\n"
    "  --allow-root            run even as root (refused otherwise)\n"
    "  --help, --version\n"
    "Sizes take a K, M or G suffix (powers of 1024). SIGINT or SIGTERM stops\n"
    "it: requests already read are answered, the socket file is removed, and\n"
    "it exits 0. See docs/daemon.md.\n";

/* A count or size: digits with an optional K/M/G suffix. */
static int parse_size(const char *s, size_t max, size_t *out)
{
    if (!*s || *s == '-')
        return -1;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s)
        return -1;
    unsigned shift = 0;
    if (*end == 'K' || *end == 'k')
        shift = 10;
    else if (*end == 'M' || *end == 'm')
        shift = 20;
    else if (*end == 'G' || *end == 'g')
        shift = 30;
    if (shift)
        end++;
    if (*end || (shift && v > (max >> shift)) || (v << shift) > max)
        return -1;
    *out = (size_t)(v << shift);
    return 0;
}

static const char *default_socket(void)
{
    static char path[4096];
    const char *env = getenv("JITCALC_SOCKET");
    if (env && *env)
        return env;
    const char *xdg = getenv("XDG_RUNTIME_DIR");
    if (xdg && *xdg) {
        snprintf(path, sizeof path, "%s/jitcalc.sock", xdg);
        return path;
    }
    snprintf(path, sizeof path, "/tmp/jitcalc-%u.sock", (unsigned)getuid());
    return path;
}

int options_parse(daemon_opts *o, int argc, char **argv)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    *o = (daemon_opts){
        .socket_path = NULL,
        .socket_mode = 0600,
        .cache_entries = JC_DEFAULT_CACHE_ENTRIES,
        .cache_bytes = JC_DEFAULT_CACHE_BYTES,
        .threads = cores > 0 ? (unsigned)cores : 1,
        /* half the cores, at most 4: the clients and the workers want the
         * rest, and on two cores a second loop bought nothing (docs) */
        .io_threads = cores >= 8 ? 4 : cores >= 2 ? (unsigned)cores / 2 : 1,
        .max_request_bytes = 64 * MIB,
        .max_connections = 1024,
        .max_table_bytes = 1024 * MIB,
        .idle_timeout = 300,
        .log_level = LOG_INFO,
    };
    enum {
        O_SOCKET = 256, O_MODE, O_CENTRIES, O_CBYTES, O_THREADS, O_IOTHREADS, O_NOJIT, O_MAXREQ,
        O_MAXCONN, O_MAXTABLE, O_IDLE, O_LOG, O_ROOT, O_HELP, O_VERSION
    };
    static const struct option longopts[] = {
        {"socket", required_argument, NULL, O_SOCKET},
        {"socket-mode", required_argument, NULL, O_MODE},
        {"cache-entries", required_argument, NULL, O_CENTRIES},
        {"cache-bytes", required_argument, NULL, O_CBYTES},
        {"threads", required_argument, NULL, O_THREADS},
        {"io-threads", required_argument, NULL, O_IOTHREADS},
        {"no-jit", no_argument, NULL, O_NOJIT},
        {"max-request-bytes", required_argument, NULL, O_MAXREQ},
        {"max-connections", required_argument, NULL, O_MAXCONN},
        {"max-table-bytes", required_argument, NULL, O_MAXTABLE},
        {"idle-timeout", required_argument, NULL, O_IDLE},
        {"log-level", required_argument, NULL, O_LOG},
        {"allow-root", no_argument, NULL, O_ROOT},
        {"help", no_argument, NULL, O_HELP},
        {"version", no_argument, NULL, O_VERSION},
        {NULL, 0, NULL, 0}};
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        size_t v;
        switch (c) {
        case O_SOCKET:
            o->socket_path = optarg;
            break;
        case O_MODE: {
            char *end;
            errno = 0;
            unsigned long m = strtoul(optarg, &end, 8);
            if (errno || !*optarg || *end || m > 0777) {
                fprintf(stderr, "jitcalcd: --socket-mode wants octal permissions such as 0600, "
                                "not '%s'\n", optarg);
                return -1;
            }
            o->socket_mode = (unsigned)m;
            break;
        }
        case O_CENTRIES:
        case O_CBYTES:
        case O_THREADS:
        case O_IOTHREADS:
        case O_MAXREQ:
        case O_MAXCONN:
        case O_MAXTABLE:
        case O_IDLE: {
            size_t max = c == O_THREADS ? 1024 : c == O_IOTHREADS ? DAEMON_MAX_IO_THREADS
                         : c == O_IDLE ? 86400u * 365 : SIZE_MAX / 2;
            if (parse_size(optarg, max, &v) != 0 ||
                (v == 0 && (c == O_THREADS || c == O_IOTHREADS || c == O_MAXREQ ||
                            c == O_MAXCONN))) {
                fprintf(stderr, "jitcalcd: --%s: '%s' is not a valid value\n",
                        longopts[c - O_SOCKET].name, optarg);
                return -1;
            }
            if (c == O_CENTRIES)
                o->cache_entries = v;
            else if (c == O_CBYTES)
                o->cache_bytes = v;
            else if (c == O_THREADS)
                o->threads = (unsigned)v;
            else if (c == O_IOTHREADS)
                o->io_threads = (unsigned)v;
            else if (c == O_MAXREQ)
                o->max_request_bytes = v;
            else if (c == O_MAXCONN)
                o->max_connections = v;
            else if (c == O_MAXTABLE)
                o->max_table_bytes = v;
            else
                o->idle_timeout = (unsigned)v;
            break;
        }
        case O_NOJIT:
            o->no_jit = 1;
            break;
        case O_LOG: {
            static const char *names[] = {"error", "warn", "info", "debug"};
            int found = -1;
            for (int i = 0; i < 4; i++)
                if (strcmp(optarg, names[i]) == 0)
                    found = i;
            if (found < 0) {
                fprintf(stderr, "jitcalcd: --log-level is error, warn, info or debug, not '%s'\n",
                        optarg);
                return -1;
            }
            o->log_level = (enum log_level)found;
            break;
        }
        case O_ROOT:
            o->allow_root = 1;
            break;
        case O_HELP:
            fputs(usage_text, stdout);
            return 1;
        case O_VERSION:
            printf("jitcalcd %s (libjitcalc %s, libuv %s, jansson %s)\n", JITCALC_VERSION,
                   jc_version(), uv_version_string(), JANSSON_VERSION);
            return 1;
        default:
            if (optopt >= O_SOCKET)
                fprintf(stderr, "jitcalcd: --%s needs a value\n", longopts[optopt - O_SOCKET].name);
            else
                fprintf(stderr, "jitcalcd: unknown option '%s'\n", argv[optind - 1]);
            fprintf(stderr, "Try 'jitcalcd --help'.\n");
            return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "jitcalcd: unexpected argument '%s'\nTry 'jitcalcd --help'.\n",
                argv[optind]);
        return -1;
    }
    if (!o->socket_path)
        o->socket_path = default_socket();
    return 0;
}

/* ---- logging ---- */

static enum log_level current_level = LOG_INFO;

void log_set_level(enum log_level level) { current_level = level; }

void log_msg(enum log_level level, const char *fmt, ...)
{
    static const char *names[] = {"error", "warn", "info", "debug"};
    if (level > current_level)
        return;
    char line[1024];
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    int n = snprintf(line, sizeof line, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ jitcalcd[%d] %s: ",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                     tm.tm_sec, ts.tv_nsec / 1000000, (int)getpid(), names[level]);
    va_list ap;
    va_start(ap, fmt);
    if (n > 0 && (size_t)n < sizeof line)
        vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
    va_end(ap);
    /* one write per line, so lines from threads never interleave */
    size_t len = strlen(line);
    if (len < sizeof line - 1)
        line[len++] = '\n';
    else
        line[sizeof line - 2] = '\n', len = sizeof line - 1;
    ssize_t w = write(STDERR_FILENO, line, len);
    (void)w;
}
