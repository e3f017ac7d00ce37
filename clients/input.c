/* input.c — input columns from --col and --csv (see input.h). */
#include "clients/input.h"

#include <stdio.h>
#include <string.h>

#include "clients/cli.h"
#include "clients/csv.h"
#include "clients/text.h"

int input_columns(const cli_args *a, incols *cs)
{
    char msg[CLI_MSG_SIZE];
    incols_init(cs);
    for (size_t i = 0; i < a->ncols; i++) {
        if (incols_add_list(cs, a->cols[i], msg, sizeof msg) < 0)
            goto fail;
    }
    if (a->csv) {
        incols file;
        incols_init(&file);
        if (csv_read_file(a->csv, &file, msg, sizeof msg) < 0)
            goto fail;
        if (incols_merge(cs, &file, msg, sizeof msg) < 0) {
            incols_free(&file);
            goto fail;
        }
    }
    if (incols_finish(cs, msg, sizeof msg) < 0)
        goto fail;
    return CLI_OK;
fail:
    fprintf(stderr, "jitcalc: %s\n", msg);
    incols_free(cs);
    return CLI_USAGE;
}

int input_check_text(const char *what, const char *text)
{
    if (utf8_valid(text, strlen(text)))
        return CLI_OK;
    fprintf(stderr, "jitcalc: the %s is not valid UTF-8\n", what);
    return CLI_USAGE;
}
