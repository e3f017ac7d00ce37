/*
 * stencil.h — the tables the build-time extractor (linker/extract.c)
 * generates from the stencil objects, one jc_stencil_set per instruction
 * set, and the ids that name stencils (from ops/stencil_list.h).
 *
 * A stencil is machine code with holes. A hole is a place in the code that
 * the patcher (linker/patch.h) fills when the stencil is copied: a
 * relocation kind (how to encode), a symbol (what value), an addend.
 */
#ifndef JC_LINKER_STENCIL_H
#define JC_LINKER_STENCIL_H

#include <stdint.h>

#include "ops/stencil_list.h"

/* Stencil ids: the first variant of NAME is JC_ST_NAME, variant d is
 * JC_ST_NAME + d. */
enum {
#define JC_ST_ENUM(name, shape) \
    JC_ST_##name, JC_ST_##name##_LAST_ = JC_ST_##name + JC_SHAPE_VARIANTS_##shape - 1,
    JC_STENCILS(JC_ST_ENUM)
#undef JC_ST_ENUM
    JC_NSTENCILS
};

/* What a hole's value is. */
enum {
    JC_SYM_CONT = 1, /* the continuation: end of this stencil's copy */
    JC_SYM_TARGET,   /* the loop's back edge: the pass's loop head */
    JC_SYM_HOLE_A,   /* the stencil's operand: a context byte offset */
    JC_SYM_RODATA,   /* the set's read-only data; addend is from its start */
    JC_SYM_FUNC      /* a function (index into funcs), through a GOT slot */
};

/* How a hole is encoded: the relocation kinds the stencils may use. The
 * patcher of each architecture handles its own; anything else fails the
 * build in the extractor. */
enum {
    JC_RELOC_X86_PC32 = 1, /* R_X86_64_PC32 / PLT32: S + A - P, rel32 */
    JC_RELOC_X86_GOTPCREL, /* R_X86_64_GOTPCREL(X): GOT slot + A - P */
    JC_RELOC_X86_32,       /* R_X86_64_32: S + A, zero-extended */
    JC_RELOC_X86_32S,      /* R_X86_64_32S: S + A, sign-extended */
    JC_RELOC_X86_64        /* R_X86_64_64: S + A */
};

/* aarch64 (issue 11; linker/extract_aarch64.c, linker/patch_aarch64.c).
 * Each patches one 4-byte instruction at the hole's offset, and the patcher
 * checks that instruction first. S = the hole's value + addend. */
enum {
    JC_RELOC_A64_JUMP26 = 16,  /* b: imm26 = (S - P) >> 2 (R_AARCH64_JUMP26) */
    JC_RELOC_A64_CONDBR19,     /* b.cond: imm19 = (S - P) >> 2; made by the
                                  extractor for the loop tail */
    JC_RELOC_A64_ADR_PAGE,     /* adrp: Page(S) - Page(P) (ADR_PREL_PG_HI21) */
    JC_RELOC_A64_MOVZ_PAGE,    /* adrp of a value hole (JC_HOLE_A) whose add is
                                  not its only, in-place user: becomes `movz
                                  xN, #Page(S)` (S < 64 KiB) at patch time */
    JC_RELOC_A64_ADD_LO12,     /* add: imm12 = S & 0xfff (ADD_ABS_LO12_NC) */
    JC_RELOC_A64_LDST8_LO12,   /* ldr/str (unsigned offset): imm12 = lo12(S)
                                  >> log2(access size) (LDSTn_ABS_LO12_NC) */
    JC_RELOC_A64_LDST16_LO12,
    JC_RELOC_A64_LDST32_LO12,
    JC_RELOC_A64_LDST64_LO12,
    JC_RELOC_A64_LDST128_LO12,
    JC_RELOC_A64_GOT_PAGE,     /* adrp of a GOT slot (ADR_GOT_PAGE) */
    JC_RELOC_A64_GOT_LO12,     /* ldr x of a GOT slot (LD64_GOT_LO12_NC) */
    JC_RELOC_A64_MOVZ_LO16,    /* a value hole's `adrp xN; ...; add xN, xN,
                                  :lo12:` pair, rewritten by the extractor to
                                  `movz xN, #lo16(S)` ... */
    JC_RELOC_A64_MOVK_HI16,    /* ... `movk xN, #hi16(S), lsl 16`: S < 4 GiB.
                                  The value is a number (a context offset),
                                  not an address near the code */
    JC_RELOC_A64_CALL26        /* bl (CALL26) / b (JUMP26) to a function:
                                  only inside the extractor, which sends it
                                  through a trampoline it appends */
};

typedef struct jc_hole {
    uint32_t offset; /* of the patched field in the stencil's code */
    uint8_t kind;    /* JC_RELOC_* */
    uint8_t sym;     /* JC_SYM_* */
    uint16_t index;  /* JC_SYM_FUNC: index into the set's funcs */
    int32_t addend;
} jc_hole;

enum {
    JC_STENCIL_TRAILING_JUMP = 1, /* ends with a 5-byte jmp to jc_cont that
                                     may be dropped when the next stencil
                                     follows directly */
    JC_STENCIL_CALLS = 2          /* calls a function: every vector register
                                     but the fixed ones is clobbered */
};

typedef struct jc_stencil {
    uint32_t code;   /* offset in the set's code */
    uint16_t size;   /* bytes, trailing jump included */
    uint16_t nholes;
    uint32_t holes;  /* index of the first hole in the set's holes */
    uint8_t flags;   /* JC_STENCIL_* */
} jc_stencil;

typedef struct jc_stencil_set {
    const char *isa;   /* "sse2", "avx2", "avx512" */
    unsigned lanes;
    const uint8_t *code;
    const jc_hole *holes;
    const jc_stencil *stencils; /* JC_NSTENCILS, by id */
    const uint8_t *rodata;      /* constants the stencils address PC-relative */
    uint32_t rodata_size;
    const void *const *funcs;   /* functions the stencils call */
    const char *const *func_names;
    unsigned nfuncs;
    unsigned npins;             /* pin registers (R and W stencils exist for
                                   pins 0..npins-1 only; absent ones have
                                   size 0) */
    unsigned masks;             /* 1 if the set has the mask register's
                                   stencils (shapes K, J, M, N, Y), else 0 */
} jc_stencil_set;

/* "ADD_F64_2", by id (linker/stencil_names.c). */
extern const char *const jc_stencil_names[JC_NSTENCILS];
/* The shape letter of ops/stencil_list.h, and the variant within the
 * family (id - first id), by id. */
extern const char jc_stencil_shapes[JC_NSTENCILS];
extern const uint8_t jc_stencil_variants[JC_NSTENCILS];

/* The pin register of an R or W stencil variant. */
static inline unsigned jc_stencil_pin(char shape, unsigned variant)
{
    return shape == 'R' || shape == 'W' ? variant % JC_PIN_REGS : 0;
}

#endif /* JC_LINKER_STENCIL_H */
