/* numfmt.c — shortest round-trip doubles, integers, JSON number tokens. */
#define _GNU_SOURCE
#include "server/numfmt.h"

#include <float.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* "00" to "99": two digits per division, which halves the divisions of
 * the 15 to 17 digit numbers most f64 answers print. */
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

/* Shortest digits by exact double arithmetic, for x in [1e-5, 1e16) needing
 * at most 15 significant digits: tries scales s upward and keeps the first
 * m = round(x * 10^s) for which m / 10^s reads back as x. m < 10^15 < 2^53
 * and 10^|s| <= 10^22 are exact doubles, so that quotient is the correctly
 * rounded value of the decimal m·10^-s, i.e. exactly what strtod returns;
 * and the candidate m is the right one because x·10^s is within 0.25 of it
 * whenever any 15-digit decimal round-trips. Returns 0 when it does not
 * apply (the caller falls back to printf). */
static int digits_fast(double x, uint64_t *digits, int *scale)
{
    if (!(x >= 1e-5 && x < 1e16))
        return 0;
    /* start just below the first significant digit: xe <= floor(log10 x)
     * <= xe + 1, give or take the rounding of log10(2) */
    int xe = (ilogb(x) * 78913) >> 18; /* floor(e2 * log10(2)) */
    int s = -xe - 3;
    if (s < -16)
        s = -16;
    while (s <= 22) {
        double y = s >= 0 ? x * pow10_exact[s] : x / pow10_exact[-s];
        if (y >= 1e15)
            return 0;
        if (y >= 0.5) {
            uint64_t m = (uint64_t)(y + 0.5);
            double back = s >= 0 ? (double)m / pow10_exact[s]
                                 : (double)m * pow10_exact[-s];
            if (back == x) {
                *digits = m;
                *scale = s;
                return 1;
            }
        }
        s++;
    }
    return 0;
}

/* ---- 16 and 17 digits, exactly, with 128-bit integers ----
 *
 * x = m·2^e. For a decimal scale s, x·10^s = m·5^s·2^(e+s) is a rational
 * with a power-of-two denominator, so D = x·10^s rounded (half to even, as
 * printf rounds) and whether D·10^-s reads back as x are both exact integer
 * computations while m·5^s fits: |s| <= 31, i.e. 1e-15 <= x < 2^127. The
 * read-back test compares the distance to x with half an ulp (strtod rounds
 * ties to even). m = 2^52 (a power of two, whose lower neighbour is
 * closer) is left to printf. */
typedef unsigned __int128 u128;
#define P5(hi, lo) (((u128)(hi) << 64) | (lo))
static const u128 pow5[32] = {
    P5(0x0ull, 0x0000000000000001ull),
    P5(0x0ull, 0x0000000000000005ull),
    P5(0x0ull, 0x0000000000000019ull),
    P5(0x0ull, 0x000000000000007dull),
    P5(0x0ull, 0x0000000000000271ull),
    P5(0x0ull, 0x0000000000000c35ull),
    P5(0x0ull, 0x0000000000003d09ull),
    P5(0x0ull, 0x000000000001312dull),
    P5(0x0ull, 0x000000000005f5e1ull),
    P5(0x0ull, 0x00000000001dcd65ull),
    P5(0x0ull, 0x00000000009502f9ull),
    P5(0x0ull, 0x0000000002e90eddull),
    P5(0x0ull, 0x000000000e8d4a51ull),
    P5(0x0ull, 0x0000000048c27395ull),
    P5(0x0ull, 0x000000016bcc41e9ull),
    P5(0x0ull, 0x000000071afd498dull),
    P5(0x0ull, 0x0000002386f26fc1ull),
    P5(0x0ull, 0x000000b1a2bc2ec5ull),
    P5(0x0ull, 0x000003782dace9d9ull),
    P5(0x0ull, 0x00001158e460913dull),
    P5(0x0ull, 0x000056bc75e2d631ull),
    P5(0x0ull, 0x0001b1ae4d6e2ef5ull),
    P5(0x0ull, 0x000878678326eac9ull),
    P5(0x0ull, 0x002a5a058fc295edull),
    P5(0x0ull, 0x00d3c21bcecceda1ull),
    P5(0x0ull, 0x0422ca8b0a00a425ull),
    P5(0x0ull, 0x14adf4b7320334b9ull),
    P5(0x0ull, 0x6765c793fa10079dull),
    P5(0x2ull, 0x04fce5e3e2502611ull),
    P5(0xaull, 0x18f07d736b90be55ull),
    P5(0x32ull, 0x7cb2734119d3b7a9ull),
    P5(0xfcull, 0x6f7c40458122964dull),
};

/* D = round(x·10^s) and whether D·10^-s reads back as x; 0 when outside
 * the exact range. */
static int scaled(uint64_t m, int e, int s, u128 *d, int *back)
{
    if (s >= 0) {
        if (s > 31)
            return 0;
        u128 p = (u128)m * pow5[s]; /* < 2^126 */
        int sh = e + s;
        if (sh >= 0) {
            if (sh > 60 || (p >> (126 - sh)) != 0)
                return 0;
            *d = p << sh; /* x·10^s is an integer */
            *back = 1;
            return 1;
        }
        int k = -sh;
        if (k > 126)
            return 0;
        u128 q = p >> k, r = p - (q << k), half = (u128)1 << (k - 1);
        if (r > half || (r == half && (q & 1)))
            q++;
        u128 qk = q << k;
        u128 diff = qk > p ? qk - p : p - qk;
        /* |D·2^k - P| against half an ulp, which is 5^s/2 at this scale */
        *back = 2 * diff < pow5[s] || (2 * diff == pow5[s] && !(m & 1));
        *d = q;
        return 1;
    }
    int t = -s;
    if (t > 31 || e < 0 || e > 73)
        return 0;
    u128 n = (u128)m << e; /* x, an integer */
    u128 p10 = pow5[t] << t;
    u128 q = n / p10, r = n - q * p10;
    if (2 * r > p10 || (2 * r == p10 && (q & 1)))
        q++;
    u128 b = q * p10;
    u128 diff = b > n ? b - n : n - b;
    u128 ulp = (u128)1 << e;
    *back = 2 * diff < ulp || (2 * diff == ulp && !(m & 1));
    *d = q;
    return 1;
}

/* The shortest of 15, 16, 17 significant digits (as digits_printf finds
 * them) for normal x in [1e-15, 2^127). Returns 0 when it does not apply. */
static int digits_exact(double x, char *dig, int *exp10)
{
    uint64_t bits;
    memcpy(&bits, &x, 8);
    int be = (int)(bits >> 52) & 0x7FF;
    uint64_t frac = bits & ((1ull << 52) - 1);
    if (be == 0 || frac == 0 || !(x >= 1e-15 && x < 1.7e38))
        return 0;
    uint64_t m = frac | (1ull << 52);
    int e = be - 1075;
    static const uint64_t p10[18] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
                                     100000000, 1000000000, 10000000000ull, 100000000000ull,
                                     1000000000000ull, 10000000000000ull, 100000000000000ull,
                                     1000000000000000ull, 10000000000000000ull,
                                     100000000000000000ull};
    /* the decimal exponent X of x's first digit, from 17 digits */
    int X = (ilogb(x) * 78913) >> 18;
    u128 d;
    int back;
    for (int tries = 0;; tries++) {
        if (tries == 3 || !scaled(m, e, 16 - X, &d, &back))
            return 0;
        if (d >= p10[17] && d != p10[17])
            X++;
        else if (d < p10[16])
            X--;
        else
            break;
    }
    u128 d17 = d;
    for (int prec = 15; prec <= 17; prec++) {
        if (prec == 17)
            d = d17;
        else if (!scaled(m, e, prec - 1 - X, &d, &back))
            return 0;
        if (!back && prec < 17)
            continue;
        int x10 = X;
        if (d == p10[prec]) { /* 9.99… rounded up to 10.0… */
            d = p10[prec - 1];
            x10++;
        }
        fmt_i64((int64_t)d, dig);
        dig[prec] = '\0';
        *exp10 = x10;
        return 1;
    }
    return 0;
}

/* Shortest digits by printf: the first of 15, 16, 17 significant digits that
 * reads back (from 1 for subnormals, whose precision is below 15 digits).
 * Fills dig (NUL-terminated digits, no dot) and the decimal exponent of the
 * first digit. */
static void digits_printf(double x, char *dig, int *exp10)
{
    char text[48];
    for (int prec = x < DBL_MIN ? 1 : 15; prec <= 17; prec++) {
        snprintf(text, sizeof text, "%.*e", prec - 1, x);
        /* rebuild "d.ddde±X" in the C locale's spelling for the check */
        size_t nd = 0;
        const char *p = text;
        for (; *p && *p != 'e'; p++)
            if (*p >= '0' && *p <= '9')
                dig[nd++] = *p;
        dig[nd] = '\0';
        *exp10 = atoi(p + 1);
        if (prec == 17)
            break;
        char check[48];
        snprintf(check, sizeof check, "%c.%se%d", dig[0], dig + 1, *exp10);
        if (strtod_c(check, NULL) == x)
            break;
    }
}

size_t fmt_f64(double v, char *buf)
{
    size_t len = 0;
    if (signbit(v)) {
        buf[len++] = '-';
        v = -v;
    }
    if (v == 0) {
        buf[len++] = '0';
        return len;
    }
    char dig[24];
    size_t nd;
    int exp10; /* decimal exponent of the first digit */
    uint64_t m;
    int scale;
    if (v < 9007199254740992.0 && v == (double)(uint64_t)v) {
        /* integral and exact: its digits are the integer's */
        nd = fmt_i64((int64_t)v, dig);
        exp10 = (int)nd - 1;
    } else if (digits_exact(v, dig, &exp10)) {
        /* 15 digits with trailing zeros dropped are the shortest whenever
         * 15 or fewer suffice (at most one 15-digit decimal lies within half
         * an ulp of a normal double) */
        nd = strlen(dig);
    } else if (digits_fast(v, &m, &scale)) {
        nd = fmt_i64((int64_t)m, dig);
        exp10 = (int)nd - 1 - scale;
    } else {
        digits_printf(v, dig, &exp10);
        nd = strlen(dig);
    }
    while (nd > 1 && dig[nd - 1] == '0')
        nd--;

    if (exp10 >= -4 && exp10 < 17) {
        if (exp10 < 0) {
            buf[len++] = '0';
            buf[len++] = '.';
            for (int i = -1; i > exp10; i--)
                buf[len++] = '0';
            memcpy(buf + len, dig, nd);
            return len + nd;
        }
        size_t intd = (size_t)exp10 + 1;
        if (nd <= intd) {
            memcpy(buf + len, dig, nd);
            len += nd;
            for (size_t i = nd; i < intd; i++)
                buf[len++] = '0';
            return len;
        }
        memcpy(buf + len, dig, intd);
        len += intd;
        buf[len++] = '.';
        memcpy(buf + len, dig + intd, nd - intd);
        return len + nd - intd;
    }
    buf[len++] = dig[0];
    if (nd > 1) {
        buf[len++] = '.';
        memcpy(buf + len, dig + 1, nd - 1);
        len += nd - 1;
    }
    buf[len++] = 'e';
    buf[len++] = exp10 < 0 ? '-' : '+';
    int e = exp10 < 0 ? -exp10 : exp10;
    if (e < 10)
        buf[len++] = '0';
    len += fmt_i64(e, buf + len);
    return len;
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
