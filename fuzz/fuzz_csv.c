/*
 * fuzz_csv.c — libFuzzer harness for the CLI's CSV reader (clients/csv.h)
 * and its `--col NAME=V1,V2` reader (clients/columns.h).
 *
 * A failure must come with a message and leave the columns untouched. A
 * success must give at least one column, all of the same length, each
 * with a non-empty, distinct name, and either a final type (bool values
 * 0 or 1) or, for a column with a cell that is no value, text cells.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *why, const uint8_t *data, size_t size)
{
    fprintf(stderr, "fuzz_csv: %s\n  input (%zu bytes): %.*s\n", why, size,
            (int)(size > 2000 ? 2000 : size), (const char *)data);
    abort();
}

static void check_columns(const incols *cs, int want_header, const uint8_t *data,
                          size_t size)
{
    if (want_header && cs->count == 0)
        fail("a CSV file was read without columns", data, size);
    for (size_t i = 0; i < cs->count; i++) {
        const in_column *c = &cs->cols[i];
        if (!c->name || !c->name[0])
            fail("a column without a name", data, size);
        if (c->rows != cs->cols[0].rows)
            fail("columns of different lengths", data, size);
        for (size_t j = 0; j < i; j++)
            if (strcmp(c->name, cs->cols[j].name) == 0)
                fail("two columns with the same name", data, size);
        if (c->text_why) { /* a text column keeps its cells as text */
            for (size_t r = 0; r < c->rows; r++)
                if (!((char *const *)c->values)[r])
                    fail("a text column with a missing cell", data, size);
            continue;
        }
        if (!c->finished || (c->kind != CELL_INT && c->kind != CELL_REAL &&
                             c->kind != CELL_BOOL))
            fail("a column without a final type", data, size);
        if (c->kind == CELL_BOOL)
            for (size_t r = 0; r < c->rows; r++)
                if (((const uint8_t *)c->values)[r] > 1)
                    fail("a bool cell that is not 0 or 1", data, size);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    incols cs;
    incols_init(&cs);
    char msg[512];
    msg[0] = '\0';
    if (csv_parse((const char *)data, size, "fuzz.csv", &cs, msg, sizeof msg) != 0) {
        if (!msg[0])
            fail("csv_parse failed without a message", data, size);
        if (cs.count != 0 || cs.cols != NULL)
            fail("csv_parse failed but left columns behind", data, size);
    } else {
        check_columns(&cs, 1, data, size);
    }
    incols_free(&cs);

    /* The same bytes as one --col argument (a C string: up to a NUL). */
    char *arg = malloc(size + 1);
    if (!arg)
        return 0;
    memcpy(arg, data, size);
    arg[size] = '\0';
    incols_init(&cs);
    msg[0] = '\0';
    if (incols_add_list(&cs, arg, msg, sizeof msg) != 0) {
        if (!msg[0])
            fail("incols_add_list failed without a message", data, size);
    } else {
        if (incols_finish(&cs, msg, sizeof msg) != 0)
            fail("incols_finish failed", data, size);
        check_columns(&cs, 0, data, size);
    }
    incols_free(&cs);
    free(arg);
    return 0;
}
