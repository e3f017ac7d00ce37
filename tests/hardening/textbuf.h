/*
 * textbuf.h — a growable text buffer for building hostile inputs in tests
 * (100,000 parentheses, 30,000-term chains, requests with a million
 * columns). Test-only: it aborts when out of memory.
 */
#ifndef JC_TESTS_HARDENING_TEXTBUF_H
#define JC_TESTS_HARDENING_TEXTBUF_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct textbuf {
    char *s;
    size_t len, cap;
} textbuf;

static inline void tb_init(textbuf *t)
{
    t->s = NULL;
    t->len = t->cap = 0;
}

static inline void tb_free(textbuf *t)
{
    free(t->s);
    tb_init(t);
}

static inline void tb_addn(textbuf *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 256;
        while (cap < t->len + n + 1)
            cap *= 2;
        char *q = realloc(t->s, cap);
        if (!q) {
            fprintf(stderr, "textbuf: out of memory\n");
            abort();
        }
        t->s = q;
        t->cap = cap;
    }
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = '\0';
}

static inline void tb_add(textbuf *t, const char *s) { tb_addn(t, s, strlen(s)); }

static inline void tb_repeat(textbuf *t, const char *s, size_t times)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < times; i++)
        tb_addn(t, s, n);
}

#endif /* JC_TESTS_HARDENING_TEXTBUF_H */
