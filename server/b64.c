/* b64.c — table-driven base64 encode and decode (see b64.h). */
#include "server/b64.h"

#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define B64_AVX2 1
#endif

/* Every table is built by the compiler from these macros, so there is no
 * init call and no race. R<n>(m, c) expands m(c), m(c+1), ... m(c+n-1). */
#define R4(m, c) m(c), m((c) + 1), m((c) + 2), m((c) + 3)
#define R16(m, c) R4(m, c), R4(m, (c) + 4), R4(m, (c) + 8), R4(m, (c) + 12)
#define R64(m, c) R16(m, c), R16(m, (c) + 16), R16(m, (c) + 32), R16(m, (c) + 48)
#define R256(m, c) R64(m, c), R64(m, (c) + 64), R64(m, (c) + 128), R64(m, (c) + 192)
#define R1024(m, c) R256(m, c), R256(m, (c) + 256), R256(m, (c) + 512), R256(m, (c) + 768)
#define R4096(m, c) R1024(m, c), R1024(m, (c) + 1024), R1024(m, (c) + 2048), R1024(m, (c) + 3072)

/* The 6-bit value of character c, or 64 for "not in the alphabet". */
#define VAL(c)                                                               \
    ((c) >= 'A' && (c) <= 'Z'   ? (c) - 'A'                                  \
     : (c) >= 'a' && (c) <= 'z' ? (c) - 'a' + 26                             \
     : (c) >= '0' && (c) <= '9' ? (c) - '0' + 52                             \
     : (c) == '+'               ? 62                                         \
     : (c) == '/'               ? 63                                         \
                                : 64)
/* The character of 6-bit value v. */
#define CHR(v)                                                               \
    ((v) < 26 ? 'A' + (v) : (v) < 52 ? 'a' + (v) - 26 : (v) < 62 ? '0' + (v) - 52 \
     : (v) == 62 ? '+' : '/')

/* A bad character sets bit 24, which no valid 24-bit group has: one OR per
 * group accumulates every error and one test at the end finds it. */
#define BAD 0x01000000u
#define DEC(c, shift) (VAL(c) < 64 ? (uint32_t)VAL(c) << (shift) : BAD)
#define DEC0(c) DEC(c, 18)
#define DEC1(c) DEC(c, 12)
#define DEC2(c) DEC(c, 6)
#define DEC3(c) DEC(c, 0)
static const uint32_t dec0[256] = {R256(DEC0, 0)};
static const uint32_t dec1[256] = {R256(DEC1, 0)};
static const uint32_t dec2[256] = {R256(DEC2, 0)};
static const uint32_t dec3[256] = {R256(DEC3, 0)};

/* Two output characters per 12 input bits: half the lookups of a 6-bit
 * table, for 8 KiB of table. */
#define ENC2(i) {CHR((i) >> 6), CHR((i) & 63)}
static const char enc2[4096][2] = {R4096(ENC2, 0)};

static const char alphabet[64] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void b64_encode(const uint8_t *in, size_t n, char *out)
{
    size_t i = 0;
    /* 6 bytes -> 8 characters per step, from one 8-byte load (so the loop
     * stops while 8 bytes remain readable). */
    for (; i + 8 <= n; i += 6, out += 8) {
        uint64_t v;
        memcpy(&v, in + i, 8);
        v = __builtin_bswap64(v) >> 16; /* bytes i..i+5 as a 48-bit number */
        memcpy(out, enc2[(v >> 36) & 0xfff], 2);
        memcpy(out + 2, enc2[(v >> 24) & 0xfff], 2);
        memcpy(out + 4, enc2[(v >> 12) & 0xfff], 2);
        memcpy(out + 6, enc2[v & 0xfff], 2);
    }
    for (; i + 3 <= n; i += 3, out += 4) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        memcpy(out, enc2[v >> 12], 2);
        memcpy(out + 2, enc2[v & 0xfff], 2);
    }
    if (i < n) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)in[i + 1] << 8;
        out[0] = alphabet[v >> 18];
        out[1] = alphabet[(v >> 12) & 63];
        out[2] = i + 1 < n ? alphabet[(v >> 6) & 63] : '=';
        out[3] = '=';
    }
}

size_t b64_decoded_len(const char *in, size_t len)
{
    if (len >= 4 && len % 4 == 0) {
        if (in[len - 1] == '=')
            len -= in[len - 2] == '=' ? 2 : 1;
    }
    if (len % 4 == 1)
        return (size_t)-1;
    return len / 4 * 3 + (len % 4 ? len % 4 - 1 : 0);
}

/* One group of four characters as 24 bits (plus BAD). */
static inline uint32_t group(const unsigned char *s)
{
    return dec0[s[0]] | dec1[s[1]] | dec2[s[2]] | dec3[s[3]];
}

#ifdef B64_AVX2
/*
 * 32 characters -> 24 bytes per step with AVX2, for columns of megabytes.
 * Validation: a byte is in the alphabet iff lut_lo[low nibble] &
 * lut_hi[high nibble] == 0 (bit 0x10: high nibbles 0, 1, 8-F are never
 * valid; 0x01: "+/" among 0x2_; 0x02: digits among 0x3_; 0x04: 0x40 and
 * 0x60; 0x08: past 'Z' and 'z'). Translation: add an offset chosen by the
 * high nibble, with '/' moved to its own slot (index 1) by adding the
 * compare mask (-1). Packing: maddubs joins pairs of 6-bit values, madd
 * joins pairs of 12-bit values, a shuffle takes the three bytes of each
 * 32-bit lane in big-endian order.
 */
__attribute__((target("avx2"))) static size_t decode_avx2(const unsigned char *s, size_t groups,
                                                           uint8_t *out, uint32_t *err)
{
    const __m256i lut_lo = _mm256_setr_epi8(
        0x15, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x13, 0x1A, 0x1B, 0x1B, 0x1B,
        0x1A, 0x15, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x13, 0x1A, 0x1B, 0x1B,
        0x1B, 0x1A);
    const __m256i lut_hi = _mm256_setr_epi8(
        0x10, 0x10, 0x01, 0x02, 0x04, 0x08, 0x04, 0x08, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10,
        0x10, 0x10, 0x10, 0x01, 0x02, 0x04, 0x08, 0x04, 0x08, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10,
        0x10, 0x10);
    const __m256i lut_roll = _mm256_setr_epi8(
        0, 16, 19, 4, -65, -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0, 0, 16, 19, 4, -65, -65, -71, -71,
        0, 0, 0, 0, 0, 0, 0, 0);
    const __m256i nib = _mm256_set1_epi8(0x0F), slash = _mm256_set1_epi8('/');
    const __m256i pack = _mm256_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1,
                                          2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1);
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 4, 5, 6, 7, 7);
    __m256i bad = _mm256_setzero_si256();
    size_t g = 0;
    /* the 32-byte store writes 8 bytes past the step's 24: keep at least
     * three more groups (9 bytes) for the scalar loop to overwrite them */
    for (; g + 8 + 3 <= groups; g += 8, s += 32, out += 24) {
        __m256i in = _mm256_loadu_si256((const __m256i *)s);
        __m256i hi = _mm256_and_si256(_mm256_srli_epi32(in, 4), nib);
        __m256i lo = _mm256_and_si256(in, nib);
        bad = _mm256_or_si256(bad, _mm256_and_si256(_mm256_shuffle_epi8(lut_lo, lo),
                                                     _mm256_shuffle_epi8(lut_hi, hi)));
        __m256i roll = _mm256_shuffle_epi8(
            lut_roll, _mm256_add_epi8(_mm256_cmpeq_epi8(in, slash), hi));
        __m256i v = _mm256_add_epi8(in, roll);
        v = _mm256_maddubs_epi16(v, _mm256_set1_epi32(0x01400140));
        v = _mm256_madd_epi16(v, _mm256_set1_epi32(0x00011000));
        v = _mm256_shuffle_epi8(v, pack);
        v = _mm256_permutevar8x32_epi32(v, lanes);
        _mm256_storeu_si256((__m256i *)out, v);
    }
    if (!_mm256_testz_si256(bad, bad))
        *err |= BAD;
    return g;
}

static int have_avx2(void)
{
    static int cached = -1; /* a benign race: every thread computes the same */
    if (cached < 0)
        cached = __builtin_cpu_supports("avx2") ? 1 : 0;
    return cached;
}
#endif

int b64_decode(const char *text, size_t len, uint8_t *out)
{
    const unsigned char *s = (const unsigned char *)text;
    if (len >= 4 && len % 4 == 0 && s[len - 1] == '=')
        len -= s[len - 2] == '=' ? 2 : 1;
    if (len % 4 == 1)
        return -1;
    size_t full = len / 4; /* complete groups, none of them padding */
    uint32_t err = 0;
    size_t g = 0;
#ifdef B64_AVX2
    if (full >= 64 && have_avx2()) {
        g = decode_avx2(s, full, out, &err);
        s += g * 4;
        out += g * 3;
    }
#endif
    /* Two groups -> 6 bytes per step with one 8-byte store; the two spare
     * bytes it writes are overwritten by the next step, so the loop keeps
     * one whole group in reserve. */
    for (; g + 3 <= full; g += 2, s += 8, out += 6) {
        uint32_t a = group(s), b = group(s + 4);
        err |= a | b;
        uint64_t v = ((uint64_t)a << 40 | (uint64_t)(b & 0xffffff) << 16);
        v = __builtin_bswap64(v);
        memcpy(out, &v, 8);
    }
    for (; g < full; g++, s += 4, out += 3) {
        uint32_t a = group(s);
        err |= a;
        out[0] = (uint8_t)(a >> 16);
        out[1] = (uint8_t)(a >> 8);
        out[2] = (uint8_t)a;
    }
    size_t rest = len % 4; /* 0, 2 or 3 characters of a last, short group */
    if (rest) {
        uint32_t a = dec0[s[0]] | dec1[s[1]] | (rest == 3 ? dec2[s[2]] : 0);
        err |= a;
        out[0] = (uint8_t)(a >> 16);
        if (rest == 3)
            out[1] = (uint8_t)(a >> 8);
        /* leftover bits: 4 after 2 characters, 2 after 3 */
        if (a & (rest == 2 ? 0xffffu : 0xffu))
            return -1;
    }
    return (err & BAD) ? -1 : 0;
}
