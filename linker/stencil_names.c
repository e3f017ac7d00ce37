/*
 * stencil_names.c — the name of every stencil variant, by id, spelled by the
 * preprocessor from ops/stencil_list.h (so names and ids cannot drift).
 * The symbol of a stencil in the objects is "jc_st_" + its name.
 */
#include "linker/stencil.h"

#define N_S(n) #n,
#define N_P(n) #n "_0", #n "_1", #n "_2", #n "_3", #n "_4", #n "_5", #n "_6",
#define N_O(n) N_P(n)
#define N_U(n) N_P(n)
#define N_B(n) #n "_0", #n "_1", #n "_2", #n "_3", #n "_4", #n "_5",
#define N_T(n) #n "_0", #n "_1", #n "_2", #n "_3", #n "_4",
#define N_Q(n) #n "_0", #n "_1", #n "_2", #n "_3",
#define N_R(n)                                                            \
    #n "_0", #n "_1", #n "_2", #n "_3", #n "_4", #n "_5", #n "_6", #n "_7",  \
        #n "_8", #n "_9", #n "_10", #n "_11", #n "_12", #n "_13",
#define N_W(n)                                                            \
    N_R(n##_0) N_R(n##_1) N_R(n##_2) N_R(n##_3) N_R(n##_4) N_R(n##_5) N_R(n##_6)
#define N_K(n) N_P(n)
#define N_J(n) N_B(n)
#define N_M(n) N_P(n)
#define N_N(n) N_S(n)
#define N_Y(n) N_B(n)
#define N_Z(n) N_T(n)
#define JC_ST_NAME(name, shape) N_##shape(name)

/* Each table's initializer must have exactly JC_NSTENCILS entries (a
 * shorter one would be padded with zeros silently). */
#define JC_TABLE_CHECK(type, X)                                                \
    _Static_assert(sizeof((type[]){JC_STENCILS(X)}) / sizeof(type) == JC_NSTENCILS, \
                   "a table of " #X " is not one entry per stencil")

_Static_assert(JC_PIN_REGS == 14, "N_R spells 14 pin variants");

JC_TABLE_CHECK(const char *, JC_ST_NAME);
const char *const jc_stencil_names[] = {JC_STENCILS(JC_ST_NAME)};

#define S_1(c) c,
#define S_5(c) S_1(c) S_1(c) S_1(c) S_1(c) S_1(c)
#define S_6(c) S_5(c) S_1(c)
#define S_7(c) S_6(c) S_1(c)
#define S_14(c) S_7(c) S_7(c)
#define SH_S S_1('S')
#define SH_P S_7('P')
#define SH_O S_7('O')
#define SH_U S_7('U')
#define SH_B S_6('B')
#define SH_T S_5('T')
#define SH_Q S_1('Q') S_1('Q') S_1('Q') S_1('Q')
#define SH_R S_14('R')
#define SH_W S_14('W') S_14('W') S_14('W') S_14('W') S_14('W') S_14('W') S_14('W')
#define SH_K S_7('K')
#define SH_J S_6('J')
#define SH_M S_7('M')
#define SH_N S_1('N')
#define SH_Y S_6('Y')
#define SH_Z S_5('Z')
#define JC_ST_SHAPE(name, shape) SH_##shape

JC_TABLE_CHECK(char, JC_ST_SHAPE);
const char jc_stencil_shapes[] = {JC_STENCILS(JC_ST_SHAPE)};

/* Variant index of each id within its family (the depth, the pin, or
 * depth * JC_PIN_REGS + pin). */
#define VA_S 0,
#define VA_P 0, 1, 2, 3, 4, 5, 6,
#define VA_O VA_P
#define VA_U VA_P
#define VA_B 0, 1, 2, 3, 4, 5,
#define VA_T 0, 1, 2, 3, 4,
#define VA_Q 0, 1, 2, 3,
#define VA_R_AT(o)                                                                 \
    (o) + 0, (o) + 1, (o) + 2, (o) + 3, (o) + 4, (o) + 5, (o) + 6, (o) + 7, (o) + 8,   \
        (o) + 9, (o) + 10, (o) + 11, (o) + 12, (o) + 13,
#define VA_R VA_R_AT(0)
#define VA_W VA_R_AT(0) VA_R_AT(14) VA_R_AT(28) VA_R_AT(42) VA_R_AT(56) VA_R_AT(70) VA_R_AT(84)
#define VA_K VA_P
#define VA_J VA_B
#define VA_M VA_P
#define VA_N VA_S
#define VA_Y VA_B
#define VA_Z VA_T
#define JC_ST_VARIANT(name, shape) VA_##shape

JC_TABLE_CHECK(uint8_t, JC_ST_VARIANT);
const uint8_t jc_stencil_variants[] = {JC_STENCILS(JC_ST_VARIANT)};
