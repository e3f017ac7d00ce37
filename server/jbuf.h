/*
 * jbuf.h — a growing byte buffer that writes JSON: the protocol's responses
 * are built here by hand rather than through json_dumps, because the
 * protocol prints doubles shortest-first (numfmt.h) and big result columns
 * must not become one json_t per value.
 *
 * An allocation failure sets `failed` and turns every later write into a
 * no-op, so builders check once at the end.
 */
#ifndef JC_SERVER_JBUF_H
#define JC_SERVER_JBUF_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

typedef struct jbuf {
    char *data;
    size_t len, cap;
    int failed;
} jbuf;

void jb_init(jbuf *b);
void jb_free(jbuf *b);

/* Makes room for n more bytes; returns a pointer to write them at (then
 * call jb_commit), or NULL after a failure. */
char *jb_reserve(jbuf *b, size_t n);
static inline void jb_commit(jbuf *b, size_t n) { b->len += n; }

void jb_raw(jbuf *b, const char *s, size_t n);
void jb_lit(jbuf *b, const char *s); /* NUL-terminated raw text */
void jb_char(jbuf *b, char c);

/* A JSON string: quotes, escapes for '"', '\\' and control characters;
 * valid UTF-8 passes through and each invalid byte becomes U+FFFD, so the
 * output is always valid JSON whatever s holds. */
void jb_str(jbuf *b, const char *s, size_t n);
void jb_cstr(jbuf *b, const char *s);
/* ,"key": — with the comma unless first. */
void jb_key(jbuf *b, const char *key, int first);

void jb_i64(jbuf *b, int64_t v);
void jb_u64(jbuf *b, uint64_t v);
/* A number, or the strings "NaN", "Infinity", "-Infinity". */
void jb_f64(jbuf *b, double v);
void jb_bool(jbuf *b, int v);

/* Any jansson value (the request's id, echoed). Recursion is bounded by
 * jansson's parser depth limit (JSON_PARSER_MAX_DEPTH, 2048). */
void jb_json(jbuf *b, const json_t *v);

/* Appends a NUL and hands the text over (free with free()); NULL after a
 * failure. The buffer is empty afterwards. */
char *jb_take(jbuf *b, size_t *len);

#endif /* JC_SERVER_JBUF_H */
