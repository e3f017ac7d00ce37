/*
 * internal.h — what the files of parser/ share and nobody else uses: the
 * lexer, the function table and locale-independent number text.
 */
#ifndef JC_PARSER_INTERNAL_H
#define JC_PARSER_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "jitcalc.h"
#include "parser/parser.h"
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

/* How a token starts, by its first byte (lexer_lead): one lookup decides
 * what to scan. LEAD_ONE + kind: a one-byte token, unless its one longer
 * form follows (lexer_longer: `**`, `//`, `==`, `!=`, `>=`). */
enum {
    LEAD_BAD = 0, LEAD_SPACE, LEAD_DIGIT, LEAD_DOT, LEAD_WORD, LEAD_QUOTE, LEAD_OPERATOR,
    LEAD_ONE /* + tok_kind */
};
extern const uint8_t lexer_lead[256];
extern const struct lexer_longer {
    uint8_t next, kind;
} lexer_longer[256];

/* lexer_next for tokens that are not white space or one or two operator
 * bytes; `how` is the first byte's lexer_lead. */
int lexer_scan(lexer *lx, token *tok, unsigned how, jc_error *err);

/* Reads the next token. Returns 0, or -1 with err filled (parse_error,
 * out_of_memory). Assumes the text passed utf8_check. Inline: the parser
 * asks for every token, and most are white space and an operator. */
static inline int lexer_next(lexer *lx, token *tok, jc_error *err)
{
    const unsigned char *s = (const unsigned char *)lx->text;
    size_t at = lx->at, len = lx->len;
    while (at < len && lexer_lead[s[at]] == LEAD_SPACE)
        at++;
    uint32_t cp = lx->cp + (uint32_t)(at - lx->at); /* white space is ASCII */
    tok->start = at;
    tok->pos = cp + 1;
    lx->at = at;
    lx->cp = cp;
    if (at >= len) {
        tok->kind = TOK_END;
        tok->len = 0;
        return 0;
    }
    unsigned c = s[at], how = lexer_lead[c];
    if (how < LEAD_ONE)
        return lexer_scan(lx, tok, how, err);
    size_t n = 1;
    tok->kind = (tok_kind)(how - LEAD_ONE);
    if (lexer_longer[c].next && at + 1 < len && s[at + 1] == lexer_longer[c].next) {
        tok->kind = (tok_kind)lexer_longer[c].kind;
        n = 2;
    }
    tok->len = n;
    lx->at = at + n;
    lx->cp = cp + (uint32_t)n;
    return 0;
}
/* The code point count of the whole text + 1: where "end of input" is. */
uint32_t lexer_end_pos(const lexer *lx);

/* Decodes a quoted name token (with its quotes) into a new NUL-terminated
 * string (mem_alloc); *out_len gets its length. NULL when out of memory. */
char *unquote_name(const char *tok, size_t len, size_t *out_len);

/* ---- typecheck.c, inplace.c ---- */

/* What typing learns for the common case of a tree without sugar whose kid
 * lists are packed in node order (typecheck.c), for inplace.c. */
typedef struct in_place {
    uint8_t *to;     /* by node: the type its parent reads it as (the
                        root's: its own) */
    uint8_t *cand;   /* by node: a CONST, or an op that may fold: not an
                        aggregate, all its kids candidates */
    uint32_t nconv;  /* nodes whose type is not that: conversions */
    uint32_t nargs;  /* kid entries */
    uint32_t nfold;  /* nodes other than CONST made of constants only */
    int possible;    /* no sugar, kid lists packed in node order */
    int settled;     /* and laid out as fold_constants leaves a tree (a tree
                        in post-order, constants numbered in post-order,
                        columns in first-use order), no if/and/or with a
                        constant condition: folding in place folds all that
                        fold_constants would */
} in_place;

/* The conversion node from one type to another, or OP_COUNT_ when there is
 * none (which cannot happen after typing). */
jc_op type_conversion(jc_type from, jc_type to);

/* Turns the typed parse tree into the typed tree in place: a conversion
 * node after every node whose parent reads it as another type and, when
 * fold is given (ip->settled), every subtree of constants that folds
 * folded. Returns 0, or -1 with *err. */
int convert_in_place(jc_tree *t, const in_place *ip, jc_fold_fn fold, jc_error *err);

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

/* The common literal's value without strtod: m * 10^exp10 when m has at
 * most 15 digits (an integer below 10^15 < 2^53) and |exp10| <= 22 (10^|e|
 * is an exact double), so one multiplication or division on exact
 * operands gives the correctly rounded value (Clinger's fast path); m = 0
 * is 0.0. Returns 1 with *out, or 0 when the literal is not of that kind. */
int number_exact(uint64_t m, int exp10, double *out);

/* Writes the shortest text that reads back as exactly x (x finite, >= 0,
 * not -0.0), always with a `.` or an exponent so it reads back as f64:
 * `1.0`, `0.1`, `1e+300`. buf must hold 40 bytes. Returns the length. */
size_t number_format(double x, char *buf);

/* True when name (len bytes) is one of the keywords and/or/not/true/false,
 * in any case. */
int is_keyword(const char *name, size_t len);

#endif /* JC_PARSER_INTERNAL_H */
