/*
 * select.c — the rows a bool column selects (jc_filter's list). No branch
 * per row, which a selection of a few percent would mispredict: with
 * AVX-512, each eight rows compress their row numbers under the eight
 * bytes' mask into the list in one instruction (a whole vector is stored,
 * the list's slack takes what lies past the selected ones); otherwise each
 * row number is written and the position moves on only past a selected one.
 */
#include "engine/select.h"

#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>

/* 64 rows at a time: one compare of 64 bytes, then a compress and a
 * population count per 8 rows. */
__attribute__((target("avx512f,avx512bw,popcnt"))) static size_t
select_avx512(const uint8_t *v, size_t n, size_t *out, size_t *done)
{
    size_t k = 0, i = 0;
    __m512i idx = _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0);
    const __m512i eight = _mm512_set1_epi64(8);
    for (; i + 64 <= n; i += 64) {
        __m512i b = _mm512_loadu_si512((const void *)(v + i));
        uint64_t m = _mm512_test_epi8_mask(b, b);
        for (int g = 0; g < 8; g++) {
            __mmask8 mg = (__mmask8)(m >> (8 * g));
            _mm512_storeu_si512((void *)(out + k), _mm512_maskz_compress_epi64(mg, idx));
            k += (size_t)__builtin_popcount(mg);
            idx = _mm512_add_epi64(idx, eight);
        }
    }
    *done = i;
    return k;
}

/* The CPU's features, read by the compiler's runtime before main: a test
 * of two bits, nothing to cache. */
static int has_avx512(void)
{
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw");
}
#endif

size_t select_rows(const uint8_t *v, size_t n, size_t *out)
{
    size_t k = 0, i = 0;
#if defined(__x86_64__)
    if (n >= 64 && has_avx512())
        k = select_avx512(v, n, out, &i);
#endif
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, v + i, 8);
        if (!w)
            continue; /* eight unselected rows */
        for (size_t j = i; j < i + 8; j++) {
            out[k] = j;
            k += v[j] != 0;
        }
    }
    for (; i < n; i++) {
        out[k] = i;
        k += v[i] != 0;
    }
    return k;
}
