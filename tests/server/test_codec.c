/* test_codec.c — base64, number text and the JSON writer of server/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

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
        cmocka_unit_test(i64_prints_every_magnitude),
        cmocka_unit_test(json_number_tokens_parse_correctly_rounded),
        cmocka_unit_test(strings_are_escaped_and_made_valid_utf8),
        cmocka_unit_test(any_json_value_is_written_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
