/* send.c — the `send` command: NDJSON requests from stdin, one answer line
 * per request on stdout, in order, pipelined (the scripting interface). */
#include <stdio.h>
#include <unistd.h>

#include "clients/cli.h"
#include "clients/client.h"
#include "clients/response.h"

typedef struct send_state {
    int any_error; /* some answer had "ok": false */
} send_state;

static int write_answer(void *ctx, const char *line, size_t len)
{
    send_state *s = ctx;
    jspan whole = {line, len}, ok;
    if (jscan_member(whole, "ok", &ok) == 1 && jspan_is(ok, "false"))
        s->any_error = 1;
    fwrite(line, 1, len, stdout);
    fputc('\n', stdout);
    return ferror(stdout) ? -1 : 0;
}

/* Answers reach a waiting co-process before the exchange blocks. */
static void flush_answers(void *ctx)
{
    (void)ctx;
    fflush(stdout);
}

int cmd_send(const cli_args *a)
{
    client c;
    int status = client_open(&c, a->socket, a->local);
    send_state s = {0};
    if (status == CLI_OK)
        status = client_stream(&c, STDIN_FILENO, write_answer, flush_answers, &s);
    client_close(&c);
    if (fflush(stdout) != 0 && status == CLI_OK) {
        perror("jitcalc: writing answers");
        status = CLI_ERROR;
    }
    if (status == CLI_OK && s.any_error)
        status = CLI_ERROR;
    return status;
}
