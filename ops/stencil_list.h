/*
 * stencil_list.h — every stencil, once. The stencil sources (ops/stencils.c)
 * define a function per entry and depth, the build-time extractor
 * (linker/extract.c) emits their tables in this order, and the compiler
 * (jit/lower.c) picks them by this order; the three agree by construction.
 *
 * X(NAME, SHAPE). The shape says how the stencil uses the value stack held
 * in the vector registers v0..v6 (v7 carries the fault lanes) and so how many
 * depth variants exist; variant d is the function jc_st_NAME_d:
 *   S  one variant (loop plumbing), function jc_st_NAME
 *   P  push:    writes v[d]                          d = 0..6
 *   O  pop:     reads v[d] (stores it)               d = 0..6
 *   U  unary:   v[d] = f(v[d])                       d = 0..6
 *   B  binary:  v[d] = f(v[d], v[d+1])               d = 0..5
 *   T  ternary: v[d] = f(v[d], v[d+1], v[d+2])       d = 0..4
 *   Q  four:    v[d] = f(v[d], .., v[d+3])           d = 0..3
 *   R  pin:     writes pin register k                k = 0..JC_PIN_REGS-1
 *   W  with pin k at depth d: v[d] = f(v[d], pin k)  (or v[d] = pin k),
 *               function jc_st_NAME_d_k, variant d * JC_PIN_REGS + k
 *   K  into the mask: m = f(v[d]), v[d] popped      d = 0..6
 *   J  into the mask: m = f(v[d], v[d+1]), popped   d = 0..5
 *   M  from the mask: v[d] = f(v[d], m)             d = 0..6
 *   N  from the mask, the stack untouched           one variant
 *   Y  from the mask: v[d] = f(m, v[d], v[d+1])     d = 0..5
 *   Z  under the mask: v[d] = m ? f(v[d+1], v[d+2]) : v[d]   d = 0..4
 * Pin registers (ops/vec.h) exist only in sets that have them (AVX-512):
 * a set without them has no R and W stencils at all. The mask register m
 * (k7) likewise: a set without one has no K, J, M, N, Y and Z stencils.
 * Suffixes: 64 = any 8-byte lane (f64 or i64 bits), F64/I64/B = the type.
 * LOADC/STOREC take the column/output pointer from a context slot (hole),
 * LOADPk/STOREPk from pointer register k. Fused stencils (ADDS_F64,
 * ADDP1_F64, LTS_I64...) are a binary operator whose right operand is read
 * from memory instead of the stack: one instruction where there were two.
 * ZERO_64, COUNT and ACCST keep a count in the kernel (jit/lower.c): the
 * accumulator sits at the bottom of the stack for the whole loop, COUNT
 * subtracts a bool vector's all-ones lanes from it (+1 per true lane), and
 * ACCST stores its lanes to the context slot HOLE_A after the loop.
 * PIN*_64 load a value into a pin register (a column once per iteration,
 * a scalar once per run); LOADR_64 pushes a pin, ADDR_F64... take their
 * right operand from one.
 * A count of a conjunction of f64 or i64 comparisons (`sum(a > 0.5 and
 * n < 10)`) keeps its bools in the mask register instead of the value
 * stack: the first comparison sets it (LTK_F64: two stack operands;
 * LTKS_F64: the right one a scalar slot; LTKR_F64: a pinned scalar), each
 * further one narrows it with a masked compare (LTKA_F64, LTKAS_F64,
 * LTKAR_F64: the `and` costs nothing), and COUNTK adds one to the
 * accumulator's lanes it selects. Three instructions per vector for two
 * comparisons, where bools as vector lanes take six. A stored output that
 * is such a conjunction (a filter) is stored from the mask as bool bytes
 * (STOREKC_B, STOREKP0_B...), and an if whose condition is one picks its
 * branch under the mask (BLENDK: v[d] then, v[d+1] else). An if whose
 * then-branch ends in an f64 + - * / computes that operation under the
 * mask, over the else-branch's value (ADDM_F64...): no blend.
 */
#ifndef JC_OPS_STENCIL_LIST_H
#define JC_OPS_STENCIL_LIST_H

#define JC_STENCILS(X)                                                       \
    /* loop plumbing */                                                      \
    X(ENTRY, S) X(TAIL, S) X(EXIT, S) X(SPILL, S) X(FILL, S)                 \
    X(EDGET, S) X(EDGEL, S)                                                  \
    /* a count kept in the kernel: a zero accumulator pushed before the   \
     * loop, true lanes added to it, its lanes stored after the loop */    \
    X(ZERO_64, P) X(COUNT, B) X(ACCST, O)                                    \
    /* leaves */                                                             \
    X(LOADC_64, P) X(LOADP0_64, P) X(LOADP1_64, P) X(LOADP2_64, P)           \
    X(LOADP3_64, P)                                                          \
    X(LOADC_B, P) X(LOADP0_B, P) X(LOADP1_B, P) X(LOADP2_B, P)               \
    X(LOADP3_B, P)                                                           \
    X(SCALAR_64, P) X(SCALAR_B, P)                                           \
    /* outputs */                                                            \
    X(STOREC_F64, O) X(STOREP0_F64, O) X(STOREP1_F64, O)                     \
    X(STOREP2_F64, O) X(STOREP3_F64, O)                                      \
    X(STOREC_I64, O) X(STOREP0_I64, O) X(STOREP1_I64, O)                     \
    X(STOREP2_I64, O) X(STOREP3_I64, O)                                      \
    X(STOREC_B, O) X(STOREP0_B, O) X(STOREP1_B, O) X(STOREP2_B, O)           \
    X(STOREP3_B, O)                                                          \
    /* conversions */                                                        \
    X(I64_TO_F64, U) X(BOOL_TO_I64, U) X(BOOL_TO_F64, U) X(F64_TO_I64, U)    \
    /* arithmetic */                                                         \
    X(NEG_F64, U) X(NEG_I64, U) X(NOT, U)                                    \
    X(ADD_F64, B) X(ADD_I64, B) X(SUB_F64, B) X(SUB_I64, B)                  \
    X(MUL_F64, B) X(MUL_I64, B) X(DIV_F64, B)                                \
    X(IDIV_F64, B) X(IDIV_I64, B) X(MOD_F64, B) X(MOD_I64, B) X(POW, B)      \
    /* comparisons and logic (EQ/NE_I64 also compare bool masks) */          \
    X(EQ_F64, B) X(EQ_I64, B) X(NE_F64, B) X(NE_I64, B)                      \
    X(LT_F64, B) X(LT_I64, B) X(LE_F64, B) X(LE_I64, B)                      \
    X(GT_F64, B) X(GT_I64, B) X(GE_F64, B) X(GE_I64, B)                      \
    X(AND, B) X(OR, B)                                                       \
    /* functions */                                                          \
    X(ABS_F64, U) X(ABS_I64, U) X(SIGN_F64, U) X(SIGN_I64, U) X(SQRT, U)     \
    X(CBRT, U) X(EXP, U) X(EXPM1, U) X(LN, U) X(LOG10, U) X(LOG2, U)         \
    X(LOG1P, U) X(SIN, U) X(COS, U) X(TAN, U) X(ASIN, U) X(ACOS, U)          \
    X(ATAN, U) X(SINH, U) X(COSH, U) X(TANH, U)                              \
    X(ATAN2, B) X(HYPOT, B) X(FMOD, B)                                       \
    X(FLOOR, U) X(CEIL, U) X(TRUNC, U) X(ROUND, U) X(ROUND2, B)              \
    X(LEAST_F64, B) X(LEAST_I64, B) X(GREATEST_F64, B) X(GREATEST_I64, B)    \
    X(IF, T) X(ISNAN, U) X(ISINF, U) X(ISFINITE, U)                          \
    /* if(x OP y, t, e) on f64 x, y in one stencil: a compare and a blend */  \
    X(SELEQ_F64, Q) X(SELNE_F64, Q) X(SELLT_F64, Q) X(SELLE_F64, Q)          \
    X(SELGT_F64, Q) X(SELGE_F64, Q)                                          \
    /* fused: the right operand read from memory (a scalar slot S, a column \
     * from a context slot C, or from pointer register Pk) */               \
    JC_FUSED6(X, ADD) JC_FUSED6(X, SUB) JC_FUSED6(X, MUL) JC_FUSED6(X, DIV)  \
    X(EQS_F64, U) X(NES_F64, U) X(LTS_F64, U) X(LES_F64, U) X(GTS_F64, U)    \
    X(GES_F64, U) X(EQS_I64, U) X(NES_I64, U) X(LTS_I64, U) X(LES_I64, U)    \
    X(GTS_I64, U) X(GES_I64, U)                                              \
    /* pin registers */                                                      \
    X(PINC_64, R) X(PINP0_64, R) X(PINP1_64, R) X(PINP2_64, R)               \
    X(PINP3_64, R) X(PINS_64, R) X(LOADR_64, W)                              \
    X(ADDR_F64, W) X(SUBR_F64, W) X(MULR_F64, W) X(DIVR_F64, W)             \
    /* the mask register */                                                  \
    JC_KCMP(X, EQ) JC_KCMP(X, NE) JC_KCMP(X, LT) JC_KCMP(X, LE)              \
    JC_KCMP(X, GT) JC_KCMP(X, GE) X(COUNTK, M)                               \
    X(STOREKC_B, N) X(STOREKP0_B, N) X(STOREKP1_B, N) X(STOREKP2_B, N)       \
    X(STOREKP3_B, N) X(BLENDK, Y)                                             \
    X(ADDM_F64, Z) X(SUBM_F64, Z) X(MULM_F64, Z) X(DIVM_F64, Z)

/* A comparison into the mask: first (K) or narrowing it (KA), of two stack
 * operands, or of the top and a scalar: from its slot (S), or from the pin
 * register the lowering loads it into before the loop (R: pin 12 for the
 * first comparison, pin 13 for a narrowing one); of f64 or i64 lanes. */
#define JC_KCMP(X, OP) JC_KCMP_T(X, OP, F64) JC_KCMP_T(X, OP, I64)
#define JC_KCMP_T(X, OP, T)                                                  \
    X(OP##K_##T, J) X(OP##KA_##T, J) X(OP##KS_##T, K) X(OP##KAS_##T, K)      \
    X(OP##KR_##T, K) X(OP##KAR_##T, K)
/* The pin registers of the R comparisons. */
#define JC_KPIN_FIRST 12
#define JC_KPIN_AND 13

#define JC_FUSED6(X, OP)                                                     \
    X(OP##S_F64, U) X(OP##C_F64, U) X(OP##P0_F64, U) X(OP##P1_F64, U)        \
    X(OP##P2_F64, U) X(OP##P3_F64, U)

/* Pin registers in the widest set (ops/vec.h: zmm16..zmm29). */
#define JC_PIN_REGS 14

/* Depth variants per shape. */
#define JC_SHAPE_VARIANTS_S 1
#define JC_SHAPE_VARIANTS_P 7
#define JC_SHAPE_VARIANTS_O 7
#define JC_SHAPE_VARIANTS_U 7
#define JC_SHAPE_VARIANTS_B 6
#define JC_SHAPE_VARIANTS_T 5
#define JC_SHAPE_VARIANTS_Q 4
#define JC_SHAPE_VARIANTS_R JC_PIN_REGS
#define JC_SHAPE_VARIANTS_W (7 * JC_PIN_REGS)
#define JC_SHAPE_VARIANTS_K 7
#define JC_SHAPE_VARIANTS_J 6
#define JC_SHAPE_VARIANTS_M 7
#define JC_SHAPE_VARIANTS_N 1
#define JC_SHAPE_VARIANTS_Y 6
#define JC_SHAPE_VARIANTS_Z 5

/* Shapes whose stencils exist only in the sets that have their registers. */
#define JC_SHAPE_OPTIONAL(s) ((s) == 'R' || (s) == 'W' || JC_SHAPE_MASK(s))
/* The mask register's shapes. */
#define JC_SHAPE_MASK(s) \
    ((s) == 'K' || (s) == 'J' || (s) == 'M' || (s) == 'N' || (s) == 'Y' || (s) == 'Z')

#endif /* JC_OPS_STENCIL_LIST_H */
