/* lineedit.c — libedit or plain stdin (see lineedit.h). */
#include "clients/lineedit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef JC_HAVE_LIBEDIT
#include <editline/readline.h>
#endif

#define HISTORY_LINES 1000

struct lineedit {
    int interactive; /* stdin is a terminal */
    int edit;        /* libedit in use */
    char *history;   /* the history file, or NULL */
};

lineedit *lineedit_open(void)
{
    lineedit *le = calloc(1, sizeof *le);
    if (!le)
        return NULL;
    le->interactive = isatty(STDIN_FILENO);
#ifdef JC_HAVE_LIBEDIT
    if (le->interactive) {
        le->edit = 1;
        rl_readline_name = "jitcalc";
        using_history();
        stifle_history(HISTORY_LINES);
        const char *home = getenv("HOME");
        if (home && *home) {
            size_t n = strlen(home) + sizeof "/.jitcalc_history";
            le->history = malloc(n);
            if (le->history) {
                snprintf(le->history, n, "%s/.jitcalc_history", home);
                read_history(le->history); /* a missing file is fine */
            }
        }
    }
#endif
    return le;
}

int lineedit_interactive(const lineedit *le) { return le->interactive; }

/* getline without its newline (and without a CR before it). */
static char *read_plain(lineedit *le, const char *prompt)
{
    if (le->interactive) {
        fputs(prompt, stdout);
        fflush(stdout);
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, stdin);
    if (n < 0) {
        free(line);
        return NULL;
    }
    if (n > 0 && line[n - 1] == '\n')
        line[--n] = '\0';
    if (n > 0 && line[n - 1] == '\r')
        line[--n] = '\0';
    return line;
}

char *lineedit_read(lineedit *le, const char *prompt)
{
#ifdef JC_HAVE_LIBEDIT
    if (le->edit)
        return readline(prompt);
#endif
    return read_plain(le, prompt);
}

void lineedit_remember(lineedit *le, const char *line)
{
#ifdef JC_HAVE_LIBEDIT
    if (le->edit && *line)
        add_history(line);
#else
    (void)le;
    (void)line;
#endif
}

void lineedit_close(lineedit *le)
{
    if (!le)
        return;
#ifdef JC_HAVE_LIBEDIT
    if (le->edit && le->history)
        write_history(le->history);
#endif
    free(le->history);
    free(le);
}
