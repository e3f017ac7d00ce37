/*
 * text.h — UTF-8 helpers: validity (names and expressions go into JSON,
 * which must be UTF-8) and code point stepping (error positions are 1-based
 * code points).
 */
#ifndef JC_CLIENTS_TEXT_H
#define JC_CLIENTS_TEXT_H

#include <stddef.h>

/* 1 when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates). */
int utf8_valid(const char *s, size_t n);

/* The length in bytes of the code point starting at s (1 for a byte that
 * does not start a valid sequence, so stepping always advances). */
size_t utf8_step(const char *s, size_t n);

/* Byte offset of the 1-based code point `pos` in s[0..n): n when pos is past
 * the end (an error at the end of the input is at length + 1). */
size_t utf8_offset(const char *s, size_t n, long long pos);

#endif /* JC_CLIENTS_TEXT_H */
