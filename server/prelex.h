/*
 * prelex.h — one fast pass over a request line before jansson parses it.
 *
 * Jansson builds one json_t per array element (about 40 bytes and a malloc
 * per number) and copies every string byte by byte, which is far too slow
 * and too big for columns of millions of values. So before parsing, this
 * pass lifts the column payloads out of the line:
 *  - a JSON array that is a column (`"columns":{"a":[…]}` or the `data` of a
 *    typed column) and holds only numbers, or only booleans (plus the strings
 *    "NaN", "Infinity", "-Infinity"), is parsed here straight into a value
 *    buffer;
 *  - the `base64` text of a typed column is kept as a pointer into the line;
 * and each is replaced in the line given to jansson by a placeholder string
 * "\u0000L<k>" (k = index in lifts[]).
 *
 * Invariants that make this invisible to the protocol:
 *  - A lifted region is a complete, valid JSON value replaced by a valid
 *    string, so the line stays valid or invalid exactly as before (and
 *    duplicate keys, UTF-8 errors etc. are still jansson's to find).
 *  - Nothing is lifted from a line that contains the escape "\u0000", so
 *    a decoded string starting with NUL is always a placeholder.
 *  - Anything unusual (mixed types, null, escapes, a malformed number) is
 *    not lifted: jansson parses it and the column decoder reports it.
 * One rewrite happens everywhere: an integer token outside the int64 range
 * gets ".0" appended (jansson rejects such integers; the protocol reads them
 * as f64, like the language's literals).
 */
#ifndef JC_SERVER_PRELEX_H
#define JC_SERVER_PRELEX_H

#include <stddef.h>
#include <stdint.h>

/* What a lifted array held. */
enum lift_kind {
    LIFT_EMPTY = 0, /* [] */
    LIFT_I64,       /* integers only: values are int64_t */
    LIFT_F64,       /* numbers, at least one written as a decimal, out of
                       int64 range, or one of the NaN/Infinity strings:
                       values are double */
    LIFT_BOOL,      /* booleans only: values are uint8_t 0/1 */
    LIFT_BASE64     /* a base64 text: text/len point into the line */
};

typedef struct lifted {
    enum lift_kind kind;
    int has_special;  /* LIFT_F64: one of the NaN/Infinity strings */
    int has_decimal;  /* LIFT_F64: a number that is not an integer token */
    void *values;     /* owned; NULL for LIFT_EMPTY and LIFT_BASE64 */
    size_t count;
    const char *text; /* LIFT_BASE64 */
    size_t len;
} lifted;

typedef struct prelex {
    const char *line; /* what jansson parses: the input or `owned` */
    size_t len;
    char *owned;      /* the rewritten line, when anything changed */
    lifted *lifts;
    size_t nlifts, cap;
    int lifting;      /* placeholders are live (no \u0000 in the input) */
    size_t ncolumns;  /* keys seen in top-level "columns" objects, so a
                         request of millions of columns is refused before
                         jansson builds them */
} prelex;

/* Scans line[0..len). Returns 0, or -1 when out of memory (p is then
 * freed). Never fails on any input otherwise. */
int prelex_run(prelex *p, const char *line, size_t len);
void prelex_free(prelex *p);

/* The lift a decoded JSON string stands for, or NULL when s is an ordinary
 * string. A caller may take a lift's values (and set values to NULL). */
lifted *prelex_lookup(prelex *p, const char *s, size_t n);

#endif /* JC_SERVER_PRELEX_H */
