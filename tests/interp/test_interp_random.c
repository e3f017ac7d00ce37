/* test_interp_random.c — seeded random expressions (every operator,
 * function, aggregate and type) over data full of edge values: the block
 * path equals the precise path bit for bit, with and without constant
 * folding, for every kernel set, SLEEF width and call size; errors agree on
 * code and row. */
#include <stdio.h>
#include <stdlib.h>

#include "testutil.h"

static uint64_t rng;
static unsigned pick(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

typedef struct text {
    char buf[8192];
    size_t len;
    int overflow;
} text;

static void put(text *t, const char *s)
{
    size_t l = strlen(s);
    if (t->len + l + 1 >= sizeof t->buf) {
        t->overflow = 1;
        return;
    }
    memcpy(t->buf + t->len, s, l + 1);
    t->len += l;
}

enum { F, I, B };
static void gen(text *t, int type, int depth, int in_agg);

static void call(text *t, const char *fn, const int *types, int n, int depth, int in_agg)
{
    put(t, fn);
    put(t, "(");
    for (int k = 0; k < n; k++) {
        if (k)
            put(t, ", ");
        gen(t, types[k], depth - 1, in_agg);
    }
    put(t, ")");
}

static void binary(text *t, int lt, const char *op, int rt, int depth, int in_agg)
{
    put(t, "(");
    gen(t, lt, depth - 1, in_agg);
    put(t, " ");
    put(t, op);
    put(t, " ");
    gen(t, rt, depth - 1, in_agg);
    put(t, ")");
}

static void leaf(text *t, int type)
{
    static const char *f[] = {"a", "b", "c", "a", "b", "1.5", "-0.0", "(0.0/0.0)",
                              "(1.0/0.0)", "0.1", "1e300", "2.5", "-3.0", "pi()"};
    static const char *i[] = {"i", "j", "i", "j", "3", "-7", "0", "1", "2",
                              "9223372036854775807", "(-9223372036854775807 - 1)", "count()"};
    static const char *b[] = {"p", "q", "p", "true", "false"};
    if (type == F)
        put(t, f[pick(sizeof f / sizeof *f)]);
    else if (type == I)
        put(t, i[pick(sizeof i / sizeof *i)]);
    else
        put(t, b[pick(sizeof b / sizeof *b)]);
}

static void gen(text *t, int type, int depth, int in_agg)
{
    if (depth <= 0 || pick(8) == 0) {
        leaf(t, type);
        return;
    }
    static const int ff[] = {F, F, F}, fi[] = {F, I}, bff[] = {B, F, F}, bii[] = {B, I, I},
                     bbb[] = {B, B, B}, ii[] = {I, I, I};
    if (type == F) {
        static const char *bin[] = {"+", "-", "*", "/", "//", "%", "^", "**"};
        static const char *un[] = {"abs", "sign", "sqrt", "cbrt", "exp", "expm1", "ln", "log10",
                                   "log2", "log1p", "sin", "cos", "tan", "asin", "acos",
                                   "atan", "sinh", "cosh", "tanh", "floor", "ceil", "trunc",
                                   "round", "log"};
        static const char *two[] = {"atan2", "hypot", "fmod", "pow", "least", "greatest"};
        switch (pick(14)) {
        case 0: case 1: case 2:
            binary(t, pick(4) ? F : I, bin[pick(8)], pick(4) ? F : I, depth, in_agg);
            return;
        case 3: case 4: call(t, un[pick(24)], ff, 1, depth, in_agg); return;
        case 5: call(t, two[pick(6)], ff, 2, depth, in_agg); return;
        case 6: call(t, "round", fi, 2, depth, in_agg); return;
        case 7: call(t, "if", bff, 3, depth, in_agg); return;
        case 8: call(t, pick(2) ? "least" : "clamp", ff, 3, depth, in_agg); return;
        case 9: put(t, "(-"); gen(t, F, depth - 1, in_agg); put(t, ")"); return;
        case 10: put(t, "float("); gen(t, pick(2) ? I : B, depth - 1, in_agg); put(t, ")"); return;
        case 11: case 12:
            if (in_agg < 3) {
                static const char *agg[] = {"sum", "avg", "min", "max", "mean"};
                put(t, agg[pick(5)]);
                put(t, "(");
                gen(t, F, depth - 1, in_agg + 1);
                put(t, ")");
                return;
            }
            leaf(t, F);
            return;
        default:
            put(t, "avg(");
            gen(t, I, depth - 1, in_agg + 1);
            put(t, ")");
            return;
        }
    }
    if (type == I) {
        static const char *bin[] = {"+", "-", "*", "//", "%"};
        switch (pick(11)) {
        case 0: case 1: case 2: binary(t, pick(5) ? I : B, bin[pick(5)], I, depth, in_agg); return;
        case 3: call(t, pick(2) ? "abs" : "sign", ii, 1, depth, in_agg); return;
        case 4: call(t, pick(2) ? "least" : "greatest", ii, 2 + pick(2), depth, in_agg); return;
        case 5: call(t, "int", ff, 1, depth, in_agg); return;
        case 6: call(t, "if", bii, 3, depth, in_agg); return;
        case 7: put(t, "(-"); gen(t, I, depth - 1, in_agg); put(t, ")"); return;
        case 8:
            if (in_agg < 3) {
                static const char *agg[] = {"sum", "min", "max"};
                put(t, agg[pick(3)]);
                put(t, "(");
                gen(t, pick(4) ? I : B, depth - 1, in_agg + 1);
                put(t, ")");
                return;
            }
            leaf(t, I);
            return;
        case 9: call(t, pick(2) ? "round" : "floor", ii, 1, depth, in_agg); return;
        default: put(t, "int("); gen(t, B, depth - 1, in_agg); put(t, ")"); return;
        }
    }
    static const char *cmp[] = {"==", "!=", "<", "<=", ">", ">=", "=", "<>"};
    switch (pick(9)) {
    case 0: case 1: binary(t, F, cmp[pick(8)], pick(3) ? F : I, depth, in_agg); return;
    case 2: binary(t, I, cmp[pick(8)], I, depth, in_agg); return;
    case 3: binary(t, B, pick(2) ? "==" : "!=", B, depth, in_agg); return;
    case 4: binary(t, B, pick(2) ? "and" : "&&", B, depth, in_agg); return;
    case 5: binary(t, B, pick(2) ? "or" : "||", B, depth, in_agg); return;
    case 6: put(t, pick(2) ? "(not " : "(!"); gen(t, B, depth - 1, in_agg); put(t, ")"); return;
    case 7: call(t, pick(3) == 0 ? "isnan" : pick(2) ? "isinf" : "isfinite", ff, 1, depth, in_agg); return;
    default: call(t, "if", bbb, 3, depth, in_agg); return;
    }
}

enum { ROWS = 1100 };
static double a[ROWS], b[ROWS], c[ROWS];
static int64_t i_[ROWS], j_[ROWS];
static uint8_t p[ROWS], q[ROWS];

static void fill_data(void)
{
    static const double fs[] = {0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 3.0, 1e308, -1e308, 1e-310,
                                __builtin_inf(), -__builtin_inf(), __builtin_nan(""), 709.9,
                                2.0, 100.0, 1e-5};
    static const int64_t is[] = {0, 1, -1, 2, -2, 3, 7, -7, 100, INT64_MAX, INT64_MIN,
                                 INT64_MAX - 1, 4611686018427387904, 3037000500};
    for (int r = 0; r < ROWS; r++) {
        double *cols[] = {a, b, c};
        for (int k = 0; k < 3; k++)
            cols[k][r] = pick(3) ? fs[pick(sizeof fs / sizeof *fs)]
                                 : ((double)pick(2000001) - 1000000.0) / 1000.0;
        /* mostly small integers: then most expressions do not fault */
        i_[r] = pick(6) ? (int64_t)pick(21) - 10 : is[pick(sizeof is / sizeof *is)];
        j_[r] = pick(6) ? (int64_t)pick(21) - 10 : is[pick(sizeof is / sizeof *is)];
        p[r] = (uint8_t)pick(2);
        q[r] = (uint8_t)pick(2);
    }
}

static void fast_path_equals_precise_path(void **state)
{
    (void)state;
    /* JC_RANDOM_EXPRS / JC_RANDOM_SEED: longer, other runs by hand */
    const char *env_n = getenv("JC_RANDOM_EXPRS"), *env_seed = getenv("JC_RANDOM_SEED");
    int nexprs = env_n ? atoi(env_n) : 3000;
    rng = env_seed && strtoull(env_seed, NULL, 0) ? strtoull(env_seed, NULL, 0) : 0x853C49E6748FEA9Bu;
    fill_data();
    jc_column cols[] = {col_f64("a", a, ROWS), col_f64("b", b, ROWS), col_f64("c", c, ROWS),
                        col_i64("i", i_, ROWS), col_i64("j", j_, ROWS),
                        col_bool("p", p, ROWS), col_bool("q", q, ROWS)};
    const block_isa *isas[4];
    size_t nisa = block_isas(isas, 4);
    const mathfn_set *sets[8];
    size_t nsets = mathfn_sets(sets, 8);
    static const size_t rows[] = {0, 1, 7, 8, 9, 17, 100, 1023, 1025, ROWS};
    static const size_t calls[] = {0, 0, 0, 1, 3, 8, 64, 1000};
    int ok = 0, faults = 0, nulls = 0, columns = 0;
    for (int e = 0; e < nexprs; e++) {
        text t = {.len = 0};
        int type = (int)pick(3);
        gen(&t, type, 1 + (int)pick(7), 0);
        if (t.overflow)
            continue;
        size_t n = rows[pick(sizeof rows / sizeof *rows)];
        drv_result ref;
        drv_opts po = {.path = DRV_ROWS, .no_fold = (int)pick(2)};
        drv_eval(t.buf, cols, 7, n, &po, &ref);
        if (ref.rc != 0 && (ref.err.code == JC_TYPE_ERROR || ref.err.code == JC_PARSE_ERROR ||
                            ref.err.code == JC_LIMIT_EXCEEDED))
            fail_msg("generator wrote an invalid expression: `%s`: %s", t.buf, ref.err.message);
        for (int v = 0; v < 4; v++) {
            drv_opts o = {
                .path = v == 3 ? DRV_PRECISE : DRV_FAST,
                .call_rows = calls[pick(sizeof calls / sizeof *calls)],
                .add_rows = pick(3) ? 0 : 1 + pick(9),
                .no_fold = v == 2,
                .isa = isas[pick((unsigned)nisa)],
                .math = sets[pick((unsigned)nsets)],
            };
            drv_result r;
            drv_eval(t.buf, cols, 7, n, &o, &r);
            if (!drv_same(&ref, &r)) {
                char detail[256] = "";
                if (ref.rc == 0 && r.rc == 0 && ref.is_column)
                    for (size_t k = 0; k < n; k++)
                        if (memcmp((char *)ref.values + k * type_size(ref.type),
                                   (char *)r.values + k * type_size(ref.type),
                                   type_size(ref.type))) {
                            snprintf(detail, sizeof detail, "first difference at row %zu", k);
                            break;
                        }
                fail_msg("`%s` over %zu rows: row-by-row rc %d (%s, row %lld) vs %s rc %d "
                         "(%s, row %lld) [isa %s, math %s, call %zu, add %zu, fold %d] %s",
                         t.buf, n, ref.rc, ref.err.message, (long long)ref.err.row,
                         v == 3 ? "precise" : "block", r.rc,
                         r.err.message, (long long)r.err.row, o.isa->name, o.math->isa,
                         o.call_rows, o.add_rows, !o.no_fold, detail);
            }
            drv_result_free(&r);
        }
        ok += ref.rc == 0;
        faults += ref.rc != 0;
        nulls += ref.rc == 0 && ref.is_null;
        columns += ref.rc == 0 && ref.is_column;
        drv_result_free(&ref);
    }
    print_message("%d expressions: %d ok (%d columns, %d nulls), %d faulted\n", nexprs, ok,
                  columns, nulls, faults);
    /* the generator must exercise both outcomes */
    assert_true(ok > nexprs / 4);
    assert_true(faults > nexprs / 50);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fast_path_equals_precise_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
