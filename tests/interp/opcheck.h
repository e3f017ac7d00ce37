/*
 * opcheck.h — checks one expression over a table of cases three ways:
 * over columns `xx`, `yy` through the block path and the precise path (one
 * row per case, so the block kernels see many lanes), and with each case's
 * values substituted as literals (so constant folding computes it). Every
 * way must give the expected bits for every row.
 */
#ifndef JC_TESTS_INTERP_OPCHECK_H
#define JC_TESTS_INTERP_OPCHECK_H

#include <stdio.h>
#include <stdlib.h>

#include "testutil.h"

typedef union cv {
    double f;
    int64_t i;
} cv;

/* A literal for value v of type ty that parses back to exactly v. */
static inline void literal(char *buf, size_t size, jc_type ty, cv v)
{
    if (ty == JC_BOOL) {
        snprintf(buf, size, "%s", v.i ? "true" : "false");
    } else if (ty == JC_I64) {
        if (v.i == INT64_MIN)
            snprintf(buf, size, "(-9223372036854775807 - 1)");
        else
            snprintf(buf, size, "(%lld)", (long long)v.i);
    } else if (isnan(v.f)) {
        snprintf(buf, size, "(0.0/0.0)");
    } else if (isinf(v.f)) {
        snprintf(buf, size, "(%s1.0/0.0)", v.f < 0 ? "-" : "");
    } else {
        char num[64];
        snprintf(num, sizeof num, "%.17g", fabs(v.f));
        if (!strpbrk(num, ".e"))
            strcat(num, ".0");
        snprintf(buf, size, "(%s%s)", signbit(v.f) ? "-" : "", num);
    }
}

/* expr with every `xx` / `yy` replaced by the literals. */
static inline void substitute(char *out, size_t size, const char *expr,
                              const char *x, const char *y)
{
    size_t o = 0;
    for (const char *p = expr; *p && o + 1 < size;) {
        const char *rep = NULL;
        if (p[0] == 'x' && p[1] == 'x')
            rep = x;
        else if (p[0] == 'y' && p[1] == 'y')
            rep = y;
        if (rep) {
            size_t l = strlen(rep);
            if (o + l + 1 >= size)
                break;
            memcpy(out + o, rep, l);
            o += l;
            p += 2;
        } else {
            out[o++] = *p++;
        }
    }
    out[o] = '\0';
}

static inline int same_value(jc_type ty, cv want, const void *got)
{
    if (ty == JC_BOOL)
        return *(const uint8_t *)got == (uint8_t)want.i;
    uint64_t g, w;
    memcpy(&g, got, 8);
    if (ty == JC_F64)
        want.f = num_canon(want.f);
    memcpy(&w, &want, 8);
    return g == w;
}

static inline void describe(char *buf, size_t size, jc_type ty, cv v)
{
    if (ty == JC_F64)
        snprintf(buf, size, "%.17g (%a)", v.f, v.f);
    else
        snprintf(buf, size, "%lld", (long long)v.i);
}

/* Checks expr over n cases: xs/ys (types tx/ty; ys may be NULL) -> want
 * (type tr). */
static inline void check_cases(const char *expr, jc_type tx, const cv *xs,
                               jc_type ty, const cv *ys, jc_type tr,
                               const cv *want, size_t n)
{
    uint8_t *bx = calloc(n + 1, 1), *by = calloc(n + 1, 1);
    for (size_t i = 0; i < n; i++) {
        bx[i] = (uint8_t)xs[i].i;
        if (ys)
            by[i] = (uint8_t)ys[i].i;
    }
    jc_column cols[2] = {
        {"xx", tx, tx == JC_BOOL ? (const void *)bx : (const void *)xs, n},
        {"yy", ty, ty == JC_BOOL ? (const void *)by : (const void *)ys, n},
    };
    drv_result r = eval_both(expr, cols, ys ? 2 : 1, n);
    if (r.rc != 0)
        fail_msg("`%s` over columns failed: %s", expr, r.err.message);
    if (r.type != tr || !r.is_column || r.rows != n)
        fail_msg("`%s`: type %d (want %d), column %d, rows %zu", expr, r.type, tr,
                 r.is_column, r.rows);
    for (size_t i = 0; i < n; i++) {
        const char *got = (const char *)r.values + i * type_size(tr);
        char sx[64], sy[64], sw[64], sg[64];
        describe(sx, sizeof sx, tx, xs[i]);
        describe(sy, sizeof sy, ty, ys ? ys[i] : (cv){0});
        describe(sw, sizeof sw, tr, want[i]);
        cv g = {0};
        memcpy(&g, got, type_size(tr));
        describe(sg, sizeof sg, tr, g);
        if (!same_value(tr, want[i], got))
            fail_msg("`%s` row %zu: xx=%s yy=%s: want %s, got %s", expr, i, sx,
                     ys ? sy : "-", sw, sg);

        /* the same case with literals: constant folding computes it */
        char lx[64], ly[64], text[512];
        literal(lx, sizeof lx, tx, xs[i]);
        literal(ly, sizeof ly, ty, ys ? ys[i] : (cv){0});
        substitute(text, sizeof text, expr, lx, ly);
        drv_result s = eval0(text);
        if (s.rc != 0 || s.is_column || s.type != tr)
            fail_msg("`%s`: rc %d (%s), column %d", text, s.rc, s.err.message,
                     s.is_column);
        if (!same_value(tr, want[i], &s.scalar)) {
            cv g2 = {.i = s.scalar.i};
            describe(sg, sizeof sg, tr, g2);
            fail_msg("`%s` (folded): want %s, got %s", text, sw, sg);
        }
    }
    drv_result_free(&r);
    free(bx);
    free(by);
}

#define NCASES(a) (sizeof(a) / sizeof((a)[0]))

/* Tables of {x, y, want}. */
typedef struct ff { double x, y, want; } ff;
typedef struct ii { int64_t x, y, want; } ii;

static inline void check_ff(const char *expr, const ff *c, size_t n, int binary)
{
    cv *x = calloc(n, sizeof *x), *y = calloc(n, sizeof *y), *w = calloc(n, sizeof *w);
    for (size_t i = 0; i < n; i++) {
        x[i].f = c[i].x;
        y[i].f = c[i].y;
        w[i].f = c[i].want;
    }
    check_cases(expr, JC_F64, x, JC_F64, binary ? y : NULL, JC_F64, w, n);
    free(x);
    free(y);
    free(w);
}

static inline void check_ii(const char *expr, const ii *c, size_t n, int binary)
{
    cv *x = calloc(n, sizeof *x), *y = calloc(n, sizeof *y), *w = calloc(n, sizeof *w);
    for (size_t i = 0; i < n; i++) {
        x[i].i = c[i].x;
        y[i].i = c[i].y;
        w[i].i = c[i].want;
    }
    check_cases(expr, JC_I64, x, JC_I64, binary ? y : NULL, JC_I64, w, n);
    free(x);
    free(y);
    free(w);
}

/* The fault of expr with xx = x (and yy = y), i64 or f64 per tx: over a
 * column (both paths) and as literals (folding must leave it to fault at
 * run time). Returns the code; both ways must agree. */
static inline jc_code fault_of(const char *expr, jc_type tx, cv x, cv y)
{
    jc_column cols[2] = {{"xx", tx, &x, 1}, {"yy", tx, &y, 1}};
    int64_t row = 99;
    jc_code c1 = error_of(expr, cols, 2, 1, &row);
    if (row != 0)
        fail_msg("`%s`: fault at row %lld, want 0", expr, (long long)row);
    char lx[64], ly[64], text[512];
    literal(lx, sizeof lx, tx, x);
    literal(ly, sizeof ly, tx, y);
    substitute(text, sizeof text, expr, lx, ly);
    int64_t row2 = 99;
    jc_code c2 = error_of(text, NULL, 0, 0, &row2);
    if (c1 != c2 || row2 != -1)
        fail_msg("`%s`: %d at row %lld, but `%s`: %d at row %lld", expr, c1,
                 (long long)row, text, c2, (long long)row2);
    return c1;
}

#endif
