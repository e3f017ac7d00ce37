/* mathfn_sse2.c — the 2-lane mathfn_set (SLEEF d2 sse2); x86-64 only. */
#include <immintrin.h>
#include <sleef.h>

#define MF_LANES 2
#define MF_LOAD(p) _mm_loadu_pd(p)
#define MF_STORE(p, v) _mm_storeu_pd((p), (v))
#define MF_FN(f, u) Sleef_cinz_##f##d2_##u##sse2
#define MF_SET mathfn_set_sse2
#define MF_ISA "sse2"
#include "interp/mathfn_vec.h"
