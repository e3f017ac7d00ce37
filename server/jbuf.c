/* jbuf.c — JSON text into a growing buffer (see jbuf.h). */
#include "server/jbuf.h"

#include <math.h>
#include <string.h>

#include "server/numfmt.h"
#include "util/mem.h"

void jb_init(jbuf *b)
{
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = 0;
}

void jb_free(jbuf *b)
{
    mem_free(b->data);
    jb_init(b);
}

char *jb_reserve(jbuf *b, size_t n)
{
    if (b->failed)
        return NULL;
    if (b->cap - b->len < n) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap - b->len < n) {
            if (cap > SIZE_MAX / 2) {
                b->failed = 1;
                return NULL;
            }
            cap *= 2;
        }
        char *data = mem_realloc(b->data, cap);
        if (!data) {
            b->failed = 1;
            return NULL;
        }
        b->data = data;
        b->cap = cap;
    }
    return b->data + b->len;
}

void jb_raw(jbuf *b, const char *s, size_t n)
{
    char *p = jb_reserve(b, n);
    if (p) {
        memcpy(p, s, n);
        b->len += n;
    }
}

void jb_lit(jbuf *b, const char *s) { jb_raw(b, s, strlen(s)); }

void jb_char(jbuf *b, char c)
{
    char *p = jb_reserve(b, 1);
    if (p) {
        *p = c;
        b->len++;
    }
}

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0 if the
 * bytes there are not one (overlong forms, surrogates and code points past
 * U+10FFFF are invalid, as jansson's decoder holds them). */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len;
    unsigned cp;
    if (c < 0xC2)
        return 0; /* continuation byte or overlong 2-byte lead */
    if (c < 0xE0) {
        len = 2;
        cp = c & 0x1F;
    } else if (c < 0xF0) {
        len = 3;
        cp = c & 0x0F;
    } else if (c < 0xF5) {
        len = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        return 0;
    return len;
}

void jb_str(jbuf *b, const char *str, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)str;
    /* worst case: every byte becomes \u00XX (6) or U+FFFD (3) */
    char *p = jb_reserve(b, n * 6 + 2);
    if (!p)
        return;
    char *start = p;
    *p++ = '"';
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            *p++ = (char)c;
            i++;
        } else if (c == '"' || c == '\\') {
            *p++ = '\\';
            *p++ = (char)c;
            i++;
        } else if (c < 0x20) {
            *p++ = '\\';
            switch (c) {
            case '\n': *p++ = 'n'; break;
            case '\r': *p++ = 'r'; break;
            case '\t': *p++ = 't'; break;
            case '\b': *p++ = 'b'; break;
            case '\f': *p++ = 'f'; break;
            default:
                memcpy(p, "u00", 3);
                p += 3;
                *p++ = hex[c >> 4];
                *p++ = hex[c & 15];
            }
            i++;
        } else {
            size_t len = utf8_seq(s + i, n - i);
            if (len) {
                memcpy(p, s + i, len);
                p += len;
                i += len;
            } else {
                memcpy(p, "\xEF\xBF\xBD", 3); /* U+FFFD */
                p += 3;
                i++;
            }
        }
    }
    *p++ = '"';
    b->len += (size_t)(p - start);
}

void jb_cstr(jbuf *b, const char *s) { jb_str(b, s, strlen(s)); }

void jb_key(jbuf *b, const char *key, int first)
{
    if (!first)
        jb_char(b, ',');
    jb_cstr(b, key);
    jb_char(b, ':');
}

void jb_i64(jbuf *b, int64_t v)
{
    char *p = jb_reserve(b, NUMFMT_MAX);
    if (p)
        b->len += fmt_i64(v, p);
}

void jb_u64(jbuf *b, uint64_t v)
{
    if (v <= INT64_MAX) {
        jb_i64(b, (int64_t)v);
        return;
    }
    jb_u64(b, v / 10);
    jb_char(b, (char)('0' + v % 10));
}

void jb_f64(jbuf *b, double v)
{
    if (isnan(v)) {
        jb_lit(b, "\"NaN\"");
    } else if (isinf(v)) {
        jb_lit(b, v > 0 ? "\"Infinity\"" : "\"-Infinity\"");
    } else {
        char *p = jb_reserve(b, NUMFMT_MAX);
        if (p)
            b->len += fmt_f64(v, p);
    }
}

void jb_bool(jbuf *b, int v) { jb_lit(b, v ? "true" : "false"); }

void jb_json(jbuf *b, const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        const char *key;
        size_t klen;
        json_t *val;
        int first = 1;
        jb_char(b, '{');
        /* json_object_keylen_foreach wants a non-const object; it does not
         * modify it */
        json_t *obj = (json_t *)v;
        json_object_keylen_foreach(obj, key, klen, val)
        {
            if (!first)
                jb_char(b, ',');
            first = 0;
            jb_str(b, key, klen);
            jb_char(b, ':');
            jb_json(b, val);
        }
        jb_char(b, '}');
        break;
    }
    case JSON_ARRAY:
        jb_char(b, '[');
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i)
                jb_char(b, ',');
            jb_json(b, json_array_get(v, i));
        }
        jb_char(b, ']');
        break;
    case JSON_STRING:
        jb_str(b, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER:
        jb_i64(b, (int64_t)json_integer_value(v));
        break;
    case JSON_REAL:
        jb_f64(b, json_real_value(v));
        break;
    case JSON_TRUE:
        jb_lit(b, "true");
        break;
    case JSON_FALSE:
        jb_lit(b, "false");
        break;
    case JSON_NULL:
        jb_lit(b, "null");
        break;
    }
}

char *jb_take(jbuf *b, size_t *len)
{
    if (!jb_reserve(b, 1)) {
        jb_free(b);
        return NULL;
    }
    b->data[b->len] = '\0';
    char *out = b->data;
    if (len)
        *len = b->len;
    jb_init(b);
    return out;
}
