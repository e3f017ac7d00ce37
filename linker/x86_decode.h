/*
 * x86_decode.h — an x86-64 instruction length decoder, just enough for the
 * code GCC emits for stencils (legacy, VEX and EVEX encodings). The
 * extractor uses it to walk a stencil instruction by instruction: to find
 * `ret`, to check that every hole is the displacement or immediate of the
 * instruction it expects, and to recognise the loop tail's branch pattern.
 * It is a build-time tool: an opcode it does not know fails the build.
 */
#ifndef JC_LINKER_X86_DECODE_H
#define JC_LINKER_X86_DECODE_H

#include <stddef.h>
#include <stdint.h>

typedef struct x86_insn {
    unsigned len;        /* total bytes */
    unsigned opcode_off; /* offset of the opcode byte */
    uint8_t map;         /* 0: one-byte, 1: 0F, 2: 0F38, 3: 0F3A */
    uint8_t opcode;
    uint8_t modrm;       /* valid when has_modrm */
    uint8_t has_modrm;
    uint8_t rip_relative;
    uint8_t disp_off, disp_size; /* displacement field (0 size: none) */
    uint8_t imm_off, imm_size;   /* immediate field (0 size: none) */
} x86_insn;

/* Decodes the instruction at p (n bytes available). Returns 0, or -1 for
 * an encoding it does not know or a truncated instruction. */
int x86_decode(const uint8_t *p, size_t n, x86_insn *out);

#endif /* JC_LINKER_X86_DECODE_H */
