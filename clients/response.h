/*
 * response.h — reading protocol response lines without building a tree.
 *
 * A result column of ten million values would cost gigabytes as a jansson
 * tree; instead the line is scanned in place: values are spans of the
 * original text (so they print exactly as the daemon wrote them, shortest
 * round-trip digits included), and only small parts (the error object, a
 * string) are decoded with jansson. The scanner is bounds-checked and not
 * recursive (nesting is counted), so any bytes are safe to give it.
 */
#ifndef JC_CLIENTS_RESPONSE_H
#define JC_CLIENTS_RESPONSE_H

#include <stddef.h>
#include <stdint.h>

typedef struct jspan {
    const char *p; /* NULL: absent */
    size_t n;
} jspan;

typedef struct jiter {
    const char *p;
    const char *end;
    int started;
} jiter;

/* Skips blanks and one JSON value at p; returns the byte after it, or NULL
 * when the text is malformed or ends early. */
const char *jscan_skip(const char *p, const char *end);

/* Iterates the members of an object: -1 when obj is not one. */
int jscan_object_begin(jspan obj, jiter *it);
/* 1 with *key (raw text between its quotes) and *value set, 0 at the end,
 * -1 when malformed. */
int jscan_object_next(jiter *it, jspan *key, jspan *value);

/* Finds member `key` (a plain ASCII key) of the object in obj. Returns 1
 * and sets *value, 0 when absent, -1 when obj is not an object. */
int jscan_member(jspan obj, const char *key, jspan *value);

/* Iterates the elements of an array: returns -1 when arr is not one. */
int jscan_array_begin(jspan arr, jiter *it);
/* 1 and *elem set, 0 at the end, -1 when malformed. */
int jscan_array_next(jiter *it, jspan *elem);

int jspan_is(jspan v, const char *literal);
/* Integer value of a span: 0, or -1 when it is not a JSON integer. */
int jspan_int(jspan v, int64_t *out);
/* A JSON string's decoded text (malloc'd; free with free()); NULL when v
 * is not a string or on failure. */
char *jspan_string(jspan v);

typedef struct response {
    jspan line;
    int ok;
    jspan type, result, results, indices, rows_span, error;
    int64_t rows;      /* -1 when absent */
    /* Error details (ok == 0). */
    char code[48];
    char *message;     /* malloc'd */
    int64_t position;  /* 1-based code point, 0 = none */
    int64_t row;       /* 0-based, -1 = none */
    int64_t expr;      /* index into "exprs", -1 = none */
    int in_where;      /* the error is in the where filter */
} response;

/* Reads a response line. Returns 0, or -1 when the text is not a protocol
 * response (not an object, no boolean "ok"). */
int response_parse(const char *line, size_t n, response *r);
void response_free(response *r);

#endif /* JC_CLIENTS_RESPONSE_H */
