/* reduce.c — deterministic aggregate reducers (reduce.h). */
#include "interp/reduce.h"

#include <math.h>
#include <string.h>

#include "interp/numeric.h"

void agg_begin(agg_acc *acc, jc_op op, jc_type arg_type)
{
    memset(acc, 0, sizeof *acc);
    acc->op = (uint8_t)op;
    acc->type = (uint8_t)arg_type;
    for (int j = 0; j < 8; j++)
        acc->lane[j] = -0.0; /* so that a sum of -0.0 values stays -0.0 */
    acc->total = -0.0;
    acc->fbest = op == OP_MIN ? __builtin_inf() : -__builtin_inf();
    acc->ibest = op == OP_MIN ? INT64_MAX : INT64_MIN;
}

/* The block sums again for the widest vectors the CPU has, chosen once by
 * the loader (ifunc): same operations in the same order, so the same bits.
 * Not under the sanitizers, whose start-up the resolvers would run before. */
#if defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__) &&                 \
    (defined(__clang__) ? __clang_major__ >= 14 : __GNUC__ >= 6)
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SUM_CLONES
#endif
#endif
#ifndef SUM_CLONES
#define SUM_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#endif
#else
#define SUM_CLONES
#endif

/* Lane j adds positions p with p % 8 == j, in order. Whole groups of 8
 * aligned positions go through eight independent partials at once (the
 * compiler makes that one vector add), which is the same order. */
SUM_CLONES static void add_f64_sum(agg_acc *acc, const double *v, size_t n, size_t pos)
{
    double l[8];
    memcpy(l, acc->lane, sizeof l);
    size_t i = 0;
    unsigned j = (unsigned)(pos & 7);
    for (; i < n && j != 0; i++, j = (j + 1) & 7)
        l[j] += v[i];
    for (; i + 8 <= n; i += 8)
        for (unsigned k = 0; k < 8; k++)
            l[k] += v[i + k];
    for (unsigned k = 0; i < n; i++, k++)
        l[k] += v[i];
    memcpy(acc->lane, l, sizeof l);
}

/* Exact, whatever the values: each is split into its signed high 32 bits
 * and unsigned low 32 bits, and the halves are summed apart in 64-bit
 * integers, which cannot overflow over fewer than 2^31 values. Plain 64-bit
 * adds with no carry chain: the compiler makes them vector adds. Integer
 * sums do not depend on order. */
SUM_CLONES static void add_i64_sum(agg_acc *acc, const int64_t *v, size_t n)
{
    while (n) {
        size_t m = n < ((size_t)1 << 31) ? n : (size_t)1 << 31;
        uint64_t lo = 0;
        int64_t hi = 0;
        for (size_t i = 0; i < m; i++) {
            lo += (uint64_t)v[i] & 0xFFFFFFFFu;
            hi += v[i] >> 32; /* arithmetic: GCC and clang define it */
        }
        acc->isum += (__int128)hi * ((__int128)1 << 32) + (__int128)lo;
        v += m;
        n -= m;
    }
}

/* How many bytes are true (non-zero: a caller's bool column may hold any
 * byte), eight to a word: each byte becomes 0 or 1 and the words are
 * added, at most 255 of them, so no byte carries into the next; then the
 * eight byte counts are added. The compiler makes the inner loop vector
 * code; a plain byte loop it widens byte by byte to 64 bits. */
SUM_CLONES uint64_t bool_count(const uint8_t *v, size_t n)
{
    const uint64_t low7 = UINT64_C(0x7F7F7F7F7F7F7F7F), ones = UINT64_C(0x0101010101010101);
    const uint64_t even = UINT64_C(0x00FF00FF00FF00FF);
    uint64_t total = 0;
    size_t i = 0;
    while (n - i >= 8) {
        size_t words = (n - i) / 8 < 255 ? (n - i) / 8 : 255;
        const uint8_t *p = v + i;
        uint64_t acc = 0;
        for (size_t k = 0; k < words; k++) {
            uint64_t w;
            memcpy(&w, p + 8 * k, 8);
            acc += ((((w & low7) + low7) | w) >> 7) & ones; /* top bit: byte != 0 */
        }
        i += 8 * words;
        uint64_t pairs = (acc & even) + ((acc >> 8) & even); /* four 16-bit sums */
        total += (pairs * UINT64_C(0x0001000100010001)) >> 48;
    }
    for (; i < n; i++)
        total += v[i] != 0;
    return total;
}

/* A bool argument counts as the i64 0 or 1 it widens to (tree_agg_input). */
static void add_bools(agg_acc *acc, const uint8_t *v, size_t n)
{
    if (acc->op == OP_SUM || acc->op == OP_AVG) {
        acc->isum += bool_count(v, n);
        return;
    }
    int64_t b = acc->ibest;
    for (size_t i = 0; i < n; i++)
        b = acc->op == OP_MIN ? num_least_i64(b, v[i] != 0) : num_greatest_i64(b, v[i] != 0);
    acc->ibest = b;
}

void agg_add_count(agg_acc *acc, uint64_t n) { acc->isum += n; }

void agg_add(agg_acc *acc, const void *values, size_t n, size_t pos)
{
    if (acc->type == JC_BOOL) {
        add_bools(acc, values, n);
        return;
    }
    if (acc->type == JC_F64) {
        const double *v = values;
        if (acc->op == OP_SUM || acc->op == OP_AVG) {
            add_f64_sum(acc, v, n, pos);
        } else if (acc->op == OP_MIN) {
            double b = acc->fbest;
            for (size_t i = 0; i < n; i++)
                b = num_least_f64(b, v[i]);
            acc->fbest = b;
        } else {
            double b = acc->fbest;
            for (size_t i = 0; i < n; i++)
                b = num_greatest_f64(b, v[i]);
            acc->fbest = b;
        }
        return;
    }
    const int64_t *v = values;
    if (acc->op == OP_SUM || acc->op == OP_AVG) {
        add_i64_sum(acc, v, n);
    } else if (acc->op == OP_MIN) {
        int64_t b = acc->ibest;
        for (size_t i = 0; i < n; i++)
            b = num_least_i64(b, v[i]);
        acc->ibest = b;
    } else {
        int64_t b = acc->ibest;
        for (size_t i = 0; i < n; i++)
            b = num_greatest_i64(b, v[i]);
        acc->ibest = b;
    }
}

static double chunk_total(const agg_acc *c)
{
    const double *l = c->lane;
    return ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]));
}

void agg_merge(agg_acc *total, const agg_acc *chunk)
{
    if (total->type == JC_F64 && (total->op == OP_SUM || total->op == OP_AVG)) {
        double c = chunk_total(chunk);
        total->total = total->nchunks ? total->total + c : c;
    } else if (total->type == JC_F64) {
        total->fbest = total->op == OP_MIN ? num_least_f64(total->fbest, chunk->fbest)
                                           : num_greatest_f64(total->fbest, chunk->fbest);
    } else if (total->op == OP_SUM || total->op == OP_AVG) {
        total->isum += chunk->isum;
    } else {
        total->ibest = total->op == OP_MIN ? num_least_i64(total->ibest, chunk->ibest)
                                           : num_greatest_i64(total->ibest, chunk->ibest);
    }
    total->nchunks++;
}

static unsigned bit_length(unsigned __int128 x)
{
    uint64_t hi = (uint64_t)(x >> 64), lo = (uint64_t)x;
    if (hi)
        return 128 - (unsigned)__builtin_clzll(hi);
    return lo ? 64 - (unsigned)__builtin_clzll(lo) : 0;
}

/* Scale the dividend so the integer quotient has at least 55 bits; a
 * non-zero remainder then only ever acts as a sticky bit below the
 * rounding bit, and rounding the quotient to 53 bits by hand (to nearest,
 * ties to even) is the one rounding of the exact quotient. */
double agg_div_exact(__int128 s, uint64_t count)
{
    int neg = s < 0;
    unsigned __int128 a = neg ? -(unsigned __int128)s : (unsigned __int128)s;
    if (a == 0 || count == 0)
        return count ? 0.0 : num_canon_nan();
    int k = 55 + (int)bit_length(count) - (int)bit_length(a);
    if (k < 0)
        k = 0;
    unsigned __int128 sa = a << k; /* < 2^(55 + 64) when k > 0 */
    unsigned __int128 q = sa / count;
    if (sa % count)
        q |= 1;
    int shift = (int)bit_length(q) - 53; /* >= 2 */
    uint64_t mant = (uint64_t)(q >> shift);
    unsigned __int128 rem = q & (((unsigned __int128)1 << shift) - 1);
    unsigned __int128 half = (unsigned __int128)1 << (shift - 1);
    if (rem > half || (rem == half && (mant & 1)))
        mant++;
    if (mant == (UINT64_C(1) << 53)) {
        mant >>= 1;
        shift++;
    }
    double r = ldexp((double)mant, shift - k);
    return neg ? -r : r;
}

void agg_finish(const agg_acc *acc, uint64_t count, uint64_t *bits,
                jc_scalar_state *state)
{
    memset(state, 0, sizeof *state);
    state->kind = SCALAR_VALUE;
    state->code = JC_OK;
    state->row = -1;
    *bits = 0;
    if (count == 0 && acc->op != OP_SUM) {
        state->kind = SCALAR_NULL;
        return;
    }
    int is_sum = acc->op == OP_SUM || acc->op == OP_AVG;
    if (acc->type == JC_F64) {
        double v;
        if (is_sum) {
            double s = count == 0 ? 0.0 : acc->nchunks ? acc->total : chunk_total(acc);
            v = acc->op == OP_AVG ? s / (double)count : s;
        } else {
            v = acc->fbest;
        }
        *bits = num_bits(num_canon(v));
        return;
    }
    if (acc->op == OP_SUM) {
        if (acc->isum > INT64_MAX || acc->isum < INT64_MIN) {
            state->kind = SCALAR_FAULT;
            state->code = JC_INTEGER_OVERFLOW;
            return;
        }
        *bits = (uint64_t)(int64_t)acc->isum;
    } else if (acc->op == OP_AVG) {
        *bits = num_bits(agg_div_exact(acc->isum, count));
    } else {
        *bits = (uint64_t)acc->ibest;
    }
}
