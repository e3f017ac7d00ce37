/* text.c — UTF-8 validity and stepping (see text.h). */
#include "clients/text.h"

/* Length of the well-formed sequence at s, or 0 if it is not one. */
static size_t sequence_length(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the 2nd byte */
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0; /* overlong */
        if (c == 0xED)
            hi = 0x9F; /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90; /* overlong */
        if (c == 0xF4)
            hi = 0x8F; /* above U+10FFFF */
    } else
        return 0;
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return len;
}

int utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t len = sequence_length(p + i, n - i);
        if (len == 0)
            return 0;
        i += len;
    }
    return 1;
}

size_t utf8_step(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    size_t len = sequence_length((const unsigned char *)s, n);
    return len ? len : 1;
}

size_t utf8_offset(const char *s, size_t n, long long pos)
{
    size_t off = 0;
    for (long long cp = 1; cp < pos && off < n; cp++)
        off += utf8_step(s + off, n - off);
    return off < n ? off : n;
}
