/* mathfn_avx.c — the 4-lane mathfn_set (SLEEF d4 avx); x86-64 only, built
 * with -mavx and called only when the CPU has AVX. */
#include <immintrin.h>
#include <sleef.h>

#define MF_LANES 4
#define MF_LOAD(p) _mm256_loadu_pd(p)
#define MF_STORE(p, v) _mm256_storeu_pd((p), (v))
#define MF_FN(f, u) Sleef_cinz_##f##d4_##u##avx
#define MF_SET mathfn_set_avx
#define MF_ISA "avx"
#include "interp/mathfn_vec.h"
