/*
 * request.h — builds protocol request lines (docs/protocol.md): one JSON
 * object, no newline. Fields are appended in call order:
 *
 *     request_begin(&sb, "eval");
 *     request_add_string(&sb, "expr", expr);
 *     request_add_columns(&sb, "columns", &cols);
 *     request_end(&sb);
 *
 * Columns always travel in the typed form, so the daemon never re-infers a
 * type the client already decided: {"type":"i64","data":[1,2]} for small
 * columns, {"type":"f64","base64":"..."} (little-endian packed) for large
 * ones and for f64 columns holding NaN or ±Infinity.
 */
#ifndef JC_CLIENTS_REQUEST_H
#define JC_CLIENTS_REQUEST_H

#include <stddef.h>

#include "clients/columns.h"
#include "clients/strbuf.h"

/* Columns with more rows than this travel as base64. */
#define REQUEST_JSON_MAX_ROWS 1000

void request_begin(strbuf *sb, const char *op);
void request_add_string(strbuf *sb, const char *key, const char *value);
void request_add_raw(strbuf *sb, const char *key, const char *json);
/* "key":["s0","s1",...] */
void request_add_strings(strbuf *sb, const char *key, const char *const *v,
                         size_t n);
/* "key":{"name":{typed column},...} for every column but the text ones;
 * cs must be finished. */
void request_add_columns(strbuf *sb, const char *key, const incols *cs);
void request_end(strbuf *sb);

/* The shortest decimal text that reads back (strtod) to the same finite
 * double, always with a '.' or an exponent so JSON readers see a real:
 * 0.1 -> "0.1", 2 -> "2.0", 1e300 -> "1e+300". buf needs 32 bytes. */
void format_double(char *buf, double v);

/* A column name written as a quoted identifier of the language: "a""b". */
void quote_identifier(strbuf *sb, const char *name);

#endif /* JC_CLIENTS_REQUEST_H */
