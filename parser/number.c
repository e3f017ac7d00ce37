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
    static const char *const words[] = {"and", "or", "not", "true", "false"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strlen(words[i]) == len && strncasecmp(name, words[i], len) == 0)
            return 1;
    return 0;
}
