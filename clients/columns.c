/* columns.c — typed input columns built from text cells (see columns.h). */
#include "clients/columns.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clients/text.h"
#include "util/mem.h"

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}
static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Case-insensitive whole-word match of s[0..n) against word. */
static int word_is(const char *s, size_t n, const char *word)
{
    return strlen(word) == n && strncasecmp(s, word, n) == 0;
}

static cell bad(const char *why)
{
    cell c = {.kind = CELL_BAD, .why = why};
    return c;
}

/* [+-]digits that fit in i64; returns 0 when they do not fit. */
static int parse_int(const char *s, size_t n, int64_t *out)
{
    size_t i = 0;
    int negative = 0;
    if (s[0] == '+' || s[0] == '-') {
        negative = s[0] == '-';
        i = 1;
    }
    /* Accumulate as a negative number: -INT64_MIN does not fit. */
    int64_t v = 0;
    for (; i < n; i++) {
        int d = s[i] - '0';
        if (v < (INT64_MIN + d) / 10)
            return 0;
        v = v * 10 - d;
    }
    if (!negative) {
        if (v == INT64_MIN)
            return 0;
        v = -v;
    }
    *out = v;
    return 1;
}

cell cell_parse(const char *text, size_t len)
{
    while (len > 0 && is_blank(text[0])) {
        text++;
        len--;
    }
    while (len > 0 && is_blank(text[len - 1]))
        len--;
    if (len == 0) {
        cell c = {.kind = CELL_EMPTY};
        return c;
    }
    if (word_is(text, len, "true") || word_is(text, len, "false")) {
        cell c = {.kind = CELL_BOOL, .i = (text[0] | 0x20) == 't'};
        return c;
    }
    size_t i = 0;
    int negative = 0;
    if (text[0] == '+' || text[0] == '-') {
        negative = text[0] == '-';
        i = 1;
    }
    const char *word = text + i;
    size_t word_len = len - i;
    if (word_is(word, word_len, "nan")) {
        cell c = {.kind = CELL_REAL, .f = NAN};
        return c;
    }
    if (word_is(word, word_len, "infinity") || word_is(word, word_len, "inf")) {
        cell c = {.kind = CELL_REAL, .f = negative ? -INFINITY : INFINITY};
        return c;
    }

    /* Decimal syntax only: strtod alone would also take hex, "1e" prefixes
     * and locale forms. */
    size_t int_digits = 0, frac_digits = 0;
    int is_real = 0;
    while (i < len && is_digit(text[i])) {
        i++;
        int_digits++;
    }
    if (i < len && text[i] == '.') {
        is_real = 1;
        i++;
        while (i < len && is_digit(text[i])) {
            i++;
            frac_digits++;
        }
    }
    if (int_digits + frac_digits == 0)
        return bad("is not a number or true/false");
    if (i < len && (text[i] == 'e' || text[i] == 'E')) {
        is_real = 1;
        i++;
        if (i < len && (text[i] == '+' || text[i] == '-'))
            i++;
        size_t exp_digits = 0;
        while (i < len && is_digit(text[i])) {
            i++;
            exp_digits++;
        }
        if (exp_digits == 0)
            return bad("has an exponent without digits");
    }
    if (i != len)
        return bad("is not a number or true/false");

    if (!is_real) {
        int64_t v;
        if (parse_int(text, len, &v)) {
            cell c = {.kind = CELL_INT, .i = v};
            return c;
        }
        /* Too big for i64: an f64, as the protocol does with JSON. */
    }
    char small[128];
    char *copy = len < sizeof small ? small : mem_strndup(text, len);
    if (!copy)
        return bad("could not be read: out of memory");
    if (copy == small) {
        memcpy(small, text, len);
        small[len] = '\0';
    }
    errno = 0;
    double f = strtod(copy, NULL);
    int overflow = errno == ERANGE && isinf(f);
    if (copy != small)
        mem_free(copy);
    if (overflow)
        return bad("is out of the f64 range");
    cell c = {.kind = CELL_REAL, .f = f};
    return c;
}

void incols_init(incols *cs) { memset(cs, 0, sizeof *cs); }

void in_column_free(in_column *c)
{
    if (c->text_why) {
        char **texts = c->values;
        for (size_t r = 0; r < c->rows; r++)
            mem_free(texts[r]);
    }
    mem_free(c->text_why);
    mem_free(c->name);
    mem_free(c->values);
}

void incols_free(incols *cs)
{
    for (size_t i = 0; i < cs->count; i++)
        in_column_free(&cs->cols[i]);
    mem_free(cs->cols);
    mem_free(cs->source);
    mem_free(cs->row_line);
    incols_init(cs);
}

long incols_find(const incols *cs, const char *name)
{
    for (size_t i = 0; i < cs->count; i++)
        if (strcmp(cs->cols[i].name, name) == 0)
            return (long)i;
    return -1;
}

long incols_add_column(incols *cs, const char *name, size_t name_len,
                       char *msg, size_t msglen)
{
    if (name_len == 0) {
        snprintf(msg, msglen, "a column has an empty name");
        return -1;
    }
    if (memchr(name, '\0', name_len)) {
        snprintf(msg, msglen, "a column name contains a NUL byte");
        return -1;
    }
    if (!utf8_valid(name, name_len)) {
        snprintf(msg, msglen, "a column name is not valid UTF-8");
        return -1;
    }
    char *copy = mem_strndup(name, name_len);
    if (!copy) {
        snprintf(msg, msglen, "out of memory");
        return -1;
    }
    if (incols_find(cs, copy) >= 0) {
        snprintf(msg, msglen, "column \"%s\" is given twice", copy);
        mem_free(copy);
        return -1;
    }
    if (cs->count == cs->cap) {
        size_t cap = cs->cap ? cs->cap * 2 : 8;
        in_column *grown = mem_realloc(cs->cols, cap * sizeof *grown);
        if (!grown) {
            mem_free(copy);
            snprintf(msg, msglen, "out of memory");
            return -1;
        }
        cs->cols = grown;
        cs->cap = cap;
    }
    in_column *c = &cs->cols[cs->count];
    memset(c, 0, sizeof *c);
    c->name = copy;
    c->kind = CELL_EMPTY;
    return (long)cs->count++;
}

int incols_make_text(incols *cs, size_t ci, const char *why)
{
    in_column *c = &cs->cols[ci];
    char *copy = mem_strndup(why, strlen(why));
    if (!copy)
        return -1;
    mem_free(c->text_why);
    c->text_why = copy;
    return 0;
}

/* Room for one more 8-byte slot (a value or a text pointer). */
static int grow_slots(in_column *c)
{
    if (c->rows < c->cap)
        return 0;
    size_t cap = c->cap ? c->cap * 2 : 16;
    void *grown = mem_realloc(c->values, cap * 8);
    if (!grown)
        return -1;
    c->values = grown;
    c->cap = cap;
    return 0;
}

int incols_add_text(incols *cs, size_t ci, const char *text, size_t len)
{
    in_column *c = &cs->cols[ci];
    char *copy = mem_strndup(text, len);
    if (!copy || grow_slots(c) < 0) {
        mem_free(copy);
        return -1;
    }
    ((char **)c->values)[c->rows++] = copy;
    return 0;
}

size_t incols_value_count(const incols *cs)
{
    size_t n = 0;
    for (size_t i = 0; i < cs->count; i++)
        n += !cs->cols[i].text_why;
    return n;
}

/* Turns an i64 column into f64 in place (the first decimal seen). */
static void widen_to_real(in_column *c)
{
    int64_t *iv = c->values;
    double *fv = c->values;
    for (size_t r = 0; r < c->rows; r++)
        fv[r] = (double)iv[r];
    c->kind = CELL_REAL;
}

int incols_add_cell(incols *cs, size_t ci, const char *text, size_t len,
                    char *msg, size_t msglen)
{
    in_column *c = &cs->cols[ci];
    cell v = cell_parse(text, len);
    if (v.kind == CELL_EMPTY) {
        snprintf(msg, msglen, "empty cell");
        return -1;
    }
    if (v.kind == CELL_BAD) {
        /* Quote at most 40 bytes of the cell so the message stays readable. */
        snprintf(msg, msglen, "'%.*s%s' %s", (int)(len > 40 ? 40 : len), text,
                 len > 40 ? "..." : "", v.why);
        return -1;
    }
    if (c->kind != CELL_EMPTY && (c->kind == CELL_BOOL) != (v.kind == CELL_BOOL)) {
        snprintf(msg, msglen, "'%.*s' mixes %s with the %s above it",
                 (int)(len > 40 ? 40 : len), text,
                 v.kind == CELL_BOOL ? "a bool" : "a number",
                 c->kind == CELL_BOOL ? "bools" : "numbers");
        return -1;
    }
    if (grow_slots(c) < 0) {
        snprintf(msg, msglen, "out of memory");
        return -1;
    }
    if (c->kind == CELL_EMPTY)
        c->kind = v.kind;
    else if (c->kind == CELL_INT && v.kind == CELL_REAL)
        widen_to_real(c);
    if (c->kind == CELL_REAL)
        ((double *)c->values)[c->rows] = v.kind == CELL_INT ? (double)v.i : v.f;
    else
        ((int64_t *)c->values)[c->rows] = v.i;
    c->rows++;
    return 0;
}

jc_type in_column_type(const in_column *c)
{
    switch (c->kind) {
    case CELL_INT: return JC_I64;
    case CELL_BOOL: return JC_BOOL;
    default: return JC_F64;
    }
}

int incols_finish(incols *cs, char *msg, size_t msglen)
{
    for (size_t i = 0; i < cs->count; i++) {
        in_column *c = &cs->cols[i];
        if (c->finished || c->text_why)
            continue;
        if (c->kind == CELL_BOOL) {
            int64_t *iv = c->values;
            uint8_t *bv = c->values;
            for (size_t r = 0; r < c->rows; r++)
                bv[r] = (uint8_t)iv[r]; /* in place: bv[r] never passes iv[r] */
        }
        if (c->kind == CELL_EMPTY)
            c->kind = CELL_REAL;
        c->finished = 1;
    }
    (void)msg;
    (void)msglen;
    return 0;
}

int incols_merge(incols *dst, incols *src, char *msg, size_t msglen)
{
    for (size_t i = 0; i < src->count; i++) {
        if (incols_find(dst, src->cols[i].name) >= 0) {
            snprintf(msg, msglen, "column \"%s\" is given twice", src->cols[i].name);
            return -1;
        }
    }
    size_t need = dst->count + src->count;
    if (need > dst->cap) {
        in_column *grown = mem_realloc(dst->cols, (need ? need : 1) * sizeof *grown);
        if (!grown) {
            snprintf(msg, msglen, "out of memory");
            return -1;
        }
        dst->cols = grown;
        dst->cap = need;
    }
    memcpy(dst->cols + dst->count, src->cols, src->count * sizeof *src->cols);
    dst->count = need;
    src->count = 0;
    if (!dst->source) {
        dst->source = src->source;
        dst->row_line = src->row_line;
        src->source = NULL;
        src->row_line = NULL;
    }
    incols_free(src);
    return 0;
}

size_t incols_row_line(const incols *cs, int64_t row)
{
    if (!cs->source || row < 0)
        return 0;
    if (!cs->row_line)
        return (size_t)row + 2;
    size_t rows = cs->count ? cs->cols[0].rows : 0;
    return (size_t)row < rows ? cs->row_line[row] : 0;
}

int incols_add_list(incols *cs, const char *arg, char *msg, size_t msglen)
{
    const char *eq = strchr(arg, '=');
    if (!eq) {
        snprintf(msg, msglen, "--col wants NAME=V1,V2,... (got '%s')", arg);
        return -1;
    }
    long ci = incols_add_column(cs, arg, (size_t)(eq - arg), msg, msglen);
    if (ci < 0)
        return -1;
    const char *values = eq + 1;
    if (*values == '\0')
        return 0; /* NAME= is a column with no rows */
    /* First pass: a value that is no value makes a text column. */
    const char *p = values;
    for (size_t index = 1;; index++) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        cell v = cell_parse(p, n);
        if (v.kind == CELL_BAD) {
            char why[300];
            snprintf(why, sizeof why, "--col %s: value %zu: '%.*s' %s",
                     cs->cols[ci].name, index, (int)(n > 40 ? 40 : n), p, v.why);
            if (incols_make_text(cs, (size_t)ci, why) < 0) {
                snprintf(msg, msglen, "out of memory");
                return -1;
            }
            break;
        }
        if (!comma)
            break;
        p = comma + 1;
    }
    p = values;
    for (size_t index = 1;; index++) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        char why[200];
        if (cs->cols[ci].text_why) {
            if (incols_add_text(cs, (size_t)ci, p, n) < 0) {
                snprintf(msg, msglen, "out of memory");
                return -1;
            }
        } else if (incols_add_cell(cs, (size_t)ci, p, n, why, sizeof why) < 0) {
            snprintf(msg, msglen, "--col %s: value %zu: %s", cs->cols[ci].name, index,
                     why);
            return -1;
        }
        if (!comma)
            return 0;
        p = comma + 1;
    }
}
