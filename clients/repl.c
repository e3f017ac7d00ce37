/* repl.c — the `repl` command: an expression per line, evaluated over the
 * columns loaded with :load / :col (sent with every request) or a stored
 * table, with :commands to change the session. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/cli.h"
#include "clients/client.h"
#include "clients/csv.h"
#include "clients/eval.h"
#include "clients/input.h"
#include "clients/lineedit.h"

#define DEFAULT_ROWS 20

typedef struct session {
    client c;
    incols input;
    char *table;
    char *where;
    out_format format;
    size_t max_rows;
} session;

static const char repl_help[] =
    "Type an expression to evaluate it. Commands:\n"
    "  :load FILE.csv      use the columns of a CSV file (replaces the loaded ones)\n"
    "  :col NAME=V1,V2,... add a column (replaces one of that name)\n"
    "  :columns            list the loaded columns\n"
    "  :clear              forget the loaded columns\n"
    "  :table [NAME]       evaluate over a stored table (no NAME: stop)\n"
    "  :where [EXPR]       keep only the rows where EXPR is true (no EXPR: all)\n"
    "  :format lines|csv|json\n"
    "  :rows N             show at most N rows of a column (0: all; default 20)\n"
    "  :help               this text\n"
    "  :quit               leave (so does end of input, Ctrl-D)\n";

/* s without surrounding blanks, and without one pair of quotes around it. */
static char *trim(char *s, int unquote)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    if (unquote && n >= 2 && s[0] == '"' && s[n - 1] == '"') {
        s[n - 1] = '\0';
        s++;
    }
    return s;
}

static void set_text(char **slot, const char *value)
{
    free(*slot);
    *slot = value && *value ? strdup(value) : NULL;
}

static void list_columns(const session *s)
{
    if (s->input.count == 0)
        puts("no columns loaded (:load FILE.csv or :col NAME=V1,V2,...)");
    for (size_t i = 0; i < s->input.count; i++)
        printf("%s  %s  %zu rows\n", s->input.cols[i].name,
               s->input.cols[i].text_why ? "text"
                                         : jc_type_name(in_column_type(&s->input.cols[i])),
               s->input.cols[i].rows);
}

static void load_csv(session *s, const char *path)
{
    incols file;
    char msg[CLI_MSG_SIZE];
    incols_init(&file);
    if (csv_read_file(path, &file, msg, sizeof msg) < 0) {
        fprintf(stderr, "%s\n", msg);
        return;
    }
    incols_free(&s->input);
    s->input = file;
    size_t rows = file.count ? file.cols[0].rows : 0;
    printf("loaded %zu column%s, %zu row%s from %s\n", file.count,
           file.count == 1 ? "" : "s", rows, rows == 1 ? "" : "s", path);
}

static void add_column(session *s, const char *arg)
{
    char msg[CLI_MSG_SIZE];
    const char *eq = strchr(arg, '=');
    if (eq) {
        /* A column of the same name is replaced. */
        incols added;
        incols_init(&added);
        if (incols_add_list(&added, arg, msg, sizeof msg) < 0 ||
            incols_finish(&added, msg, sizeof msg) < 0) {
            fprintf(stderr, "%s\n", msg);
            incols_free(&added);
            return;
        }
        long old = incols_find(&s->input, added.cols[0].name);
        if (old >= 0) {
            in_column *c = &s->input.cols[old];
            in_column_free(c);
            *c = added.cols[0];
            added.count = 0;
            incols_free(&added);
            return;
        }
        if (incols_merge(&s->input, &added, msg, sizeof msg) < 0) {
            fprintf(stderr, "%s\n", msg);
            incols_free(&added);
        }
        return;
    }
    fprintf(stderr, ":col wants NAME=V1,V2,...\n");
}

/* Runs one :command; returns 1 to leave the repl. */
static int command(session *s, char *line)
{
    char *name = line + 1;
    char *arg = name;
    while (*arg && !isspace((unsigned char)*arg))
        arg++;
    if (*arg)
        *arg++ = '\0';
    arg = trim(arg, 0);
    if (!strcmp(name, "q") || !strcmp(name, "quit") || !strcmp(name, "exit"))
        return 1;
    if (!strcmp(name, "help"))
        fputs(repl_help, stdout);
    else if (!strcmp(name, "load") && *arg)
        load_csv(s, trim(arg, 1));
    else if (!strcmp(name, "col") && *arg)
        add_column(s, arg);
    else if (!strcmp(name, "columns"))
        list_columns(s);
    else if (!strcmp(name, "clear")) {
        incols_free(&s->input);
        incols_init(&s->input);
    } else if (!strcmp(name, "table"))
        set_text(&s->table, arg);
    else if (!strcmp(name, "where"))
        set_text(&s->where, arg);
    else if (!strcmp(name, "format") && format_parse(arg, &s->format) == 0)
        ;
    else if (!strcmp(name, "rows") && *arg && strspn(arg, "0123456789") == strlen(arg))
        s->max_rows = (size_t)strtoull(arg, NULL, 10);
    else
        fprintf(stderr, "unknown or incomplete command :%s (:help lists them)\n", name);
    return 0;
}

static void evaluate(session *s, const char *expr)
{
    if (input_check_text("expression", expr) != CLI_OK)
        return;
    eval_spec spec = {.expr = expr, .where = s->where, .table = s->table,
                      .input = &s->input, .format = s->format,
                      .max_rows = s->format == FORMAT_LINES ? s->max_rows : 0,
                      .error_prefix = ""};
    eval_run(&s->c, &spec, stdout);
}

int cmd_repl(const cli_args *a)
{
    session s;
    memset(&s, 0, sizeof s);
    incols_init(&s.input);
    s.max_rows = DEFAULT_ROWS;
    int status = client_open(&s.c, a->socket, a->local);
    if (status != CLI_OK)
        return status;
    lineedit *le = lineedit_open();
    if (!le) {
        client_close(&s.c);
        fprintf(stderr, "jitcalc: out of memory\n");
        return CLI_ERROR;
    }
    if (lineedit_interactive(le))
        printf("jitcalc %s (%s). :help for commands, Ctrl-D to leave.\n",
               JITCALC_VERSION, s.c.local ? "in-process" : s.c.path);
    char *raw;
    int left = 0;
    while ((raw = lineedit_read(le, "jitcalc> ")) != NULL) {
        char *line = trim(raw, 0);
        int leave = 0;
        if (*line) {
            lineedit_remember(le, line);
            if (line[0] == ':')
                leave = command(&s, line);
            else
                evaluate(&s, line);
        }
        fflush(stdout);
        free(raw);
        if (leave) {
            left = 1;
            break;
        }
    }
    if (!left && lineedit_interactive(le))
        putchar('\n'); /* Ctrl-D: end the prompt's line */
    lineedit_close(le);
    client_close(&s.c);
    incols_free(&s.input);
    free(s.table);
    free(s.where);
    return CLI_OK;
}
