/*
 * lexer.c — the hand-written scanner: bytes to tokens, with 1-based code
 * point positions for error messages. The whole text is checked for UTF-8
 * and NUL first (utf8_check), so the scanner itself only ever sees valid
 * UTF-8; non-ASCII characters are legal only inside quoted names.
 */
#include "parser/internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "util/error.h"
#include "util/mem.h"

uint32_t utf8_check(const char *text, size_t len, const char **why)
{
    const unsigned char *s = (const unsigned char *)text;
    uint32_t cp = 0;
    size_t i = 0;
    while (i < len) {
        /* eight bytes at a time while they are ASCII without a NUL (the
         * usual text): no byte has its top bit set, and none is zero */
        if (len - i >= 8) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            const uint64_t ones = 0x0101010101010101u, tops = 0x8080808080808080u;
            if (!(w & tops) && !((w - ones) & ~w & tops)) {
                i += 8;
                cp += 8;
                continue;
            }
        }
        unsigned c = s[i];
        cp++;
        if (c == 0) {
            *why = "NUL byte";
            return cp;
        }
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        unsigned lo = 0x80, hi = 0xBF; /* allowed range of the 2nd byte */
        if (c >= 0xC2 && c <= 0xDF) {
            n = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
            if (c == 0xE0)
                lo = 0xA0; /* overlong */
            else if (c == 0xED)
                hi = 0x9F; /* UTF-16 surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
            if (c == 0xF0)
                lo = 0x90; /* overlong */
            else if (c == 0xF4)
                hi = 0x8F; /* above U+10FFFF */
        } else {
            *why = "invalid UTF-8";
            return cp;
        }
        if (i + n > len || s[i + 1] < lo || s[i + 1] > hi) {
            *why = "invalid UTF-8";
            return cp;
        }
        for (size_t k = 2; k < n; k++)
            if ((s[i + k] & 0xC0) != 0x80) {
                *why = "invalid UTF-8";
                return cp;
            }
        i += n;
    }
    return 0;
}

void lexer_init(lexer *lx, const char *text, size_t len)
{
    lx->text = text;
    lx->len = len;
    lx->at = 0;
    lx->cp = 0;
}

/* Code points in a valid UTF-8 byte range: every byte that does not
 * continue a sequence starts one. */
static uint32_t count_cp(const char *s, size_t n)
{
    uint32_t cp = 0;
    for (size_t i = 0; i < n; i++)
        cp += ((unsigned char)s[i] & 0xC0) != 0x80;
    return cp;
}

uint32_t lexer_end_pos(const lexer *lx)
{
    return lx->cp + count_cp(lx->text + lx->at, lx->len - lx->at) + 1;
}

/* Character classes, one table lookup each: the scanner asks these of
 * nearly every byte. */
enum { CC_SPACE = 1, CC_DIGIT = 2, CC_ALPHA = 4 /* letters and _ */ };

static const uint8_t char_class[256] = {
    ['\t'] = CC_SPACE, ['\n'] = CC_SPACE, ['\v'] = CC_SPACE,
    ['\f'] = CC_SPACE, ['\r'] = CC_SPACE, [' '] = CC_SPACE,
    ['0' ... '9'] = CC_DIGIT,
    ['a' ... 'z'] = CC_ALPHA, ['A' ... 'Z'] = CC_ALPHA, ['_'] = CC_ALPHA,
};

static int is_digit(int c) { return char_class[c] & CC_DIGIT; }
static int is_alpha(int c) { return char_class[c] & CC_ALPHA; }
static int is_word(int c) { return char_class[c] & (CC_ALPHA | CC_DIGIT); }
static int is_space(int c) { return char_class[c] & CC_SPACE; }

/* The byte at i, or 0 past the end (the text has no NUL of its own). */
static int peek(const lexer *lx, size_t i)
{
    return i < lx->len ? (unsigned char)lx->text[i] : 0;
}

/* Converts the number token text[start..end) (already scanned). */
static int convert_number(lexer *lx, token *tok, int is_float, jc_error *err)
{
    const char *s = lx->text + tok->start;
    size_t n = tok->len;
    if (!is_float) {
        uint64_t v = 0;
        int fits = 1;
        for (size_t i = 0; i < n && fits; i++) {
            unsigned d = (unsigned)(s[i] - '0');
            if (v > ((uint64_t)INT64_MAX - d) / 10)
                fits = 0;
            else
                v = v * 10 + d;
        }
        if (fits) {
            tok->kind = TOK_INT;
            tok->value.i = (int64_t)v;
            return 0;
        }
        /* too big for i64: the literal rule makes it f64, by value */
    }
    double d;
    if (number_parse_token(s, n, &d) < 0)
        return error_set(err, JC_OUT_OF_MEMORY, 0, -1, "out of memory");
    if (isinf(d))
        return error_set(err, JC_PARSE_ERROR, tok->pos, -1,
                         "number `%.*s%s` is too large for f64 (the largest "
                         "is about 1.8e308)",
                         (int)(n > 40 ? 40 : n), s, n > 40 ? "..." : "");
    tok->kind = TOK_FLOAT;
    tok->value.f = d;
    return 0;
}

static int scan_number(lexer *lx, token *tok, jc_error *err)
{
    size_t i = lx->at;
    int is_float = 0;
    while (is_digit(peek(lx, i)))
        i++;
    if (peek(lx, i) == '.') {
        is_float = 1;
        i++;
        while (is_digit(peek(lx, i)))
            i++;
    }
    if (peek(lx, i) == 'e' || peek(lx, i) == 'E') {
        is_float = 1;
        i++;
        if (peek(lx, i) == '+' || peek(lx, i) == '-')
            i++;
        if (!is_digit(peek(lx, i)))
            return error_set(err, JC_PARSE_ERROR, tok->pos, -1,
                             "malformed number `%.*s`: the exponent has no "
                             "digits",
                             (int)(i - lx->at > 40 ? 40 : i - lx->at),
                             lx->text + lx->at);
        while (is_digit(peek(lx, i)))
            i++;
    }
    int c = peek(lx, i);
    if (is_word(c) || c == '.') {
        /* 0x10, 1_000, 1.2.3, 12abc: say what the whole run was */
        size_t j = i;
        while (is_word(peek(lx, j)) || peek(lx, j) == '.')
            j++;
        return error_set(err, JC_PARSE_ERROR, tok->pos, -1,
                         "malformed number `%.*s` (numbers are decimal: "
                         "digits, an optional `.` and an optional exponent)",
                         (int)(j - lx->at > 40 ? 40 : j - lx->at),
                         lx->text + lx->at);
    }
    tok->len = i - lx->at;
    lx->at = i;
    lx->cp += (uint32_t)tok->len;
    return convert_number(lx, tok, is_float, err);
}

static int scan_quoted(lexer *lx, token *tok, jc_error *err)
{
    size_t i = lx->at + 1;
    for (;;) {
        if (i >= lx->len)
            return error_set(err, JC_PARSE_ERROR, lexer_end_pos(lx), -1,
                             "missing closing `\"` for the name that starts "
                             "at position %u",
                             tok->pos);
        if (lx->text[i] == '"') {
            if (peek(lx, i + 1) == '"') {
                i += 2; /* "" stands for one " */
                continue;
            }
            i++;
            break;
        }
        i++;
    }
    tok->len = i - lx->at;
    if (tok->len == 2)
        return error_set(err, JC_PARSE_ERROR, tok->pos, -1,
                         "empty quoted name `\"\"`: a column name needs at "
                         "least one character");
    tok->kind = TOK_QNAME;
    lx->cp += count_cp(lx->text + lx->at, tok->len);
    lx->at = i;
    return 0;
}

static int scan_word(lexer *lx, token *tok)
{
    size_t i = lx->at;
    while (is_word(peek(lx, i)))
        i++;
    tok->len = i - lx->at;
    const char *s = lx->text + lx->at;
    tok->kind = TOK_NAME;
    if (is_keyword(s, tok->len)) {
        switch (s[0] | 0x20) {
        case 'a': tok->kind = TOK_AND; break;
        case 'o': tok->kind = TOK_OR; break;
        case 'n': tok->kind = TOK_NOT; break;
        case 't': tok->kind = TOK_TRUE; break;
        default: tok->kind = TOK_FALSE; break;
        }
    }
    lx->at = i;
    lx->cp += (uint32_t)tok->len;
    return 0;
}

/* Decodes the code point at s (valid UTF-8). */
static uint32_t decode_cp(const unsigned char *s)
{
    if (s[0] < 0x80)
        return s[0];
    if (s[0] < 0xE0)
        return ((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu);
    if (s[0] < 0xF0)
        return ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
    return ((s[0] & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) |
           ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
}

static int bad_char(lexer *lx, token *tok, jc_error *err)
{
    const unsigned char *s = (const unsigned char *)lx->text + lx->at;
    if (s[0] >= 0x80)
        return error_set(err, JC_PARSE_ERROR, tok->pos, -1,
                         "unexpected character U+%04X (names with such "
                         "characters are written in double quotes: \"...\")",
                         decode_cp(s));
    if (s[0] < 0x20 || s[0] == 0x7F)
        return error_set(err, JC_PARSE_ERROR, tok->pos, -1,
                         "unexpected control character 0x%02X", s[0]);
    if (s[0] == '\'')
        return error_set(err, JC_PARSE_ERROR, tok->pos, -1,
                         "unexpected character `'` (there are no strings; "
                         "quote a column name with double quotes)");
    return error_set(err, JC_PARSE_ERROR, tok->pos, -1,
                     "unexpected character `%c`", s[0]);
}

/* One- and two-character operators. Returns the length, 0 if none. */
static size_t match_operator(const lexer *lx, tok_kind *kind)
{
    int c = peek(lx, lx->at), d = peek(lx, lx->at + 1);
    switch (c) {
    case '(': *kind = TOK_LPAREN; return 1;
    case ')': *kind = TOK_RPAREN; return 1;
    case ',': *kind = TOK_COMMA; return 1;
    case '+': *kind = TOK_PLUS; return 1;
    case '-': *kind = TOK_MINUS; return 1;
    case '%': *kind = TOK_PERCENT; return 1;
    case '^': *kind = TOK_POW; return 1;
    case '*':
        if (d == '*') { *kind = TOK_POW; return 2; }
        *kind = TOK_STAR; return 1;
    case '/':
        if (d == '/') { *kind = TOK_DSLASH; return 2; }
        *kind = TOK_SLASH; return 1;
    case '=':
        *kind = TOK_EQ;
        return d == '=' ? 2 : 1;
    case '!':
        if (d == '=') { *kind = TOK_NE; return 2; }
        *kind = TOK_NOT; return 1;
    case '<':
        if (d == '=') { *kind = TOK_LE; return 2; }
        if (d == '>') { *kind = TOK_NE; return 2; }
        *kind = TOK_LT; return 1;
    case '>':
        if (d == '=') { *kind = TOK_GE; return 2; }
        *kind = TOK_GT; return 1;
    case '|':
        if (d == '|') { *kind = TOK_OR; return 2; }
        return 0;
    case '&':
        if (d == '&') { *kind = TOK_AND; return 2; }
        return 0;
    }
    return 0;
}

int lexer_next(lexer *lx, token *tok, jc_error *err)
{
    while (lx->at < lx->len && is_space(peek(lx, lx->at))) {
        lx->at++;
        lx->cp++;
    }
    tok->kind = TOK_END;
    tok->len = 0;
    tok->value.bits = 0;
    tok->start = lx->at;
    tok->pos = lx->cp + 1;
    if (lx->at >= lx->len) {
        tok->kind = TOK_END;
        return 0;
    }
    int c = peek(lx, lx->at);
    if (is_digit(c) || (c == '.' && is_digit(peek(lx, lx->at + 1))))
        return scan_number(lx, tok, err);
    if (is_alpha(c))
        return scan_word(lx, tok);
    if (c == '"')
        return scan_quoted(lx, tok, err);
    size_t n = match_operator(lx, &tok->kind);
    if (!n)
        return bad_char(lx, tok, err);
    tok->len = n;
    lx->at += n;
    lx->cp += (uint32_t)n;
    return 0;
}

char *unquote_name(const char *tok, size_t len, size_t *out_len)
{
    char *name = mem_alloc(len); /* at most len - 2 bytes + NUL */
    if (!name)
        return NULL;
    size_t n = 0;
    for (size_t i = 1; i + 1 < len; i++) {
        name[n++] = tok[i];
        if (tok[i] == '"')
            i++; /* skip the second quote of "" */
    }
    name[n] = '\0';
    *out_len = n;
    return name;
}
