/* strbuf.c — growable byte buffer (see strbuf.h). */
#include "clients/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/mem.h"

void strbuf_init(strbuf *sb)
{
    sb->data = NULL;
    sb->len = 0;
    sb->cap = 0;
    sb->failed = 0;
}

void strbuf_free(strbuf *sb)
{
    mem_free(sb->data);
    strbuf_init(sb);
}

void strbuf_reset(strbuf *sb)
{
    sb->len = 0;
    sb->failed = 0;
}

int strbuf_reserve(strbuf *sb, size_t n)
{
    if (sb->failed)
        return -1;
    /* Always keep one spare byte for strbuf_cstr's NUL. */
    if (sb->data && n < sb->cap - sb->len)
        return 0;
    if (n > SIZE_MAX / 4 - sb->len) {
        sb->failed = 1;
        return -1;
    }
    size_t want = sb->len + n + 1;
    size_t cap = sb->cap ? sb->cap : 64;
    while (cap < want)
        cap *= 2;
    char *grown = mem_realloc(sb->data, cap);
    if (!grown) {
        sb->failed = 1;
        return -1;
    }
    sb->data = grown;
    sb->cap = cap;
    return 0;
}

void strbuf_add(strbuf *sb, const void *bytes, size_t n)
{
    if (n == 0 || strbuf_reserve(sb, n) < 0)
        return;
    memcpy(sb->data + sb->len, bytes, n);
    sb->len += n;
}

void strbuf_addc(strbuf *sb, char c) { strbuf_add(sb, &c, 1); }

void strbuf_adds(strbuf *sb, const char *s) { strbuf_add(sb, s, strlen(s)); }

void strbuf_addf(strbuf *sb, const char *fmt, ...)
{
    char small[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        sb->failed = 1;
        return;
    }
    if ((size_t)n < sizeof small) {
        strbuf_add(sb, small, (size_t)n);
        return;
    }
    if (strbuf_reserve(sb, (size_t)n) < 0)
        return;
    va_start(ap, fmt);
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb->len += (size_t)n;
}

void strbuf_add_json_string(strbuf *sb, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    strbuf_addc(sb, '"');
    size_t run = 0; /* start of the pending run of bytes needing no escape */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        strbuf_add(sb, s + run, i - run);
        run = i + 1;
        switch (c) {
        case '"': strbuf_add(sb, "\\\"", 2); break;
        case '\\': strbuf_add(sb, "\\\\", 2); break;
        case '\n': strbuf_add(sb, "\\n", 2); break;
        case '\r': strbuf_add(sb, "\\r", 2); break;
        case '\t': strbuf_add(sb, "\\t", 2); break;
        default: {
            char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            strbuf_add(sb, esc, 6);
        }
        }
    }
    strbuf_add(sb, s + run, n - run);
    strbuf_addc(sb, '"');
}

void strbuf_add_base64(strbuf *sb, const void *bytes, size_t n)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *in = bytes;
    size_t out_len = (n + 2) / 3 * 4;
    if (strbuf_reserve(sb, out_len) < 0)
        return;
    char *out = sb->data + sb->len;
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        *out++ = alphabet[v >> 18];
        *out++ = alphabet[(v >> 12) & 63];
        *out++ = alphabet[(v >> 6) & 63];
        *out++ = alphabet[v & 63];
    }
    if (i < n) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)in[i + 1] << 8;
        *out++ = alphabet[v >> 18];
        *out++ = alphabet[(v >> 12) & 63];
        *out++ = i + 1 < n ? alphabet[(v >> 6) & 63] : '=';
        *out++ = '=';
    }
    sb->len += out_len;
}

const char *strbuf_cstr(strbuf *sb)
{
    if (sb->failed)
        return NULL;
    if (!sb->data && strbuf_reserve(sb, 1) < 0)
        return NULL;
    sb->data[sb->len] = '\0';
    return sb->data;
}
