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
enum { CC_DIGIT = 1, CC_ALPHA = 2 /* letters and _ */ };

static const uint8_t char_class[256] = {
    ['0' ... '9'] = CC_DIGIT,
    ['a' ... 'z'] = CC_ALPHA, ['A' ... 'Z'] = CC_ALPHA, ['_'] = CC_ALPHA,
};

static int is_digit(int c) { return char_class[c] & CC_DIGIT; }
static int is_word(int c) { return char_class[c] & (CC_ALPHA | CC_DIGIT); }

const uint8_t lexer_lead[256] = {
    ['\t'] = LEAD_SPACE, ['\n'] = LEAD_SPACE, ['\v'] = LEAD_SPACE,
    ['\f'] = LEAD_SPACE, ['\r'] = LEAD_SPACE, [' '] = LEAD_SPACE,
    ['0' ... '9'] = LEAD_DIGIT, ['.'] = LEAD_DOT,
    ['a' ... 'z'] = LEAD_WORD, ['A' ... 'Z'] = LEAD_WORD, ['_'] = LEAD_WORD,
    ['"'] = LEAD_QUOTE,
    ['<'] = LEAD_OPERATOR, ['|'] = LEAD_OPERATOR, ['&'] = LEAD_OPERATOR,
    ['('] = LEAD_ONE + TOK_LPAREN, [')'] = LEAD_ONE + TOK_RPAREN,
    [','] = LEAD_ONE + TOK_COMMA, ['+'] = LEAD_ONE + TOK_PLUS,
    ['-'] = LEAD_ONE + TOK_MINUS, ['%'] = LEAD_ONE + TOK_PERCENT,
    ['^'] = LEAD_ONE + TOK_POW, ['*'] = LEAD_ONE + TOK_STAR,
    ['/'] = LEAD_ONE + TOK_SLASH, ['='] = LEAD_ONE + TOK_EQ,
    ['!'] = LEAD_ONE + TOK_NOT, ['>'] = LEAD_ONE + TOK_GT,
};

/* (`<` has two longer forms, `<=` and `<>`: match_operator) */
const struct lexer_longer lexer_longer[256] = {
    ['*'] = {'*', TOK_POW}, ['/'] = {'/', TOK_DSLASH}, ['='] = {'=', TOK_EQ},
    ['!'] = {'=', TOK_NE},  ['>'] = {'=', TOK_GE},
};

/* The byte at i, or 0 past the end (the text has no NUL of its own). */
static int peek(const lexer *lx, size_t i)
{
    return i < lx->len ? (unsigned char)lx->text[i] : 0;
}

/* The value of an integer literal of more than 18 digits (fewer always
 * fit): i64 when it fits, else f64 by the literal rule. */
static int convert_long_integer(const char *s, token *tok)
{
    uint64_t v = 0;
    for (size_t i = 0; i < tok->len; i++) {
        unsigned d = (unsigned)(s[i] - '0');
        if (v > ((uint64_t)INT64_MAX - d) / 10)
            return 0;
        v = v * 10 + d;
    }
    tok->kind = TOK_INT;
    tok->value.i = (int64_t)v;
    return 1;
}

/* Scans a number token: digits, an optional `.` and digits, an optional
 * exponent. On the way it gathers its digits as an integer (m) and the
 * decimal exponent, so that the common literal needs no second look at
 * its text (number_exact); one of more than 19 digits, whose m would
 * overflow, takes the general path. */
static int scan_number(lexer *lx, token *tok, jc_error *err)
{
    const unsigned char *s = (const unsigned char *)lx->text;
    const size_t start = lx->at, end = lx->len;
    size_t i = start;
    uint64_t m = 0;
    unsigned d;
    int exp10 = 0, is_float = 0;
    for (; i < end && (d = s[i] - (unsigned)'0') < 10; i++)
        m = m * 10 + d;
    size_t ndigits = i - start;
    if (i < end && s[i] == '.') {
        is_float = 1;
        size_t f = ++i;
        for (; i < end && (d = s[i] - (unsigned)'0') < 10; i++)
            m = m * 10 + d;
        exp10 = -(int)(i - f);
        ndigits += i - f;
    }
    if (i < end && (s[i] | 0x20) == 'e') {
        is_float = 1;
        i++;
        int neg = i < end && s[i] == '-', e = 0;
        if (i < end && (s[i] == '+' || s[i] == '-'))
            i++;
        if (!is_digit(peek(lx, i)))
            return error_set(err, JC_PARSE_ERROR, tok->pos, -1,
                             "malformed number `%.*s`: the exponent has no "
                             "digits",
                             (int)(i - start > 40 ? 40 : i - start), lx->text + start);
        for (; i < end && (d = s[i] - (unsigned)'0') < 10; i++)
            if (e < 1000) /* beyond any exact range; no overflow */
                e = e * 10 + (int)d;
        exp10 += neg ? -e : e;
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
                         (int)(j - start > 40 ? 40 : j - start), lx->text + start);
    }
    const char *text = lx->text + start;
    size_t n = i - start;
    tok->len = n;
    lx->at = i;
    lx->cp += (uint32_t)n;
    if (!is_float) {
        if (ndigits <= 18) { /* below 10^18 < 2^63 */
            tok->kind = TOK_INT;
            tok->value.i = (int64_t)m;
            return 0;
        }
        if (convert_long_integer(text, tok))
            return 0;
    }
    double v;
    if (ndigits > 19 || !number_exact(m, exp10, &v)) {
        if (number_parse_token(text, n, &v) < 0)
            return error_set(err, JC_OUT_OF_MEMORY, 0, -1, "out of memory");
        if (isinf(v))
            return error_set(err, JC_PARSE_ERROR, tok->pos, -1,
                             "number `%.*s%s` is too large for f64 (the "
                             "largest is about 1.8e308)",
                             (int)(n > 40 ? 40 : n), text, n > 40 ? "..." : "");
    }
    tok->kind = TOK_FLOAT;
    tok->value.f = v;
    return 0;
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

/* `<`, `<=`, `<>`, `||` and `&&`. Returns the length, 0 if none. */
static size_t match_operator(const lexer *lx, tok_kind *kind)
{
    int c = peek(lx, lx->at), d = peek(lx, lx->at + 1);
    switch (c) {
    case '<':
        if (d == '=') { *kind = TOK_LE; return 2; }
        if (d == '>') { *kind = TOK_NE; return 2; }
        *kind = TOK_LT; return 1;
    case '|':
        if (d == '|') { *kind = TOK_OR; return 2; }
        return 0;
    case '&':
        if (d == '&') { *kind = TOK_AND; return 2; }
        return 0;
    }
    return 0;
}

int lexer_scan(lexer *lx, token *tok, unsigned how, jc_error *err)
{
    size_t at = lx->at;
    switch (how) {
    case LEAD_DOT: /* a number when a digit follows: `.5` */
        if (!is_digit(peek(lx, at + 1)))
            break;
        return scan_number(lx, tok, err);
    case LEAD_DIGIT:
        return scan_number(lx, tok, err);
    case LEAD_WORD:
        return scan_word(lx, tok);
    case LEAD_QUOTE:
        return scan_quoted(lx, tok, err);
    case LEAD_OPERATOR: {
        size_t n = match_operator(lx, &tok->kind);
        if (!n)
            break;
        tok->len = n;
        lx->at = at + n;
        lx->cp += (uint32_t)n;
        return 0;
    }
    default:
        break;
    }
    tok->kind = TOK_END;
    return bad_char(lx, tok, err);
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
