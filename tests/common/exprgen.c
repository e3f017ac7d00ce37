/*
 * exprgen.c — the seeded random-expression generator (see exprgen.h).
 *
 * gen() writes an expression of a wanted type. Each form (operator,
 * function, literal, column) has a binding level, and a fragment is put in
 * parentheses when its level is below what its place requires, so the text
 * always parses to the intended shape:
 *   1 or  2 and  3 not  4 comparison  5 + -  6 * / // %  8 ^  9 prefix -
 *   10 literal, name, call, parenthesised group
 * (comparisons take level-5 operands on both sides: they do not chain;
 * ^ takes a level-9 left operand and a level-8 right one.)
 */
#include "exprgen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct gen {
    uint64_t rng;
    const exprgen_config *cfg;
    char *s;
    size_t len, cap;
    int oom;
} gen;

uint64_t exprgen_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static unsigned pick(gen *g, unsigned n) { return (unsigned)(exprgen_random(&g->rng) % n); }
static int chance(gen *g, unsigned percent) { return pick(g, 100) < percent; }

static void put(gen *g, const char *s, size_t n)
{
    if (g->oom)
        return;
    if (g->len + n + 1 > g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 256;
        while (cap < g->len + n + 1)
            cap *= 2;
        char *q = realloc(g->s, cap);
        if (!q) {
            g->oom = 1;
            return;
        }
        g->s = q;
        g->cap = cap;
    }
    memcpy(g->s + g->len, s, n);
    g->len += n;
    g->s[g->len] = '\0';
}

static void puts_(gen *g, const char *s) { put(g, s, strlen(s)); }

/* Optional whitespace: one space, or in surface mode sometimes none or
 * other blanks. Only used where no two tokens could merge. */
static void space(gen *g)
{
    static const char *const blanks[] = {"", " ", "  ", "\t", "\n", " "};
    puts_(g, g->cfg->surface ? blanks[pick(g, 6)] : " ");
}

/* A word (keyword or function name), in a random case in surface mode. */
static void word(gen *g, const char *w)
{
    if (!g->cfg->surface || chance(g, 60)) {
        puts_(g, w);
        return;
    }
    int how = (int)pick(g, 3);
    for (size_t i = 0; w[i]; i++) {
        char c = w[i];
        if (c >= 'a' && c <= 'z' && (how == 0 || (how == 1 && i == 0) ||
                                     (how == 2 && chance(g, 50))))
            c = (char)(c - 'a' + 'A');
        put(g, &c, 1);
    }
}

/* Spelling alternatives: the first is canonical; surface mode may pick any. */
static const char *alias(gen *g, const char *const *names, unsigned n)
{
    return g->cfg->surface ? names[pick(g, n)] : names[0];
}

static int is_keyword(const char *s)
{
    static const char *const kw[] = {"and", "or", "not", "true", "false"};
    for (size_t i = 0; i < 5; i++)
        if (strcasecmp(s, kw[i]) == 0)
            return 1;
    return 0;
}

static void column_name(gen *g, const char *name)
{
    int plain = (name[0] >= 'a' && name[0] <= 'z') ||
                (name[0] >= 'A' && name[0] <= 'Z') || name[0] == '_';
    for (size_t i = 0; plain && name[i]; i++)
        plain = (name[i] >= 'a' && name[i] <= 'z') ||
                (name[i] >= 'A' && name[i] <= 'Z') ||
                (name[i] >= '0' && name[i] <= '9') || name[i] == '_';
    if (plain && !is_keyword(name) && !(g->cfg->surface && chance(g, 10))) {
        puts_(g, name);
        return;
    }
    put(g, "\"", 1);
    for (size_t i = 0; name[i]; i++) {
        put(g, name + i, 1);
        if (name[i] == '"')
            put(g, "\"", 1);
    }
    put(g, "\"", 1);
}

static void literal(gen *g, jc_type t)
{
    static const char *const f64s[] = {
        "0.0", "1.5", ".5", "2.", "1e-3", "1.5E+3", "0.1", "3.25", "100.0",
        "2.5", "0.75", "1e2", "6.02e23", "1.0", "0.3", "10.0", "7.125"};
    static const char *const f64_edge[] = {
        "1e308", "4.9e-324", "2.2250738585072014e-308", "1.7976931348623157e308",
        "9223372036854775808", "9007199254740993.0", "0.0", "1e-300", "1e16"};
    static const char *const i64s[] = {"0", "1", "2", "3", "7", "10", "100",
                                       "007", "42", "1000", "5", "64"};
    static const char *const i64_edge[] = {"9223372036854775807",
                                           "4611686018427387904", "2147483648",
                                           "4294967296", "0"};
    char buf[32];
    switch (t) {
    case JC_BOOL:
        word(g, chance(g, 50) ? "true" : "false");
        return;
    case JC_I64:
        if (g->cfg->edge_literals && chance(g, 20))
            puts_(g, i64_edge[pick(g, sizeof i64_edge / sizeof *i64_edge)]);
        else if (chance(g, 30)) {
            snprintf(buf, sizeof buf, "%u", pick(g, 100000));
            puts_(g, buf);
        } else
            puts_(g, i64s[pick(g, sizeof i64s / sizeof *i64s)]);
        return;
    default:
        if (g->cfg->edge_literals && chance(g, 20))
            puts_(g, f64_edge[pick(g, sizeof f64_edge / sizeof *f64_edge)]);
        else if (chance(g, 30)) {
            snprintf(buf, sizeof buf, "%u.%02u", pick(g, 1000), pick(g, 100));
            puts_(g, buf);
        } else
            puts_(g, f64s[pick(g, sizeof f64s / sizeof *f64s)]);
        return;
    }
}

static void atom(gen *g, jc_type t)
{
    const exprgen_config *c = g->cfg;
    size_t matching = 0;
    for (size_t i = 0; i < c->ncolumns; i++)
        matching += c->columns[i].type == t;
    if (matching && chance(g, 60)) {
        size_t k = pick(g, (unsigned)matching);
        for (size_t i = 0; i < c->ncolumns; i++)
            if (c->columns[i].type == t && k-- == 0) {
                column_name(g, c->columns[i].name);
                return;
            }
    }
    literal(g, t);
}

static void gen_expr(gen *g, jc_type t, int minlvl, unsigned depth);

/* A number of some type: f64, i64 or bool (bools count as 0/1). */
static jc_type any_number(gen *g)
{
    unsigned r = pick(g, 100);
    return r < 45 ? JC_F64 : r < 85 ? JC_I64 : JC_BOOL;
}

static jc_type int_like(gen *g) { return chance(g, 80) ? JC_I64 : JC_BOOL; }

/* Opens a fragment of binding level `level` where `minlvl` is required;
 * returns whether it was parenthesised. */
static int open_frag(gen *g, int level, int minlvl)
{
    int wrap = level < minlvl || (g->cfg->surface && chance(g, 5));
    if (wrap)
        puts_(g, "(");
    return wrap;
}

static void close_frag(gen *g, int wrapped)
{
    if (wrapped)
        puts_(g, ")");
}

/* left op right; assoc 'l' left, 'r' power, 'n' comparison */
static void binary(gen *g, const char *op, int level, char assoc, jc_type lt,
                   jc_type rt, int minlvl, unsigned depth)
{
    int lmin = assoc == 'l' ? level : assoc == 'r' ? 9 : level + 1;
    int rmin = assoc == 'r' ? 8 : level + 1;
    int w = open_frag(g, level, minlvl);
    gen_expr(g, lt, lmin, depth - 1);
    int is_word = (op[0] >= 'a' && op[0] <= 'z');
    if (is_word) {
        puts_(g, " ");
        word(g, op);
        puts_(g, " ");
    } else {
        space(g);
        puts_(g, op);
        space(g);
    }
    gen_expr(g, rt, rmin, depth - 1);
    close_frag(g, w);
}

static void prefix(gen *g, const char *op, jc_type t, int minlvl,
                   unsigned depth)
{
    int is_not = strcmp(op, "not") == 0 || strcmp(op, "!") == 0;
    int level = is_not ? 3 : 9;
    int w = open_frag(g, level, minlvl);
    if (strcmp(op, "not") == 0) {
        word(g, op);
        puts_(g, " ");
    } else {
        puts_(g, op);
        /* `- -x` needs no space, but `!` before `=` would; operands never
         * start with `=`, so spacing is free */
        space(g);
    }
    gen_expr(g, t, is_not ? 3 : 9, depth - 1);
    close_frag(g, w);
}

/* name(args...) with args of the given types. */
static void call(gen *g, const char *name, const jc_type *args, unsigned n,
                 int minlvl, unsigned depth)
{
    int w = open_frag(g, 10, minlvl);
    word(g, name);
    puts_(g, "(");
    for (unsigned i = 0; i < n; i++) {
        if (i) {
            puts_(g, ",");
            space(g);
        }
        gen_expr(g, args[i], 0, depth - 1);
    }
    puts_(g, ")");
    close_frag(g, w);
}

static void call1(gen *g, const char *name, jc_type a, int minlvl,
                  unsigned depth)
{
    call(g, name, &a, 1, minlvl, depth);
}

/* least/greatest/clamp-style argument lists: n numbers of which one (at a
 * random place) has type `one` and the others are `rest` or int-like. */
static void mixed_call(gen *g, const char *name, unsigned n, jc_type one,
                       int rest_any, int minlvl, unsigned depth)
{
    jc_type args[4];
    unsigned at = pick(g, n);
    for (unsigned i = 0; i < n; i++)
        args[i] = i == at ? one : rest_any ? any_number(g) : int_like(g);
    call(g, name, args, n, minlvl, depth);
}

static const char *const unary_f64_funcs[] = {
    "sqrt", "cbrt", "exp", "expm1", "ln", "log", "log10", "log2", "log1p",
    "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh"};

static void gen_f64(gen *g, int minlvl, unsigned depth)
{
    static const char *const arith[] = {"+", "-", "*", "//", "%"};
    static const char *const pow_ops[] = {"^", "**"};
    static const char *const two[] = {"atan2", "hypot", "fmod", "pow"};
    static const char *const rounding[] = {"floor", "ceil", "trunc", "round",
                                           "abs", "sign"};
    static const char *const avg_names[] = {"avg", "mean"};
    static const char *const aggs[] = {"sum", "min", "max"};
    jc_type a[3];
    unsigned forms = g->cfg->aggregates ? 13 : 11;
    switch (pick(g, forms)) {
    case 0:
    case 1: { /* arithmetic with at least one f64 operand */
        jc_type other = any_number(g);
        int f_left = chance(g, 50);
        unsigned k = pick(g, 5);
        binary(g, arith[k], k < 2 ? 5 : 6, 'l', f_left ? JC_F64 : other,
               f_left ? other : JC_F64, minlvl, depth);
        return;
    }
    case 2:
        binary(g, "/", 6, 'l', any_number(g), any_number(g), minlvl, depth);
        return;
    case 3:
        binary(g, alias(g, pow_ops, 2), 8, 'r', any_number(g), any_number(g),
               minlvl, depth);
        return;
    case 4:
        prefix(g, chance(g, 80) ? "-" : "+", JC_F64, minlvl, depth);
        return;
    case 5:
        call1(g, unary_f64_funcs[pick(g, 18)], any_number(g), minlvl, depth);
        return;
    case 6:
        a[0] = any_number(g);
        a[1] = any_number(g);
        call(g, two[pick(g, 4)], a, 2, minlvl, depth);
        return;
    case 7:
        if (chance(g, 70)) {
            call1(g, rounding[pick(g, 6)], JC_F64, minlvl, depth);
        } else {
            a[0] = any_number(g);
            a[1] = int_like(g);
            call(g, "round", a, 2, minlvl, depth);
        }
        return;
    case 8:
        if (chance(g, 70))
            mixed_call(g, chance(g, 50) ? "least" : "greatest", 1 + pick(g, 4),
                       JC_F64, 1, minlvl, depth);
        else
            mixed_call(g, "clamp", 3, JC_F64, 1, minlvl, depth);
        return;
    case 9:
        a[0] = JC_BOOL;
        a[1] = JC_F64;
        a[2] = chance(g, 50) ? JC_F64 : JC_I64; /* never bool with a number */
        if (chance(g, 50)) {
            jc_type x = a[1];
            a[1] = a[2];
            a[2] = x;
        }
        call(g, "if", a, 3, minlvl, depth);
        return;
    case 10:
        if (chance(g, 70))
            call1(g, "float", any_number(g), minlvl, depth);
        else
            call(g, chance(g, 50) ? "pi" : "e", NULL, 0, minlvl, depth);
        return;
    case 11:
        call1(g, alias(g, avg_names, 2), any_number(g), minlvl, depth);
        return;
    default:
        call1(g, aggs[pick(g, 3)], JC_F64, minlvl, depth);
        return;
    }
}

static void gen_i64(gen *g, int minlvl, unsigned depth)
{
    static const char *const arith[] = {"+", "-", "*", "//", "%"};
    static const char *const funcs[] = {"abs", "sign", "floor", "ceil",
                                        "trunc", "round"};
    static const char *const aggs[] = {"sum", "min", "max"};
    jc_type a[3];
    unsigned forms = g->cfg->aggregates ? 9 : 7;
    switch (pick(g, forms)) {
    case 0:
    case 1: {
        unsigned k = pick(g, 5);
        binary(g, arith[k], k < 2 ? 5 : 6, 'l', int_like(g), int_like(g),
               minlvl, depth);
        return;
    }
    case 2:
        prefix(g, chance(g, 80) ? "-" : "+", int_like(g), minlvl, depth);
        return;
    case 3:
        call1(g, funcs[pick(g, 6)], int_like(g), minlvl, depth);
        return;
    case 4:
        if (chance(g, 70))
            mixed_call(g, chance(g, 50) ? "least" : "greatest", 1 + pick(g, 4),
                       JC_I64, 0, minlvl, depth);
        else
            mixed_call(g, "clamp", 3, JC_I64, 0, minlvl, depth);
        return;
    case 5:
        a[0] = JC_BOOL;
        a[1] = a[2] = JC_I64;
        call(g, "if", a, 3, minlvl, depth);
        return;
    case 6:
        call1(g, "int", any_number(g), minlvl, depth);
        return;
    case 7:
        call(g, "count", NULL, 0, minlvl, depth);
        return;
    default:
        call1(g, aggs[pick(g, 3)], int_like(g), minlvl, depth);
        return;
    }
}

static void gen_bool(gen *g, int minlvl, unsigned depth)
{
    static const char *const eq[] = {"==", "="};
    static const char *const ne[] = {"!=", "<>"};
    static const char *const order[] = {"<", "<=", ">", ">="};
    static const char *const and_ops[] = {"and", "&&"};
    static const char *const or_ops[] = {"or", "||"};
    static const char *const not_ops[] = {"not", "!"};
    static const char *const tests[] = {"isnan", "isinf", "isfinite"};
    jc_type a[3];
    switch (pick(g, 8)) {
    case 0:
    case 1: { /* equality: two numbers or two bools */
        const char *op = chance(g, 50) ? alias(g, eq, 2) : alias(g, ne, 2);
        if (chance(g, 25))
            binary(g, op, 4, 'n', JC_BOOL, JC_BOOL, minlvl, depth);
        else
            binary(g, op, 4, 'n', chance(g, 50) ? JC_F64 : JC_I64,
                   chance(g, 50) ? JC_F64 : JC_I64, minlvl, depth);
        return;
    }
    case 2:
        binary(g, order[pick(g, 4)], 4, 'n', chance(g, 50) ? JC_F64 : JC_I64,
               chance(g, 50) ? JC_F64 : JC_I64, minlvl, depth);
        return;
    case 3:
        binary(g, alias(g, and_ops, 2), 2, 'l', JC_BOOL, JC_BOOL, minlvl,
               depth);
        return;
    case 4:
        binary(g, alias(g, or_ops, 2), 1, 'l', JC_BOOL, JC_BOOL, minlvl, depth);
        return;
    case 5:
        prefix(g, alias(g, not_ops, 2), JC_BOOL, minlvl, depth);
        return;
    case 6:
        call1(g, tests[pick(g, 3)], any_number(g), minlvl, depth);
        return;
    default:
        a[0] = a[1] = a[2] = JC_BOOL;
        call(g, "if", a, 3, minlvl, depth);
        return;
    }
}

static void gen_expr(gen *g, jc_type t, int minlvl, unsigned depth)
{
    if (g->oom)
        return;
    /* stop at depth 0, and early now and then so sizes stay moderate */
    if (depth == 0 || chance(g, 20)) {
        atom(g, t);
        return;
    }
    switch (t) {
    case JC_F64: gen_f64(g, minlvl, depth); return;
    case JC_I64: gen_i64(g, minlvl, depth); return;
    default: gen_bool(g, minlvl, depth); return;
    }
}

char *exprgen_text(const exprgen_config *cfg, int type, uint64_t seed)
{
    gen g = {.rng = seed, .cfg = cfg};
    put(&g, "", 0);
    jc_type t = type == EXPRGEN_ANY ? (jc_type)pick(&g, 3) : (jc_type)type;
    gen_expr(&g, t, 0, cfg->max_depth);
    if (g.oom) {
        free(g.s);
        return NULL;
    }
    return g.s;
}
