/*
 * vec.h — the vector types and the few primitives GCC's vector extensions
 * do not express portably (lane masks, rounding, square root, i64 → f64,
 * bool bytes ↔ masks), for the instruction set the stencils are being
 * compiled for (-DJC_ISA_SSE2, -DJC_ISA_AVX2 or -DJC_ISA_AVX512).
 *
 * Everything is a whole-vector operation: a per-lane loop over a vector
 * local makes it addressable, and GCC 12 then spills it to a realigned
 * stack frame and stops turning the continuation call into a jump.
 *
 * Representation in registers: f64 lanes as doubles, i64 lanes as int64,
 * bool lanes as masks (all ones = true, 0 = false); all share type V.
 */
#ifndef JC_OPS_VEC_H
#define JC_OPS_VEC_H

#include <stdint.h>

#include "interp/numeric.h" /* NUM_CANON_NAN */

/* aarch64 (issue 11): the NEON set has its own body, ops/vec_neon.h. */
#if defined(JC_ISA_NEON)
#include "ops/vec_neon.h"
#else /* x86-64 */

#if defined(JC_ISA_AVX512)
#include <immintrin.h>
#define LANES 8
#elif defined(JC_ISA_AVX2)
#include <immintrin.h>
#define LANES 4
#elif defined(JC_ISA_SSE2)
#include <emmintrin.h>
#define LANES 2
#else
#error "define the instruction set of the stencils (JC_ISA_...)"
#endif

#define VBYTES (LANES * 8)

typedef double V __attribute__((vector_size(VBYTES)));
typedef int64_t VI __attribute__((vector_size(VBYTES)));
typedef uint64_t VU __attribute__((vector_size(VBYTES)));
/* Aliasing views for memory: aligned (context areas) and unaligned
 * (columns, outputs). */
typedef V VA __attribute__((may_alias));
typedef V VUNAL __attribute__((may_alias, aligned(8)));

#define SIGN_BIT ((int64_t)0x8000000000000000ull)

/* Broadcasts. Not `(V){} + x`: that is 0.0 + x, which turns -0.0 into
 * +0.0 and is not a broadcast. */
#if LANES == 8
#define BCAST(x) {x, x, x, x, x, x, x, x}
#elif LANES == 4
#define BCAST(x) {x, x, x, x}
#else
#define BCAST(x) {x, x}
#endif
static inline V splat(double x) { return (V)BCAST(x); }
static inline VI splati(int64_t x) { return (VI)BCAST(x); }
static inline VU splatu(uint64_t x) { return (VU)BCAST(x); }
static inline V bits_f(VI x) { return (V)x; }
static inline VI bits_i(V x) { return (VI)x; }

/* m ? a : b, lane by lane, for a full mask m. */
static inline V blend(VI m, V a, V b)
{
    return (V)((m & (VI)a) | (~m & (VI)b));
}

/* The sign bit of each lane, lane k at bit k. */
static inline uint64_t lane_bits(VI m)
{
#if defined(JC_ISA_AVX512)
    return (uint64_t)_mm512_movepi64_mask((__m512i)m);
#elif defined(JC_ISA_AVX2)
    return (uint64_t)(unsigned)_mm256_movemask_pd((__m256d)m);
#else
    return (uint64_t)(unsigned)_mm_movemask_pd((__m128d)m);
#endif
}

static inline V vabs(V x) { return (V)((VI)x & ~splati(SIGN_BIT)); }
static inline V vcopysign(V mag, V sgn)
{
    return (V)(((VI)mag & ~splati(SIGN_BIT)) | ((VI)sgn & splati(SIGN_BIT)));
}

static inline V vsqrt(V x)
{
#if defined(JC_ISA_AVX512)
    return (V)_mm512_sqrt_pd((__m512d)x);
#elif defined(JC_ISA_AVX2)
    return (V)_mm256_sqrt_pd((__m256d)x);
#else
    return (V)_mm_sqrt_pd((__m128d)x);
#endif
}

/* trunc, floor, ceil: exact. SSE2 has no rounding instruction: below 2^52
 * adding and subtracting 2^52 rounds |x| to an integer (to nearest), which
 * is then corrected; larger magnitudes, infinities and NaN are already
 * integral and are kept. */
#if defined(JC_ISA_AVX512)
static inline V vtrunc(V x) { return (V)_mm512_roundscale_pd((__m512d)x, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC); }
static inline V vfloor(V x) { return (V)_mm512_roundscale_pd((__m512d)x, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC); }
static inline V vceil(V x) { return (V)_mm512_roundscale_pd((__m512d)x, _MM_FROUND_TO_POS_INF | _MM_FROUND_NO_EXC); }
#elif defined(JC_ISA_AVX2)
static inline V vtrunc(V x) { return (V)_mm256_round_pd((__m256d)x, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC); }
static inline V vfloor(V x) { return (V)_mm256_round_pd((__m256d)x, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC); }
static inline V vceil(V x) { return (V)_mm256_round_pd((__m256d)x, _MM_FROUND_TO_POS_INF | _MM_FROUND_NO_EXC); }
#else
static inline V vtrunc(V x)
{
    V a = vabs(x);
    VI small = a < splat(4503599627370496.0); /* false for NaN */
    V r = (a + splat(4503599627370496.0)) - splat(4503599627370496.0);
    r = r - (V)((r > a) & (VI)splat(1.0)); /* subtracting +0.0 keeps -0.0 */
    return blend(small, vcopysign(r, x), x);
}
static inline V vfloor(V x)
{
    V t = vtrunc(x);
    return t - (V)((t > x) & (VI)splat(1.0));
}
static inline V vceil(V x)
{
    V t = vtrunc(x);
    /* t - (-1.0) adds one; t - (+0.0) keeps a -0.0 from ceil(-0.3). */
    return t - (V)((t < x) & (VI)splat(-1.0));
}
#endif

/* C round(): half away from zero. |x - trunc(x)| is exact. */
static inline V vround(V x)
{
    V t = vtrunc(x);
    VI up = vabs(x - t) >= splat(0.5);
    return blend(up, t + vcopysign(splat(1.0), x), t);
}

/* i64 → f64 correctly rounded (one rounding, as a scalar conversion):
 * hi * 2^32 and lo are exact doubles, their sum rounds once. */
static inline V vcvt_i64_f64(VI x)
{
#if defined(JC_ISA_AVX512)
    return (V)_mm512_cvtepi64_pd((__m512i)x);
#else
    VU u = (VU)x;
    VU hi = (u >> 32) ^ 0x80000000u; /* signed high half + 2^31 */
    VU lo = u & 0xFFFFFFFFu;
    V hd = (V)(hi | 0x4330000000000000ull) - splat(4503601774854144.0); /* 2^52 + 2^31 */
    V ld = (V)(lo | 0x4330000000000000ull) - splat(4503599627370496.0);
    return hd * splat(4294967296.0) + ld;
#endif
}

/* Registers the stencils never allocate (ops/CMakeLists.txt passes
 * -ffixed-<reg> for each): on AVX2 one holds the canonical NaN in every lane
 * for the whole run, on AVX-512 one the table canon() needs (ENTRY sets
 * them; a stencil that calls out sets them again, since SysV keeps no
 * vector register across a call), and on AVX-512 the pin registers hold
 * values the lowering keeps for a whole loop iteration or run (columns read
 * several times, scalars); passes that call out use no pins. Reading and
 * writing them goes through empty asm statements on local register
 * variables, so GCC uses the register as an operand directly; each read
 * names its register and is volatile, so two reads are never merged. */
#if defined(JC_ISA_AVX512)
#define FIXREG "xmm30" /* vfixupimmpd's table for canon() */
#define JC_ISA_PINS 14 /* zmm16..zmm29 */
#elif defined(JC_ISA_AVX2)
#define NANREG "xmm15"
#define JC_ISA_PINS 0
#else
/* SSE2 keeps its sixteen registers for GCC: with one fixed, the stencils
 * came out longer and the loops slower than with the NaN read from
 * memory. */
#define JC_ISA_PINS 0
#endif
#define REG_GET(name)                          \
    ({                                          \
        register V r_ __asm__(name);            \
        __asm__ volatile("# " name : "=v"(r_)); \
        r_;                                     \
    })
#define REG_SET(name, x)                        \
    do {                                        \
        register V r_ __asm__(name) = (x);      \
        __asm__ volatile("" ::"v"(r_));         \
    } while (0)

#if defined(NANREG)
static inline V nanreg(void) { return REG_GET(NANREG); }
#else
static inline V nanreg(void) { return splat(NUM_CANON_NAN); }
#endif

/* vfixupimmpd classifies each lane of its source: QNaN and SNaN (tokens 0,
 * 1) answer 3 = x86's default NaN, which is the canonical one
 * (interp/numeric.h); every other class answers 0 = keep the destination,
 * which is the source itself: canon() works in place. */
#define FIXUP_TABLE 0x33ull

/* Sets the fixed registers (at entry, and after a call clobbered them).
 * The NaN is a double so that GCC broadcasts it from read-only data. */
#if defined(JC_ISA_AVX512)
#define SET_FIXED_REGS() REG_SET(FIXREG, (V)splatu(FIXUP_TABLE))
#elif defined(NANREG)
#define SET_FIXED_REGS() REG_SET(NANREG, splat(NUM_CANON_NAN))
#else
#define SET_FIXED_REGS() ((void)0)
#endif

/* x, or the canonical NaN (interp/numeric.h) when x is any NaN: what every
 * stored f64 goes through. On AVX-512 one vfixupimmpd over x itself; with
 * a NaN of another sign it would need a copy of a NaN register as its
 * destination, one more vector instruction per stored vector (E5 at 1,000
 * rows ran about 20% slower with it). */
static inline V canon(V x)
{
#if defined(JC_ISA_AVX512)
    return (V)_mm512_fixupimm_pd((__m512d)x, (__m512d)x, (__m512i)REG_GET(FIXREG), 0);
#elif defined(JC_ISA_AVX2)
    __m256d m = _mm256_cmp_pd((__m256d)x, (__m256d)x, _CMP_UNORD_Q);
    return (V)_mm256_blendv_pd((__m256d)x, (__m256d)nanreg(), m);
#else
    return blend(x != x, nanreg(), x);
#endif
}

/* Bool bytes (0/1) ↔ masks. */
static inline V load_bools(const char *p)
{
#if defined(JC_ISA_AVX512)
    uint64_t b;
    __builtin_memcpy(&b, p, 8);
    return (V)(-(VI)_mm512_cvtepu8_epi64(_mm_cvtsi64_si128((long long)b)));
#elif defined(JC_ISA_AVX2)
    uint32_t b;
    __builtin_memcpy(&b, p, 4);
    return (V)(-(VI)_mm256_cvtepu8_epi64(_mm_cvtsi32_si128((int)b)));
#else
    uint16_t b;
    __builtin_memcpy(&b, p, 2);
    __m128i z = _mm_setzero_si128();
    __m128i x = _mm_cvtsi32_si128(b);
    x = _mm_unpacklo_epi8(x, z);
    x = _mm_unpacklo_epi16(x, z);
    x = _mm_unpacklo_epi32(x, z);
    return (V)(-(VI)x);
#endif
}

static inline void store_bools(char *p, V m)
{
#if defined(JC_ISA_AVX512)
    /* lane bits to a general register, bit k → byte k with pdep: no
     * shuffle on the one port that also does the compares */
    uint64_t b = _pdep_u64(lane_bits((VI)m), 0x0101010101010101ull);
    __builtin_memcpy(p, &b, 8);
#elif defined(JC_ISA_AVX2)
    uint32_t b = (uint32_t)lane_bits((VI)m);
    b = (b * 0x00204081u) & 0x01010101u; /* bit k → byte k */
    __builtin_memcpy(p, &b, 4);
#else
    uint16_t b = (uint16_t)lane_bits((VI)m);
    b = (uint16_t)((b * 0x81u) & 0x0101u);
    __builtin_memcpy(p, &b, 2);
#endif
}

#endif /* x86-64; JC_ISA_NEON */

#endif /* JC_OPS_VEC_H */
