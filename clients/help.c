/* help.c — help texts (see help.h); docs/cli.md says the same at length. */
#include "clients/help.h"

#include <string.h>

#define WHERE_OPTIONS                                                           \
    "  --socket PATH          the daemon's socket (default: $JITCALC_SOCKET, else\n" \
    "                         $XDG_RUNTIME_DIR/jitcalc.sock, else\n"             \
    "                         /tmp/jitcalc-<uid>.sock)\n"                        \
    "  --local                answer in this process, without a daemon\n"

#define EXIT_STATUS                                                             \
    "Exit status: 0 ok, 1 answered with an error, 2 usage or input error,\n"    \
    "3 daemon unreachable.\n"

static const char overview[] =
    "Usage: jitcalc COMMAND [options]\n"
    "\n"
    "Evaluates expressions over columns of numbers, through the jitcalcd daemon\n"
    "or in-process (--local).\n"
    "\n"
    "Commands:\n"
    "  eval EXPR      evaluate one expression over --col/--csv columns or a table\n"
    "  send           NDJSON requests on stdin, one answer line each on stdout\n"
    "  load NAME      store a table in the daemon (--csv FILE)\n"
    "  drop NAME      forget a stored table\n"
    "  tables         list the stored tables\n"
    "  stats          the daemon's counters (cache, requests, JIT)\n"
    "  ping           check that the daemon answers\n"
    "  repl           an interactive prompt\n"
    "\n"
    "  jitcalc COMMAND --help   shows a command's options\n"
    "  jitcalc --version        shows the version\n"
    "\n"
    "Example:\n"
    "  jitcalc eval 'a * b + 1' --col a=1,2,3 --col b=4,5,6 --local\n"
    "\n" EXIT_STATUS;

static const char eval_help[] =
    "Usage: jitcalc eval EXPR [options]\n"
    "       jitcalc eval --where EXPR [options]   (a filter: the selected rows)\n"
    "\n"
    "Evaluates one expression and prints the result: a column one value per\n"
    "line, a scalar as one value.\n"
    "\n"
    "Columns:\n"
    "  --col NAME=V1,V2,...   a column from a list of values (repeatable)\n"
    "  --csv FILE             the columns of a CSV file with a header row\n"
    "                         (- reads stdin)\n"
    "  --table NAME           a table stored with 'jitcalc load'\n"
    "Types are inferred per column: integers only -> i64; any decimal, exponent,\n"
    "NaN or Infinity -> f64; true/false -> bool. An empty cell is an error.\n"
    "\n"
    "Rows:\n"
    "  --where EXPR           only the rows where EXPR is true; aggregates reduce\n"
    "                         those rows\n"
    "Output:\n"
    "  --format lines|csv|json  lines (default): values one per line; csv: a\n"
    "                         header and the values; json: the answer as is\n"
    "  --with-input           the input columns beside the result (CSV)\n"
    "Where to evaluate:\n" WHERE_OPTIONS
    "\n"
    "Examples:\n"
    "  jitcalc eval 'a * b + 1' --col a=1,2,3 --col b=4,5,6\n"
    "  jitcalc eval 'sum(price * qty)' --csv sales.csv\n"
    "  jitcalc eval 'price * qty' --csv sales.csv --where 'qty > 3' --with-input\n"
    "\n" EXIT_STATUS;

static const char send_help[] =
    "Usage: jitcalc send [--socket PATH | --local]\n"
    "\n"
    "Reads protocol requests (one JSON object per line, see docs/protocol.md)\n"
    "from stdin and writes one answer line per request to stdout, in request\n"
    "order. Requests are pipelined: they are sent without waiting for earlier\n"
    "answers. Blank lines get no answer. With --local the same requests are\n"
    "answered in-process, with the same bytes.\n"
    "\n" WHERE_OPTIONS
    "\n"
    "Example:\n"
    "  echo '{\"id\":1,\"expr\":\"a+1\",\"columns\":{\"a\":[1,2]}}' | jitcalc send\n"
    "\n"
    "Exit status: 0 every answer ok, 1 some answer was an error, 2 usage error,\n"
    "3 daemon unreachable (or gone before answering everything).\n";

static const char load_help[] =
    "Usage: jitcalc load NAME --csv FILE [--col NAME=V1,...] [options]\n"
    "\n"
    "Stores columns in the daemon as table NAME (replacing a table of that\n"
    "name), for 'jitcalc eval --table NAME' from any connection.\n"
    "\n"
    "  --csv FILE             the columns of a CSV file (- reads stdin)\n"
    "  --col NAME=V1,V2,...   more columns (repeatable)\n"
    "  --format lines|json\n" WHERE_OPTIONS "\n" EXIT_STATUS;

static const char drop_help[] =
    "Usage: jitcalc drop NAME [options]\n"
    "\n"
    "Forgets the stored table NAME.\n"
    "\n"
    "  --format lines|json\n" WHERE_OPTIONS "\n" EXIT_STATUS;

static const char tables_help[] =
    "Usage: jitcalc tables [options]\n"
    "\n"
    "Lists the stored tables: name, rows, bytes.\n"
    "\n"
    "  --format lines|csv|json\n" WHERE_OPTIONS "\n" EXIT_STATUS;

static const char stats_help[] =
    "Usage: jitcalc stats [options]\n"
    "\n"
    "Prints the daemon's counters, one 'name: value' per line: cache entries,\n"
    "code bytes, hits, misses, evictions, requests, errors, connections,\n"
    "uptime, and whether the JIT is on with which instruction set.\n"
    "\n"
    "  --format lines|csv|json\n" WHERE_OPTIONS "\n" EXIT_STATUS;

static const char ping_help[] =
    "Usage: jitcalc ping [options]\n"
    "\n"
    "Checks that the daemon answers; prints ok.\n"
    "\n"
    "  --format lines|json\n" WHERE_OPTIONS "\n" EXIT_STATUS;

static const char repl_help[] =
    "Usage: jitcalc repl [--socket PATH | --local]\n"
    "\n"
    "An interactive prompt: each line is an expression, evaluated over the\n"
    "columns loaded with :load FILE.csv (or :col NAME=V1,V2,...). Line editing\n"
    "and history (~/.jitcalc_history) when stdin is a terminal. :help lists\n"
    "the other commands (:where, :table, :format, :rows, :columns, :quit).\n"
    "\n" WHERE_OPTIONS
    "\n"
    "Exit status: 0 at the end of input or :quit, 3 daemon unreachable at the\n"
    "start. Errors on a line are printed and the prompt goes on.\n";

static const struct {
    const char *command;
    const char *text;
} texts[] = {
    {"eval", eval_help},   {"send", send_help},     {"load", load_help},
    {"drop", drop_help},   {"tables", tables_help}, {"stats", stats_help},
    {"ping", ping_help},   {"repl", repl_help},
};

const char *help_command(const char *command)
{
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if (strcmp(texts[i].command, command) == 0)
            return texts[i].text;
    return NULL;
}

const char *help_overview(void) { return overview; }
