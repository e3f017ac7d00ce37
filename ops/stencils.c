/*
 * stencils.c — every stencil of ops/stencil_list.h, compiled once per
 * instruction set with the flags in ops/CMakeLists.txt. The compiled
 * functions are never called as such: linker/extract.c copies their bytes
 * and relocations into tables, and jit/ pastes them one after another.
 *
 * A stencil has the signature of PARAMS below and ends by calling jc_cont
 * with the same signature, which GCC turns into `jmp jc_cont` (the
 * continuation: the next stencil, or nothing when the patcher strips the
 * jump and the next stencil follows). Values live in the arguments:
 *   c       the run context (ops/ctx.h), in rdi
 *   i       the row register, in rsi: it counts up to zero and every
 *           pointer is biased to the loop's end (jc_entry_fn, ops/ctx.h)
 *   p0..p3  column or output base pointers chosen by the compiler
 *   v0..v6  the value stack (v0 the bottom), vf the fault lanes.
 * Holes are the addresses of external symbols used as numbers:
 *   JC_HOLE_A   a byte offset in the context (column, output, scalar or
 *               spill slot); declared as a small array so that GCC uses a
 *               32-bit displacement (R_X86_64_32S) rather than a movabs
 *   jc_cont     the continuation; jc_target the loop's back edge.
 * Nothing here may touch the stack with a vector (see ops/vec.h), and no
 * value may be baked in: constants are scalar slots read at run time.
 */
#include <stddef.h>
#include <stdint.h>

#include "interp/mathfn.h" /* MF_*: where SLEEF's results are repaired */
#include "ops/ctx.h"
#include "ops/stencil_list.h"
#include "ops/vec.h"

#define HIDDEN __attribute__((visibility("hidden")))

extern char JC_HOLE_A[16] HIDDEN;
#define HOLE_A ((uintptr_t)JC_HOLE_A)
#define CTX_AT(type, off) (*(type *)((char *)c + (off)))

#define PARAMS                                                           \
    jc_ctx *c, size_t i, char *p0, char *p1, char *p2, char *p3, V v0, V v1, \
        V v2, V v3, V v4, V v5, V v6, V vf
#define ARGS c, i, p0, p1, p2, p3, v0, v1, v2, v3, v4, v5, v6, vf

extern uint64_t jc_cont(PARAMS) HIDDEN;
extern uint64_t jc_target(PARAMS) HIDDEN;

#define STENCIL(name) uint64_t jc_st_##name(PARAMS)
#define CONTINUE return jc_cont(ARGS)

/* A register whose value no longer matters: no instruction, no spill. */
#define KILL(x) __asm__("" : "=x"(x))

/* ---- depth instantiation ---------------------------------------------- */
#define EACH7(M, ...)                                                    \
    M(0, __VA_ARGS__) M(1, __VA_ARGS__) M(2, __VA_ARGS__) M(3, __VA_ARGS__) \
        M(4, __VA_ARGS__) M(5, __VA_ARGS__) M(6, __VA_ARGS__)
#define EACH6(M, ...)                                                    \
    M(0, 1, __VA_ARGS__) M(1, 2, __VA_ARGS__) M(2, 3, __VA_ARGS__)       \
        M(3, 4, __VA_ARGS__) M(4, 5, __VA_ARGS__) M(5, 6, __VA_ARGS__)
#define EACH4(M, ...)                                                    \
    M(0, 1, 2, 3, __VA_ARGS__) M(1, 2, 3, 4, __VA_ARGS__)                \
        M(2, 3, 4, 5, __VA_ARGS__) M(3, 4, 5, 6, __VA_ARGS__)
#define EACH5(M, ...)                                                    \
    M(0, 1, 2, __VA_ARGS__) M(1, 2, 3, __VA_ARGS__) M(2, 3, 4, __VA_ARGS__) \
        M(3, 4, 5, __VA_ARGS__) M(4, 5, 6, __VA_ARGS__)

/* Live vectors below depth d (and the fault lanes) are kept in the context
 * around a call; vectors at and above d are dead after it. The call also
 * clobbers the fixed registers (ops/vec.h), which are set again. */
#define SV(k) *(VA *)c->save[k] = v##k;
#define RS(k) v##k = *(VA *)c->save[k];
#define SAVE_0 *(VA *)c->save[7] = vf;
#define SAVE_1 SAVE_0 SV(0)
#define SAVE_2 SAVE_1 SV(1)
#define SAVE_3 SAVE_2 SV(2)
#define SAVE_4 SAVE_3 SV(3)
#define SAVE_5 SAVE_4 SV(4)
#define SAVE_6 SAVE_5 SV(5)
#define RESTORE_0 vf = *(VA *)c->save[7];
#define RESTORE_1 RESTORE_0 RS(0)
#define RESTORE_2 RESTORE_1 RS(1)
#define RESTORE_3 RESTORE_2 RS(2)
#define RESTORE_4 RESTORE_3 RS(3)
#define RESTORE_5 RESTORE_4 RS(4)
#define RESTORE_6 RESTORE_5 RS(5)
#define KILL_ABOVE_6
#define KILL_ABOVE_5 KILL(v6);
#define KILL_ABOVE_4 KILL_ABOVE_5 KILL(v5);
#define KILL_ABOVE_3 KILL_ABOVE_4 KILL(v4);
#define KILL_ABOVE_2 KILL_ABOVE_3 KILL(v3);
#define KILL_ABOVE_1 KILL_ABOVE_2 KILL(v2);
#define KILL_ABOVE_0 KILL_ABOVE_1 KILL(v1);

/* ---- stencil shapes ----------------------------------------------------- */
#define PUSH1(d, NAME, EXPR) \
    STENCIL(NAME##_##d) { v##d = (EXPR); CONTINUE; }
#define POP1(d, NAME, STMT) \
    STENCIL(NAME##_##d) { V x = v##d; STMT; KILL(v##d); CONTINUE; }
#define UN1(d, NAME, EXPR) \
    STENCIL(NAME##_##d) { V x = v##d; v##d = (EXPR); CONTINUE; }
#define BIN1(d, e, NAME, EXPR) \
    STENCIL(NAME##_##d) { V a = v##d, b = v##e; v##d = (EXPR); CONTINUE; }
#define TER1(d, e, f, NAME, EXPR)                \
    STENCIL(NAME##_##d)                          \
    {                                            \
        V a = v##d, b = v##e, t = v##f;          \
        v##d = (EXPR);                           \
        CONTINUE;                                \
    }
#define QUA1(d, e, f, g, NAME, EXPR)             \
    STENCIL(NAME##_##d)                          \
    {                                            \
        V a = v##d, b = v##e, t = v##f, u = v##g; \
        v##d = (EXPR);                           \
        CONTINUE;                                \
    }
/* A vector function (SLEEF) of one or two operands. */
#define CALLU1(d, NAME, FN)                      \
    STENCIL(NAME##_##d)                          \
    {                                            \
        SAVE_##d V r = FN(v##d);                 \
        SET_FIXED_REGS();                            \
        RESTORE_##d v##d = r;                    \
        KILL_ABOVE_##d CONTINUE;                 \
    }
#define CALLB1(d, e, NAME, FN)                   \
    STENCIL(NAME##_##d)                          \
    {                                            \
        SAVE_##d V r = FN(v##d, v##e);           \
        SET_FIXED_REGS();                            \
        RESTORE_##d v##d = r;                    \
        KILL_ABOVE_##d CONTINUE;                 \
    }
/* A lane helper (jit/lanes.c): operands in c->tmp, result in c->tmp[3]. */
#define LANEU1(d, NAME, FN)                      \
    STENCIL(NAME##_##d)                          \
    {                                            \
        *(VA *)c->tmp[0] = v##d;                 \
        SAVE_##d FN(c, LANES);                   \
        SET_FIXED_REGS();                            \
        RESTORE_##d v##d = *(VA *)c->tmp[3];     \
        KILL_ABOVE_##d CONTINUE;                 \
    }
#define LANEB1(d, e, NAME, FN)                   \
    STENCIL(NAME##_##d)                          \
    {                                            \
        *(VA *)c->tmp[0] = v##d;                 \
        *(VA *)c->tmp[1] = v##e;                 \
        SAVE_##d FN(c, LANES);                   \
        SET_FIXED_REGS();                            \
        RESTORE_##d v##d = *(VA *)c->tmp[3];     \
        KILL_ABOVE_##d CONTINUE;                 \
    }

/* A vector function whose lanes SLEEF gets wrong in a corner
 * (interp/mathfn.h): the lanes where NEED is true are recomputed by a lane
 * helper with the interpreter's own repair. The mask is taken before the
 * call (a scalar survives it in a callee-saved register); operands wait in
 * c->tmp, the result goes through c->tmp[3]. */
#define REPU1(d, NAME, FN, NEED, FIX)                        \
    STENCIL(NAME##_##d)                                      \
    {                                                        \
        uint64_t need = lane_bits(NEED(v##d));               \
        *(VA *)c->tmp[0] = v##d;                             \
        SAVE_##d V r = FN(v##d);                             \
        if (__builtin_expect(need != 0, 0)) {                \
            *(VA *)c->tmp[3] = r;                            \
            FIX(c, LANES);                                   \
            r = *(VA *)c->tmp[3];                            \
        }                                                    \
        SET_FIXED_REGS();                                        \
        RESTORE_##d v##d = r;                                \
        KILL_ABOVE_##d CONTINUE;                             \
    }
#define REPB1(d, e, NAME, FN, NEED, FIX)                     \
    STENCIL(NAME##_##d)                                      \
    {                                                        \
        uint64_t need = lane_bits(NEED(v##d, v##e));         \
        *(VA *)c->tmp[0] = v##d;                             \
        *(VA *)c->tmp[1] = v##e;                             \
        SAVE_##d V r = FN(v##d, v##e);                       \
        if (__builtin_expect(need != 0, 0)) {                \
            *(VA *)c->tmp[3] = r;                            \
            FIX(c, LANES);                                   \
            r = *(VA *)c->tmp[3];                            \
        }                                                    \
        SET_FIXED_REGS();                                        \
        RESTORE_##d v##d = r;                                \
        KILL_ABOVE_##d CONTINUE;                             \
    }

#define DEF_PUSH(NAME, EXPR) EACH7(PUSH1, NAME, EXPR)
#define DEF_POP(NAME, STMT) EACH7(POP1, NAME, STMT)
#define DEF_UN(NAME, EXPR) EACH7(UN1, NAME, EXPR)
#define DEF_BIN(NAME, EXPR) EACH6(BIN1, NAME, EXPR)
#define DEF_TER(NAME, EXPR) EACH5(TER1, NAME, EXPR)
#define DEF_QUA(NAME, EXPR) EACH4(QUA1, NAME, EXPR)
#define DEF_CALLU(NAME, FN) EACH7(CALLU1, NAME, FN)
#define DEF_CALLB(NAME, FN) EACH6(CALLB1, NAME, FN)
#define DEF_LANEU(NAME, FN) EACH7(LANEU1, NAME, FN)
#define DEF_LANEB(NAME, FN) EACH6(LANEB1, NAME, FN)
#define DEF_REPU(NAME, FN, NEED, FIX) EACH7(REPU1, NAME, FN, NEED, FIX)
#define DEF_REPB(NAME, FN, NEED, FIX) EACH6(REPB1, NAME, FN, NEED, FIX)

/* ---- loop plumbing ------------------------------------------------------ */

/* Called by the host as uint64_t (*)(jc_ctx *). */
/* Called by the host as jc_entry_fn (ops/ctx.h): c, the row register and
 * the pointer registers are its arguments, already where every stencil
 * expects them; the vector registers do not matter yet (the stack is
 * empty), so they pass through without a move. */
STENCIL(ENTRY)
{
    V z = {}; /* the fault lanes start clear */
    (void)vf;
    SET_FIXED_REGS();
    return jc_cont(c, i, p0, p1, p2, p3, v0, v1, v2, v3, v4, v5, v6, z);
}

/* The loop's back edge. The expectation puts the continuation jump last,
 * where the patcher can strip it. i counts up to zero in steps of LANES
 * from a multiple of LANES (ops/ctx.h), so it meets zero exactly: on
 * x86-64 the test is i != 0, `add; jne`, which the CPU fuses into one
 * instruction (`add; js`, the test for i < 0, stays two); aarch64 keeps
 * `adds; b.mi`. The extractor turns `jcc over; jmp target; over: jmp
 * cont` into `j!cc target; jmp cont`. */
STENCIL(TAIL)
{
    i += LANES;
#if defined(JC_ISA_NEON)
    if (__builtin_expect((ptrdiff_t)i < 0, 1))
        return jc_target(ARGS);
#else
    if (__builtin_expect(i != 0, 1))
        return jc_target(ARGS);
    __asm__("" : "+r"(i)); /* else GCC passes on a constant 0 it set */
#endif
    CONTINUE;
}

/* Edge vectors (jit/lower.c, jit/jit.c): a pass's second entry runs the
 * loop's body once at a head vector (the i it was called with) and once
 * at a tail vector, then the loop from its start, so that one call covers
 * rows that do not fill whole vectors and a loop that starts where the
 * columns are vector-aligned. EDGET moves the row register to the tail
 * vector; EDGEL to the loop's start, and jumps to the loop. */
STENCIL(EDGET)
{
    i = (size_t)c->edge_i[0];
    CONTINUE;
}

/* The loop's start is negative (the loop has a vector at least): the
 * continuation (EXIT, jit/jit.c) is never taken; the branch is TAIL's
 * shape, which the extractor knows. */
STENCIL(EDGEL)
{
    i = (size_t)c->edge_i[1];
    if (__builtin_expect((ptrdiff_t)i < 0, 1))
        return jc_target(ARGS);
    CONTINUE;
}

STENCIL(EXIT)
{
    (void)i, (void)p0, (void)p1, (void)p2, (void)p3;
    (void)v0, (void)v1, (void)v2, (void)v3, (void)v4, (void)v5, (void)v6;
    return c->fault | lane_bits((VI)vf);
}

/* Register pressure: the bottom register goes to the context's spill slot
 * HOLE_A and the stack shifts down; FILL is the reverse. */
STENCIL(SPILL)
{
    V u;
    *(VA *)((char *)c + HOLE_A) = v0;
    KILL(u);
    (void)v0;
    return jc_cont(c, i, p0, p1, p2, p3, v1, v2, v3, v4, v5, v6, u, vf);
}

STENCIL(FILL)
{
    V n = *(VA *)((char *)c + HOLE_A);
    (void)v6;
    return jc_cont(c, i, p0, p1, p2, p3, n, v0, v1, v2, v3, v4, v5, vf);
}

/* ---- a count kept in the kernel (jit/lower.c) --------------------------- */
/* Bools are lanes of all ones (-1): subtracting one adds 1 to a lane's
 * count. Unsigned: a count never wraps, but signed vector overflow would
 * be undefined all the same. */
DEF_PUSH(ZERO_64, (V)splatu(0))
DEF_BIN(COUNT, (V)((VU)a - (VU)b))
DEF_POP(ACCST, *(VA *)((char *)c + HOLE_A) = x)

/* ---- leaves ------------------------------------------------------------- */
#define COL(p) ((const VUNAL *)((p) + i * 8))
DEF_PUSH(LOADC_64, *COL(CTX_AT(char *, HOLE_A)))
DEF_PUSH(LOADP0_64, *COL(p0))
DEF_PUSH(LOADP1_64, *COL(p1))
DEF_PUSH(LOADP2_64, *COL(p2))
DEF_PUSH(LOADP3_64, *COL(p3))
DEF_PUSH(LOADC_B, load_bools(CTX_AT(char *, HOLE_A) + i))
DEF_PUSH(LOADP0_B, load_bools(p0 + i))
DEF_PUSH(LOADP1_B, load_bools(p1 + i))
DEF_PUSH(LOADP2_B, load_bools(p2 + i))
DEF_PUSH(LOADP3_B, load_bools(p3 + i))
DEF_PUSH(SCALAR_64, (V)splatu(CTX_AT(uint64_t, HOLE_A)))
DEF_PUSH(SCALAR_B, (V)splatu(0 - CTX_AT(uint64_t, HOLE_A)))

/* ---- outputs: f64 NaN-canonicalised, bools as bytes 0/1 ----------------- */
#define OUT(p) (*(VUNAL *)((p) + i * 8))
#define CANON(x) canon(x)
DEF_POP(STOREC_F64, OUT(CTX_AT(char *, HOLE_A)) = CANON(x))
DEF_POP(STOREP0_F64, OUT(p0) = CANON(x))
DEF_POP(STOREP1_F64, OUT(p1) = CANON(x))
DEF_POP(STOREP2_F64, OUT(p2) = CANON(x))
DEF_POP(STOREP3_F64, OUT(p3) = CANON(x))
DEF_POP(STOREC_I64, OUT(CTX_AT(char *, HOLE_A)) = x)
DEF_POP(STOREP0_I64, OUT(p0) = x)
DEF_POP(STOREP1_I64, OUT(p1) = x)
DEF_POP(STOREP2_I64, OUT(p2) = x)
DEF_POP(STOREP3_I64, OUT(p3) = x)
DEF_POP(STOREC_B, store_bools(CTX_AT(char *, HOLE_A) + i, x))
DEF_POP(STOREP0_B, store_bools(p0 + i, x))
DEF_POP(STOREP1_B, store_bools(p1 + i, x))
DEF_POP(STOREP2_B, store_bools(p2 + i, x))
DEF_POP(STOREP3_B, store_bools(p3 + i, x))

/* ---- lane helpers and vector functions ---------------------------------- */
extern void jc_lane_f64_to_i64(jc_ctx *c, unsigned lanes);
extern void jc_lane_mul_i64(jc_ctx *c, unsigned lanes);
extern void jc_lane_idiv_i64(jc_ctx *c, unsigned lanes);
extern void jc_lane_mod_i64(jc_ctx *c, unsigned lanes);
extern void jc_lane_mod_f64(jc_ctx *c, unsigned lanes);
extern void jc_lane_fmod(jc_ctx *c, unsigned lanes);
extern void jc_lane_round2(jc_ctx *c, unsigned lanes);
extern void jc_lane_fix_log1p(jc_ctx *c, unsigned lanes);
extern void jc_lane_fix_sinh(jc_ctx *c, unsigned lanes);
extern void jc_lane_fix_cosh(jc_ctx *c, unsigned lanes);
extern void jc_lane_fix_hypot(jc_ctx *c, unsigned lanes);
extern void jc_lane_fix_exp(jc_ctx *c, unsigned lanes);
extern void jc_lane_fix_pow(jc_ctx *c, unsigned lanes);
extern void jc_lane_fix_atan2(jc_ctx *c, unsigned lanes);
extern void jc_lane_fix_tan(jc_ctx *c, unsigned lanes);

#if defined(JC_ISA_AVX512)
#define SLEEF10(f) Sleef_cinz_##f##d8_u10avx512fnofma
#define SLEEF05(f) Sleef_cinz_##f##d8_u05avx512fnofma
#elif defined(JC_ISA_NEON) /* aarch64: the no-FMA Advanced SIMD forms */
#define SLEEF10(f) Sleef_cinz_##f##d2_u10advsimdnofma
#define SLEEF05(f) Sleef_cinz_##f##d2_u05advsimdnofma
#elif defined(JC_ISA_AVX2)
#define SLEEF10(f) Sleef_cinz_##f##d4_u10avx
#define SLEEF05(f) Sleef_cinz_##f##d4_u05avx
#else
#define SLEEF10(f) Sleef_cinz_##f##d2_u10sse2
#define SLEEF05(f) Sleef_cinz_##f##d2_u05sse2
#endif
#define SLEEF_UNARY(X)                                                     \
    X(cbrt) X(exp) X(expm1) X(log) X(log10) X(log2) X(log1p) X(sin) X(cos) \
        X(tan) X(asin) X(acos) X(atan) X(sinh) X(cosh) X(tanh)
#define DECL1(f) extern V SLEEF10(f)(V);
SLEEF_UNARY(DECL1)
extern V SLEEF10(pow)(V, V);
extern V SLEEF10(atan2)(V, V);
extern V SLEEF05(hypot)(V, V);

/* The corners of interp/mathfn.h's mathfn_needs_repair in vector form
 * (NEED_*): each selects at least the lanes the scalar test does, which
 * the lane helper then asks. */
#include "interp/mathfn_need.h"

/* ---- conversions -------------------------------------------------------- */
#define XI ((VI)x)
#define AI ((VI)a)
#define BI ((VI)b)
#define FAULT(m) (vf = (V)((VI)vf | (m)))

DEF_UN(I64_TO_F64, vcvt_i64_f64(XI))
DEF_UN(BOOL_TO_I64, (V)(XI & 1))
DEF_UN(BOOL_TO_F64, (V)(XI & (VI)splat(1.0)))
#if defined(JC_ISA_AVX512)
/* Valid when -2^63 <= x < 2^63 (false for NaN); then truncation is exact. */
DEF_UN(F64_TO_I64, ({
           VI ok = (x >= splat(-9223372036854775808.0)) &
                   (x < splat(9223372036854775808.0));
           FAULT(~ok);
           (V)_mm512_cvttpd_epi64((__m512d)x);
       }))
#else
DEF_LANEU(F64_TO_I64, jc_lane_f64_to_i64)
#endif

/* ---- arithmetic --------------------------------------------------------- */
/* i64 arithmetic wraps in unsigned lanes; an overflow sets the sign bit of
 * the lane's fault: (a ^ r) & (b ^ r) for +, (a ^ b) & (a ^ r) for -. */
DEF_UN(NEG_F64, -x)
DEF_UN(NEG_I64, ({
           FAULT(XI == splati(SIGN_BIT));
           (V)(-(VU)x);
       }))
DEF_UN(NOT, (V)~XI)
DEF_BIN(ADD_F64, a + b)
DEF_BIN(ADD_I64, ({
            VI r = (VI)((VU)a + (VU)b);
            FAULT((AI ^ r) & (BI ^ r));
            (V)r;
        }))
DEF_BIN(SUB_F64, a - b)
DEF_BIN(SUB_I64, ({
            VI r = (VI)((VU)a - (VU)b);
            FAULT((AI ^ BI) & (AI ^ r));
            (V)r;
        }))
DEF_BIN(MUL_F64, a * b)
DEF_LANEB(MUL_I64, jc_lane_mul_i64)
DEF_BIN(DIV_F64, a / b)
DEF_BIN(IDIV_F64, vfloor(a / b))
DEF_LANEB(IDIV_I64, jc_lane_idiv_i64)
DEF_LANEB(MOD_F64, jc_lane_mod_f64)
DEF_LANEB(MOD_I64, jc_lane_mod_i64)
DEF_REPB(POW, SLEEF10(pow), NEED_POW, jc_lane_fix_pow)

/* ---- comparisons and logic ---------------------------------------------- */
/* CMPF/CMPI: (V)(x OP y) for f64 / i64 lanes. On AVX-512 the compare mask
 * becomes a vector by a zero-masked vpternlogq, which runs on two ports,
 * rather than vpmovm2q, which needs the one port the compares use too
 * (the predicates are those GCC uses for the operators). */
#if defined(JC_ISA_AVX512)
static inline V kmask_vec(__mmask8 k, V any)
{
    return (V)_mm512_maskz_ternarylogic_epi64(k, (__m512i)any, (__m512i)any, (__m512i)any,
                                              0xff);
}
#define CMPF(x, OP, y, FP, IP) \
    kmask_vec(_mm512_cmp_pd_mask((__m512d)(x), (__m512d)(y), FP), x)
#define CMPI(x, OP, y, FP, IP) \
    kmask_vec(_mm512_cmp_epi64_mask((__m512i)(x), (__m512i)(y), IP), (V)(x))
#else
#define CMPF(x, OP, y, FP, IP) ((V)((x)OP(y)))
#define CMPI(x, OP, y, FP, IP) ((V)((x)OP(y)))
#endif
#define CEQ(C, x, y) C(x, ==, y, _CMP_EQ_OQ, _MM_CMPINT_EQ)
#define CNE(C, x, y) C(x, !=, y, _CMP_NEQ_UQ, _MM_CMPINT_NE)
#define CLT(C, x, y) C(x, <, y, _CMP_LT_OS, _MM_CMPINT_LT)
#define CLE(C, x, y) C(x, <=, y, _CMP_LE_OS, _MM_CMPINT_LE)
#define CGT(C, x, y) C(x, >, y, _CMP_GT_OS, _MM_CMPINT_NLE)
#define CGE(C, x, y) C(x, >=, y, _CMP_GE_OS, _MM_CMPINT_NLT)
DEF_BIN(EQ_F64, CEQ(CMPF, a, b))
DEF_BIN(EQ_I64, CEQ(CMPI, AI, BI))
DEF_BIN(NE_F64, CNE(CMPF, a, b))
DEF_BIN(NE_I64, CNE(CMPI, AI, BI))
DEF_BIN(LT_F64, CLT(CMPF, a, b))
DEF_BIN(LT_I64, CLT(CMPI, AI, BI))
DEF_BIN(LE_F64, CLE(CMPF, a, b))
DEF_BIN(LE_I64, CLE(CMPI, AI, BI))
DEF_BIN(GT_F64, CGT(CMPF, a, b))
DEF_BIN(GT_I64, CGT(CMPI, AI, BI))
DEF_BIN(GE_F64, CGE(CMPF, a, b))
DEF_BIN(GE_I64, CGE(CMPI, AI, BI))
DEF_BIN(AND, (V)(AI & BI))
DEF_BIN(OR, (V)(AI | BI))

/* ---- functions ---------------------------------------------------------- */
DEF_UN(ABS_F64, vabs(x))
DEF_UN(ABS_I64, ({
           FAULT(XI == splati(SIGN_BIT));
           VI neg = XI < 0;
           (V)((VI)blend(neg, (V)(-(VU)x), x));
       }))
/* ±0 and NaN stay as they are. */
DEF_UN(SIGN_F64, blend(x < splat(0.0), splat(-1.0),
                       blend(x > splat(0.0), splat(1.0), x)))
DEF_UN(SIGN_I64, (V)((XI < 0) - (XI > 0)))
DEF_UN(SQRT, vsqrt(x))
DEF_CALLU(CBRT, SLEEF10(cbrt))
DEF_REPU(EXP, SLEEF10(exp), NEED_EXP, jc_lane_fix_exp)
DEF_CALLU(EXPM1, SLEEF10(expm1))
DEF_CALLU(LN, SLEEF10(log))
DEF_CALLU(LOG10, SLEEF10(log10))
DEF_CALLU(LOG2, SLEEF10(log2))
DEF_REPU(LOG1P, SLEEF10(log1p), NEED_LOG1P, jc_lane_fix_log1p)
DEF_CALLU(SIN, SLEEF10(sin))
DEF_CALLU(COS, SLEEF10(cos))
DEF_REPU(TAN, SLEEF10(tan), NEED_TAN, jc_lane_fix_tan)
DEF_CALLU(ASIN, SLEEF10(asin))
DEF_CALLU(ACOS, SLEEF10(acos))
DEF_CALLU(ATAN, SLEEF10(atan))
DEF_REPU(SINH, SLEEF10(sinh), NEED_SINH, jc_lane_fix_sinh)
DEF_REPU(COSH, SLEEF10(cosh), NEED_COSH, jc_lane_fix_cosh)
DEF_CALLU(TANH, SLEEF10(tanh))
DEF_REPB(ATAN2, SLEEF10(atan2), NEED_ATAN2, jc_lane_fix_atan2)
DEF_REPB(HYPOT, SLEEF05(hypot), NEED_HYPOT, jc_lane_fix_hypot)
DEF_LANEB(FMOD, jc_lane_fmod)
DEF_UN(FLOOR, vfloor(x))
DEF_UN(CEIL, vceil(x))
DEF_UN(TRUNC, vtrunc(x))
DEF_UN(ROUND, vround(x))
DEF_LANEB(ROUND2, jc_lane_round2)

/* NaN in either operand gives NaN; -0.0 is below +0.0. */
#define ISNAN_(x) ((x) != (x))
DEF_BIN(LEAST_F64, ({
            VI m = (a < b) | ((a == b) & (AI < 0));
            blend(ISNAN_(a) | ISNAN_(b), a + b, blend(m, a, b));
        }))
DEF_BIN(GREATEST_F64, ({
            VI m = (a > b) | ((a == b) & (BI < 0));
            blend(ISNAN_(a) | ISNAN_(b), a + b, blend(m, a, b));
        }))
DEF_BIN(LEAST_I64, blend(AI < BI, a, b))
DEF_BIN(GREATEST_I64, blend(AI > BI, a, b))
DEF_TER(IF, blend((VI)a, b, t))
/* if(a OP b, t, u): the comparison of the OP_F64 stencils (the predicates
 * GCC uses for the vector operators), then a blend: on AVX-512 a compare
 * into a mask register and one masked blend. */
#if defined(JC_ISA_AVX512)
#define SEL(OP, PRED)                                                       \
    (V) _mm512_mask_blend_pd(_mm512_cmp_pd_mask((__m512d)a, (__m512d)b, PRED), \
                             (__m512d)u, (__m512d)t)
#else
#define SEL(OP, PRED) blend(a OP b, t, u)
#endif
DEF_QUA(SELEQ_F64, SEL(==, _CMP_EQ_OQ))
DEF_QUA(SELNE_F64, SEL(!=, _CMP_NEQ_UQ))
DEF_QUA(SELLT_F64, SEL(<, _CMP_LT_OS))
DEF_QUA(SELLE_F64, SEL(<=, _CMP_LE_OS))
DEF_QUA(SELGT_F64, SEL(>, _CMP_GT_OS))
DEF_QUA(SELGE_F64, SEL(>=, _CMP_GE_OS))
DEF_UN(ISNAN, (V)ISNAN_(x))
DEF_UN(ISINF, (V)(vabs(x) == splat(__builtin_inf())))
DEF_UN(ISFINITE, (V)(vabs(x) < splat(__builtin_inf())))

/* ---- fused: right operand from memory ----------------------------------- */
/* a double load lets AVX-512 use an embedded broadcast operand */
#define RIGHT_S splat(CTX_AT(double, HOLE_A))
#define RIGHT_C (*COL(CTX_AT(char *, HOLE_A)))
#define FUSED6(OP, F)                         \
    DEF_UN(OP##S_F64, F(x, RIGHT_S))          \
    DEF_UN(OP##C_F64, F(x, RIGHT_C))          \
    DEF_UN(OP##P0_F64, F(x, *COL(p0)))        \
    DEF_UN(OP##P1_F64, F(x, *COL(p1)))        \
    DEF_UN(OP##P2_F64, F(x, *COL(p2)))        \
    DEF_UN(OP##P3_F64, F(x, *COL(p3)))
#define F_ADD(a, b) ((a) + (b))
#define F_SUB(a, b) ((a) - (b))
#define F_MUL(a, b) ((a) * (b))
#define F_DIV(a, b) ((a) / (b))
FUSED6(ADD, F_ADD)
FUSED6(SUB, F_SUB)
FUSED6(MUL, F_MUL)
FUSED6(DIV, F_DIV)
DEF_UN(EQS_F64, CEQ(CMPF, x, RIGHT_S))
DEF_UN(NES_F64, CNE(CMPF, x, RIGHT_S))
DEF_UN(LTS_F64, CLT(CMPF, x, RIGHT_S))
DEF_UN(LES_F64, CLE(CMPF, x, RIGHT_S))
DEF_UN(GTS_F64, CGT(CMPF, x, RIGHT_S))
DEF_UN(GES_F64, CGE(CMPF, x, RIGHT_S))
DEF_UN(EQS_I64, CEQ(CMPI, XI, (VI)RIGHT_S))
DEF_UN(NES_I64, CNE(CMPI, XI, (VI)RIGHT_S))
DEF_UN(LTS_I64, CLT(CMPI, XI, (VI)RIGHT_S))
DEF_UN(LES_I64, CLE(CMPI, XI, (VI)RIGHT_S))
DEF_UN(GTS_I64, CGT(CMPI, XI, (VI)RIGHT_S))
DEF_UN(GES_I64, CGE(CMPI, XI, (VI)RIGHT_S))

/* ---- pin registers (AVX-512) -------------------------------------------- */
#if JC_ISA_PINS
_Static_assert(JC_ISA_PINS == JC_PIN_REGS, "the widest set has every pin");
#define EACHPIN(M, ...)                                                    \
    M(0, "xmm16", __VA_ARGS__) M(1, "xmm17", __VA_ARGS__)                  \
    M(2, "xmm18", __VA_ARGS__) M(3, "xmm19", __VA_ARGS__)                  \
    M(4, "xmm20", __VA_ARGS__) M(5, "xmm21", __VA_ARGS__)                  \
    M(6, "xmm22", __VA_ARGS__) M(7, "xmm23", __VA_ARGS__)                  \
    M(8, "xmm24", __VA_ARGS__) M(9, "xmm25", __VA_ARGS__)                  \
    M(10, "xmm26", __VA_ARGS__) M(11, "xmm27", __VA_ARGS__)                \
    M(12, "xmm28", __VA_ARGS__) M(13, "xmm29", __VA_ARGS__)
/* R: writes pin k. */
#define PIN1(k, reg, NAME, EXPR) \
    STENCIL(NAME##_##k) { REG_SET(reg, (EXPR)); CONTINUE; }
#define DEF_PIN(NAME, EXPR) EACHPIN(PIN1, NAME, EXPR)
/* W: v[d] = f(v[d], r) with r the value of pin k. */
#define WPIN1(k, reg, d, NAME, EXPR)                 \
    STENCIL(NAME##_##d##_##k)                        \
    {                                                \
        V x = v##d, r = REG_GET(reg);                \
        (void)x;                                     \
        v##d = (EXPR);                               \
        CONTINUE;                                    \
    }
#define WPIN_D(d, NAME, EXPR) EACHPIN(WPIN1, d, NAME, EXPR)
#define DEF_WPIN(NAME, EXPR) EACH7(WPIN_D, NAME, EXPR)

DEF_PIN(PINC_64, *COL(CTX_AT(char *, HOLE_A)))
DEF_PIN(PINP0_64, *COL(p0))
DEF_PIN(PINP1_64, *COL(p1))
DEF_PIN(PINP2_64, *COL(p2))
DEF_PIN(PINP3_64, *COL(p3))
DEF_PIN(PINS_64, (V)splatu(CTX_AT(uint64_t, HOLE_A)))
DEF_WPIN(LOADR_64, r)
DEF_WPIN(ADDR_F64, x + r)
DEF_WPIN(SUBR_F64, x - r)
DEF_WPIN(MULR_F64, x * r)
DEF_WPIN(DIVR_F64, x / r)
#endif

/* ---- the mask register (AVX-512) ---------------------------------------- */
#if defined(JC_ISA_AVX512)
_Static_assert(JC_KPIN_FIRST == 12 && JC_KPIN_AND == 13, "xmm28 and xmm29 below");
/* k7, which no stencil allocates (-ffixed-k7): set by a comparison, read
 * by the next one and by COUNTK; nothing between them calls out (jit/lower.c
 * keeps such chains to passes without calls). */
#define KREG "k7"
static inline __mmask8 kreg_get(void)
{
    register __mmask8 r __asm__(KREG);
    __asm__ volatile("# " KREG : "=Yk"(r));
    return r;
}
#define KREG_SET(m)                                \
    do {                                           \
        register __mmask8 r_ __asm__(KREG) = (m);  \
        __asm__ volatile("" ::"Yk"(r_));           \
    } while (0)

/* One in every lane, from read-only data: the count's increment, read as
 * an embedded broadcast (GCC would build it in a general register and
 * move it over, two more instructions per vector). */
static const uint64_t kone = 1;
#define KCMP(a, b, P) _mm512_cmp_pd_mask((__m512d)(a), (__m512d)(b), P)
#define KCMPA(a, b, P) _mm512_mask_cmp_pd_mask(kreg_get(), (__m512d)(a), (__m512d)(b), P)
/* the popped operands are left where they were: dead, and no move */
#define KPOP1(d, NAME, EXPR) \
    STENCIL(NAME##_##d) { KREG_SET(EXPR(v##d, RIGHT_S)); CONTINUE; }
#define KPOP2(d, e, NAME, EXPR) \
    STENCIL(NAME##_##d) { KREG_SET(EXPR(v##d, v##e)); CONTINUE; }
/* the scalar from a pin (jit/lower.c loads it before the loop) */
#define KPOP1R(d, NAME, EXPR, REG) \
    STENCIL(NAME##_##d) { KREG_SET(EXPR(v##d, REG_GET(REG))); CONTINUE; }
#define KCOUNT1(d, NAME)                                                        \
    STENCIL(NAME##_##d)                                                         \
    {                                                                           \
        V acc = v##d;                                                           \
        __asm__("vpaddq %1%{1to8%}, %0, %0%{%%" KREG "%}" : "+v"(acc) : "m"(kone)); \
        v##d = acc;                                                             \
        CONTINUE;                                                               \
    }
#define KCMPI(a, b, P) _mm512_cmp_epi64_mask((__m512i)(a), (__m512i)(b), P)
#define KCMPIA(a, b, P) _mm512_mask_cmp_epi64_mask(kreg_get(), (__m512i)(a), (__m512i)(b), P)
/* the predicates of CMPF (f64) and CMPI (i64): the comparison operators' */
#define KP_EQ_F64 _CMP_EQ_OQ
#define KP_NE_F64 _CMP_NEQ_UQ
#define KP_LT_F64 _CMP_LT_OS
#define KP_LE_F64 _CMP_LE_OS
#define KP_GT_F64 _CMP_GT_OS
#define KP_GE_F64 _CMP_GE_OS
#define KP_EQ_I64 _MM_CMPINT_EQ
#define KP_NE_I64 _MM_CMPINT_NE
#define KP_LT_I64 _MM_CMPINT_LT
#define KP_LE_I64 _MM_CMPINT_LE
#define KP_GT_I64 _MM_CMPINT_NLE
#define KP_GE_I64 _MM_CMPINT_NLT
#define DEF_KCMP_T(OP, T, CMP, CMPA)                                                  \
    static inline __mmask8 k_##OP##_##T(V a, V b) { return CMP(a, b, KP_##OP##_##T); } \
    static inline __mmask8 ka_##OP##_##T(V a, V b) { return CMPA(a, b, KP_##OP##_##T); } \
    EACH6(KPOP2, OP##K_##T, k_##OP##_##T)                                             \
    EACH6(KPOP2, OP##KA_##T, ka_##OP##_##T)                                           \
    EACH7(KPOP1, OP##KS_##T, k_##OP##_##T)                                            \
    EACH7(KPOP1, OP##KAS_##T, ka_##OP##_##T)                                          \
    EACH7(KPOP1R, OP##KR_##T, k_##OP##_##T, "xmm28")                                  \
    EACH7(KPOP1R, OP##KAR_##T, ka_##OP##_##T, "xmm29")
#define DEF_KCMP(OP) DEF_KCMP_T(OP, F64, KCMP, KCMPA) DEF_KCMP_T(OP, I64, KCMPI, KCMPIA)
DEF_KCMP(EQ)
DEF_KCMP(NE)
DEF_KCMP(LT)
DEF_KCMP(LE)
DEF_KCMP(GT)
DEF_KCMP(GE)
EACH7(KCOUNT1, COUNTK)
/* a conjunction stored as bool bytes: lane bits to bytes with pdep, as
 * store_bools, from the mask itself */
#define KSTORE(NAME, P)                                                       \
    STENCIL(NAME)                                                             \
    {                                                                         \
        uint64_t b_ = _pdep_u64((uint64_t)kreg_get(), 0x0101010101010101ull); \
        __builtin_memcpy((P) + i, &b_, 8);                                    \
        CONTINUE;                                                             \
    }
KSTORE(STOREKC_B, CTX_AT(char *, HOLE_A))
KSTORE(STOREKP0_B, p0)
KSTORE(STOREKP1_B, p1)
KSTORE(STOREKP2_B, p2)
KSTORE(STOREKP3_B, p3)
/* if(conjunction, v[d], v[d+1]): one masked blend, v[d+1] popped */
#define KBLEND1(d, e, NAME) \
    STENCIL(NAME##_##d) { v##d = (V)_mm512_mask_blend_pd(kreg_get(), (__m512d)v##e, (__m512d)v##d); CONTINUE; }
EACH6(KBLEND1, BLENDK)
/* if(conjunction, x OP y, v[d]): the then-branch's last operation under
 * the mask, over the else-branch's value in v[d]; x, y popped */
#define KMASKED1(d, e, f, NAME, F)                                              \
    STENCIL(NAME##_##d)                                                         \
    {                                                                           \
        v##d = (V)F((__m512d)v##d, kreg_get(), (__m512d)v##e, (__m512d)v##f);   \
        CONTINUE;                                                               \
    }
EACH5(KMASKED1, ADDM_F64, _mm512_mask_add_pd)
EACH5(KMASKED1, SUBM_F64, _mm512_mask_sub_pd)
EACH5(KMASKED1, MULM_F64, _mm512_mask_mul_pd)
EACH5(KMASKED1, DIVM_F64, _mm512_mask_div_pd)
#endif
