/*
 * csv.h — an RFC 4180 reader that turns CSV text into typed input columns.
 *
 * Takes: the whole text of a file (comma-separated; fields optionally in
 * double quotes, where "" stands for one quote and commas and line breaks
 * are data; records end with LF, CRLF or a lone CR; a UTF-8 byte order mark
 * at the start is skipped). The first record is the header: the column
 * names (unquoted names lose surrounding blanks). Every later record has as
 * many fields as the header. Blank lines at the very end are ignored.
 * Hands on: one column per header field, typed as columns.h says (a
 * column with a cell that is no value is a text column).
 * Errors name the file, the line, the column and the 0-based data row.
 */
#ifndef JC_CLIENTS_CSV_H
#define JC_CLIENTS_CSV_H

#include <stddef.h>

#include "clients/columns.h"

/* Parses data[0..len) and adds its columns to cs (which must have none).
 * name is the file name used in messages. Returns 0, or -1 with msg filled;
 * on failure cs is left as it was given. */
int csv_parse(const char *data, size_t len, const char *name, incols *cs,
              char *msg, size_t msglen);

/* Reads a whole file ("-" is stdin) and parses it as csv_parse does. */
int csv_read_file(const char *path, incols *cs, char *msg, size_t msglen);

#endif /* JC_CLIENTS_CSV_H */
