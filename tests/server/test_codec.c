/* test_codec.c — base64, number text and the JSON writer of server/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/b64.h"
#include "server/jbuf.h"
#include "server/numfmt.h"
#include "tests/common/emulated.h"

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* ---- base64 ---- */

/* A plainly written encoder to compare the table-driven one with. */
static void ref_encode(const uint8_t *in, size_t n, char *out)
{
    static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)in[i + 1] << 8;
        if (i + 2 < n)
            v |= in[i + 2];
        out[o++] = a[v >> 18];
        out[o++] = a[(v >> 12) & 63];
        out[o++] = i + 1 < n ? a[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < n ? a[v & 63] : '=';
    }
}

static void base64_matches_rfc4648_vectors(void **state)
{
    (void)state;
    static const char *plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *coded[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    for (int i = 0; i < 7; i++) {
        char out[16] = {0};
        size_t n = strlen(plain[i]);
        b64_encode((const uint8_t *)plain[i], n, out);
        assert_string_equal(out, coded[i]);
        uint8_t back[16] = {0};
        assert_int_equal(b64_decoded_len(coded[i], strlen(coded[i])), n);
        assert_int_equal(b64_decode(coded[i], strlen(coded[i]), back), 0);
        assert_memory_equal(back, plain[i], n);
    }
}

static void base64_round_trips_every_length(void **state)
{
    (void)state;
    uint8_t in[300] = {0}, back[310];
    char text[420], ref[420];
    for (size_t n = 0; n < 300; n++) {
        for (size_t i = 0; i < n; i++)
            in[i] = (uint8_t)rng();
        b64_encode(in, n, text);
        ref_encode(in, n, ref);
        assert_memory_equal(text, ref, b64_encoded_len(n));
        size_t len = b64_encoded_len(n);
        assert_int_equal(b64_decoded_len(text, len), n);
        assert_int_equal(b64_decode(text, len, back), 0);
        assert_memory_equal(back, in, n);
        /* without its padding too */
        while (len && text[len - 1] == '=')
            len--;
        assert_int_equal(b64_decoded_len(text, len), n);
        assert_int_equal(b64_decode(text, len, back), 0);
        assert_memory_equal(back, in, n);
    }
}

static void base64_rejects_bad_text(void **state)
{
    (void)state;
    uint8_t out[64];
    /* a bad character anywhere, including inside the fast loop's groups */
    char text[] = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=";
    size_t len = strlen(text);
    assert_int_equal(b64_decode(text, len, out), 0);
    for (size_t i = 0; i + 1 < len; i++) {
        static const char bad[] = {'-', '_', ' ', '\n', '=', '\0', '\x80', '.'};
        for (size_t k = 0; k < sizeof bad; k++) {
            char copy[64];
            memcpy(copy, text, len);
            copy[i] = bad[k];
            assert_int_equal(b64_decode(copy, len, out), -1);
        }
    }
    /* long texts go through the vector decoder: a bad byte anywhere, of
     * every kind (each high nibble, the neighbours of the alphabet) */
    uint8_t raw[1200], dec[1200];
    char enc[1700];
    for (size_t i = 0; i < sizeof raw; i++)
        raw[i] = (uint8_t)rng();
    b64_encode(raw, sizeof raw, enc);
    size_t elen = b64_encoded_len(sizeof raw);
    static const unsigned char near[] = {0x00, 0x1F, 0x20, 0x2A, 0x2C, 0x2E, 0x3A, 0x40,
                                         0x5B, 0x60, 0x7B, 0x7F, 0x80, 0xC3, 0xFF, '='};
    for (size_t i = 0; i < elen - 2; i++) {
        char saved = enc[i];
        enc[i] = (char)near[i % sizeof near];
        if (b64_decode(enc, elen, dec) != -1)
            fail_msg("byte 0x%02x at %zu accepted", near[i % sizeof near], i);
        enc[i] = saved;
    }
    assert_int_equal(b64_decode(enc, elen, dec), 0);
    assert_memory_equal(dec, raw, sizeof raw);
    assert_int_equal(b64_decoded_len("QUJDR", 5), (size_t)-1); /* len % 4 == 1 */
    assert_int_equal(b64_decode("QUJDR", 5, out), -1);
    assert_int_equal(b64_decode("QR==", 4, out), -1);  /* leftover bits */
    assert_int_equal(b64_decode("QUI=", 4, out), 0);
    assert_int_equal(b64_decode("QUJ=", 4, out), -1); /* leftover bits */
    assert_int_equal(b64_decode("Q===", 4, out), -1);
    assert_int_equal(b64_decode("====", 4, out), -1);
}

/* ---- numbers ---- */

static void check_fmt(double v, const char *want)
{
    char buf[NUMFMT_MAX + 1];
    size_t n = fmt_f64(v, buf);
    buf[n] = '\0';
    assert_string_equal(buf, want);
}

static void f64_prints_shortest_round_trip_text(void **state)
{
    (void)state;
    check_fmt(0.1, "0.1");
    check_fmt(0.3, "0.3");
    check_fmt(0.1 + 0.2, "0.30000000000000004");
    check_fmt(1.0 / 3.0, "0.3333333333333333");
    check_fmt(2.5, "2.5");
    check_fmt(-2.5, "-2.5");
    check_fmt(0.0, "0");
    check_fmt(-0.0, "-0");
    check_fmt(3.0, "3");
    check_fmt(100.0, "100");
    check_fmt(1e16, "10000000000000000");
    check_fmt(1.5e16, "15000000000000000");
    check_fmt(1e17, "1e+17");
    check_fmt(9.223372036854776e18, "9.223372036854776e+18");
    check_fmt(1e21, "1e+21");
    check_fmt(0.0001, "0.0001");
    check_fmt(0.00012, "0.00012");
    check_fmt(1e-5, "1e-05");
    check_fmt(2.5e-7, "2.5e-07");
    check_fmt(5e-324, "5e-324");
    check_fmt(1.7976931348623157e308, "1.7976931348623157e+308");
    check_fmt(2.2250738585072014e-308, "2.2250738585072014e-308");
    check_fmt(9007199254740993.0, "9007199254740992");
    check_fmt(123456.789, "123456.789");
    /* a tie between two 16-digit decimals that both read back: the even */
    check_fmt(562949953421312.25, "562949953421312.2");
    check_fmt(1000000000000000.25, "1000000000000000.2");
    /* a power of two whose nearest 16-digit decimal is below its (twice
     * closer) lower bound: 17 digits, though 7.120236347223045e-307 reads
     * back too */
    check_fmt(ldexp(1, -1017), "7.1202363472230444e-307");
    /* either side of the notation boundaries */
    check_fmt(nextafter(1e-4, 0), "9.999999999999999e-05");
    check_fmt(nextafter(1e-4, 1), "0.00010000000000000002");
    check_fmt(nextafter(1e17, 0), "99999999999999980");
}

/* The reference: the fewest of 1..17 significant digits that read back. */
static int ref_digits(double x)
{
    char t[64];
    for (int p = 1; p <= 17; p++) {
        snprintf(t, sizeof t, "%.*e", p - 1, x);
        if (strtod(t, NULL) == x)
            return p;
    }
    return 17;
}

static int sig_digits(const char *s)
{
    int n = 0, started = 0, trailing = 0;
    for (; *s && *s != 'e'; s++) {
        if (*s < '0' || *s > '9')
            continue;
        if (*s != '0')
            started = 1;
        if (started) {
            n++;
            trailing = *s == '0' ? trailing + 1 : 0;
        }
    }
    return n - trailing; /* "1000" has one significant digit */
}

/* The significant digits of a number's text, without leading or trailing
 * zeros. */
static void digits_of(const char *s, char *out)
{
    size_t n = 0;
    for (; *s && *s != 'e'; s++)
        if (*s >= '0' && *s <= '9' && (n || *s != '0'))
            out[n++] = *s;
    while (n > 1 && out[n - 1] == '0')
        n--;
    out[n] = '\0';
}

static void f64_random_values_round_trip_with_fewest_digits(void **state)
{
    (void)state;
    char buf[NUMFMT_MAX + 1];
    for (int i = 0; i < TEST_SIZE(400000, 40000); i++) {
        double x;
        uint64_t r = rng();
        switch (i % 4) {
        case 0: memcpy(&x, &r, 8); break;                               /* any bits */
        case 1: x = (double)(r % 1000000) / 100.0; break;               /* prices */
        case 2: x = (double)(r % 100000000) * pow(10, (int)(rng() % 40) - 20); break;
        case 3: x = ldexp((double)(r >> 11), (int)(rng() % 200) - 150); break;
        }
        if (i % 8 == 7) /* arithmetic results: 0.1 * 3, a / b */
            x = (double)(r % 1000) / (double)(rng() % 997 + 1) * 0.1;
        if (i % 16 == 15) /* next to a power of ten */
            x = nextafter(pow(10, (int)(r % 40) - 20), (rng() & 1) ? 0 : 1e300);
        if (!isfinite(x))
            continue;
        size_t n = fmt_f64(x, buf);
        buf[n] = '\0';
        double back = strtod(buf, NULL);
        assert_true(back == x && signbit(back) == signbit(x));
        if (x == 0)
            continue;
        int p = ref_digits(x);
        if (sig_digits(buf) != p)
            fail_msg("%.17g printed as %s: %d digits, shortest is %d", x, buf, sig_digits(buf), p);
        /* and the same digits as printf's %.<p-1>e (correctly rounded) */
        char ref[64], a[32], b[32];
        snprintf(ref, sizeof ref, "%.*e", p - 1, x);
        digits_of(ref, a);
        digits_of(buf, b);
        if (strcmp(a, b) != 0)
            fail_msg("%.17g printed as %s, printf says %s", x, buf, ref);
    }
}

/* ---- f64 text against the previous implementation ----
 *
 * fmt_f64 was rewritten for speed (a 128-bit power-of-ten table, see
 * server/numfmt.c) and must print exactly the same text as before, for
 * every double. ref_fmt_f64 is the previous implementation, kept here
 * verbatim as the oracle: the first of 15, 16, 17 digits that reads back
 * (1 to 17 for subnormals), by exact 128-bit integer arithmetic for most
 * values and printf and strtod for the rest. */

/* Powers of ten that are exact doubles (10^22 is the last one). */
static const double ref_pow10_exact[23] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* Shortest digits by exact double arithmetic, for x in [1e-5, 1e16) needing
 * at most 15 significant digits: tries scales s upward and keeps the first
 * m = round(x * 10^s) for which m / 10^s reads back as x. m < 10^15 < 2^53
 * and 10^|s| <= 10^22 are exact doubles, so that quotient is the correctly
 * rounded value of the decimal m·10^-s, i.e. exactly what strtod returns;
 * and the candidate m is the right one because x·10^s is within 0.25 of it
 * whenever any 15-digit decimal round-trips. Returns 0 when it does not
 * apply (the caller falls back to printf). */
static int ref_digits_fast(double x, uint64_t *digits, int *scale)
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
        double y = s >= 0 ? x * ref_pow10_exact[s] : x / ref_pow10_exact[-s];
        if (y >= 1e15)
            return 0;
        if (y >= 0.5) {
            uint64_t m = (uint64_t)(y + 0.5);
            double back = s >= 0 ? (double)m / ref_pow10_exact[s]
                                 : (double)m * ref_pow10_exact[-s];
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
static const u128 ref_pow5[32] = {
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
static int ref_scaled(uint64_t m, int e, int s, u128 *d, int *back)
{
    if (s >= 0) {
        if (s > 31)
            return 0;
        u128 p = (u128)m * ref_pow5[s]; /* < 2^126 */
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
        *back = 2 * diff < ref_pow5[s] || (2 * diff == ref_pow5[s] && !(m & 1));
        *d = q;
        return 1;
    }
    int t = -s;
    if (t > 31 || e < 0 || e > 73)
        return 0;
    u128 n = (u128)m << e; /* x, an integer */
    u128 p10 = ref_pow5[t] << t;
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
static int ref_digits_exact(double x, char *dig, int *exp10)
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
        if (tries == 3 || !ref_scaled(m, e, 16 - X, &d, &back))
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
        else if (!ref_scaled(m, e, prec - 1 - X, &d, &back))
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
static void ref_digits_printf(double x, char *dig, int *exp10)
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
        if (strtod(check, NULL) == x)
            break;
    }
}

static size_t ref_fmt_f64(double v, char *buf)
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
    } else if (ref_digits_exact(v, dig, &exp10)) {
        /* 15 digits with trailing zeros dropped are the shortest whenever
         * 15 or fewer suffice (at most one 15-digit decimal lies within half
         * an ulp of a normal double) */
        nd = strlen(dig);
    } else if (ref_digits_fast(v, &m, &scale)) {
        nd = fmt_i64((int64_t)m, dig);
        exp10 = (int)nd - 1 - scale;
    } else {
        ref_digits_printf(v, dig, &exp10);
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

/* fmt_f64(x) equals ref_fmt_f64(x), and writes nothing past NUMFMT_MAX */
static void check_same(double x)
{
    char got[NUMFMT_MAX + 8], want[64];
    memset(got, '#', sizeof got);
    size_t n = fmt_f64(x, got);
    for (size_t i = NUMFMT_MAX; i < sizeof got; i++)
        if (got[i] != '#')
            fail_msg("%a: fmt_f64 wrote past NUMFMT_MAX", x);
    size_t m = ref_fmt_f64(x, want);
    if (n != m || memcmp(got, want, n) != 0)
        fail_msg("%a (%.17g) printed as \"%.*s\", the reference says \"%.*s\"", x, x, (int)n, got,
                 (int)m, want);
}

static void check_signs(double x)
{
    if (!isfinite(x))
        return;
    check_same(x);
    check_same(-x);
}

/* x and its neighbours */
static void check_around(double x)
{
    check_signs(x);
    check_signs(nextafter(x, 0));
    check_signs(nextafter(x, INFINITY));
}

static double from_bits(uint64_t b)
{
    double x;
    memcpy(&x, &b, 8);
    return x;
}

static void check_text(const char *t)
{
    check_around(strtod(t, NULL));
}

static void f64_matches_reference_on_special_values(void **state)
{
    (void)state;
    char t[64];
    check_signs(0.0);
    /* subnormals: the smallest ones, the largest ones, DBL_MIN next to them */
    for (uint64_t k = 1; k <= 3000; k++) {
        check_signs(from_bits(k));
        check_signs(from_bits((1ull << 52) - k));
    }
    check_around(DBL_MIN);
    check_around(DBL_MAX);
    /* powers of two (their lower neighbour is twice closer), 3·2^e */
    for (int e = -1074; e <= 1023; e++) {
        check_around(ldexp(1, e));
        check_signs(ldexp(3, e - 1));
    }
    /* d·10^e, 9.99…·10^e rounding up to the next power of ten, notation
     * boundaries (1e-05 / 0.0001, 1e16 / 1e17) among them */
    for (int e = -324; e <= 308; e++) {
        for (int d = 1; d <= 9; d++) {
            snprintf(t, sizeof t, "%de%d", d, e);
            check_text(t);
        }
        for (int n = 14; n <= 18; n++) {
            snprintf(t, sizeof t, "9.%.*se%d", n, "999999999999999999", e);
            check_text(t);
        }
        snprintf(t, sizeof t, "1.0000000000000001e%d", e);
        check_text(t);
    }
    /* integers at and past 2^53 (the last exact ones, then even, then
     * multiples of 4, ...): their rounding bounds are integers */
    for (int64_t i = -2000; i <= 2000; i++) {
        check_signs(9007199254740992.0 + (double)i);
        check_signs(18014398509481984.0 + 2.0 * (double)i);
        check_signs(1e16 + 2.0 * (double)i);
        check_signs(1e17 + 16.0 * (double)i);
        check_signs(ldexp(1, 57) + 32.0 * (double)i);
        check_signs(1e15 + (double)i / 8);
    }
    /* values short in binary (k / 2^j): whole or half-whole scaled values
     * and exact ties at 15, 16, 17 digits */
    for (int j = -8; j <= 64; j++)
        for (uint64_t k = 1; k < 600; k++)
            check_signs(ldexp((double)k, -j));
    for (int i = 0; i < 40000; i++) {
        uint64_t m = rng() >> (11 + rng() % 12);
        check_signs(ldexp((double)m, -(int)(rng() % 12) - 1));
    }
    /* the last 8 digits of 17 near 99999999 (a carry into the first 9) */
    for (int i = 0; i < 2000; i++) {
        snprintf(t, sizeof t, "%u.%07u9999999%ue%d", (unsigned)(rng() % 9 + 1),
                 (unsigned)(rng() % 10000000), (unsigned)(rng() % 10), (int)(rng() % 40) - 20);
        check_text(t);
    }
}

static void f64_matches_reference_on_random_bits(void **state)
{
    (void)state;
    for (int i = 0; i < TEST_SIZE(1000000, 100000); i++) {
        double x = from_bits(rng());
        if (isfinite(x))
            check_same(x);
    }
}

static void f64_matches_reference_on_unit_interval(void **state)
{
    (void)state;
    for (int i = 0; i < TEST_SIZE(1000000, 100000); i++) {
        double x;
        switch (i % 4) {
        case 0: x = (double)(rng() >> 11) * 0x1p-53; break;                /* uniform */
        case 1: x = (double)(rng() >> (11 + rng() % 40)) * 0x1p-53; break; /* fewer bits */
        case 2: x = (double)(rng() >> 11) * 0x1p-53 * ((double)(rng() >> 11) * 0x1p-53); break;
        default: x = (double)(rng() % 1000 + 1) / (double)(rng() % 100000 + 1001); break;
        }
        check_same(x);
    }
}

static void i64_prints_every_magnitude(void **state)
{
    (void)state;
    char buf[NUMFMT_MAX + 1];
    int64_t vals[] = {0, 1, -1, 9, 10, -10, INT64_MAX, INT64_MIN, 1234567890123};
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        char want[32];
        snprintf(want, sizeof want, "%lld", (long long)vals[i]);
        size_t n = fmt_i64(vals[i], buf);
        buf[n] = '\0';
        assert_string_equal(buf, want);
    }
}

static void json_number_tokens_parse_correctly_rounded(void **state)
{
    (void)state;
    static const char *ok[] = {"0",        "-0",     "1.5",     "-2.25e3", "1E+5",
                               "1e-400",   "0.1",    "123456789012345678901234567890",
                               "4.9406564584124654e-324", "1.7976931348623157e308",
                               "0.30000000000000004", "9007199254740993", "2.5e-7"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        double d;
        assert_int_equal(parse_f64(ok[i], strlen(ok[i]), &d), 0);
        double want = strtod(ok[i], NULL);
        assert_memory_equal(&d, &want, sizeof d);
    }
    static const char *bad[] = {"", "-", "01", "1.", ".5", "+1", "1e", "1e+", "1.2.3",
                                "0x10", "1e999999", "-1e400", "NaN", "1 "};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double d;
        if (parse_f64(bad[i], strlen(bad[i]), &d) != -1)
            fail_msg("\"%s\" was accepted", bad[i]);
    }
    /* random decimals against strtod */
    for (int i = 0; i < TEST_SIZE(100000, 10000); i++) {
        char t[64];
        double x;
        uint64_t r = rng();
        memcpy(&x, &r, 8);
        if (!isfinite(x))
            continue;
        snprintf(t, sizeof t, "%.*g", (int)(rng() % 17) + 1, x);
        if (strchr(t, 'n') || strchr(t, 'i') || isinf(strtod(t, NULL)))
            continue; /* "2e+308" from rounding 1.8e308 overflows */
        double d;
        assert_int_equal(parse_f64(t, strlen(t), &d), 0);
        double want = strtod(t, NULL);
        assert_memory_equal(&d, &want, sizeof d);
    }
}

/* ---- JSON writer ---- */

static char *take(jbuf *b)
{
    char *s = jb_take(b, NULL);
    assert_non_null(s);
    return s;
}

static void strings_are_escaped_and_made_valid_utf8(void **state)
{
    (void)state;
    jbuf b;
    jb_init(&b);
    jb_str(&b, "a\"b\\c\n\x01\0z", 9);
    char *s = take(&b);
    assert_string_equal(s, "\"a\\\"b\\\\c\\n\\u0001\\u0000z\"");
    free(s);
    /* valid multi-byte UTF-8 passes; invalid bytes become U+FFFD */
    jb_init(&b);
    jb_cstr(&b, "\xC3\xA9|\xFF|\xC3|\xED\xA0\x80|\xF0\x9F\x98\x80");
    s = take(&b);
    assert_string_equal(s, "\"\xC3\xA9|\xEF\xBF\xBD|\xEF\xBF\xBD|\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD|"
                           "\xF0\x9F\x98\x80\"");
    free(s);
}

static void any_json_value_is_written_back(void **state)
{
    (void)state;
    const char *text = "{\"a\":[1,-2,0.5,true,false,null,\"x\"],\"b\":{},\"c\":[]}";
    json_t *v = json_loads(text, 0, NULL);
    assert_non_null(v);
    jbuf b;
    jb_init(&b);
    jb_json(&b, v);
    char *s = take(&b);
    assert_string_equal(s, text);
    free(s);
    json_decref(v);
    jb_init(&b);
    jb_f64(&b, NAN);
    jb_char(&b, ',');
    jb_f64(&b, -INFINITY);
    jb_char(&b, ',');
    jb_u64(&b, UINT64_MAX);
    s = take(&b);
    assert_string_equal(s, "\"NaN\",\"-Infinity\",18446744073709551615");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(base64_matches_rfc4648_vectors),
        cmocka_unit_test(base64_round_trips_every_length),
        cmocka_unit_test(base64_rejects_bad_text),
        cmocka_unit_test(f64_prints_shortest_round_trip_text),
        cmocka_unit_test(f64_random_values_round_trip_with_fewest_digits),
        cmocka_unit_test(f64_matches_reference_on_special_values),
        cmocka_unit_test(f64_matches_reference_on_random_bits),
        cmocka_unit_test(f64_matches_reference_on_unit_interval),
        cmocka_unit_test(i64_prints_every_magnitude),
        cmocka_unit_test(json_number_tokens_parse_correctly_rounded),
        cmocka_unit_test(strings_are_escaped_and_made_valid_utf8),
        cmocka_unit_test(any_json_value_is_written_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
