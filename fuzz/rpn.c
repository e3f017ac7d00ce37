/* rpn.c — fuzz bytes to an expression and columns (see rpn.h). */
#include "rpn.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bounds that keep one input cheap and inside the language's limits:
 * every operator adds at most 3 nesting levels (parentheses, a call or
 * prefix, a coercion wrapper), and 240 < the default depth of 256. */
#define MAX_STACK 32
#define MAX_TEXT 8192
#define MAX_DEPTH 240

typedef struct item {
    char *text;
    jc_type type;
    unsigned depth;
} item;

typedef struct machine {
    item stack[MAX_STACK];
    size_t top;
    int oom;
} machine;

/* ---- the token table ---- */

enum kind { LEAF, UNARY, BINARY, TERNARY };

/* How an operator types its operands and its result. */
enum rule {
    R_NONE,     /* leaf */
    R_NUM,      /* numeric operands, result: f64 if any f64 else i64 */
    R_F64,      /* numeric operands, result f64 */
    R_CMP,      /* ordering comparison: numbers, result bool */
    R_EQ,       /* == != : numbers or two bools, result bool */
    R_BOOL,     /* bool operands, result bool */
    R_PRED,     /* numeric operand, result bool (isnan ...) */
    R_INT,      /* result i64 (int) */
    R_SAME,     /* numeric operand, result: i64 for i64/bool, else f64 */
    R_AVG,      /* numeric operand, result f64 */
    R_ROUND2,   /* round(x, d): d must be an integer */
    R_IF        /* if(bool, a, b) */
};

typedef struct token {
    char ch;
    enum kind kind;
    enum rule rule;
    const char *text; /* leaf: its text; operator: a printf-like pattern */
    jc_type type;     /* leaf: its type */
} token;

static const token tokens[] = {
    /* leaves: columns */
    {'a', LEAF, R_NONE, "a", JC_F64},
    {'b', LEAF, R_NONE, "b", JC_F64},
    {'n', LEAF, R_NONE, "n", JC_I64},
    {'m', LEAF, R_NONE, "m", JC_I64},
    {'p', LEAF, R_NONE, "p", JC_BOOL},
    {'q', LEAF, R_NONE, "q", JC_BOOL},
    {'u', LEAF, R_NONE, "\"unit price\"", JC_F64},
    /* leaves: literals */
    {'0', LEAF, R_NONE, "0", JC_I64},
    {'1', LEAF, R_NONE, "1", JC_I64},
    {'2', LEAF, R_NONE, "2", JC_I64},
    {'3', LEAF, R_NONE, "3", JC_I64},
    {'4', LEAF, R_NONE, "7", JC_I64},
    {'5', LEAF, R_NONE, "0.5", JC_F64},
    {'6', LEAF, R_NONE, "2.5", JC_F64},
    {'7', LEAF, R_NONE, "1e308", JC_F64},
    {'8', LEAF, R_NONE, "9223372036854775807", JC_I64},
    {'9', LEAF, R_NONE, "5e-324", JC_F64},
    {'Z', LEAF, R_NONE, "9223372036854775808", JC_F64},
    {'M', LEAF, R_NONE, "(-9223372036854775807 - 1)", JC_I64},
    {'N', LEAF, R_NONE, "(0.0 / 0.0)", JC_F64},
    {'I', LEAF, R_NONE, "(1.0 / 0.0)", JC_F64},
    {'z', LEAF, R_NONE, "(-0.0)", JC_F64},
    {'T', LEAF, R_NONE, "true", JC_BOOL},
    {'F', LEAF, R_NONE, "false", JC_BOOL},
    {'P', LEAF, R_NONE, "pi()", JC_F64},
    {'E', LEAF, R_NONE, "e()", JC_F64},
    {'K', LEAF, R_NONE, "count()", JC_I64},
    /* prefix operators and one-argument functions */
    {'~', UNARY, R_SAME, "(-%s)", 0},
    {'!', UNARY, R_BOOL, "(not %s)", 0},
    {'k', UNARY, R_SAME, "abs(%s)", 0},
    {'g', UNARY, R_SAME, "sign(%s)", 0},
    {'f', UNARY, R_SAME, "floor(%s)", 0},
    {'c', UNARY, R_SAME, "ceil(%s)", 0},
    {'t', UNARY, R_SAME, "trunc(%s)", 0},
    {'r', UNARY, R_SAME, "round(%s)", 0},
    {'i', UNARY, R_INT, "int(%s)", 0},
    {'v', UNARY, R_F64, "float(%s)", 0},
    {'s', UNARY, R_F64, "sqrt(%s)", 0},
    {'x', UNARY, R_F64, "exp(%s)", 0},
    {'W', UNARY, R_F64, "expm1(%s)", 0},
    {'l', UNARY, R_F64, "ln(%s)", 0},
    {'L', UNARY, R_F64, "log10(%s)", 0},
    {'o', UNARY, R_F64, "log1p(%s)", 0},
    {'w', UNARY, R_F64, "cbrt(%s)", 0},
    {'S', UNARY, R_F64, "sin(%s)", 0},
    {'C', UNARY, R_F64, "cos(%s)", 0},
    {'A', UNARY, R_F64, "atan(%s)", 0},
    {'h', UNARY, R_F64, "tanh(%s)", 0},
    {'j', UNARY, R_PRED, "isnan(%s)", 0},
    {'J', UNARY, R_PRED, "isinf(%s)", 0},
    {'y', UNARY, R_PRED, "isfinite(%s)", 0},
    /* aggregates */
    {'U', UNARY, R_SAME, "sum(%s)", 0},
    {'V', UNARY, R_AVG, "avg(%s)", 0},
    {'X', UNARY, R_SAME, "max(%s)", 0},
    {'Y', UNARY, R_SAME, "min(%s)", 0},
    /* binary operators and two-argument functions */
    {'+', BINARY, R_NUM, "(%s + %s)", 0},
    {'-', BINARY, R_NUM, "(%s - %s)", 0},
    {'*', BINARY, R_NUM, "(%s * %s)", 0},
    {'/', BINARY, R_F64, "(%s / %s)", 0},
    {'d', BINARY, R_NUM, "(%s // %s)", 0},
    {'%', BINARY, R_NUM, "(%s %% %s)", 0},
    {'^', BINARY, R_F64, "(%s ^ %s)", 0},
    {'D', BINARY, R_F64, "pow(%s, %s)", 0},
    {'H', BINARY, R_F64, "hypot(%s, %s)", 0},
    {'O', BINARY, R_F64, "fmod(%s, %s)", 0},
    {'Q', BINARY, R_F64, "atan2(%s, %s)", 0},
    {'G', BINARY, R_NUM, "greatest(%s, %s)", 0},
    {'B', BINARY, R_NUM, "least(%s, %s)", 0},
    {'R', BINARY, R_ROUND2, "round(%s, %s)", 0},
    {'<', BINARY, R_CMP, "(%s < %s)", 0},
    {'>', BINARY, R_CMP, "(%s > %s)", 0},
    {'[', BINARY, R_CMP, "(%s <= %s)", 0},
    {']', BINARY, R_CMP, "(%s >= %s)", 0},
    {'=', BINARY, R_EQ, "(%s == %s)", 0},
    {'#', BINARY, R_EQ, "(%s != %s)", 0},
    {'&', BINARY, R_BOOL, "(%s and %s)", 0},
    {'|', BINARY, R_BOOL, "(%s or %s)", 0},
    /* three operands */
    {'?', TERNARY, R_IF, "if(%s, %s, %s)", 0},
    {'e', TERNARY, R_NUM, "clamp(%s, %s, %s)", 0},
};

static const token *find_token(uint8_t c)
{
    for (size_t i = 0; i < sizeof tokens / sizeof tokens[0]; i++)
        if ((uint8_t)tokens[i].ch == c)
            return &tokens[i];
    return NULL;
}

/* ---- building text ---- */

static char *format(machine *m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (!s) {
        m->oom = 1;
        return NULL;
    }
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

/* Rewrites it->text with a wrapper pattern around it. */
static void wrap(machine *m, item *it, const char *pattern, jc_type type)
{
    char *s = format(m, pattern, it->text);
    if (!s)
        return;
    free(it->text);
    it->text = s;
    it->type = type;
    it->depth += 1;
}

static jc_type num_type(jc_type t) { return t == JC_BOOL ? JC_I64 : t; }

static jc_type arith_type(const item *ops, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (ops[i].type == JC_F64)
            return JC_F64;
    return JC_I64;
}

/* Coerces the operands so the operator accepts them; returns the result
 * type. */
static jc_type coerce(machine *m, const token *tk, item *ops, size_t n)
{
    switch (tk->rule) {
    case R_BOOL:
        for (size_t i = 0; i < n; i++)
            if (ops[i].type != JC_BOOL)
                wrap(m, &ops[i], "(%s != 0)", JC_BOOL);
        return JC_BOOL;
    case R_CMP: /* no bools in an ordering */
        for (size_t i = 0; i < n; i++)
            if (ops[i].type == JC_BOOL)
                wrap(m, &ops[i], "int(%s)", JC_I64);
        return JC_BOOL;
    case R_EQ: /* two bools, or two numbers */
        if ((ops[0].type == JC_BOOL) != (ops[1].type == JC_BOOL))
            for (size_t i = 0; i < n; i++)
                if (ops[i].type == JC_BOOL)
                    wrap(m, &ops[i], "int(%s)", JC_I64);
        return JC_BOOL;
    case R_IF:
        if (ops[0].type != JC_BOOL)
            wrap(m, &ops[0], "(%s != 0)", JC_BOOL);
        if ((ops[1].type == JC_BOOL) != (ops[2].type == JC_BOOL)) {
            for (size_t i = 1; i < 3; i++)
                if (ops[i].type == JC_BOOL)
                    wrap(m, &ops[i], "int(%s)", JC_I64);
        }
        if (ops[1].type == JC_BOOL)
            return JC_BOOL;
        return arith_type(ops + 1, 2);
    case R_ROUND2:
        if (ops[1].type == JC_F64)
            wrap(m, &ops[1], "int(%s)", JC_I64);
        return JC_F64;
    case R_NUM:
        return arith_type(ops, n);
    case R_F64:
    case R_AVG:
        return JC_F64;
    case R_PRED:
        return JC_BOOL;
    case R_INT:
        return JC_I64;
    case R_SAME:
        return num_type(ops[0].type);
    case R_NONE:
        break;
    }
    return JC_F64;
}

static void apply(machine *m, const token *tk)
{
    size_t n = tk->kind == UNARY ? 1 : tk->kind == BINARY ? 2 : 3;
    if (m->top < n)
        return; /* not enough operands: skip the token */
    item *ops = &m->stack[m->top - n];
    unsigned depth = 0;
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        if (ops[i].depth > depth)
            depth = ops[i].depth;
        len += strlen(ops[i].text);
    }
    if (depth + 3 > MAX_DEPTH || len + 64 > MAX_TEXT)
        return; /* too big: skip the token */
    jc_type type = coerce(m, tk, ops, n);
    if (m->oom)
        return;
    char *s = n == 1   ? format(m, tk->text, ops[0].text)
              : n == 2 ? format(m, tk->text, ops[0].text, ops[1].text)
                       : format(m, tk->text, ops[0].text, ops[1].text, ops[2].text);
    if (!s)
        return;
    for (size_t i = 0; i < n; i++) {
        if (ops[i].depth > depth)
            depth = ops[i].depth;
        free(ops[i].text);
    }
    m->top -= n;
    m->stack[m->top++] = (item){s, type, depth + 2};
}

static void push_leaf(machine *m, const token *tk)
{
    if (m->top == MAX_STACK) {
        /* full: the oldest value goes (keeps the newest operands) */
        free(m->stack[0].text);
        memmove(m->stack, m->stack + 1, (MAX_STACK - 1) * sizeof m->stack[0]);
        m->top--;
    }
    char *s = format(m, "%s", tk->text);
    if (s)
        m->stack[m->top++] = (item){s, tk->type, 1};
}

/* ---- data ---- */

static double f64_cell(uint8_t byte)
{
    static const double edge[16] = {0.0,      -0.0,      1.0,     -1.0,
                                    0.5,      -2.5,      NAN,     INFINITY,
                                    -INFINITY, 1e308,    -1e308,  5e-324,
                                    DBL_MAX,  3.0,       1e16,    0.1};
    if (byte < 64)
        return edge[byte % 16];
    return (byte - 160) * 0.25;
}

static int64_t i64_cell(uint8_t byte)
{
    static const int64_t edge[16] = {0,
                                     1,
                                     -1,
                                     2,
                                     -3,
                                     INT64_MAX,
                                     INT64_MIN,
                                     INT64_MAX - 1,
                                     INT64_MIN + 1,
                                     (int64_t)1 << 32,
                                     -((int64_t)1 << 31),
                                     3037000499, /* floor(sqrt(INT64_MAX)) */
                                     10,
                                     7,
                                     (int64_t)1 << 62,
                                     100};
    if (byte < 64)
        return edge[byte % 16];
    return (int64_t)byte - 160;
}

/* Row counts at the edges of 2/4/8 lanes, the 1024-row block and the
 * 16384-row chunk. */
static size_t row_count(uint8_t byte)
{
    static const size_t sizes[] = {0,    1,    2,    3,     4,     5,     7,
                                   8,    9,    15,   16,    17,    63,    64,
                                   65,   1023, 1024, 1025,  2049,  16383, 16384,
                                   16385, 32769};
    if (byte < 192)
        return byte % 48;
    return sizes[(byte - 192) % (sizeof sizes / sizeof sizes[0])];
}

static const char *const col_names[RPN_NCOLS] = {"a", "b", "n", "m",
                                                 "p", "q", "unit price"};
static const jc_type col_types[RPN_NCOLS] = {JC_F64,  JC_F64,  JC_I64, JC_I64,
                                             JC_BOOL, JC_BOOL, JC_F64};

static int fill_columns(rpn_case *c, const uint8_t *cells, size_t ncells)
{
    for (size_t k = 0; k < RPN_NCOLS; k++) {
        size_t width = col_types[k] == JC_BOOL ? 1 : 8;
        c->data[k] = malloc((c->nrows ? c->nrows : 1) * width);
        if (!c->data[k])
            return -1;
        c->cols[k] = (jc_column){col_names[k], col_types[k], c->data[k], c->nrows};
        for (size_t r = 0; r < c->nrows; r++) {
            size_t i = r * RPN_NCOLS + k;
            uint8_t byte = ncells ? cells[i % ncells] : (uint8_t)(i * 29 + 11);
            if (col_types[k] == JC_F64)
                ((double *)c->data[k])[r] = f64_cell(byte);
            else if (col_types[k] == JC_I64)
                ((int64_t *)c->data[k])[r] = i64_cell(byte);
            else
                ((uint8_t *)c->data[k])[r] = byte & 1;
        }
    }
    return 0;
}

int rpn_decode(const uint8_t *data, size_t size, rpn_case *out)
{
    memset(out, 0, sizeof *out);
    const uint8_t *semi = memchr(data, ';', size);
    size_t plen = semi ? (size_t)(semi - data) : size;
    machine m;
    memset(&m, 0, sizeof m);
    for (size_t i = 0; i < plen && !m.oom; i++) {
        const token *tk = find_token(data[i]);
        if (!tk)
            continue;
        if (tk->kind == LEAF)
            push_leaf(&m, tk);
        else
            apply(&m, tk);
    }
    if (!m.oom)
        out->expr = m.top ? m.stack[m.top - 1].text : format(&m, "a");
    if (m.top)
        m.top--; /* the expression is now out->expr's */
    for (size_t i = 0; i < m.top; i++)
        free(m.stack[i].text);
    if (!out->expr)
        return -1;
    const uint8_t *cells = NULL;
    size_t ncells = 0;
    out->nrows = 13;
    if (semi) {
        size_t rest = size - plen - 1;
        if (rest > 0) {
            out->nrows = row_count(semi[1]);
            cells = semi + 2;
            ncells = rest - 1;
        }
    }
    if (fill_columns(out, cells, ncells) != 0) {
        rpn_case_free(out);
        return -1;
    }
    return 0;
}

void rpn_case_free(rpn_case *c)
{
    free(c->expr);
    for (size_t k = 0; k < RPN_NCOLS; k++)
        free(c->data[k]);
    memset(c, 0, sizeof *c);
}
