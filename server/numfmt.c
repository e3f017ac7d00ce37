/* numfmt.c — shortest round-trip doubles, integers, JSON number tokens. */
#define _GNU_SOURCE
#include "server/numfmt.h"

#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "numfmt_tables.h" /* numfmt_gen's output, in the build directory */
#include "server/numfmt_scale.h"

#if defined(__SSE2__) && defined(__x86_64__)
#include <emmintrin.h>
#endif

typedef unsigned __int128 u128;

/* Powers of ten that are exact doubles (10^22 is the last one). */
static const double pow10_exact[23] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* strtod in the "C" locale whatever the process's locale is (a CLI may call
 * setlocale; the protocol's decimal point is always '.'). */
static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;
static void c_locale_init(void) { c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0); }

static double strtod_c(const char *s, char **end)
{
    pthread_once(&c_locale_once, c_locale_init);
    if (c_locale)
        return strtod_l(s, end, c_locale);
    return strtod(s, end);
}

/* "00" to "99": two digits per division. */
static const char two_digits[201] = "00010203040506070809101112131415161718192021222324"
                                    "25262728293031323334353637383940414243444546474849"
                                    "50515253545556575859606162636465666768697071727374"
                                    "75767778798081828384858687888990919293949596979899";

size_t fmt_i64(int64_t v, char *buf)
{
    char tmp[24];
    size_t n = sizeof tmp;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    while (u >= 100) {
        unsigned r = (unsigned)(u % 100);
        u /= 100;
        n -= 2;
        memcpy(tmp + n, two_digits + 2 * r, 2);
    }
    if (u >= 10) {
        n -= 2;
        memcpy(tmp + n, two_digits + 2 * u, 2);
    } else {
        tmp[--n] = (char)('0' + u);
    }
    size_t len = 0;
    if (v < 0)
        buf[len++] = '-';
    memcpy(buf + len, tmp + n, sizeof tmp - n);
    return len + sizeof tmp - n;
}

/* ---- fmt_f64 ----
 *
 * The text is the first of 15, 16, 17 significant digits whose correctly
 * rounded decimal (ties to even, as printf rounds) reads back as x, with
 * trailing zeros dropped; for subnormals the first of 1..17. When 15 or
 * fewer digits suffice, the 15-digit decimal is the only one that reads
 * back (15-digit decimals are farther apart than the doubles), so these
 * are the fewest digits; otherwise the nearest 16 or 17-digit decimal.
 * That is the shortest decimal that reads back and the nearest of those,
 * but for 46 powers of two, whose nearest 16-digit decimal is below their
 * lower bound (twice closer than the upper one) while another 16-digit
 * decimal reads back: they print 17 digits, as they always have.
 *
 * x = c·2^q is scaled to y = x·10^s in [10^16, 2·10^17) (numfmt_scale.h),
 * then by a tenth of that if y >= 10^17, so that floor(y) has 17 digits,
 * with the bounds of the interval that reads back as x:
 * yl = (4c - 2)·u (4c - 1 when c = 2^52 is a normal's, whose lower
 * neighbour is twice closer), yr = (4c + 2)·u, u = 2^(q-2)·10^s. A decimal
 * N in y's units reads back as x iff yl <= N <= yr, the bounds included
 * iff c is even (strtod's ties go to even). Rounding y to p digits and that
 * test need floor(2y), floor(yl), floor(yr) and which of them are whole.
 * The floors are M·P_s / 2^sh for M = 8c, 4c-2 (or 4c-1), 4c+2, exact for
 * every double as numfmt_gen proves at build time, and come from one
 * product 4c·P_s and the shifted P_s; wholeness is a matter of powers of 2
 * and 5 dividing M. The common case (a normal below 2^57, none of them
 * whole) skips those tests; subnormals, powers of two, huge values and
 * values short in binary go the general way. */

/* y, the decimals that read back, and s */
typedef struct {
    uint64_t y;      /* floor(y): 17 digits */
    uint64_t half;   /* frac(y) >= 1/2 */
    uint64_t whole;  /* 2y is whole: frac(y) is 0 or 1/2 */
    uint64_t lo, hi; /* N reads back iff lo <= N <= hi */
    int s;
} scaled;

/* floor(m·P / 2^128), P = p[0]:p[1] */
static inline uint64_t mul_hi(uint64_t m, const uint64_t *p)
{
    u128 a = (u128)m * p[0];
    uint64_t b = (uint64_t)((u128)m * p[1] >> 64), lo = (uint64_t)a + b;
    return (uint64_t)(a >> 64) + (lo < b);
}

/* 5^t divides m (t <= 27) */
static inline int pow5_divides(uint64_t m, int t)
{
    return m * numfmt_pow5_inv[t] <= numfmt_pow5_max[t];
}

/* x = c·2^q; irregular: c = 2^52 of a normal, whose lower neighbour is
 * twice closer. general: any x; else x < 2^57 (s >= 0) and none of 2y,
 * yl, yr whole, as the caller checked. */
static inline __attribute__((always_inline)) scaled scale(uint64_t c, int q, int irregular,
                                                          int general)
{
    scaled v;
    int e2 = q + 63 - __builtin_clzll(c); /* x in [2^e2, 2^(e2+1)) */
    int s = 16 - numfmt_floor_log10_pow2(e2);
    /* M·u = M·P / 2^sh, sh = 2 - q - E_s, is M·2^h·P / 2^128 with
     * h = 128 - sh; M·2^h < 2^59 (numfmt_gen checks) */
    int h = q + numfmt_floor_log2_pow10(s) - 1;
    const uint64_t *p = numfmt_pow10[s - NUMFMT_S_MIN];
    /* 4c·2^h·P = a2:a1:a0 and 2·2^h·P = b2:b1:b0, 192 bits each: floor(2y)
     * is the top 64 bits of twice the first, floor(yr) and floor(yl) those
     * of their sum and difference */
    uint64_t c4 = c << (h + 2);
    u128 t1 = (u128)c4 * p[1], t0 = (u128)c4 * p[0];
    uint64_t a0 = (uint64_t)t1, a1 = (uint64_t)t0 + (uint64_t)(t1 >> 64);
    uint64_t a2 = (uint64_t)(t0 >> 64) + (a1 < (uint64_t)(t1 >> 64));
    uint64_t b0 = p[1] << (h + 1), b1 = p[0] << (h + 1) | p[1] >> (63 - h), b2 = p[0] >> (63 - h);
    uint64_t s1 = a1 + b1, d1 = a1 - b1;
    uint64_t y2 = a2 << 1 | a1 >> 63;
    uint64_t yr = a2 + b2 + (s1 < a1) + (s1 + ((a0 + b0) < a0) < s1);
    uint64_t yl = a2 - b2 - (a1 < b1) - (d1 < (a0 < b0));
    if (__builtin_expect(irregular, 0))
        yl = mul_hi(c4 - (1ull << h), p); /* (4c-1)·2^h·P */
    /* which of 2y = 8c·u, yl = (4c-2)·u or (4c-1)·u, yr = (4c+2)·u are
     * whole, u = 2^(q-2)·10^s (none, when not general) */
    uint64_t w2 = 0, wl = 0, wr = 0;
    if (general && s >= 0) {
        /* u = 5^s·2^z: when 2^-z divides M; 4c±2 have one factor 2, 4c-1
         * none, 8c 3 + ctz(c) */
        int z = q - 2 + s;
        w2 = z + 3 + __builtin_ctzll(c) >= 0;
        wl = z + !irregular >= 0;
        wr = z + 1 >= 0;
    } else if (general) {
        /* u = 2^z / 5^-s, z >= 0 (numfmt_gen checks): when 5^-s divides
         * M, never past 5^27 > 2^56 > M */
        int t = -s;
        w2 = t <= 27 && pow5_divides(c, t);
        wl = t <= 27 && pow5_divides(irregular ? 4 * c - 1 : 2 * c - 1, t);
        wr = t <= 27 && pow5_divides(2 * c + 1, t);
    }
    uint64_t even = ~c & 1;
    uint64_t lo = yl + 1 - (wl & even); /* yl <= N, yl included if c is even */
    uint64_t hi = yr - (wr & ~even);    /* N <= yr, yr included if c is even */
    if (__builtin_expect(y2 >= 200000000000000000ull, 0)) {
        /* y >= 10^17: scale by 10^(s-1) instead, y < 10^17; floor(2y/10)
         * is floor(floor(2y)/10), and N reads back iff 10N does */
        w2 &= y2 % 10 == 0;
        y2 /= 10;
        lo = (lo + 9) / 10;
        hi /= 10;
        s--;
    }
    v.y = y2 >> 1;
    v.half = y2 & 1;
    v.whole = w2;
    v.lo = lo;
    v.hi = hi;
    v.s = s;
    return v;
}

/* y / 10^j rounded to nearest, ties to even, times 10^j; pw = 10^j >= 10:
 * rounds half up, then back down from an odd quotient on an exact tie
 * (y + pw/2 a multiple of pw and y whole) */
static inline uint64_t round_to(const scaled *v, uint64_t pw)
{
    uint64_t t = v->y + pw / 2, q = t / pw, n = q * pw;
    return n - (pw & (0 - (v->whole & !v->half & (n == t) & q)));
}

/* y rounded to an integer, ties to even */
static inline uint64_t round_y(const scaled *v)
{
    return v->y + (v->half & ((v->whole ^ 1) | v->y));
}

/* n reads back; lo <= hi (17 digits always read back) */
static inline int reads_back(const scaled *v, uint64_t n)
{
    return n - v->lo <= v->hi - v->lo;
}

/* A decimal: d, 17 digits (the significant ones, then zeros), the
 * decimal exponent of the first, and a guess of d that is known before d:
 * usually with its first 9 digits, so that their conversion need not wait
 * for d. */
typedef struct {
    uint64_t d, guess;
    int exp10;
} decimal;

static inline decimal decimal_of(uint64_t d, uint64_t guess, int exp10)
{
    decimal r = {d, guess, exp10};
    if (d == 100000000000000000ull) { /* 9.99… rounded up to 10.0… */
        r.d = d / 10;
        r.exp10++;
    }
    return r;
}

/* Whether digits_of(bits, 0) may take positive x = bits: a normal below
 * 2^57 (s >= 0) but a power of two, for which none of 2y, yl, yr is whole.
 * 2y = 8c·u, u = 2^(q-2)·10^s = 5^s·2^z, is whole only if 2^-z divides 8c,
 * and yl, yr = (4c±2)·u only if 2^-z divides 2, which then divides 8c:
 * values short in binary, integers among them, are left out. */
static inline int common(uint64_t bits)
{
    int be = (int)(bits >> 52);
    int z = be - 1077 + 16 - numfmt_floor_log10_pow2(be - 1023);
    uint64_t c = bits | 1ull << 52; /* its low bits, for ctz */
    return (bits - (1ull << 52) < (1080ull - 1) << 52) & (bits << 12 != 0) &
           (z + 3 + __builtin_ctzll(c) < 0);
}

/* The digits of positive x = bits: `general` for any finite non-zero x,
 * else only where common(bits). */
static inline __attribute__((always_inline)) decimal digits_of(uint64_t bits, int general)
{
    uint64_t frac = bits & ((1ull << 52) - 1);
    int be = (int)(bits >> 52);
    if (general && be == 0) { /* subnormal: the first of 1..17 digits */
        static const uint64_t pow10[17] = {1,
                                           10,
                                           100,
                                           1000,
                                           10000,
                                           100000,
                                           1000000,
                                           10000000,
                                           100000000,
                                           1000000000,
                                           10000000000,
                                           100000000000,
                                           1000000000000,
                                           10000000000000,
                                           100000000000000,
                                           1000000000000000,
                                           10000000000000000};
        scaled v = scale(frac, -1074, 0, 1);
        uint64_t d = round_y(&v);
        for (int p = 1; p < 17; p++) {
            uint64_t n = round_to(&v, pow10[17 - p]);
            if (reads_back(&v, n)) {
                d = n;
                break;
            }
        }
        return decimal_of(d, d, 16 - v.s);
    }
    /* normal: the first of 15, 16, 17 digits */
    uint64_t c = frac | 1ull << 52;
    scaled v = scale(c, be - 1075, general && frac == 0 && be > 1, general);
    /* the interval is narrower than 23 (half an ulp is below y·2^-53): if
     * a multiple of 100 is in it, it is the only one and the nearest */
    uint64_t n15 = v.hi / 100 * 100, n16 = round_to(&v, 10), n17 = round_y(&v);
    /* which of 16 and 17 is as good as random for arithmetic results: no
     * branch */
    uint64_t d = n17 ^ ((n17 ^ n16) & (0 - (uint64_t)reads_back(&v, n16)));
    d = n15 >= v.lo ? n15 : d;
    /* d is within 12 of y: y + 12 has its first 9 digits unless a multiple
     * of 10^8 lies between them (and those of a short decimal, a multiple
     * of 10^8, even when y is just below it) */
    return decimal_of(d, v.y + 12, 16 - v.s);
}

static decimal __attribute__((noinline)) digits_general(uint64_t bits)
{
    return digits_of(bits, 1);
}

/* ---- the text ----
 *
 * The 17 digits are `first` and 16 more as ASCII: to_ascii16(a, b), the
 * digits of a then those of b (a, b < 10^8, 8 each), first at the lowest
 * address. Each 8 are split into 4-digit halves, those into 2-digit
 * quarters, those into digits, each division a multiplication inside a
 * vector lane (the constants divide exactly in the ranges they see:
 * 3518437209 / 2^45 for 10^4 below 10^8, 5243 / 2^19 for 100 below 10^4,
 * 103 / 2^10 or 6554 / 2^16 for 10 below 100).
 *
 * put_plain writes them in plain notation for e (the decimal exponent of
 * the first) from 0 to 16: the digits with a point after the first e + 1
 * (none if the rest are zeros), up to the last significant digit (nd of
 * the 17) or the point. Both may write scratch bytes past the text, within
 * NUMFMT_MAX. */
#if defined(__SSE2__) && defined(__x86_64__)
typedef __m128i digits16;

static inline digits16 to_ascii16(uint32_t a, uint32_t b)
{
    __m128i v = _mm_set_epi64x(b, a); /* 64-bit lanes */
    __m128i q = _mm_srli_epi64(_mm_mul_epu32(v, _mm_set1_epi64x(3518437209u)), 45);
    __m128i r = _mm_sub_epi32(v, _mm_mul_epu32(q, _mm_set1_epi64x(10000)));
    v = _mm_or_si128(q, _mm_slli_epi64(r, 32)); /* 32-bit lanes, < 10^4 */
    /* one pmullw each, not the shifts and adds compilers make of a
     * constant factor */
    __m128i k100 = _mm_set1_epi16(100), k10 = _mm_set1_epi16(10);
    __asm__("" : "+x"(k100), "+x"(k10));
    q = _mm_srli_epi16(_mm_mulhi_epu16(v, _mm_set1_epi16(5243)), 3);
    r = _mm_sub_epi16(v, _mm_mullo_epi16(q, k100));
    v = _mm_or_si128(q, _mm_slli_epi32(r, 16)); /* 16-bit lanes, < 100 */
    q = _mm_mulhi_epu16(v, _mm_set1_epi16(6554));
    r = _mm_sub_epi16(v, _mm_mullo_epi16(q, k10));
    v = _mm_or_si128(q, _mm_slli_epi16(r, 8)); /* bytes */
    return _mm_add_epi8(v, _mm_set1_epi8('0'));
}

/* how many of the 16 up to the last that is not '0' */
static inline int significant16(digits16 v)
{
    unsigned nz = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('0'))) ^ 0xFFFFu;
    return 31 - __builtin_clz(nz << 1 | 1);
}

static inline void put16(char *p, digits16 v)
{
    _mm_storeu_si128((__m128i *)(void *)p, v);
}

static inline size_t put_plain(char *o, char first, digits16 dg, int nd, int e)
{
    /* without branches: the 17 digits s (first and dg) go to o, the first
     * intd from s, those after from s shifted one place, and the point in
     * between */
    int intd = e + 1;
    __m128i s = _mm_or_si128(_mm_slli_si128(dg, 1), _mm_cvtsi32_si128((unsigned char)first));
    __m128i keep =
        _mm_cmpgt_epi8(_mm_set1_epi8((char)intd),
                       _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
    put16(o + 1 + (intd < 17), dg); /* the last one or two */
    put16(o, _mm_or_si128(_mm_and_si128(keep, s), _mm_andnot_si128(keep, _mm_slli_si128(s, 1))));
    o[intd] = '.';
    return (size_t)(nd > intd ? nd + 1 : intd);
}
#else
typedef struct {
    uint64_t w[2]; /* ASCII, memory order */
} digits16;

static inline uint64_t ascii8(uint32_t v)
{
    uint64_t x = v / 10000 | (uint64_t)(v % 10000) << 32;
    uint64_t q = (x * 10486 >> 20) & 0x0000007F0000007Full; /* /100 */
    x = q | (x - q * 100) << 16;
    q = (x * 103 >> 10) & 0x000F000F000F000Full; /* /10 */
    x = q | (x - q * 10) << 8;
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    x = __builtin_bswap64(x);
#endif
    return x | 0x3030303030303030ull;
}

static inline digits16 to_ascii16(uint32_t a, uint32_t b)
{
    digits16 v = {{ascii8(a), ascii8(b)}};
    return v;
}

/* the bytes of a word up to its last nonzero one, in memory order */
static inline int used_bytes(uint64_t w)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return w ? 8 - (unsigned)__builtin_ctzll(w) / 8 : 0;
#else
    return w ? 8 - (unsigned)__builtin_clzll(w) / 8 : 0;
#endif
}

static inline int significant16(digits16 v)
{
    uint64_t z0 = v.w[0] ^ 0x3030303030303030ull, z1 = v.w[1] ^ 0x3030303030303030ull;
    return z1 ? 8 + used_bytes(z1) : used_bytes(z0);
}

static inline void put16(char *p, digits16 v)
{
    memcpy(p, v.w, 16);
}

static inline size_t put_plain(char *o, char first, digits16 dg, int nd, int e)
{
    char s[17];
    s[0] = first;
    memcpy(s + 1, dg.w, 16);
    size_t intd = (size_t)e + 1;
    memcpy(o, s, intd);
    o[intd] = '.';
    memcpy(o + intd + 1, s + intd, 17 - intd);
    return (size_t)nd > intd ? (size_t)nd + 1 : intd;
}
#endif

/* d.ddde±XX, as %g writes it */
static size_t __attribute__((noinline))
put_exponent(char *o, char first, digits16 dg, int nd, int e)
{
    o[0] = first;
    o[1] = '.';
    put16(o + 2, dg);
    size_t k = nd > 1 ? (size_t)nd + 1 : 1;
    o[k++] = 'e';
    o[k++] = e < 0 ? '-' : '+';
    if (e < 0)
        e = -e;
    if (e >= 100) {
        o[k++] = (char)('0' + e / 100);
        e %= 100;
    }
    memcpy(o + k, two_digits + 2 * e, 2);
    return k + 2;
}

size_t fmt_f64(double v, char *buf)
{
    uint64_t bits;
    memcpy(&bits, &v, 8);
    size_t len = bits >> 63; /* the sign */
    buf[0] = '-';
    bits &= ~(1ull << 63);
    decimal dec;
    if (__builtin_expect(common(bits), 1)) {
        dec = digits_of(bits, 0);
    } else {
        /* integral and exact (0 too), never common: the integer's digits */
        double a;
        memcpy(&a, &bits, 8);
        if (a < 9007199254740992.0 && a == (double)(int64_t)a)
            return len + fmt_i64((int64_t)a, buf + len);
        dec = digits_general(bits);
    }

    /* the 17 digits: d0, then 16; hi9 = d / 10^8 iff 0 <= lo8 < 10^8 */
    uint64_t hi9 = dec.guess / 100000000, lo8 = dec.d - hi9 * 100000000;
    if (__builtin_expect(lo8 >= 100000000, 0)) { /* a wrong guess */
        hi9 = dec.d / 100000000;
        lo8 = dec.d - hi9 * 100000000;
    }
    uint32_t d0 = (uint32_t)hi9 / 100000000;
    digits16 dg = to_ascii16((uint32_t)hi9 - d0 * 100000000, (uint32_t)lo8);
    int nd = 1 + significant16(dg), e = dec.exp10;
    char first = (char)('0' + d0);
    if (e >= -4 && e < 0) { /* 0.000ddd: the commonest, simplest */
        char *o = buf + len;
        memcpy(o, "0.000000", 8);
        o += 1 - e;
        o[0] = first;
        put16(o + 1, dg);
        return (size_t)(o - buf) + (size_t)nd;
    }
    if (__builtin_expect(e >= 0 && e < 17, 1))
        return len + put_plain(buf + len, first, dg, nd, e);
    return len + put_exponent(buf + len, first, dg, nd, e);
}

int parse_f64(const char *text, size_t len, double *out)
{
    /* Validate the JSON grammar and gather the significand on the way:
     * -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
    size_t i = 0;
    int neg = 0;
    if (i < len && text[i] == '-') {
        neg = 1;
        i++;
    }
    if (i >= len || text[i] < '0' || text[i] > '9')
        return -1;
    uint64_t mant = 0;
    int ndig = 0;        /* significant digits gathered into mant */
    int dropped = 0;     /* digits beyond 19 not gathered (integer part) */
    int frac_digits = 0; /* gathered digits after the point */
    if (text[i] == '0') {
        i++;
    } else {
        for (; i < len && text[i] >= '0' && text[i] <= '9'; i++) {
            if (ndig < 19) {
                mant = mant * 10 + (uint64_t)(text[i] - '0');
                ndig += mant != 0;
            } else {
                dropped++;
            }
        }
    }
    int inexact = dropped > 0;
    if (i < len && text[i] == '.') {
        i++;
        if (i >= len || text[i] < '0' || text[i] > '9')
            return -1;
        for (; i < len && text[i] >= '0' && text[i] <= '9'; i++) {
            if (ndig < 19) {
                mant = mant * 10 + (uint64_t)(text[i] - '0');
                ndig += mant != 0;
                frac_digits++;
            } else if (text[i] != '0') {
                inexact = 1;
            }
        }
    }
    long exp = 0;
    if (i < len && (text[i] == 'e' || text[i] == 'E')) {
        i++;
        int eneg = 0;
        if (i < len && (text[i] == '+' || text[i] == '-'))
            eneg = text[i++] == '-';
        if (i >= len || text[i] < '0' || text[i] > '9')
            return -1;
        for (; i < len && text[i] >= '0' && text[i] <= '9'; i++)
            if (exp < 100000)
                exp = exp * 10 + (text[i] - '0');
        if (eneg)
            exp = -exp;
    }
    if (i != len)
        return -1;
    /* Clinger's fast path: an exact significand below 2^53 times an exact
     * power of ten is one correctly rounded operation. */
    long e10 = exp - frac_digits + dropped;
    if (!inexact && mant <= (1ull << 53) && e10 >= -22 && e10 <= 22) {
        double d = (double)mant;
        d = e10 >= 0 ? d * pow10_exact[e10] : d / pow10_exact[-e10];
        *out = neg ? -d : d;
        return 0;
    }
    char small[128];
    char *copy = len < sizeof small ? small : malloc(len + 1);
    if (!copy)
        return -1;
    memcpy(copy, text, len);
    copy[len] = '\0';
    double d = strtod_c(copy, NULL);
    if (copy != small)
        free(copy);
    if (isinf(d))
        return -1;
    *out = d;
    return 0;
}
