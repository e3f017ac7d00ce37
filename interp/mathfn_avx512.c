/* mathfn_avx512.c — the 8-lane mathfn_set (SLEEF d8 avx512fnofma); x86-64
 * only, built with -mavx512f and called only when the CPU has AVX-512F. */
#include <immintrin.h>
#include <sleef.h>

#define MF_LANES 8
#define MF_LOAD(p) _mm512_loadu_pd(p)
#define MF_STORE(p, v) _mm512_storeu_pd((p), (v))
#define MF_FN(f, u) Sleef_cinz_##f##d8_##u##avx512fnofma
#define MF_SET mathfn_set_avx512
#define MF_ISA "avx512fnofma"
#include "interp/mathfn_vec.h"
