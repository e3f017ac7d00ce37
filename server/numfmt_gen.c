/*
 * numfmt_gen.c — writes numfmt_tables.h for fmt_f64 (numfmt.c), a build-time
 * host program: numfmt_gen OUT.h
 *
 * The table: P_s = ceil(10^s / 2^E_s), s in [NUMFMT_S_MIN, NUMFMT_S_MAX]
 * (numfmt_scale.h), computed with exact big integers.
 *
 * The proof. fmt_f64 needs floor(M·u) exactly, u = 2^(q-2)·10^s, for
 * M = 8c, 4c+2, 4c-2 and 4c-1 (all below 2^56), and computes it as
 * floor(M·P_s / 2^sh), sh = 2 - q - E_s (as the high 64 bits of the
 * 192-bit M·2^h·P_s, h = 128 - sh). P_s overshoots 10^s / 2^E_s by
 * d < 1 (0 where exact), so the quotient overshoots M·u by
 * e = M·d / 2^sh, and the floor is right unless M·u lies less than e below
 * an integer. For every binade of doubles (each exponent q, and each
 * length of a subnormal's significand) this program finds the smallest
 * gap below an integer of M·u over all M <= Mmax that is not an integer
 * (u = a/b in lowest terms: the least (M·(-a) mod b) / b, from the
 * continued-fraction walk in min_residue) and fails unless it exceeds the
 * largest e. It also checks the ranges fmt_f64 relies on: both floor-log
 * formulas, the scaled value in [10^16, 2·10^17), and the shift counts.
 * So the table is written only if fmt_f64 is exact for every double.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/numfmt_scale.h"

/* ---- unsigned big integers, fixed size, 32-bit limbs, little-endian ---- */

#define LIMBS 48 /* 1536 bits: 2^1240 is the largest number used */
typedef struct {
    uint32_t w[LIMBS];
} big;

static void fail(const char *what, int a, int b)
{
    fprintf(stderr, "numfmt_gen: %s (%d, %d)\n", what, a, b);
    exit(1);
}

static big big_u64(uint64_t v)
{
    big r;
    memset(&r, 0, sizeof r);
    r.w[0] = (uint32_t)v;
    r.w[1] = (uint32_t)(v >> 32);
    return r;
}

static int big_bitlen(const big *a)
{
    for (int i = LIMBS - 1; i >= 0; i--)
        if (a->w[i])
            return 32 * i + 32 - __builtin_clz(a->w[i]);
    return 0;
}

static int big_cmp(const big *a, const big *b)
{
    for (int i = LIMBS - 1; i >= 0; i--)
        if (a->w[i] != b->w[i])
            return a->w[i] < b->w[i] ? -1 : 1;
    return 0;
}

static void big_sub(big *a, const big *b) /* a -= b, a >= b */
{
    uint64_t borrow = 0;
    for (int i = 0; i < LIMBS; i++) {
        uint64_t d = (uint64_t)a->w[i] - b->w[i] - borrow;
        a->w[i] = (uint32_t)d;
        borrow = d >> 63;
    }
}

static void big_add(big *a, const big *b)
{
    uint64_t carry = 0;
    for (int i = 0; i < LIMBS; i++) {
        uint64_t s = (uint64_t)a->w[i] + b->w[i] + carry;
        a->w[i] = (uint32_t)s;
        carry = s >> 32;
    }
    if (carry)
        fail("big integer overflow", 0, 0);
}

static void big_mul_u64(big *a, uint64_t m)
{
    unsigned __int128 carry = 0;
    for (int i = 0; i < LIMBS; i++) {
        unsigned __int128 p = (unsigned __int128)a->w[i] * m + carry;
        a->w[i] = (uint32_t)p;
        carry = p >> 32;
    }
    if (carry)
        fail("big integer overflow", 0, 0);
}

static uint32_t big_div_small(big *a, uint32_t d) /* a /= d, returns a % d */
{
    uint64_t r = 0;
    for (int i = LIMBS - 1; i >= 0; i--) {
        uint64_t cur = (r << 32) | a->w[i];
        a->w[i] = (uint32_t)(cur / d);
        r = cur % d;
    }
    return (uint32_t)r;
}

static void big_shl(big *a, int n)
{
    if (n == 0)
        return;
    if (big_bitlen(a) + n > 32 * LIMBS)
        fail("big integer overflow", n, 0);
    int limbs = n / 32, bits = n % 32;
    for (int i = LIMBS - 1; i >= 0; i--) {
        uint64_t v = i - limbs >= 0 ? (uint64_t)a->w[i - limbs] << bits : 0;
        if (bits && i - limbs - 1 >= 0)
            v |= a->w[i - limbs - 1] >> (32 - bits);
        a->w[i] = (uint32_t)v;
    }
}

static void big_mul_big(big *a, const big *b)
{
    big r = big_u64(0);
    for (int i = LIMBS - 1; i >= 0; i--) {
        big_shl(&r, 32);
        big t = *a;
        big_mul_u64(&t, b->w[i]);
        big_add(&r, &t);
    }
    *a = r;
}

/* a >>= n; returns whether a nonzero bit was shifted out */
static int big_shr(big *a, int n)
{
    int lost = 0;
    for (int i = 0; i < n && i < 32 * LIMBS; i++)
        if (a->w[i / 32] >> (i % 32) & 1) {
            lost = 1;
            break;
        }
    int limbs = n / 32, bits = n % 32;
    for (int i = 0; i < LIMBS; i++) {
        uint64_t v = i + limbs < LIMBS ? a->w[i + limbs] >> bits : 0;
        if (bits && i + limbs + 1 < LIMBS)
            v |= (uint64_t)a->w[i + limbs + 1] << (32 - bits);
        a->w[i] = (uint32_t)v;
    }
    return lost;
}

static big big_pow(uint32_t base, int n)
{
    big r = big_u64(1);
    for (int i = 0; i < n; i++)
        big_mul_u64(&r, base);
    return r;
}

static big big_mod(big a, const big *b) /* a mod b, by shift and subtract */
{
    int sh = big_bitlen(&a) - big_bitlen(b);
    for (; sh >= 0; sh--) {
        big t = *b;
        big_shl(&t, sh);
        if (big_cmp(&a, &t) >= 0)
            big_sub(&a, &t);
    }
    return a;
}

static uint64_t big_low64(const big *a)
{
    return a->w[0] | (uint64_t)a->w[1] << 32;
}

/* min(floor(x / y), cap) for y > 0, cap < 2^63; x -= y·that */
static uint64_t big_div_capped(big *x, const big *y, uint64_t cap)
{
    int sh = big_bitlen(x) - big_bitlen(y); /* the quotient is below 2^(sh+1) */
    uint64_t q = 0;
    big rem = *x;
    if (sh > 62) {
        q = UINT64_MAX; /* above cap */
    } else {
        for (; sh >= 0; sh--) {
            big t = *y;
            big_shl(&t, sh);
            if (big_cmp(&rem, &t) >= 0) {
                big_sub(&rem, &t);
                q += 1ull << sh;
            }
        }
    }
    if (q > cap) {
        q = cap;
        big t = *y;
        big_mul_u64(&t, cap);
        rem = *x;
        big_sub(&rem, &t);
    }
    *x = rem;
    return q;
}

/* The least (M·a) mod b over 1 <= M <= n, for 0 < a < b, gcd(a, b) = 1,
 * n < b. Walks the continued fraction of a/b with two multipliers: ml,
 * whose residue rl is the least positive one so far, and mh, whose residue
 * b - rh is the closest below b. Adding mh to ml lowers rl by rh (when
 * rl > rh), adding ml to mh lowers rh by rl; the residues that beat the
 * record are exactly those of the multipliers ml + j·mh met on the way
 * (the three-distance theorem), so the walk stops when no such multiplier
 * is at most n. */
static big min_residue(const big *a, const big *b, uint64_t n)
{
    big rl = *a, rh = *b, one = big_u64(1);
    big_sub(&rh, a);
    uint64_t ml = 1, mh = 1;
    for (;;) {
        if (ml + mh > n)
            return rl; /* mh only grows: no further record fits */
        int low = big_cmp(&rl, &rh) > 0;
        big *r = low ? &rl : &rh, *by = low ? &rh : &rl;
        uint64_t *m = low ? &ml : &mh, step = low ? mh : ml;
        /* r -= k·by for the largest k keeping r > 0 and *m <= n */
        big x = *r;
        big_sub(&x, &one);
        uint64_t k = big_div_capped(&x, by, (n - *m) / step);
        if (k == 0)
            return rl; /* rl == rh == 1: every residue is met */
        big_add(&x, &one);
        *r = x;
        *m += k * step;
    }
}

/* ---- the table ---- */

#define NS (NUMFMT_S_MAX - NUMFMT_S_MIN + 1)
static uint64_t tab_hi[NS], tab_lo[NS];
static uint64_t tab_frac[NS]; /* the 64 bits below P_s's (before rounding up) */
static int tab_exact[NS];

static void make_table(void)
{
    for (int s = NUMFMT_S_MIN; s <= NUMFMT_S_MAX; s++) {
        int e = numfmt_floor_log2_pow10(s) - 127;
        /* v = floor(10^s / 2^e · 2^64): P_s's bits and 64 below them */
        big v;
        int inexact;
        if (s >= 0) {
            v = big_pow(10, s);
            if (64 - e >= 0) {
                big_shl(&v, 64 - e);
                inexact = 0;
            } else {
                inexact = big_shr(&v, e - 64);
            }
        } else {
            v = big_u64(1);
            big_shl(&v, 64 - e);
            inexact = 0;
            for (int i = 0; i < -s; i++)
                inexact |= big_div_small(&v, 10) != 0;
        }
        /* v in [2^191, 2^192): e is floor(s·log2 10) - 127 */
        if (big_bitlen(&v) != 192)
            fail("floor(s log2 10) formula", s, big_bitlen(&v));
        uint64_t frac = big_low64(&v);
        big_shr(&v, 64);
        uint64_t lo = big_low64(&v);
        big_shr(&v, 64);
        uint64_t hi = big_low64(&v);
        int exact = !inexact && frac == 0;
        if (!exact && ++lo == 0 && ++hi == 0) /* rounded up */
            fail("P_s overflows 128 bits", s, 0);
        tab_frac[s - NUMFMT_S_MIN] = frac;
        tab_hi[s - NUMFMT_S_MIN] = hi;
        tab_lo[s - NUMFMT_S_MIN] = lo;
        tab_exact[s - NUMFMT_S_MIN] = exact;
    }
}

/* ---- the proof ---- */

/* 10^k <= 2^e2 < 10^(k+1) for k = floor_log10_pow2(e2) */
static void check_log10(int e2)
{
    int k = numfmt_floor_log10_pow2(e2);
    for (int kk = k; kk <= k + 1; kk++) {
        /* 2^e2 against 10^kk, both times 2^max(-e2,0)·10^max(-kk,0) */
        big lhs = big_pow(10, kk < 0 ? -kk : 0), rhs = big_pow(10, kk > 0 ? kk : 0);
        big_shl(e2 > 0 ? &lhs : &rhs, e2 > 0 ? e2 : -e2);
        int c = big_cmp(&lhs, &rhs);
        if (kk == k ? c < 0 : c >= 0)
            fail("floor(e log10 2) formula", e2, k);
    }
}

/* The doubles c·2^q with c in [clo, chi) (one leading-bit position);
 * irregular: the significand 2^52 with its closer lower neighbour is among
 * them (its lower bound uses M = 4c-1). */
static void check_binade(int q, uint64_t clo, uint64_t chi)
{
    int e2 = q + 63 - __builtin_clzll(chi - 1);
    if (63 - __builtin_clzll(clo) != e2 - q)
        fail("binade", q, 0);
    int s = 16 - numfmt_floor_log10_pow2(e2);
    if (s < NUMFMT_S_MIN || s > NUMFMT_S_MAX)
        fail("scale out of the table", q, s);
    int e = numfmt_floor_log2_pow10(s) - 127;
    int sh = 2 - q - e;
    /* fmt_f64 multiplies M·2^h by P_s, h = 128 - sh, and takes the high 64
     * bits of the 192-bit products; M·2^h < 2^59 */
    int h = 128 - sh;
    uint64_t mmax = 8 * (chi - 1);
    if (h < 0 || h > 55 || (mmax >> (59 - h)) != 0)
        fail("shift count", q, h);
    int z = q - 2 + s; /* u = 5^s·2^z */
    if (s < 0 && z < 0)
        fail("negative scale with a fraction", q, s);
    int i = s - NUMFMT_S_MIN;
    if (tab_exact[i])
        return; /* floor(M·P / 2^sh) is floor(M·u) itself */
    /* P_s overshoots by d <= (2^64 - frac) / 2^64, so e <= err / 2^(64+sh) */
    big err = big_u64(1), f = big_u64(tab_frac[i]);
    big_shl(&err, 64);
    big_sub(&err, &f);
    big_mul_u64(&err, mmax);
    big lim = big_u64(1);
    big_shl(&lim, 64 + sh);
    if (big_cmp(&err, &lim) >= 0)
        fail("overshoot of 1 or more", q, s);
    if (s >= 0 && z >= 0)
        return; /* every M·u is an integer */
    /* u = a/b in lowest terms */
    big a, b;
    if (s >= 0) {
        a = big_pow(5, s);
        b = big_u64(1);
        big_shl(&b, -z);
    } else {
        a = big_u64(1);
        big_shl(&a, z);
        b = big_pow(5, -s);
    }
    /* the gap below the next integer is ((-M·a) mod b) / b */
    big am = big_mod(a, &b);
    big na = b;
    big_sub(&na, &am);
    big bm = big_u64(mmax);
    big gap = big_cmp(&b, &bm) <= 0 ? big_u64(1) : min_residue(&na, &b, mmax);
    /* need gap/b > err/2^(64+sh): gap·2^(64+sh) > err·b */
    big_shl(&gap, 64 + sh);
    big rhs = err;
    big_mul_big(&rhs, &b);
    if (big_cmp(&gap, &rhs) <= 0)
        fail("table not precise enough", q, s);
}

static void prove(void)
{
    for (int e2 = -1074; e2 <= 1023; e2++)
        check_log10(e2);
    for (int q = -1074; q <= 971; q++)
        check_binade(q, 1ull << 52, 1ull << 53); /* normal */
    for (int len = 1; len <= 52; len++)
        check_binade(-1074, 1ull << (len - 1), 1ull << len); /* subnormal */
}

/* ---- output ---- */

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: numfmt_gen OUT.h\n");
        return 2;
    }
    make_table();
    prove();
    FILE *f = fopen(argv[1], "w");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    fprintf(f, "/* numfmt_tables.h — written by server/numfmt_gen.c at build time. */\n\n");
    fprintf(f, "/* P_s = ceil(10^s / 2^(floor(s·log2 10) - 127)), s = NUMFMT_S_MIN + i:\n"
               " * {high 64 bits, low 64 bits}. */\n");
    fprintf(f, "static const uint64_t numfmt_pow10[%d][2] = {\n", NS);
    for (int i = 0; i < NS; i++)
        fprintf(f, "    {0x%016" PRIx64 "u, 0x%016" PRIx64 "u},\n", tab_hi[i], tab_lo[i]);
    fprintf(f, "};\n\n");
    /* 5^t divides M iff M·inverse(5^t) mod 2^64 <= floor((2^64-1) / 5^t) */
    uint64_t inv5 = 5; /* Newton: inv5 = 5^-1 mod 2^64 */
    for (int i = 0; i < 6; i++)
        inv5 *= 2 - 5 * inv5;
    if (inv5 * 5 != 1)
        fail("inverse of 5", 0, 0);
    fprintf(f, "/* 5^t divides m < 2^64 iff m·numfmt_pow5_inv[t] (mod 2^64) <=\n"
               " * numfmt_pow5_max[t]: the inverse of 5^t mod 2^64 and (2^64-1)/5^t. */\n");
    fprintf(f, "static const uint64_t numfmt_pow5_inv[28] = {\n");
    uint64_t inv = 1;
    for (int t = 0; t < 28; t++, inv *= inv5)
        fprintf(f, "    0x%016" PRIx64 "u,\n", inv);
    fprintf(f, "};\nstatic const uint64_t numfmt_pow5_max[28] = {\n");
    uint64_t p5 = 1;
    for (int t = 0; t < 28; t++, p5 *= 5)
        fprintf(f, "    0x%016" PRIx64 "u,\n", UINT64_MAX / p5);
    fprintf(f, "};\n");
    if (fclose(f) != 0) {
        perror(argv[1]);
        return 1;
    }
    return 0;
}
