/*
 * strbuf.h — a growable byte buffer for building request lines and
 * collecting response lines. Not NUL-terminated unless strbuf_cstr is
 * called. A failed growth sets `failed` and makes every later append a
 * no-op, so builders check once at the end instead of after every append.
 */
#ifndef JC_CLIENTS_STRBUF_H
#define JC_CLIENTS_STRBUF_H

#include <stddef.h>
#include <stdint.h>

typedef struct strbuf {
    char *data;
    size_t len;
    size_t cap;
    int failed; /* 1 after an allocation failed */
} strbuf;

void strbuf_init(strbuf *sb);
void strbuf_free(strbuf *sb);
void strbuf_reset(strbuf *sb); /* len = 0, keeps the memory */

/* Makes room for n more bytes; returns 0, or -1 (and sets failed). */
int strbuf_reserve(strbuf *sb, size_t n);

void strbuf_add(strbuf *sb, const void *bytes, size_t n);
void strbuf_addc(strbuf *sb, char c);
void strbuf_adds(strbuf *sb, const char *s);
void strbuf_addf(strbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Appends s (n bytes) as a JSON string literal, quotes included. Bytes
 * >= 0x80 pass through unchanged (the caller checks UTF-8 if it matters). */
void strbuf_add_json_string(strbuf *sb, const char *s, size_t n);

/* Appends the standard base64 (RFC 4648, with padding) of n bytes. */
void strbuf_add_base64(strbuf *sb, const void *bytes, size_t n);

/* NUL-terminates (without counting the NUL in len) and returns data, or
 * NULL when the buffer has failed. */
const char *strbuf_cstr(strbuf *sb);

#endif /* JC_CLIENTS_STRBUF_H */
