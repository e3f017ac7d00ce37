/*
 * main.c — the jitcalc command-line client: picks the command, parses its
 * options, and runs it. Each command lives in its own file (eval.c,
 * send.c, admin.c, repl.c); docs/cli.md is the reference.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "clients/cli.h"
#include "clients/help.h"
#include "jitcalc.h"

#define BACKEND (OPT_SOCKET | OPT_LOCAL)

typedef struct command {
    const char *name;
    unsigned options;
    size_t max_operands;
    int (*run)(const cli_args *a);
} command;

static const command commands[] = {
    {"eval", OPT_COL | OPT_CSV | OPT_WHERE | OPT_TABLE | OPT_FORMAT |
                 OPT_WITH_INPUT | BACKEND, 1, cmd_eval},
    {"send", BACKEND, 0, cmd_send},
    {"load", OPT_CSV | OPT_COL | OPT_FORMAT | BACKEND, 1, cmd_load},
    {"drop", OPT_FORMAT | BACKEND, 1, cmd_drop},
    {"tables", OPT_FORMAT | BACKEND, 0, cmd_tables},
    {"stats", OPT_FORMAT | BACKEND, 0, cmd_stats},
    {"ping", OPT_FORMAT | BACKEND, 0, cmd_ping},
    {"repl", BACKEND, 0, cmd_repl},
};

int cli_usage_error(const char *command, const char *fmt, ...)
{
    va_list ap;
    fputs("jitcalc: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (command)
        fprintf(stderr, "\nTry 'jitcalc %s --help'.\n", command);
    else
        fputs("\nTry 'jitcalc --help'.\n", stderr);
    return CLI_USAGE;
}

static const command *find_command(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static void print_version(void)
{
    printf("jitcalc %s (libjitcalc %s)\n", JITCALC_VERSION, jc_version());
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_error(NULL, "a command is missing");
    const char *name = argv[1];
    if (!strcmp(name, "--help") || !strcmp(name, "-h") || !strcmp(name, "help")) {
        const char *text = argc > 2 ? help_command(argv[2]) : NULL;
        if (argc > 2 && !text)
            return cli_usage_error(NULL, "no command '%s'", argv[2]);
        fputs(text ? text : help_overview(), stdout);
        return CLI_OK;
    }
    if (!strcmp(name, "--version") || !strcmp(name, "version")) {
        print_version();
        return CLI_OK;
    }
    const command *cmd = find_command(name);
    if (!cmd)
        return cli_usage_error(NULL, "no command '%s'", name);
    cli_args a;
    char msg[CLI_MSG_SIZE];
    if (args_parse(&a, cmd->name, cmd->options, cmd->max_operands, argc - 2,
                   argv + 2, msg, sizeof msg) < 0) {
        args_free(&a);
        return cli_usage_error(cmd->name, "%s", msg);
    }
    int status;
    if (a.help) {
        fputs(help_command(cmd->name), stdout);
        status = CLI_OK;
    } else
        status = cmd->run(&a);
    args_free(&a);
    if (fflush(stdout) != 0 && status == CLI_OK) {
        perror("jitcalc: writing the output");
        status = CLI_ERROR;
    }
    return status;
}
