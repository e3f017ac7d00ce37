/*
 * vec_neon.h — ops/vec.h for aarch64 (Advanced SIMD, -DJC_ISA_NEON): the
 * same types and primitives as the x86-64 sets, 2 × f64 lanes in one
 * 128-bit register. Included by vec.h in place of its x86 body; keep the
 * two in step (every primitive stencils.c uses must exist here too).
 *
 * Calling convention (AAPCS64): c in x0, i in x1, p0..p3 in x2..x5, the
 * value stack v0..v6 and the fault lanes vf in v0..v7. AAPCS64 keeps only
 * the low 64 bits of v8..v15 across a call, so, as on x86-64, a stencil
 * that calls out saves its live vectors in the context (stencils.c).
 *
 * Every operation here is exact and matches the interpreter's scalar rule
 * bit for bit: FRINTZ/FRINTM/FRINTP/FRINTA are trunc/floor/ceil/round
 * (round = ties away from zero, C round()), FSQRT is IEEE, SCVTF rounds
 * once to nearest, FABS only clears the sign bit. No fixed registers and
 * no pin registers (JC_ISA_PINS 0): canon() builds its NaN from read-only
 * data, which stays in L1 inside a loop.
 */
#ifndef JC_OPS_VEC_NEON_H
#define JC_OPS_VEC_NEON_H

#include <arm_neon.h>
#include <stdint.h>

#define LANES 2
#define VBYTES 16

typedef double V __attribute__((vector_size(VBYTES)));
typedef int64_t VI __attribute__((vector_size(VBYTES)));
typedef uint64_t VU __attribute__((vector_size(VBYTES)));
/* Aliasing views for memory: aligned (context areas) and unaligned
 * (columns, outputs). */
typedef V VA __attribute__((may_alias));
typedef V VUNAL __attribute__((may_alias, aligned(8)));

#define SIGN_BIT ((int64_t)0x8000000000000000ull)

/* Broadcasts (not `(V){} + x`, which turns -0.0 into +0.0). */
#define BCAST(x) {x, x}
static inline V splat(double x) { return (V)BCAST(x); }
static inline VI splati(int64_t x) { return (VI)BCAST(x); }
static inline VU splatu(uint64_t x) { return (VU)BCAST(x); }
static inline V bits_f(VI x) { return (V)x; }
static inline VI bits_i(V x) { return (VI)x; }

/* m ? a : b, lane by lane, for a full mask m (one BSL). */
static inline V blend(VI m, V a, V b)
{
    return (V)vbslq_u64((uint64x2_t)m, (uint64x2_t)a, (uint64x2_t)b);
}

/* The sign bit of each lane, lane k at bit k. */
static inline uint64_t lane_bits(VI m)
{
    uint64x2_t s = vshrq_n_u64((uint64x2_t)m, 63);
    return vgetq_lane_u64(s, 0) | (vgetq_lane_u64(s, 1) << 1);
}

static inline V vabs(V x) { return (V)vabsq_f64((float64x2_t)x); }
static inline V vcopysign(V mag, V sgn)
{
    return (V)vbslq_u64((uint64x2_t)splati(SIGN_BIT), (uint64x2_t)sgn, (uint64x2_t)mag);
}

static inline V vsqrt(V x) { return (V)vsqrtq_f64((float64x2_t)x); }
static inline V vtrunc(V x) { return (V)vrndq_f64((float64x2_t)x); }
static inline V vfloor(V x) { return (V)vrndmq_f64((float64x2_t)x); }
static inline V vceil(V x) { return (V)vrndpq_f64((float64x2_t)x); }
/* C round(): half away from zero, which is FRINTA exactly. */
static inline V vround(V x) { return (V)vrndaq_f64((float64x2_t)x); }

/* i64 → f64, one rounding to nearest (as the scalar conversion). */
static inline V vcvt_i64_f64(VI x) { return (V)vcvtq_f64_s64((int64x2_t)x); }

/* No registers are reserved on aarch64 (see the top of this file). */
#define JC_ISA_PINS 0
#define SET_FIXED_REGS() \
    do {                 \
    } while (0)
#define SET_NANREG() SET_FIXED_REGS()

/* x, or the canonical NaN (interp/numeric.h) when x is any NaN: what
 * every stored f64 goes through. FCMEQ x, x is false exactly for NaN. */
static inline V canon(V x)
{
    uint64x2_t ordered = vceqq_f64((float64x2_t)x, (float64x2_t)x);
    return (V)vbslq_u64(ordered, (uint64x2_t)x, (uint64x2_t)splat(NUM_CANON_NAN));
}

/* Bool bytes (0/1) ↔ masks. */
static inline V load_bools(const char *p)
{
    uint16_t b;
    __builtin_memcpy(&b, p, 2);
    uint8x8_t x8 = vreinterpret_u8_u64(vcreate_u64(b));
    uint16x4_t x16 = vget_low_u16(vmovl_u8(x8));
    uint32x2_t x32 = vget_low_u32(vmovl_u16(x16));
    uint64x2_t x64 = vmovl_u32(x32);
    return (V)(-(VI)x64);
}

static inline void store_bools(char *p, V m)
{
    uint64_t s = vget_lane_u64(
        vreinterpret_u64_u32(vmovn_u64(vshrq_n_u64((uint64x2_t)m, 63))), 0);
    uint16_t b = (uint16_t)(s | (s >> 24)); /* lane 1 (bit 32) → bit 8 */
    __builtin_memcpy(p, &b, 2);
}

#endif /* JC_OPS_VEC_NEON_H */
