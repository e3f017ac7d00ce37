/*
 * input.h — gathering the input columns a command was given: every --col
 * list, then the CSV file's columns (--csv FILE, or - for stdin).
 */
#ifndef JC_CLIENTS_INPUT_H
#define JC_CLIENTS_INPUT_H

#include "clients/args.h"
#include "clients/columns.h"

/* Fills cs (initialised by the call). Returns CLI_OK, or CLI_USAGE after
 * printing the reason to stderr. */
int input_columns(const cli_args *a, incols *cs);

/* Checks that a text the user gave (an expression) is UTF-8: JSON cannot
 * carry anything else. Returns CLI_OK or CLI_USAGE after printing. */
int input_check_text(const char *what, const char *text);

#endif /* JC_CLIENTS_INPUT_H */
