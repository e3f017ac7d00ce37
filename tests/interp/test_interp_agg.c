/* test_interp_agg.c — aggregates over 0, 1 and many rows, nested
 * aggregates, and the deterministic sum order (reduce.h): the same bits
 * whatever the call sizes, agg_add pieces or kernel set. */
#include <mpfr.h>
#include <stdlib.h>
#include <string.h>

#include "interp/reduce.h"
#include "testutil.h"

/* The documented order, written independently of reduce.c. */
static double reference_sum(const double *v, size_t n)
{
    if (n == 0)
        return 0.0;
    double total = 0;
    for (size_t c0 = 0; c0 < n; c0 += JC_CHUNK_ROWS) {
        double l[8] = {-0.0, -0.0, -0.0, -0.0, -0.0, -0.0, -0.0, -0.0};
        for (size_t p = 0; c0 + p < n && p < JC_CHUNK_ROWS; p++)
            l[p % 8] += v[c0 + p];
        double ct = ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]));
        total = c0 == 0 ? ct : total + ct;
    }
    return num_canon(total);
}

static uint64_t rng = 0x2545F4914F6CDD1Du;
static uint64_t next64(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* Values over a wide range of magnitudes, so that the order shows. */
static double wide_value(void)
{
    double m = (double)(next64() >> 11) / 9007199254740992.0;
    int e = (int)(next64() % 61) - 30;
    return ldexp(next64() & 1 ? -m : m, e);
}

static void aggregates_over_zero_one_and_many_rows(void **state)
{
    (void)state;
    double a[] = {4, -1, 2.5, 8, -0.5};
    int64_t i[] = {4, -1, 2, 8, -5};
    jc_column c[] = {col_f64("a", a, 5), col_i64("i", i, 5)};
    static const struct { const char *e; size_t n; double f; int64_t iv; int null; } t[] = {
        {"sum(a)", 0, 0.0, 0, 0}, {"sum(a)", 1, 4, 0, 0}, {"sum(a)", 5, 13, 0, 0},
        {"avg(a)", 0, 0, 0, 1}, {"avg(a)", 1, 4, 0, 0}, {"avg(a)", 5, 2.6, 0, 0},
        {"min(a)", 0, 0, 0, 1}, {"min(a)", 1, 4, 0, 0}, {"min(a)", 5, -1, 0, 0},
        {"max(a)", 0, 0, 0, 1}, {"max(a)", 1, 4, 0, 0}, {"max(a)", 5, 8, 0, 0},
        {"avg(i)", 0, 0, 0, 1}, {"avg(i)", 5, 1.6, 0, 0}, {"avg(i)", 1, 4, 0, 0},
    };
    for (size_t k = 0; k < sizeof t / sizeof t[0]; k++) {
        drv_result r = eval_both(t[k].e, c, 2, t[k].n);
        if (r.rc != 0 || r.is_null != t[k].null || r.type != JC_F64)
            fail_msg("`%s` over %zu rows: rc %d null %d", t[k].e, t[k].n, r.rc, r.is_null);
        if (!t[k].null)
            assert_bits(t[k].f, r.scalar.f);
    }
    static const struct { const char *e; size_t n; int64_t v; int null; } u[] = {
        {"sum(i)", 0, 0, 0}, {"sum(i)", 1, 4, 0}, {"sum(i)", 5, 8, 0},
        {"min(i)", 0, 0, 1}, {"min(i)", 5, -5, 0}, {"max(i)", 5, 8, 0},
        {"max(i)", 1, 4, 0}, {"count()", 0, 0, 0}, {"count()", 5, 5, 0},
    };
    for (size_t k = 0; k < sizeof u / sizeof u[0]; k++) {
        drv_result r = eval_both(u[k].e, c, 2, u[k].n);
        if (r.rc != 0 || r.is_null != u[k].null || r.type != JC_I64)
            fail_msg("`%s` over %zu rows: rc %d null %d", u[k].e, u[k].n, r.rc, r.is_null);
        if (!u[k].null)
            assert_int_equal(r.scalar.i, u[k].v);
    }
}

static void min_max_propagate_nan_and_order_zeros(void **state)
{
    (void)state;
    enum { N = 3000 };
    static double a[N];
    for (int i = 0; i < N; i++)
        a[i] = i % 2 ? 0.0 : -0.0;
    jc_column c = col_f64("a", a, N);
    drv_result r = eval_both("min(a)", &c, 1, N);
    assert_bits(-0.0, r.scalar.f);
    r = eval_both("max(a)", &c, 1, N);
    assert_bits(0.0, r.scalar.f);
    a[2500] = __builtin_nan("");
    r = eval_both("min(a)", &c, 1, N);
    assert_int_equal(num_bits(r.scalar.f), NUM_CANON_NAN_BITS);
    r = eval_both("max(a)", &c, 1, N);
    assert_int_equal(num_bits(r.scalar.f), NUM_CANON_NAN_BITS);
    /* a NaN with a payload and a sign comes out canonical, whichever way
     * the scalar root is read */
    uint64_t odd = UINT64_C(0xFFF4000000000123);
    memcpy(&a[2500], &odd, 8);
    static const char *const reads[] = {"min(a)", "max(a)", "sum(a)", "avg(a)", "sum(a) * 1"};
    for (size_t k = 0; k < sizeof reads / sizeof reads[0]; k++) {
        r = eval_both(reads[k], &c, 1, N);
        assert_int_equal(num_bits(r.scalar.f), NUM_CANON_NAN_BITS);
    }
    a[2500] = -__builtin_inf();
    r = eval_both("min(a)", &c, 1, N);
    assert_bits(-__builtin_inf(), r.scalar.f);
    int64_t i[] = {INT64_MIN, INT64_MAX, 0};
    jc_column ci = col_i64("i", i, 3);
    r = eval_both("min(i)", &ci, 1, 3);
    assert_int_equal(r.scalar.i, INT64_MIN);
    r = eval_both("max(i)", &ci, 1, 3);
    assert_int_equal(r.scalar.i, INT64_MAX);
}

static void sums_of_signed_zeros_and_infinities(void **state)
{
    (void)state;
    double z[] = {-0.0, -0.0, -0.0};
    jc_column c = col_f64("a", z, 3);
    drv_result r = eval_both("sum(a)", &c, 1, 3);
    assert_bits(-0.0, r.scalar.f);
    r = eval_both("sum(a)", &c, 1, 0);
    assert_bits(0.0, r.scalar.f);
    double inf[] = {__builtin_inf(), 1, -__builtin_inf()};
    c = col_f64("a", inf, 3);
    r = eval_both("sum(a)", &c, 1, 3);
    assert_int_equal(num_bits(r.scalar.f), NUM_CANON_NAN_BITS);
    r = eval_both("sum(a)", &c, 1, 2);
    assert_bits(__builtin_inf(), r.scalar.f);
}

static void nested_aggregates(void **state)
{
    (void)state;
    double a[] = {2, 4, 4, 4, 5, 5, 7, 9};
    jc_column c = col_f64("a", a, 8);
    drv_result r = eval_both("avg((a - avg(a))^2)", &c, 1, 8);
    assert_int_equal(r.rc, 0);
    assert_bits(4.0, r.scalar.f);
    r = eval_both("max(a - min(a)) + count()", &c, 1, 8);
    assert_bits(15.0, r.scalar.f);
    r = eval_both("sum(a - avg(a) - avg(a - avg(a)))", &c, 1, 8); /* three levels */
    assert_bits(0.0, r.scalar.f);
    r = eval_both("sum(sum(a))", &c, 1, 8); /* the inner sum read per row */
    assert_bits(320.0, r.scalar.f);
    r = eval_both("a / sum(a)", &c, 1, 8);
    assert_true(r.is_column);
    assert_bits(9.0 / 40.0, ((double *)r.values)[7]);
    drv_result_free(&r);
    r = eval_both("a > avg(a) and a < max(a)", &c, 1, 8);
    assert_memory_equal(r.values, ((uint8_t[]){0, 0, 0, 0, 0, 0, 1, 0}), 8);
    drv_result_free(&r);
}

static void f64_sum_follows_the_documented_order(void **state)
{
    (void)state;
    enum { N = 50000 };
    double *a = malloc(N * sizeof *a);
    for (int i = 0; i < N; i++)
        a[i] = wide_value();
    jc_column c = col_f64("a", a, N);
    /* every size up to 400 (each lane and tree position matters in some),
     * then sizes around chunk boundaries */
    static const size_t big[] = {1023, 1025, 16383, 16384, 16385, 32769, N};
    int differs_from_naive = 0;
    for (size_t k = 0; k < 401 + sizeof big / sizeof big[0]; k++) {
        size_t n = k <= 400 ? k : big[k - 401];
        double want = reference_sum(a, n);
        drv_result r = eval_both("sum(a)", &c, 1, n);
        assert_bits(want, r.scalar.f);
        r = eval_both("avg(a)", &c, 1, n);
        if (n)
            assert_bits(want / (double)n, r.scalar.f);
        double naive = 0;
        for (size_t i = 0; i < n; i++)
            naive += a[i];
        differs_from_naive |= num_bits(naive) != num_bits(want);
    }
    assert_true(differs_from_naive); /* the data does exercise the order */
    free(a);
}

static void sum_bits_do_not_depend_on_block_boundaries(void **state)
{
    (void)state;
    enum { N = 40000 };
    double *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b);
    for (int i = 0; i < N; i++) {
        a[i] = wide_value();
        b[i] = wide_value();
    }
    jc_column c[] = {col_f64("a", a, N), col_f64("b", b, N)};
    static const char *exprs[] = {"sum(a * b)", "avg(a - b)", "sum(a) + sum(b * avg(a))",
                                  "sum(if(a > b, a, b))"};
    static const size_t calls[] = {1, 3, 7, 8, 1000, 1024, 1500, 5000, 16384};
    static const size_t adds[] = {0, 1, 5, 8, 13};
    const block_isa *isas[3];
    size_t nisa = block_isas(isas, 3);
    for (size_t e = 0; e < sizeof exprs / sizeof exprs[0]; e++) {
        drv_result base;
        drv_eval(exprs[e], c, 2, N, NULL, &base);
        assert_int_equal(base.rc, 0);
        for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
            for (size_t j = 0; j < sizeof adds / sizeof adds[0]; j++) {
                for (int path = 0; path < 2; path++) {
                    if (path == DRV_PRECISE && (calls[i] < 1000 || adds[j] > 1))
                        continue; /* the slow path: a few sizes suffice */
                    drv_opts o = {.path = path, .call_rows = calls[i], .add_rows = adds[j],
                                  .isa = isas[(i + j) % nisa]};
                    drv_result r;
                    drv_eval(exprs[e], c, 2, N, &o, &r);
                    if (!drv_same(&base, &r))
                        fail_msg("`%s`: call %zu add %zu path %d isa %s: %a vs %a", exprs[e],
                                 calls[i], adds[j], path, o.isa->name, base.scalar.f,
                                 r.scalar.f);
                }
            }
        }
    }
    free(a);
    free(b);
}

static void chunk_partials_merge_in_chunk_order(void **state)
{
    (void)state;
    /* Directly through reduce.h: pieces of any size at their positions. */
    enum { N = 3 * JC_CHUNK_ROWS + 17 };
    double *v = malloc(N * sizeof *v);
    for (int i = 0; i < N; i++)
        v[i] = wide_value();
    agg_acc total;
    agg_begin(&total, OP_SUM, JC_F64);
    for (size_t c0 = 0; c0 < N; c0 += JC_CHUNK_ROWS) {
        size_t len = N - c0 < JC_CHUNK_ROWS ? N - c0 : JC_CHUNK_ROWS;
        agg_acc chunk;
        agg_begin(&chunk, OP_SUM, JC_F64);
        for (size_t p = 0; p < len;) {
            size_t piece = 1 + next64() % 37;
            if (piece > len - p)
                piece = len - p;
            agg_add(&chunk, v + c0 + p, piece, p);
            p += piece;
        }
        agg_merge(&total, &chunk);
    }
    uint64_t bits;
    jc_scalar_state st;
    agg_finish(&total, N, &bits, &st);
    assert_int_equal(st.kind, SCALAR_VALUE);
    assert_bits(reference_sum(v, N), num_from_bits(bits));
    /* one chunk finished without a merge is that chunk alone */
    agg_acc one;
    agg_begin(&one, OP_SUM, JC_F64);
    agg_add(&one, v, 100, 0);
    agg_finish(&one, 100, &bits, &st);
    assert_bits(reference_sum(v, 100), num_from_bits(bits));
    free(v);
}

static void i64_sum_is_exact_in_any_order(void **state)
{
    (void)state;
    int64_t v[] = {INT64_MAX, INT64_MAX, INT64_MIN, INT64_MIN, 5, -3};
    agg_acc a;
    agg_begin(&a, OP_SUM, JC_I64);
    agg_add(&a, v, 6, 0);
    uint64_t bits;
    jc_scalar_state st;
    agg_finish(&a, 6, &bits, &st);
    assert_int_equal(st.kind, SCALAR_VALUE);
    assert_int_equal((int64_t)bits, 0);
    agg_begin(&a, OP_SUM, JC_I64);
    agg_add(&a, v, 2, 0);
    agg_finish(&a, 2, &bits, &st);
    assert_int_equal(st.kind, SCALAR_FAULT);
    assert_int_equal(st.code, JC_INTEGER_OVERFLOW);
    assert_int_equal(st.row, -1);
    agg_begin(&a, OP_AVG, JC_I64);
    agg_add(&a, v, 2, 0);
    agg_finish(&a, 2, &bits, &st);
    assert_int_equal(st.kind, SCALAR_VALUE);
    assert_bits(9223372036854775807.0, num_from_bits(bits));
}

/* Many values at the extremes of i64 and in between, fed in pieces of
 * every length (the vectorised body and its tail): the total is the exact
 * 128-bit sum, however it overflows 64 bits on the way. */
static void i64_sum_of_extreme_values_is_exact(void **state)
{
    (void)state;
    enum { N = 10007 };
    static int64_t v[N];
    uint64_t x = 0x9E3779B97F4A7C15ull;
    __int128 want = 0;
    for (size_t i = 0; i < N; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        switch (x % 4) {
        case 0: v[i] = INT64_MAX - (int64_t)(x >> 60); break;
        case 1: v[i] = INT64_MIN + (int64_t)(x >> 60); break;
        case 2: v[i] = (int64_t)x; break;
        default: v[i] = (int64_t)(x >> 40) - (1 << 23); break;
        }
        want += v[i];
    }
    static const size_t pieces[] = {1, 7, 8, 9, 63, 1024, N};
    for (size_t k = 0; k < sizeof pieces / sizeof *pieces; k++) {
        size_t piece = pieces[k];
        agg_acc a;
        agg_begin(&a, OP_SUM, JC_I64);
        for (size_t at = 0; at < N; at += piece)
            agg_add(&a, v + at, at + piece <= N ? piece : N - at, at);
        assert_true(a.isum == want);
    }
}

/* avg(i64) = the exact sum / count, rounded once: against MPFR. */
static void exact_average_is_correctly_rounded(void **state)
{
    (void)state;
    mpfr_t s, q;
    mpfr_init2(s, 200);
    mpfr_init2(q, 53);
    char buf[64];
    for (int k = 0; k < 200000; k++) {
        unsigned __int128 m = ((unsigned __int128)next64() << 64) | next64();
        int shift = (int)(next64() % 127);
        __int128 sum = (__int128)(m >> (shift + 1));
        if (next64() & 1)
            sum = -sum;
        uint64_t count = next64() >> (next64() % 64);
        if (k % 5 == 0)
            count = 1 + next64() % 1000; /* small counts: exact halves */
        if (k % 7 == 0)
            sum = (__int128)(next64() % 2001) - 1000;
        if (count == 0)
            count = 1;
        /* the sum as decimal text for MPFR */
        unsigned __int128 u = sum < 0 ? -(unsigned __int128)sum : (unsigned __int128)sum;
        char *p = buf + sizeof buf - 1;
        *p = '\0';
        do {
            *--p = (char)('0' + (int)(u % 10));
            u /= 10;
        } while (u);
        if (sum < 0)
            *--p = '-';
        mpfr_set_str(s, p, 10, MPFR_RNDN); /* exact: 200 bits */
        mpfr_div_ui(q, s, count, MPFR_RNDN);
        double want = mpfr_get_d(q, MPFR_RNDN);
        double got = agg_div_exact(sum, count);
        if (num_bits(want) != num_bits(got))
            fail_msg("%s / %llu: want %a, got %a", p, (unsigned long long)count, want, got);
    }
    mpfr_clear(s);
    mpfr_clear(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(aggregates_over_zero_one_and_many_rows),
        cmocka_unit_test(min_max_propagate_nan_and_order_zeros),
        cmocka_unit_test(sums_of_signed_zeros_and_infinities),
        cmocka_unit_test(nested_aggregates),
        cmocka_unit_test(f64_sum_follows_the_documented_order),
        cmocka_unit_test(sum_bits_do_not_depend_on_block_boundaries),
        cmocka_unit_test(chunk_partials_merge_in_chunk_order),
        cmocka_unit_test(i64_sum_is_exact_in_any_order),
        cmocka_unit_test(i64_sum_of_extreme_values_is_exact),
        cmocka_unit_test(exact_average_is_correctly_rounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
