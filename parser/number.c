/*
 * number.c — number text in the "C" locale: reading literals and printing
 * f64 values shortest-round-trip. strtod/snprintf follow LC_NUMERIC, and an
 * embedder running in a locale with a decimal comma must not change what
 * `1.5` means, so both go through a "C" locale object made once.
 */
#define _GNU_SOURCE
#include "parser/internal.h"

#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/mem.h"

static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void make_c_locale(void)
{
    /* (locale_t)0 on failure: callers then fall back to the global locale,
     * which is right for every program that never calls setlocale. */
    c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

static locale_t get_c_locale(void)
{
    pthread_once(&c_locale_once, make_c_locale);
    return c_locale;
}

double number_parse(const char *s)
{
    locale_t loc = get_c_locale();
    return loc ? strtod_l(s, NULL, loc) : strtod(s, NULL);
}

/* The powers of ten a double holds exactly: 10^22 < 2^53 * 2^22 still has
 * a 53-bit odd part (5^22 < 2^53). */
static const double exact_pow10[] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

int number_exact(uint64_t m, int exp10, double *out)
{
    if (m == 0) {
        *out = 0.0; /* a literal has no sign */
        return 1;
    }
    if (m >= 1000000000000000u || exp10 < -22 || exp10 > 22)
        return 0;
    *out = exp10 < 0 ? (double)m / exact_pow10[-exp10] : (double)m * exact_pow10[exp10];
    return 1;
}

/* The common literal without strtod (number_exact). Returns 0 when the
 * literal is not of that kind. s[0..n) is a scanned number token: digits,
 * an optional `.` and digits, an optional exponent. */
static int parse_simple_decimal(const char *s, size_t n, double *out)
{
    uint64_t m = 0;
    int digits = 0, exp10 = 0, in_fraction = 0;
    size_t i = 0;
    for (; i < n; i++) {
        if (s[i] == '.') {
            in_fraction = 1;
            continue;
        }
        if (s[i] < '0' || s[i] > '9')
            break;
        if (m || s[i] != '0') { /* leading zeros are not significant */
            if (++digits > 15)
                return 0;
            m = m * 10 + (uint64_t)(s[i] - '0');
        }
        exp10 -= in_fraction;
    }
    if (i < n) { /* e, an optional sign, at least one digit */
        int neg = s[++i] == '-', e = 0;
        if (s[i] == '-' || s[i] == '+')
            i++;
        for (; i < n; i++)
            if (e < 1000) /* beyond any range below; no overflow */
                e = e * 10 + (s[i] - '0');
        exp10 += neg ? -e : e;
    }
    return number_exact(m, exp10, out);
}

int number_parse_token(const char *s, size_t n, double *out)
{
    if (parse_simple_decimal(s, n, out))
        return 0;
    char small[128];
    char *buf = n < sizeof small ? small : mem_alloc(n + 1);
    if (!buf)
        return -1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    *out = number_parse(buf);
    if (buf != small)
        mem_free(buf);
    return 0;
}

/* snprintf("%.*e") in the C locale. */
static void format_e(char *buf, size_t size, int prec, double x)
{
    locale_t loc = get_c_locale();
    locale_t old = loc ? uselocale(loc) : (locale_t)0;
    snprintf(buf, size, "%.*e", prec, x);
    if (old)
        uselocale(old);
}

size_t number_format(double x, char *buf)
{
    /* The shortest %e precision that reads back exactly (17 digits always
     * do): digits d.ddd and a decimal exponent. */
    char e[40];
    for (int prec = 0; prec <= 16; prec++) {
        format_e(e, sizeof e, prec, x);
        if (number_parse(e) == x)
            break;
    }
    char digits[24];
    size_t nd = 0;
    const char *p = e;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9')
            digits[nd++] = *p;
    int exp10 = *p == 'e' ? atoi(p + 1) : 0;
    while (nd > 1 && digits[nd - 1] == '0') /* %e pads nothing, but be safe */
        nd--;

    size_t n = 0;
    if (exp10 >= -5 && exp10 < 17) {
        /* positional: 0.001, 12.5, 100.0 */
        if (exp10 < 0) {
            buf[n++] = '0';
            buf[n++] = '.';
            for (int i = 0; i < -exp10 - 1; i++)
                buf[n++] = '0';
            memcpy(buf + n, digits, nd);
            n += nd;
        } else {
            size_t ip = (size_t)exp10 + 1; /* integer digits */
            for (size_t i = 0; i < ip; i++)
                buf[n++] = i < nd ? digits[i] : '0';
            buf[n++] = '.';
            if (nd > ip) {
                memcpy(buf + n, digits + ip, nd - ip);
                n += nd - ip;
            } else {
                buf[n++] = '0';
            }
        }
    } else {
        /* exponent form: 1e+300, 2.5e-7 */
        buf[n++] = digits[0];
        if (nd > 1) {
            buf[n++] = '.';
            memcpy(buf + n, digits + 1, nd - 1);
            n += nd - 1;
        }
        n += (size_t)sprintf(buf + n, "e%c%d", exp10 < 0 ? '-' : '+',
                             exp10 < 0 ? -exp10 : exp10);
    }
    buf[n] = '\0';
    return n;
}

int is_keyword(const char *name, size_t len)
{
    /* by length, so a name is compared with one word at most (this runs on
     * every identifier the lexer reads) */
    const char *word;
    switch (len) {
    case 2: word = "or"; break;
    case 3: word = (name[0] | 0x20) == 'a' ? "and" : "not"; break;
    case 4: word = "true"; break;
    case 5: word = "false"; break;
    default: return 0;
    }
    return strncasecmp(name, word, len) == 0;
}
