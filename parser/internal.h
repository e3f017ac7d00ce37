/*
 * internal.h — what the files of parser/ share and nobody else uses: the
 * lexer, the function table and locale-independent number text.
 */
#ifndef JC_PARSER_INTERNAL_H
#define JC_PARSER_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "jitcalc.h"
#include "parser/tree.h"

/* ---- lexer.c ---- */

typedef enum tok_kind {
    TOK_END,
    TOK_INT,    /* value.i */
    TOK_FLOAT,  /* value.f (also an integer literal too big for i64) */
    TOK_NAME,   /* bare identifier: text[start .. start+len) */
    TOK_QNAME,  /* quoted identifier, quotes included in start/len */
    TOK_TRUE,
    TOK_FALSE,
    TOK_LPAREN,
    TOK_RPAREN,
    TOK_COMMA,
    TOK_OR,
    TOK_AND,
    TOK_NOT,
    TOK_EQ,
    TOK_NE,
    TOK_LT,
    TOK_LE,
    TOK_GT,
    TOK_GE,
    TOK_PLUS,
    TOK_MINUS,
    TOK_STAR,
    TOK_SLASH,
    TOK_DSLASH,
    TOK_PERCENT,
    TOK_POW     /* ^ or ** */
} tok_kind;

typedef struct token {
    tok_kind kind;
    uint32_t pos;  /* 1-based code point of the token's first character */
    size_t start;  /* byte offset in the text */
    size_t len;    /* bytes */
    jc_value value;
} token;

typedef struct lexer {
    const char *text;
    size_t len;
    size_t at;     /* next byte */
    uint32_t cp;   /* code points before `at` */
} lexer;

/* Checks that text is valid UTF-8 without NUL bytes. Returns 0, or the
 * 1-based code point position of the first bad byte (and what is wrong in
 * *why). */
uint32_t utf8_check(const char *text, size_t len, const char **why);

void lexer_init(lexer *lx, const char *text, size_t len);
/* Reads the next token. Returns 0, or -1 with err filled (parse_error,
 * out_of_memory). Assumes the text passed utf8_check. */
int lexer_next(lexer *lx, token *tok, jc_error *err);
/* The code point count of the whole text + 1: where "end of input" is. */
uint32_t lexer_end_pos(const lexer *lx);

/* Decodes a quoted name token (with its quotes) into a new NUL-terminated
 * string (mem_alloc); *out_len gets its length. NULL when out of memory. */
char *unquote_name(const char *tok, size_t len, size_t *out_len);

/* ---- functions.c ---- */

typedef struct func_info {
    const char *name;   /* lower case, as written */
    uint8_t len;        /* strlen(name) */
    jc_op op;           /* op in the parse tree (round: ROUND, see round2) */
    uint8_t min_args;
    uint8_t max_args;   /* FUNC_VARIADIC: any number >= min_args */
} func_info;

#define FUNC_VARIADIC 255

/* Case-insensitive lookup of a function name; NULL when unknown. */
const func_info *func_lookup(const char *name, size_t len);

/* ---- number.c ---- */

/* strtod in the "C" locale (the embedder's LC_NUMERIC must not change what
 * `1.5` means). s must be NUL-terminated. */
double number_parse(const char *s);

/* The value of a scanned number token s[0..n) (digits, an optional `.` and
 * digits, an optional exponent; no NUL needed), correctly rounded: common
 * literals without strtod, the rest through number_parse. Returns 0, or -1
 * when out of memory. */
int number_parse_token(const char *s, size_t n, double *out);

/* Writes the shortest text that reads back as exactly x (x finite, >= 0,
 * not -0.0), always with a `.` or an exponent so it reads back as f64:
 * `1.0`, `0.1`, `1e+300`. buf must hold 40 bytes. Returns the length. */
size_t number_format(double x, char *buf);

/* True when name (len bytes) is one of the keywords and/or/not/true/false,
 * in any case. */
int is_keyword(const char *name, size_t len);

#endif /* JC_PARSER_INTERNAL_H */
